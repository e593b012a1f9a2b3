//! x509-limbo conformance: runs the `limbo` harness binary over the development suites in
//! `../shared/conformance/limbo/` and asserts the acceptance thresholds of the verification
//! and hardening issues: zero unexpected successes, 109 of 109 limbo and 38 of 38 BetterTLS
//! path-building matches (no skips); pathological cases fast.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a failure here is a test failure"
)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

struct Score {
    matched: usize,
    unexpected_success: Vec<String>,
    unexpected_failure: Vec<String>,
    skipped: Vec<String>,
}

fn suite_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/conformance/limbo")
        .join(name)
}

fn run_harness(suite: &str) -> Value {
    let mut child = Command::new(env!("CARGO_BIN_EXE_limbo"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the limbo harness");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(suite.as_bytes())
        .expect("write the suite");
    let output = child.wait_with_output().expect("harness output");
    assert!(output.status.success(), "harness failed: {output:?}");
    serde_json::from_slice(&output.stdout).expect("LimboResult JSON")
}

fn score(name: &str) -> Score {
    let text = std::fs::read_to_string(suite_path(name))
        .unwrap_or_else(|error| panic!("read {name}: {error} (the suite is in ../shared)"));
    let suite: Value = serde_json::from_str(&text).expect("suite JSON");
    let results = run_harness(&text);
    assert_eq!(results["version"], 1);
    assert_eq!(results["harness"], "mtlskit");
    let expected: BTreeMap<&str, &str> = suite["testcases"]
        .as_array()
        .expect("testcases")
        .iter()
        .map(|case| {
            (
                case["id"].as_str().unwrap(),
                case["expected_result"].as_str().unwrap(),
            )
        })
        .collect();
    let mut score = Score {
        matched: 0,
        unexpected_success: Vec::new(),
        unexpected_failure: Vec::new(),
        skipped: Vec::new(),
    };
    let results = results["results"].as_array().expect("results");
    assert_eq!(results.len(), expected.len(), "one result per testcase");
    for result in results {
        let id = result["id"].as_str().unwrap();
        let context = result["context"].as_str().unwrap_or_default();
        let line = format!("{id}: {context}");
        match (result["actual_result"].as_str().unwrap(), expected[id]) {
            ("SKIPPED", _) => {
                assert!(!context.is_empty(), "skip without a reason: {id}");
                score.skipped.push(line);
            }
            (actual, wanted) if actual == wanted => score.matched += 1,
            ("SUCCESS", _) => score.unexpected_success.push(line),
            _ => score.unexpected_failure.push(line),
        }
    }
    println!(
        "{name}: {} match, {} unexpected success, {} unexpected failure, {} skipped",
        score.matched,
        score.unexpected_success.len(),
        score.unexpected_failure.len(),
        score.skipped.len()
    );
    for line in score.unexpected_failure.iter().chain(&score.skipped) {
        println!("  {line}");
    }
    score
}

#[test]
fn limbo_development_suite_meets_the_thresholds() {
    let score = score("limbo-dev.json");
    assert!(
        score.unexpected_success.is_empty(),
        "unexpected successes: {:#?}",
        score.unexpected_success
    );
    assert_eq!(
        score.matched, 109,
        "unexpected failures: {:#?}, skipped: {:#?}",
        score.unexpected_failure, score.skipped
    );
}

#[test]
fn bettertls_path_building_suite_matches_entirely() {
    let score = score("bettertls-pathbuilding-dev.json");
    assert!(
        score.unexpected_success.is_empty(),
        "{:#?}",
        score.unexpected_success
    );
    assert_eq!(
        score.matched, 38,
        "failures: {:#?}",
        score.unexpected_failure
    );
}

/// Each `pathological::` testcase, run alone, finishes well under a second. Debug builds of
/// RSA are slow, so the bound is one second there and a tenth of that in release builds.
#[test]
fn pathological_cases_are_bounded() {
    let text = std::fs::read_to_string(suite_path("limbo-dev.json")).expect("suite");
    let suite: Value = serde_json::from_str(&text).expect("suite JSON");
    let bound = if cfg!(debug_assertions) {
        Duration::from_secs(1)
    } else {
        Duration::from_millis(100)
    };
    let mut seen = 0;
    for case in suite["testcases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        if !id.starts_with("pathological::") {
            continue;
        }
        seen += 1;
        let single = serde_json::json!({"version": 1, "testcases": [case]}).to_string();
        let start = Instant::now();
        let result = run_harness(&single);
        let elapsed = start.elapsed();
        assert_eq!(
            result["results"][0]["actual_result"], case["expected_result"],
            "{id}: {}",
            result["results"][0]["context"]
        );
        assert!(elapsed < bound, "{id} took {elapsed:?}");
        println!("{id}: {elapsed:?}");
    }
    assert!(seen >= 5, "pathological cases missing from the suite");
}

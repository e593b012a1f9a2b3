//! x509-limbo conformance: runs the `limbo` harness binary over the development suites in
//! `../shared/conformance/limbo/` and asserts the acceptance thresholds of the verification
//! and hardening issues: zero unexpected successes, 109 of 109 limbo and 38 of 38 BetterTLS
//! path-building matches (no skips); pathological cases stopped by the budget.

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
    run_harness_with(suite, "rustcrypto")
}

/// Runs the harness with the signature algorithm list `algorithms` (`rustcrypto` or `native`).
fn run_harness_with(suite: &str, algorithms: &str) -> Value {
    let mut child = Command::new(env!("CARGO_BIN_EXE_limbo"))
        .env("MTLSKIT_ALGORITHMS", algorithms)
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

/// Issue 8: every limbo and BetterTLS case gets the same verdict, error code and explanation (or
/// path) with the core's RustCrypto algorithms and with the native list (the rustls ring
/// provider's, then the core's).
#[test]
fn native_algorithms_give_the_same_verdicts_and_codes() {
    for name in ["limbo-dev.json", "bettertls-pathbuilding-dev.json"] {
        let text = std::fs::read_to_string(suite_path(name)).expect("suite");
        let rustcrypto = run_harness_with(&text, "rustcrypto");
        let native = run_harness_with(&text, "native");
        // The verdict, and the path (success) or "[Code] explanation" (failure).
        let verdict = |result: &Value| {
            let context = result["context"].as_str().unwrap_or_default().to_owned();
            (
                result["actual_result"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                context,
            )
        };
        let pairs: Vec<_> = rustcrypto["results"]
            .as_array()
            .unwrap()
            .iter()
            .zip(native["results"].as_array().unwrap())
            .collect();
        assert!(pairs.len() >= 38, "{name}: {} results", pairs.len());
        let mut failures = 0;
        for (expected, actual) in pairs {
            assert_eq!(expected["id"], actual["id"]);
            assert_eq!(verdict(expected), verdict(actual), "{}", expected["id"]);
            failures += usize::from(verdict(expected).0 == "FAILURE");
        }
        assert!(
            failures > 10,
            "{name}: the comparison saw only {failures} failures"
        );
    }
}

/// Each `pathological::` testcase gives its expected verdict, the failures through the budget
/// or a missing issuer (never a rule met by chance on some path). Their times are measured by
/// `make bench-pathological`.
#[test]
fn pathological_cases_stop_on_budget_or_missing_issuer() {
    let text = std::fs::read_to_string(suite_path("limbo-dev.json")).expect("suite");
    let mut suite: Value = serde_json::from_str(&text).expect("suite JSON");
    let cases: Vec<Value> = suite["testcases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|case| case["id"].as_str().unwrap().starts_with("pathological::"))
        .cloned()
        .collect();
    assert!(
        cases.len() >= 5,
        "pathological cases missing from the suite"
    );
    suite["testcases"] = Value::Array(cases.clone());
    let results = run_harness(&suite.to_string());
    for (case, result) in cases.iter().zip(results["results"].as_array().unwrap()) {
        let (id, context) = (&case["id"], result["context"].as_str().unwrap());
        assert_eq!(
            result["actual_result"], case["expected_result"],
            "{id}: {context}"
        );
        if case["expected_result"] == "FAILURE" {
            assert!(
                context.starts_with("[BudgetExceeded]") || context.starts_with("[UnknownIssuer]"),
                "{id}: {context}"
            );
        }
    }
}

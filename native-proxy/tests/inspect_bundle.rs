//! `mtlskit inspect --json` of a large input inspects it on two threads (the second part of
//! the blocks on a second thread, `cli/inspect.rs`): the output must be the bytes of the core's
//! report of the whole input, made on one thread, and the exit code the same, whether the
//! input was split (certificates, CSRs, CRLs, public keys, unreadable blocks) or not
//! (containers, keys), wherever the bad blocks are.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a broken expectation should fail loudly"
)]

use mtlskit::UnixTime;
use mtlskit::inspect::{self, Options};
use mtlskit_tests::{repo_root, run, split_pem};

const AT: &str = "2026-06-01T00:00:00Z";

/// The CLI's output and exit code for `input` on standard input, and the single-threaded
/// reference: the core's whole report, pretty-printed by serde_json.
fn check(name: &str, input: &str) {
    let output = run(
        env!("CARGO_BIN_EXE_mtlskit"),
        &["inspect", "--json", "--at", AT, "-"],
        Some(input.as_bytes()),
    );
    let options = Options {
        source: "-".into(),
        password: None,
        key_password: None,
        at: UnixTime::parse_rfc3339(AT).unwrap(),
    };
    let report = inspect::inspect(input.as_bytes(), &options).unwrap();
    let mut expected = serde_json::to_string_pretty(&report).unwrap();
    expected.push('\n');
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout == expected,
        "{name}: the output differs from the single-threaded report"
    );
    let wanted_code = if report.first_error().is_some() { 2 } else { 0 };
    assert_eq!(output.status.code(), Some(wanted_code), "{name}");
    assert!(output.stderr.is_empty(), "{name}");
}

fn bundle() -> Vec<String> {
    let text = std::fs::read_to_string(repo_root().join("tests/parity/inputs/ca-certificates.crt"))
        .unwrap();
    let blocks = split_pem(&text);
    assert!(blocks.len() > 100, "{}", blocks.len());
    blocks
}

/// `block` with its label replaced.
fn relabel(block: &str, label: &str) -> String {
    block.replace("CERTIFICATE", label)
}

/// `block` with one base64 character of its body replaced by one that is not base64.
fn corrupt(block: &str) -> String {
    let mut lines: Vec<String> = block.lines().map(str::to_owned).collect();
    lines[2].replace_range(5..6, "!");
    lines.join("\n") + "\n"
}

#[test]
fn a_bundle_gives_the_single_threaded_report() {
    let blocks = bundle();
    check("bundle", &blocks.concat());
    // around the smallest input that is split (24 blocks) and with 16 items sent at once
    for count in [23, 24, 25, 40, 41, 43] {
        check(&format!("first {count}"), &blocks[..count].concat());
    }
}

/// A named change to one block.
type Change = fn(&str) -> String;

#[test]
fn bad_blocks_anywhere_give_the_single_threaded_report() {
    let blocks = bundle();
    let last = blocks.len() - 1;
    // the second thread's part starts at 40% of the blocks
    let split = blocks.len() * 2 / 5;
    for position in [0, 1, split - 1, split, split + 1, 100, last] {
        let changes: [(&str, Change); 7] = [
            ("corrupt", corrupt),
            ("unknown label", |block| relabel(block, "FOO")),
            ("CRL label", |block| relabel(block, "X509 CRL")),
            ("public key label", |block| relabel(block, "PUBLIC KEY")),
            // not split: a container, a key, and a block of no item
            ("PKCS7 label", |block| relabel(block, "PKCS7")),
            ("private key label", |block| relabel(block, "PRIVATE KEY")),
            ("EC parameters label", |block| {
                relabel(block, "EC PARAMETERS")
            }),
        ];
        for (change, apply) in changes {
            let mut changed = blocks.clone();
            changed[position] = apply(&changed[position]);
            check(&format!("{change} at {position}"), &changed.concat());
        }
    }
}

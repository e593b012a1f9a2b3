//! Verification never panics and always finishes: every truncation and every single-byte change
//! of the leaf and of the intermediate of real chains (from the x509-limbo development suite in
//! `../shared/conformance/limbo/`) gives a verdict.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code: a failure here is a test failure"
)]

mod support;

use std::time::Instant;

use mtlskit::UnixTime;
use mtlskit::verify::{Input, Item, Options, PeerName, Profile, verify};
use serde_json::Value;
use support::{input_of, testcase};

fn options_of(case: &Value) -> Options {
    let time = UnixTime::parse_rfc3339(case["validation_time"].as_str().unwrap()).unwrap();
    let mut options = Options::at(time);
    options.peer_name = Some(PeerName::Dns(
        case["expected_peer_name"]["value"]
            .as_str()
            .unwrap()
            .to_owned(),
    ));
    options.profile = Profile::WebPki;
    options
}

/// Runs `verify` on every other truncation and single-byte change of `bytes`, placed by
/// `place` (every other one keeps the debug-build run time of this test to a few seconds).
fn mutate_all(
    input: &Input,
    options: &Options,
    bytes: &[u8],
    place: impl Fn(&mut Input, Vec<u8>),
) -> usize {
    let mut runs = 0;
    for length in (0..bytes.len()).step_by(2) {
        let mut mutated = input.clone();
        place(&mut mutated, bytes[..length].to_vec());
        let _ = verify(&mutated, options);
        runs += 1;
    }
    for index in (1..bytes.len()).step_by(2) {
        let mut changed = bytes.to_vec();
        changed[index] ^= 0xa5;
        let mut mutated = input.clone();
        place(&mut mutated, changed);
        let _ = verify(&mutated, options);
        runs += 1;
    }
    runs
}

#[test]
fn real_chain_verifies_and_every_mutation_gives_a_verdict() {
    let case = testcase("online::bing.com");
    let input = input_of(&case);
    let options = options_of(&case);
    let verified = verify(&input, &options).expect("the real chain verifies");
    assert_eq!(verified.path.len(), 4);

    let start = Instant::now();
    let leaf = input.leaf.clone().unwrap().der;
    let mut runs = mutate_all(&input, &options, &leaf, |input, der| {
        input.leaf = Some(Item::new(der, "leaf"));
    });
    let intermediate = input.intermediates[0].der.clone();
    runs += mutate_all(&input, &options, &intermediate, |input, der| {
        input.intermediates[0] = Item::new(der, "intermediate");
    });
    assert!(runs > 2_500, "{runs} runs");
    println!("{runs} mutated verifications in {:?}", start.elapsed());
}

#[test]
fn same_input_same_verdict() {
    let case = testcase("rfc5280::nc::nc-forbids-same-chain-ica");
    let input = input_of(&case);
    let mut options = Options::at(UnixTime::parse_rfc3339("2026-01-01T00:00:00Z").unwrap());
    options.peer_name = Some(PeerName::Dns("unconstrained.example.com".to_owned()));
    let first = verify(&input, &options).expect("valid through the unconstrained root");
    for _ in 0..5 {
        let again = verify(&input, &options).expect("still valid");
        assert_eq!(again.path, first.path);
    }
}

#[test]
fn maximum_intermediates_is_enforced() {
    let case = testcase("online::bing.com");
    let input = input_of(&case);
    let mut options = options_of(&case);
    options.maximum_intermediates = 1;
    let failure = verify(&input, &options).expect_err("the chain has two intermediates");
    assert_eq!(failure.code, "MaximumDepthExceeded");
    options.maximum_intermediates = 2;
    assert!(verify(&input, &options).is_ok());
}

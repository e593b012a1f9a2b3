//! How long the worst inputs take (issue 7 point 3: well under 100 ms each in release): the
//! pathological cases of x509-limbo and generated ones (a 256-certificate same-name pool, a
//! cross-signed mesh, name constraints at and over the comparison budget, CAs mapping every
//! policy to every policy at and over the policy-graph budget), each with the
//! verdict it must give. Tests assert the budgets and codes; this measures the time.
//!
//! Run: `make bench-pathological` (`cargo bench -p mtlskit --bench pathological`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs,
    reason = "benchmark set-up: a failure is a failed run"
)]

#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use mtlskit::UnixTime;
use mtlskit::verify::{Input, Options, PeerName, verify};

/// One input, the options to verify it with, and the code it must give ("" for valid).
struct Case {
    name: String,
    input: Input,
    options: Options,
    code: &'static str,
}

fn generated() -> Vec<Case> {
    let mut rng = support::rng();
    let case = |name: &str, input: Input, code: &'static str| Case {
        name: name.to_owned(),
        input,
        options: support::options(),
        code,
    };
    vec![
        case(
            "same-name-pool-256",
            support::same_name_pool(256, &mut rng),
            "UnknownIssuer",
        ),
        case(
            "cross-signed-mesh-15",
            support::cross_signed_mesh(15, &mut rng),
            "BudgetExceeded",
        ),
        case(
            "name-constraints-350x700",
            support::many_name_constraints(350, &mut rng),
            "",
        ),
        case(
            "name-constraints-400x800",
            support::many_name_constraints(400, &mut rng),
            "BudgetExceeded",
        ),
        case("policy-mapping-mesh-2x10", support::policy_mesh(2, 10), ""),
        case(
            "policy-mapping-mesh-4x40",
            support::policy_mesh(4, 40),
            "BudgetExceeded",
        ),
    ]
}

fn limbo() -> Vec<Case> {
    let ids = [
        ("pathological::multiple-chains-expired-intermediate", ""),
        (
            "pathological::intermediate-cycle-distinct-cas",
            "UnknownIssuer",
        ),
        ("pathological::nc-dos-1", "BudgetExceeded"),
        (
            "pathological::pathological-chain-same-subject-distinct-key",
            "BudgetExceeded",
        ),
        (
            "pathological::pathological-chain-same-subject-same-key",
            "UnknownIssuer",
        ),
    ];
    ids.into_iter()
        .map(|(id, code)| {
            let testcase = support::testcase(id);
            let time = testcase["validation_time"]
                .as_str()
                .map_or(support::NOW, |text| UnixTime::parse_rfc3339(text).unwrap());
            let mut options = Options::at(time);
            if let Some(name) = testcase["expected_peer_name"]["value"].as_str() {
                options.peer_name = Some(PeerName::Dns(name.to_owned()));
            }
            Case {
                name: id.trim_start_matches("pathological::").to_owned(),
                input: support::input_of(&testcase),
                options,
                code,
            }
        })
        .collect()
}

fn benches(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("pathological");
    group.sample_size(20);
    for case in generated().into_iter().chain(limbo()) {
        let code = verify(&case.input, &case.options)
            .err()
            .map_or("", |f| f.code);
        assert_eq!(code, case.code, "{}", case.name);
        group.bench_function(&case.name, |bencher| {
            bencher.iter(|| verify(&case.input, &case.options));
        });
    }
    group.finish();
}

criterion_group!(pathological_benches, benches);
criterion_main!(pathological_benches);

//! Certificate policy processing (issue 7 point 7: RFC 5280 6.1.3-6.1.5 with the RFC 9618
//! policy graph) against `openssl verify -policy_check`: requireExplicitPolicy, policy
//! mappings (and inhibiting them), anyPolicy (and inhibiting it), the caller's initial policy
//! set, and the valid policy set reported in `Verified`. Chains are made with the `openssl`
//! command; every case gets the same verdict from both tools.

#![allow(clippy::panic, reason = "test code: a failure here is a test failure")]

mod verify_support;

use mtlskit::verify::Options;
use verify_support::{Pki, ca_extensions, leaf_extensions};

const P1: &str = "1.3.6.1.4.1.55738.1.1";
const P2: &str = "1.3.6.1.4.1.55738.1.2";
const P3: &str = "1.3.6.1.4.1.55738.1.3";
const ANY: &str = "2.5.29.32.0";

/// One chain root -> intermediate -> leaf with policy extension lines added to the
/// intermediate and the leaf, and the verdict both tools must give.
struct Case {
    name: &'static str,
    intermediate: Vec<String>,
    leaf: Vec<String>,
    adjust: fn(&mut Options),
    openssl: &'static [&'static str],
    /// `Ok(valid policy set)` or `Err(mtlskit's error code)`.
    expected: Result<Vec<&'static str>, &'static str>,
}

fn policies(oids: &[&str]) -> String {
    format!("certificatePolicies = {}", oids.join(", "))
}

fn require_explicit(skip: u8) -> String {
    format!("policyConstraints = critical, requireExplicitPolicy:{skip}")
}

fn mapping(issuer: &str, subject: &str) -> String {
    format!("policyMappings = critical, {issuer}:{subject}")
}

fn defaults(_: &mut Options) {}

fn cases() -> Vec<Case> {
    let case = |name, intermediate: Vec<String>, leaf: Vec<String>, expected| Case {
        name,
        intermediate,
        leaf,
        adjust: defaults,
        openssl: &[],
        expected,
    };
    vec![
        case("no-policies", vec![], vec![], Ok(vec![])),
        case(
            "explicit-required-leaf-without-policies",
            vec![require_explicit(0), policies(&[P1])],
            vec![],
            Err("NoValidPolicy"),
        ),
        case(
            "explicit-required-and-met",
            vec![require_explicit(0), policies(&[P1])],
            vec![policies(&[P1])],
            Ok(vec![P1]),
        ),
        case(
            "explicit-required-other-policy",
            vec![require_explicit(0), policies(&[P1])],
            vec![policies(&[P2])],
            Err("NoValidPolicy"),
        ),
        case(
            "explicit-required-later",
            vec![require_explicit(2)],
            vec![],
            Ok(vec![]),
        ),
        case(
            "leaf-requires-explicit-policy",
            vec![],
            vec![require_explicit(0)],
            Err("NoValidPolicy"),
        ),
        case(
            "any-policy-in-the-intermediate",
            vec![require_explicit(0), policies(&[ANY])],
            vec![policies(&[P2])],
            Ok(vec![P2]),
        ),
        case(
            "mapped-policy",
            vec![require_explicit(0), policies(&[P1]), mapping(P1, P3)],
            vec![policies(&[P3])],
            Ok(vec![P1]),
        ),
        case(
            "mapping-any-policy",
            vec![policies(&[P1]), mapping(ANY, P1)],
            vec![policies(&[P1])],
            Err("NonConforming"),
        ),
        case(
            "any-policy-inhibited-by-the-intermediate",
            vec![
                require_explicit(0),
                policies(&[ANY]),
                "inhibitAnyPolicy = critical, 0".to_owned(),
            ],
            vec![policies(&[ANY])],
            Err("NoValidPolicy"),
        ),
        Case {
            adjust: |options| options.initial_policy_mapping_inhibit = true,
            openssl: &["-inhibit_map"],
            ..case(
                "mapping-inhibited-by-the-caller",
                vec![require_explicit(0), policies(&[P1]), mapping(P1, P3)],
                vec![policies(&[P3])],
                Err("NoValidPolicy"),
            )
        },
        Case {
            adjust: |options| {
                options.initial_policy_set = vec![P2.to_owned()];
                options.initial_explicit_policy = true;
            },
            openssl: &["-policy", P2, "-explicit_policy"],
            ..case(
                "caller-policy-absent",
                vec![policies(&[P1])],
                vec![policies(&[P1])],
                Err("NoValidPolicy"),
            )
        },
        Case {
            adjust: |options| {
                options.initial_policy_set = vec![P1.to_owned()];
                options.initial_explicit_policy = true;
            },
            openssl: &["-policy", P1, "-explicit_policy"],
            ..case(
                "caller-policy-present",
                vec![policies(&[P1, P2])],
                vec![policies(&[P1])],
                Ok(vec![P1]),
            )
        },
        Case {
            adjust: |options| options.initial_explicit_policy = true,
            openssl: &["-explicit_policy"],
            ..case(
                "any-policy-everywhere",
                vec![policies(&[ANY])],
                vec![policies(&[ANY])],
                Ok(vec![ANY]),
            )
        },
        Case {
            adjust: |options| {
                options.initial_explicit_policy = true;
                options.initial_any_policy_inhibit = true;
            },
            openssl: &["-explicit_policy", "-inhibit_any"],
            ..case(
                "any-policy-inhibited-by-the-caller",
                vec![policies(&[ANY])],
                vec![policies(&[ANY])],
                Err("NoValidPolicy"),
            )
        },
    ]
}

#[test]
fn policy_processing_agrees_with_openssl() {
    for case in cases() {
        let pki = Pki::new(&format!("policy-{}", case.name));
        pki.self_signed("root", "Policy Root", "ec", &ca_extensions(None));
        let mut intermediate = ca_extensions(None);
        intermediate.extend(case.intermediate.iter().cloned());
        pki.issue(
            "intermediate",
            "Policy CA",
            "root",
            "ec",
            &intermediate,
            3650,
        );
        let mut leaf = leaf_extensions("serverAuth", "DNS:policy.example.com");
        leaf.extend(case.leaf.iter().cloned());
        pki.issue(
            "leaf",
            "policy.example.com",
            "intermediate",
            "ec",
            &leaf,
            365,
        );
        // openssl takes an empty user policy set when -policy is not given; RFC 5280's
        // default (6.1.1 (c)), which mtlskit follows, is anyPolicy.
        let mut openssl = vec!["-policy_check"];
        if !case.openssl.contains(&"-policy") {
            openssl.extend(["-policy", ANY]);
        }
        openssl.extend(case.openssl);
        let check = pki
            .check("leaf", &["intermediate"], "root")
            .both(case.adjust, &openssl);
        assert_eq!(
            check.openssl(),
            case.expected.is_ok(),
            "{}: openssl verify disagrees with the expectation",
            case.name
        );
        match (check.mtlskit(), &case.expected) {
            (Ok(verified), Ok(valid)) => assert_eq!(verified.policies, *valid, "{}", case.name),
            (Err(failure), Err(code)) => assert_eq!(failure.code, *code, "{}", case.name),
            (verdict, _) => panic!("{}: mtlskit said {verdict:?}", case.name),
        }
    }
}

/// RFC 5280 6.1.3 (d)(2) and 6.1.4 (h): a self-issued intermediate (a key rollover of the root)
/// may use anyPolicy even when any policy is inhibited, and does not count against the skip
/// counters; another intermediate may not.
#[test]
fn self_issued_intermediate_keeps_any_policy() {
    for self_issued in [true, false] {
        let pki = Pki::new(&format!("policy-self-issued-{self_issued}"));
        pki.self_signed("root", "Policy Root", "ec", &ca_extensions(None));
        let mut intermediate = ca_extensions(None);
        intermediate.push(policies(&[ANY]));
        let name = if self_issued {
            "Policy Root"
        } else {
            "Policy CA"
        };
        pki.issue("intermediate", name, "root", "ec", &intermediate, 3650);
        let mut leaf = leaf_extensions("serverAuth", "DNS:policy.example.com");
        leaf.push(policies(&[P1]));
        pki.issue(
            "leaf",
            "policy.example.com",
            "intermediate",
            "ec",
            &leaf,
            365,
        );
        let check = pki.check("leaf", &["intermediate"], "root").both(
            |options| {
                options.initial_explicit_policy = true;
                options.initial_any_policy_inhibit = true;
            },
            &[
                "-policy_check",
                "-policy",
                ANY,
                "-explicit_policy",
                "-inhibit_any",
            ],
        );
        assert_eq!(check.openssl(), self_issued, "self-issued: {self_issued}");
        match check.mtlskit() {
            Ok(verified) => {
                assert!(self_issued, "{verified:?}");
                assert_eq!(verified.policies, vec![P1]);
            }
            Err(failure) => {
                assert!(!self_issued, "{}", failure.explanation());
                assert_eq!(failure.code, "NoValidPolicy");
            }
        }
    }
}

//! Issue 7 point 3: one budget per verification. Pathological pools, meshes and name
//! constraints end with `BudgetExceeded` (signature checks, path-building steps and
//! name-constraint comparisons all draw from one budget per call), the inputs a caller may pass
//! are capped with a coded error, and a large pool that is not pathological costs nothing.
//! Timings are measured by `benches/pathological.rs` (`make bench-pathological`), not here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failure here is a test failure"
)]

mod support;

use mtlskit::verify::{Item, verify};
use support::{input, options, rng, root, server};

#[test]
fn too_many_intermediates_is_a_coded_error() {
    let mut rng = rng();
    let anchor = root("Cap Root", &mut rng);
    let leaf = server(&["cap.example.com"], &anchor, &mut rng);
    let copies = vec![anchor.certificate_der().to_vec(); 257];
    let failure = verify(&input(&leaf, copies, &anchor), &options()).unwrap_err();
    assert_eq!(failure.code, "TooManyInputs", "{failure}");
    assert!(failure.message.contains("at most 256"), "{failure}");

    let copies = vec![anchor.certificate_der().to_vec(); 256];
    assert!(verify(&input(&leaf, copies, &anchor), &options()).is_ok());
}

#[test]
fn too_many_crls_is_a_coded_error() {
    let mut rng = rng();
    let anchor = root("Cap Root", &mut rng);
    let leaf = server(&["cap.example.com"], &anchor, &mut rng);
    let mut input = input(&leaf, Vec::new(), &anchor);
    input.crls = vec![Item::new(b"not a CRL".to_vec(), "crl"); 65];
    let failure = verify(&input, &options()).unwrap_err();
    assert_eq!(failure.code, "TooManyInputs", "{failure}");
}

/// 256 certificates with the leaf's issuer name whose subjectKeyIdentifier names other keys
/// are not even candidates (no signature is checked), and the explanation says why.
#[test]
fn same_name_pool_with_other_key_identifiers_is_explained() {
    let input = support::same_name_pool(256, &mut rng());
    let failure = verify(&input, &options()).unwrap_err();
    assert_eq!(failure.code, "UnknownIssuer", "{failure}");
    assert!(
        failure.message.contains("intermediate 1 has another key")
            && failure.message.contains("and 253 more"),
        "{failure}"
    );
}

/// Go's TestPathologicalChains (x509-limbo's copy): 100 CAs with one name and distinct keys,
/// no key identifiers to tell them apart: at most 100 signature checks, then the call gives
/// up.
#[test]
fn same_subject_distinct_key_chain_exhausts_the_signature_budget() {
    let case = support::testcase("pathological::pathological-chain-same-subject-distinct-key");
    let mut options = options();
    options.time = mtlskit::UnixTime::parse_rfc3339("2026-01-01T00:00:00Z").unwrap();
    let failure = verify(&support::input_of(&case), &options).unwrap_err();
    assert_eq!(failure.code, "BudgetExceeded", "{failure}");
}

/// 15 CAs that all cross-sign each other (210 certificates): the dead ends are explored within
/// one budget for the whole call, not one per path.
#[test]
fn cross_signed_mesh_exhausts_one_budget_per_call() {
    let input = support::cross_signed_mesh(15, &mut rng());
    let failure = verify(&input, &options()).unwrap_err();
    assert_eq!(failure.code, "BudgetExceeded", "{failure}");
}

/// 400 names against 800 subtrees is 320 400 comparisons, charged before any is made.
#[test]
fn name_constraint_comparisons_draw_from_the_budget() {
    let input = support::many_name_constraints(400, &mut rng());
    let failure = verify(&input, &options()).unwrap_err();
    assert_eq!(failure.code, "BudgetExceeded", "{failure}");

    let input = support::many_name_constraints(100, &mut rng());
    assert!(verify(&input, &options()).is_ok(), "80 800 comparisons fit");
}

/// A valid chain beside 255 unrelated intermediates: candidates are found through an index,
/// so the pool neither changes the verdict nor spends the budget.
#[test]
fn unrelated_pool_does_not_spend_the_budget() {
    let mut rng = rng();
    let anchor = root("Real Root", &mut rng);
    let issuing = support::intermediate("Real CA", &anchor, &mut rng);
    let leaf = server(&["real.example.com"], &issuing, &mut rng);
    let mut pool: Vec<Vec<u8>> = (0..255)
        .map(|index| {
            root(&format!("Unrelated {index}"), &mut rng)
                .certificate_der()
                .to_vec()
        })
        .collect();
    pool.push(issuing.certificate_der().to_vec());
    let verified = verify(&input(&leaf, pool, &anchor), &options()).unwrap();
    assert_eq!(verified.path.len(), 3);
}

/// RFC 9618's motivating input: CAs that each list `width` policies and map every one of them
/// to every policy of the next CA. The RFC 5280 tree would grow as width^depth; the graph
/// grows by width^2 edges per CA, and those draw from the call's budget: four such CAs of 40
/// policies exhaust it, two of 10 fit and report the valid policy set.
#[test]
fn policy_mapping_mesh_draws_from_the_budget() {
    let failure = verify(&support::policy_mesh(4, 40), &options()).unwrap_err();
    assert_eq!(failure.code, "BudgetExceeded", "{failure}");

    let verified = verify(&support::policy_mesh(2, 10), &options()).unwrap();
    assert_eq!(verified.path.len(), 4);
    assert_eq!(verified.policies.len(), 10, "{:?}", verified.policies);
}

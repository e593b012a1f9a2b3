//! Revocation with caller-supplied CRLs, made with `openssl ca -gencrl`: a revoked leaf fails
//! like `openssl verify -crl_check`, a revoked intermediate fails, a stale CRL is reported.
//!
//! Needs the `openssl` binary (Debian package `openssl`).

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failure here is a test failure"
)]

mod verify_support;

use verify_support::{Pki, ca_extensions, leaf_extensions, now};

fn chain(name: &str) -> Pki {
    let pki = Pki::new(name);
    pki.self_signed("root", "CRL Root", "ec", &ca_extensions(None));
    pki.issue(
        "intermediate",
        "CRL Intermediate",
        "root",
        "ec",
        &ca_extensions(None),
        3650,
    );
    let extensions = leaf_extensions("serverAuth", "DNS:crl.example.com");
    pki.issue(
        "leaf",
        "crl.example.com",
        "intermediate",
        "ec",
        &extensions,
        365,
    );
    pki.issue(
        "other",
        "other.example.com",
        "intermediate",
        "ec",
        &extensions,
        365,
    );
    pki
}

#[test]
fn revoked_leaf_fails_in_both() {
    let pki = chain("crl-leaf");
    pki.crl("intermediate", &["other"], 24);
    let check = pki
        .check("leaf", &["intermediate"], "root")
        .crl("intermediate");
    check.assert_same_verdict(true);
    let check = pki
        .check("other", &["intermediate"], "root")
        .crl("intermediate");
    assert_eq!(check.assert_same_verdict(false), "Revoked");
}

#[test]
fn revoked_intermediate_fails() {
    let pki = chain("crl-intermediate");
    pki.crl("root", &["intermediate"], 24);
    let check = pki
        .check("leaf", &["intermediate"], "root")
        .crl_mtlskit_only("root");
    let failure = check.mtlskit().expect_err("the intermediate is revoked");
    assert_eq!(failure.code, "Revoked");
    assert_eq!(failure.certificate.unwrap().subject, "CN=CRL Intermediate");
}

#[test]
fn stale_crl_is_reported() {
    let pki = chain("crl-stale");
    pki.crl("intermediate", &[], 1);
    let later = now() + 3 * 3600;
    let check = pki
        .check("leaf", &["intermediate"], "root")
        .crl("intermediate")
        .at(later);
    let code = check.assert_same_verdict(false);
    assert_eq!(code, "StaleCrl");
}

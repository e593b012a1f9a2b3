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

/// Issue 7 point 8: a stale CRL next to a current one for the same issuer. The current one
/// decides, as in `openssl verify -crl_check` given both.
#[test]
fn stale_crl_beside_a_current_one_like_openssl() {
    let pki = chain("crl-stale-and-current");
    pki.crl("intermediate", &[], 1);
    std::fs::rename(pki.path("intermediate.crl"), pki.path("stale.crl")).unwrap();
    pki.crl("intermediate", &["other"], 48);
    let later = now() + 3 * 3600;
    let check = pki
        .check("leaf", &["intermediate"], "root")
        .crl("stale")
        .crl("intermediate")
        .at(later);
    check.assert_same_verdict(true);
    let check = pki
        .check("other", &["intermediate"], "root")
        .crl("stale")
        .crl("intermediate")
        .at(later);
    assert_eq!(check.assert_same_verdict(false), "Revoked");
}

/// Issue 7 point 7, RFC 5280 6.3.3 (f): the CRL issuer's keyUsage must assert cRLSign only when
/// it is present. A CA without keyUsage signs usable CRLs; one whose keyUsage lacks cRLSign
/// does not. `openssl verify -crl_check` agrees on both.
#[test]
fn crl_issuer_key_usage_is_checked_only_when_present_like_openssl() {
    for (name, key_usage, valid) in [
        ("crl-no-key-usage", None, true),
        (
            "crl-no-crl-sign",
            Some("keyUsage = critical, keyCertSign"),
            false,
        ),
    ] {
        let pki = Pki::new(name);
        pki.self_signed("root", "CRL Root", "ec", &ca_extensions(None));
        let mut extensions: Vec<String> = ca_extensions(None)
            .into_iter()
            .filter(|line| !line.starts_with("keyUsage"))
            .collect();
        extensions.extend(key_usage.map(str::to_owned));
        pki.issue("intermediate", "CRL CA", "root", "ec", &extensions, 3650);
        let leaf = leaf_extensions("serverAuth", "DNS:crl.example.com");
        pki.issue("leaf", "crl.example.com", "intermediate", "ec", &leaf, 365);
        pki.issue(
            "other",
            "other.example.com",
            "intermediate",
            "ec",
            &leaf,
            365,
        );
        pki.crl("intermediate", &["other"], 24);
        let check = pki
            .check("leaf", &["intermediate"], "root")
            .crl("intermediate");
        let code = check.assert_same_verdict(valid);
        if !valid {
            assert_eq!(code, "InvalidCrl", "{name}");
        }
        if valid {
            let check = pki
                .check("other", &["intermediate"], "root")
                .crl("intermediate");
            assert_eq!(check.assert_same_verdict(false), "Revoked", "{name}");
        }
    }
}

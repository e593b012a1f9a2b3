//! Differential tests: chains made with the `openssl` command get the same verdict from
//! `mtlskit::verify` as from `openssl verify` (with `-untrusted`, `-purpose`,
//! `-verify_hostname`), except where a test documents why openssl is wrong.
//!
//! Needs the `openssl` binary (Debian package `openssl`).

mod verify_support;

use mtlskit::verify::{PeerName, Purpose};
use verify_support::{Pki, ca_extensions, leaf_extensions};

/// root -> intermediate -> leaf, EC P-256, leaf for `server.example.com` with serverAuth.
fn standard_chain(name: &str, key: &str) -> Pki {
    let pki = Pki::new(name);
    pki.self_signed("root", "Differential Root", key, &ca_extensions(None));
    pki.issue(
        "intermediate",
        "Differential Intermediate",
        "root",
        key,
        &ca_extensions(None),
        3650,
    );
    pki.issue(
        "leaf",
        "server.example.com",
        "intermediate",
        key,
        &leaf_extensions("serverAuth", "DNS:server.example.com"),
        365,
    );
    pki
}

#[test]
fn valid_ec_chain_verifies_in_both() {
    let pki = standard_chain("valid-ec", "ec");
    let check = pki.check("leaf", &["intermediate"], "root");
    let check = check.purpose(Purpose::Server).host("server.example.com");
    check.assert_same_verdict(true);
}

#[test]
fn valid_rsa_chain_verifies_in_both() {
    let pki = standard_chain("valid-rsa", "rsa");
    pki.check("leaf", &["intermediate"], "root")
        .purpose(Purpose::Server)
        .assert_same_verdict(true);
}

#[test]
fn expired_leaf_fails_in_both() {
    let pki = standard_chain("expired", "ec");
    let later = verify_support::now() + 400 * 86_400;
    let check = pki.check("leaf", &["intermediate"], "root").at(later);
    assert_eq!(check.assert_same_verdict(false), "Expired");
}

#[test]
fn wrong_extended_key_usage_fails_in_both() {
    let pki = standard_chain("wrong-eku", "ec");
    pki.issue(
        "client",
        "client.example.com",
        "intermediate",
        "ec",
        &leaf_extensions("clientAuth", "DNS:client.example.com"),
        365,
    );
    let check = pki.check("client", &["intermediate"], "root");
    assert_eq!(
        check.purpose(Purpose::Server).assert_same_verdict(false),
        "ExtendedKeyUsageMissing"
    );
    let check = pki.check("client", &["intermediate"], "root");
    check.purpose(Purpose::Client).assert_same_verdict(true);
}

#[test]
fn missing_intermediate_fails_in_both() {
    let pki = standard_chain("missing-intermediate", "ec");
    let code = pki.check("leaf", &[], "root").assert_same_verdict(false);
    assert_eq!(code, "UnknownIssuer");
}

#[test]
fn path_length_exceeded_fails_in_both() {
    let pki = Pki::new("pathlen");
    pki.self_signed("root", "Pathlen Root", "ec", &ca_extensions(None));
    pki.issue(
        "first",
        "Pathlen Zero CA",
        "root",
        "ec",
        &ca_extensions(Some(0)),
        3650,
    );
    pki.issue(
        "second",
        "Second CA",
        "first",
        "ec",
        &ca_extensions(None),
        3650,
    );
    let extensions = leaf_extensions("serverAuth", "DNS:deep.example.com");
    pki.issue("leaf", "deep.example.com", "second", "ec", &extensions, 365);
    let code = pki
        .check("leaf", &["first", "second"], "root")
        .assert_same_verdict(false);
    assert_eq!(code, "PathLengthExceeded");
}

#[test]
fn name_constraint_violation_fails_in_both() {
    let pki = Pki::new("name-constraints");
    pki.self_signed("root", "Constrained Root", "ec", &ca_extensions(None));
    let mut constrained = ca_extensions(None);
    constrained.push("nameConstraints = critical, permitted;DNS:example.com".to_owned());
    pki.issue(
        "intermediate",
        "Example Only CA",
        "root",
        "ec",
        &constrained,
        3650,
    );
    let good = leaf_extensions("serverAuth", "DNS:www.example.com");
    pki.issue("good", "www.example.com", "intermediate", "ec", &good, 365);
    let evil = leaf_extensions("serverAuth", "DNS:evil.test");
    pki.issue("evil", "evil.test", "intermediate", "ec", &evil, 365);
    pki.check("good", &["intermediate"], "root")
        .assert_same_verdict(true);
    let code = pki
        .check("evil", &["intermediate"], "root")
        .assert_same_verdict(false);
    assert_eq!(code, "NameConstraintViolation");
}

#[test]
fn wrong_host_fails_in_both() {
    let pki = standard_chain("wrong-host", "ec");
    let check = pki
        .check("leaf", &["intermediate"], "root")
        .host("other.example.com");
    assert_eq!(check.assert_same_verdict(false), "NameMismatch");
    let check = pki
        .check("leaf", &["intermediate"], "root")
        .host("SERVER.example.com");
    check.assert_same_verdict(true);
}

#[test]
fn wildcard_matches_one_label_in_both() {
    let pki = standard_chain("wildcard", "ec");
    let extensions = leaf_extensions("serverAuth", "DNS:*.apps.example.com");
    pki.issue(
        "wildcard",
        "apps.example.com",
        "intermediate",
        "ec",
        &extensions,
        365,
    );
    let check = pki.check("wildcard", &["intermediate"], "root");
    check.host("api.apps.example.com").assert_same_verdict(true);
    let check = pki.check("wildcard", &["intermediate"], "root");
    check
        .host("a.b.apps.example.com")
        .assert_same_verdict(false);
}

#[test]
fn ip_address_matches_exactly_in_both() {
    let pki = standard_chain("ip", "ec");
    let extensions = leaf_extensions("serverAuth", "IP:127.0.0.1");
    pki.issue("local", "127.0.0.1", "intermediate", "ec", &extensions, 365);
    let check = pki.check("local", &["intermediate"], "root");
    let check = check.peer(
        PeerName::Ip("127.0.0.1".parse().unwrap()),
        "-verify_ip",
        "127.0.0.1",
    );
    check.assert_same_verdict(true);
    let check = pki.check("local", &["intermediate"], "root");
    let check = check.peer(
        PeerName::Ip("127.0.0.2".parse().unwrap()),
        "-verify_ip",
        "127.0.0.2",
    );
    assert_eq!(check.assert_same_verdict(false), "NameMismatch");
}

/// `openssl x509 -req` without `-extfile` (the commands of field note 002) makes version 1
/// certificates. RFC 5280 6.1.4 (k) requires basicConstraints only in version 3 certificates,
/// so a version 1 intermediate is a CA for RFC 5280; OpenSSL 3.0 accepts version 1 CAs only
/// when self-signed and says "invalid CA certificate". mtlskit follows the RFC here (and the
/// Web PKI profile refuses version 1, as the Baseline Requirements do).
#[test]
fn version_1_intermediates_differ_from_openssl_by_design() {
    let pki = Pki::new("v1-intermediate");
    pki.self_signed("root", "V1 Root", "ec", &ca_extensions(None));
    pki.issue("intermediate", "V1 Intermediate", "root", "ec", &[], 3650);
    pki.issue("leaf", "v1.example.com", "intermediate", "ec", &[], 365);
    let check = pki.check("leaf", &["intermediate"], "root");
    assert!(
        !check.openssl(),
        "openssl 3.0 refuses version 1 intermediates"
    );
    assert!(check.mtlskit().is_ok(), "RFC 5280 accepts them");
    let webpki = check.profile_webpki();
    let failure = webpki
        .mtlskit()
        .expect_err("the Web PKI profile refuses them");
    assert_eq!(failure.code, "NonConforming");
}

/// Every signature algorithm mtlskit implements, on chains signed by openssl.
#[test]
fn signature_algorithms_verify_in_both() {
    for kind in ["p384", "rsa-pss", "ed25519"] {
        let pki = standard_chain(&format!("algorithm-{kind}"), kind);
        let check = pki.check("leaf", &["intermediate"], "root");
        check.purpose(Purpose::Server).assert_same_verdict(true);
    }
}

/// SHA-1 signatures are refused unless the caller allows them; openssl 3.0 at its default
/// security level accepts them, so this is a documented divergence (RFC 9155, BR 7.1.3.2).
#[test]
fn sha1_signatures_are_refused_unless_allowed() {
    let pki = Pki::new("sha1");
    pki.self_signed("root", "SHA-1 Root", "ec", &ca_extensions(None));
    std::fs::write(pki.path("root.kind"), "sha1").unwrap();
    let extensions = leaf_extensions("serverAuth", "DNS:old.example.com");
    pki.issue("leaf", "old.example.com", "root", "ec", &extensions, 365);
    let check = pki.check("leaf", &[], "root");
    let failure = check.mtlskit().expect_err("SHA-1 refused by default");
    assert_eq!(failure.code, "WeakSignatureAlgorithm");
    assert!(
        check.allow_sha1().mtlskit().is_ok(),
        "accepted when allowed"
    );
}

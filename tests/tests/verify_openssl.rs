//! Differential tests: chains made with the `openssl` command get the same verdict from
//! `mtlskit::verify` as from `openssl verify` (with `-untrusted`, `-purpose`,
//! `-verify_hostname`), except where a test documents why openssl is wrong.
//!
//! Needs the `openssl` binary (Debian package `openssl`).

mod verify_support;

use mtlskit::verify::{PeerName, Profile, Purpose};
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

/// Issue 7 point 4: a directoryName exclusion compares names the way chaining does (RFC 5280
/// section 7.1), so another case, other white space or another string type cannot dodge it;
/// `openssl verify` agrees.
#[test]
fn directory_name_exclusion_ignores_case_and_string_type() {
    let pki = Pki::new("dirname-exclusion");
    pki.self_signed("root", "DirName Root", "ec", &ca_extensions(None));
    let mut constrained = ca_extensions(None);
    constrained.extend([
        "nameConstraints = critical, excluded;dirName:evil".to_owned(),
        "[evil]".to_owned(),
        "O = Evil Corp".to_owned(),
    ]);
    pki.issue("ca", "DirName CA", "root", "ec", &constrained, 3650);
    let subjects = [
        ("same", "/O=Evil Corp/CN=same.example.com", false, false),
        ("upper", "/O=EVIL CORP/CN=upper.example.com", false, false),
        (
            "spaces",
            "/O=evil   corp/CN=spaces.example.com",
            false,
            false,
        ),
        (
            "printable",
            "/O=Evil Corp/CN=printable.example.com",
            true,
            false,
        ),
        ("other", "/O=Good Corp/CN=other.example.com", true, true),
    ];
    for (name, subject, printable, valid) in subjects {
        let host = format!("DNS:{name}.example.com");
        let extensions = leaf_extensions("serverAuth", &host);
        pki.issue_subject(name, subject, printable, "ca", &extensions);
        let code = pki.check(name, &["ca"], "root").assert_same_verdict(valid);
        if !valid {
            assert_eq!(code, "NameConstraintViolation", "{subject}");
        }
    }
}

/// Issue 7 point 1, made by hand as in the report: a root, a version 1 client certificate
/// `CN=alice` signed by it (`openssl x509 -req` without `-extfile`), and `CN=admin` signed with
/// alice's key. `openssl verify -untrusted alice.crt` refuses admin ("invalid CA certificate");
/// mtlskit must too, in every profile: a leaf never acts as a CA.
#[test]
fn version_1_leaf_never_acts_as_ca() {
    let pki = Pki::new("v1-leaf-as-ca");
    pki.self_signed("root", "Client Root", "ec", &ca_extensions(None));
    pki.issue("alice", "alice", "root", "ec", &[], 365);
    pki.issue("admin", "admin", "alice", "ec", &[], 365);
    for profile in [Profile::Compatible, Profile::Rfc5280, Profile::WebPki] {
        let check = pki
            .check("admin", &["alice"], "root")
            .purpose(Purpose::Client)
            .profile(profile);
        let failure = check.mtlskit().expect_err("alice is not a CA");
        assert!(!check.openssl(), "openssl refuses it too");
        if profile == Profile::WebPki {
            // BR 7.1.1 refuses the version 1 leaf itself before alice is looked at.
            assert_eq!(failure.code, "NonConforming", "{failure}");
            continue;
        }
        assert_eq!(failure.code, "NotCa", "{profile:?}: {failure}");
        let culprit = failure
            .certificate
            .as_ref()
            .expect("a certificate is named");
        assert_eq!(culprit.subject, "CN=alice", "{profile:?}: {failure}");
    }
    // alice herself is a valid client certificate of the root.
    pki.check("alice", &[], "root")
        .purpose(Purpose::Client)
        .assert_same_verdict(true);
}

/// `openssl x509 -req` without `-extfile` (the commands of field note 002) makes version 1
/// certificates; such a certificate cannot say that it is a CA, so it is never an
/// intermediate (OpenSSL 3.0: "invalid CA certificate").
#[test]
fn version_1_intermediates_are_refused_like_openssl() {
    let pki = Pki::new("v1-intermediate");
    pki.self_signed("root", "V1 Root", "ec", &ca_extensions(None));
    pki.issue("intermediate", "V1 Intermediate", "root", "ec", &[], 3650);
    pki.issue("leaf", "v1.example.com", "intermediate", "ec", &[], 365);
    let code = pki
        .check("leaf", &["intermediate"], "root")
        .assert_same_verdict(false);
    assert_eq!(code, "NotCa");
}

/// A version 1 self-signed root (field note 002's mTLS `ca.crt`) is a trust anchor the caller
/// names: it supplies a name and a key (RFC 5280 section 6.1.1 (d)). The Web PKI profile
/// refuses it (Baseline Requirements 7.1.1: version 3 only).
#[test]
fn version_1_root_is_a_trust_anchor() {
    let pki = Pki::new("v1-root");
    pki.self_signed("root", "V1 Root", "ec", &[]);
    let mut extensions = leaf_extensions("clientAuth", "DNS:client.example.com");
    // A version 1 root has no subjectKeyIdentifier to refer to.
    extensions.retain(|line| !line.starts_with("authorityKeyIdentifier"));
    pki.issue("leaf", "client.example.com", "root", "ec", &extensions, 365);
    pki.check("leaf", &[], "root")
        .purpose(Purpose::Client)
        .assert_same_verdict(true);
    // RFC 5280 still accepts the anchor; only the leaf, which cannot carry an
    // authorityKeyIdentifier for an issuer without a subjectKeyIdentifier, breaks 4.2.1.1.
    let failure = pki
        .check("leaf", &[], "root")
        .profile(Profile::Rfc5280)
        .mtlskit()
        .expect_err("RFC 5280 4.2.1.1");
    let culprit = failure
        .certificate
        .as_ref()
        .expect("a certificate is named");
    assert_eq!(culprit.index, 0, "{failure}");
    assert!(
        failure.message.contains("authorityKeyIdentifier"),
        "{failure}"
    );
    let failure = pki
        .check("leaf", &[], "root")
        .profile(Profile::WebPki)
        .mtlskit()
        .expect_err("BR 7.1.1");
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

/// Issue 7 point 8: RSA keys under 2048 bits (the 1024-bit keys of field note 002's mTLS
/// recipe) are refused in every profile unless the caller allows legacy keys; in the Web PKI
/// profile never.
#[test]
fn rsa_keys_under_2048_bits_need_legacy_keys_allowed() {
    let pki = Pki::new("rsa1024");
    pki.self_signed("root", "RSA Root", "rsa", &ca_extensions(None));
    let extensions = leaf_extensions("clientAuth", "DNS:client.example.com");
    pki.issue(
        "leaf",
        "client.example.com",
        "root",
        "rsa1024",
        &extensions,
        365,
    );
    pki.self_signed("weak-root", "Weak Root", "rsa1024", &ca_extensions(None));
    let extensions = leaf_extensions("clientAuth", "DNS:client2.example.com");
    pki.issue(
        "leaf2",
        "client2.example.com",
        "weak-root",
        "ec",
        &extensions,
        365,
    );
    for (leaf, root) in [("leaf", "root"), ("leaf2", "weak-root")] {
        for profile in [Profile::Compatible, Profile::Rfc5280, Profile::WebPki] {
            let check = pki
                .check(leaf, &[], root)
                .purpose(Purpose::Client)
                .profile(profile);
            let failure = check.mtlskit().expect_err("RSA-1024");
            assert_eq!(
                failure.code, "UnacceptableKey",
                "{leaf} {profile:?}: {failure}"
            );
            assert!(failure.message.contains("RSA-1024"), "{failure}");
            let legacy = check.allow_legacy_keys().mtlskit();
            assert_eq!(
                legacy.is_ok(),
                profile != Profile::WebPki,
                "{leaf} {profile:?}"
            );
        }
    }
}

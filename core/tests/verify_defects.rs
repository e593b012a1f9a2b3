//! Issue 7 point 8, the verifier's smaller defects, one test each: unparseable extended key
//! usages in a purpose, the commonName fallback under DNS name constraints, a self-signed leaf
//! that is also a trust anchor, and the explanation when same-named supplied certificates
//! cannot be used. (Stale CRLs: `verify_crl_rules.rs`; RSA key sizes: the `tests` crate, with
//! openssl-made keys.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failure here is a test failure"
)]

mod support;

use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::issue::{self, CertificateParams, NameConstraint, Profile, Subject};
use mtlskit::verify::{Input, Item, PeerName, Purpose, verify};
use support::{NOW, input, options, rng, root, root_with, server};

#[test]
fn unparseable_eku_oids_never_become_any() {
    let mut rng = rng();
    let anchor = root("EKU Root", &mut rng);
    let leaf = server(&["eku.example.com"], &anchor, &mut rng);
    let input = input(&leaf, Vec::new(), &anchor);
    for oids in [vec!["server-auth".to_owned()], Vec::new()] {
        let mut options = options();
        options.purpose = Purpose::ExtendedKeyUsages(oids.clone());
        let failure = verify(&input, &options).expect_err("no purpose widens to any");
        assert_eq!(failure.code, "InvalidOption", "{oids:?}: {failure}");
    }
    let mut options = options();
    options.purpose = Purpose::ExtendedKeyUsages(vec!["1.3.6.1.5.5.7.3.3".to_owned()]);
    let failure = verify(&input, &options).expect_err("codeSigning is not in the leaf");
    assert_eq!(failure.code, "ExtendedKeyUsageMissing");
}

/// A client certificate without subjectAltName whose commonName is `common_name`, issued by a
/// root that permits only `example.com`.
fn constrained_common_name(common_name: &str) -> Input {
    let mut rng = rng();
    let anchor = root_with("CN Root", &mut rng, |params| {
        params.permitted_names = vec![NameConstraint::Dns("example.com".to_owned())];
    });
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let params = CertificateParams {
        profile: Profile::Client,
        subject: Subject::common_name(common_name),
        ..CertificateParams::default()
    };
    let leaf = issue::signed(&params, key.public_key(), &anchor, NOW, &mut rng).unwrap();
    input(leaf.der(), Vec::new(), &anchor)
}

#[test]
fn common_name_fallback_honours_dns_name_constraints() {
    for (common_name, peer, allowed) in [
        ("www.example.com", "www.example.com", true),
        ("intranet", "intranet", false),
        ("evil.test", "evil.test", false),
        ("*.evil.test", "a.evil.test", false),
    ] {
        let input = constrained_common_name(common_name);
        let mut options = options();
        options.purpose = Purpose::Client;
        options.peer_name = Some(PeerName::Dns(peer.to_owned()));
        options.common_name_fallback = true;
        let result = verify(&input, &options);
        match allowed {
            true => assert!(result.is_ok(), "{common_name}: {:?}", result.err()),
            false => {
                let failure = result.expect_err(common_name);
                assert_eq!(failure.code, "NameConstraintViolation", "{failure}");
            }
        }
    }
}

#[test]
fn self_signed_leaf_also_passed_as_anchor_is_trusted() {
    let mut rng = rng();
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let params = CertificateParams {
        profile: Profile::Server,
        subject: Subject::common_name("pinned.example.com"),
        ..CertificateParams::default()
    };
    let leaf = issue::self_signed(&params, &key, NOW, &mut rng).unwrap();
    let pinned = Input {
        leaf: Some(Item::new(leaf.der().to_vec(), "pinned.crt")),
        intermediates: Vec::new(),
        anchors: vec![Item::new(leaf.der().to_vec(), "pinned.crt (trusted)")],
        crls: Vec::new(),
    };
    let mut options = options();
    options.peer_name = Some(PeerName::Dns("pinned.example.com".to_owned()));
    let verified = verify(&pinned, &options).expect("a pinned certificate is trusted");
    assert_eq!(verified.path.len(), 1);
    assert_eq!(verified.path[0].subject, "CN=pinned.example.com");

    // Trusted as it is, but still a server certificate only.
    options.purpose = Purpose::Client;
    let failure = verify(&pinned, &options).expect_err("serverAuth only");
    assert_eq!(failure.code, "ExtendedKeyUsageMissing");

    // Not among the anchors: not trusted.
    let other = root("Other Root", &mut rng);
    let untrusted = input(leaf.der(), Vec::new(), &other);
    let failure = verify(&untrusted, &support::options()).expect_err("not trusted");
    assert_eq!(failure.code, "UnknownIssuer");
}

/// The issuer's name is among the supplied certificates, but only with another key (a re-keyed
/// CA) or in a file that cannot be decoded: the explanation says so instead of "neither trusted
/// nor among the supplied certificates".
#[test]
fn unusable_same_named_issuers_are_explained() {
    let mut rng = rng();
    let anchor = root("Explained Root", &mut rng);
    let issuing = support::intermediate("Issuing CA", &anchor, &mut rng);
    let rekeyed = support::intermediate("Issuing CA", &anchor, &mut rng);
    let leaf = server(&["explained.example.com"], &issuing, &mut rng);

    let input = input(&leaf, vec![rekeyed.certificate_der().to_vec()], &anchor);
    let failure = verify(&input, &options()).expect_err("the re-keyed CA did not sign it");
    assert_eq!(failure.code, "UnknownIssuer");
    assert!(
        failure
            .message
            .contains("no usable certificate of its issuer 'CN=Issuing CA'")
            && failure.message.contains("intermediate 1 has another key")
            && !failure.message.contains("neither trusted nor among"),
        "{}",
        failure.message
    );
    assert!(
        failure.hint.contains("whose key signed leaf"),
        "{}",
        failure.hint
    );

    let mut truncated = issuing.certificate_der().to_vec();
    truncated.truncate(100);
    let input = support::input(&leaf, vec![truncated], &anchor);
    let failure = verify(&input, &options()).expect_err("undecodable");
    assert!(
        failure
            .message
            .contains("intermediate 1 could not be decoded"),
        "{}",
        failure.message
    );

    let input = support::input(&leaf, Vec::new(), &anchor);
    let failure = verify(&input, &options()).expect_err("missing");
    assert!(
        failure
            .message
            .contains("neither trusted nor among the supplied certificates"),
        "{}",
        failure.message
    );
}

//! Issue 7 point 7, rule areas of RFC 5280 and the Baseline Requirements, each as a whole:
//! which checks apply to trust anchors (6.1.1 (d), RFC 5937), authorityKeyIdentifier
//! requirements (4.2.1.1, BR 7.1.2), self-issued certificates in depth and path-length limits
//! (6.1.4 (l), (m), 4.2.1.9) and the subject commonName under the Web PKI profile
//! (BR 7.1.4.3). Certificates are built field by field, so that each quirk is the only one.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failure here is a test failure"
)]

mod support;

use mtlskit::crypto::SigningKey;
use mtlskit::verify::{Input, Item, Options, PeerName, Profile, verify};
use support::{CertSpec, ext, extension, key, rng};

const ROOT: &str = "CN=Conformance Root";

/// A CA certificate spec for `subject` issued by `issuer`, with the usual CA extensions.
fn ca(subject: &str, issuer: &str, key: &SigningKey, issuer_key: &SigningKey) -> CertSpec {
    CertSpec::new(subject, issuer)
        .with(ext::basic_constraints(true, None, true))
        .with(ext::ca_key_usage())
        .with(ext::subject_key_identifier(key))
        .with(ext::authority_key_identifier(issuer_key, false))
}

/// A server certificate spec for `host` issued by `issuer`.
fn leaf(host: &str, issuer: &str, key: &SigningKey, issuer_key: &SigningKey) -> CertSpec {
    CertSpec::new(&format!("CN={host}"), issuer)
        .with(ext::basic_constraints(false, None, true))
        .with(ext::leaf_key_usage())
        .with(ext::server_auth())
        .with(ext::dns_names(&[host]))
        .with(ext::subject_key_identifier(key))
        .with(ext::authority_key_identifier(issuer_key, false))
}

/// The verdict's code ("" when valid) for `leaf` through `intermediates` to `anchor`.
fn code(leaf: Vec<u8>, intermediates: &[Vec<u8>], anchor: Vec<u8>, options: &Options) -> String {
    let input = Input {
        leaf: Some(Item::new(leaf, "leaf")),
        intermediates: intermediates
            .iter()
            .map(|der| Item::new(der.clone(), "intermediate"))
            .collect(),
        anchors: vec![Item::new(anchor, "anchor")],
        crls: Vec::new(),
    };
    match verify(&input, options) {
        Ok(_) => String::new(),
        Err(failure) => format!("{}: {}", failure.code, failure.message),
    }
}

fn strict() -> Options {
    let mut options = support::options();
    options.profile = Profile::Rfc5280;
    options
}

/// RFC 5280 6.1.1 (d) and RFC 5937: an anchor supplies a name, a key and constraints. Its
/// encoding quirks carry no authority (its self-signature is never checked), so they are not
/// a reason to refuse a path; the same quirks in an intermediate still are.
#[test]
fn trust_anchor_quirks_are_not_checked() {
    let mut rng = rng();
    let (root_key, int_key, leaf_key) = (key(&mut rng), key(&mut rng), key(&mut rng));
    let plain = ca(ROOT, ROOT, &root_key, &root_key);
    let quirks: Vec<(&str, CertSpec)> = vec![
        (
            "negative serial",
            CertSpec {
                serial: vec![0xff, 0x01],
                ..plain.clone()
            },
        ),
        (
            "21-octet serial",
            CertSpec {
                serial: vec![0x7f; 21],
                ..plain.clone()
            },
        ),
        (
            "zero serial",
            CertSpec {
                serial: vec![0],
                ..plain.clone()
            },
        ),
        (
            "signature algorithms differ",
            CertSpec {
                outer_algorithm: Some(const_oid::ObjectIdentifier::new_unwrap(
                    "1.2.840.10045.4.3.3",
                )),
                ..plain.clone()
            },
        ),
        (
            "no keyUsage, no subjectKeyIdentifier, critical AKI",
            CertSpec::new(ROOT, ROOT)
                .with(ext::basic_constraints(true, None, true))
                .with(ext::authority_key_identifier(&root_key, true)),
        ),
        (
            "malformed subjectAltName",
            plain
                .clone()
                .with(extension("2.5.29.17", false, &[0x30, 0x03, 0x82, 0x01])),
        ),
    ];
    let intermediate = ca("CN=Conformance CA", ROOT, &int_key, &root_key);
    let leaf = leaf(
        "anchor.example.com",
        "CN=Conformance CA",
        &leaf_key,
        &int_key,
    )
    .sign(&leaf_key, &int_key);
    for (what, anchor) in quirks {
        let anchor_der = anchor.sign(&root_key, &root_key);
        let intermediate_der = intermediate.sign(&int_key, &root_key);
        let verdict = code(leaf.clone(), &[intermediate_der], anchor_der, &strict());
        assert_eq!(verdict, "", "anchor with {what}");
    }
    // The same quirk in an intermediate is refused.
    let negative = CertSpec {
        serial: vec![0xff, 0x01],
        ..intermediate.clone()
    };
    let anchor = plain.sign(&root_key, &root_key);
    let verdict = code(
        leaf.clone(),
        &[negative.sign(&int_key, &root_key)],
        anchor,
        &strict(),
    );
    assert!(
        verdict.starts_with("NonConforming") && verdict.contains("negative serial"),
        "{verdict}"
    );
}

/// What an anchor constrains is enforced: cA, keyCertSign, critical basicConstraints (strict),
/// unknown critical extensions, its name constraints and its validity.
#[test]
fn trust_anchor_constraints_are_enforced() {
    let mut rng = rng();
    let (root_key, leaf_key) = (key(&mut rng), key(&mut rng));
    let leaf = leaf("anchor.example.com", ROOT, &leaf_key, &root_key).sign(&leaf_key, &root_key);
    let base = || CertSpec::new(ROOT, ROOT).with(ext::subject_key_identifier(&root_key));
    let excluded = {
        use der::Encode;
        use x509_cert::ext::pkix::constraints::name::{GeneralSubtree, NameConstraints};
        use x509_cert::ext::pkix::name::GeneralName;
        let subtree = GeneralSubtree {
            base: GeneralName::DnsName(der::asn1::Ia5String::new("example.com").unwrap()),
            minimum: 0,
            maximum: None,
        };
        let value = NameConstraints {
            permitted_subtrees: None,
            excluded_subtrees: Some(vec![subtree]),
        };
        extension("2.5.29.30", true, &value.to_der().unwrap())
    };
    let cases = [
        (
            "cA FALSE",
            base().with(ext::basic_constraints(false, None, true)),
            "NotCa",
        ),
        ("no basicConstraints", base(), "NotCa"),
        (
            "keyUsage without keyCertSign",
            base()
                .with(ext::basic_constraints(true, None, true))
                .with(ext::leaf_key_usage()),
            "KeyUsageMissing",
        ),
        (
            "non-critical basicConstraints",
            base().with(ext::basic_constraints(true, None, false)),
            "NonConforming",
        ),
        (
            "unknown critical extension",
            base()
                .with(ext::basic_constraints(true, None, true))
                .with(extension("1.3.6.1.4.1.55738.666.1", true, &[0x05, 0x00])),
            "UnsupportedCriticalExtension",
        ),
        (
            "name constraints",
            base()
                .with(ext::basic_constraints(true, None, true))
                .with(excluded),
            "NameConstraintViolation",
        ),
        (
            "expired",
            CertSpec {
                not_after: mtlskit::UnixTime(support::NOW.0 - 60),
                ..base().with(ext::basic_constraints(true, None, true))
            },
            "Expired",
        ),
    ];
    for (what, anchor, expected) in cases {
        let verdict = code(
            leaf.clone(),
            &[],
            anchor.sign(&root_key, &root_key),
            &strict(),
        );
        assert!(verdict.starts_with(expected), "{what}: {verdict}");
    }
}

/// RFC 5280 4.2.1.1: every certificate but a self-signed one carries an authorityKeyIdentifier
/// keyIdentifier (strict profiles), non-critical. A self-issued certificate signed by another
/// key (key rollover) is not self-signed.
#[test]
fn authority_key_identifier_requirements() {
    let mut rng = rng();
    let (root_key, new_key, leaf_key) = (key(&mut rng), key(&mut rng), key(&mut rng));
    let anchor = ca(ROOT, ROOT, &root_key, &root_key).sign(&root_key, &root_key);
    let rollover = ca(ROOT, ROOT, &new_key, &root_key);
    let leaf_spec = leaf("aki.example.com", ROOT, &leaf_key, &new_key);
    let leaf_der = leaf_spec.sign(&leaf_key, &new_key);
    let rollover_der = rollover.sign(&new_key, &root_key);
    assert_eq!(
        code(leaf_der.clone(), &[rollover_der], anchor.clone(), &strict()),
        ""
    );

    let mut without = rollover.clone();
    without
        .extensions
        .retain(|e| e.extn_id.to_string() != "2.5.29.35");
    let verdict = code(
        leaf_der.clone(),
        &[without.sign(&new_key, &root_key)],
        anchor.clone(),
        &strict(),
    );
    assert!(
        verdict.contains("without authorityKeyIdentifier"),
        "rollover: {verdict}"
    );
    let compatible = support::options();
    let verdict = code(
        leaf_der.clone(),
        &[without.sign(&new_key, &root_key)],
        anchor.clone(),
        &compatible,
    );
    assert_eq!(verdict, "", "the compatible profile does not require it");

    let mut critical = rollover.clone();
    critical
        .extensions
        .retain(|e| e.extn_id.to_string() != "2.5.29.35");
    critical
        .extensions
        .push(ext::authority_key_identifier(&root_key, true));
    let verdict = code(
        leaf_der,
        &[critical.sign(&new_key, &root_key)],
        anchor,
        &strict(),
    );
    assert!(
        verdict.contains("key identifier extension marked critical"),
        "{verdict}"
    );
}

/// BR 7.1.2.11.1 and 7.1.2.1.3 under the Web PKI profile: no authorityCertIssuer or
/// authorityCertSerialNumber; a root's authorityKeyIdentifier, when present, is its own key
/// identifier.
#[test]
fn web_pki_authority_key_identifier_rules() {
    use der::Encode;
    use x509_cert::ext::pkix::AuthorityKeyIdentifier;
    let mut rng = rng();
    let (root_key, leaf_key) = (key(&mut rng), key(&mut rng));
    let mut options = support::options();
    options.profile = Profile::WebPki;
    options.peer_name = Some(PeerName::Dns("webpki.example.com".to_owned()));
    let anchor = ca(ROOT, ROOT, &root_key, &root_key).sign(&root_key, &root_key);
    let good = leaf("webpki.example.com", ROOT, &leaf_key, &root_key);
    assert_eq!(
        code(
            good.sign(&leaf_key, &root_key),
            &[],
            anchor.clone(),
            &options
        ),
        ""
    );

    let with_issuer = {
        let value = AuthorityKeyIdentifier {
            key_identifier: Some(
                der::asn1::OctetString::new(root_key.public_key().key_identifier()).unwrap(),
            ),
            authority_cert_issuer: Some(vec![
                x509_cert::ext::pkix::name::GeneralName::DirectoryName(ROOT.parse().unwrap()),
            ]),
            authority_cert_serial_number: Some(
                x509_cert::serial_number::SerialNumber::new(&[1]).unwrap(),
            ),
        };
        extension("2.5.29.35", false, &value.to_der().unwrap())
    };
    let mut leaf_spec = good.clone();
    leaf_spec
        .extensions
        .retain(|e| e.extn_id.to_string() != "2.5.29.35");
    leaf_spec.extensions.push(with_issuer);
    let verdict = code(leaf_spec.sign(&leaf_key, &root_key), &[], anchor, &options);
    assert!(verdict.contains("BR 7.1.2.11.1"), "{verdict}");

    let no_key_identifier = {
        let value = AuthorityKeyIdentifier {
            key_identifier: None,
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        extension("2.5.29.35", false, &value.to_der().unwrap())
    };
    let mut root = ca(ROOT, ROOT, &root_key, &root_key);
    root.extensions
        .retain(|e| e.extn_id.to_string() != "2.5.29.35");
    let bare_root = root.clone().with(no_key_identifier);
    let verdict = code(
        good.sign(&leaf_key, &root_key),
        &[],
        bare_root.sign(&root_key, &root_key),
        &options,
    );
    assert!(
        verdict.contains("root authorityKeyIdentifier without keyIdentifier"),
        "{verdict}"
    );
    let verdict = code(
        good.sign(&leaf_key, &root_key),
        &[],
        root.sign(&root_key, &root_key),
        &options,
    );
    assert_eq!(verdict, "", "a root may omit it");
}

/// RFC 5280 6.1.4 (l), (m) and 4.2.1.9: self-issued intermediates (a key rollover) do not count
/// against pathLenConstraint, nor against the caller's maximum depth; their own
/// pathLenConstraint applies.
#[test]
fn self_issued_certificates_in_depth_and_path_length() {
    let mut rng = rng();
    let keys: Vec<SigningKey> = (0..4).map(|_| key(&mut rng)).collect();
    let (root_key, new_key, int_key, leaf_key) = (&keys[0], &keys[1], &keys[2], &keys[3]);
    let root_zero =
        ca(ROOT, ROOT, root_key, root_key).with(ext::basic_constraints(true, Some(0), true));
    let mut root_zero = root_zero;
    root_zero.extensions.remove(0);
    let anchor = root_zero.sign(root_key, root_key);
    let rollover = ca(ROOT, ROOT, new_key, root_key).sign(new_key, root_key);
    let leaf_der = leaf("depth.example.com", ROOT, leaf_key, new_key).sign(leaf_key, new_key);
    let mut options = strict();
    assert_eq!(
        code(
            leaf_der.clone(),
            std::slice::from_ref(&rollover),
            anchor.clone(),
            &options
        ),
        ""
    );
    options.maximum_intermediates = 0;
    assert_eq!(
        code(
            leaf_der,
            std::slice::from_ref(&rollover),
            anchor.clone(),
            &options
        ),
        "",
        "depth"
    );

    let issuing = ca("CN=Issuing CA", ROOT, int_key, new_key).sign(int_key, new_key);
    let deep_leaf =
        leaf("deep.example.com", "CN=Issuing CA", leaf_key, int_key).sign(leaf_key, int_key);
    let verdict = code(
        deep_leaf.clone(),
        &[rollover, issuing.clone()],
        anchor.clone(),
        &strict(),
    );
    assert!(verdict.starts_with("PathLengthExceeded"), "{verdict}");

    let mut limited = ca(ROOT, ROOT, new_key, root_key);
    limited.extensions[0] = ext::basic_constraints(true, Some(0), true);
    let open_anchor = ca(ROOT, ROOT, root_key, root_key).sign(root_key, root_key);
    let verdict = code(
        deep_leaf,
        &[limited.sign(new_key, root_key), issuing],
        open_anchor,
        &strict(),
    );
    assert!(
        verdict.starts_with("PathLengthExceeded"),
        "the rollover's own pathlen: {verdict}"
    );
}

/// BR 7.1.4.3 under the Web PKI profile: one commonName, repeating a subjectAltName value.
#[test]
fn web_pki_common_name_repeats_a_subject_alt_name() {
    let mut rng = rng();
    let (root_key, leaf_key) = (key(&mut rng), key(&mut rng));
    let anchor = ca(ROOT, ROOT, &root_key, &root_key).sign(&root_key, &root_key);
    let mut options = support::options();
    options.profile = Profile::WebPki;
    let subscriber = |subject: &str, san: x509_cert::ext::Extension| {
        let mut spec = leaf("cn.example.com", ROOT, &leaf_key, &root_key);
        spec.subject = subject.to_owned();
        spec.extensions
            .retain(|e| e.extn_id.to_string() != "2.5.29.17");
        spec.extensions.push(san);
        spec.sign(&leaf_key, &root_key)
    };
    let ip = |address: [u8; 4]| {
        use der::Encode;
        let name = x509_cert::ext::pkix::name::GeneralName::IpAddress(
            der::asn1::OctetString::new(address.to_vec()).unwrap(),
        );
        extension("2.5.29.17", false, &vec![name].to_der().unwrap())
    };
    let cases = [
        (
            "CN=cn.example.com",
            ext::dns_names(&["cn.example.com"]),
            true,
        ),
        ("CN=example.com", ext::dns_names(&["*.example.com"]), true),
        (
            "CN=CN.Example.com",
            ext::dns_names(&["cn.example.com"]),
            false,
        ),
        (
            "CN=other.example.com",
            ext::dns_names(&["cn.example.com"]),
            false,
        ),
        (
            "CN=a.example.com,CN=b.example.com",
            ext::dns_names(&["a.example.com", "b.example.com"]),
            false,
        ),
        ("CN=192.0.2.1", ip([192, 0, 2, 1]), true),
        ("CN=192.0.2.01", ip([192, 0, 2, 1]), false),
        (
            "CN=bücher.example",
            ext::dns_names(&["xn--bcher-kva.example"]),
            false,
        ),
    ];
    for (subject, san, valid) in cases {
        let verdict = code(subscriber(subject, san), &[], anchor.clone(), &options);
        if valid {
            assert_eq!(verdict, "", "{subject}");
        } else {
            assert!(verdict.contains("BR 7.1.4.3"), "{subject}: {verdict}");
        }
    }
}

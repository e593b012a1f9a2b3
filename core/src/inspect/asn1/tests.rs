#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test code: a broken expectation should fail loudly"
)]

use super::*;

/// `openssl req -x509 -newkey ed25519 -subj "/CN=asn1.example/O=Tree" -days 36500
/// -addext "subjectAltName=DNS:asn1.example"`; offsets below are `openssl asn1parse`'s.
const CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----
MIIBfDCCAS6gAwIBAgIUOQddVB+MLj4lbgxcrJNOF4dQAiwwBQYDK2VwMCYxFTAT
BgNVBAMMDGFzbjEuZXhhbXBsZTENMAsGA1UECgwEVHJlZTAgFw0yNjEyMDEyMjI4
NDdaGA8yMTI2MTEwNzIyMjg0N1owJjEVMBMGA1UEAwwMYXNuMS5leGFtcGxlMQ0w
CwYDVQQKDARUcmVlMCowBQYDK2VwAyEAsEil2saWaJRktSXsHMGmBHt9EkleXea4
5+okMpAbhzyjbDBqMB0GA1UdDgQWBBTpNaWabKoR25U5TgExqBs3IE1uPDAfBgNV
HSMEGDAWgBTpNaWabKoR25U5TgExqBs3IE1uPDAPBgNVHRMBAf8EBTADAQH/MBcG
A1UdEQQQMA6CDGFzbjEuZXhhbXBsZTAFBgMrZXADQQBPqQreR2YaVzRvHZ/wnQzr
q7/Y6A8g89kgUloD9yoi/Ed5NHGRpMLDvmUwaN6RChLEW5qkKVcUKOtU1h7i338P
-----END CERTIFICATE-----
";

fn find<'a>(node: &'a Node, path: &[&str]) -> &'a Node {
    path.iter().fold(node, |node, field| {
        node.children
            .iter()
            .find(|child| child.field == Some(*field))
            .unwrap_or_else(|| panic!("no {field} under {:?}", node.field))
    })
}

#[test]
fn certificate_fields_carry_rfc_5280_names_and_openssl_offsets() {
    let tree = tree(CERTIFICATE.as_bytes()).unwrap();
    assert_eq!(tree.kind, "certificate");
    assert_eq!(tree.der_hex.len(), 384 * 2);
    assert!(!tree.truncated);
    let root = &tree.root;
    assert_eq!((root.offset, root.header_length, root.length), (0, 4, 380));
    assert_eq!(root.field, Some("Certificate"));
    let version = find(root, &["tbsCertificate", "version", "version"]);
    assert_eq!((version.offset, version.value.as_deref()), (10, Some("2")));
    let serial = find(root, &["tbsCertificate", "serialNumber"]);
    assert_eq!(serial.offset, 13);
    assert!(
        serial
            .value
            .as_deref()
            .unwrap()
            .starts_with("39075d541f8c2e3e")
    );
    let algorithm = find(root, &["tbsCertificate", "signature", "algorithm"]);
    assert_eq!(algorithm.value.as_deref(), Some("1.3.101.112 (ED25519)"));
    let not_after = find(root, &["tbsCertificate", "validity", "notAfter"]);
    assert_eq!(
        (
            not_after.offset,
            not_after.tag.as_str(),
            not_after.value.as_deref()
        ),
        (99, "GeneralizedTime", Some("21261107222847Z"))
    );
    let subject = find(root, &["tbsCertificate", "subject"]);
    assert_eq!(subject.offset, 116);
    let common_name = &subject.children[0].children[0];
    assert_eq!(common_name.field, Some("AttributeTypeAndValue"));
    assert_eq!(
        common_name.children[0].value.as_deref(),
        Some("2.5.4.3 (CN)")
    );
    assert_eq!(
        common_name.children[1].value.as_deref(),
        Some("asn1.example")
    );
}

#[test]
fn extension_values_are_decoded_inside_their_octet_strings() {
    let tree = tree(CERTIFICATE.as_bytes()).unwrap();
    let extensions = find(&tree.root, &["tbsCertificate", "extensions", "extensions"]);
    assert_eq!(extensions.children.len(), 4);
    let basic = &extensions.children[2];
    assert_eq!(
        basic.children[0].value.as_deref(),
        Some("2.5.29.19 (basicConstraints)")
    );
    assert_eq!(basic.children[1].field, Some("critical"));
    assert_eq!(basic.children[1].value.as_deref(), Some("true"));
    let value = &basic.children[2];
    assert_eq!(value.field, Some("extnValue"));
    assert!(value.encapsulated);
    assert_eq!(value.children[0].tag, "SEQUENCE");
    assert_eq!(value.children[0].children[0].value.as_deref(), Some("true"));
    let san = &extensions.children[3].children[1].children[0].children[0];
    assert_eq!(
        (san.tag.as_str(), san.value.as_deref()),
        ("[2]", Some("asn1.example"))
    );
}

#[test]
fn hostile_encodings_give_coded_errors() {
    let cases: [&[u8]; 5] = [
        &[0x30, 0x80, 0x00, 0x00],
        &[0x30, 0x85, 0xff, 0xff, 0xff, 0xff, 0xff],
        &[0x30, 0x03, 0x02, 0x01],
        &[0x30, 0x00, 0x00],
        &[0x30],
    ];
    for case in cases {
        let error = tree(case).unwrap_err();
        assert!(
            matches!(error.code(), "InvalidDer" | "UnrecognizedInput"),
            "{case:02x?}: {error:?}"
        );
    }
}

#[test]
fn deep_nesting_stops_at_the_depth_limit() {
    let mut der = vec![0x05, 0x00];
    for _ in 0..200 {
        let length = u16::try_from(der.len()).unwrap().to_be_bytes();
        let mut outer = vec![0x30, 0x82, length[0], length[1]];
        outer.extend_from_slice(&der);
        der = outer;
    }
    let tree = tree_of(&der, Kind::Pkcs7, schema::UNNAMED_FOR_TESTS).unwrap();
    let mut depth = 0;
    let mut node = &tree.root;
    while let Some(child) = node.children.first() {
        node = child;
        depth += 1;
    }
    assert_eq!(depth, MAXIMUM_DEPTH);
    assert!(node.value.as_deref().unwrap().ends_with("bytes)"));
}

#[test]
fn private_keys_are_not_shown() {
    let key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIBd8sSGHxBFx6c1AVkJ+YXdzb2F3bZ3mFGYpK8m0oSAh\n-----END PRIVATE KEY-----\n";
    assert_eq!(
        tree(key.as_bytes()).unwrap_err().code(),
        "UnrecognizedInput"
    );
}

//! Signing a CSR signs what was asked (issue 7, point 5), in the core. The same rules against
//! `openssl req` output are in `native-proxy/tests/csr_sign_openssl.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

use mtlskit::UnixTime;
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::issue::{
    self, CertificateParams, Issuer, Profile, RequestParams, Subject, SubjectAltName,
};
use mtlskit::x509::{encode_sequence, raw_issuer_and_subject, sequence_elements};
use rand::SeedableRng;
use rand::rngs::StdRng;
use x509_cert::der::{Decode, Encode};

const NOW: UnixTime = UnixTime(1_790_000_000);

fn root(rng: &mut StdRng) -> Issuer {
    let key = SigningKey::generate(KeyType::P256, rng).unwrap();
    let params = CertificateParams {
        profile: Profile::Root,
        subject: Subject::common_name("CSR Test Root"),
        ..CertificateParams::default()
    };
    let certificate = issue::self_signed(&params, &key, NOW, rng).unwrap();
    Issuer::new(certificate.der(), key).unwrap()
}

fn request(key: &SigningKey, names: &[&str]) -> Vec<u8> {
    let params = RequestParams {
        subject: Subject::common_name("csr.example"),
        subject_alt_names: names.iter().map(|name| name.parse().unwrap()).collect(),
    };
    issue::create_request(&params, key).unwrap().der().to_vec()
}

/// Replaces the CertificationRequestInfo of `request_der` with `info` and signs it with `key`.
fn resigned(request_der: &[u8], info: &[u8], key: &SigningKey) -> Vec<u8> {
    let elements = sequence_elements(request_der).unwrap();
    let signature = [&[0][..], &key.sign(info).unwrap()].concat();
    encode_sequence(&[info, elements[1], &tlv(0x03, &signature)]).unwrap()
}

/// One DER element: tag, definite length, contents.
fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let length = contents.len();
    let mut der = vec![tag];
    match u8::try_from(length) {
        Ok(short) if short < 0x80 => der.push(short),
        Ok(long) => der.extend([0x81, long]),
        Err(_) => der.extend([0x82, (length >> 8) as u8, length as u8]),
    }
    der.extend(contents);
    der
}

#[test]
fn csr_signature_is_checked_over_the_bytes_received() {
    let mut rng = StdRng::seed_from_u64(7);
    let issuer = root(&mut rng);
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let original = request(&key, &["csr.example"]);
    let params = CertificateParams::default();

    // Attributes in the order the requester signed them, which is not DER's SET order: the
    // decoder sorts them, so a re-encoding differs from what was signed. Both orders verify
    // (as with `openssl req -verify`), because the signature is checked over the bytes sent.
    let info = sequence_elements(&original).unwrap()[0];
    let fields = sequence_elements(info).unwrap();
    let extension_request =
        sequence_elements(&[&[0x30], &fields[3][1..]].concat()).unwrap()[0].to_vec();
    let challenge_password = encode_sequence(&[
        &tlv(
            0x06,
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x07],
        ),
        &tlv(0x31, &tlv(0x0c, b"pw")),
    ])
    .unwrap();
    let mut re_encodings_differ = false;
    for order in [
        [extension_request.as_slice(), &challenge_password],
        [challenge_password.as_slice(), &extension_request],
    ] {
        let attributes = tlv(0xa0, &order.concat());
        let info = encode_sequence(&[fields[0], fields[1], fields[2], &attributes]).unwrap();
        let csr = resigned(&original, &info, &key);
        let decoded = x509_cert::request::CertReq::from_der(&csr).unwrap();
        re_encodings_differ |= decoded.info.to_der().unwrap() != info;
        issue::sign_request(&csr, &params, &issuer, NOW, &mut rng).unwrap();
    }
    assert!(
        re_encodings_differ,
        "one order is not DER's, so re-encoding changes it"
    );

    // One byte of the CN changed after signing: refused.
    let mut tampered = original.clone();
    let position = original
        .windows(11)
        .position(|window| window == b"csr.example")
        .unwrap();
    tampered[position] = b'x';
    let error = issue::sign_request(&tampered, &params, &issuer, NOW, &mut rng).unwrap_err();
    assert_eq!(error.code(), "InvalidCsrSignature");

    // Signed by another key than the one it carries: refused.
    let other = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let foreign = resigned(&original, info, &other);
    let error = issue::sign_request(&foreign, &params, &issuer, NOW, &mut rng).unwrap_err();
    assert_eq!(error.code(), "InvalidCsrSignature");
}

#[test]
fn csr_subject_with_repeated_attribute_types_is_copied_byte_for_byte() {
    let mut rng = StdRng::seed_from_u64(8);
    let issuer = root(&mut rng);
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let original = request(&key, &["csr.example"]);
    let elements = sequence_elements(&original).unwrap();
    let mut info_fields = sequence_elements(elements[0]).unwrap();
    // DC=com, DC=example, OU=b (PrintableString), OU=a (UTF8String), CN=csr.example
    let subject = encode_sequence(&[
        &rdn(
            &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19],
            0x16,
            b"com",
        ),
        &rdn(
            &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19],
            0x16,
            b"example",
        ),
        &rdn(&[0x55, 0x04, 0x0b], 0x13, b"b"),
        &rdn(&[0x55, 0x04, 0x0b], 0x0c, b"a"),
        &rdn(&[0x55, 0x04, 0x03], 0x0c, b"csr.example"),
    ])
    .unwrap();
    info_fields[1] = &subject;
    let info = encode_sequence(&info_fields).unwrap();
    let csr = resigned(&original, &info, &key);

    let prepared = issue::prepare_request(&csr, &CertificateParams::default()).unwrap();
    assert_eq!(
        prepared.subject,
        "CN=csr.example,OU=a,OU=b,DC=example,DC=com"
    );
    assert_eq!(
        prepared.subject_alt_names,
        [SubjectAltName::Dns("csr.example".into())]
    );
    let certificate = prepared.sign(&issuer, NOW, &mut rng).unwrap();
    let (issuer_name, subject_name) = raw_issuer_and_subject(certificate.der()).unwrap();
    assert_eq!(subject_name, subject.as_slice());
    let (_, root_subject) = raw_issuer_and_subject(issuer.certificate_der()).unwrap();
    assert_eq!(issuer_name, root_subject);

    // That certificate as a CA's: the names of what it issues repeat its subject exactly.
    let ca_params = CertificateParams {
        profile: Profile::Intermediate,
        ..CertificateParams::default()
    };
    let ca_key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let ca_csr = resigned(
        &request(&ca_key, &[]),
        &replace_subject(&ca_key, &subject),
        &ca_key,
    );
    let ca = issue::sign_request(&ca_csr, &ca_params, &issuer, NOW, &mut rng).unwrap();
    let ca = Issuer::new(ca.der(), ca_key).unwrap();
    let leaf_key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let leaf = issue::signed(
        &CertificateParams {
            subject_alt_names: vec!["leaf.example".parse().unwrap()],
            ..CertificateParams::default()
        },
        leaf_key.public_key(),
        &ca,
        NOW,
        &mut rng,
    )
    .unwrap();
    assert_eq!(
        raw_issuer_and_subject(leaf.der()).unwrap().0,
        subject.as_slice()
    );
}

fn replace_subject(key: &SigningKey, subject: &[u8]) -> Vec<u8> {
    let original = request(key, &[]);
    let elements = sequence_elements(&original).unwrap();
    let mut info_fields = sequence_elements(elements[0]).unwrap();
    info_fields[1] = subject;
    encode_sequence(&info_fields).unwrap()
}

/// `SET { SEQUENCE { OID, string } }` with the given OID body and string tag.
fn rdn(oid: &[u8], tag: u8, value: &[u8]) -> Vec<u8> {
    tlv(
        0x31,
        &encode_sequence(&[&tlv(0x06, oid), &tlv(tag, value)]).unwrap(),
    )
}

#[test]
fn csr_names_go_through_the_profile_rules() {
    let mut rng = StdRng::seed_from_u64(9);
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let client = CertificateParams {
        profile: Profile::Client,
        ..CertificateParams::default()
    };
    let wildcard = request(&key, &["*.example.com"]);
    let error = issue::prepare_request(&wildcard, &client).unwrap_err();
    assert_eq!(error.code(), "InvalidSubjectAltName", "{error}");
    let server = issue::prepare_request(&wildcard, &CertificateParams::default()).unwrap();
    assert_eq!(
        server.subject_alt_names,
        [SubjectAltName::Dns("*.example.com".into())]
    );
}

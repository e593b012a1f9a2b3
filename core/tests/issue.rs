//! Issuance in the core, without any external program: keys, profiles, CSRs, chains and
//! PKCS#12, with a seeded RNG and a fixed time so results are reproducible.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

use mtlskit::UnixTime;
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::issue::{
    self, CertificateParams, Issuer, Profile, RequestParams, Subject, SubjectAltName, Validity,
    bundle, pki,
};
use mtlskit::pkcs12::{self, ExportParams};
use mtlskit::secret::Password;
use rand::SeedableRng;
use rand::rngs::StdRng;
use x509_cert::der::Decode;

const NOW: UnixTime = UnixTime(1_790_000_000);

fn rng() -> StdRng {
    StdRng::seed_from_u64(42)
}

fn key_types() -> [KeyType; 4] {
    [
        KeyType::P256,
        KeyType::P384,
        KeyType::Ed25519,
        KeyType::Rsa { bits: 2048 },
    ]
}

fn root(key_type: KeyType, rng: &mut StdRng) -> Issuer {
    let key = SigningKey::generate(key_type, rng).unwrap();
    let params = CertificateParams {
        profile: Profile::Root,
        subject: Subject::common_name("Test Root"),
        ..CertificateParams::default()
    };
    let certificate = issue::self_signed(&params, &key, NOW, rng).unwrap();
    Issuer::new(certificate.der(), key).unwrap()
}

fn parse(der: &[u8]) -> x509_cert::Certificate {
    x509_cert::Certificate::from_der(der).unwrap()
}

#[test]
fn keys_round_trip_through_pkcs8_and_encrypted_pkcs8() {
    let mut rng = rng();
    for key_type in key_types() {
        let key = SigningKey::generate(key_type, &mut rng).unwrap();
        assert_eq!(key.key_type(), key_type);
        let pem = key.to_pkcs8_pem().unwrap();
        let loaded = SigningKey::from_bytes(pem.as_bytes(), None).unwrap();
        assert_eq!(loaded.public_key(), key.public_key());
        let der = SigningKey::from_bytes(&key.to_pkcs8_der().unwrap(), None).unwrap();
        assert_eq!(der.public_key(), key.public_key());

        let encrypted = key
            .to_encrypted_pkcs8_pem(&Password::from("pw"), &mut rng)
            .unwrap();
        assert!(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        let opened = SigningKey::from_bytes(encrypted.as_bytes(), Some("pw")).unwrap();
        assert_eq!(opened.public_key(), key.public_key());
        assert_eq!(
            SigningKey::from_bytes(encrypted.as_bytes(), Some("no"))
                .unwrap_err()
                .code(),
            "WrongPassword"
        );
        assert_eq!(
            SigningKey::from_bytes(encrypted.as_bytes(), None)
                .unwrap_err()
                .code(),
            "PasswordRequired"
        );

        let signature = key.sign(b"message").unwrap();
        let public_key = key.public_key();
        assert!(
            public_key
                .verify(key.signature_algorithm(), b"message", &signature)
                .unwrap()
        );
        assert!(
            !public_key
                .verify(key.signature_algorithm(), b"massage", &signature)
                .unwrap()
        );
    }
    assert_eq!(
        SigningKey::generate(KeyType::Rsa { bits: 1024 }, &mut rng)
            .unwrap_err()
            .code(),
        "UnknownKeyType"
    );
    assert_eq!(
        SigningKey::from_bytes(b"not a key", None)
            .unwrap_err()
            .code(),
        "UnrecognizedInput"
    );
}

#[test]
fn profiles_set_constraints_usages_serials_and_key_identifiers() {
    let mut rng = rng();
    let root = root(KeyType::P384, &mut rng);
    let root_certificate = parse(root.certificate_der());
    let tbs = root_certificate.tbs_certificate();
    assert_eq!(
        root_certificate.signature_algorithm().oid.to_string(),
        "1.2.840.10045.4.3.3",
        "SHA-384 for P-384"
    );
    let serial = tbs.serial_number().as_bytes();
    assert_eq!(serial.len(), 20);
    assert!(
        serial[0] & 0x80 == 0 && serial[0] != 0,
        "positive, fixed length"
    );
    let (not_before, not_after) = (
        tbs.validity().not_before.to_unix_duration().as_secs(),
        tbs.validity().not_after.to_unix_duration().as_secs(),
    );
    assert_eq!(not_before as i64, NOW.0 - 300);
    assert_eq!((not_after - not_before) / 86_400, 3650);

    let leaf_key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let params = CertificateParams {
        profile: Profile::Server,
        subject: Subject::common_name("10.0.0.1"),
        validity: Validity {
            days: Some(30),
            ..Validity::default()
        },
        ..CertificateParams::default()
    };
    let leaf = issue::signed(&params, leaf_key.public_key(), &root, NOW, &mut rng).unwrap();
    let leaf = parse(leaf.der());
    let tbs = leaf.tbs_certificate();
    assert_eq!(tbs.issuer(), root_certificate.tbs_certificate().subject());
    let san = tbs
        .get_extension::<x509_cert::ext::pkix::SubjectAltName>()
        .unwrap()
        .unwrap()
        .1;
    assert_eq!(san.0.len(), 1, "CN-only server gets its CN as an IP SAN");
    let aki = tbs
        .get_extension::<x509_cert::ext::pkix::AuthorityKeyIdentifier>()
        .unwrap()
        .unwrap()
        .1;
    let root_ski = root_certificate
        .tbs_certificate()
        .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
        .unwrap()
        .unwrap()
        .1;
    assert_eq!(aki.key_identifier.unwrap(), root_ski.0);
    let usage = tbs
        .get_extension::<x509_cert::ext::pkix::KeyUsage>()
        .unwrap()
        .unwrap()
        .1;
    assert!(usage.digital_signature() && !usage.key_encipherment());
}

#[test]
fn refuses_bad_requests() {
    let mut rng = rng();
    let root = root(KeyType::P256, &mut rng);
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let server_without_name = CertificateParams {
        profile: Profile::Server,
        ..CertificateParams::default()
    };
    assert_eq!(
        issue::signed(&server_without_name, key.public_key(), &root, NOW, &mut rng)
            .unwrap_err()
            .code(),
        "InvalidProfile"
    );
    let inverted = CertificateParams {
        profile: Profile::Client,
        validity: Validity {
            not_before: Some(NOW),
            not_after: Some(UnixTime(NOW.0 - 1)),
            days: None,
        },
        ..CertificateParams::default()
    };
    assert_eq!(
        issue::signed(&inverted, key.public_key(), &root, NOW, &mut rng)
            .unwrap_err()
            .code(),
        "InvalidValidity"
    );
    let bad_country = CertificateParams {
        profile: Profile::Client,
        subject: Subject {
            country: Some("Germany".into()),
            ..Subject::default()
        },
        ..CertificateParams::default()
    };
    assert_eq!(
        issue::signed(&bad_country, key.public_key(), &root, NOW, &mut rng)
            .unwrap_err()
            .code(),
        "InvalidSubject"
    );
    let leaf_with_path = CertificateParams {
        profile: Profile::Client,
        path_length: Some(1),
        ..CertificateParams::default()
    };
    assert_eq!(
        issue::signed(&leaf_with_path, key.public_key(), &root, NOW, &mut rng)
            .unwrap_err()
            .code(),
        "InvalidProfile"
    );

    let other = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    assert_eq!(
        Issuer::new(root.certificate_der(), other)
            .unwrap_err()
            .code(),
        "CaKeyMismatch"
    );

    let intermediate_key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let intermediate_params = CertificateParams {
        profile: Profile::Intermediate,
        path_length: Some(0),
        ..CertificateParams::default()
    };
    let intermediate = issue::signed(
        &intermediate_params,
        intermediate_key.public_key(),
        &root,
        NOW,
        &mut rng,
    )
    .unwrap();
    let intermediate = Issuer::new(intermediate.der(), intermediate_key).unwrap();
    let sub_ca = CertificateParams {
        profile: Profile::Intermediate,
        ..CertificateParams::default()
    };
    assert_eq!(
        issue::signed(&sub_ca, key.public_key(), &intermediate, NOW, &mut rng)
            .unwrap_err()
            .code(),
        "InvalidProfile"
    );
}

#[test]
fn csrs_are_created_verified_and_signed_with_their_names() {
    let mut rng = rng();
    let root = root(KeyType::Rsa { bits: 2048 }, &mut rng);
    for key_type in key_types() {
        let key = SigningKey::generate(key_type, &mut rng).unwrap();
        let request = RequestParams {
            subject: Subject::common_name("svc"),
            subject_alt_names: vec![
                "svc.example".parse().unwrap(),
                "spiffe://example.org/svc".parse().unwrap(),
            ],
        };
        let csr = issue::create_request(&request, &key).unwrap();
        let params = CertificateParams {
            profile: Profile::ServerClient,
            ..CertificateParams::default()
        };
        let certificate = issue::sign_request(csr.der(), &params, &root, NOW, &mut rng).unwrap();
        let certificate = parse(certificate.der());
        let san = certificate
            .tbs_certificate()
            .get_extension::<x509_cert::ext::pkix::SubjectAltName>()
            .unwrap()
            .unwrap()
            .1;
        assert_eq!(san.0.len(), 2, "{key_type}");
        assert_eq!(
            certificate.signature_algorithm().oid.to_string(),
            "1.2.840.113549.1.1.11",
            "RSA issuer signs SHA-256"
        );

        let mut tampered = csr.der().to_vec();
        let position = tampered
            .windows(3)
            .position(|window| window == b"svc")
            .unwrap();
        tampered[position] = b'x';
        assert_eq!(
            issue::sign_request(&tampered, &params, &root, NOW, &mut rng)
                .unwrap_err()
                .code(),
            "InvalidCsrSignature"
        );
    }
}

#[test]
fn pkcs12_written_here_reads_back_to_the_same_key_and_certificates() {
    let mut rng = rng();
    for key_type in key_types() {
        let params = pki::PkiParams {
            key_type,
            clients: vec!["alice@example.com".into()],
            ..pki::PkiParams::default()
        };
        let created = pki::init(&params, NOW, &mut rng).unwrap();
        let key = SigningKey::from_bytes(
            &created.file("alice@example.com.key").unwrap().contents,
            None,
        )
        .unwrap();
        let certificate = bundle::order(
            &[pem_der(
                &created.file("alice@example.com.crt").unwrap().contents,
            )],
            false,
        )
        .unwrap();
        let chain = vec![pem_der(&created.file("intermediate.crt").unwrap().contents)];
        for legacy in [false, true] {
            let export = ExportParams {
                password: "pw".into(),
                friendly_name: Some("alice".into()),
                legacy,
                iterations: 10_000,
            };
            let p12 = pkcs12::write(
                &key,
                &certificate.certificates[0],
                &chain,
                &export,
                &mut rng,
            )
            .unwrap();
            let contents = pkcs12::read(&p12, &Password::from("pw")).unwrap();
            assert_eq!(contents.keys.len(), 1);
            let back = SigningKey::from_bytes(&contents.keys[0].der, None).unwrap();
            assert_eq!(
                back.public_key(),
                key.public_key(),
                "{key_type} legacy={legacy}"
            );
            assert_eq!(contents.certificates.len(), 2);
            assert!(
                contents
                    .certificates
                    .iter()
                    .any(|item| item.der == certificate.certificates[0])
            );
            assert_eq!(
                pkcs12::read(&p12, &Password::from("wrong"))
                    .unwrap_err()
                    .code(),
                "WrongPassword"
            );
        }
    }
}

#[test]
fn bundle_orders_and_reports_the_missing_issuer() {
    let mut rng = rng();
    let created = pki::init(&pki::PkiParams::default(), NOW, &mut rng).unwrap();
    let der = |name: &str| pem_der(&created.file(name).unwrap().contents);
    let (root, intermediate, server) = (der("ca.crt"), der("intermediate.crt"), der("server.crt"));
    let chain =
        bundle::order(&[root.clone(), server.clone(), intermediate.clone()], false).unwrap();
    assert_eq!(chain.certificates, [server.clone(), intermediate.clone()]);
    assert!(chain.ends_at_root);
    let chain = bundle::order(&[intermediate.clone(), root.clone(), server.clone()], true).unwrap();
    assert_eq!(
        chain.certificates,
        [server.clone(), intermediate.clone(), root.clone()]
    );
    let error = bundle::order(&[server.clone(), root], false).unwrap_err();
    assert_eq!(error.code(), "UnknownIssuer");
    assert!(error.to_string().contains("Intermediate CA"), "{error}");
    let chain = bundle::order(std::slice::from_ref(&server), false).unwrap();
    assert_eq!(chain.certificates, [server]);
}

#[test]
fn subject_alt_names_and_same_seed_same_output() {
    assert!("exa mple".parse::<SubjectAltName>().is_err());
    let first = pki::init(&pki::PkiParams::default(), NOW, &mut rng()).unwrap();
    let second = pki::init(&pki::PkiParams::default(), NOW, &mut rng()).unwrap();
    assert_eq!(
        first, second,
        "time and randomness are arguments: same inputs, same PKI"
    );
}

fn pem_der(pem: &[u8]) -> Vec<u8> {
    let blocks = mtlskit::decode::blocks(pem).unwrap();
    blocks.into_iter().next().unwrap().unwrap().der
}

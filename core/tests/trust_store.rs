//! `TrustStore`: construction (errors name the item, duplicates kept once, subjects for the TLS
//! CertificateRequest), verification of borrowed DER with the verified identity, and the same
//! verdicts as `verify::verify` with the same certificates. The 10,000-chain test against the
//! system bundle is `tests/tests/trust_store.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test set-up: a failure is a failed test"
)]

use core::net::IpAddr;

use der::{Decode, Encode};
use mtlskit::UnixTime;
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::issue::{self, CertificateParams, Issuer, Profile, Subject, SubjectAltName};
use mtlskit::verify::{Input, Item, Options, Purpose, TrustStore, verify};
use rand::SeedableRng;
use rand::rngs::StdRng;

const NOW: UnixTime = UnixTime(1_800_000_000);

struct Chain {
    root: Vec<u8>,
    intermediate: Vec<u8>,
    leaf: Vec<u8>,
}

fn params(profile: Profile, common_name: &str, names: Vec<SubjectAltName>) -> CertificateParams {
    CertificateParams {
        profile,
        subject: Subject {
            country: Some("DE".to_owned()),
            organization: Some("Store".to_owned()),
            common_name: Some(common_name.to_owned()),
            ..Subject::default()
        },
        subject_alt_names: names,
        ..CertificateParams::default()
    }
}

fn chain(seed: u64, names: Vec<SubjectAltName>) -> Chain {
    let mut rng = StdRng::seed_from_u64(seed);
    let root_key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let root_params = params(Profile::Root, &format!("Root {seed}"), Vec::new());
    let root = issue::self_signed(&root_params, &root_key, NOW, &mut rng).unwrap();
    let root_issuer = Issuer::new(root.der(), root_key).unwrap();
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let intermediate_params = params(Profile::Intermediate, "Intermediate", Vec::new());
    let intermediate = issue::signed(
        &intermediate_params,
        key.public_key(),
        &root_issuer,
        NOW,
        &mut rng,
    )
    .unwrap();
    let intermediate_issuer = Issuer::new(intermediate.der(), key).unwrap();
    let leaf_key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let leaf_params = params(Profile::Client, "alice", names);
    let leaf = issue::signed(
        &leaf_params,
        leaf_key.public_key(),
        &intermediate_issuer,
        NOW,
        &mut rng,
    )
    .unwrap();
    Chain {
        root: root.der().to_vec(),
        intermediate: intermediate.der().to_vec(),
        leaf: leaf.der().to_vec(),
    }
}

fn client_options() -> Options {
    let mut options = Options::at(NOW);
    options.purpose = Purpose::Client;
    options
}

#[test]
fn identity_carries_subject_every_san_key_hash_serial_and_expiry() {
    let names = vec![
        SubjectAltName::Uri("spiffe://example.org/ns/prod/sa/alice".to_owned()),
        SubjectAltName::Dns("alice.example.org".to_owned()),
        SubjectAltName::Ip("192.0.2.7".parse().unwrap()),
        SubjectAltName::Email("alice@example.org".to_owned()),
    ];
    let chain = chain(1, names);
    let store = TrustStore::new(&[Item::new(chain.root.clone(), "root.crt")], &[]).unwrap();
    let verified = store
        .verify(&chain.leaf, &[&chain.intermediate], &client_options())
        .unwrap();
    let identity = &verified.identity;
    assert_eq!(
        identity.spiffe_id(),
        Some("spiffe://example.org/ns/prod/sa/alice")
    );
    assert_eq!(identity.dns_names, ["alice.example.org"]);
    assert_eq!(
        identity.ip_addresses,
        ["192.0.2.7".parse::<IpAddr>().unwrap()]
    );
    assert_eq!(identity.emails, ["alice@example.org"]);
    assert_eq!(identity.subject_attribute("CN"), Some("alice"));
    assert_eq!(identity.subject_attribute("O"), Some("Store"));
    assert_eq!(identity.subject_attribute("2.5.4.6"), Some("DE"));
    let certificate = x509_cert::Certificate::from_der(&chain.leaf).unwrap();
    let tbs = certificate.tbs_certificate();
    let spki = tbs.subject_public_key_info().to_der().unwrap();
    let expected: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(&spki).into();
    assert_eq!(identity.spki_sha256, expected);
    let not_after = UnixTime::from_x509(&tbs.validity().not_after);
    assert_eq!(identity.not_after, not_after);
    assert_eq!(identity.serial, verified.path[0].serial);
    let json = serde_json::to_value(&verified).unwrap();
    assert_eq!(json["identity"]["spki_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(json["identity"]["not_after"], not_after.to_rfc3339());
}

#[test]
fn same_verdicts_as_verify_with_the_same_certificates() {
    let chain = chain(2, vec![SubjectAltName::Dns("alice.example.org".to_owned())]);
    let other = chain_root_only(3);
    let anchors = vec![
        Item::new(other.clone(), "other.crt"),
        Item::new(chain.root.clone(), "root.crt"),
    ];
    let store = TrustStore::new(&anchors, &[]).unwrap();
    let options = client_options();
    for intermediates in [vec![], vec![chain.intermediate.clone()]] {
        let input = Input {
            leaf: Some(Item::new(chain.leaf.clone(), "peer certificate 1")),
            intermediates: intermediates
                .iter()
                .enumerate()
                .map(|(index, der)| {
                    Item::new(der.clone(), format!("peer certificate {}", index + 2))
                })
                .collect(),
            anchors: anchors.clone(),
            crls: Vec::new(),
        };
        let borrowed: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
        let from_store = store.verify(&chain.leaf, &borrowed, &options);
        let from_input = verify(&input, &options);
        match (from_store, from_input) {
            (Ok(store), Ok(input)) => {
                assert_eq!(store.path, input.path);
                assert_eq!(store.identity, input.identity);
            }
            (Err(store), Err(input)) => {
                assert_eq!((store.code, store.message), (input.code, input.message));
            }
            (store, input) => panic!("store: {store:?}\ninput: {input:?}"),
        }
    }
}

fn chain_root_only(seed: u64) -> Vec<u8> {
    chain(seed, Vec::new()).root
}

#[test]
fn anchors_are_kept_once_and_their_subjects_listed_in_order() {
    let first = chain_root_only(4);
    let second = chain_root_only(5);
    let anchors = [
        Item::new(first.clone(), "a.crt"),
        Item::new(second.clone(), "b.crt"),
        Item::new(first.clone(), "a-again.crt"),
    ];
    let store = TrustStore::new(&anchors, &[]).unwrap();
    let subjects: Vec<&[u8]> = store.anchor_subjects().collect();
    assert_eq!(subjects.len(), 2);
    for (subject, der) in subjects.iter().zip([&first, &second]) {
        let certificate = x509_cert::Certificate::from_der(der).unwrap();
        let expected = certificate.tbs_certificate().subject().to_der().unwrap();
        assert_eq!(*subject, expected.as_slice());
        assert_eq!(subject.first(), Some(&0x30), "a DER SEQUENCE");
    }
}

#[test]
fn an_item_that_is_not_a_certificate_or_crl_is_an_error_naming_it() {
    let root = chain_root_only(6);
    let bad = [
        Item::new(root.clone(), "root.crt"),
        Item::new(b"not DER".to_vec(), "notes.txt"),
    ];
    let failure = TrustStore::new(&bad, &[]).unwrap_err();
    assert_eq!(failure.code, "InvalidDer");
    assert!(
        failure.message.starts_with("notes.txt:"),
        "{}",
        failure.message
    );
    let crl = [Item::new(root.clone(), "root-as-crl.pem")];
    let failure = TrustStore::new(&[Item::new(root, "root.crt")], &crl).unwrap_err();
    assert_eq!(failure.code, "InvalidCrl");
    assert!(
        failure.message.contains("root-as-crl.pem"),
        "{}",
        failure.message
    );
}

#[test]
fn garbage_from_the_peer_is_a_coded_failure() {
    let chain = chain(7, Vec::new());
    let store = TrustStore::new(&[Item::new(chain.root, "root.crt")], &[]).unwrap();
    let options = client_options();
    let failure = store
        .verify(b"\x30\x03\x02\x01", &[], &options)
        .unwrap_err();
    assert_eq!(failure.code, "InvalidDer");
    let garbage: &[u8] = b"\x30\x80";
    let failure = store.verify(&chain.leaf, &[garbage], &options).unwrap_err();
    assert_eq!(failure.code, "UnknownIssuer");
    assert!(
        failure.explanation().contains("peer certificate 2"),
        "{failure}"
    );
    let too_many = vec![chain.intermediate.as_slice(); 300];
    let failure = store.verify(&chain.leaf, &too_many, &options).unwrap_err();
    assert_eq!(failure.code, "TooManyInputs");
}

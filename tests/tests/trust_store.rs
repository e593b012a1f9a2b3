//! `TrustStore` (issue 8 point 2): construction (errors name the item, duplicates kept once,
//! subjects for the TLS CertificateRequest), verification of borrowed DER with the verified
//! identity, the same verdicts as `verify::verify`, and one store holding the Debian system
//! bundle (and a test root) verifying 10,000 client chains from two threads sharing it through
//! an `Arc`, decoding each anchor exactly once: the thread-local decode counter grows by the
//! bundle's size when the store is made and by two (leaf and intermediate) per verification,
//! never by an anchor.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test set-up: a failure is a failed test"
)]

use core::net::IpAddr;
use std::sync::Arc;

use der::{Decode, Encode};
use mtlskit::UnixTime;
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::issue::{self, CertificateParams, Issuer, Profile, Subject, SubjectAltName};
use mtlskit::verify::{Input, Item, Options, Purpose, TrustStore, certificates_decoded, verify};
use mtlskit_tests::{SYSTEM_BUNDLE, native_algorithms, split_pem};
use rand::SeedableRng;
use rand::rngs::StdRng;

const CHAINS: usize = 10_000;
const INTERMEDIATES: usize = 10;
const NOW: UnixTime = UnixTime(1_800_000_000);

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

struct Chain {
    root: Vec<u8>,
    intermediate: Vec<u8>,
    leaf: Vec<u8>,
}

/// A CA named `common_name`: self-signed without `issuer`, else signed by it.
fn ca(issuer: Option<&Issuer>, common_name: &str, rng: &mut StdRng) -> Issuer {
    let key = SigningKey::generate(KeyType::P256, rng).unwrap();
    let certificate = match issuer {
        None => issue::self_signed(&params(Profile::Root, common_name, vec![]), &key, NOW, rng),
        Some(issuer) => {
            let ca_params = params(Profile::Intermediate, common_name, vec![]);
            issue::signed(&ca_params, key.public_key(), issuer, NOW, rng)
        }
    };
    Issuer::new(certificate.unwrap().der(), key).unwrap()
}

/// A client certificate for `key`, named `common_name` with `names`, signed by `issuer`.
fn client(
    issuer: &Issuer,
    key: &SigningKey,
    common_name: &str,
    names: Vec<SubjectAltName>,
    rng: &mut StdRng,
) -> Vec<u8> {
    let leaf_params = params(Profile::Client, common_name, names);
    let leaf = issue::signed(&leaf_params, key.public_key(), issuer, NOW, rng);
    leaf.unwrap().der().to_vec()
}

fn chain(seed: u64, names: Vec<SubjectAltName>) -> Chain {
    let mut rng = StdRng::seed_from_u64(seed);
    let root = ca(None, &format!("Root {seed}"), &mut rng);
    let intermediate = ca(Some(&root), "Intermediate", &mut rng);
    let leaf_key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    Chain {
        root: root.certificate_der().to_vec(),
        intermediate: intermediate.certificate_der().to_vec(),
        leaf: client(&intermediate, &leaf_key, "alice", names, &mut rng),
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
    let not_after =
        UnixTime(i64::try_from(tbs.validity().not_after.to_unix_duration().as_secs()).unwrap());
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

/// The store checks the options as `verify` does: an unusable OID never widens what passes.
#[test]
fn unusable_options_are_refused_by_the_store_as_by_verify() {
    let chain = chain(8, Vec::new());
    let store = TrustStore::new(&[Item::new(chain.root, "root.crt")], &[]).unwrap();
    let mut options = client_options();
    options.initial_policy_set = vec!["not an oid".to_owned()];
    let failure = store
        .verify(&chain.leaf, &[chain.intermediate.as_slice()], &options)
        .unwrap_err();
    assert_eq!(failure.code, "InvalidOption");
    let mut options = client_options();
    options.purpose = Purpose::ExtendedKeyUsages(vec!["client".to_owned()]);
    let failure = store
        .verify(&chain.leaf, &[chain.intermediate.as_slice()], &options)
        .unwrap_err();
    assert_eq!(failure.code, "InvalidOption");
}

/// A root, `INTERMEDIATES` intermediates, and `CHAINS` client certificates spread over them:
/// (root DER, intermediates DER, leaves DER).
fn client_pki() -> (Vec<u8>, Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut rng = StdRng::seed_from_u64(8);
    let root = ca(None, "Store Test Root", &mut rng);
    let issuers: Vec<Issuer> = (0..INTERMEDIATES)
        .map(|index| {
            ca(
                Some(&root),
                &format!("Store Test Intermediate {index}"),
                &mut rng,
            )
        })
        .collect();
    let client_key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let leaves = (0..CHAINS)
        .map(|index| {
            let uri = format!("spiffe://store.test/client/{index}");
            let issuer = &issuers[index % INTERMEDIATES];
            let name = format!("client {index}");
            client(
                issuer,
                &client_key,
                &name,
                vec![SubjectAltName::Uri(uri)],
                &mut rng,
            )
        })
        .collect();
    let intermediates = issuers
        .iter()
        .map(|issuer| issuer.certificate_der().to_vec())
        .collect();
    (root.certificate_der().to_vec(), intermediates, leaves)
}

fn system_bundle() -> Vec<Item> {
    let text = std::fs::read_to_string(SYSTEM_BUNDLE).expect("the Debian ca-certificates bundle");
    split_pem(&text)
        .iter()
        .enumerate()
        .map(|(index, block)| {
            let (_, der) = pem_rfc7468::decode_vec(block.as_bytes()).unwrap();
            Item::new(der, format!("{SYSTEM_BUNDLE} #{}", index + 1))
        })
        .collect()
}

#[test]
fn ten_thousand_client_chains_against_one_store_decode_each_anchor_once() {
    let (root, intermediates, leaves) = client_pki();
    let mut anchors = system_bundle();
    assert!(anchors.len() >= 100, "{} anchors", anchors.len());
    anchors.push(Item::new(root.clone(), "store-test-root.crt"));
    let anchor_count = anchors.len();

    let before = certificates_decoded();
    let store = Arc::new(TrustStore::new(&anchors, &[]).expect("the bundle loads"));
    assert_eq!(certificates_decoded() - before, anchor_count as u64);
    assert_eq!(store.anchor_subjects().count(), anchor_count);

    let leaves = Arc::new(leaves);
    let intermediates = Arc::new(intermediates);
    let after_store = certificates_decoded();
    let workers: Vec<_> = (0..2)
        .map(|worker| {
            let (store, leaves) = (Arc::clone(&store), Arc::clone(&leaves));
            let intermediates = Arc::clone(&intermediates);
            std::thread::spawn(move || {
                let mut options = Options::at(NOW);
                options.purpose = Purpose::Client;
                options.signature_algorithms = native_algorithms();
                let start = certificates_decoded();
                for index in (worker..CHAINS).step_by(2) {
                    let intermediate = intermediates[index % INTERMEDIATES].as_slice();
                    let verified = store
                        .verify(&leaves[index], &[intermediate], &options)
                        .unwrap_or_else(|failure| panic!("chain {index}: {failure}"));
                    assert_eq!(verified.path.len(), 3);
                    let expected = format!("spiffe://store.test/client/{index}");
                    assert_eq!(verified.identity.spiffe_id(), Some(expected.as_str()));
                }
                certificates_decoded() - start
            })
        })
        .collect();
    for worker in workers {
        let decoded = worker.join().expect("worker");
        assert_eq!(
            decoded,
            (CHAINS / 2 * 2) as u64,
            "leaf and intermediate only"
        );
    }
    assert_eq!(
        certificates_decoded(),
        after_store,
        "nothing decoded on this thread"
    );
}

/// The store can be shared between threads and swapped atomically on reload.
#[test]
fn trust_store_is_send_and_sync() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<TrustStore>();
    shareable::<Arc<TrustStore>>();
}

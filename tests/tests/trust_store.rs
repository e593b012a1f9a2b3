//! Issue 8 point 2: one `TrustStore` holding the Debian system bundle (and a test root) verifies
//! 10,000 client chains, from two threads sharing it through an `Arc`, and decodes each anchor
//! exactly once: the thread-local decode counter of the verifier grows by the bundle's size when
//! the store is made and by two (leaf and intermediate) per verification, never by an anchor.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test set-up: a failure is a failed test"
)]

use std::sync::Arc;

use mtlskit::UnixTime;
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::issue::{self, CertificateParams, Issuer, Profile, Subject, SubjectAltName};
use mtlskit::verify::{Item, Options, Purpose, TrustStore, certificates_decoded};
use mtlskit_tests::{SYSTEM_BUNDLE, native_algorithms, split_pem};
use rand::SeedableRng;
use rand::rngs::StdRng;

const CHAINS: usize = 10_000;
const INTERMEDIATES: usize = 10;
const NOW: UnixTime = UnixTime(1_800_000_000);

fn params(profile: Profile, common_name: &str, uri: Option<String>) -> CertificateParams {
    CertificateParams {
        profile,
        subject: Subject {
            organization: Some("mtlskit store test".to_owned()),
            common_name: Some(common_name.to_owned()),
            ..Subject::default()
        },
        subject_alt_names: uri.into_iter().map(SubjectAltName::Uri).collect(),
        ..CertificateParams::default()
    }
}

/// A root, `INTERMEDIATES` intermediates, and `CHAINS` client certificates spread over them:
/// (root DER, intermediates DER, leaves DER).
fn client_pki() -> (Vec<u8>, Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut rng = StdRng::seed_from_u64(8);
    let root_key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let root_params = params(Profile::Root, "Store Test Root", None);
    let root = issue::self_signed(&root_params, &root_key, NOW, &mut rng).unwrap();
    let root_issuer = Issuer::new(root.der(), root_key).unwrap();
    let mut issuers = Vec::new();
    for index in 0..INTERMEDIATES {
        let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
        let name = format!("Store Test Intermediate {index}");
        let intermediate_params = params(Profile::Intermediate, &name, None);
        let certificate = issue::signed(
            &intermediate_params,
            key.public_key(),
            &root_issuer,
            NOW,
            &mut rng,
        )
        .unwrap();
        issuers.push(Issuer::new(certificate.der(), key).unwrap());
    }
    let client_key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let leaves = (0..CHAINS)
        .map(|index| {
            let uri = format!("spiffe://store.test/client/{index}");
            let leaf_params = params(Profile::Client, &format!("client {index}"), Some(uri));
            let issuer = &issuers[index % INTERMEDIATES];
            let leaf = issue::signed(&leaf_params, client_key.public_key(), issuer, NOW, &mut rng);
            leaf.unwrap().der().to_vec()
        })
        .collect();
    let intermediates = issuers
        .iter()
        .map(|issuer| issuer.certificate_der().to_vec())
        .collect();
    (root.der().to_vec(), intermediates, leaves)
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

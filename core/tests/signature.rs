//! The signature verifier (`mtlskit::crypto::verify_signature`): the checks made before the
//! algorithm list is consulted, and how the list is matched and tried. Chains signed by openssl
//! are in `tests/tests/verify_signatures.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test set-up: a failure is a failed test"
)]

use std::sync::LazyLock;

use der::{Decode, Encode};
use mtlskit::Error;
use mtlskit::crypto::{
    ALGORITHMS, SignaturePolicy, SignatureVerificationAlgorithm, provider_then_core,
};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rsa::pkcs8::EncodePublicKey;
use rsa::{Pkcs1v15Sign, PrivateKey as RsaPrivateKey, Pss};
use rustls_pki_types::{AlgorithmIdentifier, InvalidSignature, alg_id};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, ObjectIdentifier, SubjectPublicKeyInfoOwned};

const MESSAGE: &[u8] = b"tbsCertificate bytes";
const ID_RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

static KEY: LazyLock<RsaPrivateKey> =
    LazyLock::new(|| RsaPrivateKey::new(&mut StdRng::seed_from_u64(8), 2048).unwrap());

/// The rsaEncryption SubjectPublicKeyInfo of [`KEY`].
fn rsa_spki() -> SubjectPublicKeyInfoOwned {
    let der = KEY.to_public_key().to_public_key_der().unwrap();
    SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).unwrap()
}

/// The same key as an id-RSASSA-PSS key without parameters (RFC 4055 section 1.2).
fn pss_key_spki() -> SubjectPublicKeyInfoOwned {
    let mut spki = rsa_spki();
    spki.algorithm = AlgorithmIdentifierOwned {
        oid: ID_RSASSA_PSS,
        parameters: None,
    };
    spki
}

/// An AlgorithmIdentifier from its DER contents (the form of `rustls_pki_types::alg_id`).
fn algorithm(contents: &[u8]) -> AlgorithmIdentifierOwned {
    let mut der = vec![0x30, u8::try_from(contents.len()).unwrap()];
    der.extend(contents);
    AlgorithmIdentifierOwned::from_der(&der).unwrap()
}

/// `mtlskit::crypto::verify_signature` (which takes DER) on spki's types.
fn verify_signature(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
    policy: SignaturePolicy,
) -> Result<(), Error> {
    let (spki, algorithm) = (spki.to_der().unwrap(), algorithm.to_der().unwrap());
    mtlskit::crypto::verify_signature(&spki, &algorithm, message, signature, policy)
}

fn pkcs1_sha256_signature() -> Vec<u8> {
    let digest = Sha256::digest(MESSAGE);
    KEY.sign(Pkcs1v15Sign::new::<Sha256>(), &digest).unwrap()
}

fn pss_sha256_signature(salt: usize) -> Vec<u8> {
    let digest = Sha256::digest(MESSAGE);
    let mut rng = StdRng::seed_from_u64(1);
    KEY.sign_with_rng(&mut rng, Pss::<Sha256>::new_with_salt(salt), &digest)
        .unwrap()
}

/// RSASSA-PSS with SHA-256 and a `salt`-byte salt.
fn pss_sha256(salt: u8) -> AlgorithmIdentifierOwned {
    let mut contents = alg_id::RSA_PSS_SHA256.as_ref().to_vec();
    *contents.last_mut().unwrap() = salt;
    algorithm(&contents)
}

fn default_check(
    spki: &SubjectPublicKeyInfoOwned,
    signature_algorithm: &AlgorithmIdentifierOwned,
    signature: &[u8],
) -> Result<(), Error> {
    let policy = SignaturePolicy::default();
    verify_signature(spki, signature_algorithm, MESSAGE, signature, policy)
}

#[test]
fn pkcs1_signatures_verify_with_null_or_absent_parameters() {
    let signature = pkcs1_sha256_signature();
    let with_null = algorithm(alg_id::RSA_PKCS1_SHA256.as_ref());
    default_check(&rsa_spki(), &with_null, &signature).unwrap();
    let mut absent = with_null.clone();
    absent.parameters = None;
    default_check(&rsa_spki(), &absent, &signature).unwrap();
    let mut altered = signature;
    altered[10] ^= 1;
    let result = default_check(&rsa_spki(), &with_null, &altered);
    assert!(matches!(result, Err(Error::BadSignature)), "{result:?}");
}

/// Issue 7 point 8: an id-RSASSA-PSS key may only verify RSASSA-PSS signatures.
#[test]
fn rsa_pss_keys_are_not_usable_for_pkcs1_signatures() {
    let signature = pkcs1_sha256_signature();
    let pkcs1 = algorithm(alg_id::RSA_PKCS1_SHA256.as_ref());
    let result = default_check(&pss_key_spki(), &pkcs1, &signature);
    let Err(Error::UnacceptableKey { detail }) = result else {
        panic!("an id-RSASSA-PSS key verified a PKCS#1 v1.5 signature: {result:?}");
    };
    assert!(detail.contains("id-RSASSA-PSS"), "{detail}");
    let pss = pss_sha256_signature(32);
    default_check(&pss_key_spki(), &pss_sha256(32), &pss).unwrap();
    default_check(&rsa_spki(), &pss_sha256(32), &pss).unwrap();
}

/// Issue 7 point 8: the RSASSA-PSS salt length is the hash length.
#[test]
fn rsa_pss_salt_length_is_tied_to_the_hash() {
    let signature = pss_sha256_signature(20);
    let result = default_check(&rsa_spki(), &pss_sha256(20), &signature);
    assert!(
        matches!(&result, Err(Error::UnsupportedAlgorithm { algorithm }) if algorithm.contains("salt")),
        "{result:?}"
    );
    let result = default_check(&pss_key_spki(), &pss_sha256(20), &signature);
    assert!(
        matches!(result, Err(Error::UnsupportedAlgorithm { .. })),
        "{result:?}"
    );
}

#[test]
fn weak_algorithms_are_recognised_before_the_list() {
    let md5 = algorithm(&[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04, 0x05, 0x00,
    ]);
    let sha1 = algorithm(&[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00,
    ]);
    let empty = SignaturePolicy {
        algorithms: &[],
        allow_sha1: true,
    };
    for (identifier, policy) in [(&md5, empty), (&sha1, SignaturePolicy::default())] {
        let result = verify_signature(&rsa_spki(), identifier, MESSAGE, b"", policy);
        assert!(
            matches!(result, Err(Error::WeakSignatureAlgorithm { .. })),
            "{result:?}"
        );
    }
    let digest = sha1::Sha1::digest(MESSAGE);
    let signature = KEY
        .sign(Pkcs1v15Sign::new::<sha1::Sha1>(), &digest)
        .unwrap();
    let legacy = SignaturePolicy {
        allow_sha1: true,
        ..SignaturePolicy::default()
    };
    verify_signature(&rsa_spki(), &sha1, MESSAGE, &signature, legacy).unwrap();
}

#[test]
fn algorithms_missing_from_the_list_are_unsupported() {
    let only_ecdsa = SignaturePolicy {
        algorithms: &ALGORITHMS[..1],
        allow_sha1: false,
    };
    let pkcs1 = algorithm(alg_id::RSA_PKCS1_SHA256.as_ref());
    let signature = pkcs1_sha256_signature();
    let result = verify_signature(&rsa_spki(), &pkcs1, MESSAGE, &signature, only_ecdsa);
    assert!(
        matches!(result, Err(Error::UnsupportedAlgorithm { .. })),
        "{result:?}"
    );
    let unknown = algorithm(&[0x06, 0x03, 0x2a, 0x03, 0x04]);
    let result = default_check(&rsa_spki(), &unknown, &signature);
    assert!(
        matches!(result, Err(Error::UnsupportedAlgorithm { .. })),
        "{result:?}"
    );
}

/// An algorithm that refuses everything, like a provider that does not take a key.
#[derive(Debug)]
struct Refuses;

impl SignatureVerificationAlgorithm for Refuses {
    fn verify_signature(&self, _: &[u8], _: &[u8], _: &[u8]) -> Result<(), InvalidSignature> {
        Err(InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::RSA_ENCRYPTION
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::RSA_PKCS1_SHA256
    }
}

/// Every algorithm matching both identifiers is tried in order until one accepts.
#[test]
fn matching_algorithms_are_tried_in_order() {
    static REFUSING_ONLY: &[&dyn SignatureVerificationAlgorithm] = &[&Refuses];
    let refusing_first = provider_then_core(REFUSING_ONLY);
    assert_eq!(refusing_first.len(), ALGORITHMS.len() + 1);
    let again = provider_then_core(REFUSING_ONLY);
    assert!(std::ptr::eq(refusing_first, again), "made once");
    let pkcs1 = algorithm(alg_id::RSA_PKCS1_SHA256.as_ref());
    let signature = pkcs1_sha256_signature();
    let policy = |algorithms| SignaturePolicy {
        algorithms,
        allow_sha1: false,
    };
    let spki = rsa_spki();
    verify_signature(&spki, &pkcs1, MESSAGE, &signature, policy(refusing_first)).unwrap();
    let result = verify_signature(&spki, &pkcs1, MESSAGE, &signature, policy(REFUSING_ONLY));
    assert!(matches!(result, Err(Error::BadSignature)), "{result:?}");
}

#[test]
fn malformed_keys_are_unacceptable_whatever_the_list() {
    let mut spki = rsa_spki();
    spki.subject_public_key =
        der::asn1::BitString::from_bytes(&[0x30, 0x03, 0x02, 0x01, 0x05]).unwrap();
    let pkcs1 = algorithm(alg_id::RSA_PKCS1_SHA256.as_ref());
    let result = default_check(&spki, &pkcs1, &pkcs1_sha256_signature());
    assert!(
        matches!(result, Err(Error::UnacceptableKey { .. })),
        "{result:?}"
    );
    let point = der::asn1::BitString::from_bytes(&[0x04; 64]).unwrap();
    let p256 = SubjectPublicKeyInfoOwned {
        algorithm: algorithm(alg_id::ECDSA_P256.as_ref()),
        subject_public_key: point,
    };
    let ecdsa = algorithm(alg_id::ECDSA_SHA256.as_ref());
    let result = default_check(&p256, &ecdsa, b"\x30\x00");
    let Err(Error::UnacceptableKey { detail }) = result else {
        panic!("{result:?}");
    };
    assert!(detail.contains("P-256"), "{detail}");
}

//! The DER contents of the AlgorithmIdentifiers the verifier matches on, in the canonical form
//! rustls uses (`rustls_pki_types::alg_id`): RSA PKCS#1 v1.5 and rsaEncryption with NULL
//! parameters (RFC 4055 section 5), ECDSA and Ed25519 without parameters (RFC 5758 section 3.2,
//! RFC 8410 section 3), RSASSA-PSS with every field explicit and NULL hash parameters.
//!
//! `signature.rs` maps each equivalent encoding it accepts (absent RSA parameters, PSS hashes
//! with absent parameters) to one of these before comparing with an algorithm's identifiers.

use rustls_pki_types::AlgorithmIdentifier;
pub(crate) use rustls_pki_types::alg_id::{
    ECDSA_P256, ECDSA_P384, ECDSA_P521, ECDSA_SHA256, ECDSA_SHA384, ECDSA_SHA512, ED25519,
    RSA_ENCRYPTION, RSA_PKCS1_SHA256, RSA_PKCS1_SHA384, RSA_PKCS1_SHA512, RSA_PSS_SHA256,
    RSA_PSS_SHA384, RSA_PSS_SHA512,
};

/// sha1WithRSAEncryption (RFC 3279 section 2.2.1), NULL parameters.
pub(crate) const RSA_PKCS1_SHA1: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00,
]);

/// sha224WithRSAEncryption (RFC 4055 section 5), NULL parameters.
pub(crate) const RSA_PKCS1_SHA224: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e, 0x05, 0x00,
]);

/// ecdsa-with-SHA1 (RFC 3279 section 2.2.3).
pub(crate) const ECDSA_SHA1: AlgorithmIdentifier =
    AlgorithmIdentifier::from_slice(&[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01]);

/// id-RSASSA-PSS with the default parameters: SHA-1, MGF1 with SHA-1, salt 20 (RFC 4055
/// section 3.1; DER omits default values).
pub(crate) const RSA_PSS_SHA1: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x00,
]);

/// id-RSASSA-PSS with SHA-224, MGF1 with SHA-224, salt 28.
pub(crate) const RSA_PSS_SHA224: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x34, 0xa0, 0x0f, 0x30,
    0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0xa1, 0x1c,
    0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06,
    0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01,
    0x1c,
]);

/// An id-RSASSA-PSS public key (RFC 4055 section 1.2): a key that may only verify RSASSA-PSS
/// signatures. Parameters restricting the key are checked against the signature's and
/// dropped before matching.
pub(crate) const RSA_PSS_KEY: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
]);

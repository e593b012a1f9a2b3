//! Pure-Rust (RustCrypto) cryptography: signature verification and signing keys.
//!
//! Everything here builds for wasm32-unknown-unknown unchanged.

use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::Error;

/// Checks `signature` over `message` with the public key `spki`, under the signature
/// `algorithm` of a certificate, CSR or CRL (RFC 5280 section 4.1.1.2).
///
/// Not yet implemented: owned by the chain-verification issue.
pub fn verify_signature(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let _ = (spki, message, signature);
    Err(Error::UnsupportedAlgorithm {
        algorithm: algorithm.oid.to_string(),
    })
}

pub mod keys;

pub use keys::{KeyType, PublicKey, SigningKey};

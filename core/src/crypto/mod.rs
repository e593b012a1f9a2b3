//! Cryptography: the signature verifier with its pluggable algorithms, and signing keys.
//!
//! - [`verify_signature`]: the one check of every certificate, CRL and CSR signature, with a
//!   [`SignaturePolicy`] naming the algorithms it may use (rustls' shape).
//! - [`ALGORITHMS`]: the core's pure-Rust (RustCrypto) algorithms, the default everywhere and
//!   the only ones in wasm. Native code passes its rustls crypto provider's list followed by
//!   these ([`provider_then_core`], `core/src/crypto/README.md`).
//! - [`keys`]: signing keys and public keys (RustCrypto).
//!
//! Everything here builds for wasm32-unknown-unknown unchanged.

mod ecdsa_der;
mod identify;
mod ids;
mod rustcrypto;
mod signature;

#[cfg(test)]
pub(crate) use identify::tests as identify_tests;
pub use identify::{PublicKeyKind, algorithm_name, public_key_kind};
#[allow(
    unused_imports,
    reason = "the shared key types: the certificate readers moving onto asn1::read use them"
)]
pub(crate) use identify::{SpkiRef, parse_spki, public_key_kind_ref, read_spki};
pub use rustcrypto::{ALGORITHMS, provider_then_core};
pub use rustls_pki_types::SignatureVerificationAlgorithm;
pub(crate) use signature::verify_signature_ref;
pub use signature::{Algorithms, SignaturePolicy, verify_signature};

pub mod keys;

pub use keys::{KeyType, PublicKey, SigningKey};

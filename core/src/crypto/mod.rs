//! Pure-Rust (RustCrypto) cryptography: signature verification and signing keys.
//!
//! Everything here builds for wasm32-unknown-unknown unchanged.

mod signature;

pub use signature::{
    PublicKeyKind, algorithm_name, public_key_kind, verify_signature,
    verify_signature_allowing_sha1,
};

pub mod keys;

pub use keys::{KeyType, PublicKey, SigningKey};

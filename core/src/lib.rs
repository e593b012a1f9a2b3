//! mtlskit: parse, inspect, verify and issue X.509 certificates.
//!
//! This crate is pure Rust with no I/O, no clock and no global random number generator: time
//! ([`UnixTime`]) and randomness are arguments, so the browser (wasm), Node and the native CLI
//! give the same answer for the same input.
//!
//! - [`decode`]: bytes (PEM, DER, base64) to labelled items.
//! - [`inspect`]: items to serde reports, the contract shared by the CLI, wasm and Node.
//! - [`verify`]: RFC 5280 path building and validation.
//! - [`issue`]: keys, certificates, CSRs.
//! - [`pkcs12`]: PFX files.
//! - [`pbe`]: password-based encryption (PBES2, PKCS#12 PBE) with bounded key derivation.
//! - [`secret`]: passwords and key bytes, wiped after use and never shown.
//! - [`keystore`]: Java keystores (JKS, JCEKS).
//! - [`api`]: every capability as one serde request and one serde response, the API the wasm
//!   module and the Node addon pass through.

pub mod api;
mod asn1;
pub mod crypto;
pub mod decode;
pub mod error;
pub mod inspect;
pub mod issue;
pub mod keystore;
pub mod pbe;
pub mod pkcs12;
pub mod secret;
pub mod time;
pub mod verify;
pub mod x509;

pub use error::Error;
pub use time::UnixTime;

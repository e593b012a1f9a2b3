//! rustls glue shared by the native commands that speak TLS (`mtlskit probe`, `mtlskit proxy`):
//! the crypto provider, the signature algorithms certificate verification uses, and loading a
//! certificate chain with its private key (PEM pair or `.p12`) into rustls types. Certificate
//! logic stays in the core; this module only converts.

pub mod credentials;

use std::sync::Arc;

use mtlskit::crypto::Algorithms;
use rustls::crypto::CryptoProvider;

/// The rustls crypto provider of the native binary (ring).
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The signature algorithms native certificate verification uses (`verify::Options::
/// signature_algorithms`): the provider's, then the core's pure-Rust ones for what ring does not
/// verify (SHA-1 when allowed, SHA-224, ECDSA with SHA-512, id-RSASSA-PSS keys, RSA keys under
/// 2048 bits, compressed points). Same verdicts as the core's list alone
/// (`tests/tests/limbo.rs`, `tests/tests/verify_signatures.rs`), at native speed.
pub fn signature_algorithms() -> Algorithms {
    let provider = rustls::crypto::ring::default_provider();
    mtlskit::crypto::provider_then_core(provider.signature_verification_algorithms.all)
}

//! rustls glue shared by the native commands that speak TLS (`mtlskit probe`, `mtlskit proxy`):
//! the crypto provider, and loading a certificate chain with its private key (PEM pair or
//! `.p12`) into rustls types. Certificate logic stays in the core; this module only converts.

pub mod credentials;

use std::sync::Arc;

use rustls::crypto::CryptoProvider;

/// The rustls crypto provider of the native binary (ring).
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

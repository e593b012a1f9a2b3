//! The signature algorithms the native binary verifies certificates and CRLs with: the rustls
//! crypto provider's (ring, see BENCHMARKS.md), then the core's pure-Rust ones for what ring
//! does not verify (SHA-1 when allowed, SHA-224, ECDSA with SHA-512, id-RSASSA-PSS keys, RSA
//! keys under 2048 bits, compressed points). Both lists give the same verdicts
//! (`tests/tests/limbo.rs`, `tests/tests/verify_signatures.rs`); this one is faster.

use std::sync::LazyLock;

use mtlskit::crypto::{ALGORITHMS, Algorithms, SignatureVerificationAlgorithm};

/// The provider's algorithms followed by the core's, for `Options::signature_algorithms`.
pub(crate) fn algorithms() -> Algorithms {
    static LIST: LazyLock<Vec<&'static dyn SignatureVerificationAlgorithm>> = LazyLock::new(|| {
        let provider = rustls::crypto::ring::default_provider();
        [provider.signature_verification_algorithms.all, ALGORITHMS].concat()
    });
    &LIST
}

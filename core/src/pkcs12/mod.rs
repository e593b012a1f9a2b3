//! PKCS#12 (PFX, RFC 7292) files: the `.p12` / `.pfx` bundles of a key, its certificate and
//! chain that browsers, Java and Windows import.
//!
//! Reading ([`read()`]) uses [`asn1`]'s readers on the core's DER reader ([`crate::asn1::read`]);
//! writing ([`write()`]) the core's DER writer ([`crate::asn1::write`]), byte for byte as the
//! `der` structures wrote it (`write_before.rs`, test-only, is the reference). Both use [`crate::pbe`] for the encryption: every key derivation's parameters are checked before it
//! runs, salts and IVs come from the caller's RNG, and keys are wiped after use.
//! [`write_truststore`] writes CA certificates as trusted entries that Java recognises.

pub(crate) mod asn1;
mod read;
#[cfg(test)]
mod read_before;
mod truststore;
pub mod write;
#[cfg(test)]
mod write_before;

pub use read::{Pkcs12Contents, Pkcs12Item, Pkcs12Key, read};
pub use truststore::{TRUSTED_KEY_USAGE, TrustedCertificate, write_truststore};
pub use write::{DEFAULT_ITERATIONS, ExportParams, write};

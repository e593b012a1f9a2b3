//! PKCS#12 (PFX, RFC 7292) files: the `.p12` / `.pfx` bundles of a key, its certificate and
//! chain that browsers, Java and Windows import.
//!
//! Reading: the PFX, PBES1/PBES2 and MAC structures come from the `p12-keystore` crate; this
//! module maps its results and errors onto mtlskit's. Writing ([`write()`]) is done here over
//! the `pkcs12`/`pkcs5` structures, so that salts and IVs come from the caller's RNG;
//! [`write_truststore`] writes CA certificates as trusted entries that Java recognises.

mod read;
mod truststore;
pub mod write;

pub use read::{Pkcs12Contents, Pkcs12Item, read};
pub use truststore::{TRUSTED_KEY_USAGE, TrustedCertificate, write_truststore};
pub use write::{ExportParams, write};

//! PKCS#12 (PFX, RFC 7292) files: the `.p12` / `.pfx` bundles of a key, its certificate and
//! chain that browsers, Java and Windows import.
//!
//! The PFX, PBES1/PBES2 and MAC structures come from the `p12-keystore` crate; this module
//! maps its results and errors onto mtlskit's.

mod read;

pub use read::{Pkcs12Contents, Pkcs12Item, read};

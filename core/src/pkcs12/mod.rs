//! PKCS#12 (PFX, RFC 7292) files.

pub mod write;

pub use write::{ExportParams, write};

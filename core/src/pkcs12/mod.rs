//! PKCS#12 (PFX, RFC 7292) files.

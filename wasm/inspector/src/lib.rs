//! The module the browser inspector loads first: `mtlskit-wasm`'s inspection functions
//! (`inspect`, `verify`, `verifySet`, `asn1`, `version`) and its JavaScript boundary, the same
//! source files, without issuance (key generation, signing, PKCS#12 writing), so the page's
//! first load is smaller. The page's worker loads the whole `mtlskit-wasm` module when a test
//! PKI is created.

#[path = "../../src/boundary.rs"]
mod boundary;
#[path = "../../src/inspection.rs"]
mod inspection;

pub use inspection::{asn1, inspect, verify, verify_set, version};

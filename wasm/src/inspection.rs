//! What the browser inspector calls when a page opens: inspection, verification, the ASN.1
//! tree. Shared by both modules (`mtlskit-wasm`, and `mtlskit-wasm-inspector`, which the page
//! loads first because it leaves out issuance).

use mtlskit::api::{self, ApiError};
use wasm_bindgen::prelude::*;

use crate::boundary::{JsResult, from_js, respond, unix_time};

/// Everything in a file: `{items: [...]}` (`mtlskit inspect --json`).
#[wasm_bindgen]
pub fn inspect(request: JsValue, time: f64) -> JsResult {
    respond(api::inspect(&from_js(request)?, unix_time(time)?))
}

/// Verifies a chain: `{valid, path}` or `{valid: false, failure}` (`mtlskit verify --json`).
#[wasm_bindgen]
pub fn verify(request: JsValue, time: f64) -> JsResult {
    respond(api::verify(&from_js(request)?, unix_time(time)?))
}

/// Finds the leaves among dropped items and verifies each one's chain.
#[wasm_bindgen(js_name = verifySet)]
pub fn verify_set(request: JsValue, time: f64) -> JsResult {
    respond(api::verify_set(&from_js(request)?, unix_time(time)?))
}

/// The ASN.1 tree of the first item in `input` (a certificate, CSR, CRL or public key, as
/// PEM, DER or base64), with the RFC's field names: `{kind, der_hex, root, truncated}`.
#[wasm_bindgen]
pub fn asn1(input: &[u8]) -> JsResult {
    respond(mtlskit::inspect::asn1::tree(input).map_err(ApiError::from))
}

/// The version of the mtlskit core in this module.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

//! wasm-bindgen pass-throughs into mtlskit's JSON-shaped API ([`mtlskit::api`]), for the
//! browser inspector and the npm package's wasm fallback.
//!
//! Each function takes the request as a plain JavaScript object (the field names of
//! `mtlskit inspect --json`) and the time in seconds since the Unix epoch (the core reads no
//! clock), and returns the response as a plain object; binary values are `Uint8Array`s.
//! Errors are thrown as JavaScript `Error`s carrying the core's `code` and typed fields.
//! Randomness comes from Web Crypto (`getrandom`).
//!
//! The inspector page loads `mtlskit-wasm-inspector` (`inspector/`) first: the same
//! [`inspection`] functions without issuance, so a much smaller module; this whole module is
//! loaded only when the page creates a test PKI (BENCHMARKS.md "Lean wasm").

mod boundary;
mod inspection;

pub use inspection::{asn1, inspect, verify, verify_set, version};

use mtlskit::api;
use wasm_bindgen::prelude::*;

use crate::boundary::{JsResult, from_js, respond, unix_time};

/// Generates a private key.
#[wasm_bindgen(js_name = generateKey)]
pub fn generate_key(request: JsValue) -> JsResult {
    respond(api::generate_key(&from_js(request)?, &mut rng()))
}

/// Issues a certificate by profile.
#[wasm_bindgen]
pub fn issue(request: JsValue, time: f64) -> JsResult {
    respond(api::issue(&from_js(request)?, unix_time(time)?, &mut rng()))
}

/// Creates a certificate signing request.
#[wasm_bindgen(js_name = csrNew)]
pub fn csr_new(request: JsValue) -> JsResult {
    respond(api::csr_new(&from_js(request)?, &mut rng()))
}

/// Signs a certificate signing request with a CA.
#[wasm_bindgen(js_name = csrSign)]
pub fn csr_sign(request: JsValue, time: f64) -> JsResult {
    respond(api::csr_sign(
        &from_js(request)?,
        unix_time(time)?,
        &mut rng(),
    ))
}

/// A whole private PKI as a list of files.
#[wasm_bindgen(js_name = pkiInit)]
pub fn pki_init(request: JsValue, time: f64) -> JsResult {
    respond(api::pki_init(
        &from_js(request)?,
        unix_time(time)?,
        &mut rng(),
    ))
}

/// A whole private PKI as PEM strings: `{ca, intermediate, server, clients}`.
#[wasm_bindgen]
pub fn bundle(request: JsValue, time: f64) -> JsResult {
    respond(api::bundle(
        &from_js(request)?,
        unix_time(time)?,
        &mut rng(),
    ))
}

/// A key, certificate and chain as a `.p12` file.
#[wasm_bindgen(js_name = toPkcs12)]
pub fn to_pkcs12(request: JsValue) -> JsResult {
    respond(api::to_pkcs12(&from_js(request)?, &mut rng()))
}

/// The keys and certificates of a `.p12` file.
#[wasm_bindgen(js_name = fromPkcs12)]
pub fn from_pkcs12(request: JsValue) -> JsResult {
    respond(api::from_pkcs12(&from_js(request)?))
}

/// PEM <-> DER, to and from PKCS#12.
#[wasm_bindgen]
pub fn convert(request: JsValue, time: f64) -> JsResult {
    respond(api::convert(
        &from_js(request)?,
        unix_time(time)?,
        &mut rng(),
    ))
}

/// The Web Crypto random number generator. `getrandom` fails only where no secure source
/// exists, and then nothing can be issued safely, so the error is not recoverable.
fn rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}

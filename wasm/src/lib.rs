//! wasm-bindgen pass-throughs into mtlskit's JSON-shaped API ([`mtlskit::api`]), for the
//! browser inspector and the npm package's wasm fallback.
//!
//! Each function takes the request as a plain JavaScript object (the field names of
//! `mtlskit inspect --json`) and the time in seconds since the Unix epoch (the core reads no
//! clock), and returns the response as a plain object; binary values are `Uint8Array`s.
//! Errors are thrown as JavaScript `Error`s carrying the core's `code` and typed fields.
//! Randomness comes from Web Crypto (`getrandom`).

use mtlskit::UnixTime;
use mtlskit::api::{self, ApiError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

type JsResult = Result<JsValue, JsValue>;

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

fn from_js<T: DeserializeOwned>(request: JsValue) -> Result<T, JsValue> {
    check_fields(&request, api::request_fields::<T>()).map_err(|error| coded_error(&error))?;
    serde_wasm_bindgen::from_value(request)
        .map_err(|error| coded_error(&ApiError::invalid_request(message(error))))
}

/// The deserializer's message without the `Error: ` that its `Display` (JavaScript's
/// `String(error)`) puts first, so the detail is the Node addon's and the CLI's.
fn message(error: serde_wasm_bindgen::Error) -> String {
    let value = JsValue::from(error);
    match value.dyn_ref::<js_sys::Error>() {
        Some(thrown) => String::from(thrown.message()),
        None => value.as_string().unwrap_or_default(),
    }
}

/// serde-wasm-bindgen reads only the fields a struct has: refuse unknown top-level keys here,
/// as the Node addon and the CLI do.
fn check_fields(request: &JsValue, fields: &[&str]) -> Result<(), ApiError> {
    let Some(object) = request.dyn_ref::<js_sys::Object>() else {
        return Ok(());
    };
    for key in js_sys::Object::keys(object).iter() {
        let key = key.as_string().unwrap_or_default();
        if !fields.contains(&key.as_str()) {
            let detail = format!("unknown field `{key}`, {}", expected(fields));
            return Err(ApiError::invalid_request(detail));
        }
    }
    Ok(())
}

/// serde's wording of the known fields, so both bindings give the same message.
fn expected(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields.iter().map(|field| format!("`{field}`")).collect();
    match quoted.as_slice() {
        [] => "there are no fields".to_owned(),
        [one] => format!("expected {one}"),
        [first, second] => format!("expected {first} or {second}"),
        _ => format!("expected one of {}", quoted.join(", ")),
    }
}

fn respond<T: Serialize>(result: Result<T, ApiError>) -> JsResult {
    let value = result.map_err(|error| coded_error(&error))?;
    to_js(&value).map_err(|error| coded_error(&ApiError::invalid_request(error)))
}

/// A JavaScript `Error` with the message, and the code and fields of `error` as properties.
fn coded_error(error: &ApiError) -> JsValue {
    let thrown = js_sys::Error::new(&error.message);
    if let Ok(fields) = to_js(error) {
        js_sys::Object::assign(&thrown, &fields.unchecked_into());
    }
    thrown.into()
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    let serializer =
        serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false);
    value.serialize(&serializer)
}

/// The Web Crypto random number generator. `getrandom` fails only where no secure source
/// exists, and then nothing can be issued safely, so the error is not recoverable.
fn rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}

/// JavaScript's seconds (NaN, infinities and times outside the years 0000-9999 are the error
/// `InvalidTime`, never a silent 1970).
fn unix_time(seconds: f64) -> Result<UnixTime, JsValue> {
    UnixTime::from_seconds_f64(seconds).map_err(|error| coded_error(&ApiError::new(error, "time")))
}

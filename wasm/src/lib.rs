//! wasm-bindgen pass-throughs into the mtlskit core, for the browser inspector.
//!
//! Each function converts its arguments, calls the core and converts the result; no
//! certificate logic lives here. Errors are thrown as JavaScript `Error`s whose `code` is the
//! core's stable code (the CLI's `--json` code). The caller passes the time (the core never
//! reads a clock).

use mtlskit::{
    UnixTime,
    inspect::{self, Options},
    secret::Password,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Inspects every item in `input` (PEM, DER, base64, .p7b, .p12) and returns the report
/// `{items: [...]}`. `at` is the inspection time in seconds since the Unix epoch (NaN,
/// infinities and times outside the years 0000-9999 are the error `InvalidTime`).
#[wasm_bindgen]
pub fn inspect(
    input: &[u8],
    source: &str,
    password: Option<String>,
    at: f64,
) -> Result<JsValue, JsValue> {
    let options = Options {
        source: source.to_owned(),
        password: password.map(Password::from),
        key_password: None,
        at: UnixTime::from_seconds_f64(at).map_err(|error| to_js_error(&error))?,
    };
    let report = inspect::inspect(input, &options).map_err(|error| to_js_error(&error))?;
    Ok(to_js(&report))
}

/// The ASN.1 tree of the first item in `input` (a certificate, CSR, CRL or public key, as
/// PEM, DER or base64), with the RFC's field names: `{kind, der_hex, root, truncated}`.
#[wasm_bindgen]
pub fn asn1(input: &[u8]) -> Result<JsValue, JsValue> {
    let tree = inspect::asn1::tree(input).map_err(|error| to_js_error(&error))?;
    Ok(to_js(&tree))
}

/// The version of the mtlskit core in this module.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// A JavaScript `Error` with the core's message and its stable `code`.
fn to_js_error(error: &mtlskit::Error) -> JsValue {
    let js_error = js_sys::Error::new(&error.to_string());
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&js_error, &"code".into(), &error.code().into());
    js_error.into()
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

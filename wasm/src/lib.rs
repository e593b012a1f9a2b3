//! wasm-bindgen pass-throughs into the mtlskit core, for the browser inspector.
//!
//! Each function converts its arguments, calls the core and converts the result; no
//! certificate logic lives here. Errors reach JavaScript as `{code, message}` objects with the
//! core's stable codes. The caller passes the time (the core never reads a clock).

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
        at: UnixTime::from_seconds_f64(at)
            .map_err(|error| to_js(&inspect::ErrorReport::from(&error)))?,
    };
    let report = inspect::inspect(input, &options)
        .map_err(|error| to_js(&inspect::ErrorReport::from(&error)))?;
    Ok(to_js(&report))
}

/// The version of the mtlskit core in this module.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

//! wasm-bindgen pass-throughs into the mtlskit core, for the browser inspector.
//!
//! Each function converts its arguments, calls the core and converts the result; no
//! certificate logic lives here. Errors reach JavaScript as `{code, message}` objects with the
//! core's stable codes. The caller passes the time (the core never reads a clock).

use mtlskit::{
    UnixTime,
    inspect::{self, Options},
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Inspects every item in `input` (PEM, DER, base64, .p7b, .p12) and returns the report
/// `{items: [...]}`. `at` is the inspection time in seconds since the Unix epoch.
#[wasm_bindgen]
pub fn inspect(
    input: &[u8],
    source: &str,
    password: Option<String>,
    at: f64,
) -> Result<JsValue, JsValue> {
    let options = Options {
        source: source.to_owned(),
        password,
        key_password: None,
        at: unix_time(at),
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

#[allow(
    clippy::cast_possible_truncation,
    reason = "JavaScript times are f64 seconds; saturating conversion is intended"
)]
fn unix_time(seconds: f64) -> UnixTime {
    UnixTime(seconds.floor() as i64)
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

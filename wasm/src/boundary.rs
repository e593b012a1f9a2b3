//! The JavaScript boundary of both modules: request objects in (serde-wasm-bindgen, unknown
//! fields refused as the Node addon and the CLI refuse them), response objects out, errors as
//! JavaScript `Error`s with the core's `code` and typed fields, time and randomness from
//! JavaScript.

use mtlskit::UnixTime;
use mtlskit::api::{self, ApiError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

pub(crate) type JsResult = Result<JsValue, JsValue>;

pub(crate) fn from_js<T: DeserializeOwned>(request: JsValue) -> Result<T, JsValue> {
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

pub(crate) fn respond<T: Serialize>(result: Result<T, ApiError>) -> JsResult {
    let value = result.map_err(|error| coded_error(&error))?;
    to_js(&value).map_err(|error| coded_error(&ApiError::invalid_request(error)))
}

/// A JavaScript `Error` with the message, and the code and fields of `error` as properties.
///
/// The properties are `ApiError`'s serialisation, in its order (the core error's `code` and
/// fields, then `message` and `input`), put together here: `ApiError` flattens the error, and
/// serde's flattening serialised it through a second, map-shaped path of serde-wasm-bindgen
/// (BENCHMARKS.md "Lean wasm").
fn coded_error(error: &ApiError) -> JsValue {
    let thrown = js_sys::Error::new(&error.message);
    if let Ok(fields) = to_js(&error.error) {
        js_sys::Object::assign(&thrown, &fields.unchecked_into());
    }
    let input = error
        .input
        .as_deref()
        .map_or(JsValue::NULL, JsValue::from_str);
    for (key, value) in [
        ("message", JsValue::from_str(&error.message)),
        ("input", input),
    ] {
        // Setting a data property on an ordinary object cannot fail.
        let _ = js_sys::Reflect::set(&thrown, &JsValue::from_str(key), &value);
    }
    thrown.into()
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    let serializer =
        serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false);
    value.serialize(&serializer)
}

/// JavaScript's seconds (NaN, infinities and times outside the years 0000-9999 are the error
/// `InvalidTime`, never a silent 1970).
pub(crate) fn unix_time(seconds: f64) -> Result<UnixTime, JsValue> {
    UnixTime::from_seconds_f64(seconds).map_err(|error| coded_error(&ApiError::new(error, "time")))
}

//! napi-rs pass-throughs into the mtlskit core, for Node.js.
//!
//! Each function converts its arguments, calls the core and converts the result; no
//! certificate logic lives here. Errors are thrown as JavaScript errors whose `code` is the
//! core's stable code. The caller passes the time (the core never reads a clock).

use mtlskit::{
    UnixTime,
    inspect::{self, Options},
    secret::Password,
};
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

/// Inspects every item in `input` (PEM, DER, base64, .p7b, .p12) and returns the report
/// `{items: [...]}`. `at` is the inspection time in seconds since the Unix epoch (NaN,
/// infinities and times outside the years 0000-9999 are the error `InvalidTime`).
#[napi]
pub fn inspect(
    input: Buffer,
    source: String,
    password: Option<String>,
    at: f64,
) -> napi::Result<serde_json::Value> {
    let options = Options {
        source,
        password: password.map(Password::from),
        key_password: None,
        at: UnixTime::from_seconds_f64(at).map_err(|error| to_napi_error(&error))?,
    };
    let report = inspect::inspect(&input, &options).map_err(|error| to_napi_error(&error))?;
    serde_json::to_value(&report).map_err(|error| napi::Error::from_reason(error.to_string()))
}

/// The version of the mtlskit core in this addon.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// An error whose JavaScript `code` is the core's stable code.
fn to_napi_error(error: &mtlskit::Error) -> napi::Error {
    napi::Error::new(
        napi::Status::GenericFailure,
        format!("{}: {error}", error.code()),
    )
}

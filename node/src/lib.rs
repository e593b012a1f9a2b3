//! napi-rs pass-throughs into the mtlskit core, for Node.js.
//!
//! Each function converts its arguments, calls the core and converts the result; no
//! certificate logic lives here. Errors are thrown as JavaScript errors whose `code` is the
//! core's stable code. The caller passes the time (the core never reads a clock).

use mtlskit::{
    UnixTime,
    inspect::{self, Options},
};
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

/// Inspects every item in `input` (PEM, DER, base64, .p7b, .p12) and returns the report
/// `{items: [...]}`. `at` is the inspection time in seconds since the Unix epoch.
#[napi]
pub fn inspect(
    input: Buffer,
    source: String,
    password: Option<String>,
    at: f64,
) -> napi::Result<serde_json::Value> {
    let options = Options {
        source,
        password,
        key_password: None,
        at: unix_time(at),
    };
    let report = inspect::inspect(&input, &options).map_err(|error| to_napi_error(&error))?;
    serde_json::to_value(&report).map_err(|error| napi::Error::from_reason(error.to_string()))
}

/// The version of the mtlskit core in this addon.
#[napi]
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

/// An error whose JavaScript `code` is the core's stable code.
fn to_napi_error(error: &mtlskit::Error) -> napi::Error {
    napi::Error::new(
        napi::Status::GenericFailure,
        format!("{}: {error}", error.code()),
    )
}

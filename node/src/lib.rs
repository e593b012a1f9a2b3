//! napi-rs pass-throughs into mtlskit's JSON-shaped API ([`mtlskit::api`]), for Node.js.
//!
//! Each function takes the request as a plain JavaScript object (the field names of
//! `mtlskit inspect --json`; file contents as strings, `Buffer`s or `Uint8Array`s) and, where
//! it matters, the time in seconds since the Unix epoch (the core reads no clock), and returns
//! the response as a plain object; binary values are `Buffer`s. Errors are thrown as
//! JavaScript `Error`s whose `code` property is the core's stable code, set here (not parsed
//! from the message), with the error's typed fields beside it. Randomness comes from the
//! operating system (`getrandom`).

use mtlskit::UnixTime;
use mtlskit::api::{self, ApiError};
use napi::bindgen_prelude::{JsObjectValue, JsValue, Object, Unknown};
use napi::{Env, Result};
use napi_derive::napi;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Everything in a file: `{items: [...]}` (`mtlskit inspect --json`).
#[napi(ts_return_type = "Report")]
pub fn inspect<'env>(env: &'env Env, request: Unknown, time: f64) -> Result<Unknown<'env>> {
    respond(
        env,
        api::inspect(&from_js(env, request)?, unix_time(env, time)?),
    )
}

/// Verifies a chain: `{valid, path}` or `{valid: false, failure}` (`mtlskit verify --json`).
#[napi]
pub fn verify<'env>(env: &'env Env, request: Unknown, time: f64) -> Result<Unknown<'env>> {
    respond(
        env,
        api::verify(&from_js(env, request)?, unix_time(env, time)?),
    )
}

/// Finds the leaves among dropped items and verifies each one's chain.
#[napi]
pub fn verify_set<'env>(env: &'env Env, request: Unknown, time: f64) -> Result<Unknown<'env>> {
    respond(
        env,
        api::verify_set(&from_js(env, request)?, unix_time(env, time)?),
    )
}

/// Issues a certificate by profile.
#[napi]
pub fn issue<'env>(env: &'env Env, request: Unknown, time: f64) -> Result<Unknown<'env>> {
    respond(
        env,
        api::issue(&from_js(env, request)?, unix_time(env, time)?, &mut rng()),
    )
}

/// Creates a certificate signing request.
#[napi]
pub fn csr_new<'env>(env: &'env Env, request: Unknown) -> Result<Unknown<'env>> {
    respond(env, api::csr_new(&from_js(env, request)?, &mut rng()))
}

/// Signs a certificate signing request with a CA.
#[napi]
pub fn csr_sign<'env>(env: &'env Env, request: Unknown, time: f64) -> Result<Unknown<'env>> {
    respond(
        env,
        api::csr_sign(&from_js(env, request)?, unix_time(env, time)?, &mut rng()),
    )
}

/// A whole private PKI as a list of files.
#[napi]
pub fn pki_init<'env>(env: &'env Env, request: Unknown, time: f64) -> Result<Unknown<'env>> {
    respond(
        env,
        api::pki_init(&from_js(env, request)?, unix_time(env, time)?, &mut rng()),
    )
}

/// A whole private PKI as PEM strings: `{ca, intermediate, server, clients}`.
#[napi]
pub fn bundle<'env>(env: &'env Env, request: Unknown, time: f64) -> Result<Unknown<'env>> {
    respond(
        env,
        api::bundle(&from_js(env, request)?, unix_time(env, time)?, &mut rng()),
    )
}

/// A key, certificate and chain as a `.p12` file.
#[napi]
pub fn to_pkcs12<'env>(env: &'env Env, request: Unknown) -> Result<Unknown<'env>> {
    respond(env, api::to_pkcs12(&from_js(env, request)?, &mut rng()))
}

/// The keys and certificates of a `.p12` file.
#[napi]
pub fn from_pkcs12<'env>(env: &'env Env, request: Unknown) -> Result<Unknown<'env>> {
    respond(env, api::from_pkcs12(&from_js(env, request)?))
}

/// PEM <-> DER, to and from PKCS#12.
#[napi]
pub fn convert<'env>(env: &'env Env, request: Unknown, time: f64) -> Result<Unknown<'env>> {
    respond(
        env,
        api::convert(&from_js(env, request)?, unix_time(env, time)?, &mut rng()),
    )
}

/// The version of the mtlskit core in this addon.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

fn from_js<T: DeserializeOwned>(env: &Env, request: Unknown) -> Result<T> {
    env.from_js_value(request)
        .map_err(|error| coded_error(env, &ApiError::invalid_request(error.reason)))
}

fn respond<'env, T: Serialize>(
    env: &'env Env,
    result: std::result::Result<T, ApiError>,
) -> Result<Unknown<'env>> {
    match result {
        Ok(value) => env.to_js_value(&value),
        Err(error) => Err(coded_error(env, &error)),
    }
}

/// A JavaScript `Error` with the message, `code`, and the typed fields of `error`.
fn coded_error(env: &Env, error: &ApiError) -> napi::Error {
    let built = (|| -> Result<Object> {
        let mut thrown = env.create_error(napi::Error::from_reason(error.message.clone()))?;
        let fields = serde_json::to_value(error).unwrap_or_default();
        for (name, value) in fields.as_object().into_iter().flatten() {
            thrown.set_named_property(name, env.to_js_value(value)?)?;
        }
        Ok(thrown)
    })();
    match built {
        Ok(thrown) => napi::Error::from(thrown.to_unknown()),
        Err(failure) => failure,
    }
}

/// The operating system's random number generator. `getrandom` fails only where no secure
/// source exists, and then nothing can be issued safely, so the error is not recoverable.
fn rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}

/// JavaScript's seconds (NaN, infinities and times outside the years 0000-9999 are the error
/// `InvalidTime`, never a silent 1970).
fn unix_time(env: &Env, seconds: f64) -> Result<UnixTime> {
    UnixTime::from_seconds_f64(seconds)
        .map_err(|error| coded_error(env, &ApiError::new(error, "time")))
}

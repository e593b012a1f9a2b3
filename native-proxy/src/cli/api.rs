//! `mtlskit api`: the JSON API of the Node and wasm builds on standard input and output, for
//! scripts in any language and for the cross-runtime parity tests (`tests/parity/`).
//!
//! Each input line is one call, `{"function": "verify", "request": {...}, "time": SECONDS}`
//! (`time` optional: now); each output line is its answer, in order: `{"ok": RESPONSE}` or
//! `{"error": {"code", ...fields, "message", "input"}}`. File contents in requests are strings
//! (PEM, base64) or arrays of byte values; binary results are arrays of byte values.
//! `verify` uses the native signature algorithms, like `mtlskit verify`. Exit 0 when every
//! line was answered (answers that are errors included), 2 when reading or writing fails.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use clap::Args;
use mtlskit::UnixTime;
use mtlskit::api::{self, ApiError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::args;

// Arguments of `mtlskit api` (none: the calls come on standard input).
#[derive(Debug, Args)]
pub struct ApiArgs {}

/// One call: the API function, its request and the time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Call {
    function: String,
    request: Value,
    #[serde(default)]
    time: Option<f64>,
}

const FUNCTIONS: &[&str] = &[
    "inspect",
    "verify",
    "verify_set",
    "generate_key",
    "issue",
    "csr_new",
    "csr_sign",
    "pki_init",
    "bundle",
    "to_pkcs12",
    "from_pkcs12",
    "convert",
];

/// Runs `mtlskit api`.
pub fn run(_: &ApiArgs) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else {
            eprintln!("error: cannot read standard input");
            return ExitCode::from(2);
        };
        if line.trim().is_empty() {
            continue;
        }
        let answer = match answer(&line) {
            Ok(value) => json!({ "ok": value }),
            Err(error) => json!({ "error": error }),
        };
        if writeln!(stdout, "{answer}").is_err() {
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// The response to one input line.
fn answer(line: &str) -> Result<Value, ApiError> {
    let call: Call = serde_json::from_str(line).map_err(ApiError::invalid_request)?;
    let time = match call.time {
        Some(seconds) => {
            UnixTime::from_seconds_f64(seconds).map_err(|error| ApiError::new(error, "time"))?
        }
        None => args::time(None).map_err(|error| ApiError::from(error.error))?,
    };
    let rng = &mut args::rng();
    let request = call.request;
    match call.function.as_str() {
        "inspect" => respond(api::inspect(&parse(request)?, time)),
        "verify" => respond(api::verify_with(
            &parse(request)?,
            time,
            crate::tls::signature_algorithms(),
        )),
        "verify_set" => respond(api::verify_set(&parse(request)?, time)),
        "generate_key" => respond(api::generate_key(&parse(request)?, rng)),
        "issue" => respond(api::issue(&parse(request)?, time, rng)),
        "csr_new" => respond(api::csr_new(&parse(request)?, rng)),
        "csr_sign" => respond(api::csr_sign(&parse(request)?, time, rng)),
        "pki_init" => respond(api::pki_init(&parse(request)?, time, rng)),
        "bundle" => respond(api::bundle(&parse(request)?, time, rng)),
        "to_pkcs12" => respond(api::to_pkcs12(&parse(request)?, rng)),
        "from_pkcs12" => respond(api::from_pkcs12(&parse(request)?)),
        "convert" => respond(api::convert(&parse(request)?, time, rng)),
        other => Err(ApiError::invalid_request(format!(
            "function: unknown function `{other}`, expected one of {}",
            FUNCTIONS.join(", ")
        ))),
    }
}

fn parse<T: DeserializeOwned>(request: Value) -> Result<T, ApiError> {
    serde_json::from_value(request).map_err(ApiError::invalid_request)
}

fn respond<T: Serialize>(result: Result<T, ApiError>) -> Result<Value, ApiError> {
    serde_json::to_value(result?).map_err(ApiError::invalid_request)
}

//! The JSON API (`mtlskit::api`), as the wasm module and the Node addon call it: the first
//! byte chooses the entry point, the rest is the request as JSON text, deserialized with
//! serde_json and passed on with a fixed time and a seeded random number generator.
//!
//! Requests whose cost is large by design are skipped, so that the campaign spends its time
//! on parsing rather than on arithmetic: RSA key generation (seconds per key), more than
//! [`MAXIMUM_LIST`] elements in one list, and the entry points that write PKCS#12 files
//! (`to_pkcs12`, `pki_init`, `bundle`, `convert` to `p12`), which derive keys with 600,000
//! KDF iterations by design. Reading PKCS#12 (`from_pkcs12`, `inspect`, `verify_set`) is
//! fuzzed in full: the KDF limits keep every file to a few seconds at most.

use mtlskit::api::{self, ApiError};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::TIME;

/// Longest list a request may have here (subjectAltNames, items, chains).
const MAXIMUM_LIST: usize = 8;

/// One API call: `data[0]` selects the entry point, `data[1..]` is its JSON request.
pub fn api(data: &[u8]) {
    let Some((&selector, json)) = data.split_first() else {
        return;
    };
    let Ok(value) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    if !affordable(&value) {
        return;
    }
    let mut rng = StdRng::seed_from_u64(u64::from(selector));
    match selector % 9 {
        0 => call(value, |request| api::inspect(&request, TIME)),
        1 => call(value, |request| api::verify(&request, TIME)),
        2 => call(value, |request| api::verify_set(&request, TIME)),
        3 => call(value, |request| api::from_pkcs12(&request)),
        4 => call(value, |request| api::generate_key(&request, &mut rng)),
        5 => call(value, |request| api::issue(&request, TIME, &mut rng)),
        6 => call(value, |request| api::csr_new(&request, &mut rng)),
        7 => call(value, |request| api::csr_sign(&request, TIME, &mut rng)),
        _ => call(value, |request: api::ConvertRequest| {
            if request.to == api::Format::P12 {
                return Ok(());
            }
            api::convert(&request, TIME, &mut rng).map(|_| ())
        }),
    }
}

/// Deserializes the request as the bindings do (an error is `InvalidRequest`) and calls the
/// entry point.
fn call<Request, Response>(
    value: Value,
    entry_point: impl FnOnce(Request) -> Result<Response, ApiError>,
) where
    Request: DeserializeOwned,
{
    let request = match serde_json::from_value::<Request>(value) {
        Ok(request) => request,
        Err(error) => {
            let _ = ApiError::invalid_request(error).to_string();
            return;
        }
    };
    if let Err(error) = entry_point(request) {
        let _ = serde_json::to_string(&error);
    }
}

/// Whether the request is free of the costs that are large by design (see the module
/// documentation).
fn affordable(value: &Value) -> bool {
    match value {
        Value::Array(elements) => elements.len() <= MAXIMUM_LIST && elements.iter().all(affordable),
        Value::Object(fields) => fields.iter().all(|(name, field)| {
            let rsa = name == "key_type"
                && field
                    .as_str()
                    .is_some_and(|text| text.to_ascii_lowercase().contains("rsa"));
            !rsa && affordable(field)
        }),
        _ => true,
    }
}

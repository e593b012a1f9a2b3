//! The reference runner: a vector's call through `mtlskit::api`, as the bindings make it.

use mtlskit::UnixTime;
use mtlskit::api::{self, ApiError};
use mtlskit::crypto::Algorithms;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// `{"ok": RESULT}` or `{"error": {"code", ...}}` for `vector` (its call, then its `then`
/// call), verifying with `algorithms`, randomness from `seed`.
pub fn outcome(vector: &Value, algorithms: Algorithms, seed: u64) -> Value {
    let mut rng = StdRng::seed_from_u64(seed);
    let time = UnixTime(vector["time"].as_i64().expect("time"));
    let mut result = call(
        vector["function"].as_str().expect("function"),
        decode(&vector["request"], &Value::Null),
        time,
        algorithms,
        &mut rng,
    );
    if let (Ok(first), Some(then)) = (&result, vector.get("then")) {
        result = call(
            then["function"].as_str().expect("then.function"),
            decode(&then["request"], first),
            time,
            algorithms,
            &mut rng,
        );
    }
    match result {
        Ok(value) => json!({ "ok": value }),
        Err(error) => json!({ "error": error }),
    }
}

/// One API call; `request` is the JSON the bindings would receive.
fn call(
    function: &str,
    request: Value,
    time: UnixTime,
    algorithms: Algorithms,
    rng: &mut StdRng,
) -> Result<Value, ApiError> {
    match function {
        "inspect" => respond(api::inspect(&parse(request)?, time)),
        "verify" => respond(api::verify_with(&parse(request)?, time, algorithms)),
        "verify_set" => respond(api::verify_set(&parse(request)?, time)),
        "issue" => respond(api::issue(&parse(request)?, time, rng)),
        "csr_sign" => respond(api::csr_sign(&parse(request)?, time, rng)),
        "to_pkcs12" => respond(api::to_pkcs12(&parse(request)?, rng)),
        "from_pkcs12" => respond(api::from_pkcs12(&parse(request)?)),
        "convert" => respond(api::convert(&parse(request)?, time, rng)),
        other => panic!("no parity runner for {other}"),
    }
}

fn parse<T: DeserializeOwned>(request: Value) -> Result<T, ApiError> {
    serde_json::from_value(request).map_err(ApiError::invalid_request)
}

fn respond<T: Serialize>(result: Result<T, ApiError>) -> Result<Value, ApiError> {
    Ok(serde_json::to_value(result?).expect("responses serialize"))
}

/// The request with `{"$hex": ...}` as arrays of byte values and `{"$result": FIELD}` as that
/// field of the previous call's result.
fn decode(value: &Value, previous: &Value) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(text)) = map.get("$hex") {
                let bytes: Vec<Value> = (0..text.len())
                    .step_by(2)
                    .map(|at| json!(u8::from_str_radix(&text[at..at + 2], 16).unwrap()))
                    .collect();
                return Value::Array(bytes);
            }
            if let Some(Value::String(field)) = map.get("$result") {
                return previous[field.as_str()].clone();
            }
            map.iter()
                .map(|(key, inner)| (key.clone(), decode(inner, previous)))
                .collect()
        }
        Value::Array(items) => items.iter().map(|item| decode(item, previous)).collect(),
        other => other.clone(),
    }
}

//! Cross-runtime parity vectors (issue 14 point 1): the generator of
//! `tests/parity/vectors/*.json` and the reference runner.
//!
//! Each vector is an API call (function, request, time) with the result the core gives with
//! its RustCrypto signature algorithms. This test regenerates every vector from its sources
//! (the fixed inputs in `tests/parity/inputs/`, the x509-limbo suites, chains issued here with
//! fixed keys, serials and times) and fails when the checked-in files differ
//! (`MTLSKIT_UPDATE_VECTORS=1` rewrites them: `make parity-vectors`). It then replays the
//! checked-in vectors with the native signature list (rustls' ring provider, then the core's)
//! and writes what it got to `target/parity/rust-ring.json` for `tests/parity/compare.mjs`,
//! beside the CLI, Node addon, wasm and Chromium runners.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the test loudly"
)]

mod call;
mod errors;
mod inspect;
mod issue;
mod pkcs12;
mod verify;

use std::path::PathBuf;

use mtlskit::crypto::ALGORITHMS;
use serde_json::{Map, Value, json};

/// The time of every vector that does not bring its own: 2026-06-01T00:00:00Z.
pub const TIME: i64 = 1_780_272_000;

/// A vector before its result is computed.
#[derive(Debug, Clone)]
pub struct Case {
    id: String,
    function: &'static str,
    time: i64,
    request: Value,
    then: Option<Value>,
    replay: Option<Value>,
    note: Option<String>,
}

impl Case {
    /// A call of `function` with `request` at [`TIME`].
    pub fn new(id: impl Into<String>, function: &'static str, request: Value) -> Self {
        Self {
            id: id.into(),
            function,
            time: TIME,
            request,
            then: None,
            replay: None,
            note: None,
        }
    }

    /// At `time` (seconds since the epoch).
    pub fn at(mut self, time: i64) -> Self {
        self.time = time;
        self
    }

    /// A second call whose request may use the first one's result (`{"$result": FIELD}`); its
    /// result is the vector's.
    pub fn then(mut self, function: &str, request: Value) -> Self {
        self.then = Some(json!({"function": function, "request": request}));
        self
    }

    /// The private key of a client chain, for the proxy replay (point 2).
    pub fn replay_key(mut self, key_pem: &str) -> Self {
        self.replay = Some(json!({ "key": key_pem }));
        self
    }

    /// A remark for readers (e.g. options of the source that the API cannot express).
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// Makes the cases of one vector file.
type Builder = fn() -> Vec<Case>;

/// The vector files: name and case builder.
const FILES: [(&str, Builder); 5] = [
    ("inspect", inspect::cases),
    ("verify", verify::cases),
    ("issue", issue::cases),
    ("pkcs12", pkcs12::cases),
    ("errors", errors::cases),
];

#[test]
fn vectors_are_generated_by_the_checked_in_generator() {
    let update = std::env::var("MTLSKIT_UPDATE_VECTORS").is_ok_and(|value| value == "1");
    let mut stale = Vec::new();
    for (name, cases) in FILES {
        let text = file_text(name, &cases());
        let path = vectors_dir().join(format!("{name}.json"));
        if update {
            std::fs::create_dir_all(vectors_dir()).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "these vector files differ from what the generator makes: {stale:?}\n\
         if the change is intended, run `make parity-vectors` and commit the files"
    );
}

#[test]
fn native_signature_algorithms_runner() {
    let algorithms = mtlskit_tests::native_algorithms();
    let mut results = Map::new();
    let mut count = 0;
    for (name, _) in FILES {
        let path = vectors_dir().join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).unwrap();
        let file: Value = serde_json::from_str(&text).unwrap();
        for vector in file["vectors"].as_array().unwrap() {
            let outcome = call::outcome(vector, algorithms, 1);
            results.insert(vector["id"].as_str().unwrap().to_owned(), outcome);
            count += 1;
        }
    }
    assert!(count > 1000, "only {count} vectors");
    let directory = mtlskit_tests::repo_root().join("target/parity");
    std::fs::create_dir_all(&directory).unwrap();
    let report = json!({"runner": "rust-ring", "results": results});
    std::fs::write(directory.join("rust-ring.json"), report.to_string()).unwrap();
}

fn vectors_dir() -> PathBuf {
    mtlskit_tests::repo_root().join("tests/parity/vectors")
}

/// A vector file: one vector per line, so that a change reads as a short diff.
fn file_text(name: &str, cases: &[Case]) -> String {
    let mut seen = std::collections::BTreeSet::new();
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for case in cases {
        assert!(seen.insert(case.id.clone()), "duplicate id {}", case.id);
        match vector(case) {
            Ok(vector) => lines.push(vector.to_string()),
            Err(problem) => problems.push(problem),
        }
    }
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    format!(
        "{{\"kind\": \"{name}\", \"generator\": \"tests/tests/parity/\", \"time\": {TIME}, \"vectors\": [\n{}\n]}}\n",
        lines.join(",\n")
    )
}

/// The vector of `case`: its call and the result, which must not depend on randomness (and
/// for `errors/CODE/...` must be the error CODE).
fn vector(case: &Case) -> Result<Value, String> {
    let mut vector = json!({
        "id": case.id,
        "function": case.function,
        "time": case.time,
        "request": case.request,
    });
    for (key, value) in [("then", &case.then), ("replay", &case.replay)] {
        if let Some(value) = value {
            vector[key] = value.clone();
        }
    }
    if let Some(note) = &case.note {
        vector["note"] = json!(note);
    }
    let expected = call::outcome(&vector, ALGORITHMS, 1);
    let again = call::outcome(&vector, ALGORITHMS, 2);
    if expected != again {
        let id = &case.id;
        return Err(format!(
            "{id}: the result depends on randomness: {expected} / {again}"
        ));
    }
    if let Some(code) = case.id.strip_prefix("errors/") {
        let code = code.split('/').next().unwrap_or_default();
        if expected["error"]["code"] != code {
            return Err(format!("{}: not {code}: {expected}", case.id));
        }
    }
    vector["expected"] = expected;
    Ok(vector)
}

/// The text of `tests/parity/inputs/NAME`.
pub fn input(name: &str) -> String {
    String::from_utf8(input_bytes(name)).unwrap()
}

/// The bytes of `tests/parity/inputs/NAME`.
pub fn input_bytes(name: &str) -> Vec<u8> {
    let path = mtlskit_tests::repo_root()
        .join("tests/parity/inputs")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Bytes in a request: `{"$hex": "..."}` (the runners turn it into their runtime's bytes).
pub fn hex(bytes: &[u8]) -> Value {
    let text: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    json!({ "$hex": text })
}

/// The DER of the first PEM block of `text`.
pub fn der(text: &str) -> Vec<u8> {
    let start = text.find("-----BEGIN").unwrap();
    pem_rfc7468::decode_vec(&text.as_bytes()[start..])
        .unwrap()
        .1
}

/// The successful result of an API call made while generating (e.g. a `.p12` to read back),
/// with randomness from a fixed seed.
pub fn made(function: &str, request: Value) -> Value {
    let vector = json!({"function": function, "request": request, "time": TIME});
    let outcome = call::outcome(&vector, ALGORITHMS, 7);
    outcome
        .get("ok")
        .cloned()
        .unwrap_or_else(|| panic!("{function} failed while generating: {outcome}"))
}

/// The bytes of a result field (an array of byte values).
pub fn bytes_of(value: &Value) -> Vec<u8> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not bytes: {value}"))
        .iter()
        .map(|byte| u8::try_from(byte.as_u64().unwrap()).unwrap())
        .collect()
}

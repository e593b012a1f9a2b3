//! x509-limbo harness: reads a suite (`{"version":1,"testcases":[...]}`) on stdin, verifies each
//! testcase with `mtlskit::verify`, and writes a LimboResult on stdout:
//! `{"version":1,"harness":"mtlskit","results":[{"id","actual_result","context"}]}`.
//!
//! With `--report SUITE...` it instead prints, per namespace, how many results match the
//! expected ones, how many are unexpected successes / failures, and how many were skipped.
//!
//! Signature algorithms: the core's RustCrypto list, or with `MTLSKIT_ALGORITHMS=native` the
//! list native code uses (`mtlskit_tests::native_algorithms`); `tests/limbo.rs` runs both and
//! compares every verdict and error code.
//!
//! Profile choice: testcases in the `webpki::` namespace are verified with
//! `Profile::WebPki` (CA/Browser Forum rules), all others with `Profile::Rfc5280`: the namespace
//! names the profile a testcase is about, and a few testcases of the two conflict by design
//! (`conflicts_with`).

use std::collections::BTreeMap;
use std::io::Read;
use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use mtlskit::UnixTime;
use mtlskit::verify::{Input, Item, KeyUsageBit, Options, PeerName, Profile, Purpose, verify};
use serde_json::{Value, json};

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let code = match arguments.split_first() {
        Some((flag, files)) if flag == "--report" => report(files),
        _ => run_stdin(),
    };
    std::process::exit(code);
}

fn run_stdin() -> i32 {
    let mut text = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("limbo: cannot read stdin: {error}");
        return 2;
    }
    match run_suite(&text) {
        Ok(results) => {
            println!(
                "{}",
                json!({"version": 1, "harness": "mtlskit", "results": results})
            );
            0
        }
        Err(message) => {
            eprintln!("limbo: {message}");
            2
        }
    }
}

/// Runs every testcase of a suite; returns the result objects.
fn run_suite(text: &str) -> Result<Vec<Value>, String> {
    let suite: Value = serde_json::from_str(text).map_err(|error| format!("bad JSON: {error}"))?;
    let testcases = suite
        .get("testcases")
        .and_then(Value::as_array)
        .ok_or("no testcases array")?;
    Ok(testcases.iter().map(run_testcase).collect())
}

fn run_testcase(testcase: &Value) -> Value {
    let id = testcase
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let (actual, context) = match prepare(testcase) {
        Err(Skip(reason)) => ("SKIPPED", reason),
        Ok((input, options, names)) => verify_all_names(&input, options, names),
    };
    json!({"id": id, "actual_result": actual, "context": context})
}

/// Verifies once per expected peer name (or once without one); every one must succeed.
fn verify_all_names(
    input: &Input,
    mut options: Options,
    names: Vec<PeerName>,
) -> (&'static str, String) {
    let names: Vec<Option<PeerName>> = if names.is_empty() {
        vec![None]
    } else {
        names.into_iter().map(Some).collect()
    };
    let mut context = String::new();
    for name in names {
        options.peer_name = name;
        match verify(input, &options) {
            Ok(verified) => {
                let path: Vec<String> = verified.path.iter().map(|c| c.subject.clone()).collect();
                context = format!("path: {}", path.join(" <- "));
            }
            Err(failure) => return ("FAILURE", format!("[{}] {}", failure.code, failure.message)),
        }
    }
    ("SUCCESS", context)
}

struct Skip(String);

fn prepare(testcase: &Value) -> Result<(Input, Options, Vec<PeerName>), Skip> {
    let id = text(testcase, "id");
    let signature_algorithms = testcase
        .get("signature_algorithms")
        .and_then(Value::as_array);
    if signature_algorithms.is_some_and(|list| !list.is_empty()) {
        return Err(Skip(
            "signature_algorithms constraints are not supported".to_owned(),
        ));
    }
    let time = match testcase.get("validation_time").and_then(Value::as_str) {
        Some(value) => UnixTime::parse_rfc3339(value).map_err(|e| Skip(e.to_string()))?,
        None => UnixTime(now()),
    };
    let mut options = Options::at(time);
    if std::env::var("MTLSKIT_ALGORITHMS").is_ok_and(|list| list == "native") {
        options.signature_algorithms = mtlskit_tests::native_algorithms();
    }
    options.profile = if id.starts_with("webpki::") {
        Profile::WebPki
    } else {
        Profile::Rfc5280
    };
    let client = text(testcase, "validation_kind") == "CLIENT";
    options.purpose = purpose(testcase, client)?;
    let names = peer_names(testcase, client)?;
    options.leaf_key_usage = key_usages(testcase)?;
    if let Some(depth) = testcase.get("max_chain_depth").and_then(Value::as_u64) {
        options.maximum_intermediates = usize::try_from(depth).unwrap_or(usize::MAX);
    }
    let input = Input {
        leaf: pems(
            &[testcase
                .get("peer_certificate")
                .cloned()
                .unwrap_or_default()],
            "leaf",
        )
        .into_iter()
        .next(),
        intermediates: pems(array(testcase, "untrusted_intermediates"), "intermediate"),
        anchors: pems(array(testcase, "trusted_certs"), "trust anchor"),
        crls: pems(array(testcase, "crls"), "CRL"),
    };
    Ok((input, options, names))
}

fn purpose(testcase: &Value, client: bool) -> Result<Purpose, Skip> {
    let mut oids = Vec::new();
    for usage in array(testcase, "extended_key_usage") {
        let oid = match usage.as_str().unwrap_or_default() {
            "serverAuth" => "1.3.6.1.5.5.7.3.1",
            "clientAuth" => "1.3.6.1.5.5.7.3.2",
            "codeSigning" => "1.3.6.1.5.5.7.3.3",
            "emailProtection" => "1.3.6.1.5.5.7.3.4",
            "timeStamping" => "1.3.6.1.5.5.7.3.8",
            "OCSPSigning" => "1.3.6.1.5.5.7.3.9",
            "anyExtendedKeyUsage" => "2.5.29.37.0",
            other => return Err(Skip(format!("unknown extended key usage {other}"))),
        };
        oids.push(oid.to_owned());
    }
    Ok(match (oids.is_empty(), client) {
        (false, _) => Purpose::ExtendedKeyUsages(oids),
        (true, true) => Purpose::Client,
        (true, false) => Purpose::Server,
    })
}

fn peer_names(testcase: &Value, client: bool) -> Result<Vec<PeerName>, Skip> {
    let names: Vec<Value> = if client {
        array(testcase, "expected_peer_names").to_vec()
    } else {
        testcase
            .get("expected_peer_name")
            .into_iter()
            .filter(|v| !v.is_null())
            .cloned()
            .collect()
    };
    names
        .iter()
        .map(|name| {
            let value = text(name, "value").to_owned();
            Ok(match text(name, "kind") {
                "DNS" => PeerName::Dns(value),
                "RFC822" => PeerName::Email(value),
                "IP" => PeerName::Ip(
                    value
                        .parse::<IpAddr>()
                        .map_err(|e| Skip(format!("bad IP: {e}")))?,
                ),
                other => return Err(Skip(format!("unknown peer name kind {other}"))),
            })
        })
        .collect()
}

fn key_usages(testcase: &Value) -> Result<Vec<KeyUsageBit>, Skip> {
    array(testcase, "key_usage")
        .iter()
        .map(|usage| {
            Ok(match usage.as_str().unwrap_or_default() {
                "digitalSignature" => KeyUsageBit::DigitalSignature,
                "contentCommitment" => KeyUsageBit::ContentCommitment,
                "keyEncipherment" => KeyUsageBit::KeyEncipherment,
                "dataEncipherment" => KeyUsageBit::DataEncipherment,
                "keyAgreement" => KeyUsageBit::KeyAgreement,
                "keyCertSign" => KeyUsageBit::KeyCertSign,
                "cRLSign" => KeyUsageBit::CrlSign,
                "encipherOnly" => KeyUsageBit::EncipherOnly,
                "decipherOnly" => KeyUsageBit::DecipherOnly,
                other => return Err(Skip(format!("unknown key usage {other}"))),
            })
        })
        .collect()
}

fn pems(values: &[Value], role: &str) -> Vec<Item> {
    values
        .iter()
        .enumerate()
        .filter_map(|(index, value)| {
            let (_, der) = pem_rfc7468::decode_vec(value.as_str()?.as_bytes()).ok()?;
            Some(Item::new(der, format!("{role} {}", index + 1)))
        })
        .collect()
}

fn array<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn now() -> i64 {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(seconds).unwrap_or(i64::MAX)
}

/// Per-namespace counts: match, unexpected success, unexpected failure, skipped.
fn report(files: &[String]) -> i32 {
    let mut table: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else {
            eprintln!("limbo: cannot read {file}");
            return 2;
        };
        let suite: Value = serde_json::from_str(&text).unwrap_or_default();
        let Ok(results) = run_suite(&text) else {
            eprintln!("limbo: {file} is not a suite");
            return 2;
        };
        for (testcase, result) in array(&suite, "testcases").iter().zip(&results) {
            let id = text_of(testcase, "id");
            let namespace = id.rsplit_once("::").map_or(id, |(namespace, _)| namespace);
            let column = match (
                text_of(result, "actual_result"),
                text_of(testcase, "expected_result"),
            ) {
                ("SKIPPED", _) => 3,
                (actual, expected) if actual == expected => 0,
                ("SUCCESS", _) => 1,
                _ => 2,
            };
            if column != 0 {
                println!(
                    "{:<8} {id}: {}",
                    match column {
                        1 => "UNEXPECTED-SUCCESS",
                        2 => "UNEXPECTED-FAILURE",
                        _ => "SKIPPED",
                    },
                    text_of(result, "context")
                );
            }
            if let Some(cell) = table
                .entry(namespace.to_owned())
                .or_default()
                .get_mut(column)
            {
                *cell += 1;
            }
        }
    }
    println!(
        "\n{:<32} {:>6} {:>10} {:>10} {:>8}",
        "namespace", "match", "unexp-ok", "unexp-fail", "skipped"
    );
    let mut total = [0usize; 4];
    for (namespace, counts) in &table {
        println!(
            "{namespace:<32} {:>6} {:>10} {:>10} {:>8}",
            counts[0], counts[1], counts[2], counts[3]
        );
        for (sum, count) in total.iter_mut().zip(counts) {
            *sum += count;
        }
    }
    println!(
        "{:<32} {:>6} {:>10} {:>10} {:>8}",
        "TOTAL", total[0], total[1], total[2], total[3]
    );
    0
}

fn text_of<'a>(value: &'a Value, key: &str) -> &'a str {
    text(value, key)
}

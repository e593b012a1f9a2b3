//! Issue 14 point 2: every CLIENT-purpose verify vector of `tests/parity/vectors/verify.json`
//! is replayed as a real TLS handshake (curl presenting the vector's chain with its key)
//! against `mtlskit proxy terminate` on 127.0.0.1, one proxy per anchor set. The proxy must
//! accept exactly the chains the verifier accepts when asked what the proxy asks (client
//! purpose, the default profile, no peer name, the current time: one `mtlskit api` process
//! for all of them), and refuse the others for the same rule. Where a vector asks exactly that
//! (the parity PKI's client chains, valid around the vectors' time and today), the proxy's
//! answer must also be the vector's expected verdict.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::pki::Pki;
use crate::support::upstream::Upstream;
use crate::support::{Proxy, TempDir, curl_as_client, mtlskit_binary, run_with_input};

#[test]
fn every_client_verify_vector_gets_the_verifiers_verdict_from_the_proxy() {
    let vectors = client_vectors();
    assert!(vectors.len() >= 10, "only {} client vectors", vectors.len());
    let verdicts = verifier_verdicts(&vectors);
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, vector) in vectors.iter().enumerate() {
        let request = &vector["request"];
        let key = json!([request["anchors"], request["crls"]]).to_string();
        groups.entry(key).or_default().push(index);
    }
    let pki = Pki::new("replay");
    let upstream = Upstream::http();
    let files = TempDir::new("replay-vectors");
    let (mut accepted, mut refused, mut checked_against_vector) = (0, 0, 0);
    for (group, members) in groups.values().enumerate() {
        let proxy = start_proxy(&pki, &upstream, &files, group, &vectors[members[0]]);
        for &index in members {
            let vector = &vectors[index];
            let id = vector["id"].as_str().unwrap();
            let verdict = &verdicts[index];
            let proxy_accepts = handshake(&proxy, &pki, &files, index, vector);
            assert_eq!(
                proxy_accepts,
                verdict["valid"] == true,
                "{id}: proxy accepts: {proxy_accepts}, verifier: {verdict}\nlog:\n{}",
                proxy.log()
            );
            if proxy_accepts {
                accepted += 1;
            } else {
                refused += 1;
                let code = verdict["failure"]["code"].as_str().unwrap().to_owned();
                proxy.wait_event(Duration::from_secs(5), |event| {
                    event["message"] == "connection refused" && event["rule"] == code.as_str()
                });
            }
            if asks_what_the_proxy_asks(&vector["request"]) {
                assert_eq!(
                    proxy_accepts,
                    vector["expected"]["ok"]["valid"] == true,
                    "{id}"
                );
                checked_against_vector += 1;
            }
        }
    }
    assert!(
        accepted >= 3 && refused >= 3,
        "{accepted} accepted, {refused} refused"
    );
    assert!(checked_against_vector >= 5, "{checked_against_vector}");
}

/// The verify vectors with `purpose: "client"` (each carries its client key).
fn client_vectors() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/parity/vectors/verify.json"
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|vector| vector["request"]["purpose"] == "client")
        .inspect(|vector| assert!(vector["replay"]["key"].is_string(), "{}", vector["id"]))
        .cloned()
        .collect()
}

/// What the verifier says of each chain when asked what the proxy asks, now.
fn verdicts_request(vector: &Value) -> Value {
    let request = &vector["request"];
    json!({"function": "verify", "request": {
        "leaf": request["leaf"],
        "intermediates": request["intermediates"].as_array().cloned().unwrap_or_default(),
        "anchors": request["anchors"],
        "crls": request["crls"].as_array().cloned().unwrap_or_default(),
        "purpose": "client",
    }})
}

fn verifier_verdicts(vectors: &[Value]) -> Vec<Value> {
    let input: String = vectors
        .iter()
        .map(|vector| format!("{}\n", verdicts_request(vector)))
        .collect();
    let output = run_with_input(mtlskit_binary(), &["api"], input.as_bytes());
    assert!(output.status.success(), "{output:?}");
    let answers: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["ok"].clone())
        .collect();
    assert_eq!(answers.len(), vectors.len());
    answers
}

/// A vector whose request is the proxy's question: client purpose, no name, default profile.
fn asks_what_the_proxy_asks(request: &Value) -> bool {
    let object = request.as_object().unwrap();
    object
        .keys()
        .all(|key| ["leaf", "intermediates", "anchors", "crls", "purpose"].contains(&key.as_str()))
}

fn start_proxy(
    pki: &Pki,
    upstream: &Upstream,
    files: &TempDir,
    group: usize,
    vector: &Value,
) -> Proxy {
    let request = &vector["request"];
    let anchors: String = request["anchors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pem| pem.as_str().unwrap())
        .collect();
    let anchors = files.write(&format!("anchors-{group}.pem"), anchors);
    let target = upstream.target();
    let (certificate, key) = (pki.path("server-fullchain.crt"), pki.path("server.key"));
    let mut arguments = vec![
        "terminate".to_owned(),
        "--listen".to_owned(),
        "127.0.0.1:0".to_owned(),
        "--target".to_owned(),
        target,
        "--cert".to_owned(),
        certificate,
        "--key".to_owned(),
        key,
        "--client-ca".to_owned(),
        anchors,
    ];
    for (index, crl) in request["crls"].as_array().into_iter().flatten().enumerate() {
        let path = files.write(&format!("crl-{group}-{index}.pem"), crl.as_str().unwrap());
        arguments.extend(["--crl".to_owned(), path]);
    }
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    Proxy::start(&arguments)
}

/// One HTTPS request through the proxy with the vector's chain and key: true when the
/// upstream answered (the handshake, client certificate included, was accepted).
fn handshake(proxy: &Proxy, pki: &Pki, files: &TempDir, index: usize, vector: &Value) -> bool {
    let request = &vector["request"];
    let mut chain = request["leaf"].as_str().unwrap().to_owned();
    for intermediate in request["intermediates"].as_array().into_iter().flatten() {
        chain.push_str(intermediate.as_str().unwrap());
    }
    let chain = files.write(&format!("chain-{index}.pem"), chain);
    let key = files.write(
        &format!("key-{index}.pem"),
        vector["replay"]["key"].as_str().unwrap(),
    );
    let port = proxy.port();
    let answer = curl_as_client(port, &pki.path("ca.crt"), &chain, &key, "/");
    answer.status == 200
}

//! Verify vectors: every x509-limbo testcase (as an API request: what the JSON API can
//! express of it) and chains of the parity PKI, valid and broken in the usual ways. Vectors
//! with `purpose: "client"` carry the client's key (`replay`) for the proxy replay.

use serde_json::{Value, json};

use crate::issue::{Pki, certificate, pki, request, signed_by};
use crate::{Case, input};

pub fn cases() -> Vec<Case> {
    let mut cases = limbo();
    cases.extend(own_chains(&pki()));
    cases
}

fn limbo() -> Vec<Case> {
    let directory = mtlskit_tests::shared_dir().join("conformance/limbo");
    let mut cases = Vec::new();
    for suite in ["limbo-dev.json", "bettertls-pathbuilding-dev.json"] {
        let text = std::fs::read_to_string(directory.join(suite)).unwrap();
        let json: Value = serde_json::from_str(&text).unwrap();
        for testcase in json["testcases"].as_array().unwrap() {
            cases.extend(limbo_case(testcase));
        }
    }
    cases
}

/// One vector per expected peer name (one without a name when there is none).
fn limbo_case(testcase: &Value) -> Vec<Case> {
    let id = testcase["id"].as_str().unwrap();
    let client = testcase["validation_kind"] == "CLIENT";
    let mut base = json!({
        "leaf": testcase["peer_certificate"],
        "intermediates": testcase["untrusted_intermediates"],
        "anchors": testcase["trusted_certs"],
        "crls": testcase["crls"].as_array().cloned().unwrap_or_default(),
        "profile": if id.starts_with("webpki::") { "webpki" } else { "rfc5280" },
    });
    let mut dropped = Vec::new();
    base["purpose"] = json!(purpose(testcase, client, &mut dropped));
    for option in ["key_usage", "signature_algorithms"] {
        if testcase[option]
            .as_array()
            .is_some_and(|list| !list.is_empty())
        {
            dropped.push(option.to_owned());
        }
    }
    if !testcase["max_chain_depth"].is_null() {
        dropped.push("max_chain_depth".to_owned());
    }
    let time = testcase["validation_time"]
        .as_str()
        .map(|text| mtlskit::UnixTime::parse_rfc3339(text).unwrap().0)
        .unwrap_or(crate::TIME);
    let names: Vec<Value> = if client {
        testcase["expected_peer_names"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    } else {
        testcase["expected_peer_name"]
            .as_object()
            .map(|name| vec![Value::Object(name.clone())])
            .unwrap_or_default()
    };
    let named: Vec<(String, Value)> = if names.is_empty() {
        vec![(format!("limbo/{id}"), base)]
    } else {
        names
            .iter()
            .enumerate()
            .map(|(index, name)| {
                let mut request = base.clone();
                let field = match name["kind"].as_str().unwrap() {
                    "DNS" => "host",
                    "IP" => "ip",
                    _ => "email",
                };
                request[field] = name["value"].clone();
                (format!("limbo/{id}#{index}"), request)
            })
            .collect()
    };
    named
        .into_iter()
        .map(|(vector_id, request)| {
            let mut case = Case::new(vector_id, "verify", request).at(time);
            if client && let Some(key) = testcase["peer_certificate_key"].as_str() {
                case = case.replay_key(key);
            }
            if !dropped.is_empty() {
                let note = format!(
                    "not expressible in the API, left out: {}",
                    dropped.join(", ")
                );
                case = case.note(note);
            }
            case
        })
        .collect()
}

/// `server` / `client` for the TLS purposes, `any` for other extended key usages (noted).
fn purpose(testcase: &Value, client: bool, dropped: &mut Vec<String>) -> &'static str {
    let usages: Vec<&str> = testcase["extended_key_usage"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    match usages.as_slice() {
        [] if client => "client",
        [] | ["serverAuth"] => "server",
        ["clientAuth"] => "client",
        _ => {
            dropped.push(format!("extended_key_usage {usages:?}"));
            "any"
        }
    }
}

/// Chains of the parity PKI; client chains carry their key for the proxy replay.
fn own_chains(pki: &Pki) -> Vec<Case> {
    let leaf = |request: Value, issuer: &str, issuer_key: &str| {
        certificate(signed_by(request, issuer, issuer_key))
    };
    let mut server = request("server", "server.parity.example", "p256.key", "30");
    server["subject_alt_names"] = json!(["server.parity.example", "IP:127.0.0.1"]);
    let server = leaf(server, &pki.intermediate, "rsa2048.key");
    let server_chain = format!("{server}{}", pki.intermediate);
    let verify = |id: &str, leaf: &str, extra: Value| {
        let mut request = json!({"leaf": leaf, "anchors": [pki.root]});
        for (key, value) in extra.as_object().unwrap() {
            request[key] = value.clone();
        }
        Case::new(format!("own/{id}"), "verify", request)
    };
    let mut cases = vec![
        verify(
            "server",
            &server_chain,
            json!({"host": "server.parity.example"}),
        ),
        verify("server-ip", &server_chain, json!({"ip": "127.0.0.1"})),
        verify(
            "server-wrong-host",
            &server_chain,
            json!({"host": "other.example"}),
        ),
        verify("server-wrong-ip", &server_chain, json!({"ip": "::1"})),
        verify(
            "server-rfc5280",
            &server_chain,
            json!({"profile": "rfc5280"}),
        ),
        verify(
            "server-webpki",
            &server_chain,
            json!({"profile": "webpki", "host": "server.parity.example"}),
        ),
        verify(
            "server-separate-intermediate",
            &server,
            json!({"intermediates": [pki.intermediate]}),
        ),
        verify("server-missing-intermediate", &server, json!({})),
        verify(
            "server-stranger-anchor",
            &server_chain,
            json!({"anchors": [pki.stranger]}),
        ),
        verify("server-at-2040", &server_chain, json!({})).at(2_208_988_800),
        verify(
            "server-as-client",
            &server_chain,
            json!({"purpose": "client"}),
        )
        .replay_key(&input("p256.key")),
    ];
    cases.extend(clients(pki));
    cases.push(Case::new(
        "own/verify-set",
        "verify_set",
        json!({"items": [
            {"name": "server.crt", "data": server},
            {"name": "intermediate.crt", "data": pki.intermediate},
            {"name": "root.crt", "data": pki.root, "trusted": true},
        ], "host": "server.parity.example"}),
    ));
    cases
}

/// Client chains: valid, expired, not yet valid, inside and outside name constraints.
fn clients(pki: &Pki) -> Vec<Case> {
    let client = |common_name: &str, serial: &str, validity: Option<(&str, &str)>| {
        let mut request = request("client", common_name, "ed25519.key", serial);
        if let Some((from, until)) = validity {
            request["validity"] = json!({"not_before": from, "not_after": until});
        }
        certificate(signed_by(request, &pki.intermediate, "rsa2048.key"))
    };
    let constrained = |common_name: &str, name: &str, serial: &str| {
        let mut request = request("client", common_name, "p256.key", serial);
        request["subject_alt_names"] = json!([name]);
        certificate(signed_by(request, &pki.constrained, "ec-params-sec1.key"))
    };
    let chains = [
        (
            "client",
            client("client", "40", None),
            &pki.intermediate,
            "ed25519.key",
        ),
        (
            "client-expired",
            client(
                "expired",
                "41",
                Some(("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z")),
            ),
            &pki.intermediate,
            "ed25519.key",
        ),
        (
            "client-not-yet-valid",
            client(
                "future",
                "42",
                Some(("2090-01-01T00:00:00Z", "2091-01-01T00:00:00Z")),
            ),
            &pki.intermediate,
            "ed25519.key",
        ),
        (
            "client-inside-constraints",
            constrained("alice", "DNS:alice.example.com", "43"),
            &pki.constrained,
            "p256.key",
        ),
        (
            "client-outside-constraints",
            constrained("mallory", "DNS:mallory.other.org", "44"),
            &pki.constrained,
            "p256.key",
        ),
        (
            "client-excluded-subtree",
            constrained("eve", "DNS:eve.bad.example.com", "45"),
            &pki.constrained,
            "p256.key",
        ),
    ];
    chains
        .into_iter()
        .map(|(id, leaf, intermediate, key)| {
            let request = json!({
                "leaf": format!("{leaf}{intermediate}"),
                "anchors": [pki.root],
                "purpose": "client",
            });
            Case::new(format!("own/{id}"), "verify", request).replay_key(&input(key))
        })
        .collect()
}

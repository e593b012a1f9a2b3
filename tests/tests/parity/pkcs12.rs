//! PKCS#12 vectors: `.p12` files from openssl and from mtlskit read back, and round trips
//! (`to_pkcs12` or `convert`, then `from_pkcs12` or `convert` to PEM on the result: the
//! written file has random salts, what it holds does not).

use serde_json::{Value, json};

use crate::issue::pki;
use crate::{Case, bytes_of, hex, input, input_bytes, made};

pub fn cases() -> Vec<Case> {
    let pki = pki();
    let chain = [pki.intermediate.clone(), pki.root.clone()];
    let mut cases = vec![Case::new(
        "pkcs12/read-openssl",
        "from_pkcs12",
        json!({"data": hex(&input_bytes("openssl-root.p12")), "password": "parity"}),
    )];
    for legacy in [false, true] {
        let written = made(
            "to_pkcs12",
            json!({"certificate": pki.intermediate, "key": input("rsa2048.key"),
                   "chain": [pki.root], "password": "parity", "legacy": legacy}),
        );
        cases.push(Case::new(
            format!("pkcs12/read-mtlskit-legacy-{legacy}"),
            "from_pkcs12",
            json!({"data": hex(&bytes_of(&written["p12"])), "password": "parity"}),
        ));
    }
    let round_trips = [
        ("rsa", &pki.intermediate, "rsa2048.key", false, None),
        ("rsa-legacy", &pki.intermediate, "rsa2048.key", true, None),
        (
            "p384-root",
            &pki.root,
            "p384.key",
            false,
            Some("Parity Root"),
        ),
        (
            "p256-encrypted-key",
            &pki.constrained,
            "p256-encrypted.key",
            false,
            None,
        ),
    ];
    for (id, certificate, key, legacy, friendly_name) in round_trips {
        let mut request = json!({"certificate": certificate, "key": input(key), "chain": chain,
                                 "password": "round trip", "legacy": legacy,
                                 "friendly_name": friendly_name});
        if key == "p256-encrypted.key" {
            request["key_password"] = json!("parity");
        }
        cases.push(
            Case::new(format!("pkcs12/round-trip-{id}"), "to_pkcs12", request).then(
                "from_pkcs12",
                json!({"data": {"$result": "p12"}, "password": "round trip"}),
            ),
        );
    }
    cases.extend(conversions(&pki.root));
    cases
}

/// `convert` to `.p12` and JKS and back to PEM.
fn conversions(root: &str) -> Vec<Case> {
    let key = input("p384.key");
    let back = |password: &str| json!({"data": {"$result": "contents"}, "to": "pem", "password": password});
    let requests: [(&str, Value); 3] = [
        (
            "p12",
            json!({"data": root, "key": key, "to": "p12", "password": "parity"}),
        ),
        (
            "p12-truststore",
            json!({"data": root, "to": "p12", "truststore": true, "password": "parity"}),
        ),
        (
            "jks",
            json!({"data": root, "key": key, "to": "jks", "password": "parity"}),
        ),
    ];
    requests
        .into_iter()
        .map(|(id, request)| {
            Case::new(format!("pkcs12/convert-{id}-and-back"), "convert", request)
                .then("convert", back("parity"))
        })
        .collect()
}

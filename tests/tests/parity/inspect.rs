//! Inspect vectors: one file of each item kind (as openssl and mtlskit write them), odd
//! encodings of one certificate, the system bundle (a snapshot, so that the vectors do not
//! change with the machine's ca-certificates) and every certificate and CRL of the
//! x509-limbo suites.

use serde_json::{Value, json};

use crate::{Case, bytes_of, der, hex, input, input_bytes, made};

pub fn cases() -> Vec<Case> {
    let mut cases = openssl_files();
    cases.extend(mtlskit_files());
    cases.extend(odd_encodings());
    cases.push(inspect(
        "system-bundle",
        json!(input("ca-certificates.crt")),
        "ca-certificates.crt",
    ));
    cases.extend(limbo());
    cases
}

fn inspect(id: &str, data: Value, source: &str) -> Case {
    Case::new(
        format!("inspect/{id}"),
        "inspect",
        json!({"data": data, "source": source}),
    )
}

/// Every kind of file openssl writes: certificate, CSR, keys (PKCS#8, PKCS#1, SEC1 with
/// parameters, encrypted), public keys (SPKI, PKCS#1), `.p7b`, `.p12`.
fn openssl_files() -> Vec<Case> {
    let text = [
        "openssl-root.crt",
        "p256.csr",
        "p256.key",
        "p384.key",
        "ed25519.key",
        "rsa2048.key",
        "rsa2048-pkcs1.key",
        "ec-params-sec1.key",
        "p256-encrypted.key",
        "p256.pub",
        "rsa2048-pkcs1.pub",
    ];
    let mut cases: Vec<Case> = text
        .iter()
        .map(|name| inspect(name, json!(input(name)), name))
        .collect();
    cases.push(inspect(
        "openssl-root.p7b",
        hex(&input_bytes("openssl-root.p7b")),
        "openssl-root.p7b",
    ));
    let p12 = hex(&input_bytes("openssl-root.p12"));
    cases.push(inspect("openssl-root.p12", p12.clone(), "openssl-root.p12"));
    let mut with_password = inspect("openssl-root.p12+password", p12, "openssl-root.p12");
    with_password.request["password"] = json!("parity");
    cases.push(with_password);
    let mut key = inspect(
        "p256-encrypted.key+password",
        json!(input("p256-encrypted.key")),
        "p256-encrypted.key",
    );
    key.request["password"] = json!("parity");
    cases.push(key);
    cases
}

/// `.p12` and JKS files written by mtlskit itself (fixed salts: a seeded generator).
fn mtlskit_files() -> Vec<Case> {
    let certificate = input("openssl-root.crt");
    let key = input("rsa2048.key");
    let mut cases = Vec::new();
    for (format, legacy) in [("p12", false), ("p12", true), ("jks", false)] {
        let converted = made(
            "convert",
            json!({"data": certificate, "key": key, "to": format, "password": "parity",
                   "legacy": legacy, "friendly_name": "parity"}),
        );
        let name = format!("mtlskit{}.{format}", if legacy { "-legacy" } else { "" });
        let data = hex(&bytes_of(&converted["contents"]));
        let mut case = inspect(&name, data, &name);
        case.request["password"] = json!("parity");
        cases.push(case);
    }
    let truststore = made(
        "convert",
        json!({"data": certificate, "to": "jks", "password": "parity"}),
    );
    let data = hex(&bytes_of(&truststore["contents"]));
    let mut case = inspect("mtlskit-truststore.jks", data, "truststore.jks");
    case.request["password"] = json!("parity");
    cases.push(case);
    cases
}

/// One certificate in every encoding the decoder sniffs, and a file mixing kinds.
fn odd_encodings() -> Vec<Case> {
    let pem = input("openssl-root.crt");
    let der = der(&pem);
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let bytes: Vec<Value> = pem.bytes().map(|byte| json!(byte)).collect();
    let mut mixed = String::new();
    for name in ["openssl-root.crt", "p256.csr", "p256.key", "p256.pub"] {
        mixed.push_str(&input(name));
    }
    let encodings = [
        ("der", hex(&der)),
        ("base64-one-line", json!(body)),
        ("crlf", json!(pem.replace('\n', "\r\n"))),
        (
            "text-around",
            json!(format!(
                "Subject: OpenSSL Parity Root\n{pem}trailing words\n"
            )),
        ),
        ("indented", json!(pem.replace('\n', "\n    "))),
        ("bom", json!(format!("\u{feff}{pem}"))),
        (
            "x509-certificate-label",
            json!(pem.replace(" CERTIFICATE-----", " X509 CERTIFICATE-----")),
        ),
        (
            "two-blocks-no-newline",
            json!(format!("{}{pem}", pem.trim_end())),
        ),
        ("byte-array", Value::Array(bytes)),
        ("mixed-kinds", json!(mixed)),
        ("truncated-der", hex(&der[..der.len() / 2])),
    ];
    encodings
        .into_iter()
        .map(|(id, data)| inspect(&format!("encoding/{id}"), data, id))
        .collect()
}

/// Every distinct certificate and CRL of the x509-limbo suites, one vector each.
fn limbo() -> Vec<Case> {
    let directory = mtlskit_tests::shared_dir().join("conformance/limbo");
    let mut cases = Vec::new();
    for suite in ["limbo-dev.json", "bettertls-pathbuilding-dev.json"] {
        let path = directory.join(suite);
        for (index, pem) in mtlskit_tests::limbo_certificates(&path).iter().enumerate() {
            let id = format!("limbo/{suite}/certificate-{index}");
            cases.push(inspect(&id, json!(pem), "limbo"));
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let json: Value = serde_json::from_str(&text).unwrap();
        let mut crls = std::collections::BTreeSet::new();
        for case in json["testcases"].as_array().unwrap() {
            for crl in case["crls"].as_array().into_iter().flatten() {
                crls.insert(crl.as_str().unwrap().to_owned());
            }
        }
        for (index, pem) in crls.iter().enumerate() {
            let id = format!("limbo/{suite}/crl-{index}");
            cases.push(inspect(&id, json!(pem), "limbo"));
        }
    }
    cases
}

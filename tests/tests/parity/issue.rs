//! Issue vectors: fixed key + serial + time give the same certificate (its DER SHA-256 is
//! the response's `fingerprint_sha256`) in every runtime; PEM <-> DER conversions. Also the
//! small PKI the verify, PKCS#12 and error vectors use, issued the same way.

use serde_json::{Value, json};

use crate::{Case, input, made};

/// Validity of the PKI: around [`crate::TIME`] and today, so the proxy replay (which verifies
/// at the real time) gives the verdicts of the vectors.
pub const VALID_FROM: &str = "2026-01-01T00:00:00Z";
pub const VALID_UNTIL: &str = "2036-01-01T00:00:00Z";

/// The certificates of the parity PKI (PEM) and the key files (in `tests/parity/inputs/`).
#[derive(Debug)]
pub struct Pki {
    /// Root CA (P-384 key `p384.key`).
    pub root: String,
    /// Intermediate CA under `root` (RSA key `rsa2048.key`).
    pub intermediate: String,
    /// Intermediate CA under `root` with name constraints: permitted `example.com`, excluded
    /// `bad.example.com` (P-256 key `ec-params-sec1.key`).
    pub constrained: String,
    /// Another root (Ed25519 key `ed25519.key`), trusted by nobody here.
    pub stranger: String,
}

/// An issue request for the subject key in `key_file`, valid [`VALID_FROM`]..[`VALID_UNTIL`].
pub fn request(profile: &str, common_name: &str, key_file: &str, serial: &str) -> Value {
    json!({
        "profile": profile,
        "subject": {"common_name": common_name},
        "key": input(key_file),
        "serial": serial,
        "validity": {"not_before": VALID_FROM, "not_after": VALID_UNTIL},
    })
}

/// `request` signed by the CA `certificate` whose key is in `key_file`.
pub fn signed_by(mut request: Value, certificate: &str, key_file: &str) -> Value {
    request["ca"] = json!({"certificate": certificate, "key": input(key_file)});
    request
}

/// The certificate (PEM) issued for `request`.
pub fn certificate(request: Value) -> String {
    made("issue", request)["certificate"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub fn pki() -> Pki {
    let root = certificate(request("root", "Parity Root", "p384.key", "01"));
    let mut intermediate = request("intermediate", "Parity Intermediate", "rsa2048.key", "02");
    intermediate["path_length"] = json!(0);
    let intermediate = certificate(signed_by(intermediate, &root, "p384.key"));
    let mut constrained = request(
        "intermediate",
        "Parity Constrained",
        "ec-params-sec1.key",
        "03",
    );
    constrained["permitted_names"] = json!(["example.com"]);
    constrained["excluded_names"] = json!(["bad.example.com"]);
    let constrained = certificate(signed_by(constrained, &root, "p384.key"));
    let stranger = certificate(request("root", "Parity Stranger", "ed25519.key", "04"));
    Pki {
        root,
        intermediate,
        constrained,
        stranger,
    }
}

pub fn cases() -> Vec<Case> {
    let pki = pki();
    let mut cases = Vec::new();
    for (key, serial) in [
        ("p256.key", "10"),
        ("p384.key", "11"),
        ("ed25519.key", "12"),
        ("rsa2048.key", "13"),
    ] {
        let id = format!("issue/root-{key}");
        cases.push(Case::new(id, "issue", request("root", "Root", key, serial)));
    }
    let mut server = request("server", "server.parity.example", "p256.key", "20");
    server["subject"] = json!({
        "country": "DE", "state": "Berlin", "locality": "Berlin", "organization": "Parity",
        "organizational_unit": "Vectors", "common_name": "server.parity.example",
        "email": "ops@parity.example",
    });
    server["subject_alt_names"] = json!([
        "server.parity.example",
        "DNS:*.parity.example",
        "IP:127.0.0.1",
        "IP:::1",
        "email:ops@parity.example",
        "URI:spiffe://parity.example/server",
    ]);
    let leaves = [
        (
            "server",
            signed_by(server, &pki.intermediate, "rsa2048.key"),
        ),
        (
            "client",
            signed_by(
                request("client", "client", "ed25519.key", "21"),
                &pki.intermediate,
                "rsa2048.key",
            ),
        ),
        (
            "server+client",
            signed_by(
                request("server+client", "peer.example.com", "p256.key", "22"),
                &pki.constrained,
                "ec-params-sec1.key",
            ),
        ),
        ("intermediate-by-root", {
            let mut ca = request("intermediate", "Sub CA", "p256.key", "23");
            ca["path_length"] = json!(2);
            ca["permitted_names"] = json!(["example.org", "10.0.0.0/8", "email:example.org"]);
            signed_by(ca, &pki.root, "p384.key")
        }),
        ("serial-20-octets-with-colons", {
            let serial = "7f:ff:ee:dd:cc:bb:aa:99:88:77:66:55:44:33:22:11:00:01:02:03";
            request("client", "long serial", "p256.key", serial)
        }),
        ("default-validity", {
            let mut leaf = request("server", "default.parity.example", "p384.key", "24");
            leaf["validity"] = json!({});
            leaf
        }),
        ("days", {
            let mut leaf = request("client", "thirty days", "rsa2048.key", "25");
            leaf["validity"] = json!({"not_before": VALID_FROM, "days": 30});
            leaf
        }),
        ("encrypted-key", {
            let mut leaf = request("client", "encrypted key", "p256-encrypted.key", "26");
            leaf["key_password"] = json!("parity");
            leaf
        }),
    ];
    for (id, request) in leaves {
        cases.push(Case::new(format!("issue/{id}"), "issue", request));
    }
    cases.extend(conversions(&pki));
    cases
}

/// PEM <-> DER of certificates and keys: deterministic, so every runtime gives the same bytes.
fn conversions(pki: &Pki) -> Vec<Case> {
    let chain = format!("{}{}", pki.intermediate, pki.root);
    let inputs = [
        ("certificate", json!(pki.intermediate)),
        ("chain", json!(chain)),
        ("key", json!(input("p256.key"))),
        ("pkcs1-key", json!(input("rsa2048-pkcs1.key"))),
        ("csr", json!(input("p256.csr"))),
    ];
    let mut cases = Vec::new();
    for (id, data) in inputs {
        for to in ["der", "pem"] {
            let case = Case::new(
                format!("convert/{id}-to-{to}"),
                "convert",
                json!({"data": data, "to": to}),
            );
            cases.push(case);
        }
    }
    cases.push(
        Case::new(
            "convert/der-back-to-pem",
            "convert",
            json!({"data": pki.root, "to": "der"}),
        )
        .then(
            "convert",
            json!({"data": {"$result": "contents"}, "to": "pem"}),
        ),
    );
    cases
}

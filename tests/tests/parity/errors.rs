//! Error vectors: one or more per error code the API can return (ids `errors/CODE/what`; the
//! generator checks that each gives its code). Verification failures (`Expired`,
//! `UnknownIssuer`, ...) are verdicts, not errors: they are in the verify vectors. `Io` and
//! `OutputExists` come only from the CLI and the npm package, which read and write files.

use serde_json::{Value, json};

use crate::issue::{VALID_FROM, pki, request};
use crate::{Case, der, hex, input, input_bytes};

pub fn cases() -> Vec<Case> {
    let pki = pki();
    let certificate = input("openssl-root.crt");
    let certificate_der = der(&certificate);
    let issue = |changes: Value| {
        let mut request = request("client", "errors", "p256.key", "50");
        for (key, value) in changes.as_object().unwrap() {
            request[key] = value.clone();
        }
        request
    };
    let mut tampered_csr = der(&input("p256.csr"));
    if let Some(last) = tampered_csr.last_mut() {
        *last ^= 0x01;
    }
    let mut truncated_jks = vec![0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 9];
    truncated_jks.extend_from_slice(&[0, 0, 0, 1, 0, 5]);
    let limbo_crl = limbo_crl();
    let calls: Vec<(&str, &str, Value)> = vec![
        ("EmptyInput/inspect", "inspect", json!({"data": ""})),
        (
            "UnrecognizedInput/verify-text",
            "verify",
            json!({"leaf": "hello, world"}),
        ),
        (
            "UnrecognizedInput/not-a-p12",
            "from_pkcs12",
            json!({"data": certificate, "password": ""}),
        ),
        (
            "InvalidPem/bad-base64",
            "inspect",
            json!({"data": "-----BEGIN CERTIFICATE-----\nM!!!\n-----END CERTIFICATE-----\n"}),
        ),
        (
            "InvalidDer/truncated-leaf",
            "verify",
            json!({"leaf": mtlskit_tests::hostile::pem("CERTIFICATE", &certificate_der[..200])}),
        ),
        (
            "UnsupportedPemLabel/foo",
            "from_pkcs12",
            json!({"data": "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n", "password": ""}),
        ),
        (
            "UnsupportedAlgorithm/secp256k1-key",
            "issue",
            issue(json!({"key": input("secp256k1.key")})),
        ),
        (
            "PasswordRequired/encrypted-key",
            "issue",
            issue(json!({"key": input("p256-encrypted.key")})),
        ),
        (
            "WrongPassword/p12",
            "from_pkcs12",
            json!({"data": hex(&input_bytes("openssl-root.p12")), "password": "wrong"}),
        ),
        (
            "WrongPassword/key",
            "issue",
            issue(json!({"key": input("p256-encrypted.key"), "key_password": "wrong"})),
        ),
        (
            "KdfParameterOutOfBounds/p12-mac",
            "from_pkcs12",
            json!({"data": hex(&mtlskit_tests::hostile::pkcs12_mac_iterations(i32::MAX as u64)), "password": "x"}),
        ),
        (
            "KdfParameterOutOfBounds/scrypt-key",
            "issue",
            issue(json!({
            "key": mtlskit_tests::hostile::pem("ENCRYPTED PRIVATE KEY", &mtlskit_tests::hostile::pkcs8_scrypt(1 << 30, 8, 1)),
            "key_password": "x"})),
        ),
        (
            "InvalidTime/not-before",
            "issue",
            issue(json!({"validity": {"not_before": "yesterday"}})),
        ),
        (
            "InvalidRequest/unknown-field",
            "inspect",
            json!({"data": certificate, "colour": "blue"}),
        ),
        (
            "InvalidRequest/missing-field",
            "verify",
            json!({"anchors": [certificate]}),
        ),
        (
            "InvalidRequest/host-and-email",
            "verify",
            json!({"leaf": certificate, "host": "a.example", "email": "a@example.com"}),
        ),
        (
            "InvalidRequest/bad-ip",
            "verify",
            json!({"leaf": certificate, "ip": "300.1.1.1"}),
        ),
        (
            "InvalidRequest/bad-serial",
            "issue",
            issue(json!({"serial": "xyz"})),
        ),
        (
            "InvalidRequest/unknown-profile",
            "issue",
            issue(json!({"profile": "boss"})),
        ),
        (
            "InvalidKeystore/truncated-jks",
            "convert",
            json!({"data": hex(&truncated_jks), "to": "pem", "password": "parity"}),
        ),
        (
            "UnknownKeyType/dsa",
            "issue",
            issue(json!({"key": null, "key_type": "dsa"})),
        ),
        (
            "InvalidKey/public-key",
            "issue",
            issue(json!({"key": input("p256.pub")})),
        ),
        (
            "InvalidSubjectAltName/space",
            "issue",
            issue(json!({"subject_alt_names": ["DNS:bad name"]})),
        ),
        (
            "InvalidSubject/country",
            "issue",
            issue(json!({"subject": {"country": "DEU", "common_name": "x"}})),
        ),
        (
            "InvalidValidity/inverted",
            "issue",
            issue(
                json!({"validity": {"not_before": VALID_FROM, "not_after": "2025-01-01T00:00:00Z"}}),
            ),
        ),
        (
            "InvalidProfile/leaf-path-length",
            "issue",
            issue(json!({"path_length": 1})),
        ),
        (
            "InvalidProfile/intermediate-without-ca",
            "issue",
            issue(json!({"profile": "intermediate"})),
        ),
        (
            "CaKeyMismatch/root-with-other-key",
            "issue",
            issue(json!({"ca": {"certificate": pki.root, "key": input("rsa2048.key")}})),
        ),
        (
            "InvalidCsrSignature/tampered",
            "csr_sign",
            json!({"csr": hex(&tampered_csr), "ca": {"certificate": pki.root, "key": input("p384.key")}}),
        ),
        (
            "Issuance/zero-serial",
            "issue",
            issue(json!({"serial": "00"})),
        ),
        (
            "InvalidOption/policy",
            "verify",
            json!({"leaf": certificate, "anchors": [certificate], "policies": ["not an oid"]}),
        ),
        (
            "TooManyInputs/crls",
            "verify",
            json!({"leaf": certificate, "anchors": [certificate], "crls": vec![limbo_crl; 65]}),
        ),
    ];
    calls
        .into_iter()
        .map(|(id, function, request)| Case::new(format!("errors/{id}"), function, request))
        .collect()
}

/// A CRL from the limbo suite (the core does not write CRLs).
fn limbo_crl() -> String {
    let path = mtlskit_tests::shared_dir().join("conformance/limbo/limbo-dev.json");
    let suite: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    suite["testcases"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|case| {
            case["crls"]
                .as_array()?
                .first()?
                .as_str()
                .map(str::to_owned)
        })
        .unwrap()
}

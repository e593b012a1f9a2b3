//! Issue acceptance: the openssl commands of field note 002 (root, two intermediates, server,
//! clients, a `.p12` with a password, DER form, CSRs) run for real, and `mtlskit inspect`
//! recognises and inspects every artifact; the `.p12` opens with its password and gives a
//! `WrongPassword` error with a wrong one.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a broken expectation should fail loudly"
)]

use std::path::Path;

use mtlskit_tests::{TempDir, run, sh};
use serde_json::Value;

/// The note's commands, made non-interactive with `-subj` (the note types the same answers at
/// the prompts). Key sizes as in the note: 4096 for the chain, 1024 for the mTLS clients.
const NOTE_COMMANDS: &str = r#"
openssl genrsa -out root.key 4096
openssl req -new -x509 -days 3650 -key root.key -out root.crt -subj "/CN=Root CA"
openssl genrsa -out intermediate1.key 4096
openssl req -new -key intermediate1.key -out intermediate1.csr -subj "/CN=Intermediate CA 1"
openssl x509 -req -in intermediate1.csr -CA root.crt -CAkey root.key -CAcreateserial -out intermediate1.crt -days 3650
openssl genrsa -out intermediate2.key 4096
openssl req -new -key intermediate2.key -out intermediate2.csr -subj "/CN=Intermediate CA 2"
openssl x509 -req -in intermediate2.csr -CA intermediate1.crt -CAkey intermediate1.key -CAcreateserial -out intermediate2.crt -days 3650
openssl genrsa -out server.key 4096
openssl req -new -key server.key -out server.csr -subj "/CN=server.example.com"
openssl x509 -req -in server.csr -CA intermediate2.crt -CAkey intermediate2.key -CAcreateserial -out server.crt -days 365
cat server.crt intermediate2.crt intermediate1.crt > fullchain.crt
openssl x509 -in server.crt -outform der -out server.der
subject="/C=cn/ST=bj/L=bj/O=alibaba/OU=test/CN=root/emailAddress=a.alibaba.com"
openssl genrsa -out ca.key 1024
openssl req -new -out ca.csr -key ca.key -subj "$subject"
openssl x509 -req -in ca.csr -out ca.crt -signkey ca.key -CAcreateserial -days 3650
for name in client client2; do
  openssl genrsa -out $name.key 1024
  openssl req -new -out $name.csr -key $name.key -subj "/C=cn/ST=bj/L=bj/O=alibaba/OU=test/CN=$name.example.com/emailAddress=a.alibaba.com"
  openssl x509 -req -in $name.csr -out $name.crt -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650
  openssl pkcs12 -export -clcerts -in $name.crt -inkey $name.key -out $name.p12 -passout pass:123456
done
"#;

fn inspect(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["inspect", "--json"];
    all.extend_from_slice(args);
    let output = run(env!("CARGO_BIN_EXE_mtlskit"), &all, None);
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{args:?}: {error}: {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (output.status.code().unwrap_or(-1), json)
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// Runs the note's commands once (4096-bit keys take a while) and checks every artifact.
#[test]
fn field_note_002_artifacts() {
    let temp = TempDir::new("note-002");
    let dir = temp.path();
    sh(dir, NOTE_COMMANDS);
    every_artifact_is_recognised(dir);
    fullchain_is_read_in_order(dir);
    p12_opens_with_its_password_only(dir);
}

fn every_artifact_is_recognised(dir: &Path) {
    let expected = [
        ("root.crt", "certificate", "CN=Root CA"),
        ("intermediate1.crt", "certificate", "CN=Intermediate CA 1"),
        ("intermediate2.crt", "certificate", "CN=Intermediate CA 2"),
        ("server.crt", "certificate", "CN=server.example.com"),
        ("server.der", "certificate", "CN=server.example.com"),
        (
            "ca.crt",
            "certificate",
            "emailAddress=a.alibaba.com,CN=root,OU=test,O=alibaba,L=bj,ST=bj,C=cn",
        ),
        (
            "client.crt",
            "certificate",
            "emailAddress=a.alibaba.com,CN=client.example.com,OU=test,O=alibaba,L=bj,ST=bj,C=cn",
        ),
        ("server.csr", "csr", "CN=server.example.com"),
        (
            "client2.csr",
            "csr",
            "emailAddress=a.alibaba.com,CN=client2.example.com,OU=test,O=alibaba,L=bj,ST=bj,C=cn",
        ),
    ];
    for (file, kind, subject) in expected {
        let (code, json) = inspect(&[&path(dir, file)]);
        assert_eq!(code, 0, "{file}: {json}");
        let item = &json["items"][0];
        assert_eq!(item["kind"], kind, "{file}");
        assert_eq!(item["subject"], subject, "{file}");
        if kind == "csr" {
            assert_eq!(
                item["signature_valid"], true,
                "{file}: the CSR's self-signature verifies"
            );
        }
    }
    for (file, bits) in [
        ("root.key", 4096),
        ("server.key", 4096),
        ("client.key", 1024),
    ] {
        let (code, json) = inspect(&[&path(dir, file)]);
        assert_eq!(code, 0, "{file}: {json}");
        let item = &json["items"][0];
        assert_eq!(item["kind"], "private_key");
        assert_eq!(item["public_key"]["algorithm"], "rsa");
        assert_eq!(item["public_key"]["bits"], bits);
        let key_text = std::fs::read_to_string(dir.join(file)).unwrap();
        let body_line = key_text.lines().nth(1).unwrap();
        assert!(
            !json.to_string().contains(body_line),
            "{file}: private material must never be printed"
        );
    }
}

fn fullchain_is_read_in_order(dir: &Path) {
    let (code, json) = inspect(&[&path(dir, "fullchain.crt")]);
    assert_eq!(code, 0);
    let subjects: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            "CN=server.example.com",
            "CN=Intermediate CA 2",
            "CN=Intermediate CA 1"
        ]
    );
    let issuers: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["issuer"].as_str().unwrap())
        .collect();
    assert_eq!(
        issuers,
        ["CN=Intermediate CA 2", "CN=Intermediate CA 1", "CN=Root CA"]
    );
    let (_, root) = inspect(&[&path(dir, "root.crt")]);
    assert_eq!(root["items"][0]["self_signed"], true);
    assert_eq!(root["items"][0]["is_ca"], true);
}

fn p12_opens_with_its_password_only(dir: &Path) {
    let p12 = path(dir, "client.p12");
    let (code, json) = inspect(&[&p12, "--password", "123456"]);
    assert_eq!(code, 0, "{json}");
    let kinds: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["private_key", "certificate"]);
    assert_eq!(json["items"][1]["source"]["container"], "pkcs12");
    assert_eq!(
        json["items"][0]["public_key"]["spki_sha256"],
        json["items"][1]["public_key"]["spki_sha256"],
        "the key matches the certificate"
    );

    let (code, json) = inspect(&[&p12, "--password", "wrong"]);
    assert_eq!(code, 2);
    assert_eq!(json["error"]["code"], "WrongPassword");
    assert_eq!(json["error"]["file"], p12.as_str());

    let (code, json) = inspect(&[&p12]);
    assert_eq!(code, 2);
    assert_eq!(json["error"]["code"], "PasswordRequired");

    let text = run(
        env!("CARGO_BIN_EXE_mtlskit"),
        &["inspect", &p12, "--password", "wrong"],
        None,
    );
    assert_eq!(text.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&text.stderr);
    assert!(
        stderr.starts_with("error[WrongPassword]: wrong password for the PKCS#12 file ("),
        "{stderr}"
    );
}

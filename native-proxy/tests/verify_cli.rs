//! `mtlskit verify`: exit 0 valid, 1 not valid with the explanation, 2 bad input; text and
//! JSON; intermediates inside the LEAF file are used. Needs the `openssl` binary.

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

const CHAIN: &str = r#"
printf '[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' > ca.ext
printf '[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:cli.example.com\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' > leaf.ext
for name in root intermediate leaf; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $name.key 2>/dev/null
  openssl req -new -key $name.key -subj "/CN=CLI $name" -out $name.csr
done
openssl x509 -req -in root.csr -signkey root.key -days 3650 -sha256 -extfile ca.ext -extensions v3 -out root.crt 2>/dev/null
openssl x509 -req -in intermediate.csr -CA root.crt -CAkey root.key -CAcreateserial -days 3650 -sha256 -extfile ca.ext -extensions v3 -out intermediate.crt 2>/dev/null
openssl x509 -req -in leaf.csr -CA intermediate.crt -CAkey intermediate.key -CAcreateserial -days 365 -sha256 -extfile leaf.ext -extensions v3 -out leaf.crt 2>/dev/null
cat leaf.crt intermediate.crt > fullchain.crt
echo "not a certificate" > garbage.crt
"#;

fn verify(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    let owned: Vec<String> = all
        .iter()
        .map(|arg| {
            if arg.ends_with(".crt") {
                dir.join(arg).display().to_string()
            } else {
                (*arg).to_owned()
            }
        })
        .collect();
    let borrowed: Vec<&str> = owned.iter().map(String::as_str).collect();
    let output = run(env!("CARGO_BIN_EXE_mtlskit"), &borrowed, None);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn exit_codes_text_and_json() {
    let dir = TempDir::new("verify-cli");
    sh(dir.path(), CHAIN);
    let dir = dir.path();

    // A fullchain file verifies: its intermediates are used.
    let (code, text, _) = verify(
        dir,
        &[
            "fullchain.crt",
            "--ca",
            "root.crt",
            "--host",
            "cli.example.com",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(": OK") && text.contains("CN=CLI intermediate"),
        "{text}"
    );

    let (code, json, _) = verify(
        dir,
        &[
            "leaf.crt",
            "--untrusted",
            "intermediate.crt",
            "--ca",
            "root.crt",
            "--json",
        ],
    );
    assert_eq!(code, 0);
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["valid"], true);
    assert_eq!(value["path"].as_array().unwrap().len(), 3);
    assert_eq!(value["path"][2]["role"], "trust anchor");

    // Not valid: exit 1 with the explanation.
    let (code, text, _) = verify(dir, &["leaf.crt", "--ca", "root.crt"]);
    assert_eq!(code, 1);
    assert!(
        text.contains("NOT VALID [UnknownIssuer]") && text.contains("'CN=CLI intermediate'"),
        "{text}"
    );
    assert!(text.contains("fix: "), "{text}");

    let (code, json, _) = verify(
        dir,
        &[
            "fullchain.crt",
            "--ca",
            "root.crt",
            "--host",
            "other.example.com",
            "--json",
        ],
    );
    assert_eq!(code, 1);
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["valid"], false);
    assert_eq!(value["failure"]["code"], "NameMismatch");
    assert_eq!(value["failure"]["certificate"]["index"], 0);

    let (code, _, _) = verify(
        dir,
        &["fullchain.crt", "--ca", "root.crt", "--purpose", "client"],
    );
    assert_eq!(code, 1, "serverAuth only");

    // Bad input: exit 2, `error[Code]: message (file)` or JSON.
    let (code, _, stderr) = verify(dir, &["garbage.crt", "--ca", "root.crt"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error["), "{stderr}");
    let (code, json, _) = verify(dir, &["missing.crt", "--ca", "root.crt", "--json"]);
    assert_eq!(code, 2);
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["error"]["code"], "Io");
    let (code, _, _) = verify(dir, &["leaf.crt", "--ca", "root.crt", "--at", "yesterday"]);
    assert_eq!(code, 2);
}

/// Issue 7 point 1, the command of the report: alice is a version 1 client certificate
/// (`openssl x509 -req` without `-extfile`), admin is signed with alice's key. `openssl verify`
/// refuses admin, and so must `mtlskit verify` in every profile: a leaf is never a CA.
const LEAF_AS_CA: &str = r#"
printf '[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n' > ca.ext
for name in root alice admin; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $name.key 2>/dev/null
  openssl req -new -key $name.key -subj "/CN=$name" -out $name.csr
done
openssl x509 -req -in root.csr -signkey root.key -days 3650 -sha256 -extfile ca.ext -extensions v3 -out root.crt 2>/dev/null
openssl x509 -req -in alice.csr -CA root.crt -CAkey root.key -CAcreateserial -days 365 -sha256 -out alice.crt 2>/dev/null
openssl x509 -req -in admin.csr -CA alice.crt -CAkey alice.key -CAcreateserial -days 365 -sha256 -out admin.crt 2>/dev/null
if openssl verify -CAfile root.crt -untrusted alice.crt -purpose sslclient admin.crt; then exit 1; fi
openssl verify -CAfile root.crt -purpose sslclient alice.crt
"#;

#[test]
fn version_1_leaf_never_acts_as_ca() {
    let dir = TempDir::new("verify-cli-v1-leaf");
    sh(dir.path(), LEAF_AS_CA);
    let dir = dir.path();
    let command = [
        "admin.crt",
        "--untrusted",
        "alice.crt",
        "--ca",
        "root.crt",
        "--purpose",
        "client",
    ];
    for profile in ["compatible", "rfc5280", "webpki"] {
        let mut arguments = command.to_vec();
        arguments.extend(["--profile", profile]);
        let (code, text, _) = verify(dir, &arguments);
        assert_eq!(code, 1, "{profile}: {text}");
        assert!(text.contains("NOT VALID"), "{profile}: {text}");
    }
    let (_, text, _) = verify(dir, &command);
    assert!(
        text.contains("[NotCa]") && text.contains("'CN=alice'"),
        "{text}"
    );
    let (code, text, _) = verify(
        dir,
        &["alice.crt", "--ca", "root.crt", "--purpose", "client"],
    );
    assert_eq!(code, 0, "{text}");
}

const POLICY_CHAIN: &str = r#"
printf '[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' > root.ext
printf '[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\ncertificatePolicies=1.3.6.1.4.1.55738.1.1\n' > ca.ext
printf '[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:policy.example.com\ncertificatePolicies=1.3.6.1.4.1.55738.1.1\n' > leaf.ext
for name in root intermediate leaf; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $name.key 2>/dev/null
  openssl req -new -key $name.key -subj "/CN=Policy $name" -out $name.csr
done
openssl x509 -req -in root.csr -signkey root.key -days 3650 -sha256 -extfile root.ext -extensions v3 -out root.crt 2>/dev/null
openssl x509 -req -in intermediate.csr -CA root.crt -CAkey root.key -CAcreateserial -days 3650 -sha256 -extfile ca.ext -extensions v3 -out intermediate.crt 2>/dev/null
openssl x509 -req -in leaf.csr -CA intermediate.crt -CAkey intermediate.key -CAcreateserial -days 365 -sha256 -extfile leaf.ext -extensions v3 -out leaf.crt 2>/dev/null
"#;

/// `--policy`, `--explicit-policy` and the valid policy set in text and JSON (issue 7 point 7).
#[test]
fn certificate_policies_on_the_command_line() {
    let dir = TempDir::new("verify-cli-policies");
    sh(dir.path(), POLICY_CHAIN);
    let dir = dir.path();
    let base = [
        "leaf.crt",
        "--untrusted",
        "intermediate.crt",
        "--ca",
        "root.crt",
    ];
    let with = |extra: &[&'static str]| {
        let mut arguments = base.to_vec();
        arguments.extend_from_slice(extra);
        arguments
    };

    let (code, text, _) = verify(dir, &with(&[]));
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("policies: 1.3.6.1.4.1.55738.1.1"), "{text}");

    let (code, json, _) = verify(
        dir,
        &with(&[
            "--policy",
            "1.3.6.1.4.1.55738.1.1",
            "--explicit-policy",
            "--json",
        ]),
    );
    assert_eq!(code, 0, "{json}");
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["policies"][0], "1.3.6.1.4.1.55738.1.1", "{json}");

    let (code, text, _) = verify(
        dir,
        &with(&["--policy", "1.3.6.1.4.1.55738.1.2", "--explicit-policy"]),
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("[NoValidPolicy]"), "{text}");

    let (code, _, error) = verify(dir, &with(&["--policy", "not-an-oid"]));
    assert_eq!(code, 2, "{error}");
    assert!(error.contains("not a dotted OID"), "{error}");
}

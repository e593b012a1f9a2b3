//! Bad input to the issuing commands: each gives a coded error (exit 2) and leaves no file,
//! not even a temporary one, behind.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

mod issue_support;

use issue_support::*;

#[test]
fn wrong_ca_key_is_refused_without_output() {
    let dir = TempDir::new("err-ca-key");
    let pki = dir.path("pki");
    mtlskit_ok(&["pki", "init", &pki]);
    let before = list(&dir.0.join("pki"));
    let out = format!("{pki}/leaf.crt");
    let error = mtlskit_fails(
        &[
            "cert",
            "new",
            "--profile",
            "server",
            "--san",
            "x.example",
            "--ca",
            &format!("{pki}/ca.crt"),
            "--ca-key",
            &format!("{pki}/server.key"),
            "--out",
            &out,
        ],
        "CaKeyMismatch",
    );
    assert!(error.contains("ca.crt"), "{error}");
    mtlskit_fails(
        &[
            "cert",
            "new",
            "--profile",
            "server",
            "--san",
            "x.example",
            "--ca",
            &format!("{pki}/server.crt"),
            "--ca-key",
            &format!("{pki}/server.key"),
            "--out",
            &out,
        ],
        "NotCa",
    );
    assert_eq!(list(&dir.0.join("pki")), before);
}

#[test]
fn unknown_key_type_is_refused_without_output() {
    let dir = TempDir::new("err-key-type");
    mtlskit_fails(
        &["key", "new", "--type", "dsa", "--out", &dir.path("k.key")],
        "UnknownKeyType",
    );
    mtlskit_fails(
        &[
            "cert",
            "new",
            "--key-type",
            "rsa1024",
            "--san",
            "a.example",
            "--out",
            &dir.path("c.crt"),
        ],
        "UnknownKeyType",
    );
    mtlskit_fails(
        &["pki", "init", &dir.path("pki"), "--key-type", "p521"],
        "UnknownKeyType",
    );
    assert!(dir.listing().is_empty(), "{:?}", dir.listing());
}

#[test]
fn invalid_san_is_refused_without_output() {
    let dir = TempDir::new("err-san");
    let error = mtlskit_fails(
        &[
            "cert",
            "new",
            "--profile",
            "server",
            "--san",
            "exa mple",
            "--out",
            &dir.path("c.crt"),
        ],
        "InvalidSubjectAltName",
    );
    assert!(error.contains("exa mple"), "{error}");
    mtlskit_fails(
        &[
            "csr",
            "new",
            "--san",
            "exa mple",
            "--out",
            &dir.path("r.csr"),
        ],
        "InvalidSubjectAltName",
    );
    mtlskit_fails(
        &["pki", "init", &dir.path("pki"), "--server-san", "exa mple"],
        "InvalidSubjectAltName",
    );
    mtlskit_fails(
        &["pki", "init", &dir.path("pki"), "--client", "../escape"],
        "InvalidProfile",
    );
    mtlskit_fails(
        &[
            "cert",
            "new",
            "--profile",
            "server",
            "--out",
            &dir.path("c.crt"),
        ],
        "InvalidProfile",
    );
    assert!(dir.listing().is_empty(), "{:?}", dir.listing());
}

#[test]
fn wrong_p12_password_is_refused_without_output() {
    let dir = TempDir::new("err-p12");
    let pki = dir.path("pki");
    mtlskit_ok(&[
        "pki",
        "init",
        &pki,
        "--client",
        "alice",
        "--p12-password",
        "right",
    ]);
    let out = dir.path("alice.pem");
    let error = mtlskit_fails(
        &[
            "convert",
            &format!("{pki}/alice.p12"),
            "--to",
            "pem",
            "--password",
            "wrong",
            "--out",
            &out,
        ],
        "WrongPassword",
    );
    assert!(error.contains("alice.p12"), "{error}");
    mtlskit_fails(
        &[
            "convert",
            &format!("{pki}/alice.p12"),
            "--to",
            "pem",
            "--out",
            &out,
        ],
        "PasswordRequired",
    );
    assert_eq!(dir.listing(), ["pki"]);
}

#[test]
fn existing_output_is_kept_without_force() {
    let dir = TempDir::new("err-exists");
    let pki = dir.path("pki");
    mtlskit_ok(&["pki", "init", &pki]);
    let ca_before = std::fs::read(format!("{pki}/ca.crt")).unwrap();
    let before = list(&dir.0.join("pki"));
    mtlskit_fails(&["pki", "init", &pki], "OutputExists");
    mtlskit_fails(
        &["pki", "init", &pki, "--client", "new-client"],
        "OutputExists",
    );
    mtlskit_fails(
        &["key", "new", "--out", &format!("{pki}/ca.key")],
        "OutputExists",
    );
    mtlskit_fails(
        &[
            "cert",
            "new",
            "--profile",
            "root",
            "--cn",
            "x",
            "--out",
            &format!("{pki}/ca.crt"),
        ],
        "OutputExists",
    );
    assert_eq!(
        list(&dir.0.join("pki")),
        before,
        "no new or temporary files"
    );
    assert_eq!(std::fs::read(format!("{pki}/ca.crt")).unwrap(), ca_before);

    let output = mtlskit(&["pki", "init", &pki, "--json"]);
    assert_eq!(output.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["error"]["code"], "OutputExists");
    assert!(value["error"]["file"].as_str().unwrap().ends_with("ca.crt"));

    mtlskit_ok(&["pki", "init", &pki, "--force"]);
    assert_ne!(std::fs::read(format!("{pki}/ca.crt")).unwrap(), ca_before);
    assert_eq!(mode(&format!("{pki}/ca.key")), 0o600);
}

#[test]
fn unwritable_directory_leaves_nothing() {
    let dir = TempDir::new("err-write");
    let blocker = dir.path("file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    mtlskit_fails(&["pki", "init", &format!("{blocker}/pki")], "Io");
    mtlskit_fails(
        &[
            "cert",
            "new",
            "--profile",
            "root",
            "--cn",
            "x",
            "--out",
            &format!("{blocker}/x.crt"),
        ],
        "Io",
    );
    assert_eq!(dir.listing(), ["file"]);
}

#[test]
fn failure_while_renaming_into_place_leaves_nothing() {
    let dir = TempDir::new("err-rename");
    let pki = dir.path("pki");
    std::fs::create_dir_all(format!("{pki}/server.key")).unwrap();
    mtlskit_fails(&["pki", "init", &pki, "--force"], "Io");
    assert_eq!(list(&dir.0.join("pki")), ["server.key"]);
}

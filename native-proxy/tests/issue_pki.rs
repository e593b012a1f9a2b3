//! `mtlskit pki init` checked by openssl and keytool, for every key type (scenario S1).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

mod issue_support;

use issue_support::*;

const FILES: [&str; 13] = [
    "alice.crt",
    "alice.key",
    "alice.p12",
    "bob.crt",
    "bob.key",
    "bob.p12",
    "ca.crt",
    "ca.key",
    "intermediate.crt",
    "intermediate.key",
    "server-fullchain.crt",
    "server.crt",
    "server.key",
];

#[test]
fn pki_init_verifies_with_openssl_and_keytool_for_every_key_type() {
    for key_type in KEY_TYPES {
        let dir = TempDir::new(&format!("pki-{key_type}"));
        let out = dir.path("pki");
        let stdout = mtlskit_ok(&[
            "pki",
            "init",
            &out,
            "--server-san",
            "test.com",
            "--server-san",
            "127.0.0.1",
            "--client",
            "alice",
            "--client",
            "bob",
            "--key-type",
            key_type,
            "--p12-password",
            "s3cret",
        ]);
        assert!(
            stdout.contains("curl --resolve test.com:8443:127.0.0.1"),
            "{stdout}"
        );
        assert!(stdout.contains("mtlskit proxy"), "{stdout}");
        assert_eq!(list(&dir.0.join("pki")), FILES, "{key_type}");
        let file = |name: &str| format!("{out}/{name}");

        for leaf in ["server.crt", "alice.crt", "bob.crt"] {
            assert_verifies(
                &file("ca.crt"),
                Some(&file("intermediate.crt")),
                &file(leaf),
            );
        }
        assert_verifies(&file("ca.crt"), None, &file("intermediate.crt"));
        let fullchain = std::fs::read_to_string(file("server-fullchain.crt")).unwrap();
        assert_eq!(fullchain.matches("BEGIN CERTIFICATE").count(), 2);

        let server_purpose = openssl(&["x509", "-in", &file("server.crt"), "-noout", "-purpose"]);
        assert!(
            server_purpose.contains("SSL server : Yes"),
            "{server_purpose}"
        );
        assert!(
            server_purpose.contains("SSL client : No"),
            "{server_purpose}"
        );
        let client_purpose = openssl(&["x509", "-in", &file("alice.crt"), "-noout", "-purpose"]);
        assert!(
            client_purpose.contains("SSL client : Yes"),
            "{client_purpose}"
        );
        assert!(
            client_purpose.contains("SSL server : No"),
            "{client_purpose}"
        );

        let text = openssl(&["x509", "-in", &file("server.crt"), "-noout", "-text"]);
        assert!(
            text.contains("DNS:test.com, IP Address:127.0.0.1"),
            "{text}"
        );
        assert!(
            !text.to_lowercase().contains("sha1with"),
            "never SHA-1: {text}"
        );
        let expected_algorithm = match key_type {
            "p256" => "ecdsa-with-SHA256",
            "p384" => "ecdsa-with-SHA384",
            "ed25519" => "ED25519",
            _ => "sha256WithRSAEncryption",
        };
        assert!(
            text.contains(&format!("Signature Algorithm: {expected_algorithm}")),
            "{key_type}: {text}"
        );
        assert_eq!(
            text.contains("Key Encipherment"),
            key_type.starts_with("rsa"),
            "{key_type}: {text}"
        );

        for key in [
            "ca.key",
            "intermediate.key",
            "server.key",
            "alice.key",
            "alice.p12",
        ] {
            assert_eq!(mode(&file(key)), 0o600, "{key}");
        }
        assert_eq!(mode(&file("ca.crt")) & 0o077, 0o044);

        let info = openssl(&[
            "pkcs12",
            "-info",
            "-in",
            &file("alice.p12"),
            "-passin",
            "pass:s3cret",
            "-nodes",
        ]);
        assert!(
            info.contains("AES-256-CBC") && info.contains("MAC: sha256"),
            "{info}"
        );
        assert!(info.contains("friendlyName: alice"), "{info}");
        assert_eq!(
            public_key_of("key", &file("alice.key")),
            public_key_of("cert", &file("alice.crt"))
        );

        let listing = run_ok(
            "keytool",
            &[
                "-list",
                "-storetype",
                "PKCS12",
                "-storepass",
                "s3cret",
                "-keystore",
                &file("alice.p12"),
            ],
        );
        assert!(
            listing.contains("Your keystore contains 1 entry"),
            "{listing}"
        );
        assert!(
            listing.contains("alice, ") && listing.contains("PrivateKeyEntry"),
            "{listing}"
        );
    }
}

#[test]
fn pki_init_without_intermediate_and_with_legacy_p12() {
    let dir = TempDir::new("pki-flat");
    let out = dir.path("pki");
    let printed = mtlskit_ok(&[
        "pki",
        "init",
        &out,
        "--no-intermediate",
        "--p12-legacy",
        "--client",
        "carol",
    ]);
    // No well-known default password: without a terminal a random one goes to a 0600 file,
    // named once in the output, never printed.
    let password_file = format!("{out}/p12-password.txt");
    assert_eq!(mode(&password_file), 0o600);
    let password = std::fs::read_to_string(&password_file).unwrap();
    let password = password.trim();
    assert_eq!(password.len(), 24, "{password}");
    assert!(!printed.contains(password), "{printed}");
    assert_eq!(printed.matches("is in").count(), 1, "{printed}");
    assert!(
        printed.contains(&format!(
            "the password of the .p12 files is in {password_file}"
        )),
        "{printed}"
    );
    let changeit = run(
        "openssl",
        &[
            "pkcs12",
            "-legacy",
            "-in",
            &format!("{out}/carol.p12"),
            "-passin",
            "pass:changeit",
            "-nokeys",
        ],
    );
    assert!(
        !changeit.status.success(),
        "the old default password must not open it"
    );
    let pass_arg = format!("pass:{password}");
    let names = list(&dir.0.join("pki"));
    assert!(
        !names.iter().any(|name| name.starts_with("intermediate")),
        "{names:?}"
    );
    let file = |name: &str| format!("{out}/{name}");
    assert_verifies(&file("ca.crt"), None, &file("server.crt"));
    assert_verifies(&file("ca.crt"), None, &file("carol.crt"));
    let text = openssl(&["x509", "-in", &file("server.crt"), "-noout", "-text"]);
    assert!(
        text.contains("DNS:localhost, IP Address:127.0.0.1"),
        "{text}"
    );

    let info = openssl(&[
        "pkcs12",
        "-legacy",
        "-info",
        "-in",
        &file("carol.p12"),
        "-passin",
        &pass_arg,
        "-nodes",
    ]);
    assert!(
        info.contains("pbeWithSHA1And3-KeyTripleDES-CBC") && info.contains("MAC: sha1"),
        "{info}"
    );
    let listing = run_ok(
        "keytool",
        &[
            "-list",
            "-storetype",
            "PKCS12",
            "-storepass",
            password,
            "-keystore",
            &file("carol.p12"),
        ],
    );
    assert!(
        listing.contains("carol, ") && listing.contains("PrivateKeyEntry"),
        "{listing}"
    );
}

#[test]
fn pki_init_json_lists_paths_and_fingerprints() {
    let dir = TempDir::new("pki-json");
    let out = dir.path("pki");
    let stdout = mtlskit_ok(&["pki", "init", &out, "--json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let files = value["files"].as_array().unwrap();
    assert_eq!(files.len(), 11, "ten PKI files and p12-password.txt");
    let password_file = value["p12_password_file"].as_str().unwrap();
    assert_eq!(password_file, format!("{out}/p12-password.txt"));
    assert!(
        value.get("p12_password").is_none(),
        "the password itself is never printed"
    );
    let ca = files
        .iter()
        .find(|file| file["path"].as_str().unwrap().ends_with("/ca.crt"))
        .unwrap();
    let fingerprint = openssl(&[
        "x509",
        "-in",
        &format!("{out}/ca.crt"),
        "-noout",
        "-fingerprint",
        "-sha256",
    ]);
    assert!(
        fingerprint.contains(ca["fingerprint_sha256"].as_str().unwrap()),
        "{fingerprint} vs {ca}"
    );
    assert!(
        value["try"]
            .as_array()
            .unwrap()
            .iter()
            .any(|line| line.as_str().unwrap().starts_with("curl "))
    );
}

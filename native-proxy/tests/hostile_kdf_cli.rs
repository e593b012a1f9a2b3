//! Hostile encrypted keys and `.p12` files from the command line (issue 7, point 2): the
//! coded error `KdfParameterOutOfBounds` naming the parameter, in under a second, from every
//! command that opens them; keys that openssl encrypts with scrypt still open.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

mod issue_support;

use std::time::{Duration, Instant};

use issue_support::*;
use mtlskit_tests::hostile;

#[test]
fn hostile_kdf_files_give_the_coded_error_quickly_from_the_cli() {
    let dir = TempDir::new("hostile-kdf");
    for (name, bytes, parameter) in hostile::cases() {
        let path = dir.path(name);
        std::fs::write(&path, &bytes).unwrap();
        let out = dir.path(&format!("{name}.out"));
        let commands: Vec<Vec<&str>> = if name.ends_with(".p12") {
            vec![
                vec!["inspect", &path, "--password", "pw", "--json"],
                vec![
                    "convert",
                    &path,
                    "--to",
                    "pem",
                    "--password",
                    "pw",
                    "--out",
                    &out,
                    "--json",
                ],
            ]
        } else {
            vec![
                vec!["inspect", &path, "--password", "pw", "--json"],
                vec![
                    "csr",
                    "new",
                    "--key",
                    &path,
                    "--password",
                    "pw",
                    "--out",
                    &out,
                    "--json",
                ],
            ]
        };
        for args in commands {
            let started = Instant::now();
            let output = mtlskit(&args);
            let elapsed = started.elapsed();
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {stdout}");
            let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(json["error"]["code"], "KdfParameterOutOfBounds", "{args:?}");
            let message = json["error"]["message"].as_str().unwrap();
            assert!(message.contains(parameter), "{args:?}: {message}");
            assert!(elapsed < Duration::from_secs(1), "{args:?}: {elapsed:?}");
            assert!(
                !std::path::Path::new(&out).exists(),
                "{args:?}: nothing written"
            );
        }
    }
}

#[test]
fn openssl_scrypt_and_pbkdf2_keys_still_open() {
    let dir = TempDir::new("kdf-openssl");
    let plain = dir.path("plain.key");
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        &plain,
    ]);
    let cases = [
        ("scrypt.key", vec!["-scrypt"]),
        ("pbkdf2.key", vec!["-v2", "aes-256-cbc", "-iter", "100000"]),
        ("pbe-sha1-3des.key", vec!["-v1", "PBE-SHA1-3DES"]),
    ];
    for (name, options) in cases {
        let path = dir.path(name);
        let mut args = vec![
            "pkcs8", "-topk8", "-in", &plain, "-passout", "pass:pw", "-out", &path,
        ];
        args.extend(options);
        openssl(&args);
        let report = mtlskit_ok(&["inspect", &path, "--password", "pw", "--json"]);
        assert!(report.contains("\"curve\": \"P-256\""), "{name}: {report}");
        let csr = dir.path(&format!("{name}.csr"));
        mtlskit_ok(&[
            "csr",
            "new",
            "--key",
            &path,
            "--password",
            "pw",
            "--cn",
            "x",
            "--out",
            &csr,
        ]);
    }
}

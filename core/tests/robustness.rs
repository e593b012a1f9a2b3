//! Issue acceptance: every truncation and every single-byte change of a sample certificate,
//! CSR, key and `.p12` gives a report or a coded error, never a panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a broken expectation should fail loudly"
)]

use std::{panic, path::Path, process::Command};

use mtlskit::{
    UnixTime,
    inspect::{Options, inspect},
};

/// Makes the samples with the real openssl in a fresh directory.
fn samples(dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let script = r#"
        openssl ecparam -name prime256v1 -genkey -noout -out ec.key
        openssl pkcs8 -topk8 -nocrypt -in ec.key -out key.pem
        openssl req -new -x509 -key key.pem -subj "/CN=robust.example/O=Test" -days 30 \
            -addext "subjectAltName=DNS:robust.example,IP:127.0.0.1" -out cert.pem
        openssl req -new -key key.pem -subj "/CN=robust.example" -addext "subjectAltName=DNS:a.example" -out csr.pem
        openssl x509 -in cert.pem -outform DER -out cert.der
        openssl req -in csr.pem -outform DER -out csr.der
        openssl pkcs8 -topk8 -nocrypt -in key.pem -outform DER -out key.der
        openssl pkcs12 -export -in cert.pem -inkey key.pem -passout pass:pw -iter 1 -nomaciter -out fast.p12
        openssl pkcs12 -export -in cert.pem -inkey key.pem -passout pass:pw -out default.p12
    "#;
    let status = Command::new("bash")
        .args(["-euc", script])
        .current_dir(dir)
        .status()
        .expect("bash runs");
    assert!(status.success(), "openssl could not make the samples");
    [
        "cert.der",
        "cert.pem",
        "csr.der",
        "csr.pem",
        "key.der",
        "key.pem",
        "ec.key",
        "fast.p12",
        "default.p12",
    ]
    .into_iter()
    .map(|name| (name, std::fs::read(dir.join(name)).expect("sample written")))
    .collect()
}

fn options() -> Options {
    Options {
        source: "sample".into(),
        password: Some("pw".into()),
        key_password: None,
        at: UnixTime(1_800_000_000),
    }
}

/// Inspects `input`, returning the panic message if there was a panic.
fn survives(input: &[u8]) -> Result<(), String> {
    let options = options();
    panic::catch_unwind(|| {
        if let Err(error) = inspect(input, &options) {
            assert!(!error.code().is_empty());
            assert!(!error.to_string().is_empty());
        }
    })
    .map_err(|cause| {
        cause
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| cause.downcast_ref::<&str>().map(|text| (*text).to_owned()))
            .unwrap_or_default()
    })
}

#[test]
fn truncations_and_byte_changes_never_panic() {
    let dir = std::env::temp_dir().join(format!("mtlskit-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let samples = samples(&dir);
    panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let mut inputs = 0usize;
    for (name, original) in &samples {
        assert!(
            inspect(original, &options()).is_ok(),
            "{name} itself must inspect cleanly"
        );
        for length in 0..original.len() {
            inputs += 1;
            if let Err(cause) = survives(&original[..length]) {
                failures.push(format!("{name} truncated to {length}: {cause}"));
            }
        }
        // Every value at every position of the DER samples; four changes per position of the
        // PEM texts (whose bytes only reach the DER decoder through base64) and of the default
        // .p12 (a real PBKDF2 cost per try).
        let slow = *name == "default.p12" || !(name.ends_with(".der") || name.ends_with(".p12"));
        let mut changed = original.clone();
        for position in 0..original.len() {
            let values: Vec<u8> = if slow {
                [0x01, 0x80, 0xff]
                    .iter()
                    .map(|mask| original[position] ^ mask)
                    .chain([0x00])
                    .collect()
            } else {
                (0..=255).collect()
            };
            for value in values {
                if value == original[position] {
                    continue;
                }
                changed[position] = value;
                inputs += 1;
                if let Err(cause) = survives(&changed) {
                    failures.push(format!("{name} byte {position} = {value:#04x}: {cause}"));
                }
            }
            changed[position] = original[position];
        }
    }
    let _ = panic::take_hook();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(inputs > 300_000, "only {inputs} inputs tried");
    failures.truncate(20);
    assert!(failures.is_empty(), "panics:\n{}", failures.join("\n"));
}

//! Issue acceptance (Java keystores): every truncation and every single-byte change of a JKS
//! and a JCEKS file made by Java's keytool gives a report or a coded error, never a panic.
//!
//! Without a password the whole structure is parsed (integrity unchecked). With the password a
//! changed byte would only fail the integrity digest, so the digest is recomputed after each
//! change: the parser, the key protections and the serialised secret key see the damage.

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
    inspect::{Item, Options, inspect},
};
use sha1::{Digest, Sha1};

const PASSWORD: &str = "robust-pw";

/// Makes the samples with keytool: EC keys (small), a trusted certificate, in the JCEKS an AES
/// secret key too, with Java's lowest JCEKS iteration count so that each try stays cheap.
fn samples(dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let script = format!(
        r#"
        set -e
        for type in JKS JCEKS; do
          store=sample.$(echo $type | tr A-Z a-z)
          keytool -J-Djdk.jceks.iterationCount=10000 -genkeypair -noprompt -storetype $type \
              -keystore $store -storepass {PASSWORD} -keypass {PASSWORD} -alias key \
              -keyalg EC -groupname secp256r1 -dname CN=robust.example -validity 30
          keytool -exportcert -keystore $store -storepass {PASSWORD} -alias key -file cert.der
          keytool -importcert -noprompt -storetype $type -keystore $store -storepass {PASSWORD} \
              -alias anchor -file cert.der
        done
        keytool -J-Djdk.jceks.iterationCount=10000 -genseckey -storetype JCEKS -keystore sample.jceks \
            -storepass {PASSWORD} -keypass {PASSWORD} -alias aes -keyalg AES -keysize 128
        "#
    );
    let output = Command::new("bash")
        .args(["-c", &script])
        .current_dir(dir)
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "keytool could not make the samples: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    ["sample.jks", "sample.jceks"]
        .into_iter()
        .map(|name| (name, std::fs::read(dir.join(name)).expect("sample written")))
        .collect()
}

fn options(password: Option<&str>) -> Options {
    Options {
        source: "sample".into(),
        password: password.map(mtlskit::secret::Password::from),
        key_password: None,
        at: UnixTime(1_800_000_000),
    }
}

/// Inspects `input`, returning the panic message if there was a panic.
fn survives(input: &[u8], password: Option<&str>) -> Result<(), String> {
    let options = options(password);
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

/// Replaces the last 20 bytes with the integrity digest of the rest under [`PASSWORD`].
fn reseal(store: &mut [u8]) {
    let body_length = store.len() - 20;
    let password: Vec<u8> = PASSWORD.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let digest = Sha1::new()
        .chain_update(&password)
        .chain_update(b"Mighty Aphrodite")
        .chain_update(&store[..body_length])
        .finalize();
    store[body_length..].copy_from_slice(&digest);
}

#[test]
fn keystore_truncations_and_byte_changes_never_panic() {
    let dir = std::env::temp_dir().join(format!(
        "mtlskit-keystore-robustness-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let samples = samples(&dir);
    panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let mut inputs = 0usize;
    for (name, original) in &samples {
        let report = inspect(original, &options(Some(PASSWORD))).expect("the sample inspects");
        let opened_key = report
            .items
            .iter()
            .any(|item| matches!(item, Item::PrivateKey(key) if key.public_key.is_some()));
        assert!(opened_key, "{name}: the key must open with the password");
        for length in 0..original.len() {
            inputs += 1;
            if let Err(cause) = survives(&original[..length], None) {
                failures.push(format!("{name} truncated to {length}: {cause}"));
            }
        }
        let mut changed = original.clone();
        for position in 0..original.len() {
            for value in 0..=255u8 {
                if value == original[position] {
                    continue;
                }
                changed[position] = value;
                inputs += 1;
                if let Err(cause) = survives(&changed, None) {
                    failures.push(format!("{name} byte {position} = {value:#04x}: {cause}"));
                }
            }
            // with the password, digest recomputed: each try opens the keys, which in the
            // JCEKS costs two PBE derivations, so one change per position there, three in JKS
            let masks: &[u8] = if name.ends_with("jceks") {
                &[0xff]
            } else {
                &[0x01, 0x80, 0xff]
            };
            for &mask in masks {
                changed[position] = original[position] ^ mask;
                reseal(&mut changed);
                inputs += 1;
                if let Err(cause) = survives(&changed, Some(PASSWORD)) {
                    failures.push(format!(
                        "{name} byte {position} ^ {mask:#04x}, resealed: {cause}"
                    ));
                }
            }
            changed.copy_from_slice(original);
        }
    }
    let _ = panic::take_hook();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(inputs > 400_000, "only {inputs} inputs tried");
    failures.truncate(20);
    assert!(failures.is_empty(), "panics:\n{}", failures.join("\n"));
}

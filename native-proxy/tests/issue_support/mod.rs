//! Helpers for the issuance tests: temporary directories, running `mtlskit`, `openssl`,
//! `keytool` and `curl`, and asserting on their results. Every external program is required:
//! a missing one fails the test, it is never skipped.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "mtlskit-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let path = std::env::temp_dir().join(unique);
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }

    /// The names in the directory, sorted (hidden temporary files included).
    pub fn listing(&self) -> Vec<String> {
        list(&self.0)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn list(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

/// Runs the `mtlskit` binary.
pub fn mtlskit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mtlskit"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs `mtlskit` and asserts success.
pub fn mtlskit_ok(args: &[&str]) -> String {
    let output = mtlskit(args);
    assert!(
        output.status.success(),
        "mtlskit {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs `mtlskit`, asserts exit code 2 with `error[code]` on stderr, and returns stderr.
pub fn mtlskit_fails(args: &[&str], code: &str) -> String {
    let output = mtlskit(args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(2),
        "mtlskit {args:?} should fail: {stderr}"
    );
    assert!(
        stderr.contains(&format!("error[{code}]")),
        "mtlskit {args:?}: expected {code}, got: {stderr}"
    );
    stderr
}

/// Runs a program (which must be installed) and returns its output.
pub fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("{program} must be installed for this test: {error}"))
}

/// Runs a program, asserts success, returns stdout + stderr.
pub fn run_ok(program: &str, args: &[&str]) -> String {
    let output = run(program, args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{text}"
    );
    text
}

pub fn openssl(args: &[&str]) -> String {
    run_ok("openssl", args)
}

/// `openssl verify -CAfile ca [-untrusted intermediate] leaf` must say OK.
pub fn assert_verifies(ca: &str, intermediate: Option<&str>, leaf: &str) {
    let mut args = vec!["verify", "-CAfile", ca];
    if let Some(intermediate) = intermediate {
        args.extend(["-untrusted", intermediate]);
    }
    args.push(leaf);
    let text = openssl(&args);
    assert!(
        text.contains(&format!("{leaf}: OK")),
        "openssl verify: {text}"
    );
}

/// The SubjectPublicKeyInfo of a key, certificate or CSR, as PEM from openssl.
pub fn public_key_of(kind: &str, path: &str) -> String {
    match kind {
        "key" => openssl(&["pkey", "-in", path, "-pubout", "-passin", "pass:secret"]),
        "cert" => openssl(&["x509", "-in", path, "-noout", "-pubkey"]),
        _ => openssl(&["req", "-in", path, "-noout", "-pubkey"]),
    }
}

/// A free TCP port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Unix permission bits of a file.
pub fn mode(path: &str) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

pub const KEY_TYPES: [&str; 6] = ["p256", "p384", "ed25519", "rsa2048", "rsa3072", "rsa4096"];

//! Shared helpers for the cross-runtime and scenario tests: where the shared test data lives,
//! running real peers (`openssl`, ...) and reading certificates out of x509-limbo suites.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test support code: a failure should stop the test loudly"
)]

pub mod hostile;

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use mtlskit::crypto::{ALGORITHMS, Algorithms};
use mtlskit::verify::{Failure, Input, Options, Verified, verify};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `../shared/` beside the repository root, where the conformance suites and field notes are.
pub fn shared_dir() -> PathBuf {
    repo_root().parent().unwrap().join("shared")
}

/// The Debian system trust bundle.
pub const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// Runs `program` with `args` (optionally feeding `stdin`) and returns its output; panics if it
/// cannot be started.
pub fn run(program: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut command = Command::new(program);
    command
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    command.stdin(if stdin.is_some() {
        std::process::Stdio::piped()
    } else {
        std::process::Stdio::null()
    });
    let mut child = command
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {program}: {error}"));
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// Runs a shell script in `dir` and panics with its output if it fails.
pub fn sh(dir: &Path, script: &str) {
    let output = Command::new("bash")
        .arg("-euo")
        .arg("pipefail")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "script failed:\n{script}\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The signature algorithms native code verifies with: the rustls ring provider's list, then
/// the core's for what ring does not verify (SHA-1, SHA-224, ECDSA with SHA-512, RSA-PSS keys,
/// RSA keys under 2048 bits, compressed points).
pub fn native_algorithms() -> Algorithms {
    let provider = rustls::crypto::ring::default_provider();
    mtlskit::crypto::provider_then_core(provider.signature_verification_algorithms.all)
}

/// `mtlskit::verify::verify` with the core's RustCrypto list and with [`native_algorithms`]:
/// asserts that both give the same path or the same failure (code and explanation), and
/// returns it (issue 8: the same verdict and error code with either list).
pub fn verify_with_both_lists(input: &Input, options: &Options) -> Result<Verified, Failure> {
    let mut native = options.clone();
    native.signature_algorithms = native_algorithms();
    let mut rustcrypto = options.clone();
    rustcrypto.signature_algorithms = ALGORITHMS;
    let expected = verify(input, &rustcrypto);
    match (&expected, verify(input, &native)) {
        (Ok(expected), Ok(actual)) => assert_eq!(expected.path, actual.path),
        (Err(expected), Err(actual)) => assert_eq!(
            (expected.code, &expected.message),
            (actual.code, &actual.message)
        ),
        (expected, actual) => panic!("RustCrypto: {expected:?}\nnative: {actual:?}"),
    }
    expected
}

/// Every distinct PEM certificate in an x509-limbo suite (trusted, intermediates and peers).
pub fn limbo_certificates(suite: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(suite)
        .unwrap_or_else(|error| panic!("{}: {error}", suite.display()));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut found = std::collections::BTreeSet::new();
    for case in json["testcases"].as_array().unwrap() {
        for field in ["trusted_certs", "untrusted_intermediates"] {
            for pem in case[field].as_array().unwrap() {
                found.insert(pem.as_str().unwrap().to_owned());
            }
        }
        found.insert(case["peer_certificate"].as_str().unwrap().to_owned());
    }
    found.into_iter().collect()
}

/// Splits a PEM bundle into its certificate blocks.
pub fn split_pem(bundle: &str) -> Vec<String> {
    const END: &str = "-----END CERTIFICATE-----";
    bundle
        .split_inclusive(END)
        .filter_map(|chunk| {
            chunk
                .find("-----BEGIN CERTIFICATE-----")
                .map(|start| format!("{}\n", &chunk[start..]))
        })
        .filter(|block| block.contains(END))
        .collect()
}

/// A fresh temporary directory, removed when the value is dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `mtlskit-<name>-<pid>-<n>` under the system temp dir.
    pub fn new(name: &str) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("mtlskit-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

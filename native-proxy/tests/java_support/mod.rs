//! Helpers for the Java keystore tests: reading `mtlskit inspect --json` reports, `keytool
//! -list -v` listings, and running the Java peer and openssl with bounded waits.

#![allow(dead_code)]

use std::io::Read;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::issue_support::{TempDir, mtlskit, run_ok};

pub fn inspect(args: &[&str]) -> Value {
    let (code, report) = inspect_status(args);
    assert_eq!(code, 0, "inspect {args:?}: {report:#}");
    report
}

pub fn inspect_status(args: &[&str]) -> (i32, Value) {
    let mut full = vec!["inspect", "--json"];
    full.extend_from_slice(args);
    let output = mtlskit(&full);
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap_or(-1), report)
}

pub fn keystore_item<'a>(report: &'a Value, format: &str, integrity: &str) -> &'a Value {
    let store = &report["items"][0];
    assert_eq!(store["kind"], "keystore", "{report:#}");
    assert_eq!(store["format"], format);
    assert_eq!(store["integrity"], integrity);
    store
}

pub fn entry<'a>(store: &'a Value, alias: &str) -> &'a Value {
    store["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["alias"] == alias)
        .unwrap_or_else(|| panic!("no entry {alias} in {store:#}"))
}

/// The entries, sorted by alias (Java writes them in hash order).
pub fn assert_entries(store: &Value, expected: &[(&str, &str)]) {
    let mut found: Vec<(String, String)> = store["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["alias"].as_str().unwrap().into(),
                entry["type"].as_str().unwrap().into(),
            )
        })
        .collect();
    found.sort();
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, t)| ((*a).into(), (*t).into()))
        .collect();
    assert_eq!(found, expected);
}

pub fn items_of<'a>(report: &'a Value, kind: &str) -> Vec<&'a Value> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["kind"] == kind)
        .collect()
}

pub fn certificates(report: &Value) -> Vec<&Value> {
    items_of(report, "certificate")
}

/// The opened key of `alias` has the public key of the certificate of the same entry.
pub fn assert_key_matches_certificate(report: &Value, alias: &str, algorithm: &str, bits: u64) {
    let of_alias = |kind: &str| {
        items_of(report, kind)
            .into_iter()
            .find(|item| item["source"]["alias"] == alias)
            .unwrap_or_else(|| panic!("no {kind} for {alias}: {report:#}"))
    };
    let key = &of_alias("private_key")["public_key"];
    assert_eq!(key["algorithm"], algorithm);
    assert_eq!(key["bits"], bits);
    assert_eq!(
        key["spki_sha256"],
        of_alias("certificate")["public_key"]["spki_sha256"]
    );
}

pub fn keytool_list(path: &str, password_file: &str) -> String {
    run_ok(
        "keytool",
        &[
            "-list",
            "-v",
            "-keystore",
            path,
            "-storepass:file",
            password_file,
        ],
    )
}

pub fn assert_listed(listing: &str, expected: &[(&str, &str)]) {
    assert!(
        listing.contains(&format!("Your keystore contains {} entr", expected.len())),
        "{listing}"
    );
    for (alias, kind) in expected {
        let block = format!("Alias name: {alias}\nCreation date: ");
        let start = listing
            .find(&block)
            .unwrap_or_else(|| panic!("no {alias}: {listing}"));
        let after = &listing[start..];
        let kind_line = after
            .lines()
            .find(|line| line.starts_with("Entry type: "))
            .unwrap();
        assert_eq!(kind_line, format!("Entry type: {kind}"), "{alias}");
    }
}

pub fn java_command(
    dir: &TempDir,
    mode: &str,
    keystore: (&str, &str),
    truststore: (&str, &str),
    password_file: &str,
    port: u16,
) -> Child {
    Command::new("java")
        .args(["-cp", &dir.path("classes"), "KeystorePeer", mode])
        .args([
            keystore.0,
            keystore.1,
            truststore.0,
            truststore.1,
            password_file,
        ])
        .arg(port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("java must be installed")
}

pub fn java_peer(
    dir: &TempDir,
    mode: &str,
    keystore: (&str, &str),
    truststore: (&str, &str),
    password_file: &str,
    port: u16,
) -> String {
    let mut child = java_command(dir, mode, keystore, truststore, password_file, port);
    let status = wait_with_timeout(&mut child, 30);
    let output = read_all(&mut child);
    assert!(status.success(), "java {mode} failed: {output}");
    output
}

/// A child process killed on drop; `finish` waits (bounded) for it, `stop` kills it, and both
/// return its output.
pub struct Guard(pub Child);

impl Guard {
    pub fn finish(mut self) -> String {
        wait_with_timeout(&mut self.0, 30);
        read_all(&mut self.0)
    }

    pub fn stop(mut self) -> String {
        let _ = self.0.kill();
        let _ = self.0.wait();
        read_all(&mut self.0)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn wait_with_timeout(child: &mut Child, seconds: u64) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("a peer did not finish within {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn read_all(child: &mut Child) -> String {
    let mut text = String::new();
    if let Some(stdout) = child.stdout.as_mut() {
        let _ = stdout.read_to_string(&mut text);
    }
    if let Some(stderr) = child.stderr.as_mut() {
        let _ = stderr.read_to_string(&mut text);
    }
    text
}

pub fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

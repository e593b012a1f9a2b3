//! Java keystores against the real Java 17: stores made by `keytool` (JKS, JCEKS, PKCS12; RSA
//! and EC key pairs, trusted certificates, a secret key) are inspected with the right, the wrong
//! and no password; stores written by mtlskit are listed by `keytool -list -v` and loaded by a
//! small Java program (compiled here with `javac`) that completes mutual TLS with
//! `openssl s_server -Verify`, `openssl s_client` and `mtlskit proxy terminate`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a broken expectation should fail loudly"
)]

mod issue_support;
mod java_support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use issue_support::{TempDir, free_port, mtlskit_fails, mtlskit_ok, openssl, run, run_ok};
use java_support::{
    Guard, assert_entries, assert_key_matches_certificate, assert_listed, certificates, entry,
    inspect, inspect_status, items_of, java_command, java_peer, keystore_item, keytool_list,
    read_all, wait_for_port, wait_with_timeout,
};

const STORE_PASSWORD: &str = "store-pw-1";
const KEY_PASSWORD: &str = "key-pw-22";

#[test]
fn keytool_stores_are_inspected_with_the_right_wrong_and_no_password() {
    let dir = TempDir::new("keytool-stores");
    let make = format!(
        r#"
        set -e
        gen() {{ keytool -genkeypair -noprompt -validity 30 "$@" 2>&1; }}
        gen -storetype JKS -keystore rsa.jks -storepass {STORE_PASSWORD} -keypass {KEY_PASSWORD} \
            -alias RsaKey -keyalg RSA -keysize 2048 -dname CN=rsa.example
        keytool -exportcert -rfc -keystore rsa.jks -storepass {STORE_PASSWORD} -alias rsakey -file rsa.pem
        keytool -importcert -noprompt -storetype JKS -keystore rsa.jks -storepass {STORE_PASSWORD} -alias anchor -file rsa.pem
        gen -storetype JCEKS -keystore ec.jceks -storepass {STORE_PASSWORD} -keypass {STORE_PASSWORD} \
            -alias eckey -keyalg EC -groupname secp256r1 -dname CN=ec.example
        keytool -genseckey -storetype JCEKS -keystore ec.jceks -storepass {STORE_PASSWORD} \
            -keypass {STORE_PASSWORD} -alias aes -keyalg AES -keysize 128
        keytool -importcert -noprompt -storetype JCEKS -keystore ec.jceks -storepass {STORE_PASSWORD} -alias anchor -file rsa.pem
        gen -storetype PKCS12 -keystore ec.p12 -storepass {STORE_PASSWORD} -alias eckey \
            -keyalg EC -groupname secp384r1 -dname CN=ec384.example
        gen -storetype PKCS12 -keystore rsa.p12 -storepass {STORE_PASSWORD} -alias rsakey \
            -keyalg RSA -keysize 3072 -dname CN=rsa3072.example
        keytool -importcert -noprompt -storetype PKCS12 -keystore trust.p12 -storepass {STORE_PASSWORD} -alias anchor -file rsa.pem
        keytool -J-Djdk.jceks.iterationCount=5000000 -genkeypair -noprompt -validity 30 -storetype JCEKS \
            -keystore slow.jceks -storepass {STORE_PASSWORD} -keypass {STORE_PASSWORD} -alias slow \
            -keyalg EC -groupname secp256r1 -dname CN=slow.example 2>&1
        echo {STORE_PASSWORD} > store.pw
        echo {KEY_PASSWORD} > key.pw
        echo wrong-password > wrong.pw
        "#
    );
    sh(&dir, &make);
    let store_pw = dir.path("store.pw");
    let key_pw = dir.path("key.pw");
    let wrong_pw = dir.path("wrong.pw");

    // JKS, RSA key whose password differs from the store password
    let jks = dir.path("rsa.jks");
    let report = inspect(&[
        &jks,
        "--password-file",
        &store_pw,
        "--key-password-file",
        &key_pw,
    ]);
    let store = keystore_item(&report, "jks", "verified");
    assert_entries(
        store,
        &[("anchor", "trusted_certificate"), ("rsakey", "private_key")],
    );
    assert_eq!(entry(store, "rsakey")["key_status"], "opened");
    assert_key_matches_certificate(&report, "rsakey", "rsa", 2048);
    let (code, report) = inspect_status(&[&jks, "--password-file", &store_pw]);
    assert_eq!(code, 2, "the key password is needed and was not given");
    assert_eq!(
        entry(&report["items"][0], "rsakey")["key_status"],
        "wrong_password"
    );
    assert!(
        report["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|item| { item["kind"] == "error" && item["error"]["code"] == "WrongPassword" })
    );
    mtlskit_fails(
        &["inspect", &jks, "--password-file", &wrong_pw],
        "WrongPassword",
    );
    let report = inspect(&[&jks]);
    let store = keystore_item(&report, "jks", "unverified");
    assert_eq!(entry(store, "rsakey")["key_status"], "encrypted");
    assert_eq!(
        certificates(&report).len(),
        2,
        "certificates shown without a password"
    );

    // JCEKS: EC key, AES secret key, trusted certificate
    let jceks = dir.path("ec.jceks");
    let report = inspect(&[&jceks, "--password-file", &store_pw]);
    let store = keystore_item(&report, "jceks", "verified");
    assert_entries(
        store,
        &[
            ("aes", "secret_key"),
            ("anchor", "trusted_certificate"),
            ("eckey", "private_key"),
        ],
    );
    assert_eq!(entry(store, "aes")["secret_key"]["algorithm"], "AES");
    assert_eq!(entry(store, "aes")["secret_key"]["bits"], 128);
    assert!(
        entry(store, "eckey")["protection"]
            .as_str()
            .unwrap()
            .starts_with("PBEWithMD5AndTripleDES")
    );
    assert_key_matches_certificate(&report, "eckey", "ec", 256);
    mtlskit_fails(
        &["inspect", &jceks, "--password-file", &wrong_pw],
        "WrongPassword",
    );
    keystore_item(&inspect(&[&jceks]), "jceks", "unverified");

    // JCEKS iteration counts above the work limit are refused before any work, with a code
    let slow = dir.path("slow.jceks");
    let started = Instant::now();
    let (code, report) = inspect_status(&[&slow, "--password-file", &store_pw]);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(code, 2);
    assert_eq!(
        entry(&report["items"][0], "slow")["key_status"],
        "unreadable"
    );
    let refused = items_of(&report, "error");
    assert_eq!(
        refused[0]["error"]["code"], "UnsupportedAlgorithm",
        "{report:#}"
    );
    assert!(
        refused[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("5000000 iterations")
    );

    // PKCS12 made by keytool: EC P-384 and RSA 3072 key pairs, a trusted certificate
    for (file, algorithm, bits) in [("ec.p12", "ec", 384), ("rsa.p12", "rsa", 3072)] {
        let path = dir.path(file);
        let report = inspect(&[&path, "--password-file", &store_pw]);
        let keys = items_of(&report, "private_key");
        assert_eq!(keys.len(), 1, "{file}");
        assert_eq!(keys[0]["public_key"]["algorithm"], algorithm);
        assert_eq!(keys[0]["public_key"]["bits"], bits);
        assert_eq!(
            keys[0]["public_key"]["spki_sha256"],
            certificates(&report)[0]["public_key"]["spki_sha256"]
        );
        mtlskit_fails(
            &["inspect", &path, "--password-file", &wrong_pw],
            "WrongPassword",
        );
        mtlskit_fails(&["inspect", &path], "PasswordRequired");
    }
    let trust = dir.path("trust.p12");
    let report = inspect(&[&trust, "--password-file", &store_pw]);
    assert_eq!(certificates(&report)[0]["subject"], "CN=rsa.example");
    mtlskit_fails(
        &["inspect", &trust, "--password-file", &wrong_pw],
        "WrongPassword",
    );

    // back to PEM: the JKS key (with its own password) and certificates
    let pem = dir.path("from-jks.pem");
    let output = Command::new(env!("CARGO_BIN_EXE_mtlskit"))
        .args([
            "convert",
            &jks,
            "--to",
            "pem",
            "--password-file",
            &store_pw,
            "-o",
            &pem,
        ])
        .env("MTLSKIT_KEY_PASSWORD", KEY_PASSWORD)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let modulus_of_key = openssl(&["pkey", "-in", &pem, "-pubout"]);
    let modulus_of_cert = openssl(&["x509", "-in", &dir.path("rsa.pem"), "-noout", "-pubkey"]);
    assert_eq!(modulus_of_key, modulus_of_cert);
}

#[test]
fn stores_written_by_mtlskit_are_listed_by_keytool() {
    let dir = TempDir::new("keytool-lists");
    let pki = pki_init(&dir);
    let pw = dir.path("store.pw");

    let listing = keytool_list(&format!("{pki}/server.jks"), &pw);
    assert!(listing.contains("Keystore type: JKS"), "{listing}");
    assert_listed(&listing, &[("server", "PrivateKeyEntry")]);
    assert!(listing.contains("Certificate chain length: 2"), "{listing}");
    assert_listed(
        &keytool_list(&format!("{pki}/alice.jks"), &pw),
        &[("alice", "PrivateKeyEntry")],
    );
    let listing = keytool_list(&format!("{pki}/truststore.p12"), &pw);
    assert!(listing.contains("Keystore type: PKCS12"), "{listing}");
    assert_listed(&listing, &[("mtlskit-root-ca", "trustedCertEntry")]);

    // convert: a JKS truststore of two CAs, a PKCS#12 truststore, a JKS key entry
    let ca = format!("{pki}/ca.crt");
    let intermediate = format!("{pki}/intermediate.crt");
    let trust_jks = dir.path("trust.jks");
    mtlskit_ok(&[
        "convert",
        &ca,
        "--chain",
        &intermediate,
        "--to",
        "jks",
        "--password-file",
        &pw,
        "-o",
        &trust_jks,
    ]);
    assert_listed(
        &keytool_list(&trust_jks, &pw),
        &[
            ("mtlskit-root-ca", "trustedCertEntry"),
            ("mtlskit-intermediate-ca", "trustedCertEntry"),
        ],
    );
    let trust_p12 = dir.path("trust.p12");
    mtlskit_ok(&[
        "convert",
        &ca,
        "--to",
        "p12",
        "--truststore",
        "--name",
        "Our Root",
        "--password-file",
        &pw,
        "-o",
        &trust_p12,
    ]);
    assert_listed(
        &keytool_list(&trust_p12, &pw),
        &[("our root", "trustedCertEntry")],
    );
    let key_jks = dir.path("bob.jks");
    mtlskit_ok(&[
        "convert",
        &format!("{pki}/alice.crt"),
        "--key",
        &format!("{pki}/alice.key"),
        "--chain",
        &intermediate,
        "--to",
        "jks",
        "--name",
        "bob",
        "--password-file",
        &pw,
        "-o",
        &key_jks,
    ]);
    let listing = keytool_list(&key_jks, &pw);
    assert_listed(&listing, &[("bob", "PrivateKeyEntry")]);
    assert!(listing.contains("Certificate chain length: 2"), "{listing}");
    assert_eq!(issue_support::mode(&key_jks), 0o600);
    mtlskit_fails(
        &[
            "convert",
            &ca,
            "--to",
            "jks",
            "--password-file",
            &pw,
            "-o",
            &key_jks,
        ],
        "OutputExists",
    );

    // the trap this avoids: openssl's certificate-only PKCS#12 shows no entry in Java
    let plain = dir.path("openssl-nokeys.p12");
    let pass = format!("pass:{}", STORE_PASSWORD);
    openssl(&[
        "pkcs12", "-export", "-nokeys", "-in", &ca, "-passout", &pass, "-out", &plain,
    ]);
    assert!(keytool_list(&plain, &pw).contains("Your keystore contains 0 entries"));
}

#[test]
fn java_loads_mtlskit_stores_and_completes_mutual_tls_with_openssl() {
    let dir = TempDir::new("java-mtls");
    let pki = pki_init(&dir);
    let pw = dir.path("store.pw");
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/java/KeystorePeer.java");
    run_ok("javac", &["-d", &dir.path("classes"), source]);
    let trust_jks = dir.path("trust.jks");
    mtlskit_ok(&[
        "convert",
        &format!("{pki}/ca.crt"),
        "--to",
        "jks",
        "--password-file",
        &pw,
        "-o",
        &trust_jks,
    ]);

    // Java client (alice.jks + truststore.p12) -> openssl s_server requiring a client certificate
    let port = free_port();
    let ca_bundle = dir.path("cas.pem");
    let bundle = [format!("{pki}/ca.crt"), format!("{pki}/intermediate.crt")]
        .map(|path| std::fs::read_to_string(path).unwrap())
        .concat();
    std::fs::write(&ca_bundle, bundle).unwrap();
    let server = Guard(
        Command::new("openssl")
            .args(["s_server", "-accept", &format!("127.0.0.1:{port}")])
            .args([
                "-cert",
                &format!("{pki}/server.crt"),
                "-key",
                &format!("{pki}/server.key"),
            ])
            .args([
                "-cert_chain",
                &format!("{pki}/intermediate.crt"),
                "-CAfile",
                &ca_bundle,
            ])
            .args(["-Verify", "1", "-verify_return_error", "-www"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    wait_for_port(port);
    let alice = format!("{pki}/alice.jks");
    let truststore = format!("{pki}/truststore.p12");
    let output = java_peer(
        &dir,
        "client",
        (&alice, "JKS"),
        (&truststore, "PKCS12"),
        &pw,
        port,
    );
    assert!(output.contains("keystore aliases: [alice]"), "{output}");
    assert!(
        output.contains("handshake TLSv1.3 server CN=localhost"),
        "{output}"
    );
    assert!(output.contains("response HTTP/1.0 200 ok"), "{output}");
    let server_output = server.stop();
    assert!(
        server_output.contains("alice"),
        "openssl saw no client certificate: {server_output}"
    );

    // Java server (server.jks + a JKS truststore) <- openssl s_client with alice's certificate
    let port = free_port();
    let server_jks = format!("{pki}/server.jks");
    let java = Guard(java_command(
        &dir,
        "server",
        (&server_jks, "JKS"),
        (&trust_jks, "JKS"),
        &pw,
        port,
    ));
    wait_for_port(port);
    let client = run(
        "openssl",
        &[
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-CAfile",
            &format!("{pki}/ca.crt"),
            "-cert",
            &format!("{pki}/alice.crt"),
            "-key",
            &format!("{pki}/alice.key"),
            "-cert_chain",
            &format!("{pki}/intermediate.crt"),
            "-verify_return_error",
            "-verify_hostname",
            "localhost",
            "-ign_eof",
        ],
    );
    let client_text = String::from_utf8_lossy(&client.stdout).into_owned();
    assert!(
        client_text.contains("Verify return code: 0 (ok)"),
        "{client_text}"
    );
    let java_output = java.finish();
    assert!(java_output.contains("client CN=alice"), "{java_output}");
    assert!(client_text.contains("hello from java"), "{client_text}");

    // without the trusted-key-usage attribute Java trusts nothing (exit 3: no entry)
    let plain = dir.path("openssl-nokeys.p12");
    let pass = format!("pass:{}", STORE_PASSWORD);
    openssl(&[
        "pkcs12",
        "-export",
        "-nokeys",
        "-in",
        &format!("{pki}/ca.crt"),
        "-passout",
        &pass,
        "-out",
        &plain,
    ]);
    let mut child = java_command(
        &dir,
        "client",
        (&alice, "JKS"),
        (&plain, "PKCS12"),
        &pw,
        port,
    );
    assert_eq!(wait_with_timeout(&mut child, 30).code(), Some(3));
}

#[test]
fn java_client_completes_mutual_tls_with_mtlskit_proxy_terminate() {
    let dir = TempDir::new("java-proxy");
    let pki = pki_init(&dir);
    let pw = dir.path("store.pw");
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/java/KeystorePeer.java");
    run_ok("javac", &["-d", &dir.path("classes"), source]);
    let (upstream, requests) = counting_upstream();
    let port = free_port();
    let proxy = Guard(
        Command::new(env!("CARGO_BIN_EXE_mtlskit"))
            .args([
                "proxy",
                "terminate",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .args(["--target", &upstream, "--log-format", "json"])
            .args(["--cert", &format!("{pki}/server-fullchain.crt")])
            .args(["--key", &format!("{pki}/server.key")])
            .args(["--client-ca", &format!("{pki}/ca.crt")])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    wait_for_port(port);
    let (alice, truststore) = (format!("{pki}/alice.jks"), format!("{pki}/truststore.p12"));

    // alice.jks (key + chain with the intermediate) and truststore.p12, as pki init wrote them
    let output = java_peer(
        &dir,
        "client",
        (&alice, "JKS"),
        (&truststore, "PKCS12"),
        &pw,
        port,
    );
    assert!(
        output.contains("handshake TLSv1.3 server CN=localhost"),
        "{output}"
    );
    assert!(output.contains("response HTTP/1.0 200 OK"), "{output}");
    assert_eq!(requests.load(Ordering::SeqCst), 1);

    // without the client keystore (the truststore in its place: no key entry, so Java sends
    // no certificate): refused with the certificate_required alert, nothing reaches upstream
    let mut refused = java_command(
        &dir,
        "client",
        (&truststore, "PKCS12"),
        (&truststore, "PKCS12"),
        &pw,
        port,
    );
    let status = wait_with_timeout(&mut refused, 30);
    let output = read_all(&mut refused);
    assert!(!status.success(), "{output}");
    assert!(output.contains("certificate_required"), "{output}");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    let log = proxy.stop();
    assert!(log.contains(r#""rule":"NoClientCertificate""#), "{log}");
}

/// A plain HTTP upstream on 127.0.0.1 that answers 200 and counts requests, for 60 s at most.
fn counting_upstream() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    listener.set_nonblocking(true).unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let Ok((mut stream, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            };
            stream.set_nonblocking(false).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut request = Vec::new();
            let mut buffer = [0_u8; 4096];
            while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(count) => request.extend_from_slice(&buffer[..count]),
                }
            }
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n",
            );
        }
    });
    (address, requests)
}

/// `mtlskit pki init --java` in DIR/pki with the store password in DIR/store.pw.
fn pki_init(dir: &TempDir) -> String {
    std::fs::write(dir.path("store.pw"), format!("{STORE_PASSWORD}\n")).unwrap();
    let pki = dir.path("pki");
    mtlskit_ok(&[
        "pki",
        "init",
        &pki,
        "--java",
        "--client",
        "alice",
        "--p12-password",
        STORE_PASSWORD,
    ]);
    pki
}

fn sh(dir: &TempDir, script: &str) {
    let output = Command::new("bash")
        .args(["-c", script])
        .current_dir(&dir.0)
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "keytool could not make the stores:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

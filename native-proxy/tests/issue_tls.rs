//! The `pki init` output in a real TLS handshake: `openssl s_server -Verify` on 127.0.0.1
//! accepts curl with the client certificate and rejects curl without one (scenario S1).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

mod issue_support;

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use issue_support::*;

/// A server process killed when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_until_listening(port: u16, server: &mut Server) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        assert!(
            server.0.try_wait().unwrap().is_none(),
            "s_server exited early"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("s_server did not listen on 127.0.0.1:{port} within 10 s");
}

fn curl(port: u16, pki: &str, client: Option<&str>) -> std::process::Output {
    let resolve = format!("test.com:{port}:127.0.0.1");
    let url = format!("https://test.com:{port}/");
    let cacert = format!("{pki}/ca.crt");
    let mut args = vec![
        "-sS",
        "--max-time",
        "10",
        "--resolve",
        &resolve,
        "--cacert",
        &cacert,
    ];
    let (cert, key);
    if let Some(name) = client {
        cert = format!("{pki}/{name}.crt");
        key = format!("{pki}/{name}.key");
        args.extend(["--cert", &cert, "--key", &key]);
    }
    args.push(&url);
    run("curl", &args)
}

#[test]
fn tls_server_accepts_the_client_certificate_and_rejects_none() {
    for key_type in ["p256", "rsa2048", "ed25519"] {
        let dir = TempDir::new(&format!("tls-{key_type}"));
        let pki = dir.path("pki");
        mtlskit_ok(&[
            "pki",
            "init",
            &pki,
            "--server-san",
            "test.com",
            "--client",
            "alice",
            "--key-type",
            key_type,
        ]);
        let trust = dir.path("client-ca.crt");
        let bundle = [
            std::fs::read(format!("{pki}/ca.crt")).unwrap(),
            std::fs::read(format!("{pki}/intermediate.crt")).unwrap(),
        ]
        .concat();
        std::fs::write(&trust, bundle).unwrap();

        let port = free_port();
        let child = Command::new("timeout")
            .args([
                "60",
                "openssl",
                "s_server",
                "-accept",
                &format!("127.0.0.1:{port}"),
                "-naccept",
                "3",
            ])
            .args([
                "-cert",
                &format!("{pki}/server.crt"),
                "-cert_chain",
                &format!("{pki}/intermediate.crt"),
                "-key",
                &format!("{pki}/server.key"),
            ])
            .args([
                "-CAfile",
                &trust,
                "-Verify",
                "1",
                "-verify_return_error",
                "-www",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("timeout and openssl must be installed");
        let mut server = Server(child);
        wait_until_listening(port, &mut server);

        let accepted = curl(port, &pki, Some("alice"));
        let body = String::from_utf8_lossy(&accepted.stdout);
        assert!(
            accepted.status.success(),
            "{key_type}: curl with alice.crt failed: {}",
            String::from_utf8_lossy(&accepted.stderr)
        );
        assert!(
            body.contains("s_server -accept") && body.contains("Client certificate"),
            "{key_type}: {body}"
        );

        let rejected = curl(port, &pki, None);
        assert!(
            !rejected.status.success(),
            "{key_type}: curl without a client certificate must fail: {}",
            String::from_utf8_lossy(&rejected.stdout)
        );
    }
}

/// Scenario S8: a Node `https.createServer({key, cert, ca, requestCert: true})` configured with
/// the `pki init` output accepts a request with the client certificate and rejects one without.
#[test]
fn node_https_server_accepts_the_client_certificate_and_rejects_none() {
    use std::io::{BufRead, BufReader};

    let dir = TempDir::new("tls-node");
    let pki = dir.path("pki");
    mtlskit_ok(&[
        "pki",
        "init",
        &pki,
        "--server-san",
        "test.com",
        "--client",
        "alice",
    ]);
    let script = r#"
        const fs = require('fs'), https = require('https'), dir = process.argv[1];
        const read = (name) => fs.readFileSync(`${dir}/${name}`);
        const server = https.createServer({
            key: read('server.key'), cert: read('server-fullchain.crt'),
            ca: [read('ca.crt'), read('intermediate.crt')], requestCert: true, rejectUnauthorized: true,
        }, (request, response) => response.end(`hello ${request.socket.getPeerCertificate().subject.CN}\n`));
        server.listen(0, '127.0.0.1', () => console.log(server.address().port));
        setTimeout(() => process.exit(0), 30000).unref();
        setTimeout(() => server.close(), 30000);
    "#;
    let child = Command::new("node")
        .args(["-e", script, &pki])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node must be installed");
    let mut server = Server(child);
    let stdout = server.0.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let port: u16 = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("node printed {line:?}"));

    let accepted = curl(port, &pki, Some("alice"));
    assert!(
        accepted.status.success(),
        "{}",
        String::from_utf8_lossy(&accepted.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&accepted.stdout), "hello alice\n");
    let rejected = curl(port, &pki, None);
    assert!(
        !rejected.status.success(),
        "no client certificate must be rejected"
    );
}

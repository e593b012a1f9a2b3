//! `mtlskit probe` against our own `mtlskit proxy terminate` (issue 13 acceptance: the same
//! checks as against nginx): a server file lacking the intermediate named, the right client
//! chain answered by the upstream, no certificate and another CA's certificate refused with the
//! alert named (required mode) or the proxy's 400 / 403 explained (optional mode), and the
//! issuer check said before the certificate is sent.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

mod issue_support;
mod probe_support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use issue_support::TempDir;
use probe_support::{Probe, Server, assert_schema, free_port, make_pkis, probe, start};

/// A plain HTTP upstream on 127.0.0.1 that answers 200 to every request, for 20 s at most.
fn upstream() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
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
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 14\r\nConnection: close\r\n\r\nhello upstream",
            );
        }
    });
    port
}

struct Proxy {
    dir: TempDir,
    port: u16,
    _server: Server,
}

/// `mtlskit proxy terminate` with the server certificate alone (no intermediate), requiring
/// (or, with `optional`, asking for) a client certificate from the pki's root.
fn start_proxy(optional: bool) -> Proxy {
    let dir = TempDir::new("probe-proxy");
    let base = dir.0.display().to_string();
    make_pkis(&base);
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let target = format!("127.0.0.1:{}", upstream());
    let (cert, key, ca) = (
        format!("{base}/pki/server.crt"),
        format!("{base}/pki/server.key"),
        format!("{base}/pki/ca.crt"),
    );
    let mut args = vec![
        "proxy",
        "terminate",
        "--listen",
        &listen,
        "--target",
        &target,
        "--cert",
        &cert,
        "--key",
        &key,
        "--client-ca",
        &ca,
    ];
    if optional {
        args.extend(["--client-auth", "optional"]);
    }
    let server = start(env!("CARGO_BIN_EXE_mtlskit"), &args, port);
    Proxy {
        dir,
        port,
        _server: server,
    }
}

impl Proxy {
    fn probe(&self, client: Option<(&str, &str)>, json: bool) -> Probe {
        let url = format!("https://test.com:{}/", self.port);
        let resolve = format!("test.com:{}:127.0.0.1", self.port);
        let ca = self.dir.path("pki/ca.crt");
        let mut args = vec![url, "--resolve".to_owned(), resolve, "--ca".to_owned(), ca];
        if let Some((cert, key)) = client {
            args.extend([
                "--cert".to_owned(),
                self.dir.path(cert),
                "--key".to_owned(),
                self.dir.path(key),
            ]);
        }
        if json {
            args.push("--json".to_owned());
        }
        probe(&args.iter().map(String::as_str).collect::<Vec<_>>())
    }
}

const ALICE: Option<(&str, &str)> = Some(("alice-chain.crt", "pki/alice.key"));
const MALLORY: Option<(&str, &str)> = Some(("mallory-chain.crt", "other/mallory.key"));

#[test]
fn required_client_auth_the_same_checks_as_nginx() {
    let proxy = start_proxy(false);

    let run = proxy.probe(ALICE, true);
    assert_eq!(
        run.code, 1,
        "the server file lacks the intermediate: {}{}",
        run.stdout, run.stderr
    );
    let report = run.json();
    assert_schema(&report);
    assert_eq!(report["tls"]["version"], "TLSv1.3");
    assert_eq!(report["tls"]["alpn"]["chosen"], "h2");
    assert_eq!(
        report["tls"]["resumed"], true,
        "a second connection resumes"
    );
    assert_eq!(report["verification"]["code"], "IntermediateMissing");
    let auth = &report["client_auth"];
    assert_eq!(auth["requested"], true);
    assert_eq!(auth["acceptable_cas"][0], "CN=mtlskit Root CA,O=mtlskit");
    assert_eq!(auth["accepted"], true);
    assert_eq!(report["http"]["status"], 200);
    assert_eq!(run.problem_codes(), ["IntermediateMissing"]);

    let run = proxy.probe(None, true);
    assert_eq!(run.code, 1);
    let report = run.json();
    assert_eq!(report["client_auth"]["accepted"], false);
    assert!(
        report["client_auth"]["alert"]["name"].is_string(),
        "{report:#}"
    );
    assert_eq!(run.problem_codes()[0], "IntermediateMissing");
    assert!(
        run.problem_codes()
            .contains(&"ClientCertificateRequired".to_owned())
    );

    let run = proxy.probe(MALLORY, false);
    assert_eq!(run.code, 1);
    run.assert_order(
        "your certificate's issuer is not among the acceptable CAs",
        "accepted        no: the server sent the TLS alert",
    );
}

#[test]
fn optional_client_auth_refusal_pages_are_explained() {
    let proxy = start_proxy(true);

    let run = proxy.probe(None, true);
    assert_eq!(run.code, 1);
    let report = run.json();
    assert_eq!(report["http"]["status"], 400);
    assert_eq!(report["client_auth"]["accepted"], false);
    assert!(
        run.problem_codes()
            .contains(&"ClientCertificateMissing".to_owned())
    );

    let run = proxy.probe(MALLORY, false);
    assert_eq!(run.code, 1);
    // an invalid certificate is refused in the handshake even in optional mode
    run.assert_order(
        "your certificate's issuer is not among the acceptable CAs",
        "accepted        no: the server sent the TLS alert unknown_ca (48)",
    );

    let run = proxy.probe(ALICE, true);
    assert_eq!(run.json()["http"]["status"], 200, "{}", run.stdout);
}

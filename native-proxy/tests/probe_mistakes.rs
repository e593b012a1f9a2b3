//! `mtlskit probe` on servers that get TLS itself wrong, and on bad input: a server whose key
//! does not match its certificate (a rustls server in this process, since nginx and openssl
//! refuse to start that way), a port that speaks plain HTTP, a port where nothing listens,
//! and malformed arguments (exit 2, before any connection).

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
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use issue_support::TempDir;
use probe_support::{assert_schema, free_port, make_pkis, probe};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// Serves `key` with a certificate it does not belong to.
#[derive(Debug)]
struct Mismatched(Arc<CertifiedKey>);

impl ResolvesServerCert for Mismatched {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }
}

/// Accepts connections on `listener` for 10 s at most, answering each with `serve`.
fn serve_for_a_while(
    listener: TcpListener,
    serve: impl Fn(std::net::TcpStream) + Send + 'static,
) -> JoinHandle<()> {
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false).unwrap();
                    stream
                        .set_read_timeout(Some(Duration::from_secs(5)))
                        .unwrap();
                    serve(stream);
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    })
}

#[test]
fn a_server_key_that_does_not_match_its_certificate_is_named() {
    let dir = TempDir::new("probe-key-mismatch");
    make_pkis(&dir.0.display().to_string());
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(dir.path("pki/server-fullchain.crt"))
            .unwrap()
            .map(Result::unwrap)
            .collect();
    let wrong_key = PrivateKeyDer::from_pem_file(dir.path("pki/alice.key")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let signer = provider.key_provider.load_private_key(wrong_key).unwrap();
    let resolver = Mismatched(Arc::new(CertifiedKey::new(chain, signer)));
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(resolver)),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let _server = serve_for_a_while(listener, move |mut stream| {
        let mut connection = rustls::ServerConnection::new(config.clone()).unwrap();
        let _ = connection.complete_io(&mut stream);
    });

    for version in ["1.2", "1.3"] {
        let address = format!("127.0.0.1:{port}");
        let ca = dir.path("pki/ca.crt");
        let run = probe(&[&address, "--ca", &ca, "--tls-max", version, "--json"]);
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        let report = run.json();
        assert_schema(&report);
        assert_eq!(
            run.problem_codes(),
            ["KeyMismatch"],
            "TLS {version}: {report:#}"
        );
        assert_eq!(report["tls"]["version"], serde_json::Value::Null);
        // the chain was still recorded and verified
        assert_eq!(report["server_chain"].as_array().unwrap().len(), 2);
        assert_eq!(report["verification"]["valid"], true);
    }
}

#[test]
fn a_port_that_speaks_plain_http_is_named() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let _server = serve_for_a_while(listener, |mut stream| {
        let mut buffer = [0_u8; 1024];
        let _ = stream.read(&mut buffer);
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    });
    let run = probe(&[&format!("127.0.0.1:{port}"), "--json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.problem_codes(), ["HandshakeFailed"]);
    let message = run.json()["problems"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("not TLS"), "{message}");
}

#[test]
fn nothing_listening_and_bad_input_exit_2() {
    let port = free_port();
    let run = probe(&[&format!("127.0.0.1:{port}")]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("error[Io]: cannot connect to 127.0.0.1:"),
        "{}",
        run.stderr
    );
    let json = probe(&[&format!("127.0.0.1:{port}"), "--json"]);
    assert_eq!(json.code, 2);
    assert_eq!(json.json()["error"]["code"], "Io");

    let dir = TempDir::new("probe-bad-input");
    let missing = dir.path("missing.crt");
    for (args, code) in [
        (vec!["http://127.0.0.1:1/"], "UnrecognizedInput"),
        (vec!["127.0.0.1"], "UnrecognizedInput"),
        (vec!["127.0.0.1:1", "--tls-min", "1.1"], "UnrecognizedInput"),
        (vec!["127.0.0.1:1", "--resolve", "a:b"], "UnrecognizedInput"),
        (vec!["127.0.0.1:1", "--ca", &missing], "Io"),
    ] {
        let run = probe(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("error[{code}]")),
            "{args:?}: {}",
            run.stderr
        );
    }
}

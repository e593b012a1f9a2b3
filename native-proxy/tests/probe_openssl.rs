//! `mtlskit probe` against `openssl s_server -Verify` (issue 13 acceptance): with TLS 1.3 the
//! server refuses a client certificate after the client's handshake is over; the alert that
//! carries the refusal is read and named. Also name mismatch and expiry of the server's
//! certificate, named plainly.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

mod issue_support;
mod probe_support;

use issue_support::TempDir;
use probe_support::{Server, assert_schema, free_port, make_pkis, probe, s_server};

/// `s_server -tls1_3 -Verify 1 -verify_return_error -www` with the pki's fullchain.
fn start(dir: &TempDir, leaf: &str) -> Server {
    let base = dir.0.display().to_string();
    let port = free_port();
    let cert = format!("{base}/{leaf}");
    let chain = format!("{base}/pki/intermediate.crt");
    let key = format!("{base}/pki/server.key");
    let ca = format!("{base}/pki/ca.crt");
    s_server(
        &[
            "-tls1_3",
            "-Verify",
            "2",
            "-verify_return_error",
            "-CAfile",
            &ca,
            "-cert",
            &cert,
            "-cert_chain",
            &chain,
            "-key",
            &key,
            "-www",
        ],
        port,
    )
}

#[test]
fn tls13_post_handshake_alerts_are_read_and_named() {
    let dir = TempDir::new("probe-s-server");
    make_pkis(&dir.0.display().to_string());
    let server = start(&dir, "pki/server.crt");
    let address = format!("127.0.0.1:{}", server.port);
    let ca = dir.path("pki/ca.crt");

    // no client certificate, TLS only: the refusal arrives after the handshake
    let run = probe(&[&address, "--ca", &ca, "--json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_schema(&report);
    assert_eq!(report["tls"]["version"], "TLSv1.3");
    assert_eq!(report["verification"]["valid"], true, "{report:#}");
    let auth = &report["client_auth"];
    assert_eq!(auth["requested"], true);
    assert_eq!(auth["accepted"], false);
    assert_eq!(auth["alert"]["name"], "certificate_required");
    assert_eq!(auth["alert"]["number"], 116);
    assert_eq!(run.problem_codes(), ["ClientCertificateRequired"]);
    let text = probe(&[&address, "--ca", &ca]);
    assert!(
        text.stdout.contains(
            "TLS alert certificate_required (116): the server requires a client certificate"
        ),
        "{}",
        text.stdout
    );

    // another CA's certificate, over HTTP: the alert ends the HTTP exchange
    let url = format!("https://{address}/");
    let (chain, key) = (dir.path("mallory-chain.crt"), dir.path("other/mallory.key"));
    let run = probe(&[&url, "--ca", &ca, "--cert", &chain, "--key", &key, "--json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["client_auth"]["alert"]["name"], "unknown_ca");
    assert_eq!(report["client_auth"]["sent"], true);
    assert_eq!(report["http"]["status"], serde_json::Value::Null);
    assert_eq!(
        run.problem_codes(),
        ["ClientCertificateRefused", "IssuerNotAcceptable"]
    );

    // the right chain: accepted, HTTP answer, exit 0
    let (chain, key) = (dir.path("alice-chain.crt"), dir.path("pki/alice.key"));
    let run = probe(&[&url, "--ca", &ca, "--cert", &chain, "--key", &key, "--json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["client_auth"]["accepted"], true);
    assert_eq!(report["http"]["status"], 200);
    assert_eq!(report["tls"]["resumed"], true);
}

#[test]
fn name_mismatch_and_expiry_are_named() {
    let dir = TempDir::new("probe-names");
    let base = dir.0.display().to_string();
    make_pkis(&base);
    issue_support::mtlskit_ok(&[
        "cert",
        "new",
        "--ca",
        &format!("{base}/pki/intermediate.crt"),
        "--ca-key",
        &format!("{base}/pki/intermediate.key"),
        "--key",
        &format!("{base}/pki/server.key"),
        "--cn",
        "old.test",
        "--san",
        "test.com",
        "--not-before",
        "2020-01-01T00:00:00Z",
        "--not-after",
        "2021-01-01T00:00:00Z",
        "-o",
        &format!("{base}/expired.crt"),
    ]);
    let ca = dir.path("pki/ca.crt");

    let server = start(&dir, "pki/server.crt");
    let address = format!("127.0.0.1:{}", server.port);
    let run = probe(&[
        &address,
        "--ca",
        &ca,
        "--server-name",
        "other.test",
        "--json",
    ]);
    assert_eq!(run.code, 1);
    let verification = &run.json()["verification"];
    assert_eq!(verification["code"], "NameMismatch", "{verification:#}");
    let explanation = verification["explanation"].as_str().unwrap();
    assert!(
        explanation.contains("'other.test'") && explanation.contains("DNS:test.com"),
        "{explanation}"
    );
    assert_eq!(run.json()["tls"]["sni"], "other.test");

    let server = start(&dir, "expired.crt");
    let address = format!("127.0.0.1:{}", server.port);
    let run = probe(&[&address, "--ca", &ca, "--server-name", "test.com", "--json"]);
    assert_eq!(run.code, 1);
    let report = run.json();
    assert_eq!(report["verification"]["code"], "Expired", "{report:#}");
    assert_eq!(report["server_chain"][0]["validity"]["status"], "expired");
}

#[test]
fn a_server_that_lists_no_acceptable_cas_accepts_any_issuer_here() {
    let dir = TempDir::new("probe-any-issuer");
    let base = dir.0.display().to_string();
    make_pkis(&base);
    let port = free_port();
    let (cert, key) = (
        format!("{base}/pki/server-fullchain.crt"),
        format!("{base}/pki/server.key"),
    );
    // -verify (lower case): ask for a certificate, list no CA names, accept what comes
    let _server = s_server(
        &["-verify", "1", "-cert", &cert, "-key", &key, "-www"],
        port,
    );
    let address = format!("127.0.0.1:{port}");
    let (ca, chain, client_key) = (
        dir.path("pki/ca.crt"),
        dir.path("mallory-chain.crt"),
        dir.path("other/mallory.key"),
    );
    let run = probe(&[
        &address,
        "--ca",
        &ca,
        "--cert",
        &chain,
        "--key",
        &client_key,
        "--alpn",
        "none",
    ]);
    assert!(
        run.stdout
            .contains("acceptable CAs  (none listed: any issuer)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("any issuer may do"), "{}", run.stdout);
    let report = probe(&[
        &address,
        "--ca",
        &ca,
        "--cert",
        &chain,
        "--key",
        &client_key,
        "--json",
    ])
    .json();
    assert_eq!(
        report["client_auth"]["acceptable_cas"],
        serde_json::json!([])
    );
    assert_eq!(report["client_auth"]["sent"], true);
    assert_eq!(report["tls"]["alpn"]["offered"], serde_json::json!([]));
    // the first connection is closed before the second, which this one-at-a-time server needs
    assert_eq!(report["tls"]["resumed"], true);
}

//! Scenario S3: terminate mTLS in front of a plain HTTP service, checked with curl and
//! openssl: who gets in, who is refused and why (log and metrics), what the upstream sees,
//! TLS 1.2 with the field note's suites, session resumption.

use std::time::Duration;

use crate::support::pki::Pki;
use crate::support::upstream::Upstream;
use crate::support::{Proxy, bash, curl};

/// The field note 001 nginx cipher list.
const NOTE_CIPHERS: &str = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256";

fn terminate(pki: &Pki, upstream: &Upstream, extra: &[&str]) -> Proxy {
    let (cert, key, ca) = (
        pki.path("server-fullchain.crt"),
        pki.path("server.key"),
        pki.path("ca.crt"),
    );
    let target = upstream.target();
    let mut args = vec![
        "terminate",
        "--listen",
        "127.0.0.1:0",
        "--target",
        &target,
        "--cert",
        &cert,
        "--key",
        &key,
        "--client-ca",
        &ca,
        "--metrics",
        "127.0.0.1:0",
    ];
    args.extend_from_slice(extra);
    Proxy::start(&args)
}

/// curl to the proxy as `localhost` with `client_args`.
fn request(proxy: &Proxy, pki: &Pki, client_args: &[&str]) -> crate::support::Curl {
    let resolve = format!("localhost:{}:127.0.0.1", proxy.port());
    let url = format!("https://localhost:{}/hello", proxy.port());
    let ca = pki.path("ca.crt");
    let mut args = vec!["--resolve", &resolve, "--cacert", &ca];
    args.extend_from_slice(client_args);
    args.push(&url);
    curl(&args)
}

fn with_client<'a>(chain: &'a str, key: &'a str) -> [&'a str; 4] {
    ["--cert", chain, "--key", key]
}

#[test]
fn clients_of_the_ca_get_in_and_every_other_is_refused_with_its_reason() {
    let pki = Pki::new("s3");
    let upstream = Upstream::http();
    let proxy = terminate(&pki, &upstream, &[]);
    for client in ["client", "client2"] {
        let (chain, key) = (pki.client_chain(client), pki.path(&format!("{client}.key")));
        let answer = request(&proxy, &pki, &with_client(&chain, &key));
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (200, "hello from upstream\n"),
            "{client}: {answer:?}\n{}",
            proxy.log()
        );
    }
    let other_ca = pki.issue("other-ca", None, &["--profile", "root", "--cn", "Other CA"]);
    let stranger = pki.issue(
        "stranger",
        Some("other-ca"),
        &["--profile", "client", "--cn", "stranger"],
    );
    let expired = pki.issue(
        "expired",
        Some("intermediate"),
        &[
            "--profile",
            "client",
            "--cn",
            "expired",
            "--not-before",
            "2020-01-01T00:00:00Z",
            "--not-after",
            "2021-01-01T00:00:00Z",
        ],
    );
    let server_only = pki.issue(
        "server-only",
        Some("intermediate"),
        &[
            "--profile",
            "server",
            "--cn",
            "server-only",
            "--san",
            "server-only.example",
        ],
    );
    let _ = other_ca;
    let intermediate = pki.path("intermediate.crt");
    let cases = [
        ("no certificate", None, "NoClientCertificate"),
        ("another CA", Some(&stranger), "UnknownIssuer"),
        ("expired", Some(&expired), "Expired"),
        (
            "no clientAuth",
            Some(&server_only),
            "ExtendedKeyUsageMissing",
        ),
    ];
    for (what, client, reason) in cases {
        let answer = match client {
            None => request(&proxy, &pki, &[]),
            Some((certificate, key)) => {
                let chain = pki.chain(
                    &format!("{what}-chain").replace(' ', "-"),
                    &[certificate, &intermediate],
                );
                request(&proxy, &pki, &with_client(&chain, key))
            }
        };
        assert!(
            !answer.success && answer.status == 0,
            "{what} must fail the handshake: {answer:?}"
        );
        proxy.wait_event(Duration::from_secs(5), |event| {
            event["message"] == "connection refused" && event["rule"] == reason
        });
        let counted = proxy.metric(&format!(
            "mtlskit_refusals_total{{listener=\"listener0\",reason=\"{reason}\"}}"
        ));
        assert_eq!(
            counted,
            1.0,
            "{what}: {reason} not counted:\n{}",
            proxy.metrics()
        );
    }
    assert_eq!(
        upstream.record.requests().len(),
        2,
        "only the two good clients reached the upstream"
    );
}

#[test]
fn a_failing_allow_list_is_refused_with_403_and_counted() {
    let pki = Pki::new("s3-acl");
    let upstream = Upstream::http();
    let proxy = terminate(
        &pki,
        &upstream,
        &[
            "--allow-cn",
            "client",
            "--allow-uri",
            "spiffe://example.org/*",
        ],
    );
    let ok = request(
        &proxy,
        &pki,
        &with_client(&pki.client_chain("client"), &pki.path("client.key")),
    );
    assert_eq!(ok.status, 200, "{ok:?}");
    let refused = request(
        &proxy,
        &pki,
        &with_client(&pki.client_chain("client2"), &pki.path("client2.key")),
    );
    assert_eq!(refused.status, 403, "{refused:?}");
    assert!(
        refused.body.contains("allow-cn client") && refused.body.contains("CN=client2"),
        "{}",
        refused.body
    );
    proxy.wait_event(Duration::from_secs(5), |event| {
        event["message"] == "request" && event["status"] == 403 && event["rule"] == "NotAllowed"
    });
    assert_eq!(
        proxy.metric("mtlskit_refusals_total{listener=\"listener0\",reason=\"NotAllowed\"}"),
        1.0
    );
    assert_eq!(
        proxy.metric("mtlskit_requests_total{listener=\"listener0\",status=\"403\"}"),
        1.0
    );
    assert_eq!(
        upstream.record.requests().len(),
        1,
        "the refused client never reached the upstream"
    );
}

#[test]
fn the_upstream_sees_the_real_ip_and_identity_and_never_a_spoofed_copy() {
    let pki = Pki::new("s3-headers");
    let upstream = Upstream::http();
    let proxy = terminate(
        &pki,
        &upstream,
        &[
            "--identity-headers",
            "xfcc,client-cert,client-cert-chain",
            "--set-header",
            "x-ptp-session-id: 00000000000000010000000000000001",
        ],
    );
    let (chain, key) = (pki.client_chain("client"), pki.path("client.key"));
    let mut args = with_client(&chain, &key).to_vec();
    let spoofed = [
        "X-Real-IP: 6.6.6.6",
        "X-Forwarded-For: 6.6.6.6",
        "X-Forwarded-Client-Cert: Hash=spoofed;Subject=\"CN=admin\"",
        "Client-Cert: :c3Bvb2Y=:",
        "x-ptp-session-id: spoofed",
    ];
    for header in &spoofed {
        args.extend(["-H", header]);
    }
    for http in ["--http1.1", "--http2"] {
        let mut with_version = args.clone();
        with_version.push(http);
        let answer = request(&proxy, &pki, &with_version);
        assert_eq!(answer.status, 200, "{answer:?}");
    }
    let client_b64 = String::from_utf8(
        bash(&format!(
            "openssl x509 -in {} -outform der | base64 -w0",
            pki.path("client.crt")
        ))
        .stdout,
    )
    .unwrap();
    for seen in upstream.record.requests() {
        assert_eq!(seen.header("x-real-ip"), ["127.0.0.1"], "{seen:?}");
        assert_eq!(seen.header("x-forwarded-for"), ["127.0.0.1"]);
        assert_eq!(seen.header("x-forwarded-proto"), ["https"]);
        let xfcc = seen.header("x-forwarded-client-cert");
        assert!(
            xfcc.len() == 1
                && xfcc[0].contains("Subject=\"CN=client,O=mtlskit\"")
                && xfcc[0].starts_with("Hash="),
            "{xfcc:?}"
        );
        assert_eq!(seen.header("client-cert"), [format!(":{client_b64}:")]);
        assert_eq!(seen.header("client-cert-chain").len(), 1);
        assert_eq!(
            seen.header("x-ptp-session-id"),
            ["00000000000000010000000000000001"]
        );
        assert!(
            seen.headers
                .iter()
                .all(|(_, value)| !value.contains("6.6.6.6") && !value.contains("spoof")),
            "{seen:?}"
        );
        assert_eq!(
            seen.authority,
            format!("localhost:{}", proxy.port()),
            "the client's Host is kept: {seen:?}"
        );
    }
    let versions: Vec<String> = upstream
        .record
        .requests()
        .iter()
        .map(|seen| seen.version.clone())
        .collect();
    assert_eq!(
        versions,
        ["HTTP/1.1", "HTTP/2.0"],
        "HTTP/2 goes out as h2c to an upstream that speaks it"
    );
}

#[test]
fn an_upstream_without_h2c_gets_http_1_1_from_http_2_clients() {
    let pki = Pki::new("s3-h1");
    let upstream = Upstream::http1_only();
    let proxy = terminate(&pki, &upstream, &[]);
    let (chain, key) = (pki.client_chain("client"), pki.path("client.key"));
    for _ in 0..2 {
        let answer = request(
            &proxy,
            &pki,
            &[&with_client(&chain, &key)[..], &["--http2"]].concat(),
        );
        assert_eq!(
            (answer.status, answer.version.as_str()),
            (200, "2"),
            "{answer:?}"
        );
    }
    let versions: Vec<String> = upstream
        .record
        .requests()
        .iter()
        .map(|seen| seen.version.clone())
        .collect();
    assert_eq!(versions, ["HTTP/1.1", "HTTP/1.1"]);
}

#[test]
fn tls_1_2_only_with_the_field_note_suites_and_resumption() {
    let pki = Pki::new("s3-tls12");
    let upstream = Upstream::http();
    let proxy = terminate(
        &pki,
        &upstream,
        &["--tls-max", "1.2", "--ciphers", NOTE_CIPHERS],
    );
    let (chain, key) = (pki.client_chain("client"), pki.path("client.key"));
    let mut args = with_client(&chain, &key).to_vec();
    args.extend([
        "--tls-max",
        "1.2",
        "--ciphers",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "-v",
    ]);
    let answer = request(&proxy, &pki, &args);
    assert_eq!(answer.status, 200, "{answer:?}");
    assert!(
        answer
            .stderr
            .contains("TLSv1.2 / ECDHE-ECDSA-AES256-GCM-SHA384"),
        "{}",
        answer.stderr
    );
    let tls13 = request(
        &proxy,
        &pki,
        &[&with_client(&chain, &key)[..], &["--tlsv1.3"]].concat(),
    );
    assert!(!tls13.success, "TLS 1.3 must be refused: {tls13:?}");
    let skipped = proxy
        .events()
        .iter()
        .filter(|event| event["code"] == "CipherSuiteSkipped")
        .count();
    assert_eq!(
        skipped, 4,
        "the four CBC suites of the note are skipped with a warning"
    );

    // Session IDs (tickets off on the client side) and tickets, both reported as Reused.
    for ticket in [false, true] {
        assert!(
            resumes(&proxy, &pki, "-tls1_2", ticket),
            "TLS 1.2 resumption (tickets: {ticket})\n{}",
            proxy.log()
        );
    }
    assert!(
        proxy.metric("mtlskit_handshakes_total{listener=\"listener0\",outcome=\"resumed\"}") >= 2.0
    );
}

#[test]
fn tls_1_3_resumption_with_tickets() {
    let pki = Pki::new("s3-tls13");
    let upstream = Upstream::http();
    let proxy = terminate(&pki, &upstream, &[]);
    assert!(resumes(&proxy, &pki, "-tls1_3", true), "{}", proxy.log());
    assert_eq!(
        upstream.record.requests().len(),
        2,
        "both the full and the resumed connection were served"
    );
}

/// Connects twice with `openssl s_client` (-sess_out, then -sess_in) and says whether the
/// second connection reports `Reused`.
fn resumes(proxy: &Proxy, pki: &Pki, version: &str, tickets: bool) -> bool {
    let session = pki.extra(&format!("session{version}{tickets}.pem"));
    let connect = format!("127.0.0.1:{}", proxy.port());
    let (cert, key, chain, ca) = (
        pki.path("client.crt"),
        pki.path("client.key"),
        pki.path("intermediate.crt"),
        pki.path("ca.crt"),
    );
    let mut reused = false;
    for (index, session_flag) in ["-sess_out", "-sess_in"].iter().enumerate() {
        let mut args = vec![
            "s_client",
            "-connect",
            &connect,
            "-servername",
            "localhost",
            version,
            "-CAfile",
            &ca,
            "-cert",
            &cert,
            "-key",
            &key,
            "-cert_chain",
            &chain,
            session_flag,
            &session,
            "-ign_eof",
        ];
        if !tickets {
            args.push("-no_ticket");
        }
        let output = crate::support::run_with_input(
            "openssl",
            &args,
            b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("hello from upstream"),
            "s_client #{index}: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        reused = stdout.contains("Reused, TLSv1");
    }
    reused
}

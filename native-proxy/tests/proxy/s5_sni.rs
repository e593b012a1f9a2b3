//! Scenario S5 (field note 004): `curl --resolve test.com:PORT:127.0.0.1` negotiates TLS 1.3
//! and ALPN h2 with the client certificate, fails without it; two certificates on one listener
//! are chosen by SNI.

use crate::support::pki::Pki;
use crate::support::upstream::Upstream;
use crate::support::{Proxy, curl, run_with_input};

#[test]
fn tls_1_3_alpn_h2_and_two_certificates_chosen_by_sni() {
    let pki = Pki::new("s5");
    let upstream = Upstream::http();
    let (other, other_key) = pki.issue(
        "other",
        Some("intermediate"),
        &[
            "--profile",
            "server",
            "--cn",
            "other.example",
            "--san",
            "other.example",
        ],
    );
    let other_chain = pki.chain("other", &[&other, &pki.path("intermediate.crt")]);
    let (cert, key, ca) = (
        pki.path("server-fullchain.crt"),
        pki.path("server.key"),
        pki.path("ca.crt"),
    );
    let target = upstream.target();
    let proxy = Proxy::start(&[
        "terminate",
        "--listen",
        "127.0.0.1:0",
        "--target",
        &target,
        "--cert",
        &cert,
        "--key",
        &key,
        "--cert",
        &other_chain,
        "--key",
        &other_key,
        "--client-ca",
        &ca,
    ]);
    let port = proxy.port();
    let (chain, client_key) = (pki.client_chain("client"), pki.path("client.key"));
    for host in ["test.com", "other.example"] {
        let resolve = format!("{host}:{port}:127.0.0.1");
        let url = format!("https://{host}:{port}/ip");
        // curl checks the name: it passes only if the listener chose the certificate for it.
        let answer = curl(&[
            "-v",
            "--resolve",
            &resolve,
            "--cacert",
            &ca,
            "--cert",
            &chain,
            "--key",
            &client_key,
            &url,
        ]);
        assert_eq!(
            (answer.status, answer.version.as_str()),
            (200, "2"),
            "{host}: {answer:?}"
        );
        assert!(
            answer.stderr.contains("SSL connection using TLSv1.3"),
            "{}",
            answer.stderr
        );
        assert!(
            answer.stderr.contains("ALPN: server accepted h2"),
            "{}",
            answer.stderr
        );
        let refused = curl(&["--resolve", &resolve, "--cacert", &ca, &url]);
        assert!(
            !refused.success && refused.status == 0,
            "no client certificate: {refused:?}"
        );
    }
    let connect = format!("127.0.0.1:{port}");
    for (name, subject) in [
        ("other.example", "CN = other.example"),
        ("test.com", "CN = localhost"),
        ("unknown.example", "CN = localhost"),
    ] {
        let output = run_with_input(
            "openssl",
            &[
                "s_client",
                "-connect",
                &connect,
                "-servername",
                name,
                "-CAfile",
                &ca,
            ],
            b"",
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let served = stdout
            .lines()
            .find(|line| line.starts_with("subject="))
            .unwrap_or_default();
        assert!(
            served.ends_with(subject),
            "SNI {name} -> {subject}:\n{stdout}"
        );
    }
}

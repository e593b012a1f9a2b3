//! The proxy accepts exactly the client chains `mtlskit verify --purpose client` accepts, for
//! the same reason: valid, expired, wrong EKU, under a version 1 intermediate, violating a
//! name constraint, revoked by a CRL.

use serde_json::Value;

use crate::support::pki::Pki;
use crate::support::upstream::Upstream;
use crate::support::{Proxy, curl_as_client, mtlskit_binary, run};

#[test]
fn proxy_verdicts_equal_mtlskit_verify() {
    let pki = Pki::new("parity");
    let intermediate = pki.path("intermediate.crt");
    let mut chains: Vec<(&str, String, String)> = Vec::new();
    chains.push(("valid", pki.client_chain("client"), pki.path("client.key")));
    let (expired, expired_key) = pki.issue(
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
    chains.push((
        "expired",
        pki.chain("expired", &[&expired, &intermediate]),
        expired_key,
    ));
    let (server, server_key) = pki.issue(
        "server-eku",
        Some("intermediate"),
        &[
            "--profile",
            "server",
            "--cn",
            "server-eku",
            "--san",
            "server-eku.example",
        ],
    );
    chains.push((
        "wrong EKU",
        pki.chain("server-eku", &[&server, &intermediate]),
        server_key,
    ));
    let (v1, _) = pki.openssl_issue("v1-intermediate", "/CN=Version 1 Intermediate", "ca", "");
    let (under_v1, under_v1_key) = pki.openssl_issue(
        "under-v1",
        "/CN=under-v1",
        "v1-intermediate",
        "extendedKeyUsage = clientAuth\nkeyUsage = digitalSignature",
    );
    chains.push((
        "v1 intermediate",
        pki.chain("under-v1", &[&under_v1, &v1]),
        under_v1_key,
    ));
    let (constrained, _) = pki.issue(
        "constrained",
        Some("ca"),
        &[
            "--profile",
            "intermediate",
            "--cn",
            "Constrained CA",
            "--permit",
            "example.com",
        ],
    );
    let (inside, inside_key) = pki.openssl_issue(
        "inside",
        "/CN=inside",
        "constrained",
        "extendedKeyUsage = clientAuth\nsubjectAltName = DNS:alice.example.com",
    );
    chains.push((
        "name-constrained, inside",
        pki.chain("inside", &[&inside, &constrained]),
        inside_key,
    ));
    let (outside, outside_key) = pki.openssl_issue(
        "outside",
        "/CN=outside",
        "constrained",
        "extendedKeyUsage = clientAuth\nsubjectAltName = DNS:mallory.other.org",
    );
    chains.push((
        "name-constrained, outside",
        pki.chain("outside", &[&outside, &constrained]),
        outside_key,
    ));
    let (revoked, revoked_key) = pki.issue(
        "revoked",
        Some("intermediate"),
        &["--profile", "client", "--cn", "revoked"],
    );
    chains.push((
        "revoked",
        pki.chain("revoked", &[&revoked, &intermediate]),
        revoked_key,
    ));
    let crl = pki.crl("intermediate.crl", "intermediate", &[&revoked]);

    let upstream = Upstream::http();
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
        "--client-ca",
        &ca,
        "--crl",
        &crl,
    ]);
    let port = proxy.port();
    let mut accepted = Vec::new();
    for (name, chain, client_key) in &chains {
        let verify = run(
            mtlskit_binary(),
            &[
                "verify",
                "--purpose",
                "client",
                "--ca",
                &ca,
                "--crl",
                &crl,
                "--json",
                chain,
            ],
        );
        let verdict: Value = serde_json::from_slice(&verify.stdout)
            .unwrap_or_else(|_| panic!("{name}: {}", String::from_utf8_lossy(&verify.stderr)));
        let answer = curl_as_client(port, &ca, chain, client_key, "/");
        let proxy_accepts = answer.status == 200;
        assert_eq!(
            proxy_accepts,
            verdict["valid"] == true,
            "{name}: proxy {answer:?}, verify {verdict}"
        );
        if !proxy_accepts {
            let code = verdict["failure"]["code"].as_str().unwrap().to_owned();
            proxy.wait_event(std::time::Duration::from_secs(5), |event| {
                event["message"] == "connection refused" && event["rule"] == code.as_str()
            });
        }
        accepted.push((*name, proxy_accepts));
    }
    let expected = [
        ("valid", true),
        ("expired", false),
        ("wrong EKU", false),
        ("v1 intermediate", false),
        ("name-constrained, inside", true),
        ("name-constrained, outside", false),
        ("revoked", false),
    ];
    assert_eq!(accepted, expected);
}

//! `mtlskit probe` against Debian's nginx with `ssl_verify_client on` (issue 13 acceptance):
//! a server file lacking the intermediate, the right client chain (200), no client
//! certificate (nginx's 400 explained), a certificate from another CA (refused, and said
//! before sending), TLS 1.2 and 1.3 details, resumption, and chain-shape remarks.

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
use probe_support::{Probe, Server, assert_schema, free_port, make_pkis, nginx, probe};

/// nginx with four listeners, all requiring a client certificate from the pki's root:
/// `missing` sends only the server certificate, `fixed` the fullchain, `misordered` leaf,
/// root, intermediate, `with_root` the fullchain plus the root.
struct Nginx {
    dir: TempDir,
    missing: u16,
    fixed: u16,
    misordered: u16,
    with_root: u16,
    _server: Server,
}

fn start_nginx() -> Nginx {
    let dir = TempDir::new("probe-nginx");
    let base = dir.0.display().to_string();
    make_pkis(&base);
    let ports = [free_port(), free_port(), free_port(), free_port()];
    let files = [
        format!("{base}/pki/server.crt"),
        format!("{base}/pki/server-fullchain.crt"),
        format!("{base}/server-misordered.crt"),
        format!("{base}/server-with-root.crt"),
    ];
    let servers: String = ports
        .iter()
        .zip(&files)
        .map(|(port, certificate)| {
            format!(
                "  server {{\n    listen 127.0.0.1:{port} ssl http2;\n    server_name test.com;\n\
                 ssl_certificate {certificate};\n    ssl_certificate_key {base}/pki/server.key;\n\
                 ssl_client_certificate {base}/pki/ca.crt;\n    ssl_verify_client on;\n\
                 ssl_verify_depth 2;\n    ssl_protocols TLSv1.2 TLSv1.3;\n\
                 location / {{ return 200 \"hello from nginx\\n\"; }}\n  }}\n"
            )
        })
        .collect();
    let server = nginx(&base, &servers, ports[0]);
    Nginx {
        dir,
        missing: ports[0],
        fixed: ports[1],
        misordered: ports[2],
        with_root: ports[3],
        _server: server,
    }
}

impl Nginx {
    fn path(&self, name: &str) -> String {
        self.dir.path(name)
    }

    /// Probes `https://test.com:PORT/` (resolved to 127.0.0.1) with `extra` arguments.
    fn probe(&self, port: u16, extra: &[&str]) -> Probe {
        let url = format!("https://test.com:{port}/");
        let resolve = format!("test.com:{port}:127.0.0.1");
        let ca = self.path("pki/ca.crt");
        let mut args = vec![url.as_str(), "--resolve", &resolve, "--ca", &ca];
        args.extend_from_slice(extra);
        probe(&args)
    }

    fn alice(&self) -> [String; 4] {
        [
            "--cert".to_owned(),
            self.path("alice-chain.crt"),
            "--key".to_owned(),
            self.path("pki/alice.key"),
        ]
    }
}

fn strings(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn missing_intermediate_is_named_and_the_right_client_chain_gets_200() {
    let nginx = start_nginx();
    let alice = nginx.alice();
    let mut args = strings(&alice);
    args.push("--json");
    let run = nginx.probe(nginx.missing, &args);
    assert_eq!(
        run.code, 1,
        "the server's chain is broken: {}{}",
        run.stdout, run.stderr
    );
    let report = run.json();
    assert_schema(&report);
    assert_eq!(report["tls"]["version"], "TLSv1.3");
    assert_eq!(report["tls"]["sni"], "test.com");
    assert_eq!(report["tls"]["alpn"]["chosen"], "h2");
    assert_eq!(
        report["tls"]["resumed"], true,
        "nginx has a session cache and tickets"
    );
    assert_eq!(report["http"]["version"], "HTTP/2");
    assert_eq!(report["http"]["status"], 200);
    let auth = &report["client_auth"];
    assert_eq!(auth["requested"], true);
    assert_eq!(auth["acceptable_cas"][0], "CN=mtlskit Root CA,O=mtlskit");
    assert_eq!(
        (auth["sent"].clone(), auth["accepted"].clone()),
        (true.into(), true.into())
    );
    let verification = &report["verification"];
    assert_eq!(verification["valid"], false);
    assert_eq!(verification["code"], "IntermediateMissing");
    let explanation = verification["explanation"].as_str().unwrap();
    assert!(
        explanation.contains("'CN=mtlskit Intermediate CA,O=mtlskit'"),
        "{explanation}"
    );
    assert!(verification["hint"].as_str().unwrap().contains("fullchain"));
    assert_eq!(report["server_chain"].as_array().unwrap().len(), 1);
    assert_eq!(run.problem_codes(), ["IntermediateMissing"]);

    let text = nginx.probe(nginx.missing, &strings(&alice));
    assert!(
        text.stdout.contains("NOT VALID [IntermediateMissing]"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("intermediate certificate missing"));
    assert!(
        text.stdout
            .contains("acceptable CAs  CN=mtlskit Root CA,O=mtlskit")
    );
    assert!(text.stdout.contains("HTTP/2 200"));
}

#[test]
fn tls12_details_and_a_fixed_server_exit_zero() {
    let nginx = start_nginx();
    let alice = nginx.alice();
    let mut args = strings(&alice);
    args.extend(["--tls-max", "1.2", "--json"]);
    let run = nginx.probe(nginx.fixed, &args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_schema(&report);
    assert_eq!(report["tls"]["version"], "TLSv1.2");
    let suite = report["tls"]["cipher_suite"].as_str().unwrap();
    assert!(suite.starts_with("TLS_ECDHE_ECDSA_WITH_"), "{suite}");
    assert!(report["tls"]["key_exchange"].is_string());
    assert_eq!(report["tls"]["resumed"], true);
    assert_eq!(report["verification"]["valid"], true);
    assert_eq!(report["verification"]["code"], serde_json::Value::Null);
    assert_eq!(report["server_chain"].as_array().unwrap().len(), 2);
    assert_eq!(report["client_auth"]["accepted"], true);
    assert_eq!(report["http"]["status"], 200);
    assert_eq!(report["problems"], serde_json::json!([]));
}

#[test]
fn no_client_certificate_gets_nginx_400_explained() {
    let nginx = start_nginx();
    let run = nginx.probe(nginx.fixed, &["--json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_schema(&report);
    assert_eq!(report["http"]["status"], 400);
    let auth = &report["client_auth"];
    assert_eq!(
        (auth["requested"].clone(), auth["sent"].clone()),
        (true.into(), false.into())
    );
    assert_eq!(auth["accepted"], false);
    assert_eq!(run.problem_codes(), ["ClientCertificateMissing"]);

    let text = nginx.probe(nginx.fixed, &[]);
    assert!(
        text.stdout.contains("No required SSL certificate was sent"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("ssl_verify_client on and the client sent no certificate")
    );
    assert!(text.stdout.contains("fix: send a client certificate"));
}

#[test]
fn another_ca_is_refused_and_said_before_sending() {
    let nginx = start_nginx();
    let chain = nginx.path("mallory-chain.crt");
    let key = nginx.path("other/mallory.key");
    let run = nginx.probe(nginx.fixed, &["--cert", &chain, "--key", &key]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    run.assert_order(
        "your certificate's issuer is not among the acceptable CAs",
        "The SSL certificate error",
    );
    run.assert_order("before sending", "accepted        no");
    assert!(
        run.stdout
            .contains("'CN=Other Org Intermediate CA,O=Other Org'")
    );

    let json = nginx.probe(nginx.fixed, &["--cert", &chain, "--key", &key, "--json"]);
    let report = json.json();
    assert_schema(&report);
    assert_eq!(report["client_auth"]["sent"], true);
    assert_eq!(report["client_auth"]["accepted"], false);
    assert_eq!(report["http"]["status"], 400);
    assert_eq!(
        json.problem_codes(),
        ["ClientCertificateRefused", "IssuerNotAcceptable"]
    );
}

#[test]
fn chain_order_and_root_sent_are_remarked() {
    let nginx = start_nginx();
    let alice = nginx.alice();
    let mut args = strings(&alice);
    args.push("--json");
    let misordered = nginx.probe(nginx.misordered, &args);
    assert_eq!(misordered.code, 0, "warnings only: {}", misordered.stdout);
    assert!(
        misordered
            .problem_codes()
            .contains(&"ChainOrder".to_owned())
    );
    let with_root = nginx.probe(nginx.with_root, &args);
    assert_eq!(with_root.code, 0, "warnings only: {}", with_root.stdout);
    assert_eq!(with_root.problem_codes(), ["RootSent"]);
    assert_eq!(with_root.json()["verification"]["valid"], true);
}

#[test]
fn a_p12_client_with_its_chain_is_accepted() {
    let nginx = start_nginx();
    // pki init wrote the .p12 under a random password, in a 0600 file beside it.
    let password = nginx.path("pki/p12-password.txt");
    let p12 = nginx.path("pki/alice.p12");
    let run = nginx.probe(
        nginx.fixed,
        &[
            "--p12",
            &p12,
            "--password-file",
            &password,
            "--request",
            "GET /x",
            "--json",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["client_auth"]["sent"], true);
    assert_eq!(report["client_auth"]["accepted"], true);
    assert_eq!(report["http"]["status"], 200);
    let wrong = nginx.path("wrong-password");
    std::fs::write(&wrong, "nope\n").unwrap();
    let run = nginx.probe(nginx.fixed, &["--p12", &p12, "--password-file", &wrong]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[WrongPassword]"),
        "{}",
        run.stderr
    );
}

//! Scenario S6 (field notes 000, 001): Debian's nginx, configured like the notes, on either
//! side of the proxy, for HTTP and for gRPC: nginx as the mTLS client (proxy_ssl_certificate,
//! grpc_ssl_certificate) in front of `terminate`, and as the mTLS server (ssl_verify_client
//! on) behind `originate`.

use std::process::{Command, Stdio};

use crate::s4_grpc::{assert_calls_went_through, grpc_client, grpc_server, originate, terminate};
use crate::support::pki::Pki;
use crate::support::upstream::Upstream;
use crate::support::{Peer, TempDir, curl, free_port, wait_listening};

/// nginx in the foreground, without a master process (so it runs as the test's user).
fn nginx(dir: &TempDir, servers: &str, port: u16) -> Peer {
    let base = dir.path("");
    std::fs::create_dir_all(dir.path("temp")).unwrap();
    let temp = dir.path("temp");
    let configuration = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {base}/nginx.pid;\nerror_log {base}/error.log info;\n\
         events {{ worker_connections 64; }}\nhttp {{\n  access_log off;\n  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n\
         fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n{servers}\n}}\n"
    );
    let path = dir.write("nginx.conf", configuration);
    let log = dir.path("error.log");
    let mut child = Command::new("timeout")
        .args(["120", "nginx", "-p", &base, "-e", &log, "-c", &path])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nginx must be installed (scripts/install-deps.sh)");
    wait_listening(format!("127.0.0.1:{port}").parse().unwrap(), &mut child);
    Peer(child)
}

#[test]
fn nginx_as_mtls_client_in_front_of_terminate() {
    let pki = Pki::new("s6-client");
    let upstream = Upstream::http();
    let (_grpc, grpc_port) = grpc_server();
    let http_terminate = terminate(&pki, &upstream.target(), &[]);
    let grpc_terminate = terminate(&pki, &format!("127.0.0.1:{grpc_port}"), &[]);
    let (http_port, grpc_port_nginx) = (free_port(), free_port());
    let (chain, key, ca) = (
        pki.client_chain("client"),
        pki.path("client.key"),
        pki.path("ca.crt"),
    );
    let servers = format!(
        "  server {{ listen 127.0.0.1:{http_port}; location / {{ proxy_pass https://{http}; proxy_ssl_certificate {chain}; proxy_ssl_certificate_key {key};\n\
         proxy_ssl_trusted_certificate {ca}; proxy_ssl_verify on; proxy_ssl_verify_depth 2; proxy_ssl_name localhost; proxy_ssl_server_name on;\n\
         proxy_ssl_session_reuse on; proxy_http_version 1.1; proxy_set_header Host $host:$server_port; proxy_set_header X-Real-IP $remote_addr; }} }}\n\
         server {{ listen 127.0.0.1:{grpc_port_nginx} http2; http2_body_preread_size 256m; location / {{ grpc_pass grpcs://{grpc}; grpc_ssl_certificate {chain};\n\
         grpc_ssl_certificate_key {key}; grpc_ssl_trusted_certificate {ca}; grpc_ssl_verify on; grpc_ssl_verify_depth 2; grpc_ssl_name localhost;\n\
         grpc_set_header x-ptp-session-id \"00000000000000010000000000000001\"; }} }}\n",
        http = http_terminate.address(),
        grpc = grpc_terminate.address(),
    );
    let dir = TempDir::new("s6-nginx-client");
    let _nginx = nginx(&dir, &servers, http_port);
    let answer = curl(&[&format!("http://127.0.0.1:{http_port}/through-nginx")]);
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, "hello from upstream\n"),
        "{answer:?}\n{}",
        std::fs::read_to_string(dir.path("error.log")).unwrap_or_default()
    );
    let seen = &upstream.record.requests()[0];
    assert!(
        seen.header("x-forwarded-client-cert")[0].contains("CN=client,O=mtlskit"),
        "{seen:?}"
    );
    let grpc = grpc_client(&format!("127.0.0.1:{grpc_port_nginx}"), &[]);
    assert_calls_went_through(&grpc);
    assert!(
        grpc_terminate.events().iter().any(
            |event| event["message"] == "request" && event["identity"] == "CN=client,O=mtlskit"
        )
    );
}

#[test]
fn nginx_as_mtls_server_behind_originate() {
    let pki = Pki::new("s6-server");
    let (_grpc, grpc_port) = grpc_server();
    let (https_port, grpcs_port) = (free_port(), free_port());
    let (cert, key, ca) = (
        pki.path("server-fullchain.crt"),
        pki.path("server.key"),
        pki.path("ca.crt"),
    );
    let tls = format!(
        "ssl_certificate {cert}; ssl_certificate_key {key}; ssl_client_certificate {ca}; ssl_verify_client on; ssl_verify_depth 2;"
    );
    let servers = format!(
        "  server {{ listen 127.0.0.1:{https_port} ssl; {tls} location / {{ return 200 \"nginx saw $ssl_client_s_dn\\n\"; }} }}\n\
         server {{ listen 127.0.0.1:{grpcs_port} ssl http2; {tls} location / {{ grpc_pass grpc://127.0.0.1:{grpc_port}; }} }}\n"
    );
    let dir = TempDir::new("s6-nginx-server");
    let _nginx = nginx(&dir, &servers, https_port);
    let http_originate = originate(&pki, &format!("127.0.0.1:{https_port}"), &[]);
    let header = "x-ptp-session-id: 00000000000000010000000000000001";
    let grpc_originate = originate(
        &pki,
        &format!("127.0.0.1:{grpcs_port}"),
        &["--set-header", header],
    );
    for version in ["--http1.1", "--http2-prior-knowledge"] {
        let answer = curl(&[version, &format!("http://{}/", http_originate.address())]);
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (200, "nginx saw CN=client,O=mtlskit\n"),
            "{version}: {answer:?}\n{}",
            http_originate.log()
        );
    }
    assert_calls_went_through(&grpc_client(&grpc_originate.address().to_string(), &[]));
}

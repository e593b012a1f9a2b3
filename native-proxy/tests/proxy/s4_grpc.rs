//! Scenario S4: gRPC through a pair of proxies with a real gRPC client and server (Python
//! grpcio): plaintext client -> originate (h2c in, adds x-ptp-session-id) -> mTLS HTTP/2 ->
//! terminate -> plaintext server. Unary, server-streaming and bidirectional calls with
//! trailers; and the gRPC statuses the proxy answers with itself.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::pki::Pki;
use crate::support::{Peer, Proxy, free_port, python};

const SESSION_ID: &str = "00000000000000010000000000000001";

/// Starts the grpcio server and waits for its `ready` line.
pub fn grpc_server() -> (Peer, u16) {
    let port = free_port();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/proxy/grpc_peer.py");
    let mut child = Command::new("timeout")
        .args(["120", &python(), script, "server", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready", "the gRPC server did not start");
    (Peer(child), port)
}

/// Runs the grpcio client against `target` with `options` and returns what it saw.
pub fn grpc_client(target: &str, options: &[&str]) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/proxy/grpc_peer.py");
    let output = Command::new("timeout")
        .args(["60", &python(), script, "client", target])
        .args(options)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|_| {
        panic!(
            "grpc client: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

pub fn terminate(pki: &Pki, target: &str, extra: &[&str]) -> Proxy {
    let (cert, key, ca) = (
        pki.path("server-fullchain.crt"),
        pki.path("server.key"),
        pki.path("ca.crt"),
    );
    let mut args = vec![
        "terminate",
        "--listen",
        "127.0.0.1:0",
        "--target",
        target,
        "--cert",
        &cert,
        "--key",
        &key,
        "--client-ca",
        &ca,
    ];
    args.extend_from_slice(extra);
    Proxy::start(&args)
}

pub fn originate(pki: &Pki, target: &str, extra: &[&str]) -> Proxy {
    let (chain, key, ca) = (
        pki.client_chain("client"),
        pki.path("client.key"),
        pki.path("ca.crt"),
    );
    let mut args = vec![
        "originate",
        "--listen",
        "127.0.0.1:0",
        "--target",
        target,
        "--server-name",
        "localhost",
        "--cert",
        &chain,
        "--key",
        &key,
        "--ca",
        &ca,
    ];
    args.extend_from_slice(extra);
    Proxy::start(&args)
}

/// The calls of a healthy exchange, with the injected header and the trailers.
pub fn assert_calls_went_through(seen: &Value) {
    assert_eq!(seen["status"], "OK", "{seen}");
    assert_eq!(
        seen["unary"],
        format!("unary:hello:{SESSION_ID}"),
        "the server saw the injected x-ptp-session-id: {seen}"
    );
    assert_eq!(seen["trailers"], "done", "trailers arrive: {seen}");
    assert_eq!(
        seen["server_stream"],
        serde_json::json!(["stream:0:s", "stream:1:s", "stream:2:s"])
    );
    assert_eq!(
        seen["bidi"],
        serde_json::json!(["bidi:a", "bidi:b", "bidi:c"])
    );
}

#[test]
fn grpc_through_originate_and_terminate() {
    let pki = Pki::new("s4");
    let (_server, server_port) = grpc_server();
    let terminate = terminate(&pki, &format!("127.0.0.1:{server_port}"), &[]);
    let header = format!("x-ptp-session-id: {SESSION_ID}");
    let originate = originate(
        &pki,
        &terminate.address().to_string(),
        &["--set-header", &header],
    );
    let seen = grpc_client(&originate.address().to_string(), &[]);
    assert_calls_went_through(&seen);
    let requests: Vec<Value> = terminate
        .events()
        .into_iter()
        .filter(|event| event["message"] == "request")
        .collect();
    assert_eq!(requests.len(), 3, "{}", terminate.log());
    assert!(requests.iter().all(|event| event["protocol"] == "HTTP/2"
        && event["identity"] == "CN=client,O=mtlskit"
        && event["status"] == 200));
}

#[test]
fn the_proxy_answers_in_grpc_statuses() {
    let pki = Pki::new("s4-status");
    let (_server, server_port) = grpc_server();
    let server = format!("127.0.0.1:{server_port}");
    let ca = pki.path("ca.crt");
    let (chain, key) = (pki.client_chain("client"), pki.path("client.key"));

    let optional = terminate(&pki, &server, &["--client-auth", "optional"]);
    let anonymous = grpc_client(
        &optional.address().to_string(),
        &["--tls", &ca, "--name", "localhost"],
    );
    assert_eq!(anonymous["status"], "UNAUTHENTICATED", "{anonymous}");
    assert!(
        anonymous["details"]
            .as_str()
            .unwrap()
            .contains("no client certificate"),
        "{anonymous}"
    );
    let with_certificate = grpc_client(
        &optional.address().to_string(),
        &[
            "--tls",
            &ca,
            "--name",
            "localhost",
            "--cert",
            &chain,
            "--key",
            &key,
        ],
    );
    assert_eq!(with_certificate["status"], "OK", "{with_certificate}");

    let acl = terminate(&pki, &server, &["--allow-cn", "somebody-else"]);
    let denied = grpc_client(
        &acl.address().to_string(),
        &[
            "--tls",
            &ca,
            "--name",
            "localhost",
            "--cert",
            &chain,
            "--key",
            &key,
        ],
    );
    assert_eq!(denied["status"], "PERMISSION_DENIED", "{denied}");

    let down = terminate(&pki, &format!("127.0.0.1:{}", free_port()), &[]);
    let unavailable = grpc_client(
        &down.address().to_string(),
        &[
            "--tls",
            &ca,
            "--name",
            "localhost",
            "--cert",
            &chain,
            "--key",
            &key,
        ],
    );
    assert_eq!(unavailable["status"], "UNAVAILABLE", "{unavailable}");
    assert!(
        unavailable["details"]
            .as_str()
            .unwrap()
            .contains("cannot be reached"),
        "{unavailable}"
    );
}

//! Helpers for the `mtlskit probe` tests: real servers (Debian's nginx, `openssl s_server`)
//! on free 127.0.0.1 ports, stopped when dropped, and running the probe with a deadline.
//! A missing server program fails the test; it is never skipped.

#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A server process, killed and reaped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `program` and waits (10 s at most) until it accepts connections on `port`.
pub fn start(program: &str, args: &[&str], port: u16) -> Server {
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("{program} must be installed for this test: {error}"));
    let mut server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("{program} {args:?} exited with {status} before listening");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = server.child.kill();
    panic!("{program} did not listen on 127.0.0.1:{port} within 10 s");
}

/// Debian's nginx in the foreground, single process, with `servers` (the `server { }`
/// blocks) in a configuration that keeps every file in `dir`; listens on `port`.
pub fn nginx(dir: &str, servers: &str, port: u16) -> Server {
    std::fs::create_dir_all(format!("{dir}/nginx-temp")).unwrap();
    let configuration = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {dir}/nginx.pid;\n\
         error_log {dir}/nginx-error.log info;\nevents {{ worker_connections 64; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {dir}/nginx-temp/body;\n\
         proxy_temp_path {dir}/nginx-temp/proxy;\n  fastcgi_temp_path {dir}/nginx-temp/fastcgi;\n\
         uwsgi_temp_path {dir}/nginx-temp/uwsgi;\n  scgi_temp_path {dir}/nginx-temp/scgi;\n\
         ssl_session_cache shared:probe:1m;\n{servers}\n}}\n"
    );
    let path = format!("{dir}/nginx.conf");
    std::fs::write(&path, configuration).unwrap();
    let log = format!("{dir}/nginx-error.log");
    start("nginx", &["-p", dir, "-e", &log, "-c", &path], port)
}

/// `openssl s_server` on 127.0.0.1:`port` with `args`.
pub fn s_server(args: &[&str], port: u16) -> Server {
    let accept = format!("127.0.0.1:{port}");
    let mut all = vec!["s_server", "-accept", &accept, "-quiet"];
    all.extend_from_slice(args);
    start("openssl", &all, port)
}

/// What one run of `mtlskit probe` gave.
pub struct Probe {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Probe {
    /// The JSON report on standard output.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.stdout))
    }

    /// Asserts that `earlier` appears in the text report, and before `later`.
    pub fn assert_order(&self, earlier: &str, later: &str) {
        let first = self.stdout.find(earlier);
        let second = self.stdout.find(later);
        assert!(
            first.is_some() && second.is_some() && first < second,
            "expected '{earlier}' before '{later}' in:\n{}",
            self.stdout
        );
    }

    /// The codes of the problems in the JSON report.
    pub fn problem_codes(&self) -> Vec<String> {
        self.json()["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|problem| problem["code"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// Runs `mtlskit probe` with `args` (and `--timeout 5`).
pub fn probe(args: &[&str]) -> Probe {
    let output = Command::new(env!("CARGO_BIN_EXE_mtlskit"))
        .arg("probe")
        .args(args)
        .args(["--timeout", "5"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Probe {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every field the issue lists for `--json`, with its type (`null` allowed where the value
/// may be absent).
pub fn assert_schema(report: &Value) {
    let kinds: [(&str, &[&str]); 17] = [
        ("/tls/version", &["string", "null"]),
        ("/tls/cipher_suite", &["string", "null"]),
        ("/tls/key_exchange", &["string", "null"]),
        ("/tls/alpn", &["object"]),
        ("/tls/sni", &["string", "null"]),
        ("/tls/resumed", &["bool", "null"]),
        ("/server_chain", &["array"]),
        ("/verification/valid", &["bool"]),
        ("/verification/code", &["string", "null"]),
        ("/verification/explanation", &["string"]),
        ("/verification/hint", &["string", "null"]),
        ("/client_auth/requested", &["bool", "null"]),
        ("/client_auth/acceptable_cas", &["array"]),
        ("/client_auth/sent", &["bool"]),
        ("/client_auth/accepted", &["bool", "null"]),
        ("/client_auth/alert", &["object", "null"]),
        ("/http/version", &["string", "null"]),
    ];
    for (pointer, allowed) in kinds {
        let value = report
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{pointer} missing from {report:#}"));
        let kind = match value {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Number(_) => "number",
        };
        assert!(
            allowed.contains(&kind),
            "{pointer} is {kind}, expected {allowed:?}"
        );
    }
    let status = report
        .pointer("/http/status")
        .expect("/http/status missing");
    assert!(
        status.is_null() || status.is_u64(),
        "/http/status: {status}"
    );
    for item in report["server_chain"].as_array().unwrap() {
        assert_eq!(item["kind"], "certificate", "inspect items: {item}");
        assert!(item["subject"].is_string() && item["fingerprints"]["sha256"].is_string());
    }
}

/// Two private PKIs made with `mtlskit pki init` in `dir`: `pki/` (server for test.com and
/// 127.0.0.1 issued by an intermediate, client alice) and `other/` (another organisation's
/// CA, client mallory), plus the client chain files `alice-chain.crt` and
/// `mallory-chain.crt` (leaf, then intermediate).
pub fn make_pkis(dir: &str) {
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_mtlskit"))
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "mtlskit {args:?}: {output:?}");
    };
    let pki = format!("{dir}/pki");
    let other = format!("{dir}/other");
    run(&[
        "pki",
        "init",
        &pki,
        "--server-san",
        "test.com",
        "--server-san",
        "127.0.0.1",
        "--client",
        "alice",
    ]);
    run(&[
        "pki",
        "init",
        &other,
        "--org",
        "Other Org",
        "--client",
        "mallory",
    ]);
    let concatenate = |parts: &[String], out: &str| {
        let text: String = parts
            .iter()
            .map(|part| std::fs::read_to_string(part).unwrap())
            .collect();
        std::fs::write(out, text).unwrap();
    };
    concatenate(
        &[
            format!("{pki}/alice.crt"),
            format!("{pki}/intermediate.crt"),
        ],
        &format!("{dir}/alice-chain.crt"),
    );
    concatenate(
        &[
            format!("{other}/mallory.crt"),
            format!("{other}/intermediate.crt"),
        ],
        &format!("{dir}/mallory-chain.crt"),
    );
    concatenate(
        &[
            format!("{pki}/server.crt"),
            format!("{pki}/ca.crt"),
            format!("{pki}/intermediate.crt"),
        ],
        &format!("{dir}/server-misordered.crt"),
    );
    concatenate(
        &[
            format!("{pki}/server-fullchain.crt"),
            format!("{pki}/ca.crt"),
        ],
        &format!("{dir}/server-with-root.crt"),
    );
}

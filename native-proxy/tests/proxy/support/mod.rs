//! Helpers for the proxy tests: temporary directories, the `mtlskit` binary as a proxy
//! process (JSON log lines on standard error, read as events), real peers (curl, openssl,
//! nginx, Python grpcio) and in-process upstreams that record what they receive.
//!
//! Every wait is bounded; every process is killed when its handle is dropped.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test support"
)]

pub mod client;
pub mod pki;
pub mod upstream;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "mtlskit-proxy-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let path = std::env::temp_dir().join(unique);
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.path(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The `mtlskit` binary.
pub fn mtlskit_binary() -> &'static str {
    env!("CARGO_BIN_EXE_mtlskit")
}

/// Runs a program and returns its output; panics if it cannot start.
pub fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|error| panic!("cannot start {program}: {error}"))
}

/// Runs a program with `input` on its standard input.
pub fn run_with_input(program: &str, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs a bash script (for `<(...)` as people type it).
pub fn bash(script: &str) -> Output {
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The result of a curl call.
#[derive(Debug)]
pub struct Curl {
    pub success: bool,
    pub status: u16,
    pub version: String,
    pub body: String,
    pub stderr: String,
}

/// Runs curl with `args` (a 10 s limit), capturing the status and HTTP version.
pub fn curl(args: &[&str]) -> Curl {
    let mut all = vec![
        "-sS",
        "--max-time",
        "10",
        "-w",
        "\n%{http_code} %{http_version}",
    ];
    all.extend_from_slice(args);
    let output = run("curl", &all);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let (body, last) = stdout.rsplit_once('\n').unwrap_or(("", &stdout));
    let mut fields = last.split(' ');
    Curl {
        success: output.status.success(),
        status: fields
            .next()
            .and_then(|code| code.parse().ok())
            .unwrap_or(0),
        version: fields.next().unwrap_or("").to_owned(),
        body: body.to_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `curl https://localhost:PORT{path}` with localhost resolved to 127.0.0.1, trusting `ca`
/// and presenting the client certificate chain `chain` with its `key`.
pub fn curl_as_client(port: u16, ca: &str, chain: &str, key: &str, path: &str) -> Curl {
    curl(&[
        "--resolve",
        &format!("localhost:{port}:127.0.0.1"),
        "--cacert",
        ca,
        "--cert",
        chain,
        "--key",
        key,
        &format!("https://localhost:{port}{path}"),
    ])
}

/// Log events of a running proxy.
#[derive(Default)]
struct Events {
    lines: Mutex<Vec<Value>>,
    changed: Condvar,
}

/// A running `mtlskit proxy` process.
pub struct Proxy {
    child: Child,
    events: Arc<Events>,
    /// The listeners' addresses, in configuration order.
    pub addresses: Vec<SocketAddr>,
    /// The metrics endpoint, when there is one.
    pub metrics_address: Option<SocketAddr>,
}

impl Proxy {
    /// Starts `mtlskit proxy ARGS --log-format json` and waits until it is ready.
    pub fn start(args: &[&str]) -> Self {
        let mut all = vec!["proxy"];
        all.extend_from_slice(args);
        if args.first().is_none_or(|command| *command != "run") {
            all.extend(["--log-format", "json"]);
        }
        Self::spawn(&all, &[]).ready()
    }

    /// Starts `mtlskit ARGS` with extra environment variables, without waiting.
    pub fn spawn(args: &[&str], environment: &[(&str, &str)]) -> Self {
        Self::spawn_command(Command::new(mtlskit_binary()).args(args), environment)
    }

    /// Starts a prepared command (e.g. under systemd-socket-activate), without waiting.
    pub fn spawn_command(command: &mut Command, environment: &[(&str, &str)]) -> Self {
        for (name, value) in environment {
            command.env(name, value);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let events = Arc::new(Events::default());
        let reader_events = events.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let value = serde_json::from_str(&line)
                    .unwrap_or_else(|_| serde_json::json!({ "raw": line }));
                reader_events.lines.lock().unwrap().push(value);
                reader_events.changed.notify_all();
            }
            reader_events
                .lines
                .lock()
                .unwrap()
                .push(serde_json::json!({ "message": "<exited>" }));
            reader_events.changed.notify_all();
        });
        Self {
            child,
            events,
            addresses: Vec::new(),
            metrics_address: None,
        }
    }

    /// Waits for the `ready` event and reads the listening addresses.
    pub fn ready(mut self) -> Self {
        self.wait_event(Duration::from_secs(30), |event| event["message"] == "ready");
        for event in self.events() {
            let address = || event["address"].as_str().unwrap().parse().unwrap();
            if event["message"] == "listening" {
                self.addresses.push(address());
            } else if event["message"] == "metrics listening" {
                self.metrics_address = Some(address());
            }
        }
        self
    }

    /// The first listener's address.
    pub fn address(&self) -> SocketAddr {
        self.addresses[0]
    }

    /// The first listener's port.
    pub fn port(&self) -> u16 {
        self.address().port()
    }

    /// Every event so far.
    pub fn events(&self) -> Vec<Value> {
        self.events.lines.lock().unwrap().clone()
    }

    /// Everything logged so far, as text, for failure messages.
    pub fn log(&self) -> String {
        self.events()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Waits until an event matches `predicate`; panics with the log after `timeout`.
    pub fn wait_event(&self, timeout: Duration, predicate: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + timeout;
        let mut lines = self.events.lines.lock().unwrap();
        loop {
            if let Some(found) = lines.iter().find(|event| predicate(event)) {
                return found.clone();
            }
            if lines.iter().any(|event| event["message"] == "<exited>") {
                drop(lines);
                panic!("the proxy exited; log:\n{}", self.log());
            }
            let now = Instant::now();
            if now >= deadline {
                drop(lines);
                panic!(
                    "no matching log event within {timeout:?}; log:\n{}",
                    self.log()
                );
            }
            lines = self
                .events
                .changed
                .wait_timeout(lines, deadline - now)
                .unwrap()
                .0;
        }
    }

    /// The access-log events with `rule` (refusals name the failed rule).
    pub fn refusals(&self, rule: &str) -> usize {
        self.events()
            .iter()
            .filter(|event| {
                event["target"] == "access"
                    && event["rule"] == rule
                    && event["message"] == "connection refused"
            })
            .count()
    }

    /// `GET /metrics`.
    pub fn metrics(&self) -> String {
        http_get(
            self.metrics_address.expect("started with --metrics"),
            "/metrics",
        )
        .1
    }

    /// The value of the metric line starting with `prefix` (0 when absent).
    pub fn metric(&self, prefix: &str) -> f64 {
        let metrics = self.metrics();
        metrics
            .lines()
            .find(|line| line.starts_with(prefix))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|value| value.parse().ok())
            .unwrap_or(0.0)
    }

    /// Sends a signal (`TERM`, `HUP`) to the process.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit, up to `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Resident memory of the process, KiB.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.0 GET: (status, body).
pub fn http_get(address: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: test\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// The Python interpreter of the test venv (made by scripts/install-deps.sh, with grpcio).
pub fn python() -> String {
    let path = mtlskit_tests::repo_root().join(".tools/venv/bin/python");
    assert!(
        path.exists(),
        "{} is missing: run scripts/install-deps.sh (it creates the venv with grpcio)",
        path.display()
    );
    path.display().to_string()
}

/// Waits until `address` accepts TCP connections (for peers without a readiness signal).
pub fn wait_listening(address: SocketAddr, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = pipe.read_to_string(&mut stderr);
            }
            panic!("the peer exited ({status}) before listening on {address}: {stderr}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("nothing listens on {address} after 20 s");
}

/// A child process stopped on drop: SIGTERM first, so that a `timeout` wrapper passes it on to
/// the peer it runs (a SIGKILL would orphan the peer), then SIGKILL after 5 s.
pub struct Peer(pub Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if !matches!(self.0.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

//! `mtlskit web`: the embedded inspector is served on 127.0.0.1 with its security headers;
//! nothing outside the page can be requested; bad requests, silent clients and a busy port
//! get clear answers. Needs the page built first (`make web`, then the build embeds it).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a broken expectation should fail loudly"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The server, killed when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mtlskit"))
        .args(["web", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mtlskit starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let Some(start) = line.find("http://") else {
        let mut error = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut error);
        panic!("mtlskit web did not start (run `make web` first): {line}{error}");
    };
    let address = line[start + 7..].split('/').next().unwrap().to_owned();
    Server { child, address }
}

/// Sends `request` raw and returns the whole response (the server closes after it).
fn exchange(server: &Server, request: &[u8]) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    split(&response)
}

fn split(response: &[u8]) -> (String, Vec<u8>) {
    let end = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("a complete head");
    (
        String::from_utf8_lossy(&response[..end]).into_owned(),
        response[end + 4..].to_vec(),
    )
}

fn get(server: &Server, path: &str) -> (String, Vec<u8>) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    exchange(server, request.as_bytes())
}

#[test]
fn serves_the_page_and_its_module_with_a_strict_policy() {
    let server = start();
    let (head, body) = get(&server, "/");
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert!(head.contains("Content-Type: text/html; charset=utf-8"));
    assert!(head.contains("Content-Security-Policy: default-src 'none'"));
    assert!(head.contains("frame-ancestors 'none'"));
    assert!(head.contains("X-Content-Type-Options: nosniff"));
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("mtlskit inspector"));
    // The header is the page's own policy (with its inline script's hash), plus frame-ancestors.
    let meta = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    let policy = page
        .split_once(meta)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(policy, _)| policy)
        .expect("the page has a policy");
    assert!(policy.contains("'sha256-"), "{policy}");
    assert!(
        head.contains(&format!(
            "Content-Security-Policy: {policy}; frame-ancestors 'none'\r\n"
        )),
        "{head}"
    );
    let (head, body) = get(&server, "/pkg/mtlskit_wasm_bg.wasm?cache=1");
    assert!(head.contains("Content-Type: application/wasm"), "{head}");
    assert_eq!(&body[..4], b"\0asm");
    for script in ["/pkg/main.js", "/pkg/worker.js", "/sw.js"] {
        let (head, _) = get(&server, script);
        assert!(head.contains("text/javascript"), "{script}: {head}");
    }
    // The scripts as written are bundled into pkg/, not served themselves.
    let (head, _) = get(&server, "/src/main.js");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    // A real client too.
    let output = Command::new("curl")
        .args(["-sf", &format!("http://{}/style.css", server.address)])
        .output()
        .expect("curl runs");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("prefers-color-scheme"));
}

#[test]
fn a_current_copy_is_revalidated_with_its_entity_tag() {
    let server = start();
    let url = format!("http://{}/pkg/mtlskit_wasm_bg.wasm", server.address);
    let curl = |headers: &[&str]| {
        let mut command = Command::new("curl");
        command.args(["-s", "-o", "/dev/null", "-D", "-", &url]);
        for header in headers {
            command.args(["-H", header]);
        }
        String::from_utf8(command.output().expect("curl runs").stdout).unwrap()
    };
    let first = curl(&[]);
    assert!(first.starts_with("HTTP/1.1 200 OK"), "{first}");
    let tag = first
        .lines()
        .find_map(|line| line.strip_prefix("ETag: "))
        .expect("an ETag")
        .trim()
        .to_owned();
    assert!(
        tag.starts_with('"') && tag.ends_with('"') && tag.len() == 18,
        "{tag}"
    );
    // The file's own tag (alone, weak, or in a list): 304, no body, the same tag.
    for header in [
        format!("If-None-Match: {tag}"),
        format!("If-None-Match: W/{tag}"),
        format!("If-None-Match: \"0000000000000000\", {tag}"),
        "If-None-Match: *".to_owned(),
    ] {
        let answer = curl(&[&header]);
        assert!(
            answer.starts_with("HTTP/1.1 304 Not Modified"),
            "{header}: {answer}"
        );
        assert!(answer.contains(&format!("ETag: {tag}")), "{answer}");
        assert!(answer.contains("Content-Security-Policy"), "{answer}");
    }
    // Another file's tag, or an old one: the file again.
    let (other, _) = get(&server, "/style.css");
    let other_tag = other
        .lines()
        .find_map(|line| line.strip_prefix("ETag: "))
        .expect("an ETag");
    assert_ne!(other_tag, tag);
    let answer = curl(&[&format!("If-None-Match: {other_tag}")]);
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
}

#[test]
fn nothing_outside_the_page_is_reachable() {
    let server = start();
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/..%2fCargo.toml",
        "//etc/passwd",
        "/web-demo/index.html",
        "/README.md",
        "/pkg/package.json",
        "/index.html/",
        "http://example.com/",
    ] {
        let (head, _) = get(&server, path);
        assert!(head.starts_with("HTTP/1.1 404"), "{path}: {head}");
    }
}

#[test]
fn bad_requests_get_clear_answers() {
    let server = start();
    let (head, _) = exchange(&server, b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi");
    assert!(head.starts_with("HTTP/1.1 405"), "{head}");
    assert!(head.contains("Allow: GET, HEAD"));
    let (head, body) = exchange(&server, b"HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(body.is_empty());
    let (head, _) = exchange(&server, b"NONSENSE\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 400"), "{head}");
    let huge = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20_000));
    let (head, _) = exchange(&server, huge.as_bytes());
    assert!(head.starts_with("HTTP/1.1 431"), "{head}");
}

#[test]
fn keep_alive_and_a_silent_client_do_not_block_others() {
    let server = start();
    let _silent = TcpStream::connect(&server.address).unwrap();
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for path in ["/style.css", "/sw.js"] {
        write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        assert!(length > 100, "{path}");
    }
}

#[test]
fn a_busy_port_is_a_coded_error() {
    let server = start();
    let output = Command::new(env!("CARGO_BIN_EXE_mtlskit"))
        .args(["web", "--listen", &server.address])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("error[Io]"), "{error}");
    assert!(error.contains("cannot listen on"), "{error}");
}

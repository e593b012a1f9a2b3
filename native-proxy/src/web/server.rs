//! The HTTP/1.1 side of `mtlskit web`: one thread per connection up to a limit, keep-alive,
//! GET and HEAD of embedded files only.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::thread;
use std::time::Duration;

use super::PAGE_POLICY;

/// Sent with every answer: the page's own policy (its meta tag, read at build time) with what
/// only a header can say (`frame-ancestors`), and the other security headers.
static SECURITY_HEADERS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "Content-Security-Policy: {PAGE_POLICY}; frame-ancestors 'none'\r\n\
         X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n\
         Cross-Origin-Opener-Policy: same-origin\r\nCross-Origin-Resource-Policy: same-origin\r\n\
         Cache-Control: no-cache\r\n"
    )
});

/// Bounds that keep a misbehaving client from holding the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Concurrent connections; more are answered 503 and closed.
    pub connections: usize,
    /// Bytes of request line and headers.
    pub head_bytes: usize,
    /// Requests on one kept-alive connection.
    pub requests_per_connection: usize,
    /// Idle or slow-client time-out for reads and writes.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connections: 64,
            head_bytes: 8 * 1024,
            requests_per_connection: 200,
            timeout: Duration::from_secs(10),
        }
    }
}

/// Accepts connections on `listener` until the process ends. A failing connection never
/// stops the accept loop.
pub fn serve(listener: &TcpListener, limits: Limits) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors or similar: back off instead of spinning.
            thread::sleep(Duration::from_millis(20));
            continue;
        };
        if active.fetch_add(1, Ordering::SeqCst) >= limits.connections {
            active.fetch_sub(1, Ordering::SeqCst);
            let _ = busy(stream);
            continue;
        }
        let finished = Arc::clone(&active);
        let spawned = thread::Builder::new()
            .name("mtlskit-web".to_owned())
            .spawn(move || {
                let _ = connection(stream, limits);
                finished.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // The closure (and its stream) was dropped: the client sees a closed connection.
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn busy(mut stream: TcpStream) -> io::Result<()> {
    stream.set_write_timeout(Some(Duration::from_secs(1)))?;
    respond(&mut stream, 503, "Service Unavailable", None, true)
}

fn connection(stream: TcpStream, limits: Limits) -> io::Result<()> {
    stream.set_read_timeout(Some(limits.timeout))?;
    stream.set_write_timeout(Some(limits.timeout))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    for _ in 0..limits.requests_per_connection {
        let request = match read_head(&mut reader, limits.head_bytes) {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(Head::TooLarge) => {
                return respond(
                    &mut writer,
                    431,
                    "Request Header Fields Too Large",
                    None,
                    true,
                );
            }
            Err(Head::Malformed) => return respond(&mut writer, 400, "Bad Request", None, true),
            Err(Head::Io(error)) => return Err(error),
        };
        let close = request.close || request.has_body;
        answer(&mut writer, &request, close)?;
        if close {
            return Ok(());
        }
    }
    Ok(())
}

/// What the server needs of a request.
struct Request {
    method: String,
    path: String,
    /// `Connection: close`, or HTTP/1.0 without keep-alive.
    close: bool,
    /// A body was announced; it is not read, so the connection is closed after the answer.
    has_body: bool,
    /// The `If-None-Match` header's value, as sent.
    if_none_match: Option<String>,
}

enum Head {
    TooLarge,
    Malformed,
    Io(io::Error),
}

/// Reads a request line and headers; `Ok(None)` when the client closed between requests.
fn read_head<R: BufRead>(reader: &mut R, limit: usize) -> Result<Option<Request>, Head> {
    let mut lines = Vec::new();
    let mut total = 0usize;
    loop {
        let mut line = Vec::new();
        let read = Read::take(
            &mut *reader,
            u64::try_from(limit.saturating_sub(total) + 1).unwrap_or(u64::MAX),
        )
        .read_until(b'\n', &mut line)
        .map_err(Head::Io)?;
        if read == 0 {
            return if lines.is_empty() {
                Ok(None)
            } else {
                Err(Head::Malformed)
            };
        }
        total += read;
        if total > limit {
            return Err(Head::TooLarge);
        }
        let text = String::from_utf8(line).map_err(|_| Head::Malformed)?;
        let text = text.trim_end_matches(['\r', '\n']).to_owned();
        if text.is_empty() {
            if lines.is_empty() {
                continue; // tolerated blank line before a request (RFC 9112 section 2.2)
            }
            return parse(&lines).map(Some);
        }
        lines.push(text);
    }
}

fn parse(lines: &[String]) -> Result<Request, Head> {
    let (request_line, headers) = lines.split_first().ok_or(Head::Malformed)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Head::Malformed);
    };
    if !version.starts_with("HTTP/1.") {
        return Err(Head::Malformed);
    }
    let raw_header = |name: &str| {
        headers.iter().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    };
    let header = |name: &str| raw_header(name).map(|value| value.to_ascii_lowercase());
    let connection = header("connection").unwrap_or_default();
    let close = connection.contains("close")
        || (version == "HTTP/1.0" && !connection.contains("keep-alive"));
    let has_body = header("transfer-encoding").is_some()
        || header("content-length").is_some_and(|length| length != "0");
    let path = target.split(['?', '#']).next().unwrap_or_default();
    Ok(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        close,
        has_body,
        if_none_match: raw_header("if-none-match"),
    })
}

fn answer(writer: &mut TcpStream, request: &Request, close: bool) -> io::Result<()> {
    let head_only = match request.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => return respond(writer, 405, "Method Not Allowed", None, close),
    };
    let path = match request.path.as_str() {
        "/" | "" => "index.html",
        other => other.trim_start_matches('/'),
    };
    match super::file(path) {
        // The copy the client holds is current (revalidation after `Cache-Control: no-cache`).
        Some(file)
            if request
                .if_none_match
                .as_deref()
                .is_some_and(|tags| matches(tags, file.tag)) =>
        {
            let security = SECURITY_HEADERS.as_str();
            let head = format!(
                "HTTP/1.1 304 Not Modified\r\nETag: {}\r\n{security}{}\r\n",
                file.tag,
                connection_header(close)
            );
            writer.write_all(head.as_bytes())?;
            writer.flush()
        }
        Some(file) => {
            let contents = file.contents;
            let body = (!head_only).then_some(contents);
            let security = SECURITY_HEADERS.as_str();
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nETag: {}\r\n{security}{}\r\n",
                super::content_type(path),
                contents.len(),
                file.tag,
                connection_header(close)
            );
            writer.write_all(head.as_bytes())?;
            if let Some(body) = body {
                writer.write_all(body)?;
            }
            writer.flush()
        }
        None => respond(writer, 404, "Not Found", Some(head_only), close),
    }
}

/// Whether an `If-None-Match` value names `tag`: `*`, or one of its comma-separated entity
/// tags, weak (`W/`) or not (RFC 9110 section 13.1.2 compares them weakly).
fn matches(if_none_match: &str, tag: &str) -> bool {
    if_none_match.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == tag
    })
}

/// A short plain-text answer (`head_only`: HEAD request, no body).
fn respond(
    writer: &mut TcpStream,
    status: u16,
    reason: &str,
    head_only: Option<bool>,
    close: bool,
) -> io::Result<()> {
    let body = format!("{status} {reason}\n");
    let security = SECURITY_HEADERS.as_str();
    let mut response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n{security}{}",
        body.len(),
        connection_header(close)
    );
    if status == 405 {
        response.push_str("Allow: GET, HEAD\r\n");
    }
    response.push_str("\r\n");
    if head_only != Some(true) {
        response.push_str(&body);
    }
    writer.write_all(response.as_bytes())?;
    writer.flush()
}

fn connection_header(close: bool) -> &'static str {
    if close {
        "Connection: close\r\n"
    } else {
        "Connection: keep-alive\r\n"
    }
}

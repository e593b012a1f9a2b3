//! The access log: one line per connection (TCP mode, refused handshakes) or per request
//! (HTTP mode), with the peer, the client identity, the rule that allowed or refused it, the
//! status, the bytes and the duration. Lines have the shape of `tracing` events of target
//! `access` (`--log-format json` makes them JSON objects), written by [`logging::access`].

use std::net::SocketAddr;
use std::time::Duration;

use tracing::Level;

use super::logging::{self, Value};
use super::server::Listener;
use super::session::Session;

/// A TLS handshake that failed: logged and counted by reason.
pub fn handshake_failed(
    listener: &Listener,
    peer: SocketAddr,
    reason: &'static str,
    detail: &str,
    duration: Duration,
) {
    listener.metrics.handshake_failed(reason);
    if is_refusal(reason) {
        listener.metrics.refused(reason);
    }
    logging::access(
        Level::WARN,
        "connection refused",
        &[
            ("listener", Value::Shown(&listener.config.name)),
            ("peer", Value::Shown(&peer)),
            ("identity", Value::Text("-")),
            ("rule", Value::Text(reason)),
            ("status", Value::Text("handshake failed")),
            ("detail", Value::Text(detail)),
            ("duration_ms", Value::Float(millis(duration))),
        ],
    );
}

/// A client refused after its handshake (allow-lists, or verification of a resumed session).
pub fn refused(session: &Session, detail: &str) {
    logging::access(
        Level::WARN,
        "connection refused",
        &[
            ("listener", Value::Shown(&session.listener.config.name)),
            ("peer", Value::Shown(&session.peer)),
            ("identity", Value::Shown(&Described(session))),
            ("rule", Value::Text(session.verdict.rule())),
            ("status", Value::Text("refused")),
            ("detail", Value::Text(detail)),
            (
                "duration_ms",
                Value::Float(millis(session.activity.elapsed())),
            ),
        ],
    );
}

/// A TCP-mode connection that ended: `status` says how (`closed`, `idle timeout`, ...).
pub fn connection(session: &Session, status: &str, detail: &str) {
    let received = session.activity.received();
    let sent = session.activity.sent();
    session.listener.metrics.bytes(received, sent);
    logging::access(
        Level::INFO,
        "connection",
        &[
            ("listener", Value::Shown(&session.listener.config.name)),
            ("peer", Value::Shown(&session.peer)),
            ("identity", Value::Shown(&Described(session))),
            ("rule", Value::Text(session.verdict.rule())),
            ("status", Value::Text(status)),
            ("detail", Value::Text(detail)),
            ("bytes_received", Value::Unsigned(received)),
            ("bytes_sent", Value::Unsigned(sent)),
            (
                "duration_ms",
                Value::Float(millis(session.activity.elapsed())),
            ),
        ],
    );
}

/// One HTTP request, when its response has been sent (or abandoned).
#[derive(Debug)]
pub struct RequestLine<'a> {
    /// The connection.
    pub session: &'a Session,
    /// Method.
    pub method: &'a str,
    /// Path and query.
    pub path: &'a str,
    /// `HTTP/1.1`, `HTTP/2`.
    pub protocol: &'a str,
    /// Status sent to the client.
    pub status: u16,
    /// gRPC status when the proxy answered for the upstream.
    pub grpc_status: Option<u8>,
    /// Request body bytes.
    pub bytes_received: u64,
    /// Response body bytes.
    pub bytes_sent: u64,
    /// From request head to the end of the response.
    pub duration: Duration,
    /// Why the proxy answered itself, if it did.
    pub detail: &'a str,
}

/// Logs and counts one request.
pub fn request(line: &RequestLine<'_>) {
    let metrics = &line.session.listener.metrics;
    metrics.request(line.status, line.duration);
    metrics.bytes(line.bytes_received, line.bytes_sent);
    let session = line.session;
    // The connection's fields, the same on each of its requests' lines: formatted once.
    let prefix = session.log_prefix.get_or_init(|| {
        logging::prefix(&[
            ("listener", Value::Shown(&session.listener.config.name)),
            ("peer", Value::Shown(&session.peer)),
            ("identity", Value::Shown(&Described(session))),
            ("rule", Value::Text(session.verdict.rule())),
        ])
    });
    logging::access_request(
        prefix,
        &logging::RequestFields {
            method: line.method,
            path: line.path,
            protocol: line.protocol,
            status: line.status,
            grpc_status: line.grpc_status.map_or(-1, i64::from),
            detail: line.detail,
            bytes_received: line.bytes_received,
            bytes_sent: line.bytes_sent,
            duration_ms: millis(line.duration),
        },
    );
}

/// The client's identity for logs: its description, or `-`.
struct Described<'a>(&'a Session);

impl std::fmt::Display for Described<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.verdict.any_identity() {
            Some(identity) => identity.describe(formatter),
            None => formatter.write_str("-"),
        }
    }
}

/// Whether a handshake failure reason is about the client's certificate (a refusal) rather
/// than the connection (timeouts, garbage, closed sockets).
fn is_refusal(reason: &str) -> bool {
    !matches!(
        reason,
        "HandshakeTimeout"
            | "ConnectionClosed"
            | "Io"
            | "InvalidMessage"
            | "PeerIncompatible"
            | "PeerMisbehaved"
            | "AlertReceived"
            | "TlsError"
            | "DecryptError"
    )
}

fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1e6).round() / 1e3
}

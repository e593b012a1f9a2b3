//! The access log: one line per connection (TCP mode, refused handshakes) or per request
//! (HTTP mode), with the peer, the client identity, the rule that allowed or refused it, the
//! status, the bytes and the duration. Lines go through `tracing` (target `access`), so
//! `--log-format json` makes them JSON objects.

use std::net::SocketAddr;
use std::time::Duration;

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
    tracing::warn!(
        target: "access",
        listener = %listener.config.name,
        peer = %peer,
        identity = "-",
        rule = reason,
        status = "handshake failed",
        detail = detail,
        duration_ms = millis(duration),
        "connection refused"
    );
}

/// A client refused after its handshake (allow-lists, or verification of a resumed session).
pub fn refused(session: &Session, detail: &str) {
    tracing::warn!(
        target: "access",
        listener = %session.listener.config.name,
        peer = %session.peer,
        identity = %identity(session),
        rule = session.verdict.rule(),
        status = "refused",
        detail = detail,
        duration_ms = millis(session.activity.elapsed()),
        "connection refused"
    );
}

/// A TCP-mode connection that ended: `status` says how (`closed`, `idle timeout`, ...).
pub fn connection(session: &Session, status: &str, detail: &str) {
    let received = session.activity.received();
    let sent = session.activity.sent();
    session.listener.metrics.bytes(received, sent);
    tracing::info!(
        target: "access",
        listener = %session.listener.config.name,
        peer = %session.peer,
        identity = %identity(session),
        rule = session.verdict.rule(),
        status = status,
        detail = detail,
        bytes_received = received,
        bytes_sent = sent,
        duration_ms = millis(session.activity.elapsed()),
        "connection"
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
    tracing::info!(
        target: "access",
        listener = %line.session.listener.config.name,
        peer = %line.session.peer,
        identity = %identity(line.session),
        rule = line.session.verdict.rule(),
        method = line.method,
        path = line.path,
        protocol = line.protocol,
        status = line.status,
        grpc_status = line.grpc_status.map_or(-1, i16::from),
        detail = line.detail,
        bytes_received = line.bytes_received,
        bytes_sent = line.bytes_sent,
        duration_ms = millis(line.duration),
        "request"
    );
}

fn identity(session: &Session) -> String {
    session
        .verdict
        .any_identity()
        .map_or_else(|| "-".to_owned(), |identity| identity.describe())
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

//! HTTP mode on hyper 1: HTTP/1.1 and HTTP/2 from clients (by ALPN over TLS; by the
//! connection preface on a plain originate listener, so h2c with prior knowledge works),
//! forwarded with streaming bodies and trailers (gRPC) to the upstream, whose HTTP version
//! follows the client's or the configuration.
//!
//! The proxy answers itself only to refuse or when the upstream cannot be reached: a plain
//! sentence with 400 / 403 / 502, or for `application/grpc` requests gRPC status
//! UNAUTHENTICATED (16) / PERMISSION_DENIED (7) / UNAVAILABLE (14) in a trailers-only
//! response.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use bytes::Bytes;
use http::uri::{self, Authority, PathAndQuery, Scheme};
use http::{HeaderValue, Request, Response, StatusCode, Uri, Version, header};
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::{Body as _, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::sync::CancellationToken;

use super::body::{CountingBody, LoggedBody, PendingLog, ProxyBody};
use super::config::{Direction, ListenerConfig};
use super::headers::{self, ConnectionHeaders, Forwarding};
use super::io::ActivityIo;
use super::session::{Session, Verdict};
use super::upstream_http1::{self, Http1Slot};

/// The HTTP server settings of a listener: one builder per way of choosing the version.
#[derive(Debug)]
pub struct HttpServer {
    /// By the connection preface (plain listeners).
    sniff: auto::Builder<TokioExecutor>,
    /// ALPN said `http/1.1` (or nothing).
    http1: auto::Builder<TokioExecutor>,
    /// ALPN said `h2`.
    http2: auto::Builder<TokioExecutor>,
}

impl HttpServer {
    /// The server settings for `config`.
    pub fn new(config: &ListenerConfig) -> Self {
        let build = || {
            let mut builder = auto::Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(config.limits.header_timeout)
                .max_buf_size(config.http.max_header_bytes.max(8192));
            builder
                .http2()
                .timer(TokioTimer::new())
                .max_concurrent_streams(256)
                .max_header_list_size(
                    u32::try_from(config.http.max_header_bytes).unwrap_or(u32::MAX),
                );
            builder
        };
        Self {
            sniff: build(),
            http1: build().http1_only(),
            http2: build().http2_only(),
        }
    }
}

/// Serves HTTP on an accepted (and, for terminate listeners, authenticated) connection until
/// it ends, goes idle, or the process drains.
pub async fn serve<S>(session: Session, stream: ActivityIo<S>, shutdown: CancellationToken)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let listener = session.listener.clone();
    let Some(server) = listener.http_server.as_ref() else {
        return;
    };
    let builder = match session.alpn.as_deref() {
        Some(b"h2") => &server.http2,
        Some(_) => &server.http1,
        None if listener.config.direction == Direction::Terminate => &server.http1,
        None => &server.sniff,
    };
    let activity = session.activity.clone();
    let (scheme, proto) = match listener.config.direction {
        Direction::Terminate => (Scheme::HTTP, "https"),
        Direction::Originate => (Scheme::HTTPS, "http"),
    };
    let headers = ConnectionHeaders::new(&Forwarding {
        peer: session.peer.ip(),
        proto,
        identity: session.verdict.allowed_identity(),
        config: &listener.config.http,
    });
    let upstream = session
        .forwarder
        .as_ref()
        .map(|forwarder| forwarder.http1_slot());
    let target = listener.config.target.authority();
    let connection = Arc::new(Connection {
        session: Arc::new(session),
        headers,
        scheme,
        target_authority: target.parse().ok(),
        target,
        upstream,
    });
    let service = service_fn(move |request| handle(request, connection.clone()));
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let idle = listener.config.limits.idle_timeout;
    tokio::select! {
        _ = connection.as_mut() => {}
        () = activity.idle(idle) => {}
        () = shutdown.cancelled() => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// What the requests of one connection share.
#[derive(Debug)]
struct Connection {
    session: Arc<Session>,
    /// The forwarding and identity headers.
    headers: ConnectionHeaders,
    /// Of the upstream URI: `http` (terminate) or `https` (originate).
    scheme: Scheme,
    /// The upstream's `host:port`.
    target: String,
    /// The same, parsed (HTTP/2 requests without an authority or Host).
    target_authority: Option<Authority>,
    /// HTTP/1.1 clients: the upstream connection of this connection.
    upstream: Option<Http1Slot>,
}

/// Answers one request: refuses it, or forwards it.
async fn handle(
    request: Request<Incoming>,
    connection: Arc<Connection>,
) -> Result<Response<LoggedBody>, Infallible> {
    let grpc = is_grpc(&request);
    let session = &connection.session;
    let log = PendingLog {
        session: session.clone(),
        method: request.method().clone(),
        path: request.uri().path_and_query().cloned(),
        protocol: protocol_name(request.version()),
        started: Instant::now(),
        status: 0,
        grpc_status: None,
        received: None,
        detail: String::new(),
    };
    match &session.verdict {
        Verdict::Anonymous => {
            let message = "no client certificate was sent: this service requires a client certificate issued by its CA";
            return Ok(answer(log, grpc, StatusCode::BAD_REQUEST, 16, message));
        }
        Verdict::Refused { refusal, .. } => {
            let message = format!("client certificate refused: {}", refusal.detail);
            return Ok(answer(log, grpc, StatusCode::FORBIDDEN, 7, &message));
        }
        Verdict::Plain | Verdict::Allowed { .. } => {}
    }
    // Boxed: the task hyper spawns per request then holds (and moves) a pointer, not the whole
    // state of an upstream exchange.
    Ok(Box::pin(forward(request, &connection, grpc, log)).await)
}

async fn forward(
    request: Request<Incoming>,
    connection: &Connection,
    grpc: bool,
    mut log: PendingLog,
) -> Response<LoggedBody> {
    let session = &connection.session;
    let Some(forwarder) = session.forwarder.as_deref() else {
        return answer(log, grpc, StatusCode::BAD_GATEWAY, 14, "no upstream");
    };
    let (mut parts, body) = request.into_parts();
    // HTTP/1.x clients send one request at a time: the connection's own upstream connection.
    let sequential = parts.version < Version::HTTP_2;
    let upstream_version = forwarder.version_for(parts.version, grpc).await;
    if upstream_version == Version::HTTP_2 {
        parts.uri = upstream_uri(
            &parts,
            &connection.scheme,
            connection.target_authority.as_ref(),
        );
        parts.headers.remove(header::HOST);
    } else {
        upstream_http1::origin_form(&mut parts, &connection.target);
    }
    parts.version = upstream_version;
    headers::rewrite_request(&mut parts.headers, &connection.headers);
    // A request that came complete (most: HEADERS with END_STREAM) has nothing to count or
    // stream: an empty body (boxing it allocates nothing).
    let body = if body.is_end_stream() {
        Empty::new().map_err(|never| match never {}).boxed()
    } else {
        let received = Arc::new(AtomicU64::new(0));
        log.received = Some(received.clone());
        CountingBody::new(body, received).boxed()
    };
    let request = Request::from_parts(parts, body);
    let slot = connection.upstream.as_ref().filter(|_| sequential);
    match forwarder.send(slot, request).await {
        Ok(response) => {
            let (mut parts, body) = response.into_parts();
            headers::rewrite_response(&mut parts.headers);
            log.status = parts.status.as_u16();
            Response::from_parts(parts, LoggedBody::new(ProxyBody::Upstream(body), log))
        }
        Err(error) => {
            session.listener.metrics.upstream_error();
            let message = format!(
                "the upstream {} cannot be reached: {}",
                connection.target,
                error.cause()
            );
            answer(log, grpc, StatusCode::BAD_GATEWAY, 14, &message)
        }
    }
}

/// The proxy's own answer: `status` with `message`, or for gRPC a trailers-only response
/// with `grpc_code`.
fn answer(
    mut log: PendingLog,
    grpc: bool,
    status: StatusCode,
    grpc_code: u8,
    message: &str,
) -> Response<LoggedBody> {
    log.detail = message.to_owned();
    let mut response = if grpc {
        log.status = 200;
        log.grpc_status = Some(grpc_code);
        let mut response = Response::new(Full::new(Bytes::new()));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/grpc"),
        );
        headers.insert("grpc-status", HeaderValue::from(u16::from(grpc_code)));
        if let Ok(value) = HeaderValue::from_str(&percent_encode(message)) {
            headers.insert("grpc-message", value);
        }
        response
    } else {
        log.status = status.as_u16();
        let mut response = Response::new(Full::new(Bytes::from(format!("{message}\n"))));
        *response.status_mut() = status;
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        response
    };
    if status == StatusCode::BAD_REQUEST || status == StatusCode::FORBIDDEN {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response.map(|body| LoggedBody::new(ProxyBody::Own(body), log))
}

fn is_grpc<B>(request: &Request<B>) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/grpc"))
}

fn protocol_name(version: Version) -> &'static str {
    match version {
        Version::HTTP_2 => "HTTP/2",
        Version::HTTP_10 => "HTTP/1.0",
        _ => "HTTP/1.1",
    }
}

/// The absolute URI for the upstream client: the client's authority (or Host header, else
/// the target) is kept, so the upstream sees the Host the client asked for. Made from the
/// request's parts (shared bytes), nothing parsed again.
fn upstream_uri(parts: &http::request::Parts, scheme: &Scheme, target: Option<&Authority>) -> Uri {
    let authority = parts
        .uri
        .authority()
        .cloned()
        .or_else(|| {
            let host = parts.headers.get(header::HOST)?;
            host.to_str().ok()?;
            Authority::try_from(host.as_bytes()).ok()
        })
        .or_else(|| target.cloned());
    let mut uri = uri::Parts::default();
    uri.scheme = Some(scheme.clone());
    uri.authority = authority;
    uri.path_and_query = Some(
        parts
            .uri
            .path_and_query()
            .cloned()
            .unwrap_or_else(|| PathAndQuery::from_static("/")),
    );
    Uri::from_parts(uri).unwrap_or_else(|_| Uri::from_static("http://invalid/"))
}

/// gRPC's percent-encoding of `grpc-message` (everything outside printable ASCII, and `%`).
fn percent_encode(message: &str) -> String {
    message
        .bytes()
        .map(|byte| {
            if (0x20..0x7f).contains(&byte) && byte != b'%' {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_messages_are_percent_encoded() {
        assert_eq!(percent_encode("no cert: 100% é"), "no cert: 100%25 %C3%A9");
    }

    #[test]
    fn upstream_uri_keeps_the_authority() {
        let request = Request::builder()
            .uri("/a?b=1")
            .header(header::HOST, "test.com:9443")
            .body(())
            .unwrap_or_default();
        let (parts, ()) = request.into_parts();
        let target = Authority::from_static("127.0.0.1:80");
        assert_eq!(
            upstream_uri(&parts, &Scheme::HTTP, Some(&target)).to_string(),
            "http://test.com:9443/a?b=1"
        );
        let request = Request::builder()
            .uri("/")
            .header(header::HOST, "bad host")
            .body(())
            .unwrap_or_default();
        let (parts, ()) = request.into_parts();
        assert_eq!(
            upstream_uri(&parts, &Scheme::HTTPS, Some(&target)).to_string(),
            "https://127.0.0.1:80/"
        );
    }
}

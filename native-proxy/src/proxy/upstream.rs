//! Connections to the upstream: plain TCP (terminate) or mTLS made by rustls with this
//! listener's client certificate (originate), with a connect timeout; and the HTTP clients that
//! send requests over them, one set per worker runtime: HTTP/1.1 connections held by the
//! client connection they serve or idle in the worker's list, HTTP/2 over the worker's one
//! connection.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, Version};
use http_body_util::combinators::BoxBody;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::config::{Target, UpstreamProtocol};
use super::state::UpstreamTls;
use super::upstream_http1::{Http1Slot, IdleHttp1};
use super::upstream_http2::{Http2Body, Http2Upstream};

/// The body of requests sent upstream.
pub type RequestBody = BoxBody<Bytes, hyper::Error>;

/// Gives the TLS configurations to use for a new upstream connection (they change on
/// reload); `None` for a plain upstream.
pub type TlsSource = Arc<dyn Fn() -> Option<UpstreamTls> + Send + Sync>;

/// Connects to `target` within `timeout`, with TCP_NODELAY.
pub async fn connect_tcp(target: &Target, timeout: Duration) -> io::Result<TcpStream> {
    let connecting = TcpStream::connect((target.host.as_str(), target.port));
    let stream = tokio::time::timeout(timeout, connecting)
        .await
        .map_err(|_| {
            io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no answer from {} within {timeout:?}", target.authority()),
            )
        })??;
    let _ = stream.set_nodelay(true);
    Ok(stream)
}

/// Connects to `target` and completes a TLS handshake within `timeout`.
pub async fn connect_tls(
    target: &Target,
    timeout: Duration,
    config: Arc<ClientConfig>,
    name: ServerName<'static>,
) -> io::Result<TlsStream<TcpStream>> {
    let stream = connect_tcp(target, timeout).await?;
    let handshake = TlsConnector::from(config).connect(name, stream);
    tokio::time::timeout(timeout, handshake)
        .await
        .map_err(|_| {
            io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "TLS handshake with {} took longer than {timeout:?}",
                    target.authority()
                ),
            )
        })?
}

/// Sends requests to the upstream over kept-alive connections. Each worker runtime has its own
/// (see [`Forwarder::for_worker`]), so that a request and the upstream connection it goes out
/// on are driven by the same thread.
#[derive(Debug, Clone)]
pub struct Forwarder {
    /// HTTP/2: the worker's connection (one connection carries every request).
    pub(super) http2: Arc<Http2Upstream>,
    protocol: UpstreamProtocol,
    /// In `auto` mode: whether the upstream speaks HTTP/2, learnt by a probe (shared by the
    /// workers' forwarders).
    h2: Option<Arc<H2Probe>>,
    /// What new upstream connections are made with.
    pub(super) connector: Connector,
    /// HTTP/1.1 connections no client connection holds.
    pub(super) idle: Arc<IdleHttp1>,
}

impl Forwarder {
    /// A forwarder to `target`; `tls` gives the TLS configuration of new connections.
    pub fn new(
        target: Target,
        connect_timeout: Duration,
        protocol: UpstreamProtocol,
        tls: TlsSource,
    ) -> Self {
        let h2 = (protocol == UpstreamProtocol::Auto)
            .then(|| Arc::new(H2Probe::new(target.clone(), connect_timeout, tls.clone())));
        let connector = Connector {
            target: Arc::new(target),
            connect_timeout,
            tls,
            version: Version::HTTP_11,
        };
        Self::with(connector, protocol, h2)
    }

    /// A forwarder to the same upstream with its own connection pools, for one worker
    /// runtime (the pools' connection tasks run where the first request spawned them).
    pub fn for_worker(&self) -> Self {
        Self::with(self.connector.clone(), self.protocol, self.h2.clone())
    }

    fn with(connector: Connector, protocol: UpstreamProtocol, h2: Option<Arc<H2Probe>>) -> Self {
        Self {
            http2: Arc::default(),
            protocol,
            h2,
            connector,
            idle: Arc::default(),
        }
    }

    /// The HTTP version a request that arrived as `inbound` is sent with. In `auto` mode an
    /// HTTP/2 request goes out as HTTP/2, except to an upstream that does not speak it (h2c
    /// for a plain one, ALPN `h2` for a TLS one: most HTTP/1.1 servers), which gets HTTP/1.1;
    /// gRPC needs HTTP/2 and always gets it.
    pub async fn version_for(&self, inbound: Version, grpc: bool) -> Version {
        match (self.protocol, inbound) {
            (UpstreamProtocol::Http1, _) => Version::HTTP_11,
            (UpstreamProtocol::Http2, _) => Version::HTTP_2,
            (UpstreamProtocol::Auto, Version::HTTP_2) => match &self.h2 {
                Some(probe) if !grpc && !probe.speaks_h2().await => Version::HTTP_11,
                _ => Version::HTTP_2,
            },
            (UpstreamProtocol::Auto, _) => Version::HTTP_11,
        }
    }

    /// Sends `request` (its version already set by [`Self::version_for`]).
    /// HTTP/1.1 goes over `slot`'s upstream connection when the client is an HTTP/1.1 one
    /// (whose requests come one at a time), else over any of this worker's.
    pub async fn send(
        &self,
        slot: Option<&Http1Slot>,
        request: Request<RequestBody>,
    ) -> Result<Response<UpstreamBody>, SendError> {
        if request.version() == Version::HTTP_2 {
            return Ok(self.send_http2(request).await?.map(UpstreamBody::Http2));
        }
        Ok(self
            .send_http1(slot, request)
            .await?
            .map(UpstreamBody::Http1))
    }
}

/// The body of an upstream response.
#[derive(Debug)]
pub enum UpstreamBody {
    /// From an HTTP/1.1 upstream connection.
    Http1(Incoming),
    /// From the HTTP/2 upstream connection.
    Http2(Http2Body),
}

impl http_body::Body for UpstreamBody {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BodyError>>> {
        match self.get_mut() {
            Self::Http1(body) => Pin::new(body).poll_frame(context).map_err(BodyError::from),
            Self::Http2(body) => Pin::new(body).poll_frame(context).map_err(BodyError::from),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Http1(body) => body.is_end_stream(),
            Self::Http2(body) => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self {
            Self::Http1(body) => body.size_hint(),
            Self::Http2(body) => body.size_hint(),
        }
    }
}

/// What a response body fails with (hyper's server finds an HTTP/2 reason in it to reset the
/// client's stream with).
pub type BodyError = Box<dyn std::error::Error + Send + Sync>;

/// Why a request could not be sent upstream.
#[derive(Debug)]
pub enum SendError {
    /// No connection could be made.
    Connect(io::Error),
    /// The connection failed.
    Http(hyper::Error),
    /// The HTTP/2 connection or stream failed.
    Http2(h2::Error),
}

impl SendError {
    /// What went wrong, for the client's 502 and the log.
    pub fn cause(&self) -> String {
        match self {
            Self::Connect(error) => error.to_string(),
            Self::Http(error) => error.to_string(),
            Self::Http2(error) => format!("http2 error: {error}"),
        }
    }
}

/// Whether the upstream speaks HTTP/2: a plain one answers the HTTP/2 connection preface
/// with SETTINGS (h2c), a TLS one agrees to ALPN `h2` when offered `h2` and `http/1.1`. The
/// answer is kept for [`H2Probe::KEEP`].
struct H2Probe {
    target: Target,
    timeout: Duration,
    tls: TlsSource,
    known: std::sync::Mutex<Option<(bool, std::time::Instant)>>,
}

impl std::fmt::Debug for H2Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("H2Probe")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

impl H2Probe {
    const KEEP: Duration = Duration::from_secs(30);
    /// The client connection preface (RFC 9113 section 3.4) and an empty SETTINGS frame.
    const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0";

    fn new(target: Target, timeout: Duration, tls: TlsSource) -> Self {
        Self {
            target,
            timeout,
            tls,
            known: std::sync::Mutex::new(None),
        }
    }

    async fn speaks_h2(&self) -> bool {
        let known = *self
            .known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((answer, at)) = known {
            if at.elapsed() < Self::KEEP {
                return answer;
            }
        }
        let answer = match (self.tls)() {
            Some(tls) => self.probe_alpn(tls).await,
            None => self.probe_h2c().await,
        };
        *self
            .known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some((answer, std::time::Instant::now()));
        answer
    }

    async fn probe_alpn(&self, tls: UpstreamTls) -> bool {
        let connected = connect_tls(&self.target, self.timeout, tls.any, tls.server_name).await;
        connected.is_ok_and(|stream| stream.get_ref().1.alpn_protocol() == Some(b"h2"))
    }

    async fn probe_h2c(&self) -> bool {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let exchange = async {
            let mut stream = connect_tcp(&self.target, self.timeout).await?;
            stream.write_all(Self::PREFACE).await?;
            let mut frame_header = [0u8; 9];
            stream.read_exact(&mut frame_header).await?;
            // A SETTINGS frame (type 4) on stream 0 is an HTTP/2 server's first word.
            io::Result::Ok(frame_header.get(3) == Some(&4))
        };
        matches!(
            tokio::time::timeout(self.timeout, exchange).await,
            Ok(Ok(true))
        )
    }
}

/// Makes upstream connections for one HTTP version.
#[derive(Clone)]
pub(super) struct Connector {
    target: Arc<Target>,
    connect_timeout: Duration,
    tls: TlsSource,
    /// The version the connections are for (ALPN).
    pub(super) version: Version,
}

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connector")
            .field("target", &self.target)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl tower_service::Service<http::Uri> for Connector {
    type Response = UpstreamStream;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<UpstreamStream>> + Send>>;

    fn poll_ready(&mut self, _context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _uri: http::Uri) -> Self::Future {
        let connector = self.clone();
        Box::pin(async move {
            let Some(tls) = (connector.tls)() else {
                let stream = connect_tcp(&connector.target, connector.connect_timeout).await?;
                return Ok(UpstreamStream::Plain(TokioIo::new(stream)));
            };
            let config = if connector.version == Version::HTTP_2 {
                tls.http2
            } else {
                tls.http1
            };
            let stream = connect_tls(
                &connector.target,
                connector.connect_timeout,
                config,
                tls.server_name,
            )
            .await?;
            let wanted: &[u8] = if connector.version == Version::HTTP_2 {
                b"h2"
            } else {
                b"http/1.1"
            };
            let negotiated = stream.get_ref().1.alpn_protocol();
            if connector.version == Version::HTTP_2 && negotiated != Some(wanted) {
                return Err(io::Error::other(format!(
                    "the upstream {} did not agree to HTTP/2 (ALPN h2)",
                    connector.target.authority()
                )));
            }
            Ok(UpstreamStream::Tls(Box::new(TokioIo::new(stream))))
        })
    }
}

/// A connection to the upstream.
#[derive(Debug)]
pub(super) enum UpstreamStream {
    Plain(TokioIo<TcpStream>),
    Tls(Box<TokioIo<TlsStream<TcpStream>>>),
}

impl hyper::rt::Read for UpstreamStream {
    fn poll_read(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_read(context, buffer),
            Self::Tls(stream) => Pin::new(stream.as_mut()).poll_read(context, buffer),
        }
    }
}

impl hyper::rt::Write for UpstreamStream {
    fn poll_write(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_write(context, data),
            Self::Tls(stream) => Pin::new(stream.as_mut()).poll_write(context, data),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffers: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_write_vectored(context, buffers),
            Self::Tls(stream) => Pin::new(stream.as_mut()).poll_write_vectored(context, buffers),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Self::Plain(stream) => stream.is_write_vectored(),
            Self::Tls(stream) => stream.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_flush(context),
            Self::Tls(stream) => Pin::new(stream.as_mut()).poll_flush(context),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_shutdown(context),
            Self::Tls(stream) => Pin::new(stream.as_mut()).poll_shutdown(context),
        }
    }
}

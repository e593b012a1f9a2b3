//! Upstreams that record everything they receive: an HTTP server (HTTP/1.1 and h2c, like the
//! plain services behind a terminate listener) and a TCP echo server. Both run on one shared
//! tokio runtime of the test process.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The runtime the upstreams (and async test clients) run on.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

/// One request as the upstream saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub version: String,
    /// The URI authority (HTTP/2) or the Host header (HTTP/1.1).
    pub authority: String,
    pub headers: Vec<(String, String)>,
}

impl Seen {
    /// Every value of header `name`.
    pub fn header(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }
}

/// What an upstream received.
#[derive(Debug, Default)]
pub struct Record {
    pub connections: AtomicUsize,
    pub bytes: AtomicU64,
    pub requests: Mutex<Vec<Seen>>,
    /// TCP upstream: the bytes received on each connection.
    pub streams: Mutex<Vec<Vec<u8>>>,
}

impl Record {
    pub fn requests(&self) -> Vec<Seen> {
        self.requests.lock().unwrap().clone()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::SeqCst)
    }
}

/// A running upstream.
pub struct Upstream {
    pub address: SocketAddr,
    pub record: Arc<Record>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Upstream {
    /// An HTTP upstream on a free port.
    pub fn http() -> Self {
        Self::http_on(0)
    }

    /// An HTTP upstream on `port`. Paths: `/slow` answers after 1.5 s, `/echo` streams the
    /// request body back, anything else answers `hello from upstream`.
    pub fn http_on(port: u16) -> Self {
        Self::serve_http(port, false)
    }

    /// An HTTP/1.1-only upstream (no h2c), like most plain HTTP services.
    pub fn http1_only() -> Self {
        Self::serve_http(0, true)
    }

    fn serve_http(port: u16, http1_only: bool) -> Self {
        let record = Arc::new(Record::default());
        let listener = runtime()
            .block_on(TcpListener::bind(("127.0.0.1", port)))
            .unwrap();
        let address = listener.local_addr().unwrap();
        let server_record = record.clone();
        let task = runtime().spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                server_record.connections.fetch_add(1, Ordering::SeqCst);
                let record = server_record.clone();
                tokio::spawn(async move {
                    let stream = Counted {
                        inner: stream,
                        record: record.clone(),
                    };
                    let service = service_fn(move |request| answer(request, record.clone()));
                    let mut builder = auto::Builder::new(TokioExecutor::new());
                    if http1_only {
                        builder = builder.http1_only();
                    }
                    let _ = builder
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self {
            address,
            record,
            task,
        }
    }

    /// A TCP upstream that records each connection's bytes and echoes them back, closing its
    /// side when the client has closed its own (half-close).
    pub fn tcp_echo() -> Self {
        let record = Arc::new(Record::default());
        let listener = runtime()
            .block_on(TcpListener::bind(("127.0.0.1", 0)))
            .unwrap();
        let address = listener.local_addr().unwrap();
        let server_record = record.clone();
        let task = runtime().spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    continue;
                };
                server_record.connections.fetch_add(1, Ordering::SeqCst);
                let record = server_record.clone();
                tokio::spawn(async move {
                    let index = {
                        let mut streams = record.streams.lock().unwrap();
                        streams.push(Vec::new());
                        streams.len() - 1
                    };
                    let mut buffer = [0u8; 4096];
                    loop {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => break,
                            Ok(read) => {
                                record.bytes.fetch_add(read as u64, Ordering::SeqCst);
                                record.streams.lock().unwrap()[index]
                                    .extend_from_slice(&buffer[..read]);
                                if stream.write_all(&buffer[..read]).await.is_err() {
                                    break;
                                }
                            }
                        }
                    }
                    let _ = stream.shutdown().await;
                });
            }
        });
        Self {
            address,
            record,
            task,
        }
    }

    /// The upstream's address as `HOST:PORT` text.
    pub fn target(&self) -> String {
        self.address.to_string()
    }
}

type Body = BoxBody<Bytes, hyper::Error>;

async fn answer(
    request: Request<Incoming>,
    record: Arc<Record>,
) -> Result<Response<Body>, Infallible> {
    let seen = Seen {
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
        version: format!("{:?}", request.version()),
        authority: request
            .uri()
            .authority()
            .map(ToString::to_string)
            .or_else(|| {
                request
                    .headers()
                    .get("host")
                    .and_then(|host| host.to_str().ok())
                    .map(str::to_owned)
            })
            .unwrap_or_default(),
        headers: request
            .headers()
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("?").to_owned()))
            .collect(),
    };
    record.requests.lock().unwrap().push(seen);
    let full = |text: &'static str| {
        Full::new(Bytes::from_static(text.as_bytes()))
            .map_err(|never| match never {})
            .boxed()
    };
    let body = match request.uri().path() {
        "/slow" => {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            full("slow done\n")
        }
        "/echo" => request.into_body().boxed(),
        _ => full("hello from upstream\n"),
    };
    Ok(Response::new(body))
}

/// A stream that counts received bytes.
struct Counted {
    inner: TcpStream,
    record: Arc<Record>,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buffer.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(context, buffer);
        let read = buffer.filled().len() - before;
        self.record.bytes.fetch_add(read as u64, Ordering::SeqCst);
        result
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(context, data)
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(context)
    }

    fn poll_shutdown(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(context)
    }
}

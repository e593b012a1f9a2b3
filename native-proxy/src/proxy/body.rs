//! Body wrappers that count bytes while streaming (nothing is buffered) and write the access
//! log line when the response has been sent or abandoned.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::Full;

use super::access::{self, RequestLine};
use super::session::Session;
use super::upstream::{BodyError, UpstreamBody};

/// A body the proxy sends: the upstream's, or its own answer.
#[derive(Debug)]
pub enum ProxyBody {
    /// The upstream's response body.
    Upstream(UpstreamBody),
    /// The proxy's own answer.
    Own(Full<Bytes>),
}

impl Body for ProxyBody {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        match self.get_mut() {
            Self::Upstream(body) => Pin::new(body).poll_frame(context),
            Self::Own(body) => Pin::new(body)
                .poll_frame(context)
                .map_err(|never| match never {}),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Upstream(body) => body.is_end_stream(),
            Self::Own(body) => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Upstream(body) => body.size_hint(),
            Self::Own(body) => body.size_hint(),
        }
    }
}

/// Counts the data bytes that pass through `inner` into `counter`.
#[derive(Debug)]
pub struct CountingBody<B> {
    inner: B,
    counter: Arc<AtomicU64>,
}

impl<B> CountingBody<B> {
    /// Wraps `inner`.
    pub fn new(inner: B, counter: Arc<AtomicU64>) -> Self {
        Self { inner, counter }
    }
}

impl<B: Body<Data = Bytes> + Unpin> Body for CountingBody<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(context);
        if let Poll::Ready(Some(Ok(frame))) = &polled {
            if let Some(data) = frame.data_ref() {
                self.counter.fetch_add(data.len() as u64, Ordering::Relaxed);
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// What the access log needs to know about a request.
#[derive(Debug)]
pub struct PendingLog {
    /// The connection.
    pub session: Arc<Session>,
    /// Method.
    pub method: http::Method,
    /// Path and query (`/` when the request had none).
    pub path: Option<http::uri::PathAndQuery>,
    /// `HTTP/1.1` or `HTTP/2`.
    pub protocol: &'static str,
    /// When the request head arrived.
    pub started: Instant,
    /// Status sent.
    pub status: u16,
    /// gRPC status, when the proxy answered itself.
    pub grpc_status: Option<u8>,
    /// Request body bytes so far (`None`: the request came without a body).
    pub received: Option<Arc<AtomicU64>>,
    /// Why the proxy answered itself.
    pub detail: String,
}

impl PendingLog {
    fn write(&self, sent: u64) {
        access::request(&RequestLine {
            session: &self.session,
            method: self.method.as_str(),
            path: self
                .path
                .as_ref()
                .map_or("/", http::uri::PathAndQuery::as_str),
            protocol: self.protocol,
            status: self.status,
            grpc_status: self.grpc_status,
            bytes_received: self
                .received
                .as_ref()
                .map_or(0, |received| received.load(Ordering::Relaxed)),
            bytes_sent: sent,
            duration: self.started.elapsed(),
            detail: &self.detail,
        });
    }
}

/// A response body that logs the request when it is done (or dropped).
#[derive(Debug)]
pub struct LoggedBody {
    inner: ProxyBody,
    sent: u64,
    log: Option<PendingLog>,
}

impl LoggedBody {
    /// Wraps `inner`; `log` is written once.
    pub fn new(inner: ProxyBody, log: PendingLog) -> Self {
        Self {
            inner,
            sent: 0,
            log: Some(log),
        }
    }
}

impl Body for LoggedBody {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(context);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    self.sent += data.len() as u64;
                }
            }
            Poll::Ready(None) => self.finish(),
            _ => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl LoggedBody {
    fn finish(&mut self) {
        if let Some(log) = self.log.take() {
            log.write(self.sent);
        }
    }
}

impl Drop for LoggedBody {
    fn drop(&mut self) {
        self.finish();
    }
}

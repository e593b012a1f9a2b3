//! HTTP/2 to the upstream without hyper-util's pooled client, which costs a pool lock, a key
//! (scheme and authority) built and compared, boxed futures and a checkout per request: each
//! worker holds one HTTP/2 connection to the upstream (as the pool did: HTTP/2 multiplexes
//! every request of the worker on it), made by the first request that needs it (concurrent
//! requests wait for that one connection instead of making their own), made again when the
//! upstream closes it, and closed after [`Http2Upstream::IDLE`] without a request (the pooled
//! client's idle timeout). A request the upstream refused before reading it (GOAWAY on a
//! kept-alive connection) is sent again once, on a new connection, as the pooled client does.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use http::{Request, Response, Uri, Version};
use hyper::body::Incoming;
use hyper::client::conn::http2;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::upstream::{Forwarder, RequestBody, SendError};

type Http2Sender = http2::SendRequest<RequestBody>;

/// One worker's HTTP/2 connection to the upstream.
#[derive(Debug, Default)]
pub(super) struct Http2Upstream {
    /// The connection's sender and its number (to tell a replaced connection from the current
    /// one); `None` before the first request and once closed.
    current: Mutex<Option<(u64, Http2Sender)>>,
    /// Held while a connection is being made, so that one is made at a time.
    connecting: tokio::sync::Mutex<()>,
    /// Connections made so far.
    made: AtomicU64,
    /// Requests sent so far (the idle check compares it over [`Http2Upstream::IDLE`]).
    uses: AtomicU64,
}

impl Http2Upstream {
    /// How long a connection is kept without a request.
    pub(super) const IDLE: Duration = Duration::from_secs(60);

    /// The current connection, if it is open.
    fn current(&self) -> Option<(u64, Http2Sender)> {
        let current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        current
            .as_ref()
            .filter(|(_, sender)| !sender.is_closed())
            .map(|(number, sender)| (*number, sender.clone()))
    }

    /// Forgets connection `number` if it is still the current one.
    fn forget(&self, number: u64) {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current.as_ref().is_some_and(|(held, _)| *held == number) {
            *current = None;
        }
    }
}

impl Forwarder {
    /// Sends the HTTP/2 `request` (absolute URI) over this worker's connection, made first if
    /// there is none.
    pub(super) async fn send_http2(
        &self,
        request: Request<RequestBody>,
    ) -> Result<Response<Incoming>, SendError> {
        let upstream = &self.http2;
        upstream.uses.fetch_add(1, Ordering::Relaxed);
        let (number, mut sender, reused) = match upstream.current() {
            Some((number, sender)) => (number, sender, true),
            None => {
                let (number, sender) = self.connect_http2().await?;
                (number, sender, false)
            }
        };
        let request = match sender.try_send_request(request).await {
            Ok(response) => return Ok(response),
            Err(mut error) => match error.take_message() {
                Some(request) if reused => request,
                _ => return Err(SendError::Http(error.into_error())),
            },
        };
        // Refused before it was sent, on a connection the upstream has closed since: once
        // more, on a new one.
        upstream.forget(number);
        let (_, mut sender) = match upstream.current() {
            Some(current) => current,
            None => self.connect_http2().await?,
        };
        sender.send_request(request).await.map_err(SendError::Http)
    }

    /// The current connection, or a new one (made by this request or by a concurrent one).
    async fn connect_http2(&self) -> Result<(u64, Http2Sender), SendError> {
        let upstream = &self.http2;
        let _connecting = upstream.connecting.lock().await;
        if let Some(current) = upstream.current() {
            return Ok(current);
        }
        let mut connector = self.connector.clone();
        connector.version = Version::HTTP_2;
        let stream = tower_service::Service::call(&mut connector, Uri::default())
            .await
            .map_err(SendError::Connect)?;
        let (sender, connection) = http2::Builder::new(TokioExecutor::new())
            .timer(TokioTimer::new())
            .handshake(stream)
            .await
            .map_err(SendError::Http)?;
        let number = upstream.made.fetch_add(1, Ordering::Relaxed);
        *upstream
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some((number, sender.clone()));
        tokio::spawn(async move {
            let _ = connection.await;
        });
        tokio::spawn(close_when_idle(Arc::downgrade(&self.http2), number));
        Ok((number, sender))
    }
}

/// Forgets connection `number` once a whole [`Http2Upstream::IDLE`] passed without a request;
/// the connection closes when the requests still using it are done.
async fn close_when_idle(upstream: std::sync::Weak<Http2Upstream>, number: u64) {
    let mut seen = None;
    loop {
        tokio::time::sleep(Http2Upstream::IDLE).await;
        let Some(upstream) = upstream.upgrade() else {
            return;
        };
        if upstream
            .current()
            .is_none_or(|(current, _)| current != number)
        {
            return;
        }
        let uses = upstream.uses.load(Ordering::Relaxed);
        if seen == Some(uses) {
            upstream.forget(number);
            return;
        }
        seen = Some(uses);
    }
}

//! HTTP/2 to the upstream on the `h2` crate directly: each worker holds one HTTP/2 connection
//! to the upstream (HTTP/2 multiplexes every request of the worker on it), made by the first
//! request that needs it (concurrent requests wait for that one connection instead of making
//! their own), made again when the upstream closes it, and closed after
//! [`Http2Upstream::IDLE`] without a request. A request whose connection turns out closed
//! before it was sent (GOAWAY on a kept-alive connection) is sent once more, on a new one.
//!
//! Without hyper's HTTP/2 client, which passes every request through a channel to its
//! connection task and spawns a task per request to wait for the response: here the request's
//! own task sends the headers and waits for the response, and a task is spawned only to stream
//! a request body that is not complete at once. The connection settings, the request head
//! (`Content-Length` when the body's length is known) and the response body (flow-control
//! capacity released as data is read, trailers, content length) are hyper's.

use std::error::Error as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use h2::client::SendRequest;
use h2::{Reason, RecvStream, SendStream};
use http::{HeaderMap, HeaderValue, Method, Request, Response, Uri, Version, header};
use http_body::{Body, Frame, SizeHint};
use hyper_util::rt::TokioIo;
use tokio_util::sync::CancellationToken;

use super::upstream::{Forwarder, RequestBody, SendError};

type Http2Sender = SendRequest<Bytes>;

/// The worker's current connection.
#[derive(Debug, Clone)]
struct Current {
    /// To tell a replaced connection from the current one.
    number: u64,
    sender: Http2Sender,
    /// Cancelled when the connection is forgotten: its task then lets it close once the
    /// requests still using it are done (h2 does not wake a connection whose last
    /// `SendRequest` is dropped).
    forgotten: CancellationToken,
}

/// One worker's HTTP/2 connection to the upstream.
#[derive(Debug, Default)]
pub(super) struct Http2Upstream {
    /// `None` before the first request and once closed.
    current: Mutex<Option<Current>>,
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

    /// The current connection, if there is one.
    fn current(&self) -> Option<(u64, Http2Sender)> {
        let current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        current
            .as_ref()
            .map(|current| (current.number, current.sender.clone()))
    }

    /// Forgets connection `number` if it is still the current one.
    fn forget(&self, number: u64) {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current.as_ref().is_some_and(|held| held.number == number) {
            if let Some(held) = current.take() {
                held.forgotten.cancel();
            }
        }
    }
}

impl Drop for Http2Upstream {
    fn drop(&mut self) {
        let current = self
            .current
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(current) = current {
            current.forgotten.cancel();
        }
    }
}

impl Forwarder {
    /// Sends the HTTP/2 `request` (absolute URI) over this worker's connection, made first if
    /// there is none.
    pub(super) async fn send_http2(
        &self,
        request: Request<RequestBody>,
    ) -> Result<Response<Http2Body>, SendError> {
        let upstream = &self.http2;
        upstream.uses.fetch_add(1, Ordering::Relaxed);
        let (number, sender, reused) = match upstream.current() {
            Some((number, sender)) => (number, sender, true),
            None => {
                let (number, sender) = self.connect_http2().await?;
                (number, sender, false)
            }
        };
        let mut sender = match sender.ready().await {
            Ok(sender) => sender,
            Err(error) => {
                upstream.forget(number);
                if !reused {
                    return Err(SendError::Http2(error));
                }
                // Closed before the request was sent, on a connection the upstream has closed
                // since: once more, on a new one.
                let (_, sender) = match upstream.current() {
                    Some(current) => current,
                    None => self.connect_http2().await?,
                };
                sender.ready().await.map_err(SendError::Http2)?
            }
        };
        let (mut head, body) = request.into_parts();
        // As hyper's client: the length of a body known in advance becomes its Content-Length.
        if let Some(length) = body.size_hint().exact() {
            if length != 0 || !matches!(head.method, Method::GET | Method::HEAD | Method::DELETE) {
                head.headers
                    .entry(header::CONTENT_LENGTH)
                    .or_insert_with(|| HeaderValue::from(length));
            }
        }
        let end_of_stream = body.is_end_stream();
        let (response, stream) = sender
            .send_request(Request::from_parts(head, ()), end_of_stream)
            .map_err(SendError::Http2)?;
        drop(sender);
        // A body still to come streams from its own task (it may outlast the response: gRPC
        // bidirectional streams); the stream is reset if this request is abandoned before
        // its response.
        let abandoned = (!end_of_stream)
            .then(|| pipe_request_body(body, stream))
            .flatten();
        let response = response.await.map_err(SendError::Http2);
        if let Some(abandoned) = abandoned {
            abandoned.disarm();
        }
        let (parts, receiving) = response?.into_parts();
        let content_length = content_length(&parts.headers);
        Ok(Response::from_parts(
            parts,
            Http2Body {
                receiving,
                data_done: false,
                content_length,
            },
        ))
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
        // hyper's client settings.
        let (sender, connection) = h2::client::Builder::new()
            .initial_max_send_streams(100)
            .initial_window_size(2 * 1024 * 1024)
            .initial_connection_window_size(5 * 1024 * 1024)
            .max_frame_size(16 * 1024)
            .max_header_list_size(16 * 1024)
            .max_send_buffer_size(1024 * 1024)
            .max_local_error_reset_streams(Some(1024))
            .enable_push(false)
            .handshake::<_, Bytes>(TokioIo::new(stream))
            .await
            .map_err(SendError::Http2)?;
        let number = upstream.made.fetch_add(1, Ordering::Relaxed);
        let forgotten = CancellationToken::new();
        *upstream
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Current {
            number,
            sender: sender.clone(),
            forgotten: forgotten.clone(),
        });
        let held = Arc::downgrade(&self.http2);
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let ended = tokio::select! {
                _ = connection.as_mut() => true,
                () = forgotten.cancelled() => false,
            };
            if !ended {
                // Polled again now that no new request can use it: it closes once the
                // requests still on it are done.
                let _ = connection.await;
            }
            if let Some(upstream) = held.upgrade() {
                upstream.forget(number);
            }
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

/// The `Content-Length` of a response, as hyper reads it: every value (each a comma-separated
/// list) the same number of digits only.
fn content_length(headers: &HeaderMap) -> Option<u64> {
    let mut values = headers.get_all(header::CONTENT_LENGTH).iter();
    let length = one_length(values.next()?.as_bytes())?;
    values
        .all(|value| one_length(value.as_bytes()) == Some(length))
        .then_some(length)
}

/// The number a `Content-Length` value says, if all its comma-separated parts say the same.
fn one_length(value: &[u8]) -> Option<u64> {
    let mut length = None;
    for part in value.split(|&byte| byte == b',') {
        let part = part.trim_ascii();
        if part.is_empty() {
            return None;
        }
        let mut number = 0_u64;
        for &byte in part {
            if !byte.is_ascii_digit() {
                return None;
            }
            number = number
                .checked_mul(10)?
                .checked_add(u64::from(byte - b'0'))?;
        }
        if length.is_some_and(|length| length != number) {
            return None;
        }
        length = Some(number);
    }
    length
}

/// Streams `body` into `stream`: at once if it is complete already, else from a spawned task.
/// Returns what resets the stream if the request is abandoned before its response.
fn pipe_request_body(
    body: RequestBody,
    stream: SendStream<Bytes>,
) -> Option<tokio_util::sync::DropGuard> {
    let mut pipe = Pipe {
        body,
        stream,
        buffered: None,
    };
    let waker = std::task::Waker::noop();
    if pipe.poll_pipe(&mut Context::from_waker(waker)).is_ready() {
        return None;
    }
    let abandoned = CancellationToken::new();
    let cancelled = abandoned.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = std::future::poll_fn(|context| pipe.poll_pipe(context)) => {}
            () = cancelled.cancelled() => pipe.stream.send_reset(Reason::CANCEL),
        }
    });
    Some(abandoned.drop_guard())
}

/// A request body on its way to an HTTP/2 stream, with flow control, as hyper's client pipes
/// it.
struct Pipe {
    body: RequestBody,
    stream: SendStream<Bytes>,
    /// A chunk waiting for send capacity, and whether it ends the body.
    buffered: Option<(Bytes, bool)>,
}

impl Pipe {
    /// Ready when the body is sent or cannot be (the stream reset, or the body failed: the
    /// stream is then reset).
    fn poll_pipe(&mut self, context: &mut Context<'_>) -> Poll<()> {
        loop {
            match self.stream.poll_reset(context) {
                Poll::Ready(_) => return Poll::Ready(()),
                Poll::Pending => {}
            }
            if let Some((_, end)) = &self.buffered {
                let end = *end;
                while self.stream.capacity() == 0 {
                    match ready!(self.stream.poll_capacity(context)) {
                        Some(Ok(0)) => {}
                        Some(Ok(_)) => break,
                        Some(Err(_)) | None => return Poll::Ready(()),
                    }
                }
                let Some((chunk, _)) = self.buffered.take() else {
                    return Poll::Ready(());
                };
                if self.stream.send_data(chunk, end).is_err() || end {
                    return Poll::Ready(());
                }
                continue;
            }
            match ready!(Pin::new(&mut self.body).poll_frame(context)) {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(chunk) => {
                        let end = self.body.is_end_stream();
                        if chunk.is_empty() {
                            if self.stream.send_data(chunk, end).is_err() || end {
                                return Poll::Ready(());
                            }
                            continue;
                        }
                        // A minimal claim on the connection window (hyper's #4003).
                        self.stream.reserve_capacity(1);
                        self.buffered = Some((chunk, end));
                    }
                    Err(frame) => {
                        if let Ok(trailers) = frame.into_trailers() {
                            self.stream.reserve_capacity(0);
                            let _ = self.stream.send_trailers(trailers);
                            return Poll::Ready(());
                        }
                    }
                },
                Some(Err(error)) => {
                    self.stream.send_reset(h2_reason(&error));
                    return Poll::Ready(());
                }
                None => {
                    let _ = self.stream.send_data(Bytes::new(), true);
                    return Poll::Ready(());
                }
            }
        }
    }
}

/// The HTTP/2 reason in `error`'s causes (a client's reset passed on), else INTERNAL_ERROR.
fn h2_reason(error: &hyper::Error) -> Reason {
    let mut cause = error.source();
    while let Some(error) = cause {
        if let Some(reason) = error
            .downcast_ref::<h2::Error>()
            .and_then(h2::Error::reason)
        {
            return reason;
        }
        cause = error.source();
    }
    Reason::INTERNAL_ERROR
}

/// The body of an upstream HTTP/2 response, as hyper's: flow-control capacity released as data
/// is read, then the trailers; a reset with NO_ERROR ends it early without failing it.
#[derive(Debug)]
pub struct Http2Body {
    receiving: RecvStream,
    data_done: bool,
    content_length: Option<u64>,
}

impl Body for Http2Body {
    type Data = Bytes;
    type Error = h2::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, h2::Error>>> {
        if !self.data_done {
            match ready!(self.receiving.poll_data(context)) {
                Some(Ok(data)) => {
                    let _ = self.receiving.flow_control().release_capacity(data.len());
                    return Poll::Ready(Some(Ok(Frame::data(data))));
                }
                Some(Err(error)) if error.reason() == Some(Reason::NO_ERROR) => {
                    return Poll::Ready(None);
                }
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => self.data_done = true,
            }
        }
        match ready!(self.receiving.poll_trailers(context)) {
            Ok(trailers) => Poll::Ready(trailers.map(|trailers| Ok(Frame::trailers(trailers)))),
            Err(error) if error.reason() == Some(Reason::NO_ERROR) => Poll::Ready(None),
            Err(error) => Poll::Ready(Some(Err(error))),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.receiving.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        match self.content_length {
            Some(length) => SizeHint::with_exact(length),
            // hyper's empty body.
            None if self.receiving.is_end_stream() => SizeHint::with_exact(0),
            None => SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_lengths_are_read_as_hyper_reads_them() {
        let length = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(
                    header::CONTENT_LENGTH,
                    HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("x")),
                );
            }
            content_length(&headers)
        };
        assert_eq!(length(&[]), None);
        assert_eq!(length(&["3"]), Some(3));
        assert_eq!(length(&["3, 3", "3"]), Some(3));
        assert_eq!(length(&["3", "4"]), None);
        assert_eq!(length(&["+3"]), None);
        assert_eq!(length(&[""]), None);
        assert_eq!(length(&["99999999999999999999"]), None);
        assert_eq!(length(&["18446744073709551615"]), Some(u64::MAX));
        assert_eq!(length(&[" 7 ,7"]), Some(7));
        assert_eq!(length(&["7,"]), None);
        assert_eq!(length(&["7", "7, 8"]), None);
    }
}

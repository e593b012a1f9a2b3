//! HTTP/1.1 to the upstream without hyper-util's pooled client, which costs a lock, several
//! boxed futures and a spawned task per request: an HTTP/1.1 client's requests come one at a
//! time, so its connection holds one upstream connection (driven by a task on the same
//! worker); requests of HTTP/2 clients take one that is ready from the worker's list. When a
//! client connection ends, its upstream connection goes back to that list, so clients that
//! open a connection per request do not cost an upstream connection (or mTLS handshake) each.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use http::{HeaderValue, Method, Request, Response, Uri, Version, header, uri::PathAndQuery};
use hyper::body::Incoming;
use hyper::client::conn::http1;

use super::upstream::{Forwarder, RequestBody, SendError};

/// The HTTP/1.1 upstream connection of one client connection; back to the worker's list when
/// the client connection ends.
#[derive(Debug)]
pub struct Http1Slot {
    sender: Mutex<Option<Http1Sender>>,
    idle: Arc<IdleHttp1>,
}

type Http1Sender = http1::SendRequest<RequestBody>;

impl Http1Slot {
    fn take(&self) -> Option<Http1Sender> {
        self.sender
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .filter(|sender| !sender.is_closed())
    }

    fn put(&self, sender: Http1Sender) {
        *self.sender.lock().unwrap_or_else(PoisonError::into_inner) = Some(sender);
    }
}

impl Drop for Http1Slot {
    fn drop(&mut self) {
        let sender = self
            .sender
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(sender) = sender {
            self.idle.put(sender);
        }
    }
}

/// One worker's HTTP/1.1 upstream connections that no client connection holds: idle, or
/// still finishing a response to an HTTP/2 client (taken only once ready for a request); at
/// most [`IdleHttp1::MAX`], each kept for at most [`IdleHttp1::KEEP`] (the pooled client's
/// idle timeout).
#[derive(Debug, Default)]
pub(super) struct IdleHttp1(Mutex<Vec<(Instant, Http1Sender)>>);

impl IdleHttp1 {
    const MAX: usize = 256;
    const KEEP: Duration = Duration::from_secs(60);

    fn take(&self) -> Option<Http1Sender> {
        let mut idle = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        Self::forget_stale(&mut idle, Instant::now());
        let ready = idle.iter().rposition(|(_, sender)| sender.is_ready())?;
        Some(idle.swap_remove(ready).1)
    }

    fn put(&self, sender: Http1Sender) {
        if sender.is_closed() {
            return;
        }
        let mut idle = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        Self::forget_stale(&mut idle, now);
        if idle.len() < Self::MAX {
            idle.push((now, sender));
        }
    }

    /// Closes the connections idle for too long, or closed by the upstream.
    fn forget_stale(idle: &mut Vec<(Instant, Http1Sender)>, now: Instant) {
        idle.retain(|(since, sender)| {
            now.saturating_duration_since(*since) < Self::KEEP && !sender.is_closed()
        });
    }
}

impl Forwarder {
    /// The upstream connection slot of a new client connection.
    pub fn http1_slot(&self) -> Http1Slot {
        Http1Slot {
            sender: Mutex::new(None),
            idle: self.idle.clone(),
        }
    }

    /// Sends the HTTP/1.1 `request` (absolute URI) over `slot`'s connection (an HTTP/1.1
    /// client's), else over an idle one of this worker that is ready for a request, else over
    /// a new one. A request the upstream closed a kept-alive connection under before reading
    /// it is sent again once, on a new connection, as the pooled client does.
    pub(super) async fn send_http1(
        &self,
        slot: Option<&Http1Slot>,
        mut request: Request<RequestBody>,
    ) -> Result<Response<Incoming>, SendError> {
        origin_form(&mut request);
        let taken = slot.and_then(Http1Slot::take).or_else(|| self.idle.take());
        let mut reused = taken.is_some();
        let mut sender = match taken {
            Some(sender) => sender,
            None => self.connect_http1().await?,
        };
        if sender.ready().await.is_err() {
            reused = false;
            sender = self.connect_http1().await?;
            sender.ready().await.map_err(SendError::Http)?;
        }
        let request = match sender.try_send_request(request).await {
            Ok(response) => {
                self.keep(slot, sender);
                return Ok(response);
            }
            Err(mut error) => match error.take_message() {
                Some(request) if reused => request,
                _ => return Err(SendError::Http(error.into_error())),
            },
        };
        let mut sender = self.connect_http1().await?;
        sender.ready().await.map_err(SendError::Http)?;
        let response = sender
            .send_request(request)
            .await
            .map_err(SendError::Http)?;
        self.keep(slot, sender);
        Ok(response)
    }

    /// Keeps `sender` for the next request of `slot`'s client, or of anyone.
    fn keep(&self, slot: Option<&Http1Slot>, sender: Http1Sender) {
        match slot {
            Some(slot) => slot.put(sender),
            None => self.idle.put(sender),
        }
    }

    async fn connect_http1(&self) -> Result<http1::SendRequest<RequestBody>, SendError> {
        let mut connector = self.connector.clone();
        connector.version = Version::HTTP_11;
        let stream = tower_service::Service::call(&mut connector, Uri::default())
            .await
            .map_err(SendError::Connect)?;
        let (sender, connection) = http1::handshake(stream).await.map_err(SendError::Http)?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(sender)
    }
}

/// An absolute-form request URI made origin-form (authority-form for CONNECT), its authority
/// kept in `Host`, as hyper-util's pooled client sends HTTP/1.1 requests.
fn origin_form<B>(request: &mut Request<B>) {
    if !request.headers().contains_key(header::HOST) {
        let host = request
            .uri()
            .authority()
            .and_then(|authority| HeaderValue::from_str(authority.as_str()).ok());
        if let Some(host) = host {
            request.headers_mut().insert(header::HOST, host);
        }
    }
    if request.method() == Method::CONNECT {
        if let Some(authority) = request.uri().authority().cloned() {
            *request.uri_mut() = Uri::from(authority);
        }
        return;
    }
    let path = request
        .uri()
        .path_and_query()
        .cloned()
        .unwrap_or_else(|| PathAndQuery::from_static("/"));
    *request.uri_mut() = Uri::from(path);
}

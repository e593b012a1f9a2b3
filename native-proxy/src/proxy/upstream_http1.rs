//! HTTP/1.1 to the upstream without hyper-util's pooled client, which costs a lock, several
//! boxed futures and a spawned task per request: an HTTP/1.1 client's requests come one at a
//! time, so its connection holds one upstream connection (driven by a task on the same
//! worker); requests of HTTP/2 clients take one that is ready from the worker's list. When a
//! client connection ends, its upstream connection goes back to that list, so clients that
//! open a connection per request do not cost an upstream connection (or mTLS handshake) each.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use http::uri::{Authority, PathAndQuery};
use http::{HeaderValue, Method, Request, Response, Uri, Version, header};
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
/// most [`IdleHttp1::MAX`], each kept for about [`IdleHttp1::KEEP`] (the pooled client's idle
/// timeout: the list is swept every [`IdleHttp1::SWEEP`] uses and when full).
#[derive(Debug, Default)]
pub(super) struct IdleHttp1(Mutex<Idle>);

#[derive(Debug, Default)]
struct Idle {
    senders: Vec<(Instant, Http1Sender)>,
    uses: u32,
}

impl IdleHttp1 {
    const MAX: usize = 256;
    const KEEP: Duration = Duration::from_secs(60);
    const SWEEP: u32 = 64;

    fn take(&self) -> Option<Http1Sender> {
        let mut idle = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        idle.sweep_now_and_then();
        let ready = idle
            .senders
            .iter()
            .rposition(|(_, sender)| sender.is_ready())?;
        Some(idle.senders.swap_remove(ready).1)
    }

    fn put(&self, sender: Http1Sender) {
        if sender.is_closed() {
            return;
        }
        let mut idle = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        idle.sweep_now_and_then();
        if idle.senders.len() >= Self::MAX {
            idle.sweep();
        }
        if idle.senders.len() < Self::MAX {
            idle.senders.push((Instant::now(), sender));
        }
    }
}

impl Idle {
    fn sweep_now_and_then(&mut self) {
        self.uses = self.uses.wrapping_add(1);
        if self.uses % IdleHttp1::SWEEP == 0 {
            self.sweep();
        }
    }

    /// Closes the connections idle for too long, or closed by the upstream.
    fn sweep(&mut self) {
        let now = Instant::now();
        self.senders.retain(|(since, sender)| {
            now.saturating_duration_since(*since) < IdleHttp1::KEEP && !sender.is_closed()
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

    /// Sends the HTTP/1.1 `request` (origin-form: [`origin_form`]) over `slot`'s connection (an HTTP/1.1
    /// client's), else over an idle one of this worker that is ready for a request, else over
    /// a new one. A request the upstream closed a kept-alive connection under before reading
    /// it is sent again once, on a new connection, as the pooled client does.
    pub(super) async fn send_http1(
        &self,
        slot: Option<&Http1Slot>,
        request: Request<RequestBody>,
    ) -> Result<Response<Incoming>, SendError> {
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

/// Makes a request origin-form for HTTP/1.1 (authority-form for CONNECT), as hyper-util's
/// pooled client would: the client's `Host` is kept; without one, the request's authority (an
/// HTTP/2 client's `:authority`), else `target`, becomes the `Host`.
pub fn origin_form(parts: &mut http::request::Parts, target: &str) {
    if !parts.headers.contains_key(header::HOST) {
        let host = parts.uri.authority().map_or(target, Authority::as_str);
        if let Ok(host) = HeaderValue::from_str(host) {
            parts.headers.insert(header::HOST, host);
        }
    }
    if parts.method == Method::CONNECT {
        if let Some(authority) = parts.uri.authority().cloned() {
            parts.uri = Uri::from(authority);
        }
        return;
    }
    if parts.uri.scheme().is_some() || parts.uri.authority().is_some() {
        let path = parts
            .uri
            .path_and_query()
            .cloned()
            .unwrap_or_else(|| PathAndQuery::from_static("/"));
        parts.uri = Uri::from(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(request: Request<()>) -> (String, Option<String>) {
        let (mut parts, ()) = request.into_parts();
        origin_form(&mut parts, "127.0.0.1:8080");
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        (parts.uri.to_string(), host)
    }

    #[test]
    fn requests_go_out_origin_form_with_a_host() {
        let request = |uri: &str| Request::builder().uri(uri);
        let with_host = request("/a?b=1")
            .header(header::HOST, "test.com:9443")
            .body(());
        assert_eq!(
            origin(with_host.unwrap_or_default()),
            ("/a?b=1".into(), Some("test.com:9443".into()))
        );
        let absolute = request("https://h2.example:8443/x").body(());
        assert_eq!(
            origin(absolute.unwrap_or_default()),
            ("/x".into(), Some("h2.example:8443".into()))
        );
        let bare = request("/").version(Version::HTTP_10).body(());
        assert_eq!(
            origin(bare.unwrap_or_default()),
            ("/".into(), Some("127.0.0.1:8080".into()))
        );
        let connect = request("db.example:5432").method(Method::CONNECT).body(());
        assert_eq!(
            origin(connect.unwrap_or_default()),
            ("db.example:5432".into(), Some("db.example:5432".into()))
        );
    }
}

//! One HTTP request over the negotiated connection (HTTP/2 when ALPN chose `h2`, else
//! HTTP/1.1), its status, and the sentence that explains a refusal page such as nginx's
//! "400 No required SSL certificate was sent".

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper::header::{HOST, USER_AGENT};
use hyper::http::Error as HttpError;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::alerts::TlsFailure;
use super::target::Request;

/// The most of a response body read, to recognise refusal pages.
const BODY_LIMIT: usize = 64 * 1024;
const AGENT: &str = concat!("mtlskit-probe/", env!("CARGO_PKG_VERSION"));

/// What the HTTP exchange gave.
#[derive(Debug, Clone, Default)]
pub struct Exchange {
    /// `HTTP/2` or `HTTP/1.1`.
    pub version: Option<String>,
    /// The response status.
    pub status: Option<u16>,
    /// A known refusal page in the response, explained.
    pub refusal: Option<Refusal>,
    /// Why there is no response, at the TLS level (e.g. a TLS 1.3 post-handshake alert).
    pub failure: Option<TlsFailure>,
    /// Why there is no response, at the HTTP level.
    pub error: Option<String>,
}

/// A refusal page a server returns about the client certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// A stable code: `ClientCertificateMissing` or `ClientCertificateRefused`.
    pub code: &'static str,
    /// What the page says and what it means.
    pub explanation: String,
    /// What to do.
    pub hint: String,
}

/// Sends `request` to `authority` over `stream` and reads the answer.
pub async fn exchange(
    stream: TlsStream<TcpStream>,
    request: &Request,
    authority: &str,
    http2: bool,
    timeout: Duration,
) -> Exchange {
    let built = match build(request, authority, http2) {
        Ok(built) => built,
        Err(error) => return failed(&error, None),
    };
    let seen = Arc::new(Mutex::new(None));
    let stream = Watched {
        inner: stream,
        seen: seen.clone(),
    };
    let run = async {
        if http2 {
            send_http2(stream, built).await
        } else {
            send_http1(stream, built).await
        }
    };
    let mut exchange = match tokio::time::timeout(timeout, run).await {
        Ok(exchange) => exchange,
        Err(_) => Exchange {
            failure: Some(TlsFailure::Timeout),
            error: Some(format!("no HTTP response within {timeout:?}")),
            ..Exchange::default()
        },
    };
    // hyper's HTTP/2 keeps only the text of I/O errors: prefer what the TLS stream itself saw
    let seen = seen.lock().map(|mut seen| seen.take()).unwrap_or_default();
    if exchange.status.is_none() && seen.is_some() {
        exchange.failure = seen;
    }
    exchange
}

/// The TLS stream handed to hyper, noting the first read error (an alert) before hyper
/// turns it into its own error.
#[derive(Debug)]
struct Watched {
    inner: TlsStream<TcpStream>,
    seen: Arc<Mutex<Option<TlsFailure>>>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let result = Pin::new(&mut self.inner).poll_read(context, buffer);
        if let Poll::Ready(Err(error)) = &result
            && let Ok(mut seen) = self.seen.lock()
            && seen.is_none()
        {
            *seen = Some(TlsFailure::from_io(error));
        }
        result
    }
}

impl AsyncWrite for Watched {
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

/// The request: an absolute URI for HTTP/2 (`:scheme` and `:authority`), a path and a Host
/// header for HTTP/1.1.
fn build(
    request: &Request,
    authority: &str,
    http2: bool,
) -> Result<hyper::Request<Empty<Bytes>>, HttpError> {
    let builder = hyper::Request::builder()
        .method(request.method.as_str())
        .header(USER_AGENT, AGENT);
    let builder = if http2 {
        builder.uri(format!("https://{authority}{}", request.path))
    } else {
        builder.uri(request.path.as_str()).header(HOST, authority)
    };
    builder.body(Empty::new())
}

async fn send_http2(stream: Watched, built: hyper::Request<Empty<Bytes>>) -> Exchange {
    let io = TokioIo::new(stream);
    let (mut sender, connection) =
        match hyper::client::conn::http2::handshake(TokioExecutor::new(), io).await {
            Ok(pair) => pair,
            Err(error) => return failed(&error, None),
        };
    let task = tokio::spawn(connection);
    let exchange = answer(sender.send_request(built).await, "HTTP/2").await;
    finish(exchange, task).await
}

async fn send_http1(stream: Watched, built: hyper::Request<Empty<Bytes>>) -> Exchange {
    let io = TokioIo::new(stream);
    let (mut sender, connection) = match hyper::client::conn::http1::handshake(io).await {
        Ok(pair) => pair,
        Err(error) => return failed(&error, None),
    };
    let task = tokio::spawn(connection);
    let exchange = answer(sender.send_request(built).await, "HTTP/1.1").await;
    finish(exchange, task).await
}

async fn answer(
    result: Result<hyper::Response<hyper::body::Incoming>, hyper::Error>,
    version: &str,
) -> Exchange {
    match result {
        Ok(response) => read(response, version).await,
        Err(error) => failed(&error, None),
    }
}

/// When the request failed, the connection task usually holds the precise reason (the alert).
async fn finish<E: std::error::Error + Send + Sync + 'static>(
    exchange: Exchange,
    task: tokio::task::JoinHandle<Result<(), E>>,
) -> Exchange {
    if exchange.status.is_some() {
        task.abort();
        return exchange;
    }
    match tokio::time::timeout(Duration::from_secs(1), task).await {
        Ok(Ok(Err(error))) => failed(&error, exchange.error),
        _ => exchange,
    }
}

async fn read(response: hyper::Response<hyper::body::Incoming>, version: &str) -> Exchange {
    let status = response.status().as_u16();
    let version = match response.version() {
        hyper::Version::HTTP_2 => "HTTP/2",
        hyper::Version::HTTP_10 => "HTTP/1.0",
        hyper::Version::HTTP_11 => "HTTP/1.1",
        _ => version,
    };
    let body = Limited::new(response.into_body(), BODY_LIMIT)
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .unwrap_or_default();
    Exchange {
        version: Some(version.to_owned()),
        status: Some(status),
        refusal: refusal(status, &String::from_utf8_lossy(&body)),
        ..Exchange::default()
    }
}

fn failed<E: std::error::Error + 'static>(error: &E, earlier: Option<String>) -> Exchange {
    Exchange {
        failure: TlsFailure::from_chain(error),
        error: Some(earlier.unwrap_or_else(|| error.to_string())),
        ..Exchange::default()
    }
}

/// Recognises the pages servers return when the TLS handshake succeeded but the client
/// certificate did not satisfy them: nginx checks it after the handshake (400 pages, or 495 /
/// 496 where `error_page` exposes them), and `mtlskit proxy --client-auth optional` refuses per
/// request (400 / 403 with its reason).
pub fn refusal(status: u16, body: &str) -> Option<Refusal> {
    let missing = |explanation: String| Refusal {
        code: "ClientCertificateMissing",
        explanation,
        hint: MISSING_HINT.to_owned(),
    };
    let refused = |explanation: String, hint: &str| Refusal {
        code: "ClientCertificateRefused",
        explanation,
        hint: hint.to_owned(),
    };
    match status {
        400 if body.contains("No required SSL certificate was sent") => Some(missing(
            "nginx answered \"400 No required SSL certificate was sent\": it is configured with ssl_verify_client on and the client sent no certificate (nginx completes the handshake and refuses at the HTTP level)".to_owned(),
        )),
        496 => Some(missing(format!("the server answered {status} (nginx: \"SSL certificate required\"): it requires a client certificate and none was sent"))),
        400 if body.contains("The SSL certificate error") => Some(refused(
            "nginx answered \"400 The SSL certificate error\": it could not verify the client certificate against its ssl_client_certificate CAs (another CA, an expired certificate, or the client's intermediate missing)".to_owned(),
            NGINX_REFUSED_HINT,
        )),
        495 => Some(refused(format!("the server answered {status} (nginx: \"SSL certificate error\"): it could not verify the client certificate"), NGINX_REFUSED_HINT)),
        400 if body.contains("no client certificate was sent") => Some(missing(format!(
            "the server answered 400 \"{}\": it asks for a client certificate without requiring one in the handshake (mtlskit proxy --client-auth optional) and refuses requests without one",
            first_line(body)
        ))),
        403 if body.contains("client certificate refused") => Some(refused(
            format!(
                "the server answered 403 \"{}\": it checked the client certificate after the handshake and refused it for the reason given",
                first_line(body)
            ),
            "fix what the reason names: use a certificate from one of the acceptable CAs, valid now, with extendedKeyUsage clientAuth, that the server's allow-list admits",
        )),
        _ => None,
    }
}

const MISSING_HINT: &str = "send a client certificate issued by one of the acceptable CAs: --cert FILE --key FILE, or --p12 FILE";
const NGINX_REFUSED_HINT: &str = "use a certificate issued by one of the acceptable CAs, and put its intermediate CAs after it in the --cert file; nginx's error log names the exact reason (\"client SSL certificate verify error\")";

fn first_line(body: &str) -> &str {
    body.lines().next().unwrap_or_default().trim()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn nginx_refusal_pages_are_recognised() {
        let page = "<html><head><title>400 No required SSL certificate was sent</title></head>";
        assert_eq!(
            refusal(400, page).map(|refusal| refusal.code),
            Some("ClientCertificateMissing")
        );
        let page = "<center>The SSL certificate error</center>";
        assert_eq!(
            refusal(400, page).map(|refusal| refusal.code),
            Some("ClientCertificateRefused")
        );
        assert_eq!(refusal(200, page), None);
        assert_eq!(refusal(400, "Bad Request"), None);
        let page = "client certificate refused: not in the allow-list (CN)\n";
        let refused = refusal(403, page).unwrap();
        assert!(
            refused.explanation.contains("not in the allow-list (CN)"),
            "{refused:?}"
        );
        assert_eq!(
            refusal(496, "").map(|refusal| refusal.code),
            Some("ClientCertificateMissing")
        );
    }
}

//! The operations endpoint (`--metrics ADDR`): `GET /metrics` in the Prometheus text format
//! and `GET /healthz` (200 `ok` while serving, 503 `draining` after SIGTERM). Plain HTTP/1.1,
//! loopback unless the configuration allows otherwise.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode, header};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use super::metrics::Metrics;
use super::server::{Listener, now};

/// Serves the endpoint until the process exits (it keeps answering while the proxy drains,
/// so a load balancer sees `/healthz` turn 503).
pub async fn serve(socket: TcpListener, metrics: Arc<Metrics>, listeners: Vec<Arc<Listener>>) {
    let listeners = Arc::new(listeners);
    loop {
        let Ok((stream, _)) = socket.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let metrics = metrics.clone();
        let listeners = listeners.clone();
        tokio::spawn(async move {
            let service =
                service_fn(move |request| answer(request, metrics.clone(), listeners.clone()));
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(10))
                .serve_connection(TokioIo::new(stream), service);
            let _ = tokio::time::timeout(Duration::from_secs(60), connection).await;
        });
    }
}

async fn answer(
    request: Request<Incoming>,
    metrics: Arc<Metrics>,
    listeners: Arc<Vec<Arc<Listener>>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (status, content_type, body) = match request.uri().path() {
        "/metrics" => {
            let (mut certificates, mut crls) = (Vec::new(), Vec::new());
            for listener in listeners.iter() {
                let (listener_certificates, listener_crls) = listener.expiries();
                certificates.extend(listener_certificates);
                crls.extend(listener_crls);
            }
            (
                StatusCode::OK,
                "text/plain; version=0.0.4; charset=utf-8",
                metrics.render(&certificates, &crls, now()),
            )
        }
        "/healthz" if metrics.is_draining() => (
            StatusCode::SERVICE_UNAVAILABLE,
            "text/plain",
            "draining\n".to_owned(),
        ),
        "/healthz" => (StatusCode::OK, "text/plain", "ok\n".to_owned()),
        _ => (
            StatusCode::NOT_FOUND,
            "text/plain",
            "not found: try /metrics or /healthz\n".to_owned(),
        ),
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static(content_type),
    );
    Ok(response)
}

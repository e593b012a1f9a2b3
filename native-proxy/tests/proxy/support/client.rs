//! A TLS client for tests that need more than curl: many concurrent connections, half-close,
//! raw bytes after the handshake. rustls with the standard webpki verifier (an independent
//! check of the proxy's server certificate).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::pki::Pki;

/// A connector trusting the pki's CA, presenting `client`'s chain (`None`: no certificate),
/// offering `alpn`.
pub fn connector(pki: &Pki, client: Option<&str>, alpn: &[&[u8]]) -> TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_file_iter(pki.path("ca.crt")).unwrap() {
        roots.add(certificate.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    let mut config = match client {
        Some(name) => {
            let chain = CertificateDer::pem_file_iter(pki.client_chain(name))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let key = PrivateKeyDer::from_pem_file(pki.path(&format!("{name}.key"))).unwrap();
            builder.with_client_auth_cert(chain, key).unwrap()
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = alpn.iter().map(|protocol| protocol.to_vec()).collect();
    TlsConnector::from(Arc::new(config))
}

/// Connects and completes the handshake (as `localhost`).
pub async fn connect(
    address: SocketAddr,
    connector: &TlsConnector,
) -> std::io::Result<TlsStream<TcpStream>> {
    let stream = TcpStream::connect(address).await?;
    let name = ServerName::try_from("localhost").unwrap();
    tokio::time::timeout(Duration::from_secs(10), connector.connect(name, stream))
        .await
        .map_err(|_| std::io::Error::other("handshake timeout"))?
}

/// One HTTP/1.1 GET over a connected stream: the status.
pub async fn get(stream: TlsStream<TcpStream>, path: &str) -> Result<u16, String> {
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| error.to_string())?;
    tokio::spawn(connection);
    let request = http::Request::get(path)
        .header("host", "localhost")
        .body(Empty::<Bytes>::new())
        .unwrap();
    let response = tokio::time::timeout(Duration::from_secs(20), sender.send_request(request))
        .await
        .map_err(|_| "timeout".to_owned())?
        .map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    response
        .into_body()
        .collect()
        .await
        .map_err(|error| error.to_string())?;
    Ok(status)
}

/// Connects and GETs `path` on a new connection.
pub async fn fetch(
    address: SocketAddr,
    connector: &TlsConnector,
    path: &str,
) -> Result<u16, String> {
    let stream = connect(address, connector)
        .await
        .map_err(|error| error.to_string())?;
    get(stream, path).await
}

/// Connects, GETs `path`, and returns the status with the server certificate that was served.
pub async fn fetch_served(
    address: SocketAddr,
    connector: &TlsConnector,
    path: &str,
) -> Result<(u16, Vec<u8>), String> {
    let stream = connect(address, connector)
        .await
        .map_err(|error| error.to_string())?;
    let served = stream
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|der| der.to_vec())
        .unwrap_or_default();
    Ok((get(stream, path).await?, served))
}

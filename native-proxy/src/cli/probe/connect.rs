//! Connections: the rustls client configuration, TCP connect, the handshake and what it
//! negotiated, and the short wait after a TLS 1.3 handshake in which a server's refusal of
//! the client certificate (an alert) or its session tickets arrive.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mtlskit::Error;
use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::{
    ClientConfig, ClientConnection, HandshakeKind, ProtocolVersion, SupportedProtocolVersion,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::alerts::TlsFailure;
use super::capture::Recorder;
use super::target::Target;
use crate::cli::report::{CliError, no_file};

/// How long to wait after a TLS 1.3 handshake for an alert or a session ticket.
const SETTLE_TIME: Duration = Duration::from_secs(2);

/// What a completed handshake negotiated.
#[derive(Debug, Clone, Default)]
pub struct Negotiated {
    /// `TLSv1.2` or `TLSv1.3`.
    pub version: Option<String>,
    /// The IANA name, e.g. `TLS13_AES_256_GCM_SHA384`.
    pub cipher_suite: Option<String>,
    /// The key exchange group, e.g. `X25519`.
    pub key_exchange: Option<String>,
    /// The ALPN protocol the server chose.
    pub alpn: Option<String>,
    /// Whether this handshake resumed an earlier session.
    pub resumed: bool,
}

/// The rustls client configuration: `versions`, `alpn`, and `recorder` as both the server
/// certificate verifier and the client certificate resolver.
pub fn client_config(
    provider: Arc<CryptoProvider>,
    versions: &[&'static SupportedProtocolVersion],
    alpn: &[String],
    recorder: Arc<Recorder>,
) -> Result<Arc<ClientConfig>, CliError> {
    let verifier: Arc<dyn ServerCertVerifier> = recorder.clone();
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .map_err(|error| usage(format!("TLS versions: {error}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_cert_resolver(recorder);
    config.alpn_protocols = alpn
        .iter()
        .map(|protocol| protocol.as_bytes().to_vec())
        .collect();
    Ok(Arc::new(config))
}

/// Opens the TCP connection; failing to is bad input (exit 2): nothing listens there.
pub async fn tcp(target: &Target, timeout: Duration) -> Result<TcpStream, CliError> {
    let addresses: Vec<SocketAddr> = match target.resolved {
        Some(address) => vec![SocketAddr::new(address, target.port)],
        None => {
            let lookup = tokio::net::lookup_host((target.host.as_str(), target.port));
            match tokio::time::timeout(timeout, lookup).await {
                Ok(Ok(found)) => found.collect(),
                Ok(Err(error)) => {
                    return Err(network(format!("cannot resolve {}: {error}", target.host)));
                }
                Err(_) => {
                    return Err(network(format!(
                        "cannot resolve {}: no answer in {timeout:?}",
                        target.host
                    )));
                }
            }
        }
    };
    let mut last = format!("{} has no address", target.host);
    for address in addresses {
        match tokio::time::timeout(timeout, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => return Ok(stream),
            Ok(Err(error)) => last = format!("cannot connect to {address}: {error}"),
            Err(_) => last = format!("cannot connect to {address}: no answer in {timeout:?}"),
        }
    }
    Err(network(format!(
        "{last} (is the server running, on this port?)"
    )))
}

/// The TLS handshake over `stream`, with its duration.
pub async fn handshake(
    config: Arc<ClientConfig>,
    stream: TcpStream,
    target: &Target,
    timeout: Duration,
) -> (Result<TlsStream<TcpStream>, TlsFailure>, Duration) {
    let started = Instant::now();
    let connect = TlsConnector::from(config).connect(target.server_name.clone(), stream);
    let result = match tokio::time::timeout(timeout, connect).await {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(error)) => Err(TlsFailure::from_io(&error)),
        Err(_) => Err(TlsFailure::Timeout),
    };
    (result, started.elapsed())
}

/// What the handshake of `connection` negotiated.
pub fn negotiated(connection: &ClientConnection) -> Negotiated {
    Negotiated {
        version: connection.protocol_version().map(version_name),
        cipher_suite: connection
            .negotiated_cipher_suite()
            .map(|suite| format!("{:?}", suite.suite())),
        key_exchange: connection
            .negotiated_key_exchange_group()
            .map(|group| format!("{:?}", group.name())),
        alpn: connection
            .alpn_protocol()
            .map(|protocol| String::from_utf8_lossy(protocol).into_owned()),
        resumed: connection.handshake_kind() == Some(HandshakeKind::Resumed),
    }
}

/// After a TLS 1.3 handshake the client has finished before the server has looked at its
/// certificate: reads until the server refuses (an alert), sends a session ticket (it
/// accepted), closes, or `SETTLE_TIME` passes. `None` means no refusal was seen.
pub async fn settle(stream: &mut TlsStream<TcpStream>) -> Option<TlsFailure> {
    let deadline = Instant::now() + SETTLE_TIME;
    let mut buffer = [0_u8; 4096];
    while Instant::now() < deadline {
        if stream.get_ref().1.tls13_tickets_received() > 0 {
            return None;
        }
        let step = Duration::from_millis(50);
        match tokio::time::timeout(step, stream.read(&mut buffer)).await {
            Ok(Ok(0)) => return Some(TlsFailure::Closed),
            Ok(Ok(_)) => return None,
            Ok(Err(error)) => return Some(TlsFailure::from_io(&error)),
            Err(_) => continue,
        }
    }
    None
}

/// Sends close_notify and closes the connection (bounded by `timeout`).
pub async fn close(mut stream: TlsStream<TcpStream>, timeout: Duration) {
    let _ = tokio::time::timeout(timeout, stream.shutdown()).await;
}

/// `TLSv1.3` for `ProtocolVersion::TLSv1_3`, as OpenSSL and curl print it.
fn version_name(version: ProtocolVersion) -> String {
    match version {
        ProtocolVersion::TLSv1_2 => "TLSv1.2".to_owned(),
        ProtocolVersion::TLSv1_3 => "TLSv1.3".to_owned(),
        other => format!("{other:?}"),
    }
}

/// The versions from `--tls-min` to `--tls-max`.
pub fn versions(
    minimum: &str,
    maximum: &str,
) -> Result<Vec<&'static SupportedProtocolVersion>, CliError> {
    let minimum = version_number(minimum, "--tls-min")?;
    let maximum = version_number(maximum, "--tls-max")?;
    if minimum > maximum {
        return Err(usage("--tls-min is above --tls-max".to_owned()));
    }
    Ok([(2, &rustls::version::TLS12), (3, &rustls::version::TLS13)]
        .into_iter()
        .filter(|(number, _)| (minimum..=maximum).contains(number))
        .map(|(_, version)| version)
        .collect())
}

fn version_number(text: &str, flag: &str) -> Result<u8, CliError> {
    let number = text.trim_start_matches("TLSv").trim_start_matches("tls");
    match number {
        "1.2" => Ok(2),
        "1.3" => Ok(3),
        "1.0" | "1" | "1.1" => Err(usage(format!(
            "{flag} {text}: TLS 1.0 and 1.1 are obsolete (RFC 8996) and not supported; use 1.2 or 1.3"
        ))),
        _ => Err(usage(format!("{flag} {text}: expected 1.2 or 1.3"))),
    }
}

fn usage(detail: String) -> CliError {
    no_file(Error::UnrecognizedInput { detail })
}

fn network(detail: String) -> CliError {
    no_file(Error::Io { detail })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn version_ranges() {
        assert_eq!(versions("1.2", "1.3").unwrap().len(), 2);
        assert_eq!(
            versions("1.3", "1.3").unwrap(),
            vec![&rustls::version::TLS13]
        );
        assert_eq!(
            versions("TLSv1.2", "1.2").unwrap(),
            vec![&rustls::version::TLS12]
        );
        assert!(versions("1.3", "1.2").is_err());
        assert!(versions("1.1", "1.3").is_err());
        assert!(versions("2", "1.3").is_err());
    }
}

//! Why a TLS connection ended: an alert from the server (named, with what it usually means),
//! an error rustls raised on our side, the server closing the socket, or a timeout.

use std::io;

use rustls::AlertDescription;
use serde::Serialize;

/// How a handshake or a read failed.
#[derive(Debug, Clone, PartialEq)]
pub enum TlsFailure {
    /// The server sent a fatal alert.
    Alert(AlertDescription),
    /// rustls refused something the server did (or we could not go on).
    Local(rustls::Error),
    /// The server closed the connection without an alert.
    Closed,
    /// No answer within the time limit.
    Timeout,
    /// Another socket error.
    Io(String),
}

/// A received alert as data: `{"name": "certificate_required", "number": 116, "meaning": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlertReport {
    /// The RFC 8446 name.
    pub name: String,
    /// The number on the wire.
    pub number: u8,
    /// What it usually means when a server sends it to a client.
    pub meaning: &'static str,
}

impl TlsFailure {
    /// Finds the rustls error inside an I/O error (tokio-rustls wraps it), or classifies the
    /// I/O error itself.
    pub fn from_io(error: &io::Error) -> Self {
        if let Some(tls) = error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Self::from_rustls(tls);
        }
        if let Some(alert) = alert_in_text(&error.to_string()) {
            return Self::Alert(alert);
        }
        match error.kind() {
            io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe => Self::Closed,
            io::ErrorKind::TimedOut => Self::Timeout,
            _ => Self::Io(error.to_string()),
        }
    }

    /// Looks through an error and its sources (hyper's, io's) for the TLS failure.
    pub fn from_chain(error: &(dyn std::error::Error + 'static)) -> Option<Self> {
        let mut current = Some(error);
        while let Some(error) = current {
            if let Some(tls) = error.downcast_ref::<rustls::Error>() {
                return Some(Self::from_rustls(tls));
            }
            if let Some(io_error) = error.downcast_ref::<io::Error>() {
                return Some(Self::from_io(io_error));
            }
            current = error.source();
        }
        // h2 keeps only the text of I/O errors: "received fatal alert: CertificateRequired"
        let mut current = Some(error);
        while let Some(error) = current {
            if let Some(alert) = alert_in_text(&error.to_string()) {
                return Some(Self::Alert(alert));
            }
            current = error.source();
        }
        None
    }

    fn from_rustls(error: &rustls::Error) -> Self {
        match error {
            rustls::Error::AlertReceived(alert) => Self::Alert(*alert),
            other => Self::Local(other.clone()),
        }
    }

    /// The alert, when the server sent one.
    pub fn alert(&self) -> Option<AlertReport> {
        match self {
            Self::Alert(alert) => Some(report(*alert)),
            _ => None,
        }
    }

    /// One sentence: what happened.
    pub fn describe(&self) -> String {
        match self {
            Self::Alert(alert) => {
                let report = report(*alert);
                format!(
                    "the server sent the TLS alert {} ({}): {}",
                    report.name, report.number, report.meaning
                )
            }
            Self::Local(rustls::Error::InvalidMessage(_)) => {
                "the server answered with something that is not TLS: is this port plain HTTP, or another protocol?".to_owned()
            }
            Self::Local(rustls::Error::PeerIncompatible(reason)) => {
                format!("the server and this client have no TLS parameters in common ({reason:?}): compare --tls-min/--tls-max and the server's protocols and ciphers")
            }
            Self::Local(error) => format!("the handshake failed on our side: {error}"),
            Self::Closed => "the server closed the connection without a TLS alert (servers do this when they refuse a client certificate or a protocol without saying why; its error log says more)".to_owned(),
            Self::Timeout => "the server did not answer in time".to_owned(),
            Self::Io(detail) => format!("socket error: {detail}"),
        }
    }
}

/// The alert named in rustls' message for `AlertReceived`, when `text` holds one.
fn alert_in_text(text: &str) -> Option<AlertDescription> {
    let (_, rest) = text.split_once("received fatal alert: ")?;
    let name: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    (0..=u8::MAX)
        .map(AlertDescription::from)
        .find(|alert| format!("{alert:?}") == name)
}

/// The alert's name, number and usual meaning.
pub fn report(alert: AlertDescription) -> AlertReport {
    let (name, meaning) = describe(alert);
    AlertReport {
        name: name.map_or_else(|| format!("{alert:?}"), str::to_owned),
        number: u8::from(alert),
        meaning,
    }
}

/// RFC 8446 section 6 names, and what each means coming from a server.
fn describe(alert: AlertDescription) -> (Option<&'static str>, &'static str) {
    use AlertDescription as A;
    match alert {
        A::CertificateRequired => (
            Some("certificate_required"),
            "the server requires a client certificate and none was sent (TLS 1.3): pass --cert/--key or --p12",
        ),
        A::BadCertificate => (
            Some("bad_certificate"),
            "the server could not use the client certificate: a wrong signature, a malformed certificate, or (OpenSSL) a chain it could not verify",
        ),
        A::UnknownCA => (
            Some("unknown_ca"),
            "the server does not trust the CA that issued the client certificate: the chain sent does not lead to one of its client CAs (another CA, or the intermediate missing from the client's certificate file)",
        ),
        A::CertificateExpired => (
            Some("certificate_expired"),
            "the client certificate (or a CA above it) has expired, or is not yet valid, by the server's clock",
        ),
        A::CertificateRevoked => (
            Some("certificate_revoked"),
            "the client certificate was revoked by its CA",
        ),
        A::UnsupportedCertificate => (
            Some("unsupported_certificate"),
            "the server does not accept this kind of client certificate (key type, or key usage / extended key usage without clientAuth)",
        ),
        A::CertificateUnknown => (
            Some("certificate_unknown"),
            "the server refused the client certificate for a reason it does not name (often: extended key usage without clientAuth, or a name its rules refuse)",
        ),
        A::AccessDenied => (
            Some("access_denied"),
            "the certificate was valid, but the server's access rules refuse this client",
        ),
        A::HandshakeFailure => (
            Some("handshake_failure"),
            "no common cipher suite, group or signature algorithm, or the server refused the client certificate without saying why",
        ),
        A::ProtocolVersion => (
            Some("protocol_version"),
            "no TLS version in common: the server does not allow the versions offered (--tls-min/--tls-max)",
        ),
        A::InsufficientSecurity => (
            Some("insufficient_security"),
            "the server wants stronger cipher suites than offered",
        ),
        A::NoApplicationProtocol => (
            Some("no_application_protocol"),
            "the server supports none of the ALPN protocols offered (--alpn)",
        ),
        A::UnrecognisedName => (
            Some("unrecognized_name"),
            "the server has no certificate for the SNI name sent (--server-name)",
        ),
        A::DecryptError => (
            Some("decrypt_error"),
            "a handshake signature or Finished check failed: typically the client's private key does not match its certificate",
        ),
        A::IllegalParameter => (
            Some("illegal_parameter"),
            "the server found a field of our handshake invalid",
        ),
        A::DecodeError => (
            Some("decode_error"),
            "the server could not parse a handshake message",
        ),
        A::UnexpectedMessage => (
            Some("unexpected_message"),
            "the server got a message it did not expect at that point",
        ),
        A::InternalError => (
            Some("internal_error"),
            "the server failed internally (its error log says why)",
        ),
        A::MissingExtension => (
            Some("missing_extension"),
            "the server needs a TLS extension that was not sent",
        ),
        A::UnsupportedExtension => (
            Some("unsupported_extension"),
            "the server got an extension it does not allow",
        ),
        A::CloseNotify => (
            Some("close_notify"),
            "the server closed the connection normally",
        ),
        A::UserCanceled => (Some("user_canceled"), "the server cancelled the handshake"),
        A::InappropriateFallback => (
            Some("inappropriate_fallback"),
            "the server saw a version downgrade attempt",
        ),
        A::BadRecordMac => (
            Some("bad_record_mac"),
            "a record failed authentication (corruption or a middlebox)",
        ),
        _ => (None, "an alert this tool has no explanation for"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn alerts_inside_io_errors_are_found_and_named() {
        let wrapped = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::AlertReceived(AlertDescription::CertificateRequired),
        );
        let failure = TlsFailure::from_io(&wrapped);
        let alert = failure.alert().unwrap();
        assert_eq!(
            (alert.name.as_str(), alert.number),
            ("certificate_required", 116)
        );
        assert!(failure.describe().contains("none was sent"));
        assert_eq!(report(AlertDescription::UnknownCA).number, 48);
        let closed = io::Error::from(io::ErrorKind::UnexpectedEof);
        assert_eq!(TlsFailure::from_io(&closed), TlsFailure::Closed);
        assert_eq!(TlsFailure::from_chain(&closed), Some(TlsFailure::Closed));
        let flattened = io::Error::other("received fatal alert: UnknownCA");
        let failure = TlsFailure::from_chain(&flattened);
        assert_eq!(
            failure,
            Some(TlsFailure::Alert(AlertDescription::UnknownCA))
        );
    }
}

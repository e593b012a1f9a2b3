//! Parsing of the small values the configuration is made of: durations (`500ms`, `10s`,
//! `5m`), addresses, `Name: value` headers and the enumerations.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use http::{HeaderName, HeaderValue};

use crate::proxy::error::ProxyError;

/// Parses `500ms`, `10s`, `5m`, `2h`, `1d` or a bare number of seconds.
pub fn duration(text: &str, field: &str) -> Result<Duration, ProxyError> {
    let text = text.trim();
    let split = text
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let invalid = || {
        ProxyError::config(
            field,
            format!("'{text}' is not a duration: write e.g. 500ms, 10s, 5m, 2h or 1d"),
        )
    };
    let value: u64 = number.parse().map_err(|_| invalid())?;
    let seconds = |factor: u64| value.checked_mul(factor).map(Duration::from_secs);
    let parsed = match unit.trim() {
        "ms" => Some(Duration::from_millis(value)),
        "" | "s" => seconds(1),
        "m" => seconds(60),
        "h" => seconds(3600),
        "d" => seconds(86_400),
        _ => None,
    };
    parsed.ok_or_else(invalid)
}

/// A duration where `0` means "none".
pub fn optional_duration(text: &str, field: &str) -> Result<Option<Duration>, ProxyError> {
    let parsed = duration(text, field)?;
    Ok((!parsed.is_zero()).then_some(parsed))
}

/// Where a listener listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenAddress {
    /// An address to bind.
    Socket(SocketAddr),
    /// A socket passed by systemd (socket activation): by `FileDescriptorName=`, or the first
    /// one not claimed by name when `None`.
    Systemd(Option<String>),
}

impl std::fmt::Display for ListenAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Socket(address) => write!(f, "{address}"),
            Self::Systemd(None) => f.write_str("systemd"),
            Self::Systemd(Some(name)) => write!(f, "systemd:{name}"),
        }
    }
}

/// Parses `HOST:PORT` (an IP address; use `[::1]:443` for IPv6) or `systemd[:NAME]`.
pub fn listen_address(text: &str, field: &str) -> Result<ListenAddress, ProxyError> {
    if text == "systemd" {
        return Ok(ListenAddress::Systemd(None));
    }
    if let Some(name) = text.strip_prefix("systemd:") {
        return Ok(ListenAddress::Systemd(Some(name.to_owned())));
    }
    let address = text.parse::<SocketAddr>().map_err(|_| {
        ProxyError::config(
            field,
            format!(
                "'{text}' is not an address to listen on: write IP:PORT such as \
                 127.0.0.1:8443 or [::]:8443, or systemd[:NAME] for socket activation"
            ),
        )
    })?;
    Ok(ListenAddress::Socket(address))
}

/// An upstream address: `HOST:PORT` where HOST is a name or an IP address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Host name or IP address (without brackets).
    pub host: String,
    /// Port.
    pub port: u16,
}

impl Target {
    /// `host:port` as given to a resolver (IPv6 in brackets).
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Parses `HOST:PORT`.
pub fn target(text: &str, field: &str) -> Result<Target, ProxyError> {
    let invalid = || {
        ProxyError::config(
            field,
            format!("'{text}' is not HOST:PORT (e.g. 127.0.0.1:8080 or backend.internal:8080)"),
        )
    };
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Ok(Target {
            host: address.ip().to_string(),
            port: address.port(),
        });
    }
    let (host, port) = text.rsplit_once(':').ok_or_else(invalid)?;
    let port: u16 = port.parse().map_err(|_| invalid())?;
    let valid_host = !host.is_empty()
        && host
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || "-._".contains(character));
    if !valid_host || port == 0 {
        return Err(invalid());
    }
    Ok(Target {
        host: host.to_owned(),
        port,
    })
}

/// Whether `address` is a loopback address (where a plain listener may bind by default).
pub fn is_loopback(address: IpAddr) -> bool {
    address.is_loopback()
}

/// Parses `Name: value`.
pub fn header(text: &str, field: &str) -> Result<(HeaderName, HeaderValue), ProxyError> {
    let invalid = |why: &str| {
        ProxyError::config(
            field,
            format!("'{text}' is not a header ({why}): write 'Name: value'"),
        )
    };
    let (name, value) = text.split_once(':').ok_or_else(|| invalid("no ':'"))?;
    let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| invalid("bad name"))?;
    let value = HeaderValue::from_str(value.trim()).map_err(|_| invalid("bad value"))?;
    Ok((name, value))
}

/// Matches `text` against `choices` (case-insensitive) and returns its index.
pub fn choice(text: &str, choices: &[&str], field: &str) -> Result<usize, ProxyError> {
    choices
        .iter()
        .position(|choice| choice.eq_ignore_ascii_case(text.trim()))
        .ok_or_else(|| {
            ProxyError::config(
                field,
                format!("'{text}' is not one of: {}", choices.join(", ")),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration("500ms", "f"), Ok(Duration::from_millis(500)));
        assert_eq!(duration("10", "f"), Ok(Duration::from_secs(10)));
        assert_eq!(duration("5m", "f"), Ok(Duration::from_secs(300)));
        assert_eq!(duration("1d", "f"), Ok(Duration::from_secs(86_400)));
        assert!(duration("5 minutes", "f").is_err());
        assert!(duration("-1s", "f").is_err());
        assert!(duration("99999999999999999999d", "f").is_err());
        assert_eq!(optional_duration("0s", "f"), Ok(None));
    }

    #[test]
    fn targets_and_addresses() {
        assert_eq!(
            target("127.0.0.1:80", "f").map(|t| t.authority()).ok(),
            Some("127.0.0.1:80".into())
        );
        assert_eq!(
            target("[::1]:80", "f").map(|t| t.authority()).ok(),
            Some("[::1]:80".into())
        );
        assert_eq!(
            target("backend:8080", "f").map(|t| t.host).ok(),
            Some("backend".into())
        );
        assert!(target("backend", "f").is_err());
        assert!(target("a b:80", "f").is_err());
        assert_eq!(
            listen_address("systemd:web", "f"),
            Ok(ListenAddress::Systemd(Some("web".into())))
        );
        assert!(listen_address("localhost:80", "f").is_err());
    }

    #[test]
    fn headers() {
        let (name, value) =
            header("x-ptp-session-id: 0001", "f").unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            (name.as_str(), value.to_str().ok()),
            ("x-ptp-session-id", Some("0001"))
        );
        assert!(header("no colon", "f").is_err());
        assert!(header("bad name: x", "f").is_err());
    }
}

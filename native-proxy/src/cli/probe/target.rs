//! What to connect to: `https://HOST[:PORT][/PATH]` or `HOST:PORT`, with `--resolve`,
//! `--server-name` and `--request` applied. Everything is checked here, before any socket
//! opens.

use std::net::IpAddr;

use mtlskit::Error;
use mtlskit::verify::PeerName;
use rustls_pki_types::ServerName;

use crate::cli::report::{CliError, no_file};

/// Where and how to connect.
#[derive(Debug, Clone)]
pub struct Target {
    /// The host as given (a DNS name or an IP address, without brackets).
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// The address from `--resolve`, when one matches `host:port`.
    pub resolved: Option<IpAddr>,
    /// The name sent as SNI and checked against the certificate (`--server-name`, else `host`).
    pub name: String,
    /// `name` for rustls.
    pub server_name: ServerName<'static>,
    /// The HTTP request to send, if any.
    pub request: Option<Request>,
}

/// An HTTP request line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD`, ...
    pub method: String,
    /// The path and query, starting with `/`.
    pub path: String,
}

impl Target {
    /// Parses the target and the options that change it.
    pub fn parse(
        target: &str,
        server_name: Option<&str>,
        resolve: &[String],
        request: Option<&str>,
    ) -> Result<Self, CliError> {
        let (authority, path) = split_url(target)?;
        let (host, port) = split_host_port(authority, path.is_some())?;
        let resolved = resolved_address(resolve, &host, port)?;
        let name = server_name.unwrap_or(&host).to_owned();
        let server_name = ServerName::try_from(name.clone())
            .map_err(|_| usage(format!("'{name}' is not a valid DNS name or IP address")))?;
        let request = match request {
            Some(line) => Some(parse_request(line)?),
            None => path.map(|path| Request {
                method: "GET".to_owned(),
                path,
            }),
        };
        Ok(Self {
            host,
            port,
            resolved,
            name,
            server_name,
            request,
        })
    }

    /// The SNI value sent, if any: DNS names only, never IP addresses (RFC 6066 section 3).
    pub fn sni(&self) -> Option<String> {
        match &self.server_name {
            ServerName::DnsName(name) => Some(name.as_ref().to_owned()),
            _ => None,
        }
    }

    /// The name the server's certificate must carry.
    pub fn peer_name(&self) -> PeerName {
        match self.name.parse::<IpAddr>() {
            Ok(address) => PeerName::Ip(address),
            Err(_) => PeerName::Dns(self.name.clone()),
        }
    }

    /// `host:port` as typed in a URL authority (IPv6 in brackets).
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Splits `https://authority/path` into its parts; `HOST:PORT` has no path.
fn split_url(target: &str) -> Result<(&str, Option<String>), CliError> {
    let Some((scheme, rest)) = target.split_once("://") else {
        return Ok((target, None));
    };
    if !scheme.eq_ignore_ascii_case("https") {
        return Err(usage(format!(
            "{target}: probe speaks TLS; give an https:// URL or HOST:PORT"
        )));
    }
    let (authority, path) = match rest.find(['/', '?']) {
        Some(position) => rest.split_at(position),
        None => (rest, "/"),
    };
    let path = if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    Ok((authority, Some(path)))
}

/// `host:port`, `[v6]:port`, or just the host for URLs (port 443).
fn split_host_port(authority: &str, is_url: bool) -> Result<(String, u16), CliError> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| usage(format!("{authority}: missing ']' after the IPv6 address")))?;
        (host, after.strip_prefix(':'))
    } else if authority.matches(':').count() > 1 {
        (authority, None)
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(usage(format!("{authority}: no host")));
    }
    let port = match port {
        Some(text) => text
            .parse::<u16>()
            .ok()
            .filter(|port| *port != 0)
            .ok_or_else(|| usage(format!("{authority}: '{text}' is not a TCP port")))?,
        None if is_url => 443,
        None => {
            return Err(usage(format!(
                "{authority}: give HOST:PORT, or an https:// URL (port 443 by default)"
            )));
        }
    };
    Ok((host.to_owned(), port))
}

/// The address of the first `--resolve HOST:PORT:ADDR` entry for `host` and `port`.
fn resolved_address(entries: &[String], host: &str, port: u16) -> Result<Option<IpAddr>, CliError> {
    let mut found = None;
    for entry in entries {
        let mut parts = entry.splitn(3, ':');
        let (Some(name), Some(entry_port), Some(address)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(usage(format!("--resolve {entry}: expected HOST:PORT:ADDR")));
        };
        let address = address.trim_start_matches('[').trim_end_matches(']');
        let address = address.parse::<IpAddr>().map_err(|_| {
            usage(format!(
                "--resolve {entry}: '{address}' is not an IP address"
            ))
        })?;
        let entry_port = entry_port.parse::<u16>().map_err(|_| {
            usage(format!(
                "--resolve {entry}: '{entry_port}' is not a TCP port"
            ))
        })?;
        if found.is_none() && name.eq_ignore_ascii_case(host) && entry_port == port {
            found = Some(address);
        }
    }
    Ok(found)
}

/// `METHOD /path`, or just `/path` (GET).
fn parse_request(line: &str) -> Result<Request, CliError> {
    let mut words = line.split_whitespace();
    let (method, path) = match (words.next(), words.next(), words.next()) {
        (Some(path), None, None) if path.starts_with('/') => ("GET", path),
        (Some(method), Some(path), None) if path.starts_with('/') => (method, path),
        _ => {
            return Err(usage(format!(
                "--request '{line}': expected METHOD /PATH, e.g. 'GET /healthz'"
            )));
        }
    };
    if !method.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return Err(usage(format!(
            "--request '{line}': '{method}' is not an HTTP method"
        )));
    }
    Ok(Request {
        method: method.to_owned(),
        path: path.to_owned(),
    })
}

fn usage(detail: String) -> CliError {
    no_file(Error::UnrecognizedInput { detail })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn parse(target: &str) -> Result<Target, CliError> {
        Target::parse(target, None, &[], None)
    }

    #[test]
    fn urls_default_to_port_443_and_get_slash() {
        let target = parse("https://test.com").unwrap();
        assert_eq!((target.host.as_str(), target.port), ("test.com", 443));
        let request = target.request.unwrap();
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("GET", "/")
        );
        let target = parse("https://test.com:9443/ip?x=1").unwrap();
        assert_eq!(target.port, 9443);
        assert_eq!(target.request.unwrap().path, "/ip?x=1");
    }

    #[test]
    fn host_port_has_no_request_unless_asked() {
        let target = parse("127.0.0.1:8443").unwrap();
        assert!(target.request.is_none());
        assert_eq!(target.sni(), None);
        assert_eq!(target.peer_name(), PeerName::Ip([127, 0, 0, 1].into()));
        let target = Target::parse("[::1]:8443", None, &[], Some("HEAD /x")).unwrap();
        assert_eq!(target.host, "::1");
        assert_eq!(target.authority(), "[::1]:8443");
        assert_eq!(target.request.unwrap().method, "HEAD");
    }

    #[test]
    fn resolve_and_server_name_change_address_and_name() {
        let resolve = vec![
            "other:1:10.0.0.1".to_owned(),
            "test.com:9443:127.0.0.1".to_owned(),
        ];
        let target = Target::parse(
            "https://test.com:9443/",
            Some("api.test.com"),
            &resolve,
            None,
        )
        .unwrap();
        assert_eq!(target.resolved, Some([127, 0, 0, 1].into()));
        assert_eq!(target.sni().as_deref(), Some("api.test.com"));
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        for bad in [
            "http://test.com",
            "test.com",
            "test.com:0",
            "test.com:x",
            "https://:1",
            "[::1",
        ] {
            let error = parse(bad).unwrap_err();
            assert_eq!(error.error.code(), "UnrecognizedInput", "{bad}");
        }
        assert!(Target::parse("a:1", None, &["a:1".to_owned()], None).is_err());
        assert!(Target::parse("a:1", None, &[], Some("get /")).is_err());
        assert!(Target::parse("a:1", Some("bad name!"), &[], None).is_err());
    }
}

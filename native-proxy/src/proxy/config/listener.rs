//! One validated listener.

use std::path::{Path, PathBuf};
use std::time::Duration;

use http::{HeaderName, HeaderValue};

use super::file::{
    RawCertificate, RawClientAuth, RawHttp, RawLimits, RawListener, RawTls, StringOrList,
};
use super::resolve;
use super::values::{self, ListenAddress, Target};
use crate::proxy::error::ProxyError;

/// A validated `[[listener]]`.
#[derive(Debug, Clone)]
pub struct ListenerConfig {
    /// Name in logs and metrics.
    pub name: String,
    /// Which side is TLS.
    pub direction: Direction,
    /// Where to listen.
    pub listen: ListenAddress,
    /// A plain listener may bind a non-loopback address.
    pub allow_public: bool,
    /// Where connections go.
    pub target: Target,
    /// TCP or HTTP.
    pub mode: Mode,
    /// This listener's certificates (server identities, or the one client identity).
    pub certificates: Vec<CertificateSource>,
    /// Client certificate checks (terminate only).
    pub client_auth: Option<ClientAuthConfig>,
    /// Upstream certificate checks (originate only).
    pub upstream_tls: Option<UpstreamTlsConfig>,
    /// TLS parameters.
    pub tls: TlsConfig,
    /// HTTP mode settings.
    pub http: HttpConfig,
    /// TCP mode settings.
    pub tcp: TcpConfig,
    /// Limits and timeouts.
    pub limits: Limits,
}

/// Which side of the proxy speaks TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// mTLS in, plain out.
    Terminate,
    /// Plain in, mTLS out.
    Originate,
}

/// What is proxied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Bytes, both ways.
    Tcp,
    /// HTTP/1.1 and HTTP/2 requests (and gRPC).
    Http,
}

/// A certificate with its private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateSource {
    /// PEM or DER files; `cert` may hold the chain after the leaf.
    Pem {
        /// Certificate (chain) file.
        cert: PathBuf,
        /// Private key file.
        key: PathBuf,
        /// Password file for an encrypted key.
        password_file: Option<PathBuf>,
    },
    /// A PKCS#12 file with the key and chain.
    Pkcs12 {
        /// The `.p12` file.
        file: PathBuf,
        /// Its password file (default: `MTLSKIT_PASSWORD`).
        password_file: Option<PathBuf>,
    },
}

impl CertificateSource {
    fn files(&self) -> Vec<PathBuf> {
        match self {
            Self::Pem {
                cert,
                key,
                password_file,
            } => [Some(cert.clone()), Some(key.clone()), password_file.clone()]
                .into_iter()
                .flatten()
                .collect(),
            Self::Pkcs12 {
                file,
                password_file,
            } => [Some(file.clone()), password_file.clone()]
                .into_iter()
                .flatten()
                .collect(),
        }
    }
}

/// Client certificate checks.
#[derive(Debug, Clone, Default)]
pub struct ClientAuthConfig {
    /// Let clients without a certificate through the handshake (refused per request).
    pub optional: bool,
    /// Trusted CA files.
    pub ca: Vec<PathBuf>,
    /// CRL files.
    pub crl: Vec<PathBuf>,
    /// Allow-lists on the verified identity.
    pub allow: AllowConfig,
}

/// Allow-lists: a verified client is accepted when any entry of any list matches (all empty:
/// every verified client is accepted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowConfig {
    /// Subject common names.
    pub cn: Vec<String>,
    /// Subject organizational units.
    pub ou: Vec<String>,
    /// DNS subjectAltNames.
    pub dns: Vec<String>,
    /// URI subjectAltNames.
    pub uri: Vec<String>,
    /// SubjectPublicKeyInfo SHA-256 pins.
    pub spki: Vec<String>,
}

/// Upstream certificate checks.
#[derive(Debug, Clone, Default)]
pub struct UpstreamTlsConfig {
    /// Trusted CA files.
    pub ca: Vec<PathBuf>,
    /// CRL files.
    pub crl: Vec<PathBuf>,
    /// The name the upstream's certificate must carry.
    pub server_name: String,
}

/// TLS protocol versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TlsVersion {
    /// TLS 1.2.
    Tls12,
    /// TLS 1.3.
    Tls13,
}

/// TLS parameters.
#[derive(Debug, Clone)]
pub struct TlsConfig {
    /// Lowest version accepted.
    pub min_version: TlsVersion,
    /// Highest version accepted.
    pub max_version: TlsVersion,
    /// TLS 1.2 suites as given (validated when the TLS configuration is built).
    pub cipher_suites: Option<Vec<String>>,
    /// Session tickets.
    pub session_tickets: bool,
    /// Session ID cache size (0: off).
    pub session_cache: usize,
    /// ALPN protocols in TCP mode.
    pub alpn: Vec<String>,
    /// Names clients use (terminate), checked against the certificates.
    pub server_names: Vec<String>,
}

/// Which HTTP version is used towards the upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamProtocol {
    /// The version the client used.
    Auto,
    /// Always HTTP/1.1.
    Http1,
    /// Always HTTP/2 (h2c with prior knowledge to a plain upstream).
    Http2,
}

/// Which identity headers go to the upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IdentityHeaders {
    /// Envoy's X-Forwarded-Client-Cert.
    pub xfcc: bool,
    /// RFC 9440 Client-Cert.
    pub client_cert: bool,
    /// RFC 9440 Client-Cert-Chain.
    pub client_cert_chain: bool,
}

/// HTTP mode settings.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Version towards the upstream.
    pub upstream_protocol: UpstreamProtocol,
    /// X-Real-IP, X-Forwarded-For, X-Forwarded-Proto.
    pub forwarded_headers: bool,
    /// Identity headers.
    pub identity_headers: IdentityHeaders,
    /// Headers set (replacing client copies).
    pub set_headers: Vec<(HeaderName, HeaderValue)>,
    /// Headers added.
    pub add_headers: Vec<(HeaderName, HeaderValue)>,
    /// Largest request head, bytes.
    pub max_header_bytes: usize,
}

/// TCP mode settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct TcpConfig {
    /// Send a PROXY protocol v2 header.
    pub proxy_protocol: bool,
}

/// Limits and timeouts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open connections at most.
    pub max_connections: usize,
    /// TLS handshake.
    pub handshake_timeout: Duration,
    /// Request head (HTTP).
    pub header_timeout: Duration,
    /// No traffic either way.
    pub idle_timeout: Option<Duration>,
    /// Whole connection.
    pub max_lifetime: Option<Duration>,
    /// Connecting to the target.
    pub connect_timeout: Duration,
}

impl ListenerConfig {
    /// Validates listener number `index`; `field` prefixes error locations.
    pub fn validate(
        raw: RawListener,
        index: usize,
        base: &Path,
        field: &str,
    ) -> Result<Self, ProxyError> {
        let at = |name: &str| format!("{field}.{name}");
        let direction = match raw.direction.as_deref() {
            None => {
                return Err(ProxyError::config(
                    at("direction"),
                    "missing: write direction = \"terminate\" or \"originate\"",
                ));
            }
            Some(text) => {
                match values::choice(text, &["terminate", "originate"], &at("direction"))? {
                    0 => Direction::Terminate,
                    _ => Direction::Originate,
                }
            }
        };
        let listen_text = raw
            .listen
            .as_deref()
            .ok_or_else(|| ProxyError::config(at("listen"), "missing: the address to listen on"))?;
        let listen = values::listen_address(listen_text, &at("listen"))?;
        if let (Direction::Originate, ListenAddress::Socket(address)) = (direction, &listen) {
            if !raw.allow_public && !values::is_loopback(address.ip()) {
                return Err(ProxyError::config(
                    at("listen"),
                    format!(
                        "an originate listener accepts plain connections and would listen on \
                         {address}, which is not loopback: anyone who reaches it would speak \
                         with this listener's client certificate; use 127.0.0.1, or set \
                         allow_public = true (--allow-public)"
                    ),
                ));
            }
        }
        let target_text = raw.target.as_deref().ok_or_else(|| {
            ProxyError::config(at("target"), "missing: where connections go, HOST:PORT")
        })?;
        let target = values::target(target_text, &at("target"))?;
        let mode = match raw.mode.as_deref() {
            None => Mode::Http,
            Some(text) => match values::choice(text, &["tcp", "http"], &at("mode"))? {
                0 => Mode::Tcp,
                _ => Mode::Http,
            },
        };
        let certificates = certificates(&raw.certificates, direction, base, &at("certificate"))?;
        let (client_auth, upstream_tls) = match direction {
            Direction::Terminate => {
                if raw.upstream_tls.is_some() {
                    return Err(ProxyError::config(
                        at("upstream_tls"),
                        "only for direction = \"originate\"; a terminate listener's upstream is plain",
                    ));
                }
                let auth = raw.client_auth.ok_or_else(|| ProxyError::config(at("client_auth"), "missing: [listener.client_auth] with ca = [\"ca.crt\"] (a terminate listener always verifies clients)"))?;
                (Some(client_auth(auth, base, &at("client_auth"))?), None)
            }
            Direction::Originate => {
                if raw.client_auth.is_some() {
                    return Err(ProxyError::config(
                        at("client_auth"),
                        "only for direction = \"terminate\"; an originate listener's clients are plain",
                    ));
                }
                let upstream = raw.upstream_tls.unwrap_or_default();
                if upstream.ca.is_empty() {
                    return Err(ProxyError::config(
                        at("upstream_tls.ca"),
                        "missing: the CA that issued the upstream's certificate (the upstream is always verified)",
                    ));
                }
                let server_name = upstream
                    .server_name
                    .clone()
                    .unwrap_or_else(|| target.host.clone());
                let paths = |list: &[String]| list.iter().map(|path| resolve(base, path)).collect();
                (
                    None,
                    Some(UpstreamTlsConfig {
                        ca: paths(&upstream.ca),
                        crl: paths(&upstream.crl),
                        server_name,
                    }),
                )
            }
        };
        let tls = tls(&raw.tls, &at("tls"))?;
        if let Some(auth) = &client_auth {
            if auth.optional && mode == Mode::Tcp && !raw.tcp.proxy_protocol {
                return Err(ProxyError::config(
                    at("client_auth.mode"),
                    "optional client authentication in TCP mode would pass unauthenticated bytes to the upstream without telling it: set [listener.tcp] proxy_protocol = true so the upstream sees the verification result, or use mode = \"required\"",
                ));
            }
        }
        Ok(Self {
            name: raw.name.unwrap_or_else(|| format!("listener{index}")),
            direction,
            listen,
            allow_public: raw.allow_public,
            target,
            mode,
            certificates,
            client_auth,
            upstream_tls,
            tls,
            http: http(&raw.http, &at("http"))?,
            tcp: TcpConfig {
                proxy_protocol: raw.tcp.proxy_protocol,
            },
            limits: limits(&raw.limits, &at("limits"))?,
        })
    }

    /// Every file this listener reads.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .certificates
            .iter()
            .flat_map(CertificateSource::files)
            .collect();
        if let Some(auth) = &self.client_auth {
            files.extend(auth.ca.iter().chain(&auth.crl).cloned());
        }
        if let Some(upstream) = &self.upstream_tls {
            files.extend(upstream.ca.iter().chain(&upstream.crl).cloned());
        }
        files
    }
}

fn certificates(
    raw: &[RawCertificate],
    direction: Direction,
    base: &Path,
    field: &str,
) -> Result<Vec<CertificateSource>, ProxyError> {
    if raw.is_empty() {
        let what = match direction {
            Direction::Terminate => "the server certificate and key clients see",
            Direction::Originate => "the client certificate and key presented to the upstream",
        };
        return Err(ProxyError::config(
            field,
            format!("missing: [[listener.certificate]] with cert and key (or p12): {what}"),
        ));
    }
    if direction == Direction::Originate && raw.len() > 1 {
        return Err(ProxyError::config(
            field,
            "an originate listener presents exactly one client certificate",
        ));
    }
    raw.iter()
        .enumerate()
        .map(|(index, entry)| certificate(entry, base, &format!("{field}[{index}]")))
        .collect()
}

fn certificate(
    raw: &RawCertificate,
    base: &Path,
    field: &str,
) -> Result<CertificateSource, ProxyError> {
    let password_file = raw.password_file.as_deref().map(|path| resolve(base, path));
    match (&raw.cert, &raw.key, &raw.p12) {
        (Some(cert), Some(key), None) => Ok(CertificateSource::Pem {
            cert: resolve(base, cert),
            key: resolve(base, key),
            password_file,
        }),
        (None, None, Some(p12)) => Ok(CertificateSource::Pkcs12 {
            file: resolve(base, p12),
            password_file,
        }),
        (Some(_), None, None) => Err(ProxyError::config(
            field,
            "cert without key: add key = \"server.key\" (or use p12 = \"server.p12\")",
        )),
        (None, Some(_), None) => Err(ProxyError::config(
            field,
            "key without cert: add cert = \"server.crt\"",
        )),
        _ => Err(ProxyError::config(
            field,
            "give either cert and key, or p12",
        )),
    }
}

fn client_auth(
    raw: RawClientAuth,
    base: &Path,
    field: &str,
) -> Result<ClientAuthConfig, ProxyError> {
    let optional = match raw.mode.as_deref() {
        None => false,
        Some(text) => {
            values::choice(text, &["required", "optional"], &format!("{field}.mode"))? == 1
        }
    };
    if raw.ca.is_empty() {
        return Err(ProxyError::config(
            format!("{field}.ca"),
            "missing: the CA file(s) that issue client certificates",
        ));
    }
    let allow = AllowConfig {
        cn: raw.allow_cn,
        ou: raw.allow_ou,
        dns: raw.allow_dns,
        uri: raw.allow_uri,
        spki: raw.allow_spki,
    };
    crate::proxy::acl::Acl::new(&allow).map_err(|error| error.at(format!("{field}.allow_spki")))?;
    Ok(ClientAuthConfig {
        optional,
        ca: raw.ca.iter().map(|path| resolve(base, path)).collect(),
        crl: raw.crl.iter().map(|path| resolve(base, path)).collect(),
        allow,
    })
}

fn tls(raw: &RawTls, field: &str) -> Result<TlsConfig, ProxyError> {
    let version = |text: &Option<String>,
                   default: TlsVersion,
                   name: &str|
     -> Result<TlsVersion, ProxyError> {
        match text.as_deref() {
            None => Ok(default),
            Some(text) => {
                let text = text
                    .trim()
                    .trim_start_matches("TLSv")
                    .trim_start_matches("tls");
                match values::choice(text, &["1.2", "1.3"], &format!("{field}.{name}"))? {
                    0 => Ok(TlsVersion::Tls12),
                    _ => Ok(TlsVersion::Tls13),
                }
            }
        }
    };
    let min_version = version(&raw.min_version, TlsVersion::Tls12, "min_version")?;
    let max_version = version(&raw.max_version, TlsVersion::Tls13, "max_version")?;
    if min_version > max_version {
        return Err(ProxyError::config(
            format!("{field}.min_version"),
            "min_version is above max_version",
        ));
    }
    let cipher_suites = raw.cipher_suites.as_ref().map(|suites| match suites {
        StringOrList::Joined(text) => text
            .split(':')
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .collect(),
        StringOrList::List(list) => list.clone(),
    });
    Ok(TlsConfig {
        min_version,
        max_version,
        cipher_suites,
        session_tickets: raw.session_tickets.unwrap_or(true),
        session_cache: raw.session_cache.unwrap_or(4096),
        alpn: raw.alpn.clone(),
        server_names: raw.server_names.clone(),
    })
}

fn http(raw: &RawHttp, field: &str) -> Result<HttpConfig, ProxyError> {
    let upstream_protocol = match raw.upstream_protocol.as_deref() {
        None => UpstreamProtocol::Auto,
        Some(text) => match values::choice(
            text,
            &["auto", "http1", "http2", "h2c"],
            &format!("{field}.upstream_protocol"),
        )? {
            0 => UpstreamProtocol::Auto,
            1 => UpstreamProtocol::Http1,
            _ => UpstreamProtocol::Http2,
        },
    };
    let mut identity_headers = IdentityHeaders {
        xfcc: true,
        ..IdentityHeaders::default()
    };
    if let Some(list) = &raw.identity_headers {
        identity_headers = IdentityHeaders::default();
        for name in list {
            match values::choice(
                name,
                &["xfcc", "client-cert", "client-cert-chain", "none"],
                &format!("{field}.identity_headers"),
            )? {
                0 => identity_headers.xfcc = true,
                1 => identity_headers.client_cert = true,
                2 => identity_headers.client_cert_chain = true,
                _ => {}
            }
        }
    }
    let headers = |list: &[String], name: &str| -> Result<Vec<_>, ProxyError> {
        list.iter()
            .map(|text| values::header(text, &format!("{field}.{name}")))
            .collect()
    };
    let max_header_bytes = raw.max_header_bytes.unwrap_or(65_536);
    if !(8192..=1 << 20).contains(&max_header_bytes) {
        return Err(ProxyError::config(
            format!("{field}.max_header_bytes"),
            "must be between 8192 and 1048576",
        ));
    }
    Ok(HttpConfig {
        upstream_protocol,
        forwarded_headers: raw.forwarded_headers.unwrap_or(true),
        identity_headers,
        set_headers: headers(&raw.set_headers, "set_headers")?,
        add_headers: headers(&raw.add_headers, "add_headers")?,
        max_header_bytes,
    })
}

fn limits(raw: &RawLimits, field: &str) -> Result<Limits, ProxyError> {
    let at = |name: &str| format!("{field}.{name}");
    let required =
        |text: &Option<String>, default: u64, name: &str| -> Result<Duration, ProxyError> {
            let parsed = text
                .as_deref()
                .map_or(Ok(Duration::from_secs(default)), |text| {
                    values::duration(text, &at(name))
                })?;
            if parsed.is_zero() {
                return Err(ProxyError::config(at(name), "must be more than 0"));
            }
            Ok(parsed)
        };
    let optional = |text: &Option<String>, default: u64, name: &str| {
        text.as_deref().map_or(
            Ok((default > 0).then(|| Duration::from_secs(default))),
            |text| values::optional_duration(text, &at(name)),
        )
    };
    let max_connections = raw.max_connections.unwrap_or(10_000);
    if max_connections == 0 {
        return Err(ProxyError::config(
            at("max_connections"),
            "must be at least 1",
        ));
    }
    Ok(Limits {
        max_connections,
        handshake_timeout: required(&raw.handshake_timeout, 10, "handshake_timeout")?,
        header_timeout: required(&raw.header_timeout, 10, "header_timeout")?,
        idle_timeout: optional(&raw.idle_timeout, 300, "idle_timeout")?,
        max_lifetime: optional(&raw.max_lifetime, 0, "max_lifetime")?,
        connect_timeout: required(&raw.connect_timeout, 5, "connect_timeout")?,
    })
}

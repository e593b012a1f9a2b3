//! The `mtlskit.toml` schema as written by people: every field optional where a default
//! exists, unknown fields refused (a typo is an error, never a silently ignored line). The
//! command-line shorthands fill the same structures, so both paths share one validation.

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// `text` (default) or `json`.
    pub log_format: Option<String>,
    /// Address of the Prometheus `/metrics` and `/healthz` endpoint.
    pub metrics: Option<String>,
    /// Let `metrics` bind an address that is not loopback.
    #[serde(default)]
    pub metrics_allow_public: bool,
    /// How long SIGTERM waits for in-flight requests and connections.
    pub drain_timeout: Option<String>,
    /// How often certificate, key, CA and CRL files are checked for changes; `0s` disables.
    pub watch_interval: Option<String>,
    /// `proxy check` warns when a certificate expires within this duration.
    pub expiry_warning: Option<String>,
    /// The listeners.
    #[serde(default, rename = "listener")]
    pub listeners: Vec<RawListener>,
}

/// One `[[listener]]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawListener {
    /// A name for logs and metrics (default `listener<N>`).
    pub name: Option<String>,
    /// `terminate` (TLS in, plain out) or `originate` (plain in, TLS out).
    pub direction: Option<String>,
    /// `HOST:PORT`, or `systemd` / `systemd:NAME` for a socket passed by systemd.
    pub listen: Option<String>,
    /// Let a plain (originate) listener bind an address that is not loopback.
    #[serde(default)]
    pub allow_public: bool,
    /// Where connections go: `HOST:PORT`.
    pub target: Option<String>,
    /// `http` (default) or `tcp`.
    pub mode: Option<String>,
    /// This listener's own certificates: the server's (terminate; several are chosen by SNI)
    /// or the client's (originate; exactly one).
    #[serde(default, rename = "certificate")]
    pub certificates: Vec<RawCertificate>,
    /// Client certificate checks (terminate).
    pub client_auth: Option<RawClientAuth>,
    /// Upstream server checks (originate).
    pub upstream_tls: Option<RawUpstreamTls>,
    /// Protocol versions, cipher suites, resumption.
    #[serde(default)]
    pub tls: RawTls,
    /// HTTP mode settings.
    #[serde(default)]
    pub http: RawHttp,
    /// TCP mode settings.
    #[serde(default)]
    pub tcp: RawTcp,
    /// Connection limits and timeouts.
    #[serde(default)]
    pub limits: RawLimits,
}

/// One `[[listener.certificate]]`: `cert` + `key` (PEM; `cert` may be a fullchain), or `p12`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCertificate {
    /// Certificate file, leaf first, optionally followed by its intermediates.
    pub cert: Option<String>,
    /// Private key file (PKCS#8, PKCS#1 or SEC1 PEM/DER).
    pub key: Option<String>,
    /// A PKCS#12 file holding the key and the chain instead of `cert` + `key`.
    pub p12: Option<String>,
    /// File whose first line is the password of `p12` or of an encrypted `key` (default: the
    /// `MTLSKIT_PASSWORD` environment variable; never on the command line).
    pub password_file: Option<String>,
}

/// `[listener.client_auth]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClientAuth {
    /// `required` (default) or `optional`.
    pub mode: Option<String>,
    /// Trusted CA certificate files.
    #[serde(default)]
    pub ca: Vec<String>,
    /// CRL files.
    #[serde(default)]
    pub crl: Vec<String>,
    /// Allowed subject common names (`*` wildcards).
    #[serde(default)]
    pub allow_cn: Vec<String>,
    /// Allowed subject organizational units.
    #[serde(default)]
    pub allow_ou: Vec<String>,
    /// Allowed DNS subjectAltNames.
    #[serde(default)]
    pub allow_dns: Vec<String>,
    /// Allowed URI subjectAltNames (SPIFFE IDs).
    #[serde(default)]
    pub allow_uri: Vec<String>,
    /// Allowed SHA-256 hashes of the SubjectPublicKeyInfo (hex or base64).
    #[serde(default)]
    pub allow_spki: Vec<String>,
}

/// `[listener.upstream_tls]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpstreamTls {
    /// CA certificate files trusted for the upstream's certificate.
    #[serde(default)]
    pub ca: Vec<String>,
    /// CRL files.
    #[serde(default)]
    pub crl: Vec<String>,
    /// The name the upstream certificate must have (default: the target's host).
    pub server_name: Option<String>,
}

/// `[listener.tls]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTls {
    /// `1.2` (default) or `1.3`.
    pub min_version: Option<String>,
    /// `1.2` or `1.3` (default).
    pub max_version: Option<String>,
    /// TLS 1.2 cipher suites, OpenSSL or IANA names, as a list or one `:`-separated string.
    pub cipher_suites: Option<StringOrList>,
    /// Session tickets (stateless resumption); default true.
    pub session_tickets: Option<bool>,
    /// Session IDs kept for stateful resumption; 0 disables; default 4096.
    pub session_cache: Option<usize>,
    /// ALPN protocols offered in TCP mode (HTTP mode always uses h2 and http/1.1).
    #[serde(default)]
    pub alpn: Vec<String>,
    /// Names clients use to reach a terminate listener: `check` verifies that a certificate
    /// covers each.
    #[serde(default)]
    pub server_names: Vec<String>,
}

/// A list given either as a TOML array or as one `:`-separated string (OpenSSL's form).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum StringOrList {
    /// `"A:B:C"`.
    Joined(String),
    /// `["A", "B", "C"]`.
    List(Vec<String>),
}

/// `[listener.http]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHttp {
    /// `auto` (HTTP/2 in goes out as HTTP/2, HTTP/1.1 as HTTP/1.1), `http1` or `http2`.
    pub upstream_protocol: Option<String>,
    /// Send X-Real-IP, X-Forwarded-For and X-Forwarded-Proto; default true.
    pub forwarded_headers: Option<bool>,
    /// Which identity headers to send: `xfcc`, `client-cert`, `client-cert-chain`.
    pub identity_headers: Option<Vec<String>>,
    /// Headers set on every upstream request, `"Name: value"` (replacing any client copy).
    #[serde(default)]
    pub set_headers: Vec<String>,
    /// Headers added to every upstream request, `"Name: value"`.
    #[serde(default)]
    pub add_headers: Vec<String>,
    /// Largest request head accepted, in bytes (default 65536).
    pub max_header_bytes: Option<usize>,
}

/// `[listener.tcp]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTcp {
    /// Send a PROXY protocol v2 header with the TLS details to the upstream.
    #[serde(default)]
    pub proxy_protocol: bool,
}

/// `[listener.limits]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    /// Open connections at most; further clients wait in the kernel's backlog.
    pub max_connections: Option<usize>,
    /// Time allowed for the TLS handshake.
    pub handshake_timeout: Option<String>,
    /// Time allowed for a request head to arrive (HTTP mode).
    pub header_timeout: Option<String>,
    /// A connection with no traffic either way for this long is closed; `0s` disables.
    pub idle_timeout: Option<String>,
    /// A connection is closed after this long whatever it does; `0s` (default) disables.
    pub max_lifetime: Option<String>,
    /// Time allowed to connect to the target.
    pub connect_timeout: Option<String>,
}

//! What a listener loads from its files: TLS configurations, trust, allow-lists. Built in
//! full before it replaces the previous one (startup and every reload), so a broken file
//! never leaves a listener half-configured.

use std::sync::Arc;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ServerConfig};

use super::acl::Acl;
use super::client_auth::CoreClientVerifier;
use super::config::{Direction, ListenerConfig, Mode};
use super::credentials::{self, LoadedCertificate, LoadedCrl};
use super::error::ProxyError;
use super::tls;
use super::upstream_auth::CoreServerVerifier;

/// A listener's loaded state.
#[derive(Debug)]
pub struct ListenerState {
    /// TLS server configuration (terminate).
    pub server: Option<Arc<ServerConfig>>,
    /// The client certificate verifier, for verifying resumed sessions again (terminate).
    pub client_verifier: Option<Arc<CoreClientVerifier>>,
    /// Allow-lists (terminate).
    pub acl: Acl,
    /// TLS towards the upstream (originate).
    pub upstream: Option<UpstreamTls>,
    /// The certificates this listener presents.
    pub certificates: Vec<LoadedCertificate>,
    /// The CRLs it checks against.
    pub crls: Vec<LoadedCrl>,
    /// Things worth a warning (skipped cipher suites).
    pub warnings: Vec<String>,
}

/// TLS client configurations towards the upstream, one per ALPN offer.
#[derive(Debug, Clone)]
pub struct UpstreamTls {
    /// The name verified in the upstream's certificate and sent as SNI.
    pub server_name: ServerName<'static>,
    /// TCP mode: the configured ALPN list.
    pub tcp: Arc<ClientConfig>,
    /// HTTP/1.1: ALPN `http/1.1`.
    pub http1: Arc<ClientConfig>,
    /// HTTP/2: ALPN `h2`.
    pub http2: Arc<ClientConfig>,
    /// Both, `h2` first: to learn whether the upstream speaks HTTP/2.
    pub any: Arc<ClientConfig>,
}

impl ListenerState {
    /// Loads every file of `config`.
    pub fn load(config: &ListenerConfig) -> Result<Self, ProxyError> {
        let provider = tls::provider();
        let certificates = config
            .certificates
            .iter()
            .map(|source| credentials::load_certificate(source, &provider))
            .collect::<Result<Vec<_>, _>>()?;
        let field = format!("listener '{}'", config.name);
        match config.direction {
            Direction::Terminate => Self::terminate(config, certificates, &field),
            Direction::Originate => Self::originate(config, certificates, &field),
        }
    }

    fn terminate(
        config: &ListenerConfig,
        certificates: Vec<LoadedCertificate>,
        field: &str,
    ) -> Result<Self, ProxyError> {
        let auth = config.client_auth.clone().unwrap_or_default();
        let (trust, crls) = credentials::load_trust(&auth.ca, &auth.crl)?;
        let algorithms = tls::provider().signature_verification_algorithms;
        let verifier = Arc::new(CoreClientVerifier::new(
            Arc::new(trust),
            auth.optional,
            algorithms,
        ));
        let (server, warnings) = tls::server_config(
            &config.tls,
            config.mode,
            certificates.clone(),
            verifier.clone(),
            field,
        )?;
        Ok(Self {
            server: Some(Arc::new(server)),
            client_verifier: Some(verifier),
            acl: Acl::new(&auth.allow)?,
            upstream: None,
            certificates,
            crls,
            warnings,
        })
    }

    fn originate(
        config: &ListenerConfig,
        certificates: Vec<LoadedCertificate>,
        field: &str,
    ) -> Result<Self, ProxyError> {
        let upstream = config.upstream_tls.clone().unwrap_or_default();
        let (trust, crls) = credentials::load_trust(&upstream.ca, &upstream.crl)?;
        let algorithms = tls::provider().signature_verification_algorithms;
        let verifier = Arc::new(CoreServerVerifier::new(Arc::new(trust), algorithms));
        let server_name = ServerName::try_from(upstream.server_name.clone()).map_err(|_| {
            ProxyError::config(
                format!("{field}: upstream_tls.server_name"),
                format!("'{}' is not a DNS name or IP address", upstream.server_name),
            )
        })?;
        let certificate = certificates
            .first()
            .ok_or_else(|| ProxyError::config(field, "no client certificate"))?;
        let build = |alpn: Vec<Vec<u8>>| {
            tls::client_config(&config.tls, certificate, verifier.clone(), alpn, field)
        };
        let (tcp, warnings) = build(tls::alpn(Mode::Tcp, &config.tls))?;
        let (http1, _) = build(vec![b"http/1.1".to_vec()])?;
        let (http2, _) = build(vec![b"h2".to_vec()])?;
        let (any, _) = build(vec![b"h2".to_vec(), b"http/1.1".to_vec()])?;
        Ok(Self {
            server: None,
            client_verifier: None,
            acl: Acl::default(),
            upstream: Some(UpstreamTls {
                server_name,
                tcp: Arc::new(tcp),
                http1: Arc::new(http1),
                http2: Arc::new(http2),
                any: Arc::new(any),
            }),
            certificates,
            crls,
            warnings,
        })
    }
}

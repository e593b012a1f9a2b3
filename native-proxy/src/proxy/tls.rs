//! rustls configurations: the server side of a terminate listener (certificates chosen by
//! SNI, client certificates verified by the core, versions, TLS 1.2 suites, ALPN, session
//! tickets and IDs) and the client side of an originate listener.

use std::sync::Arc;

use rustls::client::ResolvesClientCert;
use rustls::crypto::CryptoProvider;
use rustls::server::{ClientHello, ResolvesServerCert, ServerSessionMemoryCache};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, ServerConfig, SignatureScheme, SupportedProtocolVersion};

use super::client_auth::CoreClientVerifier;
use super::config::{Mode, TlsConfig, TlsVersion};
use super::credentials::LoadedCertificate;
use super::error::ProxyError;
use super::upstream_auth::CoreServerVerifier;

/// The crypto provider every configuration uses: the native binary's (`crate::tls`).
pub fn provider() -> CryptoProvider {
    crate::tls::provider().as_ref().clone()
}

/// OpenSSL names of the TLS 1.2 suites rustls implements, with their IANA names.
const SUPPORTED_SUITES: &[(&str, &str)] = &[
    (
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    ),
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    ),
    (
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    ),
    (
        "ECDHE-RSA-AES256-GCM-SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    ),
    (
        "ECDHE-RSA-AES128-GCM-SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    ),
    (
        "ECDHE-RSA-CHACHA20-POLY1305",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    ),
];

/// OpenSSL names of real TLS 1.2 suites that rustls deliberately does not implement (CBC,
/// static RSA key exchange, DHE): common in existing configurations (the field notes' nginx
/// list has four), so they are skipped with a warning, as OpenSSL skips what it cannot use.
const UNIMPLEMENTED_SUITES: &[&str] = &[
    "ECDHE-ECDSA-AES256-SHA384",
    "ECDHE-RSA-AES256-SHA384",
    "ECDHE-ECDSA-AES128-SHA256",
    "ECDHE-RSA-AES128-SHA256",
    "ECDHE-ECDSA-AES256-SHA",
    "ECDHE-RSA-AES256-SHA",
    "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES128-SHA",
    "ECDHE-ECDSA-AES256-CCM",
    "ECDHE-ECDSA-AES128-CCM",
    "DHE-RSA-AES256-GCM-SHA384",
    "DHE-RSA-AES128-GCM-SHA256",
    "DHE-RSA-CHACHA20-POLY1305",
    "DHE-RSA-AES256-SHA256",
    "DHE-RSA-AES128-SHA256",
    "DHE-RSA-AES256-SHA",
    "DHE-RSA-AES128-SHA",
    "AES256-GCM-SHA384",
    "AES128-GCM-SHA256",
    "AES256-SHA256",
    "AES128-SHA256",
    "AES256-SHA",
    "AES128-SHA",
    "DES-CBC3-SHA",
];

/// OpenSSL cipher-string keywords that select every suite rustls implements.
const ALL_SUITES_KEYWORDS: &[&str] = &[
    "HIGH", "DEFAULT", "ALL", "ECDHE", "EECDH", "AESGCM", "CHACHA20",
];

/// Whether `name` is a real suite rustls does not implement, in OpenSSL or IANA spelling.
fn is_unimplemented(name: &str) -> bool {
    if UNIMPLEMENTED_SUITES.contains(&name) {
        return true;
    }
    name.starts_with("TLS_")
        && (name.contains("_CBC_")
            || name.contains("_CCM")
            || name.starts_with("TLS_RSA_WITH_")
            || name.starts_with("TLS_DHE_"))
}

/// The TLS 1.2 suites of `tls`, in order, with warnings about skipped names; `None` keeps the
/// provider's list.
pub fn tls12_suites(
    tls: &TlsConfig,
    field: &str,
) -> Result<(CryptoProvider, Vec<String>), ProxyError> {
    let mut provider = provider();
    let Some(names) = &tls.cipher_suites else {
        return Ok((provider, Vec::new()));
    };
    let (tls13, available): (Vec<_>, Vec<_>) = provider
        .cipher_suites
        .iter()
        .copied()
        .partition(|suite| suite.tls13().is_some());
    let mut chosen = Vec::new();
    let mut warnings = Vec::new();
    for name in names {
        let upper = name.trim().to_ascii_uppercase();
        let iana = SUPPORTED_SUITES
            .iter()
            .find(|(openssl, iana)| *openssl == upper || *iana == upper)
            .map(|(_, iana)| *iana);
        match iana {
            Some(iana) => chosen.extend(
                available
                    .iter()
                    .filter(|suite| format!("{:?}", suite.suite()) == iana),
            ),
            None if ALL_SUITES_KEYWORDS.contains(&upper.as_str()) => {
                chosen.extend(available.iter())
            }
            None if is_unimplemented(&upper) || upper.starts_with(['!', '-', '+', '@']) => {
                warnings.push(format!("{field}: cipher suite {name} is not implemented by rustls (CBC, static RSA and DHE suites are not) or is an OpenSSL exclusion: skipped"));
            }
            None => {
                let known: Vec<&str> = SUPPORTED_SUITES
                    .iter()
                    .map(|(openssl, _)| *openssl)
                    .collect();
                return Err(ProxyError::config(
                    field,
                    format!(
                        "unknown cipher suite '{name}'; TLS 1.2 suites available: {}",
                        known.join(":")
                    ),
                ));
            }
        }
    }
    if chosen.is_empty() && tls.min_version == TlsVersion::Tls12 {
        return Err(ProxyError::config(
            field,
            "none of these cipher suites can be used: TLS 1.2 would have no suite",
        ));
    }
    provider.cipher_suites = tls13.into_iter().chain(chosen).collect();
    Ok((provider, warnings))
}

/// The protocol versions between `min` and `max`.
pub fn versions(tls: &TlsConfig) -> Vec<&'static SupportedProtocolVersion> {
    let mut versions = Vec::new();
    if tls.min_version <= TlsVersion::Tls13 && tls.max_version >= TlsVersion::Tls13 {
        versions.push(&rustls::version::TLS13);
    }
    if tls.min_version <= TlsVersion::Tls12 {
        versions.push(&rustls::version::TLS12);
    }
    versions
}

/// ALPN protocols offered by a listener in `mode`.
pub fn alpn(mode: Mode, tls: &TlsConfig) -> Vec<Vec<u8>> {
    match mode {
        Mode::Http => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        Mode::Tcp => tls
            .alpn
            .iter()
            .map(|name| name.as_bytes().to_vec())
            .collect(),
    }
}

/// The server configuration of a terminate listener.
pub fn server_config(
    tls: &TlsConfig,
    mode: Mode,
    certificates: Vec<LoadedCertificate>,
    verifier: Arc<CoreClientVerifier>,
    field: &str,
) -> Result<(ServerConfig, Vec<String>), ProxyError> {
    let (provider, warnings) = tls12_suites(tls, &format!("{field}.tls.cipher_suites"))?;
    let provider = Arc::new(provider);
    let mut config = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&versions(tls))
        .map_err(|error| ProxyError::config(format!("{field}.tls"), error.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_cert_resolver(Arc::new(SniResolver { certificates }));
    config.alpn_protocols = alpn(mode, tls);
    config.ignore_client_order = tls.cipher_suites.is_some();
    config.session_storage = if tls.session_cache > 0 {
        ServerSessionMemoryCache::new(tls.session_cache)
    } else {
        Arc::new(rustls::server::NoServerSessionStorage {})
    };
    if tls.session_tickets {
        config.ticketer = rustls::crypto::ring::Ticketer::new()
            .map_err(|error| ProxyError::new("TlsConfig", error.to_string()))?;
    }
    if tls.session_cache == 0 && !tls.session_tickets {
        config.send_tls13_tickets = 0;
    }
    Ok((config, warnings))
}

/// The client configuration of an originate listener, offering `alpn`.
pub fn client_config(
    tls: &TlsConfig,
    certificate: &LoadedCertificate,
    verifier: Arc<CoreServerVerifier>,
    alpn: Vec<Vec<u8>>,
    field: &str,
) -> Result<(ClientConfig, Vec<String>), ProxyError> {
    let (provider, warnings) = tls12_suites(tls, &format!("{field}.tls.cipher_suites"))?;
    let mut config = ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&versions(tls))
        .map_err(|error| ProxyError::config(format!("{field}.tls"), error.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_cert_resolver(Arc::new(OneClientCertificate(
            certificate.certified.clone(),
        )));
    config.alpn_protocols = alpn;
    Ok((config, warnings))
}

/// Chooses among a listener's certificates by the SNI name (exact or `*.` wildcard SAN) and
/// the client's signature schemes; the first certificate is the default.
#[derive(Debug)]
struct SniResolver {
    certificates: Vec<LoadedCertificate>,
}

impl ResolvesServerCert for SniResolver {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let usable = |certificate: &&LoadedCertificate| {
            certificate
                .certified
                .key
                .choose_scheme(hello.signature_schemes())
                .is_some()
        };
        if let Some(name) = hello.server_name() {
            let named = self
                .certificates
                .iter()
                .filter(|certificate| covers(&certificate.identity.dns_names, name));
            if let Some(found) = named.clone().find(usable).or(named.clone().next()) {
                return Some(found.certified.clone());
            }
        }
        let first = self
            .certificates
            .iter()
            .find(usable)
            .or(self.certificates.first());
        first.map(|certificate| certificate.certified.clone())
    }
}

/// Whether one of `names` (dNSName SANs) covers `host` (RFC 6125: `*` only as the whole
/// left-most label).
pub fn covers(names: &[String], host: &str) -> bool {
    names.iter().any(|name| {
        if name.eq_ignore_ascii_case(host) {
            return true;
        }
        let Some(suffix) = name.strip_prefix("*.") else {
            return false;
        };
        host.split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest.eq_ignore_ascii_case(suffix))
    })
}

/// Always presents the one configured client certificate.
#[derive(Debug)]
struct OneClientCertificate(Arc<CertifiedKey>);

impl ResolvesClientCert for OneClientCertificate {
    fn resolve(&self, _hints: &[&[u8]], schemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        self.0.key.choose_scheme(schemes).map(|_| self.0.clone())
    }

    fn has_certs(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tls(suites: &[&str]) -> TlsConfig {
        TlsConfig {
            min_version: TlsVersion::Tls12,
            max_version: TlsVersion::Tls12,
            cipher_suites: Some(suites.iter().map(|name| (*name).to_owned()).collect()),
            session_tickets: true,
            session_cache: 16,
            alpn: Vec::new(),
            server_names: Vec::new(),
        }
    }

    #[test]
    fn the_field_note_suite_list_works() {
        let note = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256";
        let names: Vec<&str> = note.split(':').collect();
        let (provider, warnings) =
            tls12_suites(&tls(&names), "f").unwrap_or_else(|error| panic!("{error}"));
        let tls12: Vec<String> = provider
            .cipher_suites
            .iter()
            .filter(|suite| suite.tls13().is_none())
            .map(|suite| format!("{:?}", suite.suite()))
            .collect();
        assert_eq!(tls12.len(), 6);
        assert_eq!(
            tls12.first().map(String::as_str),
            Some("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")
        );
        assert_eq!(warnings.len(), 4, "{warnings:?}");
    }

    #[test]
    fn unknown_suites_are_errors() {
        assert!(tls12_suites(&tls(&["ECDHE-ECDSA-AES256-GCM-SHA348"]), "f").is_err());
        assert!(tls12_suites(&tls(&["ECDHE-RSA-AES128-SHA256"]), "f").is_err());
        let (provider, _) = tls12_suites(&tls(&["HIGH", "!aNULL", "!MD5"]), "f")
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(provider.cipher_suites.len(), 9);
    }

    #[test]
    fn sni_names() {
        let names = vec!["test.com".to_owned(), "*.example.org".to_owned()];
        assert!(covers(&names, "TEST.com"));
        assert!(covers(&names, "a.example.org"));
        assert!(!covers(&names, "a.b.example.org"));
        assert!(!covers(&names, "example.org"));
    }
}

//! Reading a listener's files: certificate chains with their private keys (PEM, DER or
//! PKCS#12, through `crate::tls::credentials`, shared with `probe`), trusted CAs and CRLs.
//! Every problem names its file; passwords are wiped after use.

use std::path::Path;
use std::sync::Arc;

use mtlskit::UnixTime;
use mtlskit::decode::{self, Kind};
use mtlskit::verify::Item;
use mtlskit::x509;
use rustls::DistinguishedName;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::sign::CertifiedKey;
use zeroize::Zeroizing;

use super::client_auth::Trust;
use super::config::CertificateSource;
use super::error::ProxyError;
use super::identity::Identity;
use crate::cli::files;
use crate::tls::credentials;

/// A certificate chain with its key, ready for rustls.
#[derive(Debug, Clone)]
pub struct LoadedCertificate {
    /// Chain and signing key.
    pub certified: Arc<CertifiedKey>,
    /// The leaf's identity (names for SNI, subject and expiry for checks and metrics).
    pub identity: Identity,
    /// The file it came from.
    pub file: String,
}

/// A CRL's file and next update, for checks and metrics.
#[derive(Debug, Clone)]
pub struct LoadedCrl {
    /// The file.
    pub file: String,
    /// nextUpdate, when present.
    pub next_update: Option<UnixTime>,
}

/// Loads the chain and key of `source` (with the loaders `probe` uses too).
pub fn load_certificate(
    source: &CertificateSource,
    provider: &CryptoProvider,
) -> Result<LoadedCertificate, ProxyError> {
    let loaded = match source {
        CertificateSource::Pem {
            cert,
            key,
            password_file,
        } => {
            let password = password(password_file.as_deref())?;
            let password = password.as_deref().map(String::as_str);
            credentials::from_pem_files(&display(cert), &display(key), password, provider)
        }
        CertificateSource::Pkcs12 {
            file,
            password_file,
        } => {
            let password = password(password_file.as_deref())?;
            credentials::from_pkcs12_file(
                &display(file),
                password.as_deref().map_or("", String::as_str),
                provider,
            )
        }
    }
    .map_err(ProxyError::from)?;
    let file = loaded.source.clone();
    let identity = Identity::from_chain(&loaded.certified_key.cert).ok_or_else(|| {
        ProxyError::new("InvalidDer", "the certificate cannot be parsed").at(&file)
    })?;
    Ok(LoadedCertificate {
        certified: loaded.certified_key,
        identity,
        file,
    })
}

/// Loads trusted CAs and CRLs.
pub fn load_trust(
    ca_files: &[std::path::PathBuf],
    crl_files: &[std::path::PathBuf],
) -> Result<(Trust, Vec<LoadedCrl>), ProxyError> {
    let mut trust = Trust::default();
    for path in ca_files {
        let file = display(path);
        for (index, der) in read_certificates(path)?.into_iter().enumerate() {
            let certificate =
                x509::parse_certificate(&der).map_err(|error| ProxyError::core(&error, &file))?;
            let subject =
                der::Encode::to_der(certificate.tbs_certificate().subject()).map_err(|_| {
                    ProxyError::new("InvalidDer", "a subject cannot be encoded").at(&file)
                })?;
            trust.subjects.push(DistinguishedName::from(subject));
            trust
                .anchors
                .push(Item::new(der.to_vec(), format!("{file} #{}", index + 1)));
        }
    }
    let mut crls = Vec::new();
    for path in crl_files {
        let file = display(path);
        let found = read_items(path, Kind::Crl, "CRL")?;
        for der in found {
            let crl = x509::parse_crl(&der).map_err(|error| ProxyError::core(&error, &file))?;
            crls.push(LoadedCrl {
                file: file.clone(),
                next_update: crl
                    .tbs_cert_list
                    .next_update
                    .as_ref()
                    .map(UnixTime::from_x509),
            });
            trust.crls.push(Item::new(der, file.clone()));
        }
    }
    Ok((trust, crls))
}

/// Every certificate in `path`, as rustls DER.
pub fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, ProxyError> {
    Ok(read_items(path, Kind::Certificate, "certificate")?
        .into_iter()
        .map(CertificateDer::from)
        .collect())
}

fn read_items(path: &Path, kind: Kind, what: &str) -> Result<Vec<Vec<u8>>, ProxyError> {
    let file = display(path);
    let bytes = files::read_input(&file).map_err(ProxyError::from)?;
    let blocks = decode::blocks(&bytes).map_err(|error| ProxyError::core(&error, &file))?;
    let mut found = Vec::new();
    for block in blocks {
        let block = block.map_err(|error| ProxyError::core(&error, &file))?;
        if decode::sniff(block.label.as_deref(), &block.der).ok() == Some(kind) {
            found.push(block.der);
        }
    }
    if found.is_empty() {
        return Err(
            ProxyError::new("UnrecognizedInput", format!("no {what} in this file")).at(file),
        );
    }
    Ok(found)
}

/// The password from `password_file` (first line) or `MTLSKIT_PASSWORD`.
fn password(password_file: Option<&Path>) -> Result<Option<Zeroizing<String>>, ProxyError> {
    let Some(path) = password_file else {
        return Ok(std::env::var("MTLSKIT_PASSWORD").ok().map(Zeroizing::new));
    };
    let bytes = Zeroizing::new(files::read_input(&display(path)).map_err(ProxyError::from)?);
    let text = String::from_utf8_lossy(&bytes);
    Ok(Some(Zeroizing::new(
        text.lines().next().unwrap_or_default().to_owned(),
    )))
}

/// A path as text for messages.
pub fn display(path: &Path) -> String {
    path.display().to_string()
}

//! Reading a listener's files: certificate chains with their private keys (PEM, DER or
//! PKCS#12, through `crate::tls::credentials`, shared with `probe`), trusted CAs and CRLs.
//! Every problem names its file; passwords are wiped after use.

use std::path::Path;
use std::sync::Arc;

use mtlskit::UnixTime;
use mtlskit::decode::{self, Kind};
use mtlskit::secret::Password;
use mtlskit::verify::{Item, TrustStore};
use mtlskit::x509;
use rustls::DistinguishedName;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::sign::CertifiedKey;

use super::client_auth::Trust;
use super::config::CertificateSource;
use super::error::ProxyError;
use super::identity::Identity;
use crate::cli::{args, files};
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
            let password = password.as_ref().map(Password::as_str);
            credentials::from_pem_files(&display(cert), &display(key), password, provider)
        }
        CertificateSource::Pkcs12 {
            file,
            password_file,
        } => {
            let password = password(password_file.as_deref())?.unwrap_or_default();
            credentials::from_pkcs12_file(&display(file), &password, provider)
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
    let mut anchors = Vec::new();
    let mut subjects = Vec::new();
    for path in ca_files {
        let file = display(path);
        for (index, der) in read_certificates(path)?.into_iter().enumerate() {
            let certificate =
                x509::parse_certificate(&der).map_err(|error| ProxyError::core(&error, &file))?;
            subjects.push(DistinguishedName::from(certificate.subject().to_der()));
            anchors.push(Item::new(der.to_vec(), format!("{file} #{}", index + 1)));
        }
    }
    let mut crls = Vec::new();
    let mut crl_items = Vec::new();
    for path in crl_files {
        let file = display(path);
        let found = read_items(path, Kind::Crl, "CRL")?;
        for der in found {
            let crl = x509::parse_crl(&der).map_err(|error| ProxyError::core(&error, &file))?;
            crls.push(LoadedCrl {
                file: file.clone(),
                next_update: crl.next_update,
            });
            crl_items.push(Item::new(der, file.clone()));
        }
    }
    let store = TrustStore::new(&anchors, &crl_items).map_err(|failure| {
        ProxyError::new(failure.code, failure.explanation().replace('\n', "; "))
    })?;
    let trust = Trust {
        anchors,
        store: Arc::new(store),
        subjects,
    };
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
fn password(password_file: Option<&Path>) -> Result<Option<Password>, ProxyError> {
    let file = password_file.map(display);
    args::password_from(file.as_deref(), "MTLSKIT_PASSWORD").map_err(ProxyError::from)
}

/// A path as text for messages.
pub fn display(path: &Path) -> String {
    path.display().to_string()
}

//! `bundle`: a whole private PKI as PEM strings in one value, ready for
//! `https.createServer({key, cert, ca})` and `tls.connect` (the Node package's `bundle()`).

use rand_core::CryptoRng;
use serde::Serialize;

use super::{ApiError, Bytes, PkiInitRequest};
use crate::issue::pki::Pki;
use crate::{Error, UnixTime};

/// The PKI: CA, optional intermediate, server and clients.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct BundleResponse {
    /// The root CA (trust it: `ca.certificate`).
    pub ca: CertifiedKey,
    /// The intermediate CA, unless `intermediate: false`.
    pub intermediate: Option<CertifiedKey>,
    /// The server certificate; `chain` is what a TLS server sends.
    pub server: CertifiedKey,
    /// The client certificates, in request order.
    pub clients: Vec<ClientBundle>,
}

/// A certificate with its key, PEM.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CertifiedKey {
    /// The certificate.
    pub certificate: String,
    /// Its private key, PKCS#8.
    pub key: String,
    /// The certificate followed by the intermediate (not the root): what a peer presents.
    pub chain: String,
}

/// A client certificate, its key, chain and `.p12`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ClientBundle {
    /// The client's name.
    pub name: String,
    /// Certificate, key and chain, PEM.
    #[serde(flatten)]
    pub credentials: CertifiedKey,
    /// The same as a PKCS#12 file (password: the request's `p12_password`, default
    /// `changeit`).
    pub p12: Bytes,
}

/// Creates the PKI described by `request` at `time`, with randomness from `rng`.
pub fn bundle<R: CryptoRng + ?Sized>(
    request: &PkiInitRequest,
    time: UnixTime,
    rng: &mut R,
) -> Result<BundleResponse, ApiError> {
    let pki = super::pki_init::create(request, time, rng)?;
    let intermediate = match pki.file("intermediate.crt") {
        Some(_) => Some(credentials(&pki, "intermediate", "")?),
        None => None,
    };
    let chain_tail = intermediate
        .as_ref()
        .map(|intermediate| intermediate.certificate.clone())
        .unwrap_or_default();
    let mut clients = Vec::new();
    for name in client_names(&pki) {
        clients.push(ClientBundle {
            credentials: credentials(&pki, &name, &chain_tail)?,
            p12: Bytes(file_bytes(&pki, &format!("{name}.p12"))?),
            name,
        });
    }
    Ok(BundleResponse {
        ca: credentials(&pki, "ca", "")?,
        server: credentials(&pki, "server", &chain_tail)?,
        intermediate,
        clients,
    })
}

fn credentials(pki: &Pki, stem: &str, chain_tail: &str) -> Result<CertifiedKey, ApiError> {
    let certificate = file(pki, &format!("{stem}.crt"))?;
    Ok(CertifiedKey {
        key: file(pki, &format!("{stem}.key"))?,
        chain: format!("{certificate}{chain_tail}"),
        certificate,
    })
}

/// The clients, in order: every `.p12` file.
fn client_names(pki: &Pki) -> Vec<String> {
    pki.files
        .iter()
        .filter_map(|file| file.name.strip_suffix(".p12"))
        .map(str::to_owned)
        .collect()
}

/// A PEM file of the PKI, as text.
fn file(pki: &Pki, name: &str) -> Result<String, ApiError> {
    Ok(String::from_utf8_lossy(&file_bytes(pki, name)?).into_owned())
}

fn file_bytes(pki: &Pki, name: &str) -> Result<Vec<u8>, ApiError> {
    let missing = || Error::Issuance {
        detail: format!("the PKI has no {name}"),
    };
    Ok(pki.file(name).ok_or_else(missing)?.contents.clone())
}

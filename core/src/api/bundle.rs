//! `bundle`: a whole private PKI as PEM strings in one value, ready for
//! `https.createServer({key, cert, ca})` and `tls.connect` (the Node package's `bundle()`).

use rand_core::CryptoRng;
use serde::Serialize;
use zeroize::Zeroizing;

use super::{ApiError, Bytes, PkiInitRequest};
use crate::issue::pki::{P12_PASSWORD_FILE, Pki};
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
    /// The password of the clients' `.p12` files: the request's `p12_password`, or the random
    /// one made when the request gave none.
    #[cfg_attr(feature = "typescript", ts(as = "String"))]
    pub p12_password: Zeroizing<String>,
}

/// A certificate with its key, PEM.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CertifiedKey {
    /// The certificate.
    pub certificate: String,
    /// Its private key, PKCS#8 (wiped when dropped).
    #[cfg_attr(feature = "typescript", ts(as = "String"))]
    pub key: Zeroizing<String>,
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
    /// The same as a PKCS#12 file (password: `p12_password` of the response).
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
    let p12_password = match &request.p12_password {
        Some(password) => Zeroizing::new(password.as_str().to_owned()),
        None => Zeroizing::new(file(&pki, P12_PASSWORD_FILE)?.trim_end().to_owned()),
    };
    Ok(BundleResponse {
        ca: credentials(&pki, "ca", "")?,
        server: credentials(&pki, "server", &chain_tail)?,
        intermediate,
        clients,
        p12_password,
    })
}

fn credentials(pki: &Pki, stem: &str, chain_tail: &str) -> Result<CertifiedKey, ApiError> {
    let certificate = file(pki, &format!("{stem}.crt"))?.to_string();
    Ok(CertifiedKey {
        key: file(pki, &format!("{stem}.key"))?,
        chain: format!("{certificate}{chain_tail}"),
        certificate,
    })
}

/// The clients, in order: every `.p12` file with a certificate beside it (not the Java
/// truststore).
fn client_names(pki: &Pki) -> Vec<String> {
    pki.files
        .iter()
        .filter_map(|file| file.name.strip_suffix(".p12"))
        .filter(|name| pki.file(&format!("{name}.crt")).is_some())
        .map(str::to_owned)
        .collect()
}

/// A PEM file of the PKI, as text (wiped when dropped: keys are among them).
fn file(pki: &Pki, name: &str) -> Result<Zeroizing<String>, ApiError> {
    let bytes = Zeroizing::new(file_bytes(pki, name)?);
    Ok(Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned()))
}

fn file_bytes(pki: &Pki, name: &str) -> Result<Vec<u8>, ApiError> {
    let missing = || Error::Issuance {
        detail: format!("the PKI has no {name}"),
    };
    Ok(pki.file(name).ok_or_else(missing)?.contents.to_vec())
}

//! `csr_new`: a certificate signing request for a new or given key (`mtlskit csr new`).

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::issue::{subject_alt_names, subject_key};
use super::{ApiError, Input, Password};
use crate::issue::{self, RequestParams, Subject};

/// A CSR to create.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CsrNewRequest {
    /// The subject; when empty, the first subjectAltName becomes the common name.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Subject>", optional))]
    pub subject: Subject,
    /// subjectAltNames to request.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub subject_alt_names: Vec<String>,
    /// The existing private key; without it a new key of `key_type` is made.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key: Option<Input>,
    /// The password of `key`, if encrypted.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key_password: Option<Password>,
    /// Type of the new key (default `p256`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key_type: Option<String>,
}

/// The CSR, and the new key when one was made.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CsrNewResponse {
    /// The CSR, PEM (`CERTIFICATE REQUEST`).
    pub csr: String,
    /// The new private key (PKCS#8 PEM), when no `key` was given; wiped when dropped.
    #[cfg_attr(feature = "typescript", ts(as = "Option<String>"))]
    pub key: Option<Zeroizing<String>>,
}

/// Creates the CSR described by `request`, with randomness (for a new key) from `rng`.
pub fn csr_new<R: CryptoRng + ?Sized>(
    request: &CsrNewRequest,
    rng: &mut R,
) -> Result<CsrNewResponse, ApiError> {
    let params = RequestParams {
        subject: request.subject.clone(),
        subject_alt_names: subject_alt_names(&request.subject_alt_names)?,
    };
    let (key, generated) = subject_key(
        request.key.as_ref(),
        request.key_password.as_ref(),
        request.key_type.as_deref(),
        rng,
    )?;
    let csr = issue::create_request(&params, &key)?;
    Ok(CsrNewResponse {
        csr: csr.pem()?,
        key: generated.then(|| key.to_pkcs8_pem()).transpose()?,
    })
}

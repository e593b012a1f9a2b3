//! `csr_sign`: a certificate for a CSR, signed by a CA under a profile (`mtlskit csr sign`).

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use super::input::required_blocks;
use super::issue::{issuer, subject_alt_names, validity};
use super::{ApiError, CaInput, Input, ValidityInput, at};
use crate::UnixTime;
use crate::decode::Kind;
use crate::issue::{self, CertificateParams, Profile, Subject};

/// A CSR to sign and how.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CsrSignRequest {
    /// The CSR (PEM or DER). Its signature must verify.
    pub csr: Input,
    /// The issuing CA.
    pub ca: CaInput,
    /// `server` (default), `client`, `server+client` or `intermediate`.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Profile>", optional))]
    pub profile: Profile,
    /// Replaces the CSR's subject when not empty.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Subject>", optional))]
    pub subject: Subject,
    /// subjectAltNames added to those the CSR requests.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub subject_alt_names: Vec<String>,
    /// The validity period.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<ValidityInput>", optional))]
    pub validity: ValidityInput,
    /// For intermediates: pathLenConstraint.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub path_length: Option<u8>,
}

/// The issued certificate.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CsrSignResponse {
    /// The certificate, PEM.
    pub certificate: String,
    /// SHA-256 of the certificate, colon-separated upper-case hex.
    pub fingerprint_sha256: String,
}

/// Signs `request.csr` at `time`, with randomness (the serial) from `rng`.
pub fn csr_sign<R: CryptoRng + ?Sized>(
    request: &CsrSignRequest,
    time: UnixTime,
    rng: &mut R,
) -> Result<CsrSignResponse, ApiError> {
    let label = request.csr.label("csr");
    let csrs = required_blocks(
        request.csr.data.bytes(),
        Kind::Csr,
        "certificate signing request",
    )
    .map_err(at(&label))?;
    let csr = csrs.first().map(Vec::as_slice).unwrap_or_default();
    let params = CertificateParams {
        profile: request.profile,
        subject: request.subject.clone(),
        subject_alt_names: subject_alt_names(&request.subject_alt_names)?,
        validity: validity(&request.validity)?,
        path_length: request.path_length,
        ..CertificateParams::default()
    };
    let issuer = issuer(&request.ca)?;
    let certificate = issue::sign_request(csr, &params, &issuer, time, rng).map_err(at(&label))?;
    Ok(CsrSignResponse {
        certificate: certificate.pem()?,
        fingerprint_sha256: certificate.fingerprint_sha256(),
    })
}

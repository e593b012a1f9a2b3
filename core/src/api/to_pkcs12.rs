//! `to_pkcs12`: a key, its certificate and chain as a `.p12` file (`mtlskit convert --to p12`).

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use super::input::required_blocks;
use super::{ApiError, Bytes, Input, Password, at};
use crate::Error;
use crate::crypto::SigningKey;
use crate::decode::Kind;
use crate::issue::bundle;
use crate::pkcs12::{self, ExportParams};

/// What to put in the `.p12`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ToPkcs12Request {
    /// The certificate (a fullchain file works: the chain is ordered, the leaf found).
    pub certificate: Input,
    /// Its private key.
    pub key: Input,
    /// Further issuer certificates to include.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<Input>>", optional))]
    pub chain: Vec<Input>,
    /// The password of the `.p12`.
    pub password: Password,
    /// The password of `key` if it is encrypted (default: `password`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key_password: Option<Password>,
    /// The friendlyName (alias) of the key entry.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub friendly_name: Option<String>,
    /// 3DES/SHA-1 for old Java, macOS and Windows importers.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub legacy: bool,
}

/// The `.p12` file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ToPkcs12Response {
    /// Its bytes.
    pub p12: Bytes,
}

/// Writes the `.p12` of `request`, with salts and IVs from `rng`.
pub fn to_pkcs12<R: CryptoRng + ?Sized>(
    request: &ToPkcs12Request,
    rng: &mut R,
) -> Result<ToPkcs12Response, ApiError> {
    let key_password = request.key_password.as_ref().unwrap_or(&request.password);
    let (key, ordered) = key_and_chain(
        &request.certificate,
        &request.chain,
        &request.key,
        key_password,
    )?;
    let label = request.certificate.label("certificate");
    let (leaf, chain) = ordered
        .split_first()
        .ok_or_else(|| ApiError::new(Error::EmptyInput, label))?;
    let params = ExportParams {
        password: request.password.clone(),
        friendly_name: request.friendly_name.clone(),
        legacy: request.legacy,
        ..ExportParams::default()
    };
    let p12 =
        pkcs12::write(&key, leaf, chain, &params, rng).map_err(at(&request.key.label("key")))?;
    Ok(ToPkcs12Response { p12: Bytes(p12) })
}

/// The key in `key` (opened with `key_password` if encrypted) and the certificates of
/// `certificate` and `chain`, ordered leaf first (a root is kept if given, not required).
pub(crate) fn key_and_chain(
    certificate: &Input,
    chain: &[Input],
    key: &Input,
    key_password: &Password,
) -> Result<(SigningKey, Vec<Vec<u8>>), ApiError> {
    let label = certificate.label("certificate");
    let certificates = certificates(certificate, chain)?;
    let key = SigningKey::from_bytes(key.data.bytes(), Some(key_password.as_str()))
        .map_err(at(&key.label("key")))?;
    let ordered = bundle::order(&certificates, true)
        .or_else(|_| bundle::order(&certificates, false))
        .map_err(at(&label))?
        .certificates;
    Ok((key, ordered))
}

/// The certificates (DER) of `certificate` and then of each of `chain`, in order.
pub(crate) fn certificates(certificate: &Input, chain: &[Input]) -> Result<Vec<Vec<u8>>, ApiError> {
    let label = certificate.label("certificate");
    let mut certificates =
        required_blocks(certificate.data.bytes(), Kind::Certificate, "certificate")
            .map_err(at(&label))?;
    for (index, input) in chain.iter().enumerate() {
        let label = input.label(&format!("chain[{index}]"));
        certificates.extend(
            required_blocks(input.data.bytes(), Kind::Certificate, "certificate")
                .map_err(at(&label))?,
        );
    }
    Ok(certificates)
}

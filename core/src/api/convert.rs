//! `convert`: PEM <-> DER for certificates, CSRs, keys and CRLs; key + certificate (+ chain)
//! to `.p12`; `.p12` back to PEM (`mtlskit convert`, which calls this).

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use super::pki_init::FileContents;
use super::{ApiError, Bytes, FromPkcs12Request, Input, Password, ToPkcs12Request, at};
use crate::Error;
use crate::crypto::keys::pem;
use crate::decode::{self, Block, Kind};

/// What to convert, and to what.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ConvertRequest {
    /// The input: certificate(s), CSR, key, CRL or `.p12` (PEM, DER or base64).
    pub data: Input,
    /// The output format.
    pub to: Format,
    /// Password of a `.p12` (read or written) and of an encrypted key.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub password: Option<Password>,
    /// With `to: "p12"`: the private key of the certificate.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key: Option<Input>,
    /// With `to: "p12"`: issuer certificates to include.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<Input>>", optional))]
    pub chain: Vec<Input>,
    /// With `to: "p12"`: 3DES/SHA-1 for old importers.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub legacy: bool,
    /// With `to: "p12"`: the friendlyName (alias) of the key entry.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub friendly_name: Option<String>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// PEM text (for a `.p12` input: its keys and certificates).
    Pem,
    /// DER (one item).
    Der,
    /// PKCS#12 (needs `key` and `password`).
    P12,
}

/// The converted file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ConvertResponse {
    /// The contents: text for PEM, bytes for DER and PKCS#12.
    pub contents: FileContents,
    /// What it is, e.g. `certificate` or `PKCS#12 file`.
    pub kind: &'static str,
    /// Whether it holds a private key (write it readable by the owner only).
    pub secret: bool,
}

/// Converts `request.data`; randomness (PKCS#12 salts and IVs) comes from `rng`.
pub fn convert<R: CryptoRng + ?Sized>(
    request: &ConvertRequest,
    rng: &mut R,
) -> Result<ConvertResponse, ApiError> {
    if request.to == Format::P12 {
        return to_p12(request, rng);
    }
    let label = request.data.label("data");
    let blocks = blocks(request.data.data.bytes()).map_err(at(&label))?;
    match (blocks.first(), request.to) {
        (Some((_, Kind::Pkcs12)), _) => p12_to_pem(request),
        (_, Format::Der) => to_der(&blocks, &label),
        _ => to_pem(&blocks).map_err(at(&label)),
    }
}

/// The PEM label for an item of `kind`.
pub fn pem_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Certificate => "CERTIFICATE",
        Kind::Csr => "CERTIFICATE REQUEST",
        Kind::Crl => "X509 CRL",
        Kind::Pkcs8PrivateKey => "PRIVATE KEY",
        Kind::EncryptedPkcs8PrivateKey => "ENCRYPTED PRIVATE KEY",
        Kind::RsaPrivateKey => "RSA PRIVATE KEY",
        Kind::EcPrivateKey => "EC PRIVATE KEY",
        Kind::PublicKey => "PUBLIC KEY",
        Kind::RsaPublicKey => "RSA PUBLIC KEY",
        Kind::Pkcs7 => "PKCS7",
        Kind::Pkcs12 => "PKCS12",
        Kind::EcParameters => "EC PARAMETERS",
    }
}

fn blocks(bytes: &[u8]) -> Result<Vec<(Block, Kind)>, Error> {
    let mut found = Vec::new();
    for block in decode::blocks(bytes)? {
        let block = block?;
        let kind = decode::sniff(block.label.as_deref(), &block.der)?;
        if kind != Kind::EcParameters {
            found.push((block, kind));
        }
    }
    Ok(found)
}

fn to_pem(blocks: &[(Block, Kind)]) -> Result<ConvertResponse, Error> {
    let mut text = String::new();
    let mut secret = false;
    for (block, kind) in blocks {
        let label = pem_label(*kind);
        secret |= label.contains("PRIVATE");
        text.push_str(&pem(label, &block.der)?);
    }
    Ok(ConvertResponse {
        contents: FileContents::Text(text),
        kind: "PEM",
        secret,
    })
}

fn to_der(blocks: &[(Block, Kind)], label: &str) -> Result<ConvertResponse, ApiError> {
    let [(block, kind)] = blocks else {
        let error = Error::InvalidRequest {
            detail: format!(
                "a DER file holds one item and this input has {}: split it, or bundle it / convert it to p12",
                blocks.len()
            ),
        };
        return Err(ApiError::new(error, label));
    };
    Ok(ConvertResponse {
        contents: FileContents::Binary(Bytes(block.der.clone())),
        kind: kind.name(),
        secret: pem_label(*kind).contains("PRIVATE"),
    })
}

fn p12_to_pem(request: &ConvertRequest) -> Result<ConvertResponse, ApiError> {
    let Some(password) = request.password.clone() else {
        let error = Error::PasswordRequired {
            item: "PKCS#12 file",
        };
        return Err(ApiError::new(error, request.data.label("data")));
    };
    let opened = super::from_pkcs12(&FromPkcs12Request {
        data: request.data.clone(),
        password,
    })?;
    Ok(ConvertResponse {
        contents: FileContents::Text(opened.pem),
        kind: "PEM key and certificates",
        secret: true,
    })
}

fn to_p12<R: CryptoRng + ?Sized>(
    request: &ConvertRequest,
    rng: &mut R,
) -> Result<ConvertResponse, ApiError> {
    let Some(key) = request.key.clone() else {
        let error = Error::InvalidRequest {
            detail: "converting to p12 needs the private key (key)".into(),
        };
        return Err(ApiError::new(error, "key"));
    };
    let Some(password) = request.password.clone() else {
        let error = Error::PasswordRequired {
            item: "PKCS#12 file",
        };
        return Err(ApiError::new(error, "password"));
    };
    let written = super::to_pkcs12(
        &ToPkcs12Request {
            certificate: request.data.clone(),
            key,
            chain: request.chain.clone(),
            password,
            key_password: None,
            friendly_name: request.friendly_name.clone(),
            legacy: request.legacy,
        },
        rng,
    )?;
    Ok(ConvertResponse {
        contents: FileContents::Binary(written.p12),
        kind: "PKCS#12 file",
        secret: true,
    })
}

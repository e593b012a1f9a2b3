//! `convert`: PEM <-> DER for certificates, CSRs, keys and CRLs; key + certificate (+ chain)
//! to `.p12` or `.jks`; CA certificates to a Java truststore (`.jks`, `.p12`); `.p12`, `.jks`
//! and `.jceks` back to PEM (`mtlskit convert`, which calls this).

mod java;

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use super::pki_init::FileContents;
use super::{ApiError, Bytes, FromPkcs12Request, Input, Password, ToPkcs12Request, at};
use crate::crypto::keys::pem;
use crate::decode::{self, Block, Kind};
use crate::{Error, UnixTime};

/// What to convert, and to what.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ConvertRequest {
    /// The input: certificate(s), CSR, key, CRL, `.p12` or Java keystore (PEM, DER or
    /// base64).
    pub data: Input,
    /// The output format.
    pub to: Format,
    /// Password of the `.p12` or keystore (read or written).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub password: Option<Password>,
    /// The password of an encrypted `key`, or of the keys in a Java keystore input when it
    /// differs from the store's (default: `password`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key_password: Option<Password>,
    /// With `to: "p12"` or `"jks"`: the private key of the certificate (without it, `"jks"`
    /// writes a truststore of the certificates).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key: Option<Input>,
    /// With `to: "p12"` or `"jks"`: issuer certificates to include.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<Input>>", optional))]
    pub chain: Vec<Input>,
    /// With `to: "p12"`: the certificates as trusted entries that Java recognises (a
    /// truststore), without a key.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub truststore: bool,
    /// With `to: "p12"`: 3DES/SHA-1 for old importers.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub legacy: bool,
    /// With `to: "p12"` or `"jks"`: the alias of the key entry (or of the one trusted
    /// certificate); default `mykey` for keys, the subject CN for trusted certificates.
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
    /// PKCS#12 (needs `key` and `password`, or `truststore`).
    P12,
    /// Java KeyStore, JKS (with `key`: a key entry; without: a truststore).
    Jks,
}

/// The converted file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ConvertResponse {
    /// The contents: text for PEM, bytes for DER and PKCS#12.
    pub contents: FileContents,
    /// What it is, e.g. `certificate`, `PKCS#12 file` or `Java truststore (JKS)`.
    pub kind: &'static str,
    /// Whether it holds a private key (write it readable by the owner only).
    pub secret: bool,
}

/// Converts `request.data`; a JKS file is dated `time`; randomness (salts and IVs) comes
/// from `rng`.
pub fn convert<R: CryptoRng + ?Sized>(
    request: &ConvertRequest,
    time: UnixTime,
    rng: &mut R,
) -> Result<ConvertResponse, ApiError> {
    match request.to {
        Format::P12 if request.truststore => return java::to_p12_truststore(request, rng),
        Format::P12 => return to_p12(request, rng),
        Format::Jks => return java::to_jks(request, time, rng),
        Format::Pem | Format::Der => {}
    }
    let label = request.data.label("data");
    let blocks = blocks(request.data.data.bytes()).map_err(at(&label))?;
    match (blocks.first(), request.to) {
        (Some((block, Kind::JavaKeystore)), _) => java::keystore_to_pem(request, &block.der),
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
        Kind::JavaKeystore => "JAVA KEYSTORE",
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
    let password = required_password(request, "PKCS#12 file", "data")?;
    let mut opened = super::from_pkcs12(&FromPkcs12Request {
        data: request.data.clone(),
        password,
    })?;
    Ok(ConvertResponse {
        contents: FileContents::Text(core::mem::take(&mut *opened.pem)),
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
    let password = required_password(request, "PKCS#12 file", "password")?;
    let written = super::to_pkcs12(
        &ToPkcs12Request {
            certificate: request.data.clone(),
            key,
            chain: request.chain.clone(),
            password,
            key_password: request.key_password.clone(),
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

/// `request.password`, or `PasswordRequired` for `item`, about the request field `field`.
fn required_password(
    request: &ConvertRequest,
    item: &'static str,
    field: &str,
) -> Result<Password, ApiError> {
    let field = if field == "data" {
        request.data.label("data")
    } else {
        field.to_owned()
    };
    request
        .password
        .clone()
        .ok_or_else(|| ApiError::new(Error::PasswordRequired { item }, field))
}

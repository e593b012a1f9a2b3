//! `pki_init`: a whole private PKI (root, intermediate, server, clients with `.p12`) as the
//! list of files `mtlskit pki init` writes; writing them is the caller's job.

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use super::{ApiError, Bytes, Password, at};
use crate::UnixTime;
use crate::issue::pki::{self, Pki, PkiParams};
use crate::secret::SecretBytes;
use zeroize::Zeroize;

/// The PKI to create; every field has the CLI's default.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PkiInitRequest {
    /// Names of the server (DNS names, IP addresses); default `localhost`, `127.0.0.1`.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub server_names: Vec<String>,
    /// Client certificates to create, by name; default `client`.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub clients: Vec<String>,
    /// Key type of every key (default `p256`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key_type: Option<String>,
    /// Issue leaves from an intermediate CA (default `true`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub intermediate: Option<bool>,
    /// Password of the `.p12` files and Java keystores. Default: a random one, returned as
    /// the file `p12-password.txt` (there is no well-known default).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub p12_password: Option<Password>,
    /// Write the `.p12` files with 3DES/SHA-1 for old importers.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub p12_legacy: bool,
    /// Organization (O) of every subject (default `mtlskit`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub organization: Option<String>,
    /// Also create Java keystores: `server.jks`, `NAME.jks` per client (key + chain, under
    /// the `.p12` password) and `truststore.p12` (the root CA as a trusted entry).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub java: bool,
}

/// The files of the PKI, CA first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PkiInitResponse {
    /// Every file, in a stable order.
    pub files: Vec<PkiFileOutput>,
}

/// One file of the PKI.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PkiFileOutput {
    /// File name, e.g. `server.crt`.
    pub name: String,
    /// What it is, e.g. `server certificate`.
    pub kind: String,
    /// Its contents: PEM text, or bytes for `.p12` files.
    pub contents: FileContents,
    /// Whether it holds a private key (write it readable by the owner only).
    pub secret: bool,
    /// SHA-256 of the certificate (colon-separated hex), for certificate files.
    pub fingerprint_sha256: Option<String>,
}

/// File contents: text (PEM) or bytes; wiped when dropped (keys are among them).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum FileContents {
    /// PEM text.
    Text(String),
    /// Binary (PKCS#12, JKS, DER).
    Binary(Bytes),
}

impl FileContents {
    /// The bytes to write, still wiped when dropped.
    pub fn into_bytes(mut self) -> SecretBytes {
        match &mut self {
            Self::Text(text) => SecretBytes::from(core::mem::take(text).into_bytes()),
            Self::Binary(bytes) => SecretBytes::from(core::mem::take(&mut bytes.0)),
        }
    }
}

impl Drop for FileContents {
    fn drop(&mut self) {
        match self {
            Self::Text(text) => text.zeroize(),
            Self::Binary(bytes) => bytes.0.zeroize(),
        }
    }
}

/// Creates the PKI described by `request` at `time`, with randomness from `rng`.
pub fn pki_init<R: CryptoRng + ?Sized>(
    request: &PkiInitRequest,
    time: UnixTime,
    rng: &mut R,
) -> Result<PkiInitResponse, ApiError> {
    let created = create(request, time, rng)?;
    let files = created
        .files
        .into_iter()
        .map(|file| PkiFileOutput {
            kind: pki::describe(&file.name).to_owned(),
            contents: match String::from_utf8(file.contents.to_vec()) {
                Ok(text) if !is_binary(&file.name) => FileContents::Text(text),
                Ok(text) => FileContents::Binary(Bytes(text.into_bytes())),
                Err(binary) => FileContents::Binary(Bytes(binary.into_bytes())),
            },
            name: file.name,
            secret: file.secret,
            fingerprint_sha256: file.fingerprint_sha256,
        })
        .collect();
    Ok(PkiInitResponse { files })
}

/// The core's PKI for `request`, defaults filled in.
pub(crate) fn create<R: CryptoRng + ?Sized>(
    request: &PkiInitRequest,
    time: UnixTime,
    rng: &mut R,
) -> Result<Pki, ApiError> {
    let mut params = PkiParams::default();
    if !request.server_names.is_empty() {
        params.server_names = request
            .server_names
            .iter()
            .map(|name| name.parse().map_err(at("server_names")))
            .collect::<Result<_, _>>()?;
    }
    if !request.clients.is_empty() {
        params.clients.clone_from(&request.clients);
    }
    if let Some(key_type) = &request.key_type {
        params.key_type = key_type.parse().map_err(at("key_type"))?;
    }
    params.intermediate = request.intermediate.unwrap_or(true);
    params.p12_password.clone_from(&request.p12_password);
    params.p12_legacy = request.p12_legacy;
    params.java = request.java;
    if let Some(organization) = &request.organization {
        params.organization.clone_from(organization);
    }
    Ok(pki::init(&params, time, rng)?)
}

/// Keystores are binary even when their bytes happen to be UTF-8.
fn is_binary(name: &str) -> bool {
    name.ends_with(".p12") || name.ends_with(".jks")
}

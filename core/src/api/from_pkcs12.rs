//! `from_pkcs12`: the keys and certificates of a `.p12` file, as PEM.

use serde::{Deserialize, Serialize};

use super::{ApiError, Input, Password, at};
use crate::Error;
use crate::crypto::keys::pem;
use crate::decode::{self, Kind};
use crate::issue::bundle;
use crate::pkcs12::{self, Pkcs12Item};

/// The `.p12` to open.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct FromPkcs12Request {
    /// The `.p12` / `.pfx` file (DER, or base64 text).
    pub data: Input,
    /// Its password (may be empty).
    pub password: Password,
}

/// What the `.p12` holds.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct FromPkcs12Response {
    /// Private keys, PKCS#8 PEM.
    pub keys: Vec<Pkcs12Entry>,
    /// Certificates, PEM, in file order.
    pub certificates: Vec<Pkcs12Entry>,
    /// Keys, then the certificates in chain order (leaf first): what `mtlskit convert --to pem`
    /// writes.
    pub pem: String,
}

/// One key or certificate of a `.p12`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Pkcs12Entry {
    /// PEM.
    pub pem: String,
    /// The friendlyName attribute (the alias keytool shows).
    pub friendly_name: Option<String>,
    /// The localKeyId attribute pairing a key with its certificate, lowercase hex.
    pub local_key_id: Option<String>,
}

/// Opens `request.data` with `request.password`.
pub fn from_pkcs12(request: &FromPkcs12Request) -> Result<FromPkcs12Response, ApiError> {
    let label = request.data.label("data");
    let der = pkcs12_der(request.data.data.bytes()).map_err(at(&label))?;
    let contents = pkcs12::read(&der, request.password.expose()).map_err(at(&label))?;
    let entries = |items: &[Pkcs12Item], label: &str| -> Result<Vec<Pkcs12Entry>, ApiError> {
        items
            .iter()
            .map(|item| {
                Ok(Pkcs12Entry {
                    pem: pem(label, &item.der)?,
                    friendly_name: item.friendly_name.clone(),
                    local_key_id: item.local_key_id.clone(),
                })
            })
            .collect()
    };
    let keys = entries(&contents.keys, "PRIVATE KEY")?;
    let certificates = entries(&contents.certificates, "CERTIFICATE")?;
    let ders: Vec<Vec<u8>> = contents
        .certificates
        .iter()
        .map(|item| item.der.clone())
        .collect();
    let ordered = bundle::order(&ders, true).map_or(ders, |chain| chain.certificates);
    let mut text: String = keys.iter().map(|key| key.pem.as_str()).collect();
    for certificate in &ordered {
        text.push_str(&pem("CERTIFICATE", certificate)?);
    }
    Ok(FromPkcs12Response {
        keys,
        certificates,
        pem: text,
    })
}

/// The PFX in `bytes` (DER, base64 or a PEM block).
pub(crate) fn pkcs12_der(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    for block in decode::blocks(bytes)? {
        let block = block?;
        if decode::sniff(block.label.as_deref(), &block.der)? == Kind::Pkcs12 {
            return Ok(block.der);
        }
    }
    Err(Error::UnrecognizedInput {
        detail: "not a PKCS#12 file".into(),
    })
}

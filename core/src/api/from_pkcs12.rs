//! `from_pkcs12`: the keys and certificates of a `.p12` file, as PEM.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{ApiError, Input, Password, at};
use crate::Error;
use crate::crypto::keys::pem;
use crate::decode::{self, Kind};
use crate::issue::bundle;
use crate::pkcs12;

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
    #[cfg_attr(feature = "typescript", ts(as = "String"))]
    pub pem: Zeroizing<String>,
}

/// One key or certificate of a `.p12`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Pkcs12Entry {
    /// PEM (wiped when dropped: keys are among the entries).
    #[cfg_attr(feature = "typescript", ts(as = "String"))]
    pub pem: Zeroizing<String>,
    /// The friendlyName attribute (the alias keytool shows).
    pub friendly_name: Option<String>,
    /// The localKeyId attribute pairing a key with its certificate, lowercase hex.
    pub local_key_id: Option<String>,
}

/// Opens `request.data` with `request.password`.
pub fn from_pkcs12(request: &FromPkcs12Request) -> Result<FromPkcs12Response, ApiError> {
    let label = request.data.label("data");
    let der = pkcs12_der(request.data.data.bytes()).map_err(at(&label))?;
    let contents = pkcs12::read(&der, &request.password).map_err(at(&label))?;
    let keys = contents
        .keys
        .iter()
        .map(|key| {
            entry(
                "PRIVATE KEY",
                &key.der,
                &key.friendly_name,
                &key.local_key_id,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let certificates = contents
        .certificates
        .iter()
        .map(|item| {
            entry(
                "CERTIFICATE",
                &item.der,
                &item.friendly_name,
                &item.local_key_id,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ders: Vec<Vec<u8>> = contents
        .certificates
        .iter()
        .map(|item| item.der.clone())
        .collect();
    let ordered = bundle::order(&ders, true).map_or(ders, |chain| chain.certificates);
    let mut text = Zeroizing::new(String::new());
    for key in &keys {
        text.push_str(&key.pem);
    }
    for certificate in &ordered {
        text.push_str(&pem("CERTIFICATE", certificate)?);
    }
    Ok(FromPkcs12Response {
        keys,
        certificates,
        pem: text,
    })
}

fn entry(
    label: &str,
    der: &[u8],
    friendly_name: &Option<String>,
    local_key_id: &Option<String>,
) -> Result<Pkcs12Entry, Error> {
    Ok(Pkcs12Entry {
        pem: Zeroizing::new(pem(label, der)?),
        friendly_name: friendly_name.clone(),
        local_key_id: local_key_id.clone(),
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

//! Reading a PFX: check the MAC with the password, decrypt the bags, return keys and
//! certificates in file order.

use p12_keystore::{Pkcs12Archive, error::Error as ArchiveError};

use crate::Error;

/// What a PKCS#12 file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pkcs12Contents {
    /// Private keys (PKCS#8 DER) with their bag attributes.
    pub keys: Vec<Pkcs12Item>,
    /// Certificates (DER) with their bag attributes, in file order.
    pub certificates: Vec<Pkcs12Item>,
}

/// One bag of a PKCS#12 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkcs12Item {
    /// The DER contents: a PKCS#8 `PrivateKeyInfo` or an X.509 certificate.
    pub der: Vec<u8>,
    /// The `friendlyName` attribute (RFC 2985 section 5.5.1), shown by keytool as the alias.
    pub friendly_name: Option<String>,
    /// The `localKeyId` attribute that pairs a key with its certificate, as lowercase hex.
    pub local_key_id: Option<String>,
}

/// Opens `der` with `password` (which may be empty).
pub fn read(der: &[u8], password: &str) -> Result<Pkcs12Contents, Error> {
    let archive = Pkcs12Archive::from_pkcs12(der, password).map_err(map_error)?;
    let keys = archive
        .keys
        .into_iter()
        .map(|bag| Pkcs12Item {
            der: bag.key.as_der().to_vec(),
            friendly_name: bag.friendly_name,
            local_key_id: bag.local_key_id.map(|id| crate::x509::hex(id.as_ref())),
        })
        .collect();
    let certificates = archive
        .certs
        .into_iter()
        .map(|bag| Pkcs12Item {
            der: bag.cert.as_der().to_vec(),
            friendly_name: bag.friendly_name,
            local_key_id: bag.local_key_id.map(|id| crate::x509::hex(&id)),
        })
        .collect();
    Ok(Pkcs12Contents { keys, certificates })
}

fn map_error(error: ArchiveError) -> Error {
    const ITEM: &str = "PKCS#12 file";
    match error {
        ArchiveError::MacError(_) | ArchiveError::UnpadError => Error::WrongPassword { item: ITEM },
        ArchiveError::DerError(error) => Error::der(ITEM, error),
        ArchiveError::UnsupportedEncryptionScheme | ArchiveError::UnsupportedMacAlgorithm => {
            Error::UnsupportedAlgorithm {
                algorithm: format!("{error} in the {ITEM}"),
            }
        }
        other => Error::Pkcs12 {
            detail: other.to_string(),
        },
    }
}

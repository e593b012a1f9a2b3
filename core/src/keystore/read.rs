//! Reading a JKS or JCEKS file (format in the module documentation of `keystore`).

use const_oid::ObjectIdentifier;
use sha1::{Digest, Sha1};

use super::protect::{self, DIGEST_LENGTH};
use super::{
    Entry, EntryContents, Format, Keystore, MAX_CHAIN, MAX_ENTRIES, ProtectedKey, Protection,
    invalid, serialized,
};
use crate::Error;
use crate::asn1::read;

/// Sun's JKS key protector.
pub(super) const JKS_KEY_PROTECTOR: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.42.2.17.1.1");
/// Sun's PBEWithMD5AndTripleDES.
const PBE_MD5_TRIPLE_DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.42.2.19.1");

/// Reads a keystore. With `password`, the integrity digest is checked (a mismatch is
/// [`Error::WrongPassword`]); without, the entries are returned unverified.
pub fn read(input: &[u8], password: Option<&str>) -> Result<Keystore, Error> {
    let Some(format) = Format::sniff(input) else {
        return Err(Error::UnrecognizedInput {
            detail: "no JKS or JCEKS magic number".to_owned(),
        });
    };
    let mut cursor = Cursor {
        input,
        position: 4,
        format,
    };
    let version = cursor.u32("version")?;
    if version != 1 && version != 2 {
        return Err(invalid(format, format!("unknown version {version}")));
    }
    let count = cursor.length("entry count", MAX_ENTRIES)?;
    let mut entries = Vec::new();
    for _ in 0..count {
        entries.push(entry(&mut cursor, version)?);
    }
    let body_length = cursor.position;
    let digest = cursor.bytes(DIGEST_LENGTH, "integrity digest")?;
    if cursor.position != input.len() {
        let extra = input.len() - cursor.position;
        return Err(invalid(
            format,
            format!("{extra} bytes after the integrity digest"),
        ));
    }
    if let Some(password) = password {
        let body = input.get(..body_length).unwrap_or_default();
        if integrity_digest(password, body).as_slice() != digest {
            return Err(Error::WrongPassword {
                item: format.item(),
            });
        }
    }
    Ok(Keystore {
        format,
        version,
        verified: password.is_some(),
        entries,
    })
}

/// SHA-1(password as UTF-16BE || "Mighty Aphrodite" || body): the digest at the end of a store.
pub(super) fn integrity_digest(password: &str, body: &[u8]) -> [u8; DIGEST_LENGTH] {
    Sha1::new()
        .chain_update(protect::utf16_be(password).as_slice())
        .chain_update(b"Mighty Aphrodite")
        .chain_update(body)
        .finalize()
        .into()
}

fn entry(cursor: &mut Cursor<'_>, version: u32) -> Result<Entry, Error> {
    let tag = cursor.u32("entry tag")?;
    let alias = cursor.utf("alias")?;
    let created_millis = i64::from_be_bytes(cursor.array("creation date")?);
    let contents = match tag {
        1 => {
            let length = cursor.length("private key length", usize::MAX)?;
            let key = protected_key(cursor.format, cursor.bytes(length, "private key")?)?;
            let count = cursor.length("certificate chain length", MAX_CHAIN)?;
            let mut chain = Vec::new();
            for _ in 0..count {
                chain.push(certificate(cursor, version)?);
            }
            EntryContents::PrivateKey { key, chain }
        }
        2 => EntryContents::TrustedCertificate {
            certificate: certificate(cursor, version)?,
        },
        3 if cursor.format == Format::Jceks => {
            let rest = cursor.input.get(cursor.position..).unwrap_or_default();
            let (sealed, used) = serialized::sealed_key(rest)?;
            cursor.position += used;
            EntryContents::SecretKey(sealed)
        }
        other => {
            return Err(invalid(
                cursor.format,
                format!("entry '{alias}' has the unknown tag {other}"),
            ));
        }
    };
    Ok(Entry {
        alias,
        created_millis,
        contents,
    })
}

fn certificate(cursor: &mut Cursor<'_>, version: u32) -> Result<Vec<u8>, Error> {
    if version == 2 {
        let kind = cursor.utf("certificate type")?;
        if kind != "X.509" {
            return Err(Error::UnsupportedAlgorithm {
                algorithm: format!("certificate type '{kind}' in the {}", cursor.format.item()),
            });
        }
    }
    let length = cursor.length("certificate length", usize::MAX)?;
    Ok(cursor.bytes(length, "certificate")?.to_vec())
}

/// `EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, encryptedData OCTET STRING }`
/// with one of Sun's two protections.
fn protected_key(format: Format, der: &[u8]) -> Result<ProtectedKey, Error> {
    let info = crate::pkcs12::asn1::read_encrypted_private_key_info(der)
        .map_err(|error| error.into_error(format.item()))?;
    let encrypted = info.encrypted_data.to_vec();
    let protection = if info.algorithm.is(&JKS_KEY_PROTECTOR) {
        if encrypted.len() < 2 * DIGEST_LENGTH {
            return Err(invalid(
                format,
                "a protected key shorter than its salt and check",
            ));
        }
        Protection::Jks
    } else if info.algorithm.is(&PBE_MD5_TRIPLE_DES) {
        let parameters = info
            .algorithm
            .parameters
            .ok_or_else(|| invalid(format, "PBEWithMD5AndTripleDES without parameters"))?;
        // PBEParameter ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }
        let (salt, iterations) = read::parse(parameters.whole, |reader| {
            reader.read_sequence(|sequence| Ok((sequence.octet_string()?, sequence.u32()?)))
        })
        .map_err(|error| error.into_error(format.item()))?;
        let salt = salt
            .try_into()
            .map_err(|_| invalid(format, "PBEWithMD5AndTripleDES needs an 8-byte salt"))?;
        if encrypted.is_empty() || encrypted.len() % 8 != 0 {
            return Err(invalid(format, "3DES data is not a whole number of blocks"));
        }
        Protection::Md5TripleDes { salt, iterations }
    } else {
        return Err(Error::UnsupportedAlgorithm {
            algorithm: format!(
                "key protection {} in the {}",
                info.algorithm.oid_text(),
                format.item()
            ),
        });
    };
    Ok(ProtectedKey {
        protection,
        encrypted,
    })
}

/// A bounds-checked reader over the whole file.
struct Cursor<'a> {
    input: &'a [u8],
    position: usize,
    format: Format,
}

impl<'a> Cursor<'a> {
    fn bytes(&mut self, length: usize, what: &str) -> Result<&'a [u8], Error> {
        let end = self.position.checked_add(length);
        let Some(bytes) = end.and_then(|end| self.input.get(self.position..end)) else {
            return Err(invalid(
                self.format,
                format!(
                    "truncated: the {what} at byte {} needs {length} bytes, {} remain",
                    self.position,
                    self.input.len().saturating_sub(self.position)
                ),
            ));
        };
        self.position += length;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], Error> {
        let bytes = self.bytes(N, what)?;
        Ok(bytes.try_into().unwrap_or([0; N]))
    }

    fn u32(&mut self, what: &str) -> Result<u32, Error> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    /// A count or length, refused above `maximum` or above what remains of the input.
    fn length(&mut self, what: &str, maximum: usize) -> Result<usize, Error> {
        let value = usize::try_from(self.u32(what)?).unwrap_or(usize::MAX);
        let remaining = self.input.len().saturating_sub(self.position);
        if value > maximum || value > remaining {
            return Err(invalid(
                self.format,
                format!(
                    "{what} {value} is out of bounds (at byte {})",
                    self.position
                ),
            ));
        }
        Ok(value)
    }

    fn utf(&mut self, what: &str) -> Result<String, Error> {
        let length = usize::from(u16::from_be_bytes(self.array(what)?));
        let bytes = self.bytes(length, what)?;
        modified_utf8(bytes)
            .ok_or_else(|| invalid(self.format, format!("the {what} is not modified UTF-8")))
    }
}

/// Decodes Java's modified UTF-8 (one to three bytes per UTF-16 unit).
pub(super) fn modified_utf8(bytes: &[u8]) -> Option<String> {
    let mut units = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some((&first, tail)) = rest.split_first() {
        let continuation = |index: usize| {
            tail.get(index)
                .filter(|byte| *byte & 0xC0 == 0x80)
                .map(|byte| u16::from(byte & 0x3F))
        };
        let (unit, length) = match first {
            0x00..=0x7F => (u16::from(first), 1),
            0xC0..=0xDF => (u16::from(first & 0x1F) << 6 | continuation(0)?, 2),
            0xE0..=0xEF => (
                u16::from(first & 0x0F) << 12 | continuation(0)? << 6 | continuation(1)?,
                3,
            ),
            _ => return None,
        };
        units.push(unit);
        rest = rest.get(length..)?;
    }
    Some(String::from_utf16_lossy(&units))
}

/// Encodes `text` as Java's modified UTF-8, or `None` when it is longer than 65535 bytes.
pub(super) fn encode_modified_utf8(text: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(text.len() + 2);
    bytes.extend_from_slice(&[0, 0]);
    for unit in text.encode_utf16() {
        match unit {
            0x0001..=0x007F => bytes.push(unit.to_be_bytes()[1]),
            0x0000 | 0x0080..=0x07FF => {
                bytes.extend_from_slice(&[0xC0 | (unit >> 6) as u8, 0x80 | (unit & 0x3F) as u8])
            }
            _ => bytes.extend_from_slice(&[
                0xE0 | (unit >> 12) as u8,
                0x80 | ((unit >> 6) & 0x3F) as u8,
                0x80 | (unit & 0x3F) as u8,
            ]),
        }
    }
    let length = u16::try_from(bytes.len() - 2).ok()?;
    if let Some(head) = bytes.get_mut(..2) {
        head.copy_from_slice(&length.to_be_bytes());
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]
    use super::*;

    #[test]
    fn modified_utf8_round_trips_nul_and_supplementary_characters() {
        let text = "a\u{0}é€😀";
        let encoded = encode_modified_utf8(text).unwrap();
        // U+0000 as C0 80, the emoji as two three-byte surrogates (CESU-8)
        assert_eq!(&encoded[..5], &[0, 14, b'a', 0xC0, 0x80]);
        assert_eq!(modified_utf8(&encoded[2..]).unwrap(), text);
        assert!(modified_utf8(&[0xE2, 0x82]).is_none());
        assert!(modified_utf8(&[0xF0, 0x9F, 0x98, 0x80]).is_none());
    }

    #[test]
    fn headers_and_bounds_give_coded_errors() {
        assert_eq!(
            read(b"\xFE\xED\xFE\xED", None).unwrap_err().code(),
            "InvalidKeystore"
        );
        let huge_count = b"\xFE\xED\xFE\xED\x00\x00\x00\x02\xFF\xFF\xFF\xFF";
        let error = read(huge_count, None).unwrap_err();
        assert!(error.to_string().contains("entry count"), "{error}");
        let version_3 = b"\xCE\xCE\xCE\xCE\x00\x00\x00\x03\x00\x00\x00\x00";
        assert!(
            read(version_3, None)
                .unwrap_err()
                .to_string()
                .contains("version 3")
        );
    }

    #[test]
    fn an_empty_store_checks_its_digest() {
        let mut store = b"\xFE\xED\xFE\xED\x00\x00\x00\x02\x00\x00\x00\x00".to_vec();
        let digest = integrity_digest("changeit", &store);
        store.extend_from_slice(&digest);
        let opened = read(&store, Some("changeit")).unwrap();
        assert!(opened.verified && opened.entries.is_empty());
        assert_eq!(
            read(&store, Some("other")).unwrap_err().code(),
            "WrongPassword"
        );
        assert!(!read(&store, None).unwrap().verified);
        store.push(0);
        assert!(
            read(&store, None)
                .unwrap_err()
                .to_string()
                .contains("1 bytes after")
        );
    }
}

//! The PKCS#12 reader as it was before it moved onto [`crate::asn1::read`] (`der` structures),
//! kept for the differential test in `read.rs`: files and their one-byte changes must give the
//! same contents or the same error code.

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc2985, rfc5911, rfc5912};
use der::asn1::{BmpString, OctetString};
use der::{Decode, Reader, SliceReader};
use hmac::{KeyInit, Mac};

use super::asn1::{
    self, CertBag, ContentInfo, EncryptedData, EncryptedPrivateKeyInfo, MacData, Pfx, SafeBag,
};
use super::read::{Pkcs12Contents, Pkcs12Item, Pkcs12Key};
use crate::Error;
use crate::pbe::limits::Hash;
use crate::pbe::pkcs12_pbe::{MAC_KEY, Pkcs12Kdf};
use crate::pbe::{self, Budget};
use crate::secret::{Password, SecretBytes};

const ITEM: &str = "PKCS#12 file";
/// Nested safeContents bags deeper than this are refused (real files nest none).
const MAXIMUM_NESTING: usize = 4;

/// Opens `der` with `password` (which may be empty).
pub(super) fn read(der: &[u8], password: &Password) -> Result<Pkcs12Contents, Error> {
    let pfx = Pfx::from_der(der).map_err(|e| Error::der(ITEM, e))?;
    let authenticated_safe = data_content(&pfx.auth_safe)?;
    let mut budget = Budget::default();
    let bmp = match &pfx.mac_data {
        Some(mac_data) => verify_mac(mac_data, password, &authenticated_safe, &mut budget)?,
        None => password.to_bmp(),
    };
    let password = Secret {
        text: password,
        bmp: &bmp,
    };
    let safes =
        Vec::<ContentInfo>::from_der(&authenticated_safe).map_err(|e| Error::der(ITEM, e))?;
    let mut contents = Pkcs12Contents::default();
    for safe in &safes {
        let bags = safe_contents(safe, &password, &mut budget)?;
        read_bags(&bags, &password, &mut budget, &mut contents, 0)?;
    }
    Ok(contents)
}

/// The password in both forms: UTF-8 for PBES2, BMPString for PKCS#12 PBE, the latter as
/// the MAC accepted it (OpenSSL writes an empty password with or without its terminator).
struct Secret<'a> {
    text: &'a Password,
    bmp: &'a [u8],
}

/// The MAC over the AuthenticatedSafe: HMAC keyed by the PKCS#12 KDF (RFC 7292 appendix
/// B.2 and section 5.1). Returns the password form that matched.
fn verify_mac(
    mac_data: &MacData,
    password: &Password,
    data: &[u8],
    budget: &mut Budget,
) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
    const MAC: &str = "PKCS#12 MAC";
    let hash = mac_hash(mac_data.mac.algorithm.oid)?;
    let expected = mac_data.mac.digest.as_bytes();
    let mut candidates = vec![password.to_bmp()];
    if password.is_empty() {
        candidates.push(zeroize::Zeroizing::new(Vec::new()));
    }
    for bmp in candidates {
        let kdf = Pkcs12Kdf {
            hash,
            password_bmp: &bmp,
            salt: mac_data.mac_salt.as_bytes(),
            iterations: u64::try_from(mac_data.iterations).unwrap_or(0),
        };
        let key = kdf.derive(MAC_KEY, hash.output_len(), 1, MAC, budget)?;
        if hmac_verifies(hash, &key, data, expected) {
            return Ok(bmp);
        }
    }
    Err(Error::WrongPassword { item: ITEM })
}

fn mac_hash(oid: ObjectIdentifier) -> Result<Hash, Error> {
    Ok(match oid {
        rfc5912::ID_SHA_1 => Hash::Sha1,
        rfc5912::ID_SHA_224 => Hash::Sha224,
        rfc5912::ID_SHA_256 => Hash::Sha256,
        rfc5912::ID_SHA_384 => Hash::Sha384,
        rfc5912::ID_SHA_512 => Hash::Sha512,
        other => {
            return Err(Error::UnsupportedAlgorithm {
                algorithm: format!("MAC digest {other} in the {ITEM}"),
            });
        }
    })
}

/// Constant-time HMAC check.
fn hmac_verifies(hash: Hash, key: &[u8], data: &[u8], expected: &[u8]) -> bool {
    fn check<M: Mac + KeyInit>(key: &[u8], data: &[u8], expected: &[u8]) -> bool {
        let Ok(mut mac) = <M as KeyInit>::new_from_slice(key) else {
            return false;
        };
        mac.update(data);
        mac.verify_slice(expected).is_ok()
    }
    match hash {
        Hash::Sha1 => check::<hmac::Hmac<sha1::Sha1>>(key, data, expected),
        Hash::Sha224 => check::<hmac::Hmac<sha2::Sha224>>(key, data, expected),
        Hash::Sha256 => check::<hmac::Hmac<sha2::Sha256>>(key, data, expected),
        Hash::Sha384 => check::<hmac::Hmac<sha2::Sha384>>(key, data, expected),
        Hash::Sha512 => check::<hmac::Hmac<sha2::Sha512>>(key, data, expected),
    }
}

/// The OCTET STRING inside a `data` ContentInfo.
fn data_content(info: &ContentInfo) -> Result<Vec<u8>, Error> {
    if info.content_type != rfc5911::ID_DATA {
        return Err(unsupported_safe(info.content_type));
    }
    let octets: OctetString = info.content.decode_as().map_err(|e| Error::der(ITEM, e))?;
    Ok(octets.into_bytes().into_vec())
}

/// The SafeContents of one safe: plain (`data`) or password-encrypted (`encryptedData`).
fn safe_contents(
    safe: &ContentInfo,
    password: &Secret<'_>,
    budget: &mut Budget,
) -> Result<Vec<SafeBag>, Error> {
    let plain = if safe.content_type == rfc5911::ID_ENCRYPTED_DATA {
        let encrypted: EncryptedData = safe.content.decode_as().map_err(|e| Error::der(ITEM, e))?;
        let info = &encrypted.enc_content_info;
        let ciphertext = info
            .encrypted_content
            .as_ref()
            .map(OctetString::as_bytes)
            .unwrap_or_default();
        let item = "encrypted PKCS#12 safe";
        decrypt(&info.content_enc_alg, password, ciphertext, item, budget)?
    } else {
        SecretBytes::from(data_content(safe)?)
    };
    Vec::<SafeBag>::from_der(&plain).map_err(|e| Error::der(ITEM, e))
}

fn read_bags(
    bags: &[SafeBag],
    password: &Secret<'_>,
    budget: &mut Budget,
    contents: &mut Pkcs12Contents,
    depth: usize,
) -> Result<(), Error> {
    for bag in bags {
        let value = explicit_value(&bag.bag_value)?;
        let friendly_name = friendly_name(bag);
        let local_key_id = local_key_id(bag);
        match bag.bag_id {
            asn1::PKCS_12_KEY_BAG_OID => contents.keys.push(Pkcs12Key {
                der: SecretBytes::from(value.to_vec()),
                friendly_name,
                local_key_id,
            }),
            asn1::PKCS_12_PKCS8_KEY_BAG_OID => {
                let item = "private key in the PKCS#12 file";
                let info =
                    EncryptedPrivateKeyInfo::from_der(value).map_err(|e| Error::der(item, e))?;
                let ciphertext = info.encrypted_data.as_bytes();
                let der = decrypt(
                    &info.encryption_algorithm,
                    password,
                    ciphertext,
                    item,
                    budget,
                )?;
                contents.keys.push(Pkcs12Key {
                    der,
                    friendly_name,
                    local_key_id,
                });
            }
            asn1::PKCS_12_CERT_BAG_OID => {
                let bag = CertBag::from_der(value).map_err(|e| Error::der(ITEM, e))?;
                if bag.cert_id == asn1::PKCS_12_X509_CERT_OID {
                    contents.certificates.push(Pkcs12Item {
                        der: bag.cert_value.into_bytes().into_vec(),
                        friendly_name,
                        local_key_id,
                    });
                }
            }
            asn1::PKCS_12_SAFE_CONTENTS_BAG_OID if depth < MAXIMUM_NESTING => {
                let nested = Vec::<SafeBag>::from_der(value).map_err(|e| Error::der(ITEM, e))?;
                read_bags(&nested, password, budget, contents, depth + 1)?;
            }
            asn1::PKCS_12_SAFE_CONTENTS_BAG_OID => {
                return Err(Error::Pkcs12 {
                    detail: format!("safe contents nested deeper than {MAXIMUM_NESTING} levels"),
                });
            }
            _ => {} // CRL and secret bags: not read
        }
    }
    Ok(())
}

/// Decrypts with the password in the form the MAC accepted.
fn decrypt(
    algorithm: &spki::AlgorithmIdentifierOwned,
    password: &Secret<'_>,
    ciphertext: &[u8],
    item: &'static str,
    budget: &mut Budget,
) -> Result<SecretBytes, Error> {
    let (text, bmp) = (password.text, password.bmp);
    // The PBE parameters are compared with the pkcs5 crate's elsewhere
    // (`pbe::same_parameters_as_the_crates`); here the identifier goes to today's code.
    let der = der::Encode::to_der(algorithm).map_err(|e| Error::der(item, e))?;
    let algorithm = crate::asn1::read::parse(&der, |reader| reader.algorithm())
        .map_err(|e| e.into_error(item))?;
    pbe::decrypt_with_bmp(&algorithm, text, bmp, ciphertext, item, budget)
}

/// The contents of a bag's `[0] EXPLICIT` value.
fn explicit_value(tagged: &[u8]) -> Result<&[u8], Error> {
    let mut reader = SliceReader::new(tagged).map_err(|e| Error::der(ITEM, e))?;
    let header = der::Header::decode(&mut reader).map_err(|e| Error::der(ITEM, e))?;
    let value = reader
        .read_slice(header.length())
        .map_err(|e| Error::der(ITEM, e))?;
    reader.finish().map_err(|e| Error::der(ITEM, e))?;
    Ok(value)
}

fn friendly_name(bag: &SafeBag) -> Option<String> {
    let value = attribute(bag, rfc2985::PKCS_9_AT_FRIENDLY_NAME)?;
    value
        .decode_as::<BmpString>()
        .ok()
        .map(|name| name.to_string())
}

fn local_key_id(bag: &SafeBag) -> Option<String> {
    let value = attribute(bag, rfc2985::PKCS_9_AT_LOCAL_KEY_ID)?;
    let octets = value.decode_as::<OctetString>().ok()?;
    Some(crate::x509::hex(octets.as_bytes()))
}

fn attribute(bag: &SafeBag, oid: ObjectIdentifier) -> Option<&der::Any> {
    let attributes = bag.bag_attributes.as_ref()?;
    let attribute = attributes.iter().find(|attribute| attribute.oid == oid)?;
    attribute.values.iter().next()
}

fn unsupported_safe(content_type: ObjectIdentifier) -> Error {
    Error::Pkcs12 {
        detail: format!(
            "a safe of type {content_type} (only password-protected PKCS#12 files are read, not public-key-protected ones)"
        ),
    }
}

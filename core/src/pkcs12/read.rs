//! Reading a PFX (RFC 7292): check the MAC with the password, decrypt the bags, return keys
//! and certificates in file order.
//!
//! Every key derivation (the MAC key, each encrypted safe and key bag) is checked against
//! [`crate::pbe::limits`] before it runs, and all of them together draw from one budget per
//! file. Decrypted keys are [`SecretBytes`], wiped when dropped.

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc2985, rfc5911, rfc5912};
use hmac::{KeyInit, Mac};

use super::asn1::{self, ContentInfoRef, MacDataRef, SafeBagRef};
use crate::Error;
use crate::asn1::read::{self as der_read, AlgorithmIdentifier, Tag};
use crate::pbe::limits::Hash;
use crate::pbe::pkcs12_pbe::{MAC_KEY, Pkcs12Kdf};
use crate::pbe::{self, Budget};
use crate::secret::{Password, SecretBytes};

/// What a PKCS#12 file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pkcs12Contents {
    /// Private keys (PKCS#8 DER) with their bag attributes.
    pub keys: Vec<Pkcs12Key>,
    /// Certificates (DER) with their bag attributes, in file order.
    pub certificates: Vec<Pkcs12Item>,
}

/// A private key from a PKCS#12 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkcs12Key {
    /// The PKCS#8 `PrivateKeyInfo`, wiped when dropped.
    pub der: SecretBytes,
    /// The `friendlyName` attribute (RFC 2985 section 5.5.1), shown by keytool as the alias.
    pub friendly_name: Option<String>,
    /// The `localKeyId` attribute that pairs a key with its certificate, as lowercase hex.
    pub local_key_id: Option<String>,
}

/// A certificate from a PKCS#12 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkcs12Item {
    /// The X.509 certificate, DER.
    pub der: Vec<u8>,
    /// The `friendlyName` attribute (RFC 2985 section 5.5.1), shown by keytool as the alias.
    pub friendly_name: Option<String>,
    /// The `localKeyId` attribute that pairs a key with its certificate, as lowercase hex.
    pub local_key_id: Option<String>,
}

const ITEM: &str = "PKCS#12 file";
/// Nested safeContents bags deeper than this are refused (real files nest none).
const MAXIMUM_NESTING: usize = 4;

/// Opens `der` with `password` (which may be empty).
pub fn read(der: &[u8], password: &Password) -> Result<Pkcs12Contents, Error> {
    let pfx = asn1::read_pfx(der).map_err(|e| e.into_error(ITEM))?;
    let authenticated_safe = data_content(&pfx.auth_safe)?;
    let mut budget = Budget::default();
    let bmp = match &pfx.mac_data {
        Some(mac_data) => verify_mac(mac_data, password, authenticated_safe, &mut budget)?,
        None => password.to_bmp(),
    };
    let password = Secret {
        text: password,
        bmp: &bmp,
    };
    let safes =
        asn1::read_authenticated_safe(authenticated_safe).map_err(|e| e.into_error(ITEM))?;
    let mut contents = Pkcs12Contents::default();
    for safe in &safes {
        let plain = safe_contents(safe, &password, &mut budget)?;
        let bags = asn1::read_safe_contents(&plain).map_err(|e| e.into_error(ITEM))?;
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
    mac_data: &MacDataRef<'_>,
    password: &Password,
    data: &[u8],
    budget: &mut Budget,
) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
    const MAC: &str = "PKCS#12 MAC";
    let hash = mac_hash(&mac_data.algorithm)?;
    let expected = mac_data.digest;
    let mut candidates = vec![password.to_bmp()];
    if password.is_empty() {
        candidates.push(zeroize::Zeroizing::new(Vec::new()));
    }
    for bmp in candidates {
        let kdf = Pkcs12Kdf {
            hash,
            password_bmp: &bmp,
            salt: mac_data.salt,
            iterations: u64::try_from(mac_data.iterations).unwrap_or(0),
        };
        let key = kdf.derive(MAC_KEY, hash.output_len(), 1, MAC, budget)?;
        if hmac_verifies(hash, &key, data, expected) {
            return Ok(bmp);
        }
    }
    Err(Error::WrongPassword { item: ITEM })
}

fn mac_hash(algorithm: &AlgorithmIdentifier<'_>) -> Result<Hash, Error> {
    for (oid, hash) in [
        (rfc5912::ID_SHA_1, Hash::Sha1),
        (rfc5912::ID_SHA_224, Hash::Sha224),
        (rfc5912::ID_SHA_256, Hash::Sha256),
        (rfc5912::ID_SHA_384, Hash::Sha384),
        (rfc5912::ID_SHA_512, Hash::Sha512),
    ] {
        if algorithm.is(&oid) {
            return Ok(hash);
        }
    }
    Err(Error::UnsupportedAlgorithm {
        algorithm: format!("MAC digest {} in the {ITEM}", algorithm.oid_text()),
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
fn data_content<'a>(info: &ContentInfoRef<'a>) -> Result<&'a [u8], Error> {
    if info.content_type != rfc5911::ID_DATA.as_bytes() {
        return Err(unsupported_safe(info.content_type));
    }
    if info.content.tag != Tag::OCTET_STRING {
        let offset = info.content.offset;
        let expected = "an OCTET STRING";
        return Err(der_read::DerError { offset, expected }.into_error(ITEM));
    }
    Ok(info.content.contents)
}

/// The SafeContents of one safe: plain (`data`) or password-encrypted (`encryptedData`).
fn safe_contents(
    safe: &ContentInfoRef<'_>,
    password: &Secret<'_>,
    budget: &mut Budget,
) -> Result<SecretBytes, Error> {
    if safe.content_type == rfc5911::ID_ENCRYPTED_DATA.as_bytes() {
        let encrypted = asn1::read_encrypted_data(safe.content.whole);
        let encrypted = encrypted.map_err(|e| e.into_error(ITEM))?;
        let ciphertext = encrypted.encrypted_content.unwrap_or_default();
        let item = "encrypted PKCS#12 safe";
        decrypt(&encrypted.algorithm, password, ciphertext, item, budget)
    } else {
        Ok(SecretBytes::from(data_content(safe)?.to_vec()))
    }
}

fn read_bags(
    bags: &[SafeBagRef<'_>],
    password: &Secret<'_>,
    budget: &mut Budget,
    contents: &mut Pkcs12Contents,
    depth: usize,
) -> Result<(), Error> {
    for bag in bags {
        let value = bag.value;
        let friendly_name = friendly_name(bag);
        let local_key_id = local_key_id(bag);
        let is = |oid: ObjectIdentifier| bag.bag_id == oid.as_bytes();
        if is(asn1::PKCS_12_KEY_BAG_OID) {
            contents.keys.push(Pkcs12Key {
                der: SecretBytes::from(value.to_vec()),
                friendly_name,
                local_key_id,
            });
        } else if is(asn1::PKCS_12_PKCS8_KEY_BAG_OID) {
            let item = "private key in the PKCS#12 file";
            let info = asn1::read_encrypted_private_key_info(value);
            let info = info.map_err(|e| e.into_error(item))?;
            let der = decrypt(&info.algorithm, password, info.encrypted_data, item, budget)?;
            contents.keys.push(Pkcs12Key {
                der,
                friendly_name,
                local_key_id,
            });
        } else if is(asn1::PKCS_12_CERT_BAG_OID) {
            let (cert_id, certificate) =
                asn1::read_cert_bag(value).map_err(|e| e.into_error(ITEM))?;
            if cert_id == asn1::PKCS_12_X509_CERT_OID.as_bytes() {
                contents.certificates.push(Pkcs12Item {
                    der: certificate.to_vec(),
                    friendly_name,
                    local_key_id,
                });
            }
        } else if is(asn1::PKCS_12_SAFE_CONTENTS_BAG_OID) {
            if depth >= MAXIMUM_NESTING {
                return Err(Error::Pkcs12 {
                    detail: format!("safe contents nested deeper than {MAXIMUM_NESTING} levels"),
                });
            }
            let nested = asn1::read_safe_contents(value).map_err(|e| e.into_error(ITEM))?;
            read_bags(&nested, password, budget, contents, depth + 1)?;
        }
        // CRL and secret bags: not read
    }
    Ok(())
}

/// Decrypts with the password in the form the MAC accepted.
fn decrypt(
    algorithm: &AlgorithmIdentifier<'_>,
    password: &Secret<'_>,
    ciphertext: &[u8],
    item: &'static str,
    budget: &mut Budget,
) -> Result<SecretBytes, Error> {
    let (text, bmp) = (password.text, password.bmp);
    pbe::decrypt_with_bmp(algorithm, text, bmp, ciphertext, item, budget)
}

fn friendly_name(bag: &SafeBagRef<'_>) -> Option<String> {
    let value = asn1::attribute(bag, rfc2985::PKCS_9_AT_FRIENDLY_NAME)?;
    if value.tag != Tag::BMP_STRING {
        return None;
    }
    der_read::bmp_to_string(value.contents)
}

fn local_key_id(bag: &SafeBagRef<'_>) -> Option<String> {
    let value = asn1::attribute(bag, rfc2985::PKCS_9_AT_LOCAL_KEY_ID)?;
    if value.tag != Tag::OCTET_STRING {
        return None;
    }
    Some(crate::x509::hex(value.contents))
}

fn unsupported_safe(content_type: &[u8]) -> Error {
    let content_type = der_read::oid_text(content_type);
    Error::Pkcs12 {
        detail: format!(
            "a safe of type {content_type} (only password-protected PKCS#12 files are read, not public-key-protected ones)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The result as compared: the contents, or the error's code.
    fn outcome(result: Result<Pkcs12Contents, Error>) -> Result<Pkcs12Contents, &'static str> {
        result.map_err(|error| error.code())
    }

    #[test]
    fn files_and_their_changes_read_as_before() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["fuzz/corpus/pkcs12", "../tests/parity/inputs"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|extension| extension == "p12") {
                    files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
                }
            }
        }
        let key_pem = std::fs::read(root.join("../tests/parity/inputs/p256.key")).unwrap();
        let key = crate::crypto::keys::SigningKey::from_bytes(&key_pem, None).unwrap();
        let certificate = std::fs::read(root.join("fuzz/corpus/decode/seed-cert.der")).unwrap();
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(12);
        let mut small = Vec::new();
        for legacy in [false, true] {
            let params = crate::pkcs12::ExportParams {
                password: Password::from("test"),
                friendly_name: Some("é".to_owned()),
                legacy,
                iterations: 1_000,
            };
            let der = crate::pkcs12::write(&key, &certificate, &[], &params, &mut rng).unwrap();
            small.push((format!("written by the core (legacy {legacy})"), der));
        }
        let passwords = ["test", "", "testtest", "wrong"].map(Password::from);
        let mut read_files = 0;
        for (name, der) in files.iter().chain(&small) {
            for password in &passwords {
                let (now, before) = (
                    read(der, password),
                    super::super::read_before::read(der, password),
                );
                read_files += usize::from(now.is_ok());
                assert_eq!(outcome(now), outcome(before), "{name}");
            }
        }
        assert!(read_files >= 10, "{read_files} files read");
        // Every byte changed and every truncation of the small files, and of the ones
        // without a MAC (where a change reaches the bags): the same contents or error code.
        let nomac = files
            .iter()
            .filter(|(name, _)| name.contains("nomac") || name.contains("plain"));
        let mut compared = 0;
        for (name, der) in small.iter().chain(nomac) {
            let password = if name.contains("plain") {
                &passwords[1]
            } else {
                &passwords[0]
            };
            for at in 0..der.len() {
                let mut variants = vec![der[..at].to_vec()];
                for byte in [0x00, 0x80, 0xff] {
                    let mut changed = der.clone();
                    changed[at] = byte;
                    variants.push(changed);
                }
                for variant in &variants {
                    let now = read(variant, password);
                    let before = super::super::read_before::read(variant, password);
                    assert_eq!(outcome(now), outcome(before), "{name} changed at {at}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 10_000, "{compared} comparisons");
    }
}

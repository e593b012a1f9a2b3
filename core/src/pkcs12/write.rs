//! Writing PKCS#12 (PFX, RFC 7292) files: a private key, its certificate and the chain.
//!
//! Two protections:
//! - modern (default): key and certificates under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC,
//!   RFC 8018), integrity by HMAC-SHA256; what OpenSSL 3 writes by default.
//! - legacy: pbeWithSHAAnd3-KeyTripleDES-CBC and an HMAC-SHA1 MAC (RFC 7292 appendix B and
//!   C), for old Java, macOS and Windows importers.
//!
//! The layout is OpenSSL's: an AuthenticatedSafe with an encrypted SafeContents of
//! certificate bags and a plain SafeContents holding one shrouded key bag; the key and leaf
//! certificate share a localKeyId and a friendlyName. Salts and IVs come from the caller's
//! RNG; p12-keystore's writer draws them from a global RNG, which the core must not use.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeEncrypt, KeyIvInit};
use const_oid::ObjectIdentifier;
use const_oid::db::{rfc2985, rfc5911, rfc5912};
use der::asn1::{BmpString, OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use hmac::{KeyInit, Mac};
use pkcs12::cms::content_info::{CmsVersion, ContentInfo};
use pkcs12::cms::encrypted_data::EncryptedData;
use pkcs12::cms::enveloped_data::EncryptedContentInfo;
use pkcs12::kdf::{Pkcs12KeyType, derive_key_utf8};
use pkcs12::pbe_params::{EncryptedPrivateKeyInfo, Pkcs12PbeParams};
use pkcs12::safe_bag::SafeBag;
use pkcs12::{CertBag, DigestInfo, MacData};
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::{Attribute, Attributes};

use crate::Error;
use crate::crypto::SigningKey;

/// How to protect a PKCS#12 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportParams {
    /// The password for both encryption and the MAC. May be empty (some tools refuse that).
    pub password: String,
    /// The friendlyName shown by importers (keychains, browsers, `keytool -list`).
    pub friendly_name: Option<String>,
    /// 3DES and SHA-1 instead of AES-256 and SHA-256, for old importers.
    pub legacy: bool,
    /// PBKDF2 / PKCS#12 KDF iterations, for encryption and the MAC. The default, 2048, is
    /// what `openssl pkcs12 -export` (OpenSSL 3) uses.
    pub iterations: u32,
}

impl Default for ExportParams {
    fn default() -> Self {
        Self {
            password: String::new(),
            friendly_name: None,
            legacy: false,
            iterations: 2048,
        }
    }
}

/// Writes `key`, its `certificate` and the `chain` (issuers, leaf-first order) as DER PFX.
pub fn write<R: CryptoRng + ?Sized>(
    key: &SigningKey,
    certificate: &[u8],
    chain: &[Vec<u8>],
    params: &ExportParams,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let iterations = iteration_count(params);
    let local_key_id: Vec<u8> = Sha256::digest(certificate)
        .iter()
        .take(20)
        .copied()
        .collect();
    let attributes = bag_attributes(params.friendly_name.as_deref(), &local_key_id)?;

    let mut certificate_bags = vec![certificate_bag(certificate, Some(attributes.clone()))?];
    for issuer in chain {
        certificate_bags.push(certificate_bag(issuer, None)?);
    }
    let certificates_safe = encrypted_safe(&certificate_bags, params, iterations, rng)?;

    let (algorithm, encrypted) = encrypt(&key.to_pkcs8_der()?, params, iterations, rng)?;
    let shrouded = EncryptedPrivateKeyInfo {
        encryption_algorithm: algorithm,
        encrypted_data: octets(encrypted)?,
    };
    let key_bag = SafeBag {
        bag_id: pkcs12::PKCS_12_PKCS8_KEY_BAG_OID,
        bag_value: encode(&shrouded)?,
        bag_attributes: Some(attributes),
    };
    let key_safe = content_info(
        rfc5911::ID_DATA,
        &encode(&octets(encode(&vec![key_bag])?)?)?,
    )?;

    pfx(vec![certificates_safe, key_safe], params, iterations, rng)
}

/// The iteration count to write, as the `INTEGER` the structures hold.
pub(super) fn iteration_count(params: &ExportParams) -> i32 {
    i32::try_from(params.iterations.max(1)).unwrap_or(i32::MAX)
}

/// A SafeContents of `bags`, encrypted under the password (an `EncryptedData` ContentInfo).
pub(super) fn encrypted_safe<R: CryptoRng + ?Sized>(
    bags: &Vec<SafeBag>,
    params: &ExportParams,
    iterations: i32,
    rng: &mut R,
) -> Result<ContentInfo, Error> {
    let (algorithm, encrypted) = encrypt(&encode(bags)?, params, iterations, rng)?;
    let encrypted_data = EncryptedData {
        version: CmsVersion::V0,
        enc_content_info: EncryptedContentInfo {
            content_type: rfc5911::ID_DATA,
            content_enc_alg: algorithm,
            encrypted_content: Some(octets(encrypted)?),
        },
        unprotected_attrs: None,
    };
    content_info(rfc5911::ID_ENCRYPTED_DATA, &encode(&encrypted_data)?)
}

/// The PFX around an AuthenticatedSafe, with its MAC.
pub(super) fn pfx<R: CryptoRng + ?Sized>(
    safes: Vec<ContentInfo>,
    params: &ExportParams,
    iterations: i32,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let authenticated_safe = encode(&safes)?;
    let mac_data = mac(&authenticated_safe, params, iterations, rng)?;
    let pfx = pkcs12::pfx::Pfx {
        version: pkcs12::pfx::Version::V3,
        auth_safe: content_info(rfc5911::ID_DATA, &encode(&octets(authenticated_safe)?)?)?,
        mac_data: Some(mac_data),
    };
    encode(&pfx)
}

pub(super) fn certificate_bag(
    certificate: &[u8],
    attributes: Option<Attributes>,
) -> Result<SafeBag, Error> {
    let bag = CertBag {
        cert_id: pkcs12::PKCS_12_X509_CERT_OID,
        cert_value: octets(certificate.to_vec())?,
    };
    Ok(SafeBag {
        bag_id: pkcs12::PKCS_12_CERT_BAG_OID,
        bag_value: encode(&bag)?,
        bag_attributes: attributes,
    })
}

/// friendlyName (PKCS#9, BMPString) and localKeyId (PKCS#9, OCTET STRING).
fn bag_attributes(friendly_name: Option<&str>, local_key_id: &[u8]) -> Result<Attributes, Error> {
    let mut attributes = Attributes::new();
    if let Some(name) = friendly_name {
        let name = BmpString::from_utf8(name).map_err(|e| failed("friendly name", e))?;
        attributes
            .insert(attribute(rfc2985::PKCS_9_AT_FRIENDLY_NAME, encode(&name)?)?)
            .map_err(|e| failed("attributes", e))?;
    }
    let key_id = encode(&octets(local_key_id.to_vec())?)?;
    attributes
        .insert(attribute(rfc2985::PKCS_9_AT_LOCAL_KEY_ID, key_id)?)
        .map_err(|e| failed("attributes", e))?;
    Ok(attributes)
}

pub(super) fn attribute(oid: ObjectIdentifier, value_der: Vec<u8>) -> Result<Attribute, Error> {
    let value = Any::from_der(&value_der).map_err(|e| failed("attribute", e))?;
    let values = SetOfVec::try_from(vec![value]).map_err(|e| failed("attribute", e))?;
    Ok(Attribute { oid, values })
}

/// Encrypts `plain` under the password: PBES2 (modern) or PKCS#12 PBE 3DES (legacy).
fn encrypt<R: CryptoRng + ?Sized>(
    plain: &[u8],
    params: &ExportParams,
    iterations: i32,
    rng: &mut R,
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), Error> {
    if params.legacy {
        let mut salt = [0u8; 8];
        rng.fill_bytes(&mut salt);
        let derive = |kind, length| {
            derive_key_utf8::<sha1::Sha1>(&params.password, &salt, kind, iterations, length)
                .map_err(|e| failed("key derivation", e))
        };
        let key = derive(Pkcs12KeyType::EncryptionKey, 24)?;
        let iv = derive(Pkcs12KeyType::Iv, 8)?;
        let cipher = cbc::Encryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
            .map_err(|e| failed("3DES", e))?;
        let pbe_params = Pkcs12PbeParams {
            salt: octets(salt.to_vec())?,
            iterations,
        };
        let algorithm = AlgorithmIdentifierOwned {
            oid: pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC,
            parameters: Some(any(&encode(&pbe_params)?)?),
        };
        return Ok((algorithm, cipher.encrypt_padded_vec::<Pkcs7>(plain)));
    }
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut iv);
    let pbes2 = pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(
        params.iterations.max(1),
        &salt,
        iv,
    )
    .map_err(|e| failed("PBES2", e))?;
    let encrypted = pbes2
        .encrypt(params.password.as_bytes(), plain)
        .map_err(|e| failed("PBES2", e))?;
    let scheme = pkcs5::EncryptionScheme::from(pbes2);
    let algorithm =
        AlgorithmIdentifierOwned::from_der(&encode(&scheme)?).map_err(|e| failed("PBES2", e))?;
    Ok((algorithm, encrypted))
}

/// The MAC over the AuthenticatedSafe: HMAC with a key from the PKCS#12 KDF
/// (RFC 7292 appendix B.2), SHA-256 (modern) or SHA-1 (legacy).
fn mac<R: CryptoRng + ?Sized>(
    data: &[u8],
    params: &ExportParams,
    iterations: i32,
    rng: &mut R,
) -> Result<MacData, Error> {
    let mut salt = [0u8; 16];
    rng.fill_bytes(&mut salt);
    let (digest_oid, digest) = if params.legacy {
        let key = derive_key_utf8::<sha1::Sha1>(
            &params.password,
            &salt,
            Pkcs12KeyType::Mac,
            iterations,
            20,
        )
        .map_err(|e| failed("MAC key", e))?;
        let mut hmac =
            hmac::Hmac::<sha1::Sha1>::new_from_slice(&key).map_err(|e| failed("MAC", e))?;
        hmac.update(data);
        (rfc5912::ID_SHA_1, hmac.finalize().into_bytes().to_vec())
    } else {
        let key =
            derive_key_utf8::<Sha256>(&params.password, &salt, Pkcs12KeyType::Mac, iterations, 32)
                .map_err(|e| failed("MAC key", e))?;
        let mut hmac = hmac::Hmac::<Sha256>::new_from_slice(&key).map_err(|e| failed("MAC", e))?;
        hmac.update(data);
        (rfc5912::ID_SHA_256, hmac.finalize().into_bytes().to_vec())
    };
    Ok(MacData {
        mac: DigestInfo {
            algorithm: AlgorithmIdentifierOwned {
                oid: digest_oid,
                parameters: Some(Any::null()),
            },
            digest: octets(digest)?,
        },
        mac_salt: octets(salt.to_vec())?,
        iterations,
    })
}

fn content_info(content_type: ObjectIdentifier, content_der: &[u8]) -> Result<ContentInfo, Error> {
    Ok(ContentInfo {
        content_type,
        content: any(content_der)?,
    })
}

pub(super) fn encode(value: &impl Encode) -> Result<Vec<u8>, Error> {
    value.to_der().map_err(|e| failed("DER encoding", e))
}

fn any(der: &[u8]) -> Result<Any, Error> {
    Any::from_der(der).map_err(|e| failed("DER encoding", e))
}

fn octets(bytes: Vec<u8>) -> Result<OctetString, Error> {
    OctetString::new(bytes).map_err(|e| failed("DER encoding", e))
}

pub(super) fn failed(what: &str, error: impl core::fmt::Display) -> Error {
    Error::Issuance {
        detail: format!("PKCS#12 {what}: {error}"),
    }
}

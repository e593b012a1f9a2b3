//! The PKCS#12 writer as it was before it moved onto [`crate::asn1::write`] (`der` structures
//! and the `pkcs5` crate's encoder), kept for the differential test in `write.rs`: the same
//! inputs and RNG seed must give the same bytes, or the same error.

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc2985, rfc5911};
use der::asn1::{BmpString, OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::{Attribute, Attributes};

use super::asn1::{
    self, CertBag, CmsVersion, ContentInfo, DigestInfo, EncryptedContentInfo, EncryptedData,
    EncryptedPrivateKeyInfo, MacData, Pfx, SafeBag, Version,
};
use super::truststore::TrustedCertificate;
use super::write::ExportParams;
use crate::Error;
use crate::crypto::SigningKey;
use crate::pbe;

/// Oracle's trusted-key-usage bag attribute.
const TRUSTED_KEY_USAGE: ObjectIdentifier = super::truststore::TRUSTED_KEY_USAGE;
/// anyExtendedKeyUsage (RFC 5280 section 4.2.1.12).
const ANY_EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");

/// Writes `key`, its `certificate` and the `chain` (issuers, leaf-first order) as DER PFX.
pub(super) fn write<R: CryptoRng + ?Sized>(
    key: &SigningKey,
    certificate: &[u8],
    chain: &[Vec<u8>],
    params: &ExportParams,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
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
    let certificates_safe = encrypted_safe(&certificate_bags, params, "PKCS#12 certificates", rng)?;

    let (algorithm, encrypted) = encrypt(&key.to_pkcs8_der()?, params, "PKCS#12 key", rng)?;
    let shrouded = EncryptedPrivateKeyInfo {
        encryption_algorithm: algorithm,
        encrypted_data: octets(encrypted)?,
    };
    let key_bag = SafeBag {
        bag_id: asn1::PKCS_12_PKCS8_KEY_BAG_OID,
        bag_value: encode(&shrouded)?,
        bag_attributes: Some(attributes),
    };
    let key_safe = content_info(
        rfc5911::ID_DATA,
        &encode(&octets(encode(&vec![key_bag])?)?)?,
    )?;

    pfx(vec![certificates_safe, key_safe], params, rng)
}

/// A SafeContents of `bags`, encrypted under the password (an `EncryptedData` ContentInfo).
fn encrypted_safe<R: CryptoRng + ?Sized>(
    bags: &Vec<SafeBag>,
    params: &ExportParams,
    item: &'static str,
    rng: &mut R,
) -> Result<ContentInfo, Error> {
    let (algorithm, encrypted) = encrypt(&encode(bags)?, params, item, rng)?;
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
fn pfx<R: CryptoRng + ?Sized>(
    safes: Vec<ContentInfo>,
    params: &ExportParams,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let authenticated_safe = encode(&safes)?;
    let mac_data = mac(&authenticated_safe, params, rng)?;
    let pfx = Pfx {
        version: Version::V3,
        auth_safe: content_info(rfc5911::ID_DATA, &encode(&octets(authenticated_safe)?)?)?,
        mac_data: Some(mac_data),
    };
    encode(&pfx)
}

fn certificate_bag(certificate: &[u8], attributes: Option<Attributes>) -> Result<SafeBag, Error> {
    let bag = CertBag {
        cert_id: asn1::PKCS_12_X509_CERT_OID,
        cert_value: octets(certificate.to_vec())?,
    };
    Ok(SafeBag {
        bag_id: asn1::PKCS_12_CERT_BAG_OID,
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

fn attribute(oid: ObjectIdentifier, value_der: Vec<u8>) -> Result<Attribute, Error> {
    let value = Any::from_der(&value_der).map_err(|e| failed("attribute", e))?;
    let values = SetOfVec::try_from(vec![value]).map_err(|e| failed("attribute", e))?;
    Ok(Attribute { oid, values })
}

/// Encrypts `plain` under the password: PBES2 (modern) or PKCS#12 PBE 3DES (legacy).
fn encrypt<R: CryptoRng + ?Sized>(
    plain: &[u8],
    params: &ExportParams,
    item: &'static str,
    rng: &mut R,
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), Error> {
    if params.legacy {
        let mut salt = [0u8; 8];
        rng.fill_bytes(&mut salt);
        return pbe::encrypt_pkcs12_3des_before(
            &params.password,
            plain,
            params.iterations,
            &salt,
            item,
        );
    }
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut iv);
    pbe::encrypt_pbes2_before(&params.password, plain, params.iterations, &salt, iv, item)
}

/// The MAC over the AuthenticatedSafe, computed by today's writer (the same salt draw, KDF and
/// HMAC) and put in the `der` structure: what this reference checks is the encoding.
fn mac<R: CryptoRng + ?Sized>(
    data: &[u8],
    params: &ExportParams,
    rng: &mut R,
) -> Result<MacData, Error> {
    let mac = super::write::mac(data, params, rng)?;
    Ok(MacData {
        mac: DigestInfo {
            algorithm: AlgorithmIdentifierOwned {
                oid: mac.digest_oid,
                parameters: Some(Any::null()),
            },
            digest: octets(mac.digest)?,
        },
        mac_salt: octets(mac.salt.to_vec())?,
        iterations: mac.iterations,
    })
}

fn content_info(content_type: ObjectIdentifier, content_der: &[u8]) -> Result<ContentInfo, Error> {
    Ok(ContentInfo {
        content_type,
        content: any(content_der)?,
    })
}

fn encode(value: &impl Encode) -> Result<Vec<u8>, Error> {
    value.to_der().map_err(|e| failed("DER encoding", e))
}

fn any(der: &[u8]) -> Result<Any, Error> {
    Any::from_der(der).map_err(|e| failed("DER encoding", e))
}

fn octets(bytes: Vec<u8>) -> Result<OctetString, Error> {
    OctetString::new(bytes).map_err(|e| failed("DER encoding", e))
}

fn failed(what: &str, error: impl core::fmt::Display) -> Error {
    Error::Issuance {
        detail: format!("PKCS#12 {what}: {error}"),
    }
}

/// Writes `certificates` as a PKCS#12 truststore (encrypted and MACed per `params`; its
/// friendly name is not used: each certificate has its own alias).
pub(super) fn write_truststore<R: CryptoRng + ?Sized>(
    certificates: &[TrustedCertificate<'_>],
    params: &ExportParams,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    if certificates.is_empty() {
        return Err(failed("truststore", "no certificate to trust"));
    }
    let mut aliases: Vec<String> = Vec::new();
    let mut bags = Vec::new();
    for trusted in certificates {
        let alias = trusted.alias.to_lowercase();
        if alias.is_empty() || aliases.contains(&alias) {
            let detail = format!("the alias '{alias}' is empty or used twice");
            return Err(failed("truststore", detail));
        }
        let attributes = trusted_attributes(trusted.alias)?;
        bags.push(certificate_bag(trusted.certificate, Some(attributes))?);
        aliases.push(alias);
    }
    let safe = encrypted_safe(&bags, params, "PKCS#12 certificates", rng)?;
    pfx(vec![safe], params, rng)
}

/// friendlyName and trustedKeyUsage = { anyExtendedKeyUsage }.
fn trusted_attributes(alias: &str) -> Result<Attributes, Error> {
    let name = BmpString::from_utf8(alias).map_err(|e| failed("friendly name", e))?;
    let mut attributes = Attributes::new();
    attributes
        .insert(attribute(rfc2985::PKCS_9_AT_FRIENDLY_NAME, encode(&name)?)?)
        .map_err(|e| failed("attributes", e))?;
    attributes
        .insert(attribute(
            TRUSTED_KEY_USAGE,
            encode(&ANY_EXTENDED_KEY_USAGE)?,
        )?)
        .map_err(|e| failed("attributes", e))?;
    Ok(attributes)
}

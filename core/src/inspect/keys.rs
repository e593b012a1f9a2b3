//! The reports for private and public keys. A private key report says what the key is and
//! which public key belongs to it; private material never leaves this module.

use der::{
    Decode, Encode,
    asn1::{AnyRef, BitString, ObjectIdentifier},
};
use serde::Serialize;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::Source;
use crate::pkcs12::asn1::read_encrypted_private_key_info;
use crate::{
    Error,
    decode::{Block, Kind},
    secret::Password,
    x509::public_key::{self, PublicKeyReport},
};
use crate::{
    pbe::{self, Budget},
    secret::SecretBytes,
};

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// A private key: its format, whether it is encrypted, and its public key.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PrivateKeyReport {
    /// Where it came from.
    pub source: Source,
    /// `pkcs8`, `pkcs1` or `sec1`.
    pub format: &'static str,
    /// Whether the file holds it encrypted.
    pub encrypted: bool,
    /// How it is encrypted (`PBES2`, `legacy PEM`, ...), when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption: Option<String>,
    /// The matching public key; `null` while the key is still encrypted.
    pub public_key: Option<PublicKeyReport>,
    /// The PKCS#12 friendly name, for keys from a `.p12`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
}

/// A public key on its own.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PublicKeyItem {
    /// Where it came from.
    pub source: Source,
    /// What the key is.
    pub public_key: PublicKeyReport,
    /// The key as a PEM `PUBLIC KEY` (SPKI).
    pub pem: String,
}

pub(super) fn public_key(kind: Kind, der: &[u8], source: Source) -> Result<PublicKeyItem, Error> {
    let spki = match kind {
        Kind::RsaPublicKey => {
            pkcs1::RsaPublicKeyRef::from_der(der)
                .map_err(|error| Error::der("PKCS#1 RSA public key", error))?;
            rsa_spki(der)?
        }
        _ => SubjectPublicKeyInfoOwned::from_der(der)
            .map_err(|error| Error::der("public key", error))?,
    };
    let spki_der = spki
        .to_der()
        .map_err(|error| Error::der("public key", error))?;
    Ok(PublicKeyItem {
        source,
        public_key: public_key::describe(&spki),
        pem: crate::decode::public_base64::pem("PUBLIC KEY", &spki_der),
    })
}

pub(super) fn private_key(
    kind: Kind,
    block: &Block,
    source: Source,
    password: Option<&Password>,
) -> Result<PrivateKeyReport, Error> {
    let mut report = PrivateKeyReport {
        source,
        format: match kind {
            Kind::RsaPrivateKey => "pkcs1",
            Kind::EcPrivateKey => "sec1",
            _ => "pkcs8",
        },
        encrypted: block.legacy_encrypted || kind == Kind::EncryptedPkcs8PrivateKey,
        encryption: None,
        public_key: None,
        friendly_name: None,
    };
    if block.legacy_encrypted {
        report.encryption = Some("legacy PEM encryption (RFC 1421 DEK-Info)".to_owned());
        if password.is_some() {
            return Err(Error::UnsupportedAlgorithm {
                algorithm: "legacy PEM encryption; convert the key with 'openssl pkcs8 -topk8'"
                    .to_owned(),
            });
        }
        return Ok(report);
    }
    let spki = match kind {
        Kind::RsaPrivateKey => rsa_private_spki(&block.der)?,
        Kind::EcPrivateKey => sec1_spki(&block.der, None)?,
        Kind::EncryptedPkcs8PrivateKey => {
            let (scheme, plain) = decrypt_pkcs8(&block.der, password)?;
            report.encryption = Some(scheme);
            match plain {
                Some(plain) => pkcs8_spki(&plain)?,
                None => return Ok(report),
            }
        }
        _ => pkcs8_spki(&block.der)?,
    };
    report.public_key = Some(public_key::describe(&spki));
    Ok(report)
}

/// Inspects a PKCS#8 key that came out of a PKCS#12 file.
pub(super) fn pkcs8_report(
    der: &[u8],
    source: Source,
    friendly_name: Option<String>,
) -> Result<PrivateKeyReport, Error> {
    Ok(PrivateKeyReport {
        source,
        format: "pkcs8",
        encrypted: false,
        encryption: None,
        public_key: Some(public_key::describe(&pkcs8_spki(der)?)),
        friendly_name,
    })
}

/// Inspects a protected key from a Java keystore: its public key once `plain` (the opened
/// PKCS#8 DER) is given.
pub(super) fn protected_report(
    source: Source,
    encryption: String,
    alias: &str,
    plain: Option<&[u8]>,
) -> Result<PrivateKeyReport, Error> {
    let public_key = plain.map(pkcs8_spki).transpose()?;
    Ok(PrivateKeyReport {
        source,
        format: "pkcs8",
        encrypted: true,
        encryption: Some(encryption),
        public_key: public_key.as_ref().map(public_key::describe),
        friendly_name: Some(alias.to_owned()),
    })
}

/// Describes the encryption and, with a password, decrypts (after checking the key
/// derivation's parameters, [`crate::pbe::limits`]).
fn decrypt_pkcs8(
    der: &[u8],
    password: Option<&Password>,
) -> Result<(String, Option<SecretBytes>), Error> {
    const ITEM: &str = "encrypted private key";
    let info = read_encrypted_private_key_info(der).map_err(|error| error.into_error(ITEM))?;
    let description = pbe::describe_algorithm(&info.algorithm);
    let Some(password) = password else {
        return Ok((description, None));
    };
    let plain = pbe::decrypt_private_key(der, password, ITEM, &mut Budget::default())?;
    Ok((description, Some(plain)))
}

/// The public key of a PKCS#8 `OneAsymmetricKey`.
fn pkcs8_spki(der: &[u8]) -> Result<SubjectPublicKeyInfoOwned, Error> {
    const ITEM: &str = "PKCS#8 private key";
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|error| Error::der(ITEM, error))?;
    let key = info.private_key.as_bytes();
    let oid = info.algorithm.oid;
    if oid == RSA {
        return rsa_private_spki(key);
    }
    if oid == EC {
        let curve = info
            .algorithm
            .parameters
            .and_then(|any| any.decode_as::<ObjectIdentifier>().ok());
        return sec1_spki(key, curve);
    }
    if let Some(public) = info.public_key {
        return spki(oid, None, public.raw_bytes());
    }
    if oid == ED25519 {
        let seed =
            <&der::asn1::OctetStringRef>::from_der(key).map_err(|error| Error::der(ITEM, error))?;
        let seed: [u8; 32] = seed
            .as_bytes()
            .try_into()
            .map_err(|_| invalid_key(ITEM, "an Ed25519 seed is 32 bytes"))?;
        let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
        return spki(oid, None, public.as_bytes());
    }
    Err(Error::UnsupportedAlgorithm {
        algorithm: format!("private key algorithm {oid} without its public key"),
    })
}

fn rsa_private_spki(der: &[u8]) -> Result<SubjectPublicKeyInfoOwned, Error> {
    const ITEM: &str = "RSA private key";
    let key = pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|error| Error::der(ITEM, error))?;
    let public = pkcs1::RsaPublicKeyRef {
        modulus: key.modulus,
        public_exponent: key.public_exponent,
    };
    let public_der = public.to_der().map_err(|error| Error::der(ITEM, error))?;
    rsa_spki(&public_der)
}

fn rsa_spki(public_der: &[u8]) -> Result<SubjectPublicKeyInfoOwned, Error> {
    let null = der::Any::from(AnyRef::NULL);
    spki(RSA, Some(null), public_der)
}

/// The public key of a SEC1 `ECPrivateKey`, taken from the key or derived for P-256/P-384.
fn sec1_spki(
    der: &[u8],
    curve: Option<ObjectIdentifier>,
) -> Result<SubjectPublicKeyInfoOwned, Error> {
    const ITEM: &str = "EC private key";
    let key = sec1::EcPrivateKey::from_der(der).map_err(|error| Error::der(ITEM, error))?;
    let named = key
        .parameters
        .and_then(|parameters| parameters.named_curve());
    let curve = curve
        .or(named)
        .ok_or_else(|| invalid_key(ITEM, "the key does not name its curve"))?;
    let point = match key.public_key {
        Some(point) => point.to_vec(),
        None => derive_ec_point(curve, key.private_key)?,
    };
    spki(EC, Some(der::Any::from(&curve)), &point)
}

fn derive_ec_point(curve: ObjectIdentifier, scalar: &[u8]) -> Result<Vec<u8>, Error> {
    let invalid = || invalid_key("EC private key", "the private scalar is out of range");
    if curve == P256 {
        let secret = p256::SecretKey::from_slice(scalar).map_err(|_| invalid())?;
        return Ok(secret.public_key().to_sec1_bytes().to_vec());
    }
    if curve == P384 {
        let secret = p384::SecretKey::from_slice(scalar).map_err(|_| invalid())?;
        return Ok(secret.public_key().to_sec1_bytes().to_vec());
    }
    Err(Error::UnsupportedAlgorithm {
        algorithm: format!("EC curve {curve} without the public key in the file"),
    })
}

fn spki(
    oid: ObjectIdentifier,
    parameters: Option<der::Any>,
    key: &[u8],
) -> Result<SubjectPublicKeyInfoOwned, Error> {
    Ok(SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned { oid, parameters },
        subject_public_key: BitString::from_bytes(key)
            .map_err(|error| Error::der("public key", error))?,
    })
}

fn invalid_key(structure: &'static str, detail: &str) -> Error {
    Error::InvalidDer {
        structure,
        detail: detail.to_owned(),
    }
}

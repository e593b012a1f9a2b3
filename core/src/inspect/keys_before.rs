//! The SPKI derivations of the key reports as they were on `der`, `spki`, `pkcs1`, `pkcs8` and
//! `sec1` (test-only: the reference of `keys.rs`'s differential tests).

use der::{
    Decode, Encode,
    asn1::{AnyRef, BitString, ObjectIdentifier},
};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::Error;

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// The SPKI of a public key item (`Kind::RsaPublicKey` when `pkcs1` is set).
pub(super) fn public_key_spki(pkcs1: bool, der: &[u8]) -> Result<SubjectPublicKeyInfoOwned, Error> {
    if pkcs1 {
        pkcs1::RsaPublicKeyRef::from_der(der)
            .map_err(|error| Error::der("PKCS#1 RSA public key", error))?;
        return rsa_spki(der);
    }
    SubjectPublicKeyInfoOwned::from_der(der).map_err(|error| Error::der("public key", error))
}

/// The public key of a PKCS#8 `OneAsymmetricKey`.
pub(super) fn pkcs8_spki(der: &[u8]) -> Result<SubjectPublicKeyInfoOwned, Error> {
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

pub(super) fn rsa_private_spki(der: &[u8]) -> Result<SubjectPublicKeyInfoOwned, Error> {
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
pub(super) fn sec1_spki(
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

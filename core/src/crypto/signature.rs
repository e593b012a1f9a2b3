//! Signature verification for certificates, CSRs and CRLs, in pure Rust (RustCrypto).
//!
//! Supported (RFC 5280 section 4.1.1.2, RFC 4055, RFC 5758, RFC 8410):
//! RSA PKCS#1 v1.5 and RSASSA-PSS with SHA-256/384/512 (SHA-224 for PKCS#1 v1.5), ECDSA on
//! P-256 and P-384 with SHA-256/384/512, Ed25519. SHA-1 is implemented but refused unless the
//! caller asks for legacy algorithms; MD5 and DSA are never verified.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use der::{Decode, asn1::Any};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rsa::RsaPublicKey;
use rsa::pkcs1::{DecodeRsaPublicKey, RsaPssParams, RsaPublicKeyRef};
use sha2::Digest;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::Error;

/// Checks `signature` over `message` with the public key `spki`, under the signature
/// `algorithm` of a certificate, CSR or CRL (RFC 5280 section 4.1.1.2).
///
/// SHA-1 signatures are refused with [`Error::WeakSignatureAlgorithm`]; use
/// [`verify_signature_allowing_sha1`] for legacy material.
pub fn verify_signature(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    verify_with_policy(spki, algorithm, message, signature, false)
}

/// Like [`verify_signature`], but also accepts SHA-1 based signatures (RSA and ECDSA).
pub fn verify_signature_allowing_sha1(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    verify_with_policy(spki, algorithm, message, signature, true)
}

/// The kind of a public key, as far as the verifier needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicKeyKind {
    /// RSA, with the modulus size in bits.
    Rsa {
        /// Bits in the modulus.
        bits: usize,
    },
    /// ECDSA on NIST P-256.
    P256,
    /// ECDSA on NIST P-384.
    P384,
    /// ECDSA on NIST P-521 (recognised, not verified).
    P521,
    /// Ed25519 (RFC 8410).
    Ed25519,
}

/// Classifies the public key in `spki`, refusing what mtlskit cannot use: unknown algorithms,
/// elliptic curves given by explicit parameters (RFC 5480 section 2.1.1) and malformed keys.
pub fn public_key_kind(spki: &SubjectPublicKeyInfoOwned) -> Result<PublicKeyKind, Error> {
    let oid = spki.algorithm.oid;
    if oid == rfc5912::RSA_ENCRYPTION || oid == rfc5912::ID_RSASSA_PSS {
        return rsa_modulus_bits(spki).map(|bits| PublicKeyKind::Rsa { bits });
    }
    if oid == rfc5912::ID_EC_PUBLIC_KEY {
        return ec_curve(spki);
    }
    if oid == ED25519 {
        return match spki.subject_public_key.raw_bytes().len() {
            32 => Ok(PublicKeyKind::Ed25519),
            _ => Err(unacceptable("an Ed25519 key must be 32 bytes")),
        };
    }
    Err(unacceptable(&format!(
        "public key algorithm {} is not supported",
        algorithm_name(&oid)
    )))
}

/// A readable name for a signature or key algorithm OID, or its dotted form.
pub fn algorithm_name(oid: &ObjectIdentifier) -> String {
    const NAMES: &[(ObjectIdentifier, &str)] = &[
        (
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
            "sha256WithRSAEncryption",
        ),
        (
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
            "sha384WithRSAEncryption",
        ),
        (
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
            "sha512WithRSAEncryption",
        ),
        (
            rfc5912::SHA_224_WITH_RSA_ENCRYPTION,
            "sha224WithRSAEncryption",
        ),
        (rfc5912::SHA_1_WITH_RSA_ENCRYPTION, "sha1WithRSAEncryption"),
        (rfc5912::MD_5_WITH_RSA_ENCRYPTION, "md5WithRSAEncryption"),
        (rfc5912::ID_RSASSA_PSS, "RSASSA-PSS"),
        (rfc5912::ECDSA_WITH_SHA_256, "ecdsa-with-SHA256"),
        (rfc5912::ECDSA_WITH_SHA_384, "ecdsa-with-SHA384"),
        (rfc5912::ECDSA_WITH_SHA_512, "ecdsa-with-SHA512"),
        (ECDSA_WITH_SHA1, "ecdsa-with-SHA1"),
        (rfc5912::DSA_WITH_SHA_1, "dsa-with-SHA1"),
        (rfc5912::RSA_ENCRYPTION, "rsaEncryption"),
        (rfc5912::ID_EC_PUBLIC_KEY, "id-ecPublicKey"),
        (rfc5912::ID_DSA, "DSA"),
        (ED25519, "Ed25519"),
    ];
    NAMES
        .iter()
        .find(|(known, _)| known == oid)
        .map_or_else(|| oid.to_string(), |(_, name)| (*name).to_owned())
}

// ---- helpers ----

/// id-Ed25519 (RFC 8410 section 3).
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
/// ecdsa-with-SHA1 (RFC 3279 section 2.2.3).
const ECDSA_WITH_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
const MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

#[derive(Debug, Clone, Copy)]
enum Scheme {
    RsaPkcs1(Hash),
    RsaPss { hash: Hash, salt_length: usize },
    Ecdsa(Hash),
    Ed25519,
}

fn verify_with_policy(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
    allow_sha1: bool,
) -> Result<(), Error> {
    let scheme = scheme(algorithm)?;
    let hash = match scheme {
        Scheme::RsaPkcs1(hash) | Scheme::Ecdsa(hash) | Scheme::RsaPss { hash, .. } => Some(hash),
        Scheme::Ed25519 => None,
    };
    if hash == Some(Hash::Sha1) && !allow_sha1 {
        return Err(Error::WeakSignatureAlgorithm {
            algorithm: algorithm_name(&algorithm.oid),
        });
    }
    match scheme {
        Scheme::RsaPkcs1(hash) => verify_rsa_pkcs1(spki, hash, message, signature),
        Scheme::RsaPss { hash, salt_length } => {
            verify_rsa_pss(spki, hash, salt_length, message, signature)
        }
        Scheme::Ecdsa(hash) => verify_ecdsa(spki, hash, message, signature),
        Scheme::Ed25519 => verify_ed25519(spki, message, signature),
    }
}

fn scheme(algorithm: &AlgorithmIdentifierOwned) -> Result<Scheme, Error> {
    let oid = algorithm.oid;
    let rsa = |hash| {
        // RFC 4055 section 5: the parameters are NULL (absent tolerated, as most verifiers do).
        match &algorithm.parameters {
            Some(parameters) if !parameters.is_null() => Err(unsupported(&oid)),
            _ => Ok(Scheme::RsaPkcs1(hash)),
        }
    };
    let ecdsa = |hash| match algorithm.parameters {
        // RFC 5758 section 3.2: the parameters field MUST be absent.
        Some(_) => Err(unsupported(&oid)),
        None => Ok(Scheme::Ecdsa(hash)),
    };
    match oid {
        rfc5912::SHA_256_WITH_RSA_ENCRYPTION => rsa(Hash::Sha256),
        rfc5912::SHA_384_WITH_RSA_ENCRYPTION => rsa(Hash::Sha384),
        rfc5912::SHA_512_WITH_RSA_ENCRYPTION => rsa(Hash::Sha512),
        rfc5912::SHA_224_WITH_RSA_ENCRYPTION => rsa(Hash::Sha224),
        rfc5912::SHA_1_WITH_RSA_ENCRYPTION => rsa(Hash::Sha1),
        rfc5912::ECDSA_WITH_SHA_256 => ecdsa(Hash::Sha256),
        rfc5912::ECDSA_WITH_SHA_384 => ecdsa(Hash::Sha384),
        rfc5912::ECDSA_WITH_SHA_512 => ecdsa(Hash::Sha512),
        ECDSA_WITH_SHA1 => ecdsa(Hash::Sha1),
        rfc5912::ID_RSASSA_PSS => pss_scheme(algorithm),
        ED25519 if algorithm.parameters.is_none() => Ok(Scheme::Ed25519),
        rfc5912::MD_5_WITH_RSA_ENCRYPTION | rfc5912::MD_2_WITH_RSA_ENCRYPTION => {
            Err(Error::WeakSignatureAlgorithm {
                algorithm: algorithm_name(&oid),
            })
        }
        _ => Err(unsupported(&oid)),
    }
}

/// RSASSA-PSS parameters (RFC 4055 section 3.1): the MGF must be MGF1 with the same hash and
/// the trailer field 1.
fn pss_scheme(algorithm: &AlgorithmIdentifierOwned) -> Result<Scheme, Error> {
    let invalid = || unsupported(&algorithm.oid);
    let parameters = algorithm.parameters.as_ref().ok_or_else(invalid)?;
    let encoded = der::Encode::to_der(parameters).map_err(|_| invalid())?;
    let (hash_oid, mask_oid, mask_hash, salt_length) = pss_fields(&encoded).ok_or_else(invalid)?;
    let hash = hash_of(&hash_oid).ok_or_else(invalid)?;
    if mask_oid != MGF1 || mask_hash.and_then(|oid| hash_of(&oid)) != Some(hash) {
        return Err(invalid());
    }
    Ok(Scheme::RsaPss {
        hash,
        salt_length: usize::from(salt_length),
    })
}

/// The hash, MGF, MGF hash and salt length of encoded RSASSA-PSS-params.
fn pss_fields(
    encoded: &[u8],
) -> Option<(
    ObjectIdentifier,
    ObjectIdentifier,
    Option<ObjectIdentifier>,
    u8,
)> {
    let params = RsaPssParams::<Any>::from_der(encoded).ok()?;
    let mask_hash = params.mask_gen.parameters.as_ref().map(|inner| inner.oid);
    Some((
        params.hash.oid,
        params.mask_gen.oid,
        mask_hash,
        params.salt_len,
    ))
}

fn hash_of(oid: &ObjectIdentifier) -> Option<Hash> {
    match *oid {
        rfc5912::ID_SHA_1 => Some(Hash::Sha1),
        rfc5912::ID_SHA_224 => Some(Hash::Sha224),
        rfc5912::ID_SHA_256 => Some(Hash::Sha256),
        rfc5912::ID_SHA_384 => Some(Hash::Sha384),
        rfc5912::ID_SHA_512 => Some(Hash::Sha512),
        _ => None,
    }
}

fn digest(hash: Hash, message: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Sha1 => sha1::Sha1::digest(message).to_vec(),
        Hash::Sha224 => sha2::Sha224::digest(message).to_vec(),
        Hash::Sha256 => sha2::Sha256::digest(message).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(message).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(message).to_vec(),
    }
}

fn rsa_key(spki: &SubjectPublicKeyInfoOwned) -> Result<RsaPublicKey, Error> {
    if spki.algorithm.oid != rfc5912::RSA_ENCRYPTION && spki.algorithm.oid != rfc5912::ID_RSASSA_PSS
    {
        return Err(unacceptable("the issuer key is not an RSA key"));
    }
    RsaPublicKey::from_pkcs1_der(spki.subject_public_key.raw_bytes())
        .map_err(|error| unacceptable(&format!("RSA key rejected: {error}")))
}

fn verify_rsa_pkcs1(
    spki: &SubjectPublicKeyInfoOwned,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let key = rsa_key(spki)?;
    let padding = match hash {
        Hash::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        Hash::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
        Hash::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        Hash::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        Hash::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
    };
    key.verify(padding, &digest(hash, message), signature)
        .map_err(|_| Error::BadSignature)
}

fn verify_rsa_pss(
    spki: &SubjectPublicKeyInfoOwned,
    hash: Hash,
    salt_length: usize,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let key = rsa_key(spki)?;
    let hashed = digest(hash, message);
    let result = match hash {
        Hash::Sha1 => key.verify(
            rsa::Pss::<sha1::Sha1>::new_with_salt(salt_length),
            &hashed,
            signature,
        ),
        Hash::Sha224 => key.verify(
            rsa::Pss::<sha2::Sha224>::new_with_salt(salt_length),
            &hashed,
            signature,
        ),
        Hash::Sha256 => key.verify(
            rsa::Pss::<sha2::Sha256>::new_with_salt(salt_length),
            &hashed,
            signature,
        ),
        Hash::Sha384 => key.verify(
            rsa::Pss::<sha2::Sha384>::new_with_salt(salt_length),
            &hashed,
            signature,
        ),
        Hash::Sha512 => key.verify(
            rsa::Pss::<sha2::Sha512>::new_with_salt(salt_length),
            &hashed,
            signature,
        ),
    };
    result.map_err(|_| Error::BadSignature)
}

fn verify_ecdsa(
    spki: &SubjectPublicKeyInfoOwned,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let point = spki.subject_public_key.raw_bytes();
    let hashed = digest(hash, message);
    match ec_curve(spki)? {
        PublicKeyKind::P256 => {
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map_err(|_| unacceptable("malformed P-256 point"))?;
            let signature =
                p256::ecdsa::Signature::from_der(signature).map_err(|_| Error::BadSignature)?;
            key.verify_prehash(&hashed, &signature)
                .map_err(|_| Error::BadSignature)
        }
        PublicKeyKind::P384 => {
            let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map_err(|_| unacceptable("malformed P-384 point"))?;
            let signature =
                p384::ecdsa::Signature::from_der(signature).map_err(|_| Error::BadSignature)?;
            key.verify_prehash(&hashed, &signature)
                .map_err(|_| Error::BadSignature)
        }
        _ => Err(unacceptable(
            "ECDSA signatures by P-521 keys are not supported",
        )),
    }
}

fn verify_ed25519(
    spki: &SubjectPublicKeyInfoOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    if spki.algorithm.oid != ED25519 {
        return Err(unacceptable("the issuer key is not an Ed25519 key"));
    }
    let bytes: [u8; 32] = spki
        .subject_public_key
        .raw_bytes()
        .try_into()
        .map_err(|_| unacceptable("an Ed25519 key must be 32 bytes"))?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
        .map_err(|_| unacceptable("malformed Ed25519 key"))?;
    let signature =
        ed25519_dalek::Signature::from_slice(signature).map_err(|_| Error::BadSignature)?;
    key.verify_strict(message, &signature)
        .map_err(|_| Error::BadSignature)
}

/// The named curve of an id-ecPublicKey SPKI (RFC 5480 section 2.1.1: namedCurve only).
fn ec_curve(spki: &SubjectPublicKeyInfoOwned) -> Result<PublicKeyKind, Error> {
    if spki.algorithm.oid != rfc5912::ID_EC_PUBLIC_KEY {
        return Err(unacceptable("the issuer key is not an elliptic-curve key"));
    }
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|parameters| parameters.decode_as::<ObjectIdentifier>().ok())
        .ok_or_else(|| {
            unacceptable("elliptic curve not given as a named curve (RFC 5480 2.1.1)")
        })?;
    match curve {
        SECP256R1 => Ok(PublicKeyKind::P256),
        SECP384R1 => Ok(PublicKeyKind::P384),
        SECP521R1 => Ok(PublicKeyKind::P521),
        other => Err(unacceptable(&format!(
            "elliptic curve {other} is not supported"
        ))),
    }
}

fn rsa_modulus_bits(spki: &SubjectPublicKeyInfoOwned) -> Result<usize, Error> {
    let key = RsaPublicKeyRef::from_der(spki.subject_public_key.raw_bytes())
        .map_err(|_| unacceptable("malformed RSA public key"))?;
    let modulus = key.modulus.as_bytes();
    let first = modulus
        .iter()
        .position(|byte| *byte != 0)
        .unwrap_or(modulus.len());
    let significant = modulus.get(first..).unwrap_or_default();
    let leading = significant
        .first()
        .map_or(0, |byte| byte.leading_zeros() as usize);
    Ok((significant.len() * 8).saturating_sub(leading))
}

fn unsupported(oid: &ObjectIdentifier) -> Error {
    Error::UnsupportedAlgorithm {
        algorithm: algorithm_name(oid),
    }
}

fn unacceptable(detail: &str) -> Error {
    Error::UnacceptableKey {
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_algorithms() {
        assert_eq!(
            algorithm_name(&rfc5912::ECDSA_WITH_SHA_256),
            "ecdsa-with-SHA256"
        );
        assert_eq!(algorithm_name(&MGF1), "1.2.840.113549.1.1.8");
    }
}

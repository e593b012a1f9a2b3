//! Public keys as found in certificates and CSRs (`SubjectPublicKeyInfo`, RFC 5280
//! section 4.1.2.7), with the signature check issuance needs for CSRs.

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5912, rfc8410};
use der::Decode;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::Verifier;
use signature::hazmat::PrehashVerifier;

use super::KeyType;
use crate::Error;

/// A subject public key: its type, DER `SubjectPublicKeyInfo` and raw key bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    key_type: KeyType,
    spki_der: Vec<u8>,
    key_bits: Vec<u8>,
}

impl PublicKey {
    /// Parses a DER `SubjectPublicKeyInfo` holding a P-256, P-384, Ed25519 or RSA key.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, Error> {
        let spki = spki::SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| Error::der("SubjectPublicKeyInfo", e))?;
        let key_bits = spki.subject_public_key.raw_bytes().to_vec();
        let algorithm = spki.algorithm.oid;
        let key_type = if algorithm == rfc5912::ID_EC_PUBLIC_KEY {
            let curve: ObjectIdentifier = spki
                .algorithm
                .parameters_oid()
                .map_err(|_| invalid("EC public key without a named curve"))?;
            match curve {
                rfc5912::SECP_256_R_1 => KeyType::P256,
                rfc5912::SECP_384_R_1 => KeyType::P384,
                other => return Err(unsupported(other)),
            }
        } else if algorithm == rfc8410::ID_ED_25519 {
            KeyType::Ed25519
        } else if algorithm == rfc5912::RSA_ENCRYPTION {
            let key = rsa::RsaPublicKey::from_pkcs1_der(&key_bits).map_err(invalid)?;
            KeyType::Rsa {
                bits: usize::try_from(key.n().bits()).unwrap_or(usize::MAX),
            }
        } else {
            return Err(unsupported(algorithm));
        };
        Ok(Self {
            key_type,
            spki_der: der.to_vec(),
            key_bits,
        })
    }

    /// The key type; RSA keys report their modulus size.
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The DER `SubjectPublicKeyInfo`.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// The contents of the `subjectPublicKey` BIT STRING.
    pub fn der_bytes(&self) -> &[u8] {
        &self.key_bits
    }

    /// The key identifier used for subjectKeyIdentifier and authorityKeyIdentifier:
    /// the leftmost 160 bits of the SHA-256 hash of the `subjectPublicKey` bits
    /// (RFC 7093 section 2, method 1).
    pub fn key_identifier(&self) -> Vec<u8> {
        let digest = Sha256::digest(&self.key_bits);
        digest.iter().take(20).copied().collect()
    }

    /// Whether `signature` over `message` verifies under the signature algorithm `algorithm`
    /// (ecdsa-with-SHA256/384/512, Ed25519, sha256/384/512WithRSAEncryption). Malformed
    /// signatures count as not verifying; unknown algorithms are an error.
    pub fn verify(
        &self,
        algorithm: ObjectIdentifier,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, Error> {
        let verified = match self.key_type {
            KeyType::P256 => {
                let key =
                    p256::ecdsa::VerifyingKey::from_sec1_bytes(&self.key_bits).map_err(invalid)?;
                let Ok(signature) = p256::ecdsa::DerSignature::from_bytes(signature) else {
                    return Ok(false);
                };
                key.verify_prehash(&ecdsa_digest(algorithm, message)?, &signature)
            }
            KeyType::P384 => {
                let key =
                    p384::ecdsa::VerifyingKey::from_sec1_bytes(&self.key_bits).map_err(invalid)?;
                let Ok(signature) = p384::ecdsa::DerSignature::from_bytes(signature) else {
                    return Ok(false);
                };
                key.verify_prehash(&ecdsa_digest(algorithm, message)?, &signature)
            }
            KeyType::Ed25519 => verify_ed25519(&self.key_bits, algorithm, message, signature)?,
            KeyType::Rsa { .. } => verify_rsa(&self.key_bits, algorithm, message, signature)?,
        };
        Ok(verified.is_ok())
    }

    /// Refuses keys that mtlskit does not issue certificates for: RSA keys under 2048 bits,
    /// the same floor as the keys it generates and signs with (Baseline Requirements 6.1.5).
    pub(crate) fn check_issuable(&self) -> Result<(), Error> {
        check_rsa_size(self.key_type)
    }

    /// The rcgen algorithm describing this key in a `SubjectPublicKeyInfo`.
    pub(crate) fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        match self.key_type {
            KeyType::P256 => &rcgen::PKCS_ECDSA_P256_SHA256,
            KeyType::P384 => &rcgen::PKCS_ECDSA_P384_SHA384,
            KeyType::Ed25519 => &rcgen::PKCS_ED25519,
            KeyType::Rsa { .. } => &rcgen::PKCS_RSA_SHA256,
        }
    }
}

impl rcgen::PublicKeyData for PublicKey {
    fn der_bytes(&self) -> &[u8] {
        &self.key_bits
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        PublicKey::algorithm(self)
    }
}

/// RSA keys must have at least [`MINIMUM_RSA_BITS`]; other key types pass.
pub(crate) fn check_rsa_size(key_type: KeyType) -> Result<(), Error> {
    match key_type {
        KeyType::Rsa { bits } if bits < MINIMUM_RSA_BITS => Err(Error::InvalidKey {
            detail: format!(
                "RSA keys must have at least {MINIMUM_RSA_BITS} bits, this one has {bits}"
            ),
        }),
        _ => Ok(()),
    }
}

/// The smallest RSA modulus mtlskit issues for or signs with.
const MINIMUM_RSA_BITS: usize = 2048;

fn ecdsa_digest(algorithm: ObjectIdentifier, message: &[u8]) -> Result<Vec<u8>, Error> {
    match algorithm {
        rfc5912::ECDSA_WITH_SHA_256 => Ok(Sha256::digest(message).to_vec()),
        rfc5912::ECDSA_WITH_SHA_384 => Ok(Sha384::digest(message).to_vec()),
        rfc5912::ECDSA_WITH_SHA_512 => Ok(Sha512::digest(message).to_vec()),
        other => Err(unsupported(other)),
    }
}

fn verify_ed25519(
    key_bits: &[u8],
    algorithm: ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Result<Result<(), signature::Error>, Error> {
    if algorithm != rfc8410::ID_ED_25519 {
        return Err(unsupported(algorithm));
    }
    let bytes: &[u8; 32] = key_bits
        .try_into()
        .map_err(|_| invalid("Ed25519 keys are 32 bytes"))?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(bytes).map_err(invalid)?;
    let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else {
        return Ok(Err(signature::Error::new()));
    };
    Ok(key.verify(message, &signature))
}

fn verify_rsa(
    key_bits: &[u8],
    algorithm: ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Result<Result<(), signature::Error>, Error> {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    let key = rsa::RsaPublicKey::from_pkcs1_der(key_bits).map_err(invalid)?;
    let Ok(signature) = Signature::try_from(signature) else {
        return Ok(Err(signature::Error::new()));
    };
    let result = match algorithm {
        rfc5912::SHA_256_WITH_RSA_ENCRYPTION => {
            VerifyingKey::<Sha256>::new(key).verify(message, &signature)
        }
        rfc5912::SHA_384_WITH_RSA_ENCRYPTION => {
            VerifyingKey::<Sha384>::new(key).verify(message, &signature)
        }
        rfc5912::SHA_512_WITH_RSA_ENCRYPTION => {
            VerifyingKey::<Sha512>::new(key).verify(message, &signature)
        }
        other => return Err(unsupported(other)),
    };
    Ok(result)
}

fn invalid(error: impl core::fmt::Display) -> Error {
    Error::InvalidKey {
        detail: error.to_string(),
    }
}

fn unsupported(oid: ObjectIdentifier) -> Error {
    Error::UnsupportedAlgorithm {
        algorithm: oid.to_string(),
    }
}

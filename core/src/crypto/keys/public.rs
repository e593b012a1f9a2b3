//! Public keys as found in certificates and CSRs (`SubjectPublicKeyInfo`, RFC 5280
//! section 4.1.2.7), with the signature check issuance needs for CSRs (through the one verifier,
//! `crate::crypto::verify_signature`).

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5912, rfc8410};
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};

use super::KeyType;
use crate::Error;
use crate::asn1::write;
use crate::crypto::identify::{named_curve, oid_of, parse_spki};
use crate::crypto::keys::encoding::{read_rsa_public_key, rsa_public_key};
use crate::crypto::{SignaturePolicy, verify_signature};

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
        let spki = parse_spki(der)?;
        let algorithm = &spki.algorithm;
        let key_type = if algorithm.is(&rfc5912::ID_EC_PUBLIC_KEY) {
            let curve = named_curve(algorithm)
                .ok_or_else(|| invalid("EC public key without a named curve"))?;
            match curve {
                rfc5912::SECP_256_R_1 => KeyType::P256,
                rfc5912::SECP_384_R_1 => KeyType::P384,
                other => return Err(unsupported(other)),
            }
        } else if algorithm.is(&rfc8410::ID_ED_25519) {
            KeyType::Ed25519
        } else if algorithm.is(&rfc5912::RSA_ENCRYPTION) {
            let (modulus, exponent) = read_rsa_public_key(spki.key).map_err(invalid)?;
            let key = rsa_public_key(modulus, exponent)
                .ok_or_else(|| invalid("malformed RSA public key"))?;
            KeyType::Rsa {
                bits: usize::try_from(key.n().bit_width()).unwrap_or(usize::MAX),
            }
        } else {
            return Err(unsupported(oid_of(algorithm)?));
        };
        Ok(Self {
            key_type,
            spki_der: der.to_vec(),
            key_bits: spki.key.to_vec(),
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
    /// (given by its OID, parameters as issuance writes them: NULL for RSA PKCS#1 v1.5, absent
    /// otherwise), with the core's algorithms: the same verifier as certificate chains
    /// ([`crate::crypto::verify_signature`]). A signature that does not verify is `Ok(false)`;
    /// unknown, weak or unusable algorithms and keys are an error.
    pub fn verify(
        &self,
        algorithm: ObjectIdentifier,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, Error> {
        let rsa_pkcs1 = [
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
        ];
        let mut identifier = Vec::with_capacity(16);
        write::sequence(&mut identifier, |out| {
            write::oid(out, &algorithm);
            if rsa_pkcs1.contains(&algorithm) {
                write::null(out);
            }
        });
        self.verify_der(&identifier, message, signature)
    }

    /// Like [`PublicKey::verify`] with a whole DER AlgorithmIdentifier `algorithm`, e.g. a
    /// CSR's as received ([`crate::x509::Csr::signature_algorithm_der`]).
    pub fn verify_signature(
        &self,
        algorithm: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, Error> {
        self.verify_der(algorithm, message, signature)
    }

    /// [`PublicKey::verify`] with the DER AlgorithmIdentifier `algorithm`.
    fn verify_der(
        &self,
        algorithm: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, Error> {
        let policy = SignaturePolicy::default();
        match verify_signature(&self.spki_der, algorithm, message, signature, policy) {
            Ok(()) => Ok(true),
            Err(Error::BadSignature) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Refuses keys that mtlskit does not issue certificates for: RSA keys under 2048 bits,
    /// the same floor as the keys it generates and signs with (Baseline Requirements 6.1.5).
    pub(crate) fn check_issuable(&self) -> Result<(), Error> {
        check_rsa_size(self.key_type)
    }

    /// The signature algorithm a key of this type signs with: ecdsa-with-SHA256 (P-256),
    /// ecdsa-with-SHA384 (P-384), Ed25519, or sha256WithRSAEncryption.
    pub(crate) fn signature_algorithm(&self) -> ObjectIdentifier {
        match self.key_type {
            KeyType::P256 => rfc5912::ECDSA_WITH_SHA_256,
            KeyType::P384 => rfc5912::ECDSA_WITH_SHA_384,
            KeyType::Ed25519 => rfc8410::ID_ED_25519,
            KeyType::Rsa { .. } => rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
        }
    }

    /// Writes the AlgorithmIdentifier of a signature by this key: parameters NULL for RSA
    /// PKCS#1 v1.5 (RFC 4055 section 5), absent for ECDSA (RFC 5758 section 3.2) and Ed25519
    /// (RFC 8410 section 3).
    pub(crate) fn write_signature_algorithm(&self, out: &mut Vec<u8>) {
        write::sequence(out, |out| {
            write::oid(out, &self.signature_algorithm());
            if self.key_type.is_rsa() {
                write::null(out);
            }
        });
    }

    /// Writes the `SubjectPublicKeyInfo` as issuance puts it in certificates and CSRs: the key
    /// type's AlgorithmIdentifier (id-ecPublicKey with the named curve, RFC 5480 section 2.1.1;
    /// id-Ed25519 without parameters, RFC 8410 section 3; rsaEncryption with NULL, RFC 8017
    /// appendix C) and the key bits.
    pub(crate) fn write_spki(&self, out: &mut Vec<u8>) {
        write::sequence(out, |out| {
            write::sequence(out, |out| match self.key_type {
                KeyType::P256 => write_ec_oids(out, &rfc5912::SECP_256_R_1),
                KeyType::P384 => write_ec_oids(out, &rfc5912::SECP_384_R_1),
                KeyType::Ed25519 => write::oid(out, &rfc8410::ID_ED_25519),
                KeyType::Rsa { .. } => {
                    write::oid(out, &rfc5912::RSA_ENCRYPTION);
                    write::null(out);
                }
            });
            write::bit_string(out, 0, &self.key_bits);
        });
    }
}

/// Writes the AlgorithmIdentifier of an ECDSA key on `curve` (RFC 5480 section 2.1.1).
pub(crate) fn write_ec_algorithm(out: &mut Vec<u8>, curve: &ObjectIdentifier) {
    write::sequence(out, |out| write_ec_oids(out, curve));
}

fn write_ec_oids(out: &mut Vec<u8>, curve: &ObjectIdentifier) {
    write::oid(out, &rfc5912::ID_EC_PUBLIC_KEY);
    write::oid(out, curve);
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

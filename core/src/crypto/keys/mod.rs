//! Private keys that sign certificates and CSRs: ECDSA P-256 and P-384, Ed25519, RSA.
//!
//! [`SigningKey`] wraps the RustCrypto key types; issuance writes the DER with the core's
//! own writer (`crate::asn1::write`) and these keys sign it. Keys are
//! generated from a caller-supplied RNG (the core has no global RNG) and loaded from PKCS#8
//! (plain or encrypted, RFC 5958), PKCS#1 (RFC 8017 appendix A.1.2) or SEC1 (RFC 5915), in
//! PEM or DER. Signatures are deterministic: RFC 6979 for ECDSA, RFC 8032 for Ed25519,
//! PKCS#1 v1.5 with SHA-256 for RSA.

use core::fmt;
use core::str::FromStr;

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5912, rfc8410};
use p256::elliptic_curve::Generate;
use p256::elliptic_curve::sec1::ToSec1Point;
use rand_core::CryptoRng;
use rsa::traits::PublicKeyParts;
use sha2::Sha256;
use signature::{SignatureEncoding, Signer};

pub(crate) mod encoding;
mod public;
mod rsa_generate;

use crate::asn1::write;
use crate::crypto::identify::{named_curve, oid_of};
use encoding::{EcPrivateKey, read_ec_private_key, read_private_key_info, read_rsa_private_key};

pub use public::PublicKey;

use crate::Error;
use crate::decode::Kind;
use crate::pbe::{self, Budget};
use crate::secret::{Password, SecretBytes};
use zeroize::Zeroizing;

/// The kinds of key mtlskit generates and signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KeyType {
    /// ECDSA on NIST P-256 with SHA-256 (the default: small, fast, accepted everywhere).
    #[default]
    P256,
    /// ECDSA on NIST P-384 with SHA-384.
    P384,
    /// Ed25519 (RFC 8410).
    Ed25519,
    /// RSA with PKCS#1 v1.5 and SHA-256; `bits` is the modulus size.
    Rsa {
        /// Modulus size in bits: 2048, 3072 or 4096 for generated keys.
        bits: usize,
    },
}

impl KeyType {
    /// Every key type that [`SigningKey::generate`] accepts, by name.
    pub const NAMES: &'static [&'static str] =
        &["p256", "p384", "ed25519", "rsa2048", "rsa3072", "rsa4096"];

    /// The name used on the command line and in reports, e.g. `p256` or `rsa3072`.
    pub fn name(self) -> String {
        match self {
            Self::P256 => "p256".into(),
            Self::P384 => "p384".into(),
            Self::Ed25519 => "ed25519".into(),
            Self::Rsa { bits } => format!("rsa{bits}"),
        }
    }

    /// Whether keys of this type can encrypt (RSA), which decides keyEncipherment in keyUsage.
    pub fn is_rsa(self) -> bool {
        matches!(self, Self::Rsa { .. })
    }
}

impl FromStr for KeyType {
    type Err = Error;

    /// Accepts `p256`, `p384`, `ed25519`, `rsa2048`, `rsa3072`, `rsa4096` (case-insensitive;
    /// `ec`, `ecdsa`, `p-256`, `secp256r1`, `prime256v1`, `rsa` as aliases).
    fn from_str(name: &str) -> Result<Self, Error> {
        let lower = name.trim().to_ascii_lowercase();
        let key_type = match lower.as_str() {
            "p256" | "p-256" | "ec" | "ecdsa" | "secp256r1" | "prime256v1" | "ecdsa-p256" => {
                Self::P256
            }
            "p384" | "p-384" | "secp384r1" | "ecdsa-p384" => Self::P384,
            "ed25519" => Self::Ed25519,
            "rsa" | "rsa2048" | "rsa-2048" => Self::Rsa { bits: 2048 },
            "rsa3072" | "rsa-3072" => Self::Rsa { bits: 3072 },
            "rsa4096" | "rsa-4096" => Self::Rsa { bits: 4096 },
            _ => {
                return Err(Error::UnknownKeyType {
                    name: name.to_owned(),
                });
            }
        };
        Ok(key_type)
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// A private key that signs certificates and CSRs.
pub struct SigningKey {
    inner: Inner,
    public_key: PublicKey,
}

enum Inner {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
    Rsa(Box<rsa::pkcs1v15::SigningKey<Sha256>>),
}

impl SigningKey {
    /// Generates a new key of `key_type` from `rng`.
    ///
    /// RSA keys must be 2048, 3072 or 4096 bits; RSA generation takes from a fraction of a
    /// second (2048) to several seconds (4096).
    pub fn generate<R: CryptoRng + ?Sized>(key_type: KeyType, rng: &mut R) -> Result<Self, Error> {
        let inner = match key_type {
            KeyType::P256 => Inner::P256(p256::ecdsa::SigningKey::generate_from_rng(rng)),
            KeyType::P384 => Inner::P384(p384::ecdsa::SigningKey::generate_from_rng(rng)),
            KeyType::Ed25519 => Inner::Ed25519(ed25519_dalek::SigningKey::generate(rng)),
            KeyType::Rsa {
                bits: bits @ (2048 | 3072 | 4096),
            } => {
                let key = generate_rsa(rng, bits)?;
                Inner::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(key)))
            }
            KeyType::Rsa { .. } => {
                return Err(Error::UnknownKeyType {
                    name: key_type.name(),
                });
            }
        };
        Self::from_inner(inner)
    }

    /// Loads the first private key in `input`: PEM (labels `PRIVATE KEY`, `ENCRYPTED
    /// PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`; other blocks such as `EC PARAMETERS`
    /// or certificates are skipped), DER or base64. `password` opens encrypted PKCS#8.
    pub fn from_bytes(input: &[u8], password: Option<&str>) -> Result<Self, Error> {
        for block in crate::decode::blocks(input)? {
            let block = block?;
            let Ok(kind) = crate::decode::sniff(block.label.as_deref(), &block.der) else {
                continue;
            };
            if block.legacy_encrypted {
                return Err(Error::InvalidKey {
                    detail: "legacy PEM encryption (Proc-Type: 4,ENCRYPTED) is not supported: convert with `openssl pkcs8 -topk8`".into(),
                });
            }
            match kind {
                Kind::Pkcs8PrivateKey => return Self::from_pkcs8_der(&block.der),
                Kind::EncryptedPkcs8PrivateKey => {
                    return Self::from_encrypted_pkcs8_der(&block.der, password);
                }
                Kind::RsaPrivateKey => return Self::from_pkcs1_der(&block.der),
                Kind::EcPrivateKey => return Self::from_sec1_der(&block.der),
                _ => continue,
            }
        }
        Err(Error::InvalidKey {
            detail: "no private key found (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)".into(),
        })
    }

    /// Loads a DER private key: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1, tried in that order.
    pub fn from_der(der: &[u8], password: Option<&str>) -> Result<Self, Error> {
        if read_private_key_info(der).is_ok() {
            return Self::from_pkcs8_der(der);
        }
        if crate::pkcs12::asn1::read_encrypted_private_key_info(der).is_ok() {
            return Self::from_encrypted_pkcs8_der(der, password);
        }
        if let Ok(key) = Self::from_pkcs1_der(der) {
            return Ok(key);
        }
        Self::from_sec1_der(der).map_err(|_| Error::InvalidKey {
            detail: "not a PKCS#8, PKCS#1 or SEC1 private key".into(),
        })
    }

    /// Loads an unencrypted PKCS#8 `PrivateKeyInfo` (RFC 5958 section 2).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        let info = read_private_key_info(der).map_err(|error| error.into_error("PKCS#8 key"))?;
        let algorithm = &info.algorithm;
        let inner = if algorithm.is(&rfc5912::ID_EC_PUBLIC_KEY) {
            let curve = named_curve(algorithm)
                .ok_or_else(|| invalid_key("EC key without a named curve"))?;
            let key = || read_ec_private_key(info.private_key).map_err(invalid_key);
            match curve {
                rfc5912::SECP_256_R_1 => Inner::P256(ec_secret!(p256, curve, &key()?).into()),
                rfc5912::SECP_384_R_1 => Inner::P384(ec_secret!(p384, curve, &key()?).into()),
                other => return Err(unsupported(other)),
            }
        } else if algorithm.is(&rfc8410::ID_ED_25519) {
            Inner::Ed25519(ed25519_from_pkcs8(&info)?)
        } else if algorithm.is(&rfc5912::RSA_ENCRYPTION) {
            let null = algorithm
                .parameters
                .is_some_and(|parameters| parameters.whole == [0x05, 0x00]);
            if !null {
                return Err(invalid_key("rsaEncryption key without NULL parameters"));
            }
            let key = read_rsa_private_key(info.private_key).map_err(invalid_key)?;
            rsa_inner(encoding::rsa_private_key(&key)?)?
        } else {
            return Err(unsupported(oid_of(algorithm)?));
        };
        Self::from_inner(inner)
    }

    /// Decrypts and loads an `EncryptedPrivateKeyInfo` (RFC 5958 section 3: PBES2 or PKCS#12
    /// PBE), after checking its key derivation parameters ([`crate::pbe::limits`]).
    pub fn from_encrypted_pkcs8_der(der: &[u8], password: Option<&str>) -> Result<Self, Error> {
        const ITEM: &str = "private key";
        let password = Password::from(password.ok_or(Error::PasswordRequired { item: ITEM })?);
        let plain = pbe::decrypt_private_key(der, &password, ITEM, &mut Budget::default())?;
        Self::from_pkcs8_der(&plain)
    }

    /// Loads a PKCS#1 `RSAPrivateKey` (RFC 8017 appendix A.1.2).
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, Error> {
        let key = read_rsa_private_key(der).map_err(invalid_key)?;
        Self::from_inner(rsa_inner(encoding::rsa_private_key(&key)?)?)
    }

    /// Loads a SEC1 `ECPrivateKey` (RFC 5915) on P-256 or P-384.
    pub fn from_sec1_der(der: &[u8]) -> Result<Self, Error> {
        let key = read_ec_private_key(der).map_err(|error| error.into_error("SEC1 key"))?;
        let curve = key
            .curve
            .and_then(|curve| ObjectIdentifier::from_bytes(curve).ok());
        let length = key.private_key.len();
        let inner = match (curve, length) {
            (Some(rfc5912::SECP_256_R_1), _) | (None, 32) => {
                Inner::P256(ec_secret!(p256, rfc5912::SECP_256_R_1, &key).into())
            }
            (Some(rfc5912::SECP_384_R_1), _) | (None, 48) => {
                Inner::P384(ec_secret!(p384, rfc5912::SECP_384_R_1, &key).into())
            }
            (Some(other), _) => return Err(unsupported(other)),
            (None, _) => return Err(invalid_key("SEC1 key of unknown curve")),
        };
        Self::from_inner(inner)
    }

    /// The key type; RSA keys report their modulus size.
    pub fn key_type(&self) -> KeyType {
        self.public_key.key_type()
    }

    /// The public half.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// Encodes the key as unencrypted PKCS#8 DER (RFC 5958), wiped when dropped: version 1,
    /// without the public key for Ed25519 (OpenSSL 3.0 cannot read v2 keys inside PKCS#12
    /// files, and RFC 8410 section 7 allows either), the SEC1 key without the curve (it is in
    /// the algorithm) and with the public key for ECDSA: the bytes the RustCrypto crates wrote.
    pub fn to_pkcs8_der(&self) -> Result<SecretBytes, Error> {
        let mut der = match &self.inner {
            Inner::P256(key) => {
                let secret = Zeroizing::new(key.to_bytes());
                let public = key.verifying_key().to_sec1_point(false);
                ec_pkcs8(&secret, &rfc5912::SECP_256_R_1, public.as_bytes())
            }
            Inner::P384(key) => {
                let secret = Zeroizing::new(key.to_bytes());
                let public = key.verifying_key().to_sec1_point(false);
                ec_pkcs8(&secret, &rfc5912::SECP_384_R_1, public.as_bytes())
            }
            Inner::Ed25519(key) => {
                // CurvePrivateKey ::= OCTET STRING (RFC 8410 section 7)
                let mut private_key = encoding::secret_buffer(34);
                write::octet_string(&mut private_key, key.as_bytes());
                let mut der = encoding::secret_buffer(64);
                let algorithm = |out: &mut Vec<u8>| write::oid(out, &rfc8410::ID_ED_25519);
                encoding::write_private_key_info(&mut der, algorithm, &private_key);
                der
            }
            Inner::Rsa(key) => {
                let key: &rsa::PrivateKey = key.as_ref().as_ref();
                let mut pkcs1 = encoding::secret_buffer(key.size() * 5);
                encoding::write_rsa_private_key(&mut pkcs1, key)?;
                let mut der = encoding::secret_buffer(pkcs1.len() + 32);
                let algorithm = |out: &mut Vec<u8>| {
                    write::oid(out, &rfc5912::RSA_ENCRYPTION);
                    write::null(out);
                };
                encoding::write_private_key_info(&mut der, algorithm, &pkcs1);
                der
            }
        };
        Ok(SecretBytes::from(core::mem::take(&mut *der)))
    }

    /// Encodes the key as PEM `PRIVATE KEY` (unencrypted PKCS#8), the form openssl,
    /// nginx, curl, Node and rustls all read; wiped when dropped.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, Error> {
        pem("PRIVATE KEY", &self.to_pkcs8_der()?).map(Zeroizing::new)
    }

    /// Encodes the key as PEM `ENCRYPTED PRIVATE KEY`: PKCS#8 under PBES2 with
    /// PBKDF2-HMAC-SHA256 ([`crate::pkcs12::DEFAULT_ITERATIONS`] iterations) and AES-256-CBC;
    /// salt and IV from `rng`.
    pub fn to_encrypted_pkcs8_pem<R: CryptoRng + ?Sized>(
        &self,
        password: &Password,
        rng: &mut R,
    ) -> Result<String, Error> {
        const ITEM: &str = "encrypted PKCS#8 key";
        let mut salt = [0u8; 16];
        let mut iv = [0u8; 16];
        rng.fill_bytes(&mut salt);
        rng.fill_bytes(&mut iv);
        let iterations = crate::pkcs12::DEFAULT_ITERATIONS;
        let plain = self.to_pkcs8_der()?;
        let (algorithm, encrypted) =
            pbe::encrypt_pbes2(password, &plain, iterations, &salt, iv, ITEM)?;
        let mut der = Vec::with_capacity(algorithm.len() + encrypted.len() + 8);
        pbe::write_encrypted_private_key_info(&mut der, &algorithm, &encrypted);
        pem("ENCRYPTED PRIVATE KEY", &der)
    }

    /// Signs `message` with this key's algorithm (see [`SigningKey::signature_algorithm`]);
    /// ECDSA signatures are DER `Ecdsa-Sig-Value` as X.509 expects (RFC 5758 section 3.2).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let signature = match &self.inner {
            Inner::P256(key) => {
                let signature: p256::ecdsa::Signature = key.try_sign(message).map_err(signing)?;
                let (r, s) = signature.split_bytes();
                super::ecdsa_der::write(&r, &s)
            }
            Inner::P384(key) => {
                let signature: p384::ecdsa::Signature = key.try_sign(message).map_err(signing)?;
                let (r, s) = signature.split_bytes();
                super::ecdsa_der::write(&r, &s)
            }
            Inner::Ed25519(key) => key.try_sign(message).map_err(signing)?.to_vec(),
            Inner::Rsa(key) => key.try_sign(message).map_err(signing)?.to_vec(),
        };
        Ok(signature)
    }

    /// The signature algorithm this key signs with: ecdsa-with-SHA256 (P-256),
    /// ecdsa-with-SHA384 (P-384), Ed25519, or sha256WithRSAEncryption. Never SHA-1.
    pub fn signature_algorithm(&self) -> ObjectIdentifier {
        match &self.inner {
            Inner::P256(_) => rfc5912::ECDSA_WITH_SHA_256,
            Inner::P384(_) => rfc5912::ECDSA_WITH_SHA_384,
            Inner::Ed25519(_) => rfc8410::ID_ED_25519,
            Inner::Rsa(_) => rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
        }
    }

    fn from_inner(inner: Inner) -> Result<Self, Error> {
        let mut spki = Vec::with_capacity(600);
        write::sequence(&mut spki, |out| match &inner {
            Inner::P256(key) => {
                public::write_ec_algorithm(out, &rfc5912::SECP_256_R_1);
                write::bit_string(out, 0, key.verifying_key().to_sec1_point(false).as_bytes());
            }
            Inner::P384(key) => {
                public::write_ec_algorithm(out, &rfc5912::SECP_384_R_1);
                write::bit_string(out, 0, key.verifying_key().to_sec1_point(false).as_bytes());
            }
            Inner::Ed25519(key) => {
                write::sequence(out, |out| write::oid(out, &rfc8410::ID_ED_25519));
                write::bit_string(out, 0, key.verifying_key().as_bytes());
            }
            Inner::Rsa(key) => {
                write::sequence(out, |out| {
                    write::oid(out, &rfc5912::RSA_ENCRYPTION);
                    write::null(out);
                });
                let mut public_key = Vec::with_capacity(600);
                let key: &rsa::PrivateKey = key.as_ref().as_ref();
                encoding::write_rsa_public_key(&mut public_key, &key.to_public_key());
                write::bit_string(out, 0, &public_key);
            }
        });
        let public_key = PublicKey::from_spki_der(&spki)?;
        Ok(Self { inner, public_key })
    }
}

/// The secret key on curve `$curve` (`p256` or `p384`, whose OID is `$oid`) of the SEC1 key
/// `$key`, checked as `elliptic-curve`'s SEC1 decoder checked it: the curve, when given, is
/// `$oid`; the scalar is in range; the public key, when given, is the secret key's.
macro_rules! ec_secret {
    ($curve:ident, $oid:expr, $key:expr) => {{
        let key: &EcPrivateKey<'_> = $key;
        if key.curve.is_some_and(|curve| curve != $oid.as_bytes()) {
            return Err(invalid_key("the SEC1 key's curve is not the algorithm's"));
        }
        let secret = $curve::SecretKey::from_slice(key.private_key)
            .map_err(|_| invalid_key("malformed EC private key"))?;
        if let Some(public) = key.public_key {
            let compressed = matches!(public.first(), Some(0x02 | 0x03));
            if secret.public_key().to_sec1_point(compressed).as_bytes() != public {
                return Err(invalid_key("the EC public key is not the private key's"));
            }
        }
        secret
    }};
}
use ec_secret;

/// PKCS#8 of an ECDSA key: id-ecPublicKey with the curve, and the SEC1 key without it.
fn ec_pkcs8(secret: &[u8], curve: &ObjectIdentifier, public: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut sec1 = encoding::secret_buffer(secret.len() + public.len() + 16);
    encoding::write_ec_private_key(&mut sec1, secret, None, public);
    let mut der = encoding::secret_buffer(sec1.len() + 32);
    let algorithm = |out: &mut Vec<u8>| {
        write::oid(out, &rfc5912::ID_EC_PUBLIC_KEY);
        write::oid(out, curve);
    };
    encoding::write_private_key_info(&mut der, algorithm, &sec1);
    der
}

/// The Ed25519 key of a PKCS#8 key, checked as `ed25519`'s decoder and `ed25519-dalek` checked
/// it: no parameters, a 32-byte secret in an OCTET STRING, and a version 2 public key (when it
/// has no unused bits) of 32 bytes that is the secret key's.
fn ed25519_from_pkcs8(
    info: &encoding::PrivateKeyInfo<'_>,
) -> Result<ed25519_dalek::SigningKey, Error> {
    if info.algorithm.parameters.is_some() {
        return Err(invalid_key("Ed25519 key with parameters"));
    }
    let secret: Zeroizing<[u8; 32]> = match info.private_key {
        [0x04, 0x20, rest @ ..] => Zeroizing::new(
            rest.try_into()
                .map_err(|_| invalid_key("malformed Ed25519 private key"))?,
        ),
        _ => return Err(invalid_key("malformed Ed25519 private key")),
    };
    let key = ed25519_dalek::SigningKey::from_bytes(&secret);
    if let Some((0, public)) = info.public_key {
        let public: &[u8; 32] = public
            .try_into()
            .map_err(|_| invalid_key("malformed Ed25519 public key"))?;
        let given = ed25519_dalek::VerifyingKey::from_bytes(public)
            .map_err(|_| invalid_key("malformed Ed25519 public key"))?;
        if key.verifying_key() != given {
            return Err(invalid_key(
                "the Ed25519 public key is not the private key's",
            ));
        }
    }
    Ok(key)
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("key_type", &self.key_type())
            .field("private", &"[elided]")
            .finish()
    }
}

fn rsa_inner(key: rsa::PrivateKey) -> Result<Inner, Error> {
    let bits = usize::try_from(key.n().bit_width()).unwrap_or(usize::MAX);
    public::check_rsa_size(KeyType::Rsa { bits })?;
    Ok(Inner::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(key))))
}

/// PEM-encodes `der` under `label` with LF line endings.
pub fn pem(label: &str, der: &[u8]) -> Result<String, Error> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).map_err(|e| {
        Error::Issuance {
            detail: format!("PEM encoding failed: {e}"),
        }
    })
}

/// RSA key generation: rsa's own generator natively, the same generator without crypto-primes'
/// precomputed tables in wasm (`rsa_generate`: the same keys from the same RNG).
#[cfg(not(target_arch = "wasm32"))]
fn generate_rsa<R: CryptoRng + ?Sized>(rng: &mut R, bits: usize) -> Result<rsa::PrivateKey, Error> {
    rsa::PrivateKey::new(rng, bits).map_err(invalid_key)
}

#[cfg(target_arch = "wasm32")]
fn generate_rsa<R: CryptoRng + ?Sized>(rng: &mut R, bits: usize) -> Result<rsa::PrivateKey, Error> {
    rsa_generate::generate(rng, bits)
}

fn invalid_key(error: impl fmt::Display) -> Error {
    Error::InvalidKey {
        detail: error.to_string(),
    }
}

fn signing(error: signature::Error) -> Error {
    Error::Issuance {
        detail: format!("signing failed: {error}"),
    }
}

fn unsupported(oid: ObjectIdentifier) -> Error {
    Error::UnsupportedAlgorithm {
        algorithm: oid.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_type_names() {
        for name in KeyType::NAMES {
            assert_eq!(&name.parse::<KeyType>().unwrap().name(), name);
        }
        assert_eq!("EC".parse::<KeyType>().unwrap(), KeyType::P256);
        let error = "dsa".parse::<KeyType>().unwrap_err();
        assert_eq!(error.code(), "UnknownKeyType");
    }
}

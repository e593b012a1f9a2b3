//! The core's signature verification algorithms, in pure Rust (RustCrypto), as rustls-shaped
//! [`SignatureVerificationAlgorithm`]s: the default list of every verification, and the only
//! one in the browser (wasm32 builds these unchanged).
//!
//! Supported (RFC 5280 section 4.1.1.2, RFC 4055, RFC 5758, RFC 8410): RSA PKCS#1 v1.5 with
//! SHA-1/224/256/384/512 (rsaEncryption keys of 1024 to 8192 bits), RSASSA-PSS with the salt
//! length equal to the hash length (rsaEncryption and id-RSASSA-PSS keys), ECDSA on P-256 and
//! P-384 with SHA-1/256/384/512, Ed25519. SHA-1 is listed so that legacy material can be
//! verified when the caller allows it; `signature.rs` refuses it otherwise.

use const_oid::AssociatedOid;
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::elliptic_curve::array::typenum::Unsigned;
use p256::elliptic_curve::point::{AffineCoordinates, DecompressPoint};
use p256::elliptic_curve::subtle::Choice;
use p256::elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytes};
use rsa::{Pkcs1v15Sign, Pss, PublicKey as RsaPublicKey};
use rustls_pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};
use sha2::Digest;
use sha2::digest::FixedOutputReset;

use std::sync::{Mutex, PoisonError};

use super::signature::Algorithms;
use super::{ecdsa_der, ids};

/// The core's default list (pure Rust), in the order the verifier tries them.
pub static ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    &Ecdsa(Curve::P256, Hash::Sha256, ids::ECDSA_SHA256),
    &Ecdsa(Curve::P256, Hash::Sha384, ids::ECDSA_SHA384),
    &Ecdsa(Curve::P256, Hash::Sha512, ids::ECDSA_SHA512),
    &Ecdsa(Curve::P256, Hash::Sha1, ids::ECDSA_SHA1),
    &Ecdsa(Curve::P384, Hash::Sha256, ids::ECDSA_SHA256),
    &Ecdsa(Curve::P384, Hash::Sha384, ids::ECDSA_SHA384),
    &Ecdsa(Curve::P384, Hash::Sha512, ids::ECDSA_SHA512),
    &Ecdsa(Curve::P384, Hash::Sha1, ids::ECDSA_SHA1),
    &Ed25519,
    &RsaPkcs1(Hash::Sha256, ids::RSA_PKCS1_SHA256),
    &RsaPkcs1(Hash::Sha384, ids::RSA_PKCS1_SHA384),
    &RsaPkcs1(Hash::Sha512, ids::RSA_PKCS1_SHA512),
    &RsaPkcs1(Hash::Sha224, ids::RSA_PKCS1_SHA224),
    &RsaPkcs1(Hash::Sha1, ids::RSA_PKCS1_SHA1),
    &RsaPss(Hash::Sha256, ids::RSA_PSS_SHA256, ids::RSA_ENCRYPTION),
    &RsaPss(Hash::Sha384, ids::RSA_PSS_SHA384, ids::RSA_ENCRYPTION),
    &RsaPss(Hash::Sha512, ids::RSA_PSS_SHA512, ids::RSA_ENCRYPTION),
    &RsaPss(Hash::Sha224, ids::RSA_PSS_SHA224, ids::RSA_ENCRYPTION),
    &RsaPss(Hash::Sha1, ids::RSA_PSS_SHA1, ids::RSA_ENCRYPTION),
    &RsaPss(Hash::Sha256, ids::RSA_PSS_SHA256, ids::RSA_PSS_KEY),
    &RsaPss(Hash::Sha384, ids::RSA_PSS_SHA384, ids::RSA_PSS_KEY),
    &RsaPss(Hash::Sha512, ids::RSA_PSS_SHA512, ids::RSA_PSS_KEY),
    &RsaPss(Hash::Sha224, ids::RSA_PSS_SHA224, ids::RSA_PSS_KEY),
    &RsaPss(Hash::Sha1, ids::RSA_PSS_SHA1, ids::RSA_PSS_KEY),
];

/// `provider`'s algorithms (a rustls crypto provider's `signature_verification_algorithms.all`)
/// followed by the core's [`ALGORITHMS`] for what the provider does not verify (SHA-1 when
/// allowed, SHA-224, ECDSA with SHA-512, id-RSASSA-PSS keys, RSA keys under 2048 bits,
/// compressed points, for ring): the list native code passes to verification, with the same
/// verdicts as [`ALGORITHMS`] alone. The list is made once per distinct `provider` list and
/// lives as long as the program.
pub fn provider_then_core(provider: Algorithms) -> Algorithms {
    type Made = (usize, usize, Algorithms);
    static MADE: Mutex<Vec<Made>> = Mutex::new(Vec::new());
    let key = (provider.as_ptr() as usize, provider.len());
    let mut made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, _, list)) = made.iter().find(|(at, length, _)| (*at, *length) == key) {
        return list;
    }
    let list: Algorithms = Box::leak([provider, ALGORITHMS].concat().into_boxed_slice());
    made.push((key.0, key.1, list));
    list
}

/// A hash function of a signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// The output length in bytes, which is also the RSASSA-PSS salt length mtlskit accepts.
    pub(crate) fn length(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    fn digest(self, message: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => sha1::Sha1::digest(message).to_vec(),
            Self::Sha224 => sha2::Sha224::digest(message).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(message).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(message).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(message).to_vec(),
        }
    }

    /// Verifies an RSA signature with this hash; `public_key` is a DER RSAPublicKey.
    fn verify_rsa(
        self,
        padding: Padding,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let key = super::keys::encoding::read_rsa_public_key(public_key)
            .ok()
            .and_then(|(modulus, exponent)| {
                super::keys::encoding::rsa_public_key(modulus, exponent)
            })
            .ok_or(InvalidSignature)?;
        let verify = match self {
            Self::Sha1 => verify_rsa_with::<sha1::Sha1>,
            Self::Sha224 => verify_rsa_with::<sha2::Sha224>,
            Self::Sha256 => verify_rsa_with::<sha2::Sha256>,
            Self::Sha384 => verify_rsa_with::<sha2::Sha384>,
            Self::Sha512 => verify_rsa_with::<sha2::Sha512>,
        };
        verify(&key, padding, message, signature)
    }
}

#[derive(Debug, Clone, Copy)]
enum Padding {
    Pkcs1,
    /// RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash.
    Pss,
}

fn verify_rsa_with<D>(
    key: &RsaPublicKey,
    padding: Padding,
    message: &[u8],
    signature: &[u8],
) -> Result<(), InvalidSignature>
where
    D: Digest + FixedOutputReset + AssociatedOid,
{
    let digest = D::digest(message);
    let verified = match padding {
        Padding::Pkcs1 => key.verify(Pkcs1v15Sign::new::<D>(), &digest, signature),
        Padding::Pss => {
            let scheme = Pss::<D>::new_with_salt(<D as Digest>::output_size());
            key.verify(scheme, &digest, signature)
        }
    };
    verified.map_err(|_| InvalidSignature)
}

#[derive(Debug, Clone, Copy)]
enum Curve {
    P256,
    P384,
}

/// ECDSA on a curve with a hash (RFC 5758 section 3.2).
#[derive(Debug)]
struct Ecdsa(Curve, Hash, AlgorithmIdentifier);

impl SignatureVerificationAlgorithm for Ecdsa {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let Self(curve, hash, _) = self;
        let digest = hash.digest(message);
        let verified = match curve {
            Curve::P256 => {
                let key = public_point::<p256::NistP256>(public_key)?;
                let (r, s) = ecdsa_der::read::<32>(signature).ok_or(InvalidSignature)?;
                let signature = p256::ecdsa::Signature::from_scalars(r, s);
                p256::ecdsa::VerifyingKey::from_affine(key)
                    .and_then(|key| key.verify_prehash(&digest, &signature?))
            }
            Curve::P384 => {
                let key = public_point::<p384::NistP384>(public_key)?;
                let (r, s) = ecdsa_der::read::<48>(signature).ok_or(InvalidSignature)?;
                let signature = p384::ecdsa::Signature::from_scalars(r, s);
                p384::ecdsa::VerifyingKey::from_affine(key)
                    .and_then(|key| key.verify_prehash(&digest, &signature?))
            }
        };
        verified.map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        match self.0 {
            Curve::P256 => ids::ECDSA_P256,
            Curve::P384 => ids::ECDSA_P384,
        }
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.2
    }
}

/// An ECDSA public key: a point in the uncompressed (`04 || X || Y`) or compressed (`02`/`03 ||
/// X`) form of SEC 1 section 2.3.3, on the curve. The two forms certificates use are read
/// directly; the other encodings `from_sec1_bytes` knows (the identity, compact points) are not
/// public keys in X.509 (RFC 5480 section 2.2).
fn public_point<C>(public_key: &[u8]) -> Result<AffinePoint<C>, InvalidSignature>
where
    C: CurveArithmetic,
    AffinePoint<C>: AffineCoordinates<FieldRepr = FieldBytes<C>> + DecompressPoint<C>,
{
    let size = C::FieldBytesSize::USIZE;
    let field = |bytes: &[u8]| FieldBytes::<C>::try_from(bytes).map_err(|_| InvalidSignature);
    let point = match public_key.split_first() {
        Some((0x04, xy)) if xy.len() == 2 * size => {
            let (x, y) = xy.split_at(size);
            AffinePoint::<C>::from_coordinates(&field(x)?, &field(y)?)
        }
        Some((&tag @ (0x02 | 0x03), x)) if x.len() == size => {
            AffinePoint::<C>::decompress(&field(x)?, Choice::from(tag & 1))
        }
        _ => return Err(InvalidSignature),
    };
    Option::from(point).ok_or(InvalidSignature)
}

/// Ed25519 (RFC 8410), verified strictly (no small-order keys, canonical signatures).
#[derive(Debug)]
struct Ed25519;

impl SignatureVerificationAlgorithm for Ed25519 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let bytes: &[u8; 32] = public_key.try_into().map_err(|_| InvalidSignature)?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(bytes).map_err(|_| InvalidSignature)?;
        let signature =
            ed25519_dalek::Signature::from_slice(signature).map_err(|_| InvalidSignature)?;
        key.verify_strict(message, &signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        ids::ED25519
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        ids::ED25519
    }
}

/// RSASSA-PKCS1-v1_5 with a hash (RFC 8017 section 8.2), rsaEncryption keys only: an
/// id-RSASSA-PSS key is never used for it (RFC 4055 section 1.2).
#[derive(Debug)]
struct RsaPkcs1(Hash, AlgorithmIdentifier);

impl SignatureVerificationAlgorithm for RsaPkcs1 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        self.0
            .verify_rsa(Padding::Pkcs1, public_key, message, signature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        ids::RSA_ENCRYPTION
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.1
    }
}

/// RSASSA-PSS with a hash, MGF1 with the same hash and a salt as long as the hash (RFC 4055
/// section 3.1, RFC 8446 section 4.2.3), for an rsaEncryption or an id-RSASSA-PSS key.
#[derive(Debug)]
struct RsaPss(Hash, AlgorithmIdentifier, AlgorithmIdentifier);

impl SignatureVerificationAlgorithm for RsaPss {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        self.0
            .verify_rsa(Padding::Pss, public_key, message, signature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.2
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.1
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use p256::elliptic_curve::sec1::ToSec1Point;

    /// `ours` against the key crates' `from_sec1_bytes` (`reference`), both giving the point's
    /// uncompressed encoding, on `encodings` and every one-byte change of the first four that
    /// signature.rs lets through (04, 02 or 03 at the curve's length). Returns the accepted.
    fn same_as_sec1(
        encodings: &[Vec<u8>],
        ours: impl Fn(&[u8]) -> Option<Vec<u8>>,
        reference: impl Fn(&[u8]) -> Option<Vec<u8>>,
    ) -> usize {
        let compare = |bytes: &[u8]| {
            let read = ours(bytes);
            assert_eq!(read, reference(bytes), "{bytes:02x?}");
            usize::from(read.is_some())
        };
        let mut accepted = 0;
        for (index, encoded) in encodings.iter().enumerate() {
            accepted += compare(encoded);
            if index >= 4 {
                continue;
            }
            for position in 0..encoded.len() {
                for value in 0..=255u8 {
                    let mut changed = encoded.clone();
                    changed[position] = value;
                    let compressed = matches!(encoded[0], 0x02 | 0x03);
                    let let_through = match changed[0] {
                        0x04 => !compressed,
                        0x02 | 0x03 => compressed,
                        _ => false,
                    };
                    if let_through {
                        accepted += compare(&changed);
                    }
                }
            }
        }
        accepted
    }

    /// One curve's case: 40 multiples of the generator, uncompressed and compressed.
    macro_rules! curve_case {
        ($curve:ident, $params:ty) => {{
            let encodings: Vec<Vec<u8>> = (1..=40u64)
                .flat_map(|k| {
                    let point: $curve::AffinePoint = ($curve::ProjectivePoint::GENERATOR
                        * $curve::Scalar::from(k * 7919))
                    .into();
                    [false, true].map(|compress| point.to_sec1_point(compress).as_bytes().to_vec())
                })
                .collect();
            same_as_sec1(
                &encodings,
                |bytes| {
                    let point = public_point::<$params>(bytes).ok()?;
                    Some(point.to_sec1_point(false).as_bytes().to_vec())
                },
                |bytes| {
                    let key = $curve::ecdsa::VerifyingKey::from_sec1_bytes(bytes).ok()?;
                    Some(key.as_affine().to_sec1_point(false).as_bytes().to_vec())
                },
            )
        }};
    }

    #[test]
    fn public_points_are_read_as_the_key_crates_read_them() {
        let accepted = curve_case!(p256, p256::NistP256);
        assert!(accepted > 80, "{accepted}");
        let accepted = curve_case!(p384, p384::NistP384);
        assert!(accepted > 80, "{accepted}");
    }
}

//! What a public key or an algorithm identifier is, as far as the verifier and people need to
//! know: key kinds and sizes, readable algorithm names.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use der::Decode;
use der::referenced::OwnedToRef;
use rsa::pkcs1::RsaPublicKeyRef;
use spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};

use crate::Error;
use crate::x509::plain_der::tlv;

/// The kind of a public key, as far as the verifier needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicKeyKind {
    /// RSA (rsaEncryption or id-RSASSA-PSS), with the modulus size in bits.
    Rsa {
        /// Bits in the modulus.
        bits: usize,
    },
    /// ECDSA on NIST P-256.
    P256,
    /// ECDSA on NIST P-384.
    P384,
    /// ECDSA on NIST P-521 (recognised; the core's algorithms do not verify with it).
    P521,
    /// Ed25519 (RFC 8410).
    Ed25519,
}

/// Classifies the public key in `spki`, refusing what mtlskit cannot use: unknown algorithms,
/// elliptic curves given by explicit parameters (RFC 5480 section 2.1.1) and malformed keys.
pub fn public_key_kind(spki: &SubjectPublicKeyInfoOwned) -> Result<PublicKeyKind, Error> {
    public_key_kind_ref(&spki.owned_to_ref())
}

/// [`public_key_kind`] of a borrowed SPKI (a certificate's, as it is in its DER).
pub(crate) fn public_key_kind_ref(
    spki: &SubjectPublicKeyInfoRef<'_>,
) -> Result<PublicKeyKind, Error> {
    let oid = spki.algorithm.oid;
    if oid == rfc5912::RSA_ENCRYPTION || oid == rfc5912::ID_RSASSA_PSS {
        return rsa_modulus_bits(spki.subject_public_key.raw_bytes())
            .map(|bits| PublicKeyKind::Rsa { bits });
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
        (rfc5912::MD_2_WITH_RSA_ENCRYPTION, "md2WithRSAEncryption"),
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

/// id-Ed25519 (RFC 8410 section 3).
pub(crate) const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
/// ecdsa-with-SHA1 (RFC 3279 section 2.2.3).
pub(crate) const ECDSA_WITH_SHA1: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");

/// The named curve of an id-ecPublicKey SPKI (RFC 5480 section 2.1.1: namedCurve only).
pub(crate) fn ec_curve(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<PublicKeyKind, Error> {
    const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
    const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
    const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
    if spki.algorithm.oid != rfc5912::ID_EC_PUBLIC_KEY {
        return Err(unacceptable("the key is not an elliptic-curve key"));
    }
    let curve = spki
        .algorithm
        .parameters
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

/// The size in bits of the modulus of a DER RSAPublicKey (RFC 8017 appendix A.1.1).
pub(crate) fn rsa_modulus_bits(public_key: &[u8]) -> Result<usize, Error> {
    let modulus = match plain_rsa_modulus(public_key) {
        Some(modulus) => modulus,
        None => RsaPublicKeyRef::from_der(public_key)
            .map_err(|_| unacceptable("malformed RSA public key"))?
            .modulus
            .as_bytes(),
    };
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

/// The modulus of an RSAPublicKey in the plain DER shape (a SEQUENCE of two positive INTEGERs,
/// minimal lengths below 64 KiB), without its leading zero: what der's `UintRef` gives.
/// `None` for anything else (der decides).
fn plain_rsa_modulus(public_key: &[u8]) -> Option<&[u8]> {
    let (contents, []) = tlv(public_key, 0x30)? else {
        return None;
    };
    let (modulus, rest) = tlv(contents, 0x02)?;
    let (exponent, []) = tlv(rest, 0x02)? else {
        return None;
    };
    for integer in [modulus, exponent] {
        // positive and minimal: no sign bit, and a leading zero only before one
        match integer {
            [first, ..] if *first >= 0x80 => return None,
            [0x00] => {}
            [0x00, second, ..] if *second < 0x80 => return None,
            [] => return None,
            _ => {}
        }
    }
    match modulus {
        [0x00, rest @ ..] if !rest.is_empty() => Some(rest),
        _ => Some(modulus),
    }
}

pub(crate) fn unacceptable(detail: &str) -> Error {
    Error::UnacceptableKey {
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rsa_moduli_are_what_der_decodes() {
        use der::Encode;
        let integers: [&[u8]; 7] = [
            &[],
            &[0x00],
            &[0x05],
            &[0x00, 0x05],
            &[0x00, 0x80, 0x01],
            &[0x80, 0x01],
            &[0x7f; 300],
        ];
        let mut plain = 0;
        for modulus in integers {
            for exponent in integers {
                let mut contents = Vec::new();
                for integer in [modulus, exponent] {
                    contents.push(0x02);
                    contents.extend(
                        der::Length::try_from(integer.len())
                            .unwrap()
                            .to_der()
                            .unwrap(),
                    );
                    contents.extend(integer);
                }
                let mut key = vec![0x30];
                key.extend(
                    der::Length::try_from(contents.len())
                        .unwrap()
                        .to_der()
                        .unwrap(),
                );
                key.extend(contents);
                let general = RsaPublicKeyRef::from_der(&key).ok();
                match plain_rsa_modulus(&key) {
                    Some(found) => {
                        plain += 1;
                        assert_eq!(Some(found), general.map(|key| key.modulus.as_bytes()));
                    }
                    None => assert!(general.is_none(), "{key:02x?}"),
                }
            }
        }
        assert_eq!(plain, 16);
    }

    #[test]
    fn names_known_algorithms() {
        assert_eq!(
            algorithm_name(&rfc5912::ECDSA_WITH_SHA_256),
            "ecdsa-with-SHA256"
        );
        assert_eq!(
            algorithm_name(&ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8")),
            "1.2.840.113549.1.1.8"
        );
    }
}

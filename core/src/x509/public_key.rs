//! Public keys (`SubjectPublicKeyInfo`, RFC 5280 section 4.1.2.7): algorithm, curve, size and
//! the SHA-256 pin of the whole SPKI (as used by HPKP and curl's `--pinnedpubkey`).

use const_oid::ObjectIdentifier;
use serde::Serialize;
use sha2::{Digest, Sha256};

#[cfg(test)]
use x509_cert::der::Encode as _;
#[cfg(test)]
use x509_cert::spki::SubjectPublicKeyInfoOwned;

use crate::asn1::read::{self, Tag, Tlv};
use crate::crypto::SpkiRef;

/// What a public key is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PublicKeyReport {
    /// `rsa`, `rsa-pss`, `ec`, `ed25519`, `ed448`, `x25519`, `x448`, `dsa`, or the dotted OID.
    pub algorithm: String,
    /// The named curve of an EC key (`P-256`, `P-384`, `P-521`, `secp256k1`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curve: Option<String>,
    /// Key size in bits: the modulus for RSA and DSA, the field for EC, 256/456 for EdDSA.
    pub bits: u32,
    /// Base64 of the SHA-256 of the DER `SubjectPublicKeyInfo`.
    pub spki_sha256: String,
}

/// Describes the DER SubjectPublicKeyInfo `der` ([`crate::Error::InvalidDer`] when it is not
/// one).
pub fn describe_der(der: &[u8]) -> Result<PublicKeyReport, crate::Error> {
    crate::crypto::parse_spki(der).map(|spki| describe_ref(&spki))
}

/// Describes a SubjectPublicKeyInfo read with the core's reader.
pub(crate) fn describe_ref(spki: &SpkiRef<'_>) -> PublicKeyReport {
    describe_fields(
        spki.whole,
        spki.algorithm.oid,
        spki.algorithm.parameters,
        spki.key,
    )
}

/// Describes `x509-cert`'s SubjectPublicKeyInfo, for the test-only decoders kept as oracles
/// (`inspect`'s `_before` paths): the same report for the same bytes as [`describe_ref`].
#[cfg(test)]
pub(crate) fn describe(spki: &SubjectPublicKeyInfoOwned) -> PublicKeyReport {
    let der = spki.to_der().unwrap_or_default();
    match crate::crypto::parse_spki(&der) {
        Ok(spki) => describe_ref(&spki),
        Err(_) => describe_fields(&der, spki.algorithm.oid.as_bytes(), None, &[]),
    }
}

/// Describes a SubjectPublicKeyInfo from its parts (the native plain walk's): its DER `der`,
/// its algorithm `oid`, the whole TLV of its `parameters`, and the bytes of its key BIT STRING.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn describe_parts(
    der: &[u8],
    oid: &ObjectIdentifier,
    parameters: Option<&[u8]>,
    key: &[u8],
) -> PublicKeyReport {
    let parameters = parameters.and_then(|der| read::parse(der, |reader| reader.tlv()).ok());
    describe_fields(der, oid.as_bytes(), parameters, key)
}

/// Describes a SubjectPublicKeyInfo from its DER `der`, its algorithm's OID contents `oid`
/// and parameters, and the bytes of its key BIT STRING.
fn describe_fields(
    der: &[u8],
    oid: &[u8],
    parameters: Option<Tlv<'_>>,
    key: &[u8],
) -> PublicKeyReport {
    const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    const EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    let parameters_oid = || {
        parameters
            .filter(|tlv| tlv.tag == Tag::OID)
            .and_then(|tlv| read::object_identifier(tlv.contents))
    };
    // The two usual algorithms matched on their DER arcs; the others by their dotted text.
    let (algorithm, curve, bits) = match oid {
        RSA => ("rsa".to_owned(), None, rsa_bits(key)),
        EC => {
            let (curve, bits) = parameters_oid()
                .as_ref()
                .map_or(("explicit".to_owned(), ec_point_bits(key)), curve_name);
            ("ec".to_owned(), Some(curve), bits)
        }
        _ => {
            let oid = read::oid_text(oid);
            match oid.as_str() {
                "1.2.840.113549.1.1.10" => ("rsa-pss".to_owned(), None, rsa_bits(key)),
                "1.3.101.112" => ("ed25519".to_owned(), None, 256),
                "1.3.101.113" => ("ed448".to_owned(), None, 456),
                "1.3.101.110" => ("x25519".to_owned(), None, 256),
                "1.3.101.111" => ("x448".to_owned(), None, 448),
                "1.2.840.10040.4.1" => ("dsa".to_owned(), None, dsa_bits(parameters)),
                _ => (oid, None, 0),
            }
        }
    };
    PublicKeyReport {
        algorithm,
        curve,
        bits,
        spki_sha256: crate::decode::public_base64::encode(&Sha256::digest(der)),
    }
}

/// The name and size of a named curve.
pub fn curve_name(oid: &ObjectIdentifier) -> (String, u32) {
    let (name, bits) = match super::dotted_text(oid).as_ref() {
        "1.2.840.10045.3.1.7" => ("P-256", 256),
        "1.3.132.0.34" => ("P-384", 384),
        "1.3.132.0.35" => ("P-521", 521),
        "1.3.132.0.33" => ("P-224", 224),
        "1.2.840.10045.3.1.1" => ("P-192", 192),
        "1.3.132.0.10" => ("secp256k1", 256),
        "1.3.36.3.3.2.8.1.1.7" => ("brainpoolP256r1", 256),
        "1.3.36.3.3.2.8.1.1.11" => ("brainpoolP384r1", 384),
        "1.3.36.3.3.2.8.1.1.13" => ("brainpoolP512r1", 512),
        "1.2.156.10197.1.301" => ("SM2", 256),
        other => return (other.to_owned(), 0),
    };
    (name.to_owned(), bits)
}

/// Bits in the modulus of a PKCS#1 `RSAPublicKey`.
pub fn rsa_bits(key: &[u8]) -> u32 {
    crate::crypto::keys::encoding::read_rsa_public_key(key)
        .map_or(0, |(modulus, _)| unsigned_bits(modulus))
}

/// Bits in a big-endian unsigned integer.
pub fn unsigned_bits(bytes: &[u8]) -> u32 {
    let zeros = bytes.iter().take_while(|byte| **byte == 0).count();
    let Some(first) = bytes.get(zeros) else {
        return 0;
    };
    let remaining = u32::try_from(bytes.len() - zeros).unwrap_or(u32::MAX);
    remaining
        .saturating_mul(8)
        .saturating_sub(first.leading_zeros())
}

/// A best guess at the field size of an uncompressed EC point with explicit parameters.
fn ec_point_bits(point: &[u8]) -> u32 {
    let coordinates = point.len().saturating_sub(1) / 2;
    u32::try_from(coordinates * 8).unwrap_or(0)
}

/// Bits in the prime `p` of DSA parameters `Dss-Parms ::= SEQUENCE { p, q, g INTEGER }`
/// (non-negative INTEGERs, as `der`'s `UintRef` read them).
fn dsa_bits(parameters: Option<Tlv<'_>>) -> u32 {
    let Some(parameters) = parameters else {
        return 0;
    };
    let p = read::parse(parameters.whole, |reader| {
        reader.read_sequence(|fields| {
            let p = fields.unsigned()?;
            fields.unsigned()?;
            fields.unsigned()?;
            Ok(p)
        })
    });
    p.map_or(0, unsigned_bits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Decode;
    use der::asn1::AnyRef;

    /// `describe` as it was on `spki`, `pkcs1` and `der` (the reference of the differential
    /// test).
    fn describe_before(spki: &SubjectPublicKeyInfoOwned) -> PublicKeyReport {
        let der = spki.to_der().unwrap_or_default();
        let oid = &spki.algorithm.oid;
        let parameters = spki.algorithm.parameters.as_ref().map(AnyRef::from);
        let key = spki.subject_public_key.raw_bytes();
        let rsa_bits = |key: &[u8]| {
            pkcs1::RsaPublicKeyRef::from_der(key)
                .map_or(0, |key| unsigned_bits(key.modulus.as_bytes()))
        };
        let dsa_bits = |parameters: Option<AnyRef<'_>>| {
            #[derive(der::Sequence)]
            struct DssParameters<'a> {
                p: der::asn1::UintRef<'a>,
                q: der::asn1::UintRef<'a>,
                g: der::asn1::UintRef<'a>,
            }
            let Some(der) = parameters.and_then(|any| any.to_der().ok()) else {
                return 0;
            };
            DssParameters::from_der(&der).map_or(0, |dss| unsigned_bits(dss.p.as_bytes()))
        };
        let curve = || parameters.and_then(|any| any.decode_as::<ObjectIdentifier>().ok());
        let (algorithm, curve, bits) = match super::super::dotted(oid).as_str() {
            "1.2.840.113549.1.1.1" => ("rsa".to_owned(), None, rsa_bits(key)),
            "1.2.840.10045.2.1" => {
                let (curve, bits) = curve()
                    .as_ref()
                    .map_or(("explicit".to_owned(), ec_point_bits(key)), curve_name);
                ("ec".to_owned(), Some(curve), bits)
            }
            "1.2.840.113549.1.1.10" => ("rsa-pss".to_owned(), None, rsa_bits(key)),
            "1.3.101.112" => ("ed25519".to_owned(), None, 256),
            "1.3.101.113" => ("ed448".to_owned(), None, 456),
            "1.3.101.110" => ("x25519".to_owned(), None, 256),
            "1.3.101.111" => ("x448".to_owned(), None, 448),
            "1.2.840.10040.4.1" => ("dsa".to_owned(), None, dsa_bits(parameters)),
            other => (other.to_owned(), None, 0),
        };
        PublicKeyReport {
            algorithm,
            curve,
            bits,
            spki_sha256: crate::decode::public_base64::encode(&Sha256::digest(&der)),
        }
    }

    /// The report on the core's reader is the report on `spki`'s for every SPKI of the corpora
    /// (certificates, openssl-made keys of every type, DSA with its parameters) and every
    /// one-byte change and truncation of them that both read; the bridges give the same.
    #[test]
    fn describes_every_corpus_spki_as_before() {
        let spkis = crate::crypto::identify_tests::corpus_spkis();
        let changed = crate::x509::test_corpus::one_byte_changes(
            spkis.clone(),
            1,
            &[0x00, 0x01, 0x02, 0x05, 0x06, 0x30, 0x80, 0xff],
            &[0x01, 0x80],
        );
        let (mut compared, mut algorithms) = (0usize, std::collections::BTreeSet::new());
        for der in spkis.iter().chain(&changed) {
            let Ok(theirs) = SubjectPublicKeyInfoOwned::from_der(der) else {
                assert!(describe_der(der).is_err(), "{der:02x?}");
                continue;
            };
            let before = describe_before(&theirs);
            assert_eq!(describe_der(der).unwrap(), before, "{der:02x?}");
            assert_eq!(describe(&theirs), before, "{der:02x?}");
            let parameters = theirs
                .algorithm
                .parameters
                .as_ref()
                .map(|any| any.to_der().unwrap());
            let parts = describe_parts(
                der,
                &theirs.algorithm.oid,
                parameters.as_deref(),
                theirs.subject_public_key.raw_bytes(),
            );
            assert_eq!(parts, before, "{der:02x?}");
            algorithms.insert((before.algorithm, before.bits > 0));
            compared += 1;
        }
        assert!(compared > 10_000, "{compared}");
        for expected in ["rsa", "ec", "ed25519", "ed448", "dsa"] {
            assert!(
                algorithms.contains(&(expected.to_owned(), true)),
                "{expected}: {algorithms:?}"
            );
        }
    }

    #[test]
    fn counts_bits() {
        assert_eq!(unsigned_bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(unsigned_bits(&[0x01]), 1);
        assert_eq!(unsigned_bits(&[]), 0);
        assert_eq!(unsigned_bits(&[0, 0]), 0);
    }
}

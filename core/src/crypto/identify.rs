//! What a public key or an algorithm identifier is, as far as the verifier and people need to
//! know: key kinds and sizes, readable algorithm names.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;

use crate::Error;
use crate::asn1::read::{self, AlgorithmIdentifier, Reader, Tag};

/// A SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7), borrowed from its DER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SpkiRef<'a> {
    pub(crate) algorithm: AlgorithmIdentifier<'a>,
    /// The BIT STRING's unused bits (0 for every key the verifier uses).
    pub(crate) unused_bits: u8,
    /// The BIT STRING's bytes (the key).
    pub(crate) key: &'a [u8],
    /// The whole SubjectPublicKeyInfo TLV.
    pub(crate) whole: &'a [u8],
}

impl SpkiRef<'_> {
    /// The key bytes when the BIT STRING has no unused bits (`der`'s `as_bytes`).
    pub(crate) fn key_bytes(&self) -> Option<&[u8]> {
        (self.unused_bits == 0).then_some(self.key)
    }
}

/// Reads a `SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
/// subjectPublicKey BIT STRING }`, accepting what `spki`'s decoder accepts: the BIT STRING's
/// unused bits need not be zero (the verifier refuses keys with unused bits).
pub(crate) fn read_spki<'a>(reader: &mut Reader<'a>) -> read::Result<SpkiRef<'a>> {
    let tlv = reader.expect(Tag::SEQUENCE, "a SubjectPublicKeyInfo (SEQUENCE)")?;
    let mut inner = tlv.reader()?;
    let algorithm = inner.algorithm()?;
    let (unused_bits, key) = inner.bit_string_any_padding()?;
    inner.finish()?;
    Ok(SpkiRef {
        algorithm,
        unused_bits,
        key,
        whole: tlv.whole,
    })
}

/// Reads all of `der` as a SubjectPublicKeyInfo ([`Error::InvalidDer`] otherwise).
pub(crate) fn parse_spki(der: &[u8]) -> Result<SpkiRef<'_>, Error> {
    read::parse(der, read_spki).map_err(|error| error.into_error("SubjectPublicKeyInfo"))
}

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

/// Classifies the public key of the DER SubjectPublicKeyInfo `spki`, refusing what mtlskit
/// cannot use: unknown algorithms, elliptic curves given by explicit parameters (RFC 5480
/// section 2.1.1) and malformed keys ([`Error::InvalidDer`] for a malformed SPKI).
pub fn public_key_kind(spki: &[u8]) -> Result<PublicKeyKind, Error> {
    public_key_kind_ref(&parse_spki(spki)?)
}

/// [`public_key_kind`] of a borrowed SPKI (a certificate's, as it is in its DER).
pub(crate) fn public_key_kind_ref(spki: &SpkiRef<'_>) -> Result<PublicKeyKind, Error> {
    let algorithm = &spki.algorithm;
    if algorithm.is(&rfc5912::RSA_ENCRYPTION) || algorithm.is(&rfc5912::ID_RSASSA_PSS) {
        return rsa_modulus_bits(spki.key).map(|bits| PublicKeyKind::Rsa { bits });
    }
    if algorithm.is(&rfc5912::ID_EC_PUBLIC_KEY) {
        return ec_curve(algorithm);
    }
    if algorithm.is(&ED25519) {
        return match spki.key.len() {
            32 => Ok(PublicKeyKind::Ed25519),
            _ => Err(unacceptable("an Ed25519 key must be 32 bytes")),
        };
    }
    Err(unacceptable(&format!(
        "public key algorithm {} is not supported",
        algorithm_name_of(algorithm)
    )))
}

/// The OID of `algorithm` ([`Error::UnsupportedAlgorithm`] if its bytes are not an OID, which
/// the reader has already refused).
pub(crate) fn oid_of(algorithm: &AlgorithmIdentifier<'_>) -> Result<ObjectIdentifier, Error> {
    ObjectIdentifier::from_bytes(algorithm.oid).map_err(|_| Error::UnsupportedAlgorithm {
        algorithm: "an invalid OID".to_owned(),
    })
}

/// [`algorithm_name`] of a borrowed AlgorithmIdentifier.
pub(crate) fn algorithm_name_of(algorithm: &AlgorithmIdentifier<'_>) -> String {
    match ObjectIdentifier::from_bytes(algorithm.oid) {
        Ok(oid) => algorithm_name(&oid),
        Err(_) => algorithm.oid_text(),
    }
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

/// The named curve of an id-ecPublicKey SPKI's algorithm (RFC 5480 section 2.1.1: namedCurve
/// only).
pub(crate) fn ec_curve(algorithm: &AlgorithmIdentifier<'_>) -> Result<PublicKeyKind, Error> {
    const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
    const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
    const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
    if !algorithm.is(&rfc5912::ID_EC_PUBLIC_KEY) {
        return Err(unacceptable("the key is not an elliptic-curve key"));
    }
    let curve = named_curve(algorithm).ok_or_else(|| {
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

/// The parameters of `algorithm` as an OBJECT IDENTIFIER (a named curve), if they are one.
pub(crate) fn named_curve(algorithm: &AlgorithmIdentifier<'_>) -> Option<ObjectIdentifier> {
    let parameters = algorithm.parameters?;
    if parameters.tag != Tag::OID || !read::valid_oid(parameters.contents) {
        return None;
    }
    ObjectIdentifier::from_bytes(parameters.contents).ok()
}

/// The size in bits of the modulus of a DER RSAPublicKey (RFC 8017 appendix A.1.1).
pub(crate) fn rsa_modulus_bits(public_key: &[u8]) -> Result<usize, Error> {
    let modulus =
        rsa_modulus(public_key).ok_or_else(|| unacceptable("malformed RSA public key"))?;
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

/// The modulus of a DER `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`
/// (both non-negative), without its sign byte: what `pkcs1`'s `RsaPublicKeyRef` gives.
pub(crate) fn rsa_modulus(public_key: &[u8]) -> Option<&[u8]> {
    read::parse(public_key, |reader| {
        reader.read_sequence(|key| {
            let modulus = key.unsigned()?;
            key.unsigned()?;
            Ok(modulus)
        })
    })
    .ok()
}

pub(crate) fn unacceptable(detail: &str) -> Error {
    Error::UnacceptableKey {
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn rsa_moduli_are_what_pkcs1_decodes() {
        use der::{Decode, Encode};
        use pkcs1::RsaPublicKeyRef;
        let integers: [&[u8]; 7] = [
            &[],
            &[0x00],
            &[0x05],
            &[0x00, 0x05],
            &[0x00, 0x80, 0x01],
            &[0x80, 0x01],
            &[0x7f; 300],
        ];
        let mut accepted = 0;
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
                let ours = rsa_modulus(&key);
                assert_eq!(
                    ours,
                    general.map(|key| key.modulus.as_bytes()),
                    "{key:02x?}"
                );
                accepted += usize::from(ours.is_some());
            }
        }
        assert_eq!(accepted, 16);
    }

    /// The DER files of `core/tests/data/keys` (openssl-made, `scripts/make-test-keys.sh`)
    /// whose name contains `part`.
    pub(crate) fn test_keys(part: &str) -> Vec<(String, Vec<u8>)> {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys");
        let mut keys: Vec<_> = std::fs::read_dir(folder)
            .unwrap()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.to_string_lossy().contains(part))
            .map(|path| (path.display().to_string(), std::fs::read(&path).unwrap()))
            .collect();
        keys.sort();
        keys
    }

    /// Every distinct SubjectPublicKeyInfo of the corpora: the certificates' (system bundle,
    /// limbo, BetterTLS), the openssl-made keys' and the fuzz corpus'.
    pub(crate) fn corpus_spkis() -> Vec<Vec<u8>> {
        use der::{Decode, Encode};
        let certificates = crate::x509::test_corpus::certificates(&[
            "limbo-dev.json",
            "bettertls-pathbuilding-dev.json",
        ]);
        let mut spkis: Vec<Vec<u8>> = certificates
            .iter()
            .filter_map(|der| x509_cert::Certificate::from_der(der).ok())
            .filter_map(|certificate| {
                certificate
                    .tbs_certificate()
                    .subject_public_key_info()
                    .to_der()
                    .ok()
            })
            .collect();
        spkis.extend(test_keys(".spki").into_iter().map(|(_, der)| der));
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/keys/");
        spkis.push(std::fs::read(format!("{seeds}seed-rsa.spki.der")).unwrap());
        let pem = std::fs::read(format!("{seeds}seed-ed.spki.pem")).unwrap();
        spkis.extend(
            crate::decode::blocks(&pem)
                .unwrap()
                .into_iter()
                .flatten()
                .map(|block| block.der),
        );
        spkis.sort();
        spkis.dedup();
        spkis
    }

    /// `public_key_kind` as it was on `spki`'s types (the reference of the differential test).
    fn kind_before(spki: &spki::SubjectPublicKeyInfoRef<'_>) -> Result<PublicKeyKind, Error> {
        use der::Decode;
        let oid = spki.algorithm.oid;
        let key = spki.subject_public_key.raw_bytes();
        if oid == rfc5912::RSA_ENCRYPTION || oid == rfc5912::ID_RSASSA_PSS {
            let modulus = pkcs1::RsaPublicKeyRef::from_der(key)
                .map_err(|_| unacceptable("malformed RSA public key"))?
                .modulus;
            let significant = modulus.as_bytes().iter().skip_while(|byte| **byte == 0);
            let bytes: Vec<u8> = significant.copied().collect();
            let leading = bytes
                .first()
                .map_or(0, |byte| byte.leading_zeros() as usize);
            let bits = (bytes.len() * 8).saturating_sub(leading);
            return Ok(PublicKeyKind::Rsa { bits });
        }
        if oid == rfc5912::ID_EC_PUBLIC_KEY {
            let curve = spki
                .algorithm
                .parameters
                .and_then(|parameters| parameters.decode_as::<ObjectIdentifier>().ok());
            return match curve.map(|curve| curve.to_string()).as_deref() {
                Some("1.2.840.10045.3.1.7") => Ok(PublicKeyKind::P256),
                Some("1.3.132.0.34") => Ok(PublicKeyKind::P384),
                Some("1.3.132.0.35") => Ok(PublicKeyKind::P521),
                Some(other) => Err(unacceptable(&format!(
                    "elliptic curve {other} is not supported"
                ))),
                None => Err(unacceptable(
                    "elliptic curve not given as a named curve (RFC 5480 2.1.1)",
                )),
            };
        }
        if oid == ED25519 {
            return match key.len() {
                32 => Ok(PublicKeyKind::Ed25519),
                _ => Err(unacceptable("an Ed25519 key must be 32 bytes")),
            };
        }
        Err(unacceptable(&format!(
            "public key algorithm {} is not supported",
            algorithm_name(&oid)
        )))
    }

    /// `read_spki` accepts what `spki`'s decoder accepts, with the same fields, and
    /// `public_key_kind` classifies as it did, on every SPKI of the corpora and every one-byte
    /// change and truncation of them.
    #[test]
    fn spkis_read_and_classify_as_with_spki_on_the_corpora_and_every_one_byte_change() {
        use der::{Decode, Encode};
        let spkis = corpus_spkis();
        assert!(spkis.len() > 100, "{} SPKIs", spkis.len());
        let (mut compared, mut accepted, mut kinds) = (0usize, 0usize, [0usize; 6]);
        let changed = crate::x509::test_corpus::one_byte_changes(
            spkis.clone(),
            1,
            &[0x00, 0x80, 0xff, 0x05, 0x06, 0x30],
            &[0x01, 0x80],
        );
        for der in spkis.iter().chain(&changed) {
            let ours = parse_spki(der);
            let theirs = spki::SubjectPublicKeyInfoRef::from_der(der);
            compared += 1;
            match (&ours, &theirs) {
                (Ok(ours), Ok(theirs)) => {
                    accepted += 1;
                    assert_eq!(
                        ours.algorithm.oid,
                        theirs.algorithm.oid.as_bytes(),
                        "{der:02x?}"
                    );
                    let parameters = ours.algorithm.parameters.map(|tlv| tlv.whole.to_vec());
                    let expected = theirs.algorithm.parameters.map(|any| any.to_der().unwrap());
                    assert_eq!(parameters, expected, "{der:02x?}");
                    assert_eq!(
                        (ours.unused_bits, ours.key),
                        (
                            theirs.subject_public_key.unused_bits(),
                            theirs.subject_public_key.raw_bytes()
                        ),
                        "{der:02x?}"
                    );
                    assert_eq!(ours.whole, &der[..]);
                    let kind = public_key_kind_ref(ours);
                    let before = kind_before(theirs);
                    assert_eq!(
                        kind.as_ref().map_err(ToString::to_string),
                        before.as_ref().map_err(ToString::to_string),
                        "{der:02x?}"
                    );
                    let slot = match kind {
                        Ok(PublicKeyKind::Rsa { .. }) => 0,
                        Ok(PublicKeyKind::P256) => 1,
                        Ok(PublicKeyKind::P384) => 2,
                        Ok(PublicKeyKind::P521) => 3,
                        Ok(PublicKeyKind::Ed25519) => 4,
                        Err(_) => 5,
                    };
                    kinds[slot] += 1;
                }
                (Err(_), Err(_)) => {}
                _ => panic!("ours {ours:?}, spki's {theirs:?}: {der:02x?}"),
            }
        }
        assert!(compared > 100_000, "{compared} compared");
        assert!(accepted > 10_000, "{accepted} accepted");
        assert!(kinds.iter().all(|count| *count > 0), "{kinds:?}");
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

//! The reports for private and public keys. A private key report says what the key is and
//! which public key belongs to it; private material never leaves this module.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use serde::Serialize;

use super::Source;
use crate::asn1::read::{self, Tag};
use crate::asn1::write;
use crate::crypto::keys::encoding;
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

const RSA: ObjectIdentifier = rfc5912::RSA_ENCRYPTION;
const EC: ObjectIdentifier = rfc5912::ID_EC_PUBLIC_KEY;
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const P256: ObjectIdentifier = rfc5912::SECP_256_R_1;
const P384: ObjectIdentifier = rfc5912::SECP_384_R_1;

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
    let spki = public_key_spki(kind == Kind::RsaPublicKey, der)?;
    Ok(PublicKeyItem {
        source,
        public_key: describe(&spki)?,
        pem: crate::decode::public_base64::pem("PUBLIC KEY", &spki),
    })
}

/// The DER SubjectPublicKeyInfo of a public key item: `der` itself, or a PKCS#1 RSAPublicKey
/// (`pkcs1`) wrapped in one.
fn public_key_spki(pkcs1: bool, der: &[u8]) -> Result<Vec<u8>, Error> {
    if pkcs1 {
        encoding::read_rsa_public_key(der)
            .map_err(|error| error.into_error("PKCS#1 RSA public key"))?;
        return Ok(rsa_spki(der));
    }
    let spki = read::parse(der, crate::crypto::read_spki)
        .map_err(|error| error.into_error("public key"))?;
    Ok(spki.whole.to_vec())
}

/// The report of a DER SubjectPublicKeyInfo written here.
fn describe(spki: &[u8]) -> Result<PublicKeyReport, Error> {
    public_key::describe_der(spki)
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
    report.public_key = Some(describe(&spki)?);
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
        public_key: Some(describe(&pkcs8_spki(der)?)?),
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
        public_key: public_key.as_deref().map(describe).transpose()?,
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

/// The public key (DER SubjectPublicKeyInfo) of a PKCS#8 `OneAsymmetricKey`.
fn pkcs8_spki(der: &[u8]) -> Result<Vec<u8>, Error> {
    const ITEM: &str = "PKCS#8 private key";
    let info = encoding::read_private_key_info(der).map_err(|error| error.into_error(ITEM))?;
    let key = info.private_key;
    let algorithm = &info.algorithm;
    if algorithm.is(&RSA) {
        return rsa_private_spki(key);
    }
    if algorithm.is(&EC) {
        let curve = algorithm
            .parameters
            .filter(|parameters| parameters.tag == Tag::OID)
            .and_then(|parameters| read::object_identifier(parameters.contents));
        return sec1_spki(key, curve);
    }
    if let Some((_, public)) = info.public_key {
        return Ok(spki(algorithm.oid, Parameters::Absent, public));
    }
    if algorithm.is(&ED25519) {
        let seed = read::parse(key, |reader| reader.octet_string())
            .map_err(|error| error.into_error(ITEM))?;
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| invalid_key(ITEM, "an Ed25519 seed is 32 bytes"))?;
        let seed = zeroize::Zeroizing::new(seed);
        let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
        return Ok(spki(algorithm.oid, Parameters::Absent, public.as_bytes()));
    }
    Err(Error::UnsupportedAlgorithm {
        algorithm: format!(
            "private key algorithm {} without its public key",
            algorithm.oid_text()
        ),
    })
}

/// The public key of a PKCS#1 `RSAPrivateKey` (two-prime or multi-prime: the report describes
/// what `rsa` would refuse to load).
fn rsa_private_spki(der: &[u8]) -> Result<Vec<u8>, Error> {
    const ITEM: &str = "RSA private key";
    let (modulus, exponent) =
        encoding::read_rsa_private_key_public_part(der).map_err(|error| error.into_error(ITEM))?;
    let mut public = Vec::with_capacity(modulus.len() + exponent.len() + 16);
    write::sequence(&mut public, |out| {
        write::integer_unsigned(out, modulus);
        write::integer_unsigned(out, exponent);
    });
    Ok(rsa_spki(&public))
}

/// An rsaEncryption SubjectPublicKeyInfo around the DER RSAPublicKey `public_der`.
fn rsa_spki(public_der: &[u8]) -> Vec<u8> {
    spki(RSA.as_bytes(), Parameters::Null, public_der)
}

/// The public key of a SEC1 `ECPrivateKey`, taken from the key or derived for P-256/P-384;
/// `curve` (a PKCS#8 key's) comes before the key's own.
fn sec1_spki(der: &[u8], curve: Option<ObjectIdentifier>) -> Result<Vec<u8>, Error> {
    const ITEM: &str = "EC private key";
    let key = encoding::read_ec_private_key(der).map_err(|error| error.into_error(ITEM))?;
    let named = key.curve.and_then(read::object_identifier);
    let curve = curve
        .or(named)
        .ok_or_else(|| invalid_key(ITEM, "the key does not name its curve"))?;
    let point = match key.public_key {
        Some(point) => point.to_vec(),
        None => derive_ec_point(curve, key.private_key)?,
    };
    Ok(spki(EC.as_bytes(), Parameters::Oid(&curve), &point))
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

/// The parameters of a SubjectPublicKeyInfo's algorithm written here.
enum Parameters<'a> {
    Absent,
    Null,
    Oid(&'a ObjectIdentifier),
}

/// Writes `SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { oid, parameters }, BIT STRING }` for
/// the OID contents `oid` and the key bytes `key`.
fn spki(oid: &[u8], parameters: Parameters<'_>, key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(key.len() + oid.len() + 32);
    write::sequence(&mut out, |out| {
        write::sequence(out, |out| {
            write::tlv(out, write::tag::OBJECT_IDENTIFIER, oid);
            match parameters {
                Parameters::Absent => {}
                Parameters::Null => write::null(out),
                Parameters::Oid(curve) => write::oid(out, curve),
            }
        });
        write::bit_string(out, 0, key);
    });
    out
}

fn invalid_key(structure: &'static str, detail: &str) -> Error {
    Error::InvalidDer {
        structure,
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    //! The key reports' public keys against the derivations on `der`, `spki`, `pkcs1`, `pkcs8`
    //! and `sec1` they replace (`keys_before.rs`): openssl-made keys of every kind and
    //! encoding (`core/tests/data/keys`), and every one-byte change and truncation of them.
    use super::super::keys_before;
    use super::*;

    fn outcome<T>(result: Result<T, Error>, describe: impl Fn(T) -> PublicKeyReport) -> String {
        match result {
            Ok(value) => format!("{:?}", describe(value)),
            Err(error) => format!("error {}", error.code()),
        }
    }

    fn before(spki: spki::SubjectPublicKeyInfoOwned) -> PublicKeyReport {
        let der = der::Encode::to_der(&spki).unwrap();
        public_key::describe_der(&der).unwrap()
    }

    fn after(spki: Vec<u8>) -> PublicKeyReport {
        describe(&spki).unwrap()
    }

    fn keys(parts: &[&str]) -> Vec<Vec<u8>> {
        let mut keys = Vec::new();
        for part in parts {
            keys.extend(
                crate::crypto::identify_tests::test_keys(part)
                    .into_iter()
                    .map(|(_, der)| der),
            );
        }
        assert!(!keys.is_empty(), "{parts:?}");
        let mut all = keys.clone();
        all.extend(crate::x509::test_corpus::one_byte_changes(
            keys,
            1,
            &[
                0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x30, 0x80, 0xa0, 0xa1, 0xff,
            ],
            &[0x01, 0x20, 0x80],
        ));
        all
    }

    /// Compares `ours` and `theirs` on every key; returns how many both accepted.
    fn compare(
        keys: &[Vec<u8>],
        ours: impl Fn(&[u8]) -> Result<Vec<u8>, Error>,
        theirs: impl Fn(&[u8]) -> Result<spki::SubjectPublicKeyInfoOwned, Error>,
    ) -> usize {
        let mut accepted = 0;
        for der in keys {
            let new = outcome(ours(der), after);
            let old = outcome(theirs(der), before);
            assert_eq!(new, old, "{der:02x?}");
            accepted += usize::from(!new.starts_with("error"));
        }
        accepted
    }

    #[test]
    fn pkcs8_keys_report_the_public_key_as_before() {
        let keys = keys(&[".p8"]);
        let accepted = compare(&keys, pkcs8_spki, keys_before::pkcs8_spki);
        assert!(
            accepted > 100 && accepted < keys.len(),
            "{accepted} of {}",
            keys.len()
        );
    }

    #[test]
    fn sec1_and_pkcs1_keys_report_the_public_key_as_before() {
        let sec1 = keys(&[".sec1"]);
        let accepted = compare(
            &sec1,
            |der| sec1_spki(der, None),
            |der| keys_before::sec1_spki(der, None),
        );
        assert!(
            accepted > 100 && accepted < sec1.len(),
            "{accepted} of {}",
            sec1.len()
        );
        let pkcs1 = keys(&[".pkcs1"]);
        let accepted = compare(&pkcs1, rsa_private_spki, keys_before::rsa_private_spki);
        assert!(
            accepted > 100 && accepted < pkcs1.len(),
            "{accepted} of {}",
            pkcs1.len()
        );
    }

    #[test]
    fn public_keys_are_read_as_before() {
        for (part, pkcs1) in [(".spki", false), (".rsapub", true)] {
            let keys = keys(&[part]);
            let accepted = compare(
                &keys,
                |der| public_key_spki(pkcs1, der),
                |der| keys_before::public_key_spki(pkcs1, der),
            );
            assert!(accepted > 50 && accepted < keys.len(), "{part}: {accepted}");
        }
    }

    /// A multi-prime RSAPrivateKey (version 1, otherPrimeInfos), which `pkcs1` read and the
    /// report described: still described.
    #[test]
    fn multi_prime_rsa_keys_are_described_as_before() {
        let mut der = Vec::new();
        write::sequence(&mut der, |out| {
            write::integer_u64(out, 1);
            for value in [0xc5_u64, 3, 7, 11, 13, 5, 7, 9] {
                write::integer_u64(out, value);
            }
            write::sequence(out, |out| {
                write::sequence(out, |out| {
                    for value in [17_u64, 19, 23] {
                        write::integer_u64(out, value);
                    }
                });
            });
        });
        let keys = keys_with(&der);
        let accepted = compare(&keys, rsa_private_spki, keys_before::rsa_private_spki);
        assert!(accepted > 10, "{accepted}");
    }

    fn keys_with(der: &[u8]) -> Vec<Vec<u8>> {
        let mut all = vec![der.to_vec()];
        all.extend(crate::x509::test_corpus::one_byte_changes(
            vec![der.to_vec()],
            1,
            &[0x00, 0x01, 0x02, 0x30, 0x80, 0xff],
            &[0x01, 0x20, 0x80],
        ));
        all
    }

    /// The key paths this move changed, new against old in one binary, for callgrind's
    /// instruction counts (BENCHMARKS.md "Lean wasm", `derkeys2`): sniffing unlabelled DER
    /// (every corpus item), the key reports' public keys (every openssl-made key) and the CSR
    /// report (every corpus CSR), each `ROUNDS` times:
    /// `valgrind --tool=callgrind --callgrind-out-file=ab.out <lib test binary> --ignored
    /// --exact inspect::keys::tests::key_paths_ab`, then `callgrind_annotate --inclusive=yes
    /// ab.out | grep ab_`.
    #[test]
    #[ignore = "a measurement, run under callgrind"]
    fn key_paths_ab() {
        const ROUNDS: usize = 4;
        let items = crate::decode::sniff_tests::corpus();
        let mut keys: Vec<(&'static str, Vec<u8>)> = Vec::new();
        for part in [".p8", ".sec1", ".pkcs1", ".spki"] {
            for (_, der) in crate::crypto::identify_tests::test_keys(part) {
                keys.push((part, der));
            }
        }
        let csrs = crate::x509::csr::tests::corpus();
        // Lazily built tables (the curves' basepoint tables) are built before measuring; the
        // order alternates between rounds (`AB_OLD_FIRST=1` starts with the old code).
        for (_, der) in &keys {
            let _ = (pkcs8_spki(der), sec1_spki(der, None));
        }
        for der in &csrs {
            let _ = super::super::csr::report(der, super::super::csr::tests::source());
        }
        let old_first = std::env::var("AB_OLD_FIRST").is_ok_and(|value| value == "1");
        let mut totals = [0usize; 6];
        for round in 0..ROUNDS {
            if (round % 2 == 0) == old_first {
                totals[1] += ab_old_sniff(&items);
                totals[3] += ab_old_keys(&keys);
                totals[5] += ab_old_csr(&csrs);
            }
            totals[0] += ab_new_sniff(&items);
            totals[2] += ab_new_keys(&keys);
            totals[4] += ab_new_csr(&csrs);
            if (round % 2 == 0) != old_first {
                totals[1] += ab_old_sniff(&items);
                totals[3] += ab_old_keys(&keys);
                totals[5] += ab_old_csr(&csrs);
            }
        }
        assert_eq!(
            (totals[0], totals[2], totals[4]),
            (totals[1], totals[3], totals[5])
        );
        eprintln!(
            "{} items, {} keys, {} CSRs: {totals:?}",
            items.len(),
            keys.len(),
            csrs.len()
        );
    }

    #[inline(never)]
    fn ab_new_sniff(items: &[Vec<u8>]) -> usize {
        items
            .iter()
            .filter(|der| crate::decode::sniff(None, der).is_ok())
            .count()
    }

    #[inline(never)]
    fn ab_old_sniff(items: &[Vec<u8>]) -> usize {
        items
            .iter()
            .filter(|der| crate::decode::sniff_tests::by_shape_before(der).is_ok())
            .count()
    }

    #[inline(never)]
    fn ab_new_keys(keys: &[(&str, Vec<u8>)]) -> usize {
        let mut bits = 0;
        for (part, der) in keys {
            let spki = match *part {
                ".p8" => pkcs8_spki(der),
                ".sec1" => sec1_spki(der, None),
                ".pkcs1" => rsa_private_spki(der),
                _ => public_key_spki(false, der),
            };
            bits += spki
                .and_then(|spki| describe(&spki))
                .map_or(0, |r| r.bits as usize);
        }
        bits
    }

    #[inline(never)]
    fn ab_old_keys(keys: &[(&str, Vec<u8>)]) -> usize {
        let mut bits = 0;
        for (part, der) in keys {
            let spki = match *part {
                ".p8" => keys_before::pkcs8_spki(der),
                ".sec1" => keys_before::sec1_spki(der, None),
                ".pkcs1" => keys_before::rsa_private_spki(der),
                _ => keys_before::public_key_spki(false, der),
            };
            bits += spki.map_or(0, |spki| public_key::describe(&spki).bits as usize);
        }
        bits
    }

    #[inline(never)]
    fn ab_new_csr(csrs: &[Vec<u8>]) -> usize {
        let source = super::super::csr::tests::source;
        csrs.iter()
            .filter_map(|der| super::super::csr::report(der, source()).ok())
            .map(|report| report.requested_extensions.len() + report.public_key.bits as usize)
            .sum()
    }

    #[inline(never)]
    fn ab_old_csr(csrs: &[Vec<u8>]) -> usize {
        csrs.iter()
            .filter_map(|der| super::super::csr::tests::report_before(der).ok())
            .map(|(report, _)| report.requested_extensions.len() + report.public_key.bits as usize)
            .sum()
    }
}

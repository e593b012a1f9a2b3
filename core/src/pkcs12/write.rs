//! Writing PKCS#12 (PFX, RFC 7292) files: a private key, its certificate and the chain.
//!
//! Two protections:
//! - modern (default): key and certificates under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC,
//!   RFC 8018), integrity by HMAC-SHA256; what OpenSSL 3 writes by default.
//! - legacy: pbeWithSHAAnd3-KeyTripleDES-CBC and an HMAC-SHA1 MAC (RFC 7292 appendix B and
//!   C), for old Java, macOS and Windows importers.
//!
//! The layout is OpenSSL's: an AuthenticatedSafe with an encrypted SafeContents of
//! certificate bags and a plain SafeContents holding one shrouded key bag; the key and leaf
//! certificate share a localKeyId and a friendlyName. Salts and IVs come from the caller's
//! RNG. The iteration count must lie within [`crate::pbe::limits`], so every file written
//! here can be read back.
//!
//! The DER is written with the core's writer ([`crate::asn1::write`]), byte for byte as the
//! `der` structures of [`super::asn1`] wrote it before (`write_before.rs`; the tests below
//! compare both for every key type, both protections, names, chains and fixed RNG seeds).
//! Nothing secret passes through it: the key's PKCS#8 is encrypted first (in the
//! `Zeroizing` buffer `to_pkcs8_der` returns), and only its ciphertext is written.

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc2985, rfc5911, rfc5912};
use hmac::{KeyInit, Mac};
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};

use super::asn1;
use crate::Error;
use crate::asn1::write::{self, Charset, tag};
use crate::crypto::SigningKey;
use crate::pbe::limits::{Hash, WRITE_MINIMUM_ITERATIONS};
use crate::pbe::pkcs12_pbe::{MAC_KEY, Pkcs12Kdf};
use crate::pbe::{self, Budget};
use crate::secret::Password;

/// How to protect a PKCS#12 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportParams {
    /// The password for both encryption and the MAC. May be empty (some tools refuse that).
    pub password: Password,
    /// The friendlyName shown by importers (keychains, browsers, `keytool -list`).
    pub friendly_name: Option<String>,
    /// 3DES and SHA-1 instead of AES-256 and SHA-256, for old importers.
    pub legacy: bool,
    /// PBKDF2 / PKCS#12 KDF iterations, for encryption and the MAC: at least
    /// [`WRITE_MINIMUM_ITERATIONS`] and within the limits that reading applies. The default is
    /// [`DEFAULT_ITERATIONS`].
    pub iterations: u32,
}

/// The default iteration count of written files (see BENCHMARKS.md for its cost).
pub const DEFAULT_ITERATIONS: u32 = 600_000;

impl Default for ExportParams {
    fn default() -> Self {
        Self {
            password: Password::default(),
            friendly_name: None,
            legacy: false,
            iterations: DEFAULT_ITERATIONS,
        }
    }
}

/// Writes `key`, its `certificate` and the `chain` (issuers, leaf-first order) as DER PFX.
pub fn write<R: CryptoRng + ?Sized>(
    key: &SigningKey,
    certificate: &[u8],
    chain: &[Vec<u8>],
    params: &ExportParams,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let local_key_id: Vec<u8> = Sha256::digest(certificate)
        .iter()
        .take(20)
        .copied()
        .collect();
    let attributes = bag_attributes(params.friendly_name.as_deref(), &local_key_id)?;

    let size = certificate.len() + chain.iter().map(Vec::len).sum::<usize>();
    let mut certificate_bags = Vec::with_capacity(size + 64 * (chain.len() + 1) + 128);
    certificate_bag(&mut certificate_bags, certificate, Some(&attributes));
    for issuer in chain {
        certificate_bag(&mut certificate_bags, issuer, None);
    }
    let certificates_safe = encrypted_safe(&certificate_bags, params, "PKCS#12 certificates", rng)?;

    let (algorithm, encrypted) = encrypt(&key.to_pkcs8_der()?, params, "PKCS#12 key", rng)?;
    let mut key_safe = Vec::with_capacity(encrypted.len() + algorithm.len() + 256);
    data_content_info(&mut key_safe, |out| {
        write::sequence(out, |out| {
            safe_bag(
                out,
                &asn1::PKCS_12_PKCS8_KEY_BAG_OID,
                |out| pbe::write_encrypted_private_key_info(out, &algorithm, &encrypted),
                Some(&attributes),
            );
        });
    });

    pfx(&[certificates_safe, key_safe], params, rng)
}

/// A ContentInfo of type `id-data`: `SEQUENCE { id-data, [0] EXPLICIT OCTET STRING {
/// contents } }`, the contents written in place.
fn data_content_info(out: &mut Vec<u8>, contents: impl FnOnce(&mut Vec<u8>)) {
    write::sequence(out, |out| {
        write::oid(out, &rfc5911::ID_DATA);
        write::constructed(out, write::context_constructed(0), |out| {
            write::constructed(out, tag::OCTET_STRING, contents);
        });
    });
}

/// `SafeBag ::= SEQUENCE { bagId, bagValue [0] EXPLICIT, bagAttributes SET OF OPTIONAL }`
/// (RFC 7292 section 4.2): `value` writes the bag's value, `attributes` is the whole DER SET.
fn safe_bag(
    out: &mut Vec<u8>,
    bag_id: &ObjectIdentifier,
    value: impl FnOnce(&mut Vec<u8>),
    attributes: Option<&[u8]>,
) {
    write::sequence(out, |out| {
        write::oid(out, bag_id);
        write::constructed(out, write::context_constructed(0), value);
        if let Some(attributes) = attributes {
            out.extend_from_slice(attributes);
        }
    });
}

/// A SafeContents of the SafeBags `bags` (their DER, concatenated), encrypted under the
/// password: the whole `EncryptedData` ContentInfo (RFC 5652 sections 3 and 8).
pub(super) fn encrypted_safe<R: CryptoRng + ?Sized>(
    bags: &[u8],
    params: &ExportParams,
    item: &'static str,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let mut plain = Vec::with_capacity(bags.len() + 6);
    write::tlv(&mut plain, tag::SEQUENCE, bags);
    let (algorithm, encrypted) = encrypt(&plain, params, item, rng)?;
    let mut out = Vec::with_capacity(encrypted.len() + algorithm.len() + 64);
    write::sequence(&mut out, |out| {
        write::oid(out, &rfc5911::ID_ENCRYPTED_DATA);
        write::constructed(out, write::context_constructed(0), |out| {
            write::sequence(out, |out| {
                // CMSVersion v0, then EncryptedContentInfo with `[0] IMPLICIT OCTET STRING`.
                write::integer_u64(out, 0);
                write::sequence(out, |out| {
                    write::oid(out, &rfc5911::ID_DATA);
                    out.extend_from_slice(&algorithm);
                    write::tlv(out, write::context(0), &encrypted);
                });
            });
        });
    });
    Ok(out)
}

/// The PFX around an AuthenticatedSafe of the ContentInfos `safes` (their DER), with its MAC.
pub(super) fn pfx<R: CryptoRng + ?Sized>(
    safes: &[Vec<u8>],
    params: &ExportParams,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let length = safes.iter().map(Vec::len).sum::<usize>();
    let mut authenticated_safe = Vec::with_capacity(length + 6);
    write::header(&mut authenticated_safe, tag::SEQUENCE, length);
    for safe in safes {
        authenticated_safe.extend_from_slice(safe);
    }
    let mac = mac(&authenticated_safe, params, rng)?;
    let mut out = Vec::with_capacity(authenticated_safe.len() + 160);
    write::sequence(&mut out, |out| {
        write::integer_u64(out, 3);
        data_content_info(out, |out| out.extend_from_slice(&authenticated_safe));
        // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER
        // DEFAULT 1 } (RFC 7292 section 4), the default left out as DER requires.
        write::sequence(out, |out| {
            write::sequence(out, |out| {
                write::sequence(out, |out| {
                    write::oid(out, &mac.digest_oid);
                    write::null(out);
                });
                write::octet_string(out, &mac.digest);
            });
            write::octet_string(out, &mac.salt);
            if mac.iterations != 1 {
                write::integer_u64(out, mac.iterations.unsigned_abs().into());
            }
        });
    });
    Ok(out)
}

/// A SafeBag of type certBag holding the X.509 `certificate` (RFC 7292 section 4.2.3),
/// appended to `out`.
pub(super) fn certificate_bag(out: &mut Vec<u8>, certificate: &[u8], attributes: Option<&[u8]>) {
    let value = |out: &mut Vec<u8>| {
        write::sequence(out, |out| {
            write::oid(out, &asn1::PKCS_12_X509_CERT_OID);
            write::constructed(out, write::context_constructed(0), |out| {
                write::octet_string(out, certificate);
            });
        });
    };
    safe_bag(out, &asn1::PKCS_12_CERT_BAG_OID, value, attributes);
}

/// The bag attributes (a DER `SET OF Attribute`, sorted): friendlyName (PKCS#9, BMPString)
/// and localKeyId (PKCS#9, OCTET STRING).
fn bag_attributes(friendly_name: Option<&str>, local_key_id: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(64 + 2 * friendly_name.map_or(0, str::len));
    write::set_of(&mut out, |out| {
        if let Some(name) = friendly_name {
            attribute(out, &rfc2985::PKCS_9_AT_FRIENDLY_NAME, |out| {
                write::bmp_string(out, name)
            })?;
        }
        attribute(out, &rfc2985::PKCS_9_AT_LOCAL_KEY_ID, |out| {
            write::octet_string(out, local_key_id);
            Ok(())
        })
    })
    .map_err(bmp_error)?;
    Ok(out)
}

/// `Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY }` with one value.
pub(super) fn attribute(
    out: &mut Vec<u8>,
    oid: &ObjectIdentifier,
    value: impl FnOnce(&mut Vec<u8>) -> Result<(), Charset>,
) -> Result<(), Charset> {
    write::sequence(out, |out| {
        write::oid(out, oid);
        write::set_of(out, value)
    })
}

/// A friendly name that a BMPString cannot hold, with the error text `der` gave.
pub(super) fn bmp_error(_: Charset) -> Error {
    failed("friendly name", "malformed ASN.1 DER value for BMPString")
}

/// Encrypts `plain` under the password: PBES2 (modern) or PKCS#12 PBE 3DES (legacy); the
/// DER AlgorithmIdentifier and the ciphertext.
fn encrypt<R: CryptoRng + ?Sized>(
    plain: &[u8],
    params: &ExportParams,
    item: &'static str,
    rng: &mut R,
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    if params.legacy {
        let mut salt = [0u8; 8];
        rng.fill_bytes(&mut salt);
        return pbe::encrypt_pkcs12_3des(&params.password, plain, params.iterations, &salt, item);
    }
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut iv);
    pbe::encrypt_pbes2(&params.password, plain, params.iterations, &salt, iv, item)
}

/// The MAC of a PFX, as written.
pub(super) struct MacData {
    pub(super) digest_oid: ObjectIdentifier,
    pub(super) digest: Vec<u8>,
    pub(super) salt: [u8; 16],
    pub(super) iterations: i32,
}

/// The MAC over the AuthenticatedSafe: HMAC with a key from the PKCS#12 KDF
/// (RFC 7292 appendix B.2), SHA-256 (modern) or SHA-1 (legacy).
pub(super) fn mac<R: CryptoRng + ?Sized>(
    data: &[u8],
    params: &ExportParams,
    rng: &mut R,
) -> Result<MacData, Error> {
    let mut salt = [0u8; 16];
    rng.fill_bytes(&mut salt);
    let (hash, digest_oid) = if params.legacy {
        (Hash::Sha1, rfc5912::ID_SHA_1)
    } else {
        (Hash::Sha256, rfc5912::ID_SHA_256)
    };
    let password_bmp = params.password.to_bmp();
    let kdf = Pkcs12Kdf {
        hash,
        password_bmp: &password_bmp,
        salt: &salt,
        iterations: params.iterations.into(),
    };
    let minimum = WRITE_MINIMUM_ITERATIONS.into();
    let key = kdf.derive(
        MAC_KEY,
        hash.output_len(),
        minimum,
        "PKCS#12 MAC",
        &mut Budget::default(),
    )?;
    let digest = if params.legacy {
        hmac_tag::<hmac::Hmac<sha1::Sha1>>(&key, data)?
    } else {
        hmac_tag::<hmac::Hmac<Sha256>>(&key, data)?
    };
    Ok(MacData {
        digest_oid,
        digest,
        salt,
        iterations: i32::try_from(params.iterations).map_err(|e| failed("MAC", e))?,
    })
}

fn hmac_tag<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Result<Vec<u8>, Error> {
    let mut hmac = <M as KeyInit>::new_from_slice(key).map_err(|e| failed("MAC", e))?;
    hmac.update(data);
    Ok(hmac.finalize().into_bytes().to_vec())
}

pub(super) fn failed(what: &str, error: impl core::fmt::Display) -> Error {
    Error::Issuance {
        detail: format!("PKCS#12 {what}: {error}"),
    }
}

#[cfg(test)]
mod tests {
    //! The writer against the one before it (`write_before.rs`, `der` structures and the
    //! `pkcs5` encoder): the same inputs and RNG seed give the same bytes or the same error.
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;
    use crate::crypto::KeyType;
    use crate::pkcs12::truststore::TrustedCertificate;
    use crate::pkcs12::{write_before, write_truststore};
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    /// Bytes or the error's debug form, comparable.
    fn outcome(result: Result<Vec<u8>, Error>) -> Result<Vec<u8>, String> {
        result.map_err(|error| format!("{error:?}"))
    }

    /// Not a certificate: the writer does not read what it wraps.
    fn blob(len: usize, seed: u8) -> Vec<u8> {
        (0..len)
            .map(|at| (at as u8).wrapping_mul(31) ^ seed)
            .collect()
    }

    fn keys() -> Vec<SigningKey> {
        let mut rng = StdRng::seed_from_u64(12);
        [
            KeyType::P256,
            KeyType::P384,
            KeyType::Ed25519,
            KeyType::Rsa { bits: 2048 },
        ]
        .into_iter()
        .map(|kind| SigningKey::generate(kind, &mut rng).unwrap())
        .collect()
    }

    const NAMES: [Option<&str>; 7] = [
        None,
        Some(""),
        Some("server"),
        Some("Zürich – 東京 \u{fffe}"),
        Some("emoji 😀"),
        Some("\u{ffff}"),
        Some(
            "a name of more than sixty-four characters, so that its BMPString needs a long length",
        ),
    ];

    #[test]
    fn files_match_the_der_structures_byte_for_byte() {
        let certificate_sizes = [0usize, 1, 120, 600, 70_000];
        let chains = [
            vec![],
            vec![blob(500, 1)],
            vec![blob(100, 2), blob(1_300, 3), blob(66_000, 4)],
        ];
        let passwords = ["", "s3cret", "pässwörd 東京"];
        let mut compared = 0;
        let mut errors = 0;
        for (index, key) in keys().iter().enumerate() {
            for legacy in [false, true] {
                for (name_index, name) in NAMES.iter().enumerate() {
                    for (chain_index, chain) in chains.iter().enumerate() {
                        let case = index + name_index + chain_index;
                        let certificate =
                            blob(certificate_sizes[case % certificate_sizes.len()], 9);
                        let params = ExportParams {
                            password: passwords[case % passwords.len()].into(),
                            friendly_name: name.map(str::to_owned),
                            legacy,
                            iterations: WRITE_MINIMUM_ITERATIONS + case as u32,
                        };
                        let seed = case as u64;
                        let ours = write(
                            key,
                            &certificate,
                            chain,
                            &params,
                            &mut StdRng::seed_from_u64(seed),
                        );
                        let theirs = write_before::write(
                            key,
                            &certificate,
                            chain,
                            &params,
                            &mut StdRng::seed_from_u64(seed),
                        );
                        let ours = outcome(ours);
                        errors += usize::from(ours.is_err());
                        assert_eq!(
                            ours,
                            outcome(theirs),
                            "{index} {legacy} {name:?} {chain_index}"
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 4 * 2 * 7 * 3);
        // The names outside the BMP (and U+FFFF) are the errors.
        assert_eq!(errors, 4 * 2 * 2 * 3);
    }

    #[test]
    fn iteration_counts_match_including_the_refused_ones() {
        let key = &keys()[2];
        let certificate = blob(300, 5);
        for legacy in [false, true] {
            for iterations in [
                WRITE_MINIMUM_ITERATIONS - 1,
                WRITE_MINIMUM_ITERATIONS,
                DEFAULT_ITERATIONS,
                100_000_000,
                100_000_001,
                i32::MAX as u32,
                1 << 31,
                u32::MAX,
            ] {
                let params = ExportParams {
                    password: "pw".into(),
                    friendly_name: Some("k".to_owned()),
                    legacy,
                    iterations,
                };
                let ours = write(
                    key,
                    &certificate,
                    &[],
                    &params,
                    &mut StdRng::seed_from_u64(1),
                );
                let theirs = write_before::write(
                    key,
                    &certificate,
                    &[],
                    &params,
                    &mut StdRng::seed_from_u64(1),
                );
                assert_eq!(outcome(ours), outcome(theirs), "{legacy} {iterations}");
            }
        }
    }

    #[test]
    fn truststores_match_the_der_structures_byte_for_byte() {
        let certificates = [blob(700, 1), blob(40, 2), blob(70_000, 3), blob(0, 4)];
        let aliases = ["root", "Intermediate CA", "東京 CA", "z"];
        let trusted = |count: usize, aliases: &[&'static str]| -> Vec<TrustedCertificate<'_>> {
            (0..count)
                .map(|at| TrustedCertificate {
                    alias: aliases[at % aliases.len()],
                    certificate: &certificates[at % certificates.len()],
                })
                .collect()
        };
        let sets = [
            trusted(0, &aliases),
            trusted(1, &aliases),
            trusted(4, &aliases),
            trusted(2, &["same", "SAME"]),
            trusted(1, &[""]),
            trusted(2, &["fine", "not 😀"]),
            trusted(1, &["\u{ffff}"]),
        ];
        let mut errors = 0;
        for (index, set) in sets.iter().enumerate() {
            for legacy in [false, true] {
                let params = ExportParams {
                    password: ["", "changeit"][index % 2].into(),
                    friendly_name: Some("ignored".to_owned()),
                    legacy,
                    iterations: WRITE_MINIMUM_ITERATIONS,
                };
                let seed = index as u64 + 40;
                let ours = write_truststore(set, &params, &mut StdRng::seed_from_u64(seed));
                let theirs =
                    write_before::write_truststore(set, &params, &mut StdRng::seed_from_u64(seed));
                let ours = outcome(ours);
                errors += usize::from(ours.is_err());
                assert_eq!(ours, outcome(theirs), "{index} {legacy}");
            }
        }
        assert_eq!(errors, 2 * 5);
    }
}

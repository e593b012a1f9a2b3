//! Password-based encryption of private keys and PKCS#12 contents, with bounded key
//! derivation.
//!
//! Reading: [`decrypt`] and [`decrypt_private_key`] accept PBES2 (RFC 8018: PBKDF2 with
//! HMAC-SHA-1/224/256/384/512 or scrypt, then AES-128/192/256-CBC or 3DES-CBC) and PKCS#12
//! PBE (RFC 7292 appendix C: 3DES, 2-key 3DES, RC2-128, RC2-40). Every KDF's parameters are
//! checked by [`limits`] before anything is derived; derived keys and plaintexts live in
//! buffers that are wiped after use. Writing uses the same code and the same limits; the
//! parameters it writes ([`encrypt_pbes2`], [`encrypt_pkcs12_3des`]) and
//! `EncryptedPrivateKeyInfo` are written with the core's DER writer ([`crate::asn1::write`]),
//! byte for byte as the `pkcs5` crate and the `der` structures wrote them (tests compare them).

pub mod limits;
mod pbes2;
pub(crate) mod pkcs12_pbe;

use crate::asn1::read::{self as der_read, AlgorithmIdentifier};
use crate::asn1::write;
use crate::pkcs12::asn1;
#[cfg(test)]
use crate::pkcs12::asn1::Pkcs12PbeParams;
#[cfg(test)]
use der::asn1::OctetString;
#[cfg(test)]
use der::{Decode, Encode};
#[cfg(test)]
use spki::AlgorithmIdentifierOwned;

pub use limits::Budget;

use crate::Error;
use crate::secret::{Password, SecretBytes};

/// Decrypts `ciphertext` protected by the DER `AlgorithmIdentifier` `algorithm` with
/// `password`. `item` names what is decrypted in errors; `budget` is shared by every
/// derivation for one file.
pub fn decrypt(
    algorithm: &[u8],
    password: &Password,
    ciphertext: &[u8],
    item: &'static str,
    budget: &mut Budget,
) -> Result<SecretBytes, Error> {
    let algorithm = der_read::parse(algorithm, |reader| reader.algorithm());
    let algorithm = algorithm.map_err(|e| e.into_error(item))?;
    let bmp = password.to_bmp();
    decrypt_with_bmp(&algorithm, password, &bmp, ciphertext, item, budget)
}

/// [`decrypt`] with the PKCS#12 form of the password given (a PKCS#12 file's MAC may have
/// matched an empty password without its terminator, as OpenSSL allows).
pub(crate) fn decrypt_with_bmp(
    algorithm: &AlgorithmIdentifier<'_>,
    password: &Password,
    password_bmp: &[u8],
    ciphertext: &[u8],
    item: &'static str,
    budget: &mut Budget,
) -> Result<SecretBytes, Error> {
    if let Some(cipher) = pkcs12_pbe::Cipher::from_oid(algorithm.oid) {
        let parameters = parameters(algorithm, item)?;
        let (salt, iterations) =
            asn1::read_pkcs12_pbe_params(parameters).map_err(|e| e.into_error(item))?;
        let parameters = pkcs12_pbe::Parameters { salt, iterations };
        return pkcs12_pbe::decrypt(cipher, &parameters, password_bmp, ciphertext, item, budget)
            .map(SecretBytes::from);
    }
    if algorithm.is(&pbes2::oid::PBES2_OID) {
        let parameters = pbes2::Parameters::read(parameters(algorithm, item)?);
        let parameters = parameters.map_err(|e| e.into_error(item))?;
        let password = password.as_str().as_bytes();
        return pbes2::decrypt(&parameters, password, ciphertext, item, budget)
            .map(SecretBytes::from);
    }
    Err(Error::UnsupportedAlgorithm {
        algorithm: format!("{} in the {item}", algorithm.oid_text()),
    })
}

/// Decrypts a DER `EncryptedPrivateKeyInfo` (RFC 5958 section 3) to PKCS#8 DER.
pub fn decrypt_private_key(
    der: &[u8],
    password: &Password,
    item: &'static str,
    budget: &mut Budget,
) -> Result<SecretBytes, Error> {
    let info = asn1::read_encrypted_private_key_info(der).map_err(|e| e.into_error(item))?;
    let bmp = password.to_bmp();
    let ciphertext = info.encrypted_data;
    decrypt_with_bmp(&info.algorithm, password, &bmp, ciphertext, item, budget)
}

/// How the DER `AlgorithmIdentifier` `algorithm` encrypts, for reports: `PBES2 (KDF OID,
/// cipher OID)` or `PBES1 (OID)`.
pub fn describe(algorithm: &[u8]) -> String {
    match der_read::parse(algorithm, |reader| reader.algorithm()) {
        Ok(algorithm) => describe_algorithm(&algorithm),
        Err(_) => "unreadable AlgorithmIdentifier".to_owned(),
    }
}

/// [`describe`] for an identifier already read.
pub(crate) fn describe_algorithm(algorithm: &AlgorithmIdentifier<'_>) -> String {
    if !algorithm.is(&pbes2::oid::PBES2_OID) {
        return format!("PBES1 ({})", algorithm.oid_text());
    }
    let parameters = parameters(algorithm, "key")
        .ok()
        .and_then(|tlv| pbes2::Parameters::read(tlv).ok());
    match parameters {
        Some(parameters) => format!(
            "PBES2 ({}, {})",
            der_read::oid_text(parameters.kdf_oid()),
            der_read::oid_text(parameters.encryption_oid),
        ),
        None => "PBES2 (unreadable parameters)".to_owned(),
    }
}

/// PBES2 with PBKDF2-HMAC-SHA-256 (`iterations`) and AES-256-CBC, the modern choice of
/// OpenSSL 3 and Java; `salt` and `iv` come from the caller's RNG. Returns the DER
/// `AlgorithmIdentifier` (RFC 8018 appendix A.4, written as the `pkcs5` crate wrote it: no
/// keyLength, the PRF with NULL parameters) and the ciphertext.
pub fn encrypt_pbes2(
    password: &Password,
    plain: &[u8],
    iterations: u32,
    salt: &[u8; 16],
    iv: [u8; 16],
    item: &'static str,
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    // The pkcs5 crate's bound on the iteration count it would write, and its error.
    if iterations > PKCS5_MAXIMUM_ITERATIONS {
        let oid = pbes2::oid::PBKDF2_OID;
        return Err(failed(
            item,
            format_args!("PKCS#5 parameters for algorithm {oid} are invalid"),
        ));
    }
    let password_bytes = password.as_str().as_bytes();
    let encrypted =
        pbes2::encrypt_pbkdf2_sha256_aes256(password_bytes, salt, iterations, &iv, plain, item)?;
    let mut algorithm = Vec::with_capacity(96);
    write::sequence(&mut algorithm, |out| {
        write::oid(out, &pbes2::oid::PBES2_OID);
        write::sequence(out, |out| {
            write::sequence(out, |out| {
                write::oid(out, &pbes2::oid::PBKDF2_OID);
                write::sequence(out, |out| {
                    write::octet_string(out, salt);
                    write::integer_u64(out, iterations.into());
                    write::sequence(out, |out| {
                        write::oid(out, &pbes2::oid::HMAC_WITH_SHA256_OID);
                        write::null(out);
                    });
                });
            });
            write::sequence(out, |out| {
                write::oid(out, &pbes2::oid::AES_256_CBC_OID);
                write::octet_string(out, &iv);
            });
        });
    });
    Ok((algorithm, encrypted))
}

/// The most PBKDF2 iterations the `pkcs5` crate wrote (`Pbkdf2Params::MAX_ITERATION_COUNT`).
const PKCS5_MAXIMUM_ITERATIONS: u32 = 100_000_000;

/// pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 appendix C), for old importers. Returns the DER
/// `AlgorithmIdentifier` and the ciphertext.
pub fn encrypt_pkcs12_3des(
    password: &Password,
    plain: &[u8],
    iterations: u32,
    salt: &[u8; 8],
    item: &'static str,
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let iterations = i32::try_from(iterations).map_err(|e| failed(item, e))?;
    let parameters = pkcs12_pbe::Parameters { salt, iterations };
    let encrypted = pkcs12_pbe::encrypt_3des(&parameters, &password.to_bmp(), plain, item)?;
    let mut algorithm = Vec::with_capacity(32);
    write::sequence(&mut algorithm, |out| {
        write::oid(out, &asn1::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC);
        write::sequence(out, |out| {
            write::octet_string(out, salt);
            write::integer_u64(out, iterations.unsigned_abs().into());
        });
    });
    Ok((algorithm, encrypted))
}

/// Writes `EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET
/// STRING }` (RFC 5958 section 3) from the DER `AlgorithmIdentifier` `algorithm` (as the
/// encryptors above return it) and the ciphertext.
pub(crate) fn write_encrypted_private_key_info(
    out: &mut Vec<u8>,
    algorithm: &[u8],
    encrypted: &[u8],
) {
    write::sequence(out, |out| {
        out.extend_from_slice(algorithm);
        write::octet_string(out, encrypted);
    });
}

/// [`encrypt_pbes2`] as it was, on the `pkcs5` crate's encoder, for the differential tests.
#[cfg(test)]
pub(crate) fn encrypt_pbes2_before(
    password: &Password,
    plain: &[u8],
    iterations: u32,
    salt: &[u8; 16],
    iv: [u8; 16],
    item: &'static str,
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), Error> {
    let parameters =
        pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(iterations, salt, iv)
            .map_err(|e| failed(item, e))?;
    let password_bytes = password.as_str().as_bytes();
    let encrypted =
        pbes2::encrypt_pbkdf2_sha256_aes256(password_bytes, salt, iterations, &iv, plain, item)?;
    let scheme = pkcs5::EncryptionScheme::from(parameters);
    let algorithm_der = scheme.to_der().map_err(|e| failed(item, e))?;
    let algorithm =
        AlgorithmIdentifierOwned::from_der(&algorithm_der).map_err(|e| failed(item, e))?;
    Ok((algorithm, encrypted))
}

/// [`encrypt_pkcs12_3des`] as it was, on `der` structures, for the differential tests.
#[cfg(test)]
pub(crate) fn encrypt_pkcs12_3des_before(
    password: &Password,
    plain: &[u8],
    iterations: u32,
    salt: &[u8; 8],
    item: &'static str,
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), Error> {
    let parameters = Pkcs12PbeParams {
        salt: OctetString::new(salt.to_vec()).map_err(|e| failed(item, e))?,
        iterations: i32::try_from(iterations).map_err(|e| failed(item, e))?,
    };
    let read_parameters = pkcs12_pbe::Parameters {
        salt,
        iterations: parameters.iterations,
    };
    let encrypted = pkcs12_pbe::encrypt_3des(&read_parameters, &password.to_bmp(), plain, item)?;
    let parameters_der = parameters.to_der().map_err(|e| failed(item, e))?;
    let algorithm = AlgorithmIdentifierOwned {
        oid: asn1::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC,
        parameters: Some(der::Any::from_der(&parameters_der).map_err(|e| failed(item, e))?),
    };
    Ok((algorithm, encrypted))
}

/// The algorithm's parameters (their whole TLV), which must be present.
fn parameters<'a>(
    algorithm: &AlgorithmIdentifier<'a>,
    item: &'static str,
) -> Result<&'a [u8], Error> {
    let parameters = algorithm.parameters.ok_or_else(|| Error::InvalidDer {
        structure: item,
        detail: format!("{} without parameters", algorithm.oid_text()),
    })?;
    Ok(parameters.whole)
}

fn failed(item: &'static str, error: impl core::fmt::Display) -> Error {
    Error::Issuance {
        detail: format!("encrypting the {item}: {error}"),
    }
}

/// Checks that the DER AlgorithmIdentifier `algorithm` and its PBE parameters read as the
/// `der`, `spki` and `pkcs5` decoders read them (same accept/reject, same values).
#[cfg(test)]
pub(crate) fn same_parameters_as_the_crates(algorithm: &[u8], what: &str) {
    let old = AlgorithmIdentifierOwned::from_der(algorithm);
    let new = der_read::parse(algorithm, |reader| reader.algorithm());
    assert_eq!(old.is_ok(), new.is_ok(), "{what}: AlgorithmIdentifier");
    let (Ok(old), Ok(new)) = (old, new) else {
        return;
    };
    assert_eq!(old.oid.as_bytes(), new.oid, "{what}");
    let old_parameters = old.parameters.as_ref().and_then(|p| p.to_der().ok());
    let new_parameters = new.parameters.map(|p| p.whole);
    assert_eq!(old_parameters.as_deref(), new_parameters, "{what}");
    let Some(parameters) = new_parameters else {
        return;
    };
    if pkcs12_pbe::Cipher::from_oid(new.oid).is_some() {
        let old = Pkcs12PbeParams::from_der(parameters);
        let old = old.map(|p| (p.salt.as_bytes().to_vec(), p.iterations));
        let new = asn1::read_pkcs12_pbe_params(parameters).map(|(s, i)| (s.to_vec(), i));
        assert_eq!(old.ok(), new.ok(), "{what}: PKCS#12 PBE parameters");
    } else if new.is(&pbes2::oid::PBES2_OID) {
        let old = std::panic::catch_unwind(|| pkcs5::pbes2::Parameters::from_der(parameters));
        let new = pbes2::Parameters::read(parameters);
        match old {
            // The pkcs5 crate panics on a 3DES IV shorter than 8 bytes: an error here.
            Err(_) => assert!(new.is_err(), "{what}: pkcs5 panicked"),
            Ok(old) => assert_eq!(
                old.ok().map(|p| pbes2::summary_pkcs5(&p)),
                new.ok().map(|p| pbes2::summary(&p)),
                "{what}: PBES2 parameters"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The parameters and `EncryptedPrivateKeyInfo` written on the core's writer against the
    //! `pkcs5` encoder and the `der` structures they replace.
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;
    use crate::crypto::{KeyType, SigningKey};
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn outcome<T: Encode>(
        result: Result<(T, Vec<u8>), Error>,
    ) -> Result<(Vec<u8>, Vec<u8>), String> {
        result
            .map(|(algorithm, encrypted)| (algorithm.to_der().unwrap(), encrypted))
            .map_err(|error| format!("{error:?}"))
    }

    const ITERATIONS: [u32; 9] = [
        0,
        999,
        1_000,
        1_001,
        600_000,
        100_000_000,
        100_000_001,
        1 << 31,
        u32::MAX,
    ];

    #[test]
    fn pbes2_parameters_match_pkcs5() {
        for (index, iterations) in ITERATIONS.into_iter().enumerate() {
            for plain in [&b""[..], b"0123456789abcdef", &[7; 300]] {
                let password: Password = ["", "pw", "pässwörd"][index % 3].into();
                let salt = [index as u8; 16];
                let iv = [0xa5 ^ index as u8; 16];
                let ours = encrypt_pbes2(&password, plain, iterations, &salt, iv, "key");
                let theirs = encrypt_pbes2_before(&password, plain, iterations, &salt, iv, "key");
                let ours = ours.map_err(|error| format!("{error:?}"));
                assert_eq!(ours, outcome(theirs), "{iterations}");
            }
        }
    }

    #[test]
    fn pkcs12_pbe_parameters_match_the_der_structure() {
        for (index, iterations) in ITERATIONS.into_iter().chain([i32::MAX as u32]).enumerate() {
            let password: Password = ["", "pw", "pässwörd"][index % 3].into();
            let salt = [index as u8 | 0x80; 8];
            let plain = [3u8; 45];
            let ours = encrypt_pkcs12_3des(&password, &plain, iterations, &salt, "key");
            let theirs = encrypt_pkcs12_3des_before(&password, &plain, iterations, &salt, "key");
            let ours = ours.map_err(|error| format!("{error:?}"));
            assert_eq!(ours, outcome(theirs), "{iterations}");
        }
    }

    #[test]
    fn encrypted_private_key_info_matches_the_der_structure() {
        let algorithms = [
            encrypt_pbes2(&"pw".into(), b"x", 1_000, &[1; 16], [2; 16], "key")
                .unwrap()
                .0,
            encrypt_pkcs12_3des(&"pw".into(), b"x", 1_000, &[1; 8], "key")
                .unwrap()
                .0,
        ];
        for algorithm in &algorithms {
            for len in [0usize, 16, 112, 128, 1_200, 70_000] {
                let encrypted = vec![0x3c; len];
                let mut ours = Vec::new();
                write_encrypted_private_key_info(&mut ours, algorithm, &encrypted);
                let theirs = asn1::EncryptedPrivateKeyInfo {
                    encryption_algorithm: AlgorithmIdentifierOwned::from_der(algorithm).unwrap(),
                    encrypted_data: OctetString::new(encrypted).unwrap(),
                };
                assert_eq!(ours, theirs.to_der().unwrap(), "{len}");
            }
        }
    }

    /// `SigningKey::to_encrypted_pkcs8_pem` (which writes with the functions above) against
    /// the `EncryptedPrivateKeyInfo` it wrote before, for every key type.
    #[test]
    fn encrypted_pkcs8_keys_match_the_der_structures() {
        let mut rng = StdRng::seed_from_u64(21);
        for kind in [
            KeyType::P256,
            KeyType::P384,
            KeyType::Ed25519,
            KeyType::Rsa { bits: 2048 },
        ] {
            let key = SigningKey::generate(kind, &mut rng).unwrap();
            for password in ["", "s3cret"] {
                let password: Password = password.into();
                let ours = key
                    .to_encrypted_pkcs8_pem(&password, &mut StdRng::seed_from_u64(5))
                    .unwrap();
                let mut seeded = StdRng::seed_from_u64(5);
                let mut salt = [0u8; 16];
                let mut iv = [0u8; 16];
                rand_core::Rng::fill_bytes(&mut seeded, &mut salt);
                rand_core::Rng::fill_bytes(&mut seeded, &mut iv);
                let plain = key.to_pkcs8_der().unwrap();
                let iterations = crate::pkcs12::DEFAULT_ITERATIONS;
                let (algorithm, encrypted) =
                    encrypt_pbes2_before(&password, &plain, iterations, &salt, iv, "key").unwrap();
                let info = asn1::EncryptedPrivateKeyInfo {
                    encryption_algorithm: algorithm,
                    encrypted_data: OctetString::new(encrypted).unwrap(),
                };
                let theirs =
                    crate::crypto::keys::pem("ENCRYPTED PRIVATE KEY", &info.to_der().unwrap())
                        .unwrap();
                assert_eq!(ours, theirs, "{kind:?}");
            }
        }
    }
}

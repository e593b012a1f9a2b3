//! Password-based encryption of private keys and PKCS#12 contents, with bounded key
//! derivation.
//!
//! Reading: [`decrypt`] and [`decrypt_private_key`] accept PBES2 (RFC 8018: PBKDF2 with
//! HMAC-SHA-1/224/256/384/512 or scrypt, then AES-128/192/256-CBC or 3DES-CBC) and PKCS#12
//! PBE (RFC 7292 appendix C: 3DES, 2-key 3DES, RC2-128, RC2-40). Every KDF's parameters are
//! checked by [`limits`] before anything is derived; derived keys and plaintexts live in
//! buffers that are wiped after use. Writing uses the same code and the same limits.

pub mod limits;
mod pbes2;
pub(crate) mod pkcs12_pbe;

use crate::asn1::read::{self as der_read, AlgorithmIdentifier};
use crate::pkcs12::asn1::{self, Pkcs12PbeParams};
use der::asn1::OctetString;
use der::{Decode, Encode};
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
    if algorithm.is(&pkcs5::pbes2::PBES2_OID) {
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
    if !algorithm.is(&pkcs5::pbes2::PBES2_OID) {
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
/// OpenSSL 3 and Java; `salt` and `iv` come from the caller's RNG.
pub fn encrypt_pbes2(
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

/// pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 appendix C), for old importers.
pub fn encrypt_pkcs12_3des(
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
    } else if new.is(&pkcs5::pbes2::PBES2_OID) {
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

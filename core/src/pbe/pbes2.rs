//! PBES2 (RFC 8018 section 6.2): PBKDF2 or scrypt, then AES-CBC or 3DES-CBC.
//!
//! The structures come from the `pkcs5` crate; the key is derived here, after
//! [`limits`](super::limits) accepted the parameters, into a buffer that is wiped after use.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt};
use cbc::cipher::{InnerIvInit, KeyInit, KeyIvInit};
use pkcs5::pbes2::{EncryptionScheme, Kdf, Parameters, Pbkdf2Prf};
use zeroize::Zeroizing;

use super::limits::{self, Budget, Hash, Iterated};
use crate::Error;

/// Decrypts `ciphertext` with the UTF-8 `password`.
pub(super) fn decrypt(
    parameters: &Parameters,
    password: &[u8],
    ciphertext: &[u8],
    item: &'static str,
    budget: &mut Budget,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let key_length = key_length(&parameters.encryption, item)?;
    let key = derive(&parameters.kdf, password, key_length, 1, item, budget)?;
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let plain_length = match parameters.encryption {
        EncryptionScheme::Aes128Cbc { iv } => cbc_decrypt::<aes::Aes128>(&key, &iv, &mut buffer),
        EncryptionScheme::Aes192Cbc { iv } => cbc_decrypt::<aes::Aes192>(&key, &iv, &mut buffer),
        EncryptionScheme::Aes256Cbc { iv } => cbc_decrypt::<aes::Aes256>(&key, &iv, &mut buffer),
        EncryptionScheme::DesEde3Cbc { iv } => cbc_decrypt::<des::TdesEde3>(&key, &iv, &mut buffer),
        _ => None,
    }
    .ok_or(Error::WrongPassword { item })?;
    buffer.truncate(plain_length);
    Ok(buffer)
}

/// Encrypts `plain` with PBKDF2-HMAC-SHA-256 and AES-256-CBC under `parameters`, which the
/// caller made with [`Parameters::pbkdf2_sha256_aes256cbc`]-style values from its RNG.
pub(super) fn encrypt(
    parameters: &Parameters,
    password: &[u8],
    plain: &[u8],
    item: &'static str,
) -> Result<Vec<u8>, Error> {
    let EncryptionScheme::Aes256Cbc { iv } = parameters.encryption else {
        return Err(unsupported(parameters.encryption.oid(), item));
    };
    let minimum = limits::WRITE_MINIMUM_ITERATIONS.into();
    let key = derive(
        &parameters.kdf,
        password,
        32,
        minimum,
        item,
        &mut Budget::default(),
    )?;
    cbc_encrypt::<aes::Aes256>(&key, &iv, plain)
        .ok_or_else(|| unsupported(parameters.encryption.oid(), item))
}

/// Derives `length` key bytes, after checking the KDF's parameters.
fn derive(
    kdf: &Kdf,
    password: &[u8],
    length: usize,
    minimum_iterations: u64,
    item: &'static str,
    budget: &mut Budget,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    if kdf
        .key_length()
        .is_some_and(|given| usize::from(given) != length)
    {
        return Err(Error::UnsupportedAlgorithm {
            algorithm: format!(
                "PBES2 with a key length that does not fit its cipher, for the {item}"
            ),
        });
    }
    let mut key = Zeroizing::new(vec![0; length]);
    match kdf {
        Kdf::Pbkdf2(parameters) => {
            let hash = prf_hash(parameters.prf, item)?;
            let iterations = u64::from(parameters.iteration_count);
            limits::check_iterations(
                Iterated::Pbkdf2,
                hash,
                iterations,
                length,
                minimum_iterations,
                item,
                budget,
            )?;
            let (salt, count) = (parameters.salt.as_ref(), parameters.iteration_count);
            match hash {
                Hash::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, count, &mut key),
                Hash::Sha224 => {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha224>(password, salt, count, &mut key)
                }
                Hash::Sha256 => {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, count, &mut key)
                }
                Hash::Sha384 => {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha384>(password, salt, count, &mut key)
                }
                Hash::Sha512 => {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, count, &mut key)
                }
            }
        }
        Kdf::Scrypt(parameters) => {
            let (n, r, p) = (
                parameters.cost_parameter,
                u64::from(parameters.block_size),
                u64::from(parameters.parallelization),
            );
            limits::check_scrypt(n, r, p, item, budget)?;
            let invalid = || unsupported(pkcs5::pbes2::SCRYPT_OID, item);
            // In range: check_scrypt bounds r and p far below u32::MAX.
            let (r, p) = (u32::try_from(r), u32::try_from(p));
            let (Ok(r), Ok(p)) = (r, p) else {
                return Err(invalid());
            };
            let log_n = u8::try_from(n.trailing_zeros()).map_err(|_| invalid())?;
            let params = scrypt::Params::new(log_n, r, p).map_err(|_| invalid())?;
            scrypt::scrypt(password, parameters.salt.as_ref(), &params, &mut key)
                .map_err(|_| invalid())?;
        }
        other => return Err(unsupported(other.oid(), item)),
    }
    Ok(key)
}

fn prf_hash(prf: Pbkdf2Prf, item: &'static str) -> Result<Hash, Error> {
    Ok(match prf {
        Pbkdf2Prf::HmacWithSha1 => Hash::Sha1,
        Pbkdf2Prf::HmacWithSha224 => Hash::Sha224,
        Pbkdf2Prf::HmacWithSha256 => Hash::Sha256,
        Pbkdf2Prf::HmacWithSha384 => Hash::Sha384,
        Pbkdf2Prf::HmacWithSha512 => Hash::Sha512,
        other => return Err(unsupported(other.oid(), item)),
    })
}

fn key_length(scheme: &EncryptionScheme, item: &'static str) -> Result<usize, Error> {
    match scheme {
        EncryptionScheme::Aes128Cbc { .. } => Ok(16),
        EncryptionScheme::Aes192Cbc { .. } | EncryptionScheme::DesEde3Cbc { .. } => Ok(24),
        EncryptionScheme::Aes256Cbc { .. } => Ok(32),
        other => Err(unsupported(other.oid(), item)),
    }
}

/// CBC decryption in place with PKCS#7 padding; `None` when the padding is wrong, which is
/// what a wrong password gives.
pub(super) fn cbc_decrypt<C: BlockCipherDecrypt + KeyInit>(
    key: &[u8],
    iv: &[u8],
    buffer: &mut [u8],
) -> Option<usize> {
    let cipher = C::new_from_slice(key).ok()?;
    cbc_decrypt_with(cipher, iv, buffer)
}

/// [`cbc_decrypt`] with a cipher already keyed (RC2 needs its effective key length).
pub(super) fn cbc_decrypt_with<C: BlockCipherDecrypt>(
    cipher: C,
    iv: &[u8],
    buffer: &mut [u8],
) -> Option<usize> {
    let decryptor = cbc::Decryptor::<C>::inner_iv_slice_init(cipher, iv).ok()?;
    decryptor
        .decrypt_padded::<Pkcs7>(buffer)
        .ok()
        .map(<[u8]>::len)
}

/// CBC encryption with PKCS#7 padding.
pub(super) fn cbc_encrypt<C: BlockCipherEncrypt + KeyInit>(
    key: &[u8],
    iv: &[u8],
    plain: &[u8],
) -> Option<Vec<u8>> {
    let encryptor = cbc::Encryptor::<C>::new_from_slices(key, iv).ok()?;
    Some(encryptor.encrypt_padded_vec::<Pkcs7>(plain))
}

fn unsupported(oid: der::asn1::ObjectIdentifier, item: &'static str) -> Error {
    Error::UnsupportedAlgorithm {
        algorithm: format!("{oid} in the {item}"),
    }
}

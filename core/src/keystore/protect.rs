//! The two key protections of Java keystores (see the module documentation of `keystore`):
//! Sun's JKS SHA-1 XOR stream (open and seal) and PBEWithMD5AndTripleDES (open only).

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use md5::Md5;
use rand_core::CryptoRng;
use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

use super::MAX_PBE_ITERATIONS;
use crate::Error;

/// Length of a SHA-1 digest, the JKS salt and the JKS check value.
pub(super) const DIGEST_LENGTH: usize = 20;
const KEY_ITEM: &str =
    "private key entry (give its key password if it differs from the store password)";

/// Opens `salt(20) || key XOR stream || SHA-1(password || key)`.
pub(super) fn jks_open(encrypted: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    let wrong = || Error::WrongPassword { item: KEY_ITEM };
    let (salt, rest) = encrypted
        .split_at_checked(DIGEST_LENGTH)
        .ok_or_else(wrong)?;
    let body_length = rest.len().checked_sub(DIGEST_LENGTH).ok_or_else(wrong)?;
    let (body, check) = rest.split_at(body_length);
    let password = utf16_be(password);
    let mut plain = Zeroizing::new(body.to_vec());
    xor_stream(&mut plain, &password, salt);
    let expected = Sha1::new()
        .chain_update(password.as_slice())
        .chain_update(plain.as_slice())
        .finalize();
    if expected.as_slice() != check {
        return Err(wrong());
    }
    Ok(plain)
}

/// Protects the PKCS#8 `plain` key the way JKS does, with a salt from `rng`.
pub(super) fn jks_seal<R: CryptoRng + ?Sized>(
    plain: &[u8],
    password: &str,
    rng: &mut R,
) -> Vec<u8> {
    let mut salt = [0u8; DIGEST_LENGTH];
    rng.fill_bytes(&mut salt);
    let password = utf16_be(password);
    let mut body = Zeroizing::new(plain.to_vec());
    xor_stream(&mut body, &password, &salt);
    let check = Sha1::new()
        .chain_update(password.as_slice())
        .chain_update(plain)
        .finalize();
    let mut sealed = Vec::with_capacity(salt.len() + body.len() + check.len());
    sealed.extend_from_slice(&salt);
    sealed.extend_from_slice(&body);
    sealed.extend_from_slice(&check);
    sealed
}

/// Opens data sealed with PBEWithMD5AndTripleDES (Sun's PBES1 variant, 3DES-CBC, PKCS#5
/// padding).
pub(super) fn pbe_open(
    encrypted: &[u8],
    password: &str,
    salt: &[u8; 8],
    iterations: u32,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    if iterations > MAX_PBE_ITERATIONS {
        return Err(Error::UnsupportedAlgorithm {
            algorithm: format!(
                "PBEWithMD5AndTripleDES with {iterations} iterations (at most {MAX_PBE_ITERATIONS})"
            ),
        });
    }
    // Java's PBEKey accepts printable ASCII only, so no other password can be the right one.
    if !password.bytes().all(|byte| (0x20..=0x7e).contains(&byte)) {
        return Err(Error::WrongPassword { item: KEY_ITEM });
    }
    let derived = md5_triple_des_key(password.as_bytes(), salt, iterations);
    let (key, iv) = derived.split_at(24);
    let cipher = cbc::Decryptor::<des::TdesEde3>::new_from_slices(key, iv)
        .map_err(|_| Error::WrongPassword { item: KEY_ITEM })?;
    let mut buffer = Zeroizing::new(encrypted.to_vec());
    let length = cipher
        .decrypt_padded::<Pkcs7>(&mut buffer)
        .map_err(|_| Error::WrongPassword { item: KEY_ITEM })?
        .len();
    buffer.truncate(length);
    Ok(buffer)
}

/// The 32 bytes of Sun's derivation: MD5 iterated over each salt half and the password (a
/// salt whose halves are equal has its first half reversed first).
fn md5_triple_des_key(password: &[u8], salt: &[u8; 8], iterations: u32) -> Zeroizing<[u8; 32]> {
    let mut salt = *salt;
    if salt[..4] == salt[4..] {
        salt[..4].reverse();
    }
    let mut derived = Zeroizing::new([0u8; 32]);
    for (half, output) in salt.chunks_exact(4).zip(derived.chunks_exact_mut(16)) {
        let mut state = Zeroizing::new(half.to_vec());
        for _ in 0..iterations {
            let digest = Md5::new()
                .chain_update(state.as_slice())
                .chain_update(password)
                .finalize();
            *state = digest.to_vec();
        }
        // An iteration count of 0 leaves the 4-byte half; Java copies what it has.
        let length = state.len().min(16);
        if let (Some(target), Some(source)) = (output.get_mut(..length), state.get(..length)) {
            target.copy_from_slice(source);
        }
    }
    derived
}

/// XORs `data` with SHA-1(password || salt), SHA-1(password || previous), ...
fn xor_stream(data: &mut [u8], password: &[u8], salt: &[u8]) {
    let mut digest = Sha1::new()
        .chain_update(password)
        .chain_update(salt)
        .finalize();
    for (position, chunk) in data.chunks_mut(DIGEST_LENGTH).enumerate() {
        if position > 0 {
            digest = Sha1::new()
                .chain_update(password)
                .chain_update(digest)
                .finalize();
        }
        for (byte, key) in chunk.iter_mut().zip(digest.iter()) {
            *byte ^= key;
        }
    }
}

/// The password as Java's `char[]` in big-endian bytes, as JKS hashes it.
pub(super) fn utf16_be(password: &str) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(password.encode_utf16().flat_map(u16::to_be_bytes).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;

    #[test]
    fn jks_seal_opens_with_the_same_password_only() {
        let plain = b"0123456789abcdefghijklmnopqrstuvwxyz-forty-one-bytes-long";
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(7);
        let sealed = jks_seal(plain, "secret", &mut rng);
        assert_eq!(sealed.len(), plain.len() + 40);
        assert_eq!(jks_open(&sealed, "secret").unwrap().as_slice(), plain);
        assert_eq!(
            jks_open(&sealed, "Secret").unwrap_err().code(),
            "WrongPassword"
        );
        assert_eq!(
            jks_open(&sealed[..30], "secret").unwrap_err().code(),
            "WrongPassword"
        );
    }

    #[test]
    fn pbe_refuses_hostile_iteration_counts_before_any_work() {
        let error = pbe_open(&[0; 16], "pw", &[1; 8], u32::MAX).unwrap_err();
        assert_eq!(error.code(), "UnsupportedAlgorithm");
        assert!(error.to_string().contains("4294967295 iterations"));
    }

    #[test]
    fn equal_salt_halves_are_reversed_like_sun_does() {
        let same = md5_triple_des_key(b"pw", &[1, 2, 3, 4, 1, 2, 3, 4], 3);
        let reversed = md5_triple_des_key(b"pw", &[4, 3, 2, 1, 1, 2, 3, 4], 3);
        assert_eq!(*same, *reversed);
    }
}

//! PKCS#12's own password-based encryption (RFC 7292 appendix C: 3DES and RC2 with keys
//! from the PKCS#12 KDF over SHA-1) and the KDF itself (appendix B.2), also used for the
//! PKCS#12 MAC. Older files and `openssl pkcs12 -legacy` use it; every buffer that holds the
//! password or key material is wiped after use.

use crate::pkcs12::asn1;
use const_oid::ObjectIdentifier;
use sha2::digest::{Digest, FixedOutputReset, block_api::BlockSizeUser};
use zeroize::{Zeroize, Zeroizing};

use super::limits::{self, Budget, Hash, Iterated};
use super::pbes2::{cbc_decrypt, cbc_decrypt_with, cbc_encrypt};
use crate::Error;

/// The PKCS#12 PBE ciphers mtlskit reads (RC4 is not among them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cipher {
    /// pbeWithSHAAnd3-KeyTripleDES-CBC: what `-legacy` and old Java and Windows write.
    TripleDes3Key,
    /// pbeWithSHAAnd2-KeyTripleDES-CBC.
    TripleDes2Key,
    /// pbeWithSHAAnd128BitRC2-CBC.
    Rc2With128Bits,
    /// pbeWithSHAAnd40BitRC2-CBC: what OpenSSL 1.x wrote for certificates.
    Rc2With40Bits,
}

impl Cipher {
    /// The cipher of the OID with these content bytes.
    pub(super) fn from_oid(oid: &[u8]) -> Option<Self> {
        const ALL: [(ObjectIdentifier, Cipher); 4] = [
            (
                asn1::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC,
                Cipher::TripleDes3Key,
            ),
            (
                asn1::PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC,
                Cipher::TripleDes2Key,
            ),
            (
                asn1::PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC,
                Cipher::Rc2With128Bits,
            ),
            (
                asn1::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC,
                Cipher::Rc2With40Bits,
            ),
        ];
        ALL.iter()
            .find(|(known, _)| known.as_bytes() == oid)
            .map(|(_, cipher)| *cipher)
    }

    fn key_length(self) -> usize {
        match self {
            Self::TripleDes3Key => 24,
            Self::TripleDes2Key | Self::Rc2With128Bits => 16,
            Self::Rc2With40Bits => 5,
        }
    }
}

/// `pkcs-12PbeParams` (RFC 7292 appendix C) as read.
#[derive(Debug, Clone, Copy)]
pub(super) struct Parameters<'a> {
    pub(super) salt: &'a [u8],
    pub(super) iterations: i32,
}

/// Decrypts `ciphertext` with the password in PKCS#12 form (`Password::to_bmp`).
pub(super) fn decrypt(
    cipher: Cipher,
    parameters: &Parameters<'_>,
    password_bmp: &[u8],
    ciphertext: &[u8],
    item: &'static str,
    budget: &mut Budget,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let (key, iv) = key_and_iv(cipher, parameters, password_bmp, 1, item, budget)?;
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let plain_length = match cipher {
        Cipher::TripleDes3Key => cbc_decrypt::<des::TdesEde3>(&key, &iv, &mut buffer),
        Cipher::TripleDes2Key => cbc_decrypt::<des::TdesEde2>(&key, &iv, &mut buffer),
        Cipher::Rc2With128Bits => rc2_decrypt(&key, 128, &iv, &mut buffer),
        Cipher::Rc2With40Bits => rc2_decrypt(&key, 40, &iv, &mut buffer),
    }
    .ok_or(Error::WrongPassword { item })?;
    buffer.truncate(plain_length);
    Ok(buffer)
}

/// Encrypts with pbeWithSHAAnd3-KeyTripleDES-CBC (for `--legacy` files).
pub(super) fn encrypt_3des(
    parameters: &Parameters<'_>,
    password_bmp: &[u8],
    plain: &[u8],
    item: &'static str,
) -> Result<Vec<u8>, Error> {
    let minimum = limits::WRITE_MINIMUM_ITERATIONS.into();
    let mut budget = Budget::default();
    let cipher = Cipher::TripleDes3Key;
    let (key, iv) = key_and_iv(cipher, parameters, password_bmp, minimum, item, &mut budget)?;
    cbc_encrypt::<des::TdesEde3>(&key, &iv, plain).ok_or_else(|| Error::Issuance {
        detail: format!("3DES encryption of the {item} failed"),
    })
}

/// The PKCS#12 KDF (RFC 7292 appendix B.2) for one password, salt and iteration count.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pkcs12Kdf<'a> {
    /// The hash: SHA-1 for encryption, the MAC's digest for the MAC key.
    pub(crate) hash: Hash,
    /// The password in PKCS#12 form (`Password::to_bmp`).
    pub(crate) password_bmp: &'a [u8],
    /// The salt.
    pub(crate) salt: &'a [u8],
    /// The iteration count.
    pub(crate) iterations: u64,
}

/// The PKCS#12 KDF purposes (RFC 7292 appendix B.3): an encryption key.
pub(crate) const ENCRYPTION_KEY: u8 = 1;
/// An IV.
pub(crate) const IV: u8 = 2;
/// A MAC key.
pub(crate) const MAC_KEY: u8 = 3;

impl Pkcs12Kdf<'_> {
    /// `length` bytes for purpose `id`, after checking the iteration count against the limits
    /// (at least `minimum`) and charging `budget`.
    pub(crate) fn derive(
        &self,
        id: u8,
        length: usize,
        minimum: u64,
        item: &'static str,
        budget: &mut Budget,
    ) -> Result<Zeroizing<Vec<u8>>, Error> {
        let (hash, iterations) = (self.hash, self.iterations);
        limits::check_iterations(
            Iterated::Pkcs12,
            hash,
            iterations,
            length,
            minimum,
            item,
            budget,
        )?;
        let inputs = (self.password_bmp, self.salt, id, iterations, length);
        Ok(match hash {
            Hash::Sha1 => derive::<sha1::Sha1>(inputs),
            Hash::Sha224 => derive::<sha2::Sha224>(inputs),
            Hash::Sha256 => derive::<sha2::Sha256>(inputs),
            Hash::Sha384 => derive::<sha2::Sha384>(inputs),
            Hash::Sha512 => derive::<sha2::Sha512>(inputs),
        })
    }
}

/// A derived key and IV, wiped when dropped.
type KeyAndIv = (Zeroizing<Vec<u8>>, Zeroizing<Vec<u8>>);

fn key_and_iv(
    cipher: Cipher,
    parameters: &Parameters<'_>,
    password_bmp: &[u8],
    minimum: u64,
    item: &'static str,
    budget: &mut Budget,
) -> Result<KeyAndIv, Error> {
    let kdf = Pkcs12Kdf {
        hash: Hash::Sha1,
        password_bmp,
        salt: parameters.salt,
        iterations: u64::try_from(parameters.iterations).unwrap_or(0),
    };
    let key = kdf.derive(ENCRYPTION_KEY, cipher.key_length(), minimum, item, budget)?;
    let iv = kdf.derive(IV, 8, minimum, item, budget)?;
    Ok((key, iv))
}

fn rc2_decrypt(key: &[u8], effective_bits: usize, iv: &[u8], buffer: &mut [u8]) -> Option<usize> {
    cbc_decrypt_with(
        rc2::Rc2::new_with_eff_key_len(key, effective_bits),
        iv,
        buffer,
    )
}

/// RFC 7292 appendix B.2 over hash `D` (block size v, output size u).
fn derive<D: Digest + FixedOutputReset + BlockSizeUser>(
    (password_bmp, salt, id, iterations, length): (&[u8], &[u8], u8, u64, usize),
) -> Zeroizing<Vec<u8>> {
    let v = D::block_size();
    let repeat = |source: &[u8]| -> Zeroizing<Vec<u8>> {
        let filled = v * source.len().div_ceil(v);
        Zeroizing::new(source.iter().copied().cycle().take(filled).collect())
    };
    // I = S || P: the salt and the password, each repeated to a multiple of v bytes.
    let mut input = repeat(salt);
    input.extend_from_slice(&repeat(password_bmp));
    let diversifier = vec![id; v];
    let mut output = Zeroizing::new(Vec::with_capacity(length));
    let mut digest = D::new();
    loop {
        // A = H^iterations(D || I)
        Digest::update(&mut digest, &diversifier);
        Digest::update(&mut digest, &input);
        let mut block = digest.finalize_reset();
        for _ in 1..iterations {
            Digest::update(&mut digest, &block);
            FixedOutputReset::finalize_into_reset(&mut digest, &mut block);
        }
        let wanted = (length - output.len()).min(block.len());
        output.extend_from_slice(block.get(..wanted).unwrap_or_default());
        if output.len() >= length {
            block.as_mut_slice().zeroize();
            return output;
        }
        // Each v-byte block of I becomes (I_j + B + 1) mod 2^v, B being A repeated to v bytes.
        let b = repeat(&block);
        block.as_mut_slice().zeroize();
        for chunk in input.chunks_mut(v) {
            let mut carry = 1u16;
            for (byte, addend) in chunk.iter_mut().rev().zip(b.iter().take(v).rev()) {
                let sum = u16::from(*byte) + u16::from(*addend) + carry;
                *byte = sum.to_le_bytes()[0];
                carry = sum >> 8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kdf_matches_the_pkcs12_crate() {
        let password = crate::secret::Password::from("pässword");
        for (id, iterations, length) in [(1, 1, 24), (2, 2048, 8), (3, 3, 64), (1, 1000, 100)] {
            let bmp = password.to_bmp();
            let ours = derive::<sha1::Sha1>((&bmp, b"salty", id, iterations, length));
            let kind = match id {
                1 => pkcs12::kdf::Pkcs12KeyType::EncryptionKey,
                2 => pkcs12::kdf::Pkcs12KeyType::Iv,
                _ => pkcs12::kdf::Pkcs12KeyType::Mac,
            };
            let rounds = i32::try_from(iterations).unwrap();
            let theirs = pkcs12::kdf::derive_key_utf8::<sha1::Sha1>(
                "pässword",
                b"salty",
                kind,
                rounds,
                length,
            )
            .unwrap();
            assert_eq!(
                *ours, theirs,
                "id {id}, {iterations} iterations, {length} bytes"
            );
            let sha256 = derive::<sha2::Sha256>((&bmp, b"", id, iterations, length));
            let kind = pkcs12::kdf::Pkcs12KeyType::Mac;
            let theirs =
                pkcs12::kdf::derive_key_utf8::<sha2::Sha256>("pässword", b"", kind, rounds, length)
                    .unwrap();
            if id == 3 {
                assert_eq!(*sha256, theirs);
            }
        }
    }
}

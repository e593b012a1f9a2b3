//! PBES2 (RFC 8018 section 6.2): PBKDF2 or scrypt, then AES-CBC or 3DES-CBC.
//!
//! The parameters are read with the core's DER reader ([`Parameters::read`], accepting what the
//! `pkcs5` crate's decoder accepted, which a test checks); the key is derived here, after
//! [`limits`](super::limits) accepted the parameters, into a buffer that is wiped after use.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt};
use cbc::cipher::{InnerIvInit, KeyInit, KeyIvInit};
use zeroize::Zeroizing;

use super::limits::{self, Budget, Hash, Iterated};
use crate::Error;
use crate::asn1::read::{self, Reader, Tag};

/// The OIDs of PBES2 (RFC 8018 appendices A and B, RFC 7914 for scrypt, NIST for AES), as the
/// `pkcs5` crate named them (a test checks each against it).
pub(super) mod oid {
    use const_oid::ObjectIdentifier;

    /// id-PBES2.
    pub(crate) const PBES2_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
    /// id-PBKDF2.
    pub(crate) const PBKDF2_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.12");
    /// id-scrypt.
    pub(crate) const SCRYPT_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11591.4.11");
    /// hmacWithSHA1.
    pub(crate) const HMAC_WITH_SHA1_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.7");
    /// hmacWithSHA224.
    pub(crate) const HMAC_WITH_SHA224_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.8");
    /// hmacWithSHA256.
    pub(crate) const HMAC_WITH_SHA256_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.9");
    /// hmacWithSHA384.
    pub(crate) const HMAC_WITH_SHA384_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.10");
    /// hmacWithSHA512.
    pub(crate) const HMAC_WITH_SHA512_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.11");
    /// aes128-CBC.
    pub(crate) const AES_128_CBC_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.2");
    /// aes192-CBC.
    pub(crate) const AES_192_CBC_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.22");
    /// aes256-CBC.
    pub(crate) const AES_256_CBC_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.42");
    /// aes128-GCM.
    pub(crate) const AES_128_GCM_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.6");
    /// aes256-GCM.
    pub(crate) const AES_256_GCM_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.46");
    /// des-EDE3-CBC.
    pub(crate) const DES_EDE3_CBC_OID: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.3.7");

    #[cfg(test)]
    #[test]
    fn the_oids_are_the_pkcs5_crates() {
        use pkcs5::pbes2 as theirs;
        let pairs = [
            (PBES2_OID, theirs::PBES2_OID),
            (PBKDF2_OID, theirs::PBKDF2_OID),
            (SCRYPT_OID, theirs::SCRYPT_OID),
            (HMAC_WITH_SHA1_OID, theirs::HMAC_WITH_SHA1_OID),
            (HMAC_WITH_SHA256_OID, theirs::HMAC_WITH_SHA256_OID),
            (AES_128_CBC_OID, theirs::AES_128_CBC_OID),
            (AES_192_CBC_OID, theirs::AES_192_CBC_OID),
            (AES_256_CBC_OID, theirs::AES_256_CBC_OID),
            (AES_128_GCM_OID, theirs::AES_128_GCM_OID),
            (AES_256_GCM_OID, theirs::AES_256_GCM_OID),
            (DES_EDE3_CBC_OID, theirs::DES_EDE3_CBC_OID),
        ];
        for (ours, theirs) in pairs {
            assert_eq!(ours, theirs);
        }
    }
}

use oid::{
    AES_128_CBC_OID, AES_128_GCM_OID, AES_192_CBC_OID, AES_256_CBC_OID, AES_256_GCM_OID,
    DES_EDE3_CBC_OID, HMAC_WITH_SHA1_OID, HMAC_WITH_SHA224_OID, HMAC_WITH_SHA256_OID,
    HMAC_WITH_SHA384_OID, HMAC_WITH_SHA512_OID, PBKDF2_OID, SCRYPT_OID,
};

/// The longest salt read (the `pkcs5` crate's limit, kept).
const MAXIMUM_SALT: usize = 32;

/// `PBES2-params` (RFC 8018 appendix A.4) as read.
#[derive(Debug, Clone, Copy)]
pub(super) struct Parameters<'a> {
    pub(super) kdf: Kdf<'a>,
    pub(super) cipher: Cipher,
    /// The IV (16 bytes for AES, 8 for 3DES; empty for the GCM schemes, which are not read).
    pub(super) iv: &'a [u8],
    /// The cipher's OID bytes.
    pub(super) encryption_oid: &'a [u8],
}

/// The key derivation of PBES2.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kdf<'a> {
    /// `PBKDF2-params` (RFC 8018 appendix A.2).
    Pbkdf2 {
        salt: &'a [u8],
        iterations: u32,
        key_length: Option<u16>,
        prf: Hash,
    },
    /// `scrypt-params` (RFC 7914 section 7.1).
    Scrypt {
        salt: &'a [u8],
        n: u64,
        r: u16,
        p: u16,
        key_length: Option<u16>,
    },
}

impl Kdf<'_> {
    fn key_length(&self) -> Option<u16> {
        match self {
            Self::Pbkdf2 { key_length, .. } | Self::Scrypt { key_length, .. } => *key_length,
        }
    }
}

/// The ciphers of PBES2 the `pkcs5` crate read; only the CBC ones decrypt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cipher {
    Aes128Cbc,
    Aes192Cbc,
    Aes256Cbc,
    DesEde3Cbc,
    Aes128Gcm,
    Aes256Gcm,
}

impl<'a> Parameters<'a> {
    /// Reads `PBES2-params` from the whole TLV `der` of the AlgorithmIdentifier's parameters.
    pub(super) fn read(der: &'a [u8]) -> read::Result<Self> {
        read::parse(der, |reader| reader.read_sequence(Self::fields))
    }

    fn fields(reader: &mut Reader<'a>) -> read::Result<Self> {
        let kdf_start = reader.error("PBKDF2 or scrypt parameters");
        let kdf = reader.algorithm()?;
        let cipher_start = reader.error("a known PBES2 cipher with its IV");
        let encryption = reader.algorithm()?;
        let kdf_parameters = kdf.parameters.ok_or(kdf_start)?.whole;
        let kdf = if kdf.is(&PBKDF2_OID) {
            read::parse(kdf_parameters, |r| r.read_sequence(pbkdf2))?
        } else if kdf.is(&SCRYPT_OID) {
            read::parse(kdf_parameters, |r| r.read_sequence(scrypt))?
        } else {
            return Err(kdf_start);
        };
        let iv = match encryption.parameters {
            Some(tlv) if tlv.tag == Tag::OCTET_STRING => tlv.contents,
            _ => return Err(cipher_start),
        };
        let (cipher, iv_length) = [
            (AES_128_CBC_OID, Cipher::Aes128Cbc, 16),
            (AES_192_CBC_OID, Cipher::Aes192Cbc, 16),
            (AES_256_CBC_OID, Cipher::Aes256Cbc, 16),
            (AES_128_GCM_OID, Cipher::Aes128Gcm, 12),
            (AES_256_GCM_OID, Cipher::Aes256Gcm, 12),
            (DES_EDE3_CBC_OID, Cipher::DesEde3Cbc, 8),
        ]
        .into_iter()
        .find(|(oid, _, _)| encryption.is(oid))
        .map(|(_, cipher, length)| (cipher, length))
        .ok_or(cipher_start)?;
        // The pkcs5 crate took the first 8 bytes of a longer 3DES IV (and panicked on a
        // shorter one); the AES and GCM ones must have their exact length.
        let iv = match cipher {
            Cipher::DesEde3Cbc => iv.get(..8),
            _ => (iv.len() == iv_length).then_some(iv),
        }
        .ok_or(cipher_start)?;
        Ok(Self {
            kdf,
            cipher,
            iv,
            encryption_oid: encryption.oid,
        })
    }

    /// The KDF's OID bytes.
    pub(super) fn kdf_oid(&self) -> &'static [u8] {
        match self.kdf {
            Kdf::Pbkdf2 { .. } => PBKDF2_OID.as_bytes(),
            Kdf::Scrypt { .. } => SCRYPT_OID.as_bytes(),
        }
    }
}

fn salt<'a>(reader: &mut Reader<'a>) -> read::Result<&'a [u8]> {
    let error = reader.error("a salt of at most 32 bytes");
    let salt = reader.octet_string()?;
    if salt.len() > MAXIMUM_SALT {
        return Err(error);
    }
    Ok(salt)
}

fn optional_u16(reader: &mut Reader<'_>) -> read::Result<Option<u16>> {
    match reader.peek_tag()? {
        Some(Tag::INTEGER) => reader.u16().map(Some),
        _ => Ok(None),
    }
}

fn pbkdf2<'a>(reader: &mut Reader<'a>) -> read::Result<Kdf<'a>> {
    let salt = salt(reader)?;
    let iterations = reader.u32()?;
    let key_length = optional_u16(reader)?;
    let prf = match reader.peek_tag()? {
        Some(Tag::SEQUENCE) => {
            let error = reader.error("HMAC-SHA-1, -224, -256, -384 or -512 with NULL parameters");
            let prf = reader.algorithm()?;
            let null = prf
                .parameters
                .is_none_or(|p| p.tag == Tag::NULL && p.contents.is_empty());
            let hash = [
                (HMAC_WITH_SHA1_OID, Hash::Sha1),
                (HMAC_WITH_SHA224_OID, Hash::Sha224),
                (HMAC_WITH_SHA256_OID, Hash::Sha256),
                (HMAC_WITH_SHA384_OID, Hash::Sha384),
                (HMAC_WITH_SHA512_OID, Hash::Sha512),
            ]
            .into_iter()
            .find(|(oid, _)| prf.is(oid))
            .map(|(_, hash)| hash);
            match (null, hash) {
                (true, Some(hash)) => hash,
                _ => return Err(error),
            }
        }
        _ => Hash::Sha1,
    };
    Ok(Kdf::Pbkdf2 {
        salt,
        iterations,
        key_length,
        prf,
    })
}

fn scrypt<'a>(reader: &mut Reader<'a>) -> read::Result<Kdf<'a>> {
    Ok(Kdf::Scrypt {
        salt: salt(reader)?,
        n: reader.u64()?,
        r: reader.u16()?,
        p: reader.u16()?,
        key_length: optional_u16(reader)?,
    })
}

/// Decrypts `ciphertext` with the UTF-8 `password`.
pub(super) fn decrypt(
    parameters: &Parameters<'_>,
    password: &[u8],
    ciphertext: &[u8],
    item: &'static str,
    budget: &mut Budget,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let key_length = key_length(parameters, item)?;
    let key = derive(&parameters.kdf, password, key_length, 1, item, budget)?;
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let iv = parameters.iv;
    let plain_length = match parameters.cipher {
        Cipher::Aes128Cbc => cbc_decrypt::<aes::Aes128>(&key, iv, &mut buffer),
        Cipher::Aes192Cbc => cbc_decrypt::<aes::Aes192>(&key, iv, &mut buffer),
        Cipher::Aes256Cbc => cbc_decrypt::<aes::Aes256>(&key, iv, &mut buffer),
        Cipher::DesEde3Cbc => cbc_decrypt::<des::TdesEde3>(&key, iv, &mut buffer),
        Cipher::Aes128Gcm | Cipher::Aes256Gcm => None,
    }
    .ok_or(Error::WrongPassword { item })?;
    buffer.truncate(plain_length);
    Ok(buffer)
}

/// Encrypts `plain` with PBKDF2-HMAC-SHA-256 (`iterations`, `salt`) and AES-256-CBC (`iv`),
/// the values the caller also wrote into the parameters.
pub(super) fn encrypt_pbkdf2_sha256_aes256(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    iv: &[u8; 16],
    plain: &[u8],
    item: &'static str,
) -> Result<Vec<u8>, Error> {
    let kdf = Kdf::Pbkdf2 {
        salt,
        iterations,
        key_length: None,
        prf: Hash::Sha256,
    };
    let minimum = limits::WRITE_MINIMUM_ITERATIONS.into();
    let key = derive(&kdf, password, 32, minimum, item, &mut Budget::default())?;
    cbc_encrypt::<aes::Aes256>(&key, iv, plain)
        .ok_or_else(|| unsupported(AES_256_CBC_OID.as_bytes(), item))
}

/// Derives `length` key bytes, after checking the KDF's parameters.
fn derive(
    kdf: &Kdf<'_>,
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
    match *kdf {
        Kdf::Pbkdf2 {
            salt,
            iterations: count,
            prf: hash,
            ..
        } => {
            limits::check_iterations(
                Iterated::Pbkdf2,
                hash,
                u64::from(count),
                length,
                minimum_iterations,
                item,
                budget,
            )?;
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
        Kdf::Scrypt { salt, n, r, p, .. } => {
            limits::check_scrypt(n, u64::from(r), u64::from(p), item, budget)?;
            let invalid = || unsupported(SCRYPT_OID.as_bytes(), item);
            let log_n = u8::try_from(n.trailing_zeros()).map_err(|_| invalid())?;
            let params =
                scrypt::Params::new(log_n, u32::from(r), u32::from(p)).map_err(|_| invalid())?;
            scrypt::scrypt(password, salt, &params, &mut key).map_err(|_| invalid())?;
        }
    }
    Ok(key)
}

fn key_length(parameters: &Parameters<'_>, item: &'static str) -> Result<usize, Error> {
    match parameters.cipher {
        Cipher::Aes128Cbc => Ok(16),
        Cipher::Aes192Cbc | Cipher::DesEde3Cbc => Ok(24),
        Cipher::Aes256Cbc => Ok(32),
        Cipher::Aes128Gcm | Cipher::Aes256Gcm => Err(unsupported(parameters.encryption_oid, item)),
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

fn unsupported(oid: &[u8], item: &'static str) -> Error {
    Error::UnsupportedAlgorithm {
        algorithm: format!("{} in the {item}", read::oid_text(oid)),
    }
}

/// What was read, for comparing with the `pkcs5` crate's decoder in tests.
#[cfg(test)]
pub(super) fn summary(parameters: &Parameters<'_>) -> String {
    let kdf = match parameters.kdf {
        Kdf::Pbkdf2 {
            salt,
            iterations,
            key_length,
            prf,
        } => format!("PBKDF2 {salt:?} {iterations} {key_length:?} {prf:?}"),
        Kdf::Scrypt {
            salt,
            n,
            r,
            p,
            key_length,
        } => format!("scrypt {salt:?} {n} {r} {p} {key_length:?}"),
    };
    let cipher = match parameters.cipher {
        Cipher::Aes128Gcm | Cipher::Aes256Gcm => format!("{:?}", parameters.cipher),
        other => format!("{other:?} {:?}", parameters.iv),
    };
    format!("{kdf}; {cipher}")
}

/// [`summary`] of the `pkcs5` crate's parameters.
#[cfg(test)]
pub(super) fn summary_pkcs5(parameters: &pkcs5::pbes2::Parameters) -> String {
    use pkcs5::pbes2::{EncryptionScheme, Kdf as Pkcs5Kdf, Pbkdf2Prf};
    let kdf = match &parameters.kdf {
        Pkcs5Kdf::Pbkdf2(p) => {
            let prf = match p.prf {
                Pbkdf2Prf::HmacWithSha1 => Hash::Sha1,
                Pbkdf2Prf::HmacWithSha224 => Hash::Sha224,
                Pbkdf2Prf::HmacWithSha256 => Hash::Sha256,
                Pbkdf2Prf::HmacWithSha384 => Hash::Sha384,
                _ => Hash::Sha512,
            };
            let salt = p.salt.as_ref();
            format!(
                "PBKDF2 {salt:?} {} {:?} {prf:?}",
                p.iteration_count, p.key_length
            )
        }
        Pkcs5Kdf::Scrypt(p) => format!(
            "scrypt {:?} {} {} {} {:?}",
            p.salt.as_ref(),
            p.cost_parameter,
            p.block_size,
            p.parallelization,
            p.key_length
        ),
        _ => "other".to_owned(),
    };
    let cipher = match parameters.encryption {
        EncryptionScheme::Aes128Cbc { iv } => format!("{:?} {:?}", Cipher::Aes128Cbc, &iv[..]),
        EncryptionScheme::Aes192Cbc { iv } => format!("{:?} {:?}", Cipher::Aes192Cbc, &iv[..]),
        EncryptionScheme::Aes256Cbc { iv } => format!("{:?} {:?}", Cipher::Aes256Cbc, &iv[..]),
        EncryptionScheme::DesEde3Cbc { iv } => format!("{:?} {:?}", Cipher::DesEde3Cbc, &iv[..]),
        EncryptionScheme::Aes128Gcm { .. } => format!("{:?}", Cipher::Aes128Gcm),
        EncryptionScheme::Aes256Gcm { .. } => format!("{:?}", Cipher::Aes256Gcm),
        _ => "other".to_owned(),
    };
    format!("{kdf}; {cipher}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use const_oid::ObjectIdentifier;

    fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
        let contents = parts.concat();
        let length = u8::try_from(contents.len()).unwrap();
        [&[tag, length][..], &contents].concat()
    }

    /// PBES2-params with PBKDF2 (salt, 2048 iterations) and 3DES-CBC with `iv`.
    fn des3_parameters(iv: &[u8]) -> Vec<u8> {
        let oid = |oid: ObjectIdentifier| tlv(0x06, &[oid.as_bytes()]);
        let pbkdf2_parameters = tlv(0x30, &[&tlv(0x04, &[&[7; 8]]), &[0x02, 0x02, 0x08, 0x00]]);
        let kdf = tlv(0x30, &[&oid(PBKDF2_OID), &pbkdf2_parameters]);
        let cipher = tlv(0x30, &[&oid(DES_EDE3_CBC_OID), &tlv(0x04, &[iv])]);
        tlv(0x30, &[&kdf, &cipher])
    }

    #[test]
    fn a_short_3des_iv_is_an_error_where_pkcs5_panicked() {
        use der::Decode as _;
        let short = des3_parameters(&[1, 2, 3, 4]);
        assert!(Parameters::read(&short).is_err());
        let pkcs5 = std::panic::catch_unwind(|| pkcs5::pbes2::Parameters::from_der(&short));
        assert!(
            pkcs5.is_err(),
            "the pkcs5 crate no longer panics: {pkcs5:?}"
        );
        // Eight bytes and more read as before: the first eight are the IV.
        for length in [8, 12] {
            let iv: Vec<u8> = (1..=length).collect();
            let der = des3_parameters(&iv);
            let ours = Parameters::read(&der).unwrap();
            assert_eq!((ours.cipher, ours.iv), (Cipher::DesEde3Cbc, &iv[..8]));
            let theirs = pkcs5::pbes2::Parameters::from_der(&der).unwrap();
            assert_eq!(summary(&ours), summary_pkcs5(&theirs));
        }
    }
}

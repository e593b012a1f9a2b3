//! Java keystores: JKS (Sun's `JKS` type) and JCEKS (SunJCE's `JCEKS` type), read and, for
//! JKS, written. No maintained crate fits the core's rules (the `jks` crate reads the clock and
//! a global RNG and knows no JCEKS), so the format is written here over `sha1`, `md-5`, `des`
//! and `cbc`. PKCS#12 keystores are in [`crate::pkcs12`].
//!
//! # The file format
//!
//! Big-endian throughout; `UTF` is Java's `DataOutput.writeUTF`: a u16 byte length and
//! modified UTF-8 (CESU-8, with U+0000 as `C0 80`).
//!
//! ```text
//! u32   magic         FEEDFEED (JKS) or CECECECE (JCEKS)
//! u32   version       1 or 2 (version 1 has no certificate type strings)
//! u32   count
//! count entries:
//!   u32   tag         1 private key, 2 trusted certificate, 3 secret key (JCEKS only)
//!   UTF   alias       JKS lowercases aliases when it loads them
//!   u64   created     milliseconds since 1970-01-01T00:00:00Z
//!   tag 1: u32 length, EncryptedPrivateKeyInfo (DER, RFC 5958 section 3)
//!          u32 chain count, then chain count certificates (leaf first)
//!   tag 2: one certificate
//!   tag 3: a Java-serialised javax.crypto.SealedObject (see `serialized.rs`)
//!   certificate: [version 2: UTF type, "X.509"] u32 length, DER
//! 20 bytes    SHA-1(password as UTF-16BE || "Mighty Aphrodite" || every byte above)
//! ```
//!
//! # Key protection (what is supported)
//!
//! - JKS private keys (OID 1.3.6.1.4.1.42.2.17.1.1): Sun's proprietary stream. The encrypted
//!   data is `salt(20) || key XOR stream || SHA-1(password UTF-16BE || key)`, where the stream
//!   is `d1 || d2 || ...` with `d1 = SHA-1(password || salt)`, `d(i+1) = SHA-1(password || d(i))`.
//!   Read and written.
//! - JCEKS private and secret keys: PBEWithMD5AndTripleDES (OID 1.3.6.1.4.1.42.2.19.1), Sun's
//!   variant: each half of the 8-byte salt is hashed with the ASCII password `iterations`
//!   times with MD5, giving 32 bytes: a 3DES key (24) and a CBC IV (8). Read only; iteration
//!   counts above [`MAX_PBE_ITERATIONS`] are refused before any work. JCEKS private keys may
//!   also carry the JKS protection (keytool copies them), which is read too.
//! - Secret keys (JCEKS tag 3) are reported by alias, date and, once opened, their algorithm
//!   and size; their bytes never leave this module.
//!
//! Bounds: at most [`MAX_ENTRIES`] entries and [`MAX_CHAIN`] certificates per chain; every
//! length is checked against the bytes that remain before anything is allocated.

mod protect;
mod read;
mod serialized;
mod write;

pub use read::read;
pub use write::{NewEntry, write_jks};

use zeroize::Zeroizing;

use crate::Error;

/// Entries above this count are refused (the JDK's `cacerts` has about 150).
pub const MAX_ENTRIES: usize = 10_000;
/// Certificates per private key chain above this count are refused.
pub const MAX_CHAIN: usize = 64;
/// PBEWithMD5AndTripleDES iteration counts above this are refused (two MD5 runs of this length
/// take about half a second; keytool writes 200 000, Java refuses more than 5 000 000).
pub const MAX_PBE_ITERATIONS: u32 = 1_000_000;

/// The two keystore types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Sun's `JKS` (magic `FEEDFEED`).
    Jks,
    /// SunJCE's `JCEKS` (magic `CECECECE`).
    Jceks,
}

impl Format {
    /// `jks` or `jceks`, as in the inspection report.
    pub fn name(self) -> &'static str {
        match self {
            Self::Jks => "jks",
            Self::Jceks => "jceks",
        }
    }

    /// `JKS keystore` or `JCEKS keystore`, for messages.
    pub fn item(self) -> &'static str {
        match self {
            Self::Jks => "JKS keystore",
            Self::Jceks => "JCEKS keystore",
        }
    }

    /// The format whose magic number starts `input`, if any.
    pub fn sniff(input: &[u8]) -> Option<Self> {
        match input.get(..4)? {
            [0xFE, 0xED, 0xFE, 0xED] => Some(Self::Jks),
            [0xCE, 0xCE, 0xCE, 0xCE] => Some(Self::Jceks),
            _ => None,
        }
    }
}

/// A keystore as read: its entries in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keystore {
    /// JKS or JCEKS.
    pub format: Format,
    /// The format version, 1 or 2.
    pub version: u32,
    /// Whether the integrity digest was checked with the store password.
    pub verified: bool,
    /// The entries, in file order.
    pub entries: Vec<Entry>,
}

/// One keystore entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The alias, as stored.
    pub alias: String,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_millis: i64,
    /// What the entry holds.
    pub contents: EntryContents,
}

/// What an entry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryContents {
    /// A private key (still protected) and its certificate chain, leaf first (keytool's
    /// `PrivateKeyEntry`).
    PrivateKey {
        /// The protected key.
        key: ProtectedKey,
        /// The certificates (DER), leaf first.
        chain: Vec<Vec<u8>>,
    },
    /// A certificate trusted as an anchor (keytool's `trustedCertEntry`).
    TrustedCertificate {
        /// The certificate (DER).
        certificate: Vec<u8>,
    },
    /// A JCEKS secret key (keytool's `SecretKeyEntry`), still sealed.
    SecretKey(SealedKey),
}

/// A private key as stored: an `EncryptedPrivateKeyInfo` under one of the two protections.
#[derive(Clone, PartialEq, Eq)]
pub struct ProtectedKey {
    protection: Protection,
    encrypted: Vec<u8>,
}

/// A JCEKS secret key as stored: a sealed, serialised `SecretKey`.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedKey {
    salt: [u8; 8],
    iterations: u32,
    encrypted: Vec<u8>,
}

/// What an opened secret key is (never its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretKeySummary {
    /// The Java algorithm name, e.g. `AES`.
    pub algorithm: String,
    /// The key length in bits.
    pub bits: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protection {
    /// Sun's SHA-1 XOR stream.
    Jks,
    /// PBEWithMD5AndTripleDES with this salt and iteration count.
    Md5TripleDes { salt: [u8; 8], iterations: u32 },
}

impl ProtectedKey {
    /// How the key is protected, for people.
    pub fn description(&self) -> String {
        match self.protection {
            Protection::Jks => "JKS key protector (SHA-1 XOR stream)".to_owned(),
            Protection::Md5TripleDes { iterations, .. } => {
                format!("PBEWithMD5AndTripleDES, {iterations} iterations")
            }
        }
    }

    /// Opens the key with `password`: its PKCS#8 `PrivateKeyInfo` DER, wiped on drop.
    pub fn open(&self, password: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
        match self.protection {
            Protection::Jks => protect::jks_open(&self.encrypted, password),
            Protection::Md5TripleDes { salt, iterations } => {
                protect::pbe_open(&self.encrypted, password, &salt, iterations)
            }
        }
    }
}

impl SealedKey {
    /// How the key is sealed, for people.
    pub fn description(&self) -> String {
        format!("PBEWithMD5AndTripleDES, {} iterations", self.iterations)
    }

    /// Opens the sealed key with `password` and says what it is.
    pub fn open(&self, password: &str) -> Result<SecretKeySummary, Error> {
        let plain = protect::pbe_open(&self.encrypted, password, &self.salt, self.iterations)?;
        serialized::secret_key_summary(&plain).ok_or(Error::WrongPassword {
            item: "secret key entry",
        })
    }
}

impl core::fmt::Debug for ProtectedKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ProtectedKey")
            .field("protection", &self.description())
            .finish_non_exhaustive()
    }
}

impl core::fmt::Debug for SealedKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SealedKey")
            .field("protection", &self.description())
            .finish_non_exhaustive()
    }
}

/// Aliases for trusted `certificates`: each subject's common name, lowercased, runs of other
/// characters than letters, digits, `.`, `_` and `-` as one `-` (`ca` when nothing is left),
/// made unique with `-2`, `-3`, ...
pub fn aliases_for(certificates: &[Vec<u8>]) -> Vec<String> {
    const COMMON_NAME: const_oid::ObjectIdentifier =
        const_oid::ObjectIdentifier::new_unwrap("2.5.4.3");
    let mut aliases: Vec<String> = Vec::with_capacity(certificates.len());
    for der in certificates {
        let common_name = crate::x509::certificate::parse(der)
            .ok()
            .and_then(|certificate| {
                crate::x509::name::first_value(&certificate.subject, COMMON_NAME)
            })
            .unwrap_or_default();
        let mut base = String::new();
        for character in common_name.to_lowercase().chars() {
            if character.is_alphanumeric() || matches!(character, '.' | '_' | '-') {
                base.push(character);
            } else if !base.ends_with('-') {
                base.push('-');
            }
        }
        let base = match base.trim_matches('-') {
            "" => "ca".to_owned(),
            trimmed => trimmed.to_owned(),
        };
        let mut alias = base.clone();
        let mut counter = 1;
        while aliases.contains(&alias) {
            counter += 1;
            alias = format!("{base}-{counter}");
        }
        aliases.push(alias);
    }
    aliases
}

/// A malformed keystore: what is wrong, for the message.
fn invalid(format: Format, detail: impl Into<String>) -> Error {
    Error::InvalidKeystore {
        format: format.item(),
        detail: detail.into(),
    }
}

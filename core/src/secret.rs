//! Secrets: passwords and private key bytes. Both are overwritten when dropped (`zeroize`)
//! and never shown: `Debug` prints a placeholder, there is no `Display` and no `Serialize`,
//! so a secret cannot reach a log line, an error message or a JSON report by accident.

use core::fmt;
use core::ops::Deref;
use core::str::FromStr;

use zeroize::Zeroizing;

/// A password, wiped from memory when dropped.
///
/// ```
/// let password = mtlskit::secret::Password::from("correct horse");
/// assert_eq!(format!("{password:?}"), "Password([redacted])");
/// assert_eq!(password.as_str(), "correct horse");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(type = "string"))]
pub struct Password(Zeroizing<String>);

impl Password {
    /// The password's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the password is empty (which is different from having none).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The password as PKCS#12 key derivation takes it: UTF-16 big-endian followed by two zero
    /// bytes (RFC 7292 appendix B.1); characters outside the BMP become surrogate pairs, as
    /// OpenSSL writes them.
    pub(crate) fn to_bmp(&self) -> Zeroizing<Vec<u8>> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(self.0.len() * 2 + 2));
        for unit in self.0.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        bytes.extend_from_slice(&[0, 0]);
        bytes
    }
}

impl From<String> for Password {
    fn from(text: String) -> Self {
        Self(Zeroizing::new(text))
    }
}

impl From<&str> for Password {
    fn from(text: &str) -> Self {
        Self(Zeroizing::new(text.to_owned()))
    }
}

impl FromStr for Password {
    type Err = core::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self::from(text))
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

impl<'de> serde::Deserialize<'de> for Password {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

/// Bytes that hold a secret (a decrypted private key, a file containing one), wiped from
/// memory when dropped. Dereferences to `[u8]`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for SecretBytes {
    fn from(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }
}

impl From<Zeroizing<Vec<u8>>> for SecretBytes {
    fn from(bytes: Zeroizing<Vec<u8>>) -> Self {
        Self(bytes)
    }
}

impl From<Zeroizing<String>> for SecretBytes {
    fn from(text: Zeroizing<String>) -> Self {
        Self::from(text.as_bytes().to_vec())
    }
}

impl Deref for SecretBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes([{} bytes redacted])", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bmp_form_has_a_terminator_and_surrogates() {
        assert_eq!(*Password::from("").to_bmp(), [0, 0]);
        assert_eq!(*Password::from("aé").to_bmp(), [0, 0x61, 0, 0xe9, 0, 0]);
        assert_eq!(
            *Password::from("𝄞").to_bmp(),
            [0xd8, 0x34, 0xdd, 0x1e, 0, 0]
        );
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let password = Password::from("hunter2");
        let bytes = SecretBytes::from(b"-----BEGIN PRIVATE KEY-----".to_vec());
        let shown = format!("{password:?} {bytes:?} {:?}", Some(&password));
        assert!(
            !shown.contains("hunter2") && !shown.contains("PRIVATE"),
            "{shown}"
        );
        assert!(shown.contains("27 bytes redacted"), "{shown}");
    }
}

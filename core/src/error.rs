//! The one error type of mtlskit.
//!
//! Every variant has a stable code: its name, returned by [`Error::code`]. The code reaches the
//! CLI's JSON (`{"error": {"code": ...}}`), the wasm module and the Node addon unchanged, so a
//! variant is never renamed; new variants may be added (the enum is `#[non_exhaustive]`).
//! Messages are for people and may improve over time.

use core::fmt;

/// Everything that can go wrong in mtlskit's core.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    // ---- input decoding (decode/, x509/, inspect/) ----
    /// The input holds no bytes (or only white space).
    EmptyInput,
    /// The input is neither PEM, DER nor base64 of a structure mtlskit knows.
    UnrecognizedInput {
        /// What the bytes looked like, for the message.
        detail: String,
    },
    /// A PEM block is malformed: missing END line, bad base64 body, mismatched labels
    /// (RFC 7468 section 2).
    InvalidPem {
        /// The label after `BEGIN`, e.g. `CERTIFICATE`.
        label: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The DER encoding of a structure is invalid or truncated (X.690 section 10).
    InvalidDer {
        /// The structure that was being decoded, e.g. `certificate`.
        structure: &'static str,
        /// The decoder's message, with the byte position where known.
        detail: String,
    },
    /// The PEM label names a structure that mtlskit does not decode.
    UnsupportedPemLabel {
        /// The label after `BEGIN`.
        label: String,
    },
    /// An algorithm identifier that mtlskit does not implement.
    UnsupportedAlgorithm {
        /// Dotted OID or name of the algorithm.
        algorithm: String,
    },
    /// An encrypted item (PKCS#8 or PKCS#12) was given without a password.
    PasswordRequired {
        /// What needs the password, e.g. `PKCS#12 file`.
        item: &'static str,
    },
    /// The password does not open the item: the PKCS#12 MAC (RFC 7292 section 5) or the
    /// PKCS#8 decryption (RFC 5958 section 3) failed.
    WrongPassword {
        /// What the password was for.
        item: &'static str,
    },
    /// A time given as text is not an RFC 3339 date-time (RFC 3339 section 5.6).
    InvalidTime {
        /// The text that was given.
        value: String,
    },
    /// A file could not be read or written (bindings and the CLI only; the core does no I/O).
    Io {
        /// The operating system's message.
        detail: String,
    },
    /// A PKCS#12 file is structurally valid but uses a feature mtlskit cannot read.
    Pkcs12 {
        /// What went wrong inside the PFX.
        detail: String,
    },
}

impl Error {
    /// The stable code of this error: the variant's name.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptyInput => "EmptyInput",
            Self::UnrecognizedInput { .. } => "UnrecognizedInput",
            Self::InvalidPem { .. } => "InvalidPem",
            Self::InvalidDer { .. } => "InvalidDer",
            Self::UnsupportedPemLabel { .. } => "UnsupportedPemLabel",
            Self::UnsupportedAlgorithm { .. } => "UnsupportedAlgorithm",
            Self::PasswordRequired { .. } => "PasswordRequired",
            Self::WrongPassword { .. } => "WrongPassword",
            Self::InvalidTime { .. } => "InvalidTime",
            Self::Pkcs12 { .. } => "Pkcs12",
            Self::Io { .. } => "Io",
        }
    }

    /// Wraps a DER decoding error for `structure`.
    pub(crate) fn der(structure: &'static str, error: der::Error) -> Self {
        Self::InvalidDer {
            structure,
            detail: error.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyInput => write!(f, "the input is empty"),
            Self::UnrecognizedInput { detail } => write!(
                f,
                "not a certificate, CSR, key, CRL, PKCS#7 or PKCS#12 in PEM, DER or base64 ({detail})"
            ),
            Self::InvalidPem { label, detail } => {
                write!(f, "malformed PEM block '{label}': {detail}")
            }
            Self::InvalidDer { structure, detail } => {
                write!(f, "invalid DER in {structure}: {detail}")
            }
            Self::UnsupportedPemLabel { label } => {
                write!(f, "PEM blocks labelled '{label}' are not supported")
            }
            Self::UnsupportedAlgorithm { algorithm } => {
                write!(f, "unsupported algorithm {algorithm}")
            }
            Self::PasswordRequired { item } => write!(
                f,
                "the {item} is encrypted: give its password (--password, --password-file or MTLSKIT_PASSWORD)"
            ),
            Self::WrongPassword { item } => write!(f, "wrong password for the {item}"),
            Self::InvalidTime { value } => write!(
                f,
                "'{value}' is not an RFC 3339 time such as 2026-01-31T12:00:00Z"
            ),
            Self::Pkcs12 { detail } => write!(f, "cannot read the PKCS#12 file: {detail}"),
            Self::Io { detail } => write!(f, "{detail}"),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_variant_names() {
        let error = Error::WrongPassword {
            item: "PKCS#12 file",
        };
        assert_eq!(error.code(), "WrongPassword");
        assert_eq!(error.to_string(), "wrong password for the PKCS#12 file");
    }
}

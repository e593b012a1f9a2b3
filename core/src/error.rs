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

    // ---- issuance (issue/) ----
    /// A key type name that mtlskit cannot generate; it knows p256, p384, ed25519, rsa2048,
    /// rsa3072 and rsa4096.
    UnknownKeyType {
        /// The name that was given.
        name: String,
    },
    /// A private or public key that cannot be used: malformed, on an unsupported curve, or an
    /// RSA key shorter than 2048 bits (RFC 5958, RFC 8017, RFC 5915).
    InvalidKey {
        /// What is wrong with it.
        detail: String,
    },
    /// A subjectAltName entry is not a valid DNS name, IP address, email address or URI
    /// (RFC 5280 section 4.2.1.6).
    InvalidSubjectAltName {
        /// The entry as given.
        value: String,
        /// Why it was refused.
        detail: String,
    },
    /// A subject attribute cannot be encoded, e.g. a country that is not two letters
    /// (RFC 5280 section 4.1.2.6 and appendix A.1).
    InvalidSubject {
        /// The attribute, e.g. `C`.
        field: &'static str,
        /// Why it was refused.
        detail: String,
    },
    /// The validity period is empty or inverted (RFC 5280 section 4.1.2.5).
    InvalidValidity {
        /// What is wrong with it.
        detail: String,
    },
    /// The request does not fit the certificate profile: a server certificate without any
    /// name, an unknown profile name, a path length on a leaf (RFC 5280 section 4.2.1.9).
    InvalidProfile {
        /// What is wrong with it.
        detail: String,
    },
    /// The issuing certificate is not a CA: basicConstraints cA is absent or false, or its
    /// keyUsage lacks keyCertSign (RFC 5280 sections 4.2.1.9 and 4.2.1.3).
    NotACertificateAuthority {
        /// The issuing certificate's subject.
        subject: String,
    },
    /// The private key given for a CA does not belong to the CA certificate: the public keys
    /// differ.
    CaKeyMismatch {
        /// The CA certificate's subject.
        subject: String,
    },
    /// A CSR's self-signature does not verify with the public key it carries (RFC 2986
    /// section 3), so the request may have been altered.
    InvalidCsrSignature,
    /// A chain cannot be completed: no certificate in the set is the issuer of `subject`
    /// (RFC 5280 section 6.1).
    MissingIssuer {
        /// The certificate whose issuer is missing.
        subject: String,
        /// The issuer name it names.
        issuer: String,
    },
    /// Building, signing or encoding a certificate, CSR, key or PKCS#12 file failed.
    Issuance {
        /// What failed.
        detail: String,
    },
    /// An output file already exists and overwriting was not asked for (`--force`); the
    /// core never writes files, the CLI and the Node package do.
    OutputExists {
        /// The existing file.
        path: String,
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
            // ---- issuance (issue/) ----
            Self::UnknownKeyType { .. } => "UnknownKeyType",
            Self::InvalidKey { .. } => "InvalidKey",
            Self::InvalidSubjectAltName { .. } => "InvalidSubjectAltName",
            Self::InvalidSubject { .. } => "InvalidSubject",
            Self::InvalidValidity { .. } => "InvalidValidity",
            Self::InvalidProfile { .. } => "InvalidProfile",
            Self::NotACertificateAuthority { .. } => "NotACertificateAuthority",
            Self::CaKeyMismatch { .. } => "CaKeyMismatch",
            Self::InvalidCsrSignature => "InvalidCsrSignature",
            Self::MissingIssuer { .. } => "MissingIssuer",
            Self::Issuance { .. } => "Issuance",
            Self::OutputExists { .. } => "OutputExists",
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
            // ---- issuance (issue/) ----
            Self::UnknownKeyType { name } => write!(
                f,
                "unknown key type '{name}': use p256, p384, ed25519, rsa2048, rsa3072 or rsa4096"
            ),
            Self::InvalidKey { detail } => write!(f, "unusable key: {detail}"),
            Self::InvalidSubjectAltName { value, detail } => {
                write!(f, "invalid subject alternative name '{value}': {detail}")
            }
            Self::InvalidSubject { field, detail } => {
                write!(f, "invalid subject attribute {field}: {detail}")
            }
            Self::InvalidValidity { detail } => write!(f, "invalid validity period: {detail}"),
            Self::InvalidProfile { detail } => write!(f, "{detail}"),
            Self::NotACertificateAuthority { subject } => write!(
                f,
                "'{subject}' is not a CA certificate (no basicConstraints cA=TRUE or no keyCertSign), so it cannot issue certificates"
            ),
            Self::CaKeyMismatch { subject } => write!(
                f,
                "the CA key does not belong to the CA certificate '{subject}': give the key that was created with it"
            ),
            Self::InvalidCsrSignature => write!(
                f,
                "the CSR's signature does not verify with its own public key: it was altered or is corrupt"
            ),
            Self::MissingIssuer { subject, issuer } => write!(
                f,
                "the chain is incomplete: no certificate was given for '{issuer}', the issuer of '{subject}'; add that CA certificate to the input"
            ),
            Self::Issuance { detail } => write!(f, "issuance failed: {detail}"),
            Self::OutputExists { path } => write!(
                f,
                "{path} already exists: nothing was written; use --force to overwrite"
            ),
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

//! The one error type of mtlskit.
//!
//! Every variant has a stable code: its name, returned by [`Error::code`]. The code reaches the
//! CLI's JSON (`{"error": {"code": ...}}`), the wasm module and the Node addon unchanged, so a
//! variant is never renamed; new variants may be added (the enum is `#[non_exhaustive]`).
//! Messages are for people and may improve over time.

use core::fmt;

use serde::Serialize;
use serde::ser::SerializeStruct;

use crate::UnixTime;

/// Everything that can go wrong in mtlskit's core.
///
/// Serialized as `{"code": "Expired", "not_after": {...}, "time": {...}}`: the code and the
/// variant's typed fields (times as [`UnixTime`], RFC 3339 and Unix seconds), never prose.
/// TypeScript type `CoreError` (not to shadow JavaScript's `Error`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "CoreError", tag = "code")
)]
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
    /// A password-based key derivation asks for more work or memory than mtlskit allows
    /// (about one second and 64 MiB per item), or for fewer iterations than it writes;
    /// checked before anything is derived (RFC 8018 sections 4.2 and 5.2, RFC 7914 section 2,
    /// RFC 7292 appendix B).
    KdfParameterOutOfBounds {
        /// What is protected, e.g. `PKCS#12 MAC` or `encrypted private key`.
        item: &'static str,
        /// The parameter, e.g. `PBKDF2 iteration count` or `scrypt N`.
        parameter: &'static str,
        /// Its value.
        value: u64,
        /// The smallest value allowed.
        minimum: u64,
        /// The largest value allowed (given the other parameters).
        maximum: u64,
    },
    /// A time given as text is not an RFC 3339 date-time (RFC 3339 section 5.6), or a time
    /// given as a number is not finite or lies outside the years 0000 to 9999.
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
    /// A request to the JSON API (wasm, Node) does not have the expected shape: a missing or
    /// unknown field, or a value of the wrong type. The detail names the field.
    InvalidRequest {
        /// What is wrong, naming the field.
        detail: String,
    },

    /// A Java keystore (JKS or JCEKS) is malformed: truncated, an unknown entry tag, a count
    /// or length out of bounds, data after the integrity digest.
    InvalidKeystore {
        /// `JKS keystore` or `JCEKS keystore`.
        format: &'static str,
        /// What is wrong, with the byte position where known.
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
    /// The private key given for a CA does not belong to the CA certificate: the public keys
    /// differ.
    CaKeyMismatch {
        /// The CA certificate's subject.
        subject: String,
    },
    /// A CSR's self-signature does not verify with the public key it carries (RFC 2986
    /// section 3), so the request may have been altered.
    InvalidCsrSignature,
    /// Building, signing or encoding a certificate, CSR, key or PKCS#12 file failed.
    Issuance {
        /// What failed.
        detail: String,
    },
    /// An output file already exists and overwriting was not asked for; the core never
    /// writes files, the CLI and the Node package do.
    OutputExists {
        /// The existing file.
        path: String,
    },
    // ---- verification (verify/) ----
    /// No certificate among the trust anchors or the supplied certificates has a subject equal
    /// to this certificate's issuer, so no certification path (or chain) can be built (RFC 5280
    /// section 6.1, RFC 4158 section 2).
    UnknownIssuer {
        /// The certificate whose issuer is missing, RFC 4514 text.
        subject: String,
        /// The issuer name that was looked for, RFC 4514 text.
        issuer: String,
    },
    /// The signature on a certificate or CRL does not verify with its issuer's public key
    /// (RFC 5280 section 6.1.3 (a)(1)).
    BadSignature,
    /// The signature uses an algorithm rejected as insecure (SHA-1 or MD5) unless the caller
    /// allows legacy algorithms (RFC 9155; CA/Browser Forum Baseline Requirements 7.1.3.2).
    WeakSignatureAlgorithm {
        /// Name of the algorithm, e.g. `sha1WithRSAEncryption`.
        algorithm: String,
    },
    /// A public key that the profile does not accept: unknown type, explicit curve parameters,
    /// too small or malformed (RFC 5480 section 2.1.1; Baseline Requirements 6.1.5).
    UnacceptableKey {
        /// What is wrong with the key.
        detail: String,
    },
    /// The certificate's notAfter is before the validation time (RFC 5280 section 4.1.2.5).
    Expired {
        /// notAfter.
        not_after: UnixTime,
        /// The validation time.
        time: UnixTime,
    },
    /// The certificate's notBefore is after the validation time (RFC 5280 section 4.1.2.5).
    NotYetValid {
        /// notBefore.
        not_before: UnixTime,
        /// The validation time.
        time: UnixTime,
    },
    /// A certificate used (or given) to issue another one is not a CA: it is not version 3, its
    /// basicConstraints extension is absent or has cA FALSE, or (for issuance) its keyUsage
    /// lacks keyCertSign (RFC 5280 sections 4.2.1.9, 4.2.1.3 and 6.1.4 (k)).
    NotCa {
        /// The certificate's subject, RFC 4514 text.
        subject: String,
    },
    /// More CA certificates follow a CA than its pathLenConstraint allows (RFC 5280 sections
    /// 4.2.1.9 and 6.1.4 (l), (m)).
    PathLengthExceeded {
        /// The pathLenConstraint in force.
        allowed: u8,
    },
    /// The path has more intermediates than the caller's maximum depth (RFC 5280 section 6.1.1,
    /// local policy).
    MaximumDepthExceeded {
        /// The maximum number of intermediates allowed.
        maximum: usize,
    },
    /// The keyUsage extension lacks a bit that this use of the key requires (RFC 5280 sections
    /// 4.2.1.3 and 6.1.4 (n)).
    KeyUsageMissing {
        /// The missing bit, e.g. `keyCertSign`.
        usage: &'static str,
    },
    /// The extendedKeyUsage extension does not allow the requested purpose (RFC 5280 section
    /// 4.2.1.12; in issuers, the Web PKI's EKU chaining rule).
    ExtendedKeyUsageMissing {
        /// The purpose asked for, e.g. `serverAuth`.
        purpose: String,
    },
    /// A name in the certificate is outside the permitted subtrees or inside the excluded
    /// subtrees of a CA above it (RFC 5280 sections 4.2.1.10 and 6.1.3 (b), (c)).
    NameConstraintViolation {
        /// The offending name, e.g. `DNS:evil.example`.
        name: String,
    },
    /// An explicit policy is required (initial-explicit-policy, or requireExplicitPolicy in a
    /// certificate) and no certificate policy acceptable to the caller is valid for the whole
    /// path (RFC 5280 sections 6.1.3 (f) and 6.1.5 (g)).
    NoValidPolicy {
        /// What ran out, for people.
        detail: String,
    },
    /// An extension marked critical that mtlskit does not process (RFC 5280 sections 4.2 and
    /// 6.1.4 (o)).
    UnsupportedCriticalExtension {
        /// Dotted OID of the extension.
        oid: String,
    },
    /// The certificate breaks a MUST of the certificate profile, so it is rejected before any
    /// path uses it (RFC 5280 section 4, or the CA/Browser Forum Baseline Requirements 7.1).
    NonConforming {
        /// The section of the rule, e.g. `RFC 5280 4.1.2.2`.
        section: &'static str,
        /// What is wrong, for people.
        detail: String,
    },
    /// The leaf certificate is not valid for the expected peer name (RFC 6125 section 6,
    /// RFC 9525 section 6.3).
    NameMismatch {
        /// The name that was expected, e.g. `DNS:api.example.com`.
        expected: String,
        /// The names the certificate presents.
        presented: Vec<String>,
    },
    /// A supplied CRL lists the certificate as revoked (RFC 5280 sections 5.3 and 6.3.3 (i)).
    Revoked {
        /// Serial number of the revoked certificate, hex.
        serial: String,
    },
    /// A supplied CRL is past its nextUpdate, so it cannot prove the certificate is not revoked
    /// (RFC 5280 sections 5.1.2.5 and 6.3.3 (a)(2)).
    StaleCrl {
        /// nextUpdate of the CRL.
        next_update: UnixTime,
    },
    /// A supplied CRL cannot be used: bad signature, missing required field, issuer without
    /// cRLSign, unknown critical extension (RFC 5280 sections 5 and 6.3.3).
    InvalidCrl {
        /// What is wrong with the CRL.
        detail: String,
    },
    /// Verification gave up after its budget of signature checks, candidate issuers,
    /// name-constraint comparisons or policy-graph nodes, a defence against pathological inputs
    /// (RFC 4158 section 3, RFC 9618 section 4; local policy).
    BudgetExceeded,
    /// A verification option cannot be used as given, e.g. an extended key usage that is not a
    /// dotted OID (an unusable purpose never widens to "any").
    InvalidOption {
        /// The option, e.g. `purpose`.
        option: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// More certificates or CRLs were passed to one verification than it accepts, a defence
    /// against pathological inputs (local policy).
    TooManyInputs {
        /// What was passed, e.g. `intermediates`.
        what: &'static str,
        /// How many were passed.
        count: usize,
        /// How many are accepted.
        maximum: usize,
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
            Self::KdfParameterOutOfBounds { .. } => "KdfParameterOutOfBounds",
            Self::InvalidTime { .. } => "InvalidTime",
            Self::Pkcs12 { .. } => "Pkcs12",
            Self::InvalidRequest { .. } => "InvalidRequest",
            Self::InvalidKeystore { .. } => "InvalidKeystore",
            Self::UnknownIssuer { .. } => "UnknownIssuer",
            Self::BadSignature => "BadSignature",
            Self::WeakSignatureAlgorithm { .. } => "WeakSignatureAlgorithm",
            Self::UnacceptableKey { .. } => "UnacceptableKey",
            Self::Expired { .. } => "Expired",
            Self::NotYetValid { .. } => "NotYetValid",
            Self::NotCa { .. } => "NotCa",
            Self::PathLengthExceeded { .. } => "PathLengthExceeded",
            Self::MaximumDepthExceeded { .. } => "MaximumDepthExceeded",
            Self::KeyUsageMissing { .. } => "KeyUsageMissing",
            Self::ExtendedKeyUsageMissing { .. } => "ExtendedKeyUsageMissing",
            Self::NameConstraintViolation { .. } => "NameConstraintViolation",
            Self::NoValidPolicy { .. } => "NoValidPolicy",
            Self::UnsupportedCriticalExtension { .. } => "UnsupportedCriticalExtension",
            Self::NonConforming { .. } => "NonConforming",
            Self::NameMismatch { .. } => "NameMismatch",
            Self::Revoked { .. } => "Revoked",
            Self::StaleCrl { .. } => "StaleCrl",
            Self::InvalidCrl { .. } => "InvalidCrl",
            Self::BudgetExceeded => "BudgetExceeded",
            Self::TooManyInputs { .. } => "TooManyInputs",
            Self::InvalidOption { .. } => "InvalidOption",
            Self::Io { .. } => "Io",
            // ---- issuance (issue/) ----
            Self::UnknownKeyType { .. } => "UnknownKeyType",
            Self::InvalidKey { .. } => "InvalidKey",
            Self::InvalidSubjectAltName { .. } => "InvalidSubjectAltName",
            Self::InvalidSubject { .. } => "InvalidSubject",
            Self::InvalidValidity { .. } => "InvalidValidity",
            Self::InvalidProfile { .. } => "InvalidProfile",
            Self::CaKeyMismatch { .. } => "CaKeyMismatch",
            Self::InvalidCsrSignature => "InvalidCsrSignature",
            Self::Issuance { .. } => "Issuance",
            Self::OutputExists { .. } => "OutputExists",
        }
    }

    /// Wraps a `der` decoding error for `structure`: the tests' oracles (the core reads DER
    /// with `asn1::read`).
    #[cfg(test)]
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
                "not a certificate, CSR, key, CRL, PKCS#7, PKCS#12 or Java keystore in PEM, DER or base64 ({detail})"
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
            Self::PasswordRequired { item } => {
                write!(f, "the {item} is encrypted: give its password")
            }
            Self::WrongPassword { item } => write!(f, "wrong password for the {item}"),
            Self::KdfParameterOutOfBounds {
                item,
                parameter,
                value,
                minimum,
                maximum,
            } => write!(
                f,
                "the {item} asks for {parameter} {value}, outside {minimum}..={maximum}: nothing was derived (a hostile or mistaken file)"
            ),
            Self::InvalidTime { value } => write!(
                f,
                "'{value}' is not a time: give RFC 3339 text such as 2026-01-31T12:00:00Z, or seconds since 1970 within the years 0000 to 9999"
            ),
            Self::Pkcs12 { detail } => write!(f, "cannot read the PKCS#12 file: {detail}"),
            Self::InvalidRequest { detail } => write!(f, "invalid request: {detail}"),
            Self::InvalidKeystore { format, detail } => {
                write!(f, "malformed {format}: {detail}")
            }
            Self::UnknownIssuer { subject, issuer } => write!(
                f,
                "issuer '{issuer}' of '{subject}' is neither trusted nor among the supplied certificates"
            ),
            Self::BadSignature => write!(f, "the signature does not verify with the issuer's key"),
            Self::WeakSignatureAlgorithm { algorithm } => {
                write!(
                    f,
                    "signature algorithm {algorithm} is not accepted (insecure)"
                )
            }
            Self::UnacceptableKey { detail } => write!(f, "unacceptable public key: {detail}"),
            Self::Expired { not_after, time } => write!(
                f,
                "expired at {} (checked at {})",
                not_after.to_rfc3339(),
                time.to_rfc3339()
            ),
            Self::NotYetValid { not_before, time } => write!(
                f,
                "not valid before {} (checked at {})",
                not_before.to_rfc3339(),
                time.to_rfc3339()
            ),
            Self::NotCa { subject } => write!(
                f,
                "'{subject}' is not a CA certificate (a version 3 certificate with basicConstraints cA TRUE, and keyCertSign when it has keyUsage), so it cannot issue certificates"
            ),
            Self::PathLengthExceeded { allowed } => write!(
                f,
                "too many CA certificates below a CA whose pathLenConstraint is {allowed}"
            ),
            Self::MaximumDepthExceeded { maximum } => {
                write!(
                    f,
                    "the path needs more than {maximum} intermediate certificates"
                )
            }
            Self::KeyUsageMissing { usage } => write!(f, "keyUsage does not include {usage}"),
            Self::ExtendedKeyUsageMissing { purpose } => {
                write!(f, "extendedKeyUsage does not allow {purpose}")
            }
            Self::NameConstraintViolation { name } => {
                write!(
                    f,
                    "name {name} violates the name constraints of an issuing CA"
                )
            }
            Self::NoValidPolicy { detail } => write!(f, "no valid certificate policy: {detail}"),
            Self::UnsupportedCriticalExtension { oid } => {
                write!(f, "unsupported critical extension {oid}")
            }
            Self::NonConforming { section, detail } => write!(f, "{detail} ({section})"),
            Self::NameMismatch {
                expected,
                presented,
            } => {
                if presented.is_empty() {
                    write!(
                        f,
                        "not valid for {expected}: the certificate presents no names"
                    )
                } else {
                    write!(
                        f,
                        "not valid for {expected}: it presents {}",
                        presented.join(", ")
                    )
                }
            }
            Self::Revoked { serial } => write!(f, "revoked (serial {serial}) by a supplied CRL"),
            Self::StaleCrl { next_update } => write!(
                f,
                "the CRL is out of date (nextUpdate {})",
                next_update.to_rfc3339()
            ),
            Self::InvalidCrl { detail } => write!(f, "unusable CRL: {detail}"),
            Self::BudgetExceeded => write!(
                f,
                "verification gave up: too many candidate paths, signatures, name comparisons or policies (pathological input)"
            ),
            Self::InvalidOption { option, detail } => write!(f, "option {option}: {detail}"),
            Self::TooManyInputs {
                what,
                count,
                maximum,
            } => write!(
                f,
                "{count} {what} were passed; a verification accepts at most {maximum}"
            ),
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
            Self::CaKeyMismatch { subject } => write!(
                f,
                "the CA key does not belong to the CA certificate '{subject}': give the key that was created with it"
            ),
            Self::InvalidCsrSignature => write!(
                f,
                "the CSR's signature does not verify with its own public key: it was altered or is corrupt"
            ),
            Self::Issuance { detail } => write!(f, "issuance failed: {detail}"),
            Self::OutputExists { path } => {
                write!(f, "{path} already exists: nothing was written")
            }
        }
    }
}

impl std::error::Error for Error {}

/// One typed field of an error's serialisation.
enum Value<'a> {
    Text(&'a str),
    Number(u64),
    Small(u8),
    Time(&'a UnixTime),
    Texts(&'a [String]),
}

impl Serialize for Value<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::Number(number) => serializer.serialize_u64(*number),
            Self::Small(number) => serializer.serialize_u8(*number),
            Self::Time(time) => time.serialize(serializer),
            Self::Texts(texts) => texts.serialize(serializer),
        }
    }
}

/// `{"code": ..., then the variant's fields in their order}`: the calls on the serializer that
/// `#[serde(tag = "code")]` derived (so the same JSON and JavaScript objects), made by one loop
/// over the fields that [`Error::visit_fields`] lists, instead of a derived sequence of calls per
/// variant and per serializer (BENCHMARKS.md "Lean wasm", session 13).
impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Error", self.serialized_len())?;
        self.serialize_fields(&mut state)?;
        state.end()
    }
}

impl Error {
    /// How many fields [`Error::serialize_fields`] writes: the code and the variant's fields.
    pub(crate) fn serialized_len(&self) -> usize {
        let mut count = 1;
        self.visit_fields(&mut |_, _| count += 1);
        count
    }

    /// Writes the code and the variant's fields into a struct being serialised (the error's
    /// own, or [`crate::api::ApiError`]'s, which puts them first).
    pub(crate) fn serialize_fields<S: SerializeStruct>(
        &self,
        state: &mut S,
    ) -> Result<(), S::Error> {
        state.serialize_field("code", self.code())?;
        let mut result = Ok(());
        self.visit_fields(&mut |name, value| {
            if result.is_ok() {
                result = state.serialize_field(name, &value);
            }
        });
        result
    }
}

impl Error {
    /// Calls `visit` with the name and value of each of the variant's fields, in their order.
    fn visit_fields<'a>(&'a self, visit: &mut dyn FnMut(&'static str, Value<'a>)) {
        match self {
            Self::EmptyInput => {}
            Self::UnrecognizedInput { detail } => {
                visit("detail", Value::Text(detail));
            }
            Self::InvalidPem { label, detail } => {
                visit("label", Value::Text(label));
                visit("detail", Value::Text(detail));
            }
            Self::InvalidDer { structure, detail } => {
                visit("structure", Value::Text(structure));
                visit("detail", Value::Text(detail));
            }
            Self::UnsupportedPemLabel { label } => {
                visit("label", Value::Text(label));
            }
            Self::UnsupportedAlgorithm { algorithm } => {
                visit("algorithm", Value::Text(algorithm));
            }
            Self::PasswordRequired { item } => {
                visit("item", Value::Text(item));
            }
            Self::WrongPassword { item } => {
                visit("item", Value::Text(item));
            }
            Self::KdfParameterOutOfBounds {
                item,
                parameter,
                value,
                minimum,
                maximum,
            } => {
                visit("item", Value::Text(item));
                visit("parameter", Value::Text(parameter));
                visit("value", Value::Number(*value));
                visit("minimum", Value::Number(*minimum));
                visit("maximum", Value::Number(*maximum));
            }
            Self::InvalidTime { value } => {
                visit("value", Value::Text(value));
            }
            Self::Io { detail } => {
                visit("detail", Value::Text(detail));
            }
            Self::Pkcs12 { detail } => {
                visit("detail", Value::Text(detail));
            }
            Self::InvalidRequest { detail } => {
                visit("detail", Value::Text(detail));
            }
            Self::InvalidKeystore { format, detail } => {
                visit("format", Value::Text(format));
                visit("detail", Value::Text(detail));
            }
            Self::UnknownKeyType { name } => {
                visit("name", Value::Text(name));
            }
            Self::InvalidKey { detail } => {
                visit("detail", Value::Text(detail));
            }
            Self::InvalidSubjectAltName { value, detail } => {
                visit("value", Value::Text(value));
                visit("detail", Value::Text(detail));
            }
            Self::InvalidSubject { field, detail } => {
                visit("field", Value::Text(field));
                visit("detail", Value::Text(detail));
            }
            Self::InvalidValidity { detail } => {
                visit("detail", Value::Text(detail));
            }
            Self::InvalidProfile { detail } => {
                visit("detail", Value::Text(detail));
            }
            Self::CaKeyMismatch { subject } => {
                visit("subject", Value::Text(subject));
            }
            Self::InvalidCsrSignature => {}
            Self::Issuance { detail } => {
                visit("detail", Value::Text(detail));
            }
            Self::OutputExists { path } => {
                visit("path", Value::Text(path));
            }
            Self::UnknownIssuer { subject, issuer } => {
                visit("subject", Value::Text(subject));
                visit("issuer", Value::Text(issuer));
            }
            Self::BadSignature => {}
            Self::WeakSignatureAlgorithm { algorithm } => {
                visit("algorithm", Value::Text(algorithm));
            }
            Self::UnacceptableKey { detail } => {
                visit("detail", Value::Text(detail));
            }
            Self::Expired { not_after, time } => {
                visit("not_after", Value::Time(not_after));
                visit("time", Value::Time(time));
            }
            Self::NotYetValid { not_before, time } => {
                visit("not_before", Value::Time(not_before));
                visit("time", Value::Time(time));
            }
            Self::NotCa { subject } => {
                visit("subject", Value::Text(subject));
            }
            Self::PathLengthExceeded { allowed } => {
                visit("allowed", Value::Small(*allowed));
            }
            Self::MaximumDepthExceeded { maximum } => {
                visit("maximum", Value::Number(*maximum as u64));
            }
            Self::KeyUsageMissing { usage } => {
                visit("usage", Value::Text(usage));
            }
            Self::ExtendedKeyUsageMissing { purpose } => {
                visit("purpose", Value::Text(purpose));
            }
            Self::NameConstraintViolation { name } => {
                visit("name", Value::Text(name));
            }
            Self::NoValidPolicy { detail } => {
                visit("detail", Value::Text(detail));
            }
            Self::UnsupportedCriticalExtension { oid } => {
                visit("oid", Value::Text(oid));
            }
            Self::NonConforming { section, detail } => {
                visit("section", Value::Text(section));
                visit("detail", Value::Text(detail));
            }
            Self::NameMismatch {
                expected,
                presented,
            } => {
                visit("expected", Value::Text(expected));
                visit("presented", Value::Texts(presented));
            }
            Self::Revoked { serial } => {
                visit("serial", Value::Text(serial));
            }
            Self::StaleCrl { next_update } => {
                visit("next_update", Value::Time(next_update));
            }
            Self::InvalidCrl { detail } => {
                visit("detail", Value::Text(detail));
            }
            Self::BudgetExceeded => {}
            Self::InvalidOption { option, detail } => {
                visit("option", Value::Text(option));
                visit("detail", Value::Text(detail));
            }
            Self::TooManyInputs {
                what,
                count,
                maximum,
            } => {
                visit("what", Value::Text(what));
                visit("count", Value::Number(*count as u64));
                visit("maximum", Value::Number(*maximum as u64));
            }
        }
    }
}

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

    /// The serialisation is the code, then the variant's fields in their order, each with its
    /// type (what `#[serde(tag = "code")]` derived; all 46 variants were compared with the
    /// derive's JSON when the table replaced it).
    #[test]
    fn serialises_code_then_typed_fields() {
        let json = |error: &Error| serde_json::to_string(error).expect("serialisable");
        assert_eq!(json(&Error::BadSignature), r#"{"code":"BadSignature"}"#);
        let bounds = Error::KdfParameterOutOfBounds {
            item: "PKCS#12 MAC",
            parameter: "PBKDF2 iteration count",
            value: 1 << 40,
            minimum: 1,
            maximum: 10_000_000,
        };
        assert_eq!(
            json(&bounds),
            r#"{"code":"KdfParameterOutOfBounds","item":"PKCS#12 MAC","parameter":"PBKDF2 iteration count","value":1099511627776,"minimum":1,"maximum":10000000}"#
        );
        let expired = Error::Expired {
            not_after: UnixTime(86_400),
            time: UnixTime(86_401),
        };
        assert_eq!(
            json(&expired),
            format!(
                r#"{{"code":"Expired","not_after":{},"time":{}}}"#,
                serde_json::to_string(&UnixTime(86_400)).expect("time"),
                serde_json::to_string(&UnixTime(86_401)).expect("time")
            )
        );
        let mismatch = Error::NameMismatch {
            expected: "a.example".to_owned(),
            presented: vec!["b.example".to_owned(), "\"c\"".to_owned()],
        };
        assert_eq!(
            json(&mismatch),
            r#"{"code":"NameMismatch","expected":"a.example","presented":["b.example","\"c\""]}"#
        );
        let counts = [
            Error::PathLengthExceeded { allowed: 255 },
            Error::TooManyInputs {
                what: "certificates",
                count: 3,
                maximum: 2,
            },
        ];
        assert_eq!(
            counts.iter().map(json).collect::<Vec<_>>(),
            [
                r#"{"code":"PathLengthExceeded","allowed":255}"#,
                r#"{"code":"TooManyInputs","what":"certificates","count":3,"maximum":2}"#,
            ]
        );
    }
}

//! Explanations: which certificate failed (subject, position in the path, where it came from),
//! which rule (an [`Error`] with a stable code), and what a person can do about it.

use serde::Serialize;

use crate::{Error, UnixTime};

use super::certificate::ParsedCertificate;
use super::validate::PathFailure;

/// A certificate as it appears in a path or an explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CertificateRef {
    /// Position in the path: 0 is the leaf.
    pub index: usize,
    /// `leaf`, `intermediate` or `trust anchor`.
    pub role: &'static str,
    /// The subject name, RFC 4514 text.
    pub subject: String,
    /// The issuer name, RFC 4514 text.
    pub issuer: String,
    /// Where the certificate came from (a file name or a description).
    pub source: String,
    /// The serial number, hex.
    pub serial: String,
    /// notAfter.
    pub not_after: UnixTime,
}

/// Why verification failed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Failure {
    /// The stable code of the rule, e.g. `UnknownIssuer` (see [`Error::code`]).
    pub code: &'static str,
    /// What is wrong, one sentence.
    pub message: String,
    /// The certificate that broke the rule, when there is one.
    pub certificate: Option<Box<CertificateRef>>,
    /// What to do about it.
    pub hint: String,
    /// The path that was being checked, leaf first (may stop short of an anchor).
    pub path: Vec<CertificateRef>,
    /// The rule, as an error value: its code and typed fields (boxed to keep
    /// `Result<_, Failure>` small).
    pub error: Box<Error>,
}

impl Failure {
    /// A failure of the input itself (the leaf cannot be decoded, or is missing).
    pub(crate) fn input(error: Error, source: &str) -> Self {
        let hint = match &error {
            Error::TooManyInputs { what, .. } => {
                format!("pass only the {what} that belong to this chain")
            }
            Error::InvalidOption { .. } => {
                "give extended key usages as dotted OIDs such as 1.3.6.1.5.5.7.3.1".to_owned()
            }
            _ => "give the leaf certificate as PEM or DER".to_owned(),
        };
        Self {
            code: error.code(),
            message: format!("{source}: {error}"),
            certificate: None,
            hint,
            path: Vec::new(),
            error: Box::new(error),
        }
    }

    /// An item given to build a trust store (`what`: trust anchor, CRL) that cannot be used.
    pub(crate) fn item(error: Error, source: &str, what: &str) -> Self {
        Self {
            code: error.code(),
            message: format!("{source}: {error}"),
            certificate: None,
            hint: format!("give each {what} as PEM or DER, or remove {source}"),
            path: Vec::new(),
            error: Box::new(error),
        }
    }

    /// The explanation as a few lines of text.
    pub fn explanation(&self) -> String {
        let mut text = self.message.clone();
        if !self.hint.is_empty() {
            text.push_str("\nfix: ");
            text.push_str(&self.hint);
        }
        text
    }
}

impl core::fmt::Display for Failure {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.explanation())
    }
}

/// The reference to `certificate` at `position` of a path; `anchor` when it is the trust
/// anchor that ends the path.
pub(crate) fn reference(
    certificate: &ParsedCertificate,
    position: usize,
    anchor: bool,
) -> CertificateRef {
    reference_with(certificate, position, anchor, None)
}

/// [`reference`], with the serial in hex when the caller has it already.
pub(crate) fn reference_with(
    certificate: &ParsedCertificate,
    position: usize,
    anchor: bool,
    serial: Option<String>,
) -> CertificateRef {
    let role = match position {
        0 => "leaf",
        _ if anchor => "trust anchor",
        _ => "intermediate",
    };
    CertificateRef {
        index: position,
        role,
        subject: certificate.subject.text.clone(),
        issuer: certificate.issuer.text.clone(),
        source: certificate.label.to_string(),
        serial: serial.unwrap_or_else(|| certificate.serial_hex()),
        not_after: certificate.not_after,
    }
}

/// Turns the most specific path failure into a [`Failure`]; `is_anchor` tells which
/// certificates are trust anchors.
pub(crate) fn explain(
    failure: PathFailure,
    certificates: &[&ParsedCertificate],
    is_anchor: impl Fn(usize) -> bool,
) -> Failure {
    let PathFailure {
        path,
        position,
        error,
        reasons,
    } = failure;
    let references: Vec<CertificateRef> = path
        .iter()
        .enumerate()
        .filter_map(|(position, index)| {
            let certificate = certificates.get(*index)?;
            Some(reference(
                certificate,
                position,
                position > 0 && is_anchor(*index),
            ))
        })
        .collect();
    let certificate = references.get(position).cloned().map(Box::new);
    let who = certificate.as_ref().map_or_else(String::new, |reference| {
        format!(
            "{} '{}' (#{} in the path, from {})",
            reference.role, reference.subject, reference.index, reference.source
        )
    });
    let what = match (&error, reasons.is_empty()) {
        (Error::UnknownIssuer { issuer, .. }, false) => format!(
            "no usable certificate of its issuer '{issuer}' was supplied: {}",
            summary(&reasons)
        ),
        _ => error.to_string(),
    };
    let message = if who.is_empty() {
        what
    } else {
        format!("{who}: {what}")
    };
    let hint = match (&error, reasons.is_empty()) {
        (Error::UnknownIssuer { issuer, .. }, false) => format!(
            "supply the certificate of '{issuer}' whose key signed {}: certificates with that \
             name but another key, in a loop, or that cannot be decoded are not used",
            certificate
                .as_deref()
                .map_or("the certificate", |reference| reference.source.as_str())
        ),
        _ => hint(&error, certificate.as_deref()),
    };
    Failure {
        code: error.code(),
        message,
        certificate,
        hint,
        path: references,
        error: Box::new(error),
    }
}

/// The first few reasons, and how many more there are.
fn summary(reasons: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = reasons
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("; ");
    if reasons.len() > SHOWN {
        text.push_str(&format!("; and {} more", reasons.len() - SHOWN));
    }
    text
}

fn hint(error: &Error, certificate: Option<&CertificateRef>) -> String {
    let source = certificate.map_or("the certificate", |reference| reference.source.as_str());
    match error {
        Error::UnknownIssuer { issuer, .. } => format!(
            "{source} was issued by '{issuer}', which is neither trusted nor among the supplied \
             certificates: add the certificate of '{issuer}' to the intermediates (a peer sends \
             it after {source}, in its fullchain file); if '{issuer}' is your own root CA, add \
             it to the trust anchors"
        ),
        Error::BadSignature => format!(
            "{source} was not signed by the key of the issuer found under its issuer name: the \
             issuer certificate supplied is probably a different (re-keyed) CA with the same name; \
             supply the CA certificate that actually signed it"
        ),
        Error::WeakSignatureAlgorithm { .. } => format!("re-issue {source} with a SHA-256 (or stronger) signature"),
        Error::UnacceptableKey { .. } => format!("re-issue {source} with an RSA-2048+ or ECDSA P-256/P-384 key"),
        Error::Expired { .. } => format!("renew {source}; if it was renewed, deploy the new file"),
        Error::NotYetValid { .. } => format!("check the clock of this machine, or wait until {source} becomes valid"),
        Error::NotCa { .. } => format!(
            "{source} is not a CA certificate; issue it with basicConstraints=critical,CA:TRUE \
             (openssl: -extfile with a v3_ca section; `openssl x509 -req` without -extfile writes \
             version 1 certificates, which can only be trust anchors), or you passed a leaf where \
             a CA was expected"
        ),
        Error::PathLengthExceeded { .. } => "a CA above allows fewer intermediate CAs below it (pathlen); shorten the chain or re-issue that CA".to_owned(),
        Error::MaximumDepthExceeded { .. } => "the chain is longer than allowed; raise the maximum depth or shorten the chain".to_owned(),
        Error::KeyUsageMissing { usage } => format!("re-issue {source} with keyUsage including {usage}"),
        Error::ExtendedKeyUsageMissing { purpose } => format!(
            "re-issue {source} with extendedKeyUsage including {purpose} (openssl: extendedKeyUsage = serverAuth or clientAuth), or verify it for the purpose it was issued for"
        ),
        Error::NameConstraintViolation { .. } => "a CA above may only issue for certain names; issue the certificate from a CA allowed to cover that name".to_owned(),
        Error::NoValidPolicy { .. } => "a CA in the path requires an explicit certificate policy (requireExplicitPolicy) or you asked for one: issue the certificates below it with a policy it accepts (certificatePolicies, mapped by policyMappings where needed), or accept that policy".to_owned(),
        Error::UnsupportedCriticalExtension { .. } => format!("re-issue {source} without that critical extension, or mark it non-critical"),
        Error::NonConforming { .. } => format!("re-issue {source} following the profile rule cited"),
        Error::NameMismatch { presented, .. } if presented.is_empty() => format!(
            "{source} has no subjectAltName, and clients that follow RFC 9525 (browsers, curl, Go, rustls) ignore the subject commonName: re-issue it with the name in subjectAltName (openssl: -addext subjectAltName=DNS:name, or an -extfile with subjectAltName), or allow the commonName fallback for this legacy certificate"
        ),
        Error::NameMismatch { .. } => format!(
            "connect with a name the certificate lists, or re-issue {source} with that name in subjectAltName (openssl: -addext subjectAltName=DNS:name)"
        ),
        Error::Revoked { .. } => format!("{source} was revoked by its CA: issue and deploy a new certificate"),
        Error::StaleCrl { .. } => "fetch a current CRL from the CA and retry".to_owned(),
        Error::InvalidCrl { .. } => "supply a CRL that the issuing CA signed, with a cRLNumber, from a CA allowed to sign CRLs".to_owned(),
        Error::BudgetExceeded => "the supplied certificates form too many candidate paths; pass only the intermediates of this chain".to_owned(),
        _ => String::new(),
    }
}

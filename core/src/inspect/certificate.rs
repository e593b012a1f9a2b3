//! The report for one certificate.

use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::{Source, lint};
use crate::{
    Error, UnixTime,
    x509::{
        self, algorithm,
        extensions::{self, ExtensionReport, ExtensionValue},
        general_name::GeneralNameReport,
        name::{self, Attribute},
        public_key::{self, PublicKeyReport},
    },
};

/// Everything about one certificate.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CertificateReport {
    /// Where it came from.
    pub source: Source,
    /// 1, 2 or 3.
    pub version: u8,
    /// Lowercase hex, no separators (`-` prefix for the invalid negative serials).
    pub serial: String,
    /// `sha256WithRSAEncryption`, `ecdsa-with-SHA256`, `ED25519`, ... or the dotted OID.
    pub signature_algorithm: String,
    /// RFC 4514 string.
    pub subject: String,
    /// Subject attributes in DER order.
    pub subject_attributes: Vec<Attribute>,
    /// RFC 4514 string.
    pub issuer: String,
    /// Issuer attributes in DER order.
    pub issuer_attributes: Vec<Attribute>,
    /// RFC 3339, UTC.
    pub not_before: String,
    /// RFC 3339, UTC.
    pub not_after: String,
    /// notBefore in seconds since the Unix epoch.
    pub not_before_unix: i64,
    /// notAfter in seconds since the Unix epoch.
    pub not_after_unix: i64,
    /// Validity at the inspection time.
    pub validity: Validity,
    /// The subject's public key.
    pub public_key: PublicKeyReport,
    /// Subject alternative names.
    pub subject_alt_names: Vec<GeneralNameReport>,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// basicConstraints pathLenConstraint.
    pub path_len: Option<u8>,
    /// keyUsage bit names.
    pub key_usage: Vec<String>,
    /// extendedKeyUsage purpose names.
    pub extended_key_usage: Vec<String>,
    /// Issuer and subject are the same name and the key identifiers (when present) agree.
    pub self_signed: bool,
    /// Hashes of the DER certificate.
    pub fingerprints: Fingerprints,
    /// Every extension, decoded where known.
    pub extensions: Vec<ExtensionReport>,
    /// Things a careful reviewer would point out (weak signature, missing SAN, ...).
    pub warnings: Vec<String>,
    /// The certificate as PEM.
    pub pem: String,
}

/// Where the inspection time falls in the validity period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Validity {
    /// `valid`, `expired` or `not_yet_valid`.
    pub status: &'static str,
    /// Whole days from the inspection time to notAfter (negative once expired).
    pub days_remaining: i64,
}

/// Lowercase hex digests of the DER certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Fingerprints {
    /// SHA-1, as most tools still show.
    pub sha1: String,
    /// SHA-256.
    pub sha256: String,
}

/// Builds the report for the DER certificate `der`.
pub(super) fn report(der: &[u8], source: Source, at: UnixTime) -> Result<CertificateReport, Error> {
    report_with_pem(der, None, source, at)
}

/// [`report`], with the certificate's PEM text when the input already had it in the form
/// the report writes (see `decode::Block`).
pub(super) fn report_with_pem(
    der: &[u8],
    pem: Option<String>,
    source: Source,
    at: UnixTime,
) -> Result<CertificateReport, Error> {
    let certificate = x509::parse_certificate(der)?;
    let tbs = certificate.tbs_certificate();
    let not_before = UnixTime::from_x509(&tbs.validity().not_before);
    let not_after = UnixTime::from_x509(&tbs.validity().not_after);
    let extensions = extensions::describe_all(tbs.extensions());
    let summary = Summary::from(&extensions);
    let mut report = CertificateReport {
        source,
        version: version_number(tbs.version()),
        serial: x509::integer_hex(tbs.serial_number().as_bytes()),
        signature_algorithm: algorithm::signature_name(&certificate.signature_algorithm().oid),
        subject: name::rfc4514(tbs.subject()),
        subject_attributes: name::attributes(tbs.subject()),
        issuer: name::rfc4514(tbs.issuer()),
        issuer_attributes: name::attributes(tbs.issuer()),
        not_before: not_before.to_rfc3339(),
        not_after: not_after.to_rfc3339(),
        not_before_unix: not_before.seconds(),
        not_after_unix: not_after.seconds(),
        validity: validity(not_before, not_after, at),
        public_key: public_key::describe(tbs.subject_public_key_info()),
        subject_alt_names: summary.subject_alt_names,
        is_ca: summary.is_ca,
        path_len: summary.path_len,
        key_usage: summary.key_usage,
        extended_key_usage: summary.extended_key_usage,
        self_signed: self_signed(&certificate, &extensions),
        fingerprints: fingerprints(der),
        extensions,
        warnings: Vec::new(),
        pem: pem.unwrap_or_else(|| crate::decode::public_base64::pem("CERTIFICATE", der)),
    };
    report.warnings = lint::certificate(&report, &certificate);
    Ok(report)
}

/// SHA-1 and SHA-256 of `der`, lowercase hex.
pub(crate) fn fingerprints(der: &[u8]) -> Fingerprints {
    Fingerprints {
        sha1: x509::hex(&Sha1::digest(der)),
        sha256: x509::hex(&Sha256::digest(der)),
    }
}

fn version_number(version: x509_cert::certificate::Version) -> u8 {
    match version {
        x509_cert::certificate::Version::V1 => 1,
        x509_cert::certificate::Version::V2 => 2,
        x509_cert::certificate::Version::V3 => 3,
    }
}

fn validity(not_before: UnixTime, not_after: UnixTime, at: UnixTime) -> Validity {
    let status = if at < not_before {
        "not_yet_valid"
    } else if at > not_after {
        "expired"
    } else {
        "valid"
    };
    Validity {
        status,
        days_remaining: not_after
            .seconds()
            .saturating_sub(at.seconds())
            .div_euclid(86_400),
    }
}

/// Self-issued with its own key: the same subject and issuer, and an authority key identifier
/// (when present) equal to the subject key identifier, as OpenSSL's `X509_self_signed(cert, 0)`
/// decides it. The signature itself is the verifier's business: checking it here would make
/// inspecting a trust bundle several times slower (one RSA verification per root).
fn self_signed(certificate: &x509::Certificate, extensions: &[ExtensionReport]) -> bool {
    let tbs = certificate.tbs_certificate();
    if tbs.subject() != tbs.issuer() {
        return false;
    }
    let subject_key_id = extensions
        .iter()
        .find_map(|extension| match &extension.value {
            ExtensionValue::KeyIdentifier(id) => Some(id.as_str()),
            _ => None,
        });
    let authority_key_id = extensions
        .iter()
        .find_map(|extension| match &extension.value {
            ExtensionValue::AuthorityKeyIdentifier(aki) => aki.key_id.as_deref(),
            _ => None,
        });
    match (authority_key_id, subject_key_id) {
        (Some(authority), Some(subject)) => authority == subject,
        _ => true,
    }
}

/// The fields of the report that come from extensions.
#[derive(Default)]
struct Summary {
    subject_alt_names: Vec<GeneralNameReport>,
    is_ca: bool,
    path_len: Option<u8>,
    key_usage: Vec<String>,
    extended_key_usage: Vec<String>,
}

impl From<&Vec<ExtensionReport>> for Summary {
    fn from(extensions: &Vec<ExtensionReport>) -> Self {
        let mut summary = Self::default();
        for extension in extensions {
            match (extension.name.as_str(), &extension.value) {
                ("subjectAltName", ExtensionValue::GeneralNames(names)) => {
                    summary.subject_alt_names.clone_from(names)
                }
                ("basicConstraints", ExtensionValue::BasicConstraints(constraints)) => {
                    summary.is_ca = constraints.ca;
                    summary.path_len = constraints.path_len;
                }
                ("keyUsage", ExtensionValue::List(bits)) => summary.key_usage.clone_from(bits),
                ("extendedKeyUsage", ExtensionValue::List(purposes)) => {
                    summary.extended_key_usage.clone_from(purposes)
                }
                _ => {}
            }
        }
        summary
    }
}

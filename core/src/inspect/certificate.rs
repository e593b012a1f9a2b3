//! The report for one certificate.

use der::asn1::ObjectIdentifier;
use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::{Source, lint};
#[cfg(not(target_arch = "wasm32"))]
use crate::x509::plain_certificate::{self, PlainCertificate};
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
///
/// A certificate in the plain DER shape (nearly all) is read by the borrowing walk of
/// `x509::plain_certificate`, any other by x509-cert; both give the same fields (a test
/// compares them), and the report is made from those fields the same way.
pub(super) fn report_with_pem(
    der: &[u8],
    pem: Option<String>,
    source: Source,
    at: UnixTime,
) -> Result<CertificateReport, Error> {
    // The browser module leaves the walk out (`x509::plain_certificate`): there its bytes
    // count more than its speed, and the report is the same.
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(certificate) = plain_certificate::parse(der) {
        return Ok(Fields::plain(&certificate).report(der, pem, source, at));
    }
    let fields = Fields::general(&x509::parse_certificate(der)?);
    Ok(fields.report(der, pem, source, at))
}

/// What the report takes from the decoded certificate.
struct Fields {
    version: u8,
    serial: String,
    signature_algorithm: ObjectIdentifier,
    subject: String,
    subject_attributes: Vec<Attribute>,
    issuer: String,
    issuer_attributes: Vec<Attribute>,
    /// Whether the subject and issuer names are the same.
    same_names: bool,
    not_before: UnixTime,
    not_after: UnixTime,
    public_key: PublicKeyReport,
    extensions: Vec<ExtensionReport>,
}

impl Fields {
    fn general(certificate: &x509::Certificate) -> Self {
        let tbs = certificate.tbs_certificate();
        Self {
            version: version_number(tbs.version()),
            serial: x509::integer_hex(tbs.serial_number().as_bytes()),
            signature_algorithm: certificate.signature_algorithm().oid,
            subject: name::rfc4514(tbs.subject()),
            subject_attributes: name::attributes(tbs.subject()),
            issuer: name::rfc4514(tbs.issuer()),
            issuer_attributes: name::attributes(tbs.issuer()),
            same_names: tbs.subject() == tbs.issuer(),
            not_before: UnixTime::from_x509(&tbs.validity().not_before),
            not_after: UnixTime::from_x509(&tbs.validity().not_after),
            public_key: public_key::describe(tbs.subject_public_key_info()),
            extensions: extensions::describe_all(tbs.extensions()),
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn plain(certificate: &PlainCertificate<'_>) -> Self {
        let (subject, subject_attributes) = name::describe_plain(&certificate.subject);
        let (issuer, issuer_attributes) = name::describe_plain(&certificate.issuer);
        Self {
            version: certificate.version,
            serial: x509::integer_hex(certificate.serial),
            signature_algorithm: certificate.signature_algorithm,
            subject,
            subject_attributes,
            issuer,
            issuer_attributes,
            same_names: certificate.subject.contents == certificate.issuer.contents,
            not_before: certificate.not_before,
            not_after: certificate.not_after,
            public_key: public_key::describe_parts(
                certificate.spki,
                &certificate.key_algorithm.oid,
                certificate.key_algorithm.parameters,
                certificate.public_key,
            ),
            extensions: certificate
                .extensions
                .iter()
                .map(|extension| {
                    extensions::describe_parts(&extension.oid, extension.critical, extension.value)
                })
                .collect(),
        }
    }

    fn report(
        self,
        der: &[u8],
        pem: Option<String>,
        source: Source,
        at: UnixTime,
    ) -> CertificateReport {
        let summary = Summary::from(&self.extensions);
        let weak_signature = algorithm::is_weak_signature(&self.signature_algorithm);
        let mut report = CertificateReport {
            source,
            version: self.version,
            serial: self.serial,
            signature_algorithm: algorithm::signature_name(&self.signature_algorithm),
            subject: self.subject,
            subject_attributes: self.subject_attributes,
            issuer: self.issuer,
            issuer_attributes: self.issuer_attributes,
            not_before: self.not_before.to_rfc3339(),
            not_after: self.not_after.to_rfc3339(),
            not_before_unix: self.not_before.seconds(),
            not_after_unix: self.not_after.seconds(),
            validity: validity(self.not_before, self.not_after, at),
            public_key: self.public_key,
            subject_alt_names: summary.subject_alt_names,
            is_ca: summary.is_ca,
            path_len: summary.path_len,
            key_usage: summary.key_usage,
            extended_key_usage: summary.extended_key_usage,
            self_signed: self_signed(self.same_names, &self.extensions),
            fingerprints: fingerprints(der),
            extensions: self.extensions,
            warnings: Vec::new(),
            pem: pem.unwrap_or_else(|| crate::decode::public_base64::pem("CERTIFICATE", der)),
        };
        report.warnings = lint::certificate(&report, weak_signature);
        report
    }
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
fn self_signed(same_names: bool, extensions: &[ExtensionReport]) -> bool {
    if !same_names {
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

#[cfg(test)]
mod tests {
    use super::*;

    const AT: UnixTime = UnixTime(1_800_000_000);

    fn source() -> Source {
        Source {
            file: "a".to_owned(),
            index: 0,
            container: None,
            alias: None,
        }
    }

    /// Reports `der` both ways when the plain walk takes it: the two reports must be the same
    /// (and x509-cert must accept what the walk takes). How many the walk took and left.
    fn compare_decoders(ders: &[Vec<u8>]) -> (usize, usize) {
        let (mut plain, mut general) = (0, 0);
        for der in ders {
            let general_result = x509::parse_certificate(der);
            match plain_certificate::parse(der) {
                Some(certificate) => {
                    plain += 1;
                    let expected = general_result.expect("x509-cert accepts what the walk takes");
                    let expected = Fields::general(&expected).report(der, None, source(), AT);
                    let found = Fields::plain(&certificate).report(der, None, source(), AT);
                    assert_eq!(format!("{found:?}"), format!("{expected:?}"));
                }
                None => general += 1,
            }
        }
        (plain, general)
    }

    fn certificates() -> Vec<Vec<u8>> {
        x509::test_corpus::certificates(&["limbo-dev.json", "bettertls-pathbuilding-dev.json"])
    }

    #[test]
    fn the_plain_walk_reports_what_x509_cert_decodes() {
        let (plain, general) = compare_decoders(&certificates());
        // Nearly all are plain; the rest (multi-valued RDNs, version 2, odd parameters, ...)
        // go through x509-cert.
        assert!(
            plain > 1000 && general > 0,
            "{plain} plain, {general} general"
        );
    }

    /// The same for certificates with one byte changed (every byte of some certificates, to a
    /// few values each) or cut short: hostile lengths, tags, versions, strings, times.
    #[test]
    fn the_plain_walk_reports_what_x509_cert_decodes_of_changed_bytes() {
        let changed = x509::test_corpus::one_byte_changes(
            certificates(),
            151,
            &[
                0x00, 0x01, 0x02, 0x0c, 0x13, 0x17, 0x18, 0x1e, 0x30, 0x31, 0x7f, 0x80, 0x81, 0xff,
            ],
            &[0x01, 0x80],
        );
        let (plain, general) = compare_decoders(&changed);
        assert!(
            plain > 10_000 && general > 10_000,
            "{plain} plain, {general} general"
        );
    }
}

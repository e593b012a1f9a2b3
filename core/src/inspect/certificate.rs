//! The report for one certificate.

use const_oid::ObjectIdentifier;
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
        certificate::CertificateRef,
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
    let certificate =
        x509::certificate::parse(der).map_err(|error| error.into_error("certificate"))?;
    Ok(Fields::general(&certificate).report(der, pem, source, at))
}

/// Never used: the reader has checked every OID that it returns.
const UNKNOWN_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.0");

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
    fn general(certificate: &CertificateRef<'_>) -> Self {
        Self {
            version: certificate.version,
            serial: x509::integer_hex(certificate.serial),
            signature_algorithm: crate::asn1::read::object_identifier(
                certificate.signature_algorithm.oid,
            )
            .unwrap_or(UNKNOWN_OID),
            subject: name::rfc4514(&certificate.subject),
            subject_attributes: name::attributes(&certificate.subject),
            issuer: name::rfc4514(&certificate.issuer),
            issuer_attributes: name::attributes(&certificate.issuer),
            same_names: certificate.same_names(),
            not_before: certificate.not_before,
            not_after: certificate.not_after,
            public_key: public_key::describe_ref(&certificate.spki),
            extensions: certificate
                .extensions
                .iter()
                .flatten()
                .map(|extension| {
                    extensions::describe_parts(&extension.oid, extension.critical, extension.value)
                })
                .collect(),
        }
    }

    /// The fields as read before `asn1::read` (x509-cert's decoder), for the differential test.
    #[cfg(test)]
    fn general_before(certificate: &x509::certificate::CertificateBefore) -> Self {
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

#[cfg(test)]
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

    /// Reports `der` every way: the reader (`x509::certificate`) accepts what x509-cert's
    /// decoder (`Raw` profile) accepts, with the same report; when the plain walk takes it, its
    /// report is the same too (and the reader accepts it). How many the walk took and left.
    fn compare_decoders(ders: &[Vec<u8>]) -> (usize, usize) {
        let (mut plain, mut general) = (0, 0);
        for der in ders {
            let general_result = x509::certificate::parse(der);
            match (&general_result, x509::certificate::parse_before(der)) {
                (Ok(new), Ok(old)) => {
                    let new = Fields::general(new).report(der, None, source(), AT);
                    let old = Fields::general_before(&old).report(der, None, source(), AT);
                    assert_eq!(format!("{new:?}"), format!("{old:?}"), "{der:02x?}");
                }
                (Err(_), Err(_)) => {}
                (new, old) => panic!("{der:02x?}: reader {new:?}, x509-cert {old:?}"),
            }
            match plain_certificate::parse(der) {
                Some(certificate) => {
                    plain += 1;
                    let expected = general_result.expect("the reader accepts what the walk takes");
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

    fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        crate::asn1::write::tlv(&mut out, tag, &parts.concat());
        out
    }

    /// Certificates the corpora lack, made from a corpus certificate's fields: explicit v1,
    /// v2 with unique identifiers, version numbers past v3, long and negative serials, times
    /// around 1970, unique identifiers of the wrong form or padding, an empty extension list,
    /// fields out of order. The reader and x509-cert accept the same ones with the same reports.
    #[test]
    fn the_reader_reports_what_x509_cert_decodes_of_made_certificates() {
        let der = certificates()
            .into_iter()
            .find(|der| plain_certificate::parse(der).is_some_and(|c| c.version == 3))
            .unwrap();
        // The TBS fields and the two after it, as encoded.
        let mut outer = crate::asn1::read::Reader::new(&der);
        let mut certificate = outer.sequence().unwrap();
        let tbs = certificate.tlv().unwrap();
        let (algorithm, signature) = (certificate.tlv().unwrap(), certificate.tlv().unwrap());
        let mut fields = tbs.reader().unwrap();
        let mut tbs_fields = Vec::new();
        while !fields.is_empty() {
            tbs_fields.push(fields.tlv().unwrap().whole.to_vec());
        }
        let [_, serial, inner, issuer, _, subject, spki, extensions] = &tbs_fields[..] else {
            panic!("{tbs_fields:02x?}")
        };
        let validity = |from: &[u8], to: &[u8]| tlv(0x30, &[from, to]);
        let utc = |text: &[u8]| tlv(0x17, &[text]);
        let generalized = |text: &[u8]| tlv(0x18, &[text]);
        let good = validity(&utc(b"200101000000Z"), &utc(b"300101000000Z"));
        let version = |number: u8| tlv(0xa0, &[&[0x02, 0x01, number]]);
        let certificate = |fields: &[&[u8]]| {
            tlv(
                0x30,
                &[&tlv(0x30, fields), algorithm.whole, signature.whole],
            )
        };
        let body = |version: &[u8], serial: &[u8], validity: &[u8], rest: &[&[u8]]| {
            let mut parts: Vec<&[u8]> =
                vec![version, serial, inner, issuer, validity, subject, spki];
            parts.extend_from_slice(rest);
            certificate(&parts)
        };
        let long_serial = tlv(0x02, &[&[0x7f; 40]]);
        let negative_serial = tlv(0x02, &[&[0xff, 0x01]]);
        let made = vec![
            body(&version(0), serial, &good, &[]),
            body(&[], serial, &good, &[]),
            body(
                &version(1),
                serial,
                &good,
                &[&[0x81, 0x02, 0x00, 0xff], &[0x82, 0x01, 0x00]],
            ),
            body(&version(1), serial, &good, &[&[0x81, 0x02, 0x07, 0xff]]),
            body(&version(1), serial, &good, &[&[0x81, 0x01, 0x08]]),
            body(&version(1), serial, &good, &[&[0x81, 0x01, 0x01]]),
            body(&version(1), serial, &good, &[&[0xa1, 0x00]]),
            body(
                &version(2),
                serial,
                &good,
                &[&[0x82, 0x01, 0x00], &[0x81, 0x01, 0x00]],
            ),
            body(
                &version(2),
                serial,
                &good,
                &[extensions, &[0x81, 0x01, 0x00]],
            ),
            body(&version(2), serial, &good, &[&[0xa3, 0x02, 0x30, 0x00]]),
            body(&version(2), serial, &good, &[&[0xa3, 0x00]]),
            body(&version(3), serial, &good, &[extensions]),
            body(
                &[0xa0, 0x04, 0x02, 0x02, 0x00, 0x02],
                serial,
                &good,
                &[extensions],
            ),
            body(&[0x80, 0x01, 0x02], serial, &good, &[extensions]),
            body(&version(2), &long_serial, &good, &[extensions]),
            body(&version(2), &negative_serial, &good, &[extensions]),
            body(
                &version(2),
                &tlv(0x02, &[&[0x00, 0x01]]),
                &good,
                &[extensions],
            ),
            body(
                &version(2),
                serial,
                &validity(&utc(b"600101000000Z"), &utc(b"300101000000Z")),
                &[],
            ),
            body(
                &version(2),
                serial,
                &validity(&utc(b"700101000000Z"), &utc(b"491231235959Z")),
                &[],
            ),
            body(
                &version(2),
                serial,
                &validity(&generalized(b"19691231235959Z"), &utc(b"300101000000Z")),
                &[],
            ),
            body(
                &version(2),
                serial,
                &validity(
                    &generalized(b"19700101000000Z"),
                    &generalized(b"99991231235959Z"),
                ),
                &[],
            ),
            body(
                &version(2),
                serial,
                &validity(
                    &generalized(b"20000229000000Z"),
                    &generalized(b"21000229000000Z"),
                ),
                &[],
            ),
        ];
        let accepted = made
            .iter()
            .filter(|der| x509::certificate::parse(der).is_ok())
            .count();
        let (plain, general) = compare_decoders(&made);
        let changed = x509::test_corpus::one_byte_changes(
            made.clone(),
            4,
            &[0x00, 0x01, 0x02, 0x03, 0x30, 0x80, 0x81, 0x82, 0xa3, 0xff],
            &[0x01, 0x20, 0x80],
        );
        let changed_accepted = changed
            .iter()
            .filter(|der| x509::certificate::parse(der).is_ok())
            .count();
        compare_decoders(&changed);
        eprintln!(
            "{accepted} of {} made accepted ({plain} plain, {general} not); {changed_accepted} of {} changed accepted",
            made.len(),
            changed.len()
        );
        assert!(accepted > 8 && accepted < made.len(), "{accepted}");
        assert!(changed_accepted > 1000, "{changed_accepted}");
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

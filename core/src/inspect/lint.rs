//! Warnings a careful reviewer would give about a certificate. They never change a verdict;
//! they point at things that will break some client or are bad practice.

use super::CertificateReport;

/// The warnings for one certificate; `weak_signature`: whether its signature algorithm is one
/// that clients reject (`x509::algorithm::is_weak_signature`).
pub(super) fn certificate(report: &CertificateReport, weak_signature: bool) -> Vec<String> {
    let mut warnings = Vec::new();
    if weak_signature && !report.self_signed {
        warnings.push(format!(
            "signed with {}, which clients reject",
            report.signature_algorithm
        ));
    }
    if report.public_key.algorithm == "rsa" && report.public_key.bits < 2048 {
        warnings.push(format!(
            "RSA key of {} bits: use at least 2048",
            report.public_key.bits
        ));
    }
    if !report.is_ca && report.subject_alt_names.is_empty() {
        warnings.push("no subjectAltName: browsers and modern TLS clients ignore the CN, so host names will not match".to_owned());
    }
    if report.version < 3 && !report.extensions.is_empty() {
        warnings.push(format!(
            "version {} certificate with extensions",
            report.version
        ));
    }
    if report.serial.starts_with('-') || report.serial.len() > 40 {
        warnings.push(
            "serial number is negative or longer than 20 octets (RFC 5280 section 4.1.2.2)"
                .to_owned(),
        );
    }
    warnings
}

//! Certificate profile rules: the MUSTs of RFC 5280 section 4 that a verifier can check on one
//! certificate, and, for [`Profile::WebPki`], those of the CA/Browser Forum Baseline
//! Requirements section 7.1. A certificate that breaks one is not used in any path.

use x509_cert::certificate::Version;

use crate::Error;
use crate::crypto::{PublicKeyKind, public_key_kind};

use super::certificate::ParsedCertificate;
use super::constraints;
use super::validate::Role;
use super::{Options, Profile};

/// Checks `certificate` in `role` against the rules of the profile in `options`.
pub(crate) fn check(
    certificate: &ParsedCertificate,
    role: Role,
    options: &Options,
) -> Result<(), Error> {
    let profile = options.profile;
    check_encoding(certificate)?;
    check_key_size(certificate, options.allow_legacy_keys)?;
    check_extensions(certificate, role, profile)?;
    if profile.is_strict() {
        check_key_identifiers(certificate, role)?;
        let tbs = certificate.certificate.tbs_certificate();
        if tbs.issuer_unique_id().is_some() || tbs.subject_unique_id().is_some() {
            return Err(rule(
                "RFC 5280 4.1.2.8",
                "unique identifiers in a certificate",
            ));
        }
    }
    if role != Role::Leaf {
        check_ca(certificate, role, profile)?;
    }
    if profile == Profile::WebPki {
        check_web_pki(certificate, role)?;
    }
    Ok(())
}

/// Rules on the certificate fields (RFC 5280 section 4.1).
fn check_encoding(certificate: &ParsedCertificate) -> Result<(), Error> {
    let tbs = certificate.certificate.tbs_certificate();
    let serial = tbs.serial_number().as_bytes();
    if serial.len() > 20 {
        return Err(rule(
            "RFC 5280 4.1.2.2",
            "serial number longer than 20 octets",
        ));
    }
    if serial.first().is_some_and(|byte| byte & 0x80 != 0) {
        return Err(rule("RFC 5280 4.1.2.2", "negative serial number"));
    }
    if serial.iter().all(|byte| *byte == 0) {
        return Err(rule("RFC 5280 4.1.2.2", "serial number zero"));
    }
    if tbs.signature() != certificate.certificate.signature_algorithm() {
        return Err(rule(
            "RFC 5280 4.1.1.2",
            "signatureAlgorithm differs from the signature field of tbsCertificate",
        ));
    }
    if tbs.issuer().is_empty() {
        return Err(rule("RFC 5280 4.1.2.4", "empty issuer name"));
    }
    if tbs.extensions().is_some() && tbs.version() != Version::V3 {
        return Err(rule(
            "RFC 5280 4.1.2.9",
            "extensions in a certificate that is not version 3",
        ));
    }
    if (tbs.issuer_unique_id().is_some() || tbs.subject_unique_id().is_some())
        && tbs.version() == Version::V1
    {
        return Err(rule(
            "RFC 5280 4.1.2.8",
            "unique identifiers in a version 1 certificate",
        ));
    }
    Ok(())
}

/// Rules on extensions that apply whatever the role (RFC 5280 section 4.2).
fn check_extensions(
    certificate: &ParsedCertificate,
    role: Role,
    profile: Profile,
) -> Result<(), Error> {
    if let Some(defect) = &certificate.defect {
        return Err(defect.clone());
    }
    let extensions = &certificate.extensions;
    if let Some(oid) = extensions.duplicates.first() {
        return Err(rule(
            "RFC 5280 4.2",
            &format!("extension {oid} appears twice"),
        ));
    }
    if let Some(oid) = extensions.unknown_critical.first() {
        return Err(Error::UnsupportedCriticalExtension { oid: oid.clone() });
    }
    if extensions.authority_info_access == Some(true) {
        return Err(rule(
            "RFC 5280 4.2.2.1",
            "authorityInfoAccess marked critical",
        ));
    }
    if let Some((usages, _)) = &extensions.extended_key_usage {
        if usages.0.is_empty() {
            return Err(rule("RFC 5280 4.2.1.12", "empty extendedKeyUsage"));
        }
    }
    if let Some(key_usage) = &extensions.key_usage {
        if key_usage.0.is_empty() {
            return Err(rule("RFC 5280 4.2.1.3", "keyUsage with no bit set"));
        }
        if key_usage.key_cert_sign() && !certificate.is_ca() {
            return Err(rule("RFC 5280 4.2.1.9", "keyCertSign asserted without cA"));
        }
    }
    check_alt_names(certificate, role)?;
    check_basic_constraints(certificate)?;
    check_policy_constraints(certificate)?;
    check_authority_key_identifier(certificate)?;
    if let Some((name_constraints, critical)) = &extensions.name_constraints {
        if !certificate.is_ca() {
            return Err(rule(
                "RFC 5280 4.2.1.10",
                "nameConstraints in a certificate that is not a CA",
            ));
        }
        if !critical && profile != Profile::WebPki {
            return Err(rule(
                "RFC 5280 4.2.1.10",
                "nameConstraints not marked critical",
            ));
        }
        constraints::check_syntax(name_constraints, profile)?;
    }
    Ok(())
}

fn check_alt_names(certificate: &ParsedCertificate, role: Role) -> Result<(), Error> {
    let subject_empty = certificate
        .certificate
        .tbs_certificate()
        .subject()
        .is_empty();
    match &certificate.extensions.subject_alt_name {
        Some((names, _)) if names.is_empty() => {
            Err(rule("RFC 5280 4.2.1.6", "empty subjectAltName"))
        }
        Some((_, false)) if subject_empty => Err(rule(
            "RFC 5280 4.2.1.6",
            "empty subject with a subjectAltName not marked critical",
        )),
        None if subject_empty && role == Role::Leaf => Err(rule(
            "RFC 5280 4.1.2.6",
            "empty subject and no subjectAltName",
        )),
        _ => Ok(()),
    }
}

fn check_basic_constraints(certificate: &ParsedCertificate) -> Result<(), Error> {
    let Some((constraints, _)) = &certificate.extensions.basic_constraints else {
        return Ok(());
    };
    if constraints.path_len_constraint.is_none() {
        return Ok(());
    }
    let key_cert_sign = certificate
        .extensions
        .key_usage
        .as_ref()
        .is_none_or(|usage| usage.key_cert_sign());
    if !constraints.ca || !key_cert_sign {
        return Err(rule(
            "RFC 5280 4.2.1.9",
            "pathLenConstraint without cA and keyCertSign",
        ));
    }
    Ok(())
}

/// Policy constraints must be critical (RFC 5280 4.2.1.11); requireExplicitPolicy is not
/// processed by mtlskit, so a certificate that sets it is refused rather than half-checked.
fn check_policy_constraints(certificate: &ParsedCertificate) -> Result<(), Error> {
    let Some((constraints, critical)) = &certificate.extensions.policy_constraints else {
        return Ok(());
    };
    if !critical {
        return Err(rule(
            "RFC 5280 4.2.1.11",
            "policyConstraints not marked critical",
        ));
    }
    if constraints.require_explicit_policy.is_some() {
        return Err(Error::UnsupportedCriticalExtension {
            oid: "2.5.29.36 (policyConstraints requireExplicitPolicy)".to_owned(),
        });
    }
    Ok(())
}

fn check_authority_key_identifier(certificate: &ParsedCertificate) -> Result<(), Error> {
    let Some(identifier) = &certificate.extensions.authority_key_identifier else {
        return Ok(());
    };
    if identifier.authority_cert_issuer.is_some()
        != identifier.authority_cert_serial_number.is_some()
    {
        return Err(rule(
            "RFC 5280 4.2.1.1",
            "authorityCertIssuer and authorityCertSerialNumber must be both present or both absent",
        ));
    }
    Ok(())
}

/// Rules for certificates used as issuers (RFC 5280 sections 4.2.1.1, 4.2.1.9, 6.1.4 (k)).
///
/// A version 1 or 2 certificate cannot say that it is a CA, so it is never an intermediate,
/// in any profile: `openssl x509 -req` without `-extfile` writes such certificates for clients
/// and servers, and accepting them as issuers would let any client sign for any identity
/// (OpenSSL refuses them too: "invalid CA certificate"). It may still be a trust anchor, which
/// the caller names explicitly (RFC 5280 section 6.1.1 (d): an anchor is a name and a key).
fn check_ca(certificate: &ParsedCertificate, role: Role, profile: Profile) -> Result<(), Error> {
    if certificate.is_legacy_version() {
        return match role {
            Role::Anchor => Ok(()),
            Role::Leaf | Role::Intermediate => Err(Error::NotCa),
        };
    }
    match &certificate.extensions.basic_constraints {
        Some((constraints, critical)) if constraints.ca => {
            if !critical && profile.is_strict() {
                return Err(rule(
                    "RFC 5280 4.2.1.9",
                    "basicConstraints of a CA not marked critical",
                ));
            }
        }
        _ => return Err(Error::NotCa),
    }
    if profile.is_strict() {
        if certificate.extensions.subject_key_identifier.is_none() {
            return Err(rule(
                "RFC 5280 4.2.1.2",
                "CA certificate without subjectKeyIdentifier",
            ));
        }
        if certificate.extensions.key_usage.is_none() {
            return Err(rule("RFC 5280 4.2.1.3", "CA certificate without keyUsage"));
        }
    }
    Ok(())
}

/// RFC 5280 4.2.1.1 and 4.2.1.2 for conforming CAs: an authorityKeyIdentifier with a
/// keyIdentifier in every certificate that is not self-issued, key identifiers non-critical.
/// A trust anchor is exempt from the first rule: it is trusted as given, not found through
/// its issuer (RFC 5280 section 6.1.1 (d)).
fn check_key_identifiers(certificate: &ParsedCertificate, role: Role) -> Result<(), Error> {
    if certificate.is_legacy_version() {
        return Ok(());
    }
    if certificate.extensions.key_identifier_critical {
        return Err(rule(
            "RFC 5280 4.2.1.1",
            "key identifier extension marked critical",
        ));
    }
    let has_key_identifier = certificate
        .extensions
        .authority_key_identifier
        .as_ref()
        .is_some_and(|identifier| identifier.key_identifier.is_some());
    if role != Role::Anchor && !certificate.is_self_issued() && !has_key_identifier {
        return Err(rule(
            "RFC 5280 4.2.1.1",
            "certificate without authorityKeyIdentifier keyIdentifier",
        ));
    }
    Ok(())
}

/// CA/Browser Forum Baseline Requirements 7.1 (version 2.x) rules.
fn check_web_pki(certificate: &ParsedCertificate, role: Role) -> Result<(), Error> {
    if certificate.is_legacy_version() {
        return Err(rule("BR 7.1.1", "certificate is not version 3"));
    }
    check_web_pki_key(certificate)?;
    let extensions = &certificate.extensions;
    match role {
        Role::Leaf => check_web_pki_leaf(certificate),
        Role::Intermediate | Role::Anchor => {
            if extensions.key_usage.is_none() {
                return Err(rule("BR 7.1.2.10.7", "CA certificate without keyUsage"));
            }
            if role == Role::Anchor {
                check_web_pki_root(certificate)?;
            }
            Ok(())
        }
    }
}

fn check_web_pki_leaf(certificate: &ParsedCertificate) -> Result<(), Error> {
    let extensions = &certificate.extensions;
    if certificate.is_ca() {
        return Err(rule("BR 7.1.2.7.8", "subscriber certificate with cA TRUE"));
    }
    if extensions
        .key_usage
        .as_ref()
        .is_some_and(|usage| usage.key_cert_sign())
    {
        return Err(rule(
            "BR 7.1.2.7.11",
            "subscriber certificate with keyCertSign",
        ));
    }
    match &extensions.extended_key_usage {
        None => {
            return Err(rule(
                "BR 7.1.2.7.10",
                "subscriber certificate without extKeyUsage",
            ));
        }
        Some((_, true)) => return Err(rule("BR 7.1.2.7.10", "extKeyUsage marked critical")),
        Some((usages, false)) if usages.0.contains(&super::usage::ANY_EXTENDED_KEY_USAGE) => {
            return Err(rule(
                "BR 7.1.2.7.10",
                "anyExtendedKeyUsage in a subscriber certificate",
            ));
        }
        Some(_) => {}
    }
    if extensions.subject_alt_name.is_none() {
        return Err(rule(
            "BR 7.1.2.7.12",
            "subscriber certificate without subjectAltName",
        ));
    }
    super::names::check_common_name_in_alt_names(certificate)
}

fn check_web_pki_root(certificate: &ParsedCertificate) -> Result<(), Error> {
    let extensions = &certificate.extensions;
    if extensions.extended_key_usage.is_some() {
        return Err(rule("BR 7.1.2.1.2", "root CA certificate with extKeyUsage"));
    }
    if let Some(identifier) = &extensions.authority_key_identifier {
        if identifier.authority_cert_issuer.is_some()
            || identifier.authority_cert_serial_number.is_some()
        {
            return Err(rule(
                "BR 7.1.2.1.3",
                "root authorityKeyIdentifier with authorityCertIssuer or authorityCertSerialNumber",
            ));
        }
        let key_identifier = identifier.key_identifier.as_ref().map(|id| id.as_bytes());
        if certificate.is_self_issued()
            && key_identifier.is_some()
            && key_identifier != extensions.subject_key_identifier.as_deref()
        {
            return Err(rule(
                "BR 7.1.2.1.3",
                "root authorityKeyIdentifier differs from its subjectKeyIdentifier",
            ));
        }
    }
    Ok(())
}

/// RSA keys under 2048 bits are refused in every profile (NIST SP 800-131A, BR 6.1.5), unless
/// the caller accepts legacy keys of at least 1024 bits.
fn check_key_size(certificate: &ParsedCertificate, allow_legacy_keys: bool) -> Result<(), Error> {
    let Ok(PublicKeyKind::Rsa { bits }) = public_key_kind(certificate.spki()) else {
        return Ok(());
    };
    let floor = if allow_legacy_keys { 1024 } else { 2048 };
    if bits >= floor {
        return Ok(());
    }
    let remedy = if bits >= 1024 {
        "allow legacy keys to accept it"
    } else {
        "no option accepts it"
    };
    Err(Error::UnacceptableKey {
        detail: format!("RSA-{bits}: keys under 2048 bits are refused ({remedy})"),
    })
}

/// BR 6.1.5 and 7.1.3.1: RSA of at least 2048 bits in a multiple of 8, or ECDSA P-256/384/521.
fn check_web_pki_key(certificate: &ParsedCertificate) -> Result<(), Error> {
    let unacceptable = |detail: String| Error::UnacceptableKey { detail };
    match public_key_kind(certificate.spki())? {
        PublicKeyKind::Rsa { bits } if bits < 2048 || bits % 8 != 0 => Err(unacceptable(format!(
            "RSA-{bits}: the Baseline Requirements need at least 2048 bits, a multiple of 8"
        ))),
        PublicKeyKind::Ed25519 => Err(unacceptable(
            "Ed25519 keys are not allowed by the Baseline Requirements (BR 6.1.5)".to_owned(),
        )),
        _ => Ok(()),
    }
}

fn rule(section: &'static str, detail: &str) -> Error {
    Error::NonConforming {
        section,
        detail: detail.to_owned(),
    }
}

//! Certificate profile rules: the MUSTs of RFC 5280 section 4 that a verifier can check on one
//! certificate, and, for [`Profile::WebPki`], those of the CA/Browser Forum Baseline
//! Requirements (`webpki.rs`). A certificate that breaks one is not used in any path.
//!
//! A trust anchor supplies a name, a key and constraints (RFC 5280 section 6.1.1 (d), RFC 5937):
//! the extensions that constrain paths (basic constraints, key usages, name and policy
//! constraints, unknown critical extensions) are enforced, and so are its validity and key size,
//! but not the encoding rules that only say how a conforming CA writes certificates (serial
//! number, signature algorithm fields, key identifiers, subjectKeyIdentifier and keyUsage
//! presence, alternative names): its self-signature is never checked, so those carry no
//! authority.

use crate::Error;
use crate::crypto::PublicKeyKind;

use super::certificate::{ParsedCertificate, Version};
use super::validate::Role;
use super::{Options, Profile, constraints, webpki};

/// Checks `certificate` in `role` against the rules of the profile in `options`; `issuer` is
/// the next certificate up the path (none for an anchor, or a leaf that is itself an anchor).
pub(crate) fn check(
    certificate: &ParsedCertificate,
    role: Role,
    issuer: Option<&ParsedCertificate>,
    options: &Options,
) -> Result<(), Error> {
    let profile = options.profile;
    check_key_size(certificate, options.allow_legacy_keys)?;
    check_constraining_extensions(certificate, profile)?;
    if role == Role::Anchor {
        check_ca(certificate, role, profile)?;
        return match profile {
            Profile::WebPki => webpki::check(certificate, role, issuer),
            Profile::Compatible | Profile::Rfc5280 => Ok(()),
        };
    }
    check_encoding(certificate)?;
    check_other_extensions(certificate, role)?;
    if profile.is_strict() {
        check_key_identifiers(certificate, issuer)?;
        check_ca_identifiers(certificate, role)?;
    }
    if role == Role::Intermediate {
        check_ca(certificate, role, profile)?;
    }
    if profile == Profile::WebPki {
        webpki::check(certificate, role, issuer)?;
    }
    Ok(())
}

/// Whether `certificate` is self-signed, as far as the path shows: self-issued, and signed
/// by its own key (its issuer in the path has the same key, or it has no issuer: an anchor).
pub(crate) fn is_self_signed(
    certificate: &ParsedCertificate,
    issuer: Option<&ParsedCertificate>,
) -> bool {
    certificate.is_self_issued()
        && issuer.is_none_or(|issuer| issuer.spki_der() == certificate.spki_der())
}

/// Rules on the certificate fields (RFC 5280 section 4.1).
fn check_encoding(certificate: &ParsedCertificate) -> Result<(), Error> {
    let serial = certificate.serial();
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
    if !certificate.signature_fields_agree {
        return Err(rule(
            "RFC 5280 4.1.1.2",
            "signatureAlgorithm differs from the signature field of tbsCertificate",
        ));
    }
    if certificate.issuer.empty {
        return Err(rule("RFC 5280 4.1.2.4", "empty issuer name"));
    }
    if certificate.has_extensions && certificate.version != Version::V3 {
        return Err(rule(
            "RFC 5280 4.1.2.9",
            "extensions in a certificate that is not version 3",
        ));
    }
    if certificate.has_unique_identifiers && certificate.version == Version::V1 {
        return Err(rule(
            "RFC 5280 4.1.2.8",
            "unique identifiers in a version 1 certificate",
        ));
    }
    Ok(())
}

/// RSA keys under 2048 bits are refused in every profile (NIST SP 800-131A, BR 6.1.5), unless
/// the caller accepts legacy keys of at least 1024 bits.
fn check_key_size(certificate: &ParsedCertificate, allow_legacy_keys: bool) -> Result<(), Error> {
    let Ok(PublicKeyKind::Rsa { bits }) = certificate.key_kind else {
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

/// Rules on the extensions that constrain paths, whatever the role (RFC 5280 section 4.2).
fn check_constraining_extensions(
    certificate: &ParsedCertificate,
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
    if let Some((usages, _)) = &extensions.extended_key_usage {
        if usages.0.is_empty() {
            return Err(rule("RFC 5280 4.2.1.12", "empty extendedKeyUsage"));
        }
    }
    if let Some(key_usage) = &extensions.key_usage {
        if key_usage.is_empty() {
            return Err(rule("RFC 5280 4.2.1.3", "keyUsage with no bit set"));
        }
        if key_usage.key_cert_sign() && !certificate.is_ca() {
            return Err(rule("RFC 5280 4.2.1.9", "keyCertSign asserted without cA"));
        }
    }
    check_basic_constraints(certificate)?;
    check_policy_constraints(certificate)?;
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

/// Rules on the other extensions, for certificates that are not anchors.
fn check_other_extensions(certificate: &ParsedCertificate, role: Role) -> Result<(), Error> {
    if let Some(quirk) = &certificate.quirk {
        return Err(quirk.clone());
    }
    if certificate.extensions.authority_info_access == Some(true) {
        return Err(rule(
            "RFC 5280 4.2.2.1",
            "authorityInfoAccess marked critical",
        ));
    }
    check_alt_names(certificate, role)?;
    check_policies(certificate)?;
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

/// Certificate policy extensions (RFC 5280 4.2.1.4, 4.2.1.14): a policy OID appears once in
/// certificatePolicies; inhibitAnyPolicy is critical. Mapping anyPolicy is refused in
/// `policy.rs` (6.1.4 (a)).
fn check_policies(certificate: &ParsedCertificate) -> Result<(), Error> {
    let extensions = &certificate.extensions;
    if extensions.repeated_policy {
        return Err(rule(
            "RFC 5280 4.2.1.4",
            "a policy OID appears more than once in certificatePolicies",
        ));
    }
    if extensions
        .inhibit_any_policy
        .is_some_and(|(_, critical)| !critical)
    {
        return Err(rule(
            "RFC 5280 4.2.1.14",
            "inhibitAnyPolicy not marked critical",
        ));
    }
    Ok(())
}

fn check_alt_names(certificate: &ParsedCertificate, role: Role) -> Result<(), Error> {
    let subject_empty = certificate.subject.empty;
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

/// Policy constraints are critical and not empty (RFC 5280 4.2.1.11); their values are
/// processed with the path's policies (`policy.rs`).
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
    if constraints.require_explicit_policy.is_none() && constraints.inhibit_policy_mapping.is_none()
    {
        return Err(rule(
            "RFC 5280 4.2.1.11",
            "policyConstraints is an empty sequence",
        ));
    }
    Ok(())
}

/// A certificate used as an issuer must be a CA (RFC 5280 sections 4.2.1.9, 6.1.4 (k)).
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
            Role::Leaf | Role::Intermediate => Err(Error::NotCa {
                subject: certificate.subject.text.clone(),
            }),
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
            Ok(())
        }
        _ => Err(Error::NotCa {
            subject: certificate.subject.text.clone(),
        }),
    }
}

/// RFC 5280 4.2.1.2 and 4.2.1.3 for conforming CAs: a CA certificate (not an anchor) has a
/// subjectKeyIdentifier and a keyUsage; no certificate has unique identifiers (4.1.2.8).
fn check_ca_identifiers(certificate: &ParsedCertificate, role: Role) -> Result<(), Error> {
    if certificate.has_unique_identifiers {
        return Err(rule(
            "RFC 5280 4.1.2.8",
            "unique identifiers in a certificate",
        ));
    }
    if role != Role::Intermediate || certificate.is_legacy_version() {
        return Ok(());
    }
    if certificate.extensions.subject_key_identifier.is_none() {
        return Err(rule(
            "RFC 5280 4.2.1.2",
            "CA certificate without subjectKeyIdentifier",
        ));
    }
    if certificate.extensions.key_usage.is_none() {
        return Err(rule("RFC 5280 4.2.1.3", "CA certificate without keyUsage"));
    }
    Ok(())
}

/// RFC 5280 4.2.1.1 and 4.2.1.2 for conforming CAs: key identifiers are non-critical, and
/// every certificate but a self-signed one has an authorityKeyIdentifier with a keyIdentifier
/// (a self-issued certificate signed by another key, such as a key rollover certificate, needs
/// one too).
fn check_key_identifiers(
    certificate: &ParsedCertificate,
    issuer: Option<&ParsedCertificate>,
) -> Result<(), Error> {
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
    if !has_key_identifier && !is_self_signed(certificate, issuer) {
        return Err(rule(
            "RFC 5280 4.2.1.1",
            "certificate without authorityKeyIdentifier keyIdentifier",
        ));
    }
    Ok(())
}

pub(crate) fn rule(section: &'static str, detail: &str) -> Error {
    Error::NonConforming {
        section,
        detail: detail.to_owned(),
    }
}

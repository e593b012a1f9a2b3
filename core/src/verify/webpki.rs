//! The CA/Browser Forum Baseline Requirements (version 2.x, section 7.1) that a verifier can
//! check, for [`Profile::WebPki`](super::Profile::WebPki): version 3 only, key types and sizes,
//! subscriber certificates (EKU, SAN, commonName), CA key usage, and the authorityKeyIdentifier
//! of root (self-signed) and other certificates. RFC 5280 rules are in `profile.rs`.

use crate::Error;
use crate::crypto::PublicKeyKind;

use super::certificate::ParsedCertificate;
use super::profile::{is_self_signed, rule};
use super::validate::Role;

/// Checks `certificate` in `role`; `issuer` is the next certificate up the path.
pub(crate) fn check(
    certificate: &ParsedCertificate,
    role: Role,
    issuer: Option<&ParsedCertificate>,
) -> Result<(), Error> {
    if certificate.is_legacy_version() {
        return Err(rule("BR 7.1.1", "certificate is not version 3"));
    }
    check_key(certificate)?;
    if role != Role::Leaf && certificate.extensions.key_usage.is_none() {
        return Err(rule("BR 7.1.2.10.7", "CA certificate without keyUsage"));
    }
    if role == Role::Leaf {
        check_subscriber(certificate)?;
    }
    let is_root = role != Role::Leaf && is_self_signed(certificate, issuer);
    if is_root {
        check_root(certificate)
    } else if role == Role::Anchor {
        // A trusted subordinate CA: its key identifiers carry no authority (RFC 5937).
        Ok(())
    } else {
        check_authority_key_identifier(certificate)
    }
}

fn check_subscriber(certificate: &ParsedCertificate) -> Result<(), Error> {
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

/// BR 7.1.2.1: a root CA certificate has no extKeyUsage; its authorityKeyIdentifier, when
/// present, has a keyIdentifier equal to its subjectKeyIdentifier and nothing else.
fn check_root(certificate: &ParsedCertificate) -> Result<(), Error> {
    let extensions = &certificate.extensions;
    if extensions.extended_key_usage.is_some() {
        return Err(rule("BR 7.1.2.1.2", "root CA certificate with extKeyUsage"));
    }
    let Some(identifier) = &extensions.authority_key_identifier else {
        return Ok(());
    };
    if identifier.authority_cert_issuer || identifier.authority_cert_serial_number {
        return Err(rule(
            "BR 7.1.2.1.3",
            "root authorityKeyIdentifier with authorityCertIssuer or authorityCertSerialNumber",
        ));
    }
    let key_identifier = identifier.key_identifier.as_deref();
    match key_identifier {
        None => Err(rule(
            "BR 7.1.2.1.3",
            "root authorityKeyIdentifier without keyIdentifier",
        )),
        Some(key) if Some(key) != extensions.subject_key_identifier.as_deref() => Err(rule(
            "BR 7.1.2.1.3",
            "root authorityKeyIdentifier differs from its subjectKeyIdentifier",
        )),
        Some(_) => Ok(()),
    }
}

/// BR 7.1.2.11.1 (subordinate CA and subscriber certificates): the authorityKeyIdentifier has a
/// keyIdentifier (required by the strict profile rules) and neither authorityCertIssuer nor
/// authorityCertSerialNumber.
fn check_authority_key_identifier(certificate: &ParsedCertificate) -> Result<(), Error> {
    let Some(identifier) = &certificate.extensions.authority_key_identifier else {
        return Ok(());
    };
    if identifier.authority_cert_issuer || identifier.authority_cert_serial_number {
        return Err(rule(
            "BR 7.1.2.11.1",
            "authorityKeyIdentifier with authorityCertIssuer or authorityCertSerialNumber",
        ));
    }
    Ok(())
}

/// BR 6.1.5 and 7.1.3.1: RSA of at least 2048 bits in a multiple of 8, or ECDSA P-256/384/521.
fn check_key(certificate: &ParsedCertificate) -> Result<(), Error> {
    let unacceptable = |detail: String| Error::UnacceptableKey { detail };
    match certificate.key_kind.clone()? {
        PublicKeyKind::Rsa { bits } if bits < 2048 || bits % 8 != 0 => Err(unacceptable(format!(
            "RSA-{bits}: the Baseline Requirements need at least 2048 bits, a multiple of 8"
        ))),
        PublicKeyKind::Ed25519 => Err(unacceptable(
            "Ed25519 keys are not allowed by the Baseline Requirements (BR 6.1.5)".to_owned(),
        )),
        _ => Ok(()),
    }
}

//! Key usage (RFC 5280 section 4.2.1.3) and extended key usage (section 4.2.1.12).
//!
//! The leaf must allow the purpose asked for. Issuers must assert keyCertSign when they have a
//! keyUsage extension (6.1.4 (n)), and, when they carry an extendedKeyUsage, it must allow the
//! purpose too: the "EKU chaining" rule of the Web PKI (Mozilla, Microsoft, Go), which keeps a
//! CA constrained to client certificates from issuing servers.

use const_oid::ObjectIdentifier;

use crate::Error;

use super::certificate::{KeyUsage, ParsedCertificate};
use super::validate::Role;
use super::{KeyUsageBit, Options, Profile, Purpose};

/// anyExtendedKeyUsage (RFC 5280 section 4.2.1.12).
pub(crate) const ANY_EXTENDED_KEY_USAGE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.5.29.37.0");
const SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
const CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");

/// Leaf checks: the purpose is allowed, and the requested keyUsage bits are asserted.
pub(crate) fn check_leaf(certificate: &ParsedCertificate, options: &Options) -> Result<(), Error> {
    let accept_any = options.profile != Profile::WebPki;
    check_extended_key_usage(certificate, &options.purpose, accept_any)?;
    let Some(key_usage) = &certificate.extensions.key_usage else {
        return Ok(());
    };
    for bit in &options.leaf_key_usage {
        if !key_usage.contains(flag(*bit)) {
            return Err(Error::KeyUsageMissing { usage: name(*bit) });
        }
    }
    Ok(())
}

/// Issuer checks: keyCertSign (RFC 5280 6.1.4 (n)) and EKU chaining.
pub(crate) fn check_issuer(
    certificate: &ParsedCertificate,
    role: Role,
    options: &Options,
) -> Result<(), Error> {
    if let Some(key_usage) = &certificate.extensions.key_usage {
        if !key_usage.key_cert_sign() {
            return Err(Error::KeyUsageMissing {
                usage: "keyCertSign",
            });
        }
    }
    if role == Role::Anchor && certificate.is_legacy_version() {
        return Ok(());
    }
    check_extended_key_usage(certificate, &options.purpose, true)
}

/// Whether `key_usage` asserts cRLSign, or has no keyUsage at all (RFC 5280 6.3.3 (f)).
pub(crate) fn allows_crl_signing(key_usage: Option<&KeyUsage>) -> bool {
    key_usage.is_none_or(KeyUsage::crl_sign)
}

// ---- helpers ----

fn check_extended_key_usage(
    certificate: &ParsedCertificate,
    purpose: &Purpose,
    accept_any: bool,
) -> Result<(), Error> {
    let Some((usages, _)) = &certificate.extensions.extended_key_usage else {
        return Ok(());
    };
    let wanted: Vec<ObjectIdentifier> = match purpose {
        Purpose::Any => return Ok(()),
        Purpose::Server => vec![SERVER_AUTH],
        Purpose::Client => vec![CLIENT_AUTH],
        // `verify` refuses unusable OIDs up front; never drop one here (that would widen).
        Purpose::ExtendedKeyUsages(oids) => oids
            .iter()
            .map(|oid| ObjectIdentifier::new(oid))
            .collect::<Result<_, _>>()
            .map_err(|_| Error::ExtendedKeyUsageMissing {
                purpose: "an extended key usage that is not a dotted OID".to_owned(),
            })?,
    };
    if accept_any && usages.0.contains(&ANY_EXTENDED_KEY_USAGE) {
        return Ok(());
    }
    match wanted.iter().find(|oid| !usages.0.contains(oid)) {
        Some(missing) => Err(Error::ExtendedKeyUsageMissing {
            purpose: purpose_name(missing),
        }),
        None => Ok(()),
    }
}

fn purpose_name(oid: &ObjectIdentifier) -> String {
    match *oid {
        SERVER_AUTH => "serverAuth (TLS server)".to_owned(),
        CLIENT_AUTH => "clientAuth (TLS client)".to_owned(),
        _ => oid.to_string(),
    }
}

fn flag(bit: KeyUsageBit) -> u16 {
    match bit {
        KeyUsageBit::DigitalSignature => KeyUsage::DIGITAL_SIGNATURE,
        KeyUsageBit::ContentCommitment => KeyUsage::NON_REPUDIATION,
        KeyUsageBit::KeyEncipherment => KeyUsage::KEY_ENCIPHERMENT,
        KeyUsageBit::DataEncipherment => KeyUsage::DATA_ENCIPHERMENT,
        KeyUsageBit::KeyAgreement => KeyUsage::KEY_AGREEMENT,
        KeyUsageBit::KeyCertSign => KeyUsage::KEY_CERT_SIGN,
        KeyUsageBit::CrlSign => KeyUsage::CRL_SIGN,
        KeyUsageBit::EncipherOnly => KeyUsage::ENCIPHER_ONLY,
        KeyUsageBit::DecipherOnly => KeyUsage::DECIPHER_ONLY,
    }
}

fn name(bit: KeyUsageBit) -> &'static str {
    match bit {
        KeyUsageBit::DigitalSignature => "digitalSignature",
        KeyUsageBit::ContentCommitment => "contentCommitment",
        KeyUsageBit::KeyEncipherment => "keyEncipherment",
        KeyUsageBit::DataEncipherment => "dataEncipherment",
        KeyUsageBit::KeyAgreement => "keyAgreement",
        KeyUsageBit::KeyCertSign => "keyCertSign",
        KeyUsageBit::CrlSign => "cRLSign",
        KeyUsageBit::EncipherOnly => "encipherOnly",
        KeyUsageBit::DecipherOnly => "decipherOnly",
    }
}

//! The CRL decoding the verifier used before the core's reader (`x509-cert`'s `CertificateList`
//! and its extension types), test-only: the oracle `parse.rs`'s tests compare with.

use const_oid::ObjectIdentifier;
use der::Decode;
use x509_cert::certificate::Raw;
use x509_cert::crl::{CertificateList, RevokedCert};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::AuthorityKeyIdentifier;
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
use x509_cert::ext::pkix::crl::{CrlNumber, CrlReason};

use super::parse::{CERTIFICATE_ISSUER, REASON_CODE, Scope};
use crate::UnixTime;
use crate::verify::certificate::comparable_name;
use crate::x509::general_name::GeneralNameRef;

const CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
const AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const ISSUER_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.18");
const DELTA_CRL_INDICATOR: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.27");
const ISSUING_DISTRIBUTION_POINT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.28");
const FRESHEST_CRL: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.46");
const AUTHORITY_INFO_ACCESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
const INVALIDITY_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.24");

/// What revocation checking uses of one CRL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Summary {
    pub(super) issuer: Vec<u8>,
    pub(super) number: Vec<u8>,
    pub(super) authority_key_identifier: Option<Vec<u8>>,
    pub(super) distribution_point: Option<Scope>,
    pub(super) scope: Vec<u8>,
    pub(super) this_update: UnixTime,
    pub(super) next_update: Option<UnixTime>,
    pub(super) defect: Option<String>,
    /// Each entry: serial, the issuer it belongs to (comparable), whether it revokes.
    pub(super) entries: Vec<(Vec<u8>, Vec<u8>, bool)>,
    /// The signature bytes when the BIT STRING has no unused bits, the algorithm's DER, the
    /// signed TBSCertList.
    pub(super) signature: (Option<Vec<u8>>, Vec<u8>, Vec<u8>),
}

pub(super) fn summary(der: &[u8]) -> Option<Summary> {
    // The verifier decoded with x509-cert's RFC 5280 profile (serial numbers up to 21
    // octets), otherwise as the Raw profile.
    CertificateList::<x509_cert::certificate::Rfc5280>::from_der(der).ok()?;
    let list = CertificateList::<Raw>::from_der(der).ok()?;
    let tbs = &list.tbs_cert_list;
    let mut summary = Summary {
        issuer: crate::x509::name::AsName::with_name(&tbs.issuer, comparable_name),
        number: Vec::new(),
        authority_key_identifier: None,
        distribution_point: None,
        scope: Vec::new(),
        this_update: UnixTime::from_x509(&tbs.this_update),
        next_update: tbs.next_update.as_ref().map(UnixTime::from_x509),
        defect: None,
        entries: Vec::new(),
        signature: (
            list.signature.as_bytes().map(<[u8]>::to_vec),
            der::Encode::to_der(&list.signature_algorithm).unwrap(),
            signed_part(der)?,
        ),
    };
    summary.defect = check(&mut summary, &list).err();
    let indirect = summary
        .distribution_point
        .is_some_and(|point| point.indirect_crl);
    let mut entry_issuer = summary.issuer.clone();
    for entry in tbs.revoked_certificates.iter().flatten() {
        if indirect {
            if let Some(named) = certificate_issuer(entry) {
                entry_issuer = named;
            }
        }
        let revokes = reason(entry) != Some(CrlReason::RemoveFromCRL);
        summary.entries.push((
            entry.serial_number.as_bytes().to_vec(),
            entry_issuer.clone(),
            revokes,
        ));
    }
    Some(summary)
}

/// The TBSCertList as received (the verifier checked the signature over these bytes, not
/// x509-cert's re-encoding).
fn signed_part(der: &[u8]) -> Option<Vec<u8>> {
    let outer = der::asn1::AnyRef::from_der(der).ok()?;
    let mut fields = der::SliceReader::new(outer.value()).ok()?;
    let tbs = der::asn1::AnyRef::decode(&mut fields).ok()?;
    der::Encode::to_der(&tbs).ok()
}

fn check(summary: &mut Summary, list: &CertificateList<Raw>) -> Result<(), String> {
    let tbs = &list.tbs_cert_list;
    if tbs.version as u8 != 1 {
        return Err("not a version 2 CRL (RFC 5280 5.1.2.1)".to_owned());
    }
    if tbs.signature != list.signature_algorithm {
        return Err("signature algorithms differ (RFC 5280 5.1.1.2)".to_owned());
    }
    let extensions = tbs.crl_extensions.clone().unwrap_or_default();
    let mut seen = Vec::new();
    for extension in &extensions {
        if seen.contains(&extension.extn_id) {
            return Err(format!(
                "extension {} appears twice (RFC 5280 5.2)",
                extension.extn_id
            ));
        }
        seen.push(extension.extn_id);
        decode_extension(summary, extension)?;
    }
    if !seen.contains(&CRL_NUMBER) {
        return Err("no cRLNumber extension (RFC 5280 5.2.3)".to_owned());
    }
    let indirect = summary
        .distribution_point
        .is_some_and(|point| point.indirect_crl);
    for entry in tbs.revoked_certificates.iter().flatten() {
        check_entry(entry, indirect)?;
    }
    Ok(())
}

fn decode_extension(summary: &mut Summary, extension: &Extension) -> Result<(), String> {
    let (oid, value, critical) = (
        extension.extn_id,
        extension.extn_value.as_bytes(),
        extension.critical,
    );
    match oid {
        CRL_NUMBER => {
            non_critical(extension, "cRLNumber", "5.2.3")?;
            let number = decode::<CrlNumber>(value, "cRLNumber")?;
            let bytes = number.0.as_bytes();
            if bytes.len() > 20 {
                return Err("cRLNumber longer than 20 octets (RFC 5280 5.2.3)".to_owned());
            }
            summary.number = bytes
                .iter()
                .copied()
                .skip_while(|byte| *byte == 0)
                .collect();
        }
        AUTHORITY_KEY_IDENTIFIER => {
            non_critical(extension, "authorityKeyIdentifier", "5.2.1")?;
            let identifier = decode::<AuthorityKeyIdentifier>(value, "authorityKeyIdentifier")?;
            summary.authority_key_identifier =
                identifier.key_identifier.map(|id| id.as_bytes().to_vec());
        }
        ISSUING_DISTRIBUTION_POINT => {
            if !critical {
                return Err(
                    "issuingDistributionPoint not marked critical (RFC 5280 5.2.5)".to_owned(),
                );
            }
            let point = decode::<IssuingDistributionPoint>(value, "issuingDistributionPoint")?;
            let scope = Scope {
                has_distribution_point: point.distribution_point.is_some(),
                only_contains_user_certs: point.only_contains_user_certs,
                only_contains_ca_certs: point.only_contains_ca_certs,
                has_only_some_reasons: point.only_some_reasons.is_some(),
                indirect_crl: point.indirect_crl,
                only_contains_attribute_certs: point.only_contains_attribute_certs,
            };
            check_scope(&point)?;
            summary.scope = value.to_vec();
            summary.distribution_point = Some(scope);
        }
        DELTA_CRL_INDICATOR => {
            return Err(
                "a delta CRL (deltaCRLIndicator): supply the complete CRL instead".to_owned(),
            );
        }
        FRESHEST_CRL => non_critical(extension, "freshestCRL", "5.2.6")?,
        AUTHORITY_INFO_ACCESS => non_critical(extension, "authorityInfoAccess", "5.2.7")?,
        ISSUER_ALT_NAME => {}
        _ if critical => return Err(format!("unsupported critical CRL extension {oid}")),
        _ => {}
    }
    Ok(())
}

fn check_scope(point: &IssuingDistributionPoint) -> Result<(), String> {
    let only = [
        point.only_contains_user_certs,
        point.only_contains_ca_certs,
        point.only_contains_attribute_certs,
    ];
    if only.iter().filter(|flag| **flag).count() > 1 {
        return Err(
            "issuingDistributionPoint asserts more than one scope (RFC 5280 5.2.5)".to_owned(),
        );
    }
    let empty = point.distribution_point.is_none()
        && point.only_some_reasons.is_none()
        && !point.indirect_crl
        && only.iter().all(|flag| !flag);
    if empty {
        return Err("empty issuingDistributionPoint (RFC 5280 5.2.5)".to_owned());
    }
    Ok(())
}

fn check_entry(entry: &RevokedCert<Raw>, indirect: bool) -> Result<(), String> {
    let mut seen = Vec::new();
    for extension in entry.crl_entry_extensions.iter().flatten() {
        if seen.contains(&extension.extn_id) {
            return Err(format!(
                "entry extension {} appears twice (RFC 5280 5.3)",
                extension.extn_id
            ));
        }
        seen.push(extension.extn_id);
        match extension.extn_id {
            REASON_CODE => non_critical(extension, "reasonCode", "5.3.1")?,
            INVALIDITY_DATE => non_critical(extension, "invalidityDate", "5.3.2")?,
            CERTIFICATE_ISSUER if !indirect => {
                return Err(
                    "certificateIssuer in a CRL that is not indirect (RFC 5280 5.3.3)".to_owned(),
                );
            }
            CERTIFICATE_ISSUER if !extension.critical => {
                return Err("certificateIssuer not marked critical (RFC 5280 5.3.3)".to_owned());
            }
            CERTIFICATE_ISSUER => {}
            oid if extension.critical => {
                return Err(format!("unsupported critical entry extension {oid}"));
            }
            _ => {}
        }
    }
    Ok(())
}

fn certificate_issuer(entry: &RevokedCert<Raw>) -> Option<Vec<u8>> {
    let extension = entry
        .crl_entry_extensions
        .iter()
        .flatten()
        .find(|extension| extension.extn_id == CERTIFICATE_ISSUER)?;
    let names = crate::asn1::read::parse(
        extension.extn_value.as_bytes(),
        crate::x509::general_name::read_general_names,
    )
    .ok()?;
    names.iter().find_map(|name| match name {
        GeneralNameRef::Directory(directory) => Some(comparable_name(directory)),
        _ => None,
    })
}

fn reason(entry: &RevokedCert<Raw>) -> Option<CrlReason> {
    let extension = entry
        .crl_entry_extensions
        .iter()
        .flatten()
        .find(|extension| extension.extn_id == REASON_CODE)?;
    CrlReason::from_der(extension.extn_value.as_bytes()).ok()
}

fn non_critical(extension: &Extension, name: &str, section: &str) -> Result<(), String> {
    if extension.critical {
        return Err(format!("{name} marked critical (RFC 5280 {section})"));
    }
    Ok(())
}

fn decode<'a, T: Decode<'a>>(value: &'a [u8], name: &str) -> Result<T, String> {
    T::from_der(value).map_err(|error| format!("malformed {name} extension: {error}"))
}

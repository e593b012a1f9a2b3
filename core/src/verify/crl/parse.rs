//! A CRL decoded once, with what revocation checking needs, and the rules of RFC 5280
//! sections 5.1 to 5.3 that make a CRL unusable.
//!
//! CRL extensions (5.2): authorityKeyIdentifier, cRLNumber, freshestCRL and
//! authorityInfoAccess must be non-critical; issuingDistributionPoint must be critical and is
//! processed (scope and indirect CRLs); deltaCRLIndicator marks a delta CRL, which mtlskit does
//! not combine with a base CRL; issuerAltName may be either. Entry extensions (5.3):
//! reasonCode and invalidityDate are non-critical; certificateIssuer is critical and only in an
//! indirect CRL. Any other critical extension makes the CRL unusable (5.2, 5.3: "MUST NOT use
//! that CRL"). A problem is kept as the CRL's `defect` and reported when the CRL covers a
//! certificate of a path.

use const_oid::ObjectIdentifier;
use der::Decode;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::AuthorityKeyIdentifier;
use x509_cert::ext::pkix::crl::CrlNumber;
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;

use crate::UnixTime;
use crate::x509::{Crl, RevokedCertificate};

use super::super::certificate::comparable_name;

pub(super) const CERTIFICATE_ISSUER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.29");
pub(super) const REASON_CODE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");
const CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
const AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const ISSUER_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.18");
const DELTA_CRL_INDICATOR: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.27");
const ISSUING_DISTRIBUTION_POINT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.28");
const FRESHEST_CRL: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.46");
const AUTHORITY_INFO_ACCESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
const INVALIDITY_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.24");
/// The longest serial number (content octets) x509-cert's RFC 5280 profile decodes
/// (`SerialNumber::MAX_DECODE_LEN`: 20 octets, one more for implementations that count the
/// sign octet in).
const MAX_SERIAL_LEN: usize = 21;

/// A decoded CRL.
#[derive(Debug, Clone)]
pub(crate) struct ParsedCrl {
    /// Decoded by `x509::crl` (the core's DER reader; no profile checks): `parse` applies the
    /// check x509-cert's RFC 5280 profile made on CRLs.
    pub(super) list: Crl,
    /// The issuer in comparable form (RFC 5280 section 7.1).
    pub(super) issuer: Vec<u8>,
    /// cRLNumber, big-endian without leading zeros.
    pub(super) number: Vec<u8>,
    pub(super) authority_key_identifier: Option<Vec<u8>>,
    /// The issuingDistributionPoint, decoded, and its DER (empty without one): CRLs with
    /// equal DER have the same scope.
    pub(super) distribution_point: Option<IssuingDistributionPoint>,
    pub(super) scope: Vec<u8>,
    pub(super) this_update: UnixTime,
    pub(super) next_update: Option<UnixTime>,
    /// Why the CRL cannot be used, if it cannot.
    pub(super) defect: Option<String>,
}

impl ParsedCrl {
    /// Decodes the items that are CRLs (the same CRL twice counts once); others are ignored.
    pub(crate) fn parse_all(items: &[super::super::Item]) -> Vec<Self> {
        let mut seen = std::collections::HashSet::new();
        items
            .iter()
            .filter(|item| seen.insert(item.der.as_slice()))
            .filter_map(|item| Self::parse(&item.der))
            .collect()
    }

    pub(crate) fn parse(der: &[u8]) -> Option<Self> {
        let list = crate::x509::crl::parse(der).ok()?;
        // What x509-cert's RFC 5280 profile refuses in a CRL (`Profile::check_serial_number`,
        // its only check on decoding): a revoked serial number longer than 21 octets.
        if list
            .revoked
            .iter()
            .any(|entry| entry.serial.len() > MAX_SERIAL_LEN)
        {
            return None;
        }
        let mut crl = Self {
            issuer: crate::x509::name::AsName::with_name(&list.issuer, comparable_name),
            this_update: list.this_update,
            next_update: list.next_update,
            number: Vec::new(),
            authority_key_identifier: None,
            distribution_point: None,
            scope: Vec::new(),
            defect: None,
            list,
        };
        crl.defect = crl.check().err();
        Some(crl)
    }

    /// Whether entries may name another issuer (RFC 5280 section 5.2.5: indirectCRL).
    pub(super) fn is_indirect(&self) -> bool {
        self.distribution_point
            .as_ref()
            .is_some_and(|point| point.indirect_crl)
    }

    /// Decodes the extensions and checks the CRL's structure; the first problem found.
    fn check(&mut self) -> Result<(), String> {
        let list = &self.list;
        if list.version != 1 {
            return Err("not a version 2 CRL (RFC 5280 5.1.2.1)".to_owned());
        }
        if list.tbs_signature != list.signature_algorithm {
            return Err("signature algorithms differ (RFC 5280 5.1.1.2)".to_owned());
        }
        let extensions = list.extensions.clone().unwrap_or_default();
        let mut seen = Vec::new();
        for extension in &extensions {
            if seen.contains(&extension.extn_id) {
                return Err(format!(
                    "extension {} appears twice (RFC 5280 5.2)",
                    extension.extn_id
                ));
            }
            seen.push(extension.extn_id);
            self.decode_extension(extension)?;
        }
        if !seen.contains(&CRL_NUMBER) {
            return Err("no cRLNumber extension (RFC 5280 5.2.3)".to_owned());
        }
        let indirect = self.is_indirect();
        for entry in &self.list.revoked {
            check_entry(entry, indirect)?;
        }
        Ok(())
    }

    fn decode_extension(&mut self, extension: &Extension) -> Result<(), String> {
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
                self.number = bytes
                    .iter()
                    .copied()
                    .skip_while(|byte| *byte == 0)
                    .collect();
            }
            AUTHORITY_KEY_IDENTIFIER => {
                non_critical(extension, "authorityKeyIdentifier", "5.2.1")?;
                let identifier = decode::<AuthorityKeyIdentifier>(value, "authorityKeyIdentifier")?;
                self.authority_key_identifier =
                    identifier.key_identifier.map(|id| id.as_bytes().to_vec());
            }
            ISSUING_DISTRIBUTION_POINT => {
                if !critical {
                    return Err(
                        "issuingDistributionPoint not marked critical (RFC 5280 5.2.5)".to_owned(),
                    );
                }
                let point = decode::<IssuingDistributionPoint>(value, "issuingDistributionPoint")?;
                check_scope(&point)?;
                self.scope = value.to_vec();
                self.distribution_point = Some(point);
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
}

/// RFC 5280 section 5.2.5: not an empty sequence, at most one of the "only" scopes.
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

/// RFC 5280 section 5.3: entry extensions.
fn check_entry(entry: &RevokedCertificate, indirect: bool) -> Result<(), String> {
    let mut seen = Vec::new();
    for extension in entry.extensions.iter().flatten() {
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

fn non_critical(extension: &Extension, name: &str, section: &str) -> Result<(), String> {
    if extension.critical {
        return Err(format!("{name} marked critical (RFC 5280 {section})"));
    }
    Ok(())
}

fn decode<'a, T: Decode<'a>>(value: &'a [u8], name: &str) -> Result<T, String> {
    T::from_der(value).map_err(|error| format!("malformed {name} extension: {error}"))
}

#[cfg(test)]
mod tests {
    use der::Encode;
    use der::asn1::{BitString, UtcTime};
    use x509_cert::certificate::Raw;
    use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
    use x509_cert::serial_number::SerialNumber;
    use x509_cert::spki::AlgorithmIdentifierOwned;
    use x509_cert::time::Time;

    use super::*;

    /// A CRL (unsigned: `parse` does not check signatures) revoking one serial number of
    /// `length` content octets.
    fn crl_revoking(length: usize) -> Vec<u8> {
        let mut integer = vec![0x02, u8::try_from(length).unwrap(), 0x01];
        integer.resize(2 + length, 0x5a);
        let time = Time::UtcTime(
            UtcTime::from_unix_duration(core::time::Duration::from_secs(1_790_000_000)).unwrap(),
        );
        let algorithm = AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11"),
            parameters: None,
        };
        CertificateList::<Raw> {
            tbs_cert_list: TbsCertList {
                version: x509_cert::certificate::Version::V2,
                signature: algorithm.clone(),
                issuer: x509_cert::name::Name::default(),
                this_update: time,
                next_update: None,
                revoked_certificates: Some(vec![RevokedCert {
                    serial_number: SerialNumber::<Raw>::from_der(&integer).unwrap(),
                    revocation_date: time,
                    crl_entry_extensions: None,
                }]),
                crl_extensions: None,
            },
            signature_algorithm: algorithm,
            signature: BitString::from_bytes(&[0; 8]).unwrap(),
        }
        .to_der()
        .unwrap()
    }

    /// The CRLs decoded as before (x509-cert's RFC 5280 profile) are the CRLs decoded now:
    /// revoked serial numbers up to 21 octets, not 22.
    #[test]
    fn refuses_the_serial_numbers_the_rfc5280_profile_refuses() {
        for length in [1, 20, 21, 22, 23, 40] {
            let der = crl_revoking(length);
            let rfc5280 = CertificateList::<x509_cert::certificate::Rfc5280>::from_der(&der);
            let parsed = ParsedCrl::parse(&der);
            assert_eq!(parsed.is_some(), length <= 21, "{length} octets");
            assert_eq!(parsed.is_some(), rfc5280.is_ok(), "{length} octets");
            if let Some(crl) = parsed {
                let entry = &crl.list.revoked[0];
                assert_eq!(
                    entry.serial.as_slice(),
                    rfc5280.unwrap().tbs_cert_list.revoked_certificates.unwrap()[0]
                        .serial_number
                        .as_bytes()
                );
            }
        }
    }
}

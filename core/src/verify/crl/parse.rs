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
//!
//! The extensions are read with the core's DER reader as `x509-cert`'s decoders read them
//! (cRLNumber as an unsigned INTEGER, authorityKeyIdentifier, issuingDistributionPoint with its
//! IMPLICIT and EXPLICIT tags, reasonCode as an ENUMERATED): the tests compare the decoded CRLs
//! with the `x509-cert` reading they replace (`parse_before.rs`) on the corpora and every
//! one-byte change and truncation.

use const_oid::ObjectIdentifier;

use crate::UnixTime;
use crate::asn1::read::{self, Class, Reader, Tlv};
use crate::x509::extensions::check_reason_flags;
use crate::x509::{Crl, ExtensionRef, RevokedCertificate};

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
/// `CRLReason ::= ENUMERATED { ..., removeFromCRL (8), ... }` in DER: the one reason that
/// does not revoke (RFC 5280 5.3.1).
const REMOVE_FROM_CRL: [u8; 3] = [0x0a, 0x01, 0x08];

/// The scope an issuingDistributionPoint gives a CRL (RFC 5280 section 5.2.5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Scope {
    pub(super) has_distribution_point: bool,
    pub(super) only_contains_user_certs: bool,
    pub(super) only_contains_ca_certs: bool,
    pub(super) has_only_some_reasons: bool,
    pub(super) indirect_crl: bool,
    pub(super) only_contains_attribute_certs: bool,
}

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
    pub(super) distribution_point: Option<Scope>,
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
        let mut crls = Vec::new();
        for item in items {
            if seen.insert(item.der.as_slice()) {
                crls.extend(Self::parse(&item.der));
            }
        }
        crls
    }

    pub(crate) fn parse(der: &[u8]) -> Option<Self> {
        let list = crate::x509::crl::parse(der).ok()?;
        // What x509-cert's RFC 5280 profile refuses in a CRL (`Profile::check_serial_number`,
        // its only check on decoding): a revoked serial number longer than 21 octets.
        if list
            .revoked()
            .any(|entry| entry.serial.len() > MAX_SERIAL_LEN)
        {
            return None;
        }
        let mut crl = Self {
            issuer: comparable_name(&list.issuer()),
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
        if list.tbs_signature_der() != list.signature_algorithm_der() {
            return Err("signature algorithms differ (RFC 5280 5.1.1.2)".to_owned());
        }
        let extensions = list.extensions().unwrap_or_default();
        let mut seen = Vec::with_capacity(extensions.len());
        let mut decoded = Decoded::default();
        let result = extensions.iter().try_for_each(|extension| {
            if seen.contains(&extension.oid) {
                return Err(format!(
                    "extension {} appears twice (RFC 5280 5.2)",
                    extension.oid
                ));
            }
            seen.push(extension.oid);
            decoded.extension(extension)
        });
        // What was decoded before a problem still decides whether the CRL covers a certificate
        // (and so whether its defect is reported).
        self.number = decoded.number;
        self.authority_key_identifier = decoded.authority_key_identifier;
        self.distribution_point = decoded.distribution_point;
        self.scope = decoded.scope;
        result?;
        if !seen.contains(&CRL_NUMBER) {
            return Err("no cRLNumber extension (RFC 5280 5.2.3)".to_owned());
        }
        let indirect = self.is_indirect();
        for entry in self.list.revoked() {
            check_entry(&entry, indirect)?;
        }
        Ok(())
    }
}

/// What the CRL extensions say, as they are decoded.
#[derive(Default)]
struct Decoded {
    number: Vec<u8>,
    authority_key_identifier: Option<Vec<u8>>,
    distribution_point: Option<Scope>,
    scope: Vec<u8>,
}

impl Decoded {
    fn extension(&mut self, extension: &ExtensionRef<'_>) -> Result<(), String> {
        let (oid, value, critical) = (extension.oid, extension.value, extension.critical);
        match oid {
            CRL_NUMBER => {
                non_critical(extension, "cRLNumber", "5.2.3")?;
                let bytes = decode(value, "cRLNumber", Reader::unsigned)?;
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
                let identifier = decode(value, "authorityKeyIdentifier", |reader| {
                    reader.read_sequence(read_authority_key_identifier)
                })?;
                self.authority_key_identifier = identifier.map(<[u8]>::to_vec);
            }
            ISSUING_DISTRIBUTION_POINT => {
                if !critical {
                    return Err(
                        "issuingDistributionPoint not marked critical (RFC 5280 5.2.5)".to_owned(),
                    );
                }
                let point = decode(value, "issuingDistributionPoint", |reader| {
                    reader.read_sequence(read_issuing_distribution_point)
                })?;
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

/// `AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL,
/// authorityCertIssuer [1] IMPLICIT GeneralNames OPTIONAL, authorityCertSerialNumber [2]
/// IMPLICIT CertificateSerialNumber OPTIONAL }`'s fields as `x509-cert` reads them (IMPLICIT
/// tags keep the base encoding's form; the serial number as its RFC 5280 profile: minimal, at
/// most 21 octets): the keyIdentifier.
fn read_authority_key_identifier<'a>(fields: &mut Reader<'a>) -> read::Result<Option<&'a [u8]>> {
    let key_identifier = fields.optional_context(0, false)?.map(|tlv| tlv.contents);
    if let Some(names) = fields.optional_context(1, true)? {
        general_names(&names)?;
    }
    if let Some(serial) = fields.optional_context(2, false)? {
        let minimal = match serial.contents {
            [] => false,
            [0x00, next, ..] => next & 0x80 != 0,
            [0xff, next, ..] => next & 0x80 == 0,
            _ => true,
        };
        if !minimal || serial.contents.len() > MAX_SERIAL_LEN {
            return Err(read::DerError {
                offset: serial.offset,
                expected: "a serial number (a minimal INTEGER of at most 21 octets)",
            });
        }
    }
    Ok(key_identifier)
}

/// ```text
/// IssuingDistributionPoint ::= SEQUENCE {
///      distributionPoint          [0] DistributionPointName OPTIONAL,
///      onlyContainsUserCerts      [1] BOOLEAN DEFAULT FALSE,
///      onlyContainsCACerts        [2] BOOLEAN DEFAULT FALSE,
///      onlySomeReasons            [3] ReasonFlags OPTIONAL,
///      indirectCRL                [4] BOOLEAN DEFAULT FALSE,
///      onlyContainsAttributeCerts [5] BOOLEAN DEFAULT FALSE }
/// ```
/// as `x509-cert` reads it: `[0] EXPLICIT` around the CHOICE of `[0] IMPLICIT GeneralNames` and
/// `[1] IMPLICIT RelativeDistinguishedName`, IMPLICIT BOOLEANs (an explicit FALSE accepted),
/// ReasonFlags as `der`'s flag set (at most 16 bits).
fn read_issuing_distribution_point(fields: &mut Reader<'_>) -> read::Result<Scope> {
    let mut scope = Scope::default();
    if let Some(mut choice) = fields.optional_explicit(0)? {
        let tlv = choice.tlv()?;
        choice.finish()?;
        match (tlv.tag.class, tlv.tag.number, tlv.tag.constructed) {
            (Class::ContextSpecific, 0, true) => general_names(&tlv)?,
            (Class::ContextSpecific, 1, true) => {
                crate::x509::name::read_rdn(&mut tlv.reader()?)?;
            }
            _ => {
                return Err(read::DerError {
                    offset: tlv.offset,
                    expected: "a DistributionPointName",
                });
            }
        }
        scope.has_distribution_point = true;
    }
    scope.only_contains_user_certs = implicit_boolean(fields, 1)?;
    scope.only_contains_ca_certs = implicit_boolean(fields, 2)?;
    if let Some(reasons) = fields.optional_context(3, false)? {
        check_reason_flags(&reasons)?;
        scope.has_only_some_reasons = true;
    }
    scope.indirect_crl = implicit_boolean(fields, 4)?;
    scope.only_contains_attribute_certs = implicit_boolean(fields, 5)?;
    Ok(scope)
}

/// An optional `[number] IMPLICIT BOOLEAN DEFAULT FALSE` (DER contents 0x00 or 0xFF).
fn implicit_boolean(fields: &mut Reader<'_>, number: u32) -> read::Result<bool> {
    match fields.optional_context(number, false)? {
        None => Ok(false),
        Some(tlv) => match tlv.contents {
            [0x00] => Ok(false),
            [0xff] => Ok(true),
            _ => Err(read::DerError {
                offset: tlv.offset,
                expected: "a BOOLEAN of 0x00 or 0xFF",
            }),
        },
    }
}

/// An IMPLICIT GeneralNames' contents: each GeneralName as the certificates' readers take it.
fn general_names(tlv: &Tlv<'_>) -> read::Result<()> {
    let mut list = tlv.reader()?;
    while !list.is_empty() {
        crate::x509::general_name::read_general_name(&mut list)?;
    }
    Ok(())
}

/// RFC 5280 section 5.2.5: not an empty sequence, at most one of the "only" scopes.
fn check_scope(point: &Scope) -> Result<(), String> {
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
    let empty = !point.has_distribution_point
        && !point.has_only_some_reasons
        && !point.indirect_crl
        && only.iter().all(|flag| !flag);
    if empty {
        return Err("empty issuingDistributionPoint (RFC 5280 5.2.5)".to_owned());
    }
    Ok(())
}

/// RFC 5280 section 5.3: entry extensions.
fn check_entry(entry: &RevokedCertificate<'_>, indirect: bool) -> Result<(), String> {
    // Most entries have one extension or none: a list only from the second on.
    let (mut first, mut seen) = (None, Vec::new());
    for ref extension in entry.extensions_iter() {
        if first == Some(extension.oid) || seen.contains(&extension.oid) {
            return Err(format!(
                "entry extension {} appears twice (RFC 5280 5.3)",
                extension.oid
            ));
        }
        match first {
            None => first = Some(extension.oid),
            Some(_) => seen.push(extension.oid),
        }
        match extension.oid {
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

/// Whether an entry's reasonCode is removeFromCRL (RFC 5280 5.3.1), as `x509-cert`'s `CrlReason`
/// read it: an ENUMERATED of 8 in DER and nothing after it.
pub(super) fn removed_from_crl(entry: &RevokedCertificate<'_>) -> bool {
    entry
        .extension(&REASON_CODE)
        .is_some_and(|extension| extension.value == REMOVE_FROM_CRL)
}

fn non_critical(extension: &ExtensionRef<'_>, name: &str, section: &str) -> Result<(), String> {
    if extension.critical {
        return Err(format!("{name} marked critical (RFC 5280 {section})"));
    }
    Ok(())
}

/// `value` (an extnValue's contents) read whole by `read`.
fn decode<'a, T>(
    value: &'a [u8],
    name: &str,
    read: impl FnOnce(&mut Reader<'a>) -> read::Result<T>,
) -> Result<T, String> {
    read::parse(value, read).map_err(|error| format!("malformed {name} extension: {error}"))
}

#[cfg(test)]
mod tests {
    use der::asn1::{BitString, UtcTime};
    use der::{Decode, Encode};
    use x509_cert::certificate::Raw;
    use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
    use x509_cert::serial_number::SerialNumber;
    use x509_cert::spki::AlgorithmIdentifierOwned;
    use x509_cert::time::Time;

    use super::super::parse_before::{self, Summary};
    use super::*;

    /// What `parse_before::summary` gives, from the CRL decoded now.
    fn summary(der: &[u8]) -> Option<Summary> {
        let crl = ParsedCrl::parse(der)?;
        let mut entries = Vec::new();
        let mut entry_issuer = crl.issuer.clone();
        for entry in crl.list.revoked() {
            if crl.is_indirect() {
                if let Some(named) = super::super::certificate_issuer(&entry) {
                    entry_issuer = named;
                }
            }
            entries.push((
                entry.serial.to_vec(),
                entry_issuer.clone(),
                !removed_from_crl(&entry),
            ));
        }
        let signature = (
            (crl.list.signature_unused_bits() == 0).then(|| crl.list.signature().to_vec()),
            crl.list.signature_algorithm_der().to_vec(),
            crl.list.tbs_der().to_vec(),
        );
        Some(Summary {
            issuer: crl.issuer,
            number: crl.number,
            authority_key_identifier: crl.authority_key_identifier,
            distribution_point: crl.distribution_point,
            scope: crl.scope,
            this_update: crl.this_update,
            next_update: crl.next_update,
            defect: crl.defect,
            entries,
            signature,
        })
    }

    /// Both decoded or both refused; when decoded, the same summary (a malformed extension's
    /// message names the reader's error instead of `der`'s). Whether `der` was decoded.
    fn same_as_before(der: &[u8]) -> bool {
        match (summary(der), parse_before::summary(der)) {
            (None, None) => false,
            (Some(mut new), Some(old)) => {
                if let (Some(new_defect), Some(old_defect)) = (&new.defect, &old.defect) {
                    if old_defect.starts_with("malformed ") {
                        let name =
                            |text: &str| text.split(" extension:").next().unwrap_or("").to_owned();
                        assert_eq!(name(new_defect), name(old_defect), "{der:02x?}");
                        new.defect = old.defect.clone();
                    }
                }
                assert_eq!(new, old, "{der:02x?}");
                true
            }
            (new, old) => panic!("{der:02x?}: now {new:?}, before {old:?}"),
        }
    }

    /// The verifier's reading of every corpus CRL, and of every one-byte change and truncation
    /// of them, is the reading with `x509-cert` it replaces: same CRLs kept, same defects, same
    /// scopes, numbers, key identifiers and entries (serial, issuer, removed or not).
    #[test]
    fn decodes_every_corpus_crl_and_change_as_before() {
        let corpus = crate::x509::crl::tests::corpus();
        let mut defects = 0;
        for der in &corpus {
            assert!(same_as_before(der), "a corpus CRL is refused");
            defects += usize::from(ParsedCrl::parse(der).unwrap().defect.is_some());
        }
        let changed = crate::x509::test_corpus::one_byte_changes(
            corpus.clone(),
            1,
            &[0x00, 0x01, 0x02, 0x08, 0x0a, 0x7f, 0x80, 0x81, 0xa0, 0xff],
            &[0x01, 0x04, 0x80],
        );
        let decoded = changed.iter().filter(|der| same_as_before(der)).count();
        eprintln!(
            "{} corpus CRLs ({defects} with a defect), {decoded} of {} changed ones decoded",
            corpus.len(),
            changed.len()
        );
        assert!(defects > 10 && defects < corpus.len(), "{defects}");
        assert!(decoded > 1_000 && decoded < changed.len(), "{decoded}");
    }

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
                let entry = crl.list.revoked().next().unwrap();
                assert_eq!(
                    entry.serial,
                    rfc5280.unwrap().tbs_cert_list.revoked_certificates.unwrap()[0]
                        .serial_number
                        .as_bytes()
                );
            }
        }
    }

    /// A callgrind workload (`valgrind --tool=callgrind --toggle-collect='*ParsedCrl*parse*'
    /// <lib test binary> --ignored --exact verify::crl::parse::tests::parse_workload`): the
    /// DER CRL at `MTLSKIT_CRL_WORKLOAD` (BENCHMARKS.md "Lean wasm": 20,000 entries from
    /// `openssl ca -gencrl`) decoded 5 times.
    #[test]
    #[ignore = "a callgrind workload: set MTLSKIT_CRL_WORKLOAD to a DER CRL"]
    fn parse_workload() {
        let path = std::env::var("MTLSKIT_CRL_WORKLOAD").expect("MTLSKIT_CRL_WORKLOAD");
        let der = std::fs::read(path).unwrap();
        for _ in 0..5 {
            let crl = ParsedCrl::parse(std::hint::black_box(&der)).unwrap();
            assert!(crl.defect.is_none(), "{:?}", crl.defect);
            std::hint::black_box(crl);
        }
    }
}

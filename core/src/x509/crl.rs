//! X.509 CRLs (RFC 5280 section 5.1) read with the core's DER reader ([`crate::asn1::read`]):
//! [`Crl`] keeps the CRL's DER and where each part of it is; the issuer, the extensions and the
//! entries' extensions are read as the core's [`NameRef`] and [`ExtensionRef`]s from those bytes.
//!
//! What [`parse`] accepts is what `x509_cert::crl::CertificateList<Raw>` accepted for the same
//! bytes, with the same values (checked on the corpora and on every one-byte change and
//! truncation in this module's tests): a required version, names and extensions as the
//! certificates' readers take them, the signature BIT STRING as `der` read one (padding bits
//! not checked), and times in their DER forms from 1970 on. RFC 5280 (5.1.2.4, 5.1.2.6) reads
//! a UTCTime of 50 to 69 as 1950 to 1969, but `der`'s `DateTime` (which `x509-cert` decoded
//! into) starts in 1970 and refused them, as the certificate readers still do
//! (`x509::certificate`, `verify::certificate`): a CRL dated before 1970 is refused with them.

use core::ops::Range;

use const_oid::ObjectIdentifier;

use super::name::{NameRef, read_name};
use super::{ExtensionRef, OwnedDer, range_in, read_extension, read_time as time};
use crate::asn1::read::{self, Reader, Tag};
use crate::{Error, UnixTime};

const STRUCTURE: &str = "CRL";

/// An X.509 CRL, decoded without profile checks, owning its DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crl {
    der: OwnedDer,
    /// The version field's value (0: v1, 1: v2, 2: v3; the field is required here as it
    /// was by `x509-cert`).
    pub version: u8,
    /// thisUpdate.
    pub this_update: UnixTime,
    /// nextUpdate, when present.
    pub next_update: Option<UnixTime>,
    tbs: Range<usize>,
    tbs_signature: Range<usize>,
    issuer: Range<usize>,
    revoked: Vec<Entry>,
    /// The `Extensions` SEQUENCE inside `[0] EXPLICIT`.
    extensions: Option<Range<usize>>,
    signature_algorithm: Range<usize>,
    signature_oid: ObjectIdentifier,
    signature: Range<usize>,
    signature_unused_bits: u8,
}

/// Where one revoked entry's parts are in the CRL's DER.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    serial: Range<usize>,
    revocation_date: UnixTime,
    /// The `Extensions` SEQUENCE.
    extensions: Option<Range<usize>>,
}

/// One entry of a CRL's revokedCertificates, borrowing the CRL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevokedCertificate<'a> {
    /// The serial number's INTEGER contents (minimal two's complement).
    pub serial: &'a [u8],
    /// revocationDate.
    pub revocation_date: UnixTime,
    /// The crlEntryExtensions SEQUENCE's whole TLV, when present.
    extensions: Option<&'a [u8]>,
}

impl<'a> RevokedCertificate<'a> {
    /// The entry's extensions in order (`None` without the field; read when the CRL was
    /// parsed, so never refused here).
    pub fn extensions(&self) -> Option<Vec<ExtensionRef<'a>>> {
        self.extensions.map(read_all_extensions)
    }

    /// The entry's extensions in order, one by one (none without the field).
    pub fn extensions_iter(&self) -> impl Iterator<Item = ExtensionRef<'a>> + use<'a> {
        self.extensions.into_iter().flat_map(iter_extensions)
    }

    /// The first entry extension of type `oid`.
    pub fn extension(&self, oid: &ObjectIdentifier) -> Option<ExtensionRef<'a>> {
        self.extensions_iter()
            .find(|extension| extension.oid == *oid)
    }
}

impl Crl {
    /// The whole CRL, as received.
    pub fn der(&self) -> &[u8] {
        self.der.all()
    }

    /// The signed `TBSCertList`, byte for byte as received.
    pub fn tbs_der(&self) -> &[u8] {
        self.der.part(&self.tbs)
    }

    /// tbsCertList's signature AlgorithmIdentifier, as received.
    pub fn tbs_signature_der(&self) -> &[u8] {
        self.der.part(&self.tbs_signature)
    }

    /// The issuer's DER, as received.
    pub fn issuer_der(&self) -> &[u8] {
        self.der.part(&self.issuer)
    }

    /// The issuer (read when the CRL was parsed, so never refused here).
    pub fn issuer(&self) -> NameRef<'_> {
        self.der.name(&self.issuer)
    }

    /// The revoked certificates, in order (none without the field).
    pub fn revoked(&self) -> impl ExactSizeIterator<Item = RevokedCertificate<'_>> + '_ {
        self.revoked.iter().map(|entry| RevokedCertificate {
            serial: self.der.part(&entry.serial),
            revocation_date: entry.revocation_date,
            extensions: entry.extensions.as_ref().map(|range| self.der.part(range)),
        })
    }

    /// The CRL's extensions in order (`None` without the field).
    pub fn extensions(&self) -> Option<Vec<ExtensionRef<'_>>> {
        self.extensions
            .as_ref()
            .map(|range| read_all_extensions(self.der.part(range)))
    }

    /// The signature's DER AlgorithmIdentifier (the outer one), as received.
    pub fn signature_algorithm_der(&self) -> &[u8] {
        self.der.part(&self.signature_algorithm)
    }

    /// The signature algorithm's OID.
    pub fn signature_algorithm_oid(&self) -> &ObjectIdentifier {
        &self.signature_oid
    }

    /// The signature BIT STRING's bytes.
    pub fn signature(&self) -> &[u8] {
        self.der.part(&self.signature)
    }

    /// The signature BIT STRING's unused bits (0 in every usable CRL).
    pub fn signature_unused_bits(&self) -> u8 {
        self.signature_unused_bits
    }
}

/// `Extensions` read by [`parse`] before: read again, never refused (empty otherwise).
fn read_all_extensions(der: &[u8]) -> Vec<ExtensionRef<'_>> {
    read::parse(der, super::read_extensions).unwrap_or_default()
}

/// The extensions of `der`, an `Extensions` read by [`parse`] before, one by one.
fn iter_extensions(der: &[u8]) -> impl Iterator<Item = ExtensionRef<'_>> {
    let mut list = Reader::new(der).sequence().ok();
    core::iter::from_fn(move || {
        let list = list.as_mut()?;
        match list.is_empty() {
            true => None,
            false => list.read_sequence(read_extension).ok(),
        }
    })
}

/// Reads `Extensions` as [`super::read_extensions`] does, without collecting them.
fn check_extensions(der: &[u8]) -> read::Result<()> {
    read::parse(der, |reader| {
        let mut list = reader.sequence()?;
        while !list.is_empty() {
            list.read_sequence(read_extension)?;
        }
        Ok(())
    })
}

/// Parses one DER-encoded CRL.
pub fn parse(der: &[u8]) -> Result<Crl, Error> {
    read_crl(der).map_err(|error| error.into_error(STRUCTURE))
}

fn read_crl(der: &[u8]) -> read::Result<Crl> {
    let mut outer = Reader::new(der);
    let mut list = outer.sequence()?;
    outer.finish()?;
    let tbs = list.expect(Tag::SEQUENCE, "a TBSCertList (SEQUENCE)")?;
    let mut fields = tbs.reader()?;
    let version = version(&mut fields)?;
    let tbs_signature = fields.algorithm()?;
    let issuer = read_name(&mut fields)?.der;
    let this_update = time(&mut fields)?;
    let next_update = match fields.peek_tag()? {
        Some(Tag::UTC_TIME | Tag::GENERALIZED_TIME) => Some(time(&mut fields)?),
        _ => None,
    };
    let mut revoked = Vec::new();
    if let Some(entries) = fields.optional(Tag::SEQUENCE)? {
        let mut entries = entries.reader()?;
        while !entries.is_empty() {
            revoked.push(entries.read_sequence(|fields| revoked_certificate(der, fields))?);
        }
    }
    let extensions = match fields.optional_explicit(0)? {
        Some(mut explicit) => {
            let value = explicit.expect(Tag::SEQUENCE, "Extensions (SEQUENCE)")?;
            explicit.finish()?;
            check_extensions(value.whole)?;
            Some(range_in(der, value.whole))
        }
        None => None,
    };
    fields.finish()?;
    let algorithm = list.algorithm()?;
    let signature_oid = checked_oid(&list, algorithm.oid)?;
    let (signature_unused_bits, signature) = list.bit_string_any_padding()?;
    list.finish()?;
    Ok(Crl {
        version,
        this_update,
        next_update,
        tbs: range_in(der, tbs.whole),
        tbs_signature: range_in(der, tbs_signature.whole),
        issuer: range_in(der, issuer),
        revoked,
        extensions,
        signature_algorithm: range_in(der, algorithm.whole),
        signature_oid,
        signature: range_in(der, signature),
        signature_unused_bits,
        der: OwnedDer::new(der),
    })
}

/// An AlgorithmIdentifier's OID as `const-oid` takes it.
fn checked_oid(reader: &Reader<'_>, oid: &[u8]) -> read::Result<ObjectIdentifier> {
    read::object_identifier(oid).ok_or_else(|| reader.error("a valid OBJECT IDENTIFIER"))
}

/// `Version ::= INTEGER { v1(0), v2(1), v3(2) }`, required.
fn version(reader: &mut Reader<'_>) -> read::Result<u8> {
    let value = reader.integer()?;
    match value {
        [number @ 0..=2] => Ok(*number),
        _ => Err(reader.error("a version of 0, 1 or 2")),
    }
}

fn revoked_certificate(der: &[u8], reader: &mut Reader<'_>) -> read::Result<Entry> {
    let serial = reader.integer()?;
    let revocation_date = time(reader)?;
    let extensions = match reader.optional(Tag::SEQUENCE)? {
        Some(value) => {
            check_extensions(value.whole)?;
            Some(range_in(der, value.whole))
        }
        None => None,
    };
    Ok(Entry {
        serial: range_in(der, serial),
        revocation_date,
        extensions,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use der::{Decode, Encode};
    use x509_cert::certificate::Raw;
    use x509_cert::crl::CertificateList;

    use super::*;

    /// The CRLs of the limbo suite, of the fuzz corpus (PKITS, Python's test CRL, mtlskit's
    /// own), of `openssl ca -gencrl` (`verify/crl/testdata`: reasons, invalidity dates, hold
    /// instructions, an issuingDistributionPoint, a delta CRL) and made in the verifier's tests
    /// (indirect CRLs with certificateIssuer entries, every IDP scope, critical extensions).
    pub(crate) fn corpus() -> Vec<Vec<u8>> {
        let mut pems = Vec::new();
        let limbo = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/conformance/limbo/limbo-dev.json"
        );
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(limbo).expect("the suite")).unwrap();
        collect_pem(&json, &mut pems);
        let mut ders = Vec::new();
        for folder in [
            concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/inspect"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/verify/crl/testdata"),
        ] {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|extension| extension == "crl") {
                    let bytes = std::fs::read(&path).unwrap();
                    match bytes.starts_with(b"-----") {
                        true => pems.push(bytes),
                        false => ders.push(bytes),
                    }
                }
            }
        }
        ders.extend(
            pems.iter()
                .flat_map(|pem| crate::decode::blocks(pem).unwrap().into_iter().flatten())
                .map(|block| block.der),
        );
        ders.extend(made());
        ders
    }

    fn collect_pem(value: &serde_json::Value, into: &mut Vec<Vec<u8>>) {
        match value {
            serde_json::Value::String(text) if text.contains("-----BEGIN X509 CRL") => {
                into.push(text.as_bytes().to_vec());
            }
            serde_json::Value::Array(items) => {
                items.iter().for_each(|item| collect_pem(item, into))
            }
            serde_json::Value::Object(fields) => {
                fields.values().for_each(|item| collect_pem(item, into));
            }
            _ => {}
        }
    }

    type Parts = Vec<(ObjectIdentifier, bool, Vec<u8>)>;

    fn old_extensions(extensions: Option<&x509_cert::ext::Extensions>) -> Option<Parts> {
        extensions.map(|list| {
            list.iter()
                .map(|extension| {
                    (
                        extension.extn_id,
                        extension.critical,
                        extension.extn_value.as_bytes().to_vec(),
                    )
                })
                .collect()
        })
    }

    fn new_extensions(extensions: Option<Vec<ExtensionRef<'_>>>) -> Option<Parts> {
        extensions.map(|list| {
            list.iter()
                .map(|extension| (extension.oid, extension.critical, extension.value.to_vec()))
                .collect()
        })
    }

    /// One TLV with a short or long definite length.
    fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match contents.len() {
            length @ 0..=127 => out.push(length as u8),
            length @ 128..=255 => out.extend([0x81, length as u8]),
            length => out.extend([0x82, (length >> 8) as u8, length as u8]),
        }
        out.extend_from_slice(contents);
        out
    }

    fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        tlv(0x30, &parts.concat())
    }

    /// An Extension: extnID (dotted), critical when `critical` (encoded), extnValue.
    fn ext(oid: &str, critical: Option<bool>, value: &[u8]) -> Vec<u8> {
        let oid = ObjectIdentifier::new_unwrap(oid);
        let mut parts = vec![tlv(0x06, oid.as_bytes())];
        if let Some(flag) = critical {
            parts.push(tlv(0x01, &[if flag { 0xff } else { 0x00 }]));
        }
        parts.push(tlv(0x04, value));
        seq(&parts)
    }

    /// A CRL (signature of zeros: parsing does not check it) of `version` (`None`: v1 without
    /// the field is not DER-valid here; always present), with `entries` (whole
    /// revokedCertificates omitted when `None`) and CRL `extensions` (`[0]` omitted when `None`).
    fn crl(
        version: u8,
        times: &[Vec<u8>],
        entries: Option<&[Vec<u8>]>,
        extensions: Option<&[Vec<u8>]>,
        outer_algorithm: &[u8],
    ) -> Vec<u8> {
        let algorithm = seq(&[tlv(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02])]);
        let issuer = seq(&[
            tlv(
                0x31,
                &seq(&[tlv(0x06, &[0x55, 0x04, 0x06]), tlv(0x13, b"XX")]),
            ),
            tlv(
                0x31,
                &[
                    seq(&[tlv(0x06, &[0x55, 0x04, 0x0a]), tlv(0x0c, b"mtlskit")]),
                    seq(&[tlv(0x06, &[0x55, 0x04, 0x03]), tlv(0x0c, b"CRL CA")]),
                ]
                .concat(),
            ),
        ]);
        let mut tbs = vec![tlv(0x02, &[version]), algorithm.clone(), issuer];
        tbs.extend(times.iter().cloned());
        if let Some(entries) = entries {
            tbs.push(seq(entries));
        }
        if let Some(extensions) = extensions {
            tbs.push(tlv(0xa0, &seq(extensions)));
        }
        let outer = match outer_algorithm {
            [] => algorithm,
            other => other.to_vec(),
        };
        seq(&[seq(&tbs), outer, tlv(0x03, &[0; 9])])
    }

    fn entry(serial: &[u8], extensions: Option<&[Vec<u8>]>) -> Vec<u8> {
        let mut parts = vec![tlv(0x02, serial), utc(b"260101000000Z")];
        if let Some(extensions) = extensions {
            parts.push(seq(extensions));
        }
        seq(&parts)
    }

    fn utc(text: &[u8]) -> Vec<u8> {
        tlv(0x17, text)
    }

    /// CRLs made here with what the corpora lack: every reason code, invalidity dates,
    /// indirect CRLs with certificateIssuer entries, every issuingDistributionPoint scope,
    /// delta CRLs, critical and duplicate extensions, GeneralizedTime dates, empty lists.
    pub(crate) fn made() -> Vec<Vec<u8>> {
        let times = [utc(b"260101000000Z"), utc(b"270101000000Z")];
        let number = |n: &[u8]| ext("2.5.29.20", None, &tlv(0x02, n));
        let aki = ext("2.5.29.35", None, &seq(&[tlv(0x80, &[0x11; 20])]));
        let uri = tlv(0x86, b"http://crl.example/ca.crl");
        let directory = |cn: &[u8]| {
            tlv(
                0xa4,
                &seq(&[tlv(
                    0x31,
                    &seq(&[tlv(0x06, &[0x55, 0x04, 0x03]), tlv(0x0c, cn)]),
                )]),
            )
        };
        let idp = |fields: &[Vec<u8>], critical: bool| {
            ext(
                "2.5.29.28",
                Some(critical).filter(|flag| *flag),
                &seq(fields),
            )
        };
        let yes = |tag: u8| tlv(tag, &[0xff]);
        let reason = |code: u8| ext("2.5.29.21", None, &tlv(0x0a, &[code]));
        let invalidity = ext("2.5.29.24", None, &tlv(0x18, b"20251231120000Z"));
        let hold = ext(
            "2.5.29.23",
            None,
            &tlv(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x02, 0x01]),
        );
        let issuer_entry = |cn: &[u8], critical: bool| {
            ext(
                "2.5.29.29",
                Some(critical).filter(|flag| *flag),
                &seq(&[directory(cn)]),
            )
        };
        let base = [number(&[0x01]), aki.clone()];
        let with =
            |extra: Vec<Vec<u8>>| -> Vec<Vec<u8>> { base.iter().cloned().chain(extra).collect() };
        let plain_entries = [entry(&[0x01], None), entry(&[0x00, 0x80, 0x01], None)];
        let mut made = vec![crl(1, &times, Some(&plain_entries), Some(&base), &[])];
        // every reason code, invalidity dates and hold instructions
        let reasons: Vec<Vec<u8>> = (0..=10u8)
            .map(|code| entry(&[code + 2], Some(&[reason(code), invalidity.clone()])))
            .chain([entry(&[0x20], Some(&[hold.clone(), reason(6)]))])
            .chain([entry(&[0x21], Some(&[]))])
            .collect();
        made.push(crl(1, &times, Some(&reasons), Some(&base), &[]));
        // issuingDistributionPoint scopes
        let scopes: Vec<Vec<Vec<u8>>> = vec![
            vec![tlv(0xa0, &tlv(0xa0, &uri))],
            vec![tlv(0xa0, &tlv(0xa0, &uri)), yes(0x81)],
            vec![yes(0x82)],
            vec![tlv(0x83, &[0x07, 0x80])],
            vec![yes(0x84)],
            vec![yes(0x85)],
            vec![yes(0x81), yes(0x82)],
            vec![],
            vec![tlv(
                0xa0,
                &tlv(
                    0xa1,
                    &seq(&[tlv(0x06, &[0x55, 0x04, 0x03]), tlv(0x0c, b"part")]),
                ),
            )],
            vec![tlv(0x81, &[0x00])],
        ];
        for fields in &scopes {
            made.push(crl(
                1,
                &times,
                Some(&plain_entries),
                Some(&with(vec![idp(fields, true)])),
                &[],
            ));
        }
        made.push(crl(
            1,
            &times,
            Some(&plain_entries),
            Some(&with(vec![idp(&scopes[0], false)])),
            &[],
        ));
        // indirect CRLs: entries of other issuers
        let indirect_entries = [
            entry(&[0x01], None),
            entry(&[0x02], Some(&[issuer_entry(b"Other CA", true)])),
            entry(&[0x03], None),
            entry(&[0x04], Some(&[issuer_entry(b"Third CA", true), reason(8)])),
            entry(&[0x05], Some(&[issuer_entry(b"Fourth CA", false)])),
        ];
        made.push(crl(
            1,
            &times,
            Some(&indirect_entries),
            Some(&with(vec![idp(&[yes(0x84)], true)])),
            &[],
        ));
        made.push(crl(
            1,
            &times,
            Some(&indirect_entries[..4]),
            Some(&base),
            &[],
        ));
        // delta CRLs, other CRL extensions, criticality, duplicates
        for extra in [
            vec![ext("2.5.29.27", Some(true), &tlv(0x02, &[0x01]))],
            vec![ext(
                "2.5.29.46",
                None,
                &seq(&[seq(&[tlv(0xa0, &tlv(0xa0, &uri))])]),
            )],
            vec![ext("1.3.6.1.5.5.7.1.1", Some(true), &seq(&[]))],
            vec![ext(
                "2.5.29.18",
                Some(true),
                &seq(std::slice::from_ref(&uri)),
            )],
            vec![ext("1.2.3.4", Some(true), &[0x05, 0x00])],
            vec![ext("1.2.3.4", Some(false), &[0x05, 0x00])],
            vec![number(&[0x02])],
        ] {
            made.push(crl(
                1,
                &times,
                Some(&plain_entries),
                Some(&with(extra)),
                &[],
            ));
        }
        made.push(crl(
            1,
            &times,
            None,
            Some(&[ext("2.5.29.20", Some(true), &tlv(0x02, &[0x01]))]),
            &[],
        ));
        made.push(crl(1, &times, None, Some(&[number(&[0x01; 21])]), &[]));
        made.push(crl(1, &times, None, Some(&[number(&[0x00, 0xff])]), &[]));
        made.push(crl(1, &times, None, Some(std::slice::from_ref(&aki)), &[]));
        made.push(crl(
            1,
            &times,
            Some(&[entry(
                &[0x01],
                Some(&[ext("1.2.3.5", Some(true), &[0x05, 0x00])]),
            )]),
            Some(&base),
            &[],
        ));
        made.push(crl(
            1,
            &times,
            Some(&[entry(&[0x01], Some(&[reason(1), reason(1)]))]),
            Some(&base),
            &[],
        ));
        // versions, missing and GeneralizedTime dates, empty lists, other algorithms
        let generalized = [tlv(0x18, b"20260101000000Z"), tlv(0x18, b"20500101000000Z")];
        made.push(crl(0, &times[..1], None, None, &[]));
        made.push(crl(1, &generalized, Some(&[]), Some(&[]), &[]));
        made.push(crl(1, &times[..1], Some(&plain_entries), Some(&base), &[]));
        made.push(crl(
            1,
            &times,
            Some(&plain_entries),
            Some(&base),
            &seq(&[
                tlv(
                    0x06,
                    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
                ),
                tlv(0x05, &[]),
            ]),
        ));
        made
    }

    /// The new reading next to `x509_cert`'s: both accept or both refuse, and when both
    /// accept every field is the same.
    pub(crate) fn same_as_x509_cert(der: &[u8]) -> bool {
        let old = CertificateList::<Raw>::from_der(der);
        let new = parse(der);
        let (old, new) = match (old, new) {
            (Err(_), Err(error)) => {
                assert_eq!(error.code(), "InvalidDer");
                return false;
            }
            (Ok(old), Ok(new)) => (old, new),
            (old, new) => panic!("{der:02x?}: x509-cert {old:?}, core {new:?}"),
        };
        let tbs = &old.tbs_cert_list;
        assert_eq!(tbs.version as u8, new.version);
        assert_eq!(tbs.signature.to_der().unwrap(), new.tbs_signature_der());
        // x509-cert sorts each RDN's attributes on decoding, as `NameRef` does.
        let issuer = new.issuer();
        let old_issuer = crate::x509::name::AsName::with_name(&tbs.issuer, |name| {
            name.rdns
                .iter()
                .map(|rdn| rdn.iter().map(|a| (a.oid, a.value_der.to_vec())).collect())
                .collect::<Vec<Vec<_>>>()
        });
        let new_issuer: Vec<Vec<_>> = issuer
            .rdns
            .iter()
            .map(|rdn| rdn.iter().map(|a| (a.oid, a.value_der.to_vec())).collect())
            .collect();
        assert_eq!(old_issuer, new_issuer);
        assert_eq!(UnixTime::from_x509(&tbs.this_update), new.this_update);
        assert_eq!(
            tbs.next_update.as_ref().map(UnixTime::from_x509),
            new.next_update
        );
        let entries: Vec<_> = tbs.revoked_certificates.iter().flatten().collect();
        assert_eq!(entries.len(), new.revoked().len());
        for (old, new) in entries.iter().zip(new.revoked()) {
            assert_eq!(old.serial_number.as_bytes(), new.serial);
            assert_eq!(
                UnixTime::from_x509(&old.revocation_date),
                new.revocation_date
            );
            assert_eq!(
                old_extensions(old.crl_entry_extensions.as_ref()),
                new_extensions(new.extensions())
            );
        }
        assert_eq!(
            old_extensions(tbs.crl_extensions.as_ref()),
            new_extensions(new.extensions())
        );
        assert_eq!(
            old.signature_algorithm.to_der().unwrap(),
            new.signature_algorithm_der()
        );
        assert_eq!(old.signature_algorithm.oid, *new.signature_algorithm_oid());
        assert_eq!(old.signature.raw_bytes(), new.signature());
        assert_eq!(old.signature.unused_bits(), new.signature_unused_bits());
        // The TBSCertList as received; x509-cert's re-encoding is that only when no SET OF
        // had to be sorted (a multi-valued RDN out of DER order is accepted and re-sorted).
        if old.to_der().unwrap() == der {
            assert_eq!(tbs.to_der().unwrap(), new.tbs_der());
        }
        assert!(der.ends_with(new.signature()) && new.tbs_der().len() < der.len());
        true
    }

    #[test]
    fn reads_the_corpus_as_x509_cert_does() {
        let corpus = corpus();
        assert!(corpus.len() >= 40, "{} CRLs", corpus.len());
        for der in &corpus {
            assert!(
                same_as_x509_cert(der),
                "a corpus CRL is refused: {der:02x?}"
            );
        }
    }

    #[test]
    fn accepts_and_refuses_every_one_byte_change_as_x509_cert_does() {
        let changed = crate::x509::test_corpus::one_byte_changes(
            corpus(),
            1,
            &[
                0x00, 0x01, 0x02, 0x05, 0x17, 0x18, 0x7f, 0x80, 0x81, 0xa0, 0xff,
            ],
            &[0x01, 0x20, 0x80],
        );
        let accepted = changed.iter().filter(|der| same_as_x509_cert(der)).count();
        // Both sides refuse most changes and accept some (changed signatures, names, times).
        eprintln!(
            "{accepted} of {} changed CRLs accepted by both",
            changed.len()
        );
        assert!(
            accepted > 1_000 && accepted < changed.len(),
            "{accepted} of {}",
            changed.len()
        );
    }

    /// A UTCTime of 1950 to 1969 (RFC 5280 5.1.2.4 reads "50" as 1950) is refused, as
    /// `x509-cert` refused it (`der`'s `DateTime` starts in 1970); 1970 and a GeneralizedTime
    /// of 2050 are read.
    #[test]
    fn reads_times_from_1970_as_x509_cert_did() {
        let template = made().remove(0);
        // The first UTCTime (thisUpdate): 13 content octets `YYMMDDHHMMSSZ`.
        let at = template
            .windows(2)
            .position(|pair| pair == [0x17, 0x0d])
            .unwrap();
        for (year, accepted, seconds) in [
            (b"50", false, None),
            (b"69", false, None),
            (b"70", true, Some(0)),
            (b"49", true, Some(2_493_072_000)),
        ] {
            let mut der = template.clone();
            der[at + 2..at + 15].copy_from_slice(b"700101000000Z");
            der[at + 2..at + 4].copy_from_slice(year);
            assert_eq!(same_as_x509_cert(&der), accepted, "{year:?}");
            let parsed = parse(&der);
            assert_eq!(parsed.is_ok(), accepted);
            if let (Ok(crl), Some(seconds)) = (parsed, seconds) {
                assert_eq!(crl.this_update, UnixTime(seconds));
            }
        }
    }
}

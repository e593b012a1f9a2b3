//! One X.509 certificate (RFC 5280 section 4.1) read by the core's DER reader, borrowing its
//! DER: what inspection reads certificates as when the plain walk (`plain_certificate`) does
//! not take them.
//!
//! ```text
//! Certificate  ::=  SEQUENCE  { tbsCertificate TBSCertificate, signatureAlgorithm
//!      AlgorithmIdentifier, signatureValue BIT STRING  }
//! TBSCertificate  ::=  SEQUENCE  {
//!      version         [0]  EXPLICIT Version DEFAULT v1,
//!      serialNumber         CertificateSerialNumber,
//!      signature            AlgorithmIdentifier,
//!      issuer               Name,
//!      validity             Validity,
//!      subject              Name,
//!      subjectPublicKeyInfo SubjectPublicKeyInfo,
//!      issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
//!      subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
//!      extensions      [3]  EXPLICIT Extensions OPTIONAL }
//! ```
//!
//! It accepts what `x509-cert`'s `Certificate` with the `Raw` profile accepts for the same bytes
//! and reads the same values (the tests compare the two on the corpora and every one-byte
//! change and truncation): no profile checks (serial numbers of any length and sign, any
//! version 1 to 3 whatever the fields, an explicit v1), times from 1970 (as `der` reads them),
//! BIT STRINGs with any padding bits, any algorithm parameters.

use core::ops::Range;

use const_oid::ObjectIdentifier;

use super::name::{NameRef, read_name};
use super::{ExtensionRef, OwnedDer, range_in, read_extensions, read_time as time};
use crate::asn1::read::{self, AlgorithmIdentifier, DerError, Reader};
use crate::crypto::{SpkiRef, read_spki};
use crate::{Error, UnixTime};

/// `x509-cert`'s certificate with the `Raw` profile: what the public certificate type was
/// before the core's reader, kept as the tests' oracle.
#[cfg(test)]
pub(crate) type CertificateBefore =
    x509_cert::certificate::CertificateInner<x509_cert::certificate::Raw>;

/// [`CertificateBefore`] decoded from `der`: the oracle of [`parse`] and [`Certificate::parse`].
#[cfg(test)]
pub(crate) fn parse_before(der: &[u8]) -> der::Result<CertificateBefore> {
    der::Decode::from_der(der)
}

/// A certificate, borrowing its DER.
#[derive(Debug, Clone)]
pub(crate) struct CertificateRef<'a> {
    /// 1, 2 or 3.
    pub(crate) version: u8,
    /// The serialNumber INTEGER's contents (minimal two's complement).
    pub(crate) serial: &'a [u8],
    pub(crate) issuer: NameRef<'a>,
    pub(crate) not_before: UnixTime,
    pub(crate) not_after: UnixTime,
    pub(crate) subject: NameRef<'a>,
    pub(crate) spki: SpkiRef<'a>,
    /// The extensions; `None` when the field is absent.
    pub(crate) extensions: Option<Vec<ExtensionRef<'a>>>,
    /// signatureAlgorithm (outside tbsCertificate).
    pub(crate) signature_algorithm: AlgorithmIdentifier<'a>,
    /// The whole tbsCertificate TLV.
    pub(crate) tbs: &'a [u8],
    /// signatureValue: its unused bits and its bytes.
    pub(crate) signature: (u8, &'a [u8]),
}

/// Reads all of `der` as one certificate.
pub(crate) fn parse(der: &[u8]) -> read::Result<CertificateRef<'_>> {
    read::parse(der, |reader| {
        reader.read_sequence(|certificate| {
            let whole = certificate.expect(read::Tag::SEQUENCE, "a SEQUENCE")?;
            let mut fields = whole.reader()?;
            let mut tbs = read_tbs(&mut fields, whole.whole)?;
            fields.finish()?;
            tbs.signature_algorithm = certificate.algorithm()?;
            tbs.signature = certificate.bit_string_any_padding()?;
            Ok(tbs)
        })
    })
}

fn read_tbs<'a>(fields: &mut Reader<'a>, whole: &'a [u8]) -> read::Result<CertificateRef<'a>> {
    let version = match fields.optional_context(0, true)? {
        Some(tlv) => {
            let mut inner = tlv.reader()?;
            let offset = tlv.offset;
            let number = inner.u64()?;
            inner.finish()?;
            match u8::try_from(number) {
                Ok(number @ 0..=2) => number + 1,
                _ => {
                    return Err(DerError {
                        offset,
                        expected: "a version of v1, v2 or v3",
                    });
                }
            }
        }
        None => 1,
    };
    let serial = fields.integer()?;
    let signature = fields.algorithm()?;
    let issuer = read_name(fields)?;
    let (not_before, not_after) = fields.read_sequence(|validity| {
        let not_before = time(validity)?;
        Ok((not_before, time(validity)?))
    })?;
    let subject = read_name(fields)?;
    let spki = read_spki(fields)?;
    for number in [1, 2] {
        if let Some(unique_id) = fields.optional_context(number, false)? {
            unique_identifier(&unique_id)?;
        }
    }
    let extensions = match fields.optional_explicit(3)? {
        Some(mut inner) => {
            let list = read_extensions(&mut inner)?;
            inner.finish()?;
            Some(list)
        }
        None => None,
    };
    Ok(CertificateRef {
        version,
        serial,
        issuer,
        not_before,
        not_after,
        subject,
        spki,
        extensions,
        // Replaced by the outer one ([`parse`]); the inner copy is not reported.
        signature_algorithm: signature,
        tbs: whole,
        signature: (0, &[]),
    })
}

/// A UniqueIdentifier (an IMPLICIT BIT STRING) as `der` reads one: 0..7 unused bits, none
/// when empty, padding bits not checked.
fn unique_identifier(tlv: &read::Tlv<'_>) -> read::Result<()> {
    match tlv.contents.split_first() {
        Some((&unused, bits)) if unused <= 7 && !(bits.is_empty() && unused != 0) => Ok(()),
        _ => Err(DerError {
            offset: tlv.offset,
            expected: "a UniqueIdentifier (BIT STRING)",
        }),
    }
}

impl CertificateRef<'_> {
    /// Whether the issuer and subject are the same name (the same attributes in the same RDNs,
    /// each RDN's in DER SET OF order).
    pub(crate) fn same_names(&self) -> bool {
        self.issuer.rdns == self.subject.rdns
    }
}

/// An X.509 certificate (RFC 5280 section 4.1) parsed without profile checks
/// ([`crate::x509::parse_certificate`]): its DER and where its fields are in it.
///
/// It accepts what [`CertificateRef`] accepts: what `x509-cert`'s `Certificate` with the `Raw`
/// profile accepts (serial numbers of any length and sign, times from 1970, BIT STRINGs with
/// any padding bits, any algorithm parameters, duplicate extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    der: OwnedDer,
    version: u8,
    not_before: UnixTime,
    not_after: UnixTime,
    tbs: Range<usize>,
    serial: Range<usize>,
    issuer: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
    extensions: Option<Vec<(ObjectIdentifier, bool, Range<usize>)>>,
    signature_algorithm: Range<usize>,
    signature_unused_bits: u8,
    signature: Range<usize>,
}

impl Certificate {
    /// Parses all of `der` as one certificate (the error: [`Error::InvalidDer`]).
    pub fn parse(der: &[u8]) -> Result<Self, Error> {
        let parsed = parse(der).map_err(|error| error.into_error("certificate"))?;
        Ok(Self::from_ref(der, &parsed))
    }

    /// The owned certificate of `parsed`, read from `der`.
    pub(crate) fn from_ref(der: &[u8], parsed: &CertificateRef<'_>) -> Self {
        let at = |part: &[u8]| range_in(der, part);
        Self {
            der: OwnedDer::new(der),
            version: parsed.version,
            not_before: parsed.not_before,
            not_after: parsed.not_after,
            tbs: at(parsed.tbs),
            serial: at(parsed.serial),
            issuer: at(parsed.issuer.der),
            subject: at(parsed.subject.der),
            spki: at(parsed.spki.whole),
            extensions: parsed.extensions.as_ref().map(|list| {
                list.iter()
                    .map(|extension| (extension.oid, extension.critical, at(extension.value)))
                    .collect()
            }),
            signature_algorithm: at(parsed.signature_algorithm.whole),
            signature_unused_bits: parsed.signature.0,
            signature: at(parsed.signature.1),
        }
    }

    /// The whole certificate, as parsed.
    pub fn der(&self) -> &[u8] {
        self.der.all()
    }

    /// The whole tbsCertificate TLV (what the signature covers).
    pub fn tbs_der(&self) -> &[u8] {
        self.der.part(&self.tbs)
    }

    /// The version: 1, 2 or 3.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The serialNumber INTEGER's contents (two's complement, as encoded).
    pub fn serial(&self) -> &[u8] {
        self.der.part(&self.serial)
    }

    /// The issuer name.
    pub fn issuer(&self) -> NameRef<'_> {
        self.der.name(&self.issuer)
    }

    /// The subject name.
    pub fn subject(&self) -> NameRef<'_> {
        self.der.name(&self.subject)
    }

    /// notBefore.
    pub fn not_before(&self) -> UnixTime {
        self.not_before
    }

    /// notAfter.
    pub fn not_after(&self) -> UnixTime {
        self.not_after
    }

    /// The whole SubjectPublicKeyInfo TLV, as encoded.
    pub fn spki_der(&self) -> &[u8] {
        self.der.part(&self.spki)
    }

    /// Whether the extensions field is present (possibly empty).
    pub fn has_extensions(&self) -> bool {
        self.extensions.is_some()
    }

    /// The extensions in order (none when the field is absent; duplicates kept).
    pub fn extensions(&self) -> impl Iterator<Item = ExtensionRef<'_>> + '_ {
        self.extensions
            .iter()
            .flatten()
            .map(|(oid, critical, value)| ExtensionRef {
                oid: *oid,
                critical: *critical,
                value: self.der.part(value),
            })
    }

    /// The extension `oid`, if present; [`Error::InvalidDer`] when it appears more than once
    /// (as `x509-cert`'s `get_extension` refused it).
    pub fn extension(&self, oid: &ObjectIdentifier) -> Result<Option<ExtensionRef<'_>>, Error> {
        self.unique_extension(oid, "extensions")
    }

    /// [`Certificate::extension`], its error for `structure`.
    pub(crate) fn unique_extension(
        &self,
        oid: &ObjectIdentifier,
        structure: &'static str,
    ) -> Result<Option<ExtensionRef<'_>>, Error> {
        let mut found = self.extensions().filter(|extension| extension.oid == *oid);
        let first = found.next();
        if found.next().is_some() {
            return Err(Error::InvalidDer {
                structure,
                detail: "the extension appears more than once".to_owned(),
            });
        }
        Ok(first)
    }

    /// The whole signatureAlgorithm TLV (outside tbsCertificate).
    pub fn signature_algorithm_der(&self) -> &[u8] {
        self.der.part(&self.signature_algorithm)
    }

    /// signatureValue: its unused bits and its bytes.
    pub fn signature(&self) -> (u8, &[u8]) {
        (self.signature_unused_bits, self.der.part(&self.signature))
    }
}

#[cfg(test)]
mod tests {
    use der::Encode;

    use super::*;
    use crate::x509::test_corpus;

    /// The certificates of the corpora and one-byte changes and truncations of some of them.
    fn inputs() -> Vec<Vec<u8>> {
        let certificates =
            test_corpus::certificates(&["limbo-dev.json", "bettertls-pathbuilding-dev.json"]);
        let mut inputs = certificates.clone();
        inputs.extend(test_corpus::one_byte_changes(
            certificates,
            61,
            &[
                0x00, 0x01, 0x02, 0x30, 0x31, 0x80, 0x81, 0x84, 0xa0, 0xa3, 0xff,
            ],
            &[0x01, 0x20, 0x80],
        ));
        inputs
    }

    /// `Certificate::parse` accepts what `x509-cert` (`Raw` profile) accepted, with the same
    /// fields: names as `x509-cert` re-encoded them, the key, times, extensions (present or not,
    /// in order), signature; it refuses the rest with `InvalidDer`.
    #[test]
    fn certificates_read_as_x509_cert_read_them() {
        let inputs = inputs();
        let mut accepted = 0;
        for der in &inputs {
            match (Certificate::parse(der), parse_before(der)) {
                (Err(error), Err(_)) => assert_eq!(error.code(), "InvalidDer"),
                (Ok(new), Ok(old)) => {
                    accepted += 1;
                    let tbs = old.tbs_certificate();
                    assert_eq!(new.der(), &der[..]);
                    assert_eq!(new.version(), tbs.version() as u8 + 1);
                    assert_eq!(new.serial(), tbs.serial_number().as_bytes());
                    assert_eq!(new.issuer().to_der(), tbs.issuer().to_der().unwrap());
                    assert_eq!(new.subject().to_der(), tbs.subject().to_der().unwrap());
                    assert_eq!(
                        crate::x509::name::rfc4514(&new.subject()),
                        crate::x509::name::rfc4514(tbs.subject())
                    );
                    assert_eq!(
                        new.spki_der(),
                        tbs.subject_public_key_info().to_der().unwrap()
                    );
                    let validity = tbs.validity();
                    assert_eq!(new.not_before(), UnixTime::from_x509(&validity.not_before));
                    assert_eq!(new.not_after(), UnixTime::from_x509(&validity.not_after));
                    assert_eq!(new.has_extensions(), tbs.extensions().is_some());
                    let old_extensions: Vec<_> = tbs
                        .extensions()
                        .into_iter()
                        .flatten()
                        .map(|e| (e.extn_id, e.critical, e.extn_value.as_bytes().to_vec()))
                        .collect();
                    let new_extensions: Vec<_> = new
                        .extensions()
                        .map(|e| (e.oid, e.critical, e.value.to_vec()))
                        .collect();
                    assert_eq!(new_extensions, old_extensions);
                    assert_eq!(
                        new.signature_algorithm_der(),
                        old.signature_algorithm().to_der().unwrap()
                    );
                    let signature = old.signature();
                    assert_eq!(
                        new.signature(),
                        (signature.unused_bits(), signature.raw_bytes())
                    );
                    let parts = crate::x509::sequence_elements(der).unwrap();
                    assert_eq!(Some(&new.tbs_der()), parts.first());
                }
                (new, old) => panic!("{der:02x?}: now {new:?}, x509-cert {old:?}"),
            }
        }
        eprintln!("{accepted} of {} accepted by both", inputs.len());
        assert!(accepted > 2000 && accepted < inputs.len());
    }

    /// What issuance reads of a certificate is what it read with `x509-cert` (its RFC 5280
    /// profile and `get_extension`): the same certificates accepted, the same
    /// basicConstraints, keyUsage keyCertSign, key identifiers, the same failures.
    #[test]
    fn issuance_reads_certificates_as_x509_cert_did() {
        use crate::issue::bundle;
        use x509_cert::ext::pkix::{
            AuthorityKeyIdentifier, BasicConstraints, KeyUsage, SubjectKeyIdentifier,
        };
        let inputs = inputs();
        let (mut accepted, mut with_constraints) = (0, 0);
        for der in &inputs {
            let old = <x509_cert::Certificate as der::Decode>::from_der(der);
            let new = bundle::parse_rfc5280(der);
            let (new, old) = match (new, old) {
                (Err(error), Err(_)) => {
                    assert_eq!(error.code(), "InvalidDer");
                    continue;
                }
                (Ok(new), Ok(old)) => (new, old),
                (new, old) => panic!("{der:02x?}: now {new:?}, x509-cert {old:?}"),
            };
            accepted += 1;
            let tbs = old.tbs_certificate();
            let constraints = tbs.get_extension::<BasicConstraints>();
            match (bundle::basic_constraints(&new), &constraints) {
                (Ok(new), Ok(old)) => {
                    with_constraints += usize::from(new.is_some());
                    assert_eq!(
                        new,
                        old.as_ref().map(|(_, bc)| (bc.ca, bc.path_len_constraint))
                    );
                }
                (Err(error), Err(_)) => assert_eq!(error.code(), "InvalidDer"),
                (new, old) => panic!("{der:02x?}: now {new:?}, x509-cert {old:?}"),
            }
            match (bundle::key_cert_sign(&new), tbs.get_extension::<KeyUsage>()) {
                (Ok(new), Ok(old)) => {
                    assert_eq!(new, old.map(|(_, usage)| usage.key_cert_sign()));
                }
                (Err(error), Err(_)) => assert_eq!(error.code(), "InvalidDer"),
                (new, old) => panic!("{der:02x?}: now {new:?}, x509-cert {old:?}"),
            }
            match (
                bundle::subject_key_identifier(&new),
                tbs.get_extension::<SubjectKeyIdentifier>(),
            ) {
                (Ok(new), Ok(old)) => {
                    assert_eq!(new, old.as_ref().map(|(_, ski)| ski.0.as_bytes()));
                }
                (Err(error), Err(_)) => assert_eq!(error.code(), "InvalidDer"),
                (new, old) => panic!("{der:02x?}: now {new:?}, x509-cert {old:?}"),
            }
            let old_authority = tbs
                .get_extension::<AuthorityKeyIdentifier>()
                .ok()
                .flatten()
                .and_then(|(_, aki)| aki.key_identifier.map(|id| id.as_bytes().to_vec()));
            assert_eq!(bundle::authority_key_id(&new), old_authority, "{der:02x?}");
        }
        eprintln!(
            "{accepted} of {} accepted by both, {with_constraints} with basicConstraints",
            inputs.len()
        );
        assert!(accepted > 2000 && with_constraints > 1000);
    }
}

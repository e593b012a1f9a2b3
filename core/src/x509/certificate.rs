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

use super::name::{NameRef, read_name};
use super::{ExtensionRef, read_extensions};
use crate::UnixTime;
use crate::asn1::read::{self, AlgorithmIdentifier, DerError, Reader};
use crate::crypto::{SpkiRef, read_spki};

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
}

/// Reads all of `der` as one certificate.
pub(crate) fn parse(der: &[u8]) -> read::Result<CertificateRef<'_>> {
    read::parse(der, |reader| {
        reader.read_sequence(|certificate| {
            let mut tbs = certificate.read_sequence(read_tbs)?;
            tbs.signature_algorithm = certificate.algorithm()?;
            certificate.bit_string_any_padding()?;
            Ok(tbs)
        })
    })
}

fn read_tbs<'a>(fields: &mut Reader<'a>) -> read::Result<CertificateRef<'a>> {
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
    })
}

/// A UTCTime or GeneralizedTime as `der` reads one: its DER form, from 1970 on.
fn time(reader: &mut Reader<'_>) -> read::Result<UnixTime> {
    let error = reader.error("a time from 1970 on");
    let time = reader.time()?;
    if time.seconds() < 0 {
        return Err(error);
    }
    Ok(time)
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

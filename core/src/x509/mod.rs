//! Typed X.509 values: certificates, names, extensions, keys and algorithm names.
//!
//! Certificates are read as leniently as RustCrypto's `x509-cert` with its `Raw` profile reads
//! them, accepting what real certificates contain (over-long serial numbers, unusual time
//! encodings) so that inspection can show it; whether such a certificate is *valid* is
//! `verify`'s question, not this module's. Inspection reads them with the core's own DER reader
//! (`certificate::CertificateRef`), and so does the public owned [`Certificate`]
//! ([`parse_certificate`]) that issuance and the native binary use.
//! CRLs ([`crl`]) and CSRs ([`parse_csr`]) are read with the core's own DER reader (`asn1::read`),
//! and so are names ([`name`]), general names ([`general_name`]) and every extension report
//! ([`extensions`]).

pub mod algorithm;
pub(crate) mod certificate;
pub mod crl;
pub(crate) mod csr;
pub mod display_name;
pub mod extensions;
pub mod general_name;
pub mod name;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod plain_certificate;
// Only the native fast walk (`plain_certificate`) reads with it.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod plain_der;
pub mod public_key;
#[cfg(test)]
mod shared_tests;
#[cfg(test)]
pub(crate) mod test_corpus;

use std::borrow::Cow;

use crate::{Error, asn1};

pub use certificate::Certificate;
pub use crl::{Crl, RevokedCertificate};
pub use csr::Csr;

/// A structure's DER, owned, whose parts are found again by their ranges ([`range_in`], taken
/// when it was read): what [`Certificate`], [`Csr`] and [`Crl`] keep.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct OwnedDer(Vec<u8>);

impl OwnedDer {
    pub(crate) fn new(der: &[u8]) -> Self {
        Self(der.to_vec())
    }

    /// All of it.
    pub(crate) fn all(&self) -> &[u8] {
        &self.0
    }

    /// The part at `range` (empty if out of bounds, which the readers never produce).
    pub(crate) fn part(&self, range: &core::ops::Range<usize>) -> &[u8] {
        self.0.get(range.clone()).unwrap_or_default()
    }

    /// The Name at `range`, which the reader read (an empty name if it no longer reads).
    pub(crate) fn name(&self, range: &core::ops::Range<usize>) -> name::NameRef<'_> {
        let der = self.part(range);
        asn1::read::parse(der, name::read_name).unwrap_or(name::NameRef {
            der,
            rdns: Vec::new(),
        })
    }
}

impl core::fmt::Debug for OwnedDer {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.fmt(formatter)
    }
}

/// Where `part` (a sub-slice of `whole`) is in `whole`.
pub(crate) fn range_in(whole: &[u8], part: &[u8]) -> core::ops::Range<usize> {
    let start = part.as_ptr().addr().wrapping_sub(whole.as_ptr().addr());
    start..start.saturating_add(part.len())
}

/// One Extension (RFC 5280 section 4.1), borrowing its DER: what the core reads extensions
/// as ([`read_extensions`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtensionRef<'a> {
    /// extnID.
    pub oid: const_oid::ObjectIdentifier,
    /// critical (DEFAULT FALSE; an explicit FALSE is accepted, as `x509-cert` accepts it).
    pub critical: bool,
    /// extnValue's contents.
    pub value: &'a [u8],
}

/// Reads `Extensions` (a SEQUENCE OF Extension) at the reader's cursor. Accepts what
/// `x509-cert`'s decoder accepts for the same bytes (the tests compare them on the corpora and
/// every one-byte change): an empty list, `critical` encoded explicitly as FALSE, any extnValue.
pub(crate) fn read_extensions<'a>(
    reader: &mut asn1::read::Reader<'a>,
) -> asn1::read::Result<Vec<ExtensionRef<'a>>> {
    let mut list = reader.sequence()?;
    let mut extensions = Vec::with_capacity(10);
    while !list.is_empty() {
        extensions.push(list.read_sequence(read_extension)?);
    }
    Ok(extensions)
}

/// One `Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }`'s fields.
pub(crate) fn read_extension<'a>(
    fields: &mut asn1::read::Reader<'a>,
) -> asn1::read::Result<ExtensionRef<'a>> {
    let oid = fields.object_identifier()?;
    let critical = match fields.peek_tag()? {
        Some(asn1::read::Tag::BOOLEAN) => fields.boolean()?,
        _ => false,
    };
    let value = fields.octet_string()?;
    Ok(ExtensionRef {
        oid,
        critical,
        value,
    })
}

/// A UTCTime or GeneralizedTime as `der` (and `x509-cert`'s `Time`) read one: its DER form,
/// from 1970 on.
pub(crate) fn read_time(
    reader: &mut asn1::read::Reader<'_>,
) -> asn1::read::Result<crate::UnixTime> {
    let error = reader.error("a time from 1970 on");
    let time = reader.time()?;
    if time.seconds() < 0 {
        return Err(error);
    }
    Ok(time)
}

/// Parses one DER-encoded certificate.
pub fn parse_certificate(der: &[u8]) -> Result<Certificate, Error> {
    Certificate::parse(der)
}

/// Parses one DER-encoded CSR.
pub fn parse_csr(der: &[u8]) -> Result<Csr, Error> {
    csr::parse(der)
}

/// Parses one DER-encoded CRL.
pub fn parse_crl(der: &[u8]) -> Result<Crl, Error> {
    crl::parse(der)
}

/// The encodings (tag, length and value, byte for byte as received) of the elements of the
/// DER SEQUENCE that is the whole of `der`. Used where bytes must stay exactly as they came:
/// the signed part of a CSR, a name copied into a certificate.
pub fn sequence_elements(der: &[u8]) -> Result<Vec<&[u8]>, Error> {
    read_sequence_elements(der).map_err(|error| error.into_error("SEQUENCE"))
}

fn read_sequence_elements(der: &[u8]) -> asn1::read::Result<Vec<&[u8]>> {
    asn1::read::parse(der, |reader| {
        let mut inner = reader.sequence()?;
        let mut elements = Vec::with_capacity(8);
        while !inner.is_empty() {
            elements.push(inner.tlv()?.whole);
        }
        Ok(elements)
    })
}

/// The issuer and subject names of a DER certificate, byte for byte as encoded.
pub fn raw_issuer_and_subject(der: &[u8]) -> Result<(&[u8], &[u8]), Error> {
    let invalid = |detail: &str| Error::InvalidDer {
        structure: "certificate",
        detail: detail.to_owned(),
    };
    let certificate =
        read_sequence_elements(der).map_err(|error| error.into_error("certificate"))?;
    let tbs = certificate
        .first()
        .ok_or_else(|| invalid("no tbsCertificate"))?;
    let fields = read_sequence_elements(tbs).map_err(|error| error.into_error("certificate"))?;
    // [0] version (absent in version 1), serialNumber, signature, issuer, validity, subject
    let skip = usize::from(fields.first().and_then(|field| field.first()) == Some(&0xa0));
    match fields.get(skip + 2..skip + 5) {
        Some([issuer, _validity, subject]) => Ok((issuer, subject)),
        _ => Err(invalid("too few tbsCertificate fields")),
    }
}

/// A DER SEQUENCE of already encoded elements (the inverse of [`sequence_elements`]). Fails
/// past 256 MiB, as `der` did.
pub fn encode_sequence(elements: &[&[u8]]) -> Result<Vec<u8>, Error> {
    let length: usize = elements.iter().map(|element| element.len()).sum();
    if length > 0x0fff_ffff {
        return Err(Error::InvalidDer {
            structure: "SEQUENCE",
            detail: "longer than 256 MiB".to_owned(),
        });
    }
    let mut der = Vec::with_capacity(length + 6);
    asn1::write::header(&mut der, asn1::write::tag::SEQUENCE, length);
    for element in elements {
        der.extend_from_slice(element);
    }
    Ok(der)
}

/// The dotted text of `oid` (`2.5.4.3`): the same as its `Display`, which formats arc by arc
/// through `core::fmt` and was the largest share of formatting in inspecting a trust bundle.
pub fn dotted(oid: &const_oid::ObjectIdentifier) -> String {
    dotted_text(oid).into_owned()
}

/// [`dotted`], borrowed from a table for the OIDs that certificates usually hold (attribute
/// types, extensions, algorithms, key purposes, policies): what the inspection of a trust
/// bundle formats thousands of times.
pub(crate) fn dotted_text(oid: &const_oid::ObjectIdentifier) -> Cow<'static, str> {
    // Not in the browser module, whose bytes count more than this speed.
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(text) = known_dotted(oid.as_bytes()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(oid.as_bytes().len() * 3 + 2);
    for (index, arc) in oid.arcs().enumerate() {
        if index > 0 {
            out.push('.');
        }
        push_decimal(&mut out, arc);
    }
    Cow::Owned(out)
}

/// The table of [`dotted_text`]: DER contents and dotted text (a test checks each pair).
macro_rules! known_oids {
    ($([$($byte:literal),*] => $text:literal,)*) => {
        #[cfg(not(target_arch = "wasm32"))]
        fn known_dotted(bytes: &[u8]) -> Option<&'static str> {
            match bytes {
                $([$($byte),*] => Some($text),)*
                _ => None,
            }
        }

        #[cfg(test)]
        const KNOWN_OIDS: &[(&[u8], &str)] = &[$((&[$($byte),*], $text),)*];
    };
}

known_oids! {
    [0x55, 0x04, 0x03] => "2.5.4.3",
    [0x55, 0x04, 0x04] => "2.5.4.4",
    [0x55, 0x04, 0x05] => "2.5.4.5",
    [0x55, 0x04, 0x06] => "2.5.4.6",
    [0x55, 0x04, 0x07] => "2.5.4.7",
    [0x55, 0x04, 0x08] => "2.5.4.8",
    [0x55, 0x04, 0x09] => "2.5.4.9",
    [0x55, 0x04, 0x0a] => "2.5.4.10",
    [0x55, 0x04, 0x0b] => "2.5.4.11",
    [0x55, 0x04, 0x0c] => "2.5.4.12",
    [0x55, 0x04, 0x0d] => "2.5.4.13",
    [0x55, 0x04, 0x0f] => "2.5.4.15",
    [0x55, 0x04, 0x11] => "2.5.4.17",
    [0x55, 0x04, 0x2a] => "2.5.4.42",
    [0x55, 0x04, 0x2b] => "2.5.4.43",
    [0x55, 0x04, 0x2e] => "2.5.4.46",
    [0x55, 0x04, 0x61] => "2.5.4.97",
    [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "1.2.840.113549.1.9.1",
    [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01] => "0.9.2342.19200300.100.1.1",
    [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "0.9.2342.19200300.100.1.25",
    [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x01] => "1.3.6.1.4.1.311.60.2.1.1",
    [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x02] => "1.3.6.1.4.1.311.60.2.1.2",
    [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x03] => "1.3.6.1.4.1.311.60.2.1.3",
    [0x55, 0x1d, 0x0e] => "2.5.29.14",
    [0x55, 0x1d, 0x0f] => "2.5.29.15",
    [0x55, 0x1d, 0x10] => "2.5.29.16",
    [0x55, 0x1d, 0x11] => "2.5.29.17",
    [0x55, 0x1d, 0x12] => "2.5.29.18",
    [0x55, 0x1d, 0x13] => "2.5.29.19",
    [0x55, 0x1d, 0x1e] => "2.5.29.30",
    [0x55, 0x1d, 0x1f] => "2.5.29.31",
    [0x55, 0x1d, 0x20] => "2.5.29.32",
    [0x55, 0x1d, 0x21] => "2.5.29.33",
    [0x55, 0x1d, 0x23] => "2.5.29.35",
    [0x55, 0x1d, 0x24] => "2.5.29.36",
    [0x55, 0x1d, 0x25] => "2.5.29.37",
    [0x55, 0x1d, 0x2e] => "2.5.29.46",
    [0x55, 0x1d, 0x36] => "2.5.29.54",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01] => "1.3.6.1.5.5.7.1.1",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x03] => "1.3.6.1.5.5.7.1.3",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x0b] => "1.3.6.1.5.5.7.1.11",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x18] => "1.3.6.1.5.5.7.1.24",
    [0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02] => "1.3.6.1.4.1.11129.2.4.2",
    [0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x03] => "1.3.6.1.4.1.11129.2.4.3",
    [0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x01] => "2.16.840.1.113730.1.1",
    [0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x0d] => "2.16.840.1.113730.1.13",
    [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02] => "1.3.6.1.4.1.311.20.2",
    [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x15, 0x01] => "1.3.6.1.4.1.311.21.1",
    [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x15, 0x07] => "1.3.6.1.4.1.311.21.7",
    [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01] => "1.2.840.113549.1.1.1",
    [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02] => "1.2.840.113549.1.1.2",
    [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04] => "1.2.840.113549.1.1.4",
    [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05] => "1.2.840.113549.1.1.5",
    [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a] => "1.2.840.113549.1.1.10",
    [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b] => "1.2.840.113549.1.1.11",
    [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c] => "1.2.840.113549.1.1.12",
    [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d] => "1.2.840.113549.1.1.13",
    [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e] => "1.2.840.113549.1.1.14",
    [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01] => "1.2.840.10045.2.1",
    [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01] => "1.2.840.10045.4.1",
    [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02] => "1.2.840.10045.4.3.2",
    [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03] => "1.2.840.10045.4.3.3",
    [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04] => "1.2.840.10045.4.3.4",
    [0x2b, 0x65, 0x70] => "1.3.101.112",
    [0x2b, 0x65, 0x71] => "1.3.101.113",
    [0x2b, 0x65, 0x6e] => "1.3.101.110",
    [0x2b, 0x65, 0x6f] => "1.3.101.111",
    [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07] => "1.2.840.10045.3.1.7",
    [0x2b, 0x81, 0x04, 0x00, 0x22] => "1.3.132.0.34",
    [0x2b, 0x81, 0x04, 0x00, 0x23] => "1.3.132.0.35",
    [0x55, 0x1d, 0x25, 0x00] => "2.5.29.37.0",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01] => "1.3.6.1.5.5.7.3.1",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02] => "1.3.6.1.5.5.7.3.2",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03] => "1.3.6.1.5.5.7.3.3",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04] => "1.3.6.1.5.5.7.3.4",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08] => "1.3.6.1.5.5.7.3.8",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x09] => "1.3.6.1.5.5.7.3.9",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01] => "1.3.6.1.5.5.7.48.1",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02] => "1.3.6.1.5.5.7.48.2",
    [0x55, 0x1d, 0x20, 0x00] => "2.5.29.32.0",
    [0x67, 0x81, 0x0c, 0x01, 0x01] => "2.23.140.1.1",
    [0x67, 0x81, 0x0c, 0x01, 0x02, 0x01] => "2.23.140.1.2.1",
    [0x67, 0x81, 0x0c, 0x01, 0x02, 0x02] => "2.23.140.1.2.2",
    [0x67, 0x81, 0x0c, 0x01, 0x02, 0x03] => "2.23.140.1.2.3",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x01] => "1.3.6.1.5.5.7.2.1",
    [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x02] => "1.3.6.1.5.5.7.2.2",
}

fn push_decimal(out: &mut String, mut value: u32) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(slot) = digits.get_mut(start) {
            *slot = b'0' + (value % 10) as u8;
        }
        value /= 10;
        if value == 0 || start == 0 {
            break;
        }
    }
    for digit in digits.iter().skip(start) {
        out.push(char::from(*digit));
    }
}

/// Lowercase hexadecimal, no separators.
pub fn hex(bytes: &[u8]) -> String {
    // Digit by digit rather than `write!("{byte:02x}")`: formatting machinery per byte was a
    // visible share of inspecting a trust bundle (fingerprints, key identifiers, serials).
    let digit = |nibble: u8| char::from_digit(u32::from(nibble), 16).unwrap_or('0');
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(digit(byte >> 4));
        out.push(digit(byte & 0x0f));
    }
    out
}

/// A serial number (or any INTEGER's content octets) as lowercase hex without the leading
/// zero octet that DER adds to keep positive numbers positive; negative numbers get a `-` and
/// their magnitude, as `openssl x509 -serial` prints them.
pub fn integer_hex(content: &[u8]) -> String {
    let negative = content.first().is_some_and(|byte| byte & 0x80 != 0);
    if !negative {
        let trimmed = strip_leading_zeros(content);
        return if trimmed.is_empty() {
            "00".to_owned()
        } else {
            hex(trimmed)
        };
    }
    // Two's complement magnitude: invert and add one.
    let mut magnitude: Vec<u8> = content.iter().map(|byte| !byte).collect();
    for byte in magnitude.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            break;
        }
    }
    format!("-{}", hex(strip_leading_zeros(&magnitude)))
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|byte| **byte == 0).count();
    bytes.get(zeros..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_elements_round_trip_byte_for_byte() {
        // SEQUENCE { INTEGER 5, SEQUENCE { NULL }, OCTET STRING 'ab' }
        let der = [
            0x30, 0x0b, 0x02, 0x01, 0x05, 0x30, 0x02, 0x05, 0x00, 0x04, 0x02, 0x61, 0x62,
        ];
        let elements = sequence_elements(&der).unwrap();
        assert_eq!(elements, [&der[2..5], &der[5..9], &der[9..]]);
        assert_eq!(encode_sequence(&elements).unwrap(), der);
        assert!(sequence_elements(&der[..12]).is_err(), "truncated");
        assert!(
            sequence_elements(&[&der[..], &[0]].concat()).is_err(),
            "trailing data"
        );
        assert!(sequence_elements(&[0x31, 0x00]).is_err(), "not a SEQUENCE");
    }

    /// `der`'s reading before `asn1::read`, for the differential test.
    fn sequence_elements_before(der: &[u8]) -> der::Result<Vec<&[u8]>> {
        use der::{Reader, SliceReader};
        let mut reader = SliceReader::new(der)?;
        let elements = reader.sequence(|inner| {
            let mut elements = Vec::new();
            while !inner.is_finished() {
                elements.push(inner.tlv_bytes()?);
            }
            Ok::<_, der::Error>(elements)
        })?;
        reader.finish()?;
        Ok(elements)
    }

    /// The reader splits what `der` split, the same way, and refuses what it refused: the
    /// certificates of the corpora, their TBS parts and every one-byte change and truncation
    /// of some of them; the issuer and subject are the same bytes.
    #[test]
    fn sequence_elements_split_as_der_split() {
        let certificates =
            test_corpus::certificates(&["limbo-dev.json", "bettertls-pathbuilding-dev.json"]);
        let mut inputs = certificates.clone();
        inputs.extend(certificates.iter().filter_map(|der| {
            sequence_elements_before(der)
                .ok()?
                .first()
                .map(|tbs| tbs.to_vec())
        }));
        inputs.extend(test_corpus::one_byte_changes(
            certificates.clone(),
            97,
            &[0x00, 0x02, 0x30, 0x31, 0x80, 0x81, 0x84, 0xa0, 0xff],
            &[0x01, 0x20],
        ));
        let mut accepted = 0;
        for der in &inputs {
            let new = sequence_elements(der);
            match (new, sequence_elements_before(der)) {
                (Ok(new), Ok(old)) => {
                    assert_eq!(new, old);
                    accepted += 1;
                }
                (Err(error), Err(_)) => assert_eq!(error.code(), "InvalidDer"),
                (new, old) => panic!("{der:02x?}: now {new:?}, before {old:?}"),
            }
            let issuer_subject = raw_issuer_and_subject(der).ok();
            let before = sequence_elements_before(der).ok().and_then(|outer| {
                let fields = sequence_elements_before(outer.first()?).ok()?;
                let skip = usize::from(fields.first()?.first() == Some(&0xa0));
                match fields.get(skip + 2..skip + 5) {
                    Some([issuer, _, subject]) => Some((*issuer, *subject)),
                    _ => None,
                }
            });
            assert_eq!(issuer_subject, before, "{der:02x?}");
        }
        eprintln!("{accepted} of {} accepted by both", inputs.len());
        assert!(accepted > 2000 && accepted < inputs.len());
    }

    #[test]
    fn dotted_oids_read_as_their_display() {
        for text in [
            "2.5.4.3",
            "0.9.2342.19200300.100.1.25",
            "1.3.6.1.4.1.311.60.2.1.3",
            "2.5.29.32.0",
            "1.2.4294967295",
        ] {
            let oid = der::asn1::ObjectIdentifier::new_unwrap(text);
            assert_eq!(dotted(&oid), oid.to_string());
            assert_eq!(dotted(&oid), text);
        }
    }

    #[test]
    fn the_table_of_dotted_oids_is_right() {
        for (bytes, text) in KNOWN_OIDS {
            let oid = der::asn1::ObjectIdentifier::from_bytes(bytes).unwrap();
            assert_eq!(oid.to_string(), *text);
            assert_eq!(dotted(&oid), *text);
        }
        let unknown = der::asn1::ObjectIdentifier::new_unwrap("1.2.3.4.5");
        assert_eq!(dotted(&unknown), "1.2.3.4.5");
    }

    #[test]
    fn integers_print_like_openssl() {
        assert_eq!(integer_hex(&[0x00, 0x8f, 0x01]), "8f01");
        assert_eq!(integer_hex(&[0x00]), "00");
        assert_eq!(integer_hex(&[0x0a, 0x1b]), "0a1b");
        assert_eq!(integer_hex(&[0xff]), "-01");
        assert_eq!(integer_hex(&[0xfe, 0xff]), "-0101");
    }
}

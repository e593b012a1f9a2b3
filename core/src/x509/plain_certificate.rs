//! A borrowing view of a certificate in the plain DER shape nearly every certificate has, for
//! inspection: the fields walked once with the strict TLV reader of [`super::plain_der`],
//! names and extensions left as borrowed bytes, nothing allocated but two short lists.
//!
//! What it takes, x509-cert's `Certificate` (with the `Raw` profile that inspection uses)
//! takes with the same values; anything else is `None`, and the caller decodes with x509-cert
//! (whose errors keep their wording). A test compares the two on the system bundle, the limbo
//! and BetterTLS certificates and tens of thousands of one-byte changes.

use const_oid::ObjectIdentifier;

use super::name::AttributeRef;
use super::plain_der::{PlainAlgorithm, algorithm, bits, oid, time, tlv, tlv_whole};
use crate::UnixTime;

/// One certificate, walked.
#[derive(Debug)]
pub(crate) struct PlainCertificate<'a> {
    /// 1 (no version field) or 3.
    pub(crate) version: u8,
    /// The serialNumber INTEGER's contents.
    pub(crate) serial: &'a [u8],
    /// signatureAlgorithm (outside tbsCertificate).
    pub(crate) signature_algorithm: ObjectIdentifier,
    pub(crate) issuer: PlainName<'a>,
    pub(crate) subject: PlainName<'a>,
    pub(crate) not_before: UnixTime,
    pub(crate) not_after: UnixTime,
    /// The whole subjectPublicKeyInfo TLV.
    pub(crate) spki: &'a [u8],
    pub(crate) key_algorithm: PlainAlgorithm<'a>,
    /// The subject public key BIT STRING's bytes (no unused bits).
    pub(crate) public_key: &'a [u8],
    /// The extensions in order (empty when the field is absent or empty).
    pub(crate) extensions: Vec<PlainExtension<'a>>,
}

/// A Name of single-attribute RDNs.
#[derive(Debug)]
pub(crate) struct PlainName<'a> {
    /// The Name SEQUENCE's contents: two names are equal exactly when these are.
    pub(crate) contents: &'a [u8],
    /// The attributes in DER order (one per RDN; the value's tag one of [`STRING_TAGS`]).
    pub(crate) attributes: Vec<AttributeRef<'a>>,
}

/// One Extension.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlainExtension<'a> {
    pub(crate) oid: ObjectIdentifier,
    pub(crate) critical: bool,
    /// extnValue's contents.
    pub(crate) value: &'a [u8],
}

/// The attribute value tags the plain walk takes (all single-byte universal string types).
const STRING_TAGS: [u8; 6] = [0x0c, 0x13, 0x16, 0x14, 0x1a, 0x1e];

/// Walks `der`: version 1 or 3, no unique identifiers, names of single-attribute RDNs with
/// string values, UTCTime or GeneralizedTime validity, algorithm parameters absent, NULL, an
/// OID or a SEQUENCE, BIT STRINGs without unused bits, extensions in their plain form,
/// single-byte tags and minimal lengths below 64 KiB, nothing after the certificate. `None` for
/// anything else (not necessarily an error: x509-cert decides).
pub(crate) fn parse(der: &[u8]) -> Option<PlainCertificate<'_>> {
    let (certificate, rest) = tlv(der, 0x30)?;
    if !rest.is_empty() {
        return None;
    }
    let (tbs, after_tbs) = tlv(certificate, 0x30)?;
    // [0] EXPLICIT version: v3, or absent (v1)
    let (version, rest) = match tbs.strip_prefix(&[0xa0, 0x03, 0x02, 0x01, 0x02]) {
        Some(rest) => (3, rest),
        None if tbs.first() == Some(&0x02) => (1, tbs),
        None => return None,
    };
    let (serial_contents, rest) = tlv(rest, 0x02)?;
    // DER's INTEGER rules (not empty, no redundant leading octet)
    match serial_contents {
        [] => return None,
        [0x00, next, ..] if *next < 0x80 => return None,
        [0xff, next, ..] if *next >= 0x80 => return None,
        _ => {}
    }
    let (_, rest) = algorithm(rest)?;
    let (issuer, rest) = name(rest)?;
    let (validity, rest) = tlv(rest, 0x30)?;
    let (not_before, after) = time(validity)?;
    let (not_after, after) = time(after)?;
    if !after.is_empty() {
        return None;
    }
    let (subject, rest) = name(rest)?;
    let (spki, spki_contents, rest) = tlv_whole(rest, 0x30)?;
    let (key_algorithm, key_rest) = algorithm(spki_contents)?;
    let (public_key, key_rest) = bits(key_rest)?;
    if !key_rest.is_empty() {
        return None;
    }
    // [3] EXPLICIT extensions, the last field (no unique identifiers)
    let extensions = if rest.is_empty() {
        Vec::new()
    } else {
        let (wrapped, rest) = tlv(rest, 0xa3)?;
        let (list, after) = tlv(wrapped, 0x30)?;
        if !rest.is_empty() || !after.is_empty() {
            return None;
        }
        extensions(list)?
    };
    let (signature_algorithm, rest) = algorithm(after_tbs)?;
    let (_, rest) = bits(rest)?;
    if !rest.is_empty() {
        return None;
    }
    Some(PlainCertificate {
        version,
        serial: serial_contents,
        signature_algorithm: signature_algorithm.oid,
        issuer,
        subject,
        not_before,
        not_after,
        spki,
        key_algorithm,
        public_key,
        extensions,
    })
}

/// A Name at the start of `input` whose RDNs each hold one attribute with a string value.
fn name(input: &[u8]) -> Option<(PlainName<'_>, &[u8])> {
    let (contents, rest) = tlv(input, 0x30)?;
    let mut attributes = Vec::with_capacity(8);
    let mut sets = contents;
    while !sets.is_empty() {
        let (set, after) = tlv(sets, 0x31)?;
        sets = after;
        let (attribute, after) = tlv(set, 0x30)?;
        if !after.is_empty() {
            return None;
        }
        let (oid_bytes, value) = tlv(attribute, 0x06)?;
        let first = *value.first()?;
        if !STRING_TAGS.contains(&first) {
            return None;
        }
        let (value_der, contents, after) = tlv_whole(value, first)?;
        if !after.is_empty() {
            return None;
        }
        attributes.push(AttributeRef {
            oid: oid(oid_bytes)?,
            tag: crate::asn1::read::Tag::universal(u32::from(first)),
            value: contents,
            value_der,
        });
    }
    Some((
        PlainName {
            contents,
            attributes,
        },
        rest,
    ))
}

/// The extensions in `contents` when each has the plain DER form: SEQUENCE { OBJECT
/// IDENTIFIER, BOOLEAN (0x00 or 0xFF) OPTIONAL, OCTET STRING }.
fn extensions(contents: &[u8]) -> Option<Vec<PlainExtension<'_>>> {
    let mut extensions = Vec::with_capacity(10);
    let mut rest = contents;
    while !rest.is_empty() {
        let (extension, after) = tlv(rest, 0x30)?;
        rest = after;
        let (oid_bytes, mut fields) = tlv(extension, 0x06)?;
        let mut critical = false;
        if fields.first() == Some(&0x01) {
            let (flag, after) = tlv(fields, 0x01)?;
            critical = match flag {
                [0xff] => true,
                [0x00] => false,
                _ => return None,
            };
            fields = after;
        }
        let (value, after) = tlv(fields, 0x04)?;
        if !after.is_empty() {
            return None;
        }
        extensions.push(PlainExtension {
            oid: oid(oid_bytes)?,
            critical,
            value,
        });
    }
    Some(extensions)
}

//! General names (RFC 5280 section 4.2.1.6) as `{"type", "value"}` pairs.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use const_oid::ObjectIdentifier;

use super::name::{NameRef, read_name};
use super::{hex, name};
use crate::asn1::read::{self, Class, DerError, Reader, Tlv};

/// A GeneralName (RFC 5280 section 4.2.1.6), borrowing its DER: what the core reads general
/// names as ([`read_general_name`], [`read_general_names`]).
///
/// What the readers accept is what `x509-cert`'s `GeneralName` decoder accepts for the same
/// bytes (the tests compare the two on the corpora and every one-byte change): each choice
/// with its exact tag (IMPLICIT primitive `[1]`, `[2]`, `[6]`, `[7]`, `[8]`; constructed `[0]`,
/// `[4]`, `[5]`), IA5 strings of ASCII bytes, valid OIDs, `ediPartyName` with its
/// DirectoryStrings checked. `x400Address` (`[3]`) is refused as `x509-cert` refuses it; the
/// variant is there for lenient readers that show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneralNameRef<'a> {
    /// `[0] otherName`: the type and the value's TLV (inside its `[0] EXPLICIT`).
    OtherName {
        /// type-id.
        type_id: ObjectIdentifier,
        /// The value's whole TLV.
        value_der: &'a [u8],
    },
    /// `[1] rfc822Name`.
    Rfc822(&'a str),
    /// `[2] dNSName`.
    Dns(&'a str),
    /// `[3] x400Address`: the contents (never produced by [`read_general_name`]).
    X400(&'a [u8]),
    /// `[4] directoryName`.
    Directory(NameRef<'a>),
    /// `[5] ediPartyName`: the contents.
    EdiParty(&'a [u8]),
    /// `[6] uniformResourceIdentifier`.
    Uri(&'a str),
    /// `[7] iPAddress`: the octets (4 or 16 for an address, 8 or 32 for a constraint range).
    Ip(&'a [u8]),
    /// `[8] registeredID`.
    RegisteredId(ObjectIdentifier),
}

/// Reads one GeneralName at the reader's cursor.
pub(crate) fn read_general_name<'a>(reader: &mut Reader<'a>) -> read::Result<GeneralNameRef<'a>> {
    let tlv = reader.tlv()?;
    general_name_from_tlv(&tlv)
}

/// Reads `GeneralNames` (a SEQUENCE OF GeneralName; empty accepted, as `x509-cert` does).
#[allow(dead_code, reason = "the verifier's general names move onto it next")]
pub(crate) fn read_general_names<'a>(
    reader: &mut Reader<'a>,
) -> read::Result<Vec<GeneralNameRef<'a>>> {
    let mut list = reader.sequence()?;
    let mut names = Vec::with_capacity(4);
    while !list.is_empty() {
        names.push(read_general_name(&mut list)?);
    }
    Ok(names)
}

/// The GeneralName of one TLV.
pub(crate) fn general_name_from_tlv<'a>(tlv: &Tlv<'a>) -> read::Result<GeneralNameRef<'a>> {
    let error = DerError {
        offset: tlv.offset,
        expected: "a GeneralName",
    };
    if tlv.tag.class != Class::ContextSpecific {
        return Err(error);
    }
    let ia5 = |contents: &'a [u8]| -> read::Result<&'a str> {
        if contents.is_ascii() {
            core::str::from_utf8(contents).map_err(|_| error)
        } else {
            Err(DerError {
                offset: tlv.offset,
                expected: "an IA5String",
            })
        }
    };
    Ok(match (tlv.tag.number, tlv.tag.constructed) {
        (0, true) => {
            let mut fields = tlv.reader()?;
            let type_id = fields.object_identifier()?;
            let mut explicit = fields.explicit(0)?;
            let value = explicit.tlv()?;
            explicit.finish()?;
            fields.finish()?;
            GeneralNameRef::OtherName {
                type_id,
                value_der: value.whole,
            }
        }
        (1, false) => GeneralNameRef::Rfc822(ia5(tlv.contents)?),
        (2, false) => GeneralNameRef::Dns(ia5(tlv.contents)?),
        (4, true) => {
            let mut inner = tlv.reader()?;
            let name = read_name(&mut inner)?;
            inner.finish()?;
            GeneralNameRef::Directory(name)
        }
        (5, true) => {
            let mut fields = tlv.reader()?;
            if let Some(assigner) = fields.optional_context(0, true)? {
                let mut inner = assigner.reader()?;
                read_directory_string(&mut inner)?;
                inner.finish()?;
            }
            let mut party = fields.explicit(1)?;
            read_directory_string(&mut party)?;
            party.finish()?;
            fields.finish()?;
            GeneralNameRef::EdiParty(tlv.contents)
        }
        (6, false) => GeneralNameRef::Uri(ia5(tlv.contents)?),
        (7, false) => GeneralNameRef::Ip(tlv.contents),
        (8, false) => {
            GeneralNameRef::RegisteredId(read::object_identifier(tlv.contents).ok_or(DerError {
                offset: tlv.offset,
                expected: "a valid OBJECT IDENTIFIER",
            })?)
        }
        _ => return Err(error),
    })
}

/// A DirectoryString (PrintableString, TeletexString of ASCII, UTF8String, BMPString) as
/// `x509-cert` checks one; its TLV.
fn read_directory_string<'a>(reader: &mut Reader<'a>) -> read::Result<Tlv<'a>> {
    let tlv = reader.tlv()?;
    let valid = match tlv.tag {
        read::Tag::PRINTABLE_STRING => tlv
            .contents
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(byte)),
        TELETEX_STRING => tlv.contents.is_ascii(),
        read::Tag::UTF8_STRING => core::str::from_utf8(tlv.contents).is_ok(),
        read::Tag::BMP_STRING => read::bmp_to_string(tlv.contents).is_some(),
        _ => false,
    };
    if valid {
        Ok(tlv)
    } else {
        Err(DerError {
            offset: tlv.offset,
            expected: "a DirectoryString",
        })
    }
}

const TELETEX_STRING: read::Tag = read::Tag::universal(20);

/// One general name: `dns`, `ip`, `email`, `uri`, `dirname`, `rid` or `other`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct GeneralNameReport {
    /// The kind of name.
    #[serde(rename = "type")]
    pub name_type: &'static str,
    /// The name as text. IP addresses in their usual notation (`/prefix` for name-constraint
    /// ranges); other names as `OID:hex`.
    pub value: String,
}

/// Describes one general name.
pub fn describe(general_name: &GeneralNameRef<'_>) -> GeneralNameReport {
    let (name_type, value) = match general_name {
        GeneralNameRef::Dns(dns) => ("dns", (*dns).to_owned()),
        GeneralNameRef::Rfc822(email) => ("email", (*email).to_owned()),
        GeneralNameRef::Uri(uri) => ("uri", (*uri).to_owned()),
        GeneralNameRef::Ip(ip) => ("ip", ip_text(ip)),
        GeneralNameRef::Directory(directory) => ("dirname", name::rfc4514(directory)),
        GeneralNameRef::RegisteredId(oid) => ("rid", oid.to_string()),
        GeneralNameRef::OtherName { type_id, value_der } => {
            ("other", format!("{type_id}:{}", hex(value_der)))
        }
        GeneralNameRef::EdiParty(_) => ("other", "ediPartyName".to_owned()),
        GeneralNameRef::X400(contents) => ("other", hex(contents)),
    };
    GeneralNameReport { name_type, value }
}

/// Decodes `GeneralNames` (a SEQUENCE of context-tagged names) leniently: a name whose
/// string is not valid IA5 (e.g. UTF-8 in a dNSName) is shown as found instead of failing the
/// whole list, the way OpenSSL shows it. Verification applies the strict rules separately.
pub fn decode_lenient(der: &[u8]) -> Result<Vec<GeneralNameReport>, crate::Error> {
    read_lenient(der).map_err(|error| error.into_error("GeneralNames"))
}

/// [`decode_lenient`] with the reader's error.
pub(crate) fn read_lenient(der: &[u8]) -> read::Result<Vec<GeneralNameReport>> {
    read::parse(der, |reader| {
        let mut list = reader.sequence()?;
        let mut names = Vec::new();
        while !list.is_empty() {
            let element = list.tlv()?;
            names.push(describe_element(&element)?);
        }
        Ok(names)
    })
}

fn describe_element(element: &Tlv<'_>) -> read::Result<GeneralNameReport> {
    let text = || String::from_utf8_lossy(element.contents).into_owned();
    if element.tag.class != Class::ContextSpecific {
        return Err(DerError {
            offset: element.offset,
            expected: "a context-specific GeneralName",
        });
    }
    let (name_type, value) = match element.tag.number {
        1 => ("email", text()),
        2 => ("dns", text()),
        6 => ("uri", text()),
        7 => ("ip", ip_text(element.contents)),
        8 => ("rid", oid_text(element.contents)),
        _ => {
            return Ok(general_name_from_tlv(element).map_or_else(
                |_| GeneralNameReport {
                    name_type: "other",
                    value: hex(element.contents),
                },
                |name| describe(&name),
            ));
        }
    };
    Ok(GeneralNameReport { name_type, value })
}

fn oid_text(content: &[u8]) -> String {
    read::object_identifier(content).map_or_else(|| hex(content), |oid| oid.to_string())
}

/// Describes a list of general names.
pub fn describe_all(names: &[GeneralNameRef<'_>]) -> Vec<GeneralNameReport> {
    names.iter().map(describe).collect()
}

/// An IP address (4 or 16 octets); any other length as hex.
pub fn ip_text(bytes: &[u8]) -> String {
    address(bytes)
}

/// An address and mask (8 or 32 octets, RFC 5280 section 4.2.1.10) as `address/prefix`; any
/// other length as hex.
pub fn ip_range_text(bytes: &[u8]) -> String {
    match bytes.len() {
        8 | 32 => {
            let (network, mask) = bytes.split_at(bytes.len() / 2);
            let prefix: u32 = mask.iter().map(|byte| byte.count_ones()).sum();
            format!("{}/{prefix}", address(network))
        }
        _ => hex(bytes),
    }
}

fn address(bytes: &[u8]) -> String {
    if let Ok(octets) = <[u8; 4]>::try_from(bytes) {
        return Ipv4Addr::from(octets).to_string();
    }
    if let Ok(octets) = <[u8; 16]>::try_from(bytes) {
        return Ipv6Addr::from(octets).to_string();
    }
    hex(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_addresses_and_ranges() {
        assert_eq!(ip_text(&[127, 0, 0, 1]), "127.0.0.1");
        assert_eq!(ip_range_text(&[10, 0, 0, 0, 255, 0, 0, 0]), "10.0.0.0/8");
        assert_eq!(ip_text(&[10, 0, 0, 0, 255, 0, 0, 0]), "0a000000ff000000");
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        assert_eq!(ip_text(&v6), "::1");
        assert_eq!(ip_text(&[1, 2, 3]), "010203");
    }
}

#[cfg(test)]
mod lenient_tests {
    use super::*;

    #[test]
    fn keeps_utf8_dns_names_and_odd_ips() {
        // SEQUENCE { [2] "é.a", [7] 8 octets }
        let bytes = [
            0x30, 0x0e, 0x82, 0x04, 0xc3, 0xa9, b'.', b'a', 0x87, 0x06, 1, 2, 3, 4, 5, 6,
        ];
        let names = decode_lenient(&bytes).unwrap();
        assert_eq!(names[0].value, "é.a");
        assert_eq!(names[1].value, "010203040506");
        assert!(decode_lenient(&[0x30, 0x02, 0x82, 0x05]).is_err());
    }
}

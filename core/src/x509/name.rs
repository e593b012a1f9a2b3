//! Distinguished names (RFC 5280 section 4.1.2.4) as RFC 4514 strings and attribute lists.
//!
//! Attribute types use the short names that OpenSSL prints (`CN`, `emailAddress`, ...) so a
//! string from mtlskit can be compared with `openssl x509 -nameopt RFC2253`; types without a
//! short name print as dotted OIDs with the value as `#` + hex DER (RFC 4514 section 2.4).

use std::borrow::Cow;

use const_oid::ObjectIdentifier;
#[cfg(test)]
use der::Encode;
use serde::Serialize;
#[cfg(test)]
use x509_cert::name::Name;

use super::hex;
use crate::asn1::read::Tag as DerTag;

/// A Name (RFC 5280 section 4.1.2.4: an RDNSequence), borrowing its DER: what the core reads
/// names as ([`read_name`], [`parse_name`]).
///
/// It accepts what `x509-cert`'s `Name` decoder accepts for the same bytes and holds the same
/// values (the tests compare the two on the corpora and every one-byte change): RDNs in DER
/// order, each RDN's attributes in DER SET OF order (sorted by their encodings, as `x509-cert`
/// sorts them when decoding, whatever the order on the wire; duplicates kept), any attribute
/// value (`ANY`), empty names and empty RDNs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef<'a> {
    /// The whole Name TLV, as encoded.
    pub der: &'a [u8],
    /// The RelativeDistinguishedNames in order, each with its attributes.
    pub rdns: Vec<Vec<AttributeRef<'a>>>,
}

/// One AttributeTypeAndValue of a [`NameRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeRef<'a> {
    /// The attribute type.
    pub oid: ObjectIdentifier,
    /// The value's tag.
    pub(crate) tag: crate::asn1::read::Tag,
    /// The value's contents.
    pub value: &'a [u8],
    /// The value's whole TLV.
    pub value_der: &'a [u8],
}

impl<'a> NameRef<'a> {
    /// The attributes in DER order (most significant RDN first).
    pub fn iter(&self) -> impl Iterator<Item = &AttributeRef<'a>> + '_ {
        self.rdns.iter().flatten()
    }

    /// The Name SEQUENCE's contents: two names are the same encoding exactly when these are.
    pub fn contents(&self) -> &'a [u8] {
        // The header is at most 6 bytes; `der` is a TLV read by `read_name`.
        let header = header_length(self.der);
        self.der.get(header..).unwrap_or_default()
    }

    /// Whether the name has no RDN.
    pub fn is_empty(&self) -> bool {
        self.rdns.is_empty()
    }

    /// The name re-encoded in DER: each RDN's attributes in DER SET OF order (as read), which
    /// is what `x509-cert` re-encoded a decoded `Name` as. The same bytes as [`NameRef::der`]
    /// whenever the name came in DER order (the tests compare the two on the corpora).
    pub fn to_der(&self) -> Vec<u8> {
        use crate::asn1::write;
        let mut out = Vec::with_capacity(self.der.len());
        write::sequence(&mut out, |out| {
            for rdn in &self.rdns {
                write::set_of(out, |out| {
                    for attribute in rdn {
                        write::sequence(out, |out| {
                            write::oid(out, &attribute.oid);
                            out.extend_from_slice(attribute.value_der);
                        });
                    }
                });
            }
        });
        out
    }
}

/// The length of the tag and length of the one-byte-tag TLV `der`.
fn header_length(der: &[u8]) -> usize {
    match der.get(1) {
        Some(&length) if length & 0x80 != 0 => 2 + usize::from(length & 0x7f),
        _ => 2,
    }
}

/// Reads one Name (a SEQUENCE OF RelativeDistinguishedName) at the reader's cursor.
pub(crate) fn read_name<'a>(
    reader: &mut crate::asn1::read::Reader<'a>,
) -> crate::asn1::read::Result<NameRef<'a>> {
    let name = reader.expect(DerTag::SEQUENCE, "a Name (SEQUENCE)")?;
    let mut sets = name.reader()?;
    let mut rdns = Vec::with_capacity(8);
    while !sets.is_empty() {
        let set = sets.expect(DerTag::SET, "a RelativeDistinguishedName (SET)")?;
        rdns.push(read_rdn(&mut set.reader()?)?);
    }
    Ok(NameRef {
        der: name.whole,
        rdns,
    })
}

/// Reads the AttributeTypeAndValues of one RelativeDistinguishedName (the SET's contents, all
/// of `members`), in DER SET OF order.
pub(crate) fn read_rdn<'a>(
    members: &mut crate::asn1::read::Reader<'a>,
) -> crate::asn1::read::Result<Vec<AttributeRef<'a>>> {
    let mut rdn = Vec::with_capacity(1);
    while !members.is_empty() {
        let attribute = members.read_sequence(|fields| {
            let oid = fields.object_identifier()?;
            let value = fields.tlv()?;
            Ok(AttributeRef {
                oid,
                tag: value.tag,
                value: value.contents,
                value_der: value.whole,
            })
        })?;
        rdn.push(attribute);
    }
    if rdn.len() > 1 {
        // DER SET OF order, as `x509-cert` sorts on decoding: by the whole encoding of each
        // AttributeTypeAndValue (its length first, then the type's TLV, then the value's).
        rdn.sort_by(set_order);
    }
    Ok(rdn)
}

/// DER SET OF order of two attributes: by their encodings, i.e. the SEQUENCE's contents
/// length (its header then sorts the same), the OID's TLV (length, then bytes), the value's TLV.
fn set_order(a: &AttributeRef<'_>, b: &AttributeRef<'_>) -> core::cmp::Ordering {
    let (a_oid, b_oid) = (a.oid.as_bytes(), b.oid.as_bytes());
    (a_oid.len() + a.value_der.len())
        .cmp(&(b_oid.len() + b.value_der.len()))
        .then(a_oid.len().cmp(&b_oid.len()))
        .then(a_oid.cmp(b_oid))
        .then(a.value_der.cmp(b.value_der))
}

/// Parses `der`, which must be exactly one Name.
pub fn parse_name(der: &[u8]) -> Result<NameRef<'_>, crate::Error> {
    crate::asn1::read::parse(der, read_name).map_err(|error| error.into_error("name"))
}

/// One attribute of a name, in DER order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Attribute {
    /// Short name (`CN`) or dotted OID when there is none.
    #[serde(rename = "type")]
    pub attribute_type: String,
    /// Dotted OID.
    pub oid: String,
    /// The value as text (UTF-8); non-string values as `#` + hex DER.
    pub value: String,
}

/// A name the text functions take: the core's [`NameRef`] (and, in the tests' oracles only,
/// `x509-cert`'s `Name`, re-encoded and read as a [`NameRef`]: the same text for the same
/// bytes either way).
pub trait AsName {
    /// `f` on the name as a [`NameRef`].
    fn with_name<R>(&self, f: impl FnOnce(&NameRef<'_>) -> R) -> R;
}

impl AsName for NameRef<'_> {
    fn with_name<R>(&self, f: impl FnOnce(&NameRef<'_>) -> R) -> R {
        f(self)
    }
}

#[cfg(test)]
impl AsName for Name {
    fn with_name<R>(&self, f: impl FnOnce(&NameRef<'_>) -> R) -> R {
        // A decoded Name always encodes and reads back; an empty name otherwise.
        let der = self.to_der().unwrap_or_default();
        match parse_name(&der) {
            Ok(name) => f(&name),
            Err(_) => f(&NameRef {
                der: &[],
                rdns: Vec::new(),
            }),
        }
    }
}

#[cfg(test)]
impl AsName for Cow<'_, Name> {
    fn with_name<R>(&self, f: impl FnOnce(&NameRef<'_>) -> R) -> R {
        self.as_ref().with_name(f)
    }
}

/// The attributes of `name` in DER order (most significant RDN first).
pub fn attributes(name: &impl AsName) -> Vec<Attribute> {
    name.with_name(|name| name.iter().map(attribute).collect())
}

/// One attribute as reported.
fn attribute(atv: &AttributeRef<'_>) -> Attribute {
    let dotted = super::dotted(&atv.oid);
    Attribute {
        attribute_type: short_name(&atv.oid).map_or_else(|| dotted.clone(), str::to_owned),
        oid: dotted,
        value: value_text(atv.tag, atv.value).map_or_else(
            || {
                let mut text = String::with_capacity(atv.value_der.len() * 2 + 1);
                text.push('#');
                text.push_str(&hex(atv.value_der));
                text
            },
            Cow::into_owned,
        ),
    }
}

/// `name` as an RFC 4514 string: RDNs in reverse order separated by `,`, multi-valued RDNs
/// joined with `+`, special characters escaped; UTF-8 is left unescaped.
pub fn rfc4514(name: &impl AsName) -> String {
    name.with_name(rfc4514_of)
}

fn rfc4514_of(name: &NameRef<'_>) -> String {
    // Written into one string: a string per attribute and per RDN, joined twice, was a
    // visible share of inspecting a trust bundle.
    let mut out = String::with_capacity(name.der.len());
    for (position, rdn) in name.rdns.iter().rev().enumerate() {
        if position > 0 {
            out.push(',');
        }
        for (index, atv) in rdn.iter().enumerate() {
            if index > 0 {
                out.push('+');
            }
            push_rfc4514_attribute(&mut out, atv);
        }
    }
    out
}

/// [`rfc4514`] and [`attributes`] of a name whose RDNs each hold one attribute (the plain
/// walk's names: `PlainName`), from the borrowed attributes.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn describe_plain(
    name: &super::plain_certificate::PlainName<'_>,
) -> (String, Vec<Attribute>) {
    let attributes = name.attributes.iter().map(attribute).collect();
    let mut text = String::with_capacity(name.contents.len());
    for (position, atv) in name.attributes.iter().rev().enumerate() {
        if position > 0 {
            text.push(',');
        }
        push_rfc4514_attribute(&mut text, atv);
    }
    (text, attributes)
}

/// The value of the first attribute of type `oid` (e.g. the common name).
pub fn first_value(name: &impl AsName, oid: ObjectIdentifier) -> Option<String> {
    name.with_name(|name| {
        name.iter()
            .find(|atv| atv.oid == oid)
            .and_then(|atv| value_text(atv.tag, atv.value))
            .map(Cow::into_owned)
    })
}

fn push_rfc4514_attribute(out: &mut String, atv: &AttributeRef<'_>) {
    match (short_name(&atv.oid), value_text(atv.tag, atv.value)) {
        (Some(short), Some(text)) => {
            out.push_str(short);
            out.push('=');
            escape_into(out, &text);
        }
        (Some(short), None) => {
            out.push_str(short);
            out.push_str("=#");
            out.push_str(&hex(atv.value_der));
        }
        (None, _) => {
            out.push_str(&super::dotted(&atv.oid));
            out.push_str("=#");
            out.push_str(&hex(atv.value_der));
        }
    }
}

/// RFC 4514 section 2.4 escaping, as OpenSSL's `ESC_2253 | ESC_CTRL` does it.
pub(crate) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    escape_into(&mut out, value);
    out
}

/// [`escape`], appended to `out`.
fn escape_into(out: &mut String, value: &str) {
    // Most values need no escape: copied whole.
    let special = |byte: u8| {
        matches!(
            byte,
            b',' | b'+' | b'"' | b'\\' | b'<' | b'>' | b';' | 0x00..=0x1f | 0x7f
        )
    };
    if !value.bytes().any(special) && !value.starts_with(['#', ' ']) && !value.ends_with(' ') {
        out.push_str(value);
        return;
    }
    let last = value.chars().count().saturating_sub(1);
    for (index, character) in value.chars().enumerate() {
        match character {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => {
                out.push('\\');
                out.push(character);
            }
            '#' | ' ' if index == 0 => {
                out.push('\\');
                out.push(character);
            }
            ' ' if index == last => out.push_str("\\ "),
            control if (control as u32) < 0x20 || control == '\u{7f}' => {
                out.push_str(&format!("\\{:02X}", control as u32));
            }
            other => out.push(other),
        }
    }
}

/// The value of a string-typed attribute as UTF-8 (`tag` and contents `bytes`), or `None` for
/// other types.
fn value_text(tag: DerTag, bytes: &[u8]) -> Option<Cow<'_, str>> {
    match tag {
        DerTag::UTF8_STRING => core::str::from_utf8(bytes).ok().map(Cow::Borrowed),
        DerTag::PRINTABLE_STRING | DerTag::IA5_STRING | VISIBLE_STRING | TELETEX_STRING => {
            // T.61 is read as Latin-1, like OpenSSL does.
            Some(match core::str::from_utf8(bytes) {
                Ok(text) if text.is_ascii() => Cow::Borrowed(text),
                _ => Cow::Owned(bytes.iter().map(|byte| char::from(*byte)).collect()),
            })
        }
        DerTag::BMP_STRING => utf16(bytes).map(Cow::Owned),
        _ => None,
    }
}

const VISIBLE_STRING: DerTag = DerTag::universal(26);
const TELETEX_STRING: DerTag = DerTag::universal(20);

/// Big-endian UTF-16 (BMPString) as text, if it is valid.
pub(crate) fn utf16(bytes: &[u8]) -> Option<String> {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => Some(u16::from_be_bytes([*high, *low])),
            _ => None,
        })
        .collect::<Option<_>>()?;
    String::from_utf16(&units).ok()
}

/// OpenSSL's short names for attribute types.
pub fn short_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    // Compared as DER arcs: formatting each OID as dotted text first was a visible share of
    // inspecting a trust bundle.
    SHORT_NAMES
        .iter()
        .find(|(known, _)| known == oid)
        .map(|(_, name)| *name)
}

const SHORT_NAMES: [(ObjectIdentifier, &str); 33] = [
    (ObjectIdentifier::new_unwrap("2.5.4.3"), "CN"),
    (ObjectIdentifier::new_unwrap("2.5.4.4"), "SN"),
    (ObjectIdentifier::new_unwrap("2.5.4.5"), "serialNumber"),
    (ObjectIdentifier::new_unwrap("2.5.4.6"), "C"),
    (ObjectIdentifier::new_unwrap("2.5.4.7"), "L"),
    (ObjectIdentifier::new_unwrap("2.5.4.8"), "ST"),
    (ObjectIdentifier::new_unwrap("2.5.4.9"), "street"),
    (ObjectIdentifier::new_unwrap("2.5.4.10"), "O"),
    (ObjectIdentifier::new_unwrap("2.5.4.11"), "OU"),
    (ObjectIdentifier::new_unwrap("2.5.4.12"), "title"),
    (ObjectIdentifier::new_unwrap("2.5.4.13"), "description"),
    (ObjectIdentifier::new_unwrap("2.5.4.15"), "businessCategory"),
    (ObjectIdentifier::new_unwrap("2.5.4.16"), "postalAddress"),
    (ObjectIdentifier::new_unwrap("2.5.4.17"), "postalCode"),
    (ObjectIdentifier::new_unwrap("2.5.4.18"), "postOfficeBox"),
    (ObjectIdentifier::new_unwrap("2.5.4.20"), "telephoneNumber"),
    (ObjectIdentifier::new_unwrap("2.5.4.41"), "name"),
    (ObjectIdentifier::new_unwrap("2.5.4.42"), "GN"),
    (ObjectIdentifier::new_unwrap("2.5.4.43"), "initials"),
    (
        ObjectIdentifier::new_unwrap("2.5.4.44"),
        "generationQualifier",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.45"),
        "x500UniqueIdentifier",
    ),
    (ObjectIdentifier::new_unwrap("2.5.4.46"), "dnQualifier"),
    (ObjectIdentifier::new_unwrap("2.5.4.65"), "pseudonym"),
    (ObjectIdentifier::new_unwrap("2.5.4.72"), "role"),
    (
        ObjectIdentifier::new_unwrap("2.5.4.97"),
        "organizationIdentifier",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1"),
        "emailAddress",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.2"),
        "unstructuredName",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.8"),
        "unstructuredAddress",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.1"),
        "UID",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.25"),
        "DC",
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.311.60.2.1.1"),
        "jurisdictionL",
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.311.60.2.1.2"),
        "jurisdictionST",
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.311.60.2.1.3"),
        "jurisdictionC",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_rfc4514() {
        assert_eq!(escape("DigiCert, Inc."), "DigiCert\\, Inc.");
        assert_eq!(escape(" #a+b "), "\\ #a\\+b\\ ");
        assert_eq!(escape("#x"), "\\#x");
        assert_eq!(escape("a\nb"), "a\\0Ab");
        assert_eq!(escape("Tuğra"), "Tuğra");
    }

    #[test]
    fn decodes_wide_strings() {
        assert_eq!(utf16(&[0x00, 0x41, 0x01, 0x1f]).as_deref(), Some("Ağ"));
        assert_eq!(utf16(&[0x00]), None);
    }
}

//! Distinguished names (RFC 5280 section 4.1.2.4) as RFC 4514 strings and attribute lists.
//!
//! Attribute types use the short names that OpenSSL prints (`CN`, `emailAddress`, ...) so a
//! string from mtlskit can be compared with `openssl x509 -nameopt RFC2253`; types without a
//! short name print as dotted OIDs with the value as `#` + hex DER (RFC 4514 section 2.4).

use std::borrow::Cow;

use der::{Encode, Header, Length, Tag, Tagged, asn1::ObjectIdentifier};
use serde::Serialize;
use x509_cert::name::Name;

use super::hex;

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

/// The attributes of `name` in DER order (most significant RDN first).
pub fn attributes(name: &Name) -> Vec<Attribute> {
    name.iter()
        .map(|atv| attribute(&atv.oid, atv.value.tag(), atv.value.value()))
        .collect()
}

/// One attribute from its type, its value's tag and its value's contents.
fn attribute(oid: &ObjectIdentifier, tag: Tag, value: &[u8]) -> Attribute {
    let dotted = super::dotted(oid);
    Attribute {
        attribute_type: short_name(oid).map_or_else(|| dotted.clone(), str::to_owned),
        oid: dotted,
        value: value_text(tag, value).map_or_else(
            || {
                let mut text = String::with_capacity(value.len() * 2 + 7);
                text.push('#');
                push_der_hex(&mut text, tag, value);
                text
            },
            Cow::into_owned,
        ),
    }
}

/// `name` as an RFC 4514 string: RDNs in reverse order separated by `,`, multi-valued RDNs
/// joined with `+`, special characters escaped; UTF-8 is left unescaped.
pub fn rfc4514(name: &Name) -> String {
    // Written into one string: a string per attribute and per RDN, joined twice, was a
    // visible share of inspecting a trust bundle.
    let rdns: Vec<_> = name.iter_rdn().collect();
    let mut out = String::with_capacity(64);
    for (position, rdn) in rdns.iter().rev().enumerate() {
        if position > 0 {
            out.push(',');
        }
        for (index, atv) in rdn.iter().enumerate() {
            if index > 0 {
                out.push('+');
            }
            push_rfc4514_attribute(&mut out, &atv.oid, atv.value.tag(), atv.value.value());
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
    let attributes = name
        .attributes
        .iter()
        .map(|atv| attribute(&atv.oid, atv.tag, atv.value))
        .collect();
    let mut text = String::with_capacity(name.contents.len());
    for (position, atv) in name.attributes.iter().rev().enumerate() {
        if position > 0 {
            text.push(',');
        }
        push_rfc4514_attribute(&mut text, &atv.oid, atv.tag, atv.value);
    }
    (text, attributes)
}

/// The value of the first attribute of type `oid` (e.g. the common name).
pub fn first_value(name: &Name, oid: ObjectIdentifier) -> Option<String> {
    name.iter()
        .find(|atv| atv.oid == oid)
        .and_then(|atv| value_text(atv.value.tag(), atv.value.value()))
        .map(Cow::into_owned)
}

fn push_rfc4514_attribute(out: &mut String, oid: &ObjectIdentifier, tag: Tag, value: &[u8]) {
    match (short_name(oid), value_text(tag, value)) {
        (Some(short), Some(text)) => {
            out.push_str(short);
            out.push('=');
            escape_into(out, &text);
        }
        (Some(short), None) => {
            out.push_str(short);
            out.push_str("=#");
            push_der_hex(out, tag, value);
        }
        (None, _) => {
            out.push_str(&super::dotted(oid));
            out.push_str("=#");
            push_der_hex(out, tag, value);
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
fn value_text(tag: Tag, bytes: &[u8]) -> Option<Cow<'_, str>> {
    match tag {
        Tag::Utf8String => core::str::from_utf8(bytes).ok().map(Cow::Borrowed),
        Tag::PrintableString | Tag::Ia5String | Tag::VisibleString | Tag::TeletexString => {
            // T.61 is read as Latin-1, like OpenSSL does.
            Some(match core::str::from_utf8(bytes) {
                Ok(text) if text.is_ascii() => Cow::Borrowed(text),
                _ => Cow::Owned(bytes.iter().map(|byte| char::from(*byte)).collect()),
            })
        }
        Tag::BmpString => utf16(bytes).map(Cow::Owned),
        _ => None,
    }
}

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

/// The value's DER (tag, length, contents) as lowercase hex, appended to `out`: what
/// `Any::to_der` encodes.
fn push_der_hex(out: &mut String, tag: Tag, value: &[u8]) {
    let header = Length::try_from(value.len())
        .and_then(|length| Header::new(tag, length).to_der())
        .unwrap_or_default();
    if header.is_empty() {
        return;
    }
    out.push_str(&hex(&header));
    out.push_str(&hex(value));
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

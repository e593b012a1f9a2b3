//! Names as the text x509-cert's `Display` prints (`CN=leaf,O=Example`), without its cost.
//!
//! x509-cert looks every attribute type up by a linear scan of const-oid's 1,100-entry name
//! database (the shortest name wins, uppercased); in verification that scan was the largest
//! cost of ours (BENCHMARKS.md). The usual attribute types are looked up in a fixed table
//! here (a test checks it against the database), the rest in the database as before, so the
//! text stays byte for byte what it was: verification explanations and the CLI show it.
//!
//! Inspection reports use OpenSSL's wording instead ([`super::name::rfc4514`]).

use core::fmt::Write;

use const_oid::db::DB;
use der::{
    Encode, Tag, Tagged,
    asn1::{Ia5StringRef, ObjectIdentifier, PrintableStringRef, TeletexStringRef, Utf8StringRef},
};
use x509_cert::{attr::AttributeTypeAndValue, name::Name};

/// `name` as x509-cert's `Display` writes it: RDNs last first, separated by `,`, the
/// attributes of a multi-valued RDN joined with `+`.
pub fn display(name: &Name) -> String {
    let rdns: Vec<_> = name.iter_rdn().collect();
    let mut out = String::new();
    for (position, rdn) in rdns.iter().rev().enumerate() {
        if position > 0 {
            out.push(',');
        }
        for (index, attribute) in rdn.iter().enumerate() {
            if index > 0 {
                out.push('+');
            }
            write_attribute(&mut out, attribute);
        }
    }
    out
}

fn write_attribute(out: &mut String, attribute: &AttributeTypeAndValue) {
    if let (Some(key), Some(value)) = (type_name(&attribute.oid), text(attribute)) {
        push_uppercase(out, key);
        out.push('=');
        escape_into(out, value);
        return;
    }
    // Writing to a String cannot fail.
    let _ = write!(out, "{}=#", attribute.oid);
    if let Ok(der) = attribute.value.to_der() {
        for byte in der {
            let _ = write!(out, "{byte:02x}");
        }
    }
}

/// The string types x509-cert prints as text; any other value is `#` + hex DER.
fn text(attribute: &AttributeTypeAndValue) -> Option<&str> {
    let value = &attribute.value;
    match value.tag() {
        Tag::PrintableString => PrintableStringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Utf8String => Utf8StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Ia5String => Ia5StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::TeletexString => TeletexStringRef::try_from(value).ok().map(|s| s.as_str()),
        _ => None,
    }
}

/// The shortest name of `oid` in const-oid's database (before uppercasing).
fn type_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    if let Some((_, name)) = USUAL_TYPES.iter().find(|(usual, _)| usual == oid) {
        return Some(name);
    }
    shortest_database_name(oid)
}

fn shortest_database_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    DB.find_names_for_oid(*oid)
        .reduce(|best, name| if name.len() < best.len() { name } else { best })
}

/// RFC 4514 escaping as x509-cert does it (control characters as lowercase hex).
fn escape_into(out: &mut String, value: &str) {
    let mut characters = value.char_indices().peekable();
    while let Some((index, character)) = characters.next() {
        match character {
            '#' if index == 0 => out.push_str("\\#"),
            ' ' if index == 0 || characters.peek().is_none() => out.push_str("\\ "),
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(character);
            }
            '\x00'..='\x1f' | '\x7f' => {
                let _ = write!(out, "\\{:02x}", character as u8);
            }
            _ => out.push(character),
        }
    }
}

fn push_uppercase(out: &mut String, key: &str) {
    out.extend(key.chars().map(|character| character.to_ascii_uppercase()));
}

/// The attribute types of nearly every real name, with their shortest database names.
const USUAL_TYPES: [(ObjectIdentifier, &str); 22] = [
    (ObjectIdentifier::new_unwrap("2.5.4.3"), "cn"),
    (ObjectIdentifier::new_unwrap("2.5.4.6"), "c"),
    (ObjectIdentifier::new_unwrap("2.5.4.10"), "o"),
    (ObjectIdentifier::new_unwrap("2.5.4.11"), "ou"),
    (ObjectIdentifier::new_unwrap("2.5.4.7"), "L"),
    (ObjectIdentifier::new_unwrap("2.5.4.8"), "st"),
    (ObjectIdentifier::new_unwrap("2.5.4.5"), "serialNumber"),
    (ObjectIdentifier::new_unwrap("2.5.4.4"), "sn"),
    (ObjectIdentifier::new_unwrap("2.5.4.9"), "street"),
    (ObjectIdentifier::new_unwrap("2.5.4.12"), "title"),
    (ObjectIdentifier::new_unwrap("2.5.4.13"), "description"),
    (ObjectIdentifier::new_unwrap("2.5.4.15"), "businessCategory"),
    (ObjectIdentifier::new_unwrap("2.5.4.17"), "postalCode"),
    (ObjectIdentifier::new_unwrap("2.5.4.41"), "name"),
    (ObjectIdentifier::new_unwrap("2.5.4.42"), "GN"),
    (ObjectIdentifier::new_unwrap("2.5.4.43"), "initials"),
    (
        ObjectIdentifier::new_unwrap("2.5.4.44"),
        "generationQualifier",
    ),
    (ObjectIdentifier::new_unwrap("2.5.4.46"), "dnQualifier"),
    (ObjectIdentifier::new_unwrap("2.5.4.65"), "pseudonym"),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1"),
        "email",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.1"),
        "uid",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.25"),
        "DC",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use der::Decode;

    #[test]
    fn usual_types_are_the_databases_shortest_names() {
        for (oid, name) in USUAL_TYPES {
            assert_eq!(shortest_database_name(&oid), Some(name), "{oid}");
        }
    }

    #[test]
    fn same_text_as_x509_cert_for_the_system_bundle() {
        let Ok(bundle) = std::fs::read("/etc/ssl/certs/ca-certificates.crt") else {
            panic!("the system bundle is installed (scripts/install-deps.sh)");
        };
        let blocks = crate::decode::blocks(&bundle).unwrap();
        assert!(blocks.len() > 100);
        for block in blocks {
            let certificate = crate::x509::Certificate::from_der(&block.unwrap().der).unwrap();
            let tbs = certificate.tbs_certificate();
            for name in [tbs.subject(), tbs.issuer()] {
                assert_eq!(display(name), name.to_string());
            }
        }
    }

    #[test]
    fn same_text_as_x509_cert_for_escapes_and_unknown_types() {
        let text = "CN=\\#a\\, b\\+c\\ ,O=x\\\"y\\;z,2.5.4.97=#0c03616263,L=\\ l";
        // Built from DER so that every value keeps its string type.
        let name: Name = text.parse().unwrap();
        let name = Name::from_der(&name.to_der().unwrap()).unwrap();
        assert_eq!(display(&name), name.to_string());
        let mixed = Name::from_der(&[
            0x30, 0x1b, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x03, 0x1e, 0x02, 0x00,
            0x41, 0x31, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x03, 0x61, 0x0a,
            0x7f,
        ])
        .unwrap();
        assert_eq!(display(&mixed), mixed.to_string());
    }
}

//! Names as the text x509-cert's `Display` prints (`CN=leaf,O=Example`), without its cost.
//!
//! x509-cert looks every attribute type up by a linear scan of const-oid's 1,100-entry name
//! database (the shortest name wins, uppercased); in verification that scan was the largest
//! cost of ours (BENCHMARKS.md), and in the browser the database was 30 KB of the gzipped
//! module. The attribute types are looked up in fixed tables here instead (a test checks them
//! against the database): every attribute type of RFC 4519 and RFC 4524 that the database
//! names, and PKCS #9's emailAddress, so the text is x509-cert's for every name seen in
//! practice. Any other type is written as its dotted OID with the value in hex (RFC 4514
//! section 2.4), where x509-cert would have used a database name that is not an attribute
//! type (say `ID-CE-KEYUSAGE`).
//!
//! Inspection reports use OpenSSL's wording instead ([`super::name::rfc4514`]).

use core::fmt::Write;

use const_oid::ObjectIdentifier;

use super::name::{AsName, AttributeRef};
use crate::asn1::read::Tag;

/// `name` as x509-cert's `Display` writes it: RDNs last first, separated by `,`, the
/// attributes of a multi-valued RDN joined with `+`.
pub fn display(name: &impl AsName) -> String {
    name.with_name(|name| {
        let mut out = String::with_capacity(name.der.len());
        for (position, rdn) in name.rdns.iter().rev().enumerate() {
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
    })
}

fn write_attribute(out: &mut String, attribute: &AttributeRef<'_>) {
    if let (Some(key), Some(value)) = (type_name(&attribute.oid), text(attribute)) {
        push_uppercase(out, key);
        out.push('=');
        escape_into(out, value);
        return;
    }
    // Writing to a String cannot fail.
    let _ = write!(out, "{}=#", attribute.oid);
    for byte in attribute.value_der {
        let _ = write!(out, "{byte:02x}");
    }
}

/// An attribute whose value is the text `value` (a valid PrintableString or UTF8String whose
/// DER TLV is `value_der`), as [`display`] writes it; for names read without x509-cert's
/// decoder (the verifier's plain certificates).
pub(crate) fn write_text_attribute(
    out: &mut String,
    oid: &ObjectIdentifier,
    value: &str,
    value_der: &[u8],
) {
    if let Some(key) = type_name(oid) {
        push_uppercase(out, key);
        out.push('=');
        escape_into(out, value);
        return;
    }
    // Writing to a String cannot fail.
    let _ = write!(out, "{oid}=#");
    for byte in value_der {
        let _ = write!(out, "{byte:02x}");
    }
}

/// The string types x509-cert prints as text, when valid as `der` checks them; any other
/// value is `#` + hex DER.
fn text<'a>(attribute: &AttributeRef<'a>) -> Option<&'a str> {
    let bytes = attribute.value;
    let valid = match attribute.tag {
        Tag::PRINTABLE_STRING => bytes
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(byte)),
        Tag::UTF8_STRING => true,
        Tag::IA5_STRING | TELETEX_STRING => bytes.is_ascii(),
        _ => false,
    };
    if valid {
        core::str::from_utf8(bytes).ok()
    } else {
        None
    }
}

const TELETEX_STRING: Tag = Tag::universal(20);

/// The shortest name of `oid` in const-oid's database (before uppercasing), for the attribute
/// types of the tables below.
fn type_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    USUAL_TYPES
        .iter()
        .chain(OTHER_TYPES)
        .find(|(known, _)| known == oid)
        .map(|(_, name)| *name)
}

/// RFC 4514 escaping as x509-cert does it (control characters as lowercase hex).
fn escape_into(out: &mut String, value: &str) {
    // Most values need no escape: copied whole.
    let special = |byte: &u8| {
        matches!(
            byte,
            b'"' | b'+' | b',' | b';' | b'<' | b'>' | b'\\' | 0x00..=0x1f | 0x7f
        )
    };
    if !value.bytes().any(|byte| special(&byte))
        && !value.starts_with(['#', ' '])
        && !value.ends_with(' ')
    {
        out.push_str(value);
        return;
    }
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

/// The other attribute types of RFC 4519 (`2.5.4.*`) and RFC 4524 (`0.9.2342.19200300.100.1.*`)
/// that const-oid's database names, with their shortest names there.
const OTHER_TYPES: &[(ObjectIdentifier, &str)] = &[
    (
        ObjectIdentifier::new_unwrap("2.5.4.19"),
        "physicalDeliveryOfficeName",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.22"),
        "teletexTerminalIdentifier",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.23"),
        "facsimileTelephoneNumber",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.25"),
        "internationaliSDNNumber",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.28"),
        "preferredDeliveryMethod",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.30"),
        "supportedApplicationContext",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.38"),
        "authorityRevocationList",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.39"),
        "certificateRevocationList",
    ),
    (ObjectIdentifier::new_unwrap("2.5.4.0"), "objectClass"),
    (ObjectIdentifier::new_unwrap("2.5.4.1"), "aliasedObjectName"),
    (
        ObjectIdentifier::new_unwrap("2.5.4.2"),
        "knowledgeInformation",
    ),
    (ObjectIdentifier::new_unwrap("2.5.4.14"), "searchGuide"),
    (ObjectIdentifier::new_unwrap("2.5.4.16"), "postalAddress"),
    (ObjectIdentifier::new_unwrap("2.5.4.18"), "postOfficeBox"),
    (ObjectIdentifier::new_unwrap("2.5.4.20"), "telephoneNumber"),
    (ObjectIdentifier::new_unwrap("2.5.4.21"), "telexNumber"),
    (ObjectIdentifier::new_unwrap("2.5.4.24"), "x121Address"),
    (
        ObjectIdentifier::new_unwrap("2.5.4.26"),
        "registeredAddress",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.27"),
        "destinationIndicator",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.29"),
        "presentationAddress",
    ),
    (ObjectIdentifier::new_unwrap("2.5.4.31"), "member"),
    (ObjectIdentifier::new_unwrap("2.5.4.32"), "owner"),
    (ObjectIdentifier::new_unwrap("2.5.4.33"), "roleOccupant"),
    (ObjectIdentifier::new_unwrap("2.5.4.34"), "seeAlso"),
    (ObjectIdentifier::new_unwrap("2.5.4.35"), "userPassword"),
    (ObjectIdentifier::new_unwrap("2.5.4.36"), "userCertificate"),
    (ObjectIdentifier::new_unwrap("2.5.4.37"), "cACertificate"),
    (
        ObjectIdentifier::new_unwrap("2.5.4.40"),
        "crossCertificatePair",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.45"),
        "x500UniqueIdentifier",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.47"),
        "enhancedSearchGuide",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.48"),
        "protocolInformation",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.49"),
        "distinguishedName",
    ),
    (ObjectIdentifier::new_unwrap("2.5.4.50"), "uniqueMember"),
    (ObjectIdentifier::new_unwrap("2.5.4.51"), "houseIdentifier"),
    (
        ObjectIdentifier::new_unwrap("2.5.4.52"),
        "supportedAlgorithms",
    ),
    (
        ObjectIdentifier::new_unwrap("2.5.4.53"),
        "deltaRevocationList",
    ),
    (ObjectIdentifier::new_unwrap("2.5.4.54"), "dmdName"),
    (ObjectIdentifier::new_unwrap("2.5.4.72"), "id-at-role"),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.2"),
        "textEncodedORAddress",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.3"),
        "mail",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.4"),
        "info",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.5"),
        "drink",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.6"),
        "roomNumber",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.7"),
        "photo",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.8"),
        "userClass",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.9"),
        "host",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.10"),
        "manager",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.11"),
        "documentIdentifier",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.12"),
        "documentTitle",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.13"),
        "documentVersion",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.14"),
        "documentAuthor",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.15"),
        "documentLocation",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.20"),
        "homePhone",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.21"),
        "secretary",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.22"),
        "otherMailbox",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.23"),
        "lastModifiedTime",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.24"),
        "lastModifiedBy",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.26"),
        "aRecord",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.27"),
        "mDRecord",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.28"),
        "mXRecord",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.29"),
        "nSRecord",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.30"),
        "sOARecord",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.31"),
        "cNAMERecord",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.37"),
        "associatedDomain",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.38"),
        "associatedName",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.39"),
        "homePostalAddress",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.40"),
        "personalTitle",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.41"),
        "mobile",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.42"),
        "pager",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.43"),
        "co",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.44"),
        "uniqueIdentifier",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.45"),
        "organizationalStatus",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.46"),
        "janetMailbox",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.47"),
        "mailPreferenceOption",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.48"),
        "buildingName",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.49"),
        "dSAQuality",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.50"),
        "singleLevelQuality",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.51"),
        "subtreeMinimumQuality",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.52"),
        "subtreeMaximumQuality",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.53"),
        "personalSignature",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.54"),
        "dITRedirect",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.55"),
        "audio",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.56"),
        "documentPublisher",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.60"),
        "jpegPhoto",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use const_oid::db::DB;
    use der::{Decode, Encode};
    use x509_cert::name::Name;

    #[test]
    fn the_tables_hold_the_databases_shortest_names() {
        for (oid, name) in USUAL_TYPES.iter().chain(OTHER_TYPES) {
            assert_eq!(shortest_database_name(oid), Some(*name), "{oid}");
        }
    }

    #[test]
    fn the_tables_hold_every_named_attribute_type() {
        for prefix in ["2.5.4", "0.9.2342.19200300.100.1"] {
            for arc in 0..200 {
                let oid = ObjectIdentifier::new(&format!("{prefix}.{arc}")).unwrap();
                if DB.by_oid(&oid).is_some() {
                    assert!(type_name(&oid).is_some(), "{oid} is missing");
                }
            }
        }
    }

    fn shortest_database_name(oid: &ObjectIdentifier) -> Option<&'static str> {
        DB.find_names_for_oid(*oid)
            .reduce(|best, name| if name.len() < best.len() { name } else { best })
    }

    #[test]
    fn other_types_are_dotted_oids() {
        // id-ce-keyUsage has a database name, but it is no attribute type.
        let name = Name::from_der(&[
            0x30, 0x0e, 0x31, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x0f, 0x0c, 0x03, 0x61,
            0x62, 0x63,
        ])
        .unwrap();
        assert_eq!(display(&name), "2.5.29.15=#0c03616263");
    }

    #[test]
    fn same_text_as_x509_cert_for_the_system_bundle() {
        let Ok(bundle) = std::fs::read("/etc/ssl/certs/ca-certificates.crt") else {
            panic!("the system bundle is installed (scripts/install-deps.sh)");
        };
        let blocks = crate::decode::blocks(&bundle).unwrap();
        assert!(blocks.len() > 100);
        for block in blocks {
            let certificate = crate::x509::certificate::parse_before(&block.unwrap().der).unwrap();
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

//! Short renderings of primitive values and of tags (X.690 section 8; X.680 section 8.4).

use const_oid::ObjectIdentifier;

use super::Header;
use crate::x509::{
    algorithm, extensions, hex, integer_hex, name,
    public_key::{curve_name, unsigned_bits},
};

/// Longer contents are shown as their first bytes and a count.
const PREVIEW_BYTES: usize = 48;

/// `SEQUENCE`, `INTEGER`, `[3]`, `[APPLICATION 1]`, `[PRIVATE 2]`.
pub(super) fn tag_name(class: u8, constructed: bool, number: u32) -> String {
    match class {
        0 => universal_name(number, constructed),
        1 => format!("[APPLICATION {number}]"),
        2 => format!("[{number}]"),
        _ => format!("[PRIVATE {number}]"),
    }
}

fn universal_name(number: u32, constructed: bool) -> String {
    let name = match number {
        1 => "BOOLEAN",
        2 => "INTEGER",
        3 => "BIT STRING",
        4 => "OCTET STRING",
        5 => "NULL",
        6 => "OBJECT IDENTIFIER",
        10 => "ENUMERATED",
        12 => "UTF8String",
        16 if constructed => "SEQUENCE",
        17 if constructed => "SET",
        18 => "NumericString",
        19 => "PrintableString",
        20 => "TeletexString",
        22 => "IA5String",
        23 => "UTCTime",
        24 => "GeneralizedTime",
        26 => "VisibleString",
        28 => "UniversalString",
        30 => "BMPString",
        _ => return format!("[UNIVERSAL {number}]"),
    };
    name.to_owned()
}

/// The value of a primitive encoding, for people.
pub(super) fn primitive(header: &Header, contents: &[u8]) -> String {
    if header.class != 0 {
        return context_value(contents);
    }
    match header.number {
        1 => boolean(contents),
        2 | 10 => integer(contents),
        3 => bit_string(contents),
        5 => String::new(),
        6 => object_identifier(contents),
        12 | 18 | 19 | 20 | 22 | 23 | 24 | 26 => String::from_utf8_lossy(contents).into_owned(),
        30 => name::utf16(contents).unwrap_or_else(|| hex_preview(contents)),
        _ => hex_preview(contents),
    }
}

/// The first bytes of `contents` as hex, and the count when some are left out.
pub(super) fn hex_preview(contents: &[u8]) -> String {
    match contents.get(..PREVIEW_BYTES) {
        Some(start) if contents.len() > PREVIEW_BYTES => {
            format!("{}… ({} bytes)", hex(start), contents.len())
        }
        _ => hex(contents),
    }
}

fn boolean(contents: &[u8]) -> String {
    match contents {
        [0x00] => "false".to_owned(),
        [0xff] => "true".to_owned(),
        _ => format!("invalid BOOLEAN {}", hex(contents)),
    }
}

/// Small integers in decimal, large ones in hex with their size.
fn integer(contents: &[u8]) -> String {
    if contents.len() <= 8 {
        let mut value: i64 = if contents.first().is_some_and(|byte| byte & 0x80 != 0) {
            -1
        } else {
            0
        };
        for byte in contents {
            value = (value << 8) | i64::from(*byte);
        }
        return value.to_string();
    }
    let text = integer_hex(contents);
    let bits = unsigned_bits(contents);
    match text.get(..PREVIEW_BYTES * 2) {
        Some(start) => format!("{start}… ({bits} bits)"),
        None => format!("{text} ({bits} bits)"),
    }
}

fn bit_string(contents: &[u8]) -> String {
    let Some((unused, bits)) = contents.split_first() else {
        return "invalid BIT STRING (no unused-bits octet)".to_owned();
    };
    let count = (bits.len() * 8).saturating_sub(usize::from(*unused));
    if bits.len() <= 4 {
        let binary: String = bits.iter().map(|byte| format!("{byte:08b}")).collect();
        return binary.get(..count).unwrap_or(&binary).to_owned();
    }
    format!("{count} bits: {}", hex_preview(bits))
}

/// The dotted OID and, when known, its name.
fn object_identifier(contents: &[u8]) -> String {
    let Ok(oid) = ObjectIdentifier::from_bytes(contents) else {
        return format!("invalid OBJECT IDENTIFIER {}", hex(contents));
    };
    let dotted = oid.to_string();
    match oid_name(&oid, &dotted) {
        Some(name) => format!("{dotted} ({name})"),
        None => dotted,
    }
}

fn oid_name(oid: &ObjectIdentifier, dotted: &str) -> Option<String> {
    if let Some(name) = name::short_name(oid).or_else(|| extensions::name(dotted)) {
        return Some(name.to_owned());
    }
    let named = [
        algorithm::signature_name(oid),
        algorithm::key_purpose_name(oid),
        algorithm::access_method_name(oid),
        curve_name(oid).0,
    ];
    if let Some(name) = named.into_iter().find(|name| name != dotted) {
        return Some(name);
    }
    algorithm::policy_name(oid)
        .or_else(|| other_name(dotted))
        .map(str::to_owned)
}

/// Names that the report modules do not need but an ASN.1 reader meets often.
fn other_name(dotted: &str) -> Option<&'static str> {
    Some(match dotted {
        "1.2.840.113549.1.1.1" => "rsaEncryption",
        "1.2.840.10045.2.1" => "id-ecPublicKey",
        "1.2.840.113549.1.1.8" => "id-mgf1",
        "2.16.840.1.101.3.4.2.1" => "sha256",
        "2.16.840.1.101.3.4.2.2" => "sha384",
        "2.16.840.1.101.3.4.2.3" => "sha512",
        "1.2.840.113549.1.9.14" => "extensionRequest",
        "1.2.840.113549.1.9.7" => "challengePassword",
        "1.2.840.113549.1.7.1" => "data",
        "1.2.840.113549.1.7.2" => "signedData",
        "1.3.6.1.5.5.7.2.1" => "id-qt-cps",
        "1.3.6.1.5.5.7.2.2" => "id-qt-unotice",
        _ => return None,
    })
}

/// Implicitly tagged primitives: text when it is printable ASCII (dNSName, URI, email),
/// otherwise hex (iPAddress, keyIdentifier).
fn context_value(contents: &[u8]) -> String {
    let printable = !contents.is_empty()
        && contents
            .iter()
            .all(|byte| byte.is_ascii_graphic() || *byte == b' ');
    if printable {
        String::from_utf8_lossy(contents).into_owned()
    } else {
        hex_preview(contents)
    }
}

//! Key usage (RFC 5280 section 4.2.1.3).
//!
//! ```text
//! KeyUsage ::= BIT STRING {
//!      digitalSignature        (0), nonRepudiation (1), keyEncipherment (2),
//!      dataEncipherment        (3), keyAgreement   (4), keyCertSign     (5),
//!      cRLSign                 (6), encipherOnly   (7), decipherOnly    (8) }
//! ```

use super::{DecodeError, ExtensionValue};
use crate::asn1::read;

/// The bit names, in bit order. `nonRepudiation` is called `contentCommitment` in X.509 (2008).
pub const KEY_USAGE_NAMES: [&str; 9] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

pub(super) fn decode(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let (unused, octets) = read::parse(bytes, |reader| {
        // As der reads a BIT STRING: 0..7 unused bits, none when empty, their value not
        // checked (the reader's own bit_string checks it).
        let tlv = reader.expect(read::Tag::BIT_STRING, "a BIT STRING")?;
        match tlv.contents.split_first() {
            Some((&unused, octets)) if unused <= 7 && !(octets.is_empty() && unused != 0) => {
                Ok((unused, octets))
            }
            _ => Err(reader.error("a BIT STRING with 0..7 unused bits")),
        }
    })?;
    let length = (octets.len() * 8).saturating_sub(usize::from(unused));
    let names = KEY_USAGE_NAMES
        .iter()
        .enumerate()
        .filter(|(bit, _)| {
            *bit < length
                && octets
                    .get(bit / 8)
                    .is_some_and(|octet| octet & (0x80 >> (bit % 8)) != 0)
        })
        .map(|(_, name)| (*name).to_owned())
        .collect();
    Ok(ExtensionValue::List(names))
}

/// The decoder before `asn1::read` (der's), for the differential test.
#[cfg(test)]
pub(super) fn decode_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::{Decode, asn1::BitStringRef};
    let bits = BitStringRef::from_der(bytes)?;
    let names = bits
        .bits()
        .zip(KEY_USAGE_NAMES)
        .filter(|(set, _)| *set)
        .map(|(_, name)| name.to_owned())
        .collect();
    Ok(ExtensionValue::List(names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bits_in_order() {
        // BIT STRING, 1 unused bit, 0b1000_0110: digitalSignature, keyCertSign, cRLSign
        let value = decode(&[0x03, 0x02, 0x01, 0x86]).unwrap();
        let expected = ["digitalSignature", "keyCertSign", "cRLSign"]
            .map(String::from)
            .to_vec();
        assert_eq!(value, ExtensionValue::List(expected));
    }
}

//! Extended key usage (RFC 5280 section 4.2.1.12).
//!
//! ```text
//! ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
//! KeyPurposeId ::= OBJECT IDENTIFIER
//! ```

use super::{DecodeError, ExtensionValue};
use crate::asn1::read;
use crate::x509::algorithm::key_purpose_name;

pub(super) fn decode(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let purposes = read::parse(bytes, |reader| {
        reader.read_sequence(|list| {
            let mut purposes = Vec::new();
            while !list.is_empty() {
                purposes.push(key_purpose_name(&list.object_identifier()?));
            }
            Ok(purposes)
        })
    })?;
    Ok(ExtensionValue::List(purposes))
}

/// The decoder before `asn1::read` (x509-cert's), for the differential test.
#[cfg(test)]
pub(super) fn decode_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::Decode;
    let usage = x509_cert::ext::pkix::ExtendedKeyUsage::from_der(bytes)?;
    Ok(ExtensionValue::List(
        usage.0.iter().map(key_purpose_name).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_purposes() {
        // SEQUENCE { serverAuth, 1.2.3 }
        let bytes = [
            0x30, 0x0e, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01, 0x06, 0x02,
            0x2a, 0x03,
        ];
        let value = decode(&bytes).unwrap();
        assert_eq!(
            value,
            ExtensionValue::List(vec!["serverAuth".into(), "1.2.3".into()])
        );
    }
}

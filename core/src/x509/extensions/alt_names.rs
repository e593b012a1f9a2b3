//! Subject and issuer alternative names (RFC 5280 sections 4.2.1.6 and 4.2.1.7).
//!
//! ```text
//! SubjectAltName ::= GeneralNames
//! IssuerAltName ::= GeneralNames
//! GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName
//! ```

use super::{DecodeError, ExtensionValue};
use crate::x509::general_name::read_lenient;

pub(super) fn decode_subject(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    Ok(ExtensionValue::GeneralNames(read_lenient(bytes)?))
}

pub(super) fn decode_issuer(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    Ok(ExtensionValue::GeneralNames(read_lenient(bytes)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_dns_and_ip() {
        // SEQUENCE { [2] "a.b", [7] 127.0.0.1 }
        let bytes = [
            0x30, 0x0b, 0x82, 0x03, b'a', b'.', b'b', 0x87, 0x04, 127, 0, 0, 1,
        ];
        let ExtensionValue::GeneralNames(names) = decode_subject(&bytes).unwrap() else {
            panic!()
        };
        assert_eq!(
            (names[0].name_type, names[0].value.as_str()),
            ("dns", "a.b")
        );
        assert_eq!(
            (names[1].name_type, names[1].value.as_str()),
            ("ip", "127.0.0.1")
        );
    }
}

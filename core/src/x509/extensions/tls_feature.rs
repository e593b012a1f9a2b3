//! TLS feature (RFC 7633 section 4), a.k.a. OCSP must-staple.
//!
//! ```text
//! Features ::= SEQUENCE OF INTEGER  -- TLS extension numbers
//! ```

use super::{DecodeError, ExtensionValue};
use crate::asn1::read;

pub(super) fn decode(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let features = read::parse(bytes, |reader| {
        reader.read_sequence(|list| {
            let mut features = Vec::new();
            while !list.is_empty() {
                features.push(list.u16()?);
            }
            Ok(features)
        })
    })?;
    Ok(names(&features))
}

/// The decoder before `asn1::read` (der's), for the differential test.
#[cfg(test)]
pub(super) fn decode_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::Decode;
    let features = Vec::<u16>::from_der(bytes)?;
    Ok(names(&features))
}

fn names(features: &[u16]) -> ExtensionValue {
    let names = features
        .iter()
        .map(|feature| match feature {
            5 => "status_request (must-staple)".to_owned(),
            17 => "status_request_v2".to_owned(),
            other => format!("tls extension {other}"),
        })
        .collect();
    ExtensionValue::List(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_must_staple() {
        let value = decode(&[0x30, 0x03, 0x02, 0x01, 0x05]).unwrap();
        assert_eq!(
            value,
            ExtensionValue::List(vec!["status_request (must-staple)".into()])
        );
    }
}

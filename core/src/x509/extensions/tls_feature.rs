//! TLS feature (RFC 7633 section 4), a.k.a. OCSP must-staple.
//!
//! ```text
//! Features ::= SEQUENCE OF INTEGER  -- TLS extension numbers
//! ```

use der::Decode;

use super::{DecodeError, ExtensionValue};

pub(super) fn decode(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let features = Vec::<u16>::from_der(bytes)?;
    let names = features
        .iter()
        .map(|feature| match feature {
            5 => "status_request (must-staple)".to_owned(),
            17 => "status_request_v2".to_owned(),
            other => format!("tls extension {other}"),
        })
        .collect();
    Ok(ExtensionValue::List(names))
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

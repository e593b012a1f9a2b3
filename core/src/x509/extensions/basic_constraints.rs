//! Basic constraints (RFC 5280 section 4.2.1.9).
//!
//! ```text
//! BasicConstraints ::= SEQUENCE {
//!      cA                      BOOLEAN DEFAULT FALSE,
//!      pathLenConstraint       INTEGER (0..MAX) OPTIONAL }
//! ```

use der::Decode;
use serde::Serialize;
use x509_cert::ext::pkix::BasicConstraints;

use super::{DecodeError, ExtensionValue};

/// The decoded basic constraints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct BasicConstraintsValue {
    /// Whether the subject is a CA.
    pub ca: bool,
    /// The maximum number of non-self-issued intermediates below this CA.
    pub path_len: Option<u8>,
}

pub(super) fn decode(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let constraints = BasicConstraints::from_der(bytes)?;
    Ok(ExtensionValue::BasicConstraints(BasicConstraintsValue {
        ca: constraints.ca,
        path_len: constraints.path_len_constraint,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_ca_with_path_length() {
        // SEQUENCE { BOOLEAN TRUE, INTEGER 0 }
        let value = decode(&[0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00]).unwrap();
        assert_eq!(
            value,
            ExtensionValue::BasicConstraints(BasicConstraintsValue {
                ca: true,
                path_len: Some(0)
            })
        );
        let value = decode(&[0x30, 0x00]).unwrap();
        assert_eq!(
            value,
            ExtensionValue::BasicConstraints(BasicConstraintsValue {
                ca: false,
                path_len: None
            })
        );
    }
}

//! Basic constraints (RFC 5280 section 4.2.1.9).
//!
//! ```text
//! BasicConstraints ::= SEQUENCE {
//!      cA                      BOOLEAN DEFAULT FALSE,
//!      pathLenConstraint       INTEGER (0..MAX) OPTIONAL }
//! ```

use serde::Serialize;

use super::{DecodeError, ExtensionValue};
use crate::asn1::read::{self, Tag};

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
    let (ca, path_len) = read::parse(bytes, read_basic_constraints)?;
    Ok(ExtensionValue::BasicConstraints(BasicConstraintsValue {
        ca,
        path_len,
    }))
}

/// Reads `BasicConstraints` (cA, pathLenConstraint) as `x509-cert` read it: cA DEFAULT FALSE
/// (an explicit FALSE accepted), pathLenConstraint up to 255. Issuance reads the extension
/// with it too.
pub(crate) fn read_basic_constraints(
    reader: &mut read::Reader<'_>,
) -> read::Result<(bool, Option<u8>)> {
    read_basic_constraints_saying(reader, "a pathLenConstraint of 0..255")
}

/// [`read_basic_constraints`], `too_long` what a pathLenConstraint above 255 is refused with
/// (chain verification has its own words).
pub(crate) fn read_basic_constraints_saying(
    reader: &mut read::Reader<'_>,
    too_long: &'static str,
) -> read::Result<(bool, Option<u8>)> {
    reader.read_sequence(|fields| {
        let ca = match fields.peek_tag()? {
            Some(Tag::BOOLEAN) => fields.boolean()?,
            _ => false,
        };
        let path_len = match fields.peek_tag()? {
            Some(Tag::INTEGER) => {
                let offset_error = fields.error(too_long);
                Some(u8::try_from(fields.u64()?).map_err(|_| offset_error)?)
            }
            _ => None,
        };
        Ok((ca, path_len))
    })
}

/// The decoder before `asn1::read` (x509-cert's), for the differential test.
#[cfg(test)]
pub(super) fn decode_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::Decode;
    let constraints = x509_cert::ext::pkix::BasicConstraints::from_der(bytes)?;
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

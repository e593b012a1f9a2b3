//! Authority and subject information access (RFC 5280 sections 4.2.2.1 and 4.2.2.2).
//!
//! ```text
//! AuthorityInfoAccessSyntax  ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
//! AccessDescription  ::=  SEQUENCE {
//!         accessMethod          OBJECT IDENTIFIER,
//!         accessLocation        GeneralName  }
//! ```

use serde::Serialize;

use super::{DecodeError, ExtensionValue};
use crate::asn1::read;
use crate::x509::{
    algorithm::access_method_name,
    general_name::{GeneralNameReport, describe, read_general_name},
};

/// One access description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct AccessDescriptionValue {
    /// `OCSP`, `caIssuers`, ... or the dotted OID.
    pub method: String,
    /// Where (usually a `uri`).
    pub location: GeneralNameReport,
}

pub(super) fn decode(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let values = read::parse(bytes, |reader| {
        let mut list = reader.sequence()?;
        let mut values = Vec::with_capacity(2);
        while !list.is_empty() {
            values.push(list.read_sequence(|description| {
                let method = description.object_identifier()?;
                let location = read_general_name(description)?;
                Ok(AccessDescriptionValue {
                    method: access_method_name(&method),
                    location: describe(&location),
                })
            })?);
        }
        Ok(values)
    })?;
    Ok(ExtensionValue::AccessDescriptions(values))
}

/// The decoder before `asn1::read` (x509-cert's), for the differential test.
#[cfg(test)]
pub(super) fn decode_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::Decode;
    let access = x509_cert::ext::pkix::AuthorityInfoAccessSyntax::from_der(bytes)?;
    let values = access
        .0
        .iter()
        .map(|description| AccessDescriptionValue {
            method: access_method_name(&description.access_method),
            location: super::describe_x509_name(&description.access_location),
        })
        .collect();
    Ok(ExtensionValue::AccessDescriptions(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_ocsp() {
        // SEQUENCE { SEQUENCE { id-ad-ocsp, [6] "http://o" } }
        let bytes = [
            0x30, 0x16, 0x30, 0x14, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01,
            0x86, 0x08, b'h', b't', b't', b'p', b':', b'/', b'/', b'o',
        ];
        let ExtensionValue::AccessDescriptions(list) = decode(&bytes).unwrap() else {
            panic!()
        };
        assert_eq!(list[0].method, "OCSP");
        assert_eq!(list[0].location.value, "http://o");
    }
}

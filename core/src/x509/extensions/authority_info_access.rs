//! Authority and subject information access (RFC 5280 sections 4.2.2.1 and 4.2.2.2).
//!
//! ```text
//! AuthorityInfoAccessSyntax  ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
//! AccessDescription  ::=  SEQUENCE {
//!         accessMethod          OBJECT IDENTIFIER,
//!         accessLocation        GeneralName  }
//! ```

use der::Decode;
use serde::Serialize;
use x509_cert::ext::pkix::AuthorityInfoAccessSyntax;

use super::{DecodeError, ExtensionValue};
use crate::x509::{algorithm::access_method_name, general_name::GeneralNameReport};

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
    let access = AuthorityInfoAccessSyntax::from_der(bytes)?;
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

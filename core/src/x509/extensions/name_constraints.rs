//! Name constraints (RFC 5280 section 4.2.1.10).
//!
//! ```text
//! NameConstraints ::= SEQUENCE {
//!      permittedSubtrees       [0]     GeneralSubtrees OPTIONAL,
//!      excludedSubtrees        [1]     GeneralSubtrees OPTIONAL }
//! GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree
//! GeneralSubtree ::= SEQUENCE {
//!      base                    GeneralName,
//!      minimum         [0]     BaseDistance DEFAULT 0,
//!      maximum         [1]     BaseDistance OPTIONAL }
//! ```

use serde::Serialize;

use super::{DecodeError, ExtensionValue};
use crate::asn1::read;
use crate::x509::general_name::{
    GeneralNameRef, GeneralNameReport, describe, ip_range_text, read_general_name,
};

/// The decoded name constraints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct NameConstraintsValue {
    /// Names below which subjects and SANs must fall.
    pub permitted: Vec<GeneralNameReport>,
    /// Names below which subjects and SANs must not fall.
    pub excluded: Vec<GeneralNameReport>,
}

pub(super) fn decode(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let value = read::parse(bytes, |reader| {
        reader.read_sequence(|fields| {
            let mut subtrees = |number| -> read::Result<Vec<GeneralNameReport>> {
                let Some(tlv) = fields.optional_context(number, true)? else {
                    return Ok(Vec::new());
                };
                let mut list = tlv.reader()?;
                let mut bases = Vec::with_capacity(4);
                while !list.is_empty() {
                    bases.push(list.read_sequence(read_subtree)?);
                }
                Ok(bases)
            };
            Ok(NameConstraintsValue {
                permitted: subtrees(0)?,
                excluded: subtrees(1)?,
            })
        })
    })?;
    Ok(ExtensionValue::NameConstraints(value))
}

/// One GeneralSubtree: its base as reported (IP bases are address ranges: address and mask);
/// `[0] minimum` and `[1] maximum` (IMPLICIT INTEGERs of 32 bits) checked, not reported.
fn read_subtree(fields: &mut read::Reader<'_>) -> read::Result<GeneralNameReport> {
    let base = read_general_name(fields)?;
    for number in [0, 1] {
        if let Some(distance) = fields.optional_context(number, false)? {
            super::implicit_u32(&distance)?;
        }
    }
    Ok(match base {
        GeneralNameRef::Ip(range) => GeneralNameReport {
            name_type: "ip",
            value: ip_range_text(range),
        },
        other => describe(&other),
    })
}

/// The decoder before `asn1::read` (x509-cert's), for the differential test.
#[cfg(test)]
pub(super) fn decode_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::Decode;
    let constraints = x509_cert::ext::pkix::NameConstraints::from_der(bytes)?;
    let bases =
        |subtrees: &Option<Vec<x509_cert::ext::pkix::constraints::name::GeneralSubtree>>| {
            subtrees
                .iter()
                .flatten()
                .map(|subtree| describe_subtree_base(&subtree.base))
                .collect()
        };
    Ok(ExtensionValue::NameConstraints(NameConstraintsValue {
        permitted: bases(&constraints.permitted_subtrees),
        excluded: bases(&constraints.excluded_subtrees),
    }))
}

/// A subtree base; IP bases are address ranges (address and mask).
#[cfg(test)]
fn describe_subtree_base(base: &x509_cert::ext::pkix::name::GeneralName) -> GeneralNameReport {
    match base {
        x509_cert::ext::pkix::name::GeneralName::IpAddress(range) => GeneralNameReport {
            name_type: "ip",
            value: ip_range_text(range.as_bytes()),
        },
        other => super::describe_x509_name(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_permitted_dns_and_excluded_ip() {
        // SEQUENCE { [0] { SEQUENCE { [2] "a.b" } }, [1] { SEQUENCE { [7] 10.0.0.0/255.0.0.0 } } }
        let bytes = [
            0x30, 0x1a, 0xa0, 0x07, 0x30, 0x05, 0x82, 0x03, b'a', b'.', b'b', 0xa1, 0x0f, 0x30,
            0x0d, 0x87, 0x08, 10, 0, 0, 0, 255, 0, 0, 0, 0x80, 0x01, 0x00,
        ];
        let result = decode(&bytes);
        let ExtensionValue::NameConstraints(value) = result.unwrap() else {
            panic!()
        };
        assert_eq!(value.permitted[0].value, "a.b");
        assert_eq!(value.excluded[0].value, "10.0.0.0/8");
    }
}

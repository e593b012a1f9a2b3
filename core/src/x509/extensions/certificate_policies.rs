//! Certificate policies (RFC 5280 section 4.2.1.4).
//!
//! ```text
//! certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation
//! PolicyInformation ::= SEQUENCE {
//!      policyIdentifier   CertPolicyId,
//!      policyQualifiers   SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo OPTIONAL }
//! PolicyQualifierInfo ::= SEQUENCE {
//!      policyQualifierId  PolicyQualifierId,
//!      qualifier          ANY DEFINED BY policyQualifierId }
//! ```

use serde::Serialize;

use super::{DecodeError, ExtensionValue};
use crate::asn1::read::{self, Tag};
use crate::x509::{algorithm::policy_name, hex};

/// One policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PolicyValue {
    /// Dotted OID.
    pub oid: String,
    /// A well-known policy's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    /// CPS URIs and other qualifiers as text (hex DER for user notices).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<String>,
}

pub(super) fn decode(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let values = read::parse(bytes, |reader| {
        let mut list = reader.sequence()?;
        let mut values = Vec::with_capacity(2);
        while !list.is_empty() {
            values.push(list.read_sequence(read_policy)?);
        }
        Ok(values)
    })?;
    Ok(ExtensionValue::Policies(values))
}

/// One PolicyInformation. A qualifier is `ANY` (any valid TLV): an IA5String (a CPS URI) is
/// shown as its text, anything else (a user notice) as the hex of its TLV; a qualifier info
/// without a qualifier as its id.
fn read_policy(fields: &mut read::Reader<'_>) -> read::Result<PolicyValue> {
    let oid = fields.object_identifier()?;
    let mut qualifiers = Vec::new();
    if let Some(list) = fields.optional(Tag::SEQUENCE)? {
        let mut list = list.reader()?;
        while !list.is_empty() {
            qualifiers.push(list.read_sequence(|info| {
                let id = info.object_identifier()?;
                if info.is_empty() {
                    return Ok(crate::x509::dotted(&id));
                }
                let qualifier = info.tlv()?;
                Ok(match qualifier.tag {
                    Tag::IA5_STRING if qualifier.contents.is_ascii() => {
                        String::from_utf8_lossy(qualifier.contents).into_owned()
                    }
                    _ => hex(qualifier.whole),
                })
            })?);
        }
    }
    Ok(PolicyValue {
        oid: crate::x509::dotted(&oid),
        name: policy_name(&oid),
        qualifiers,
    })
}

/// The decoder before `asn1::read` (x509-cert's), for the differential test.
#[cfg(test)]
pub(super) fn decode_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::{Decode, Encode, asn1::Ia5StringRef};
    let policies = x509_cert::ext::pkix::CertificatePolicies::from_der(bytes)?;
    let values = policies
        .0
        .iter()
        .map(|policy| PolicyValue {
            oid: crate::x509::dotted(&policy.policy_identifier),
            name: policy_name(&policy.policy_identifier),
            qualifiers: policy
                .policy_qualifiers
                .iter()
                .flatten()
                .map(|qualifier| match qualifier.qualifier.as_ref() {
                    Some(any) => any
                        .decode_as::<Ia5StringRef<'_>>()
                        .map(|text| text.to_string())
                        .unwrap_or_else(|_| any.to_der().map(|der| hex(&der)).unwrap_or_default()),
                    None => crate::x509::dotted(&qualifier.policy_qualifier_id),
                })
                .collect(),
        })
        .collect();
    Ok(ExtensionValue::Policies(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_domain_validated() {
        // SEQUENCE { SEQUENCE { 2.23.140.1.2.1 } }
        let bytes = [
            0x30, 0x0a, 0x30, 0x08, 0x06, 0x06, 0x67, 0x81, 0x0c, 0x01, 0x02, 0x01,
        ];
        let ExtensionValue::Policies(list) = decode(&bytes).unwrap() else {
            panic!()
        };
        assert_eq!(list[0].oid, "2.23.140.1.2.1");
        assert_eq!(list[0].name, Some("CA/B Forum domain validated"));
    }
}

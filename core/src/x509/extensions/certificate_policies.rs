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

use der::{Decode, Encode, asn1::Ia5StringRef};
use serde::Serialize;
use x509_cert::ext::pkix::CertificatePolicies;

use super::{DecodeError, ExtensionValue};
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
    let policies = CertificatePolicies::from_der(bytes)?;
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

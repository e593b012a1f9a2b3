//! Policy constraints, policy mappings and inhibit anyPolicy (RFC 5280 sections 4.2.1.11,
//! 4.2.1.5 and 4.2.1.14).
//!
//! ```text
//! PolicyConstraints ::= SEQUENCE {
//!      requireExplicitPolicy           [0] SkipCerts OPTIONAL,
//!      inhibitPolicyMapping            [1] SkipCerts OPTIONAL }
//! PolicyMappings ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE {
//!      issuerDomainPolicy      CertPolicyId,
//!      subjectDomainPolicy     CertPolicyId }
//! InhibitAnyPolicy ::= SkipCerts
//! SkipCerts ::= INTEGER (0..MAX)
//! ```

use serde::Serialize;

use super::{DecodeError, ExtensionValue};
use crate::asn1::read;

/// The decoded policy constraints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PolicyConstraintsValue {
    /// Certificates after which an explicit policy is required.
    pub require_explicit_policy: Option<u32>,
    /// Certificates after which policy mapping is no longer allowed.
    pub inhibit_policy_mapping: Option<u32>,
}

/// One policy mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PolicyMappingValue {
    /// The issuer's policy (dotted OID).
    pub issuer_domain_policy: String,
    /// The equivalent subject policy (dotted OID).
    pub subject_domain_policy: String,
}

pub(super) fn decode(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let value = read::parse(bytes, |reader| {
        reader.read_sequence(|fields| {
            let mut skip_certs = |number| {
                fields
                    .optional_context(number, false)?
                    .map(|tlv| super::implicit_u32(&tlv))
                    .transpose()
            };
            Ok(PolicyConstraintsValue {
                require_explicit_policy: skip_certs(0)?,
                inhibit_policy_mapping: skip_certs(1)?,
            })
        })
    })?;
    Ok(ExtensionValue::PolicyConstraints(value))
}

/// The decoder before `asn1::read` (x509-cert's), for the differential test.
#[cfg(test)]
pub(super) fn decode_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::Decode;
    let constraints = x509_cert::ext::pkix::PolicyConstraints::from_der(bytes)?;
    Ok(ExtensionValue::PolicyConstraints(PolicyConstraintsValue {
        require_explicit_policy: constraints.require_explicit_policy,
        inhibit_policy_mapping: constraints.inhibit_policy_mapping,
    }))
}

pub(super) fn decode_mappings(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let values = read::parse(bytes, |reader| {
        reader.read_sequence(|list| {
            let mut values = Vec::new();
            while !list.is_empty() {
                values.push(list.read_sequence(|mapping| {
                    Ok(PolicyMappingValue {
                        issuer_domain_policy: mapping.object_identifier()?.to_string(),
                        subject_domain_policy: mapping.object_identifier()?.to_string(),
                    })
                })?);
            }
            Ok(values)
        })
    })?;
    Ok(ExtensionValue::PolicyMappings(values))
}

pub(super) fn decode_inhibit_any_policy(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    Ok(ExtensionValue::Count(read::parse(bytes, |reader| {
        reader.u32()
    })?))
}

/// The decoder before `asn1::read` (x509-cert's), for the differential test.
#[cfg(test)]
pub(super) fn decode_mappings_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::Decode;
    let mappings = x509_cert::ext::pkix::PolicyMappings::from_der(bytes)?;
    let values = mappings
        .0
        .iter()
        .map(|mapping| PolicyMappingValue {
            issuer_domain_policy: mapping.issuer_domain_policy.to_string(),
            subject_domain_policy: mapping.subject_domain_policy.to_string(),
        })
        .collect();
    Ok(ExtensionValue::PolicyMappings(values))
}

/// The decoder before `asn1::read` (x509-cert's), for the differential test.
#[cfg(test)]
pub(super) fn decode_inhibit_any_policy_before(
    bytes: &[u8],
) -> Result<ExtensionValue, DecodeError> {
    use der::Decode;
    Ok(ExtensionValue::Count(
        x509_cert::ext::pkix::InhibitAnyPolicy::from_der(bytes)?.0,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_constraints_and_inhibit() {
        let value = decode(&[0x30, 0x03, 0x80, 0x01, 0x00]).unwrap();
        let expected = PolicyConstraintsValue {
            require_explicit_policy: Some(0),
            inhibit_policy_mapping: None,
        };
        assert_eq!(value, ExtensionValue::PolicyConstraints(expected));
        assert_eq!(
            decode_inhibit_any_policy(&[0x02, 0x01, 0x02]).unwrap(),
            ExtensionValue::Count(2)
        );
    }
}

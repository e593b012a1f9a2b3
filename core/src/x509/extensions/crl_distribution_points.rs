//! CRL distribution points and freshest CRL (RFC 5280 sections 4.2.1.13 and 4.2.1.15).
//!
//! ```text
//! CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
//! DistributionPoint ::= SEQUENCE {
//!      distributionPoint       [0]     DistributionPointName OPTIONAL,
//!      reasons                 [1]     ReasonFlags OPTIONAL,
//!      cRLIssuer               [2]     GeneralNames OPTIONAL }
//! DistributionPointName ::= CHOICE {
//!      fullName                [0]     GeneralNames,
//!      nameRelativeToCRLIssuer [1]     RelativeDistinguishedName }
//! ```

use der::{Decode, Encode};
use serde::Serialize;
use x509_cert::ext::pkix::{CrlDistributionPoints, name::DistributionPointName};

use super::{DecodeError, ExtensionValue};
use crate::x509::{general_name::GeneralNameReport, hex};

/// One distribution point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DistributionPointValue {
    /// Where the CRL is (usually one `uri`).
    pub names: Vec<GeneralNameReport>,
    /// A name relative to the CRL issuer, as hex DER, when used instead of full names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative_name: Option<String>,
    /// The CRL issuer when it is not the certificate issuer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub crl_issuer: Vec<GeneralNameReport>,
}

pub(super) fn decode(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let points = CrlDistributionPoints::from_der(bytes)?;
    let values = points
        .0
        .iter()
        .map(|point| {
            let (names, relative_name) = match &point.distribution_point {
                Some(DistributionPointName::FullName(names)) => {
                    (super::describe_x509_names(names), None)
                }
                Some(DistributionPointName::NameRelativeToCRLIssuer(rdn)) => (
                    Vec::new(),
                    Some(rdn.to_der().map(|der| hex(&der)).unwrap_or_default()),
                ),
                None => (Vec::new(), None),
            };
            DistributionPointValue {
                names,
                relative_name,
                crl_issuer: point
                    .crl_issuer
                    .as_deref()
                    .map(super::describe_x509_names)
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(ExtensionValue::DistributionPoints(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_uri() {
        // SEQUENCE { SEQUENCE { [0] { [0] { [6] "http://c/x.crl" } } } }
        let uri = b"http://c/x.crl";
        let mut bytes = vec![0x30, 0x16, 0x30, 0x14, 0xa0, 0x12, 0xa0, 0x10, 0x86, 0x0e];
        bytes.extend_from_slice(uri);
        let ExtensionValue::DistributionPoints(points) = decode(&bytes).unwrap() else {
            panic!()
        };
        assert_eq!(points[0].names[0].value, "http://c/x.crl");
    }
}

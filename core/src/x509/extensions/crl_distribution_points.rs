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

use serde::Serialize;

use super::{DecodeError, ExtensionValue};
use crate::asn1::{read, write};
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
    let values = read::parse(bytes, |reader| {
        let mut list = reader.sequence()?;
        let mut values = Vec::with_capacity(2);
        while !list.is_empty() {
            values.push(list.read_sequence(read_point)?);
        }
        Ok(values)
    })?;
    Ok(ExtensionValue::DistributionPoints(values))
}

/// One DistributionPoint's fields, as `x509-cert` reads them: `[0] EXPLICIT` around the
/// CHOICE of `[0] IMPLICIT GeneralNames` and `[1] IMPLICIT RelativeDistinguishedName` (both
/// constructed), `[1] IMPLICIT ReasonFlags` (checked, not reported), `[2] IMPLICIT GeneralNames`.
fn read_point(fields: &mut read::Reader<'_>) -> read::Result<DistributionPointValue> {
    let (names, relative_name) = match fields.optional_explicit(0)? {
        Some(mut choice) => {
            let tlv = choice.tlv()?;
            choice.finish()?;
            match (tlv.tag.class, tlv.tag.number, tlv.tag.constructed) {
                (read::Class::ContextSpecific, 0, true) => {
                    (super::implicit_general_names(&tlv)?, None)
                }
                (read::Class::ContextSpecific, 1, true) => {
                    (Vec::new(), Some(hex(&relative_name_der(&tlv)?)))
                }
                _ => {
                    return Err(read::DerError {
                        offset: tlv.offset,
                        expected: "a DistributionPointName",
                    });
                }
            }
        }
        None => (Vec::new(), None),
    };
    if let Some(reasons) = fields.optional_context(1, false)? {
        check_reason_flags(&reasons)?;
    }
    let crl_issuer = fields
        .optional_context(2, true)?
        .map(|tlv| super::implicit_general_names(&tlv))
        .transpose()?
        .unwrap_or_default();
    Ok(DistributionPointValue {
        names,
        relative_name,
        crl_issuer,
    })
}

/// The `[1] IMPLICIT RelativeDistinguishedName` re-encoded as the SET that `x509-cert` reports:
/// its attributes checked as a name's are and in DER SET OF order.
fn relative_name_der(tlv: &read::Tlv<'_>) -> read::Result<Vec<u8>> {
    let mut members = tlv.reader()?;
    let attributes = crate::x509::name::read_rdn(&mut members)?;
    let mut der = Vec::new();
    write::set_of(&mut der, |out| {
        for attribute in &attributes {
            write::sequence(out, |out| {
                write::oid(out, &attribute.oid);
                out.extend_from_slice(attribute.value_der);
            });
        }
    });
    Ok(der)
}

/// ReasonFlags as `der` reads its flag set: a BIT STRING of 0..7 unused bits (none when empty,
/// their value not checked) and at most 16 bits.
pub(crate) fn check_reason_flags(tlv: &read::Tlv<'_>) -> read::Result<()> {
    let valid = match tlv.contents.split_first() {
        Some((&unused, octets)) => {
            unused <= 7
                && !(octets.is_empty() && unused != 0)
                && (octets.len() * 8).saturating_sub(usize::from(unused)) <= 16
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(read::DerError {
            offset: tlv.offset,
            expected: "ReasonFlags (a BIT STRING of at most 16 bits)",
        })
    }
}

/// The decoder before `asn1::read` (x509-cert's), for the differential test.
#[cfg(test)]
pub(super) fn decode_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::{Decode, Encode};
    use x509_cert::ext::pkix::{CrlDistributionPoints, name::DistributionPointName};
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

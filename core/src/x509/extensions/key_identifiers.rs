//! Subject and authority key identifiers (RFC 5280 sections 4.2.1.2 and 4.2.1.1).
//!
//! ```text
//! SubjectKeyIdentifier ::= KeyIdentifier
//! AuthorityKeyIdentifier ::= SEQUENCE {
//!    keyIdentifier             [0] KeyIdentifier           OPTIONAL,
//!    authorityCertIssuer       [1] GeneralNames            OPTIONAL,
//!    authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL  }
//! KeyIdentifier ::= OCTET STRING
//! ```

use serde::Serialize;

use super::{DecodeError, ExtensionValue};
use crate::asn1::read;
use crate::x509::{general_name::GeneralNameReport, hex, integer_hex};

/// The decoded authority key identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct AuthorityKeyIdentifierValue {
    /// The issuer's key identifier as lowercase hex.
    pub key_id: Option<String>,
    /// The issuer's issuer names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Vec<GeneralNameReport>>,
    /// The issuer certificate's serial number as lowercase hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
}

pub(super) fn decode_subject(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let identifier = read::parse(bytes, |reader| reader.octet_string())?;
    Ok(ExtensionValue::KeyIdentifier(hex(identifier)))
}

/// The decoder before `asn1::read` (x509-cert's), for the differential test.
#[cfg(test)]
pub(super) fn decode_subject_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::Decode;
    let identifier = x509_cert::ext::pkix::SubjectKeyIdentifier::from_der(bytes)?;
    Ok(ExtensionValue::KeyIdentifier(hex(identifier.0.as_bytes())))
}

pub(super) fn decode_authority(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let value = read::parse(bytes, |reader| {
        reader.read_sequence(|fields| {
            // IMPLICIT tags keep the base encoding's form: OCTET STRING and INTEGER primitive,
            // GeneralNames constructed.
            let key_id = fields
                .optional_context(0, false)?
                .map(|tlv| hex(tlv.contents));
            let issuer = fields
                .optional_context(1, true)?
                .map(|tlv| super::implicit_general_names(&tlv))
                .transpose()?;
            let serial = fields
                .optional_context(2, false)?
                .map(|tlv| serial_number(&tlv))
                .transpose()?;
            Ok(AuthorityKeyIdentifierValue {
                key_id,
                issuer,
                serial,
            })
        })
    })?;
    Ok(ExtensionValue::AuthorityKeyIdentifier(value))
}

/// authorityCertSerialNumber as `x509-cert` reads it (its RFC 5280 profile): a minimal
/// INTEGER of at most 21 bytes, any sign.
fn serial_number(tlv: &read::Tlv<'_>) -> read::Result<String> {
    let minimal = match tlv.contents {
        [] => false,
        [0x00, next, ..] => next & 0x80 != 0,
        [0xff, next, ..] => next & 0x80 == 0,
        _ => true,
    };
    if !minimal || tlv.contents.len() > 21 {
        return Err(read::DerError {
            offset: tlv.offset,
            expected: "a serial number (a minimal INTEGER of at most 21 bytes)",
        });
    }
    Ok(integer_hex(tlv.contents))
}

/// The decoder before `asn1::read` (x509-cert's), for the differential test.
#[cfg(test)]
pub(super) fn decode_authority_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::Decode;
    let identifier = x509_cert::ext::pkix::AuthorityKeyIdentifier::from_der(bytes)?;
    Ok(ExtensionValue::AuthorityKeyIdentifier(
        AuthorityKeyIdentifierValue {
            key_id: identifier.key_identifier.map(|id| hex(id.as_bytes())),
            issuer: identifier
                .authority_cert_issuer
                .map(|names| super::describe_x509_names(&names)),
            serial: identifier
                .authority_cert_serial_number
                .map(|serial| integer_hex(serial.as_bytes())),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_identifiers() {
        assert_eq!(
            decode_subject(&[0x04, 0x02, 0xab, 0xcd]).unwrap(),
            ExtensionValue::KeyIdentifier("abcd".into())
        );
        let ExtensionValue::AuthorityKeyIdentifier(aki) =
            decode_authority(&[0x30, 0x04, 0x80, 0x02, 0x01, 0x02]).unwrap()
        else {
            panic!()
        };
        assert_eq!(aki.key_id.as_deref(), Some("0102"));
        assert!(aki.issuer.is_none());
    }
}

//! Signed certificate timestamps (RFC 6962 section 3.3).
//!
//! ```text
//! SignedCertificateTimestampList ::= OCTET STRING  -- holding, in TLS encoding:
//! opaque SerializedSCT<1..2^16-1>;
//! struct { SerializedSCT sct_list <1..2^16-1>; } SignedCertificateTimestampList;
//! struct { Version sct_version; LogID id; uint64 timestamp; ... } SignedCertificateTimestamp;
//! ```

use base64ct::{Base64, Encoding};
use serde::Serialize;

use super::{DecodeError, ExtensionValue};
use crate::time::UnixTime;

/// The decoded SCT list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SctListValue {
    /// How many SCTs the list holds.
    pub count: usize,
    /// Each SCT's log and time.
    pub scts: Vec<SctValue>,
}

/// One SCT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SctValue {
    /// The log id (SHA-256 of the log's key) in base64, as CT log lists print it.
    pub log_id: String,
    /// When the log saw the certificate (RFC 3339).
    pub timestamp: String,
}

pub(super) fn decode(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    let list = crate::asn1::read::parse(bytes, |reader| reader.octet_string())?;
    let scts = parse_list(list).ok_or(crate::asn1::read::DerError {
        // The OCTET STRING's contents: after its tag and length.
        offset: bytes.len().saturating_sub(list.len()),
        expected: "a SignedCertificateTimestampList (TLS encoding)",
    })?;
    Ok(ExtensionValue::Scts(SctListValue {
        count: scts.len(),
        scts,
    }))
}

/// The decoder before `asn1::read` (der's OCTET STRING), for the differential test.
#[cfg(test)]
pub(super) fn decode_before(bytes: &[u8]) -> Result<ExtensionValue, DecodeError> {
    use der::{Decode, asn1::OctetStringRef};
    let list = <&OctetStringRef>::from_der(bytes)?;
    let scts = parse_list(list.as_bytes()).ok_or_else(|| der::Tag::OctetString.value_error())?;
    Ok(ExtensionValue::Scts(SctListValue {
        count: scts.len(),
        scts,
    }))
}

fn parse_list(tls: &[u8]) -> Option<Vec<SctValue>> {
    let (body, rest) = length_prefixed(tls)?;
    if !rest.is_empty() {
        return None;
    }
    let mut remaining = body;
    let mut scts = Vec::new();
    while !remaining.is_empty() {
        let (sct, rest) = length_prefixed(remaining)?;
        scts.push(parse_sct(sct)?);
        remaining = rest;
    }
    Some(scts)
}

/// Version (1 byte), log id (32), timestamp in milliseconds (8), then extensions and signature.
fn parse_sct(sct: &[u8]) -> Option<SctValue> {
    let log_id = sct.get(1..33)?;
    let millis = u64::from_be_bytes(sct.get(33..41)?.try_into().ok()?);
    let seconds = i64::try_from(millis / 1000).ok()?;
    Some(SctValue {
        log_id: Base64::encode_string(log_id),
        timestamp: UnixTime(seconds).to_rfc3339(),
    })
}

/// Splits a `u16`-length-prefixed TLS vector from the bytes after it.
fn length_prefixed(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let length = usize::from(u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?]));
    let body = bytes.get(2..2 + length)?;
    Some((body, bytes.get(2 + length..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_one_sct_and_rejects_truncation() {
        let mut sct = vec![0u8];
        sct.extend([7u8; 32]);
        sct.extend(1_700_000_000_000u64.to_be_bytes());
        sct.extend([0, 0]);
        let mut list = (u16::try_from(sct.len() + 2).unwrap())
            .to_be_bytes()
            .to_vec();
        list.extend(u16::try_from(sct.len()).unwrap().to_be_bytes());
        list.extend(&sct);
        let scts = parse_list(&list).unwrap();
        assert_eq!(scts.len(), 1);
        assert_eq!(scts[0].timestamp, "2023-11-14T22:13:20Z");
        assert!(parse_list(&list[..list.len() - 1]).is_none());
    }
}

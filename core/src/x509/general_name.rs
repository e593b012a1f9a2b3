//! General names (RFC 5280 section 4.2.1.6) as `{"type", "value"}` pairs.

use std::net::{Ipv4Addr, Ipv6Addr};

use der::{Decode, Encode, Reader, Tagged};
use serde::Serialize;
use x509_cert::ext::pkix::name::GeneralName;

use super::{hex, name};

/// One general name: `dns`, `ip`, `email`, `uri`, `dirname`, `rid` or `other`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct GeneralNameReport {
    /// The kind of name.
    #[serde(rename = "type")]
    pub name_type: &'static str,
    /// The name as text. IP addresses in their usual notation (`/prefix` for name-constraint
    /// ranges); other names as `OID:hex`.
    pub value: String,
}

/// Describes one general name.
pub fn describe(general_name: &GeneralName) -> GeneralNameReport {
    let (name_type, value) = match general_name {
        GeneralName::DnsName(dns) => ("dns", dns.to_string()),
        GeneralName::Rfc822Name(email) => ("email", email.to_string()),
        GeneralName::UniformResourceIdentifier(uri) => ("uri", uri.to_string()),
        GeneralName::IpAddress(ip) => ("ip", ip_text(ip.as_bytes())),
        GeneralName::DirectoryName(directory) => ("dirname", name::rfc4514(directory)),
        GeneralName::RegisteredId(oid) => ("rid", oid.to_string()),
        GeneralName::OtherName(other) => {
            let value = other
                .value
                .to_der()
                .map(|der| hex(&der))
                .unwrap_or_default();
            ("other", format!("{}:{value}", other.type_id))
        }
        GeneralName::EdiPartyName(_) => ("other", "ediPartyName".to_owned()),
    };
    GeneralNameReport { name_type, value }
}

/// Decodes `GeneralNames` (a SEQUENCE of context-tagged names) leniently: a name whose
/// string is not valid IA5 (e.g. UTF-8 in a dNSName) is shown as found instead of failing the
/// whole list, the way OpenSSL shows it. Verification applies the strict rules separately.
pub fn decode_lenient(der: &[u8]) -> Result<Vec<GeneralNameReport>, der::Error> {
    let sequence = der::Any::from_der(der)?;
    if sequence.tag() != der::Tag::Sequence {
        return Err(der::Tag::Sequence.value_error().into());
    }
    let mut reader = der::SliceReader::new(sequence.value())?;
    let mut names = Vec::new();
    while !reader.is_finished() {
        let element = der::Any::decode(&mut reader)?;
        names.push(describe_element(&element)?);
    }
    Ok(names)
}

fn describe_element(element: &der::Any) -> Result<GeneralNameReport, der::Error> {
    let text = || String::from_utf8_lossy(element.value()).into_owned();
    let der::Tag::ContextSpecific { number, .. } = element.tag() else {
        return Err(element.tag().value_error().into());
    };
    let (name_type, value) = match number.value() {
        1 => ("email", text()),
        2 => ("dns", text()),
        6 => ("uri", text()),
        7 => ("ip", ip_text(element.value())),
        8 => ("rid", oid_text(element.value())),
        _ => {
            let full = element.to_der()?;
            return Ok(GeneralName::from_der(&full).map_or_else(
                |_| GeneralNameReport {
                    name_type: "other",
                    value: hex(element.value()),
                },
                |name| describe(&name),
            ));
        }
    };
    Ok(GeneralNameReport { name_type, value })
}

fn oid_text(content: &[u8]) -> String {
    der::asn1::ObjectIdentifier::from_bytes(content)
        .map_or_else(|_| hex(content), |oid| oid.to_string())
}

/// Describes a list of general names.
pub fn describe_all(names: &[GeneralName]) -> Vec<GeneralNameReport> {
    names.iter().map(describe).collect()
}

/// An IP address (4 or 16 octets); any other length as hex.
pub fn ip_text(bytes: &[u8]) -> String {
    address(bytes)
}

/// An address and mask (8 or 32 octets, RFC 5280 section 4.2.1.10) as `address/prefix`; any
/// other length as hex.
pub fn ip_range_text(bytes: &[u8]) -> String {
    match bytes.len() {
        8 | 32 => {
            let (network, mask) = bytes.split_at(bytes.len() / 2);
            let prefix: u32 = mask.iter().map(|byte| byte.count_ones()).sum();
            format!("{}/{prefix}", address(network))
        }
        _ => hex(bytes),
    }
}

fn address(bytes: &[u8]) -> String {
    if let Ok(octets) = <[u8; 4]>::try_from(bytes) {
        return Ipv4Addr::from(octets).to_string();
    }
    if let Ok(octets) = <[u8; 16]>::try_from(bytes) {
        return Ipv6Addr::from(octets).to_string();
    }
    hex(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_addresses_and_ranges() {
        assert_eq!(ip_text(&[127, 0, 0, 1]), "127.0.0.1");
        assert_eq!(ip_range_text(&[10, 0, 0, 0, 255, 0, 0, 0]), "10.0.0.0/8");
        assert_eq!(ip_text(&[10, 0, 0, 0, 255, 0, 0, 0]), "0a000000ff000000");
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        assert_eq!(ip_text(&v6), "::1");
        assert_eq!(ip_text(&[1, 2, 3]), "010203");
    }
}

#[cfg(test)]
mod lenient_tests {
    use super::*;

    #[test]
    fn keeps_utf8_dns_names_and_odd_ips() {
        // SEQUENCE { [2] "é.a", [7] 8 octets }
        let bytes = [
            0x30, 0x0e, 0x82, 0x04, 0xc3, 0xa9, b'.', b'a', 0x87, 0x06, 1, 2, 3, 4, 5, 6,
        ];
        let names = decode_lenient(&bytes).unwrap();
        assert_eq!(names[0].value, "é.a");
        assert_eq!(names[1].value, "010203040506");
        assert!(decode_lenient(&[0x30, 0x02, 0x82, 0x05]).is_err());
    }
}

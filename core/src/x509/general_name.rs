//! General names (RFC 5280 section 4.2.1.6) as `{"type", "value"}` pairs.

use std::net::{Ipv4Addr, Ipv6Addr};

use der::Encode;
use serde::Serialize;
use x509_cert::ext::pkix::name::GeneralName;

use super::{hex, name};

/// One general name: `dns`, `ip`, `email`, `uri`, `dirname`, `rid` or `other`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
            let value = other.value.to_der().map(|der| hex(&der)).unwrap_or_default();
            ("other", format!("{}:{value}", other.type_id))
        }
        GeneralName::EdiPartyName(_) => ("other", "ediPartyName".to_owned()),
    };
    GeneralNameReport { name_type, value }
}

/// Describes a list of general names.
pub fn describe_all(names: &[GeneralName]) -> Vec<GeneralNameReport> {
    names.iter().map(describe).collect()
}

/// An IP address (4 or 16 octets), or an address and mask (8 or 32 octets, as in name
/// constraints) as `address/prefix`; any other length as hex.
pub fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 | 16 => address(bytes),
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
        assert_eq!(ip_text(&[10, 0, 0, 0, 255, 0, 0, 0]), "10.0.0.0/8");
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        assert_eq!(ip_text(&v6), "::1");
        assert_eq!(ip_text(&[1, 2, 3]), "010203");
    }
}

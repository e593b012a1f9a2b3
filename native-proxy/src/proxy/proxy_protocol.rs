//! PROXY protocol version 2 (haproxy's `proxy-protocol.txt`): the binary header sent to the
//! upstream before any client byte in TCP mode, with the client's addresses and the TLS
//! details as TLVs: `PP2_TYPE_SSL` (0x20: client flags and verify result) holding the
//! sub-TLVs `PP2_SUBTYPE_SSL_VERSION` (0x21), `PP2_SUBTYPE_SSL_CN` (0x22),
//! `PP2_SUBTYPE_SSL_CIPHER` (0x23) and the client certificate, DER (0x28).

use std::net::SocketAddr;

const SIGNATURE: [u8; 12] = *b"\r\n\r\n\0\r\nQUIT\n";
const VERSION_2_PROXY: u8 = 0x21;
const TCP_OVER_IPV4: u8 = 0x11;
const TCP_OVER_IPV6: u8 = 0x21;
const UNSPECIFIED: u8 = 0x00;
const TYPE_SSL: u8 = 0x20;
const SUBTYPE_SSL_VERSION: u8 = 0x21;
const SUBTYPE_SSL_CN: u8 = 0x22;
const SUBTYPE_SSL_CIPHER: u8 = 0x23;
const SUBTYPE_SSL_CLIENT_CERT: u8 = 0x28;
const CLIENT_SSL: u8 = 0x01;
const CLIENT_CERT_CONNECTION: u8 = 0x02;
const CLIENT_CERT_SESSION: u8 = 0x04;

/// The TLS facts of a terminated connection.
#[derive(Debug, Clone, Default)]
pub struct TlsDetails {
    /// `TLSv1.2` or `TLSv1.3`.
    pub version: String,
    /// The negotiated suite, IANA name.
    pub cipher: String,
    /// The client certificate verified on this connection.
    pub verified: bool,
    /// The certificate was sent on this connection (not only in a resumed session).
    pub sent_on_this_connection: bool,
    /// The client certificate's first common name.
    pub common_name: Option<String>,
    /// The client certificate, DER.
    pub certificate: Option<Vec<u8>>,
}

/// The header for a connection from `source` to `destination`.
pub fn header(source: SocketAddr, destination: SocketAddr, tls: Option<&TlsDetails>) -> Vec<u8> {
    let mut addresses = Vec::with_capacity(36);
    let family = match (source, destination) {
        (SocketAddr::V4(source), SocketAddr::V4(destination)) => {
            addresses.extend_from_slice(&source.ip().octets());
            addresses.extend_from_slice(&destination.ip().octets());
            TCP_OVER_IPV4
        }
        _ => {
            addresses.extend_from_slice(&ipv6(source).octets());
            addresses.extend_from_slice(&ipv6(destination).octets());
            TCP_OVER_IPV6
        }
    };
    addresses.extend_from_slice(&source.port().to_be_bytes());
    addresses.extend_from_slice(&destination.port().to_be_bytes());
    let mut body = addresses;
    if let Some(tls) = tls {
        // The length field is 16 bits: what does not fit is left out whole (the certificate
        // first, then the common name), never cut, so the receiver reads exactly this header.
        let room = usize::from(u16::MAX) - body.len() - 3;
        let value = [(true, true), (false, true), (false, false)]
            .into_iter()
            .map(|(certificate, common_name)| ssl_value(tls, certificate, common_name))
            .find(|value| value.len() <= room)
            .unwrap_or_default();
        push_tlv(&mut body, TYPE_SSL, &value);
    }
    let mut header = Vec::with_capacity(16 + body.len());
    header.extend_from_slice(&SIGNATURE);
    header.push(VERSION_2_PROXY);
    header.push(if body.is_empty() { UNSPECIFIED } else { family });
    header.extend_from_slice(&u16::try_from(body.len()).unwrap_or(u16::MAX).to_be_bytes());
    header.extend_from_slice(&body);
    header
}

fn ipv6(address: SocketAddr) -> std::net::Ipv6Addr {
    match address {
        SocketAddr::V4(address) => address.ip().to_ipv6_mapped(),
        SocketAddr::V6(address) => *address.ip(),
    }
}

/// The PP2_TYPE_SSL value, with or without the certificate and the common name.
fn ssl_value(tls: &TlsDetails, with_certificate: bool, with_common_name: bool) -> Vec<u8> {
    let mut client = CLIENT_SSL;
    if tls.certificate.is_some() {
        client |= CLIENT_CERT_SESSION;
        if tls.sent_on_this_connection {
            client |= CLIENT_CERT_CONNECTION;
        }
    }
    let verify: u32 = if tls.verified { 0 } else { 1 };
    let mut value = vec![client];
    value.extend_from_slice(&verify.to_be_bytes());
    push_tlv(&mut value, SUBTYPE_SSL_VERSION, tls.version.as_bytes());
    if let Some(common_name) = tls.common_name.as_ref().filter(|_| with_common_name) {
        push_tlv(&mut value, SUBTYPE_SSL_CN, common_name.as_bytes());
    }
    push_tlv(&mut value, SUBTYPE_SSL_CIPHER, tls.cipher.as_bytes());
    if let Some(certificate) = tls.certificate.as_ref().filter(|_| with_certificate) {
        push_tlv(&mut value, SUBTYPE_SSL_CLIENT_CERT, certificate);
    }
    value
}

fn push_tlv(out: &mut Vec<u8>, kind: u8, value: &[u8]) {
    let length = u16::try_from(value.len()).unwrap_or(u16::MAX);
    out.push(kind);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(value.get(..usize::from(length)).unwrap_or(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fuzzing (core/fuzz, target `proxy_protocol`, corpus file
    /// `crash-header-longer-than-its-length-field`): a 59,000-byte certificate with a long
    /// common name made a body over 65,535 bytes, announced as 65,535, so the upstream would
    /// have read the rest of the header as the client's first bytes.
    #[test]
    fn header_longer_than_its_length_field() {
        let tls = TlsDetails {
            version: "TLSv1.3".into(),
            cipher: "TLS13_AES_128_GCM_SHA256".into(),
            verified: true,
            sent_on_this_connection: true,
            common_name: Some("c".repeat(30_000)),
            certificate: Some(vec![0x30; 59_000]),
        };
        let address: SocketAddr = "10.0.0.1:5000".parse().unwrap_or_else(|_| unreachable!());
        let header = header(address, address, Some(&tls));
        let length = usize::from(u16::from_be_bytes([header[14], header[15]]));
        assert_eq!(header.len(), 16 + length);
        let common_name = [&[0x22, 0x75, 0x30][..], "c".repeat(30_000).as_bytes()].concat();
        assert!(
            header
                .windows(common_name.len())
                .any(|window| window == common_name)
        );
        assert!(!header.windows(3).any(|window| window == [0x28, 0xe6, 0x78]));
    }

    #[test]
    fn ipv4_header_with_tls() {
        let tls = TlsDetails {
            version: "TLSv1.3".into(),
            cipher: "TLS13_AES_256_GCM_SHA384".into(),
            verified: true,
            sent_on_this_connection: true,
            common_name: Some("alice".into()),
            certificate: Some(vec![0x30, 0x00]),
        };
        let source: SocketAddr = "10.0.0.1:5000".parse().unwrap_or_else(|_| unreachable!());
        let destination: SocketAddr = "10.0.0.2:443".parse().unwrap_or_else(|_| unreachable!());
        let header = header(source, destination, Some(&tls));
        assert_eq!(header.get(..12), Some(&SIGNATURE[..]));
        assert_eq!(header.get(12..14), Some(&[0x21, 0x11][..]));
        let length = usize::from(u16::from_be_bytes([header[14], header[15]]));
        assert_eq!(header.len(), 16 + length);
        assert_eq!(header.get(16..20), Some(&[10, 0, 0, 1][..]));
        assert_eq!(header.get(24..26), Some(&5000u16.to_be_bytes()[..]));
        // PP2_TYPE_SSL, then client flags 0x07 and verify 0.
        assert_eq!(header.get(28), Some(&0x20));
        assert_eq!(header.get(31..36), Some(&[0x07, 0, 0, 0, 0][..]));
        let rest = header.get(36..).unwrap_or_default();
        assert_eq!(rest.get(..3), Some(&[0x21, 0, 7][..]));
        assert!(
            rest.windows(8)
                .any(|window| window == [0x22, 0, 5, b'a', b'l', b'i', b'c', b'e'])
        );
        assert!(rest.ends_with(&[0x28, 0, 2, 0x30, 0x00]));
    }
}

//! Targets for the proxy's pure parts (`mtlskit_proxy::fuzzing`): the `mtlskit.toml` parser
//! and validator, and the PROXY protocol v2 writer, whose header must parse back to what was
//! written (haproxy's `proxy-protocol.txt`, section 2.2).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use mtlskit_proxy::fuzzing::{self, TlsDetails};

/// Any text as `mtlskit.toml`.
pub fn proxy_config(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = fuzzing::config(text);
    }
}

/// A connection's addresses and TLS details made from the bytes, written as a PROXY v2
/// header, then read back.
///
/// ```text
/// flags (1) · source address (16) · destination address (16) · ports (2 + 2)
///   · common name length (2) · certificate length (2) · filler bytes
/// flags: bit 0/1 source/destination is IPv6, bit 2 TLS, bit 3 verified, bit 4 certificate
///        sent on this connection, bit 5 common name present, bit 6 certificate present,
///        bit 7 TLS 1.2 (else 1.3)
/// ```
/// The common name and certificate are the filler repeated to their lengths, so that a
/// small input can describe the largest header.
pub fn proxy_protocol(data: &[u8]) {
    let mut reader = Bytes(data);
    let flags = reader.byte();
    let source = address(reader.array::<16>(), reader.u16(), flags & 1 != 0);
    let destination = address(reader.array::<16>(), reader.u16(), flags & 2 != 0);
    let common_name_length = usize::from(reader.u16());
    let certificate_length = usize::from(reader.u16());
    let filler = if reader.0.is_empty() {
        b"x".as_slice()
    } else {
        reader.0
    };
    let tls = (flags & 4 != 0).then(|| TlsDetails {
        version: if flags & 0x80 != 0 {
            "TLSv1.2"
        } else {
            "TLSv1.3"
        }
        .to_owned(),
        cipher: "TLS13_AES_128_GCM_SHA256".to_owned(),
        verified: flags & 8 != 0,
        sent_on_this_connection: flags & 0x10 != 0,
        common_name: (flags & 0x20 != 0)
            .then(|| String::from_utf8_lossy(&repeat(filler, common_name_length)).into_owned()),
        certificate: (flags & 0x40 != 0).then(|| repeat(filler, certificate_length)),
    });
    let header = fuzzing::proxy_protocol_header(source, destination, tls.as_ref());
    check_header(&header, source, destination, tls.as_ref());
}

/// What a receiver reads: signature, version, family, length, addresses, then TLVs that end
/// exactly at the announced length.
#[allow(
    clippy::panic,
    reason = "a header that does not parse back is the defect sought"
)]
fn check_header(
    header: &[u8],
    source: SocketAddr,
    destination: SocketAddr,
    tls: Option<&TlsDetails>,
) {
    let mut reader = Bytes(header);
    assert_eq!(reader.take(12), b"\r\n\r\n\0\r\nQUIT\n", "signature");
    assert_eq!(reader.byte(), 0x21, "version 2, PROXY command");
    let family = reader.byte();
    let length = usize::from(reader.u16());
    assert_eq!(
        reader.0.len(),
        length,
        "the header announces {length} bytes after its first 16 but carries {}",
        reader.0.len()
    );
    let mut body = Bytes(reader.0);
    let (read_source, read_destination) = match family {
        0x11 => {
            let (source_ip, destination_ip) = (body.array::<4>(), body.array::<4>());
            (
                SocketAddr::from((source_ip, body.u16())),
                SocketAddr::from((destination_ip, body.u16())),
            )
        }
        0x21 => {
            let (source_ip, destination_ip) = (body.array::<16>(), body.array::<16>());
            (
                SocketAddr::from((Ipv6Addr::from(source_ip), body.u16())),
                SocketAddr::from((Ipv6Addr::from(destination_ip), body.u16())),
            )
        }
        other => panic!("unexpected address family {other:#04x}"),
    };
    assert_eq!(canonical(read_source), canonical(source), "source address");
    assert_eq!(
        canonical(read_destination),
        canonical(destination),
        "destination"
    );
    let tlvs = tlvs_of(body.0);
    match tls {
        None => assert!(tlvs.is_empty(), "TLVs without TLS"),
        Some(tls) => check_ssl(&tlvs, tls),
    }
}

#[allow(
    clippy::panic,
    reason = "a header that does not parse back is the defect sought"
)]
fn check_ssl(tlvs: &[(u8, &[u8])], tls: &TlsDetails) {
    let [(0x20, value)] = tlvs else {
        panic!("one PP2_TYPE_SSL TLV expected, found {}", tlvs.len());
    };
    let mut value = Bytes(value);
    let client = value.byte();
    let verify = value.array::<4>();
    assert_eq!(verify == [0; 4], tls.verified, "verify result");
    assert_eq!(client & 1, 1, "PP2_CLIENT_SSL");
    let sub_tlvs = tlvs_of(value.0);
    let find = |kind: u8| {
        sub_tlvs
            .iter()
            .find(|(found, _)| *found == kind)
            .map(|tlv| tlv.1)
    };
    assert_eq!(find(0x21), Some(tls.version.as_bytes()), "SSL version");
    assert_eq!(find(0x23), Some(tls.cipher.as_bytes()), "cipher");
    if let Some(common_name) = find(0x22) {
        assert_eq!(
            Some(common_name),
            tls.common_name.as_deref().map(str::as_bytes),
            "a common name is sent whole or not at all"
        );
    }
    if let Some(certificate) = find(0x28) {
        assert_eq!(
            Some(certificate),
            tls.certificate.as_deref(),
            "a certificate is sent whole or not at all"
        );
    }
}

/// Type-length-value entries that must fill `bytes` exactly.
#[allow(
    clippy::panic,
    reason = "a header that does not parse back is the defect sought"
)]
fn tlvs_of(bytes: &[u8]) -> Vec<(u8, &[u8])> {
    let mut rest = bytes;
    let mut found = Vec::new();
    while let Some((&kind, after_kind)) = rest.split_first() {
        let Some((length, after_length)) = after_kind.split_first_chunk::<2>() else {
            panic!("a TLV is cut in its length");
        };
        let length = usize::from(u16::from_be_bytes(*length));
        let Some((value, after)) = after_length.split_at_checked(length) else {
            panic!(
                "a TLV of type {kind:#04x} announces {length} bytes, {} left",
                after_length.len()
            );
        };
        found.push((kind, value));
        rest = after;
    }
    found
}

fn canonical(address: SocketAddr) -> SocketAddr {
    match address.ip() {
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => SocketAddr::from((v4, address.port())),
            None => address,
        },
        IpAddr::V4(_) => address,
    }
}

fn address(octets: [u8; 16], port: u16, ipv6: bool) -> SocketAddr {
    if ipv6 {
        return SocketAddr::from((Ipv6Addr::from(octets), port));
    }
    let [a, b, c, d, ..] = octets;
    SocketAddr::from((Ipv4Addr::new(a, b, c, d), port))
}

fn repeat(filler: &[u8], length: usize) -> Vec<u8> {
    filler.iter().copied().cycle().take(length).collect()
}

/// A reader that yields zeros past the end, so that every input describes a connection.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn take(&mut self, count: usize) -> &'a [u8] {
        let (taken, rest) = self.0.split_at(count.min(self.0.len()));
        self.0 = rest;
        taken
    }

    fn byte(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut array = [0; N];
        for (slot, byte) in array.iter_mut().zip(self.take(N)) {
            *slot = *byte;
        }
        array
    }

    fn u16(&mut self) -> u16 {
        u16::from_be_bytes(self.array::<2>())
    }
}

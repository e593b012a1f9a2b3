//! The input format of the chain targets (`verify`, `trust_store`, `differential`): a
//! verification problem as bytes, so that mutations can add, drop, reorder and change
//! certificates.
//!
//! ```text
//! flags (1 byte) · time (4 bytes, big-endian seconds since 1970) · records
//! record: role (1 byte, taken modulo 5) · length (2 bytes, big-endian) · bytes
//! roles: 0 leaf (a second one is an intermediate), 1 intermediate, 2 trust anchor, 3 CRL,
//!        4 peer name (UTF-8: an IP address, an email address with '@', else a DNS name)
//! ```
//!
//! A record whose length runs past the end takes what is left. `seed-corpora.sh` writes the
//! x509-limbo test cases and our own chains in this format.

use std::net::IpAddr;

use mtlskit::UnixTime;
use mtlskit::verify::{Item, Options, PeerName, Profile, Purpose};

/// A decoded verification problem, borrowing the fuzzer's bytes.
#[derive(Debug)]
pub struct Chain<'a> {
    pub flags: u8,
    pub time: UnixTime,
    pub leaf: Option<&'a [u8]>,
    pub intermediates: Vec<&'a [u8]>,
    pub anchors: Vec<&'a [u8]>,
    pub crls: Vec<&'a [u8]>,
    pub peer_name: Option<PeerName>,
}

impl<'a> Chain<'a> {
    /// Splits `data` into its records; `None` when the header is incomplete.
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let (&flags, rest) = data.split_first()?;
        let (time, mut rest) = rest.split_first_chunk::<4>()?;
        let mut chain = Self {
            flags,
            time: UnixTime(i64::from(u32::from_be_bytes(*time))),
            leaf: None,
            intermediates: Vec::new(),
            anchors: Vec::new(),
            crls: Vec::new(),
            peer_name: None,
        };
        while let Some((&role, after_role)) = rest.split_first() {
            let Some((length, body)) = after_role.split_first_chunk::<2>() else {
                break;
            };
            let length = usize::from(u16::from_be_bytes(*length)).min(body.len());
            let (record, after) = body.split_at(length);
            chain.add(role % 5, record);
            rest = after;
        }
        Some(chain)
    }

    fn add(&mut self, role: u8, record: &'a [u8]) {
        match role {
            0 if self.leaf.is_none() => self.leaf = Some(record),
            0 | 1 => self.intermediates.push(record),
            2 => self.anchors.push(record),
            3 => self.crls.push(record),
            _ => self.peer_name = peer_name(record),
        }
    }

    /// The verifier's options: `flags` bits 0-1 purpose (server, client, any, serverAuth by
    /// OID), bits 2-3 profile (compatible, rfc5280, webpki, compatible), bit 4 SHA-1, bit 5
    /// legacy RSA keys, bit 6 commonName fallback, bit 7 an explicit policy requirement.
    pub fn options(&self) -> Options {
        let mut options = Options::at(self.time);
        options.purpose = match self.flags & 0b11 {
            0 => Purpose::Server,
            1 => Purpose::Client,
            2 => Purpose::Any,
            _ => Purpose::ExtendedKeyUsages(vec!["1.3.6.1.5.5.7.3.1".to_owned()]),
        };
        options.profile = match (self.flags >> 2) & 0b11 {
            1 => Profile::Rfc5280,
            2 => Profile::WebPki,
            _ => Profile::Compatible,
        };
        options.allow_sha1 = self.flags & 0x10 != 0;
        options.allow_legacy_keys = self.flags & 0x20 != 0;
        options.common_name_fallback = self.flags & 0x40 != 0;
        options.initial_explicit_policy = self.flags & 0x80 != 0;
        options.peer_name = self.peer_name.clone();
        options
    }

    /// The items of `role` with labels, as the verifier's [`mtlskit::verify::Input`] wants.
    pub fn items(records: &[&[u8]], role: &str) -> Vec<Item> {
        records
            .iter()
            .enumerate()
            .map(|(index, der)| Item::new(der.to_vec(), format!("{role} {}", index + 1)))
            .collect()
    }
}

fn peer_name(record: &[u8]) -> Option<PeerName> {
    let text = std::str::from_utf8(record).ok()?;
    if let Ok(address) = text.parse::<IpAddr>() {
        return Some(PeerName::Ip(address));
    }
    if text.contains('@') {
        return Some(PeerName::Email(text.to_owned()));
    }
    Some(PeerName::Dns(text.to_owned()))
}

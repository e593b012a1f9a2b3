//! The shared borrowed types ([`NameRef`], [`GeneralNameRef`], [`ExtensionRef`]) against
//! `x509-cert`'s decoders they replace: the names, extension lists and general names of the
//! corpora (system bundle, x509-limbo, BetterTLS) and every one-byte change and truncation of
//! them are accepted by both or refused by both, and read to the same values.

use der::{Decode, Encode};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::name::Name;

use super::ExtensionRef;
use super::general_name::{GeneralNameRef, read_general_name, read_general_names};
use super::name::{NameRef, parse_name};
use super::read_extensions;
use super::test_corpus;
use crate::asn1::read::{self, Reader, Tag};

/// The parts of one certificate the shared types read, byte for byte as encoded.
#[derive(Default)]
struct Parts {
    names: Vec<Vec<u8>>,
    extension_lists: Vec<Vec<u8>>,
    general_name_lists: Vec<Vec<u8>>,
    /// Every extension's extnID (DER contents) and extnValue contents.
    extension_values: Vec<(Vec<u8>, Vec<u8>)>,
}

/// The distinct extnValue contents of the corpora's extensions with extnID `oid` (contents).
pub(super) fn extension_values(oid: &[u8]) -> Vec<Vec<u8>> {
    distinct(
        parts()
            .extension_values
            .into_iter()
            .filter(|(id, _)| id == oid)
            .map(|(_, value)| value)
            .collect(),
    )
}

/// Walks the certificates of the corpora for their issuer and subject names, extension lists
/// and the GeneralNames in them (subject and issuer alternative names, the bases of name
/// constraints' subtrees, as one-element lists).
fn parts() -> Parts {
    let mut parts = Parts::default();
    for der in test_corpus::certificates(&["limbo-dev.json", "bettertls-pathbuilding-dev.json"]) {
        let _ = collect(&der, &mut parts);
    }
    parts
}

fn collect(der: &[u8], parts: &mut Parts) -> read::Result<()> {
    let mut outer = Reader::new(der);
    let mut certificate = outer.sequence()?;
    let mut tbs = certificate.sequence()?;
    let mut fields = Vec::new();
    while !tbs.is_empty() {
        fields.push(tbs.tlv()?);
    }
    let skip = usize::from(fields.first().map(|field| field.tag) == Some(Tag::context(0, true)));
    for index in [skip + 2, skip + 4] {
        if let Some(name) = fields.get(index) {
            parts.names.push(name.whole.to_vec());
        }
    }
    let Some(wrapped) = fields
        .iter()
        .find(|field| field.tag == Tag::context(3, true))
    else {
        return Ok(());
    };
    let mut inner = wrapped.reader()?;
    let list = inner.tlv()?;
    parts.extension_lists.push(list.whole.to_vec());
    let mut extensions = list.reader()?;
    while !extensions.is_empty() {
        let mut extension = extensions.sequence()?;
        let oid = extension.oid()?;
        let _ = extension.optional(Tag::BOOLEAN)?;
        let value = extension.octet_string()?;
        parts.extension_values.push((oid.to_vec(), value.to_vec()));
        match oid {
            // subjectAltName, issuerAltName
            [0x55, 0x1d, 0x11] | [0x55, 0x1d, 0x12] => {
                parts.general_name_lists.push(value.to_vec());
            }
            // nameConstraints: the base of each GeneralSubtree
            [0x55, 0x1d, 0x1e] => {
                let mut constraints = Reader::new(value);
                let mut trees = constraints.sequence()?;
                while !trees.is_empty() {
                    let mut subtrees = trees.tlv()?.reader()?;
                    while !subtrees.is_empty() {
                        let mut subtree = subtrees.sequence()?;
                        let base = subtree.tlv()?;
                        let mut list = vec![0x30, 0x82, 0, 0];
                        list.extend_from_slice(base.whole);
                        let length = u16::try_from(base.whole.len()).unwrap_or(0);
                        list[2..4].copy_from_slice(&length.to_be_bytes());
                        if length >= 0x100 {
                            parts.general_name_lists.push(list);
                        } else {
                            let mut short = vec![0x30];
                            if length >= 0x80 {
                                short.push(0x81);
                            }
                            short.push(length as u8);
                            short.extend_from_slice(base.whole);
                            parts.general_name_lists.push(short);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The values of an `x509-cert` name and of ours are the same.
fn assert_same_name(old: &Name, new: &NameRef<'_>, der: &[u8]) {
    assert_eq!(new.der, der);
    let old_rdns: Vec<_> = old.iter_rdn().collect();
    assert_eq!(old_rdns.len(), new.rdns.len(), "{der:02x?}");
    for (old, new) in old_rdns.iter().zip(&new.rdns) {
        let old: Vec<_> = old.iter().collect();
        assert_eq!(old.len(), new.len(), "{der:02x?}");
        for (old, new) in old.iter().zip(new) {
            assert_eq!(old.oid, new.oid, "{der:02x?}");
            assert_eq!(old.value.value(), new.value, "{der:02x?}");
            assert_eq!(old.value.to_der().unwrap(), new.value_der, "{der:02x?}");
        }
    }
}

/// Both accept `der` as one Name with the same values, or both refuse it.
fn same_name(der: &[u8]) -> bool {
    match (Name::from_der(der), parse_name(der)) {
        (Err(_), Err(error)) => {
            assert_eq!(error.code(), "InvalidDer");
            false
        }
        (Ok(old), Ok(new)) => {
            assert_same_name(&old, &new, der);
            assert_eq!(new.to_der(), old.to_der().unwrap(), "{der:02x?}");
            let tlv = read::parse(der, |reader| reader.tlv()).unwrap();
            assert_eq!(new.contents(), tlv.contents);
            true
        }
        (old, new) => panic!("{der:02x?}: x509-cert {old:?}, core {new:?}"),
    }
}

/// Both accept `der` as one Extensions list with the same values, or both refuse it.
fn same_extensions(der: &[u8]) -> bool {
    let old = Vec::<Extension>::from_der(der);
    let new = read::parse(der, read_extensions);
    match (old, new) {
        (Err(_), Err(_)) => false,
        (Ok(old), Ok(new)) => {
            assert_eq!(old.len(), new.len());
            for (old, new) in old.iter().zip(&new) {
                let ExtensionRef {
                    oid,
                    critical,
                    value,
                } = *new;
                assert_eq!(old.extn_id, oid);
                assert_eq!(old.critical, critical);
                assert_eq!(old.extn_value.as_bytes(), value);
            }
            true
        }
        (old, new) => panic!("{der:02x?}: x509-cert {old:?}, core {new:?}"),
    }
}

fn assert_same_general_name(old: &GeneralName, new: &GeneralNameRef<'_>) {
    match (old, new) {
        (GeneralName::OtherName(old), GeneralNameRef::OtherName { type_id, value_der }) => {
            assert_eq!(old.type_id, *type_id);
            assert_eq!(old.value.to_der().unwrap(), *value_der);
        }
        (GeneralName::Rfc822Name(old), GeneralNameRef::Rfc822(new))
        | (GeneralName::DnsName(old), GeneralNameRef::Dns(new))
        | (GeneralName::UniformResourceIdentifier(old), GeneralNameRef::Uri(new)) => {
            assert_eq!(old.as_str(), *new);
        }
        (GeneralName::DirectoryName(old), GeneralNameRef::Directory(new)) => {
            assert_same_name(old, new, &old.to_der().unwrap());
        }
        (GeneralName::EdiPartyName(old), GeneralNameRef::EdiParty(new)) => {
            let encoded = old.to_der().unwrap();
            assert!(encoded.ends_with(new), "{encoded:02x?} {new:02x?}");
        }
        (GeneralName::IpAddress(old), GeneralNameRef::Ip(new)) => {
            assert_eq!(old.as_bytes(), *new);
        }
        (GeneralName::RegisteredId(old), GeneralNameRef::RegisteredId(new)) => {
            assert_eq!(old, new);
        }
        (old, new) => panic!("x509-cert {old:?}, core {new:?}"),
    }
}

/// Both accept `der` as GeneralNames with the same values, or both refuse it; each element
/// read alone by [`read_general_name`] as `x509-cert` reads it alone.
fn same_general_names(der: &[u8]) -> bool {
    // Each element on its own, whether or not the list is valid.
    if let Ok(tlv) = read::parse(der, |reader| reader.tlv()) {
        let mut elements = Reader::new(tlv.contents);
        while let Ok(element) = elements.tlv() {
            let old = GeneralName::from_der(element.whole);
            let new = read::parse(element.whole, read_general_name);
            match (old, new) {
                (Err(_), Err(_)) => {}
                (Ok(old), Ok(new)) => assert_same_general_name(&old, &new),
                (old, new) => panic!("{:02x?}: x509-cert {old:?}, core {new:?}", element.whole),
            }
        }
    }
    let old = Vec::<GeneralName>::from_der(der);
    let new = read::parse(der, read_general_names);
    match (old, new) {
        (Err(_), Err(_)) => false,
        (Ok(old), Ok(new)) => {
            assert_eq!(old.len(), new.len());
            for (old, new) in old.iter().zip(&new) {
                // Directory names are compared against their own encoding.
                if let (GeneralName::DirectoryName(old), GeneralNameRef::Directory(new)) =
                    (old, new)
                {
                    assert_same_name(old, new, new.der);
                } else {
                    assert_same_general_name(old, new);
                }
            }
            true
        }
        (old, new) => panic!("{der:02x?}: x509-cert {old:?}, core {new:?}"),
    }
}

const VALUES: &[u8] = &[
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x14, 0x16, 0x1e, 0x30, 0x31, 0x7f, 0x80,
    0x81, 0x82, 0x86, 0x87, 0x88, 0xa0, 0xa3, 0xa4, 0xa5, 0xff,
];
const FLIPS: &[u8] = &[0x01, 0x20, 0x80];

fn distinct(mut items: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    items.sort();
    items.dedup();
    items
}

/// `check` on about `count` of `items` (evenly spread) with each byte set in turn to each of
/// [`VALUES`] and to itself XOR each of [`FLIPS`], and cut short ([`test_corpus::one_byte_changes`]'s
/// changes, made one at a time in place rather than all at once): how many `check` accepted,
/// of how many.
pub(super) fn each_change(
    items: &[Vec<u8>],
    count: usize,
    mut check: impl FnMut(&[u8]) -> bool,
) -> (usize, usize) {
    // Large items (limbo has names of thousands of RDNs) would make this quadratic: left out.
    let items: Vec<_> = items.iter().filter(|der| der.len() <= 512).collect();
    let step = (items.len() / count).max(1);
    let (mut accepted, mut total) = (0, 0);
    for der in items.iter().step_by(step) {
        let mut copy = (*der).clone();
        for position in 0..der.len() {
            let byte = der[position];
            for value in VALUES
                .iter()
                .copied()
                .chain(FLIPS.iter().map(|flip| byte ^ flip))
            {
                copy[position] = value;
                total += 1;
                accepted += usize::from(check(&copy));
            }
            copy[position] = byte;
        }
        for length in [0, 1, 2, 4, der.len() / 2, der.len().saturating_sub(1)] {
            if let Some(cut) = der.get(..length) {
                total += 1;
                accepted += usize::from(check(cut));
            }
        }
    }
    (accepted, total)
}

#[test]
fn names_read_as_x509_cert_reads_them() {
    let names = distinct(parts().names);
    let accepted = names.iter().filter(|der| same_name(der)).count();
    assert!(names.len() > 500, "{} names", names.len());
    assert_eq!(accepted, names.len(), "every corpus name is valid");
    let (accepted, total) = each_change(&names, 150, same_name);
    eprintln!(
        "names: {accepted} of {total} changed accepted by both ({} names)",
        names.len()
    );
    assert!(accepted > 1000 && accepted < total, "{accepted} of {total}");
}

#[test]
fn multi_valued_rdns_are_in_der_set_order_as_x509_cert_sorts_them() {
    // SET { CN "b", O "a", CN "a" }: on the wire out of order; x509-cert sorts by encoding.
    let atv = |oid: u8, value: u8| vec![0x30, 0x08, 0x06, 0x03, 0x55, 0x04, oid, 0x0c, 0x01, value];
    let mut set = vec![0x31, 30];
    for (oid, value) in [(3, b'b'), (10, b'a'), (3, b'a')] {
        set.extend(atv(oid, value));
    }
    // ... and one attribute with a longer encoding first, which sorts last.
    let mut long = vec![0x31, 13, 0x30, 11, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x04];
    long.extend(b"abcd");
    let mut second = long.clone();
    second[1] = 13 + 10;
    second.extend(atv(6, b'z'));
    let mut der = vec![0x30, (set.len() + second.len()) as u8];
    der.extend(&set);
    der.extend(&second);
    assert!(same_name(&der));
    let name = parse_name(&der).unwrap();
    let values: Vec<_> = name.iter().map(|atv| atv.value).collect();
    assert_eq!(values, [b"a", b"b", b"a", b"z", &b"abcd"[..]]);
    // Duplicates are kept, as x509-cert keeps them.
    let mut duplicate = vec![0x30, 22, 0x31, 20];
    duplicate.extend(atv(3, b'a'));
    duplicate.extend(atv(3, b'a'));
    assert!(same_name(&duplicate));
    // Empty names and empty RDNs are accepted by both.
    assert!(same_name(&[0x30, 0x00]));
    assert!(same_name(&[0x30, 0x02, 0x31, 0x00]));
}

#[test]
fn extension_lists_read_as_x509_cert_reads_them() {
    let lists = distinct(parts().extension_lists);
    assert!(lists.len() > 500, "{} lists", lists.len());
    assert!(lists.iter().all(|der| same_extensions(der)));
    let (accepted, total) = each_change(&lists, 100, same_extensions);
    eprintln!(
        "extensions: {accepted} of {total} changed accepted by both ({} lists)",
        lists.len()
    );
    assert!(accepted > 1000 && accepted < total, "{accepted} of {total}");
    // DEFAULT FALSE encoded explicitly, and an empty list: accepted by both.
    let explicit_false = [
        0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0x00, 0x04, 0x00,
    ];
    assert!(same_extensions(&explicit_false));
    assert!(!read::parse(&explicit_false, read_extensions).unwrap()[0].critical);
    assert!(same_extensions(&[0x30, 0x00]));
    // A BOOLEAN that is not DER, a constructed OCTET STRING: refused by both.
    let mut not_der = explicit_false;
    not_der[11] = 0x01;
    assert!(!same_extensions(&not_der));
}

#[test]
fn general_names_read_as_x509_cert_reads_them() {
    let lists = distinct(parts().general_name_lists);
    // Some of limbo's are invalid on purpose (UTF-8 in a dNSName, ...): refused by both.
    let valid = lists.iter().filter(|der| same_general_names(der)).count();
    eprintln!(
        "general names: {valid} of {} corpus lists accepted by both",
        lists.len()
    );
    assert!(
        lists.len() > 500 && valid + 20 > lists.len(),
        "{valid} of {}",
        lists.len()
    );
    let (accepted, total) = each_change(&lists, 400, same_general_names);
    eprintln!("general names: {accepted} of {total} changed accepted by both");
    assert!(accepted > 1000 && accepted < total, "{accepted} of {total}");
}

#[test]
fn every_kind_of_general_name_reads_as_x509_cert_reads_it() {
    let cases: &[&[u8]] = &[
        // otherName: UPN "a"
        &[
            0xa0, 0x10, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03,
            0xa0, 0x02, 0x05, 0x00,
        ],
        &[
            0xa0, 0x11, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03,
            0xa0, 0x03, 0x0c, 0x01, b'a',
        ],
        &[0x81, 0x03, b'a', b'@', b'b'],
        &[0x82, 0x01, b'a'],
        &[0x82, 0x01, 0xc3],
        &[0xa2, 0x01, b'a'],
        // x400Address: refused by both
        &[0xa3, 0x00],
        &[0xa4, 0x02, 0x30, 0x00],
        &[0xa4, 0x04, 0x30, 0x00, 0x30, 0x00],
        // ediPartyName: { [1] UTF8String "p" }, { [0] PrintableString "a", [1] BMPString "p" }
        &[0xa5, 0x05, 0xa1, 0x03, 0x0c, 0x01, b'p'],
        &[
            0xa5, 0x0b, 0xa0, 0x03, 0x13, 0x01, b'a', 0xa1, 0x04, 0x1e, 0x02, 0x00, b'p',
        ],
        &[0xa5, 0x05, 0xa1, 0x03, 0x13, 0x01, b'*'],
        &[0xa5, 0x05, 0xa1, 0x03, 0x14, 0x01, 0xe9],
        &[0xa5, 0x05, 0xa0, 0x03, 0x0c, 0x01, b'a'],
        &[0x86, 0x01, b'u'],
        &[0x87, 0x04, 127, 0, 0, 1],
        &[0x87, 0x00],
        &[0x88, 0x03, 0x2a, 0x03, 0x04],
        &[0x88, 0x00],
        &[0xa8, 0x00],
        &[0x04, 0x00],
    ];
    let mut accepted = 0;
    for case in cases {
        let mut list = vec![0x30, case.len() as u8];
        list.extend(*case);
        accepted += usize::from(same_general_names(&list));
    }
    assert_eq!(accepted, 11);
}

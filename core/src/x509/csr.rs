//! PKCS#10 certification requests (RFC 2986 section 4) on the core's DER reader
//! ([`crate::asn1::read`]): [`Csr`] keeps the request's DER and where each part of it is; the
//! subject, the public key and the requested extensions are read as the core's [`NameRef`],
//! [`SpkiRef`] and [`ExtensionRef`]s from those bytes.
//!
//! What [`parse`] accepts is what `x509-cert`'s `CertReq` decoder accepted for the same bytes,
//! with the same values (attributes and their values in DER SET OF order, as it sorted them):
//! the tests compare the two on the corpora and every one-byte change and truncation.

use core::ops::Range;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;

use super::name::{NameRef, read_name};
use super::{ExtensionRef, OwnedDer, range_in};
use crate::Error;
use crate::asn1::read::{self, Reader, Tag};
use crate::crypto::{SpkiRef, parse_spki, read_spki};

const STRUCTURE: &str = "CSR";

/// A PKCS#10 certification request (RFC 2986 section 4), owning its DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csr {
    der: OwnedDer,
    info: Range<usize>,
    subject: Range<usize>,
    public_key: Range<usize>,
    /// In DER SET OF order; each attribute's values too.
    attributes: Vec<Attribute>,
    signature_algorithm: Range<usize>,
    signature_oid: ObjectIdentifier,
    signature: Range<usize>,
    signature_unused_bits: u8,
}

/// One `Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY }` of a [`Csr`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Attribute {
    oid: ObjectIdentifier,
    /// The values' whole TLVs.
    values: Vec<Range<usize>>,
}

impl Csr {
    /// The whole request, as received.
    pub fn der(&self) -> &[u8] {
        self.der.all()
    }

    /// The signed `CertificationRequestInfo`, byte for byte as received.
    pub fn info_der(&self) -> &[u8] {
        self.der.part(&self.info)
    }

    /// The subject's DER, as received.
    pub fn subject_der(&self) -> &[u8] {
        self.der.part(&self.subject)
    }

    /// The subject (read when the request was parsed, so never refused here).
    pub fn subject(&self) -> NameRef<'_> {
        self.der.name(&self.subject)
    }

    /// The DER SubjectPublicKeyInfo of the key to certify.
    pub fn public_key_der(&self) -> &[u8] {
        self.der.part(&self.public_key)
    }

    /// The key to certify, read with the core's reader.
    pub(crate) fn public_key(&self) -> Result<SpkiRef<'_>, Error> {
        parse_spki(self.public_key_der())
    }

    /// The attributes: each type with its values' whole TLVs, in DER SET OF order.
    pub fn attributes(&self) -> Vec<(ObjectIdentifier, Vec<&[u8]>)> {
        self.attributes
            .iter()
            .map(|attribute| {
                let values = attribute.values.iter().map(|range| self.der.part(range));
                (attribute.oid, values.collect())
            })
            .collect()
    }

    /// The values of the extensionRequest attributes (RFC 2985 section 5.4.2), each read as
    /// `Extensions` (a SEQUENCE OF Extension) or the reader's error.
    pub(crate) fn extension_requests(&self) -> Vec<read::Result<Vec<ExtensionRef<'_>>>> {
        self.attributes
            .iter()
            .filter(|attribute| attribute.oid == rfc5912::ID_EXTENSION_REQ)
            .flat_map(|attribute| attribute.values.iter())
            .map(|range| read::parse(self.der.part(range), super::read_extensions))
            .collect()
    }

    /// The signature's DER AlgorithmIdentifier, as received.
    pub fn signature_algorithm_der(&self) -> &[u8] {
        self.der.part(&self.signature_algorithm)
    }

    /// The signature algorithm's OID.
    pub fn signature_algorithm_oid(&self) -> &ObjectIdentifier {
        &self.signature_oid
    }

    /// The signature BIT STRING's bytes.
    pub fn signature(&self) -> &[u8] {
        self.der.part(&self.signature)
    }

    /// The signature BIT STRING's unused bits (0 in every usable request).
    pub fn signature_unused_bits(&self) -> u8 {
        self.signature_unused_bits
    }
}

/// Parses one DER-encoded CSR.
pub(crate) fn parse(der: &[u8]) -> Result<Csr, Error> {
    read_request(der).map_err(|error| error.into_error(STRUCTURE))
}

fn read_request(der: &[u8]) -> read::Result<Csr> {
    let mut outer = Reader::new(der);
    let mut request = outer.sequence()?;
    outer.finish()?;
    let info = request.expect(Tag::SEQUENCE, "a CertificationRequestInfo (SEQUENCE)")?;
    let mut fields = info.reader()?;
    match fields.integer()? {
        [0] => {}
        _ => return Err(fields.error("version 0 (v1)")),
    }
    let subject = read_name(&mut fields)?.der;
    let public_key = read_spki(&mut fields)?.whole;
    // attributes [0] IMPLICIT SET OF Attribute
    let tagged = fields.expect(Tag::context(0, true), "[0] IMPLICIT attributes")?;
    let mut set = tagged.reader()?;
    let mut attributes = Vec::new();
    while !set.is_empty() {
        let whole = set.expect(Tag::SEQUENCE, "an Attribute (SEQUENCE)")?;
        let mut attribute = whole.reader()?;
        let oid = attribute.object_identifier()?;
        let values_set = attribute.expect(Tag::SET, "the attribute's values (SET)")?;
        attribute.finish()?;
        let mut values_reader = values_set.reader()?;
        let mut values = Vec::new();
        while !values_reader.is_empty() {
            values.push(values_reader.tlv()?.whole);
        }
        values.sort_unstable();
        // The attribute as `x509-cert` re-encodes it (values sorted): its sort key.
        let head_length = whole.whole.len() - values_set.contents.len();
        let mut key = whole.whole.get(..head_length).unwrap_or_default().to_vec();
        values.iter().for_each(|value| key.extend_from_slice(value));
        let values = values.iter().map(|value| range_in(der, value)).collect();
        attributes.push((key, Attribute { oid, values }));
    }
    attributes.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    fields.finish()?;
    let algorithm = request.algorithm()?;
    let signature_oid = read::object_identifier(algorithm.oid)
        .ok_or_else(|| request.error("a valid OBJECT IDENTIFIER"))?;
    let (signature_unused_bits, signature) = request.bit_string_any_padding()?;
    request.finish()?;
    Ok(Csr {
        der: OwnedDer::new(der),
        info: range_in(der, info.whole),
        subject: range_in(der, subject),
        public_key: range_in(der, public_key),
        attributes: attributes
            .into_iter()
            .map(|(_, attribute)| attribute)
            .collect(),
        signature_algorithm: range_in(der, algorithm.whole),
        signature_oid,
        signature: range_in(der, signature),
        signature_unused_bits,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use der::{Decode, Encode};
    use x509_cert::request::CertReq;

    use super::*;

    /// The CSRs of the fuzz corpus, of the parity fixtures and made by the core's issuance
    /// (every key type, with and without requested names).
    pub(crate) fn corpus() -> Vec<Vec<u8>> {
        let mut ders = Vec::new();
        let folders = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/inspect"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/csr"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/parity/inputs"),
        ];
        for folder in folders {
            let Ok(entries) = std::fs::read_dir(folder) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                let blocks = match bytes.starts_with(b"-----") {
                    true => crate::decode::blocks(&bytes)
                        .unwrap()
                        .into_iter()
                        .flatten()
                        .map(|block| block.der)
                        .collect(),
                    false => vec![bytes],
                };
                ders.extend(
                    blocks
                        .into_iter()
                        .filter(|der| CertReq::from_der(der).is_ok()),
                );
            }
        }
        ders.sort();
        ders.dedup();
        ders
    }

    /// The new reading next to `CertReq::from_der`: both accept or both refuse, and when both
    /// accept the values are the same.
    fn same_as_x509_cert(der: &[u8]) -> bool {
        match (CertReq::from_der(der), parse(der)) {
            (Err(_), Err(error)) => {
                assert_eq!(error.code(), "InvalidDer");
                false
            }
            (Ok(old), Ok(new)) => {
                assert_eq!(new.der(), der);
                assert_eq!(new.subject_der(), old.info.subject.to_der().unwrap());
                assert_eq!(new.public_key_der(), old.info.public_key.to_der().unwrap());
                let attributes: Vec<(ObjectIdentifier, Vec<Vec<u8>>)> = old
                    .info
                    .attributes
                    .iter()
                    .map(|attribute| {
                        let values = attribute.values.iter();
                        (attribute.oid, values.map(|v| v.to_der().unwrap()).collect())
                    })
                    .collect();
                let ours: Vec<(ObjectIdentifier, Vec<Vec<u8>>)> = new
                    .attributes()
                    .into_iter()
                    .map(|(oid, values)| (oid, values.iter().map(|v| v.to_vec()).collect()))
                    .collect();
                assert_eq!(ours, attributes, "{der:02x?}");
                assert_eq!(
                    new.signature_algorithm_der(),
                    old.algorithm.to_der().unwrap()
                );
                assert_eq!(new.signature_algorithm_oid(), &old.algorithm.oid);
                assert_eq!(
                    (new.signature(), new.signature_unused_bits()),
                    (old.signature.raw_bytes(), old.signature.unused_bits())
                );
                // The info as received starts the request; x509-cert re-encodes it the same
                // when it was in DER SET OF order.
                let info = old.info.to_der().unwrap();
                assert_eq!(new.info_der().len(), info.len());
                true
            }
            (old, new) => panic!("{der:02x?}: x509-cert {old:?}, core {new:?}"),
        }
    }

    #[test]
    fn reads_the_corpus_as_x509_cert_does() {
        let corpus = corpus();
        assert!(corpus.len() >= 5, "{} CSRs", corpus.len());
        for der in &corpus {
            assert!(same_as_x509_cert(der), "a corpus CSR is refused");
        }
    }

    #[test]
    fn accepts_and_refuses_every_one_byte_change_as_x509_cert_does() {
        let changed = crate::x509::test_corpus::one_byte_changes(
            corpus(),
            1,
            &[0x00, 0x01, 0x02, 0x05, 0x31, 0x7f, 0x80, 0x81, 0xa0, 0xff],
            &[0x01, 0x20, 0x80],
        );
        let accepted = changed.iter().filter(|der| same_as_x509_cert(der)).count();
        eprintln!(
            "{accepted} of {} changed CSRs accepted by both",
            changed.len()
        );
        assert!(
            accepted > 100 && accepted < changed.len(),
            "{accepted} of {}",
            changed.len()
        );
    }

    /// Attributes and values out of DER order, several extensionRequests, an empty value set:
    /// sorted as `x509-cert` sorts them.
    #[test]
    fn sorts_attributes_and_values_as_x509_cert_does() {
        use crate::asn1::write;
        let base = corpus().into_iter().next().unwrap();
        let csr = parse(&base).unwrap();
        let attribute = |out: &mut Vec<u8>, oid: &ObjectIdentifier, values: &[&[u8]]| {
            write::sequence(out, |out| {
                write::oid(out, oid);
                write::constructed(out, write::tag::SET, |out| {
                    values.iter().for_each(|value| out.extend_from_slice(value));
                });
            });
        };
        let challenge = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.7");
        let empty_extensions: &[u8] = &[0x30, 0x00];
        type Attributes<'a> = &'a [(&'a ObjectIdentifier, &'a [&'a [u8]])];
        let orders: [Attributes<'_>; 3] = [
            &[
                (&challenge, &[b"\x0c\x02zz", b"\x0c\x01a", b"\x13\x01b"]),
                (&rfc5912::ID_EXTENSION_REQ, &[empty_extensions]),
            ],
            &[(&challenge, &[]), (&challenge, &[b"\x05\x00"])],
            &[
                (&rfc5912::ID_EXTENSION_REQ, &[empty_extensions]),
                (&rfc5912::ID_EXTENSION_REQ, &[b"\x30\x03\x02\x01\x00"]),
                (&challenge, &[b"\x0c\x00", b"\x0c\x00"]),
            ],
        ];
        for attributes in orders {
            let mut der = Vec::new();
            write::sequence(&mut der, |out| {
                write::sequence(out, |out| {
                    write::integer_u64(out, 0);
                    out.extend_from_slice(csr.subject_der());
                    out.extend_from_slice(csr.public_key_der());
                    write::constructed(out, write::context_constructed(0), |out| {
                        for (oid, values) in attributes {
                            attribute(out, oid, values);
                        }
                    });
                });
                out.extend_from_slice(csr.signature_algorithm_der());
                write::bit_string(out, 0, csr.signature());
            });
            assert!(same_as_x509_cert(&der), "{der:02x?}");
            let parsed = parse(&der).unwrap();
            let requests = parsed.extension_requests();
            let expected = attributes
                .iter()
                .filter(|(oid, _)| **oid == rfc5912::ID_EXTENSION_REQ)
                .count();
            assert_eq!(requests.len(), expected);
        }
    }
}

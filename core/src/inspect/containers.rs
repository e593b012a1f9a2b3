//! Containers: PKCS#7 certificate bundles (`.p7b`) and PKCS#12 files (`.p12`, `.pfx`).
//! Each contributes the items inside it, marked with the container they came from.

use const_oid::ObjectIdentifier;

use super::{Item, Options, Source, certificate};
use crate::Error;
use crate::asn1::read::{self, Tag};
use crate::{inspect::keys, pkcs12, secret::Password};

/// `id-signedData` (RFC 5652 section 5.1).
const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");

/// The certificates of a PKCS#7 `SignedData` (the `certificates [0] IMPLICIT` field).
pub(super) fn pkcs7(der: &[u8], source: Source, options: &Options) -> Result<Vec<Item>, Error> {
    let certificates = pkcs7_certificates(der)?;
    let mut items = Vec::with_capacity(certificates.len());
    for (offset, certificate_der) in certificates.iter().enumerate() {
        let source = contained(&source, offset, "pkcs7");
        items.push(
            match certificate::report(certificate_der, source.clone(), options.at) {
                Ok(report) => Item::Certificate(Box::new(report)),
                Err(error) => super::error_item(source, &error),
            },
        );
    }
    Ok(items)
}

/// The keys and certificates of a PKCS#12 file, opened with the password (empty if none).
pub(super) fn pkcs12(der: &[u8], source: Source, options: &Options) -> Result<Vec<Item>, Error> {
    let empty = Password::default();
    let password = options.password.as_ref().unwrap_or(&empty);
    let contents = match pkcs12::read(der, password) {
        Err(Error::WrongPassword { item }) if options.password.is_none() => {
            return Err(Error::PasswordRequired { item });
        }
        other => other?,
    };
    let mut items = Vec::new();
    for key in contents.keys {
        let source = contained(&source, items.len(), "pkcs12");
        items.push(
            match keys::pkcs8_report(&key.der, source.clone(), key.friendly_name) {
                Ok(report) => Item::PrivateKey(Box::new(report)),
                Err(error) => super::error_item(source, &error),
            },
        );
    }
    for bag in contents.certificates {
        let source = contained(&source, items.len(), "pkcs12");
        items.push(
            match certificate::report(&bag.der, source.clone(), options.at) {
                Ok(report) => Item::Certificate(Box::new(report)),
                Err(error) => super::error_item(source, &error),
            },
        );
    }
    Ok(items)
}

fn contained(source: &Source, offset: usize, container: &'static str) -> Source {
    Source {
        file: source.file.clone(),
        index: source.index + offset,
        container: Some(container),
        alias: None,
    }
}

/// ```text
/// ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }
/// SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo SEQUENCE,
///     certificates [0] IMPLICIT CertificateSet OPTIONAL, crls [1] IMPLICIT OPTIONAL,
///     signerInfos SET }
/// ```
///
/// Read with the core's reader as `der` read it before (the tests compare the two on `.p7b`
/// files and every one-byte change and truncation): DER only (BER's indefinite lengths are
/// refused), the first three SignedData fields any TLVs, then every `[0]` constructed element's
/// TLVs as certificates (whatever they hold; `certificate::report` judges them) and any other
/// element skipped.
pub(crate) fn pkcs7_certificates(der: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    read::parse(der, |outer| outer.read_sequence(read_content_info))
        .map_err(|error| error.into_error("PKCS#7 bundle"))
}

fn read_content_info(info: &mut read::Reader<'_>) -> read::Result<Vec<Vec<u8>>> {
    let content_type = info.object_identifier()?;
    let mut explicit = info.explicit(0)?;
    let content = explicit.tlv()?;
    explicit.finish()?;
    if content_type != SIGNED_DATA || content.tag != Tag::SEQUENCE {
        return Err(read::DerError {
            offset: content.offset,
            expected: "a SignedData (SEQUENCE) of id-signedData",
        });
    }
    let mut fields = content.reader()?;
    // version, digestAlgorithms, encapContentInfo
    for _ in 0..3 {
        fields.tlv()?;
    }
    let mut certificates = Vec::new();
    while !fields.is_empty() {
        let element = fields.tlv()?;
        if element.tag == Tag::context(0, true) {
            let mut set = element.reader()?;
            while !set.is_empty() {
                certificates.push(set.tlv()?.whole.to_vec());
            }
        }
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use der::{Decode, Encode, Reader, SliceReader, TagNumber, Tagged};

    use super::*;

    /// [`pkcs7_certificates`] as it was, on `der`: the oracle.
    fn pkcs7_certificates_before(der: &[u8]) -> der::Result<Vec<Vec<u8>>> {
        #[derive(der::Sequence)]
        struct ContentInfo {
            content_type: ObjectIdentifier,
            #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
            content: der::Any,
        }
        let info = ContentInfo::from_der(der)?;
        if info.content_type != SIGNED_DATA || info.content.tag() != der::Tag::Sequence {
            return Err(der::Tag::Sequence.value_error().into());
        }
        let mut reader = SliceReader::new(info.content.value())?;
        signed_data_certificates(&mut reader)
    }

    fn signed_data_certificates<'a, R: Reader<'a>>(reader: &mut R) -> der::Result<Vec<Vec<u8>>> {
        let _version = der::Any::decode(reader)?;
        let _digest_algorithms = der::Any::decode(reader)?;
        let _encapsulated = der::Any::decode(reader)?;
        let mut certificates = Vec::new();
        while !reader.is_finished() {
            let element = der::Any::decode(reader)?;
            if element.tag()
                == (der::Tag::ContextSpecific {
                    constructed: true,
                    number: TagNumber(0),
                })
            {
                let mut set = SliceReader::new(element.value())?;
                while !set.is_finished() {
                    certificates.push(der::Any::decode(&mut set)?.to_der()?);
                }
            }
        }
        Ok(certificates)
    }

    /// One TLV with a short or long definite length.
    fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match contents.len() {
            length @ 0..=127 => out.push(length as u8),
            length @ 128..=255 => out.extend([0x81, length as u8]),
            length => out.extend([0x82, (length >> 8) as u8, length as u8]),
        }
        out.extend_from_slice(contents);
        out
    }

    /// `.p7b` files of `openssl crl2pkcs7` (one certificate, a chain, six of the system
    /// bundle, with and without a CRL, a CRL alone), the fuzz corpus's, and hand-made edge
    /// cases: two `[0]` sets, an empty set, other elements, a BER indefinite length, another
    /// content type, trailing bytes.
    fn corpus() -> Vec<Vec<u8>> {
        let mut ders = Vec::new();
        for folder in [
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pkcs7"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/inspect"),
        ] {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|extension| extension == "p7b") {
                    let bytes = std::fs::read(&path).unwrap();
                    match bytes.starts_with(b"-----") {
                        true => ders.extend(
                            crate::decode::blocks(&bytes)
                                .unwrap()
                                .into_iter()
                                .map(|block| block.unwrap().der),
                        ),
                        false => ders.push(bytes),
                    }
                }
            }
        }
        let oid = tlv(0x06, SIGNED_DATA.as_bytes());
        let certificate = tlv(
            0x30,
            &[tlv(0x30, &[0x02, 0x01, 0x01]), tlv(0x05, &[])].concat(),
        );
        let head = [
            tlv(0x02, &[1]),
            tlv(0x31, &[]),
            tlv(0x30, &tlv(0x06, &[0x2a, 0x03])),
        ]
        .concat();
        let signed = |rest: &[u8]| {
            tlv(
                0x30,
                &[
                    oid.clone(),
                    tlv(0xa0, &tlv(0x30, &[head.clone(), rest.to_vec()].concat())),
                ]
                .concat(),
            )
        };
        ders.push(signed(
            &[
                tlv(0xa0, &certificate),
                tlv(0xa0, &[certificate.clone(), certificate.clone()].concat()),
                tlv(0x31, &[]),
            ]
            .concat(),
        ));
        ders.push(signed(&tlv(0xa0, &[])));
        ders.push(signed(
            &[tlv(0xa1, &[]), tlv(0x80, &[1]), tlv(0xa0, &certificate)].concat(),
        ));
        ders.push(signed(&[]));
        let mut indefinite = signed(&tlv(0xa0, &certificate));
        indefinite[1] = 0x80;
        indefinite.extend([0, 0]);
        ders.push(indefinite);
        ders.push(tlv(
            0x30,
            &[
                tlv(
                    0x06,
                    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01],
                ),
                tlv(0xa0, &tlv(0x30, &head)),
            ]
            .concat(),
        ));
        let mut trailing = signed(&tlv(0xa0, &certificate));
        trailing.push(0);
        ders.push(trailing);
        ders
    }

    /// Both read the same certificates, or both refuse (with the same code); whether read.
    fn same_as_before(der: &[u8]) -> bool {
        match (pkcs7_certificates(der), pkcs7_certificates_before(der)) {
            (Ok(new), Ok(old)) => {
                assert_eq!(new, old, "{der:02x?}");
                true
            }
            (Err(new), Err(old)) => {
                assert_eq!(new.code(), Error::der("PKCS#7 bundle", old).code());
                false
            }
            (new, old) => panic!("{der:02x?}: now {new:?}, before {old:?}"),
        }
    }

    #[test]
    fn reads_every_bundle_and_change_as_der_did() {
        let corpus = corpus();
        let read = corpus.iter().filter(|der| same_as_before(der)).count();
        assert!(
            read >= 8 && read < corpus.len(),
            "{read} of {}",
            corpus.len()
        );
        let changed = crate::x509::test_corpus::one_byte_changes(
            corpus,
            1,
            &[
                0x00, 0x01, 0x02, 0x05, 0x30, 0x31, 0x7f, 0x80, 0x81, 0xa0, 0xa1, 0xff,
            ],
            &[0x01, 0x20, 0x80],
        );
        let read = changed.iter().filter(|der| same_as_before(der)).count();
        eprintln!("{read} of {} changed bundles read by both", changed.len());
        assert!(
            read > 1_000 && read < changed.len(),
            "{read} of {}",
            changed.len()
        );
    }
}

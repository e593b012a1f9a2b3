//! Containers: PKCS#7 certificate bundles (`.p7b`) and PKCS#12 files (`.p12`, `.pfx`).
//! Each contributes the items inside it, marked with the container they came from.

use der::{Decode, Encode, Reader, SliceReader, TagNumber, Tagged, asn1::ObjectIdentifier};

use super::{Item, Options, Source, certificate};
use crate::Error;
use crate::{inspect::keys, pkcs12, secret::Password};

/// `id-signedData` (RFC 5652 section 5.1).
const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");

/// The certificates of a PKCS#7 `SignedData` (the `certificates [0] IMPLICIT` field).
pub(super) fn pkcs7(der: &[u8], source: Source, options: &Options) -> Result<Vec<Item>, Error> {
    let certificates =
        pkcs7_certificates(der).map_err(|error| Error::der("PKCS#7 bundle", error))?;
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
pub(crate) fn pkcs7_certificates(der: &[u8]) -> der::Result<Vec<Vec<u8>>> {
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

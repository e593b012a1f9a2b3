//! PKCS#10 certification requests (RFC 2986 section 4) read with the core's DER reader
//! ([`crate::asn1::read`]): the frames (CertificationRequest, CertificationRequestInfo, the
//! version, the `[0] IMPLICIT` attributes) are read here; the name, the public key, the
//! attributes, the algorithm and the signature BIT STRING are handed to the `x509-cert`
//! decoders the certificates use, and the result is `x509-cert`'s own [`CertReq`], so that
//! what is accepted and what comes out is exactly what `CertReq::from_der` gave (checked on the
//! corpora and every one-byte change and truncation in this module's tests).

use der::Decode;
use der::asn1::BitString;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::attr::Attributes;
use x509_cert::name::Name;
use x509_cert::request::{CertReq, CertReqInfo, Version};

use crate::Error;
use crate::asn1::read::{DerError, Reader, Tag};

const STRUCTURE: &str = "CSR";

/// Why decoding failed: the reader's own error or one of an `x509-cert` decoder.
enum Failure {
    Reader(DerError),
    Der(der::Error),
}

impl From<DerError> for Failure {
    fn from(error: DerError) -> Self {
        Self::Reader(error)
    }
}

impl From<der::Error> for Failure {
    fn from(error: der::Error) -> Self {
        Self::Der(error)
    }
}

/// Parses one DER-encoded CSR.
pub(crate) fn parse(der: &[u8]) -> Result<CertReq, Error> {
    read_request(der).map_err(|failure| match failure {
        Failure::Reader(error) => error.into_error(STRUCTURE),
        Failure::Der(error) => Error::der(STRUCTURE, error),
    })
}

fn read_request(der: &[u8]) -> Result<CertReq, Failure> {
    let mut outer = Reader::new(der);
    let mut request = outer.sequence()?;
    outer.finish()?;
    let mut info = request
        .expect(Tag::SEQUENCE, "a CertificationRequestInfo (SEQUENCE)")?
        .reader()?;
    match info.integer()? {
        [0] => {}
        _ => return Err(info.error("version 0 (v1)").into()),
    }
    let subject = Name::from_der(info.expect(Tag::SEQUENCE, "a Name (SEQUENCE)")?.whole)?;
    let public_key = SubjectPublicKeyInfoOwned::from_der(
        info.expect(Tag::SEQUENCE, "a SubjectPublicKeyInfo (SEQUENCE)")?
            .whole,
    )?;
    // `attributes [0] IMPLICIT SET OF Attribute`: the SET's decoder on the same bytes with
    // the SET's tag (a one-byte tag either way).
    let tagged = info.expect(Tag::context(0, true), "[0] IMPLICIT attributes")?;
    let mut set = tagged.whole.to_vec();
    if let Some(tag) = set.first_mut() {
        *tag = 0x31;
    }
    let attributes = Attributes::from_der(&set)?;
    info.finish()?;
    let algorithm = AlgorithmIdentifierOwned::from_der(
        request
            .expect(Tag::SEQUENCE, "an AlgorithmIdentifier (SEQUENCE)")?
            .whole,
    )?;
    let signature = BitString::from_der(request.expect(Tag::BIT_STRING, "a BIT STRING")?.whole)?;
    request.finish()?;
    Ok(CertReq {
        info: CertReqInfo {
            version: Version::V1,
            subject,
            public_key,
            attributes,
        },
        algorithm,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use der::Encode;

    use super::*;

    /// The CSRs of the fuzz corpus, of the parity fixtures and made by the core's issuance
    /// (every key type, with and without requested names).
    fn corpus() -> Vec<Vec<u8>> {
        let mut ders = Vec::new();
        let folders = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/inspect"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/parity/inputs"),
        ];
        for folder in folders {
            let Ok(entries) = std::fs::read_dir(folder) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|extension| extension != "csr") {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                match bytes.starts_with(b"-----") {
                    true => ders.extend(
                        crate::decode::blocks(&bytes)
                            .unwrap()
                            .into_iter()
                            .flatten()
                            .map(|block| block.der),
                    ),
                    false => ders.push(bytes),
                }
            }
        }
        ders
    }

    /// The new reading next to `CertReq::from_der`: both accept or both refuse, and when both
    /// accept the values are equal.
    fn same_as_x509_cert(der: &[u8]) -> bool {
        match (CertReq::from_der(der), parse(der)) {
            (Err(_), Err(error)) => {
                assert_eq!(error.code(), "InvalidDer");
                false
            }
            (Ok(old), Ok(new)) => {
                assert_eq!(old, new);
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
            assert_eq!(parse(der).unwrap().to_der().unwrap(), *der);
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
}

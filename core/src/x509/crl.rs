//! X.509 CRLs (RFC 5280 section 5.1) read with the core's DER reader ([`crate::asn1::read`]):
//! the frames (CertificateList, TBSCertList, the revoked entries, version and serial numbers)
//! are read here; names, times, algorithm identifiers, the signature BIT STRING and extensions
//! are handed to the `x509-cert` decoders the certificates still use, so that what is accepted
//! is exactly what `x509_cert::crl::CertificateList<Raw>` accepted (checked on the corpora and
//! on every one-byte change and truncation in this module's tests).

use der::Decode;
use der::asn1::BitString;
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extensions;
use x509_cert::name::Name;
use x509_cert::time::Time;

use crate::asn1::read::{self, Reader, Tag};
use crate::{Error, UnixTime};

const STRUCTURE: &str = "CRL";

/// An X.509 CRL, decoded without profile checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crl {
    /// The version field's value (0: v1, 1: v2, 2: v3; the field is required here as it
    /// was by `x509-cert`).
    pub version: u8,
    /// tbsCertList's signature algorithm.
    pub tbs_signature: AlgorithmIdentifierOwned,
    pub issuer: Name,
    pub this_update: UnixTime,
    pub next_update: Option<UnixTime>,
    /// The revoked certificates, in order (empty without the field).
    pub revoked: Vec<RevokedCertificate>,
    pub extensions: Option<Extensions>,
    pub signature_algorithm: AlgorithmIdentifierOwned,
    pub signature: BitString,
    /// The DER of tbsCertList exactly as signed.
    pub tbs: Vec<u8>,
}

/// One entry of a CRL's revokedCertificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedCertificate {
    /// The serial number's INTEGER contents (minimal two's complement).
    pub serial: Vec<u8>,
    pub revocation_date: UnixTime,
    pub extensions: Option<Extensions>,
}

/// Why decoding failed: the reader's own error or one of an `x509-cert` decoder.
enum Failure {
    Reader(read::DerError),
    Der(der::Error),
}

impl From<read::DerError> for Failure {
    fn from(error: read::DerError) -> Self {
        Self::Reader(error)
    }
}

impl From<der::Error> for Failure {
    fn from(error: der::Error) -> Self {
        Self::Der(error)
    }
}

/// Parses one DER-encoded CRL.
pub fn parse(der: &[u8]) -> Result<Crl, Error> {
    read_crl(der).map_err(|failure| match failure {
        Failure::Reader(error) => error.into_error(STRUCTURE),
        Failure::Der(error) => Error::der(STRUCTURE, error),
    })
}

fn read_crl(der: &[u8]) -> Result<Crl, Failure> {
    let mut outer = Reader::new(der);
    let mut list = outer.sequence()?;
    outer.finish()?;
    let tbs = list.expect(Tag::SEQUENCE, "a TBSCertList (SEQUENCE)")?;
    let mut fields = tbs.reader()?;
    let version = version(&mut fields)?;
    let tbs_signature = algorithm(&mut fields)?;
    let issuer = Name::from_der(fields.expect(Tag::SEQUENCE, "a Name (SEQUENCE)")?.whole)?;
    let this_update = time(&mut fields)?;
    let next_update = match fields.peek_tag()? {
        Some(Tag::UTC_TIME | Tag::GENERALIZED_TIME) => Some(time(&mut fields)?),
        _ => None,
    };
    let mut revoked = Vec::new();
    if let Some(entries) = fields.optional(Tag::SEQUENCE)? {
        let mut entries = entries.reader()?;
        while !entries.is_empty() {
            revoked.push(entries.read_sequence(revoked_certificate)?);
        }
    }
    let extensions = match fields.optional_explicit(0)? {
        Some(mut explicit) => {
            let value = explicit.expect(Tag::SEQUENCE, "Extensions (SEQUENCE)")?;
            explicit.finish()?;
            Some(Extensions::from_der(value.whole)?)
        }
        None => None,
    };
    fields.finish()?;
    let signature_algorithm = algorithm(&mut list)?;
    let signature = BitString::from_der(list.expect(Tag::BIT_STRING, "a BIT STRING")?.whole)?;
    list.finish()?;
    Ok(Crl {
        version,
        tbs_signature,
        issuer,
        this_update,
        next_update,
        revoked,
        extensions,
        signature_algorithm,
        signature,
        tbs: tbs.whole.to_vec(),
    })
}

/// `Version ::= INTEGER { v1(0), v2(1), v3(2) }`, required.
fn version(reader: &mut Reader<'_>) -> Result<u8, Failure> {
    let value = reader.integer()?;
    match value {
        [number @ 0..=2] => Ok(*number),
        _ => Err(reader.error("a version of 0, 1 or 2").into()),
    }
}

fn algorithm(reader: &mut Reader<'_>) -> Result<AlgorithmIdentifierOwned, Failure> {
    let whole = reader.expect(Tag::SEQUENCE, "an AlgorithmIdentifier (SEQUENCE)")?;
    Ok(AlgorithmIdentifierOwned::from_der(whole.whole)?)
}

fn time(reader: &mut Reader<'_>) -> Result<UnixTime, Failure> {
    let tlv = reader.tlv()?;
    Ok(UnixTime::from_x509(&Time::from_der(tlv.whole)?))
}

fn revoked_certificate(reader: &mut Reader<'_>) -> read::Result<RevokedCertificate> {
    let serial = reader.integer()?.to_vec();
    let date = reader.tlv()?;
    let revocation_date = Time::from_der(date.whole)
        .map(|time| UnixTime::from_x509(&time))
        .map_err(|_| read::DerError {
            offset: date.offset,
            expected: "a Time",
        })?;
    let extensions = match reader.optional(Tag::SEQUENCE)? {
        Some(value) => Some(
            Extensions::from_der(value.whole).map_err(|_| read::DerError {
                offset: value.offset,
                expected: "entry Extensions",
            })?,
        ),
        None => None,
    };
    Ok(RevokedCertificate {
        serial,
        revocation_date,
        extensions,
    })
}

#[cfg(test)]
mod tests {
    use der::Encode;
    use x509_cert::certificate::Raw;
    use x509_cert::crl::CertificateList;

    use super::*;

    /// The CRLs of the limbo suite, of the fuzz corpus (PKITS, Python's test CRL, mtlskit's
    /// own) and of the CRL rules' tests.
    fn corpus() -> Vec<Vec<u8>> {
        let mut pems = Vec::new();
        let limbo = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/conformance/limbo/limbo-dev.json"
        );
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(limbo).expect("the suite")).unwrap();
        collect_pem(&json, &mut pems);
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/inspect");
        let mut ders = Vec::new();
        for entry in std::fs::read_dir(seeds).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|extension| extension == "crl") {
                let bytes = std::fs::read(&path).unwrap();
                match bytes.starts_with(b"-----") {
                    true => pems.push(bytes),
                    false => ders.push(bytes),
                }
            }
        }
        ders.extend(
            pems.iter()
                .flat_map(|pem| crate::decode::blocks(pem).unwrap().into_iter().flatten())
                .map(|block| block.der),
        );
        ders
    }

    fn collect_pem(value: &serde_json::Value, into: &mut Vec<Vec<u8>>) {
        match value {
            serde_json::Value::String(text) if text.contains("-----BEGIN X509 CRL") => {
                into.push(text.as_bytes().to_vec());
            }
            serde_json::Value::Array(items) => {
                items.iter().for_each(|item| collect_pem(item, into))
            }
            serde_json::Value::Object(fields) => {
                fields.values().for_each(|item| collect_pem(item, into));
            }
            _ => {}
        }
    }

    /// The new reading next to `x509_cert`'s: both accept or both refuse, and when both
    /// accept every field is the same.
    fn same_as_x509_cert(der: &[u8]) -> bool {
        let old = CertificateList::<Raw>::from_der(der);
        let new = parse(der);
        let (old, new) = match (old, new) {
            (Err(_), Err(error)) => {
                assert_eq!(error.code(), "InvalidDer");
                return false;
            }
            (Ok(old), Ok(new)) => (old, new),
            (old, new) => panic!("{der:02x?}: x509-cert {old:?}, core {new:?}"),
        };
        let tbs = &old.tbs_cert_list;
        assert_eq!(tbs.version as u8, new.version);
        assert_eq!(tbs.signature, new.tbs_signature);
        assert_eq!(tbs.issuer, new.issuer);
        assert_eq!(UnixTime::from_x509(&tbs.this_update), new.this_update);
        assert_eq!(
            tbs.next_update.as_ref().map(UnixTime::from_x509),
            new.next_update
        );
        let entries: Vec<_> = tbs.revoked_certificates.iter().flatten().collect();
        assert_eq!(entries.len(), new.revoked.len());
        for (old, new) in entries.iter().zip(&new.revoked) {
            assert_eq!(old.serial_number.as_bytes(), new.serial.as_slice());
            assert_eq!(
                UnixTime::from_x509(&old.revocation_date),
                new.revocation_date
            );
            assert_eq!(old.crl_entry_extensions, new.extensions);
        }
        assert_eq!(tbs.crl_extensions, new.extensions);
        assert_eq!(old.signature_algorithm, new.signature_algorithm);
        assert_eq!(old.signature, new.signature);
        assert_eq!(tbs.to_der().unwrap(), new.tbs);
        true
    }

    #[test]
    fn reads_the_corpus_as_x509_cert_does() {
        let corpus = corpus();
        assert!(corpus.len() >= 7, "{} CRLs", corpus.len());
        for der in &corpus {
            assert!(same_as_x509_cert(der), "a corpus CRL is refused");
        }
    }

    #[test]
    fn accepts_and_refuses_every_one_byte_change_as_x509_cert_does() {
        let changed = crate::x509::test_corpus::one_byte_changes(
            corpus(),
            1,
            &[0x00, 0x01, 0x02, 0x05, 0x7f, 0x80, 0x81, 0xa0, 0xff],
            &[0x01, 0x20, 0x80],
        );
        let accepted = changed.iter().filter(|der| same_as_x509_cert(der)).count();
        // Both sides refuse most changes and accept some (changed signatures, names, times).
        eprintln!(
            "{accepted} of {} changed CRLs accepted by both",
            changed.len()
        );
        assert!(
            accepted > 100 && accepted < changed.len(),
            "{accepted} of {}",
            changed.len()
        );
    }
}

//! Ordering an unordered set of certificates into a chain: leaf, then each issuer in turn,
//! then (only if asked) the self-signed root. Issuers are found by name and, where both
//! certificates carry them, by key identifier (RFC 5280 sections 4.2.1.1 and 6.1).

use const_oid::db::rfc5912;

use crate::Error;
use crate::asn1::read::{self, DerError, Tag};
use crate::verify::read_authority_key_identifier;
use crate::x509::Certificate;

/// A chain in order, each certificate as DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// Leaf first, then intermediates, then the root if it was asked for and given.
    pub certificates: Vec<Vec<u8>>,
    /// Whether the chain ends in a self-signed certificate that was given.
    pub ends_at_root: bool,
}

impl Chain {
    /// The chain as concatenated PEM `CERTIFICATE` blocks, e.g. for a `fullchain.crt`.
    pub fn pem(&self) -> Result<String, Error> {
        let mut text = String::new();
        for der in &self.certificates {
            text.push_str(&crate::crypto::keys::pem("CERTIFICATE", der)?);
        }
        Ok(text)
    }
}

struct Entry {
    der: Vec<u8>,
    subject: Vec<u8>,
    issuer: Vec<u8>,
    subject_text: String,
    issuer_text: String,
    key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    is_ca: bool,
}

/// Orders `certificates` (DER, any order, duplicates allowed) into a chain.
///
/// Fails with [`Error::UnknownIssuer`] when an issuer between the leaf and the root is not in
/// the set: when `include_root` is asked for, or a root was given but cannot be reached.
pub fn order(certificates: &[Vec<u8>], include_root: bool) -> Result<Chain, Error> {
    let mut entries: Vec<Entry> = Vec::new();
    for der in certificates {
        if entries.iter().all(|entry| entry.der != *der) {
            entries.push(parse(der)?);
        }
    }
    let leaf = find_leaf(&entries)?;
    let mut ordered = vec![leaf];
    let mut current = leaf;
    let mut ends_at_root = false;
    while ordered.len() <= entries.len() {
        if is_self_issued(current) {
            ends_at_root = true;
            if !include_root && ordered.len() > 1 {
                ordered.pop();
            }
            break;
        }
        let Some(issuer) = entries.iter().find(|candidate| issues(candidate, current)) else {
            let root_given = entries.iter().any(is_self_issued);
            if include_root || root_given {
                return Err(Error::UnknownIssuer {
                    subject: current.subject_text.clone(),
                    issuer: current.issuer_text.clone(),
                });
            }
            break;
        };
        ordered.push(issuer);
        current = issuer;
    }
    Ok(Chain {
        certificates: ordered.iter().map(|entry| entry.der.clone()).collect(),
        ends_at_root,
    })
}

/// The leaf: the certificate that issued none of the others; a non-CA one if there are
/// several candidates.
fn find_leaf(entries: &[Entry]) -> Result<&Entry, Error> {
    let candidates: Vec<&Entry> = entries
        .iter()
        .filter(|entry| {
            !entries
                .iter()
                .any(|other| !std::ptr::eq(*entry, other) && issues(entry, other))
        })
        .collect();
    let non_ca: Vec<&Entry> = candidates
        .iter()
        .copied()
        .filter(|entry| !entry.is_ca)
        .collect();
    let pool = if non_ca.is_empty() {
        candidates
    } else {
        non_ca
    };
    match pool.as_slice() {
        [leaf] => Ok(leaf),
        [] => Err(Error::Issuance {
            detail: "no leaf certificate: every certificate issued another one".into(),
        }),
        several => Err(Error::Issuance {
            detail: format!(
                "several unrelated leaf certificates: {}; bundle one chain at a time",
                several
                    .iter()
                    .map(|entry| entry.subject_text.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

/// Whether `issuer` issued `subject`: names match, and key identifiers too when both exist.
fn issues(issuer: &Entry, subject: &Entry) -> bool {
    if issuer.subject != subject.issuer {
        return false;
    }
    match (&issuer.key_id, &subject.authority_key_id) {
        (Some(key_id), Some(authority_key_id)) => key_id == authority_key_id,
        _ => true,
    }
}

fn is_self_issued(entry: &Entry) -> bool {
    entry.subject == entry.issuer
}

fn parse(der: &[u8]) -> Result<Entry, Error> {
    let certificate = parse_rfc5280(der)?;
    let (subject, issuer) = (certificate.subject(), certificate.issuer());
    let key_id = subject_key_identifier(&certificate)
        .ok()
        .flatten()
        .map(<[u8]>::to_vec);
    let authority_key_id = authority_key_id(&certificate);
    let is_ca = basic_constraints(&certificate)
        .ok()
        .flatten()
        .is_some_and(|(ca, _)| ca);
    Ok(Entry {
        der: der.to_vec(),
        subject: subject.to_der(),
        issuer: issuer.to_der(),
        subject_text: crate::x509::display_name::display(&subject),
        issuer_text: crate::x509::display_name::display(&issuer),
        key_id,
        authority_key_id,
        is_ca,
    })
}

/// The most serialNumber octets `x509-cert`'s RFC 5280 profile accepted (20, plus one for a
/// leading zero).
const MAXIMUM_SERIAL_OCTETS: usize = 21;

/// A certificate as issuance reads one: as [`crate::x509::parse_certificate`] does, with the
/// one check of `x509-cert`'s RFC 5280 profile that issuance read them with (a serialNumber of
/// at most 21 octets).
pub(crate) fn parse_rfc5280(der: &[u8]) -> Result<Certificate, Error> {
    let certificate = Certificate::parse(der)?;
    if certificate.serial().len() > MAXIMUM_SERIAL_OCTETS {
        return Err(Error::InvalidDer {
            structure: "certificate",
            detail: "a serialNumber longer than 21 octets".to_owned(),
        });
    }
    Ok(certificate)
}

/// The value of the extension `oid` read by `read` (absent: `None`; twice or unreadable:
/// [`Error::InvalidDer`] for `structure`, as `x509-cert`'s `get_extension` failed).
fn extension_value<'a, T>(
    certificate: &'a Certificate,
    oid: &const_oid::ObjectIdentifier,
    structure: &'static str,
    reader: impl FnOnce(&mut read::Reader<'a>) -> read::Result<T>,
) -> Result<Option<T>, Error> {
    certificate
        .unique_extension(oid, structure)?
        .map(|extension| read::parse(extension.value, reader))
        .transpose()
        .map_err(|error| error.into_error(structure))
}

/// basicConstraints (cA, pathLenConstraint) as `x509-cert` read it: cA DEFAULT FALSE (an
/// explicit FALSE accepted), pathLenConstraint up to 255.
pub(crate) fn basic_constraints(
    certificate: &Certificate,
) -> Result<Option<(bool, Option<u8>)>, Error> {
    extension_value(
        certificate,
        &rfc5912::ID_CE_BASIC_CONSTRAINTS,
        "basicConstraints",
        crate::x509::extensions::read_basic_constraints,
    )
}

/// Whether keyUsage has keyCertSign, as `x509-cert` read keyUsage (`der`'s flag set of 16
/// bits): a BIT STRING of 0..7 unused bits (none when empty) and at most 16 bits.
pub(crate) fn key_cert_sign(certificate: &Certificate) -> Result<Option<bool>, Error> {
    extension_value(
        certificate,
        &rfc5912::ID_CE_KEY_USAGE,
        "keyUsage",
        |reader| {
            let tlv = reader.expect(Tag::BIT_STRING, "a BIT STRING")?;
            let error = DerError {
                offset: tlv.offset,
                expected: "a keyUsage BIT STRING of at most 16 bits",
            };
            let (&unused, octets) = tlv.contents.split_first().ok_or(error)?;
            let length = (octets.len() * 8).saturating_sub(usize::from(unused));
            if unused > 7 || (unused != 0 && octets.is_empty()) || length > 16 {
                return Err(error);
            }
            // keyCertSign is bit 5.
            Ok(length > 5 && octets.first().is_some_and(|octet| octet & 0x04 != 0))
        },
    )
}

/// The subjectKeyIdentifier's OCTET STRING contents.
pub(crate) fn subject_key_identifier(certificate: &Certificate) -> Result<Option<&[u8]>, Error> {
    extension_value(
        certificate,
        &rfc5912::ID_CE_SUBJECT_KEY_IDENTIFIER,
        "subjectKeyIdentifier",
        read::Reader::octet_string,
    )
}

/// authorityKeyIdentifier's keyIdentifier; `None` when the extension is absent, twice or
/// does not read.
pub(crate) fn authority_key_id(certificate: &Certificate) -> Option<Vec<u8>> {
    certificate
        .unique_extension(
            &rfc5912::ID_CE_AUTHORITY_KEY_IDENTIFIER,
            "authorityKeyIdentifier",
        )
        .ok()
        .flatten()
        .and_then(|extension| read::parse(extension.value, read_authority_key_identifier).ok())
        .and_then(|identifier| identifier.key_identifier)
}

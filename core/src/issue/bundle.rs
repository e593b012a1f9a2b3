//! Ordering an unordered set of certificates into a chain: leaf, then each issuer in turn,
//! then (only if asked) the self-signed root. Issuers are found by name and, where both
//! certificates carry them, by key identifier (RFC 5280 sections 4.2.1.1 and 6.1).

use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, BasicConstraints, SubjectKeyIdentifier};

use crate::Error;

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
    let certificate = Certificate::from_der(der).map_err(|e| Error::der("certificate", e))?;
    let tbs = certificate.tbs_certificate();
    let name = |name: &x509_cert::name::Name| name.to_der().map_err(|e| Error::der("name", e));
    let key_id = tbs
        .get_extension::<SubjectKeyIdentifier>()
        .ok()
        .flatten()
        .map(|(_, ski)| ski.0.as_bytes().to_vec());
    let authority_key_id = tbs
        .get_extension::<AuthorityKeyIdentifier>()
        .ok()
        .flatten()
        .and_then(|(_, aki)| aki.key_identifier.map(|id| id.as_bytes().to_vec()));
    let is_ca = tbs
        .get_extension::<BasicConstraints>()
        .ok()
        .flatten()
        .is_some_and(|(_, bc)| bc.ca);
    Ok(Entry {
        der: der.to_vec(),
        subject: name(tbs.subject())?,
        issuer: name(tbs.issuer())?,
        subject_text: crate::x509::display_name::display(tbs.subject()),
        issuer_text: crate::x509::display_name::display(tbs.issuer()),
        key_id,
        authority_key_id,
        is_ca,
    })
}

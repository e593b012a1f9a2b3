//! A trust store: trust anchors and CRLs decoded and indexed once (by subject name and by
//! subjectKeyIdentifier), then shared by every verification. A server holds one in an `Arc`
//! and swaps it for a new one when its files change; it is immutable, `Send` and `Sync`.
//!
//! [`verify`](super::verify) builds a lenient one per call from its [`Input`](super::Input),
//! so both entry points run the same engine.

use std::collections::{HashMap, HashSet};

use crate::Error;

use super::build::Builder;
use super::certificate::ParsedCertificate;
use super::crl::{ParsedCrl, Revocation};
use super::explain::Failure;
use super::{Item, Options, Verified, budget};

/// Trust anchors and CRLs, decoded and indexed once.
pub struct TrustStore {
    anchors: Vec<ParsedCertificate<'static>>,
    /// The DER Name of each anchor's subject (with its SEQUENCE, re-encoded from the decoded
    /// name), in the order given: made on first use (the direct `verify` never asks).
    subjects: std::sync::OnceLock<Vec<Vec<u8>>>,
    /// Anchor indexes by comparable subject name (RFC 5280 section 7.1), when there are more
    /// than [`SCANNED`] anchors (fewer are compared one by one).
    by_subject: HashMap<Vec<u8>, Vec<usize>>,
    /// Anchor indexes by subjectKeyIdentifier, likewise.
    by_key_identifier: HashMap<Vec<u8>, Vec<usize>>,
    crls: Vec<ParsedCrl>,
    /// Items a lenient store could not decode, for explanations.
    undecodable: Vec<String>,
}

impl TrustStore {
    /// Decodes and indexes `anchors` (any certificate the caller trusts, self-signed or not;
    /// the same certificate given twice is kept once) and `crls` (checked when they cover a
    /// certificate of a path). An item that cannot be decoded is an error naming it.
    pub fn new(anchors: &[Item], crls: &[Item]) -> Result<Self, Failure> {
        let mut store = Self::empty();
        store.anchors.reserve_exact(anchors.len());
        for item in unique(anchors) {
            let anchor = ParsedCertificate::parse(&item.der, item.label.as_str())
                .map_err(|error| Failure::item(error, &item.label, "trust anchor"))?;
            store.anchors.push(anchor.into_owned());
        }
        store.index();
        for item in unique(crls) {
            let crl = ParsedCrl::parse(&item.der).ok_or_else(|| {
                let error = Error::InvalidCrl {
                    detail: "it cannot be decoded as a CRL".to_owned(),
                };
                Failure::item(error, &item.label, "CRL")
            })?;
            store.crls.push(crl);
        }
        Ok(store)
    }

    /// The DER subject Names of the anchors (each a SEQUENCE), in the order given: the
    /// certificate_authorities of a TLS CertificateRequest (RFC 8446 section 4.2.4).
    pub fn anchor_subjects(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        let subjects = self.subjects.get_or_init(|| {
            self.anchors
                .iter()
                .map(|anchor| anchor.subject_der().to_vec())
                .collect()
        });
        subjects.iter().map(Vec::as_slice)
    }

    /// Verifies the certificate `leaf` (DER, as a peer sent it) with the `intermediates` the
    /// peer sent after it, against this store's anchors and CRLs, as `options` say. The
    /// result carries the path and the verified identity of the leaf.
    pub fn verify(
        &self,
        leaf: &[u8],
        intermediates: &[&[u8]],
        options: &Options,
    ) -> Result<Verified, Failure> {
        const LEAF: &str = "peer certificate 1";
        super::check_options(options)?;
        budget::check_count(
            "intermediates",
            intermediates.len(),
            budget::MAXIMUM_INTERMEDIATES,
        )
        .map_err(|error| Failure::input(error, "intermediates"))?;
        let leaf =
            ParsedCertificate::parse(leaf, LEAF).map_err(|error| Failure::input(error, LEAF))?;
        let mut parsed = Vec::with_capacity(intermediates.len());
        let mut undecodable = Vec::new();
        for (index, der) in intermediates.iter().enumerate() {
            let number = index + 2;
            let label = format!("peer certificate {number}");
            let beside = [core::slice::from_ref(&leaf), &parsed];
            match ParsedCertificate::parse_beside(der, label, beside) {
                Ok(certificate) => parsed.push(certificate),
                Err(error) => undecodable.push(format!(
                    "peer certificate {number} could not be decoded ({error})"
                )),
            }
        }
        self.verify_parsed(&leaf, &parsed, undecodable, options)
    }

    /// Like [`TrustStore::new`], but items that cannot be decoded are left out and remembered
    /// for explanations (what [`verify`](super::verify) has always done with its input).
    /// Names equal to those of the certificates `beside` are taken from them
    /// ([`ParsedCertificate::parse_beside`]).
    pub(crate) fn lenient(
        anchors: &[Item],
        crls: &[Item],
        beside: [&[ParsedCertificate<'_>]; 2],
    ) -> Self {
        let mut store = Self::empty();
        store.anchors.reserve_exact(anchors.len());
        for item in unique(anchors) {
            match ParsedCertificate::parse_beside(&item.der, item.label.as_str(), beside) {
                Ok(anchor) => store.anchors.push(anchor.into_owned()),
                Err(error) => store
                    .undecodable
                    .push(format!("{} could not be decoded ({error})", item.label)),
            }
        }
        store.index();
        store.crls = ParsedCrl::parse_all(crls);
        store
    }

    /// Runs the path builder for an already decoded leaf and intermediates.
    pub(crate) fn verify_parsed(
        &self,
        leaf: &ParsedCertificate,
        intermediates: &[ParsedCertificate<'_>],
        undecodable: Vec<String>,
        options: &Options,
    ) -> Result<Verified, Failure> {
        let mut all = self.undecodable.clone();
        all.extend(undecodable);
        let revocation = Revocation::new(&self.crls);
        Builder::new(leaf, intermediates, self, revocation, options, all).run()
    }

    /// Store indexes of the anchors whose subject is the comparable name `name`, in order.
    pub(crate) fn anchors_named<'s>(&'s self, name: &'s [u8]) -> impl Iterator<Item = usize> + 's {
        self.find(&self.by_subject, name, move |anchor| {
            anchor.subject.comparable == name
        })
    }

    /// Store indexes of the anchors whose subjectKeyIdentifier is `key_identifier`, in order.
    pub(crate) fn anchors_with_key<'s>(
        &'s self,
        key_identifier: &'s [u8],
    ) -> impl Iterator<Item = usize> + 's {
        self.find(&self.by_key_identifier, key_identifier, move |anchor| {
            anchor.extensions.subject_key_identifier.as_deref() == Some(key_identifier)
        })
    }

    /// The anchors under `key` in `index`, or, in a small store (not indexed), those for which
    /// `matches` holds: the same indexes in the same order.
    fn find<'s>(
        &'s self,
        index: &'s HashMap<Vec<u8>, Vec<usize>>,
        key: &[u8],
        matches: impl Fn(&ParsedCertificate) -> bool + 's,
    ) -> impl Iterator<Item = usize> + 's {
        let indexed = self.anchors.len() > SCANNED;
        let listed = if indexed {
            index.get(key).map_or(&[][..], Vec::as_slice)
        } else {
            &[]
        };
        let scanned = (!indexed).then(|| {
            let anchors = self.anchors.iter().enumerate();
            anchors.filter_map(move |(position, anchor)| matches(anchor).then_some(position))
        });
        listed.iter().copied().chain(scanned.into_iter().flatten())
    }

    pub(crate) fn anchor(&self, index: usize) -> Option<&ParsedCertificate<'static>> {
        self.anchors.get(index)
    }

    /// Whether `certificate` (the same DER) is one of the anchors.
    pub(crate) fn contains(&self, certificate: &ParsedCertificate) -> bool {
        self.anchors_named(&certificate.subject.comparable)
            .filter_map(|index| self.anchors.get(index))
            .any(|anchor| anchor.der == certificate.der)
    }

    fn empty() -> Self {
        Self {
            anchors: Vec::new(),
            subjects: std::sync::OnceLock::new(),
            by_subject: HashMap::new(),
            by_key_identifier: HashMap::new(),
            crls: Vec::new(),
            undecodable: Vec::new(),
        }
    }

    /// Indexes the anchors by subject and key identifier, unless there are so few that
    /// comparing each costs less (`verify` with its one or two anchors).
    fn index(&mut self) {
        if self.anchors.len() <= SCANNED {
            return;
        }
        for (index, anchor) in self.anchors.iter().enumerate() {
            let by_subject = self
                .by_subject
                .entry(anchor.subject.comparable.clone())
                .or_default();
            by_subject.push(index);
            if let Some(key_identifier) = &anchor.extensions.subject_key_identifier {
                let entry = self.by_key_identifier.entry(key_identifier.clone());
                entry.or_default().push(index);
            }
        }
    }
}

impl core::fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TrustStore")
            .field("anchors", &self.anchors.len())
            .field("crls", &self.crls.len())
            .finish_non_exhaustive()
    }
}

/// Up to this many anchors are compared one by one instead of through the indexes.
const SCANNED: usize = 8;

/// `items` without repeats of the same DER, in order.
fn unique(items: &[Item]) -> impl Iterator<Item = &Item> {
    let mut seen = HashSet::new();
    // One item repeats nothing: no need to hash its DER (`verify` with one anchor).
    let single = items.len() == 1;
    items
        .iter()
        .filter(move |item| single || seen.insert(item.der.as_slice()))
}

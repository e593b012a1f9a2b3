//! The certificates one verification can build paths from: the leaf and the intermediates of
//! this call (decoded for it), and the trust anchors of a [`TrustStore`] (decoded once, borrowed,
//! brought in by name only when a path reaches for them, so a store of hundreds of anchors costs
//! a verification no more than one of a single anchor).
//!
//! Every certificate has a local index: 0 is the leaf, then the intermediates, then the anchors
//! in the order the search met them.

use std::collections::{HashMap, HashSet};

use super::certificate::ParsedCertificate;
use super::store::TrustStore;

pub(crate) struct Pool<'a> {
    leaf: &'a ParsedCertificate<'a>,
    certificates: Vec<&'a ParsedCertificate<'a>>,
    /// Whether each local index is a trust anchor.
    anchor: Vec<bool>,
    store: &'a TrustStore,
    /// Local index of each store anchor brought in, by store index: the first [`SCANNED`]
    /// in `from_store_few` (searched in order), any more in `from_store`.
    from_store_few: [(usize, usize); SCANNED],
    from_store_count: usize,
    from_store: HashMap<usize, usize>,
    /// Intermediates by comparable subject name, when there are more than [`SCANNED`] (fewer
    /// are local indexes 1 to `intermediates_end - 1`, compared one by one).
    intermediates_by_subject: HashMap<&'a [u8], Vec<usize>>,
    intermediates_end: usize,
    /// For each local index, the first local index with the same public key.
    key_owner: Vec<usize>,
    /// The first local index of each public key, once the pool has more than [`SCANNED`]
    /// certificates (fewer are compared one by one).
    first_with_key: HashMap<&'a [u8], usize>,
}

/// Up to this many certificates (or intermediates) are compared one by one rather than hashed:
/// a verification's usual three cost less that way, and large pools stay indexed.
const SCANNED: usize = 8;

impl<'a> Pool<'a> {
    /// The leaf and the intermediates; an intermediate given twice, or that is also a trust
    /// anchor, is one candidate (the anchor).
    pub(crate) fn new(
        leaf: &'a ParsedCertificate<'a>,
        intermediates: &'a [ParsedCertificate<'a>],
        store: &'a TrustStore,
    ) -> Self {
        let mut pool = Self {
            leaf,
            certificates: Vec::with_capacity(intermediates.len() + 2),
            anchor: Vec::with_capacity(intermediates.len() + 2),
            store,
            from_store_few: [(0, 0); SCANNED],
            from_store_count: 0,
            from_store: HashMap::new(),
            intermediates_by_subject: HashMap::new(),
            intermediates_end: 1,
            key_owner: Vec::with_capacity(intermediates.len() + 2),
            first_with_key: HashMap::new(),
        };
        pool.add(leaf, false);
        let mut seen: HashSet<&[u8]> = HashSet::new();
        let few = intermediates.len() <= SCANNED;
        for (position, intermediate) in intermediates.iter().enumerate() {
            let repeated = if few {
                let earlier = intermediates.get(..position).unwrap_or_default();
                earlier.iter().any(|other| other.der == intermediate.der)
            } else {
                !seen.insert(&*intermediate.der)
            };
            if repeated || store.contains(intermediate) {
                continue;
            }
            let index = pool.add(intermediate, false);
            // (compared one by one when few, in native code only: the WebAssembly module keeps
            // its size)
            if !few || cfg!(target_arch = "wasm32") {
                let subject = intermediate.subject.comparable.as_slice();
                pool.intermediates_by_subject
                    .entry(subject)
                    .or_default()
                    .push(index);
            }
        }
        pool.intermediates_end = pool.certificates.len();
        pool
    }

    pub(crate) fn leaf(&self) -> &'a ParsedCertificate<'a> {
        self.leaf
    }

    pub(crate) fn get(&self, index: usize) -> Option<&'a ParsedCertificate<'a>> {
        self.certificates.get(index).copied()
    }

    /// Every certificate met so far, by local index.
    pub(crate) fn certificates(&self) -> &[&'a ParsedCertificate<'a>] {
        &self.certificates
    }

    pub(crate) fn is_anchor(&self, index: usize) -> bool {
        self.anchor.get(index).copied().unwrap_or(false)
    }

    /// Whether each local index is a trust anchor, for explanations made after the search.
    pub(crate) fn anchor_flags(&self) -> Vec<bool> {
        self.anchor.clone()
    }

    /// The first local index with the same public key as `index`.
    pub(crate) fn key_of(&self, index: usize) -> usize {
        self.key_owner.get(index).copied().unwrap_or(index)
    }

    /// Whether the leaf is itself one of the trust anchors.
    pub(crate) fn leaf_is_anchor(&self) -> bool {
        self.store.contains(self.leaf)
    }

    /// Local indexes of the intermediates and anchors whose subject is `name`, anchors brought
    /// in from the store on first use.
    pub(crate) fn named(&mut self, name: &[u8]) -> Vec<usize> {
        let scan = cfg!(not(target_arch = "wasm32")) && self.intermediates_by_subject.is_empty();
        let mut found = if scan {
            let intermediates = self.certificates.get(1..self.intermediates_end);
            let intermediates = intermediates.unwrap_or_default().iter().enumerate();
            intermediates
                .filter(|(_, certificate)| certificate.subject.comparable == name)
                .map(|(position, _)| position + 1)
                .collect()
        } else {
            self.intermediates_by_subject
                .get(name)
                .cloned()
                .unwrap_or_default()
        };
        let store = self.store;
        for stored in store.anchors_named(name) {
            let local = match self.brought_in(stored) {
                Some(local) => local,
                None => match store.anchor(stored) {
                    Some(anchor) => {
                        let local = self.add(anchor, true);
                        let few = self.from_store_few.get_mut(self.from_store_count);
                        match few.filter(|_| cfg!(not(target_arch = "wasm32"))) {
                            Some(slot) => {
                                *slot = (stored, local);
                                self.from_store_count += 1;
                            }
                            None => {
                                self.from_store.insert(stored, local);
                            }
                        }
                        local
                    }
                    None => continue,
                },
            };
            found.push(local);
        }
        found
    }

    /// The local index of store anchor `stored`, when it was brought in.
    fn brought_in(&self, stored: usize) -> Option<usize> {
        let few = self.from_store_few.get(..self.from_store_count);
        let mut few = few.unwrap_or_default().iter();
        match few.find(|(index, _)| *index == stored) {
            Some((_, local)) => Some(*local),
            None => self.from_store.get(&stored).copied(),
        }
    }

    /// Trust anchors whose subjectKeyIdentifier is `key_identifier` but whose subject is not
    /// `name`: the key a certificate names under another name (for explanations).
    pub(crate) fn anchors_with_key_elsewhere(
        &self,
        key_identifier: &[u8],
        name: &[u8],
    ) -> Vec<&'a ParsedCertificate<'a>> {
        let store = self.store;
        store
            .anchors_with_key(key_identifier)
            .filter_map(|index| store.anchor(index))
            .filter(|anchor| anchor.subject.comparable != name)
            .collect()
    }

    fn add(&mut self, certificate: &'a ParsedCertificate<'a>, anchor: bool) -> usize {
        let index = self.certificates.len();
        let key = certificate.spki_der();
        let owner = if index < SCANNED {
            let mut keys = self.certificates.iter().map(|other| other.spki_der());
            keys.position(|other| other == key).unwrap_or(index)
        } else {
            if self.first_with_key.is_empty() {
                for (earlier, other) in self.certificates.iter().enumerate() {
                    self.first_with_key
                        .entry(other.spki_der())
                        .or_insert(earlier);
                }
            }
            *self.first_with_key.entry(key).or_insert(index)
        };
        self.certificates.push(certificate);
        self.anchor.push(anchor);
        self.key_owner.push(owner);
        index
    }
}

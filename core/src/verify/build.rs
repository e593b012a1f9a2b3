//! Path building (RFC 4158): a depth-first search from the leaf towards any trust anchor,
//! backtracking over every candidate issuer, with explicit budgets.
//!
//! Candidates for a certificate's issuer are the anchors and intermediates whose subject equals
//! its issuer name; anchors are tried first, then candidates whose subjectKeyIdentifier matches
//! the authorityKeyIdentifier, then those valid at the verification time, then the newest.
//! A (subject, public key) pair never appears twice in a path, which ends loops. Each complete
//! path is validated by `validate.rs`; the first valid one wins, otherwise the most specific
//! failure is reported.

use std::collections::HashMap;

use crate::Error;
use crate::crypto::{SignaturePolicy, verify_signature};

use super::certificate::ParsedCertificate;
use super::crl::ParsedCrl;
use super::explain::Failure;
use super::validate::{self, PathFailure};
use super::{Options, Verified};

/// At most this many signature verifications per call (rustls-webpki uses 100 as well).
const MAXIMUM_SIGNATURE_CHECKS: usize = 100;
/// At most this many candidate issuers considered per call.
const MAXIMUM_CANDIDATES: usize = 2_000;

/// The search state of one verification.
pub(crate) struct Builder<'a> {
    /// Index 0 is the leaf, then the anchors, then the intermediates.
    certificates: Vec<ParsedCertificate>,
    anchor_count: usize,
    crls: &'a [ParsedCrl],
    options: &'a Options,
    signature_checks: usize,
    candidates_seen: usize,
    /// Signature results by (child, index of the first certificate with the issuer's key).
    signatures: HashMap<(usize, usize), Result<(), Error>>,
    /// For each certificate, the index of the first certificate with the same public key.
    key_owner: Vec<usize>,
    best: Option<PathFailure>,
}

enum Outcome {
    Found(Vec<usize>),
    Continue,
    GiveUp,
}

impl<'a> Builder<'a> {
    pub(crate) fn new(
        leaf: ParsedCertificate,
        anchors: Vec<ParsedCertificate>,
        intermediates: Vec<ParsedCertificate>,
        crls: &'a [ParsedCrl],
        options: &'a Options,
    ) -> Self {
        let anchor_count = anchors.len();
        let mut certificates = vec![leaf];
        certificates.extend(anchors);
        for intermediate in intermediates {
            // The same certificate given twice (or also as an anchor) is one candidate.
            if !certificates
                .iter()
                .any(|known| known.der == intermediate.der)
            {
                certificates.push(intermediate);
            }
        }
        let key_owner = certificates
            .iter()
            .enumerate()
            .map(|(index, certificate)| {
                certificates
                    .iter()
                    .position(|other| other.spki() == certificate.spki())
                    .unwrap_or(index)
            })
            .collect();
        Self {
            key_owner,
            certificates,
            anchor_count,
            crls,
            options,
            signature_checks: 0,
            candidates_seen: 0,
            signatures: HashMap::new(),
            best: None,
        }
    }

    /// Searches for a valid path; returns it, or the most specific failure.
    pub(crate) fn run(mut self) -> Result<Verified, Failure> {
        let mut path = vec![0];
        match self.extend(&mut path) {
            Outcome::Found(found) => Ok(Verified {
                path: found
                    .iter()
                    .enumerate()
                    .filter_map(|(position, index)| {
                        let certificate = self.certificates.get(*index)?;
                        let anchor = position > 0 && position + 1 == found.len();
                        Some(super::explain::reference(certificate, position, anchor))
                    })
                    .collect(),
            }),
            Outcome::Continue | Outcome::GiveUp => {
                let best = self
                    .best
                    .take()
                    .unwrap_or_else(|| self.unknown_issuer(&[0]));
                let anchor_count = self.anchor_count;
                let is_anchor = move |index: usize| index >= 1 && index <= anchor_count;
                Err(super::explain::explain(best, &self.certificates, is_anchor))
            }
        }
    }

    fn extend(&mut self, path: &mut Vec<usize>) -> Outcome {
        let Some(&child) = path.last() else {
            return Outcome::Continue;
        };
        let candidates = self.candidates(child);
        if candidates.is_empty() {
            let failure = self.unknown_issuer(path);
            self.record(failure);
            return Outcome::Continue;
        }
        for candidate in candidates {
            if self.repeats(path, candidate) {
                continue;
            }
            self.candidates_seen += 1;
            if self.candidates_seen > MAXIMUM_CANDIDATES {
                return self.give_up(path);
            }
            match self.try_candidate(path, child, candidate) {
                Outcome::Continue => {}
                other => return other,
            }
        }
        Outcome::Continue
    }

    fn try_candidate(&mut self, path: &mut Vec<usize>, child: usize, candidate: usize) -> Outcome {
        if !self
            .signatures
            .contains_key(&(child, self.key_of(candidate)))
        {
            self.signature_checks += 1;
            if self.signature_checks > MAXIMUM_SIGNATURE_CHECKS {
                return self.give_up(path);
            }
        }
        if let Err(error) = self.signature(child, candidate) {
            let mut attempted = path.clone();
            attempted.push(candidate);
            let position = attempted.len().saturating_sub(2);
            self.record(PathFailure::new(attempted, position, error));
            return Outcome::Continue;
        }
        path.push(candidate);
        let outcome = if self.is_anchor(candidate) {
            match validate::validate(path, &self.certificates, self.crls, self.options) {
                Ok(()) => Outcome::Found(path.clone()),
                Err(failure) => {
                    self.record(failure);
                    Outcome::Continue
                }
            }
        } else if path.len().saturating_sub(1) > self.options.maximum_intermediates {
            let position = path.len().saturating_sub(1);
            let maximum = self.options.maximum_intermediates;
            let error = Error::MaximumDepthExceeded { maximum };
            self.record(PathFailure::new(path.clone(), position, error));
            Outcome::Continue
        } else {
            self.extend(path)
        };
        path.pop();
        outcome
    }

    /// Issuer candidates for `child`, best first.
    fn candidates(&self, child: usize) -> Vec<usize> {
        let Some(certificate) = self.certificates.get(child) else {
            return Vec::new();
        };
        let wanted_key = certificate
            .extensions
            .authority_key_identifier
            .as_ref()
            .and_then(|aki| aki.key_identifier.as_ref())
            .map(|identifier| identifier.as_bytes().to_vec());
        let time = self.options.time;
        let mut found: Vec<(usize, (bool, bool, bool, i64))> = self
            .certificates
            .iter()
            .enumerate()
            .filter(|(index, issuer)| *index != 0 && issuer.subject == certificate.issuer)
            .filter(|(_, issuer)| {
                // RFC 5280 4.2.1.1: when both identifiers are present they name the key; a
                // mismatch means another key, whose signature check would only fail.
                match (&wanted_key, &issuer.extensions.subject_key_identifier) {
                    (Some(wanted), Some(actual)) => wanted == actual,
                    _ => true,
                }
            })
            .map(|(index, issuer)| {
                let key_matches =
                    wanted_key.is_some() && issuer.extensions.subject_key_identifier.is_some();
                let current = issuer.not_before <= time && time <= issuer.not_after;
                let rank = (
                    !self.is_anchor(index),
                    !key_matches,
                    !current,
                    -issuer.not_after.0,
                );
                (index, rank)
            })
            .collect();
        found.sort_by_key(|(_, rank)| *rank);
        found.into_iter().map(|(index, _)| index).collect()
    }

    /// Whether `candidate` would repeat a (subject, public key) pair already in `path`.
    fn repeats(&self, path: &[usize], candidate: usize) -> bool {
        let Some(new) = self.certificates.get(candidate) else {
            return true;
        };
        path.iter().any(|index| {
            *index == candidate
                || self
                    .certificates
                    .get(*index)
                    .is_some_and(|old| old.subject == new.subject && old.spki() == new.spki())
        })
    }

    fn key_of(&self, index: usize) -> usize {
        self.key_owner.get(index).copied().unwrap_or(index)
    }

    fn signature(&mut self, child: usize, issuer: usize) -> Result<(), Error> {
        let key = (child, self.key_of(issuer));
        if let Some(result) = self.signatures.get(&key) {
            return result.clone();
        }
        let result = match (self.certificates.get(child), self.certificates.get(issuer)) {
            (Some(child), Some(issuer)) => {
                check_signature(child, issuer, self.options.signature_policy())
            }
            _ => Err(Error::BadSignature),
        };
        self.signatures.insert(key, result.clone());
        result
    }

    fn is_anchor(&self, index: usize) -> bool {
        index >= 1 && index <= self.anchor_count
    }

    fn unknown_issuer(&self, path: &[usize]) -> PathFailure {
        let issuer = path
            .last()
            .and_then(|index| self.certificates.get(*index))
            .map(|certificate| certificate.issuer_text.clone())
            .unwrap_or_default();
        let position = path.len().saturating_sub(1);
        PathFailure::new(path.to_vec(), position, Error::UnknownIssuer { issuer })
    }

    fn give_up(&mut self, path: &[usize]) -> Outcome {
        let position = path.len().saturating_sub(1);
        self.record(PathFailure::new(
            path.to_vec(),
            position,
            Error::BudgetExceeded,
        ));
        Outcome::GiveUp
    }

    /// Keeps the most specific failure seen so far.
    fn record(&mut self, failure: PathFailure) {
        let better = self
            .best
            .as_ref()
            .is_none_or(|best| failure.specificity() > best.specificity());
        if better {
            self.best = Some(failure);
        }
    }
}

/// Checks that `issuer`'s key signed `child` (RFC 5280 section 6.1.3 (a)(1)).
pub(crate) fn check_signature(
    child: &ParsedCertificate,
    issuer: &ParsedCertificate,
    policy: SignaturePolicy,
) -> Result<(), Error> {
    let algorithm = child.certificate.signature_algorithm();
    let signature = child
        .certificate
        .signature()
        .as_bytes()
        .ok_or(Error::BadSignature)?;
    verify_signature(issuer.spki(), algorithm, &child.tbs, signature, policy)
}

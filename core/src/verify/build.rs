//! Path building (RFC 4158): a depth-first search from the leaf towards any trust anchor,
//! backtracking over every candidate issuer, within the call's [`Budget`].
//!
//! Candidates for a certificate's issuer are the anchors and intermediates whose subject equals
//! its issuer name, found through an index (a large pool costs no more per step than a small
//! one); anchors are tried first, then candidates whose subjectKeyIdentifier matches the
//! authorityKeyIdentifier, then those valid at the verification time, then the newest. Below
//! its anchor a path never repeats a (subject, public key) pair, which ends loops. A leaf that
//! is itself one of the trust anchors is trusted as it is. Each complete path is validated by
//! `validate.rs`; the first valid one wins, otherwise the most specific failure is reported.

use std::collections::{HashMap, HashSet};

use crate::Error;
use crate::crypto::{SignaturePolicy, verify_signature};
use crate::x509::hex;

use super::budget::{Budget, Work};
use super::certificate::ParsedCertificate;
use super::crl::Revocation;
use super::explain::Failure;
use super::validate::{self, PathFailure};
use super::{Options, Verified};

/// The search state of one verification.
pub(crate) struct Builder<'a> {
    /// Index 0 is the leaf, then the anchors, then the intermediates.
    certificates: Vec<ParsedCertificate>,
    anchor_count: usize,
    /// Anchors and intermediates by comparable subject name.
    by_subject: HashMap<Vec<u8>, Vec<usize>>,
    /// For each certificate, the index of the first certificate with the same public key.
    key_owner: Vec<usize>,
    revocation: Revocation<'a>,
    options: &'a Options,
    budget: Budget,
    /// Signature results by (child, index of the first certificate with the issuer's key).
    signatures: HashMap<(usize, usize), Result<(), Error>>,
    /// Supplied items that could not be decoded, for explanations.
    undecodable: Vec<String>,
    best: Option<PathFailure>,
}

enum Outcome {
    /// A valid path and its valid policy set.
    Found(Vec<usize>, Vec<String>),
    Continue,
    GiveUp,
}

impl<'a> Builder<'a> {
    /// `undecodable` describes supplied certificates that could not be decoded.
    pub(crate) fn new(
        leaf: ParsedCertificate,
        anchors: Vec<ParsedCertificate>,
        intermediates: Vec<ParsedCertificate>,
        revocation: Revocation<'a>,
        options: &'a Options,
        undecodable: Vec<String>,
    ) -> Self {
        let anchor_count = anchors.len();
        let mut certificates = vec![leaf];
        certificates.extend(anchors);
        let mut known: HashSet<Vec<u8>> = certificates.iter().map(|c| c.der.clone()).collect();
        for intermediate in intermediates {
            // The same certificate given twice (or also as an anchor) is one candidate.
            if known.insert(intermediate.der.clone()) {
                certificates.push(intermediate);
            }
        }
        let mut by_subject: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        let mut first_with_key: HashMap<&[u8], usize> = HashMap::new();
        let mut key_owner = Vec::with_capacity(certificates.len());
        for (index, certificate) in certificates.iter().enumerate() {
            if index != 0 {
                let subject = certificate.subject.clone();
                by_subject.entry(subject).or_default().push(index);
            }
            key_owner.push(*first_with_key.entry(&certificate.spki_der).or_insert(index));
        }
        Self {
            key_owner,
            by_subject,
            certificates,
            anchor_count,
            revocation,
            options,
            budget: Budget::new(),
            signatures: HashMap::new(),
            undecodable,
            best: None,
        }
    }

    /// Searches for a valid path; returns it, or the most specific failure.
    pub(crate) fn run(mut self) -> Result<Verified, Failure> {
        let mut path = vec![0];
        let outcome = if self.leaf_is_anchor() {
            self.validate(&path)
        } else {
            self.extend(&mut path)
        };
        match outcome {
            Outcome::Found(found, policies) => Ok(self.verified(&found, policies)),
            Outcome::GiveUp => {
                // The search did not finish: that, not a path it happened to try, is the answer.
                let failure = PathFailure::new(vec![0], 0, Error::BudgetExceeded);
                Err(self.explain(failure))
            }
            Outcome::Continue => {
                let best = match self.best.take() {
                    Some(best) => best,
                    None => self.unknown_issuer(&[0], Vec::new()),
                };
                Err(self.explain(best))
            }
        }
    }

    fn explain(&self, failure: PathFailure) -> Failure {
        let anchor_count = self.anchor_count;
        let is_anchor = move |index: usize| index >= 1 && index <= anchor_count;
        super::explain::explain(failure, &self.certificates, is_anchor)
    }

    /// A leaf given among the trust anchors too (a pinned self-signed certificate) is trusted
    /// as it is: the path is the leaf alone.
    fn leaf_is_anchor(&self) -> bool {
        let Some(leaf) = self.certificates.first() else {
            return false;
        };
        self.certificates
            .iter()
            .enumerate()
            .skip(1)
            .take(self.anchor_count)
            .any(|(_, anchor)| anchor.der == leaf.der)
    }

    fn verified(&self, found: &[usize], policies: Vec<String>) -> Verified {
        Verified {
            path: found
                .iter()
                .enumerate()
                .filter_map(|(position, index)| {
                    let certificate = self.certificates.get(*index)?;
                    let anchor = position > 0 && position + 1 == found.len();
                    Some(super::explain::reference(certificate, position, anchor))
                })
                .collect(),
            policies,
        }
    }

    fn extend(&mut self, path: &mut Vec<usize>) -> Outcome {
        let Some(&child) = path.last() else {
            return Outcome::Continue;
        };
        let (candidates, mut unusable) = self.candidates(child);
        let mut tried = false;
        for candidate in candidates {
            if self.repeats(path, candidate) {
                unusable.push(format!(
                    "{} is already in the path (the certificates issue each other in a loop)",
                    self.label(candidate)
                ));
                continue;
            }
            tried = true;
            if self.budget.spend(Work::Step, 1).is_err() {
                return Outcome::GiveUp;
            }
            match self.try_candidate(path, child, candidate) {
                Outcome::Continue => {}
                other => return other,
            }
        }
        if !tried {
            let failure = self.unknown_issuer(path, unusable);
            self.record(failure);
        }
        Outcome::Continue
    }

    fn try_candidate(&mut self, path: &mut Vec<usize>, child: usize, candidate: usize) -> Outcome {
        if let Err(error) = self.signature(child, candidate) {
            if error == Error::BudgetExceeded {
                return Outcome::GiveUp;
            }
            let mut attempted = path.clone();
            attempted.push(candidate);
            let position = attempted.len().saturating_sub(2);
            self.record(PathFailure::new(attempted, position, error));
            return Outcome::Continue;
        }
        path.push(candidate);
        let outcome = if self.is_anchor(candidate) {
            self.validate(path)
        } else if let Err(error) = self.check_depth(path) {
            let position = path.len().saturating_sub(1);
            self.record(PathFailure::new(path.clone(), position, error));
            Outcome::Continue
        } else {
            self.extend(path)
        };
        path.pop();
        outcome
    }

    fn validate(&mut self, path: &[usize]) -> Outcome {
        let result = validate::validate(
            path,
            &self.certificates,
            &mut self.revocation,
            self.options,
            &mut self.budget,
        );
        match result {
            Ok(policies) => Outcome::Found(path.to_vec(), policies),
            Err(failure) => {
                self.record(failure);
                if self.budget.is_exhausted() {
                    Outcome::GiveUp
                } else {
                    Outcome::Continue
                }
            }
        }
    }

    /// The depth rules on a partial path (leaf and intermediates so far).
    fn check_depth(&self, path: &[usize]) -> Result<(), Error> {
        let intermediates = path
            .iter()
            .skip(1)
            .filter_map(|index| self.certificates.get(*index));
        validate::check_depth(intermediates, self.options)
    }

    /// Issuer candidates for `child`, best first, and why same-named certificates were not
    /// candidates.
    fn candidates(&self, child: usize) -> (Vec<usize>, Vec<String>) {
        let Some(certificate) = self.certificates.get(child) else {
            return (Vec::new(), Vec::new());
        };
        let wanted_key = certificate
            .extensions
            .authority_key_identifier
            .as_ref()
            .and_then(|aki| aki.key_identifier.as_ref())
            .map(|identifier| identifier.as_bytes());
        let same_name = self
            .by_subject
            .get(&certificate.issuer)
            .map_or(&[][..], Vec::as_slice);
        let time = self.options.time;
        let mut unusable = Vec::new();
        let mut found: Vec<(usize, (bool, bool, bool, i64))> = Vec::new();
        for &index in same_name {
            let Some(issuer) = self.certificates.get(index) else {
                continue;
            };
            let actual_key = issuer.extensions.subject_key_identifier.as_deref();
            // RFC 5280 4.2.1.1: when both identifiers are present they name the key; a
            // mismatch means another key, whose signature check would only fail.
            if let (Some(wanted), Some(actual)) = (wanted_key, actual_key) {
                if wanted != actual {
                    unusable.push(format!(
                        "{} has another key (subjectKeyIdentifier {} where {} names \
                         authorityKeyIdentifier {})",
                        issuer.label,
                        hex(actual),
                        certificate.label,
                        hex(wanted)
                    ));
                    continue;
                }
            }
            let current = issuer.not_before <= time && time <= issuer.not_after;
            let rank = (
                !self.is_anchor(index),
                actual_key.is_none() || wanted_key.is_none(),
                !current,
                -issuer.not_after.0,
            );
            found.push((index, rank));
        }
        found.sort_by_key(|(_, rank)| *rank);
        let found = found.into_iter().map(|(index, _)| index).collect();
        (found, unusable)
    }

    /// Whether `candidate` would repeat a certificate, or below the anchor a (subject, public
    /// key) pair, already in `path`.
    fn repeats(&self, path: &[usize], candidate: usize) -> bool {
        let Some(new) = self.certificates.get(candidate) else {
            return true;
        };
        let is_anchor = self.is_anchor(candidate);
        path.iter().any(|index| {
            *index == candidate
                || (!is_anchor
                    && self.certificates.get(*index).is_some_and(|old| {
                        old.subject == new.subject && old.spki_der == new.spki_der
                    }))
        })
    }

    fn key_of(&self, index: usize) -> usize {
        self.key_owner.get(index).copied().unwrap_or(index)
    }

    fn label(&self, index: usize) -> &str {
        self.certificates
            .get(index)
            .map_or("a certificate", |certificate| certificate.label.as_str())
    }

    /// Whether `issuer`'s key signed `child`; each (child, key) pair is checked once per call.
    fn signature(&mut self, child: usize, issuer: usize) -> Result<(), Error> {
        let key = (child, self.key_of(issuer));
        if let Some(result) = self.signatures.get(&key) {
            return result.clone();
        }
        self.budget.spend(Work::Signature, 1)?;
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

    /// No usable issuer for the last certificate of `path`; `unusable` says why the supplied
    /// certificates with that name (if any) could not be used.
    fn unknown_issuer(&self, path: &[usize], mut unusable: Vec<String>) -> PathFailure {
        let last = path.last().and_then(|index| self.certificates.get(*index));
        let error = Error::UnknownIssuer {
            subject: last
                .map(|certificate| certificate.subject_text.clone())
                .unwrap_or_default(),
            issuer: last
                .map(|certificate| certificate.issuer_text.clone())
                .unwrap_or_default(),
        };
        if unusable.is_empty() {
            unusable.clone_from(&self.undecodable);
        }
        let position = path.len().saturating_sub(1);
        PathFailure::new(path.to_vec(), position, error).with_reasons(unusable)
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

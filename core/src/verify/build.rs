//! Path building (RFC 4158): a depth-first search from the leaf towards any trust anchor,
//! backtracking over every candidate issuer, within the call's [`Budget`].
//!
//! Candidates for a certificate's issuer are the anchors and intermediates whose subject equals
//! its issuer name, found through indexes (`pool.rs`: a large pool or trust store costs no more
//! per step than a small one); anchors are tried first, then candidates whose subjectKeyIdentifier matches the
//! authorityKeyIdentifier, then those valid at the verification time, then the newest. Below
//! its anchor a path never repeats a (subject, public key) pair, which ends loops. A leaf that
//! is itself one of the trust anchors is trusted as it is. Each complete path is validated by
//! `validate.rs`; the first valid one wins, otherwise the most specific failure is reported.

use crate::Error;
use crate::crypto::{SignaturePolicy, verify_signature_ref};
use crate::x509::hex;

use super::budget::{Budget, Work};
use super::certificate::ParsedCertificate;
use super::crl::Revocation;
use super::explain::Failure;
use super::identity::Identity;
use super::pool::Pool;
use super::store::TrustStore;
use super::validate::{self, PathFailure};
use super::{Options, Verified};

/// The search state of one verification.
pub(crate) struct Builder<'a> {
    pool: Pool<'a>,
    revocation: Revocation<'a>,
    options: &'a Options,
    budget: Budget,
    /// Signature results by (child, index of the first certificate with the issuer's key):
    /// at most the budget's 50 checks, so searched in order rather than hashed.
    signatures: Vec<((usize, usize), Result<(), Error>)>,
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
        leaf: &'a ParsedCertificate<'a>,
        intermediates: &'a [ParsedCertificate<'a>],
        store: &'a TrustStore,
        revocation: Revocation<'a>,
        options: &'a Options,
        undecodable: Vec<String>,
    ) -> Self {
        Self {
            pool: Pool::new(leaf, intermediates, store),
            revocation,
            options,
            budget: Budget::new(),
            signatures: Vec::new(),
            undecodable,
            best: None,
        }
    }

    /// Searches for a valid path; returns it, or the most specific failure.
    pub(crate) fn run(mut self) -> Result<Verified, Failure> {
        let mut path = vec![0];
        let outcome = if self.pool.leaf_is_anchor() {
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
        let anchors = self.pool.anchor_flags();
        let is_anchor = move |index: usize| anchors.get(index).copied().unwrap_or(false);
        super::explain::explain(failure, self.pool.certificates(), is_anchor)
    }

    fn verified(&self, found: &[usize], policies: Vec<String>) -> Verified {
        let identity = Identity::of(self.pool.leaf());
        let path = found
            .iter()
            .enumerate()
            .filter_map(|(position, index)| {
                let certificate = self.pool.get(*index)?;
                let anchor = position > 0 && position + 1 == found.len();
                // The leaf's serial in hex is the identity's: written once.
                let serial = (position == 0).then(|| identity.serial.clone());
                Some(super::explain::reference_with(
                    certificate,
                    position,
                    anchor,
                    serial,
                ))
            })
            .collect();
        Verified {
            path,
            identity,
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
        let outcome = if self.pool.is_anchor(candidate) {
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
            self.pool.certificates(),
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
            .filter_map(|index| self.pool.get(*index));
        validate::check_depth(intermediates, self.options)
    }

    /// Issuer candidates for `child`, best first, and why same-named certificates were not
    /// candidates.
    fn candidates(&mut self, child: usize) -> (Vec<usize>, Vec<String>) {
        let Some(certificate) = self.pool.get(child) else {
            return (Vec::new(), Vec::new());
        };
        let wanted_key = certificate
            .extensions
            .authority_key_identifier
            .as_ref()
            .and_then(|aki| aki.key_identifier.as_ref())
            .map(Vec::as_slice);
        let mut found = self.pool.named(&certificate.issuer.comparable);
        let time = self.options.time;
        let mut unusable = Vec::new();
        if let (true, Some(wanted)) = (found.is_empty(), wanted_key) {
            unusable.extend(self.renamed_anchors(certificate, wanted));
        }
        let pool = &self.pool;
        found.retain(|index| {
            let Some(issuer) = pool.get(*index) else {
                return false;
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
                    return false;
                }
            }
            true
        });
        // Best first (a stable sort: equal ranks keep their order).
        found.sort_by_key(|index| {
            let issuer = pool.get(*index);
            let actual_key =
                issuer.and_then(|issuer| issuer.extensions.subject_key_identifier.as_deref());
            let current =
                issuer.is_some_and(|issuer| issuer.not_before <= time && time <= issuer.not_after);
            (
                !pool.is_anchor(*index),
                actual_key.is_none() || wanted_key.is_none(),
                !current,
                -issuer.map_or(0, |issuer| issuer.not_after.0),
            )
        });
        (found, unusable)
    }

    /// Trust anchors with the key `certificate` names (authorityKeyIdentifier `wanted`) under
    /// another subject name: chaining is by name (RFC 5280 section 6.1), so they cannot issue it.
    fn renamed_anchors(&self, certificate: &ParsedCertificate, wanted: &[u8]) -> Vec<String> {
        let anchors = self
            .pool
            .anchors_with_key_elsewhere(wanted, &certificate.issuer.comparable);
        anchors
            .iter()
            .map(|anchor| {
                format!(
                    "trust anchor {} ('{}') has the key {} names (authorityKeyIdentifier {}) \
                     under another name; the issuer name must match its subject",
                    anchor.label,
                    anchor.subject.text,
                    certificate.label,
                    hex(wanted)
                )
            })
            .collect()
    }

    /// Whether `candidate` would repeat a certificate, or below the anchor a (subject, public
    /// key) pair, already in `path`.
    fn repeats(&self, path: &[usize], candidate: usize) -> bool {
        let Some(new) = self.pool.get(candidate) else {
            return true;
        };
        let is_anchor = self.pool.is_anchor(candidate);
        path.iter().any(|index| {
            *index == candidate
                || (!is_anchor
                    && self.pool.get(*index).is_some_and(|old| {
                        old.subject.comparable == new.subject.comparable
                            && old.spki_der() == new.spki_der()
                    }))
        })
    }

    fn label(&self, index: usize) -> &str {
        self.pool
            .get(index)
            .map_or("a certificate", |certificate| &*certificate.label)
    }

    /// Whether `issuer`'s key signed `child`; each (child, key) pair is checked once per call.
    fn signature(&mut self, child: usize, issuer: usize) -> Result<(), Error> {
        let key = (child, self.pool.key_of(issuer));
        if let Some((_, result)) = self.signatures.iter().find(|(done, _)| *done == key) {
            return result.clone();
        }
        self.budget.spend(Work::Signature, 1)?;
        let result = match (self.pool.get(child), self.pool.get(issuer)) {
            (Some(child), Some(issuer)) => {
                check_signature(child, issuer, self.options.signature_policy())
            }
            _ => Err(Error::BadSignature),
        };
        self.signatures.push((key, result.clone()));
        result
    }

    /// No usable issuer for the last certificate of `path`; `unusable` says why the supplied
    /// certificates with that name (if any) could not be used.
    fn unknown_issuer(&self, path: &[usize], mut unusable: Vec<String>) -> PathFailure {
        let last = path.last().and_then(|index| self.pool.get(*index));
        let error = Error::UnknownIssuer {
            subject: last
                .map(|certificate| certificate.subject.text.clone())
                .unwrap_or_default(),
            issuer: last
                .map(|certificate| certificate.issuer.text.clone())
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
    let (algorithm, signature) = child.signature().ok_or(Error::BadSignature)?;
    let spki = issuer.spki().ok_or(Error::BadSignature)?;
    verify_signature_ref(&spki, &algorithm, child.tbs(), signature, policy)
}

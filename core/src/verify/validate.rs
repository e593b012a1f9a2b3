//! Validation of one complete candidate path, leaf first and trust anchor last: the basic
//! certificate processing and preparation steps of RFC 5280 section 6.1.3 and 6.1.4, with the
//! profile rules of `profile.rs`, then peer name and revocation checks.
//!
//! The trust anchor is a full certificate here, and its validity, basic constraints, key usage,
//! name constraints and path length are enforced like an intermediate's (RFC 5937 allows this
//! and it is what people expect from a root they installed).

use crate::{Error, UnixTime};

use super::Options;
use super::budget::{Budget, MAXIMUM_PATH_INTERMEDIATES};
use super::certificate::ParsedCertificate;
use super::crl::Revocation;
use super::{constraints, names, policy, profile, usage};

/// Why a path failed: the path (indexes into the builder's certificates), the position of the
/// certificate that broke a rule (0 = leaf), the rule, and details for the explanation.
#[derive(Debug, Clone)]
pub(crate) struct PathFailure {
    pub(crate) path: Vec<usize>,
    pub(crate) position: usize,
    pub(crate) error: Error,
    /// Why supplied certificates that looked relevant could not be used.
    pub(crate) reasons: Vec<String>,
}

/// The role of a certificate in a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Leaf,
    Intermediate,
    Anchor,
}

impl PathFailure {
    pub(crate) fn new(path: Vec<usize>, position: usize, error: Error) -> Self {
        Self {
            path,
            position,
            error,
            reasons: Vec::new(),
        }
    }

    pub(crate) fn with_reasons(mut self, reasons: Vec<String>) -> Self {
        self.reasons = reasons;
        self
    }

    /// How specific this failure is: a complete path that broke a rule beats a signature
    /// mismatch, which beats a missing issuer, which beats running out of budget. Among equals,
    /// the failure that got further from the leaf wins.
    pub(crate) fn specificity(&self) -> usize {
        let base = match self.error {
            Error::BudgetExceeded => 0,
            Error::UnknownIssuer { .. } => 10,
            Error::BadSignature => 30,
            Error::MaximumDepthExceeded { .. } => 40,
            _ => 100,
        };
        base + self.path.len()
    }
}

/// Validates `path` (indexes into `certificates`, leaf first, anchor last; a leaf alone when
/// it is itself a trust anchor); returns the valid policy set (`policy.rs`).
pub(crate) fn validate(
    path: &[usize],
    certificates: &[&ParsedCertificate],
    revocation: &mut Revocation<'_>,
    options: &Options,
    budget: &mut Budget,
) -> Result<Vec<String>, PathFailure> {
    let chain: Vec<&ParsedCertificate> = path
        .iter()
        .filter_map(|index| certificates.get(*index).copied())
        .collect();
    let fail =
        |position: usize| move |error: Error| PathFailure::new(path.to_vec(), position, error);
    let last = chain.len().saturating_sub(1);
    for (position, certificate) in chain.iter().enumerate() {
        let role = match position {
            0 => Role::Leaf,
            p if p == last => Role::Anchor,
            _ => Role::Intermediate,
        };
        let issuer = chain.get(position + 1).copied();
        check_certificate(certificate, role, issuer, options).map_err(fail(position))?;
    }
    let intermediates = chain.iter().copied().skip(1).take(last.saturating_sub(1));
    check_depth(intermediates, options).map_err(fail(last))?;
    check_path_length(&chain).map_err(|(position, error)| fail(position)(error))?;
    constraints::check_path(&chain, options.common_name_fallback, budget)
        .map_err(|(position, error)| fail(position)(error))?;
    let policies = policy::check_path(&chain, options, budget)
        .map_err(|(position, error)| fail(position)(error))?;
    if let (Some(leaf), Some(name)) = (chain.first(), &options.peer_name) {
        names::check_peer_name(leaf, name, options.common_name_fallback).map_err(fail(0))?;
    }
    revocation
        .check_path(&chain, options, budget)
        .map_err(|(position, error)| fail(position)(error))?;
    Ok(policies)
}

/// The caller's maximum counts the intermediates that are not self-issued, like
/// pathLenConstraint (RFC 5280 4.2.1.9: a self-issued certificate, such as a key rollover
/// certificate, is the same CA); all intermediates together are capped as well.
pub(crate) fn check_depth<'c>(
    intermediates: impl Iterator<Item = &'c ParsedCertificate<'c>>,
    options: &Options,
) -> Result<(), Error> {
    let (mut all, mut counted) = (0, 0);
    for certificate in intermediates {
        all += 1;
        counted += usize::from(!certificate.is_self_issued());
    }
    let maximum = options.maximum_intermediates;
    if counted > maximum {
        return Err(Error::MaximumDepthExceeded { maximum });
    }
    if all > MAXIMUM_PATH_INTERMEDIATES {
        return Err(Error::MaximumDepthExceeded {
            maximum: MAXIMUM_PATH_INTERMEDIATES,
        });
    }
    Ok(())
}

fn check_certificate(
    certificate: &ParsedCertificate,
    role: Role,
    issuer: Option<&ParsedCertificate>,
    options: &Options,
) -> Result<(), Error> {
    profile::check(certificate, role, issuer, options)?;
    check_validity(certificate, options.time)?;
    match role {
        Role::Leaf => usage::check_leaf(certificate, options),
        Role::Intermediate | Role::Anchor => usage::check_issuer(certificate, role, options),
    }
}

/// RFC 5280 section 6.1.3 (a)(2): the time is within notBefore..=notAfter.
fn check_validity(certificate: &ParsedCertificate, time: UnixTime) -> Result<(), Error> {
    if time < certificate.not_before {
        return Err(Error::NotYetValid {
            not_before: certificate.not_before,
            time,
        });
    }
    if time > certificate.not_after {
        return Err(Error::Expired {
            not_after: certificate.not_after,
            time,
        });
    }
    Ok(())
}

/// RFC 5280 section 6.1.4 (l) and (m), starting from the anchor's own pathLenConstraint.
fn check_path_length(chain: &[&ParsedCertificate]) -> Result<(), (usize, Error)> {
    let mut remaining: Option<u8> = None;
    let mut allowed_by: u8 = 0;
    // From the anchor down to the first intermediate; the leaf is not counted (4.2.1.9).
    for position in (1..chain.len()).rev() {
        let Some(certificate) = chain.get(position) else {
            continue;
        };
        let is_anchor = position + 1 == chain.len();
        if !is_anchor && !certificate.is_self_issued() {
            match remaining {
                Some(0) => {
                    return Err((
                        position,
                        Error::PathLengthExceeded {
                            allowed: allowed_by,
                        },
                    ));
                }
                Some(count) => remaining = Some(count - 1),
                None => {}
            }
        }
        let constraint = certificate
            .extensions
            .basic_constraints
            .as_ref()
            .and_then(|(constraints, _)| constraints.path_len_constraint);
        if let Some(limit) = constraint {
            if remaining.is_none_or(|current| limit < current) {
                remaining = Some(limit);
                allowed_by = limit;
            }
        }
    }
    Ok(())
}

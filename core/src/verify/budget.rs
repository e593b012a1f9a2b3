//! The work one call to [`verify`](super::verify) may do (RFC 4158 section 3; local policy).
//!
//! Path building, signature checks (certificates and CRLs), name-constraint comparisons and
//! policy-graph growth all draw from one [`Budget`] per call, never per path, so that no input
//! can multiply the work by offering many paths. The inputs a caller may pass are capped too,
//! and every lookup in the supplied pools is indexed, so nothing grows quadratically with what
//! a peer sends. When any allowance runs out the call gives up with [`Error::BudgetExceeded`].

use crate::Error;

/// At most this many untrusted intermediates per call (a TLS peer chooses them).
pub(crate) const MAXIMUM_INTERMEDIATES: usize = 256;
/// At most this many CRLs per call.
pub(crate) const MAXIMUM_CRLS: usize = 64;
/// At most this many intermediates in any path, self-issued ones included (the caller's
/// `maximum_intermediates` counts the others).
pub(crate) const MAXIMUM_PATH_INTERMEDIATES: usize = 32;

/// A kind of work and its allowance per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Work {
    /// One signature verification, of a certificate or a CRL (rustls-webpki allows 100 with
    /// ring; the core's pure-Rust P-256 is several times slower, so half as many here).
    Signature,
    /// One candidate issuer considered while building paths.
    Step,
    /// One comparison of a name with a name-constraint subtree (Go's crypto/x509 allows
    /// 250 000 per path; here it is per call).
    NameComparison,
    /// One node or edge of a policy graph (RFC 9618 section 4 bounds its growth).
    PolicyGraph,
}

impl Work {
    const fn allowance(self) -> usize {
        match self {
            Self::Signature => 50,
            Self::Step => 2_000,
            Self::NameComparison => 250_000,
            Self::PolicyGraph => 10_000,
        }
    }

    const fn slot(self) -> usize {
        self as usize
    }
}

/// What is left of each allowance in one call.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    left: [usize; 4],
    exhausted: bool,
}

impl Budget {
    /// The full allowances.
    pub(crate) fn new() -> Self {
        let all = [
            Work::Signature,
            Work::Step,
            Work::NameComparison,
            Work::PolicyGraph,
        ];
        Self {
            left: all.map(Work::allowance),
            exhausted: false,
        }
    }

    /// Takes `amount` of `work`; once an allowance is short, every later call fails too.
    pub(crate) fn spend(&mut self, work: Work, amount: usize) -> Result<(), Error> {
        let Some(left) = self.left.get_mut(work.slot()) else {
            return Err(Error::BudgetExceeded);
        };
        match left.checked_sub(amount) {
            Some(rest) if !self.exhausted => {
                *left = rest;
                Ok(())
            }
            _ => {
                self.exhausted = true;
                Err(Error::BudgetExceeded)
            }
        }
    }

    /// Whether some allowance ran out: the search must stop.
    pub(crate) fn is_exhausted(&self) -> bool {
        self.exhausted
    }
}

/// Refuses more than `maximum` items of `what` (a coded error before any work is done).
pub(crate) fn check_count(what: &'static str, count: usize, maximum: usize) -> Result<(), Error> {
    if count > maximum {
        return Err(Error::TooManyInputs {
            what,
            count,
            maximum,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spending_past_an_allowance_exhausts_the_whole_budget() {
        let mut budget = Budget::new();
        assert!(budget.spend(Work::Signature, 50).is_ok());
        assert!(!budget.is_exhausted());
        assert_eq!(budget.spend(Work::Signature, 1), Err(Error::BudgetExceeded));
        assert!(budget.is_exhausted());
        assert_eq!(budget.spend(Work::Step, 1), Err(Error::BudgetExceeded));
    }

    #[test]
    fn input_caps_are_coded_errors() {
        assert!(check_count("intermediates", 256, MAXIMUM_INTERMEDIATES).is_ok());
        let error = check_count("intermediates", 257, MAXIMUM_INTERMEDIATES).unwrap_err();
        assert_eq!(error.code(), "TooManyInputs");
    }
}

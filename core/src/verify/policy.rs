//! Certificate policy processing: RFC 5280 sections 6.1.2 (a), (d)-(f), 6.1.3 (d)-(f),
//! 6.1.4 (a), (b), (h)-(j) and 6.1.5 (a), (b), (g), with the policy graph of RFC 9618 in place
//! of the tree: one node per policy OID and depth, with edges to every parent, so the work
//! grows with the policies the certificates list, never exponentially. Every node, edge and
//! lookup is charged to the call's [`Budget`].
//!
//! The trust anchor is not part of the path (RFC 5280 6.1): processing starts with the
//! certificate it issued, as in OpenSSL, BoringSSL and Go. A leaf that is itself a trust anchor
//! is trusted as it is, with no policies. Pruning (6.1.3 (d)(3)) is deferred: at the end only
//! the nodes reachable from the leaf's level count, which gives the same result.

use std::collections::{BTreeSet, HashMap, HashSet};

use const_oid::ObjectIdentifier;

use crate::Error;

use super::Options;
use super::budget::{Budget, Work};
use super::certificate::{ParsedCertificate, PolicyMapping};
use super::profile::rule;

/// anyPolicy (RFC 5280 4.2.1.4).
const ANY_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32.0");

/// Runs policy processing over `chain` (leaf first, anchor last) and returns the valid policy
/// set: the user-constrained policy set of RFC 9618 (dotted OIDs, sorted; `2.5.29.32.0`
/// stands for any policy). Errors carry the chain position of the certificate concerned.
pub(crate) fn check_path(
    chain: &[&ParsedCertificate],
    options: &Options,
    budget: &mut Budget,
) -> Result<Vec<String>, (usize, Error)> {
    let length = chain.len().saturating_sub(1);
    let Some(leaf) = chain.first().filter(|_| length > 0) else {
        return Ok(Vec::new());
    };
    // The usual path: no certificate below the anchor has a policy extension. The graph is
    // NULL from the first one on (6.1.3 (e)), explicit_policy starts above the path's length
    // and only self-issued-aware decrements lower it (nothing sets it to 0), so every (f) and
    // 6.1.5 (g) check passes unless the caller asks for an explicit policy: the valid policy
    // set is empty, without building the graph.
    let without_policies = chain
        .get(..length)
        .unwrap_or_default()
        .iter()
        .all(|certificate| {
            let extensions = &certificate.extensions;
            extensions.certificate_policies.is_none()
                && extensions.policy_constraints.is_none()
                && extensions.policy_mappings.is_none()
                && extensions.inhibit_any_policy.is_none()
        });
    if without_policies && !options.initial_explicit_policy {
        return Ok(Vec::new());
    }
    let mut state = State::new(length, options);
    for depth in 1..=length {
        let position = length - depth;
        let Some(certificate) = chain.get(position) else {
            continue;
        };
        let at = |error: Error| (position, error);
        let is_leaf = depth == length;
        state.process(certificate, is_leaf, budget).map_err(at)?;
        if !is_leaf {
            state.prepare(certificate, budget).map_err(at)?;
        }
    }
    state.wrap_up(leaf, options).map_err(|error| (0, error))
}

/// A policy valid at its depth, the policies it expects in the next certificate, and its
/// parents (indexes in the level above).
#[derive(Debug)]
struct Node {
    policy: ObjectIdentifier,
    expected: Vec<ObjectIdentifier>,
    parents: Vec<usize>,
}

/// The state variables of RFC 5280 6.1.2 for one path.
#[derive(Debug)]
struct State {
    /// The levels of the graph, depth 0 (the anyPolicy root) first; `None` once it is NULL.
    levels: Option<Vec<Vec<Node>>>,
    explicit_policy: usize,
    inhibit_any_policy: usize,
    policy_mapping: usize,
}

impl State {
    /// 6.1.2 (a), (d), (e), (f) for a path of `length` certificates.
    fn new(length: usize, options: &Options) -> Self {
        let initial = |inhibited: bool| if inhibited { 0 } else { length + 1 };
        let root = Node {
            policy: ANY_POLICY,
            expected: vec![ANY_POLICY],
            parents: Vec::new(),
        };
        Self {
            levels: Some(vec![vec![root]]),
            explicit_policy: initial(options.initial_explicit_policy),
            inhibit_any_policy: initial(options.initial_any_policy_inhibit),
            policy_mapping: initial(options.initial_policy_mapping_inhibit),
        }
    }

    /// 6.1.3 (d), (e), (f): the next level of the graph from the certificate's policies.
    fn process(
        &mut self,
        certificate: &ParsedCertificate,
        is_leaf: bool,
        budget: &mut Budget,
    ) -> Result<(), Error> {
        let any_allowed = self.inhibit_any_policy > 0 || (!is_leaf && certificate.is_self_issued());
        let policies = certificate.extensions.certificate_policies.as_deref();
        let previous = self.levels.as_ref().and_then(|levels| levels.last());
        let level = match (policies, previous) {
            (Some(policies), Some(previous)) => {
                next_level(previous, policies, any_allowed, budget)?
            }
            _ => Vec::new(),
        };
        if level.is_empty() {
            self.levels = None;
        } else if let Some(levels) = self.levels.as_mut() {
            levels.push(level);
        }
        if self.explicit_policy == 0 && self.levels.is_none() {
            return Err(no_valid_policy(
                "an explicit policy is required and no certificate policy is valid down to this certificate",
            ));
        }
        Ok(())
    }

    /// 6.1.4 (a), (b), (h), (i), (j): policy mappings and the counters, for a CA certificate.
    fn prepare(
        &mut self,
        certificate: &ParsedCertificate,
        budget: &mut Budget,
    ) -> Result<(), Error> {
        let extensions = &certificate.extensions;
        if let Some(mappings) = &extensions.policy_mappings {
            let maps_any = |mapping: &PolicyMapping| {
                mapping.issuer_domain_policy == ANY_POLICY
                    || mapping.subject_domain_policy == ANY_POLICY
            };
            if mappings.iter().any(maps_any) {
                return Err(rule("RFC 5280 6.1.4 (a)", "policyMappings maps anyPolicy"));
            }
            self.map(mappings, budget)?;
        }
        if !certificate.is_self_issued() {
            self.explicit_policy = self.explicit_policy.saturating_sub(1);
            self.policy_mapping = self.policy_mapping.saturating_sub(1);
            self.inhibit_any_policy = self.inhibit_any_policy.saturating_sub(1);
        }
        if let Some((constraints, _)) = &extensions.policy_constraints {
            lower(
                &mut self.explicit_policy,
                constraints.require_explicit_policy,
            );
            lower(&mut self.policy_mapping, constraints.inhibit_policy_mapping);
        }
        let inhibit_any = extensions.inhibit_any_policy.map(|(skip, _)| skip);
        lower(&mut self.inhibit_any_policy, inhibit_any);
        Ok(())
    }

    /// 6.1.4 (b): mapped policies expect their subject-domain policies in the next
    /// certificate; when mapping is inhibited, the mapped policies end here.
    fn map(&mut self, mappings: &[PolicyMapping], budget: &mut Budget) -> Result<(), Error> {
        let Some(level) = self.levels.as_mut().and_then(|levels| levels.last_mut()) else {
            return Ok(());
        };
        budget.spend(Work::PolicyGraph, mappings.len())?;
        let mut mapped: Vec<(ObjectIdentifier, Vec<ObjectIdentifier>)> = Vec::new();
        let mut slot: HashMap<ObjectIdentifier, usize> = HashMap::new();
        for mapping in mappings {
            let index = *slot.entry(mapping.issuer_domain_policy).or_insert_with(|| {
                mapped.push((mapping.issuer_domain_policy, Vec::new()));
                mapped.len() - 1
            });
            if let Some((_, subjects)) = mapped.get_mut(index) {
                if !subjects.contains(&mapping.subject_domain_policy) {
                    subjects.push(mapping.subject_domain_policy);
                }
            }
        }
        if self.policy_mapping == 0 {
            level.retain(|node| !slot.contains_key(&node.policy));
            if level.is_empty() {
                self.levels = None;
            }
            return Ok(());
        }
        let positions: HashMap<ObjectIdentifier, usize> = level
            .iter()
            .enumerate()
            .map(|(index, node)| (node.policy, index))
            .collect();
        let any_parents = positions
            .get(&ANY_POLICY)
            .and_then(|index| level.get(*index))
            .map(|node| node.parents.clone());
        for (policy, subjects) in mapped {
            if let Some(node) = positions
                .get(&policy)
                .and_then(|index| level.get_mut(*index))
            {
                node.expected = subjects;
            } else if let Some(parents) = &any_parents {
                add(level, policy, subjects, parents.clone(), budget)?;
            }
        }
        Ok(())
    }

    /// 6.1.5 (a), (b), (g): the leaf's own requireExplicitPolicy, then the valid policy set.
    fn wrap_up(
        mut self,
        leaf: &ParsedCertificate,
        options: &Options,
    ) -> Result<Vec<String>, Error> {
        self.explicit_policy = self.explicit_policy.saturating_sub(1);
        let constraints = leaf.extensions.policy_constraints.as_ref();
        if constraints
            .is_some_and(|(constraints, _)| constraints.require_explicit_policy == Some(0))
        {
            self.explicit_policy = 0;
        }
        let user: Vec<ObjectIdentifier> = options
            .initial_policy_set
            .iter()
            .filter_map(|oid| ObjectIdentifier::new(oid).ok())
            .collect();
        let valid = self.user_constrained(&user);
        if self.explicit_policy == 0 && valid.is_empty() {
            return Err(no_valid_policy(
                "an explicit policy is required and none of the acceptable policies is valid for the whole path",
            ));
        }
        Ok(valid.iter().map(ToString::to_string).collect())
    }

    /// 6.1.5 (g) in the form of RFC 9618: the policies of the nodes reachable from the leaf's
    /// level whose parent is anyPolicy (the authorities-constrained set, in the anchor's
    /// policy domain), intersected with the caller's set (`user`, empty for anyPolicy).
    fn user_constrained(&self, user: &[ObjectIdentifier]) -> BTreeSet<ObjectIdentifier> {
        let Some(levels) = &self.levels else {
            return BTreeSet::new();
        };
        let Some(bottom) = levels.last() else {
            return BTreeSet::new();
        };
        let any_at_bottom = bottom.iter().any(|node| node.policy == ANY_POLICY);
        let mut authorities = BTreeSet::new();
        let mut reachable = vec![true; bottom.len()];
        for depth in (1..levels.len()).rev() {
            let (Some(level), Some(above)) = (levels.get(depth), levels.get(depth - 1)) else {
                break;
            };
            let mut reachable_above = vec![false; above.len()];
            let nodes = level
                .iter()
                .zip(&reachable)
                .filter(|(_, reached)| **reached);
            for (node, _) in nodes {
                let parent_is_any = node.parents.iter().any(|parent| {
                    above
                        .get(*parent)
                        .is_some_and(|parent| parent.policy == ANY_POLICY)
                });
                if parent_is_any && node.policy != ANY_POLICY {
                    authorities.insert(node.policy);
                }
                for parent in &node.parents {
                    if let Some(reached) = reachable_above.get_mut(*parent) {
                        *reached = true;
                    }
                }
            }
            reachable = reachable_above;
        }
        if user.is_empty() || user.contains(&ANY_POLICY) {
            if any_at_bottom {
                authorities.insert(ANY_POLICY);
            }
            return authorities;
        }
        user.iter()
            .filter(|policy| any_at_bottom || authorities.contains(*policy))
            .copied()
            .collect()
    }
}

/// 6.1.3 (d)(1) and (2): the level below `previous` for a certificate listing `policies`.
fn next_level(
    previous: &[Node],
    policies: &[ObjectIdentifier],
    any_allowed: bool,
    budget: &mut Budget,
) -> Result<Vec<Node>, Error> {
    budget.spend(Work::PolicyGraph, policies.len())?;
    let mut expecting: HashMap<ObjectIdentifier, Vec<usize>> = HashMap::new();
    for (index, node) in previous.iter().enumerate() {
        budget.spend(Work::PolicyGraph, node.expected.len())?;
        for policy in &node.expected {
            expecting.entry(*policy).or_default().push(index);
        }
    }
    let any_parent = previous.iter().position(|node| node.policy == ANY_POLICY);
    let mut level = Vec::new();
    for policy in policies.iter().filter(|policy| **policy != ANY_POLICY) {
        let parents = match (expecting.get(policy), any_parent) {
            (Some(parents), _) => parents.clone(),
            (None, Some(any)) => vec![any],
            (None, None) => continue,
        };
        add(&mut level, *policy, vec![*policy], parents, budget)?;
    }
    if any_allowed && policies.contains(&ANY_POLICY) {
        let mut present: HashSet<ObjectIdentifier> = level.iter().map(|node| node.policy).collect();
        for node in previous {
            for policy in &node.expected {
                if present.insert(*policy) {
                    let parents = expecting.get(policy).cloned().unwrap_or_default();
                    add(&mut level, *policy, vec![*policy], parents, budget)?;
                }
            }
        }
    }
    Ok(level)
}

/// Adds a node to `level`, charging the node, its expected policies and its edges.
fn add(
    level: &mut Vec<Node>,
    policy: ObjectIdentifier,
    expected: Vec<ObjectIdentifier>,
    parents: Vec<usize>,
    budget: &mut Budget,
) -> Result<(), Error> {
    budget.spend(Work::PolicyGraph, 1 + expected.len() + parents.len())?;
    level.push(Node {
        policy,
        expected,
        parents,
    });
    Ok(())
}

/// Lowers `counter` to `value` when the certificate sets a smaller one.
fn lower(counter: &mut usize, value: Option<u32>) {
    if let Some(value) = value {
        let value = usize::try_from(value).unwrap_or(usize::MAX);
        *counter = (*counter).min(value);
    }
}

fn no_valid_policy(detail: &str) -> Error {
    Error::NoValidPolicy {
        detail: detail.to_owned(),
    }
}

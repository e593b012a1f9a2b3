//! Name constraints (RFC 5280 sections 4.2.1.10 and 6.1.3 (b), (c), 6.1.4 (g)).
//!
//! Every name of a certificate (subjectAltName entries, the subject as a directoryName, subject
//! emailAddress attributes, and a leaf's commonName when it has no subjectAltName) must be inside
//! the permitted subtrees of that type of every CA above it, and outside all excluded subtrees.
//! Checking each CA's set separately is the intersection of 6.1.4 (g). Self-issued intermediates
//! are not checked (6.1.3 (b)). Name forms mtlskit cannot compare (otherName, x400Address,
//! ediPartyName, registeredID) fail when a constraint of that form meets a name of that form.
//! Comparisons draw from the call's budget, charged before they are made.

use crate::Error;
use crate::x509::general_name::GeneralNameRef as GeneralName;
use crate::x509::name::NameRef;

use super::Profile;
use super::budget::{Budget, Work};
use super::certificate::{
    GeneralSubtree, NameConstraints, NameConstraintsValue, ParsedCertificate, comparable_rdns,
    ia5_string,
};
use super::names::{common_names, describe, ip_from_octets, is_valid_dns_name, split_mailbox};

/// Checks the syntax of a nameConstraints extension (RFC 5280 section 4.2.1.10).
///
/// A dNSName constraint is a host name (`example.com`: it and its subdomains). The
/// `.example.com` form (subdomains only) is not RFC 5280 syntax, but OpenSSL and Go accept it
/// and `mtlskit cert new --permit .example.com` writes it, so the compatible profile accepts
/// it with that meaning; the strict profiles refuse it as malformed.
pub(crate) fn check_syntax(
    constraints: &NameConstraintsValue,
    profile: Profile,
) -> Result<(), Error> {
    let constraints = read(constraints)?;
    let permitted = constraints.permitted.as_deref();
    let excluded = constraints.excluded.as_deref();
    if permitted.is_none_or(<[_]>::is_empty) && excluded.is_none_or(<[_]>::is_empty) {
        return Err(malformed(
            "nameConstraints with neither permitted nor excluded subtrees",
        ));
    }
    if permitted.is_some_and(<[_]>::is_empty) || excluded.is_some_and(<[_]>::is_empty) {
        return Err(malformed("empty subtree list in nameConstraints"));
    }
    for subtree in permitted.into_iter().chain(excluded).flatten() {
        if subtree.minimum != 0 || subtree.maximum.is_some() {
            return Err(malformed(
                "nameConstraints minimum must be 0 and maximum absent",
            ));
        }
        if !is_valid_base(&subtree.base, profile) {
            let name = describe(&subtree.base).unwrap_or_else(|| "(name)".to_owned());
            return Err(malformed(&format!("malformed name constraint {name}")));
        }
    }
    Ok(())
}

/// Checks every certificate of `chain` (leaf first) against the constraints above it.
/// Returns the position of the offending certificate with the error.
///
/// A leaf without subjectAltName has its commonName values checked as DNS names when they look
/// like host names (with a dot, or any when `common_name_fallback` lets the commonName match
/// the peer name), wildcards included: the fallback must not reach names a CA may not issue.
pub(crate) fn check_path(
    chain: &[&ParsedCertificate],
    common_name_fallback: bool,
    budget: &mut Budget,
) -> Result<(), (usize, Error)> {
    for (position, certificate) in chain.iter().enumerate() {
        if position + 1 == chain.len() || (position > 0 && certificate.is_self_issued()) {
            continue;
        }
        let constrained = chain
            .iter()
            .skip(position + 1)
            .any(|issuer| issuer.extensions.name_constraints.is_some());
        if !constrained {
            // Nothing above constrains names: collecting this certificate's names (each
            // directory name in comparable form) would be wasted work on every verification.
            continue;
        }
        let names = names_of(certificate, position == 0, common_name_fallback);
        for issuer in chain.iter().skip(position + 1) {
            let Some((constraints, _)) = &issuer.extensions.name_constraints else {
                continue;
            };
            let constraints = read(constraints).map_err(|error| (position, error))?;
            check_names(&names, &constraints, budget).map_err(|error| (position, error))?;
        }
    }
    Ok(())
}

// ---- helpers ----

/// The subtrees of a nameConstraints value (read when the certificate was decoded, so it
/// reads; refused as malformed otherwise).
fn read(constraints: &NameConstraintsValue) -> Result<NameConstraints<'_>, Error> {
    constraints
        .read()
        .ok_or_else(|| malformed("malformed nameConstraints"))
}

/// A name of a certificate, as constraints see it.
enum Subject<'a> {
    General(GeneralName<'a>),
    /// A name and its RDNs in comparable form (RFC 5280 section 7.1).
    Directory(NameRef<'a>, Vec<Vec<u8>>),
    Email(String),
    Dns(String),
}

/// A subtree base, with directory names in comparable form, prepared once per check.
enum Base<'a> {
    General(&'a GeneralName<'a>),
    Directory(Vec<Vec<u8>>),
}

fn names_of<'c>(
    certificate: &'c ParsedCertificate<'_>,
    is_leaf: bool,
    common_name_fallback: bool,
) -> Vec<Subject<'c>> {
    let mut names: Vec<Subject<'c>> = certificate
        .alt_names()
        .into_iter()
        .map(|name| match name {
            GeneralName::Directory(directory) => {
                let rdns = comparable_rdns(&directory);
                Subject::Directory(directory, rdns)
            }
            other => Subject::General(other),
        })
        .collect();
    const EMAIL_ADDRESS: const_oid::ObjectIdentifier =
        const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1");
    let subject = certificate.subject_name();
    let email_addresses: Vec<String> = if certificate.extensions.subject_alt_name.is_none() {
        subject
            .iter()
            .filter(|attribute| attribute.oid == EMAIL_ADDRESS)
            .filter_map(ia5_string)
            .map(str::to_owned)
            .collect()
    } else {
        Vec::new()
    };
    if !subject.is_empty() {
        let rdns = comparable_rdns(&subject);
        names.push(Subject::Directory(subject, rdns));
    }
    names.extend(email_addresses.into_iter().map(Subject::Email));
    let without_alt_names = certificate.extensions.subject_alt_name.is_none();
    if is_leaf && without_alt_names {
        for common_name in common_names(certificate) {
            let host = common_name.strip_suffix('.').unwrap_or(&common_name);
            let looks_like_host = common_name_fallback || host.contains('.');
            if is_valid_dns_name(host, true) && looks_like_host {
                names.push(Subject::Dns(common_name));
            }
        }
    }
    names
}

fn check_names<'a>(
    names: &[Subject<'_>],
    constraints: &'a NameConstraints<'a>,
    budget: &mut Budget,
) -> Result<(), Error> {
    let permitted = constraints.permitted.as_deref().unwrap_or_default();
    let excluded = constraints.excluded.as_deref().unwrap_or_default();
    // Charge the worst case up front, as Go does: names times subtrees.
    let worst = names.len().saturating_mul(permitted.len() + excluded.len());
    budget.spend(Work::NameComparison, worst)?;
    let prepare = |subtrees: &'a [GeneralSubtree<'a>]| -> Vec<(u8, Base<'a>)> {
        subtrees
            .iter()
            .map(|subtree| (tag(&subtree.base), Base::of(&subtree.base)))
            .collect()
    };
    let (permitted, excluded) = (prepare(permitted), prepare(excluded));
    for name in names {
        let kind = kind_of(name);
        let mut permitted_of_kind = permitted.iter().filter(|(tag, _)| *tag == kind).peekable();
        let mut allowed = permitted_of_kind.peek().is_none();
        for (_, base) in permitted_of_kind {
            if matches(name, base, false)? {
                allowed = true;
                break;
            }
        }
        if !allowed {
            return Err(violation(name));
        }
        for (_, base) in excluded.iter().filter(|(tag, _)| *tag == kind) {
            if matches(name, base, true)? {
                return Err(violation(name));
            }
        }
    }
    Ok(())
}

impl<'a> Base<'a> {
    fn of(name: &'a GeneralName<'a>) -> Self {
        match name {
            GeneralName::Directory(directory) => Self::Directory(comparable_rdns(directory)),
            other => Self::General(other),
        }
    }
}

/// Whether `name` is inside the subtree `base`; an error when the name is malformed or of a
/// form that cannot be compared.
fn matches(name: &Subject<'_>, base: &Base<'_>, excluding: bool) -> Result<bool, Error> {
    let unusable = || Err(violation(name));
    let base = match base {
        Base::Directory(constraint) => {
            return match name {
                Subject::Directory(_, rdns) => Ok(directory_within(rdns, constraint)),
                _ => unusable(),
            };
        }
        Base::General(base) => base,
    };
    match (name, base) {
        (Subject::General(GeneralName::Dns(dns)), GeneralName::Dns(constraint)) => {
            dns_within(dns, constraint, excluding).map_or_else(unusable, Ok)
        }
        (Subject::Dns(dns), GeneralName::Dns(constraint)) => {
            dns_within(dns, constraint, excluding).map_or_else(unusable, Ok)
        }
        (Subject::General(GeneralName::Ip(ip)), GeneralName::Ip(constraint)) => {
            ip_within(ip, constraint).map_or_else(unusable, Ok)
        }
        (Subject::General(GeneralName::Rfc822(email)), GeneralName::Rfc822(constraint)) => {
            email_within(email, constraint).map_or_else(unusable, Ok)
        }
        (Subject::Email(email), GeneralName::Rfc822(constraint)) => {
            email_within(email, constraint).map_or_else(unusable, Ok)
        }
        (Subject::General(GeneralName::Uri(uri)), GeneralName::Uri(constraint)) => {
            uri_within(uri, constraint).map_or_else(unusable, Ok)
        }
        _ => unusable(),
    }
}

/// DNS: the constraint plus zero or more labels on the left (`.example.com`, the compatible
/// profile's form: one or more). A wildcard name `*.x` is inside a permitted subtree when every
/// name it covers is, and hits an excluded one when any name it covers would.
fn dns_within(name: &str, constraint: &str, excluding: bool) -> Option<bool> {
    let name = name.strip_suffix('.').unwrap_or(name);
    let (domain, subdomains_only) = match constraint.strip_prefix('.') {
        Some(domain) => (domain, true),
        None => (constraint, false),
    };
    if domain.is_empty() {
        return Some(true);
    }
    if let Some(base) = name.strip_prefix("*.") {
        if !is_valid_dns_name(name, true) {
            return None;
        }
        let one_label_below = !subdomains_only
            && domain
                .split_once('.')
                .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(base));
        return Some(in_domain(base, domain) || (excluding && one_label_below));
    }
    let within = in_domain(name, domain) && !(subdomains_only && name.len() == domain.len());
    is_valid_dns_name(name, false).then_some(within)
}

/// Whether `name` is `domain` or below it, ASCII case-insensitively, without allocating.
fn in_domain(name: &str, domain: &str) -> bool {
    let (name, domain) = (name.as_bytes(), domain.as_bytes());
    let Some(split) = name.len().checked_sub(domain.len()) else {
        return false;
    };
    let (head, tail) = name.split_at(split);
    tail.eq_ignore_ascii_case(domain) && (head.is_empty() || head.ends_with(b"."))
}

fn ip_within(address: &[u8], constraint: &[u8]) -> Option<bool> {
    ip_from_octets(address)?;
    if constraint.len() != address.len() * 2 {
        return Some(false);
    }
    let (network, mask) = constraint.split_at(address.len());
    Some(
        address
            .iter()
            .zip(network.iter().zip(mask))
            .all(|(byte, (network, mask))| byte & mask == network & mask),
    )
}

fn email_within(email: &str, constraint: &str) -> Option<bool> {
    let (local, domain) = split_mailbox(email)?;
    Some(
        if let Some((constraint_local, constraint_domain)) = split_mailbox(constraint) {
            local == constraint_local && domain.eq_ignore_ascii_case(constraint_domain)
        } else {
            host_within(domain, constraint)
        },
    )
}

fn uri_within(uri: &str, constraint: &str) -> Option<bool> {
    let (_, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = host_port.split(':').next()?;
    is_valid_dns_name(host, false).then(|| host_within(host, constraint))
}

/// `.example.com` covers subdomains only; `example.com` covers that host only.
fn host_within(host: &str, constraint: &str) -> bool {
    match constraint.strip_prefix('.') {
        Some(domain) => host.len() > domain.len() && in_domain(host, domain),
        None => host.eq_ignore_ascii_case(constraint),
    }
}

/// Whether the constraint's RDNs are the first RDNs of the name, compared as in chaining
/// (RFC 5280 sections 4.2.1.10 and 7.1): case and string type do not matter.
fn directory_within(name: &[Vec<u8>], constraint: &[Vec<u8>]) -> bool {
    name.starts_with(constraint)
}

fn is_valid_base(base: &GeneralName<'_>, profile: Profile) -> bool {
    match *base {
        GeneralName::Dns(dns) => {
            let dns = match dns.strip_prefix('.') {
                Some(domain) if !profile.is_strict() => domain,
                _ => dns,
            };
            dns.is_empty() || is_valid_dns_name(dns, false)
        }
        GeneralName::Ip(octets) => is_valid_ip_constraint(octets),
        GeneralName::Rfc822(email) => {
            split_mailbox(email).is_some()
                || is_valid_dns_name(email.strip_prefix('.').unwrap_or(email), false)
        }
        GeneralName::Uri(uri) => is_valid_dns_name(uri.strip_prefix('.').unwrap_or(uri), false),
        _ => true,
    }
}

/// An address and a mask of contiguous leading ones (RFC 4632 CIDR), 8 or 32 bytes.
fn is_valid_ip_constraint(octets: &[u8]) -> bool {
    if octets.len() != 8 && octets.len() != 32 {
        return false;
    }
    let mask = octets.get(octets.len() / 2..).unwrap_or_default();
    let bits: Vec<bool> = mask
        .iter()
        .flat_map(|byte| (0..8).rev().map(move |bit| byte & (1 << bit) != 0))
        .collect();
    bits.windows(2).all(|pair| !matches!(pair, [false, true]))
}

fn kind_of(name: &Subject<'_>) -> u8 {
    match name {
        Subject::General(general) => tag(general),
        Subject::Directory(..) => 4,
        Subject::Email(_) => 1,
        Subject::Dns(_) => 2,
    }
}

/// The context tag of a GeneralName form (RFC 5280 section 4.2.1.6).
fn tag(name: &GeneralName<'_>) -> u8 {
    match name {
        GeneralName::OtherName { .. } => 0,
        GeneralName::Rfc822(_) => 1,
        GeneralName::Dns(_) => 2,
        GeneralName::X400(_) => 3,
        GeneralName::Directory(_) => 4,
        GeneralName::EdiParty(_) => 5,
        GeneralName::Uri(_) => 6,
        GeneralName::Ip(_) => 7,
        GeneralName::RegisteredId(_) => 8,
    }
}

fn violation(name: &Subject<'_>) -> Error {
    let text = match name {
        Subject::General(general) => describe(general).unwrap_or_else(|| "otherName".to_owned()),
        Subject::Directory(directory, _) => {
            format!("DirName:{}", crate::x509::display_name::display(directory))
        }
        Subject::Email(email) => format!("emailAddress:{email}"),
        Subject::Dns(dns) => format!("CN:{dns}"),
    };
    Error::NameConstraintViolation { name: text }
}

fn malformed(detail: &str) -> Error {
    Error::NonConforming {
        section: "RFC 5280 4.2.1.10",
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_subtrees() {
        assert_eq!(
            dns_within("foo.bar.example.com", "example.com", false),
            Some(true)
        );
        assert_eq!(
            dns_within("notexample.com", "example.com", false),
            Some(false)
        );
        assert_eq!(
            dns_within("*.example.com", "bar.example.com", true),
            Some(true)
        );
        assert_eq!(
            dns_within("*.example.com", "bar.example.com", false),
            Some(false)
        );
        assert_eq!(dns_within("*.foo.com", "foo.com", false), Some(true));
        assert_eq!(dns_within("foo_bar.com", "com", false), None);
        assert_eq!(
            dns_within("WWW.Example.COM.", "example.com", false),
            Some(true)
        );
    }

    #[test]
    fn leading_dot_dns_subtrees_cover_subdomains_only() {
        assert_eq!(
            dns_within("www.example.com", ".example.com", false),
            Some(true)
        );
        assert_eq!(
            dns_within("example.com", ".example.com", false),
            Some(false)
        );
        assert_eq!(
            dns_within("wwwexample.com", ".example.com", false),
            Some(false)
        );
        assert_eq!(
            dns_within("*.example.com", ".example.com", false),
            Some(true)
        );
        assert_eq!(dns_within("*.com", ".example.com", true), Some(false));
    }

    #[test]
    fn ip_subtrees() {
        let constraint = [192, 0, 2, 0, 255, 255, 255, 0];
        assert_eq!(ip_within(&[192, 0, 2, 1], &constraint), Some(true));
        assert_eq!(ip_within(&[192, 0, 3, 1], &constraint), Some(false));
        assert!(is_valid_ip_constraint(&constraint));
        assert!(!is_valid_ip_constraint(&[192, 0, 2, 0, 255, 0, 255, 0]));
        assert!(!is_valid_ip_constraint(&[192, 0, 2, 0]));
    }

    #[test]
    fn email_subtrees() {
        assert_eq!(email_within("foo@example.com", "example.com"), Some(true));
        assert_eq!(
            email_within("foo@a.example.com", ".example.com"),
            Some(true)
        );
        assert_eq!(email_within("foo@example.com", ".example.com"), Some(false));
        assert_eq!(
            email_within("user@example.com", "*@example.com"),
            Some(false)
        );
        assert_eq!(email_within("**@example.com", "**@example.com"), Some(true));
        assert_eq!(email_within("a@b@example.com", "example.com"), None);
    }
}

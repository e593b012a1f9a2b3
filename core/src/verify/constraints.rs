//! Name constraints (RFC 5280 sections 4.2.1.10 and 6.1.3 (b), (c), 6.1.4 (g)).
//!
//! Every name of a certificate (subjectAltName entries, the subject as a directoryName, subject
//! emailAddress attributes, and a leaf's commonName when it has no subjectAltName) must be inside
//! the permitted subtrees of that type of every CA above it, and outside all excluded subtrees.
//! Checking each CA's set separately is the intersection of 6.1.4 (g). Self-issued intermediates
//! are not checked (6.1.3 (b)). Name forms mtlskit cannot compare (otherName, x400Address,
//! ediPartyName, registeredID) fail when a constraint of that form meets a name of that form.
//! A comparison budget bounds the work on pathological inputs.

use x509_cert::ext::pkix::constraints::name::{GeneralSubtree, NameConstraints};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::name::Name;

use crate::Error;

use super::certificate::ParsedCertificate;
use super::names::{common_names, describe, ip_from_octets, is_valid_dns_name, split_mailbox};

/// Name-to-subtree comparisons allowed per path (Go's crypto/x509 uses the same bound).
const MAXIMUM_COMPARISONS: usize = 250_000;

/// Checks the syntax of a nameConstraints extension (RFC 5280 section 4.2.1.10).
pub(crate) fn check_syntax(constraints: &NameConstraints) -> Result<(), Error> {
    let permitted = constraints.permitted_subtrees.as_deref();
    let excluded = constraints.excluded_subtrees.as_deref();
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
        if !is_valid_base(&subtree.base) {
            let name = describe(&subtree.base).unwrap_or_else(|| "(name)".to_owned());
            return Err(malformed(&format!("malformed name constraint {name}")));
        }
    }
    Ok(())
}

/// Checks every certificate of `chain` (leaf first) against the constraints above it.
/// Returns the position of the offending certificate with the error.
pub(crate) fn check_path(chain: &[&ParsedCertificate]) -> Result<(), (usize, Error)> {
    let mut budget = MAXIMUM_COMPARISONS;
    for (position, certificate) in chain.iter().enumerate() {
        if position + 1 == chain.len() || (position > 0 && certificate.is_self_issued()) {
            continue;
        }
        let names = names_of(certificate, position == 0);
        for issuer in chain.iter().skip(position + 1) {
            let Some((constraints, _)) = &issuer.extensions.name_constraints else {
                continue;
            };
            check_names(&names, constraints, &mut budget).map_err(|error| (position, error))?;
        }
    }
    Ok(())
}

// ---- helpers ----

/// A name of a certificate, as constraints see it.
enum Subject<'a> {
    General(&'a GeneralName),
    Directory(&'a Name),
    Email(String),
    Dns(String),
}

fn names_of(certificate: &ParsedCertificate, is_leaf: bool) -> Vec<Subject<'_>> {
    let mut names: Vec<Subject<'_>> = certificate
        .alt_names()
        .iter()
        .map(Subject::General)
        .collect();
    let subject = certificate.certificate.tbs_certificate().subject();
    if !subject.is_empty() {
        names.push(Subject::Directory(subject));
    }
    const EMAIL_ADDRESS: const_oid::ObjectIdentifier =
        const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1");
    let without_alt_names = certificate.extensions.subject_alt_name.is_none();
    for attribute in subject
        .iter()
        .filter(|attribute| without_alt_names && attribute.oid == EMAIL_ADDRESS)
    {
        if let Ok(value) = attribute.value.decode_as::<der::asn1::Ia5String>() {
            names.push(Subject::Email(value.to_string()));
        }
    }
    if is_leaf && without_alt_names {
        for common_name in common_names(certificate) {
            if is_valid_dns_name(&common_name, false) && common_name.contains('.') {
                names.push(Subject::Dns(common_name));
            }
        }
    }
    names
}

fn check_names(
    names: &[Subject<'_>],
    constraints: &NameConstraints,
    budget: &mut usize,
) -> Result<(), Error> {
    let permitted = constraints
        .permitted_subtrees
        .as_deref()
        .unwrap_or_default();
    let excluded = constraints.excluded_subtrees.as_deref().unwrap_or_default();
    // Charge the worst case up front, as Go does: names times subtrees.
    let worst = names.len().saturating_mul(permitted.len() + excluded.len());
    *budget = budget.checked_sub(worst).ok_or(Error::BudgetExceeded)?;
    for name in names {
        let kind = kind_of(name);
        let same_kind = |subtree: &&GeneralSubtree| tag(&subtree.base) == kind;
        let mut permitted_of_kind = permitted.iter().filter(same_kind).peekable();
        let has_permitted = permitted_of_kind.peek().is_some();
        let mut allowed = !has_permitted;
        for subtree in permitted_of_kind {
            if matches(name, &subtree.base, false)? {
                allowed = true;
                break;
            }
        }
        if !allowed {
            return Err(violation(name));
        }
        for subtree in excluded.iter().filter(same_kind) {
            if matches(name, &subtree.base, true)? {
                return Err(violation(name));
            }
        }
    }
    Ok(())
}

/// Whether `name` is inside the subtree `base`; an error when the name is malformed or of a
/// form that cannot be compared.
fn matches(name: &Subject<'_>, base: &GeneralName, excluding: bool) -> Result<bool, Error> {
    let unusable = || Err(violation(name));
    match (name, base) {
        (Subject::General(GeneralName::DnsName(dns)), GeneralName::DnsName(constraint)) => {
            dns_within(dns.as_str(), constraint.as_str(), excluding).map_or_else(unusable, Ok)
        }
        (Subject::Dns(dns), GeneralName::DnsName(constraint)) => {
            dns_within(dns, constraint.as_str(), excluding).map_or_else(unusable, Ok)
        }
        (Subject::General(GeneralName::IpAddress(ip)), GeneralName::IpAddress(constraint)) => {
            ip_within(ip.as_bytes(), constraint.as_bytes()).map_or_else(unusable, Ok)
        }
        (Subject::General(GeneralName::Rfc822Name(email)), GeneralName::Rfc822Name(constraint)) => {
            email_within(email.as_str(), constraint.as_str()).map_or_else(unusable, Ok)
        }
        (Subject::Email(email), GeneralName::Rfc822Name(constraint)) => {
            email_within(email, constraint.as_str()).map_or_else(unusable, Ok)
        }
        (
            Subject::General(GeneralName::UniformResourceIdentifier(uri)),
            GeneralName::UniformResourceIdentifier(constraint),
        ) => uri_within(uri.as_str(), constraint.as_str()).map_or_else(unusable, Ok),
        (
            Subject::General(GeneralName::DirectoryName(directory)),
            GeneralName::DirectoryName(constraint),
        ) => Ok(directory_within(directory, constraint)),
        (Subject::Directory(directory), GeneralName::DirectoryName(constraint)) => {
            Ok(directory_within(directory, constraint))
        }
        _ => unusable(),
    }
}

/// DNS: the constraint plus zero or more labels on the left. A wildcard name `*.x` is inside a
/// permitted subtree when `x` is, and hits an excluded one when any name it covers would.
fn dns_within(name: &str, constraint: &str, excluding: bool) -> Option<bool> {
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let constraint = constraint.to_ascii_lowercase();
    if constraint.is_empty() {
        return Some(true);
    }
    let within =
        |candidate: &str| candidate == constraint || candidate.ends_with(&format!(".{constraint}"));
    if let Some(base) = name.strip_prefix("*.") {
        if !is_valid_dns_name(&name, true) {
            return None;
        }
        let one_label_below = constraint
            .split_once('.')
            .is_some_and(|(_, rest)| rest == base);
        return Some(within(base) || (excluding && one_label_below));
    }
    is_valid_dns_name(&name, false).then(|| within(&name))
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
    let host = host.to_ascii_lowercase();
    let constraint = constraint.to_ascii_lowercase();
    match constraint.strip_prefix('.') {
        Some(_) => host.ends_with(&constraint),
        None => host == constraint,
    }
}

fn directory_within(name: &Name, constraint: &Name) -> bool {
    use der::Encode;
    let encoded = |rdn: &x509_cert::name::RelativeDistinguishedName| rdn.to_der().ok();
    constraint.len() <= name.len()
        && constraint
            .iter_rdn()
            .zip(name.iter_rdn())
            .all(|(wanted, actual)| encoded(wanted).is_some() && encoded(wanted) == encoded(actual))
}

fn is_valid_base(base: &GeneralName) -> bool {
    match base {
        GeneralName::DnsName(dns) => {
            dns.as_str().is_empty() || is_valid_dns_name(dns.as_str(), false)
        }
        GeneralName::IpAddress(octets) => is_valid_ip_constraint(octets.as_bytes()),
        GeneralName::Rfc822Name(email) => {
            let email = email.as_str();
            split_mailbox(email).is_some()
                || is_valid_dns_name(email.strip_prefix('.').unwrap_or(email), false)
        }
        GeneralName::UniformResourceIdentifier(uri) => {
            let uri = uri.as_str();
            is_valid_dns_name(uri.strip_prefix('.').unwrap_or(uri), false)
        }
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
        Subject::Directory(_) => 4,
        Subject::Email(_) => 1,
        Subject::Dns(_) => 2,
    }
}

/// The context tag of a GeneralName form (RFC 5280 section 4.2.1.6).
fn tag(name: &GeneralName) -> u8 {
    match name {
        GeneralName::OtherName(_) => 0,
        GeneralName::Rfc822Name(_) => 1,
        GeneralName::DnsName(_) => 2,
        GeneralName::DirectoryName(_) => 4,
        GeneralName::EdiPartyName(_) => 5,
        GeneralName::UniformResourceIdentifier(_) => 6,
        GeneralName::IpAddress(_) => 7,
        GeneralName::RegisteredId(_) => 8,
    }
}

fn violation(name: &Subject<'_>) -> Error {
    let text = match name {
        Subject::General(general) => describe(general).unwrap_or_else(|| "otherName".to_owned()),
        Subject::Directory(directory) => format!("DirName:{directory}"),
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

//! Peer name matching (RFC 6125 section 6, RFC 9525 section 6.3) and name syntax.
//!
//! DNS: ASCII case-insensitive, one trailing dot ignored, a wildcard only as the whole
//! left-most label (`*.example.com`) matching exactly one label, and never over a single label
//! (`*.com`, `*`). IP addresses match iPAddress entries byte for byte. Email addresses match
//! rfc822Name entries, local part exactly, domain case-insensitively. The subject commonName is
//! used only when the caller asks for it and the certificate has no subjectAltName.

use core::net::IpAddr;

use crate::Error;
use crate::x509::general_name::GeneralNameRef as GeneralName;

use super::PeerName;
use super::certificate::ParsedCertificate;

/// Checks that `leaf` is valid for `expected`.
pub(crate) fn check_peer_name(
    leaf: &ParsedCertificate,
    expected: &PeerName,
    common_name_fallback: bool,
) -> Result<(), Error> {
    let alt_names = leaf.alt_names();
    let matched = match expected {
        PeerName::Dns(reference) => {
            let reference = reference.strip_suffix('.').unwrap_or(reference);
            is_valid_dns_name(reference, false)
                && (alt_names.iter().any(|name| match *name {
                    GeneralName::Dns(presented) => dns_matches(presented, reference),
                    _ => false,
                }) || (common_name_fallback
                    && leaf.extensions.subject_alt_name.is_none()
                    && common_names(leaf)
                        .iter()
                        .any(|cn| dns_matches(cn, reference))))
        }
        PeerName::Ip(address) => alt_names.iter().any(|name| match *name {
            GeneralName::Ip(octets) => ip_octets(address) == octets,
            _ => false,
        }),
        PeerName::Email(address) => alt_names.iter().any(|name| match *name {
            GeneralName::Rfc822(presented) => email_matches(presented, address),
            _ => false,
        }),
    };
    if matched {
        return Ok(());
    }
    Err(Error::NameMismatch {
        expected: describe_expected(expected),
        presented: alt_names.iter().filter_map(describe).collect(),
    })
}

/// Baseline Requirements 7.1.4.3: a subscriber certificate has at most one subject commonName,
/// and it repeats a subjectAltName value. An IP address commonName must be the RFC 3986 /
/// RFC 5952 text of an iPAddress entry; any other commonName must be a character-for-character
/// copy of a dNSName entry (so a U-label beside its A-label, or another case, is refused).
///
/// Two readings older than BR 2.0, common in issued certificates and in x509-limbo's own
/// certificates (`CN=example.com` beside `*.example.com`), are tolerated: a host-name
/// commonName may be the domain of a wildcard entry or a parent domain of an entry, and is not
/// checked when the certificate has no dNSName entry at all.
pub(crate) fn check_common_name_in_alt_names(leaf: &ParsedCertificate) -> Result<(), Error> {
    let refuse = |detail: String| Error::NonConforming {
        section: "BR 7.1.4.3",
        detail,
    };
    let common_names = common_names(leaf);
    if common_names.len() > 1 {
        return Err(refuse(format!(
            "{} commonName attributes; at most one is allowed",
            common_names.len()
        )));
    }
    let Some(common_name) = common_names.first() else {
        return Ok(());
    };
    let alt_names = leaf.alt_names();
    let dns_names: Vec<&str> = alt_names
        .iter()
        .filter_map(|name| match *name {
            GeneralName::Dns(dns) => Some(dns),
            _ => None,
        })
        .collect();
    let accepted = if looks_like_ip(common_name) {
        alt_names.iter().any(|name| match *name {
            GeneralName::Ip(octets) => {
                ip_from_octets(octets).is_some_and(|ip| ip.to_string() == *common_name)
            }
            _ => false,
        })
    } else {
        (dns_names.is_empty() && is_valid_dns_name(common_name, true))
            || dns_names
                .iter()
                .any(|dns| names_common_name(dns, common_name))
    };
    if accepted {
        return Ok(());
    }
    Err(refuse(format!(
        "commonName '{common_name}' is not one of the subjectAltName entries"
    )))
}

/// Whether `text` is written like an IP address (digits and dots, or a colon).
fn looks_like_ip(text: &str) -> bool {
    text.contains(':')
        || (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// Whether the dNSName entry `dns` allows the commonName `common_name`: the same characters,
/// or (tolerated) `common_name` is the domain of the wildcard `dns` or a parent domain of it.
fn names_common_name(dns: &str, common_name: &str) -> bool {
    let base = dns.strip_prefix("*.").unwrap_or(dns);
    let parent = base
        .strip_suffix(common_name)
        .is_some_and(|head| head.ends_with('.'));
    dns == common_name || base == common_name || parent
}

/// Whether `name` is a DNS name in preferred name syntax (RFC 1034 3.5, RFC 1123 2.1), with a
/// left-most `*` label allowed when `allow_wildcard` is set.
pub(crate) fn is_valid_dns_name(name: &str, allow_wildcard: bool) -> bool {
    if name.is_empty() || name.len() > 253 {
        return false;
    }
    name.split('.').enumerate().all(|(index, label)| {
        (allow_wildcard && index == 0 && label == "*") || is_valid_label(label)
    })
}

/// Whether `presented` (from a certificate, possibly a wildcard) matches `reference`.
pub(crate) fn dns_matches(presented: &str, reference: &str) -> bool {
    let presented = presented.strip_suffix('.').unwrap_or(presented);
    if !is_valid_dns_name(presented, true) {
        return false;
    }
    if let Some(suffix) = presented.strip_prefix("*.") {
        // At least two labels after the wildcard: no `*.com`.
        if !suffix.contains('.') {
            return false;
        }
        return match reference.split_once('.') {
            Some((first, rest)) => !first.is_empty() && rest.eq_ignore_ascii_case(suffix),
            None => false,
        };
    }
    presented.eq_ignore_ascii_case(reference)
}

/// Splits a mailbox `local@domain` (RFC 5321 section 4.1.2, unquoted local parts only).
pub(crate) fn split_mailbox(address: &str) -> Option<(&str, &str)> {
    let (local, domain) = address.split_once('@')?;
    let valid_local = !local.is_empty()
        && local
            .bytes()
            .all(|byte| byte.is_ascii_graphic() && !b"@()<>[]:;,\\\"".contains(&byte));
    (valid_local && is_valid_dns_name(domain, false)).then_some((local, domain))
}

pub(crate) fn ip_from_octets(octets: &[u8]) -> Option<IpAddr> {
    match octets.len() {
        4 => <[u8; 4]>::try_from(octets).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(octets).ok().map(IpAddr::from),
        _ => None,
    }
}

/// Text for a subjectAltName entry, e.g. `DNS:example.com`.
pub(crate) fn describe(name: &GeneralName<'_>) -> Option<String> {
    match name {
        GeneralName::Dns(dns) => Some(format!("DNS:{dns}")),
        GeneralName::Ip(octets) => Some(match ip_from_octets(octets) {
            Some(ip) => format!("IP:{ip}"),
            None => "IP:(malformed)".to_owned(),
        }),
        GeneralName::Rfc822(email) => Some(format!("email:{email}")),
        GeneralName::Uri(uri) => Some(format!("URI:{uri}")),
        // x509-cert's text without its scan of const-oid's name database (the database would
        // otherwise be linked into the browser module for this one message)
        GeneralName::Directory(name) => Some(format!(
            "DirName:{}",
            crate::x509::display_name::display(name)
        )),
        _ => None,
    }
}

/// The subject commonName values, as text.
pub(crate) fn common_names(certificate: &ParsedCertificate) -> Vec<String> {
    const COMMON_NAME: const_oid::ObjectIdentifier =
        const_oid::ObjectIdentifier::new_unwrap("2.5.4.3");
    certificate
        .subject_name()
        .iter()
        .filter(|attribute| attribute.oid == COMMON_NAME)
        .filter_map(|attribute| {
            super::certificate::directory_string(attribute).map(std::borrow::Cow::into_owned)
        })
        .collect()
}

// ---- helpers ----

fn is_valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

fn email_matches(presented: &str, reference: &str) -> bool {
    match (split_mailbox(presented), split_mailbox(reference)) {
        (Some((local, domain)), Some((reference_local, reference_domain))) => {
            local == reference_local && domain.eq_ignore_ascii_case(reference_domain)
        }
        _ => false,
    }
}

fn ip_octets(address: &IpAddr) -> Vec<u8> {
    match address {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

fn describe_expected(expected: &PeerName) -> String {
    match expected {
        PeerName::Dns(name) => format!("DNS:{name}"),
        PeerName::Ip(address) => format!("IP:{address}"),
        PeerName::Email(address) => format!("email:{address}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_one_left_most_label() {
        assert!(dns_matches("*.example.com", "foo.example.com"));
        assert!(dns_matches("*.Example.com", "FOO.example.com"));
        assert!(!dns_matches("*.example.com", "example.com"));
        assert!(!dns_matches("*.example.com", "a.b.example.com"));
        assert!(!dns_matches("*.com", "example.com"));
        assert!(!dns_matches("*", "com"));
        assert!(!dns_matches("ba*.example.com", "baz.example.com"));
        assert!(!dns_matches(
            "xn--*-1b3c148a.example.com",
            "xn--bliss-1b3c148a.example.com"
        ));
        assert!(dns_matches("example.com.", "example.com"));
    }

    #[test]
    fn dns_syntax() {
        assert!(is_valid_dns_name("a-1.example.com", false));
        assert!(!is_valid_dns_name("foo_bar.example.com", false));
        assert!(!is_valid_dns_name("-a.example.com", false));
        assert!(!is_valid_dns_name("a..b", false));
        assert!(!is_valid_dns_name("*.example.com", false));
    }

    #[test]
    fn mailboxes() {
        assert_eq!(split_mailbox("a@example.com"), Some(("a", "example.com")));
        assert_eq!(split_mailbox("a@b@example.com"), None);
        assert!(email_matches("User@EXAMPLE.com", "User@example.com"));
        assert!(!email_matches("user@example.com", "User@example.com"));
    }
}

//! Names in certificates: subjectAltName entries (RFC 5280 section 4.2.1.6) and name
//! constraints (RFC 5280 section 4.2.1.10), parsed from the text people type.
//!
//! `DNS:`, `IP:`, `email:` and `URI:` prefixes are accepted; without a prefix the kind is
//! guessed: an IP address, then anything with `://` (URI), then `@` (email), else a DNS name.

use core::fmt;
use core::net::IpAddr;
use core::str::FromStr;

use super::Profile;
use crate::Error;
use crate::asn1::write;

/// One subjectAltName entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SubjectAltName {
    /// A DNS name, optionally with a leading `*.` wildcard label.
    Dns(String),
    /// An IPv4 or IPv6 address.
    Ip(IpAddr),
    /// An email address (rfc822Name).
    Email(String),
    /// A URI such as `spiffe://example.org/service`.
    Uri(String),
}

impl FromStr for SubjectAltName {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        let (kind, value) = split_prefix(text);
        let entry = match kind {
            Some("dns") => Self::Dns(value.to_owned()),
            Some("ip") => Self::Ip(
                value
                    .parse()
                    .map_err(|_| refuse(text, "not an IP address"))?,
            ),
            Some("email") => Self::Email(value.to_owned()),
            Some("uri") => Self::Uri(value.to_owned()),
            Some(_) | None => guess(value),
        };
        entry.validate(text)?;
        Ok(entry)
    }
}

impl SubjectAltName {
    /// Makes the entry for a common name: an IP address stays one, anything else is a DNS name.
    pub fn from_common_name(common_name: &str) -> Result<Self, Error> {
        let entry = match common_name.parse::<IpAddr>() {
            Ok(address) => Self::Ip(address),
            Err(_) => Self::Dns(common_name.to_owned()),
        };
        entry.validate(common_name)?;
        Ok(entry)
    }

    /// Refuses names a certificate of `profile` must not carry: a wildcard DNS name is for
    /// servers only (RFC 9525 section 6.3 matches wildcards for server identities alone).
    pub(crate) fn check_for_profile(&self, profile: Profile) -> Result<(), Error> {
        match self {
            Self::Dns(name) if name.starts_with("*.") && !profile.is_server() => Err(refuse(
                name,
                &format!("a wildcard name is for server certificates, not a {profile} certificate"),
            )),
            _ => Ok(()),
        }
    }

    /// Writes the entry as a `GeneralName` (RFC 5280 section 4.2.1.6): `[1]` rfc822Name, `[2]`
    /// dNSName, `[6]` uniformResourceIdentifier (IA5String), `[7]` iPAddress (4 or 16 octets).
    pub(crate) fn write_general_name(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        let ia5 = |out: &mut Vec<u8>, number: u8, value: &str| {
            write::ia5_tagged(out, write::context(number), value)
                .map_err(|_| refuse(value, "only ASCII characters are allowed"))
        };
        match self {
            Self::Email(email) => ia5(out, 1, email),
            Self::Dns(name) => ia5(out, 2, name),
            Self::Uri(uri) => ia5(out, 6, uri),
            Self::Ip(address) => {
                write::tlv(out, write::context(7), &ip_octets(address));
                Ok(())
            }
        }
    }

    fn validate(&self, original: &str) -> Result<(), Error> {
        match self {
            Self::Dns(name) => validate_dns_name(name, true).map_err(|why| refuse(original, why)),
            Self::Ip(_) => Ok(()),
            Self::Email(email) => validate_email(email).map_err(|why| refuse(original, why)),
            Self::Uri(uri) => validate_uri(uri).map_err(|why| refuse(original, why)),
        }
    }
}

impl fmt::Display for SubjectAltName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dns(name) => write!(f, "DNS:{name}"),
            Self::Ip(address) => write!(f, "IP:{address}"),
            Self::Email(email) => write!(f, "email:{email}"),
            Self::Uri(uri) => write!(f, "URI:{uri}"),
        }
    }
}

/// One permitted or excluded subtree of a CA's name constraints.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NameConstraint {
    /// A DNS domain: `example.com` matches it and its subdomains; `.example.com` only its
    /// subdomains (OpenSSL's and Go's reading; RFC 5280 has no such form, so verifiers with a
    /// strict profile, `mtlskit verify --profile rfc5280` included, refuse it).
    Dns(String),
    /// An IP range in CIDR notation, e.g. `10.0.0.0/8`; parsing clears the host bits
    /// (`10.1.2.3/8` is `10.0.0.0/8`), since RFC 5280 4.2.1.10 writes a CIDR range (RFC 4632).
    Ip {
        /// The network address.
        address: IpAddr,
        /// The prefix length in bits.
        prefix: u8,
    },
    /// An email domain or mailbox, e.g. `example.com` or `alice@example.com`.
    Email(String),
}

impl FromStr for NameConstraint {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        let (kind, value) = split_prefix(text);
        let constraint = match (kind, value.split_once('/')) {
            (Some("ip") | None, Some((address, prefix))) => {
                let address = address
                    .parse()
                    .map_err(|_| refuse(text, "not an IP range"))?;
                let prefix = prefix
                    .parse()
                    .map_err(|_| refuse(text, "bad prefix length"))?;
                Self::Ip {
                    address: network(address, prefix),
                    prefix,
                }
            }
            (Some("email"), _) => Self::Email(value.to_owned()),
            (None, _) if value.contains('@') => Self::Email(value.to_owned()),
            (Some("dns") | None, _) => Self::Dns(value.to_owned()),
            _ => {
                return Err(refuse(
                    text,
                    "use DNS:domain, IP:address/prefix or email:domain",
                ));
            }
        };
        constraint.validate(text)?;
        Ok(constraint)
    }
}

impl NameConstraint {
    /// Writes the constraint as a `GeneralSubtree` (RFC 5280 section 4.2.1.10) with the
    /// default minimum and no maximum: `[2]` dNSName, `[1]` rfc822Name, or `[7]` iPAddress
    /// as the address followed by the mask.
    pub(crate) fn write_subtree(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        write::sequence(out, |out| {
            let ia5 = |out: &mut Vec<u8>, number: u8, value: &str| {
                write::ia5_tagged(out, write::context(number), value)
                    .map_err(|_| refuse(value, "only ASCII characters are allowed"))
            };
            match self {
                Self::Dns(name) => ia5(out, 2, name),
                Self::Email(email) => ia5(out, 1, email),
                Self::Ip { address, prefix } => {
                    let mut octets = ip_octets(address);
                    let mask = match address {
                        IpAddr::V4(_) => {
                            let mask = u32::MAX.checked_shr(u32::from(*prefix)).unwrap_or(0);
                            (!mask).to_be_bytes().to_vec()
                        }
                        IpAddr::V6(_) => {
                            let mask = u128::MAX.checked_shr(u32::from(*prefix)).unwrap_or(0);
                            (!mask).to_be_bytes().to_vec()
                        }
                    };
                    octets.extend_from_slice(&mask);
                    write::tlv(out, write::context(7), &octets);
                    Ok(())
                }
            }
        })
    }

    fn validate(&self, original: &str) -> Result<(), Error> {
        let result = match self {
            Self::Dns(name) => validate_dns_name(name.trim_start_matches('.'), false),
            Self::Ip { address, prefix } => {
                let bits = if address.is_ipv4() { 32 } else { 128 };
                if *prefix > bits {
                    Err("prefix longer than the address")
                } else {
                    Ok(())
                }
            }
            Self::Email(email) if email.contains('@') => validate_email(email),
            Self::Email(domain) => validate_dns_name(domain.trim_start_matches('.'), false),
        };
        result.map_err(|why| refuse(original, why))
    }
}

fn ip_octets(address: &IpAddr) -> Vec<u8> {
    match address {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

/// `address` with the bits after the first `prefix` cleared (an over-long prefix is refused
/// by validation afterwards).
fn network(address: IpAddr, prefix: u8) -> IpAddr {
    let host_bits = |width: u32| width.saturating_sub(u32::from(prefix));
    match address {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(host_bits(32)).unwrap_or(0);
            IpAddr::from((u32::from(v4) & mask).to_be_bytes())
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(host_bits(128)).unwrap_or(0);
            IpAddr::from((u128::from(v6) & mask).to_be_bytes())
        }
    }
}

fn split_prefix(text: &str) -> (Option<&'static str>, &str) {
    let Some((kind, value)) = text.split_once(':') else {
        return (None, text);
    };
    let kind = ["dns", "ip", "email", "uri"]
        .into_iter()
        .find(|known| known.eq_ignore_ascii_case(kind));
    match kind {
        Some(kind) => (Some(kind), value.trim()),
        None => (None, text),
    }
}

fn guess(value: &str) -> SubjectAltName {
    if let Ok(address) = value.parse() {
        SubjectAltName::Ip(address)
    } else if value.contains("://") {
        SubjectAltName::Uri(value.to_owned())
    } else if value.contains('@') {
        SubjectAltName::Email(value.to_owned())
    } else {
        SubjectAltName::Dns(value.to_owned())
    }
}

/// A preferred-syntax host name (RFC 1034 section 3.5, relaxed by RFC 1123 section 2.1):
/// labels of letters, digits and hyphens, 1 to 63 characters, 253 in all.
fn validate_dns_name(name: &str, allow_wildcard: bool) -> Result<(), &'static str> {
    let name = name.strip_suffix('.').unwrap_or(name);
    let body = match name.strip_prefix("*.") {
        Some(rest) if allow_wildcard => rest,
        Some(_) => return Err("wildcards are not allowed here"),
        None => name,
    };
    if body.is_empty() || name.len() > 253 {
        return Err("a DNS name must have 1 to 253 characters");
    }
    for label in body.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("each label of a DNS name must have 1 to 63 characters");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(
                "a DNS name may only contain letters, digits, '-' and '.' (use punycode for IDNs)",
            );
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a DNS label cannot start or end with '-'");
        }
    }
    Ok(())
}

fn validate_email(email: &str) -> Result<(), &'static str> {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err("an email address needs an '@'");
    };
    if local.is_empty() || !local.bytes().all(|b| b.is_ascii_graphic() && b != b'@') {
        return Err("the part before '@' must be printable ASCII without spaces");
    }
    validate_dns_name(domain, false)
}

fn validate_uri(uri: &str) -> Result<(), &'static str> {
    let Some((scheme, rest)) = uri.split_once(':') else {
        return Err("a URI needs a scheme, e.g. spiffe://domain/path");
    };
    let scheme_ok = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    if !scheme_ok || rest.is_empty() {
        return Err("a URI needs a scheme and a body, e.g. spiffe://domain/path");
    }
    if !uri.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("a URI may not contain spaces or non-ASCII characters (percent-encode them)");
    }
    Ok(())
}

fn refuse(value: &str, detail: &str) -> Error {
    Error::InvalidSubjectAltName {
        value: value.to_owned(),
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_guesses_kinds() {
        let parse = |text: &str| text.parse::<SubjectAltName>().unwrap().to_string();
        assert_eq!(parse("test.com"), "DNS:test.com");
        assert_eq!(parse("*.test.com"), "DNS:*.test.com");
        assert_eq!(parse("127.0.0.1"), "IP:127.0.0.1");
        assert_eq!(parse("::1"), "IP:::1");
        assert_eq!(parse("alice@example.com"), "email:alice@example.com");
        assert_eq!(
            parse("spiffe://example.org/svc"),
            "URI:spiffe://example.org/svc"
        );
        assert_eq!(parse("DNS:localhost"), "DNS:localhost");
        assert_eq!(parse("IP:10.0.0.1"), "IP:10.0.0.1");
    }

    #[test]
    fn refuses_bad_names() {
        for text in [
            "exa mple",
            "",
            "-bad.com",
            "a..b",
            "IP:300.1.1.1",
            "email:nobody",
            "uri:no scheme",
            "*.*.x.com",
            "bücher.de",
        ] {
            let error = text.parse::<SubjectAltName>().unwrap_err();
            assert_eq!(error.code(), "InvalidSubjectAltName", "{text}");
        }
    }

    #[test]
    fn parses_name_constraints() {
        assert_eq!(
            "example.com".parse::<NameConstraint>().unwrap(),
            NameConstraint::Dns("example.com".into())
        );
        assert_eq!(
            "10.0.0.0/8".parse::<NameConstraint>().unwrap(),
            NameConstraint::Ip {
                address: "10.0.0.0".parse().unwrap(),
                prefix: 8
            }
        );
        assert!("10.0.0.0/40".parse::<NameConstraint>().is_err());
        assert_eq!(
            "10.1.2.3/16".parse::<NameConstraint>().unwrap(),
            NameConstraint::Ip {
                address: "10.1.0.0".parse().unwrap(),
                prefix: 16
            },
            "host bits cleared"
        );
        assert_eq!(
            "IP:2001:db8::1/32".parse::<NameConstraint>().unwrap(),
            NameConstraint::Ip {
                address: "2001:db8::".parse().unwrap(),
                prefix: 32
            }
        );
        assert_eq!(
            "192.0.2.7/0".parse::<NameConstraint>().unwrap(),
            NameConstraint::Ip {
                address: "0.0.0.0".parse().unwrap(),
                prefix: 0
            }
        );
        assert_eq!(
            "email:example.com".parse::<NameConstraint>().unwrap(),
            NameConstraint::Email("example.com".into())
        );
    }
}

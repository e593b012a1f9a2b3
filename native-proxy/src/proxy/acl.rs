//! Allow-lists on the verified client identity: common name, organizational unit, DNS and
//! URI subjectAltNames with `*` wildcards, and SHA-256 pins of the public key.
//!
//! A client is accepted when any entry of any list matches; with every list empty, every
//! client the verifier accepted is allowed. In DNS names `*` stands for one label (no `.`),
//! in URIs for one path segment (no `/`), and `**` in a URI for any number of segments
//! (`spiffe://example.org/ns/*/sa/*`, `spiffe://example.org/**`); in CN and OU `*` matches
//! anything.

use base64ct::{Base64, Encoding};

use super::client_auth::Refusal;
use super::config::AllowConfig;
use super::error::ProxyError;
use super::identity::Identity;

/// Compiled allow-lists.
#[derive(Debug, Clone, Default)]
pub struct Acl {
    rules: AllowConfig,
    spki: Vec<[u8; 32]>,
}

impl Acl {
    /// Compiles `rules`; fails on a pin that is not a SHA-256 in hex or base64.
    pub fn new(rules: &AllowConfig) -> Result<Self, ProxyError> {
        let spki = rules
            .spki
            .iter()
            .map(|pin| parse_pin(pin))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            rules: rules.clone(),
            spki,
        })
    }

    /// Whether any rule is configured.
    pub fn is_empty(&self) -> bool {
        let AllowConfig {
            cn,
            ou,
            dns,
            uri,
            spki,
        } = &self.rules;
        cn.is_empty() && ou.is_empty() && dns.is_empty() && uri.is_empty() && spki.is_empty()
    }

    /// Accepts `identity` (naming the matching rule) or refuses it with the rules it failed.
    pub fn check(&self, identity: &Identity) -> Result<&'static str, Refusal> {
        if self.is_empty() {
            return Ok("any verified client");
        }
        let any = |patterns: &[String], values: &[String], separator: Option<char>| {
            patterns.iter().any(|pattern| {
                values
                    .iter()
                    .any(|value| wildcard_match(pattern, value, separator))
            })
        };
        if any(&self.rules.cn, &identity.common_names, None) {
            return Ok("allow-cn");
        }
        if any(&self.rules.ou, &identity.organizational_units, None) {
            return Ok("allow-ou");
        }
        let dns: Vec<String> = identity
            .dns_names
            .iter()
            .map(|name| name.to_ascii_lowercase())
            .collect();
        let dns_rules: Vec<String> = self
            .rules
            .dns
            .iter()
            .map(|name| name.to_ascii_lowercase())
            .collect();
        if any(&dns_rules, &dns, Some('.')) {
            return Ok("allow-dns");
        }
        if any(&self.rules.uri, &identity.uris, Some('/')) {
            return Ok("allow-uri");
        }
        let pinned = self
            .spki
            .iter()
            .any(|pin| mtlskit::x509::hex(pin) == identity.spki_sha256);
        if pinned {
            return Ok("allow-spki");
        }
        Err(Refusal::new("NotAllowed", self.explain(identity)))
    }

    fn explain(&self, identity: &Identity) -> String {
        let mut rules = Vec::new();
        let mut seen = Vec::new();
        let mut add = |flag: &str, patterns: &[String], values: &[String]| {
            if !patterns.is_empty() {
                rules.push(format!("{flag} {}", patterns.join(",")));
                seen.push(format!(
                    "{}={}",
                    &flag[6..],
                    if values.is_empty() {
                        "(none)".to_owned()
                    } else {
                        values.join(",")
                    }
                ));
            }
        };
        add("allow-cn", &self.rules.cn, &identity.common_names);
        add("allow-ou", &self.rules.ou, &identity.organizational_units);
        add("allow-dns", &self.rules.dns, &identity.dns_names);
        add("allow-uri", &self.rules.uri, &identity.uris);
        add(
            "allow-spki",
            &self.rules.spki,
            std::slice::from_ref(&identity.spki_sha256),
        );
        format!(
            "{} is not allowed: no rule matched ({}); the certificate has {}",
            identity.subject,
            rules.join("; "),
            seen.join(" ")
        )
    }
}

/// Matches `value` against `pattern`: `*` matches any run of characters except `separator`,
/// `**` any run at all.
pub fn wildcard_match(pattern: &str, value: &str, separator: Option<char>) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let value: Vec<char> = value.chars().collect();
    matches_from(&pattern, &value, separator)
}

fn matches_from(pattern: &[char], value: &[char], separator: Option<char>) -> bool {
    let Some((&first, rest)) = pattern.split_first() else {
        return value.is_empty();
    };
    if first != '*' {
        return value.split_first().is_some_and(|(&character, value_rest)| {
            character == first && matches_from(rest, value_rest, separator)
        });
    }
    let (crosses, rest) = match rest.split_first() {
        Some(('*', after)) => (true, after),
        _ => (separator.is_none(), rest),
    };
    // Try every length for the wildcard; the patterns are short and written by operators.
    for taken in 0..=value.len() {
        let (consumed, remaining) = value.split_at(taken);
        if !crosses
            && consumed
                .iter()
                .any(|&character| Some(character) == separator)
        {
            return false;
        }
        if matches_from(rest, remaining, separator) {
            return true;
        }
    }
    false
}

fn parse_pin(pin: &str) -> Result<[u8; 32], ProxyError> {
    let text = pin
        .trim()
        .trim_start_matches("sha256//")
        .trim_start_matches("sha256:");
    let hex: String = text.chars().filter(|character| *character != ':').collect();
    let bytes = if hex.len() == 64 && hex.chars().all(|character| character.is_ascii_hexdigit()) {
        (0..32)
            .map(|index| u8::from_str_radix(hex.get(index * 2..index * 2 + 2).unwrap_or("zz"), 16))
            .collect::<Result<Vec<u8>, _>>()
            .ok()
    } else {
        Base64::decode_vec(text).ok()
    };
    bytes
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| {
            ProxyError::new(
                "ConfigInvalid",
                format!(
                    "'{pin}' is not a SHA-256 public key pin: give 64 hex digits or base64 of \
                     the SubjectPublicKeyInfo hash (openssl x509 -pubkey -noout | openssl pkey \
                     -pubin -outform der | sha256sum)"
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("client-*", "client-7", None));
        assert!(wildcard_match("*", "", None));
        assert!(!wildcard_match("client-*", "server-7", None));
        assert!(wildcard_match("*.example.com", "a.example.com", Some('.')));
        assert!(!wildcard_match(
            "*.example.com",
            "a.b.example.com",
            Some('.')
        ));
        let spiffe = "spiffe://example.org/ns/prod/sa/web";
        assert!(wildcard_match(
            "spiffe://example.org/ns/*/sa/*",
            spiffe,
            Some('/')
        ));
        assert!(!wildcard_match("spiffe://example.org/*", spiffe, Some('/')));
        assert!(wildcard_match("spiffe://example.org/**", spiffe, Some('/')));
        assert!(!wildcard_match(
            "spiffe://example.org/ns/*/sa/db",
            spiffe,
            Some('/')
        ));
    }

    fn identity() -> Identity {
        Identity {
            subject: "CN=alice,OU=payments".into(),
            common_names: vec!["alice".into()],
            organizational_units: vec!["payments".into()],
            dns_names: vec!["Alice.Example.com".into()],
            uris: vec!["spiffe://example.org/alice".into()],
            spki_sha256: "ab".repeat(32),
            ..Identity::default()
        }
    }

    #[test]
    fn any_rule_allows() {
        let acl = |rules: AllowConfig| Acl::new(&rules).unwrap_or_default();
        assert_eq!(
            acl(AllowConfig::default()).check(&identity()).ok(),
            Some("any verified client")
        );
        let by_ou = AllowConfig {
            cn: vec!["bob".into()],
            ou: vec!["pay*".into()],
            ..AllowConfig::default()
        };
        assert_eq!(acl(by_ou).check(&identity()).ok(), Some("allow-ou"));
        let by_dns = AllowConfig {
            dns: vec!["*.example.COM".into()],
            ..AllowConfig::default()
        };
        assert_eq!(acl(by_dns).check(&identity()).ok(), Some("allow-dns"));
        let by_pin = AllowConfig {
            spki: vec!["AB".repeat(32)],
            ..AllowConfig::default()
        };
        assert_eq!(acl(by_pin).check(&identity()).ok(), Some("allow-spki"));
        let refused = AllowConfig {
            cn: vec!["bob".into()],
            uri: vec!["spiffe://example.org/bob".into()],
            ..AllowConfig::default()
        };
        let refusal = acl(refused)
            .check(&identity())
            .err()
            .map(|refusal| refusal.to_string())
            .unwrap_or_default();
        assert!(
            refusal.contains("allow-cn bob") && refusal.contains("cn=alice"),
            "{refusal}"
        );
    }

    #[test]
    fn pins() {
        assert!(parse_pin(&"0a".repeat(32)).is_ok());
        assert!(parse_pin("sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=").is_ok());
        assert!(parse_pin("not a pin").is_err());
        assert!(parse_pin(&"0a".repeat(31)).is_err());
    }
}

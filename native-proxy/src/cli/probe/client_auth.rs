//! Client authentication as the server asked for it: the acceptable CA names of its
//! CertificateRequest, and whether our certificate chain leads to one of them, decided when
//! the request arrives, before our certificate is sent.

use mtlskit::verify::same_name;
use mtlskit::x509::name::{NameRef, parse_name};
use mtlskit::x509::{self, name};

/// How our certificate chain relates to the server's acceptable CA names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssuerCheck {
    /// The server listed no names: any issuer may do.
    AnyIssuer,
    /// A certificate of our chain was issued by (or is) this acceptable CA.
    Listed {
        /// The acceptable CA reached, RFC 4514.
        authority: String,
    },
    /// No certificate of our chain leads to an acceptable CA.
    NotListed {
        /// Our certificate's subject.
        subject: String,
        /// Our certificate's issuer.
        issuer: String,
        /// The issuer of the last certificate of our chain (the top we can see).
        top_issuer: String,
    },
}

impl IssuerCheck {
    /// The sentence for the report.
    pub fn describe(&self, acceptable: &[String]) -> String {
        match self {
            Self::AnyIssuer => "the server lists no acceptable CA names, so any issuer may do (it still verifies the certificate)".to_owned(),
            Self::Listed { authority } => {
                format!("your certificate chains to '{authority}', one of the acceptable CAs")
            }
            Self::NotListed {
                subject,
                issuer,
                top_issuer,
            } => {
                let mut text = format!(
                    "your certificate's issuer is not among the acceptable CAs: '{subject}' was issued by '{issuer}'"
                );
                if top_issuer != issuer {
                    text.push_str(&format!(", and your chain ends at '{top_issuer}'"));
                }
                text.push_str(&format!(
                    "; the server accepts certificates from {}",
                    quoted(acceptable)
                ));
                text
            }
        }
    }

    /// What to do about it, when something is wrong.
    pub fn hint(&self) -> Option<String> {
        let Self::NotListed { top_issuer, .. } = self else {
            return None;
        };
        Some(format!(
            "use a client certificate issued under one of the acceptable CAs; if '{top_issuer}' is itself issued by one of them, append its certificate to your --cert file (leaf first, then each issuer) so the server can build the chain"
        ))
    }
}

/// The acceptable CA names as RFC 4514 text (undecodable names as `#` + hex DER).
pub fn names(acceptable: &[Vec<u8>]) -> Vec<String> {
    acceptable
        .iter()
        .map(|der| match parse_name(der) {
            Ok(parsed) => name::rfc4514(&parsed),
            Err(_) => format!("#{}", x509::hex(der)),
        })
        .collect()
}

/// Whether `chain` (ours, leaf first) leads to one of the `acceptable` names: a certificate
/// of the chain issued by an acceptable CA, or an intermediate that is one.
pub fn check(chain: &[Vec<u8>], acceptable: &[Vec<u8>]) -> IssuerCheck {
    if acceptable.is_empty() {
        return IssuerCheck::AnyIssuer;
    }
    let authorities: Vec<NameRef<'_>> = acceptable
        .iter()
        .filter_map(|der| parse_name(der).ok())
        .collect();
    let certificates: Vec<x509::Certificate> = chain
        .iter()
        .filter_map(|der| x509::parse_certificate(der).ok())
        .collect();
    for (position, certificate) in certificates.iter().enumerate() {
        let mut candidates = vec![certificate.issuer()];
        if position > 0 {
            candidates.push(certificate.subject());
        }
        for candidate in candidates {
            if authorities
                .iter()
                .any(|authority| same_name(authority, &candidate))
            {
                return IssuerCheck::Listed {
                    authority: name::rfc4514(&candidate),
                };
            }
        }
    }
    let text = |pick: fn(&x509::Certificate) -> String, certificate: Option<&x509::Certificate>| {
        certificate.map(pick).unwrap_or_default()
    };
    IssuerCheck::NotListed {
        subject: text(|c| name::rfc4514(&c.subject()), certificates.first()),
        issuer: text(|c| name::rfc4514(&c.issuer()), certificates.first()),
        top_issuer: text(|c| name::rfc4514(&c.issuer()), certificates.last()),
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("'{name}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

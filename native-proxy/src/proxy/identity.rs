//! The identity of a verified peer: what the allow-lists match, what the access log shows and
//! what the identity headers and the PROXY protocol header carry.

use mtlskit::UnixTime;
use mtlskit::x509::{self, general_name, name};
use rustls::pki_types::CertificateDer;
use sha2::{Digest, Sha256};

const COMMON_NAME: &str = "2.5.4.3";
const ORGANIZATIONAL_UNIT: &str = "2.5.4.11";
const SUBJECT_ALT_NAME: &str = "2.5.29.17";

/// A client certificate's identity, taken from the chain the verifier accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The subject, RFC 4514.
    pub subject: String,
    /// Subject commonName values.
    pub common_names: Vec<String>,
    /// Subject organizationalUnitName values.
    pub organizational_units: Vec<String>,
    /// dNSName subjectAltNames.
    pub dns_names: Vec<String>,
    /// uniformResourceIdentifier subjectAltNames (SPIFFE IDs).
    pub uris: Vec<String>,
    /// rfc822Name subjectAltNames.
    pub emails: Vec<String>,
    /// iPAddress subjectAltNames, as text.
    pub ip_addresses: Vec<String>,
    /// notBefore.
    pub not_before: UnixTime,
    /// SHA-256 of the SubjectPublicKeyInfo, lowercase hex.
    pub spki_sha256: String,
    /// SHA-256 of the certificate, lowercase hex.
    pub certificate_sha256: String,
    /// Serial number, lowercase hex.
    pub serial: String,
    /// notAfter.
    pub not_after: UnixTime,
    /// The chain as the client sent it, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
}

impl Default for Identity {
    fn default() -> Self {
        Self {
            subject: String::new(),
            common_names: Vec::new(),
            organizational_units: Vec::new(),
            dns_names: Vec::new(),
            uris: Vec::new(),
            emails: Vec::new(),
            ip_addresses: Vec::new(),
            not_before: UnixTime(0),
            spki_sha256: String::new(),
            certificate_sha256: String::new(),
            serial: String::new(),
            not_after: UnixTime(0),
            chain: Vec::new(),
        }
    }
}

impl Identity {
    /// The identity of `chain[0]`; `None` when there is no certificate or it cannot be parsed
    /// (a verified chain always parses).
    pub fn from_chain(chain: &[CertificateDer<'_>]) -> Option<Self> {
        let leaf = chain.first()?;
        let certificate = x509::parse_certificate(leaf).ok()?;
        let subject = certificate.subject();
        let attributes = name::attributes(&subject);
        let values = |oid: &str| {
            attributes
                .iter()
                .filter(|attribute| attribute.oid == oid)
                .map(|attribute| attribute.value.clone())
                .collect()
        };
        let mut identity = Self {
            subject: name::rfc4514(&subject),
            common_names: values(COMMON_NAME),
            organizational_units: values(ORGANIZATIONAL_UNIT),
            spki_sha256: x509::hex(&Sha256::digest(certificate.spki_der())),
            certificate_sha256: x509::hex(&Sha256::digest(leaf.as_ref())),
            serial: x509::integer_hex(certificate.serial()),
            not_before: certificate.not_before(),
            not_after: certificate.not_after(),
            chain: chain
                .iter()
                .map(|certificate| certificate.clone().into_owned())
                .collect(),
            ..Self::default()
        };
        let san = certificate
            .extensions()
            .find(|extension| x509::dotted(&extension.oid) == SUBJECT_ALT_NAME);
        if let Some(extension) = san {
            for name in general_name::decode_lenient(extension.value).ok()? {
                match name.name_type {
                    "dns" => identity.dns_names.push(name.value),
                    "uri" => identity.uris.push(name.value),
                    "email" => identity.emails.push(name.value),
                    "ip" => identity.ip_addresses.push(name.value),
                    _ => {}
                }
            }
        }
        Some(identity)
    }

    /// The first commonName, for logs and the PROXY protocol header.
    pub fn common_name(&self) -> Option<&str> {
        self.common_names.first().map(String::as_str)
    }

    /// Writes a short description for logs: the subject, and the URI SANs when there are some.
    pub fn describe(&self, out: &mut impl std::fmt::Write) -> std::fmt::Result {
        out.write_str(&self.subject)?;
        let Some((first, others)) = self.uris.split_first() else {
            return Ok(());
        };
        write!(out, " ({first}")?;
        for uri in others {
            write!(out, ", {uri}")?;
        }
        out.write_str(")")
    }
}

//! The verified identity: what a server's access rules look at once a client's chain has
//! verified (subject attributes, every subjectAltName, the key's SHA-256, serial, notAfter).

use core::net::IpAddr;

use crate::x509::general_name::GeneralNameRef as GeneralName;
use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::UnixTime;
use crate::x509::name::{Attribute, attributes};

use super::certificate::ParsedCertificate;

/// Who the leaf of a verified path is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Identity {
    /// The subject's attributes in DER order (most significant first), e.g. `C`, `O`, `CN`.
    pub subject: Vec<Attribute>,
    /// dNSName subjectAltNames, as written.
    pub dns_names: Vec<String>,
    /// iPAddress subjectAltNames.
    #[cfg_attr(feature = "typescript", ts(as = "Vec<String>"))]
    pub ip_addresses: Vec<IpAddr>,
    /// rfc822Name subjectAltNames.
    pub emails: Vec<String>,
    /// uniformResourceIdentifier subjectAltNames, SPIFFE IDs (`spiffe://domain/path`)
    /// included; see [`Identity::spiffe_id`].
    pub uris: Vec<String>,
    /// SHA-256 of the DER SubjectPublicKeyInfo (the RFC 7469 pin), hex in JSON.
    #[serde(serialize_with = "lower_hex")]
    #[cfg_attr(feature = "typescript", ts(as = "String"))]
    pub spki_sha256: [u8; 32],
    /// The serial number, hex as `openssl x509 -serial` prints it.
    pub serial: String,
    /// notAfter, RFC 3339 in JSON.
    #[serde(serialize_with = "rfc3339")]
    #[cfg_attr(feature = "typescript", ts(as = "String"))]
    pub not_after: UnixTime,
}

impl Identity {
    /// The SPIFFE ID (SPIFFE X509-SVID section 2: the URI SAN with the `spiffe` scheme), when
    /// the certificate has exactly one URI SAN and it is one.
    pub fn spiffe_id(&self) -> Option<&str> {
        match self.uris.as_slice() {
            [uri]
                if uri
                    .get(..9)
                    .is_some_and(|scheme| scheme.eq_ignore_ascii_case("spiffe://")) =>
            {
                Some(uri)
            }
            _ => None,
        }
    }

    /// The value of the first subject attribute of type `name` (`CN`, `O`, `OU`, ... or a
    /// dotted OID).
    pub fn subject_attribute(&self, name: &str) -> Option<&str> {
        self.subject
            .iter()
            .find(|attribute| attribute.attribute_type == name || attribute.oid == name)
            .map(|attribute| attribute.value.as_str())
    }

    /// The identity of `certificate`.
    pub(crate) fn of(certificate: &ParsedCertificate) -> Self {
        let mut identity = Self {
            subject: attributes(&certificate.subject_name()),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            emails: Vec::new(),
            uris: Vec::new(),
            spki_sha256: Sha256::digest(certificate.spki_der()).into(),
            serial: certificate.serial_hex(),
            not_after: certificate.not_after,
        };
        for name in certificate.alt_names() {
            identity.add(&name);
        }
        identity
    }

    fn add(&mut self, name: &GeneralName<'_>) {
        match *name {
            GeneralName::Dns(dns) => self.dns_names.push(dns.to_owned()),
            GeneralName::Rfc822(email) => self.emails.push(email.to_owned()),
            GeneralName::Uri(uri) => self.uris.push(uri.to_owned()),
            GeneralName::Ip(bytes) => {
                if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
                    self.ip_addresses.push(IpAddr::from(v4));
                } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
                    self.ip_addresses.push(IpAddr::from(v6));
                }
            }
            _ => {}
        }
    }
}

fn lower_hex<S: Serializer>(bytes: &[u8; 32], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&crate::x509::hex(bytes))
}

fn rfc3339<S: Serializer>(time: &UnixTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&time.to_rfc3339())
}

//! The CA side of issuance: a CA certificate with its private key, checked to belong
//! together and to be allowed to issue.

use der::{Decode, Encode, Tag, Tagged};
use rcgen::{DistinguishedName, DnType, DnValue, KeyIdMethod};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, SubjectKeyIdentifier};
use x509_cert::name::Name;

use crate::Error;
use crate::crypto::{PublicKey, SigningKey};

/// A CA that can sign certificates: its certificate and the matching private key.
#[derive(Debug)]
pub struct Issuer {
    certificate_der: Vec<u8>,
    key: SigningKey,
    subject_der: Vec<u8>,
    subject_text: String,
    key_identifier: Vec<u8>,
    path_length: Option<u8>,
    distinguished_name: DistinguishedName,
}

impl Issuer {
    /// Pairs the DER CA certificate `certificate_der` with its private `key`.
    ///
    /// Fails with [`Error::CaKeyMismatch`] when the key is not the certificate's, and with
    /// [`Error::NotCa`] when the certificate is not a CA (basicConstraints
    /// cA=TRUE and, when keyUsage is present, keyCertSign; RFC 5280 section 4.2.1.9).
    pub fn new(certificate_der: &[u8], key: SigningKey) -> Result<Self, Error> {
        let certificate =
            Certificate::from_der(certificate_der).map_err(|e| Error::der("certificate", e))?;
        let tbs = certificate.tbs_certificate();
        let subject_text = tbs.subject().to_string();
        let spki_der = tbs
            .subject_public_key_info()
            .to_der()
            .map_err(|e| Error::der("certificate", e))?;
        let certificate_key = PublicKey::from_spki_der(&spki_der)?;
        if certificate_key.der_bytes() != key.public_key().der_bytes() {
            return Err(Error::CaKeyMismatch {
                subject: subject_text,
            });
        }
        let basic_constraints = tbs
            .get_extension::<BasicConstraints>()
            .map_err(|e| Error::der("basicConstraints", e))?;
        let key_usage = tbs
            .get_extension::<KeyUsage>()
            .map_err(|e| Error::der("keyUsage", e))?;
        let is_ca = basic_constraints.as_ref().is_some_and(|(_, bc)| bc.ca);
        let can_sign = key_usage.is_none_or(|(_, usage)| usage.key_cert_sign());
        if !is_ca || !can_sign {
            return Err(Error::NotCa {
                subject: subject_text,
            });
        }
        let key_identifier = tbs
            .get_extension::<SubjectKeyIdentifier>()
            .map_err(|e| Error::der("subjectKeyIdentifier", e))?
            .map(|(_, ski)| ski.0.as_bytes().to_vec())
            .unwrap_or_else(|| certificate_key.key_identifier());
        Ok(Self {
            certificate_der: certificate_der.to_vec(),
            subject_der: tbs.subject().to_der().map_err(|e| Error::der("name", e))?,
            distinguished_name: to_rcgen_name(tbs.subject())?,
            path_length: basic_constraints.and_then(|(_, bc)| bc.path_len_constraint),
            key,
            subject_text,
            key_identifier,
        })
    }

    /// The CA certificate (DER).
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// The CA's private key.
    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// The CA's subject, as text (RFC 4514).
    pub fn subject(&self) -> &str {
        &self.subject_text
    }

    /// The CA's pathLenConstraint, if any.
    pub fn path_length(&self) -> Option<u8> {
        self.path_length
    }

    pub(crate) fn subject_der(&self) -> &[u8] {
        &self.subject_der
    }

    pub(crate) fn to_rcgen(&self) -> rcgen::Issuer<'static, &SigningKey> {
        let mut params = rcgen::CertificateParams::default();
        params.distinguished_name = self.distinguished_name.clone();
        params.key_identifier_method = KeyIdMethod::PreSpecified(self.key_identifier.clone());
        rcgen::Issuer::new(params, &self.key)
    }
}

/// Converts a parsed name into rcgen's form, keeping each attribute's string type so the
/// issuer name of a new certificate matches the CA's subject byte for byte.
pub(crate) fn to_rcgen_name(name: &Name) -> Result<DistinguishedName, Error> {
    let mut converted = DistinguishedName::new();
    for attribute in name.iter() {
        let arcs: Vec<u64> = attribute.oid.arcs().map(u64::from).collect();
        let value = &attribute.value;
        let text = || String::from_utf8(value.value().to_vec()).map_err(|_| unsupported_name());
        let value = match value.tag() {
            Tag::PrintableString => DnValue::PrintableString(
                rcgen::string::PrintableString::try_from(text()?)
                    .map_err(|_| unsupported_name())?,
            ),
            Tag::Ia5String => DnValue::Ia5String(
                rcgen::string::Ia5String::try_from(text()?).map_err(|_| unsupported_name())?,
            ),
            Tag::Utf8String => DnValue::Utf8String(text()?),
            Tag::TeletexString => DnValue::TeletexString(
                rcgen::string::TeletexString::try_from(text()?).map_err(|_| unsupported_name())?,
            ),
            Tag::BmpString => DnValue::BmpString(
                rcgen::string::BmpString::from_utf16be(value.value().to_vec())
                    .map_err(|_| unsupported_name())?,
            ),
            _ => return Err(unsupported_name()),
        };
        converted.push(DnType::from_oid(&arcs), value);
    }
    Ok(converted)
}

fn unsupported_name() -> Error {
    Error::Issuance {
        detail: "the name uses an attribute encoding mtlskit cannot reproduce".into(),
    }
}

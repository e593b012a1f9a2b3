//! The CA side of issuance: a CA certificate with its private key, checked to belong
//! together and to be allowed to issue.

use crate::Error;
use crate::crypto::{PublicKey, SigningKey};
use crate::x509::raw_issuer_and_subject;

/// A CA that can sign certificates: its certificate and the matching private key.
#[derive(Debug)]
pub struct Issuer {
    certificate_der: Vec<u8>,
    key: SigningKey,
    subject_der: Vec<u8>,
    subject_text: String,
    key_identifier: Vec<u8>,
    path_length: Option<u8>,
}

impl Issuer {
    /// Pairs the DER CA certificate `certificate_der` with its private `key`.
    ///
    /// Fails with [`Error::CaKeyMismatch`] when the key is not the certificate's, and with
    /// [`Error::NotCa`] when the certificate is not a CA (basicConstraints
    /// cA=TRUE and, when keyUsage is present, keyCertSign; RFC 5280 section 4.2.1.9).
    pub fn new(certificate_der: &[u8], key: SigningKey) -> Result<Self, Error> {
        let certificate = super::bundle::parse_rfc5280(certificate_der)?;
        let subject_text = crate::x509::display_name::display(&certificate.subject());
        let certificate_key = PublicKey::from_spki_der(certificate.spki_der())?;
        if certificate_key.der_bytes() != key.public_key().der_bytes() {
            return Err(Error::CaKeyMismatch {
                subject: subject_text,
            });
        }
        let basic_constraints = super::bundle::basic_constraints(&certificate)?;
        let key_usage = super::bundle::key_cert_sign(&certificate)?;
        let is_ca = basic_constraints.is_some_and(|(ca, _)| ca);
        let can_sign = key_usage.is_none_or(|key_cert_sign| key_cert_sign);
        if !is_ca || !can_sign {
            return Err(Error::NotCa {
                subject: subject_text,
            });
        }
        let key_identifier = super::bundle::subject_key_identifier(&certificate)?
            .map(<[u8]>::to_vec)
            .unwrap_or_else(|| certificate_key.key_identifier());
        Ok(Self {
            certificate_der: certificate_der.to_vec(),
            subject_der: raw_issuer_and_subject(certificate_der)?.1.to_vec(),
            path_length: basic_constraints.and_then(|(_, path_length)| path_length),
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

    /// The key identifier for the authorityKeyIdentifier of the certificates it signs: its
    /// subjectKeyIdentifier, or the RFC 7093 one of its key when it has none.
    pub(crate) fn key_identifier(&self) -> &[u8] {
        &self.key_identifier
    }
}

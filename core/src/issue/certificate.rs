//! Issued items: a certificate or a CSR, as DER with a PEM view.

use sha2::{Digest, Sha256};

use crate::Error;
use crate::crypto::keys::pem;

/// A newly issued certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCertificate {
    der: Vec<u8>,
}

impl IssuedCertificate {
    pub(crate) fn new(der: Vec<u8>) -> Self {
        Self { der }
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The PEM encoding (`CERTIFICATE`).
    pub fn pem(&self) -> Result<String, Error> {
        pem("CERTIFICATE", &self.der)
    }

    /// SHA-256 fingerprint of the DER, as colon-separated upper-case hex (like
    /// `openssl x509 -fingerprint -sha256`).
    pub fn fingerprint_sha256(&self) -> String {
        fingerprint(&self.der)
    }
}

/// A certificate signing request (PKCS#10, RFC 2986).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRequest {
    der: Vec<u8>,
}

impl CertificateRequest {
    pub(crate) fn new(der: Vec<u8>) -> Self {
        Self { der }
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The PEM encoding (`CERTIFICATE REQUEST`).
    pub fn pem(&self) -> Result<String, Error> {
        pem("CERTIFICATE REQUEST", &self.der)
    }
}

/// SHA-256 of `der` as colon-separated upper-case hex.
pub fn fingerprint(der: &[u8]) -> String {
    let digest = Sha256::digest(der);
    let hex: Vec<String> = digest.iter().map(|byte| format!("{byte:02X}")).collect();
    hex.join(":")
}

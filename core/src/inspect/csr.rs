//! The reports for CSRs (RFC 2986) and CRLs (RFC 5280 section 5).

use der::{Decode, Encode, asn1::ObjectIdentifier};
use serde::Serialize;
use x509_cert::ext::Extensions;

use super::{Source, certificate::Fingerprints};
use crate::{
    Error, UnixTime, crypto,
    x509::{
        self, algorithm,
        extensions::{self, ExtensionReport, ExtensionValue},
        general_name::GeneralNameReport,
        name::{self, Attribute},
        public_key::{self, PublicKeyReport},
    },
};

/// `extensionRequest` (PKCS#9, RFC 2985 section 5.4.2).
const EXTENSION_REQUEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.14");

/// Everything about one CSR.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CsrReport {
    /// Where it came from.
    pub source: Source,
    /// RFC 4514 string.
    pub subject: String,
    /// Subject attributes in DER order.
    pub subject_attributes: Vec<Attribute>,
    /// The key to be certified.
    pub public_key: PublicKeyReport,
    /// The requested subject alternative names.
    pub subject_alt_names: Vec<GeneralNameReport>,
    /// Every requested extension.
    pub requested_extensions: Vec<ExtensionReport>,
    /// The self-signature's algorithm.
    pub signature_algorithm: String,
    /// Whether the self-signature verifies (`null` when the algorithm is not supported).
    pub signature_valid: Option<bool>,
    /// Hashes of the DER CSR.
    pub fingerprints: Fingerprints,
    /// The CSR as PEM.
    pub pem: String,
}

/// Everything about one CRL.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlReport {
    /// Where it came from.
    pub source: Source,
    /// RFC 4514 string.
    pub issuer: String,
    /// RFC 3339, UTC.
    pub this_update: String,
    /// RFC 3339, UTC; `null` when absent.
    pub next_update: Option<String>,
    /// Whether nextUpdate has passed at the inspection time.
    pub stale: bool,
    /// The signature's algorithm.
    pub signature_algorithm: String,
    /// The revoked certificates.
    pub revoked: Vec<RevokedReport>,
    /// The CRL's extensions.
    pub extensions: Vec<ExtensionReport>,
}

/// One revoked certificate.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RevokedReport {
    /// Lowercase hex.
    pub serial: String,
    /// RFC 3339, UTC.
    pub revocation_date: String,
}

pub(super) fn report(der: &[u8], source: Source) -> Result<CsrReport, Error> {
    let csr = x509::parse_csr(der)?;
    let requested_extensions = requested_extensions(&csr.info.attributes);
    let subject_alt_names = requested_extensions
        .iter()
        .find_map(|extension| match (&*extension.name, &extension.value) {
            ("subjectAltName", ExtensionValue::GeneralNames(names)) => Some(names.clone()),
            _ => None,
        })
        .unwrap_or_default();
    Ok(CsrReport {
        source,
        subject: name::rfc4514(&csr.info.subject),
        subject_attributes: name::attributes(&csr.info.subject),
        public_key: public_key::describe(&csr.info.public_key),
        subject_alt_names,
        requested_extensions,
        signature_algorithm: algorithm::signature_name(&csr.algorithm.oid),
        signature_valid: signature_valid(&csr),
        fingerprints: super::certificate::fingerprints(der),
        pem: crate::decode::public_base64::pem("CERTIFICATE REQUEST", der),
    })
}

pub(super) fn crl_report(der: &[u8], source: Source, at: UnixTime) -> Result<CrlReport, Error> {
    let crl = x509::parse_crl(der)?;
    Ok(CrlReport {
        source,
        issuer: name::rfc4514(&crl.issuer),
        this_update: crl.this_update.to_rfc3339(),
        next_update: crl.next_update.map(UnixTime::to_rfc3339),
        stale: crl.next_update.is_some_and(|next| next < at),
        signature_algorithm: algorithm::signature_name(&crl.signature_algorithm.oid),
        revoked: crl
            .revoked
            .iter()
            .map(|revoked| RevokedReport {
                serial: x509::integer_hex(&revoked.serial),
                revocation_date: revoked.revocation_date.to_rfc3339(),
            })
            .collect(),
        extensions: extensions::describe_all(crl.extensions.as_ref()),
    })
}

fn requested_extensions(attributes: &x509_cert::attr::Attributes) -> Vec<ExtensionReport> {
    attributes
        .iter()
        .filter(|attribute| attribute.oid == EXTENSION_REQUEST)
        .flat_map(|attribute| attribute.values.iter())
        .filter_map(|value| value.to_der().ok())
        .filter_map(|der| Extensions::from_der(&der).ok())
        .flat_map(|list| list.iter().map(extensions::describe).collect::<Vec<_>>())
        .collect()
}

fn signature_valid(csr: &x509::Csr) -> Option<bool> {
    let message = csr.info.to_der().ok()?;
    let signature = csr.signature.as_bytes()?;
    let policy = crypto::SignaturePolicy::default();
    let public_key = csr.info.public_key.to_der().ok()?;
    let algorithm = csr.algorithm.to_der().ok()?;
    match crypto::verify_signature(&public_key, &algorithm, &message, signature, policy) {
        Ok(()) => Some(true),
        Err(Error::UnsupportedAlgorithm { .. }) => None,
        Err(_) => Some(false),
    }
}

//! The reports for CSRs (RFC 2986) and CRLs (RFC 5280 section 5).

use serde::Serialize;

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
    let requested_extensions = requested_extensions(&csr);
    let subject_alt_names = requested_extensions
        .iter()
        .find_map(|extension| match (&*extension.name, &extension.value) {
            ("subjectAltName", ExtensionValue::GeneralNames(names)) => Some(names.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let subject = csr.subject();
    Ok(CsrReport {
        source,
        subject: name::rfc4514(&subject),
        subject_attributes: name::attributes(&subject),
        public_key: public_key::describe_ref(&csr.public_key()?),
        subject_alt_names,
        requested_extensions,
        signature_algorithm: algorithm::signature_name(csr.signature_algorithm_oid()),
        signature_valid: signature_valid(&csr),
        fingerprints: super::certificate::fingerprints(der),
        pem: crate::decode::public_base64::pem("CERTIFICATE REQUEST", der),
    })
}

pub(super) fn crl_report(der: &[u8], source: Source, at: UnixTime) -> Result<CrlReport, Error> {
    let crl = x509::parse_crl(der)?;
    Ok(CrlReport {
        source,
        issuer: name::rfc4514(&crl.issuer()),
        this_update: crl.this_update.to_rfc3339(),
        next_update: crl.next_update.map(UnixTime::to_rfc3339),
        stale: crl.next_update.is_some_and(|next| next < at),
        signature_algorithm: algorithm::signature_name(crl.signature_algorithm_oid()),
        revoked: crl
            .revoked()
            .map(|revoked| RevokedReport {
                serial: x509::integer_hex(revoked.serial),
                revocation_date: revoked.revocation_date.to_rfc3339(),
            })
            .collect(),
        extensions: crl
            .extensions()
            .unwrap_or_default()
            .iter()
            .map(|extension| {
                extensions::describe_parts(&extension.oid, extension.critical, extension.value)
            })
            .collect(),
    })
}

/// Every extension of the readable extensionRequests (unreadable ones are skipped).
fn requested_extensions(csr: &x509::Csr) -> Vec<ExtensionReport> {
    csr.extension_requests()
        .into_iter()
        .flatten()
        .flat_map(|list| {
            list.iter()
                .map(|extension| {
                    extensions::describe_parts(&extension.oid, extension.critical, extension.value)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether the self-signature verifies over the CertificationRequestInfo as received
/// (`None` when the algorithm is not supported).
fn signature_valid(csr: &x509::Csr) -> Option<bool> {
    if csr.signature_unused_bits() != 0 {
        return None;
    }
    let policy = crypto::SignaturePolicy::default();
    match crypto::verify_signature(
        csr.public_key_der(),
        csr.signature_algorithm_der(),
        csr.info_der(),
        csr.signature(),
        policy,
    ) {
        Ok(()) => Some(true),
        Err(Error::UnsupportedAlgorithm { .. }) => None,
        Err(_) => Some(false),
    }
}

#[cfg(test)]
pub(super) mod tests {
    //! The CSR report on the core's `Csr` against the report on `x509-cert`'s `CertReq` it
    //! replaces (the old code, test-only here), on the corpora's CSRs and every one-byte change
    //! and truncation of them.
    use der::{Decode, Encode};
    use x509_cert::ext::Extensions;
    use x509_cert::request::CertReq;

    use super::*;

    pub(in crate::inspect) fn source() -> Source {
        Source {
            file: "test.csr".to_owned(),
            index: 0,
            container: None,
            alias: None,
        }
    }

    const EXTENSION_REQUEST: der::asn1::ObjectIdentifier =
        der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.14");

    pub(in crate::inspect) fn report_before(der: &[u8]) -> Result<(CsrReport, Vec<u8>), Error> {
        let csr = CertReq::from_der(der).map_err(|error| Error::der("CSR", error))?;
        let requested_extensions: Vec<ExtensionReport> = csr
            .info
            .attributes
            .iter()
            .filter(|attribute| attribute.oid == EXTENSION_REQUEST)
            .flat_map(|attribute| attribute.values.iter())
            .filter_map(|value| value.to_der().ok())
            .filter_map(|der| Extensions::from_der(&der).ok())
            .flat_map(|list| list.iter().map(extensions::describe).collect::<Vec<_>>())
            .collect();
        let subject_alt_names = requested_extensions
            .iter()
            .find_map(|extension| match (&*extension.name, &extension.value) {
                ("subjectAltName", ExtensionValue::GeneralNames(names)) => Some(names.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let message = csr.info.to_der().unwrap();
        let signature_valid = (|| {
            let signature = csr.signature.as_bytes()?;
            let public_key = csr.info.public_key.to_der().ok()?;
            let algorithm = csr.algorithm.to_der().ok()?;
            let policy = crypto::SignaturePolicy::default();
            match crypto::verify_signature(&public_key, &algorithm, &message, signature, policy) {
                Ok(()) => Some(true),
                Err(Error::UnsupportedAlgorithm { .. }) => None,
                Err(_) => Some(false),
            }
        })();
        let report = CsrReport {
            source: source(),
            subject: name::rfc4514(&csr.info.subject),
            subject_attributes: name::attributes(&csr.info.subject),
            public_key: public_key::describe(&csr.info.public_key),
            subject_alt_names,
            requested_extensions,
            signature_algorithm: algorithm::signature_name(&csr.algorithm.oid),
            signature_valid,
            fingerprints: super::super::certificate::fingerprints(der),
            pem: crate::decode::public_base64::pem("CERTIFICATE REQUEST", der),
        };
        Ok((report, message))
    }

    /// The CRL report on `x509-cert`'s `CertificateList` it replaces (test-only).
    fn crl_report_before(der: &[u8], at: UnixTime) -> Result<CrlReport, Error> {
        use x509_cert::crl::CertificateList;
        let crl = CertificateList::<x509_cert::certificate::Raw>::from_der(der)
            .map_err(|error| Error::der("CRL", error))?;
        let tbs = &crl.tbs_cert_list;
        let next_update = tbs.next_update.as_ref().map(UnixTime::from_x509);
        Ok(CrlReport {
            source: source(),
            issuer: name::rfc4514(&tbs.issuer),
            this_update: UnixTime::from_x509(&tbs.this_update).to_rfc3339(),
            next_update: next_update.map(UnixTime::to_rfc3339),
            stale: next_update.is_some_and(|next| next < at),
            signature_algorithm: algorithm::signature_name(&crl.signature_algorithm.oid),
            revoked: tbs
                .revoked_certificates
                .iter()
                .flatten()
                .map(|revoked| RevokedReport {
                    serial: x509::integer_hex(revoked.serial_number.as_bytes()),
                    revocation_date: UnixTime::from_x509(&revoked.revocation_date).to_rfc3339(),
                })
                .collect(),
            extensions: extensions::describe_all(tbs.crl_extensions.as_ref()),
        })
    }

    /// The CRL report read with the core's reader is the report read with `x509-cert`: the
    /// same JSON, or both refused with the same code, on the CRL corpus and every one-byte
    /// change and truncation of it.
    #[test]
    fn reports_every_corpus_crl_and_change_as_before() {
        let corpus = x509::crl::tests::corpus();
        let changed = x509::test_corpus::one_byte_changes(
            corpus.clone(),
            1,
            &[0x00, 0x01, 0x05, 0x0c, 0x13, 0x17, 0x30, 0x80, 0xa0, 0xff],
            &[0x01, 0x80],
        );
        let at = UnixTime(1_800_000_000);
        let mut compared = 0usize;
        for der in corpus.iter().chain(&changed) {
            match (crl_report(der, source(), at), crl_report_before(der, at)) {
                (Ok(new), Ok(old)) => {
                    assert_eq!(
                        serde_json::to_value(&new).unwrap(),
                        serde_json::to_value(&old).unwrap(),
                        "{der:02x?}"
                    );
                    compared += 1;
                }
                (Err(new), Err(old)) => assert_eq!(new.code(), old.code()),
                (new, old) => panic!("{der:02x?}: {new:?} / {old:?}"),
            }
        }
        eprintln!("{compared} CRL reports compared");
        assert!(compared > 1_000, "{compared}");
    }

    #[test]
    fn reports_every_corpus_csr_and_change_as_before() {
        let corpus = x509::csr::tests::corpus();
        let changed = x509::test_corpus::one_byte_changes(
            corpus.clone(),
            1,
            &[0x00, 0x01, 0x05, 0x0c, 0x13, 0x30, 0x80, 0xa0, 0xff],
            &[0x01, 0x80],
        );
        let (mut compared, mut verified, mut re_encoded) = (0usize, 0usize, 0usize);
        for der in corpus.iter().chain(&changed) {
            let new = report(der, source());
            let old = report_before(der);
            match (new, old) {
                (Ok(mut new), Ok((old, message))) => {
                    if x509::parse_csr(der).unwrap().info_der() != message {
                        // The old report checked the signature over x509-cert's re-encoding
                        // (attributes or RDN members sorted), which is not what was signed.
                        re_encoded += 1;
                        new.signature_valid = old.signature_valid;
                    }
                    verified += usize::from(new.signature_valid == Some(true));
                    assert_eq!(
                        serde_json::to_value(&new).unwrap(),
                        serde_json::to_value(&old).unwrap(),
                        "{der:02x?}"
                    );
                    compared += 1;
                }
                (Err(new), Err(old)) => assert_eq!(new.code(), old.code()),
                (new, old) => panic!("{der:02x?}: {new:?} / {old:?}"),
            }
        }
        eprintln!("{compared} reports, {verified} verified, {re_encoded} re-encoded");
        assert!(
            compared > 1_000 && verified >= corpus.len(),
            "{compared} {verified}"
        );
    }
}

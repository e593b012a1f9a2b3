//! Revocation with caller-supplied CRLs (RFC 5280 sections 5 and 6.3).
//!
//! A CRL covers a certificate of the path when its issuer name equals the certificate's issuer;
//! its signature must verify with the key of the next certificate up the path. A covering CRL
//! must be usable (version 2 with a cRLNumber, issuer allowed to sign CRLs, no unknown critical
//! extension, thisUpdate not in the future) and current (nextUpdate not passed: a stale CRL is a
//! failure, since it proves nothing). The serial number listed in it means revoked. Certificates
//! no supplied CRL covers are not checked: mtlskit does no network fetching.

use std::collections::HashMap;

use const_oid::ObjectIdentifier;
use der::Decode;
use x509_cert::crl::CertificateList;

use crate::{Error, UnixTime};

use super::Options;
use super::budget::{Budget, Work};
use super::certificate::{ParsedCertificate, tbs_bytes};
use super::usage::allows_crl_signing;

const CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
const AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const ISSUING_DISTRIBUTION_POINT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.28");
const REASON_CODE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");
const INVALIDITY_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.24");

/// A decoded CRL.
#[derive(Debug, Clone)]
pub(crate) struct ParsedCrl {
    list: CertificateList,
    tbs: Vec<u8>,
    issuer: Vec<u8>,
}

impl ParsedCrl {
    /// Decodes the items that are CRLs; others are ignored.
    pub(crate) fn parse_all(items: &[super::Item]) -> Vec<Self> {
        items
            .iter()
            .filter_map(|item| Self::parse(&item.der))
            .collect()
    }

    pub(crate) fn parse(der: &[u8]) -> Option<Self> {
        let list = CertificateList::from_der(der).ok()?;
        let tbs = tbs_bytes(der)?;
        let issuer = super::certificate::comparable_name(&list.tbs_cert_list.issuer);
        Some(Self { list, tbs, issuer })
    }
}

/// The CRLs of one verification, indexed by issuer name, with their signature results.
#[derive(Debug)]
pub(crate) struct Revocation<'a> {
    crls: &'a [ParsedCrl],
    by_issuer: HashMap<&'a [u8], Vec<usize>>,
    /// Signature results by (CRL index, DER of the issuer's public key).
    signatures: HashMap<(usize, Vec<u8>), Result<(), Error>>,
}

impl<'a> Revocation<'a> {
    pub(crate) fn new(crls: &'a [ParsedCrl]) -> Self {
        let mut by_issuer: HashMap<&'a [u8], Vec<usize>> = HashMap::new();
        for (index, crl) in crls.iter().enumerate() {
            by_issuer.entry(&crl.issuer).or_default().push(index);
        }
        Self {
            crls,
            by_issuer,
            signatures: HashMap::new(),
        }
    }

    /// Checks each certificate of `chain` but the anchor against the CRLs that cover it.
    pub(crate) fn check_path(
        &mut self,
        chain: &[&ParsedCertificate],
        options: &Options,
        budget: &mut Budget,
    ) -> Result<(), (usize, Error)> {
        for (position, pair) in chain.windows(2).enumerate() {
            let [certificate, issuer] = pair else {
                continue;
            };
            let covering = self
                .by_issuer
                .get(certificate.issuer.as_slice())
                .cloned()
                .unwrap_or_default();
            for index in covering {
                let Some(crl) = self.crls.get(index) else {
                    continue;
                };
                self.check_signature(index, issuer, options, budget)
                    .map_err(|error| (position, error))?;
                check_crl(crl, certificate, issuer, options.time)
                    .map_err(|error| (position, error))?;
            }
        }
        Ok(())
    }

    /// A CRL claiming the issuer's name but signed by another key is refused, not ignored.
    fn check_signature(
        &mut self,
        index: usize,
        issuer: &ParsedCertificate,
        options: &Options,
        budget: &mut Budget,
    ) -> Result<(), Error> {
        let key = (index, issuer.spki_der.clone());
        if let Some(result) = self.signatures.get(&key) {
            return result.clone();
        }
        budget.spend(Work::Signature, 1)?;
        let result = match self.crls.get(index) {
            Some(crl) => verify_signature(crl, issuer, options),
            None => Err(Error::BadSignature),
        };
        self.signatures.insert(key, result.clone());
        result
    }
}

// ---- helpers ----

fn verify_signature(
    crl: &ParsedCrl,
    issuer: &ParsedCertificate,
    options: &Options,
) -> Result<(), Error> {
    let signature = crl.list.signature.as_bytes().ok_or(Error::BadSignature)?;
    crate::crypto::verify_signature(
        issuer.spki(),
        &crl.list.signature_algorithm,
        &crl.tbs,
        signature,
        options.signature_policy(),
    )
    .map_err(|error| {
        invalid(&format!(
            "its signature does not verify with the issuer's key ({error})"
        ))
    })
}

fn check_crl(
    crl: &ParsedCrl,
    certificate: &ParsedCertificate,
    issuer: &ParsedCertificate,
    time: UnixTime,
) -> Result<(), Error> {
    let tbs = &crl.list.tbs_cert_list;
    if !allows_crl_signing(issuer.extensions.key_usage.as_ref()) {
        return Err(invalid(
            "the CRL issuer's keyUsage lacks cRLSign (RFC 5280 4.2.1.3)",
        ));
    }
    if tbs.signature != crl.list.signature_algorithm {
        return Err(invalid("signature algorithms differ (RFC 5280 5.1.1.2)"));
    }
    check_extensions(crl)?;
    if UnixTime::from_x509(&tbs.this_update) > time {
        return Err(invalid("thisUpdate is in the future (RFC 5280 6.3.3 (a))"));
    }
    if let Some(next_update) = &tbs.next_update {
        let next_update = UnixTime::from_x509(next_update);
        if next_update < time {
            return Err(Error::StaleCrl {
                next_update: next_update.to_rfc3339(),
            });
        }
    }
    let serial = certificate.certificate.tbs_certificate().serial_number();
    for entry in tbs.revoked_certificates.iter().flatten() {
        let entry_extensions = entry.crl_entry_extensions.iter().flatten();
        if let Some(unknown) = entry_extensions
            .filter(|extension| extension.critical)
            .find(|extension| {
                extension.extn_id != REASON_CODE && extension.extn_id != INVALIDITY_DATE
            })
        {
            return Err(invalid(&format!(
                "unsupported critical entry extension {}",
                unknown.extn_id
            )));
        }
        if entry.serial_number == *serial {
            return Err(Error::Revoked {
                serial: certificate.serial_hex(),
            });
        }
    }
    Ok(())
}

/// Version 2, a cRLNumber (RFC 5280 5.2.3), no critical extension mtlskit does not process
/// (delta CRLs and issuing distribution points are not supported, 6.3.3 (b)).
fn check_extensions(crl: &ParsedCrl) -> Result<(), Error> {
    let tbs = &crl.list.tbs_cert_list;
    if tbs.version != x509_cert::certificate::Version::V2 {
        return Err(invalid("not a version 2 CRL (RFC 5280 5.1.2.1)"));
    }
    let extensions = tbs.crl_extensions.as_deref().unwrap_or_default();
    if !extensions
        .iter()
        .any(|extension| extension.extn_id == CRL_NUMBER)
    {
        return Err(invalid("no cRLNumber extension (RFC 5280 5.2.3)"));
    }
    let known = [CRL_NUMBER, AUTHORITY_KEY_IDENTIFIER];
    if let Some(unknown) = extensions
        .iter()
        .find(|extension| extension.critical && !known.contains(&extension.extn_id))
    {
        let what = if unknown.extn_id == ISSUING_DISTRIBUTION_POINT {
            "issuingDistributionPoint (partitioned CRLs are not supported)".to_owned()
        } else {
            unknown.extn_id.to_string()
        };
        return Err(invalid(&format!(
            "unsupported critical CRL extension {what}"
        )));
    }
    Ok(())
}

fn invalid(detail: &str) -> Error {
    Error::InvalidCrl {
        detail: detail.to_owned(),
    }
}

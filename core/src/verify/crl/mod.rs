//! Revocation with caller-supplied CRLs (RFC 5280 sections 5 and 6.3).
//!
//! A CRL covers a certificate of the path when its issuer name equals the certificate's issuer,
//! its authorityKeyIdentifier (when both are present) names the issuer's key, and its
//! issuingDistributionPoint scope includes the certificate (user or CA certificates). A covering
//! CRL must be usable (`parse.rs`: RFC 5280 sections 5.1 to 5.3), signed by the next certificate
//! up the path, whose keyUsage, when present, must assert cRLSign (6.3.3 (f)). Among the usable
//! CRLs of one scope the newest current one (thisUpdate <= time <= nextUpdate; highest cRLNumber)
//! decides, so a stale CRL beside a current one does not matter; when all are stale the
//! certificate's status is unknown and that is a failure. A listed serial number means revoked.
//! Certificates no supplied CRL covers are not checked: mtlskit does no network fetching.

mod parse;
#[cfg(test)]
mod parse_before;

use std::collections::{BTreeMap, HashMap};

use crate::x509::RevokedCertificate;
use crate::{Error, UnixTime};

use super::Options;
use super::budget::{Budget, Work};
use super::certificate::{ParsedCertificate, comparable_name};
use super::usage::allows_crl_signing;
use crate::x509::general_name::GeneralNameRef;

pub(crate) use parse::ParsedCrl;

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
            if let [certificate, issuer] = pair {
                self.check_certificate(certificate, issuer, options, budget)
                    .map_err(|error| (position, error))?;
            }
        }
        Ok(())
    }

    fn check_certificate(
        &mut self,
        certificate: &ParsedCertificate,
        issuer: &ParsedCertificate,
        options: &Options,
        budget: &mut Budget,
    ) -> Result<(), Error> {
        let same_issuer = self.by_issuer.get(certificate.issuer.comparable.as_slice());
        let covering: Vec<usize> = same_issuer
            .into_iter()
            .flatten()
            .copied()
            .filter(|index| {
                self.crls
                    .get(*index)
                    .is_some_and(|crl| covers(crl, certificate, issuer))
            })
            .collect();
        if covering.is_empty() {
            return Ok(());
        }
        if !allows_crl_signing(issuer.extensions.key_usage.as_ref()) {
            return Err(invalid(
                "the CRL issuer's keyUsage lacks cRLSign (RFC 5280 6.3.3 (f))",
            ));
        }
        let mut scopes: BTreeMap<&[u8], Vec<usize>> = BTreeMap::new();
        for index in covering {
            let Some(crl) = self.crls.get(index) else {
                continue;
            };
            if let Some(defect) = &crl.defect {
                return Err(invalid(defect));
            }
            self.check_signature(index, issuer, options, budget)?;
            scopes.entry(&crl.scope).or_default().push(index);
        }
        for indexes in scopes.values() {
            let crls = indexes.iter().filter_map(|index| self.crls.get(*index));
            check_status(newest_current(crls, options.time)?, certificate)?;
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
        let key = (index, issuer.spki_der().to_vec());
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

/// Whether `crl` speaks about `certificate`: same issuer name (checked by the index), the
/// issuer's key when the CRL names one, and a scope that includes the certificate.
fn covers(crl: &ParsedCrl, certificate: &ParsedCertificate, issuer: &ParsedCertificate) -> bool {
    let key_matches = match (
        &crl.authority_key_identifier,
        &issuer.extensions.subject_key_identifier,
    ) {
        (Some(named), Some(actual)) => named == actual,
        _ => true,
    };
    let in_scope = crl.distribution_point.as_ref().is_none_or(|point| {
        let (users, cas) = (point.only_contains_user_certs, point.only_contains_ca_certs);
        let out_of_scope = if certificate.is_ca() { users } else { cas };
        !point.only_contains_attribute_certs && !out_of_scope
    });
    key_matches && in_scope
}

/// The CRL that decides, among usable CRLs of one scope: the newest current one. Only stale
/// ones: the status is unknown (`StaleCrl`); only future ones: none can be used yet.
fn newest_current<'c>(
    crls: impl Iterator<Item = &'c ParsedCrl>,
    time: UnixTime,
) -> Result<&'c ParsedCrl, Error> {
    let newer = |crl: &ParsedCrl| (crl.number.len(), crl.number.clone(), crl.this_update);
    let (mut current, mut stale): (Option<&ParsedCrl>, Option<&ParsedCrl>) = (None, None);
    for crl in crls {
        let slot = if crl.this_update > time {
            continue;
        } else if crl.next_update.is_some_and(|next| next < time) {
            &mut stale
        } else {
            &mut current
        };
        if slot.is_none_or(|best| newer(crl) > newer(best)) {
            *slot = Some(crl);
        }
    }
    match (current, stale) {
        (Some(crl), _) => Ok(crl),
        (None, Some(crl)) => Err(Error::StaleCrl {
            next_update: crl.next_update.unwrap_or(crl.this_update),
        }),
        (None, None) => Err(invalid(
            "its thisUpdate is in the future (RFC 5280 5.1.2.4)",
        )),
    }
}

/// Whether `crl` lists `certificate` (RFC 5280 6.3.3 (i)); in an indirect CRL an entry belongs
/// to the issuer named by the last certificateIssuer extension before it (5.3.3).
fn check_status(crl: &ParsedCrl, certificate: &ParsedCertificate) -> Result<(), Error> {
    let serial = certificate.serial();
    let indirect = crl.is_indirect();
    let mut entry_issuer = crl.issuer.clone();
    for entry in crl.list.revoked() {
        if indirect {
            if let Some(named) = certificate_issuer(&entry) {
                entry_issuer = named;
            }
        }
        let listed = entry.serial == serial && entry_issuer == certificate.issuer.comparable;
        if listed && !parse::removed_from_crl(&entry) {
            return Err(Error::Revoked {
                serial: certificate.serial_hex(),
            });
        }
    }
    Ok(())
}

/// The issuer a certificateIssuer entry extension names, in comparable form.
fn certificate_issuer(entry: &RevokedCertificate<'_>) -> Option<Vec<u8>> {
    let extension = entry.extension(&parse::CERTIFICATE_ISSUER)?;
    let names = crate::asn1::read::parse(
        extension.value,
        crate::x509::general_name::read_general_names,
    )
    .ok()?;
    names.iter().find_map(|name| match name {
        GeneralNameRef::Directory(directory) => Some(comparable_name(directory)),
        _ => None,
    })
}

fn verify_signature(
    crl: &ParsedCrl,
    issuer: &ParsedCertificate,
    options: &Options,
) -> Result<(), Error> {
    // A signature BIT STRING with unused bits is no signature (as x509-cert's `as_bytes`).
    if crl.list.signature_unused_bits() != 0 {
        return Err(Error::BadSignature);
    }
    let spki = issuer.spki().ok_or(Error::BadSignature)?;
    let algorithm = crate::asn1::read::parse(
        crl.list.signature_algorithm_der(),
        crate::asn1::read::Reader::algorithm,
    )
    .map_err(|error| invalid(&format!("its signature algorithm: {error}")))?;
    crate::crypto::verify_signature_ref(
        &spki,
        &algorithm,
        crl.list.tbs_der(),
        crl.list.signature(),
        options.signature_policy(),
    )
    .map_err(|error| {
        invalid(&format!(
            "its signature does not verify with the issuer's key ({error})"
        ))
    })
}

fn invalid(detail: &str) -> Error {
    Error::InvalidCrl {
        detail: detail.to_owned(),
    }
}

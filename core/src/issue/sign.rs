//! Signing certificates: self-signed roots and certificates signed by an [`Issuer`].

use der::Encode;
use der::asn1::BitString;
use rand_core::CryptoRng;
use rcgen::{BasicConstraints, IsCa, KeyIdMethod, SerialNumber};

use super::certificate::IssuedCertificate;
use super::issuer::Issuer;
use super::params::CertificateParams;
use crate::crypto::{PublicKey, SigningKey};
use crate::x509::{encode_sequence, sequence_elements};
use crate::{Error, UnixTime};

/// Issues a self-signed certificate for `key` (normally with [`Profile::Root`]).
///
/// [`Profile::Root`]: super::Profile::Root
pub fn self_signed<R: CryptoRng + ?Sized>(
    params: &CertificateParams,
    key: &SigningKey,
    now: UnixTime,
    rng: &mut R,
) -> Result<IssuedCertificate, Error> {
    let rcgen_params = to_rcgen(params, key.public_key(), now, rng)?;
    let certificate = rcgen_params.self_signed(key).map_err(rcgen_error)?;
    Ok(IssuedCertificate::new(certificate.der().to_vec()))
}

/// Issues a certificate for `subject_key`, signed by `issuer`. The signature uses the
/// issuer key's algorithm: SHA-256, or SHA-384 for P-384 issuers.
pub fn signed<R: CryptoRng + ?Sized>(
    params: &CertificateParams,
    subject_key: &PublicKey,
    issuer: &Issuer,
    now: UnixTime,
    rng: &mut R,
) -> Result<IssuedCertificate, Error> {
    signed_with_name(params, None, subject_key, issuer, now, rng)
}

/// [`signed`], with the subject name given as its DER encoding (a CSR's, kept byte for byte)
/// instead of by `params`.
pub(crate) fn signed_with_name<R: CryptoRng + ?Sized>(
    params: &CertificateParams,
    subject_der: Option<&[u8]>,
    subject_key: &PublicKey,
    issuer: &Issuer,
    now: UnixTime,
    rng: &mut R,
) -> Result<IssuedCertificate, Error> {
    if params.profile.is_ca() && issuer.path_length() == Some(0) {
        return Err(Error::InvalidProfile {
            detail: format!(
                "'{}' has pathLenConstraint 0: it may sign only end-entity certificates, not another CA",
                issuer.subject()
            ),
        });
    }
    subject_key.check_issuable()?;
    let rcgen_params = to_rcgen(params, subject_key, now, rng)?;
    let unsigned = rcgen_params
        .signed_by(subject_key, &issuer.to_rcgen())
        .map_err(rcgen_error)?;
    let der = sign_with_names(unsigned.der(), subject_der, issuer)?;
    Ok(IssuedCertificate::new(der))
}

/// rcgen writes the certificate with an empty signature and placeholder names (it cannot
/// repeat an attribute type, as in `DC=example,DC=com`, nor keep every string type). Put in
/// the issuer's subject and, from a CSR, the subject exactly as they are encoded (chaining
/// compares names by their encoding, RFC 5280 section 7.1), then sign the final bytes.
fn sign_with_names(
    unsigned_der: &[u8],
    subject_der: Option<&[u8]>,
    issuer: &Issuer,
) -> Result<Vec<u8>, Error> {
    let invalid = |error| Error::der("certificate", error);
    let elements = sequence_elements(unsigned_der).map_err(invalid)?;
    let [tbs, algorithm, _empty_signature] = elements.as_slice() else {
        return Err(Error::Issuance {
            detail: "rcgen wrote a certificate of unexpected shape".into(),
        });
    };
    let mut fields = sequence_elements(tbs).map_err(invalid)?;
    // TBSCertificate: [0] version, serialNumber, signature, issuer, validity, subject, ...
    for (index, name) in [(3, Some(issuer.subject_der())), (5, subject_der)] {
        if let (Some(field), Some(name)) = (fields.get_mut(index), name) {
            *field = name;
        }
    }
    let tbs = encode_sequence(&fields).map_err(invalid)?;
    let signature = issuer.key().sign(&tbs)?;
    let signature = BitString::from_bytes(&signature)
        .and_then(|bits| bits.to_der())
        .map_err(invalid)?;
    encode_sequence(&[&tbs, algorithm, &signature]).map_err(invalid)
}

/// Random positive serial number of 20 bytes (159 random bits), the RFC 5280
/// section 4.1.2.2 maximum; the first byte is never zero so the length is fixed.
pub(crate) fn random_serial<R: CryptoRng + ?Sized>(rng: &mut R) -> SerialNumber {
    let mut bytes = [0u8; 20];
    rng.fill_bytes(&mut bytes);
    if let Some(first) = bytes.first_mut() {
        *first &= 0x7f;
        if *first == 0 {
            *first = 0x01;
        }
    }
    SerialNumber::from_slice(&bytes)
}

/// A serial number given by the caller: a positive integer of 1 to 20 octets once leading
/// zero octets are removed (RFC 5280 section 4.1.2.2).
fn given_serial(serial: &[u8]) -> Result<SerialNumber, Error> {
    let start = serial
        .iter()
        .position(|byte| *byte != 0)
        .unwrap_or(serial.len());
    let significant = serial.get(start..).unwrap_or_default();
    let fits = match significant.first() {
        None => false,
        Some(first) => significant.len() < 20 || (significant.len() == 20 && *first < 0x80),
    };
    if !fits {
        return Err(Error::Issuance {
            detail: "the serial number must be a positive integer of at most 20 octets".into(),
        });
    }
    Ok(SerialNumber::from_slice(significant))
}

fn to_rcgen<R: CryptoRng + ?Sized>(
    params: &CertificateParams,
    subject_key: &PublicKey,
    now: UnixTime,
    rng: &mut R,
) -> Result<rcgen::CertificateParams, Error> {
    let profile = params.profile;
    if !profile.is_ca() && (params.path_length.is_some() || has_constraints(params)) {
        return Err(Error::InvalidProfile {
            detail: "path length and name constraints apply only to root and intermediate CAs"
                .into(),
        });
    }
    let (not_before, not_after) = params.validity.resolve(profile, now)?;
    let mut rcgen_params = rcgen::CertificateParams::default();
    rcgen_params.not_before = to_offset_date_time(not_before)?;
    rcgen_params.not_after = to_offset_date_time(not_after)?;
    rcgen_params.serial_number = Some(match &params.serial {
        Some(serial) => given_serial(serial)?,
        None => random_serial(rng),
    });
    rcgen_params.distinguished_name = params.effective_subject().to_rcgen()?;
    rcgen_params.subject_alt_names = params
        .effective_subject_alt_names()?
        .iter()
        .map(|name| name.to_rcgen())
        .collect::<Result<_, _>>()?;
    rcgen_params.is_ca = if profile.is_ca() {
        IsCa::Ca(match params.path_length {
            Some(length) => BasicConstraints::Constrained(length),
            None => BasicConstraints::Unconstrained,
        })
    } else {
        IsCa::ExplicitNoCa
    };
    rcgen_params.key_usages = profile.key_usages(subject_key.key_type());
    rcgen_params.extended_key_usages = profile.extended_key_usages();
    rcgen_params.name_constraints = name_constraints(params);
    rcgen_params.use_authority_key_identifier_extension = true;
    rcgen_params.key_identifier_method = KeyIdMethod::PreSpecified(subject_key.key_identifier());
    Ok(rcgen_params)
}

fn has_constraints(params: &CertificateParams) -> bool {
    !params.permitted_names.is_empty() || !params.excluded_names.is_empty()
}

fn name_constraints(params: &CertificateParams) -> Option<rcgen::NameConstraints> {
    if !has_constraints(params) {
        return None;
    }
    Some(rcgen::NameConstraints {
        permitted_subtrees: params
            .permitted_names
            .iter()
            .map(|n| n.to_rcgen())
            .collect(),
        excluded_subtrees: params.excluded_names.iter().map(|n| n.to_rcgen()).collect(),
    })
}

pub(crate) fn to_offset_date_time(time: UnixTime) -> Result<time::OffsetDateTime, Error> {
    time::OffsetDateTime::from_unix_timestamp(time.seconds()).map_err(|_| Error::InvalidValidity {
        detail: format!("time {} is out of range", time.seconds()),
    })
}

pub(crate) fn rcgen_error(error: rcgen::Error) -> Error {
    Error::Issuance {
        detail: error.to_string(),
    }
}

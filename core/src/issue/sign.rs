//! Signing certificates: self-signed roots and certificates signed by an [`Issuer`], written
//! with the core's DER writer (`crate::asn1::write`) and signed once over the final bytes.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use rand_core::CryptoRng;

use super::certificate::IssuedCertificate;
use super::issuer::Issuer;
use super::names::SubjectAltName;
use super::params::CertificateParams;
use crate::asn1::write;
use crate::crypto::{PublicKey, SigningKey};
use crate::verify::KeyUsageBit;
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
    let contents = Contents::new(params, key.public_key(), now, rng)?;
    // The issuer is the subject itself: its name, and its key identifier for the AKI.
    let key_identifier = key.public_key().key_identifier();
    let signer = Signer {
        name: &contents.subject,
        key_identifier: &key_identifier,
        key,
    };
    let tbs = contents.tbs_certificate(None, key.public_key(), &signer);
    Ok(IssuedCertificate::new(signed_der(tbs, key)?))
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
/// instead of by `params`. The issuer's subject goes in as encoded too (chaining compares
/// names by their encoding, RFC 5280 section 7.1), so repeated attribute types
/// (`DC=example,DC=com`) and string types survive.
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
    let contents = Contents::new(params, subject_key, now, rng)?;
    let signer = Signer {
        name: issuer.subject_der(),
        key_identifier: issuer.key_identifier(),
        key: issuer.key(),
    };
    let tbs = contents.tbs_certificate(subject_der, subject_key, &signer);
    Ok(IssuedCertificate::new(signed_der(tbs, issuer.key())?))
}

/// The signing side of a certificate: the issuer's name (DER), key identifier and key.
struct Signer<'a> {
    name: &'a [u8],
    key_identifier: &'a [u8],
    key: &'a SigningKey,
}

/// Everything in a TBSCertificate that comes from the parameters, checked and encoded: the
/// parts that can fail are done here, in the order they are checked.
struct Contents {
    serial: Vec<u8>,
    /// The DER `Validity` SEQUENCE.
    validity: Vec<u8>,
    /// The DER `Name` of the subject as the parameters give it.
    subject: Vec<u8>,
    /// The DER `GeneralNames` of the subjectAltName extension, if any.
    subject_alt_names: Option<Vec<u8>>,
    /// The DER `NameConstraints`, if any.
    name_constraints: Option<Vec<u8>>,
    key_usage: u16,
    extended_key_usages: Vec<ObjectIdentifier>,
    is_ca: bool,
    path_length: Option<u8>,
}

impl Contents {
    fn new<R: CryptoRng + ?Sized>(
        params: &CertificateParams,
        subject_key: &PublicKey,
        now: UnixTime,
        rng: &mut R,
    ) -> Result<Self, Error> {
        let profile = params.profile;
        if !profile.is_ca() && (params.path_length.is_some() || has_constraints(params)) {
            return Err(Error::InvalidProfile {
                detail: "path length and name constraints apply only to root and intermediate CAs"
                    .into(),
            });
        }
        let (not_before, not_after) = params.validity.resolve(profile, now)?;
        let mut validity = Vec::with_capacity(34);
        write::sequence(&mut validity, |out| {
            write_time(out, not_before)?;
            write_time(out, not_after)
        })?;
        let serial = match &params.serial {
            Some(serial) => given_serial(serial)?,
            None => random_serial(rng).to_vec(),
        };
        let subject = params.effective_subject().to_der()?;
        let subject_alt_names = params.effective_subject_alt_names()?;
        let subject_alt_names = if subject_alt_names.is_empty() {
            None
        } else {
            Some(general_names(&subject_alt_names)?)
        };
        let name_constraints = name_constraints(params)?;
        let key_usage = profile
            .key_usages(subject_key.key_type())
            .into_iter()
            .fold(0u16, |bits, usage| bits | key_usage_bit(usage));
        Ok(Self {
            serial,
            validity,
            subject,
            subject_alt_names,
            name_constraints,
            key_usage,
            extended_key_usages: profile.extended_key_usages(),
            is_ca: profile.is_ca(),
            path_length: params.path_length,
        })
    }

    /// The DER TBSCertificate (RFC 5280 section 4.1): v3, the extensions in the order
    /// authorityKeyIdentifier, subjectAltName, keyUsage (critical), extKeyUsage,
    /// nameConstraints (critical), subjectKeyIdentifier, basicConstraints (critical).
    fn tbs_certificate(
        &self,
        subject_der: Option<&[u8]>,
        subject_key: &PublicKey,
        signer: &Signer<'_>,
    ) -> Vec<u8> {
        let mut out = Vec::with_capacity(1024);
        write::sequence(&mut out, |out| {
            write::constructed(out, write::context_constructed(0), |out| {
                write::integer_u64(out, 2);
            });
            write::integer_unsigned(out, &self.serial);
            signer.key.public_key().write_signature_algorithm(out);
            out.extend_from_slice(signer.name);
            out.extend_from_slice(&self.validity);
            out.extend_from_slice(subject_der.unwrap_or(&self.subject));
            subject_key.write_spki(out);
            write::constructed(out, write::context_constructed(3), |out| {
                write::sequence(out, |out| {
                    self.write_extensions(out, subject_key, signer.key_identifier);
                });
            });
        });
        out
    }

    fn write_extensions(&self, out: &mut Vec<u8>, subject_key: &PublicKey, authority: &[u8]) {
        extension(
            out,
            &rfc5912::ID_CE_AUTHORITY_KEY_IDENTIFIER,
            false,
            |out| {
                write::sequence(out, |out| {
                    write::tlv(out, write::context(0), authority);
                });
            },
        );
        if let Some(names) = &self.subject_alt_names {
            write_subject_alt_names(out, names, self.subject == EMPTY_NAME);
        }
        extension(out, &rfc5912::ID_CE_KEY_USAGE, true, |out| {
            write::named_bits(out, self.key_usage);
        });
        if !self.extended_key_usages.is_empty() {
            extension(out, &rfc5912::ID_CE_EXT_KEY_USAGE, false, |out| {
                write::sequence(out, |out| {
                    for purpose in &self.extended_key_usages {
                        write::oid(out, purpose);
                    }
                });
            });
        }
        if let Some(constraints) = &self.name_constraints {
            extension(out, &rfc5912::ID_CE_NAME_CONSTRAINTS, true, |out| {
                out.extend_from_slice(constraints);
            });
        }
        extension(out, &rfc5912::ID_CE_SUBJECT_KEY_IDENTIFIER, false, |out| {
            write::octet_string(out, &subject_key.key_identifier());
        });
        extension(out, &rfc5912::ID_CE_BASIC_CONSTRAINTS, true, |out| {
            write::sequence(out, |out| {
                if self.is_ca {
                    write::boolean(out, true);
                    if let Some(length) = self.path_length {
                        write::integer_u64(out, u64::from(length));
                    }
                }
            });
        });
    }
}

/// The DER of an empty `Name`.
const EMPTY_NAME: [u8; 2] = [0x30, 0x00];

/// Writes an `Extension` (RFC 5280 section 4.1): `extnID`, `critical` when TRUE (DER leaves
/// out the default FALSE), and the value `value` writes, in an OCTET STRING.
pub(crate) fn extension(
    out: &mut Vec<u8>,
    id: &ObjectIdentifier,
    critical: bool,
    value: impl FnOnce(&mut Vec<u8>),
) {
    write::sequence(out, |out| {
        write::oid(out, id);
        if critical {
            write::boolean(out, true);
        }
        write::constructed(out, write::tag::OCTET_STRING, value);
    });
}

/// The subjectAltName extension over the DER `GeneralNames` `names`; critical when the
/// subject is empty (RFC 5280 section 4.2.1.6).
pub(crate) fn write_subject_alt_names(out: &mut Vec<u8>, names: &[u8], subject_empty: bool) {
    extension(
        out,
        &rfc5912::ID_CE_SUBJECT_ALT_NAME,
        subject_empty,
        |out| {
            out.extend_from_slice(names);
        },
    );
}

/// The DER `GeneralNames` of `names`.
pub(crate) fn general_names(names: &[SubjectAltName]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(64);
    write::sequence(&mut out, |out| {
        names
            .iter()
            .try_for_each(|name| name.write_general_name(out))
    })?;
    Ok(out)
}

/// Signs `tbs` with `key` and wraps both: `SEQUENCE { tbs, signatureAlgorithm, signature }`
/// (a Certificate, RFC 5280 section 4.1, or a CertificationRequest, RFC 2986 section 4.2).
pub(crate) fn signed_der(tbs: Vec<u8>, key: &SigningKey) -> Result<Vec<u8>, Error> {
    let signature = key.sign(&tbs)?;
    let mut out = Vec::with_capacity(tbs.len() + signature.len() + 32);
    write::sequence(&mut out, |out| {
        out.extend_from_slice(&tbs);
        key.public_key().write_signature_algorithm(out);
        write::bit_string(out, 0, &signature);
    });
    Ok(out)
}

/// The keyUsage bit of `usage`, bit 0 (digitalSignature) being the most significant.
fn key_usage_bit(usage: KeyUsageBit) -> u16 {
    let bit = match usage {
        KeyUsageBit::DigitalSignature => 0,
        KeyUsageBit::ContentCommitment => 1,
        KeyUsageBit::KeyEncipherment => 2,
        KeyUsageBit::DataEncipherment => 3,
        KeyUsageBit::KeyAgreement => 4,
        KeyUsageBit::KeyCertSign => 5,
        KeyUsageBit::CrlSign => 6,
        KeyUsageBit::EncipherOnly => 7,
        KeyUsageBit::DecipherOnly => 8,
    };
    0x8000 >> bit
}

/// Writes a validity time (UTCTime through 2049, GeneralizedTime from 2050).
fn write_time(out: &mut Vec<u8>, time: UnixTime) -> Result<(), Error> {
    write::time(out, time.seconds()).map_err(|_| Error::InvalidValidity {
        detail: format!("time {} is out of range", time.seconds()),
    })
}

/// Random positive serial number of 20 bytes (159 random bits), the RFC 5280
/// section 4.1.2.2 maximum; the first byte is never zero so the length is fixed.
pub(crate) fn random_serial<R: CryptoRng + ?Sized>(rng: &mut R) -> [u8; 20] {
    let mut bytes = [0u8; 20];
    rng.fill_bytes(&mut bytes);
    if let Some(first) = bytes.first_mut() {
        *first &= 0x7f;
        if *first == 0 {
            *first = 0x01;
        }
    }
    bytes
}

/// A serial number given by the caller: a positive integer of 1 to 20 octets once leading
/// zero octets are removed (RFC 5280 section 4.1.2.2).
fn given_serial(serial: &[u8]) -> Result<Vec<u8>, Error> {
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
    Ok(significant.to_vec())
}

fn has_constraints(params: &CertificateParams) -> bool {
    !params.permitted_names.is_empty() || !params.excluded_names.is_empty()
}

/// The DER `NameConstraints` (RFC 5280 section 4.2.1.10): `[0]` permittedSubtrees and `[1]`
/// excludedSubtrees, each left out when empty; `None` without constraints.
fn name_constraints(params: &CertificateParams) -> Result<Option<Vec<u8>>, Error> {
    if !has_constraints(params) {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(64);
    write::sequence(&mut out, |out| {
        for (number, subtrees) in [(0, &params.permitted_names), (1, &params.excluded_names)] {
            if subtrees.is_empty() {
                continue;
            }
            write::constructed(out, write::context_constructed(number), |out| {
                subtrees
                    .iter()
                    .try_for_each(|subtree| subtree.write_subtree(out))
            })?;
        }
        Ok::<(), Error>(())
    })?;
    Ok(Some(out))
}

//! Certificate signing requests (PKCS#10, RFC 2986): creating one from a key, and signing
//! one with a CA under a profile.
//!
//! Signing happens in two steps so that people see what they sign: [`prepare_request`] checks
//! the request (its signature over the bytes received, its key, each requested name) and
//! returns what the certificate will say; [`PreparedRequest::sign`] then issues it. The
//! subject is copied byte for byte, so repeated attribute types (`DC=example,DC=com`, two
//! OUs) and string types survive.

use core::net::IpAddr;

use const_oid::db::rfc5912;
use rand_core::CryptoRng;

use super::certificate::{CertificateRequest, IssuedCertificate};
use super::issuer::Issuer;
use super::names::SubjectAltName;
use super::params::{CertificateParams, Subject};
use super::profile::Profile;
use super::sign::{general_names, signed_der, signed_with_name, write_subject_alt_names};
use crate::asn1::read;
use crate::asn1::write;
use crate::crypto::{KeyType, PublicKey, SigningKey};
use crate::x509::general_name::{GeneralNameRef, read_general_names};
use crate::x509::name::{first_value, rfc4514};
use crate::x509::{Csr, extensions};
use crate::{Error, UnixTime};

/// What goes into a CSR: a subject and the subjectAltNames to request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestParams {
    /// The subject; when empty, the first subjectAltName becomes the common name.
    pub subject: Subject,
    /// The subjectAltNames to request (in an extensionRequest attribute, RFC 2985 5.4.2).
    pub subject_alt_names: Vec<SubjectAltName>,
}

/// A CSR that passed every check, and what the certificate for it will contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// The subject of the certificate, RFC 4514 text: the CSR's, unless the caller gave one.
    pub subject: String,
    /// The subjectAltNames of the certificate: the requested ones, then the caller's.
    pub subject_alt_names: Vec<SubjectAltName>,
    /// The type of the subject's key.
    pub key_type: KeyType,
    /// The profile, which decides basicConstraints, keyUsage and extKeyUsage.
    pub profile: Profile,
    /// Requested extensions that are not copied because the profile decides them, by name.
    pub ignored_extensions: Vec<String>,
    params: CertificateParams,
    subject_der: Option<Vec<u8>>,
    public_key: PublicKey,
}

/// Creates a CSR for `key`, signed with it.
pub fn create_request(
    params: &RequestParams,
    key: &SigningKey,
) -> Result<CertificateRequest, Error> {
    let as_certificate = CertificateParams {
        subject: params.subject.clone(),
        subject_alt_names: params.subject_alt_names.clone(),
        profile: Profile::Client,
        ..CertificateParams::default()
    };
    let subject = as_certificate.effective_subject().to_der()?;
    let subject_alt_names = if params.subject_alt_names.is_empty() {
        None
    } else {
        Some(general_names(&params.subject_alt_names)?)
    };
    // CertificationRequestInfo (RFC 2986 section 4.1): version 0, subject, key, and
    // [0] attributes (present even when empty): the subjectAltNames in an extensionRequest.
    let mut info = Vec::with_capacity(512);
    write::sequence(&mut info, |out| {
        write::integer_u64(out, 0);
        out.extend_from_slice(&subject);
        key.public_key().write_spki(out);
        write::set_of_tagged(out, write::context_constructed(0), |out| {
            if let Some(names) = &subject_alt_names {
                write::sequence(out, |out| {
                    write::oid(out, &rfc5912::ID_EXTENSION_REQ);
                    write::set_of(out, |out| {
                        write::sequence(out, |out| {
                            write_subject_alt_names(out, names, subject == [0x30, 0x00]);
                        });
                    });
                });
            }
        });
    });
    Ok(CertificateRequest::new(signed_der(info, key)?))
}

/// Signs the DER CSR `request_der` with `issuer` under `params.profile`: [`prepare_request`]
/// then [`PreparedRequest::sign`].
pub fn sign_request<R: CryptoRng + ?Sized>(
    request_der: &[u8],
    params: &CertificateParams,
    issuer: &Issuer,
    now: UnixTime,
    rng: &mut R,
) -> Result<IssuedCertificate, Error> {
    prepare_request(request_der, params)?.sign(issuer, now, rng)
}

/// Checks the DER CSR `request_der` and works out the certificate `params` make of it.
///
/// - The signature must verify over the `CertificationRequestInfo` bytes as received
///   ([`Error::InvalidCsrSignature`] otherwise), and the key must be one mtlskit issues for
///   (RSA at least 2048 bits, [`Error::InvalidKey`]).
/// - The subject is the CSR's, byte for byte, unless `params.subject` is set.
/// - Each requested subjectAltName is checked like a name given on the command line and
///   against the profile ([`Error::InvalidSubjectAltName`]); `params.subject_alt_names` are
///   added; a server certificate without any gets the CSR's common name.
/// - Other requested extensions are listed in [`PreparedRequest::ignored_extensions`]: the
///   profile decides usages and constraints.
pub fn prepare_request(
    request_der: &[u8],
    params: &CertificateParams,
) -> Result<PreparedRequest, Error> {
    let request = crate::x509::parse_csr(request_der)?;
    let public_key = PublicKey::from_spki_der(request.public_key_der())?;
    let algorithm = request.signature_algorithm_der();
    if !public_key.verify_signature(algorithm, request.info_der(), request.signature())? {
        return Err(Error::InvalidCsrSignature);
    }
    public_key.check_issuable()?;
    let (requested, ignored_extensions) = requested_extensions(&request)?;
    let mut params = params.clone();
    let supplied = core::mem::take(&mut params.subject_alt_names);
    for name in requested.into_iter().chain(supplied) {
        if !params.subject_alt_names.contains(&name) {
            params.subject_alt_names.push(name);
        }
    }
    let request_subject = request.subject();
    let keep_subject = params.subject.is_empty() && !request_subject.is_empty();
    if keep_subject && params.subject_alt_names.is_empty() && params.profile.is_server() {
        let common_name = first_value(&request_subject, const_oid::db::rfc4519::COMMON_NAME);
        if let Some(common_name) = common_name {
            params.subject_alt_names = vec![SubjectAltName::from_common_name(&common_name)?];
        }
    }
    let subject_alt_names = params.effective_subject_alt_names()?;
    let subject = if keep_subject {
        rfc4514(&request_subject)
    } else {
        params.effective_subject().to_rfc4514()
    };
    Ok(PreparedRequest {
        subject,
        subject_alt_names,
        key_type: public_key.key_type(),
        profile: params.profile,
        ignored_extensions,
        params,
        subject_der: keep_subject.then(|| request.subject_der().to_vec()),
        public_key,
    })
}

impl PreparedRequest {
    /// Issues the certificate, signed by `issuer`.
    pub fn sign<R: CryptoRng + ?Sized>(
        &self,
        issuer: &Issuer,
        now: UnixTime,
        rng: &mut R,
    ) -> Result<IssuedCertificate, Error> {
        signed_with_name(
            &self.params,
            self.subject_der.as_deref(),
            &self.public_key,
            issuer,
            now,
            rng,
        )
    }
}

/// The subjectAltNames requested in the CSR's extensionRequest (RFC 2985 section 5.4.2), and
/// the names of the other requested extensions.
fn requested_extensions(request: &Csr) -> Result<(Vec<SubjectAltName>, Vec<String>), Error> {
    let mut names = Vec::new();
    let mut ignored = Vec::new();
    for extensions in request.extension_requests() {
        let extensions = extensions.map_err(|error| error.into_error("CSR extensionRequest"))?;
        for extension in &extensions {
            if extension.oid != rfc5912::ID_CE_SUBJECT_ALT_NAME {
                let described =
                    extensions::describe_parts(&extension.oid, extension.critical, extension.value);
                ignored.push(described.name);
                continue;
            }
            let alt_names = read::parse(extension.value, read_general_names)
                .map_err(|error| error.into_error("CSR subjectAltName"))?;
            for general_name in &alt_names {
                names.push(convert(general_name)?);
            }
        }
    }
    Ok((names, ignored))
}

/// A requested name, checked like one typed on the command line. Kinds that mtlskit does not
/// issue (otherName, directoryName, ...) are refused rather than silently dropped.
fn convert(name: &GeneralNameRef<'_>) -> Result<SubjectAltName, Error> {
    let text = match name {
        GeneralNameRef::Dns(dns) => format!("DNS:{dns}"),
        GeneralNameRef::Rfc822(email) => format!("email:{email}"),
        GeneralNameRef::Uri(uri) => format!("URI:{uri}"),
        GeneralNameRef::Ip(octets) => format!("IP:{}", ip_address(octets)?),
        other => {
            return Err(Error::InvalidSubjectAltName {
                value: format!("{other:?}"),
                detail: "mtlskit issues DNS, IP, email and URI names only".into(),
            });
        }
    };
    text.parse()
}

fn ip_address(octets: &[u8]) -> Result<IpAddr, Error> {
    if let Ok(v4) = <[u8; 4]>::try_from(octets) {
        return Ok(IpAddr::from(v4));
    }
    if let Ok(v6) = <[u8; 16]>::try_from(octets) {
        return Ok(IpAddr::from(v6));
    }
    Err(Error::InvalidSubjectAltName {
        value: format!("{octets:02x?}"),
        detail: "an IP address has 4 or 16 bytes".into(),
    })
}

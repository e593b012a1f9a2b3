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
use der::Decode;
use rand_core::CryptoRng;
use x509_cert::ext::pkix::SubjectAltName as SubjectAltNameExtension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::request::{CertReq, ExtensionReq};

use super::certificate::{CertificateRequest, IssuedCertificate};
use super::issuer::Issuer;
use super::names::SubjectAltName;
use super::params::{CertificateParams, Subject};
use super::profile::Profile;
use super::sign::{general_names, signed_der, signed_with_name, write_subject_alt_names};
use crate::asn1::read::{Reader, Tag};
use crate::asn1::write;
use crate::crypto::{KeyType, PublicKey, SigningKey};
use crate::x509::extensions;
use crate::x509::name::{first_value, rfc4514};
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
    let raw = raw_parts(request_der)?;
    let public_key = PublicKey::from_spki_der(raw.spki)?;
    let signature = request.signature.raw_bytes();
    let algorithm =
        der::Encode::to_der(&request.algorithm).map_err(|error| Error::der("CSR", error))?;
    if !public_key.verify_signature(&algorithm, raw.info, signature)? {
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
    let keep_subject = params.subject.is_empty() && !request.info.subject.is_empty();
    if keep_subject && params.subject_alt_names.is_empty() && params.profile.is_server() {
        let common_name = first_value(&request.info.subject, const_oid::db::rfc4519::COMMON_NAME);
        if let Some(common_name) = common_name {
            params.subject_alt_names = vec![SubjectAltName::from_common_name(&common_name)?];
        }
    }
    let subject_alt_names = params.effective_subject_alt_names()?;
    let subject = if keep_subject {
        rfc4514(&request.info.subject)
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
        subject_der: keep_subject.then(|| raw.subject.to_vec()),
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

/// Parts of a CSR byte for byte as received (RFC 2986 section 4).
struct RawRequest<'a> {
    /// The signed `CertificationRequestInfo`.
    info: &'a [u8],
    subject: &'a [u8],
    spki: &'a [u8],
}

fn raw_parts(request_der: &[u8]) -> Result<RawRequest<'_>, Error> {
    // CertificationRequest: CertificationRequestInfo first; in it version, subject,
    // subjectPKInfo, [0] attributes (`parse_csr` checked the whole structure).
    let read = || -> crate::asn1::read::Result<RawRequest<'_>> {
        let mut request = Reader::new(request_der).sequence()?;
        let info = request.expect(Tag::SEQUENCE, "a CertificationRequestInfo")?;
        let mut fields = info.reader()?;
        fields.tlv()?;
        let subject = fields.tlv()?.whole;
        let spki = fields.tlv()?.whole;
        Ok(RawRequest {
            info: info.whole,
            subject,
            spki,
        })
    };
    read().map_err(|error| error.into_error("CSR"))
}

/// The subjectAltNames requested in the CSR's extensionRequest (RFC 2985 section 5.4.2), and
/// the names of the other requested extensions.
fn requested_extensions(request: &CertReq) -> Result<(Vec<SubjectAltName>, Vec<String>), Error> {
    let mut names = Vec::new();
    let mut ignored = Vec::new();
    let extension_requests = request
        .info
        .attributes
        .iter()
        .filter(|attribute| attribute.oid == rfc5912::ID_EXTENSION_REQ)
        .flat_map(|attribute| attribute.values.iter());
    for value in extension_requests {
        let extensions: ExtensionReq = value
            .decode_as()
            .map_err(|e| Error::der("CSR extensionRequest", e))?;
        for extension in extensions.0.iter() {
            if extension.extn_id != rfc5912::ID_CE_SUBJECT_ALT_NAME {
                ignored.push(extensions::describe(extension).name);
                continue;
            }
            let alt_names = SubjectAltNameExtension::from_der(extension.extn_value.as_bytes())
                .map_err(|e| Error::der("CSR subjectAltName", e))?;
            for general_name in &alt_names.0 {
                names.push(convert(general_name)?);
            }
        }
    }
    Ok((names, ignored))
}

/// A requested name, checked like one typed on the command line. Kinds that mtlskit does not
/// issue (otherName, directoryName, ...) are refused rather than silently dropped.
fn convert(name: &GeneralName) -> Result<SubjectAltName, Error> {
    let text = match name {
        GeneralName::DnsName(dns) => format!("DNS:{dns}"),
        GeneralName::Rfc822Name(email) => format!("email:{email}"),
        GeneralName::UniformResourceIdentifier(uri) => format!("URI:{uri}"),
        GeneralName::IpAddress(octets) => format!("IP:{}", ip_address(octets.as_bytes())?),
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

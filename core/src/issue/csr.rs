//! Certificate signing requests (PKCS#10, RFC 2986): creating one from a key, and signing
//! one with a CA under a profile.

use core::net::IpAddr;

use const_oid::db::rfc5912;
use der::{Decode, Encode};
use rand_core::CryptoRng;
use x509_cert::ext::pkix::SubjectAltName as SubjectAltNameExtension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::request::{CertReq, ExtensionReq};

use super::certificate::{CertificateRequest, IssuedCertificate};
use super::issuer::{Issuer, to_rcgen_name};
use super::names::SubjectAltName;
use super::params::{CertificateParams, Subject};
use super::sign::{rcgen_error, signed_with_name};
use crate::crypto::{PublicKey, SigningKey};
use crate::{Error, UnixTime};

/// What goes into a CSR: a subject and the subjectAltNames to request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestParams {
    /// The subject; when empty, the first subjectAltName becomes the common name.
    pub subject: Subject,
    /// The subjectAltNames to request (in an extensionRequest attribute, RFC 2985 5.4.2).
    pub subject_alt_names: Vec<SubjectAltName>,
}

/// Creates a CSR for `key`, signed with it.
pub fn create_request(
    params: &RequestParams,
    key: &SigningKey,
) -> Result<CertificateRequest, Error> {
    let as_certificate = CertificateParams {
        subject: params.subject.clone(),
        subject_alt_names: params.subject_alt_names.clone(),
        profile: super::Profile::Client,
        ..CertificateParams::default()
    };
    let mut rcgen_params = rcgen::CertificateParams::default();
    rcgen_params.distinguished_name = as_certificate.effective_subject().to_rcgen()?;
    rcgen_params.subject_alt_names = params
        .subject_alt_names
        .iter()
        .map(|name| name.to_rcgen())
        .collect::<Result<_, _>>()?;
    let request = rcgen_params.serialize_request(key).map_err(rcgen_error)?;
    Ok(CertificateRequest::new(request.der().to_vec()))
}

/// Signs the DER CSR `request_der` with `issuer` under `params.profile`.
///
/// The CSR's signature must verify ([`Error::InvalidCsrSignature`] otherwise). The subject
/// comes from the CSR unless `params.subject` is set; the requested subjectAltNames are
/// copied and `params.subject_alt_names` added; a server certificate without any gets the
/// CSR's common name. Other requested extensions are ignored: the profile decides usages.
pub fn sign_request<R: CryptoRng + ?Sized>(
    request_der: &[u8],
    params: &CertificateParams,
    issuer: &Issuer,
    now: UnixTime,
    rng: &mut R,
) -> Result<IssuedCertificate, Error> {
    let request = CertReq::from_der(request_der).map_err(|e| Error::der("CSR", e))?;
    let public_key = verified_public_key(&request)?;
    let mut params = params.clone();
    for name in requested_names(&request)? {
        if !params.subject_alt_names.contains(&name) {
            params.subject_alt_names.push(name);
        }
    }
    let subject_name = if params.subject.is_empty() {
        if params.subject_alt_names.is_empty() && params.profile.is_server() {
            if let Some(common_name) = common_name(&request) {
                params.subject_alt_names = vec![SubjectAltName::from_common_name(&common_name)?];
            }
        }
        Some(to_rcgen_name(&request.info.subject)?)
    } else {
        None
    };
    signed_with_name(&params, subject_name, &public_key, issuer, now, rng)
}

fn verified_public_key(request: &CertReq) -> Result<PublicKey, Error> {
    let spki_der = request
        .info
        .public_key
        .to_der()
        .map_err(|e| Error::der("CSR", e))?;
    let public_key = PublicKey::from_spki_der(&spki_der)?;
    let message = request.info.to_der().map_err(|e| Error::der("CSR", e))?;
    let signature = request.signature.raw_bytes();
    if !public_key.verify(request.algorithm.oid, &message, signature)? {
        return Err(Error::InvalidCsrSignature);
    }
    Ok(public_key)
}

fn requested_names(request: &CertReq) -> Result<Vec<SubjectAltName>, Error> {
    let mut names = Vec::new();
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
                continue;
            }
            let alt_names = SubjectAltNameExtension::from_der(extension.extn_value.as_bytes())
                .map_err(|e| Error::der("CSR subjectAltName", e))?;
            for general_name in alt_names.0 {
                names.extend(convert(&general_name)?);
            }
        }
    }
    Ok(names)
}

fn convert(name: &GeneralName) -> Result<Option<SubjectAltName>, Error> {
    let converted = match name {
        GeneralName::DnsName(dns) => SubjectAltName::Dns(dns.to_string()),
        GeneralName::Rfc822Name(email) => SubjectAltName::Email(email.to_string()),
        GeneralName::UniformResourceIdentifier(uri) => SubjectAltName::Uri(uri.to_string()),
        GeneralName::IpAddress(octets) => SubjectAltName::Ip(ip_address(octets.as_bytes())?),
        _ => return Ok(None),
    };
    Ok(Some(converted))
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

fn common_name(request: &CertReq) -> Option<String> {
    let name = request.info.subject.common_name().ok()??;
    Some(name.value().into_owned())
}

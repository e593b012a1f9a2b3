//! `issue`: a certificate by profile (root, intermediate, server, client, server+client),
//! self-signed or signed by a CA, for a new or given key (`mtlskit cert new`).

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{ApiError, Input, Password, at};
use crate::crypto::{KeyType, SigningKey};
use crate::issue::{self, CertificateParams, Issuer, Profile, Subject, SubjectAltName, Validity};
use crate::{Error, UnixTime};

/// A certificate to issue.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    /// What the certificate is for (default `server`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Profile>", optional))]
    pub profile: Profile,
    /// The subject; when empty, the first subjectAltName becomes the common name.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Subject>", optional))]
    pub subject: Subject,
    /// subjectAltNames: `DNS:`, `IP:`, `email:`, `URI:` prefixes, or guessed.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub subject_alt_names: Vec<String>,
    /// When the certificate is valid (default: from five minutes ago, the profile's lifetime).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<ValidityInput>", optional))]
    pub validity: ValidityInput,
    /// For CAs: pathLenConstraint.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub path_length: Option<u8>,
    /// For CAs: permitted names (DNS domain, IP/prefix, `email:domain`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub permitted_names: Vec<String>,
    /// For CAs: excluded names.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub excluded_names: Vec<String>,
    /// The subject's existing private key; without it a new key of `key_type` is made.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key: Option<Input>,
    /// The password of `key`, if encrypted.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key_password: Option<Password>,
    /// Type of the new key: `p256` (default), `p384`, `ed25519`, `rsa2048`, `rsa3072`,
    /// `rsa4096`.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key_type: Option<String>,
    /// The issuing CA; without it the certificate is self-signed.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub ca: Option<CaInput>,
    /// The serial number in hex (`01:a2` or `01a2`), a positive integer of at most 20 octets;
    /// default: 159 random bits. With a given `key`, `serial` and `validity`, the certificate
    /// is the same bytes on every run and runtime.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub serial: Option<String>,
}

/// A CA that signs: its certificate and private key.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CaInput {
    /// The CA certificate (the first certificate in it is used).
    pub certificate: Input,
    /// The CA's private key.
    pub key: Input,
    /// The password of the key, if encrypted.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub password: Option<Password>,
}

/// The validity period; times are RFC 3339.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ValidityInput {
    /// Start of validity (default: five minutes before the time of the call).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub not_before: Option<String>,
    /// End of validity.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub not_after: Option<String>,
    /// Lifetime in days (default: root 3650, intermediate 1825, leaves 398).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub days: Option<u32>,
}

/// The issued certificate, and the new key when one was made.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct IssueResponse {
    /// The certificate, PEM.
    pub certificate: String,
    /// The new private key (PKCS#8 PEM), when no `key` was given; wiped when dropped.
    #[cfg_attr(feature = "typescript", ts(as = "Option<String>"))]
    pub key: Option<Zeroizing<String>>,
    /// SHA-256 of the certificate, colon-separated upper-case hex (as openssl prints it).
    pub fingerprint_sha256: String,
}

/// Issues the certificate described by `request` at `time`, with randomness from `rng`.
pub fn issue<R: CryptoRng + ?Sized>(
    request: &IssueRequest,
    time: UnixTime,
    rng: &mut R,
) -> Result<IssueResponse, ApiError> {
    let params = CertificateParams {
        profile: request.profile,
        subject: request.subject.clone(),
        subject_alt_names: subject_alt_names(&request.subject_alt_names)?,
        validity: validity(&request.validity)?,
        path_length: request.path_length,
        permitted_names: parse_all(&request.permitted_names, "permitted_names")?,
        excluded_names: parse_all(&request.excluded_names, "excluded_names")?,
        serial: request.serial.as_deref().map(serial).transpose()?,
    };
    let (key, generated) = subject_key(
        request.key.as_ref(),
        request.key_password.as_ref(),
        request.key_type.as_deref(),
        rng,
    )?;
    let certificate = match &request.ca {
        Some(ca) => issue::signed(&params, key.public_key(), &issuer(ca)?, time, rng),
        None if params.profile == Profile::Intermediate => Err(Error::InvalidProfile {
            detail: "an intermediate CA is signed by another CA: give its ca".into(),
        }),
        None => issue::self_signed(&params, &key, time, rng),
    }
    .map_err(ApiError::from)?;
    Ok(IssueResponse {
        certificate: certificate.pem()?,
        key: generated.then(|| key.to_pkcs8_pem()).transpose()?,
        fingerprint_sha256: certificate.fingerprint_sha256(),
    })
}

/// The subject's key: `key` opened with `password`, or a new key of `key_type` (default
/// P-256). The flag says whether it was generated.
pub(crate) fn subject_key<R: CryptoRng + ?Sized>(
    key: Option<&Input>,
    password: Option<&Password>,
    key_type: Option<&str>,
    rng: &mut R,
) -> Result<(SigningKey, bool), ApiError> {
    if let Some(key) = key {
        let password = password.map(Password::as_str);
        let loaded =
            SigningKey::from_bytes(key.data.bytes(), password).map_err(at(&key.label("key")))?;
        return Ok((loaded, false));
    }
    let key_type: KeyType = key_type.unwrap_or("p256").parse().map_err(at("key_type"))?;
    Ok((SigningKey::generate(key_type, rng)?, true))
}

/// The CA of `ca`: its first certificate and its key, checked to match and to be a CA.
pub(crate) fn issuer(ca: &CaInput) -> Result<Issuer, ApiError> {
    let label = ca.certificate.label("ca.certificate");
    let certificates = super::input::required_blocks(
        ca.certificate.data.bytes(),
        crate::decode::Kind::Certificate,
        "certificate",
    )
    .map_err(at(&label))?;
    let password = ca.password.as_ref().map(Password::as_str);
    let key = SigningKey::from_bytes(ca.key.data.bytes(), password)
        .map_err(at(&ca.key.label("ca.key")))?;
    let first = certificates.first().map(Vec::as_slice).unwrap_or_default();
    Issuer::new(first, key).map_err(at(&label))
}

/// Parsed subjectAltNames.
pub(crate) fn subject_alt_names(names: &[String]) -> Result<Vec<SubjectAltName>, ApiError> {
    parse_all(names, "subject_alt_names")
}

/// The validity period, with RFC 3339 times parsed.
pub(crate) fn validity(validity: &ValidityInput) -> Result<Validity, ApiError> {
    let parse = |text: &Option<String>, field: &str| {
        text.as_deref()
            .map(UnixTime::parse_rfc3339)
            .transpose()
            .map_err(at(field))
    };
    Ok(Validity {
        not_before: parse(&validity.not_before, "validity.not_before")?,
        not_after: parse(&validity.not_after, "validity.not_after")?,
        days: validity.days,
    })
}

/// The bytes of a hex serial number (colons allowed between octets).
fn serial(text: &str) -> Result<Vec<u8>, ApiError> {
    let mut digits: String = text.chars().filter(|c| *c != ':').collect();
    let invalid = || {
        let detail = format!("serial: '{text}' is not a hexadecimal number");
        ApiError::new(Error::InvalidRequest { detail }, "serial")
    };
    if digits.is_empty() {
        return Err(invalid());
    }
    if digits.len() % 2 != 0 {
        digits.insert(0, '0');
    }
    (0..digits.len())
        .step_by(2)
        .map(|start| {
            let pair = digits.get(start..start + 2).ok_or_else(invalid)?;
            u8::from_str_radix(pair, 16).map_err(|_| invalid())
        })
        .collect()
}

fn parse_all<T: core::str::FromStr<Err = Error>>(
    texts: &[String],
    field: &str,
) -> Result<Vec<T>, ApiError> {
    texts
        .iter()
        .map(|text| text.parse().map_err(at(field)))
        .collect()
}

//! The plain data that describes a certificate to issue (public fields and `Default`), and
//! the subject's DER.

use core::net::IpAddr;

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc2985, rfc4519};
use serde::Deserialize;

use super::names::{NameConstraint, SubjectAltName};
use super::profile::Profile;
use crate::asn1::write;
use crate::x509::name::escape;
use crate::{Error, UnixTime};

/// Everything about a certificate except the keys: profile, subject, names, validity.
///
/// ```
/// use mtlskit::issue::{CertificateParams, Profile};
/// let params = CertificateParams {
///     profile: Profile::Server,
///     subject_alt_names: vec!["test.com".parse().unwrap(), "127.0.0.1".parse().unwrap()],
///     ..CertificateParams::default()
/// };
/// # let _ = params;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateParams {
    /// What the certificate is for; decides basicConstraints, keyUsage and extKeyUsage.
    pub profile: Profile,
    /// The subject name.
    pub subject: Subject,
    /// subjectAltName entries. A server certificate without any gets its common name.
    pub subject_alt_names: Vec<SubjectAltName>,
    /// When the certificate is valid.
    pub validity: Validity,
    /// For CAs: how many intermediates may follow (pathLenConstraint); `None` for no limit.
    pub path_length: Option<u8>,
    /// For CAs: names the CA may issue for (RFC 5280 section 4.2.1.10).
    pub permitted_names: Vec<NameConstraint>,
    /// For CAs: names the CA may not issue for.
    pub excluded_names: Vec<NameConstraint>,
    /// The serial number, big-endian (a positive integer of at most 20 octets, RFC 5280
    /// section 4.1.2.2); `None` for a random one (the default: serials must be unique per CA).
    pub serial: Option<Vec<u8>>,
}

/// A subject distinguished name from the usual attributes, written in the order C, ST, L,
/// O, OU, CN, emailAddress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[serde(default, deny_unknown_fields)]
pub struct Subject {
    /// C: a two-letter ISO 3166 country code.
    pub country: Option<String>,
    /// ST: state or province.
    pub state: Option<String>,
    /// L: locality (city).
    pub locality: Option<String>,
    /// O: organization.
    pub organization: Option<String>,
    /// OU: organizational unit.
    pub organizational_unit: Option<String>,
    /// CN: common name.
    pub common_name: Option<String>,
    /// emailAddress (PKCS#9; prefer an email subjectAltName).
    pub email: Option<String>,
}

/// The validity period. Without `not_before` the certificate starts five minutes before
/// "now" (to tolerate clock skew); without `not_after` it lasts `days`, or the profile's
/// default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Validity {
    /// Start of validity.
    pub not_before: Option<UnixTime>,
    /// End of validity.
    pub not_after: Option<UnixTime>,
    /// Lifetime in days, counted from `not_before`.
    pub days: Option<u32>,
}

/// How far `not_before` is set back from "now" when it is not given.
const BACKDATE_SECONDS: i64 = 300;

impl Validity {
    /// The concrete (not before, not after) pair for `profile` at time `now`.
    pub fn resolve(&self, profile: Profile, now: UnixTime) -> Result<(UnixTime, UnixTime), Error> {
        let not_before = self
            .not_before
            .unwrap_or(UnixTime(now.seconds().saturating_sub(BACKDATE_SECONDS)));
        let days = self.days.unwrap_or_else(|| profile.default_days());
        let lifetime = i64::from(days) * 86_400;
        let not_after = self
            .not_after
            .unwrap_or(UnixTime(not_before.seconds().saturating_add(lifetime)));
        if not_after <= not_before {
            return Err(Error::InvalidValidity {
                detail: format!(
                    "not after ({}) must be later than not before ({})",
                    not_after.to_rfc3339(),
                    not_before.to_rfc3339()
                ),
            });
        }
        if self.days == Some(0) {
            return Err(Error::InvalidValidity {
                detail: "the lifetime in days must be at least 1".into(),
            });
        }
        Ok((not_before, not_after))
    }
}

impl Subject {
    /// A subject with only a common name.
    pub fn common_name(name: impl Into<String>) -> Self {
        Self {
            common_name: Some(name.into()),
            ..Self::default()
        }
    }

    /// Whether no attribute is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The subject as RFC 4514 text, most specific attribute first (`CN=a,O=b,C=DE`).
    pub fn to_rfc4514(&self) -> String {
        let fields = [
            ("emailAddress", &self.email),
            ("CN", &self.common_name),
            ("OU", &self.organizational_unit),
            ("O", &self.organization),
            ("L", &self.locality),
            ("ST", &self.state),
            ("C", &self.country),
        ];
        let attributes: Vec<String> = fields
            .iter()
            .filter_map(|(short, value)| Some(format!("{short}={}", escape(value.as_ref()?))))
            .collect();
        attributes.join(",")
    }

    /// The subject as a DER `Name` (RFC 5280 section 4.1.2.4): one attribute per RDN, in the
    /// order C, ST, L, O, OU, CN, emailAddress; C as PrintableString (upper case),
    /// emailAddress as IA5String (PKCS#9), the others as UTF8String.
    pub(crate) fn to_der(&self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(128);
        let mut result = Ok(());
        write::sequence(&mut out, |out| {
            result = self.write_attributes(out);
        });
        result.map(|()| out)
    }

    fn write_attributes(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        if let Some(country) = &self.country {
            let valid = country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic());
            if !valid {
                return Err(Error::InvalidSubject {
                    field: "C",
                    detail: format!("'{country}' is not a two-letter country code"),
                });
            }
            let upper = country.to_ascii_uppercase();
            attribute(out, &rfc4519::COUNTRY_NAME, |out| {
                write::printable_string(out, &upper)
            })
            .map_err(|_| invalid_subject("C", format!("Invalid PrintableString: '{upper}'")))?;
        }
        let text_fields = [
            (rfc4519::ST, "ST", &self.state),
            (rfc4519::LOCALITY_NAME, "L", &self.locality),
            (rfc4519::ORGANIZATION_NAME, "O", &self.organization),
            (
                rfc4519::ORGANIZATIONAL_UNIT_NAME,
                "OU",
                &self.organizational_unit,
            ),
            (rfc4519::COMMON_NAME, "CN", &self.common_name),
        ];
        for (kind, field, value) in text_fields {
            if let Some(value) = value {
                check_length(field, value)?;
                attribute(out, &kind, |out| {
                    write::utf8_string(out, value);
                    Ok(())
                })
                .map_err(|_| invalid_subject(field, "not UTF-8"))?;
            }
        }
        if let Some(email) = &self.email {
            attribute(out, &rfc2985::PKCS_9_AT_EMAIL_ADDRESS, |out| {
                write::ia5_string(out, email)
            })
            .map_err(|_| {
                invalid_subject("emailAddress", format!("Invalid IA5String: '{email}'"))
            })?;
        }
        Ok(())
    }
}

/// One `RelativeDistinguishedName` holding one attribute: `SET { SEQUENCE { type, value } }`.
/// On error nothing is left written.
fn attribute(
    out: &mut Vec<u8>,
    kind: &ObjectIdentifier,
    value: impl FnOnce(&mut Vec<u8>) -> Result<(), write::Charset>,
) -> Result<(), write::Charset> {
    let start = out.len();
    let result = write::set_of(out, |out| {
        write::sequence(out, |out| {
            write::oid(out, kind);
            value(out)
        })
    });
    if result.is_err() {
        out.truncate(start);
    }
    result
}

impl CertificateParams {
    /// The subjectAltName entries to write: the given ones, or for a server certificate
    /// without any, its common name as a DNS name or IP address.
    /// Each must suit the profile (a wildcard only in a server certificate).
    pub fn effective_subject_alt_names(&self) -> Result<Vec<SubjectAltName>, Error> {
        if !self.subject_alt_names.is_empty() || !self.profile.is_server() {
            for name in &self.subject_alt_names {
                name.check_for_profile(self.profile)?;
            }
            return Ok(self.subject_alt_names.clone());
        }
        match &self.subject.common_name {
            Some(common_name) => Ok(vec![SubjectAltName::from_common_name(common_name)?]),
            None => Err(Error::InvalidProfile {
                detail: "a server certificate needs at least one subject alternative name or a common name".into(),
            }),
        }
    }

    /// The subject to write: the given one, or a common name taken from the first
    /// subjectAltName when the subject is empty.
    pub(crate) fn effective_subject(&self) -> Subject {
        if !self.subject.is_empty() {
            return self.subject.clone();
        }
        let common_name = match self.subject_alt_names.first() {
            Some(
                SubjectAltName::Dns(name) | SubjectAltName::Email(name) | SubjectAltName::Uri(name),
            ) => name.clone(),
            Some(SubjectAltName::Ip(address)) => ip_text(address),
            None => format!("mtlskit {}", self.profile),
        };
        Subject::common_name(common_name)
    }
}

fn ip_text(address: &IpAddr) -> String {
    address.to_string()
}

/// Upper bounds from RFC 5280 appendix A.1 (ub-common-name 64, ub-organization-name 64...).
fn check_length(field: &'static str, value: &str) -> Result<(), Error> {
    let limit = match field {
        "ST" | "L" => 128,
        _ => 64,
    };
    if value.is_empty() || value.chars().count() > limit {
        return Err(Error::InvalidSubject {
            field,
            detail: format!("must have 1 to {limit} characters"),
        });
    }
    Ok(())
}

fn invalid_subject(field: &'static str, error: impl core::fmt::Display) -> Error {
    Error::InvalidSubject {
        field,
        detail: error.to_string(),
    }
}

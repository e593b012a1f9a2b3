//! X.509 v3 extensions (RFC 5280 section 4.2): one file per extension, each decoding the DER
//! `extnValue` into a serde value for the inspection report.
//!
//! An extension mtlskit does not know is reported with its OID and hex value; one that fails
//! to decode is reported with the decoder's message and its hex value, never dropped.

mod alt_names;
mod authority_info_access;
mod basic_constraints;
mod certificate_policies;
mod crl_distribution_points;
mod extended_key_usage;
mod key_identifiers;
mod key_usage;
mod name_constraints;
mod policy_constraints;
mod sct_list;
mod tls_feature;

pub use basic_constraints::BasicConstraintsValue;
pub use name_constraints::NameConstraintsValue;

use serde::Serialize;
use x509_cert::ext::Extension;

use super::{general_name::GeneralNameReport, hex};

/// One extension in an inspection report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ExtensionReport {
    /// Dotted OID.
    pub oid: String,
    /// The extension's name (`basicConstraints`, ...), or the dotted OID.
    pub name: String,
    /// Whether a verifier that does not understand it must reject the certificate.
    pub critical: bool,
    /// The decoded value.
    pub value: ExtensionValue,
}

/// The decoded value of an extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum ExtensionValue {
    /// basicConstraints.
    BasicConstraints(BasicConstraintsValue),
    /// Lists of names: keyUsage bits, extendedKeyUsage purposes, TLS features.
    List(Vec<String>),
    /// subjectAltName, issuerAltName.
    GeneralNames(Vec<GeneralNameReport>),
    /// subjectKeyIdentifier: the identifier as lowercase hex.
    KeyIdentifier(String),
    /// authorityKeyIdentifier.
    AuthorityKeyIdentifier(key_identifiers::AuthorityKeyIdentifierValue),
    /// cRLDistributionPoints, freshestCRL.
    DistributionPoints(Vec<crl_distribution_points::DistributionPointValue>),
    /// authorityInfoAccess, subjectInfoAccess.
    AccessDescriptions(Vec<authority_info_access::AccessDescriptionValue>),
    /// certificatePolicies.
    Policies(Vec<certificate_policies::PolicyValue>),
    /// nameConstraints.
    NameConstraints(NameConstraintsValue),
    /// policyConstraints.
    PolicyConstraints(policy_constraints::PolicyConstraintsValue),
    /// policyMappings.
    PolicyMappings(Vec<policy_constraints::PolicyMappingValue>),
    /// inhibitAnyPolicy: the skip count.
    Count(u32),
    /// Signed certificate timestamps.
    Scts(sct_list::SctListValue),
    /// An extension mtlskit does not decode.
    Unknown {
        /// The DER `extnValue` contents as lowercase hex.
        hex: String,
    },
    /// An extension that failed to decode.
    Undecodable {
        /// The decoder's message.
        error: String,
        /// The DER `extnValue` contents as lowercase hex.
        hex: String,
    },
}

/// Why an extension's value did not decode: the message `Undecodable` reports.
#[derive(Debug)]
pub(crate) struct DecodeError(String);

impl From<der::Error> for DecodeError {
    fn from(error: der::Error) -> Self {
        Self(error.to_string())
    }
}

impl From<crate::asn1::read::DerError> for DecodeError {
    fn from(error: crate::asn1::read::DerError) -> Self {
        Self(error.to_string())
    }
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `x509-cert`'s general names as reported ([`describe_x509_name`]).
fn describe_x509_names(
    names: &[x509_cert::ext::pkix::name::GeneralName],
) -> Vec<GeneralNameReport> {
    names.iter().map(describe_x509_name).collect()
}

/// `x509-cert`'s general name as reported, through the core's reader (its DER, which
/// `x509-cert` accepted, reads the same: `x509::shared_tests`).
fn describe_x509_name(name: &x509_cert::ext::pkix::name::GeneralName) -> GeneralNameReport {
    use der::Encode;
    let der = name.to_der().unwrap_or_default();
    crate::asn1::read::parse(&der, super::general_name::read_general_name).map_or_else(
        |_| GeneralNameReport {
            name_type: "other",
            value: hex(&der),
        },
        |parsed| super::general_name::describe(&parsed),
    )
}

impl From<der::ErrorKind> for DecodeError {
    fn from(error: der::ErrorKind) -> Self {
        Self(der::Error::from(error).to_string())
    }
}

type Decoder = fn(&[u8]) -> Result<ExtensionValue, DecodeError>;

/// Decodes one extension.
pub fn describe(extension: &Extension) -> ExtensionReport {
    describe_parts(
        &extension.extn_id,
        extension.critical,
        extension.extn_value.as_bytes(),
    )
}

/// Decodes one extension from its parts: `extnID`, `critical` and the contents of `extnValue`.
pub(crate) fn describe_parts(
    extn_id: &der::asn1::ObjectIdentifier,
    critical: bool,
    bytes: &[u8],
) -> ExtensionReport {
    let oid = super::dotted(extn_id);
    let (name, decoder) = lookup(&oid);
    let value = match decoder {
        Some(decode) => decode(bytes).unwrap_or_else(|error| ExtensionValue::Undecodable {
            error: error.to_string(),
            hex: hex(bytes),
        }),
        None => ExtensionValue::Unknown { hex: hex(bytes) },
    };
    ExtensionReport {
        name: name.map_or_else(|| oid.clone(), str::to_owned),
        oid,
        critical,
        value,
    }
}

/// Decodes a list of extensions.
pub fn describe_all(extensions: Option<&Vec<Extension>>) -> Vec<ExtensionReport> {
    extensions.map_or_else(Vec::new, |list| list.iter().map(describe).collect())
}

/// The name of an extension OID (`basicConstraints`, ...), if mtlskit knows it.
pub fn name(oid: &str) -> Option<&'static str> {
    lookup(oid).0
}

fn lookup(oid: &str) -> (Option<&'static str>, Option<Decoder>) {
    let (name, decoder): (&str, Option<Decoder>) = match oid {
        "2.5.29.19" => ("basicConstraints", Some(basic_constraints::decode)),
        "2.5.29.15" => ("keyUsage", Some(key_usage::decode)),
        "2.5.29.37" => ("extendedKeyUsage", Some(extended_key_usage::decode)),
        "2.5.29.17" => ("subjectAltName", Some(alt_names::decode_subject)),
        "2.5.29.18" => ("issuerAltName", Some(alt_names::decode_issuer)),
        "2.5.29.14" => (
            "subjectKeyIdentifier",
            Some(key_identifiers::decode_subject),
        ),
        "2.5.29.35" => (
            "authorityKeyIdentifier",
            Some(key_identifiers::decode_authority),
        ),
        "2.5.29.31" => (
            "cRLDistributionPoints",
            Some(crl_distribution_points::decode),
        ),
        "2.5.29.46" => ("freshestCRL", Some(crl_distribution_points::decode)),
        "1.3.6.1.5.5.7.1.1" => ("authorityInfoAccess", Some(authority_info_access::decode)),
        "1.3.6.1.5.5.7.1.11" => ("subjectInfoAccess", Some(authority_info_access::decode)),
        "2.5.29.32" => ("certificatePolicies", Some(certificate_policies::decode)),
        "2.5.29.30" => ("nameConstraints", Some(name_constraints::decode)),
        "2.5.29.36" => ("policyConstraints", Some(policy_constraints::decode)),
        "2.5.29.33" => ("policyMappings", Some(policy_constraints::decode_mappings)),
        "2.5.29.54" => (
            "inhibitAnyPolicy",
            Some(policy_constraints::decode_inhibit_any_policy),
        ),
        "1.3.6.1.4.1.11129.2.4.2" => ("signedCertificateTimestampList", Some(sct_list::decode)),
        "1.3.6.1.5.5.7.1.24" => ("tlsFeature", Some(tls_feature::decode)),
        "1.3.6.1.4.1.11129.2.4.3" => ("ctPrecertificatePoison", None),
        "2.5.29.9" => ("subjectDirectoryAttributes", None),
        "2.5.29.16" => ("privateKeyUsagePeriod", None),
        "2.16.840.1.113730.1.1" => ("netscapeCertType", None),
        "2.16.840.1.113730.1.13" => ("netscapeComment", None),
        "1.3.6.1.4.1.311.20.2" => ("msCertificateTemplateName", None),
        "1.3.6.1.4.1.311.21.7" => ("msCertificateTemplate", None),
        "1.3.6.1.4.1.311.21.1" => ("msCaVersion", None),
        "1.3.6.1.5.5.7.1.3" => ("qcStatements", None),
        _ => return (None, None),
    };
    (Some(name), decoder)
}

#[cfg(test)]
mod tests {
    use der::asn1::{ObjectIdentifier, OctetString};

    use super::*;

    fn extension(oid: &str, value: &[u8]) -> Extension {
        Extension {
            extn_id: ObjectIdentifier::new_unwrap(oid),
            critical: true,
            extn_value: OctetString::new(value).unwrap(),
        }
    }

    /// The decoders on `asn1::read` against the ones before them (x509-cert's and der's): the
    /// same reports for every extension value of the corpora and every one-byte change and
    /// truncation of them; both fail on the same inputs (the message may differ).
    #[test]
    fn the_decoders_on_the_reader_report_what_the_ones_before_did() {
        let decoders: [(&[u8], Decoder, Decoder); 7] = [
            (
                &[0x55, 0x1d, 0x0e],
                key_identifiers::decode_subject,
                key_identifiers::decode_subject_before,
            ),
            (
                &[0x55, 0x1d, 0x21],
                policy_constraints::decode_mappings,
                policy_constraints::decode_mappings_before,
            ),
            (
                &[0x55, 0x1d, 0x36],
                policy_constraints::decode_inhibit_any_policy,
                policy_constraints::decode_inhibit_any_policy_before,
            ),
            (
                &[0x55, 0x1d, 0x13],
                basic_constraints::decode,
                basic_constraints::decode_before,
            ),
            (
                &[0x55, 0x1d, 0x0f],
                key_usage::decode,
                key_usage::decode_before,
            ),
            (
                &[0x55, 0x1d, 0x25],
                extended_key_usage::decode,
                extended_key_usage::decode_before,
            ),
            (
                &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x18],
                tls_feature::decode,
                tls_feature::decode_before,
            ),
        ];
        for (oid, new, old) in decoders {
            let values = crate::x509::shared_tests::extension_values(oid);
            let same = |bytes: &[u8]| match (new(bytes), old(bytes)) {
                (Ok(new), Ok(old)) => {
                    assert_eq!(new, old, "{bytes:02x?}");
                    true
                }
                (Err(_), Err(_)) => false,
                (new, old) => panic!("{bytes:02x?}: now {new:?}, before {old:?}"),
            };
            let valid = values.iter().filter(|value| same(value)).count();
            let (accepted, total) = crate::x509::shared_tests::each_change(&values, 100, same);
            eprintln!(
                "{oid:02x?}: {valid} of {} corpus values, {accepted} of {total} changed accepted by both",
                values.len()
            );
            assert!(
                accepted < total || total == 0,
                "{oid:02x?}: {accepted} of {total}"
            );
        }
        // Cases the corpora may lack: explicit DEFAULT FALSE, path lengths past u8, key usage
        // with padding bits set (der does not check them), empty lists, large feature numbers.
        for bytes in [
            &[0x30, 0x03, 0x01, 0x01, 0x00][..],
            &[0x30, 0x04, 0x02, 0x02, 0x01, 0x00],
            &[0x30, 0x04, 0x02, 0x02, 0x00, 0xff],
            &[0x30, 0x03, 0x02, 0x01, 0xff],
            &[0x03, 0x02, 0x07, 0x80],
            &[0x03, 0x02, 0x01, 0x87],
            &[0x03, 0x01, 0x01],
            &[0x03, 0x01, 0x00],
            &[0x30, 0x00],
            &[0x30, 0x04, 0x02, 0x02, 0x7f, 0xff],
            &[0x30, 0x05, 0x02, 0x03, 0x01, 0x00, 0x00],
            // policy mappings, inhibitAnyPolicy, key identifiers
            &[
                0x30, 0x0a, 0x30, 0x08, 0x06, 0x02, 0x2a, 0x03, 0x06, 0x02, 0x2a, 0x04,
            ],
            &[0x30, 0x08, 0x30, 0x06, 0x06, 0x02, 0x2a, 0x03, 0x06, 0x00],
            &[0x30, 0x06, 0x30, 0x04, 0x06, 0x02, 0x2a, 0x03],
            &[0x02, 0x01, 0x00],
            &[0x02, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff],
            &[0x02, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00],
            &[0x02, 0x01, 0xff],
            &[0x04, 0x00],
            &[0x04, 0x02, 0xab, 0xcd],
            &[0x24, 0x00],
        ] {
            for (_, new, old) in decoders {
                assert_eq!(new(bytes).ok(), old(bytes).ok(), "{bytes:02x?}");
            }
        }
    }

    #[test]
    fn unknown_and_broken_extensions_keep_their_bytes() {
        let unknown = describe(&extension("1.2.3.4", &[0x05, 0x00]));
        assert_eq!(unknown.name, "1.2.3.4");
        assert_eq!(
            unknown.value,
            ExtensionValue::Unknown { hex: "0500".into() }
        );
        let broken = describe(&extension("2.5.29.19", &[0x30, 0x05]));
        assert!(
            matches!(broken.value, ExtensionValue::Undecodable { ref hex, .. } if hex == "3005")
        );
    }
}

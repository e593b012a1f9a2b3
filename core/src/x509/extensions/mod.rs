//! X.509 v3 extensions (RFC 5280 section 4.2): one file per extension, each decoding the DER
//! `extnValue` into a serde value for the inspection report.
//!
//! An extension mtlskit does not know is reported with its OID and hex value; one that fails
//! to decode is reported with the decoder's message and its hex value, never dropped.
//!
//! Every decoder reads with the core's DER reader (`asn1::read`); the `x509-cert`/`der`
//! decoders they replaced are kept test-only (`decode_before`) and the tests compare the two on
//! the corpora, hand-made cases and every one-byte change and truncation: same reports, failing
//! on the same inputs (the `Undecodable` message is the reader's: "expected ... at byte N").

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
pub(crate) use basic_constraints::{read_basic_constraints, read_basic_constraints_saying};
pub(crate) use crl_distribution_points::check_reason_flags;
pub use name_constraints::NameConstraintsValue;

use serde::Serialize;
#[cfg(test)]
use x509_cert::ext::Extension;

use super::{general_name::GeneralNameReport, hex};
use crate::asn1::read;

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

#[cfg(test)]
impl From<der::Error> for DecodeError {
    fn from(error: der::Error) -> Self {
        Self(error.to_string())
    }
}

impl From<read::DerError> for DecodeError {
    fn from(error: read::DerError) -> Self {
        Self(error.to_string())
    }
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `x509-cert`'s general names as reported ([`describe_x509_name`]): the decoders before
/// `asn1::read`, for the differential test.
#[cfg(test)]
fn describe_x509_names(
    names: &[x509_cert::ext::pkix::name::GeneralName],
) -> Vec<GeneralNameReport> {
    names.iter().map(describe_x509_name).collect()
}

/// `x509-cert`'s general name as reported, through the core's reader (its DER, which
/// `x509-cert` accepted, reads the same: `x509::shared_tests`).
#[cfg(test)]
fn describe_x509_name(name: &x509_cert::ext::pkix::name::GeneralName) -> GeneralNameReport {
    use der::Encode;
    let der = name.to_der().unwrap_or_default();
    read::parse(&der, super::general_name::read_general_name).map_or_else(
        |_| GeneralNameReport {
            name_type: "other",
            value: hex(&der),
        },
        |parsed| super::general_name::describe(&parsed),
    )
}

/// The `[number] IMPLICIT GeneralNames` of `tlv` (constructed; empty accepted, as `x509-cert`
/// accepts it), as reported.
fn implicit_general_names(tlv: &read::Tlv<'_>) -> read::Result<Vec<GeneralNameReport>> {
    let mut list = tlv.reader()?;
    let mut names = Vec::with_capacity(2);
    while !list.is_empty() {
        names.push(super::general_name::describe(
            &super::general_name::read_general_name(&mut list)?,
        ));
    }
    Ok(names)
}

/// An IMPLICIT-tagged INTEGER's contents as a `u32`, as `der` decodes one: minimal two's
/// complement, non-negative, fitting 32 bits (one leading zero byte allowed for the sign).
fn implicit_u32(tlv: &read::Tlv<'_>) -> read::Result<u32> {
    let error = read::DerError {
        offset: tlv.offset,
        expected: "an INTEGER of 0..2^32-1",
    };
    let magnitude = match tlv.contents {
        [] => return Err(error),
        [0x00, next, ..] if next & 0x80 == 0 => return Err(error),
        [first, ..] if first & 0x80 != 0 => return Err(error),
        [0x00, rest @ ..] => rest,
        all => all,
    };
    if magnitude.len() > 4 {
        return Err(error);
    }
    Ok(magnitude
        .iter()
        .fold(0u32, |value, byte| (value << 8) | u32::from(*byte)))
}

#[cfg(test)]
impl From<der::ErrorKind> for DecodeError {
    fn from(error: der::ErrorKind) -> Self {
        Self(der::Error::from(error).to_string())
    }
}

type Decoder = fn(&[u8]) -> Result<ExtensionValue, DecodeError>;

/// Decodes one `x509-cert` extension: the tests' oracles (`_before` paths).
#[cfg(test)]
pub(crate) fn describe(extension: &Extension) -> ExtensionReport {
    describe_parts(
        &extension.extn_id,
        extension.critical,
        extension.extn_value.as_bytes(),
    )
}

/// Decodes one extension from its parts: `extnID`, `critical` and the contents of `extnValue`.
pub(crate) fn describe_parts(
    extn_id: &const_oid::ObjectIdentifier,
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

/// Decodes a list of `x509-cert` extensions: the tests' oracles (`_before` paths).
#[cfg(test)]
pub(crate) fn describe_all(extensions: Option<&Vec<Extension>>) -> Vec<ExtensionReport> {
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
        let decoders: [(&[u8], Decoder, Decoder); 16] = [
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
            (
                &[0x55, 0x1d, 0x23],
                key_identifiers::decode_authority,
                key_identifiers::decode_authority_before,
            ),
            (
                &[0x55, 0x1d, 0x1f],
                crl_distribution_points::decode,
                crl_distribution_points::decode_before,
            ),
            (
                &[0x55, 0x1d, 0x2e],
                crl_distribution_points::decode,
                crl_distribution_points::decode_before,
            ),
            (
                &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01],
                authority_info_access::decode,
                authority_info_access::decode_before,
            ),
            (
                &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x0b],
                authority_info_access::decode,
                authority_info_access::decode_before,
            ),
            (
                &[0x55, 0x1d, 0x20],
                certificate_policies::decode,
                certificate_policies::decode_before,
            ),
            (
                &[0x55, 0x1d, 0x24],
                policy_constraints::decode,
                policy_constraints::decode_before,
            ),
            (
                &[0x55, 0x1d, 0x1e],
                name_constraints::decode,
                name_constraints::decode_before,
            ),
            (
                &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02],
                sct_list::decode,
                sct_list::decode_before,
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

    fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
        let contents = parts.concat();
        let mut out = Vec::new();
        crate::asn1::write::tlv(&mut out, tag, &contents);
        out
    }

    /// The cases the corpora lack for the decoders moved second (relative names, reason
    /// flags, CRL issuers, AKI issuers and serials, policy qualifiers of every kind, subtree
    /// distances, skip counts, SCT lists), and every one-byte change and truncation of them:
    /// the same reports, failing on the same inputs.
    #[test]
    fn the_second_decoders_report_what_the_ones_before_did_on_made_cases() {
        let oid = |bytes: &[u8]| tlv(0x06, &[bytes]);
        let cn = |value: &[u8]| tlv(0x30, &[&oid(&[0x55, 0x04, 0x03]), &tlv(0x0c, &[value])]);
        let o = |value: &[u8]| tlv(0x30, &[&oid(&[0x55, 0x04, 0x0a]), &tlv(0x13, &[value])]);
        let uri = tlv(0x86, &[b"http://c/x.crl"]);
        let dns = tlv(0x82, &[b"a.example"]);
        let directory = tlv(0xa4, &[&tlv(0x30, &[&tlv(0x31, &[&cn(b"b")])])]);
        let ip_range = tlv(0x87, &[&[10, 0, 0, 0, 255, 0, 0, 0]]);
        // CRL distribution points: full names, an unsorted multi-valued relative name, reason
        // flags of 9, 16 and 17 bits, a CRL issuer, fields out of order, an empty point.
        let full = tlv(0xa0, &[&tlv(0xa0, &[&uri, &directory])]);
        let relative = tlv(0xa0, &[&tlv(0xa1, &[&o(b"zz"), &cn(b"a"), &cn(b"b")])]);
        let reasons = |bits: &[u8]| tlv(0x81, &[bits]);
        let issuer = tlv(0xa2, &[&dns, &directory]);
        let points: Vec<Vec<u8>> = vec![
            tlv(0x30, &[&tlv(0x30, &[&full])]),
            tlv(
                0x30,
                &[&tlv(0x30, &[&relative, &reasons(&[0x07, 0x80, 0x80])])],
            ),
            tlv(
                0x30,
                &[&tlv(0x30, &[&full, &reasons(&[0x00, 0xff, 0xff]), &issuer])],
            ),
            tlv(
                0x30,
                &[&tlv(0x30, &[&full, &reasons(&[0x07, 0xff, 0xff, 0x80])])],
            ),
            tlv(
                0x30,
                &[
                    &tlv(0x30, &[&full, &reasons(&[0x00])]),
                    &tlv(0x30, &[&issuer]),
                ],
            ),
            tlv(0x30, &[&tlv(0x30, &[&issuer, &full])]),
            tlv(0x30, &[&tlv(0x30, &[])]),
            tlv(0x30, &[]),
        ];
        // Authority key identifiers: every field, serials of 21 and 22 bytes, negative ones.
        let key_id = tlv(0x80, &[&[1, 2, 3]]);
        let serial = |bytes: &[u8]| tlv(0x82, &[bytes]);
        let authority: Vec<Vec<u8>> = vec![
            tlv(
                0x30,
                &[&key_id, &tlv(0xa1, &[&directory]), &serial(&[0x00, 0x80])],
            ),
            tlv(0x30, &[&tlv(0xa1, &[]), &serial(&[0x7f; 21])]),
            tlv(0x30, &[&serial(&[0x7f; 22])]),
            tlv(0x30, &[&serial(&[0xff, 0x01])]),
            tlv(0x30, &[&serial(&[0x00, 0x01])]),
            tlv(0x30, &[&serial(&[])]),
            tlv(0x30, &[&serial(&[0x01]), &key_id]),
            tlv(0x30, &[]),
        ];
        // Access descriptions with each kind of location.
        let access: Vec<Vec<u8>> = vec![tlv(
            0x30,
            &[
                &tlv(0x30, &[&oid(&[0x2b, 6, 1, 5, 5, 7, 0x30, 1]), &uri]),
                &tlv(0x30, &[&oid(&[0x2b, 6, 1, 5, 5, 7, 0x30, 2]), &directory]),
                &tlv(0x30, &[&oid(&[0x2a, 3]), &tlv(0x88, &[&[0x2a, 3]])]),
            ],
        )];
        // Policies: CPS URIs, a non-ASCII IA5String, a user notice, a bare qualifier id, an
        // empty qualifier list, an INTEGER qualifier.
        let qualifier = |id: &[u8], value: &[&[u8]]| {
            let mut parts = vec![oid(id)];
            parts.extend(value.iter().map(|part| part.to_vec()));
            let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
            tlv(0x30, &parts)
        };
        let cps = [0x2b, 6, 1, 5, 5, 7, 2, 1];
        let notice = [0x2b, 6, 1, 5, 5, 7, 2, 2];
        let policies: Vec<Vec<u8>> = vec![tlv(
            0x30,
            &[
                &tlv(
                    0x30,
                    &[
                        &oid(&[0x55, 0x1d, 0x20, 0x00]),
                        &tlv(
                            0x30,
                            &[
                                &qualifier(&cps, &[&tlv(0x16, &[b"http://cps"])]),
                                &qualifier(&cps, &[&tlv(0x16, &[&[0xc3, 0xa9]])]),
                                &qualifier(&notice, &[&tlv(0x30, &[&tlv(0x0c, &[b"t"])])]),
                                &qualifier(&notice, &[]),
                                &qualifier(&cps, &[&tlv(0x02, &[&[0x00, 0x01]])]),
                            ],
                        ),
                    ],
                ),
                &tlv(0x30, &[&oid(&[0x67, 0x81, 0x0c, 1, 2, 1]), &tlv(0x30, &[])]),
                &tlv(0x30, &[&oid(&[0x2a, 3])]),
            ],
        )];
        // Policy constraints: both, one, 32-bit limits, non-minimal, constructed.
        let skip = |tag: u8, bytes: &[u8]| tlv(tag, &[bytes]);
        let constraints: Vec<Vec<u8>> = vec![
            tlv(0x30, &[&skip(0x80, &[0x00]), &skip(0x81, &[0x05])]),
            tlv(0x30, &[&skip(0x81, &[0x00, 0xff, 0xff, 0xff, 0xff])]),
            tlv(0x30, &[&skip(0x80, &[0x01, 0x00, 0x00, 0x00, 0x00])]),
            tlv(0x30, &[&skip(0x80, &[0x00, 0x05])]),
            tlv(0x30, &[&skip(0x80, &[0x80])]),
            tlv(0x30, &[&skip(0xa0, &[0x02, 0x01, 0x00])]),
            tlv(0x30, &[&skip(0x81, &[0x01]), &skip(0x80, &[0x01])]),
            tlv(0x30, &[]),
        ];
        // Name constraints: minimum and maximum, an explicit minimum of 0, ranges, directory
        // names, an empty subtree list, only excluded.
        let subtree = |parts: &[&[u8]]| tlv(0x30, parts);
        let names: Vec<Vec<u8>> = vec![
            tlv(
                0x30,
                &[
                    &tlv(
                        0xa0,
                        &[
                            &subtree(&[&dns]),
                            &subtree(&[&directory, &skip(0x80, &[0x00])]),
                            &subtree(&[&ip_range, &skip(0x80, &[0x01]), &skip(0x81, &[0x02])]),
                        ],
                    ),
                    &tlv(0xa1, &[&subtree(&[&uri, &skip(0x81, &[0x00, 0x80])])]),
                ],
            ),
            tlv(
                0x30,
                &[&tlv(0xa1, &[&subtree(&[&tlv(0x87, &[&[1, 2, 3, 4]])])])],
            ),
            tlv(0x30, &[&tlv(0xa0, &[])]),
            tlv(0x30, &[]),
        ];
        // SCT lists: one SCT, an empty list, trailing bytes.
        let mut sct = vec![0u8];
        sct.extend([7u8; 32]);
        sct.extend(1_700_000_000_000u64.to_be_bytes());
        sct.extend([0, 0, 0, 0]);
        let length = |bytes: &[u8]| u16::try_from(bytes.len()).unwrap().to_be_bytes();
        let one = [&length(&sct)[..], &sct].concat();
        let list = [&length(&one)[..], &one].concat();
        let scts: Vec<Vec<u8>> = vec![
            tlv(0x04, &[&list]),
            tlv(0x04, &[&[0, 0]]),
            tlv(0x04, &[&list, &[0]]),
        ];
        let cases: [(Decoder, Decoder, &[Vec<u8>]); 7] = [
            (
                crl_distribution_points::decode,
                crl_distribution_points::decode_before,
                &points,
            ),
            (
                key_identifiers::decode_authority,
                key_identifiers::decode_authority_before,
                &authority,
            ),
            (
                authority_info_access::decode,
                authority_info_access::decode_before,
                &access,
            ),
            (
                certificate_policies::decode,
                certificate_policies::decode_before,
                &policies,
            ),
            (
                policy_constraints::decode,
                policy_constraints::decode_before,
                &constraints,
            ),
            (
                name_constraints::decode,
                name_constraints::decode_before,
                &names,
            ),
            (sct_list::decode, sct_list::decode_before, &scts),
        ];
        for (new, old, values) in cases {
            let same = |bytes: &[u8]| match (new(bytes), old(bytes)) {
                (Ok(new), Ok(old)) => {
                    assert_eq!(new, old, "{bytes:02x?}");
                    true
                }
                (Err(_), Err(_)) => false,
                (new, old) => panic!("{bytes:02x?}: now {new:?}, before {old:?}"),
            };
            let valid = values.iter().filter(|value| same(value)).count();
            let (accepted, total) = crate::x509::shared_tests::each_change(values, 100, same);
            eprintln!(
                "{valid} of {} made values, {accepted} of {total} changed accepted by both",
                values.len()
            );
            assert!(
                valid > 0 && accepted < total,
                "{valid}; {accepted} of {total}"
            );
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

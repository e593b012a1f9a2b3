//! A certificate decoded once for verification: the exact signed bytes, the fields the checks
//! use, and its extensions decoded into typed values.
//!
//! The DER is decoded once, by a borrowing view with the fields and rules of x509-cert's
//! RFC 5280 `Certificate` (the same types where it validates: version, serial number, names,
//! validity; borrowed algorithm identifiers, key, signature and extension values), so that no
//! field is copied and each extension value is decoded once, into its typed value.
//!
//! Extensions are decoded here; whether their presence, criticality and content are allowed is
//! decided in `profile.rs`. A decoding problem in an extension is kept as a `defect` (or a
//! `quirk`, for extensions that do not constrain paths) so that the certificate can still be
//! named in explanations.

use core::ops::Range;

use const_oid::AssociatedOid;
use der::asn1::{AnyRef, BitStringRef, OctetStringRef};
use der::{Decode, Encode, Reader, Sequence, SliceReader, Tag};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use x509_cert::Certificate;
use x509_cert::certificate::{Rfc5280, Version};
use x509_cert::ext::pkix::constraints::{BasicConstraints, NameConstraints, PolicyConstraints};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, CertificatePolicies, ExtendedKeyUsage,
    InhibitAnyPolicy, KeyUsage, PolicyMapping, PolicyMappings, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

use crate::asn1::read;
use crate::crypto::{PublicKeyKind, SpkiRef, parse_spki, public_key_kind};
use crate::x509::plain_der::{
    algorithm as plain_algorithm, bits as plain_bits, oid as plain_oid, tlv as plain_tlv,
    tlv_whole as plain_tlv_whole, utc_time as plain_utc_time,
};
use crate::{Error, UnixTime};

thread_local! {
    static DECODED: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
}

/// How many certificates this thread has decoded for verification so far: a [`TrustStore`]'s
/// anchors when it is made, the leaf and intermediates at each verification. Tests use it to
/// show that a store's anchors are decoded once.
///
/// [`TrustStore`]: super::TrustStore
pub fn certificates_decoded() -> u64 {
    DECODED.with(core::cell::Cell::get)
}

/// One certificate, decoded, with the fields verification needs.
#[derive(Debug, Clone)]
pub(crate) struct ParsedCertificate {
    /// The DER of the whole certificate.
    pub(crate) der: Vec<u8>,
    /// Where it came from, e.g. `server.crt` or `trust anchor 2`.
    pub(crate) label: String,
    /// Where tbsCertificate and its subjectPublicKeyInfo are in `der`.
    layout: Layout,
    /// Where the signature bytes are in `der` (none when the BIT STRING has unused bits); the
    /// signatureAlgorithm and the subject public key are read again from `der` (a few TLV
    /// headers) by [`Self::signature`] and [`Self::spki`].
    signature_value: Option<Range<usize>>,
    pub(crate) version: Version,
    pub(crate) serial_number: SerialNumber<Rfc5280>,
    /// Whether tbsCertificate has an extensions field.
    pub(crate) has_extensions: bool,
    /// Whether issuerUniqueID or subjectUniqueID is present.
    pub(crate) has_unique_identifiers: bool,
    /// Whether signatureAlgorithm equals the signature field of tbsCertificate.
    pub(crate) signature_fields_agree: bool,
    /// The subject name in the forms verification compares and shows (the `Name` itself is
    /// decoded when asked: [`Self::subject_name`]).
    pub(crate) subject: NameForms,
    /// The issuer name in the same forms.
    pub(crate) issuer: NameForms,
    pub(crate) not_before: UnixTime,
    pub(crate) not_after: UnixTime,
    /// What the subject public key is (decoded once: the profile checks look at it for every
    /// path the certificate is in).
    pub(crate) key_kind: Result<PublicKeyKind, Error>,
    pub(crate) extensions: Extensions,
    /// The first problem met while decoding an extension that constrains paths (basic
    /// constraints, key usages, name and policy constraints), if any.
    pub(crate) defect: Option<Error>,
    /// The first problem met while decoding another extension (names, key identifiers,
    /// access information), if any: it does not matter in a trust anchor.
    pub(crate) quirk: Option<Error>,
}

/// Decoded extensions, each with its critical flag where the profile cares.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extensions {
    pub(crate) basic_constraints: Option<(BasicConstraints, bool)>,
    pub(crate) key_usage: Option<KeyUsage>,
    pub(crate) extended_key_usage: Option<(ExtendedKeyUsage, bool)>,
    pub(crate) subject_alt_name: Option<(Vec<GeneralName>, bool)>,
    pub(crate) name_constraints: Option<(NameConstraints, bool)>,
    pub(crate) authority_key_identifier: Option<AuthorityKeyIdentifier>,
    pub(crate) subject_key_identifier: Option<Vec<u8>>,
    /// Whether authorityKeyIdentifier or subjectKeyIdentifier is marked critical.
    pub(crate) key_identifier_critical: bool,
    pub(crate) policy_constraints: Option<(PolicyConstraints, bool)>,
    /// The policy OIDs of certificatePolicies, each once, in order (qualifiers are not used).
    pub(crate) certificate_policies: Option<Vec<const_oid::ObjectIdentifier>>,
    /// Whether certificatePolicies lists an OID twice (RFC 5280 4.2.1.4 forbids it).
    pub(crate) repeated_policy: bool,
    pub(crate) policy_mappings: Option<Vec<PolicyMapping>>,
    /// inhibitAnyPolicy SkipCerts and its critical flag.
    pub(crate) inhibit_any_policy: Option<(u32, bool)>,
    pub(crate) authority_info_access: Option<bool>,
    /// OIDs of critical extensions that no field above handles.
    pub(crate) unknown_critical: Vec<String>,
    /// OIDs that appear more than once (RFC 5280 section 4.2).
    pub(crate) duplicates: Vec<String>,
}

/// x509-cert's `Certificate` (RFC 5280 profile), field for field with the same attributes,
/// borrowing what x509-cert would copy.
#[derive(Sequence)]
struct CertificateView<'a> {
    tbs_certificate: TbsView<'a>,
    signature_algorithm: AlgorithmIdentifierRef<'a>,
    signature: BitStringRef<'a>,
}

/// x509-cert's `TbsCertificate` (RFC 5280 profile), borrowing.
#[derive(Sequence)]
struct TbsView<'a> {
    #[asn1(context_specific = "0", default = "Default::default")]
    version: Version,
    serial_number: SerialNumber<Rfc5280>,
    signature: AlgorithmIdentifierRef<'a>,
    issuer: Name,
    validity: Validity<Rfc5280>,
    subject: Name,
    subject_public_key_info: SubjectPublicKeyInfoRef<'a>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    issuer_unique_id: Option<BitStringRef<'a>>,
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", optional = "true")]
    subject_unique_id: Option<BitStringRef<'a>>,
    /// x509-cert's `Option<Vec<Extension>>`, decoded by [`extension_list`].
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<AnyRef<'a>>,
}

/// x509-cert's `Extension`, its value borrowed.
#[derive(Sequence)]
struct ExtensionView<'a> {
    extn_id: const_oid::ObjectIdentifier,
    #[asn1(default = "Default::default")]
    critical: bool,
    extn_value: &'a OctetStringRef,
}

/// Where the parts of a certificate are in its DER.
#[derive(Debug, Clone)]
struct Layout {
    tbs: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
}

/// A name in the forms verification uses: comparable (RFC 5280 7.1), RFC 4514 text, empty.
#[derive(Debug, Clone)]
pub(crate) struct NameForms {
    /// The comparable form of [`comparable_name`].
    pub(crate) comparable: Vec<u8>,
    /// RFC 4514 text.
    pub(crate) text: String,
    /// Whether the name has no RDN.
    pub(crate) empty: bool,
}

impl NameForms {
    fn of(name: &Name) -> Self {
        Self {
            comparable: comparable_name(name),
            text: display_name(name),
            empty: name.is_empty(),
        }
    }
}

impl ParsedCertificate {
    /// Decodes `der`; fails only when the certificate itself is not valid DER.
    pub(crate) fn parse(der: &[u8], label: &str) -> Result<Self, Error> {
        DECODED.with(|count| count.set(count.get() + 1));
        match Self::parse_plain(der, label) {
            Some(certificate) => Ok(certificate),
            None => Self::parse_general(der, label),
        }
    }

    /// Decodes a certificate in the plain DER shape nearly every certificate has, without
    /// der's generic reader and without owned names: version 3, no unique identifiers,
    /// names of single-attribute RDNs with PrintableString or UTF8String values, algorithm
    /// parameters absent, NULL, an OID or a SEQUENCE, BIT STRINGs without unused bits,
    /// minimal lengths below 64 KiB. `None` for anything else (not necessarily an error:
    /// [`Self::parse_general`] decides). What it accepts, the general decoder accepts with
    /// the same values (a test compares the two).
    fn parse_plain(der: &[u8], label: &str) -> Option<Self> {
        let (_, certificate, rest) = plain_tlv_whole(der, 0x30)?;
        if !rest.is_empty() {
            return None;
        }
        let (tbs_tlv, tbs, after_tbs) = plain_tlv_whole(certificate, 0x30)?;
        // [0] EXPLICIT version: v3
        let rest = tbs.strip_prefix(&[0xa0, 0x03, 0x02, 0x01, 0x02])?;
        let (serial_tlv, _, rest) = plain_tlv_whole(rest, 0x02)?;
        let serial_number = SerialNumber::<Rfc5280>::from_der(serial_tlv).ok()?;
        let (tbs_signature, rest) = plain_algorithm(rest)?;
        let (issuer_contents, rest) = plain_tlv(rest, 0x30)?;
        let issuer = plain_name(issuer_contents)?;
        let (validity_tlv, validity, rest) = plain_tlv_whole(rest, 0x30)?;
        let (not_before, not_after) = match plain_validity(validity) {
            Some(times) => times,
            None => {
                let validity = Validity::<Rfc5280>::from_der(validity_tlv).ok()?;
                (
                    UnixTime::from_x509(&validity.not_before),
                    UnixTime::from_x509(&validity.not_after),
                )
            }
        };
        let (subject_tlv, subject_contents, rest) = plain_tlv_whole(rest, 0x30)?;
        let subject = plain_name(subject_contents)?;
        let (spki_tlv, spki_contents, rest) = plain_tlv_whole(rest, 0x30)?;
        let (_, key_rest) = plain_algorithm(spki_contents)?;
        let (_, key_rest) = plain_bits(key_rest)?;
        if !key_rest.is_empty() {
            return None;
        }
        // [3] EXPLICIT extensions, the last field (no unique identifiers)
        let extensions = if rest.is_empty() {
            None
        } else {
            let (_, wrapped, rest) = plain_tlv_whole(rest, 0xa3)?;
            let (_, list, after) = plain_tlv_whole(wrapped, 0x30)?;
            if !rest.is_empty() || !after.is_empty() {
                return None;
            }
            Some(extension_list(AnyRef::new(Tag::Sequence, list).ok()?)?)
        };
        let (signature_algorithm, rest) = plain_algorithm(after_tbs)?;
        let (signature, rest) = plain_bits(rest)?;
        if !rest.is_empty() {
            return None;
        }
        let (mut defect, mut quirk) = (None, None);
        let decoded = decode_extensions(extensions.as_deref(), &mut defect, &mut quirk);
        Some(Self {
            der: der.to_vec(),
            label: label.to_owned(),
            layout: Layout {
                tbs: offset(der, tbs_tlv),
                subject: offset(der, subject_tlv),
                spki: offset(der, spki_tlv),
            },
            version: Version::V3,
            subject,
            issuer,
            has_extensions: extensions.is_some(),
            has_unique_identifiers: false,
            signature_fields_agree: tbs_signature == signature_algorithm,
            signature_value: Some(offset(der, signature)),
            not_before,
            not_after,
            key_kind: public_key_kind(spki_tlv),
            serial_number,
            extensions: decoded,
            defect,
            quirk,
        })
    }

    /// Decodes any certificate x509-cert's RFC 5280 `Certificate` decodes, with its rules.
    fn parse_general(der: &[u8], label: &str) -> Result<Self, Error> {
        // Same DER rules as x509-cert's `Certificate`: its error, worded as it always was.
        let refused = |error: Option<der::Error>| match Certificate::from_der(der).err() {
            Some(error) => Error::der("certificate", error),
            None => match error {
                Some(error) => Error::der("certificate", error),
                None => Error::InvalidDer {
                    structure: "certificate",
                    detail: "malformed extensions".to_owned(),
                },
            },
        };
        let view = CertificateView::from_der(der).map_err(|error| refused(Some(error)))?;
        let extension_list = match view.tbs_certificate.extensions {
            Some(list) => Some(extension_list(list).ok_or_else(|| refused(None))?),
            None => None,
        };
        let layout = layout(der).ok_or_else(|| Error::InvalidDer {
            structure: "certificate",
            detail: "cannot locate tbsCertificate".to_owned(),
        })?;
        let CertificateView {
            tbs_certificate: tbs,
            signature_algorithm,
            signature,
        } = view;
        let key_kind = public_key_kind(der.get(layout.spki.clone()).unwrap_or_default());
        let (mut defect, mut quirk) = (None, None);
        let extensions = decode_extensions(extension_list.as_deref(), &mut defect, &mut quirk);
        let (subject, issuer) = (NameForms::of(&tbs.subject), NameForms::of(&tbs.issuer));
        Ok(Self {
            der: der.to_vec(),
            label: label.to_owned(),
            layout,
            version: tbs.version,
            subject,
            issuer,
            has_extensions: tbs.extensions.is_some(),
            has_unique_identifiers: tbs.issuer_unique_id.is_some()
                || tbs.subject_unique_id.is_some(),
            signature_fields_agree: tbs.signature == signature_algorithm,
            signature_value: signature.as_bytes().map(|bytes| offset(der, bytes)),
            not_before: UnixTime::from_x509(&tbs.validity.not_before),
            not_after: UnixTime::from_x509(&tbs.validity.not_after),
            key_kind,
            serial_number: tbs.serial_number,
            extensions,
            defect,
            quirk,
        })
    }

    /// The subject name, decoded from the DER (already decoded once, so it decodes).
    pub(crate) fn subject_name(&self) -> Name {
        let subject = self
            .der
            .get(self.layout.subject.clone())
            .unwrap_or_default();
        Name::from_der(subject).unwrap_or_default()
    }

    /// The DER of tbsCertificate exactly as signed.
    pub(crate) fn tbs(&self) -> &[u8] {
        self.der.get(self.layout.tbs.clone()).unwrap_or_default()
    }

    /// The DER of subjectPublicKeyInfo (equal keys have equal bytes).
    pub(crate) fn spki_der(&self) -> &[u8] {
        self.der.get(self.layout.spki.clone()).unwrap_or_default()
    }

    /// subjectPublicKeyInfo, borrowed from the DER (decoded when the certificate was).
    pub(crate) fn spki(&self) -> Option<SpkiRef<'_>> {
        parse_spki(self.spki_der()).ok()
    }

    /// signatureAlgorithm and the signature bytes, borrowed from the DER.
    pub(crate) fn signature(&self) -> Option<(read::AlgorithmIdentifier<'_>, &[u8])> {
        let value = self.der.get(self.signature_value.clone()?)?;
        let algorithm = read::parse(&self.der, |reader| {
            reader.read_sequence(|certificate| {
                certificate.tlv()?;
                let algorithm = certificate.algorithm()?;
                certificate.tlv()?;
                Ok(algorithm)
            })
        });
        Some((algorithm.ok()?, value))
    }

    /// Whether subject and issuer are the same name (RFC 5280 section 6.1: self-issued).
    pub(crate) fn is_self_issued(&self) -> bool {
        self.subject.comparable == self.issuer.comparable
    }

    /// Whether basicConstraints asserts cA.
    pub(crate) fn is_ca(&self) -> bool {
        self.extensions
            .basic_constraints
            .as_ref()
            .is_some_and(|(constraints, _)| constraints.ca)
    }

    /// Whether this is a version 1 or 2 certificate (no extensions possible).
    pub(crate) fn is_legacy_version(&self) -> bool {
        self.version != Version::V3
    }

    /// The subject names in the subjectAltName extension (empty without one).
    pub(crate) fn alt_names(&self) -> &[GeneralName] {
        self.extensions
            .subject_alt_name
            .as_ref()
            .map_or(&[], |(names, _)| names.as_slice())
    }

    /// The serial number in hex, colon separated: the text of x509-cert's `Display`
    /// (`0A:1B`), without its formatting machinery per byte.
    pub(crate) fn serial_hex(&self) -> String {
        colon_hex(self.serial_number.as_bytes())
    }
}

/// Uppercase hex digits, a colon between bytes.
fn colon_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let digit = |nibble: u8| char::from(DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0'));
    let mut out = String::with_capacity(bytes.len() * 3);
    for (index, byte) in bytes.iter().enumerate() {
        if index > 0 {
            out.push(':');
        }
        out.push(digit(byte >> 4));
        out.push(digit(byte & 0x0f));
    }
    out
}

/// RFC 4514 text of a name; `(empty)` for the empty name.
pub(crate) fn display_name(name: &Name) -> String {
    let text = crate::x509::display_name::display(name);
    if text.is_empty() {
        "(empty name)".to_owned()
    } else {
        text
    }
}

/// A form of `name` in which equal names (RFC 5280 section 7.1) have equal bytes: string
/// values are compared after case folding and white-space compression (the LDAP StringPrep
/// rules reduced to ASCII), whatever their string type; other values by their DER.
pub(crate) fn comparable_name(name: &Name) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    for rdn in name.iter_rdn() {
        let mut attributes = rdn.iter();
        let (Some(single), None) = (attributes.next(), attributes.next()) else {
            // Multi-valued (or empty): its attributes sorted, as comparable_rdns does.
            let rdn = comparable_rdn(rdn);
            out.extend((rdn.len() as u64).to_be_bytes());
            out.extend(rdn);
            continue;
        };
        // One attribute, the usual case: the same bytes written in place, the two lengths
        // filled in after the attribute.
        let start = out.len();
        out.extend([0; 16]);
        comparable_attribute(single, &mut out);
        let length = (out.len() - start - 16) as u64;
        if let Some(lengths) = out.get_mut(start..start + 16) {
            let (rdn, attribute) = lengths.split_at_mut(8);
            rdn.copy_from_slice(&(length + 8).to_be_bytes());
            attribute.copy_from_slice(&length.to_be_bytes());
        }
    }
    out
}

/// Each relative distinguished name of `name` in the comparable form of [`comparable_name`]
/// (the attributes of a multi-valued RDN sorted), for comparing name prefixes
/// (directoryName constraints, RFC 5280 section 4.2.1.10).
pub(crate) fn comparable_rdns(name: &Name) -> Vec<Vec<u8>> {
    name.iter_rdn().map(comparable_rdn).collect()
}

/// One relative distinguished name in comparable form: its attributes sorted, each prefixed by
/// its length.
fn comparable_rdn(rdn: &x509_cert::name::RelativeDistinguishedName) -> Vec<u8> {
    let mut attributes: Vec<Vec<u8>> = rdn
        .iter()
        .map(|attribute| {
            let mut bytes = Vec::new();
            comparable_attribute(attribute, &mut bytes);
            bytes
        })
        .collect();
    attributes.sort();
    let mut out = Vec::new();
    for attribute in attributes {
        out.extend((attribute.len() as u64).to_be_bytes());
        out.extend(attribute);
    }
    out
}

/// An attribute in comparable form: its OID, 0xff, then its string value folded, or the DER
/// of a value that is not a DirectoryString.
fn comparable_attribute(attribute: &x509_cert::attr::AttributeTypeAndValue, bytes: &mut Vec<u8>) {
    bytes.extend_from_slice(attribute.oid.as_bytes());
    bytes.push(0xff);
    if let Some(text) = ascii_text(&attribute.value) {
        fold_ascii_into(bytes, text);
        return;
    }
    match x509_cert::ext::pkix::name::DirectoryString::try_from(&attribute.value) {
        Ok(text) => bytes.extend(fold(&text.value()).into_bytes()),
        Err(_) => bytes.extend(attribute.value.to_der().unwrap_or_default()),
    }
}

/// The text of a PrintableString or UTF8String value (both DirectoryString choices) when it
/// is ASCII: the common case, folded without allocating by [`fold_ascii_into`].
fn ascii_text(value: &der::asn1::Any) -> Option<&str> {
    let text = match der::Tagged::tag(value) {
        Tag::PrintableString => der::asn1::PrintableStringRef::try_from(value)
            .ok()?
            .as_str(),
        Tag::Utf8String => der::asn1::Utf8StringRef::try_from(value).ok()?.as_str(),
        _ => return None,
    };
    text.is_ascii().then_some(text)
}

/// [`fold`] for ASCII text, appended to `out`: the same bytes (`char::is_whitespace` and
/// lowercase agree with their ASCII versions on ASCII).
fn fold_ascii_into(out: &mut Vec<u8>, text: &str) {
    let mut words = text
        .split(|character: char| character.is_whitespace())
        .filter(|word| !word.is_empty());
    if let Some(first) = words.next() {
        out.extend(first.bytes().map(|byte| byte.to_ascii_lowercase()));
    }
    for word in words {
        out.push(b' ');
        out.extend(word.bytes().map(|byte| byte.to_ascii_lowercase()));
    }
}

fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

// ---- helpers ----

/// The extensions field (x509-cert's `Vec<Extension>`: a SEQUENCE OF Extension), from the
/// TLV inside `[3]`; `None` where der would refuse it.
fn extension_list(list: AnyRef<'_>) -> Option<Vec<ExtensionView<'_>>> {
    if der::Tagged::tag(&list) != Tag::Sequence {
        return None;
    }
    plain_extensions(list.value()).or_else(|| {
        // Anything the plain walk does not take goes through der, as in x509-cert.
        let mut reader = SliceReader::new(list.value()).ok()?;
        let mut extensions = Vec::new();
        while !reader.is_finished() {
            extensions.push(reader.decode().ok()?);
        }
        Some(extensions)
    })
}

/// The extensions in `contents` when each has the plain DER form, read without der's generic
/// reader: SEQUENCE { OBJECT IDENTIFIER, BOOLEAN (0x00 or 0xFF) OPTIONAL, OCTET STRING }, with
/// single-byte tags and minimal lengths below 64 KiB. `None` for anything else (not
/// necessarily an error: der decides). What it accepts, der accepts with the same values.
fn plain_extensions(contents: &[u8]) -> Option<Vec<ExtensionView<'_>>> {
    let mut extensions = Vec::with_capacity(8);
    let mut rest = contents;
    while !rest.is_empty() {
        let (extension, after) = plain_tlv(rest, 0x30)?;
        rest = after;
        let (oid, mut fields) = plain_tlv(extension, 0x06)?;
        let mut critical = false;
        if fields.first() == Some(&0x01) {
            let (flag, after) = plain_tlv(fields, 0x01)?;
            critical = match flag {
                [0xff] => true,
                [0x00] => false,
                _ => return None,
            };
            fields = after;
        }
        let (value, after) = plain_tlv(fields, 0x04)?;
        if !after.is_empty() {
            return None;
        }
        let extn_id = const_oid::ObjectIdentifierRef::from_bytes(oid)
            .ok()?
            .try_into()
            .ok()?;
        extensions.push(ExtensionView {
            extn_id,
            critical,
            extn_value: OctetStringRef::new(value).ok()?,
        });
    }
    Some(extensions)
}

/// Validity's contents when both times are UTCTimes as RFC 5280 writes them; `None` for
/// anything else (der decides).
fn plain_validity(contents: &[u8]) -> Option<(UnixTime, UnixTime)> {
    let (not_before, rest) = plain_utc_time(contents)?;
    let (not_after, rest) = plain_utc_time(rest)?;
    rest.is_empty().then_some((not_before, not_after))
}

/// Up to this many RDNs in a name take the plain path.
const PLAIN_RDNS: usize = 16;

/// A Name's contents in the plain shape (a SEQUENCE OF single-attribute SETs whose value is a
/// valid PrintableString or UTF8String), in the forms of [`NameForms::of`].
fn plain_name(contents: &[u8]) -> Option<NameForms> {
    let mut attributes: [(&[u8], &[u8], &str); PLAIN_RDNS] = [(&[], &[], ""); PLAIN_RDNS];
    let mut count = 0;
    let mut comparable = Vec::with_capacity(64);
    let mut rest = contents;
    while !rest.is_empty() {
        let (set, after) = plain_tlv(rest, 0x31)?;
        rest = after;
        let (attribute, after) = plain_tlv(set, 0x30)?;
        if !after.is_empty() {
            return None;
        }
        let (oid, value) = plain_tlv(attribute, 0x06)?;
        let tag = *value.first()?;
        let (value_der, text, after) = plain_tlv_whole(value, tag)?;
        if !after.is_empty() {
            return None;
        }
        let text = match tag {
            0x13 => der::asn1::PrintableStringRef::new(text).ok()?.as_str(),
            0x0c => core::str::from_utf8(text).ok()?,
            _ => return None,
        };
        // comparable_name's single-attribute RDN: the two lengths, the OID, 0xff, the value
        let start = comparable.len();
        comparable.extend([0; 16]);
        comparable.extend_from_slice(oid);
        comparable.push(0xff);
        if text.is_ascii() {
            fold_ascii_into(&mut comparable, text);
        } else {
            comparable.extend(fold(text).into_bytes());
        }
        let length = (comparable.len() - start - 16) as u64;
        if let Some(lengths) = comparable.get_mut(start..start + 16) {
            let (rdn, attribute) = lengths.split_at_mut(8);
            rdn.copy_from_slice(&(length + 8).to_be_bytes());
            attribute.copy_from_slice(&length.to_be_bytes());
        }
        *attributes.get_mut(count)? = (oid, value_der, text);
        count += 1;
    }
    let mut text = String::with_capacity(contents.len());
    for (position, (oid, value_der, value)) in attributes.iter().take(count).rev().enumerate() {
        if position > 0 {
            text.push(',');
        }
        let oid = plain_oid(oid)?;
        crate::x509::display_name::write_text_attribute(&mut text, &oid, value, value_der);
    }
    if text.is_empty() {
        text.push_str("(empty name)");
    }
    Some(NameForms {
        comparable,
        text,
        empty: count == 0,
    })
}

fn decode_extensions(
    list: Option<&[ExtensionView<'_>]>,
    defect: &mut Option<Error>,
    quirk: &mut Option<Error>,
) -> Extensions {
    let mut extensions = Extensions::default();
    let list = list.unwrap_or_default();
    for (index, extension) in list.iter().enumerate() {
        let earlier = list.get(..index).unwrap_or_default();
        if earlier
            .iter()
            .any(|other| other.extn_id == extension.extn_id)
        {
            extensions.duplicates.push(extension.extn_id.to_string());
        }
        if let Err(error) = decode_one(extension, &mut extensions) {
            let slot = if constrains_paths(&extension.extn_id) {
                &mut *defect
            } else {
                &mut *quirk
            };
            slot.get_or_insert(error);
        }
    }
    extensions
}

/// Extensions whose content constrains the paths through a certificate (RFC 5937 section 2:
/// the ones a trust anchor's certificate may carry as constraints).
fn constrains_paths(oid: &const_oid::ObjectIdentifier) -> bool {
    [
        BasicConstraints::OID,
        KeyUsage::OID,
        ExtendedKeyUsage::OID,
        NameConstraints::OID,
        PolicyConstraints::OID,
    ]
    .contains(oid)
}

fn decode_one(extension: &ExtensionView<'_>, into: &mut Extensions) -> Result<(), Error> {
    let value = extension.extn_value.as_bytes();
    let critical = extension.critical;
    let oid = extension.extn_id;
    match oid {
        BasicConstraints::OID => {
            let constraints = match plain_basic_constraints(value) {
                Some(constraints) => constraints,
                None => decode(value, "basicConstraints")?,
            };
            into.basic_constraints = Some((constraints, critical));
        }
        KeyUsage::OID => into.key_usage = Some(decode(value, "keyUsage")?),
        ExtendedKeyUsage::OID => {
            let usages = match plain_extended_key_usage(value) {
                Some(usages) => usages,
                None => decode(value, "extKeyUsage")?,
            };
            into.extended_key_usage = Some((usages, critical));
        }
        SubjectAltName::OID => {
            let names = match plain_dns_names(value) {
                Some(names) => names,
                None => decode::<SubjectAltName>(value, "subjectAltName")?.0,
            };
            into.subject_alt_name = Some((names, critical));
        }
        NameConstraints::OID => {
            into.name_constraints = Some((decode(value, "nameConstraints")?, critical))
        }
        AuthorityKeyIdentifier::OID => {
            let identifier = match plain_authority_key_identifier(value) {
                Some(identifier) => identifier,
                None => decode(value, "authorityKeyIdentifier")?,
            };
            into.authority_key_identifier = Some(identifier);
            into.key_identifier_critical |= critical;
        }
        SubjectKeyIdentifier::OID => {
            into.key_identifier_critical |= critical;
            // SubjectKeyIdentifier is an OCTET STRING: the same DER rules, borrowed
            let identifier = match plain_tlv(value, 0x04) {
                Some((identifier, [])) => identifier,
                _ => decode::<&OctetStringRef>(value, "subjectKeyIdentifier")?.as_bytes(),
            };
            into.subject_key_identifier = Some(identifier.to_vec());
        }
        PolicyConstraints::OID => {
            into.policy_constraints = Some((decode(value, "policyConstraints")?, critical));
        }
        CertificatePolicies::OID => {
            let policies: CertificatePolicies = decode(value, "certificatePolicies")?;
            if policies.0.is_empty() {
                return Err(empty("certificatePolicies", "RFC 5280 4.2.1.4"));
            }
            let mut oids = Vec::with_capacity(policies.0.len());
            for policy in policies.0 {
                if oids.contains(&policy.policy_identifier) {
                    into.repeated_policy = true;
                } else {
                    oids.push(policy.policy_identifier);
                }
            }
            into.certificate_policies = Some(oids);
        }
        PolicyMappings::OID => {
            let mappings: PolicyMappings = decode(value, "policyMappings")?;
            if mappings.0.is_empty() {
                return Err(empty("policyMappings", "RFC 5280 4.2.1.5"));
            }
            into.policy_mappings = Some(mappings.0);
        }
        InhibitAnyPolicy::OID => {
            let skip: InhibitAnyPolicy = decode(value, "inhibitAnyPolicy")?;
            into.inhibit_any_policy = Some((skip.0, critical));
        }
        AuthorityInfoAccessSyntax::OID => {
            let access: AuthorityInfoAccessSyntax = decode(value, "authorityInfoAccess")?;
            if access.0.is_empty() {
                return Err(empty("authorityInfoAccess", "RFC 5280 4.2.2.1"));
            }
            into.authority_info_access = Some(critical);
        }
        _ if critical && !is_known_critical(&oid) => into.unknown_critical.push(oid.to_string()),
        _ => {}
    }
    Ok(())
}

/// The contents of a SEQUENCE that is all of `value`.
fn plain_sequence(value: &[u8]) -> Option<&[u8]> {
    match plain_tlv(value, 0x30)? {
        (contents, []) => Some(contents),
        _ => None,
    }
}

/// basicConstraints in its plain shapes (cA absent, or TRUE with or without a pathLenConstraint
/// below 128), as der decodes them; `None` for anything else (der decides).
fn plain_basic_constraints(value: &[u8]) -> Option<BasicConstraints> {
    let (ca, path_len_constraint) = match plain_sequence(value)? {
        [] => (false, None),
        [0x01, 0x01, 0xff] => (true, None),
        [0x01, 0x01, 0xff, 0x02, 0x01, length] if *length < 0x80 => (true, Some(*length)),
        _ => return None,
    };
    Some(BasicConstraints {
        ca,
        path_len_constraint,
    })
}

/// authorityKeyIdentifier holding only a keyIdentifier, as der decodes it; `None` otherwise.
fn plain_authority_key_identifier(value: &[u8]) -> Option<AuthorityKeyIdentifier> {
    let (identifier, []) = plain_tlv(plain_sequence(value)?, 0x80)? else {
        return None;
    };
    Some(AuthorityKeyIdentifier {
        key_identifier: Some(der::asn1::OctetString::new(identifier).ok()?),
        authority_cert_issuer: None,
        authority_cert_serial_number: None,
    })
}

/// extKeyUsage (a SEQUENCE OF OBJECT IDENTIFIER), as der decodes it; `None` when der must.
fn plain_extended_key_usage(value: &[u8]) -> Option<ExtendedKeyUsage> {
    let mut rest = plain_sequence(value)?;
    let mut usages = Vec::with_capacity(2);
    while !rest.is_empty() {
        let (oid, after) = plain_tlv(rest, 0x06)?;
        usages.push(plain_oid(oid)?);
        rest = after;
    }
    Some(ExtendedKeyUsage(usages))
}

/// subjectAltName made of dNSNames only, as der decodes it; `None` when der must.
fn plain_dns_names(value: &[u8]) -> Option<Vec<GeneralName>> {
    let mut rest = plain_sequence(value)?;
    let mut names = Vec::with_capacity(2);
    while !rest.is_empty() {
        let (name, after) = plain_tlv(rest, 0x82)?;
        names.push(GeneralName::DnsName(der::asn1::Ia5String::new(name).ok()?));
        rest = after;
    }
    Some(names)
}

/// Extensions that may be critical and are harmless to accept without a field above.
fn is_known_critical(oid: &const_oid::ObjectIdentifier) -> bool {
    const SUBJECT_KEY_IDENTIFIER: const_oid::ObjectIdentifier =
        const_oid::ObjectIdentifier::new_unwrap("2.5.29.14");
    *oid == SUBJECT_KEY_IDENTIFIER
}

fn decode<'a, T: Decode<'a>>(value: &'a [u8], name: &str) -> Result<T, Error> {
    T::from_der(value).map_err(|error| Error::NonConforming {
        section: "RFC 5280 4.2",
        detail: format!("malformed {name} extension: {error}"),
    })
}

fn empty(name: &str, section: &'static str) -> Error {
    Error::NonConforming {
        section,
        detail: format!("empty {name} extension"),
    }
}

/// Where the parts of the certificate `der` are (already decoded, so well formed).
fn layout(der: &[u8]) -> Option<Layout> {
    let (_, header, contents) = split_tlv(der)?;
    let mut top = children(contents, header);
    let (tbs, tbs_header) = top.next()?;
    let tbs_contents = der.get(tbs.start + tbs_header..tbs.end)?;
    let mut fields = children(tbs_contents, tbs.start + tbs_header).peekable();
    // [0] version is absent in version 1 certificates
    if der.get(fields.peek()?.0.start) == Some(&0xa0) {
        fields.next();
    }
    // serialNumber, signature, issuer, validity, subject, then subjectPublicKeyInfo
    let (subject, _) = fields.nth(4)?;
    let (spki, _) = fields.next()?;
    Some(Layout { tbs, subject, spki })
}

/// Where `part`, a slice of `der`, is in it.
fn offset(der: &[u8], part: &[u8]) -> Range<usize> {
    let start = (part.as_ptr() as usize).wrapping_sub(der.as_ptr() as usize);
    start..start.saturating_add(part.len())
}

/// The TLVs one after another in `contents`, which starts at `start` of the whole DER: the
/// range of each in the whole DER, and its header length.
fn children(contents: &[u8], start: usize) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
    let mut offset = 0;
    core::iter::from_fn(move || {
        let (tlv, header, _) = split_tlv(contents.get(offset..)?)?;
        let range = start + offset..start + offset + tlv.len();
        offset += tlv.len();
        Some((range, header))
    })
}

/// Splits one DER TLV at the start of `input`: (whole TLV, header length, contents).
fn split_tlv(input: &[u8]) -> Option<(&[u8], usize, &[u8])> {
    let first_length = *input.get(1)?;
    let (length, header) = if first_length < 0x80 {
        (usize::from(first_length), 2)
    } else {
        let count = usize::from(first_length & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let bytes = input.get(2..2 + count)?;
        let length = bytes
            .iter()
            .fold(0usize, |acc, byte| (acc << 8) | usize::from(*byte));
        (length, 2 + count)
    };
    let end = header.checked_add(length)?;
    Some((input.get(..end)?, header, input.get(header..end)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_valued_names_compare_as_their_rdns_do() {
        use core::str::FromStr;
        for text in ["CN=Bench  Root,O=Example", "CN=a+O=b,C=DE", "CN=\u{e4}B"] {
            let name = Name::from_str(text).unwrap();
            let mut expected = Vec::new();
            for rdn in comparable_rdns(&name) {
                expected.extend((rdn.len() as u64).to_be_bytes());
                expected.extend(rdn);
            }
            assert_eq!(comparable_name(&name), expected, "{text}");
        }
    }

    #[test]
    fn ascii_names_fold_as_before() {
        for text in ["Bench Root", "  a\tB  c\u{b}D ", "", "   ", "ÄB  c", "x"] {
            let mut folded = Vec::new();
            fold_ascii_into(&mut folded, text);
            if text.is_ascii() {
                assert_eq!(folded, fold(text).into_bytes(), "{text:?}");
            }
        }
    }

    #[test]
    fn serials_print_as_x509_cert_displays_them() {
        for bytes in [&[0x01][..], &[0x00, 0x8f, 0x0a], &[0x7b; 20]] {
            let serial = SerialNumber::<Rfc5280>::new(bytes).unwrap();
            assert_eq!(colon_hex(bytes), serial.to_string());
        }
    }

    /// Every certificate of the system bundle and of the limbo and BetterTLS suites (hostile
    /// encodings included) that the plain decoder takes decodes to exactly what the general
    /// decoder makes of it; the others are left to the general decoder.
    #[test]
    fn plain_decoding_agrees_with_the_general_decoder() {
        let ders = crate::x509::test_corpus::certificates(&[
            "limbo-dev.json",
            "bettertls-pathbuilding-dev.json",
        ]);
        let (plain, general) = compare_decoders(&ders);
        // Most certificates are plain; the rest (version 1, multi-valued RDNs, IA5String or
        // BMPString values, ...) go the general way.
        assert!(
            plain > 1000 && general > 0,
            "{plain} plain, {general} general"
        );
    }

    /// The same for certificates with one byte changed (every byte of a few certificates of
    /// the system bundle, to a few values each): hostile lengths, tags, versions, strings.
    #[test]
    fn plain_decoding_agrees_with_the_general_decoder_on_changed_bytes() {
        let changed = crate::x509::test_corpus::one_byte_changes(
            crate::x509::test_corpus::certificates(&["limbo-dev.json"]),
            131,
            &[0x00, 0x01, 0x0c, 0x13, 0x30, 0x7f, 0x80, 0x81, 0xff],
            &[0x01],
        );
        let (plain, general) = compare_decoders(&changed);
        assert!(
            plain > 1000 && general > 1000,
            "{plain} plain, {general} general"
        );
    }

    /// Decodes each DER both ways; when the plain decoder takes one, both must agree in every
    /// field. How many the plain decoder took, and how many it left.
    fn compare_decoders(ders: &[Vec<u8>]) -> (usize, usize) {
        let (mut plain, mut general) = (0, 0);
        for der in ders {
            let general_result = ParsedCertificate::parse_general(der, "a");
            match ParsedCertificate::parse_plain(der, "a") {
                Some(certificate) => {
                    plain += 1;
                    let expected = general_result.expect("the general decoder accepts it");
                    assert_eq!(format!("{certificate:?}"), format!("{expected:?}"));
                    let subject = expected.der.get(expected.layout.subject.clone());
                    assert_eq!(
                        certificate.subject_name().to_der().unwrap(),
                        subject.unwrap()
                    );
                }
                None => general += 1,
            }
        }
        (plain, general)
    }

    #[test]
    fn plain_utc_times_are_what_der_decodes() {
        let mut checked = 0;
        for year in 1950u16..2050 {
            for (month, day) in [(1, 1), (2, 28), (2, 29), (2, 30), (3, 1), (4, 30), (4, 31)]
                .into_iter()
                .chain([(7, 31), (12, 31), (0, 1), (13, 1), (6, 0)])
            {
                for (hour, minute, second) in [(0, 0, 0), (23, 59, 59), (24, 0, 0), (9, 60, 0)] {
                    let text = format!(
                        "{:02}{month:02}{day:02}{hour:02}{minute:02}{second:02}Z",
                        year % 100
                    );
                    let mut tlv = vec![0x17, 13];
                    tlv.extend(text.as_bytes());
                    let plain = plain_utc_time(&tlv).map(|(time, _)| time);
                    let general = der::asn1::UtcTime::from_der(&tlv)
                        .ok()
                        .map(|time| UnixTime::from_x509(&x509_cert::time::Time::UtcTime(time)));
                    assert_eq!(plain, general, "{text}");
                    checked += usize::from(plain.is_some());
                }
            }
        }
        assert!(checked > 900, "{checked}");
    }

    #[test]
    fn splits_short_and_long_lengths() {
        let short = [0x30, 0x03, 0x02, 0x01, 0x05];
        assert_eq!(split_tlv(&short).unwrap().2, &[0x02, 0x01, 0x05]);
        let mut long = vec![0x30, 0x81, 0x80];
        long.extend(std::iter::repeat_n(0u8, 0x80));
        assert_eq!(split_tlv(&long).unwrap().2.len(), 0x80);
        assert!(split_tlv(&[0x30, 0x85, 1, 2, 3, 4, 5]).is_none());
        assert!(split_tlv(&[0x30, 0x05, 0x00]).is_none());
    }
}

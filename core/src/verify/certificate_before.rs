//! The verifier's certificate decoding before it moved onto `crate::asn1::read`, kept test-only
//! as the reference of `certificate.rs`'s differential tests: x509-cert's RFC 5280 `Certificate`
//! rules through a `der`-derived borrowing view (what `parse_general` was; the plain fast path,
//! which a test showed equal to it, left out).

#![allow(
    dead_code,
    reason = "the whole decoding as it was; the tests compare the fields verification reads"
)]

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

use crate::crypto::{PublicKeyKind, public_key_kind};
use crate::{Error, UnixTime};

/// One certificate, decoded, with the fields verification needs.
#[derive(Debug, Clone)]
pub(crate) struct ParsedCertificate {
    /// The DER of the whole certificate.
    pub(crate) der: Vec<u8>,
    /// Where it came from, e.g. `server.crt` or `trust anchor 2`.
    pub(crate) label: String,
    /// Where tbsCertificate and its subjectPublicKeyInfo are in `der`.
    layout: Layout,
    /// signatureAlgorithm, and where the signature bytes are in `der` (none when the BIT
    /// STRING has unused bits).
    signature_algorithm: Algorithm,
    signature_value: Option<Range<usize>>,
    /// The subject public key's algorithm, and its BIT STRING (unused bits, where the bytes are
    /// in `der`): what the signature checks of the certificates it issued need, not decoded
    /// again for each.
    key_algorithm: Algorithm,
    public_key: (u8, Range<usize>),
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

/// An AlgorithmIdentifier of the certificate: its OID, and the tag of its parameters and
/// where their contents are in the DER.
#[derive(Debug, Clone)]
struct Algorithm {
    oid: const_oid::ObjectIdentifier,
    parameters: Option<(Tag, Range<usize>)>,
}

impl Algorithm {
    fn new(der: &[u8], algorithm: &AlgorithmIdentifierRef<'_>) -> Self {
        Self {
            oid: algorithm.oid,
            parameters: algorithm.parameters.map(|parameters| {
                (
                    der::Tagged::tag(&parameters),
                    offset(der, parameters.value()),
                )
            }),
        }
    }

    /// The AlgorithmIdentifier again, borrowing from `der`; `None` if `der` is not the one
    /// it was made from.
    fn borrow<'d>(&self, der: &'d [u8]) -> Option<AlgorithmIdentifierRef<'d>> {
        let parameters = match &self.parameters {
            Some((tag, range)) => Some(AnyRef::new(*tag, der.get(range.clone())?).ok()?),
            None => None,
        };
        Some(AlgorithmIdentifierRef {
            oid: self.oid,
            parameters,
        })
    }
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
        Self::parse_general(der, label)
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
        let key = &tbs.subject_public_key_info;
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
            signature_algorithm: Algorithm::new(der, &signature_algorithm),
            signature_value: signature.as_bytes().map(|bytes| offset(der, bytes)),
            key_algorithm: Algorithm::new(der, &key.algorithm),
            public_key: (
                key.subject_public_key.unused_bits(),
                offset(der, key.subject_public_key.raw_bytes()),
            ),
            not_before: UnixTime::from_x509(&tbs.validity.not_before),
            not_after: UnixTime::from_x509(&tbs.validity.not_after),
            key_kind: public_key_kind(
                tbs.subject_public_key_info
                    .to_der()
                    .unwrap_or_default()
                    .as_slice(),
            ),
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
    pub(crate) fn spki(&self) -> Option<SubjectPublicKeyInfoRef<'_>> {
        let (unused_bits, bytes) = &self.public_key;
        let bytes = self.der.get(bytes.clone())?;
        Some(SubjectPublicKeyInfoRef {
            algorithm: self.key_algorithm.borrow(&self.der)?,
            subject_public_key: BitStringRef::new(*unused_bits, bytes).ok()?,
        })
    }

    /// signatureAlgorithm and the signature bytes, borrowed from the DER.
    pub(crate) fn signature(&self) -> Option<(AlgorithmIdentifierRef<'_>, &[u8])> {
        let value = self.der.get(self.signature_value.clone()?)?;
        Some((self.signature_algorithm.borrow(&self.der)?, value))
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
    let mut reader = SliceReader::new(list.value()).ok()?;
    let mut extensions = Vec::new();
    while !reader.is_finished() {
        extensions.push(reader.decode().ok()?);
    }
    Some(extensions)
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
            let constraints = decode(value, "basicConstraints")?;
            into.basic_constraints = Some((constraints, critical));
        }
        KeyUsage::OID => into.key_usage = Some(decode(value, "keyUsage")?),
        ExtendedKeyUsage::OID => {
            let usages = decode(value, "extKeyUsage")?;
            into.extended_key_usage = Some((usages, critical));
        }
        SubjectAltName::OID => {
            let names = decode::<SubjectAltName>(value, "subjectAltName")?.0;
            into.subject_alt_name = Some((names, critical));
        }
        NameConstraints::OID => {
            into.name_constraints = Some((decode(value, "nameConstraints")?, critical))
        }
        AuthorityKeyIdentifier::OID => {
            let identifier = decode(value, "authorityKeyIdentifier")?;
            into.authority_key_identifier = Some(identifier);
            into.key_identifier_critical |= critical;
        }
        SubjectKeyIdentifier::OID => {
            into.key_identifier_critical |= critical;
            // SubjectKeyIdentifier is an OCTET STRING: the same DER rules, borrowed
            let identifier = decode::<&OctetStringRef>(value, "subjectKeyIdentifier")?.as_bytes();
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

/// x509-cert's decoding of one extension value (the reference of the extension tests).
pub(super) fn decode_one_value(
    oid: const_oid::ObjectIdentifier,
    critical: bool,
    value: &[u8],
    into: &mut Extensions,
) -> Result<(), Error> {
    let extension = ExtensionView {
        extn_id: oid,
        critical,
        extn_value: OctetStringRef::new(value).map_err(|error| Error::der("extension", error))?,
    };
    decode_one(&extension, into)
}

impl ParsedCertificate {
    /// Every field in the form `certificate.rs`'s `summary` writes.
    pub(super) fn summary(&self) -> Vec<String> {
        let mut out = vec![
            format!("{:?}", self.der),
            format!(
                "{:?} {:?} {:?}",
                self.tbs(),
                self.der
                    .get(self.layout.subject.clone())
                    .unwrap_or_default(),
                self.spki_der()
            ),
            format!(
                "{:?}",
                self.signature().map(|(algorithm, value)| (
                    algorithm.oid.as_bytes().to_vec(),
                    algorithm.parameters.map(|p| p.to_der().unwrap()),
                    value.to_vec()
                ))
            ),
            format!(
                "{:?}",
                self.spki().map(|spki| (
                    spki.algorithm.oid.as_bytes().to_vec(),
                    spki.algorithm.parameters.map(|p| p.to_der().unwrap()),
                    spki.subject_public_key.unused_bits(),
                    spki.subject_public_key.raw_bytes().to_vec()
                ))
            ),
            format!("{:?} {:?}", self.version, self.serial_number.as_bytes()),
            format!(
                "{} {} {}",
                self.has_extensions, self.has_unique_identifiers, self.signature_fields_agree
            ),
            format!("{:?} {:?}", self.subject, self.issuer),
            format!(
                "{:?} {:?} {:?}",
                self.not_before, self.not_after, self.key_kind
            ),
            super::certificate::error_summary(self.defect.as_ref()),
            super::certificate::error_summary(self.quirk.as_ref()),
        ];
        out.extend(self.extensions.summary());
        out
    }
}

impl Extensions {
    pub(super) fn summary(&self) -> Vec<String> {
        vec![
            format!(
                "{:?}",
                self.basic_constraints
                    .as_ref()
                    .map(|(b, c)| (b.ca, b.path_len_constraint, *c))
            ),
            format!("{:?}", self.key_usage.map(|k| k.0.bits())),
            format!(
                "{:?}",
                self.extended_key_usage.as_ref().map(|(u, c)| (&u.0, c))
            ),
            format!(
                "{:?}",
                self.subject_alt_name.as_ref().map(|(names, critical)| (
                    names.iter().map(general_name_summary).collect::<Vec<_>>(),
                    names.is_empty(),
                    critical
                ))
            ),
            format!(
                "{:?}",
                self.name_constraints
                    .as_ref()
                    .map(|(constraints, critical)| (
                        Some({
                            let subtrees = |list: &Option<
                                x509_cert::ext::pkix::constraints::name::GeneralSubtrees,
                            >| {
                                list.as_ref().map(|list| {
                                    list.iter()
                                        .map(|subtree| {
                                            (
                                                general_name_summary(&subtree.base),
                                                subtree.minimum,
                                                subtree.maximum,
                                            )
                                        })
                                        .collect::<Vec<_>>()
                                })
                            };
                            (
                                subtrees(&constraints.permitted_subtrees),
                                subtrees(&constraints.excluded_subtrees),
                            )
                        }),
                        critical
                    ))
            ),
            format!(
                "{:?}",
                self.authority_key_identifier.as_ref().map(|a| (
                    a.key_identifier.as_ref().map(|k| k.as_bytes().to_vec()),
                    a.authority_cert_issuer.is_some(),
                    a.authority_cert_serial_number.is_some()
                ))
            ),
            format!(
                "{:?} {}",
                self.subject_key_identifier, self.key_identifier_critical
            ),
            format!(
                "{:?}",
                self.policy_constraints.as_ref().map(|(p, c)| (
                    p.require_explicit_policy,
                    p.inhibit_policy_mapping,
                    *c
                ))
            ),
            format!("{:?} {}", self.certificate_policies, self.repeated_policy),
            format!(
                "{:?}",
                self.policy_mappings.as_ref().map(|m| m
                    .iter()
                    .map(|m| (m.issuer_domain_policy, m.subject_domain_policy))
                    .collect::<Vec<_>>())
            ),
            format!(
                "{:?} {:?}",
                self.inhibit_any_policy, self.authority_info_access
            ),
            format!("{:?} {:?}", self.unknown_critical, self.duplicates),
        ]
    }
}

/// `certificate.rs`'s `general_name_summary` for x509-cert's `GeneralName`.
pub(super) fn general_name_summary(name: &GeneralName) -> String {
    match name {
        GeneralName::OtherName(other) => format!(
            "other {} {:02x?}",
            other.type_id,
            other.value.to_der().unwrap_or_default()
        ),
        GeneralName::Rfc822Name(text) => format!("email {}", text.as_str()),
        GeneralName::DnsName(text) => format!("dns {}", text.as_str()),
        GeneralName::UniformResourceIdentifier(text) => format!("uri {}", text.as_str()),
        GeneralName::DirectoryName(name) => format!(
            "dir {:?}",
            name.iter_rdn()
                .map(|rdn| rdn
                    .iter()
                    .map(|attribute| (
                        attribute.oid.to_string(),
                        attribute.value.to_der().unwrap_or_default()
                    ))
                    .collect::<Vec<_>>())
                .collect::<Vec<_>>()
        ),
        GeneralName::EdiPartyName(party) => {
            // The SEQUENCE's contents, as the reader keeps them.
            let encoded = party.to_der().unwrap_or_default();
            let contents = crate::asn1::read::parse(&encoded, |reader| reader.tlv())
                .map(|tlv| tlv.contents.to_vec())
                .unwrap_or_default();
            format!("edi {contents:02x?}")
        }
        GeneralName::IpAddress(octets) => format!("ip {:02x?}", octets.as_bytes()),
        GeneralName::RegisteredId(oid) => format!("rid {oid}"),
    }
}

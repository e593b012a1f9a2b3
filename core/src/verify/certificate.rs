//! A certificate decoded once for verification: the exact signed bytes, the fields the checks
//! use, and its extensions decoded into typed values.
//!
//! The DER is read once with the core's strict reader (`crate::asn1::read`), borrowing, with
//! the rules of x509-cert's RFC 5280 `Certificate` kept as explicit checks here (a test
//! compares both on the corpora and on every one-byte change and truncation:
//! `certificate_before.rs` keeps the decoding through x509-cert, test-only):
//!
//! - version: `[0] EXPLICIT INTEGER` 0, 1 or 2, absent for version 1 (an explicit 0 is accepted,
//!   as x509-cert accepts it);
//! - serialNumber: a minimal INTEGER of at most 21 content octets, negative and zero included
//!   (x509-cert's `Profile::check_serial_number`; the 20-octet, sign and zero rules are
//!   `profile.rs`'s);
//! - validity: UTCTime or GeneralizedTime in DER form from 1970 (`der`'s `DateTime` floor);
//! - BIT STRINGs (signature, key, unique identifiers, keyUsage) as `der` reads them: 0..7
//!   unused bits, not checked to be zero;
//! - extensions: `SEQUENCE { OID, BOOLEAN DEFAULT FALSE (an explicit FALSE accepted), OCTET
//!   STRING }`, the extensions field an `[3] EXPLICIT` SEQUENCE OF them (empty accepted).
//!
//! Extensions are decoded here; whether their presence, criticality and content are allowed is
//! decided in `profile.rs`. A decoding problem in an extension is kept as a `defect` (or a
//! `quirk`, for extensions that do not constrain paths) so that the certificate can still be
//! named in explanations.

use core::ops::Range;

use std::borrow::Cow;

use const_oid::ObjectIdentifier;

use crate::asn1::read::{self, DerError, Reader, Tag, Tlv};
use crate::crypto::{PublicKeyKind, SpkiRef, public_key_kind_ref, read_spki};
use crate::x509::general_name::{GeneralNameRef, read_general_name, read_general_names};
use crate::x509::name::{AttributeRef, NameRef, read_name};
use crate::x509::{ExtensionRef, range_in, read_extensions};
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

/// The certificate's version (RFC 5280 section 4.1.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V1,
    V2,
    V3,
}

/// One certificate, decoded, with the fields verification needs.
#[derive(Debug, Clone)]
pub(crate) struct ParsedCertificate<'a> {
    /// The DER of the whole certificate: borrowed from the caller for the certificates of one
    /// verification, owned by a [`TrustStore`](super::TrustStore)'s anchors.
    pub(crate) der: Cow<'a, [u8]>,
    /// Where it came from, e.g. `server.crt` or `trust anchor 2`.
    pub(crate) label: Cow<'a, str>,
    /// Where tbsCertificate, its subject and its subjectPublicKeyInfo are in `der`.
    layout: Layout,
    /// Where signatureAlgorithm (the whole AlgorithmIdentifier) is in `der`, and the signature
    /// bytes (none when the BIT STRING has unused bits); the AlgorithmIdentifier and the subject
    /// public key are read again (a few TLV headers) by [`Self::signature`] and [`Self::spki`].
    signature_algorithm: AlgorithmAt,
    signature_value: Option<Range<usize>>,
    /// subjectPublicKeyInfo as read, as positions in `der`: [`Self::spki`].
    spki_at: SpkiAt,
    pub(crate) version: Version,
    /// Where the serial number's content octets are in `der`: [`Self::serial`].
    serial_number: Range<usize>,
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

/// basicConstraints (RFC 5280 section 4.2.1.9): `pathLenConstraint` up to 255, as x509-cert
/// decoded it (a larger one is a decoding problem).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BasicConstraints {
    pub(crate) ca: bool,
    pub(crate) path_len_constraint: Option<u8>,
}

/// keyUsage (RFC 5280 section 4.2.1.3): bit `n` of the BIT STRING is `1 << n`, the nine named
/// bits kept (a BIT STRING of more than 16 bits is a decoding problem, as in x509-cert).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyUsage(pub(crate) u16);

impl KeyUsage {
    pub(crate) const DIGITAL_SIGNATURE: u16 = 1 << 0;
    pub(crate) const NON_REPUDIATION: u16 = 1 << 1;
    pub(crate) const KEY_ENCIPHERMENT: u16 = 1 << 2;
    pub(crate) const DATA_ENCIPHERMENT: u16 = 1 << 3;
    pub(crate) const KEY_AGREEMENT: u16 = 1 << 4;
    pub(crate) const KEY_CERT_SIGN: u16 = 1 << 5;
    pub(crate) const CRL_SIGN: u16 = 1 << 6;
    pub(crate) const ENCIPHER_ONLY: u16 = 1 << 7;
    pub(crate) const DECIPHER_ONLY: u16 = 1 << 8;
    const NAMED: u16 = 0x01ff;

    /// Whether every bit of `bits` is asserted.
    pub(crate) fn contains(self, bits: u16) -> bool {
        self.0 & bits == bits
    }
    /// Whether no named bit is asserted.
    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub(crate) fn key_cert_sign(&self) -> bool {
        self.contains(Self::KEY_CERT_SIGN)
    }
    pub(crate) fn crl_sign(&self) -> bool {
        self.contains(Self::CRL_SIGN)
    }
}

/// extKeyUsage (RFC 5280 section 4.2.1.12): the purposes, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExtendedKeyUsage(pub(crate) Vec<ObjectIdentifier>);

/// policyConstraints (RFC 5280 section 4.2.1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PolicyConstraints {
    pub(crate) require_explicit_policy: Option<u32>,
    pub(crate) inhibit_policy_mapping: Option<u32>,
}

/// authorityKeyIdentifier (RFC 5280 section 4.2.1.1): the keyIdentifier, and whether
/// authorityCertIssuer and authorityCertSerialNumber are present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthorityKeyIdentifier {
    pub(crate) key_identifier: Option<Vec<u8>>,
    pub(crate) authority_cert_issuer: bool,
    pub(crate) authority_cert_serial_number: bool,
}

/// One policyMappings entry (RFC 5280 section 4.2.1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PolicyMapping {
    pub(crate) issuer_domain_policy: ObjectIdentifier,
    pub(crate) subject_domain_policy: ObjectIdentifier,
}

/// Decoded extensions, each with its critical flag where the profile cares.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extensions {
    pub(crate) basic_constraints: Option<(BasicConstraints, bool)>,
    pub(crate) key_usage: Option<KeyUsage>,
    pub(crate) extended_key_usage: Option<(ExtendedKeyUsage, bool)>,
    pub(crate) subject_alt_name: Option<(AltNames, bool)>,
    pub(crate) name_constraints: Option<(NameConstraintsValue, bool)>,
    pub(crate) authority_key_identifier: Option<AuthorityKeyIdentifier>,
    pub(crate) subject_key_identifier: Option<Vec<u8>>,
    /// Whether authorityKeyIdentifier or subjectKeyIdentifier is marked critical.
    pub(crate) key_identifier_critical: bool,
    pub(crate) policy_constraints: Option<(PolicyConstraints, bool)>,
    /// The policy OIDs of certificatePolicies, each once, in order (qualifiers are not used).
    pub(crate) certificate_policies: Option<Vec<ObjectIdentifier>>,
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

/// subjectAltName (RFC 5280 section 4.2.1.6): its GeneralNames, read and checked once by the
/// shared reader (`x509::general_name`), kept as their DER and read again, borrowing, by
/// [`AltNames::names`] (a few TLV headers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AltNames {
    der: Vec<u8>,
    count: usize,
}

impl AltNames {
    /// `GeneralNames ::= SEQUENCE OF GeneralName` (empty accepted, as x509-cert accepts it).
    fn read(reader: &mut Reader<'_>) -> read::Result<usize> {
        let mut list = reader.sequence()?;
        let mut count = 0;
        while !list.is_empty() {
            read_general_name(&mut list)?;
            count += 1;
        }
        Ok(count)
    }

    /// The names, in order.
    pub(crate) fn names(&self) -> Vec<GeneralNameRef<'_>> {
        // Read once already: it reads again.
        read::parse(&self.der, read_general_names).unwrap_or_default()
    }

    /// Whether the extension lists no name.
    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// nameConstraints (RFC 5280 section 4.2.1.10), read and checked once, kept as its DER and
/// read again, borrowing, by [`NameConstraintsValue::read`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameConstraintsValue {
    der: Vec<u8>,
}

impl NameConstraintsValue {
    /// The subtrees (`None` cannot happen: the same bytes were read when the certificate was
    /// decoded; callers fail closed on it).
    pub(crate) fn read(&self) -> Option<NameConstraints<'_>> {
        read::parse(&self.der, read_name_constraints).ok()
    }
}

/// `NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
/// excludedSubtrees [1] GeneralSubtrees OPTIONAL }` (IMPLICIT tags; an empty list is kept as
/// read, for `constraints.rs` to refuse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameConstraints<'a> {
    pub(crate) permitted: Option<Vec<GeneralSubtree<'a>>>,
    pub(crate) excluded: Option<Vec<GeneralSubtree<'a>>>,
}

/// `GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] BaseDistance DEFAULT 0,
/// maximum [1] BaseDistance OPTIONAL }`, BaseDistance fitting 32 bits as x509-cert decodes it
/// (an explicit minimum of 0 accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GeneralSubtree<'a> {
    pub(crate) base: GeneralNameRef<'a>,
    pub(crate) minimum: u32,
    pub(crate) maximum: Option<u32>,
}

fn read_name_constraints<'a>(reader: &mut Reader<'a>) -> read::Result<NameConstraints<'a>> {
    let subtrees = |tlv: Option<Tlv<'a>>| -> read::Result<Option<Vec<GeneralSubtree<'a>>>> {
        let Some(tlv) = tlv else {
            return Ok(None);
        };
        let mut list = tlv.reader()?;
        let mut subtrees = Vec::new();
        while !list.is_empty() {
            subtrees.push(list.read_sequence(|fields| {
                Ok(GeneralSubtree {
                    base: read_general_name(fields)?,
                    minimum: optional_implicit_u32(fields, 0)?.unwrap_or(0),
                    maximum: optional_implicit_u32(fields, 1)?,
                })
            })?);
        }
        Ok(Some(subtrees))
    };
    reader.read_sequence(|fields| {
        let permitted = subtrees(fields.optional_context(0, true)?)?;
        let excluded = subtrees(fields.optional_context(1, true)?)?;
        Ok(NameConstraints {
            permitted,
            excluded,
        })
    })
}

/// An AlgorithmIdentifier as it was read, kept as positions in the certificate's DER
/// (the certificate may own its DER) and rebuilt without reading it again.
#[derive(Debug, Clone, Default)]
struct AlgorithmAt {
    oid: Range<usize>,
    parameters: Option<ParametersAt>,
    whole: Range<usize>,
}

/// The parameters' tag, contents, whole TLV, and the offset and depth they were read at.
#[derive(Debug, Clone)]
struct ParametersAt {
    tag: Tag,
    contents: Range<usize>,
    whole: Range<usize>,
    offset: usize,
    depth: u8,
}

impl AlgorithmAt {
    fn of(der: &[u8], algorithm: &read::AlgorithmIdentifier<'_>) -> Self {
        Self {
            oid: range_in(der, algorithm.oid),
            parameters: algorithm.parameters.map(|tlv| ParametersAt {
                tag: tlv.tag,
                contents: range_in(der, tlv.contents),
                whole: range_in(der, tlv.whole),
                offset: tlv.offset,
                depth: tlv.depth(),
            }),
            whole: range_in(der, algorithm.whole),
        }
    }

    fn get<'d>(&self, der: &'d [u8]) -> Option<read::AlgorithmIdentifier<'d>> {
        let parameters = match &self.parameters {
            None => None,
            Some(at) => Some(Tlv::rebuilt(
                at.tag,
                der.get(at.contents.clone())?,
                der.get(at.whole.clone())?,
                at.offset,
                at.depth,
            )),
        };
        Some(read::AlgorithmIdentifier {
            oid: der.get(self.oid.clone())?,
            parameters,
            whole: der.get(self.whole.clone())?,
        })
    }
}

/// subjectPublicKeyInfo as it was read, as positions (the whole is [`Layout::spki`]).
#[derive(Debug, Clone, Default)]
struct SpkiAt {
    algorithm: AlgorithmAt,
    unused_bits: u8,
    key: Range<usize>,
}

/// Where the parts of a certificate are in its DER.
#[derive(Debug, Clone)]
struct Layout {
    tbs: Range<usize>,
    issuer: Range<usize>,
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
    fn of(name: &NameRef<'_>) -> Self {
        Self {
            comparable: comparable_name(name),
            text: display_name(name),
            empty: name.is_empty(),
        }
    }

    /// The forms of the Name TLV `tlv`: read directly in the plain shape, else by the shared
    /// Name reader (`x509::name`, x509-cert's `Name` rules).
    fn read(tlv: &Tlv<'_>) -> read::Result<Self> {
        if let Some(forms) = plain_name(tlv) {
            return Ok(forms);
        }
        match read::parse(tlv.whole, read_name) {
            Ok(name) => Ok(Self::of(&name)),
            Err(_) => Err(DerError {
                offset: tlv.offset,
                expected: "a Name (RDNSequence) as RFC 5280 section 4.1.2.4 defines it",
            }),
        }
    }
}

/// The certificate as read, borrowing the DER.
struct View<'a> {
    tbs: &'a [u8],
    version: Version,
    serial: &'a [u8],
    tbs_signature: read::AlgorithmIdentifier<'a>,
    issuer: Tlv<'a>,
    not_before: UnixTime,
    not_after: UnixTime,
    subject: Tlv<'a>,
    spki: SpkiRef<'a>,
    has_unique_identifiers: bool,
    extensions: Option<Vec<ExtensionRef<'a>>>,
    signature_algorithm: read::AlgorithmIdentifier<'a>,
    signature: (u8, &'a [u8]),
}

/// The longest serial number (content octets) x509-cert's RFC 5280 profile decodes: 20
/// octets, plus one for the sign octet some implementations do not count.
const MAXIMUM_SERIAL_OCTETS: usize = 21;

/// What the reader expected of a longer serial number; reported with x509-cert's words
/// ([`SERIAL_TOO_LONG_DETAIL`]), the explanation x509-limbo's `rfc5280::serial::too-long`
/// has always had.
const SERIAL_TOO_LONG: &str = "a serial number of at most 21 octets";
const SERIAL_TOO_LONG_DETAIL: &str = "malformed ASN.1 DER value for INTEGER";

/// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`.
fn read_certificate<'a>(reader: &mut Reader<'a>) -> read::Result<View<'a>> {
    reader.read_sequence(|certificate| {
        let tbs = certificate.expect(Tag::SEQUENCE, "a TBSCertificate (SEQUENCE)")?;
        let signature_algorithm = certificate.algorithm()?;
        let signature = der_bit_string(certificate.expect(Tag::BIT_STRING, "a BIT STRING")?)?;
        let mut fields = tbs.reader()?;
        let version = match fields.optional_context(0, true)? {
            None => Version::V1,
            Some(explicit) => {
                let mut inner = explicit.reader()?;
                let version = match inner.integer()? {
                    [0] => Version::V1,
                    [1] => Version::V2,
                    [2] => Version::V3,
                    _ => {
                        return Err(DerError {
                            offset: explicit.offset,
                            expected: "a version of 0, 1 or 2",
                        });
                    }
                };
                inner.finish()?;
                version
            }
        };
        let serial_offset = fields.error("").offset;
        let serial = fields.integer()?;
        if serial.len() > MAXIMUM_SERIAL_OCTETS {
            return Err(DerError {
                offset: serial_offset,
                expected: SERIAL_TOO_LONG,
            });
        }
        // The signature field: nearly always the very bytes of signatureAlgorithm, already
        // read (and so valid): compared instead of read again.
        let mut probe = fields.clone();
        let tbs_signature = match probe.tlv() {
            Ok(tlv) if tlv.tag == Tag::SEQUENCE && tlv.whole == signature_algorithm.whole => {
                fields = probe;
                signature_algorithm
            }
            _ => fields.algorithm()?,
        };
        let issuer = fields.expect(Tag::SEQUENCE, "a Name (SEQUENCE)")?;
        let (not_before, not_after) =
            fields.read_sequence(|validity| Ok((x509_time(validity)?, x509_time(validity)?)))?;
        let subject = fields.expect(Tag::SEQUENCE, "a Name (SEQUENCE)")?;
        let spki = read_spki(&mut fields)?;
        let mut has_unique_identifiers = false;
        for number in [1, 2] {
            if let Some(identifier) = fields.optional_context(number, false)? {
                der_bit_string(identifier)?;
                has_unique_identifiers = true;
            }
        }
        let extensions = match fields.optional_context(3, true)? {
            None => None,
            Some(explicit) => {
                let mut inner = explicit.reader()?;
                let list = read_extensions(&mut inner)?;
                inner.finish()?;
                Some(list)
            }
        };
        fields.finish()?;
        Ok(View {
            tbs: tbs.whole,
            version,
            serial,
            tbs_signature,
            issuer,
            not_before,
            not_after,
            subject,
            spki,
            has_unique_identifiers,
            extensions,
            signature_algorithm,
            signature,
        })
    })
}

/// An OBJECT IDENTIFIER as `const-oid`'s type (the shared reader's rules: at most 39 content
/// octets, validated once by `const-oid`; an invalid one reported at its contents).
fn object_identifier(reader: &mut Reader<'_>) -> read::Result<ObjectIdentifier> {
    reader.object_identifier()
}

/// A BIT STRING's contents as `der` reads them: an unused-bits octet of 0..7 (0 when there
/// are no bytes), the bytes; the unused bits are not checked to be zero (unlike
/// [`Reader::bit_string`]: `der` does not check them, and a certificate's signature or key
/// with such bits is refused later, by the signature check, not as undecodable).
fn der_bit_string(tlv: Tlv<'_>) -> read::Result<(u8, &[u8])> {
    match tlv.contents.split_first() {
        Some((&unused, bytes)) if unused <= 7 && (unused == 0 || !bytes.is_empty()) => {
            Ok((unused, bytes))
        }
        _ => Err(DerError {
            offset: tlv.offset,
            expected: "a BIT STRING (0..7 unused bits)",
        }),
    }
}

/// A UTCTime or GeneralizedTime as x509-cert's `Time` reads it: the reader's DER forms, from
/// 1970 (`der`'s `DateTime` starts there: a UTCTime of 1950 to 1969 is refused).
fn x509_time(reader: &mut Reader<'_>) -> read::Result<UnixTime> {
    let offset = reader.error("").offset;
    let time = reader.time()?;
    if time.0 < 0 {
        return Err(DerError {
            offset,
            expected: "a time from 1970",
        });
    }
    Ok(time)
}

/// A non-negative INTEGER's contents (minimal, a leading zero octet only before a high bit),
/// as `der` decodes an unsigned integer, when it fits a `u64`.
fn unsigned_contents(contents: &[u8]) -> Option<u64> {
    let magnitude = match contents {
        [] => return None,
        [0] => contents,
        [0, next, ..] if *next < 0x80 => return None,
        [0, rest @ ..] => rest,
        [first, ..] if *first >= 0x80 => return None,
        _ => contents,
    };
    if magnitude.len() > 8 {
        return None;
    }
    Some(
        magnitude
            .iter()
            .fold(0u64, |value, byte| (value << 8) | u64::from(*byte)),
    )
}

/// An `[number] IMPLICIT INTEGER (0..MAX)` that fits a `u32`, when it comes next.
fn optional_implicit_u32(reader: &mut Reader<'_>, number: u32) -> read::Result<Option<u32>> {
    let Some(tlv) = reader.optional_context(number, false)? else {
        return Ok(None);
    };
    unsigned_contents(tlv.contents)
        .and_then(|value| u32::try_from(value).ok())
        .map(Some)
        .ok_or(DerError {
            offset: tlv.offset,
            expected: "an INTEGER that fits 32 bits",
        })
}

impl<'a> ParsedCertificate<'a> {
    /// Decodes `der`, borrowing it; fails only when the certificate itself is not valid DER.
    pub(crate) fn parse(der: &'a [u8], label: impl Into<Cow<'a, str>>) -> Result<Self, Error> {
        Self::parse_beside(der, label, [&[], &[]])
    }

    /// The same certificate owning its DER and label (a trust store's anchors).
    pub(crate) fn into_owned(self) -> ParsedCertificate<'static> {
        ParsedCertificate {
            der: Cow::Owned(self.der.into_owned()),
            label: Cow::Owned(self.label.into_owned()),
            layout: self.layout,
            signature_algorithm: self.signature_algorithm,
            signature_value: self.signature_value,
            spki_at: self.spki_at,
            version: self.version,
            serial_number: self.serial_number,
            has_extensions: self.has_extensions,
            has_unique_identifiers: self.has_unique_identifiers,
            signature_fields_agree: self.signature_fields_agree,
            subject: self.subject,
            issuer: self.issuer,
            not_before: self.not_before,
            not_after: self.not_after,
            key_kind: self.key_kind,
            extensions: self.extensions,
            defect: self.defect,
            quirk: self.quirk,
        }
    }

    /// [`Self::parse`], taking the forms of a subject or issuer name whose DER is the very
    /// bytes of a name of a certificate `beside` (decoded already) from it instead of
    /// reading the name again: in a chain the issuer of one certificate is the subject of the
    /// next, and a root's two names are one. The forms are a function of the name's bytes, so
    /// nothing else changes.
    pub(crate) fn parse_beside(
        der: &'a [u8],
        label: impl Into<Cow<'a, str>>,
        beside: [&[ParsedCertificate<'_>]; 2],
    ) -> Result<Self, Error> {
        DECODED.with(|count| count.set(count.get() + 1));
        let refused = |error: DerError| match error.expected {
            SERIAL_TOO_LONG => Error::InvalidDer {
                structure: "certificate",
                detail: SERIAL_TOO_LONG_DETAIL.to_owned(),
            },
            _ => error.into_error("certificate"),
        };
        let view = read::parse(der, read_certificate).map_err(refused)?;
        let issuer = match known_name(view.issuer.whole, beside) {
            Some(forms) => forms,
            None => NameForms::read(&view.issuer).map_err(refused)?,
        };
        let subject = if view.subject.whole == view.issuer.whole {
            issuer.clone()
        } else {
            match known_name(view.subject.whole, beside) {
                Some(forms) => forms,
                None => NameForms::read(&view.subject).map_err(refused)?,
            }
        };
        let (mut defect, mut quirk) = (None, None);
        let extensions = decode_extensions(view.extensions.as_deref(), &mut defect, &mut quirk);
        let key_kind = public_key_kind_ref(&view.spki);
        // (WebAssembly reads the key and the algorithm again when it checks a signature, as
        // before: its module keeps its size)
        let (signature_algorithm, spki_at) = if cfg!(target_arch = "wasm32") {
            let whole = range_in(der, view.signature_algorithm.whole);
            let algorithm = AlgorithmAt {
                whole,
                ..AlgorithmAt::default()
            };
            (algorithm, SpkiAt::default())
        } else {
            let spki = SpkiAt {
                algorithm: AlgorithmAt::of(der, &view.spki.algorithm),
                unused_bits: view.spki.unused_bits,
                key: range_in(der, view.spki.key),
            };
            (AlgorithmAt::of(der, &view.signature_algorithm), spki)
        };
        Ok(Self {
            der: Cow::Borrowed(der),
            label: label.into(),
            layout: Layout {
                tbs: range_in(der, view.tbs),
                issuer: range_in(der, view.issuer.whole),
                subject: range_in(der, view.subject.whole),
                spki: range_in(der, view.spki.whole),
            },
            signature_algorithm,
            signature_value: (view.signature.0 == 0).then(|| range_in(der, view.signature.1)),
            spki_at,
            version: view.version,
            serial_number: range_in(der, view.serial),
            has_extensions: view.extensions.is_some(),
            has_unique_identifiers: view.has_unique_identifiers,
            signature_fields_agree: view.tbs_signature.whole == view.signature_algorithm.whole,
            subject,
            issuer,
            not_before: view.not_before,
            not_after: view.not_after,
            key_kind,
            extensions,
            defect,
            quirk,
        })
    }

    /// The subject name, read from the DER (already read once, so it reads; an empty name
    /// otherwise).
    pub(crate) fn subject_name(&self) -> NameRef<'_> {
        read::parse(self.subject_der(), read_name).unwrap_or(NameRef {
            der: &[],
            rdns: Vec::new(),
        })
    }

    /// The DER of the subject Name (SEQUENCE included).
    pub(crate) fn subject_der(&self) -> &[u8] {
        self.der
            .get(self.layout.subject.clone())
            .unwrap_or_default()
    }

    /// The DER of the issuer Name (SEQUENCE included).
    fn issuer_der(&self) -> &[u8] {
        self.der.get(self.layout.issuer.clone()).unwrap_or_default()
    }

    /// The DER of tbsCertificate exactly as signed.
    pub(crate) fn tbs(&self) -> &[u8] {
        self.der.get(self.layout.tbs.clone()).unwrap_or_default()
    }

    /// The DER of subjectPublicKeyInfo (equal keys have equal bytes).
    pub(crate) fn spki_der(&self) -> &[u8] {
        self.der.get(self.layout.spki.clone()).unwrap_or_default()
    }

    /// The serial number's content octets (two's complement, as encoded).
    pub(crate) fn serial(&self) -> &[u8] {
        self.der.get(self.serial_number.clone()).unwrap_or_default()
    }

    /// subjectPublicKeyInfo, borrowed from the DER (as read when the certificate was decoded).
    pub(crate) fn spki(&self) -> Option<SpkiRef<'_>> {
        // (read again in WebAssembly, whose module keeps its size)
        if cfg!(target_arch = "wasm32") {
            return crate::crypto::parse_spki(self.spki_der()).ok();
        }
        let der = &*self.der;
        Some(SpkiRef {
            algorithm: self.spki_at.algorithm.get(der)?,
            unused_bits: self.spki_at.unused_bits,
            key: der.get(self.spki_at.key.clone())?,
            whole: self.spki_der(),
        })
    }

    /// signatureAlgorithm and the signature bytes, borrowed from the DER.
    pub(crate) fn signature(&self) -> Option<(read::AlgorithmIdentifier<'_>, &[u8])> {
        let value = self.der.get(self.signature_value.clone()?)?;
        if cfg!(target_arch = "wasm32") {
            let algorithm = self.der.get(self.signature_algorithm.whole.clone())?;
            return Some((read::parse(algorithm, Reader::algorithm).ok()?, value));
        }
        Some((self.signature_algorithm.get(&self.der)?, value))
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
    pub(crate) fn alt_names(&self) -> Vec<GeneralNameRef<'_>> {
        self.extensions
            .subject_alt_name
            .as_ref()
            .map(|(names, _)| names.names())
            .unwrap_or_default()
    }

    /// The serial number in hex, colon separated: the text of x509-cert's `Display`
    /// (`0A:1B`).
    pub(crate) fn serial_hex(&self) -> String {
        colon_hex(self.serial())
    }
}

/// The forms of the name whose DER (SEQUENCE included) is `der`, when a certificate of
/// `beside` has a subject or issuer of these very bytes.
fn known_name(der: &[u8], beside: [&[ParsedCertificate<'_>]; 2]) -> Option<NameForms> {
    // (native code only, like the reader's fast paths: the WebAssembly module keeps its size)
    if cfg!(target_arch = "wasm32") {
        return None;
    }
    beside.into_iter().flatten().find_map(|certificate| {
        if certificate.subject_der() == der {
            Some(certificate.subject.clone())
        } else if certificate.issuer_der() == der {
            Some(certificate.issuer.clone())
        } else {
            None
        }
    })
}

/// Uppercase hex digits, a colon between bytes.
fn colon_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let digit = |nibble: u8| DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0');
    // Colons everywhere first, then the two digits of each byte in place: ASCII bytes, checked
    // once at the end (cheaper than pushing `char`s one by one).
    let mut out = vec![b':'; (bytes.len() * 3).saturating_sub(1)];
    for (slot, byte) in out.chunks_mut(3).zip(bytes) {
        if let [high, low, ..] = slot {
            *high = digit(byte >> 4);
            *low = digit(byte & 0x0f);
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// RFC 4514 text of a name; `(empty)` for the empty name.
pub(crate) fn display_name(name: &NameRef<'_>) -> String {
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
pub(crate) fn comparable_name(name: &NameRef<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    for rdn in &name.rdns {
        let [single] = rdn.as_slice() else {
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
pub(crate) fn comparable_rdns(name: &NameRef<'_>) -> Vec<Vec<u8>> {
    name.rdns.iter().map(|rdn| comparable_rdn(rdn)).collect()
}

/// One relative distinguished name in comparable form: its attributes sorted, each prefixed by
/// its length.
fn comparable_rdn(rdn: &[AttributeRef<'_>]) -> Vec<u8> {
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
fn comparable_attribute(attribute: &AttributeRef<'_>, bytes: &mut Vec<u8>) {
    bytes.extend_from_slice(attribute.oid.as_bytes());
    bytes.push(0xff);
    match directory_string(attribute) {
        Some(Cow::Borrowed(text)) if text.is_ascii() => fold_ascii_into(bytes, text),
        Some(text) => bytes.extend(fold(&text).into_bytes()),
        None => bytes.extend_from_slice(attribute.value_der),
    }
}

/// The text of an attribute value that is a DirectoryString (PrintableString, TeletexString,
/// UTF8String, BMPString) valid as x509-cert's `DirectoryString` decodes it: PrintableString
/// characters (X.680 41.4), TeletexString of ASCII (`der`'s rule), UTF-8, UCS-2 without
/// surrogates; `None` for any other value.
pub(crate) fn directory_string<'a>(attribute: &AttributeRef<'a>) -> Option<Cow<'a, str>> {
    let value = attribute.value;
    let text = match attribute.tag {
        Tag::PRINTABLE_STRING => {
            let printable =
                |byte: &u8| byte.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(byte);
            if !value.iter().all(printable) {
                return None;
            }
            core::str::from_utf8(value).ok()?
        }
        TELETEX_STRING if value.is_ascii() => core::str::from_utf8(value).ok()?,
        Tag::UTF8_STRING => core::str::from_utf8(value).ok()?,
        Tag::BMP_STRING => return read::bmp_to_string(value).map(Cow::Owned),
        _ => return None,
    };
    Some(Cow::Borrowed(text))
}

/// The text of an IA5String attribute value (ASCII), as `der` decodes one.
pub(crate) fn ia5_string<'a>(attribute: &AttributeRef<'a>) -> Option<&'a str> {
    (attribute.tag == Tag::IA5_STRING && attribute.value.is_ascii())
        .then(|| core::str::from_utf8(attribute.value).ok())
        .flatten()
}

const TELETEX_STRING: Tag = Tag::universal(20);

/// [`fold`] for ASCII text, appended to `out`: the same bytes (`char::is_whitespace` and
/// lowercase agree with their ASCII versions on ASCII).
fn fold_ascii_into(out: &mut Vec<u8>, text: &str) {
    // One pass over the bytes: a run of white space (`char::is_whitespace` on ASCII: tab, line
    // feed, vertical tab, form feed, carriage return, space) becomes one space between words.
    out.reserve(text.len());
    let mut space = false;
    let mut words = false;
    for &byte in text.as_bytes() {
        if matches!(byte, b'\t'..=b'\r' | b' ') {
            space = words;
            continue;
        }
        if space {
            out.push(b' ');
            space = false;
        }
        out.push(byte.to_ascii_lowercase());
        words = true;
    }
}

fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

// ---- helpers ----

/// Up to this many RDNs in a name take the plain path.
const PLAIN_RDNS: usize = 16;

/// A Name in the plain shape (a SEQUENCE OF single-attribute SETs whose value is a valid
/// PrintableString or UTF8String), in the forms of [`NameForms::of`]; `None` for anything
/// else (the shared Name reader decides).
fn plain_name(tlv: &Tlv<'_>) -> Option<NameForms> {
    // (a constant: `new_unwrap` in the array expression ran on every call)
    const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
    let mut attributes: [(ObjectIdentifier, &[u8], &str); PLAIN_RDNS] =
        [(COMMON_NAME, &[], ""); PLAIN_RDNS];
    let mut count = 0;
    let mut comparable = Vec::with_capacity(64);
    let mut rdns = tlv.reader().ok()?;
    while !rdns.is_empty() {
        let mut set = rdns.set().ok()?;
        let mut attribute = set.sequence().ok()?;
        if !set.is_empty() {
            return None;
        }
        let oid_tlv = attribute.expect(Tag::OID, "").ok()?;
        let oid = read::object_identifier(oid_tlv.contents)?;
        let oid_bytes = oid_tlv.contents;
        let value = attribute.tlv().ok()?;
        if !attribute.is_empty() {
            return None;
        }
        let text = match value.tag {
            Tag::PRINTABLE_STRING => {
                // PrintableString's characters (X.680 41.4), as the reader and der check them
                let printable =
                    |byte: &u8| byte.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(byte);
                if !value.contents.iter().all(printable) {
                    return None;
                }
                core::str::from_utf8(value.contents).ok()?
            }
            Tag::UTF8_STRING => core::str::from_utf8(value.contents).ok()?,
            _ => return None,
        };
        // comparable_name's single-attribute RDN: the two lengths, the OID, 0xff, the value
        let start = comparable.len();
        comparable.extend([0; 16]);
        comparable.extend_from_slice(oid_bytes);
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
        *attributes.get_mut(count)? = (oid, value.whole, text);
        count += 1;
    }
    let mut text = String::with_capacity(tlv.contents.len());
    for (position, (oid, value_der, value)) in attributes.iter().take(count).rev().enumerate() {
        if position > 0 {
            text.push(',');
        }
        crate::x509::display_name::write_text_attribute(&mut text, oid, value, value_der);
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
    list: Option<&[ExtensionRef<'_>]>,
    defect: &mut Option<Error>,
    quirk: &mut Option<Error>,
) -> Extensions {
    let mut extensions = Extensions::default();
    let list = list.unwrap_or_default();
    for (index, extension) in list.iter().enumerate() {
        let earlier = list.get(..index).unwrap_or_default();
        let oid = extension.oid.as_bytes();
        if earlier.iter().any(|other| other.oid.as_bytes() == oid) {
            extensions.duplicates.push(extension.oid.to_string());
        }
        if let Err(error) = decode_one(extension, &mut extensions) {
            let slot = if constrains_paths(&extension.oid) {
                &mut *defect
            } else {
                &mut *quirk
            };
            slot.get_or_insert(error);
        }
    }
    extensions
}

/// The extension OIDs verification reads (RFC 5280 section 4.2), in dotted form: [`known`]
/// tells them apart by their bytes (a test checks both agree).
#[cfg(test)]
mod oids {
    use const_oid::ObjectIdentifier;
    pub(super) const SUBJECT_KEY_IDENTIFIER: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.5.29.14");
    pub(super) const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
    pub(super) const SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
    pub(super) const BASIC_CONSTRAINTS: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.5.29.19");
    pub(super) const NAME_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.30");
    pub(super) const CERTIFICATE_POLICIES: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.5.29.32");
    pub(super) const POLICY_MAPPINGS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.33");
    pub(super) const AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.5.29.35");
    pub(super) const POLICY_CONSTRAINTS: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.5.29.36");
    pub(super) const EXTENDED_KEY_USAGE: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.5.29.37");
    pub(super) const INHIBIT_ANY_POLICY: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.5.29.54");
    pub(super) const AUTHORITY_INFO_ACCESS: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
}

/// The extensions of [`oids`], told apart by the OID's content octets: one look at a few
/// bytes instead of comparing the OID with each constant in turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    SubjectKeyIdentifier,
    KeyUsage,
    SubjectAltName,
    BasicConstraints,
    NameConstraints,
    CertificatePolicies,
    PolicyMappings,
    AuthorityKeyIdentifier,
    PolicyConstraints,
    ExtendedKeyUsage,
    InhibitAnyPolicy,
    AuthorityInfoAccess,
}

fn known(oid: &ObjectIdentifier) -> Option<Known> {
    match oid.as_bytes() {
        // 2.5.29.n: id-ce (RFC 5280 section 4.2.1)
        [0x55, 0x1d, number] => Some(match number {
            14 => Known::SubjectKeyIdentifier,
            15 => Known::KeyUsage,
            17 => Known::SubjectAltName,
            19 => Known::BasicConstraints,
            30 => Known::NameConstraints,
            32 => Known::CertificatePolicies,
            33 => Known::PolicyMappings,
            35 => Known::AuthorityKeyIdentifier,
            36 => Known::PolicyConstraints,
            37 => Known::ExtendedKeyUsage,
            54 => Known::InhibitAnyPolicy,
            _ => return None,
        }),
        // 1.3.6.1.5.5.7.1.1: id-pe-authorityInfoAccess
        [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01] => Some(Known::AuthorityInfoAccess),
        _ => None,
    }
}

/// Extensions whose content constrains the paths through a certificate (RFC 5937 section 2:
/// the ones a trust anchor's certificate may carry as constraints).
fn constrains_paths(oid: &ObjectIdentifier) -> bool {
    matches!(
        known(oid),
        Some(
            Known::BasicConstraints
                | Known::KeyUsage
                | Known::ExtendedKeyUsage
                | Known::NameConstraints
                | Known::PolicyConstraints
        )
    )
}

fn decode_one(extension: &ExtensionRef<'_>, into: &mut Extensions) -> Result<(), Error> {
    let value = extension.value;
    let critical = extension.critical;
    let oid = extension.oid;
    match known(&oid) {
        Some(Known::BasicConstraints) => {
            let constraints = value_of(value, "basicConstraints", basic_constraints)?;
            into.basic_constraints = Some((constraints, critical));
        }
        Some(Known::KeyUsage) => into.key_usage = Some(value_of(value, "keyUsage", key_usage)?),
        Some(Known::ExtendedKeyUsage) => {
            let usages = value_of(value, "extKeyUsage", |reader| {
                sequence_of(reader, object_identifier)
            })?;
            into.extended_key_usage = Some((ExtendedKeyUsage(usages), critical));
        }
        Some(Known::SubjectAltName) => {
            let count = value_of(value, "subjectAltName", AltNames::read)?;
            let names = AltNames {
                der: value.to_vec(),
                count,
            };
            into.subject_alt_name = Some((names, critical));
        }
        Some(Known::NameConstraints) => {
            value_of(value, "nameConstraints", read_name_constraints)?;
            let constraints = NameConstraintsValue {
                der: value.to_vec(),
            };
            into.name_constraints = Some((constraints, critical));
        }
        Some(Known::AuthorityKeyIdentifier) => {
            let identifier = value_of(value, "authorityKeyIdentifier", authority_key_identifier)?;
            into.authority_key_identifier = Some(identifier);
            into.key_identifier_critical |= critical;
        }
        Some(Known::SubjectKeyIdentifier) => {
            into.key_identifier_critical |= critical;
            let identifier = value_of(value, "subjectKeyIdentifier", Reader::octet_string)?;
            into.subject_key_identifier = Some(identifier.to_vec());
        }
        Some(Known::PolicyConstraints) => {
            let constraints = value_of(value, "policyConstraints", |reader| {
                reader.read_sequence(|fields| {
                    Ok(PolicyConstraints {
                        require_explicit_policy: optional_implicit_u32(fields, 0)?,
                        inhibit_policy_mapping: optional_implicit_u32(fields, 1)?,
                    })
                })
            })?;
            into.policy_constraints = Some((constraints, critical));
        }
        Some(Known::CertificatePolicies) => {
            let policies = value_of(value, "certificatePolicies", |reader| {
                sequence_of(reader, policy_information)
            })?;
            if policies.is_empty() {
                return Err(empty("certificatePolicies", "RFC 5280 4.2.1.4"));
            }
            let mut oids = Vec::with_capacity(policies.len());
            for policy in policies {
                if oids.contains(&policy) {
                    into.repeated_policy = true;
                } else {
                    oids.push(policy);
                }
            }
            into.certificate_policies = Some(oids);
        }
        Some(Known::PolicyMappings) => {
            let mappings = value_of(value, "policyMappings", |reader| {
                sequence_of(reader, |reader| {
                    reader.read_sequence(|mapping| {
                        Ok(PolicyMapping {
                            issuer_domain_policy: object_identifier(mapping)?,
                            subject_domain_policy: object_identifier(mapping)?,
                        })
                    })
                })
            })?;
            if mappings.is_empty() {
                return Err(empty("policyMappings", "RFC 5280 4.2.1.5"));
            }
            into.policy_mappings = Some(mappings);
        }
        Some(Known::InhibitAnyPolicy) => {
            let skip = value_of(value, "inhibitAnyPolicy", Reader::u32)?;
            into.inhibit_any_policy = Some((skip, critical));
        }
        Some(Known::AuthorityInfoAccess) => {
            let access = value_of(value, "authorityInfoAccess", |reader| {
                sequence_of(reader, |descriptions| {
                    descriptions.read_sequence(|description| {
                        object_identifier(description)?;
                        read_general_name(description)
                    })
                })
            })?;
            if access.is_empty() {
                return Err(empty("authorityInfoAccess", "RFC 5280 4.2.2.1"));
            }
            into.authority_info_access = Some(critical);
        }
        // (subjectKeyIdentifier, critical or not, is read above)
        None if critical => into.unknown_critical.push(oid.to_string()),
        None => {}
    }
    Ok(())
}

/// `AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL,
/// authorityCertIssuer [1] IMPLICIT GeneralNames OPTIONAL, authorityCertSerialNumber [2]
/// IMPLICIT CertificateSerialNumber OPTIONAL }` as x509-cert reads it: the GeneralNames by the
/// shared reader (empty accepted), the serial number minimal and of at most 21 octets.
/// Issuance reads the extension with it too ([`crate::issue::bundle`]).
pub(crate) fn authority_key_identifier(
    reader: &mut Reader<'_>,
) -> read::Result<AuthorityKeyIdentifier> {
    reader.read_sequence(|fields| {
        let key_identifier = fields
            .optional_context(0, false)?
            .map(|tlv| tlv.contents.to_vec());
        let authority_cert_issuer = match fields.optional_context(1, true)? {
            None => false,
            Some(tlv) => {
                let mut names = tlv.reader()?;
                while !names.is_empty() {
                    read_general_name(&mut names)?;
                }
                true
            }
        };
        let authority_cert_serial_number = match fields.optional_context(2, false)? {
            None => false,
            Some(tlv) => {
                let minimal = match tlv.contents {
                    [] => false,
                    [0x00, next, ..] => *next >= 0x80,
                    [0xff, next, ..] => *next < 0x80,
                    _ => true,
                };
                if !minimal || tlv.contents.len() > MAXIMUM_SERIAL_OCTETS {
                    return Err(DerError {
                        offset: tlv.offset,
                        expected: "a serial number: a minimal INTEGER of at most 21 octets",
                    });
                }
                true
            }
        };
        Ok(AuthorityKeyIdentifier {
            key_identifier,
            authority_cert_issuer,
            authority_cert_serial_number,
        })
    })
}

/// `BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER
/// (0..MAX) OPTIONAL }`, pathLenConstraint up to 255 (x509-cert's `u8`).
fn basic_constraints(reader: &mut Reader<'_>) -> read::Result<BasicConstraints> {
    let (ca, path_len_constraint) = crate::x509::extensions::read_basic_constraints_saying(
        reader,
        "a pathLenConstraint of at most 255",
    )?;
    Ok(BasicConstraints {
        ca,
        path_len_constraint,
    })
}

/// `KeyUsage ::= BIT STRING` as x509-cert reads it (`der`'s flag sets): at most 16 bits, bit
/// `n` to `1 << n`, the bits after decipherOnly dropped.
fn key_usage(reader: &mut Reader<'_>) -> read::Result<KeyUsage> {
    let tlv = reader.expect(Tag::BIT_STRING, "a BIT STRING")?;
    let (unused, bytes) = der_bit_string(tlv)?;
    let length = (bytes.len() * 8).saturating_sub(usize::from(unused));
    if length > 16 {
        return Err(DerError {
            offset: tlv.offset,
            expected: "a keyUsage of at most 16 bits",
        });
    }
    let mut bits = 0u16;
    for index in 0..length {
        let byte = bytes.get(index / 8).copied().unwrap_or(0);
        if byte & (0x80 >> (index % 8)) != 0 {
            bits |= 1 << index;
        }
    }
    Ok(KeyUsage(bits & KeyUsage::NAMED))
}

/// `PolicyInformation ::= SEQUENCE { policyIdentifier, policyQualifiers SEQUENCE OF
/// PolicyQualifierInfo OPTIONAL }` (an empty SEQUENCE OF accepted, as x509-cert accepts it),
/// each qualifier `SEQUENCE { OBJECT IDENTIFIER, ANY OPTIONAL }`: the policy OID.
fn policy_information(reader: &mut Reader<'_>) -> read::Result<ObjectIdentifier> {
    reader.read_sequence(|policy| {
        let oid = object_identifier(policy)?;
        if !policy.is_empty() {
            sequence_of(policy, |qualifiers| {
                qualifiers.read_sequence(|qualifier| {
                    object_identifier(qualifier)?;
                    if !qualifier.is_empty() {
                        qualifier.tlv()?;
                    }
                    Ok(())
                })
            })?;
        }
        Ok(oid)
    })
}

/// A SEQUENCE OF, each element read by `read` (empty accepted).
fn sequence_of<'a, T>(
    reader: &mut Reader<'a>,
    mut read: impl FnMut(&mut Reader<'a>) -> read::Result<T>,
) -> read::Result<Vec<T>> {
    let mut elements = reader.sequence()?;
    let mut out = Vec::new();
    while !elements.is_empty() {
        out.push(read(&mut elements)?);
    }
    Ok(out)
}

/// An extension value read by `read`, which must take all of it.
fn value_of<'a, T>(
    value: &'a [u8],
    name: &str,
    read: impl FnOnce(&mut Reader<'a>) -> read::Result<T>,
) -> Result<T, Error> {
    read::parse(value, read).map_err(|error| malformed(name, error))
}

fn malformed(name: &str, error: impl core::fmt::Display) -> Error {
    Error::NonConforming {
        section: "RFC 5280 4.2",
        detail: format!("malformed {name} extension: {error}"),
    }
}

fn empty(name: &str, section: &'static str) -> Error {
    Error::NonConforming {
        section,
        detail: format!("empty {name} extension"),
    }
}

#[cfg(test)]
impl ParsedCertificate<'_> {
    /// Every field in a form both decoders can write (tests: `certificate_before.rs` writes
    /// the same for x509-cert's types).
    pub(super) fn summary(&self) -> Vec<String> {
        let mut out = vec![
            format!("{:?}", self.der),
            format!(
                "{:?} {:?} {:?}",
                self.tbs(),
                self.subject_der(),
                self.spki_der()
            ),
            format!(
                "{:?}",
                self.signature().map(|(algorithm, value)| (
                    algorithm.oid.to_vec(),
                    algorithm.parameters.map(|p| p.whole.to_vec()),
                    value.to_vec()
                ))
            ),
            format!(
                "{:?}",
                self.spki().map(|spki| (
                    spki.algorithm.oid.to_vec(),
                    spki.algorithm.parameters.map(|p| p.whole.to_vec()),
                    spki.unused_bits,
                    spki.key.to_vec()
                ))
            ),
            format!("{:?} {:?}", self.version, self.serial()),
            format!(
                "{} {} {}",
                self.has_extensions, self.has_unique_identifiers, self.signature_fields_agree
            ),
            format!("{:?} {:?}", self.subject, self.issuer),
            format!(
                "{:?} {:?} {:?}",
                self.not_before, self.not_after, self.key_kind
            ),
            error_summary(self.defect.as_ref()),
            error_summary(self.quirk.as_ref()),
        ];
        out.extend(self.extensions.summary());
        out
    }
}

#[cfg(test)]
impl Extensions {
    pub(super) fn summary(&self) -> Vec<String> {
        vec![
            format!(
                "{:?}",
                self.basic_constraints
                    .map(|(b, c)| (b.ca, b.path_len_constraint, c))
            ),
            format!("{:?}", self.key_usage.map(|k| k.0)),
            format!(
                "{:?}",
                self.extended_key_usage.as_ref().map(|(u, c)| (&u.0, c))
            ),
            format!(
                "{:?}",
                self.subject_alt_name.as_ref().map(|(names, critical)| (
                    names
                        .names()
                        .iter()
                        .map(general_name_summary)
                        .collect::<Vec<_>>(),
                    names.is_empty(),
                    critical
                ))
            ),
            format!(
                "{:?}",
                self.name_constraints
                    .as_ref()
                    .map(|(constraints, critical)| (
                        constraints.read().map(|constraints| {
                            let subtrees = |list: Option<Vec<GeneralSubtree<'_>>>| {
                                list.map(|list| {
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
                                subtrees(constraints.permitted),
                                subtrees(constraints.excluded),
                            )
                        }),
                        critical
                    ))
            ),
            format!(
                "{:?}",
                self.authority_key_identifier.as_ref().map(|a| (
                    a.key_identifier.clone(),
                    a.authority_cert_issuer,
                    a.authority_cert_serial_number
                ))
            ),
            format!(
                "{:?} {}",
                self.subject_key_identifier, self.key_identifier_critical
            ),
            format!(
                "{:?}",
                self.policy_constraints.map(|(p, c)| (
                    p.require_explicit_policy,
                    p.inhibit_policy_mapping,
                    c
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

/// A general name in a form both decoders can write (`certificate_before.rs` writes the same
/// for x509-cert's `GeneralName`): its choice and values, a directory name's attributes (type,
/// value TLV) in DER order.
#[cfg(test)]
pub(super) fn general_name_summary(name: &GeneralNameRef<'_>) -> String {
    match name {
        GeneralNameRef::OtherName { type_id, value_der } => {
            format!("other {type_id} {value_der:02x?}")
        }
        GeneralNameRef::Rfc822(text) => format!("email {text}"),
        GeneralNameRef::Dns(text) => format!("dns {text}"),
        GeneralNameRef::Uri(text) => format!("uri {text}"),
        GeneralNameRef::X400(contents) => format!("x400 {contents:02x?}"),
        GeneralNameRef::Directory(name) => format!(
            "dir {:?}",
            name.rdns
                .iter()
                .map(|rdn| rdn
                    .iter()
                    .map(|attribute| (attribute.oid.to_string(), attribute.value_der.to_vec()))
                    .collect::<Vec<_>>())
                .collect::<Vec<_>>()
        ),
        GeneralNameRef::EdiParty(contents) => format!("edi {contents:02x?}"),
        GeneralNameRef::Ip(octets) => format!("ip {octets:02x?}"),
        GeneralNameRef::RegisteredId(oid) => format!("rid {oid}"),
    }
}

/// An error's code and text, the detail of a decoding error left out (`der`'s wording
/// before, the reader's now).
#[cfg(test)]
pub(super) fn error_summary(error: Option<&Error>) -> String {
    let Some(error) = error else {
        return "none".to_owned();
    };
    let text = error.to_string();
    let kept = match text.find("extension: ") {
        Some(index) => text.get(..index + 9).unwrap_or_default(),
        None => &text,
    };
    format!("{} {kept}", error.code())
}

#[cfg(test)]
mod tests {
    use der::{Decode, Encode};

    use super::super::certificate_before as before;
    use super::*;

    #[test]
    fn known_extensions_are_the_dotted_oids() {
        let table = [
            (oids::SUBJECT_KEY_IDENTIFIER, Known::SubjectKeyIdentifier),
            (oids::KEY_USAGE, Known::KeyUsage),
            (oids::SUBJECT_ALT_NAME, Known::SubjectAltName),
            (oids::BASIC_CONSTRAINTS, Known::BasicConstraints),
            (oids::NAME_CONSTRAINTS, Known::NameConstraints),
            (oids::CERTIFICATE_POLICIES, Known::CertificatePolicies),
            (oids::POLICY_MAPPINGS, Known::PolicyMappings),
            (
                oids::AUTHORITY_KEY_IDENTIFIER,
                Known::AuthorityKeyIdentifier,
            ),
            (oids::POLICY_CONSTRAINTS, Known::PolicyConstraints),
            (oids::EXTENDED_KEY_USAGE, Known::ExtendedKeyUsage),
            (oids::INHIBIT_ANY_POLICY, Known::InhibitAnyPolicy),
            (oids::AUTHORITY_INFO_ACCESS, Known::AuthorityInfoAccess),
        ];
        for (oid, kind) in table {
            assert_eq!(known(&oid), Some(kind), "{oid}");
        }
        // Neighbours and prefixes are not known: other id-ce arcs, a longer arc, id-pe 2.
        for other in [
            "2.5.29.16",
            "2.5.29.31",
            "2.5.29.38",
            "2.5.29.17.1",
            "2.5.29",
            "1.3.6.1.5.5.7.1.2",
            "1.3.6.1.5.5.7.1.1.1",
            "2.5.4.3",
        ] {
            let oid = ObjectIdentifier::new_unwrap(other);
            assert_eq!(known(&oid), None, "{other}");
        }
        let constraining = table
            .iter()
            .filter(|(oid, _)| constrains_paths(oid))
            .map(|(_, kind)| *kind)
            .collect::<Vec<_>>();
        assert_eq!(
            constraining,
            [
                Known::KeyUsage,
                Known::BasicConstraints,
                Known::NameConstraints,
                Known::PolicyConstraints,
                Known::ExtendedKeyUsage
            ]
        );
    }

    #[test]
    fn single_valued_names_compare_as_their_rdns_do() {
        use core::str::FromStr;
        for text in ["CN=Bench  Root,O=Example", "CN=a+O=b,C=DE", "CN=\u{e4}B"] {
            let der = x509_cert::name::Name::from_str(text)
                .unwrap()
                .to_der()
                .unwrap();
            let name = crate::x509::name::parse_name(&der).unwrap();
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
        let mut texts: Vec<String> = ["Bench Root", "  a\tB  c\u{b}D ", "", "   ", "ÄB  c", "x"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        for byte in 0..0x80u8 {
            let c = char::from(byte);
            texts.extend([
                format!("a{c}{c}B"),
                format!("{c}A{c}"),
                format!("{c}"),
                format!("x {c} y"),
            ]);
        }
        for text in &texts {
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
            let serial =
                x509_cert::serial_number::SerialNumber::<x509_cert::certificate::Rfc5280>::new(
                    bytes,
                )
                .unwrap();
            assert_eq!(colon_hex(bytes), serial.to_string());
        }
    }

    /// Decodes each DER with the reader and with x509-cert (`certificate_before.rs`): the same
    /// acceptance, and every field equal. How many both accepted, and how many both refused.
    fn compare(ders: &[Vec<u8>]) -> (usize, usize) {
        let (mut accepted, mut refused) = (0, 0);
        for der in ders {
            let old = before::ParsedCertificate::parse(der, "a");
            let new = ParsedCertificate::parse(der, "a");
            match (old, new) {
                (Ok(old), Ok(new)) => {
                    accepted += 1;
                    assert_eq!(old.summary(), new.summary(), "{der:02x?}");
                    assert_eq!(
                        old.subject_name().to_der().unwrap(),
                        new.subject_der(),
                        "{der:02x?}"
                    );
                }
                (Err(old), Err(new)) => {
                    refused += 1;
                    assert_eq!(old.code(), new.code());
                }
                (old, new) => panic!(
                    "x509-cert {:?}, reader {:?}: {der:02x?}",
                    old.err(),
                    new.err()
                ),
            }
        }
        (accepted, refused)
    }

    /// Every certificate of the system bundle and of the limbo and BetterTLS suites (hostile
    /// encodings included).
    #[test]
    fn reads_the_corpora_as_x509_cert_did() {
        let ders = crate::x509::test_corpus::certificates(&[
            "limbo-dev.json",
            "bettertls-pathbuilding-dev.json",
        ]);
        let (accepted, refused) = compare(&ders);
        println!("corpora: {accepted} accepted, {refused} refused by both");
        assert!(accepted > 1000, "{accepted} accepted, {refused} refused");
    }

    /// The key and signature algorithm kept as positions are what reading the DER again
    /// gives (everything a caller looks at: bytes and tags).
    #[test]
    fn kept_key_and_signature_algorithm_are_the_der_read_again() {
        let ders = crate::x509::test_corpus::certificates(&[
            "limbo-dev.json",
            "bettertls-pathbuilding-dev.json",
        ]);
        let algorithm = |algorithm: &read::AlgorithmIdentifier<'_>| {
            let parameters = algorithm
                .parameters
                .map(|tlv| (tlv.tag, tlv.contents.to_vec(), tlv.whole.to_vec()));
            (algorithm.oid.to_vec(), parameters, algorithm.whole.to_vec())
        };
        let mut compared = 0;
        for der in &ders {
            let Ok(certificate) = ParsedCertificate::parse(der, "a") else {
                continue;
            };
            let kept = certificate.spki().unwrap();
            let again = crate::crypto::parse_spki(certificate.spki_der()).unwrap();
            assert_eq!(algorithm(&kept.algorithm), algorithm(&again.algorithm));
            assert_eq!(
                (kept.unused_bits, kept.key, kept.whole),
                (again.unused_bits, again.key, again.whole)
            );
            if let Some((kept, _)) = certificate.signature() {
                let whole = certificate
                    .der
                    .get(certificate.signature_algorithm.whole.clone());
                let again = read::parse(whole.unwrap(), Reader::algorithm).unwrap();
                assert_eq!(algorithm(&kept), algorithm(&again));
            }
            compared += 1;
        }
        assert!(compared > 1000, "{compared}");
    }

    /// The same for one-byte changes and truncations of certificates of the limbo suite:
    /// hostile lengths, tags, versions, serials, times, strings, extensions.
    #[test]
    fn reads_changed_certificates_as_x509_cert_did() {
        let changed = crate::x509::test_corpus::one_byte_changes(
            crate::x509::test_corpus::certificates(&["limbo-dev.json"]),
            131,
            &[
                0x00, 0x01, 0x02, 0x0c, 0x13, 0x17, 0x18, 0x30, 0x7f, 0x80, 0x81, 0xff,
            ],
            &[0x01, 0x20],
        );
        let (accepted, refused) = compare(&changed);
        println!("changed: {accepted} accepted, {refused} refused by both");
        assert!(
            accepted > 1000 && refused > 1000,
            "{accepted} accepted, {refused} refused"
        );
    }

    /// Every extension value of the corpora, and every one-byte change and truncation of it,
    /// decodes to the same value (or the same kind of problem) as x509-cert decodes it.
    #[test]
    fn reads_extension_values_as_x509_cert_did() {
        let ders = crate::x509::test_corpus::certificates(&[
            "limbo-dev.json",
            "bettertls-pathbuilding-dev.json",
        ]);
        let mut seen: std::collections::HashSet<(ObjectIdentifier, Vec<u8>)> =
            std::collections::HashSet::new();
        let mut compared = 0usize;
        let mut different_values = 0usize;
        for der in &ders {
            let Ok(view) = read::parse(der, read_certificate) else {
                continue;
            };
            for extension in view.extensions.unwrap_or_default() {
                if !seen.insert((extension.oid, extension.value.to_vec())) {
                    continue;
                }
                different_values += 1;
                let value = extension.value;
                let mut variants = vec![value.to_vec()];
                for position in 0..value.len().min(96) {
                    for change in [0x00, 0x01, 0x02, 0x04, 0x30, 0x80, 0x81, 0xa0, 0xff] {
                        let mut copy = value.to_vec();
                        copy[position] = change;
                        variants.push(copy.clone());
                        copy[position] = value[position] ^ 0x01;
                        variants.push(copy);
                    }
                }
                for length in 0..value.len().min(24) {
                    variants.push(value[..length].to_vec());
                }
                for variant in &variants {
                    for critical in [false, true] {
                        compare_extension(extension.oid, critical, variant);
                        compared += 1;
                    }
                }
            }
        }
        println!("extensions: {different_values} values, {compared} decodings compared");
        assert!(
            different_values > 500 && compared > 100_000,
            "{different_values} values, {compared} compared"
        );
    }

    /// authorityKeyIdentifier with an issuer and a serial number, and authorityInfoAccess
    /// forms the corpora have few of: the same values and refusals as x509-cert.
    #[test]
    fn reads_key_identifiers_and_access_as_x509_cert_did() {
        let sequence = |parts: &[&[u8]]| {
            let body = parts.concat();
            [&[0x30, body.len() as u8][..], &body].concat()
        };
        let directory: &[u8] = &[
            0xa4, 0x0e, 0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c,
            0x01, 0x61,
        ];
        let issuer = [&[0xa1, directory.len() as u8][..], directory].concat();
        let long_serial = [&[0x82, 22][..], &[0x11; 22]].concat();
        let max_serial = [&[0x82, 21][..], &[0x11; 21]].concat();
        let authority = ObjectIdentifier::new_unwrap("2.5.29.35");
        for value in [
            sequence(&[&[0x80, 0x02, 0xaa, 0xbb], &issuer, &[0x82, 0x01, 0x05]]),
            sequence(&[&issuer, &[0x82, 0x02, 0x00, 0x80]]),
            sequence(&[&issuer, &[0x82, 0x02, 0x00, 0x05]]),
            sequence(&[&issuer, &[0x82, 0x01, 0xff]]),
            sequence(&[&issuer, &[0x82, 0x00]]),
            sequence(&[&issuer, &long_serial]),
            sequence(&[&issuer, &max_serial]),
            sequence(&[&[0xa1, 0x00]]),
            sequence(&[&[0x81, 0x00]]),
            sequence(&[&[0xa0, 0x00]]),
            sequence(&[&[0x82, 0x01, 0x05], &issuer]),
            sequence(&[]),
        ] {
            compare_extension(authority, false, &value);
        }
        let access = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
        let method: &[u8] = &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02];
        for location in [
            &[0x86, 0x03, b'a', b':', b'b'][..],
            &[0x86, 0x01, 0xff],
            &[0xa6, 0x00],
            directory,
            &[0x87, 0x04, 1, 2, 3, 4],
            &[0x04, 0x00],
        ] {
            let description = sequence(&[method, location]);
            compare_extension(access, false, &sequence(&[&description]));
            compare_extension(access, true, &sequence(&[&description, &description]));
        }
        compare_extension(access, false, &sequence(&[]));
    }

    /// Both read `der` as one Name, or both refuse it; when both read it, the forms the checks
    /// use are the same: comparable form, RDNs, text, emptiness, each attribute's
    /// DirectoryString text (commonName) and IA5String text (emailAddress).
    fn compare_name(der: &[u8]) -> bool {
        let old = x509_cert::name::Name::from_der(der);
        let new = read::parse(der, read_name);
        match (old, new) {
            (Err(_), Err(_)) => false,
            (Ok(old), Ok(new)) => {
                assert_eq!(
                    before::comparable_name(&old),
                    comparable_name(&new),
                    "{der:02x?}"
                );
                assert_eq!(
                    before::comparable_rdns(&old),
                    comparable_rdns(&new),
                    "{der:02x?}"
                );
                assert_eq!(before::display_name(&old), display_name(&new), "{der:02x?}");
                assert_eq!(old.is_empty(), new.is_empty(), "{der:02x?}");
                let tlv = read::parse(der, |reader| reader.tlv()).unwrap();
                let forms = NameForms::read(&tlv).unwrap();
                assert_eq!(forms.comparable, before::comparable_name(&old));
                assert_eq!(forms.text, before::display_name(&old));
                assert_eq!(forms.empty, old.is_empty());
                let old_attributes: Vec<_> = old.iter().collect();
                let new_attributes: Vec<_> = new.iter().collect();
                assert_eq!(old_attributes.len(), new_attributes.len());
                for (old, new) in old_attributes.iter().zip(new_attributes) {
                    assert_eq!(
                        x509_cert::ext::pkix::name::DirectoryString::try_from(&old.value)
                            .ok()
                            .map(|text| text.value().into_owned()),
                        directory_string(new).map(Cow::into_owned),
                        "{der:02x?}"
                    );
                    assert_eq!(
                        old.value
                            .decode_as::<der::asn1::Ia5String>()
                            .ok()
                            .map(|text| text.to_string()),
                        ia5_string(new).map(str::to_owned),
                        "{der:02x?}"
                    );
                }
                true
            }
            (old, new) => panic!("x509-cert {old:?}, reader {new:?}: {der:02x?}"),
        }
    }

    /// Every subject, issuer and subjectAltName directoryName of the corpora, and one-byte
    /// changes and truncations of a spread of them: the same names, compared and shown the
    /// same way, the same commonName and emailAddress values as through x509-cert.
    #[test]
    fn reads_names_as_x509_cert_did() {
        let ders = crate::x509::test_corpus::certificates(&[
            "limbo-dev.json",
            "bettertls-pathbuilding-dev.json",
        ]);
        let mut names = Vec::new();
        for der in &ders {
            let Ok(view) = read::parse(der, read_certificate) else {
                continue;
            };
            names.push(view.subject.whole.to_vec());
            names.push(view.issuer.whole.to_vec());
            for extension in view.extensions.unwrap_or_default() {
                if extension.oid != oids::SUBJECT_ALT_NAME {
                    continue;
                }
                for name in read::parse(extension.value, read_general_names).unwrap_or_default() {
                    if let GeneralNameRef::Directory(directory) = name {
                        names.push(directory.der.to_vec());
                    }
                }
            }
        }
        // Names with the string types the corpora have few of.
        let name = |tag: u8, value: &[u8], oid: &[u8]| {
            let attribute = [
                &[
                    0x30,
                    (oid.len() + value.len() + 4) as u8,
                    0x06,
                    oid.len() as u8,
                ][..],
                oid,
                &[tag, value.len() as u8],
                value,
            ]
            .concat();
            let set = [&[0x31, attribute.len() as u8][..], &attribute].concat();
            [&[0x30, set.len() as u8][..], &set].concat()
        };
        let common_name: &[u8] = &[0x55, 0x04, 0x03];
        let email: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
        for (tag, value) in [
            (0x14u8, &b"Teletex  Name"[..]),
            (0x14, &[0x41, 0xe4][..]),
            (
                0x1e,
                &[0x00, 0x41, 0x00, 0xe4, 0x00, 0x20, 0x00, 0x20, 0x00, 0x42][..],
            ),
            (0x1e, &[0xd8, 0x00, 0x00, 0x41][..]),
            (0x1e, &[0x00, 0x41, 0x00][..]),
            (0x16, &b"a@example.com"[..]),
            (0x16, &[0x61, 0xff][..]),
            (0x13, &b"A*B"[..]),
            (0x0c, &[0xc3, 0xa4, 0x20, 0x20, 0x42][..]),
            (0x0c, &[0xc3][..]),
            (0x1c, &[0x00, 0x00, 0x00, 0x41][..]),
            (0x02, &[0x01][..]),
        ] {
            names.push(name(tag, value, common_name));
            names.push(name(tag, value, email));
        }
        names.sort();
        names.dedup();
        let accepted = names.iter().filter(|der| compare_name(der)).count();
        // (a few hostile names of the corpora are tens of kilobytes: not those)
        let short: Vec<Vec<u8>> = names
            .iter()
            .filter(|der| der.len() < 512)
            .cloned()
            .collect();
        let changed = crate::x509::test_corpus::one_byte_changes(
            short,
            5,
            &[
                0x00, 0x01, 0x0c, 0x13, 0x14, 0x16, 0x1e, 0x20, 0x30, 0x31, 0x80, 0xff,
            ],
            &[0x01, 0x20],
        );
        let changed_accepted = changed.iter().filter(|der| compare_name(der)).count();
        println!(
            "names: {accepted} of {} accepted; changed: {changed_accepted} of {} accepted by both",
            names.len(),
            changed.len()
        );
        assert!(names.len() > 500 && accepted + 4 >= names.len());
        assert!(changed_accepted > 10_000 && changed.len() - changed_accepted > 10_000);
    }

    /// subjectAltName and nameConstraints forms the corpora have few of: the same values and
    /// refusals as x509-cert (BaseDistance past 32 bits, explicit and non-minimal minimums,
    /// subtrees out of order, empty lists, every GeneralName choice).
    #[test]
    fn reads_alt_names_and_name_constraints_as_x509_cert_did() {
        let tlv = |tag: u8, parts: &[&[u8]]| {
            let body = parts.concat();
            [&[tag, body.len() as u8][..], &body].concat()
        };
        let directory = tlv(
            0xa4,
            &[&tlv(
                0x30,
                &[&tlv(
                    0x31,
                    &[&tlv(
                        0x30,
                        &[&[0x06, 0x03, 0x55, 0x04, 0x03], &tlv(0x0c, &[b"a"])],
                    )],
                )],
            )],
        );
        let dns = tlv(0x82, &[b"example.com"]);
        let names: Vec<Vec<u8>> = vec![
            dns.clone(),
            tlv(0x82, &[b".example.com"]),
            tlv(0x82, &[&[0x61, 0x80]]),
            tlv(0x81, &[b"a@example.com"]),
            tlv(0x86, &[b"https://example.com/"]),
            tlv(0x87, &[&[192, 0, 2, 1]]),
            tlv(0x87, &[&[192, 0, 2, 0, 255, 255, 255, 0]]),
            tlv(0x87, &[]),
            directory.clone(),
            tlv(0xa4, &[]),
            tlv(0x88, &[&[0x2a, 0x03]]),
            tlv(0x88, &[&[0x80]]),
            tlv(
                0xa0,
                &[
                    &[0x06, 0x03, 0x2a, 0x03, 0x04],
                    &tlv(0xa0, &[&[0x05, 0x00]]),
                ],
            ),
            tlv(0xa0, &[&[0x06, 0x03, 0x2a, 0x03, 0x04]]),
            tlv(0xa3, &[&[0x30, 0x00]]),
            tlv(0xa5, &[&tlv(0xa1, &[&tlv(0x0c, &[b"p"])])]),
            tlv(0xa5, &[&tlv(0xa1, &[&tlv(0x02, &[&[1]])])]),
            tlv(0x02, &[&[1]]),
            tlv(0x89, &[&[1]]),
        ];
        let alt_names = ObjectIdentifier::new_unwrap("2.5.29.17");
        let constraints = ObjectIdentifier::new_unwrap("2.5.29.30");
        compare_extension(alt_names, false, &tlv(0x30, &[]));
        compare_extension(alt_names, true, &tlv(0x30, &[&dns, &directory]));
        for name in &names {
            compare_extension(alt_names, false, &tlv(0x30, &[name]));
            compare_extension(alt_names, true, &tlv(0x30, &[&dns, name]));
            for (minimum, maximum) in [
                (&[][..], &[][..]),
                (&[0x80, 0x01, 0x00][..], &[][..]),
                (&[0x80, 0x01, 0x01], &[]),
                (&[], &[0x81, 0x01, 0x05]),
                (&[0x80, 0x01, 0x00], &[0x81, 0x01, 0x00]),
                (&[0x80, 0x04, 0x7f, 0xff, 0xff, 0xff], &[]),
                (&[0x80, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff], &[]),
                (&[0x80, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00], &[]),
                (&[0x80, 0x02, 0x00, 0x01], &[]),
                (&[0x80, 0x01, 0xff], &[]),
                (&[0x80, 0x00], &[]),
                (&[0xa0, 0x03, 0x02, 0x01, 0x00], &[]),
                (&[0x81, 0x01, 0x05], &[0x80, 0x01, 0x00]),
                (&[0x82, 0x01, 0x00], &[]),
            ] {
                let subtree = tlv(0x30, &[name, minimum, maximum]);
                for value in [
                    tlv(0x30, &[&tlv(0xa0, &[&subtree])]),
                    tlv(0x30, &[&tlv(0xa1, &[&subtree])]),
                    tlv(0x30, &[&tlv(0xa0, &[&subtree]), &tlv(0xa1, &[&subtree])]),
                    tlv(0x30, &[&tlv(0xa1, &[&subtree]), &tlv(0xa0, &[&subtree])]),
                    tlv(0x30, &[&tlv(0xa0, &[&subtree, &subtree])]),
                    tlv(0x30, &[&tlv(0x80, &[&subtree])]),
                ] {
                    compare_extension(constraints, true, &value);
                }
            }
        }
        for value in [
            tlv(0x30, &[]),
            tlv(0x30, &[&tlv(0xa0, &[])]),
            tlv(0x30, &[&tlv(0xa1, &[])]),
            tlv(0x30, &[&tlv(0xa0, &[]), &tlv(0xa1, &[])]),
            tlv(0x30, &[&tlv(0xa2, &[])]),
            tlv(0x30, &[&tlv(0xa0, &[&tlv(0x30, &[])])]),
            tlv(0x31, &[]),
        ] {
            compare_extension(constraints, true, &value);
        }
    }

    fn compare_extension(oid: ObjectIdentifier, critical: bool, value: &[u8]) {
        let mut new = Extensions::default();
        let new_result = decode_one(
            &ExtensionRef {
                oid,
                critical,
                value,
            },
            &mut new,
        );
        let mut old = before::Extensions::default();
        let old_result = before::decode_one_value(oid, critical, value, &mut old);
        assert_eq!(
            error_summary(old_result.err().as_ref()),
            error_summary(new_result.err().as_ref()),
            "{oid} {value:02x?}"
        );
        assert_eq!(old.summary(), new.summary(), "{oid} {value:02x?}");
    }

    #[test]
    fn rfc5280_profile_checks_of_the_reader() {
        // A certificate skeleton: version, serial, algorithms, names, validity, key.
        let tlv = |tag: u8, contents: &[u8]| {
            let mut out = vec![tag];
            match contents.len() {
                length @ 0..=0x7f => out.push(length as u8),
                length @ 0x80..=0xff => out.extend([0x81, length as u8]),
                length => out.extend([0x82, (length >> 8) as u8, length as u8]),
            }
            out.extend(contents);
            out
        };
        let certificate = |version: &[u8], serial: &[u8], validity: &[u8]| {
            let algorithm = tlv(0x30, &tlv(0x06, &[0x2b, 0x65, 0x70]));
            let name = tlv(
                0x30,
                &tlv(
                    0x31,
                    &tlv(
                        0x30,
                        &[&[0x06, 0x03, 0x55, 0x04, 0x03][..], &tlv(0x0c, b"a")].concat(),
                    ),
                ),
            );
            let key = tlv(
                0x30,
                &[algorithm.clone(), tlv(0x03, &[&[0][..], &[7; 32]].concat())].concat(),
            );
            let tbs = tlv(
                0x30,
                &[
                    version.to_vec(),
                    tlv(0x02, serial),
                    algorithm.clone(),
                    name.clone(),
                    tlv(0x30, validity),
                    name,
                    key,
                ]
                .concat(),
            );
            tlv(
                0x30,
                &[tbs, algorithm, tlv(0x03, &[0x00, 0xaa, 0xbb])].concat(),
            )
        };
        let utc = |text: &[u8]| [&[0x17, text.len() as u8][..], text].concat();
        let times = [utc(b"700101000000Z"), utc(b"491231235959Z")].concat();
        let v3 = [0xa0, 0x03, 0x02, 0x01, 0x02];
        let accepted = |der: &[u8]| ParsedCertificate::parse(der, "a").is_ok();
        assert!(accepted(&certificate(&v3, &[0x01], &times)));
        // Serials: 21 octets at most, negative and zero accepted (profile.rs refuses them).
        assert!(accepted(&certificate(&v3, &[0x7f; 21], &times)));
        assert!(!accepted(&certificate(&v3, &[0x7f; 22], &times)));
        let too_long = certificate(&v3, &[0x7f; 22], &times);
        assert_eq!(
            ParsedCertificate::parse(&too_long, "a")
                .unwrap_err()
                .to_string(),
            before::ParsedCertificate::parse(&too_long, "a")
                .unwrap_err()
                .to_string()
        );
        assert!(accepted(&certificate(&v3, &[0x80], &times)));
        assert!(accepted(&certificate(&v3, &[0x00], &times)));
        assert!(
            !accepted(&certificate(&v3, &[0x00, 0x01], &times)),
            "not minimal"
        );
        // Versions 0 to 2, an explicit v1 accepted, absent is v1.
        for (version, expected) in [(0u8, Version::V1), (1, Version::V2), (2, Version::V3)] {
            let der = certificate(&[0xa0, 0x03, 0x02, 0x01, version], &[0x01], &times);
            assert_eq!(
                ParsedCertificate::parse(&der, "a").unwrap().version,
                expected
            );
        }
        assert!(!accepted(&certificate(
            &[0xa0, 0x03, 0x02, 0x01, 0x03],
            &[0x01],
            &times
        )));
        let absent = certificate(&[], &[0x01], &times);
        assert_eq!(
            ParsedCertificate::parse(&absent, "a").unwrap().version,
            Version::V1
        );
        // Times from 1970: UTCTime 50 to 69 refused, as der refuses them.
        let old = [utc(b"691231235959Z"), utc(b"491231235959Z")].concat();
        assert!(!accepted(&certificate(&v3, &[0x01], &old)));
        let generalized = [&[0x18, 15][..], b"19691231235959Z"].concat();
        let old = [generalized, utc(b"491231235959Z")].concat();
        assert!(!accepted(&certificate(&v3, &[0x01], &old)));
        // Each of these agrees with x509-cert.
        for der in [
            certificate(&v3, &[0x7f; 21], &times),
            certificate(&v3, &[0x7f; 22], &times),
            certificate(&[0xa0, 0x03, 0x02, 0x01, 0x03], &[0x01], &times),
            certificate(
                &v3,
                &[0x01],
                &[utc(b"691231235959Z"), utc(b"491231235959Z")].concat(),
            ),
        ] {
            compare(&[der]);
        }
    }
}

/// A fixed decoding workload for instruction counts (`valgrind --tool=callgrind` on the lib
/// test binary with `--ignored decode_workload`): every certificate of the system bundle and
/// the limbo suite, decoded 5 times.
#[cfg(test)]
#[test]
#[ignore = "a workload for callgrind, not a check"]
fn decode_workload() {
    let ders = crate::x509::test_corpus::certificates(&["limbo-dev.json"]);
    let mut decoded = 0usize;
    for _ in 0..5 {
        for der in &ders {
            decoded += usize::from(ParsedCertificate::parse(der, "a").is_ok());
        }
    }
    assert!(decoded > 1000, "{decoded}");
}

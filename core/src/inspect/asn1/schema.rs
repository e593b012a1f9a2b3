//! Field names from the RFCs' ASN.1 modules, matched against the DER by position and tag.
//!
//! ```text
//! Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm
//!     AlgorithmIdentifier, signatureValue BIT STRING }                      -- RFC 5280 4.1
//! TBSCertificate ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, serialNumber,
//!     signature, issuer, validity, subject, subjectPublicKeyInfo, issuerUniqueID [1] IMPLICIT
//!     OPTIONAL, subjectUniqueID [2] IMPLICIT OPTIONAL, extensions [3] EXPLICIT OPTIONAL }
//! CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo,
//!     attributes [0] IMPLICIT Attributes }                                   -- RFC 2986 4
//! TBSCertList ::= SEQUENCE { version OPTIONAL, signature, issuer, thisUpdate, nextUpdate
//!     OPTIONAL, revokedCertificates SEQUENCE OF ... OPTIONAL, crlExtensions [0] EXPLICIT
//!     OPTIONAL }                                                             -- RFC 5280 5.1
//! ```

use crate::decode::Kind;

const BOOLEAN: &[u8] = &[0x01];
const INTEGER: &[u8] = &[0x02];
const BIT_STRING: &[u8] = &[0x03];
const OCTET_STRING: &[u8] = &[0x04];
const OID: &[u8] = &[0x06];
const SEQUENCE: &[u8] = &[0x30];
const SET: &[u8] = &[0x31];
const TIME: &[u8] = &[0x17, 0x18];
const ANY_TAG: &[u8] = &[];

/// A named field and what is inside it.
#[derive(Debug)]
pub(super) struct Shape {
    /// The field name (empty for an unnamed value).
    pub(super) field: &'static str,
    /// The identifier octets the field accepts; empty accepts any.
    tags: &'static [u8],
    /// Whether the field may be absent (OPTIONAL or DEFAULT).
    optional: bool,
    body: Body,
}

#[derive(Debug, Clone, Copy)]
enum Body {
    Primitive,
    /// SEQUENCE or SET with these fields in order.
    Sequence(&'static [Shape]),
    /// SEQUENCE OF, SET OF, or an EXPLICIT tag: every child has this shape.
    Repeated(&'static Shape),
    /// An OCTET or BIT STRING holding the DER of this shape.
    Encapsulates(&'static Shape),
}

/// How the children of a constructed value are named.
#[derive(Debug, Clone, Copy)]
pub(super) enum Fields {
    Ordered(&'static [Shape]),
    Repeated(&'static Shape),
}

/// Children without names.
pub(super) const NO_FIELDS: Fields = Fields::Ordered(&[]);

impl Shape {
    /// How this value's children are named.
    pub(super) fn children(&self) -> Fields {
        match self.body {
            Body::Sequence(fields) => Fields::Ordered(fields),
            Body::Repeated(shape) => Fields::Repeated(shape),
            Body::Primitive | Body::Encapsulates(_) => NO_FIELDS,
        }
    }

    /// The shape of the DER inside this OCTET or BIT STRING, if it holds DER.
    pub(super) fn encapsulated(&self) -> Option<&'static Shape> {
        match self.body {
            Body::Encapsulates(shape) => Some(shape),
            _ => None,
        }
    }

    fn accepts(&self, identifier: u8) -> bool {
        self.tags.is_empty() || self.tags.contains(&identifier)
    }
}

impl Fields {
    /// The field for the next child, whose first identifier octet is `identifier`; `cursor`
    /// is the position in an ordered field list, advanced past optional fields that are absent.
    pub(super) fn next_match(&self, cursor: &mut usize, identifier: u8) -> Option<&'static Shape> {
        let fields = match self {
            Self::Repeated(shape) => return Some(shape),
            Self::Ordered(fields) => fields,
        };
        while let Some(field) = fields.get(*cursor) {
            *cursor += 1;
            if field.accepts(identifier) {
                return Some(field);
            }
            if !field.optional {
                return None;
            }
        }
        None
    }
}

/// The outermost shape for an item of `kind`; `None` for items whose tree is not shown
/// (private keys, PKCS#12 files and Java keystores, which may hold private material; a
/// keystore is not DER either).
pub(super) fn for_kind(kind: Kind) -> Option<&'static Shape> {
    match kind {
        Kind::Certificate => Some(&CERTIFICATE),
        Kind::Csr => Some(&CERTIFICATION_REQUEST),
        Kind::Crl => Some(&CERTIFICATE_LIST),
        Kind::PublicKey => Some(&SUBJECT_PUBLIC_KEY_INFO),
        Kind::RsaPublicKey => Some(&RSA_PUBLIC_KEY),
        Kind::Pkcs7 | Kind::EcParameters => Some(&UNNAMED),
        Kind::Pkcs8PrivateKey
        | Kind::EncryptedPkcs8PrivateKey
        | Kind::RsaPrivateKey
        | Kind::EcPrivateKey
        | Kind::Pkcs12
        | Kind::JavaKeystore => None,
    }
}

const fn shape(field: &'static str, tags: &'static [u8], body: Body) -> Shape {
    Shape {
        field,
        tags,
        optional: false,
        body,
    }
}

const fn optional(field: &'static str, tags: &'static [u8], body: Body) -> Shape {
    Shape {
        field,
        tags,
        optional: true,
        body,
    }
}

const fn primitive(field: &'static str, tags: &'static [u8]) -> Shape {
    shape(field, tags, Body::Primitive)
}

const fn algorithm(field: &'static str) -> Shape {
    shape(field, SEQUENCE, Body::Sequence(&ALGORITHM_IDENTIFIER))
}

const fn name(field: &'static str) -> Shape {
    shape(
        field,
        SEQUENCE,
        Body::Repeated(&RELATIVE_DISTINGUISHED_NAME),
    )
}

const fn public_key_info(field: &'static str) -> Shape {
    shape(field, SEQUENCE, Body::Sequence(&PUBLIC_KEY_INFO_FIELDS))
}

static UNNAMED: Shape = primitive("", ANY_TAG);

#[cfg(test)]
pub(super) static UNNAMED_FOR_TESTS: &Shape = &UNNAMED;

static ALGORITHM_IDENTIFIER: [Shape; 2] = [
    primitive("algorithm", OID),
    optional("parameters", ANY_TAG, Body::Primitive),
];

static RELATIVE_DISTINGUISHED_NAME: Shape = shape(
    "RelativeDistinguishedName",
    SET,
    Body::Repeated(&ATTRIBUTE_TYPE_AND_VALUE),
);

static ATTRIBUTE_TYPE_AND_VALUE: Shape = shape(
    "AttributeTypeAndValue",
    SEQUENCE,
    Body::Sequence(&[primitive("type", OID), primitive("value", ANY_TAG)]),
);

static PUBLIC_KEY_INFO_FIELDS: [Shape; 2] = [
    algorithm("algorithm"),
    shape(
        "subjectPublicKey",
        BIT_STRING,
        Body::Encapsulates(&RSA_PUBLIC_KEY),
    ),
];

static SUBJECT_PUBLIC_KEY_INFO: Shape = public_key_info("SubjectPublicKeyInfo");

static RSA_PUBLIC_KEY: Shape = shape(
    "RSAPublicKey",
    SEQUENCE,
    Body::Sequence(&[
        primitive("modulus", INTEGER),
        primitive("publicExponent", INTEGER),
    ]),
);

static EXTENSIONS: Shape = shape("extensions", SEQUENCE, Body::Repeated(&EXTENSION));

static EXTENSION: Shape = shape(
    "Extension",
    SEQUENCE,
    Body::Sequence(&[
        primitive("extnID", OID),
        optional("critical", BOOLEAN, Body::Primitive),
        shape("extnValue", OCTET_STRING, Body::Encapsulates(&UNNAMED)),
    ]),
);

static CERTIFICATE: Shape = shape(
    "Certificate",
    SEQUENCE,
    Body::Sequence(&[
        shape("tbsCertificate", SEQUENCE, Body::Sequence(&TBS_CERTIFICATE)),
        algorithm("signatureAlgorithm"),
        primitive("signatureValue", BIT_STRING),
    ]),
);

static TBS_CERTIFICATE: [Shape; 10] = [
    optional(
        "version",
        &[0xa0],
        Body::Repeated(&primitive("version", INTEGER)),
    ),
    primitive("serialNumber", INTEGER),
    algorithm("signature"),
    name("issuer"),
    shape(
        "validity",
        SEQUENCE,
        Body::Sequence(&[primitive("notBefore", TIME), primitive("notAfter", TIME)]),
    ),
    name("subject"),
    public_key_info("subjectPublicKeyInfo"),
    optional("issuerUniqueID", &[0x81], Body::Primitive),
    optional("subjectUniqueID", &[0x82], Body::Primitive),
    optional("extensions", &[0xa3], Body::Repeated(&EXTENSIONS)),
];

static CERTIFICATION_REQUEST: Shape = shape(
    "CertificationRequest",
    SEQUENCE,
    Body::Sequence(&[
        shape(
            "certificationRequestInfo",
            SEQUENCE,
            Body::Sequence(&CERTIFICATION_REQUEST_INFO),
        ),
        algorithm("signatureAlgorithm"),
        primitive("signature", BIT_STRING),
    ]),
);

static CERTIFICATION_REQUEST_INFO: [Shape; 4] = [
    primitive("version", INTEGER),
    name("subject"),
    public_key_info("subjectPKInfo"),
    optional("attributes", &[0xa0], Body::Repeated(&ATTRIBUTE)),
];

static ATTRIBUTE: Shape = shape(
    "Attribute",
    SEQUENCE,
    Body::Sequence(&[
        primitive("type", OID),
        shape("values", SET, Body::Repeated(&UNNAMED)),
    ]),
);

static CERTIFICATE_LIST: Shape = shape(
    "CertificateList",
    SEQUENCE,
    Body::Sequence(&[
        shape("tbsCertList", SEQUENCE, Body::Sequence(&TBS_CERT_LIST)),
        algorithm("signatureAlgorithm"),
        primitive("signatureValue", BIT_STRING),
    ]),
);

static TBS_CERT_LIST: [Shape; 7] = [
    optional("version", INTEGER, Body::Primitive),
    algorithm("signature"),
    name("issuer"),
    primitive("thisUpdate", TIME),
    optional("nextUpdate", TIME, Body::Primitive),
    optional(
        "revokedCertificates",
        SEQUENCE,
        Body::Repeated(&REVOKED_CERTIFICATE),
    ),
    optional("crlExtensions", &[0xa0], Body::Repeated(&EXTENSIONS)),
];

static REVOKED_CERTIFICATE: Shape = shape(
    "revokedCertificate",
    SEQUENCE,
    Body::Sequence(&[
        primitive("userCertificate", INTEGER),
        primitive("revocationDate", TIME),
        optional("crlEntryExtensions", SEQUENCE, Body::Repeated(&EXTENSION)),
    ]),
);

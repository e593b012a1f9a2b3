//! Issuance on the core's own DER writer against rcgen, byte for byte.
//!
//! Until 2026-12 the core wrote certificates and CSRs with rcgen (and its `yasna`); now it
//! writes them with `asn1::write` (BENCHMARKS.md "Lean wasm"). rcgen is kept as a
//! dev-dependency and this test is the old code path, driven with the same parameters, key,
//! time and seed: every profile x key type x subject x subjectAltNames x name constraints x
//! validity, CSRs with and without names, and CSR signing must give identical DER (same
//! signatures too: ECDSA per RFC 6979, Ed25519 and RSA PKCS#1 v1.5 are deterministic) and
//! leave the RNG in the same state.
//!
//! Where the two differ on purpose (rcgen panics), the test says so: name constraints and
//! validity times rcgen cannot write are errors in the core (`differences_from_rcgen`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

use core::net::IpAddr;

use const_oid::db::rfc5912;
use der::Encode;
use mtlskit::UnixTime;
use mtlskit::crypto::{KeyType, PublicKey, SigningKey};
use mtlskit::issue::{
    self, CertificateParams, Issuer, NameConstraint, Profile, RequestParams, Subject,
    SubjectAltName, Validity,
};
use mtlskit::verify::KeyUsageBit;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rcgen::{
    BasicConstraints, CidrSubnet, DistinguishedName, DnType, DnValue, ExtendedKeyUsagePurpose,
    GeneralSubtree, IsCa, KeyIdMethod, KeyUsagePurpose, SanType, SerialNumber,
};
use x509_cert::der::Decode;
use x509_cert::ext::pkix::SubjectKeyIdentifier;

const NOW: UnixTime = UnixTime(1_790_000_000);

// ---------------------------------------------------------------------------------------------
// The old code path: rcgen with the core's keys (the trait impls that lived in crypto::keys).
// ---------------------------------------------------------------------------------------------

fn rcgen_algorithm(key_type: KeyType) -> &'static rcgen::SignatureAlgorithm {
    match key_type {
        KeyType::P256 => &rcgen::PKCS_ECDSA_P256_SHA256,
        KeyType::P384 => &rcgen::PKCS_ECDSA_P384_SHA384,
        KeyType::Ed25519 => &rcgen::PKCS_ED25519,
        KeyType::Rsa { .. } => &rcgen::PKCS_RSA_SHA256,
    }
}

/// A signing key as rcgen sees it.
struct Key<'a>(&'a SigningKey);

impl rcgen::PublicKeyData for Key<'_> {
    fn der_bytes(&self) -> &[u8] {
        self.0.public_key().der_bytes()
    }
    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        rcgen_algorithm(self.0.key_type())
    }
}

impl rcgen::SigningKey for Key<'_> {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        self.0
            .sign(message)
            .map_err(|_| rcgen::Error::RemoteKeyError)
    }
}

/// The issuer's key while rcgen writes: the same algorithm, an empty signature (the old
/// `issuer::Unsigned`).
struct Unsigned<'a>(&'a SigningKey);

impl rcgen::PublicKeyData for Unsigned<'_> {
    fn der_bytes(&self) -> &[u8] {
        self.0.public_key().der_bytes()
    }
    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        rcgen_algorithm(self.0.key_type())
    }
}

impl rcgen::SigningKey for Unsigned<'_> {
    fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        Ok(Vec::new())
    }
}

/// A subject public key as rcgen sees it.
struct Public<'a>(&'a PublicKey);

impl rcgen::PublicKeyData for Public<'_> {
    fn der_bytes(&self) -> &[u8] {
        self.0.der_bytes()
    }
    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        rcgen_algorithm(self.0.key_type())
    }
}

/// The old `Subject::to_rcgen` (valid subjects only: errors are compared separately).
fn old_subject(subject: &Subject) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    if let Some(country) = &subject.country {
        let printable =
            rcgen::string::PrintableString::try_from(country.to_ascii_uppercase()).unwrap();
        name.push(DnType::CountryName, DnValue::PrintableString(printable));
    }
    let text_fields = [
        (DnType::StateOrProvinceName, &subject.state),
        (DnType::LocalityName, &subject.locality),
        (DnType::OrganizationName, &subject.organization),
        (DnType::OrganizationalUnitName, &subject.organizational_unit),
        (DnType::CommonName, &subject.common_name),
    ];
    for (kind, value) in text_fields {
        if let Some(value) = value {
            name.push(kind, DnValue::Utf8String(value.clone()));
        }
    }
    if let Some(email) = &subject.email {
        let ia5 = rcgen::string::Ia5String::try_from(email.clone()).unwrap();
        let oid = vec![1, 2, 840, 113_549, 1, 9, 1];
        name.push(DnType::CustomDnType(oid), DnValue::Ia5String(ia5));
    }
    name
}

fn old_san(name: &SubjectAltName) -> SanType {
    let ia5 = |value: &str| rcgen::string::Ia5String::try_from(value.to_owned()).unwrap();
    match name {
        SubjectAltName::Dns(name) => SanType::DnsName(ia5(name)),
        SubjectAltName::Ip(address) => SanType::IpAddress(*address),
        SubjectAltName::Email(email) => SanType::Rfc822Name(ia5(email)),
        SubjectAltName::Uri(uri) => SanType::URI(ia5(uri)),
    }
}

fn old_subtree(constraint: &NameConstraint) -> GeneralSubtree {
    match constraint {
        NameConstraint::Dns(name) => GeneralSubtree::DnsName(name.clone()),
        NameConstraint::Ip { address, prefix } => {
            GeneralSubtree::IpAddress(CidrSubnet::from_addr_prefix(*address, *prefix))
        }
        NameConstraint::Email(email) => GeneralSubtree::Rfc822Name(email.clone()),
    }
}

fn old_key_usage(bit: KeyUsageBit) -> KeyUsagePurpose {
    match bit {
        KeyUsageBit::DigitalSignature => KeyUsagePurpose::DigitalSignature,
        KeyUsageBit::KeyEncipherment => KeyUsagePurpose::KeyEncipherment,
        KeyUsageBit::KeyCertSign => KeyUsagePurpose::KeyCertSign,
        KeyUsageBit::CrlSign => KeyUsagePurpose::CrlSign,
        other => panic!("no profile sets {other:?}"),
    }
}

fn old_extended_key_usage(oid: const_oid::ObjectIdentifier) -> ExtendedKeyUsagePurpose {
    if oid == rfc5912::ID_KP_SERVER_AUTH {
        ExtendedKeyUsagePurpose::ServerAuth
    } else if oid == rfc5912::ID_KP_CLIENT_AUTH {
        ExtendedKeyUsagePurpose::ClientAuth
    } else {
        panic!("no profile sets {oid}")
    }
}

/// The old `sign::to_rcgen`: the same checks are made by the new code first (it must have
/// succeeded), the same RNG draw for the serial.
fn old_params(
    params: &CertificateParams,
    subject_key: &PublicKey,
    rng: &mut StdRng,
) -> rcgen::CertificateParams {
    let profile = params.profile;
    let (not_before, not_after) = params.validity.resolve(profile, NOW).unwrap();
    let mut old = rcgen::CertificateParams::default();
    let time = |time: UnixTime| time::OffsetDateTime::from_unix_timestamp(time.seconds()).unwrap();
    old.not_before = time(not_before);
    old.not_after = time(not_after);
    old.serial_number = Some(match &params.serial {
        Some(serial) => {
            let start = serial.iter().position(|b| *b != 0).unwrap();
            SerialNumber::from_slice(&serial[start..])
        }
        None => {
            let mut bytes = [0u8; 20];
            rng.fill_bytes(&mut bytes);
            bytes[0] &= 0x7f;
            if bytes[0] == 0 {
                bytes[0] = 1;
            }
            SerialNumber::from_slice(&bytes)
        }
    });
    old.distinguished_name = old_subject(&effective_subject(params));
    old.subject_alt_names = params
        .effective_subject_alt_names()
        .unwrap()
        .iter()
        .map(old_san)
        .collect();
    old.is_ca = if profile.is_ca() {
        IsCa::Ca(match params.path_length {
            Some(length) => BasicConstraints::Constrained(length),
            None => BasicConstraints::Unconstrained,
        })
    } else {
        IsCa::ExplicitNoCa
    };
    old.key_usages = profile
        .key_usages(subject_key.key_type())
        .into_iter()
        .map(old_key_usage)
        .collect();
    old.extended_key_usages = profile
        .extended_key_usages()
        .into_iter()
        .map(old_extended_key_usage)
        .collect();
    if !params.permitted_names.is_empty() || !params.excluded_names.is_empty() {
        old.name_constraints = Some(rcgen::NameConstraints {
            permitted_subtrees: params.permitted_names.iter().map(old_subtree).collect(),
            excluded_subtrees: params.excluded_names.iter().map(old_subtree).collect(),
        });
    }
    old.use_authority_key_identifier_extension = true;
    old.key_identifier_method = KeyIdMethod::PreSpecified(subject_key.key_identifier());
    old
}

/// The old `CertificateParams::effective_subject` (crate-private; same rule).
fn effective_subject(params: &CertificateParams) -> Subject {
    if !params.subject.is_empty() {
        return params.subject.clone();
    }
    Subject::common_name(match params.subject_alt_names.first() {
        Some(
            SubjectAltName::Dns(name) | SubjectAltName::Email(name) | SubjectAltName::Uri(name),
        ) => name.clone(),
        Some(SubjectAltName::Ip(address)) => address.to_string(),
        None => format!("mtlskit {}", params.profile),
    })
}

fn old_self_signed(params: &CertificateParams, key: &SigningKey, rng: &mut StdRng) -> Vec<u8> {
    let old = old_params(params, key.public_key(), rng);
    old.self_signed(&Key(key)).unwrap().der().to_vec()
}

/// The old `sign::signed_with_name`: rcgen writes the certificate unsigned with a placeholder
/// issuer name, the issuer's subject (and a CSR's subject) are put in as encoded, and the
/// final bytes are signed (the old `sign_with_names`).
fn old_signed(
    params: &CertificateParams,
    subject_der: Option<&[u8]>,
    subject_key: &PublicKey,
    issuer: &Issuer,
    rng: &mut StdRng,
) -> Vec<u8> {
    let old = old_params(params, subject_key, rng);
    let mut issuer_params = rcgen::CertificateParams::default();
    issuer_params.key_identifier_method = KeyIdMethod::PreSpecified(issuer_key_identifier(issuer));
    let rcgen_issuer = rcgen::Issuer::new(issuer_params, Unsigned(issuer.key()));
    let unsigned = old.signed_by(&Public(subject_key), &rcgen_issuer).unwrap();
    let elements = elements(unsigned.der());
    let (tbs, algorithm) = (elements[0], elements[1]);
    let mut fields = elements_of(tbs);
    fields[3] = subject_of(issuer.certificate_der());
    if let Some(subject_der) = subject_der {
        fields[5] = subject_der;
    }
    let tbs = sequence(&fields);
    let signature = issuer.key().sign(&tbs).unwrap();
    let signature = der::asn1::BitString::from_bytes(&signature)
        .unwrap()
        .to_der()
        .unwrap();
    sequence(&[&tbs, algorithm, &signature])
}

/// The issuer's key identifier: its certificate's subjectKeyIdentifier, else its key's.
fn issuer_key_identifier(issuer: &Issuer) -> Vec<u8> {
    let certificate = x509_cert::Certificate::from_der(issuer.certificate_der()).unwrap();
    certificate
        .tbs_certificate()
        .get_extension::<SubjectKeyIdentifier>()
        .unwrap()
        .map(|(_, ski)| ski.0.as_bytes().to_vec())
        .unwrap_or_else(|| issuer.key().public_key().key_identifier())
}

fn old_request(params: &RequestParams, key: &SigningKey) -> Vec<u8> {
    let as_certificate = CertificateParams {
        subject: params.subject.clone(),
        subject_alt_names: params.subject_alt_names.clone(),
        profile: Profile::Client,
        ..CertificateParams::default()
    };
    let mut old = rcgen::CertificateParams::default();
    old.distinguished_name = old_subject(&effective_subject(&as_certificate));
    old.subject_alt_names = params.subject_alt_names.iter().map(old_san).collect();
    old.serialize_request(&Key(key)).unwrap().der().to_vec()
}

// ---------------------------------------------------------------------------------------------
// DER plumbing for the old path (the old code used the core's `x509::sequence_elements`).
// ---------------------------------------------------------------------------------------------

/// The length of the TLV at the start of `input`.
fn tlv_len(input: &[u8]) -> usize {
    let first = input[1] as usize;
    if first < 0x80 {
        return 2 + first;
    }
    let count = first & 0x7f;
    let len = input[2..2 + count]
        .iter()
        .fold(0usize, |len, byte| len * 256 + *byte as usize);
    2 + count + len
}

/// The contents of the TLV `der`.
fn contents(der: &[u8]) -> &[u8] {
    let header = if der[1] < 0x80 {
        2
    } else {
        2 + (der[1] & 0x7f) as usize
    };
    &der[header..tlv_len(der)]
}

/// The elements of a constructed TLV.
fn elements_of(der: &[u8]) -> Vec<&[u8]> {
    let mut rest = contents(der);
    let mut elements = Vec::new();
    while !rest.is_empty() {
        let (element, tail) = rest.split_at(tlv_len(rest));
        elements.push(element);
        rest = tail;
    }
    elements
}

fn elements(der: &[u8]) -> Vec<&[u8]> {
    elements_of(der)
}

fn sequence(elements: &[&[u8]]) -> Vec<u8> {
    let body: Vec<u8> = elements.concat();
    let mut out = Vec::new();
    der::Header::new(
        der::Tag::Sequence,
        der::Length::try_from(body.len()).unwrap(),
    )
    .encode_to_vec(&mut out)
    .unwrap();
    out.extend(body);
    out
}

/// The subject `Name` of a certificate, as encoded.
fn subject_of(certificate: &[u8]) -> &[u8] {
    let tbs = elements(certificate)[0];
    elements_of(tbs)[5]
}

/// The subject `Name` of a CSR, as encoded.
fn request_subject(request: &[u8]) -> &[u8] {
    let info = elements(request)[0];
    elements_of(info)[1]
}

// ---------------------------------------------------------------------------------------------
// The spread of inputs.
// ---------------------------------------------------------------------------------------------

fn key_types() -> [KeyType; 4] {
    [
        KeyType::P256,
        KeyType::P384,
        KeyType::Ed25519,
        KeyType::Rsa { bits: 2048 },
    ]
}

fn profiles() -> [Profile; 5] {
    [
        Profile::Root,
        Profile::Intermediate,
        Profile::Server,
        Profile::Client,
        Profile::ServerClient,
    ]
}

fn subjects() -> Vec<Subject> {
    vec![
        Subject::common_name("Test"),
        // Every attribute the params accept (the country in lower case is written upper).
        Subject {
            country: Some("de".into()),
            state: Some("Baden-Württemberg".into()),
            locality: Some("Freiburg im Breisgau".into()),
            organization: Some("Example GmbH & Co. KG".into()),
            organizational_unit: Some("Platform / mTLS".into()),
            common_name: Some("service.example.com".into()),
            email: Some("pki@example.com".into()),
        },
        // Non-ASCII, and at the RFC 5280 upper bounds (64, or 128 for ST and L).
        Subject {
            country: Some("JP".into()),
            state: Some("東".repeat(128)),
            locality: Some("ß".repeat(128)),
            organization: Some("Ωmega 🔐 ünïcödé".into()),
            organizational_unit: Some("u".repeat(64)),
            common_name: Some("é".repeat(64)),
            email: None,
        },
        // Empty: the common name comes from the first subjectAltName (or the profile).
        Subject::default(),
    ]
}

fn san_sets() -> Vec<Vec<SubjectAltName>> {
    let parse = |names: &[&str]| -> Vec<SubjectAltName> {
        names.iter().map(|name| name.parse().unwrap()).collect()
    };
    vec![
        Vec::new(),
        parse(&["test.example.com"]),
        parse(&[
            "DNS:a.example.com",
            "10.1.2.3",
            "2001:db8::1",
            "email:alice@example.com",
            "spiffe://example.org/ns/default/sa/api",
            "URI:https://example.com/a?b=c",
        ]),
        parse(&["192.0.2.1", "svc_1.example.com"]),
        // A long name second (the first becomes the common name, at most 64 characters).
        parse(&[
            "short.example.com",
            &format!("{}.example.com", "x".repeat(63)),
        ]),
    ]
}

fn constraint_sets() -> Vec<(Vec<NameConstraint>, Vec<NameConstraint>)> {
    let parse = |names: &[&str]| -> Vec<NameConstraint> {
        names.iter().map(|name| name.parse().unwrap()).collect()
    };
    vec![
        (Vec::new(), Vec::new()),
        (
            parse(&[
                "example.com",
                ".internal.example.com",
                "10.0.0.0/8",
                "IP:2001:db8::/32",
                "email:example.com",
                "alice@example.org",
            ]),
            Vec::new(),
        ),
        (
            Vec::new(),
            parse(&["evil.example.com", "192.0.2.0/24", "0.0.0.0/0"]),
        ),
        (
            parse(&["example.com", "::/0"]),
            parse(&["bad.example.com", "10.0.0.1/32"]),
        ),
    ]
}

fn validities() -> Vec<Validity> {
    let at = |seconds: i64| Some(UnixTime(seconds));
    vec![
        Validity::default(),
        Validity {
            days: Some(1),
            ..Validity::default()
        },
        // The last second of UTCTime and the first of GeneralizedTime (RFC 5280 4.1.2.5).
        Validity {
            not_before: at(2_524_607_999),
            not_after: at(2_524_608_000),
            days: None,
        },
        // Both sides of 1950, and the year 9999.
        Validity {
            not_before: at(-631_152_001),
            not_after: at(253_402_300_799),
            days: None,
        },
        Validity {
            not_before: at(2_524_608_000),
            not_after: None,
            days: Some(36_500),
        },
    ]
}

fn serials() -> Vec<Option<Vec<u8>>> {
    vec![
        None,
        Some(vec![0, 0, 1]),
        Some(vec![0x80]),
        Some(vec![0x7f; 20]),
        Some(vec![0, 0xff, 0xee]),
    ]
}

/// Issues with both paths from the same RNG state; the DER and the RNG state after must match.
fn same_both_ways(
    what: &str,
    rng: &mut StdRng,
    new: impl FnOnce(&mut StdRng) -> Result<Vec<u8>, mtlskit::Error>,
    old: impl FnOnce(&mut StdRng) -> Vec<u8>,
) -> Vec<u8> {
    // StdRng is not Clone: both paths get a generator seeded alike from `rng`.
    let seed = rng.next_u64();
    let mut new_rng = StdRng::seed_from_u64(seed);
    let mut old_rng = StdRng::seed_from_u64(seed);
    let ours = new(&mut new_rng).unwrap_or_else(|error| panic!("{what}: {error}"));
    let theirs = old(&mut old_rng);
    assert!(
        ours == theirs,
        "{what}: the core's DER differs from rcgen's\n core: {}\nrcgen: {}",
        hex(&ours),
        hex(&theirs)
    );
    assert_eq!(new_rng.next_u64(), old_rng.next_u64(), "{what}: RNG draws");
    ours
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct Keys {
    keys: Vec<SigningKey>,
}

fn keys(rng: &mut StdRng) -> Keys {
    Keys {
        keys: key_types()
            .into_iter()
            .map(|key_type| SigningKey::generate(key_type, rng).unwrap())
            .collect(),
    }
}

/// A CA for `key`, made by the new path (and checked against the old one).
fn root_for(key: &SigningKey, rng: &mut StdRng) -> Issuer {
    let params = CertificateParams {
        profile: Profile::Root,
        subject: Subject::common_name(format!("Root {}", key.key_type().name())),
        ..CertificateParams::default()
    };
    let der = same_both_ways(
        "root",
        rng,
        |rng| Ok(issue::self_signed(&params, key, NOW, rng)?.der().to_vec()),
        |rng| old_self_signed(&params, key, rng),
    );
    let key = SigningKey::from_der(&key.to_pkcs8_der().unwrap(), None).unwrap();
    Issuer::new(&der, key).unwrap()
}

/// A CA certificate written by rcgen with a subject the params cannot express (BMPString,
/// TeletexString, PrintableString CN, a repeated-looking custom attribute) and a
/// subjectKeyIdentifier that is not the key's: the new path must copy the name and use
/// the identifier as they are.
fn odd_issuer(key: &SigningKey) -> Issuer {
    let mut params = rcgen::CertificateParams::default();
    params.serial_number = Some(SerialNumber::from_slice(&[0x42]));
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.key_identifier_method = KeyIdMethod::PreSpecified(vec![0xab; 8]);
    let mut name = DistinguishedName::new();
    name.push(
        DnType::CustomDnType(vec![0, 9, 2342, 19_200_300, 100, 1, 25]),
        DnValue::Ia5String(rcgen::string::Ia5String::try_from("com").unwrap()),
    );
    name.push(
        DnType::OrganizationName,
        DnValue::BmpString(rcgen::string::BmpString::try_from("Bmp Örg").unwrap()),
    );
    name.push(
        DnType::OrganizationalUnitName,
        DnValue::TeletexString(rcgen::string::TeletexString::try_from("Teletex").unwrap()),
    );
    name.push(
        DnType::CommonName,
        DnValue::PrintableString(rcgen::string::PrintableString::try_from("Odd CA").unwrap()),
    );
    params.distinguished_name = name;
    let der = params.self_signed(&Key(key)).unwrap().der().to_vec();
    let key = SigningKey::from_der(&key.to_pkcs8_der().unwrap(), None).unwrap();
    Issuer::new(&der, key).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------------

#[test]
fn certificates_are_byte_for_byte_rcgens() {
    let mut rng = StdRng::seed_from_u64(8);
    let keys = keys(&mut rng);
    let mut issuers: Vec<Issuer> = keys
        .keys
        .iter()
        .map(|key| root_for(key, &mut rng))
        .collect();
    issuers.push(odd_issuer(&keys.keys[0]));
    let mut compared = 0;
    for (index, profile) in profiles().into_iter().enumerate() {
        for (subject_index, subject) in subjects().into_iter().enumerate() {
            for (san_index, names) in san_sets().into_iter().enumerate() {
                if profile.is_server() && names.is_empty() && subject_index >= 2 {
                    // No name to give the server: refused (a non-ASCII common name is no DNS
                    // name, an empty subject none at all; see differences_from_rcgen).
                    continue;
                }
                // Vary the rest with the loop indices rather than multiplying every axis.
                let spread = index + subject_index + san_index;
                let (permitted, excluded) = if profile.is_ca() {
                    constraint_sets()[spread % 4].clone()
                } else {
                    (Vec::new(), Vec::new())
                };
                let params = CertificateParams {
                    profile,
                    subject: subject.clone(),
                    subject_alt_names: names,
                    validity: validities()[spread % 5],
                    path_length: profile
                        .is_ca()
                        .then_some((spread % 3) as u8)
                        .filter(|l| *l != 2),
                    permitted_names: permitted,
                    excluded_names: excluded,
                    serial: serials()[spread % 5].clone(),
                };
                for (key_index, key) in keys.keys.iter().enumerate() {
                    let what = format!(
                        "{profile} {:?} #{subject_index} #{san_index}",
                        key.key_type()
                    );
                    if profile == Profile::Root {
                        same_both_ways(
                            &what,
                            &mut rng,
                            |rng| Ok(issue::self_signed(&params, key, NOW, rng)?.der().to_vec()),
                            |rng| old_self_signed(&params, key, rng),
                        );
                    } else {
                        let issuer = &issuers[(key_index + spread) % issuers.len()];
                        same_both_ways(
                            &what,
                            &mut rng,
                            |rng| {
                                let der =
                                    issue::signed(&params, key.public_key(), issuer, NOW, rng)?;
                                Ok(der.der().to_vec())
                            },
                            |rng| old_signed(&params, None, key.public_key(), issuer, rng),
                        );
                    }
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 5 * 4 * 5 * 4 - 2 * 2 * 4);
}

#[test]
fn requests_and_request_signing_are_byte_for_byte_rcgens() {
    let mut rng = StdRng::seed_from_u64(10);
    let keys = keys(&mut rng);
    let issuers: Vec<Issuer> = keys
        .keys
        .iter()
        .map(|key| root_for(key, &mut rng))
        .collect();
    let odd = odd_issuer(&keys.keys[1]);
    let mut compared = 0;
    for (subject_index, subject) in subjects().into_iter().enumerate() {
        for (san_index, names) in san_sets().into_iter().enumerate() {
            let request_params = RequestParams {
                subject: subject.clone(),
                subject_alt_names: names,
            };
            for (key_index, key) in keys.keys.iter().enumerate() {
                let what = format!("CSR {:?} #{subject_index} #{san_index}", key.key_type());
                let request = same_both_ways(
                    &what,
                    &mut rng,
                    |_| Ok(issue::create_request(&request_params, key)?.der().to_vec()),
                    |_| old_request(&request_params, key),
                );
                // Sign it: with the CSR's subject kept, and with a subject the caller gives.
                for (profile, given) in [
                    (Profile::Client, Subject::default()),
                    (Profile::ServerClient, Subject::default()),
                    (Profile::Intermediate, Subject::default()),
                    (Profile::Server, Subject::common_name("given.example.com")),
                ] {
                    let params = CertificateParams {
                        profile,
                        subject: given.clone(),
                        subject_alt_names: vec!["DNS:extra.example.com".parse().unwrap()],
                        validity: validities()[(subject_index + san_index) % 5],
                        ..CertificateParams::default()
                    };
                    let issuer = if key_index == 0 {
                        &odd
                    } else {
                        &issuers[(key_index + san_index) % 4]
                    };
                    let prepared = issue::prepare_request(&request, &params).unwrap();
                    let keep_subject = given.is_empty() && request_subject(&request) != [0x30, 0];
                    let old_params = CertificateParams {
                        subject_alt_names: prepared.subject_alt_names.clone(),
                        ..params.clone()
                    };
                    same_both_ways(
                        &format!("{what} signed as {profile}"),
                        &mut rng,
                        |rng| Ok(prepared.sign(issuer, NOW, rng)?.der().to_vec()),
                        |rng| {
                            let subject_der = keep_subject.then(|| request_subject(&request));
                            let subject_key =
                                PublicKey::from_spki_der(key.public_key().spki_der()).unwrap();
                            old_signed(&old_params, subject_der, &subject_key, issuer, rng)
                        },
                    );
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 4 * 5 * 4 * 4);
}

/// A CSR written by rcgen with string types and attributes the params cannot express is
/// signed with its subject copied byte for byte.
#[test]
fn a_foreign_requests_subject_is_copied_byte_for_byte() {
    let mut rng = StdRng::seed_from_u64(12);
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let issuer = root_for(
        &SigningKey::generate(KeyType::Ed25519, &mut rng).unwrap(),
        &mut rng,
    );
    let mut params = rcgen::CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(
        DnType::OrganizationName,
        DnValue::BmpString(rcgen::string::BmpString::try_from("Bmp").unwrap()),
    );
    name.push(
        DnType::CommonName,
        DnValue::PrintableString(rcgen::string::PrintableString::try_from("client 1").unwrap()),
    );
    params.distinguished_name = name;
    params.subject_alt_names = vec![SanType::IpAddress(IpAddr::from([127, 0, 0, 1]))];
    let request = params.serialize_request(&Key(&key)).unwrap().der().to_vec();
    let certificate_params = CertificateParams {
        profile: Profile::Client,
        ..CertificateParams::default()
    };
    let prepared = issue::prepare_request(&request, &certificate_params).unwrap();
    let old_params = CertificateParams {
        subject_alt_names: prepared.subject_alt_names.clone(),
        ..certificate_params
    };
    let der = same_both_ways(
        "foreign CSR",
        &mut rng,
        |rng| Ok(prepared.sign(&issuer, NOW, rng)?.der().to_vec()),
        |rng| {
            old_signed(
                &old_params,
                Some(request_subject(&request)),
                key.public_key(),
                &issuer,
                rng,
            )
        },
    );
    assert_eq!(subject_of(&der), request_subject(&request));
}

/// Where the core does not do what rcgen did: inputs rcgen panicked on are errors.
#[test]
fn differences_from_rcgen() {
    let mut rng = StdRng::seed_from_u64(14);
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    // A name constraint built directly (not parsed) with a non-ASCII domain: yasna's
    // `write_ia5_string` asserted ASCII and panicked; the core refuses it.
    let params = CertificateParams {
        profile: Profile::Root,
        subject: Subject::common_name("CA"),
        permitted_names: vec![NameConstraint::Dns("bücher.example".into())],
        ..CertificateParams::default()
    };
    let error = issue::self_signed(&params, &key, NOW, &mut rng).unwrap_err();
    assert_eq!(error.code(), "InvalidSubjectAltName");
    // A validity before the year 0: the `time` crate holds it, yasna's GeneralizedTime
    // asserted 0 <= year and panicked; the core says the time is out of range.
    let params = CertificateParams {
        profile: Profile::Root,
        subject: Subject::common_name("CA"),
        validity: Validity {
            not_before: Some(UnixTime(-62_167_219_201)),
            not_after: Some(NOW),
            days: None,
        },
        ..CertificateParams::default()
    };
    let error = issue::self_signed(&params, &key, NOW, &mut rng).unwrap_err();
    assert_eq!(error.code(), "InvalidValidity");
    assert!(error.to_string().contains("out of range"), "{error}");
    // A server certificate without any name is refused before anything is written, as before.
    let params = CertificateParams::default();
    let error = issue::self_signed(&params, &key, NOW, &mut rng).unwrap_err();
    assert_eq!(error.code(), "InvalidProfile");
    // The subject's errors keep their texts.
    let params = CertificateParams {
        profile: Profile::Client,
        subject: Subject {
            email: Some("ü@example.com".into()),
            ..Subject::common_name("x")
        },
        ..CertificateParams::default()
    };
    let error = issue::self_signed(&params, &key, NOW, &mut rng).unwrap_err();
    assert_eq!(error.code(), "InvalidSubject");
    assert!(
        error
            .to_string()
            .contains("Invalid IA5String: 'ü@example.com'"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// Cost: 1,000 Ed25519 server certificates (the cheapest signature, so the DER writing shows)
// through each path, for instruction counts (BENCHMARKS.md "Lean wasm", 2026-12-03):
//   cargo test --release -p mtlskit --test issue_rcgen --no-run
//   perf stat -e instructions:u target/release/deps/issue_rcgen-* --ignored --exact cost_core
//   perf stat -e instructions:u target/release/deps/issue_rcgen-* --ignored --exact cost_rcgen
// The two differ only in the path; each checks its last certificate against the other path.
// ---------------------------------------------------------------------------------------------

const COST_ROUNDS: usize = 1_000;

fn cost_setup() -> (SigningKey, Issuer, CertificateParams, StdRng) {
    let mut rng = StdRng::seed_from_u64(16);
    let ca_key = SigningKey::generate(KeyType::Ed25519, &mut rng).unwrap();
    let ca = CertificateParams {
        profile: Profile::Root,
        subject: Subject::common_name("Cost Root"),
        ..CertificateParams::default()
    };
    let ca = issue::self_signed(&ca, &ca_key, NOW, &mut rng).unwrap();
    let issuer = Issuer::new(ca.der(), ca_key).unwrap();
    let leaf_key = SigningKey::generate(KeyType::Ed25519, &mut rng).unwrap();
    let params = CertificateParams {
        subject_alt_names: ["api.example.com", "10.0.0.1", "spiffe://example.org/api"]
            .iter()
            .map(|name| name.parse().unwrap())
            .collect(),
        ..CertificateParams::default()
    };
    (leaf_key, issuer, params, rng)
}

#[test]
#[ignore = "instruction counts, run by hand"]
fn cost_core() {
    let (key, issuer, params, mut rng) = cost_setup();
    let mut last = Vec::new();
    for _ in 0..COST_ROUNDS {
        last = issue::signed(&params, key.public_key(), &issuer, NOW, &mut rng)
            .unwrap()
            .der()
            .to_vec();
    }
    assert_eq!(last.len(), cost_reference_len(&key, &issuer, &params));
}

#[test]
#[ignore = "instruction counts, run by hand"]
fn cost_rcgen() {
    let (key, issuer, params, mut rng) = cost_setup();
    let mut last = Vec::new();
    for _ in 0..COST_ROUNDS {
        last = old_signed(&params, None, key.public_key(), &issuer, &mut rng);
    }
    assert_eq!(last.len(), cost_reference_len(&key, &issuer, &params));
}

/// The length of one certificate of the cost runs, issued by the core with a fresh seed
/// after checking that rcgen writes the same bytes.
fn cost_reference_len(key: &SigningKey, issuer: &Issuer, params: &CertificateParams) -> usize {
    let mut rng = StdRng::seed_from_u64(17);
    same_both_ways(
        "cost",
        &mut rng,
        |rng| {
            Ok(issue::signed(params, key.public_key(), issuer, NOW, rng)?
                .der()
                .to_vec())
        },
        |rng| old_signed(params, None, key.public_key(), issuer, rng),
    )
    .len()
}

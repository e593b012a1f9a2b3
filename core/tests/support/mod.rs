//! Certificates and pathological verification inputs made with mtlskit's own issuance (P-256
//! keys, a seeded RNG, a fixed time), shared by the verification tests in `tests/` and by
//! `benches/pathological.rs` (which includes this file with `#[path]`).

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test support: each user takes a different subset, and a failure is a test failure"
)]

use mtlskit::UnixTime;
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::issue::{self, CertificateParams, Issuer, NameConstraint, Profile, Subject};
use mtlskit::verify::{Input, Item, Options};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::Value;

/// The time every certificate here is valid at.
pub const NOW: UnixTime = UnixTime(1_790_000_000);

/// A deterministic RNG.
pub fn rng() -> StdRng {
    rng_seeded(7)
}

/// A deterministic RNG with its own seed (for a second, different key).
pub fn rng_seeded(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// Verification options at [`NOW`].
pub fn options() -> Options {
    Options::at(NOW)
}

/// A self-signed root CA named `name`, with `params` adjusted by `adjust`.
pub fn root_with(
    name: &str,
    rng: &mut StdRng,
    adjust: impl FnOnce(&mut CertificateParams),
) -> Issuer {
    let key = SigningKey::generate(KeyType::P256, rng).unwrap();
    let mut params = CertificateParams {
        profile: Profile::Root,
        subject: Subject::common_name(name),
        ..CertificateParams::default()
    };
    adjust(&mut params);
    let certificate = issue::self_signed(&params, &key, NOW, rng).unwrap();
    Issuer::new(certificate.der(), key).unwrap()
}

/// A self-signed root CA named `name`.
pub fn root(name: &str, rng: &mut StdRng) -> Issuer {
    root_with(name, rng, |_| {})
}

/// An intermediate CA named `name`, signed by `issuer`.
pub fn intermediate(name: &str, issuer: &Issuer, rng: &mut StdRng) -> Issuer {
    let key = SigningKey::generate(KeyType::P256, rng).unwrap();
    let params = CertificateParams {
        profile: Profile::Intermediate,
        subject: Subject::common_name(name),
        ..CertificateParams::default()
    };
    let certificate = issue::signed(&params, key.public_key(), issuer, NOW, rng).unwrap();
    Issuer::new(certificate.der(), key).unwrap()
}

/// A server certificate for `names`, signed by `issuer`.
pub fn server(names: &[&str], issuer: &Issuer, rng: &mut StdRng) -> Vec<u8> {
    let key = SigningKey::generate(KeyType::P256, rng).unwrap();
    let params = CertificateParams {
        profile: Profile::Server,
        subject: Subject::common_name(names[0]),
        subject_alt_names: names.iter().map(|name| name.parse().unwrap()).collect(),
        ..CertificateParams::default()
    };
    issue::signed(&params, key.public_key(), issuer, NOW, rng)
        .unwrap()
        .der()
        .to_vec()
}

/// An input with one anchor and no CRLs.
pub fn input(leaf: &[u8], intermediates: Vec<Vec<u8>>, anchor: &Issuer) -> Input {
    Input {
        leaf: Some(Item::new(leaf.to_vec(), "leaf")),
        intermediates: intermediates
            .into_iter()
            .enumerate()
            .map(|(index, der)| Item::new(der, format!("intermediate {}", index + 1)))
            .collect(),
        anchors: vec![Item::new(anchor.certificate_der().to_vec(), "root")],
        crls: Vec::new(),
    }
}

/// A leaf issued under the name `Pool CA` by a key nobody supplies, and `count` self-issued
/// `Pool CA` certificates with other keys: every candidate's signature check fails.
pub fn same_name_pool(count: usize, rng: &mut StdRng) -> Input {
    let anchor = root("Pool Root", rng);
    let hidden = root("Pool CA", rng);
    let leaf = server(&["pool.example.com"], &hidden, rng);
    let pool = (0..count)
        .map(|_| root("Pool CA", rng).certificate_der().to_vec())
        .collect();
    input(&leaf, pool, &anchor)
}

/// `names` CAs that all cross-sign each other (`names * (names - 1)` certificates), none
/// chaining to the anchor, and a leaf under the first: every path is a dead end.
pub fn cross_signed_mesh(names: usize, rng: &mut StdRng) -> Input {
    let anchor = root("Mesh Root", rng);
    let cas: Vec<Issuer> = (0..names)
        .map(|index| root(&format!("Mesh CA {index}"), rng))
        .collect();
    let mut pool = Vec::new();
    for subject in &cas {
        for issuer in cas
            .iter()
            .filter(|other| other.subject() != subject.subject())
        {
            pool.push(cross_sign(subject, issuer, rng));
        }
    }
    let leaf = server(&["mesh.example.com"], &cas[0], rng);
    input(&leaf, pool, &anchor)
}

/// `subject`'s name and key in a CA certificate signed by `issuer`.
pub fn cross_sign(subject: &Issuer, issuer: &Issuer, rng: &mut StdRng) -> Vec<u8> {
    let params = CertificateParams {
        profile: Profile::Intermediate,
        subject: Subject::common_name(subject.subject().trim_start_matches("CN=")),
        ..CertificateParams::default()
    };
    issue::signed(&params, subject.key().public_key(), issuer, NOW, rng)
        .unwrap()
        .der()
        .to_vec()
}

/// A root with `count` permitted and `count` excluded DNS subtrees and a leaf with `count`
/// names inside the permitted ones: `count * 2 * count` comparisons (OpenSSL's many-names case).
pub fn many_name_constraints(count: usize, rng: &mut StdRng) -> Input {
    let anchor = root_with("Constrained Root", rng, |params| {
        params.permitted_names = (0..count)
            .map(|index| NameConstraint::Dns(format!("p{index}.example.com")))
            .collect();
        params.excluded_names = (0..count)
            .map(|index| NameConstraint::Dns(format!("x{index}.example.com")))
            .collect();
    });
    let names: Vec<String> = (0..count)
        .map(|index| format!("host.p{index}.example.com"))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let leaf = server(&names, &anchor, rng);
    input(&leaf, Vec::new(), &anchor)
}

/// A testcase of the x509-limbo development suite in `../shared/conformance/limbo/`.
pub fn testcase(id: &str) -> Value {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/conformance/limbo/limbo-dev.json");
    let text = std::fs::read_to_string(&path).expect("the limbo suite in ../shared");
    let suite: Value = serde_json::from_str(&text).unwrap();
    suite["testcases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("testcase {id}"))
}

/// The DER of a PEM certificate in a testcase.
pub fn der(pem: &Value) -> Vec<u8> {
    let bytes = pem.as_str().unwrap().as_bytes();
    mtlskit::decode::blocks(bytes)
        .unwrap()
        .remove(0)
        .unwrap()
        .der
}

/// The certificates of a limbo testcase as an input (no CRLs).
pub fn input_of(case: &Value) -> Input {
    let items = |key: &str| -> Vec<Item> {
        case[key]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(index, pem)| Item::new(der(pem), format!("{key} {index}")))
            .collect()
    };
    Input {
        leaf: Some(Item::new(der(&case["peer_certificate"]), "leaf")),
        intermediates: items("untrusted_intermediates"),
        anchors: items("trusted_certs"),
        crls: Vec::new(),
    }
}

/// What goes into a hand-built CRL (so that every field and critical flag can be chosen).
pub struct CrlSpec {
    pub number: u32,
    pub this_update: UnixTime,
    pub next_update: Option<UnixTime>,
    /// Revoked serial numbers, each with its entry extensions.
    pub revoked: Vec<(
        x509_cert::serial_number::SerialNumber,
        Vec<x509_cert::ext::Extension>,
    )>,
    /// CRL extensions after cRLNumber (non-critical unless `number_critical`).
    pub extensions: Vec<x509_cert::ext::Extension>,
    pub number_critical: bool,
}

impl CrlSpec {
    /// CRL number `number`, current at [`NOW`] for a day, nothing revoked.
    pub fn current(number: u32) -> Self {
        Self {
            number,
            this_update: UnixTime(NOW.0 - 3600),
            next_update: Some(UnixTime(NOW.0 + 86_400)),
            revoked: Vec::new(),
            extensions: Vec::new(),
            number_critical: false,
        }
    }
}

/// An extension with `oid`, criticality and DER value.
pub fn extension(oid: &str, critical: bool, value: &[u8]) -> x509_cert::ext::Extension {
    x509_cert::ext::Extension {
        extn_id: const_oid::ObjectIdentifier::new(oid).unwrap(),
        critical,
        extn_value: der::asn1::OctetString::new(value.to_vec()).unwrap(),
    }
}

/// The serial number of a DER certificate.
pub fn serial_of(certificate: &[u8]) -> x509_cert::serial_number::SerialNumber {
    use der::Decode;
    x509_cert::Certificate::from_der(certificate)
        .unwrap()
        .tbs_certificate()
        .serial_number()
        .clone()
}

/// A CRL signed by `issuer` as `spec` says.
pub fn crl(issuer: &Issuer, spec: &CrlSpec) -> Vec<u8> {
    use der::{Decode, Encode};
    use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
    let time = |at: UnixTime| {
        let seconds = std::time::Duration::from_secs(u64::try_from(at.0).unwrap());
        x509_cert::time::Time::UtcTime(der::asn1::UtcTime::from_unix_duration(seconds).unwrap())
    };
    let algorithm = spki::AlgorithmIdentifierOwned {
        oid: issuer.key().signature_algorithm(),
        parameters: None,
    };
    let ca = x509_cert::Certificate::from_der(issuer.certificate_der()).unwrap();
    let number = der::asn1::Uint::new(&spec.number.to_be_bytes()).unwrap();
    let mut extensions = vec![extension(
        "2.5.29.20",
        spec.number_critical,
        &number.to_der().unwrap(),
    )];
    extensions.extend(spec.extensions.iter().cloned());
    let revoked: Vec<RevokedCert> = spec
        .revoked
        .iter()
        .map(|(serial, entry_extensions)| RevokedCert {
            serial_number: serial.clone(),
            revocation_date: time(spec.this_update),
            crl_entry_extensions: (!entry_extensions.is_empty()).then(|| entry_extensions.clone()),
        })
        .collect();
    let tbs = TbsCertList {
        version: x509_cert::certificate::Version::V2,
        signature: algorithm.clone(),
        issuer: ca.tbs_certificate().subject().clone(),
        this_update: time(spec.this_update),
        next_update: spec.next_update.map(time),
        revoked_certificates: (!revoked.is_empty()).then_some(revoked),
        crl_extensions: Some(extensions),
    };
    let signature = issuer.key().sign(&tbs.to_der().unwrap()).unwrap();
    CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: algorithm,
        signature: der::asn1::BitString::from_bytes(&signature).unwrap(),
    }
    .to_der()
    .unwrap()
}

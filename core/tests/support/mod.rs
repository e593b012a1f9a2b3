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
    StdRng::seed_from_u64(7)
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

//! Issuance benchmarks: key generation and certificate signing per key type, and a whole
//! `pki init` (root, intermediate, server, two clients with .p12 files).
//!
//! Run with `cargo bench -p mtlskit --bench issue`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "benchmark harness"
)]

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use mtlskit::UnixTime;
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::issue::{self, CertificateParams, Issuer, Profile, Subject, pki};
use rand::SeedableRng;
use rand::rngs::StdRng;

const NOW: UnixTime = UnixTime(1_790_000_000);

const KEY_TYPES: [KeyType; 6] = [
    KeyType::P256,
    KeyType::P384,
    KeyType::Ed25519,
    KeyType::Rsa { bits: 2048 },
    KeyType::Rsa { bits: 3072 },
    KeyType::Rsa { bits: 4096 },
];

fn key_generation(c: &mut Criterion) {
    let mut group = c.benchmark_group("key_generation");
    group.sample_size(10);
    let mut rng = StdRng::seed_from_u64(1);
    for key_type in KEY_TYPES {
        group.bench_function(key_type.name(), |b| {
            b.iter(|| SigningKey::generate(key_type, &mut rng).unwrap())
        });
    }
    group.finish();
}

fn signing(c: &mut Criterion) {
    let mut group = c.benchmark_group("sign_server_certificate");
    let mut rng = StdRng::seed_from_u64(2);
    for key_type in KEY_TYPES {
        let ca_key = SigningKey::generate(key_type, &mut rng).unwrap();
        let root = CertificateParams {
            profile: Profile::Root,
            subject: Subject::common_name("Bench Root"),
            ..CertificateParams::default()
        };
        let ca = issue::self_signed(&root, &ca_key, NOW, &mut rng).unwrap();
        let issuer = Issuer::new(ca.der(), ca_key).unwrap();
        let leaf_key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
        let params = CertificateParams {
            subject_alt_names: vec!["bench.example".parse().unwrap()],
            ..CertificateParams::default()
        };
        group.bench_function(key_type.name(), |b| {
            b.iter(|| {
                issue::signed(&params, leaf_key.public_key(), &issuer, NOW, &mut rng).unwrap()
            })
        });
    }
    group.finish();
}

fn whole_pki(c: &mut Criterion) {
    let mut group = c.benchmark_group("pki_init");
    group.sample_size(20);
    let params = pki::PkiParams {
        clients: vec!["alice".into(), "bob".into()],
        ..pki::PkiParams::default()
    };
    group.bench_function("p256_root_intermediate_server_two_clients", |b| {
        b.iter_batched(
            || StdRng::seed_from_u64(3),
            |mut rng| pki::init(&params, NOW, &mut rng).unwrap(),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, key_generation, signing, whole_pki);
criterion_main!(benches);

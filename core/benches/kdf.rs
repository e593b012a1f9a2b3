//! Password-based key derivation: the unit costs behind `core/src/pbe/limits.rs` (one
//! PBKDF2 iteration per output block, one PKCS#12 KDF iteration, one scrypt `N·r·p` unit) and
//! what opening a `.p12` written with the default iteration count costs.
//!
//! Run with `cargo bench -p mtlskit --bench kdf`; figures in BENCHMARKS.md.

#![allow(clippy::unwrap_used, missing_docs, reason = "benchmark harness")]

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use mtlskit::UnixTime;
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::issue::{self, CertificateParams, Profile, Subject};
use mtlskit::pkcs12::{self, ExportParams};
use mtlskit::secret::Password;
use rand::SeedableRng;
use rand::rngs::StdRng;

const ITERATIONS: u32 = 10_000;

fn unit_costs(c: &mut Criterion) {
    let mut group = c.benchmark_group("kdf");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    let (password, salt) = (b"password".as_slice(), [7u8; 16]);
    group.bench_function("pbkdf2_hmac_sha1_10k", |b| {
        b.iter(|| pbkdf2::pbkdf2_hmac_array::<sha1::Sha1, 20>(password, &salt, ITERATIONS))
    });
    group.bench_function("pbkdf2_hmac_sha256_10k", |b| {
        b.iter(|| pbkdf2::pbkdf2_hmac_array::<sha2::Sha256, 32>(password, &salt, ITERATIONS))
    });
    group.bench_function("pbkdf2_hmac_sha512_10k", |b| {
        b.iter(|| pbkdf2::pbkdf2_hmac_array::<sha2::Sha512, 64>(password, &salt, ITERATIONS))
    });
    group.bench_function("pkcs12_kdf_sha1_10k", |b| {
        b.iter(|| {
            ::pkcs12::kdf::derive_key_utf8::<sha1::Sha1>(
                "password",
                &salt,
                ::pkcs12::kdf::Pkcs12KeyType::Mac,
                10_000,
                20,
            )
        })
    });
    group.bench_function("scrypt_n16384_r8_p1", |b| {
        let params = scrypt::Params::new(14, 8, 1).unwrap();
        b.iter(|| {
            let mut key = [0u8; 32];
            scrypt::scrypt(password, &salt, &params, &mut key).unwrap();
            key
        })
    });
    group.finish();
}

fn p12_with_default_iterations(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(3);
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let params = CertificateParams {
        profile: Profile::Client,
        subject: Subject::common_name("alice"),
        ..CertificateParams::default()
    };
    let certificate = issue::self_signed(&params, &key, UnixTime(1_790_000_000), &mut rng).unwrap();
    let export = ExportParams {
        password: Password::from("secret"),
        ..ExportParams::default()
    };
    let mut group = c.benchmark_group("p12");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("write_default_iterations", |b| {
        b.iter(|| pkcs12::write(&key, certificate.der(), &[], &export, &mut rng).unwrap())
    });
    let file = pkcs12::write(&key, certificate.der(), &[], &export, &mut rng).unwrap();
    group.bench_function("read_default_iterations", |b| {
        b.iter(|| pkcs12::read(&file, &export.password).unwrap())
    });
    group.finish();
}

criterion_group!(benches, unit_costs, p12_with_default_iterations);
criterion_main!(benches);

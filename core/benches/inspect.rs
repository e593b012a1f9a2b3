//! Criterion: parse + inspect of one certificate, and of the whole system trust bundle.
//! Run with `make bench` (or `cargo bench -p mtlskit --bench inspect`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "benchmark harness"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mtlskit::{
    UnixTime,
    inspect::{Options, inspect},
};

const BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

fn options() -> Options {
    Options {
        source: "bench".into(),
        password: None,
        key_password: None,
        at: UnixTime(1_800_000_000),
    }
}

fn one_certificate(c: &mut Criterion) {
    let bundle = std::fs::read_to_string(BUNDLE).expect("ca-certificates is installed");
    let end = bundle
        .find("-----END CERTIFICATE-----")
        .expect("a certificate")
        + 25;
    let first = bundle[..end].to_owned();
    let options = options();
    let mut group = c.benchmark_group("inspect");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one certificate (PEM, RSA-4096 root)", |b| {
        b.iter(|| inspect(black_box(first.as_bytes()), &options).unwrap())
    });
    group.finish();
}

fn whole_bundle(c: &mut Criterion) {
    let bundle = std::fs::read(BUNDLE).expect("ca-certificates is installed");
    let count = bundle
        .windows(27)
        .filter(|window| window == b"-----BEGIN CERTIFICATE-----")
        .count();
    let options = options();
    let mut group = c.benchmark_group("inspect");
    group.throughput(Throughput::Elements(count as u64));
    group.sample_size(20);
    group.bench_function("system bundle to JSON", |b| {
        b.iter(|| serde_json::to_vec(&inspect(black_box(&bundle), &options).unwrap()).unwrap());
    });
    group.finish();
}

criterion_group!(benches, one_certificate, whole_bundle);
criterion_main!(benches);

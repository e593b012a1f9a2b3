//! Hostile encrypted keys and PKCS#12 files (issue 7, point 2): every entry point of the core
//! refuses KDF parameters beyond its limits with `KdfParameterOutOfBounds`, naming the
//! parameter, before deriving anything (so in well under a second), and writing refuses
//! iteration counts below the minimum instead of rounding them up.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

use std::time::{Duration, Instant};

use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::inspect::{self, Options};
use mtlskit::issue::{self, CertificateParams, Profile, Subject};
use mtlskit::pkcs12::{self, ExportParams};
use mtlskit::secret::Password;
use mtlskit::{Error, UnixTime};
use mtlskit_tests::hostile;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn assert_refused(name: &str, result: Result<(), Error>, parameter: &str, started: Instant) {
    match result {
        Err(Error::KdfParameterOutOfBounds {
            parameter: named, ..
        }) => {
            assert_eq!(named, parameter, "{name}");
        }
        other => panic!("{name}: expected KdfParameterOutOfBounds, got {other:?}"),
    }
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(1), "{name}: {elapsed:?}");
}

#[test]
fn hostile_kdf_parameters_are_refused_by_every_entry_point() {
    let password = Password::from("pw");
    for (name, bytes, parameter) in hostile::cases() {
        let options = Options {
            source: name.to_owned(),
            password: Some(password.clone()),
            key_password: None,
            at: UnixTime(1_790_000_000),
        };
        let started = Instant::now();
        let inspected = inspect::inspect(&bytes, &options).map(|_| ());
        assert_refused(name, inspected, parameter, started);
        let started = Instant::now();
        if name.ends_with(".p12") {
            let read = pkcs12::read(&bytes, &password).map(|_| ());
            assert_refused(name, read, parameter, started);
        } else {
            let loaded = SigningKey::from_bytes(&bytes, Some("pw")).map(|_| ());
            assert_refused(name, loaded, parameter, started);
        }
    }
}

#[test]
fn pkcs12_writing_refuses_too_few_iterations_and_reads_back_the_default() {
    let mut rng = StdRng::seed_from_u64(5);
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let params = CertificateParams {
        profile: Profile::Client,
        subject: Subject::common_name("alice"),
        ..CertificateParams::default()
    };
    let certificate = issue::self_signed(&params, &key, UnixTime(1_790_000_000), &mut rng).unwrap();
    for (iterations, legacy) in [(0, false), (1, false), (999, true)] {
        let export = ExportParams {
            password: Password::from("pw"),
            iterations,
            legacy,
            ..ExportParams::default()
        };
        let error = pkcs12::write(&key, certificate.der(), &[], &export, &mut rng).unwrap_err();
        assert_eq!(
            error.code(),
            "KdfParameterOutOfBounds",
            "{iterations}: {error}"
        );
    }
    let export = ExportParams {
        password: Password::from("pw"),
        ..ExportParams::default()
    };
    assert_eq!(export.iterations, pkcs12::DEFAULT_ITERATIONS);
    let file = pkcs12::write(&key, certificate.der(), &[], &export, &mut rng).unwrap();
    let contents = pkcs12::read(&file, &export.password).unwrap();
    assert_eq!(*contents.keys[0].der, *key.to_pkcs8_der().unwrap());
    let error = pkcs12::read(&file, &Password::from("wrong")).unwrap_err();
    assert_eq!(error.code(), "WrongPassword");
}

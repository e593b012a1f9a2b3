//! Replays every checked-in fuzz input through its target on stable: each file of
//! `core/fuzz/corpus/NAME/` (seeds, inputs the campaigns kept, and every crash found, named
//! `crash-*` after its fix) goes through `mtlskit_fuzz_targets::NAME`, which panics only on a
//! defect. Each input must also finish in [`SLOWEST`]: a hang is a defect too.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a broken expectation should fail loudly"
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mtlskit_fuzz_targets::TARGETS;

/// The longest one input may take here (release build; the KDF limits allow three seconds
/// of key derivation per file on the reference machine).
const SLOWEST: Duration = Duration::from_secs(20);

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn replay(name: &str) {
    let (_, target) = TARGETS
        .iter()
        .find(|(known, _)| *known == name)
        .expect("a target of that name");
    let directory = fuzz_dir().join("corpus").join(name);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&directory)
        .unwrap_or_else(|error| panic!("{}: {error}", directory.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 3,
        "{name}: the corpus has {} inputs",
        files.len()
    );
    let mut failures = Vec::new();
    for file in &files {
        let data = std::fs::read(file).unwrap();
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| target(&data));
        let elapsed = started.elapsed();
        if outcome.is_err() {
            failures.push(format!("panicked on {}", file.display()));
        } else if elapsed >= SLOWEST {
            failures.push(format!("took {elapsed:?} on {}", file.display()));
        }
    }
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
    println!("{name}: {} inputs replayed", files.len());
}

macro_rules! replay_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                replay(stringify!($name));
            }
        )*

        /// Every target has a test above, a corpus folder, a binary in `fuzz_targets/` and
        /// a `[[bin]]` in the cargo-fuzz manifest; every corpus folder belongs to a target.
        #[test]
        fn targets_corpora_and_binaries_match() {
            let tested = [$(stringify!($name)),*];
            let names: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
            assert_eq!(names, tested, "a target without a replay test, or the reverse");
            let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
            for name in &names {
                let binary = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
                let source = std::fs::read_to_string(&binary).unwrap();
                assert!(source.contains(&format!("mtlskit_fuzz_targets::{name}(data)")));
                assert!(manifest.contains(&format!("name = \"{name}\"")), "{name} in Cargo.toml");
            }
            for entry in std::fs::read_dir(fuzz_dir().join("corpus")).unwrap() {
                let folder = entry.unwrap().file_name().into_string().unwrap();
                assert!(names.contains(&folder.as_str()), "corpus/{folder} has no target");
            }
        }
    };
}

replay_tests!(
    decode,
    certificate,
    csr,
    crl,
    keys,
    pkcs12,
    keystore,
    inspect,
    verify,
    trust_store,
    differential,
    api,
    proxy_config,
    proxy_protocol,
);

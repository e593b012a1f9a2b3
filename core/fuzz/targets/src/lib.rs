//! The bodies of mtlskit's fuzz targets, one function per target, each taking the fuzzer's
//! bytes. `core/fuzz/fuzz_targets/NAME.rs` calls `NAME` under libFuzzer (nightly,
//! `make fuzz`); `tests/corpora.rs` calls every function of [`TARGETS`] over its checked-in
//! corpus `core/fuzz/corpus/NAME/` on stable, so CI replays every input ever found.
//!
//! A target fails (panics) only on a real defect: a panic, hang or abort of the code under
//! test, or a broken invariant it checks (the PROXY header parses back, the two verifier entry
//! points agree, our verdict matches rustls-webpki's where both apply). Errors returned for bad
//! input are the expected outcome and are ignored.

mod api;
mod chain;
mod differential;
mod formats;
mod proxy;
mod verify;

pub use api::api;
pub use differential::differential;
pub use formats::{certificate, crl, csr, decode, inspect, keys, keystore, pkcs12};
pub use proxy::{proxy_config, proxy_protocol};
pub use verify::{trust_store, verify};

use mtlskit::UnixTime;

/// A fuzz target: takes any bytes, panics only on a defect.
pub type Target = fn(&[u8]);

/// Every target by name: the name of its binary in `fuzz_targets/` and of its corpus folder.
pub const TARGETS: &[(&str, Target)] = &[
    ("decode", decode),
    ("certificate", certificate),
    ("csr", csr),
    ("crl", crl),
    ("keys", keys),
    ("pkcs12", pkcs12),
    ("keystore", keystore),
    ("inspect", inspect),
    ("verify", verify),
    ("trust_store", trust_store),
    ("differential", differential),
    ("api", api),
    ("proxy_config", proxy_config),
    ("proxy_protocol", proxy_protocol),
];

/// The password of every encrypted seed (keys, PKCS#12, keystores): the targets open what
/// they are given with it, so mutations reach the decrypted contents.
pub const PASSWORD: &str = "fuzzing";

/// The time certificates are judged at when the input does not carry one (2027-01-15): the
/// seeds made by `seed-corpora.sh` are valid then.
pub const TIME: UnixTime = UnixTime(1_800_000_000);

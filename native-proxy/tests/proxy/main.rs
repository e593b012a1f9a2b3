//! End-to-end tests of `mtlskit proxy` with real peers on 127.0.0.1: curl, openssl, nginx,
//! Python grpcio, and upstreams that record what they receive. One test binary (one link)
//! whose tests run in parallel; every process and wait is bounded.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod support;

mod check;
mod pki_hint;
mod s3_terminate;
mod tcp_mode;

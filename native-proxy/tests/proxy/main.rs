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
mod faults;
mod identity_headers;
mod limits;
mod operations;
mod parity;
mod pki_hint;
mod replay;
mod rules;
mod s3_terminate;
mod s4_grpc;
mod s5_sni;
mod s6_nginx;
mod tcp_mode;

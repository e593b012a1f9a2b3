//! `mtlskit proxy`: terminate or originate mutual TLS for TCP, HTTP/1.1, HTTP/2 and gRPC.
//!
//! ```text
//! terminate|originate flags ─┐
//!                            ├─ config (validated; nothing opened yet) ─ state (files loaded)
//! run/check mtlskit.toml  ───┘      ─ check (refuse to start on any error) ─ listener (bind, accept)
//! workers (one runtime per core) ─ accept (balance) ─ session (TLS handshake, client_auth verdict, acl) ─ tcp | http ─ upstream
//! reload (SIGHUP, file changes) swaps state; metrics + endpoint; access log; systemd
//! ```

mod access;
mod acl;
mod balance;
mod body;
mod check;
mod cli;
mod client_auth;
mod config;
mod credentials;
mod endpoint;
mod error;
pub mod fuzzing;
mod headers;
mod http;
mod identity;
mod io;
mod listener;
mod logging;
mod metrics;
mod proxy_protocol;
mod reload;
mod server;
mod session;
mod state;
mod systemd;
mod tcp;
mod tls;
mod upstream;
mod upstream_auth;
mod upstream_http1;
mod upstream_http2;
mod workers;

pub use cli::{ProxyArgs, run};

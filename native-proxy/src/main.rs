//! The `mtlskit` command: certificate tools on top of the mtlskit core (the code is in the
//! library, `src/lib.rs`, which the npm package's `npx mtlskit` runs too).
//!
//! Exit codes: 0 success, 1 a negative verdict (e.g. a chain that does not verify),
//! 2 bad input or usage.

use std::process::ExitCode;

/// The proxy allocates a few small buffers per request (headers, bodies, futures): mimalloc
/// serves them for less CPU than glibc's or musl's allocator (BENCHMARKS.md "Proxy").
#[cfg(feature = "proxy")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    mtlskit_proxy::run(std::env::args_os())
}

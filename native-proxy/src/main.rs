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
    #[cfg(all(feature = "proxy", target_os = "linux"))]
    huge_pages_for_the_proxy_only();
    mtlskit_proxy::run(std::env::args_os())
}

/// mimalloc asks the kernel for transparent huge pages for its memory, which suits the
/// long-running proxy; every other command is a short process that touches a megabyte or
/// so, and the kernel zeroing whole 2 MiB pages for it was a tenth of the wall time of
/// `mtlskit inspect --json` on a trust bundle (BENCHMARKS.md "Inspection"). So they run with
/// the process's "THP disable" flag set, before anything is allocated; `proxy` clears it.
/// Nothing changes for the Node addon, which runs the same commands in Node's process.
#[cfg(all(feature = "proxy", target_os = "linux"))]
fn huge_pages_for_the_proxy_only() {
    // Failing (an old kernel, a seccomp filter) only leaves the kernel's default.
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    if std::env::args_os()
        .nth(1)
        .is_some_and(|command| command == "proxy")
    {
        let _ = rustix::thread::disable_transparent_huge_pages(false);
    }
}

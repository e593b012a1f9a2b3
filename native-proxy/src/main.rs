//! The `mtlskit` command: certificate tools on top of the mtlskit core (the code is in the
//! library, `src/lib.rs`, which the npm package's `npx mtlskit` runs too).
//!
//! Exit codes: 0 success, 1 a negative verdict (e.g. a chain that does not verify),
//! 2 bad input or usage.

use std::process::ExitCode;

fn main() -> ExitCode {
    mtlskit_proxy::run(std::env::args_os())
}

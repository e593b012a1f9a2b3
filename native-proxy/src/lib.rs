//! The `mtlskit` command as a library: the binary (`src/main.rs`) and the npm package's
//! `npx mtlskit` (through the Node addon, `node/`) run this same code, so both have the same
//! commands, flags, output and exit codes. The `proxy` feature (on by default) adds
//! `mtlskit proxy`; the addon builds without it.
//!
//! Exit codes: 0 success, 1 a negative verdict (e.g. a chain that does not verify),
//! 2 bad input or usage.

pub mod cli;
#[cfg(feature = "proxy")]
mod proxy;
#[cfg(feature = "proxy")]
pub use proxy::fuzzing;
mod tls;
mod web;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

/// Runs the command line `arguments` (the first one is the program name) and returns its
/// exit code. Usage errors, `--help` and `--version` are printed by clap, which then ends the
/// process as the binary would.
pub fn run<I, T>(arguments: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    cli::run(cli::Cli::parse_from(arguments))
}

/// The number behind `code` (std's `ExitCode` has no stable accessor; every code the commands
/// return is one of the 256 `u8` codes, and an unknown one is reported as a failure, 1).
pub fn exit_status(code: ExitCode) -> u8 {
    (0..=u8::MAX)
        .find(|number| ExitCode::from(*number) == code)
        .unwrap_or(1)
}

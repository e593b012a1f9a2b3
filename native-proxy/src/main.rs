//! The `mtlskit` command: certificate tools on top of the mtlskit core.
//!
//! Exit codes: 0 success, 1 a negative verdict (e.g. a chain that does not verify),
//! 2 bad input or usage.

mod cli;
#[cfg(feature = "proxy")]
mod proxy;
mod tls;
mod web;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let arguments = cli::Cli::parse();
    cli::run(arguments)
}

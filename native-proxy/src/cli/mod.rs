//! Command-line parsing and the conventions every command shares: errors are printed as
//! `error[Code]: message (file)` (or `{"error": {...}}` with `--json`) and exit with 2.

mod inspect;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Certificates and mutual TLS without the openssl command pile.
#[derive(Debug, Parser)]
#[command(name = "mtlskit", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show everything in certificates, CSRs, keys, CRLs, .p7b and .p12 files.
    Inspect(inspect::InspectArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Inspect(arguments) => inspect::run(&arguments),
    }
}

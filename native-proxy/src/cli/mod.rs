//! Command-line parsing and the conventions every command shares: errors are printed as
//! `error[Code]: message (file)` (or `{"error": {...}}` with `--json`) and exit with 2.

mod api;
pub mod args;
mod bundle;
mod cert;
mod convert;
mod csr;
pub mod files;
mod inspect;
pub(crate) mod json;
mod key;
mod pki;
mod probe;
pub mod report;
mod verify;
mod web;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Certificates and mutual TLS without the openssl command pile.
#[derive(Debug, Parser)]
#[command(name = "mtlskit", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Each subcommand's arguments are built only when that subcommand runs (or its help is
/// shown): building all of them was a third of the instructions of `mtlskit --version`, paid
/// by every short certificate command (BENCHMARKS.md "Inspection"). The help texts are those
/// of the variants' doc comments below; the `...Args` structs carry plain comments, since a
/// deferred struct's doc comment would replace its variant's text.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
enum Command {
    /// Show everything in certificates, CSRs, keys, CRLs, .p7b, .p12 and Java keystores.
    Inspect(inspect::InspectArgs),
    /// Generate private keys.
    Key(key::KeyArgs),
    /// Issue certificates by profile: root, intermediate, server, client, server+client.
    Cert(cert::CertArgs),
    /// Create certificate signing requests and sign them with a CA.
    Csr(csr::CsrArgs),
    /// Convert between PEM, DER, PKCS#12 and Java keystores (JKS).
    Convert(convert::ConvertArgs),
    /// Order certificates into a chain (leaf first).
    Bundle(bundle::BundleArgs),
    /// Create a whole private PKI in one command.
    Pki(pki::PkiArgs),
    /// Verify a certificate chain (RFC 5280) and explain why it fails.
    Verify(verify::VerifyArgs),
    /// Connect to a TLS server, show what it did and say why it did or did not work.
    Probe(probe::ProbeArgs),
    /// Terminate or originate mutual TLS in front of TCP, HTTP/1.1, HTTP/2 and gRPC services.
    #[cfg(feature = "proxy")]
    Proxy(Box<crate::proxy::ProxyArgs>),
    /// Serve the browser inspector (drag and drop certificates; nothing is uploaded).
    Web(web::WebArgs),
    /// The JSON API of the Node and wasm builds: one call per line on stdin, one answer per
    /// line on stdout.
    Api(api::ApiArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Inspect(arguments) => inspect::run(&arguments),
        Command::Key(arguments) => key::run(&arguments),
        Command::Cert(arguments) => cert::run(&arguments),
        Command::Csr(arguments) => csr::run(&arguments),
        Command::Convert(arguments) => convert::run(&arguments),
        Command::Bundle(arguments) => bundle::run(&arguments),
        Command::Pki(arguments) => pki::run(&arguments),
        Command::Verify(arguments) => verify::run(&arguments),
        Command::Probe(arguments) => probe::run(&arguments),
        #[cfg(feature = "proxy")]
        Command::Proxy(arguments) => crate::proxy::run(&arguments),
        Command::Web(arguments) => web::run(&arguments),
        Command::Api(arguments) => api::run(&arguments),
    }
}

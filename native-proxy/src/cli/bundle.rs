//! `mtlskit bundle FILE...`: put an unordered set of certificates in chain order.

use std::process::ExitCode;

use clap::Args;
use mtlskit::issue::bundle;

use super::files::{self, Output};
use super::report::{self, CliError, no_file};

// Arguments of `mtlskit bundle`.
#[derive(Debug, Args)]
pub struct BundleArgs {
    /// Certificate files, in any order (PEM with any number of blocks, or DER).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Also write the self-signed root at the end (servers normally leave it out).
    #[arg(long)]
    include_root: bool,
    /// Where to write the chain (PEM); without it the chain goes to standard output.
    #[arg(long, short)]
    out: Option<String>,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
    /// Report as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `mtlskit bundle`.
pub fn run(arguments: &BundleArgs) -> ExitCode {
    match bundle_files(arguments) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(arguments.json),
    }
}

fn bundle_files(arguments: &BundleArgs) -> Result<(), CliError> {
    let mut certificates = Vec::new();
    for file in &arguments.files {
        certificates.extend(files::read_certificates(file)?);
    }
    let chain = bundle::order(&certificates, arguments.include_root).map_err(no_file)?;
    let pem = chain.pem().map_err(no_file)?;
    let Some(path) = &arguments.out else {
        report::write_stdout(&pem);
        return Ok(());
    };
    let outputs = [Output {
        path: path.into(),
        contents: pem.into_bytes().into(),
        secret: false,
        kind: "certificate chain",
        fingerprint_sha256: None,
    }];
    files::write_outputs(&outputs, arguments.force)?;
    report::report_written(&outputs, arguments.json);
    Ok(())
}

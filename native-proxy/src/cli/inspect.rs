//! `mtlskit inspect FILE...`: everything in certificates, CSRs, keys, CRLs, .p7b, .p12 and
//! Java keystores (.jks, .jceks).

use std::process::ExitCode;

use clap::Args;
use mtlskit::inspect::{self, ErrorItem, ErrorReport, Item, Options, Report, Source};

use mtlskit::secret::Password;

use super::args::{self, PasswordArgs};
use super::files;
use super::report::{self, CliError};

/// Arguments of `mtlskit inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files to inspect (PEM with any number of blocks, DER, base64, .p7b, .p12); `-` reads
    /// standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Print `{"items": [...]}` as JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Password for .p12 files and encrypted keys.
    #[command(flatten)]
    password: PasswordArgs,
    /// Java keystores: read the key password from the first line of this file, when it
    /// differs from the store password (also `MTLSKIT_KEY_PASSWORD`).
    #[arg(long, value_name = "FILE")]
    key_password_file: Option<String>,
    /// Judge validity at this RFC 3339 time instead of now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
}

/// Runs `mtlskit inspect`.
pub fn run(arguments: &InspectArgs) -> ExitCode {
    match inspect_all(arguments) {
        Ok(report) => print(&report, arguments.json),
        Err(error) => error.report(arguments.json),
    }
}

fn inspect_all(arguments: &InspectArgs) -> Result<Report, CliError> {
    let at = args::time(arguments.at.as_deref())?;
    let password = arguments.password.given()?;
    args::with_password(password, "Password: ", |password| {
        inspect_files(arguments, at, password)
    })
}

fn inspect_files(
    arguments: &InspectArgs,
    at: mtlskit::UnixTime,
    password: Option<&Password>,
) -> Result<Report, CliError> {
    let key_file = arguments.key_password_file.as_deref();
    let key_password = args::password_from(key_file, "MTLSKIT_KEY_PASSWORD")?;
    let single = arguments.files.len() == 1;
    let mut items = Vec::new();
    for file in &arguments.files {
        let options = Options {
            source: file.clone(),
            password: password.cloned(),
            key_password: key_password.clone(),
            at,
        };
        let bytes = files::read_input(file)?;
        match inspect::inspect(&bytes, &options) {
            Ok(mut report) => items.append(&mut report.items),
            Err(error) if single => return Err(CliError::in_file(error, file)),
            Err(error) => items.push(Item::Error(ErrorItem {
                source: Source {
                    file: file.clone(),
                    index: 0,
                    container: None,
                    alias: None,
                },
                error: ErrorReport::from(&error),
            })),
        }
    }
    Ok(Report { items })
}

fn print(report: &Report, json: bool) -> ExitCode {
    if json {
        // One buffer sized for the report (a certificate is about 8 KB of JSON), written as
        // is: a trust bundle's megabyte of JSON is neither regrown nor copied again.
        let mut text = Vec::with_capacity(report.items.len().saturating_mul(8192));
        match serde_json::to_writer_pretty(&mut text, report) {
            Ok(()) => {
                text.push(b'\n');
                report::write_stdout_bytes(&text);
            }
            Err(error) => eprintln!("error[Internal]: {error}"),
        }
    } else {
        report::write_stdout(&inspect::text::render(report, report::color()));
    }
    if report.first_error().is_some() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

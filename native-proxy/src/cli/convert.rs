//! `mtlskit convert`: PEM <-> DER for certificates, CSRs and keys; key + certificate (+
//! chain) to `.p12`; `.p12` back to PEM.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mtlskit::Error;
use mtlskit::api::{self, ConvertRequest, FileContents, Input, Password};

use super::args;
use super::files::{self, Output};
use super::report::{self, CliError, no_file};

/// Arguments of `mtlskit convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The input: certificate(s), CSR, key or .p12 (PEM, DER or base64).
    input: String,
    /// The output format.
    #[arg(long, value_enum)]
    to: Format,
    /// Where to write the result; PEM may go to standard output.
    #[arg(long, short)]
    out: Option<String>,
    /// With `--to p12`: the private key of the input certificate.
    #[arg(long)]
    key: Option<String>,
    /// With `--to p12`: issuer certificates to include. Repeatable.
    #[arg(long)]
    chain: Vec<String>,
    /// Password of the .p12 (read or written) and of an encrypted key; also
    /// `--password-file` or `MTLSKIT_PASSWORD`.
    #[arg(long)]
    password: Option<String>,
    /// Read the password from the first line of this file.
    #[arg(long, value_name = "FILE", conflicts_with = "password")]
    password_file: Option<String>,
    /// With `--to p12`: 3DES/SHA-1 for old Java, macOS and Windows importers.
    #[arg(long)]
    legacy: bool,
    /// With `--to p12`: the friendlyName (alias) of the key entry.
    #[arg(long)]
    name: Option<String>,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
    /// Report as JSON.
    #[arg(long)]
    json: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// PEM text (for a .p12 input: the key and certificates).
    Pem,
    /// DER (one item).
    Der,
    /// PKCS#12 (needs --key).
    P12,
}

/// Runs `mtlskit convert`.
pub fn run(arguments: &ConvertArgs) -> ExitCode {
    match convert(arguments) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(arguments.json),
    }
}

fn convert(arguments: &ConvertArgs) -> Result<(), CliError> {
    let password = args::password(
        arguments.password.as_deref(),
        arguments.password_file.as_deref(),
    )?;
    let read = |file: &str| -> Result<Input, CliError> {
        Ok(Input::named(file, files::read_input(file)?))
    };
    let request = ConvertRequest {
        data: read(&arguments.input)?,
        to: match arguments.to {
            Format::Pem => api::Format::Pem,
            Format::Der => api::Format::Der,
            Format::P12 => api::Format::P12,
        },
        password: password.map(Password::new),
        key: arguments.key.as_deref().map(read).transpose()?,
        chain: arguments
            .chain
            .iter()
            .map(|file| read(file))
            .collect::<Result<_, _>>()?,
        legacy: arguments.legacy,
        friendly_name: arguments.name.clone(),
    };
    let converted = api::convert(&request, &mut args::rng())?;
    let contents = match converted.contents {
        FileContents::Text(text) => text.into_bytes(),
        FileContents::Binary(bytes) => bytes.0,
    };
    let Some(path) = &arguments.out else {
        if arguments.to != Format::Pem {
            let error = Error::Io {
                detail: "binary output needs --out FILE".into(),
            };
            return Err(no_file(error));
        }
        report::write_stdout(&String::from_utf8_lossy(&contents));
        return Ok(());
    };
    let outputs = [Output {
        path: path.into(),
        contents,
        secret: converted.secret,
        kind: converted.kind,
        fingerprint_sha256: None,
    }];
    files::write_outputs(&outputs, arguments.force)?;
    report::report_written(&outputs, arguments.json);
    Ok(())
}

//! `mtlskit convert`: PEM <-> DER for certificates, CSRs and keys; key + certificate (+
//! chain) to `.p12` or `.jks`; CA certificates to a Java truststore (`.jks`, `.p12`); `.p12`,
//! `.jks` and `.jceks` back to PEM.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mtlskit::api::{self, ConvertRequest, ConvertResponse, Input};
use mtlskit::secret::Password;
use mtlskit::{Error, UnixTime};

use super::args::{self, PasswordArgs};
use super::files::{self, Output};
use super::report::{self, CliError, no_file};

// Arguments of `mtlskit convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The input: certificate(s), CSR, key, .p12 or Java keystore (PEM, DER or base64).
    input: String,
    /// The output format.
    #[arg(long, value_enum)]
    to: Format,
    /// Where to write the result; PEM may go to standard output.
    #[arg(long, short)]
    out: Option<String>,
    /// With `--to p12` or `--to jks`: the private key of the input certificate (without it,
    /// `--to jks` writes a truststore of the certificates).
    #[arg(long)]
    key: Option<String>,
    /// With `--to p12` or `--to jks`: issuer certificates to include. Repeatable.
    #[arg(long)]
    chain: Vec<String>,
    /// With `--to p12`: write the certificates as trusted entries that Java recognises (a
    /// truststore), without a key.
    #[arg(long, conflicts_with = "key")]
    truststore: bool,
    /// Password of the .p12 or keystore (read or written); without one it is asked for on the
    /// terminal.
    #[command(flatten)]
    password: PasswordArgs,
    /// With `--to p12` or `--to jks`: the password of an encrypted --key, from the first line
    /// of this file (or MTLSKIT_KEY_PASSWORD; else it is asked for on the terminal). For a Java
    /// keystore input: the key password when it differs from the store password.
    #[arg(long, value_name = "FILE")]
    key_password_file: Option<String>,
    /// With `--to p12`: 3DES/SHA-1 for old Java, macOS and Windows importers.
    #[arg(long)]
    legacy: bool,
    /// With `--to p12` or `--to jks`: the alias of the key entry (or of the one trusted
    /// certificate); default `mykey` for keys, the subject CN for trusted certificates.
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
    /// PKCS#12 (needs --key, or --truststore).
    P12,
    /// Java KeyStore, JKS (with --key: a key entry; without: a truststore).
    Jks,
}

/// Runs `mtlskit convert`.
pub fn run(arguments: &ConvertArgs) -> ExitCode {
    match convert(arguments) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(arguments.json),
    }
}

fn convert(arguments: &ConvertArgs) -> Result<(), CliError> {
    let mut request = request(arguments)?;
    let now = args::time(None)?;
    let converted = if writes_store(arguments.to) {
        let item = match arguments.to {
            Format::Jks => "JKS keystore",
            _ if arguments.truststore => "PKCS#12 truststore",
            _ => "PKCS#12 file",
        };
        request.password = Some(new_password(request.password.take(), item)?);
        call(&request, now)?
    } else {
        let question = format!("Password for {}: ", arguments.input);
        let password = request.password.take();
        args::with_password(password, &question, |password| {
            let request = ConvertRequest {
                password: password.cloned(),
                ..request.clone()
            };
            call(&request, now)
        })?
    };
    write(converted, arguments)
}

/// The API request for the command line: files read, labelled with their names.
fn request(arguments: &ConvertArgs) -> Result<ConvertRequest, CliError> {
    let read = |file: &str| -> Result<Input, CliError> {
        Ok(Input::named(file, files::read_input(file)?))
    };
    let key_file = arguments.key_password_file.as_deref();
    Ok(ConvertRequest {
        data: read(&arguments.input)?,
        to: match arguments.to {
            Format::Pem => api::Format::Pem,
            Format::Der => api::Format::Der,
            Format::P12 => api::Format::P12,
            Format::Jks => api::Format::Jks,
        },
        password: arguments.password.given()?,
        key_password: args::password_from(key_file, "MTLSKIT_KEY_PASSWORD")?,
        key: arguments.key.as_deref().map(read).transpose()?,
        chain: arguments
            .chain
            .iter()
            .map(|file| read(file))
            .collect::<Result<_, _>>()?,
        truststore: arguments.truststore,
        legacy: arguments.legacy,
        friendly_name: arguments.name.clone(),
    })
}

fn call(request: &ConvertRequest, now: UnixTime) -> Result<ConvertResponse, CliError> {
    Ok(api::convert(request, now, &mut args::rng())?)
}

/// Whether the output is a keystore protected by a password (not a conversion of a file
/// that already has one).
fn writes_store(to: Format) -> bool {
    matches!(to, Format::P12 | Format::Jks)
}

/// The password for a new file: the one given, else typed twice on a terminal.
fn new_password(password: Option<Password>, item: &'static str) -> Result<Password, CliError> {
    if let Some(password) = password {
        return Ok(password);
    }
    let question = format!("Password for the new {item}: ");
    args::prompt(&question, true)?.ok_or_else(|| no_file(Error::PasswordRequired { item }))
}

fn write(converted: ConvertResponse, arguments: &ConvertArgs) -> Result<(), CliError> {
    let ConvertResponse { kind, secret, .. } = converted;
    let contents = converted.contents.into_bytes();
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
        secret,
        kind,
        fingerprint_sha256: None,
    }];
    files::write_outputs(&outputs, arguments.force)?;
    report::report_written(&outputs, arguments.json);
    Ok(())
}

//! `mtlskit csr new` (create a CSR) and `mtlskit csr sign` (issue a certificate for one).

use std::process::ExitCode;

use clap::{Args, Subcommand};
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::decode::{self, Kind};
use mtlskit::issue::{self, CertificateParams, Issuer, PreparedRequest, RequestParams};

use super::args::{self, PasswordArgs, SubjectArgs, ValidityArgs};
use super::files::{self, Output};
use super::report::{self, CliError, no_file};

// `mtlskit csr ...`
#[derive(Debug, Args)]
pub struct CsrArgs {
    #[command(subcommand)]
    command: CsrCommand,
}

#[derive(Debug, Subcommand)]
enum CsrCommand {
    /// Create a certificate signing request (and, unless --key is given, a new key).
    New(NewArgs),
    /// Issue a certificate for a CSR, signed by a CA.
    Sign(SignArgs),
}

/// Arguments of `mtlskit csr new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Where to write the CSR (PEM).
    #[arg(long, short)]
    out: String,
    /// The existing private key; without it a new key is generated.
    #[arg(long)]
    key: Option<String>,
    /// Type of the new key: p256 (default), p384, ed25519, rsa2048, rsa3072, rsa4096.
    #[arg(long, default_value = "p256", conflicts_with = "key")]
    key_type: String,
    /// Where to write the new key (default: the CSR path with `.key`).
    #[arg(long, conflicts_with = "key")]
    key_out: Option<String>,
    /// Password of --key, if encrypted.
    #[command(flatten)]
    password: PasswordArgs,
    #[command(flatten)]
    subject: SubjectArgs,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
    /// Report as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mtlskit csr sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The CSR (PEM or DER).
    csr: String,
    /// Issuing CA certificate.
    #[arg(long)]
    ca: String,
    /// The issuing CA's private key.
    #[arg(long)]
    ca_key: String,
    /// Password of the CA key, if encrypted.
    #[command(flatten)]
    password: PasswordArgs,
    /// server (default), client, server+client or intermediate.
    #[arg(long, default_value = "server")]
    profile: String,
    /// Where to write the certificate (PEM).
    #[arg(long, short)]
    out: String,
    /// Replace the CSR's subject and add subjectAltNames.
    #[command(flatten)]
    subject: SubjectArgs,
    #[command(flatten)]
    validity: ValidityArgs,
    /// For intermediates: pathLenConstraint.
    #[arg(long)]
    path_length: Option<u8>,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
    /// Report as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `mtlskit csr ...`.
pub fn run(arguments: &CsrArgs) -> ExitCode {
    let (result, json) = match &arguments.command {
        CsrCommand::New(new) => (new_request(new), new.json),
        CsrCommand::Sign(sign) => (sign_request(sign), sign.json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(json),
    }
}

fn new_request(arguments: &NewArgs) -> Result<(), CliError> {
    let mut rng = args::rng();
    let (key, new_key) = match &arguments.key {
        Some(path) => (args::read_key(path, arguments.password.given()?)?, false),
        None => {
            let key_type: KeyType = arguments.key_type.parse().map_err(no_file)?;
            (
                SigningKey::generate(key_type, &mut rng).map_err(no_file)?,
                true,
            )
        }
    };
    let params = RequestParams {
        subject: arguments.subject.subject(),
        subject_alt_names: arguments.subject.subject_alt_names()?,
    };
    let request = issue::create_request(&params, &key).map_err(no_file)?;
    let mut outputs = vec![Output {
        path: arguments.out.clone().into(),
        contents: request.pem().map_err(no_file)?.into_bytes().into(),
        secret: false,
        kind: "certificate signing request",
        fingerprint_sha256: None,
    }];
    if new_key {
        outputs.push(files::new_key_output(
            &key,
            arguments.key_out.as_deref(),
            &arguments.out,
        )?);
    }
    files::write_outputs(&outputs, arguments.force)?;
    report::report_written(&outputs, arguments.json);
    Ok(())
}

fn sign_request(arguments: &SignArgs) -> Result<(), CliError> {
    let now = args::time(None)?;
    let request = read_request(&arguments.csr)?;
    let ca_certificate = files::read_certificate(&arguments.ca)?;
    let ca_key = args::read_key(&arguments.ca_key, arguments.password.given()?)?;
    let issuer =
        Issuer::new(&ca_certificate, ca_key).map_err(|e| CliError::in_file(e, &arguments.ca))?;
    let params = CertificateParams {
        profile: arguments.profile.parse().map_err(no_file)?,
        subject: arguments.subject.subject(),
        subject_alt_names: arguments.subject.subject_alt_names()?,
        validity: arguments.validity.validity()?,
        path_length: arguments.path_length,
        ..CertificateParams::default()
    };
    let prepared = issue::prepare_request(&request, &params)
        .map_err(|e| CliError::in_file(e, &arguments.csr))?;
    show_request(&prepared, &arguments.csr);
    let certificate = prepared
        .sign(&issuer, now, &mut args::rng())
        .map_err(|e| CliError::in_file(e, &arguments.csr))?;
    let outputs = [Output {
        path: arguments.out.clone().into(),
        contents: certificate.pem().map_err(no_file)?.into_bytes().into(),
        secret: false,
        kind: "certificate",
        fingerprint_sha256: Some(certificate.fingerprint_sha256()),
    }];
    files::write_outputs(&outputs, arguments.force)?;
    report::report_written(&outputs, arguments.json);
    Ok(())
}

/// Shows on standard error what the certificate will say, before anything is written.
fn show_request(prepared: &PreparedRequest, path: &str) {
    let names: Vec<String> = prepared
        .subject_alt_names
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut text = format!(
        "signing {path} as a {} certificate:\n  subject: {}\n  names:   {}\n  key:     {}\n",
        prepared.profile,
        prepared.subject,
        if names.is_empty() {
            "(none)".to_owned()
        } else {
            names.join(", ")
        },
        prepared.key_type,
    );
    if !prepared.ignored_extensions.is_empty() {
        text.push_str(&format!(
            "  not copied (the profile decides): {}\n",
            prepared.ignored_extensions.join(", ")
        ));
    }
    eprint!("{text}");
}

fn read_request(path: &str) -> Result<Vec<u8>, CliError> {
    let bytes = files::read_input(path)?;
    let blocks = decode::blocks(&bytes).map_err(|e| CliError::in_file(e, path))?;
    for block in blocks {
        let block = block.map_err(|e| CliError::in_file(e, path))?;
        if decode::sniff(block.label.as_deref(), &block.der) == Ok(Kind::Csr) {
            return Ok(block.der);
        }
    }
    let error = mtlskit::Error::UnrecognizedInput {
        detail: "no certificate signing request in this file".into(),
    };
    Err(CliError::in_file(error, path))
}

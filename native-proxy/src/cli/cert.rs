//! `mtlskit cert new`: issue a certificate by profile, self-signed or signed by a CA.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::issue::{self, CertificateParams, Issuer, NameConstraint, Profile};

use super::args::{self, SubjectArgs, ValidityArgs};
use super::files::{self, Output};
use super::report::{self, CliError, no_file};

// `mtlskit cert ...`
#[derive(Debug, Args)]
pub struct CertArgs {
    #[command(subcommand)]
    command: CertCommand,
}

#[derive(Debug, Subcommand)]
enum CertCommand {
    /// Issue a new certificate (and, unless --key is given, a new key).
    New(NewArgs),
}

/// Arguments of `mtlskit cert new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// root, intermediate, server, client or server+client.
    #[arg(long, default_value = "server")]
    profile: String,
    /// Where to write the certificate (PEM).
    #[arg(long, short)]
    out: String,
    /// The subject's existing private key; without it a new key is generated.
    #[arg(long)]
    key: Option<String>,
    /// Type of the new key: p256 (default), p384, ed25519, rsa2048, rsa3072, rsa4096.
    #[arg(long, default_value = "p256", conflicts_with = "key")]
    key_type: String,
    /// Where to write the new key (default: the certificate path with `.key`).
    #[arg(long, conflicts_with = "key")]
    key_out: Option<String>,
    /// Issuing CA certificate; without it the certificate is self-signed.
    #[arg(long, requires = "ca_key")]
    ca: Option<String>,
    /// The issuing CA's private key.
    #[arg(long, requires = "ca")]
    ca_key: Option<String>,
    /// Password of --key, if encrypted: the first line of this file (or MTLSKIT_KEY_PASSWORD;
    /// else it is asked for on the terminal).
    #[arg(long, value_name = "FILE", requires = "key")]
    key_password_file: Option<String>,
    /// Password of --ca-key, if encrypted: the first line of this file (or
    /// MTLSKIT_CA_KEY_PASSWORD; else it is asked for on the terminal).
    #[arg(long, value_name = "FILE", requires = "ca_key")]
    ca_key_password_file: Option<String>,
    #[command(flatten)]
    subject: SubjectArgs,
    #[command(flatten)]
    validity: ValidityArgs,
    /// For CAs: pathLenConstraint.
    #[arg(long)]
    path_length: Option<u8>,
    /// For CAs: permitted name (DNS domain, IP/prefix, email:domain). Repeatable.
    #[arg(long = "permit", value_name = "NAME")]
    permitted: Vec<String>,
    /// For CAs: excluded name. Repeatable.
    #[arg(long = "exclude", value_name = "NAME")]
    excluded: Vec<String>,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
    /// Report as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `mtlskit cert ...`.
pub fn run(arguments: &CertArgs) -> ExitCode {
    match &arguments.command {
        CertCommand::New(new) => match new_certificate(new) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => error.report(new.json),
        },
    }
}

fn new_certificate(arguments: &NewArgs) -> Result<(), CliError> {
    let now = args::time(None)?;
    let params = params(arguments)?;
    let mut rng = args::rng();
    let (key, new_key) = match &arguments.key {
        Some(path) => {
            let file = arguments.key_password_file.as_deref();
            let password = args::password_from(file, "MTLSKIT_KEY_PASSWORD")?;
            (args::read_key(path, password)?, false)
        }
        None => {
            let key_type: KeyType = arguments.key_type.parse().map_err(no_file)?;
            (
                SigningKey::generate(key_type, &mut rng).map_err(no_file)?,
                true,
            )
        }
    };
    let certificate = match (&arguments.ca, &arguments.ca_key) {
        (Some(ca), Some(ca_key)) => {
            let ca_certificate = files::read_certificate(ca)?;
            let file = arguments.ca_key_password_file.as_deref();
            let password = args::password_from(file, "MTLSKIT_CA_KEY_PASSWORD")?;
            let ca_key = args::read_key(ca_key, password)?;
            let issuer =
                Issuer::new(&ca_certificate, ca_key).map_err(|e| CliError::in_file(e, ca))?;
            issue::signed(&params, key.public_key(), &issuer, now, &mut rng)
        }
        _ if params.profile == Profile::Intermediate => Err(mtlskit::Error::InvalidProfile {
            detail: "an intermediate CA is signed by another CA: give --ca and --ca-key".into(),
        }),
        _ => issue::self_signed(&params, &key, now, &mut rng),
    }
    .map_err(no_file)?;
    let mut outputs = vec![Output {
        path: arguments.out.clone().into(),
        contents: certificate.pem().map_err(no_file)?.into_bytes().into(),
        secret: false,
        kind: "certificate",
        fingerprint_sha256: Some(certificate.fingerprint_sha256()),
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

fn params(arguments: &NewArgs) -> Result<CertificateParams, CliError> {
    let constraints = |names: &[String]| -> Result<Vec<NameConstraint>, CliError> {
        names
            .iter()
            .map(|name| name.parse().map_err(no_file))
            .collect()
    };
    Ok(CertificateParams {
        profile: arguments.profile.parse().map_err(no_file)?,
        subject: arguments.subject.subject(),
        subject_alt_names: arguments.subject.subject_alt_names()?,
        validity: arguments.validity.validity()?,
        path_length: arguments.path_length,
        permitted_names: constraints(&arguments.permitted)?,
        excluded_names: constraints(&arguments.excluded)?,
        serial: None,
    })
}

//! `mtlskit key new`: generate a private key (PKCS#8 PEM, optionally encrypted).

use std::process::ExitCode;

use clap::{Args, Subcommand};
use mtlskit::crypto::{KeyType, SigningKey};

use super::args;
use super::files::{self, Output};
use super::report::{self, CliError, no_file};

/// `mtlskit key ...`
#[derive(Debug, Args)]
pub struct KeyArgs {
    #[command(subcommand)]
    command: KeyCommand,
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
    /// Generate a new private key.
    New(NewArgs),
}

/// Arguments of `mtlskit key new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Key type: p256 (default), p384, ed25519, rsa2048, rsa3072, rsa4096.
    #[arg(long = "type", value_name = "TYPE", default_value = "p256")]
    key_type: String,
    /// Where to write the key (mode 0600); without it the PEM goes to standard output.
    #[arg(long, short)]
    out: Option<String>,
    /// Encrypt the key (PKCS#8, PBES2 AES-256-CBC) with this password.
    #[arg(long)]
    password: Option<String>,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
    /// Report as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `mtlskit key ...`.
pub fn run(arguments: &KeyArgs) -> ExitCode {
    match &arguments.command {
        KeyCommand::New(new) => match new_key(new) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => error.report(new.json),
        },
    }
}

fn new_key(arguments: &NewArgs) -> Result<(), CliError> {
    let key_type: KeyType = arguments.key_type.parse().map_err(no_file)?;
    let mut rng = args::rng();
    let key = SigningKey::generate(key_type, &mut rng).map_err(no_file)?;
    let pem = match &arguments.password {
        Some(password) => key.to_encrypted_pkcs8_pem(password, &mut rng),
        None => key.to_pkcs8_pem(),
    }
    .map_err(no_file)?;
    let Some(path) = &arguments.out else {
        report::write_stdout(&pem);
        return Ok(());
    };
    let outputs = [Output {
        path: path.into(),
        contents: pem.into_bytes(),
        secret: true,
        kind: "private key",
        fingerprint_sha256: None,
    }];
    files::write_outputs(&outputs, arguments.force)?;
    report::report_written(&outputs, arguments.json);
    Ok(())
}

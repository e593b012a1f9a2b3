//! `mtlskit key new`: generate a private key (PKCS#8 PEM, optionally encrypted).

use std::process::ExitCode;

use clap::{Args, Subcommand};
use mtlskit::crypto::{KeyType, SigningKey};

use mtlskit::secret::Password;
use zeroize::Zeroizing;

use super::args::{self, PasswordArgs};
use super::files::{self, Output};
use super::report::{self, CliError, no_file};

// `mtlskit key ...`
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
    #[command(flatten)]
    password: PasswordArgs,
    /// Encrypt the key with the password in MTLSKIT_PASSWORD, or typed twice on the terminal.
    #[arg(long)]
    encrypt: bool,
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
    let pem = match new_key_password(arguments)? {
        Some(password) => key
            .to_encrypted_pkcs8_pem(&password, &mut rng)
            .map(Zeroizing::new),
        None => key.to_pkcs8_pem(),
    }
    .map_err(no_file)?;
    let Some(path) = &arguments.out else {
        report::write_stdout(pem.as_str());
        return Ok(());
    };
    let outputs = [Output {
        path: path.into(),
        contents: pem.into(),
        secret: true,
        kind: "private key",
        fingerprint_sha256: None,
    }];
    files::write_outputs(&outputs, arguments.force)?;
    report::report_written(&outputs, arguments.json);
    Ok(())
}

/// The password to encrypt a new key with, when one is asked for (`--password`,
/// `--password-file`, or `--encrypt` with MTLSKIT_PASSWORD or the terminal).
fn new_key_password(arguments: &NewArgs) -> Result<Option<Password>, CliError> {
    let flags = &arguments.password;
    if !arguments.encrypt && flags.password.is_none() && flags.password_file.is_none() {
        return Ok(None);
    }
    if let Some(password) = flags.given()? {
        return Ok(Some(password));
    }
    args::prompt("Password for the new key: ", true)?
        .map(Some)
        .ok_or_else(|| {
            no_file(mtlskit::Error::PasswordRequired {
                item: "new private key",
            })
        })
}

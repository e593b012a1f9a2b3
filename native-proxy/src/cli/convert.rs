//! `mtlskit convert`: PEM <-> DER for certificates, CSRs and keys; key + certificate (+
//! chain) to `.p12` or `.jks`; CA certificates to a Java truststore (`.jks`, `.p12`); `.p12`,
//! `.jks` and `.jceks` back to PEM.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mtlskit::Error;
use mtlskit::crypto::SigningKey;
use mtlskit::decode::{self, Block, Kind};
use mtlskit::issue::bundle;
use mtlskit::pkcs12::{self, ExportParams};
use mtlskit::secret::{Password, SecretBytes};
use zeroize::Zeroizing;

use super::args::{self, PasswordArgs};
use super::files::{self, Output};
use super::java;
use super::report::{self, CliError, no_file};

/// Arguments of `mtlskit convert`.
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
    let input = &arguments.input;
    let password = arguments.password.given()?;
    let (contents, secret, kind) = match arguments.to {
        Format::P12 if arguments.truststore => {
            let (certificates, params) = truststore_inputs(arguments, password)?;
            let name = arguments.name.as_deref();
            let store = java::to_p12_truststore(&certificates, name, &params)?;
            (store.into(), false, "Java truststore (PKCS#12)")
        }
        Format::P12 => (to_p12(arguments, password)?, true, "PKCS#12 file"),
        Format::Jks => to_jks(arguments, password)?,
        Format::Pem | Format::Der => {
            let blocks = read_blocks(input)?;
            let first_kind = blocks.first().map(|(_, kind)| *kind);
            match (first_kind, arguments.to) {
                (Some(Kind::JavaKeystore), _) => {
                    let der = blocks.first().map(|(block, _)| block.der.as_slice());
                    let key_file = arguments.key_password_file.as_deref();
                    let key_password = args::password_from(key_file, "MTLSKIT_KEY_PASSWORD")?;
                    let der = der.unwrap_or_default();
                    let pem = java::keystore_to_pem(der, password, key_password, input)?;
                    (pem, true, "PEM keys and certificates")
                }
                (Some(Kind::Pkcs12), _) => (
                    p12_to_pem(&blocks, password, input)?,
                    true,
                    "PEM key and certificates",
                ),
                (_, Format::Der) => to_der(&blocks, input)?,
                _ => to_pem(&blocks, input)?,
            }
        }
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
        secret,
        kind,
        fingerprint_sha256: None,
    }];
    files::write_outputs(&outputs, arguments.force)?;
    report::report_written(&outputs, arguments.json);
    Ok(())
}

fn read_blocks(path: &str) -> Result<Vec<(Block, Kind)>, CliError> {
    let bytes = files::read_input(path)?;
    let blocks = decode::blocks(&bytes).map_err(|e| CliError::in_file(e, path))?;
    let mut found = Vec::new();
    for block in blocks {
        let block = block.map_err(|e| CliError::in_file(e, path))?;
        let kind = decode::sniff(block.label.as_deref(), &block.der)
            .map_err(|e| CliError::in_file(e, path))?;
        if kind != Kind::EcParameters {
            found.push((block, kind));
        }
    }
    Ok(found)
}

fn to_pem(
    blocks: &[(Block, Kind)],
    path: &str,
) -> Result<(SecretBytes, bool, &'static str), CliError> {
    let mut text = String::new();
    let mut secret = false;
    for (block, kind) in blocks {
        let label = pem_label(*kind);
        secret |= label.contains("PRIVATE");
        text.push_str(&pem(label, &block.der).map_err(|e| CliError::in_file(e, path))?);
    }
    Ok((text.into_bytes().into(), secret, "PEM"))
}

fn to_der(
    blocks: &[(Block, Kind)],
    path: &str,
) -> Result<(SecretBytes, bool, &'static str), CliError> {
    match blocks {
        [(block, kind)] => Ok((
            block.der.clone().into(),
            pem_label(*kind).contains("PRIVATE"),
            kind.name(),
        )),
        _ => Err(CliError::in_file(
            Error::Io {
                detail: format!(
                    "a DER file holds one item and this input has {}: split it, or use `mtlskit bundle` / --to p12",
                    blocks.len()
                ),
            },
            path,
        )),
    }
}

fn p12_to_pem(
    blocks: &[(Block, Kind)],
    password: Option<Password>,
    path: &str,
) -> Result<SecretBytes, CliError> {
    let der = blocks
        .first()
        .map(|(block, _)| block.der.as_slice())
        .unwrap_or_default();
    let question = format!("Password for {path}: ");
    let contents = args::with_password(password, &question, |password| {
        let password = password.ok_or_else(|| {
            let error = Error::PasswordRequired {
                item: "PKCS#12 file",
            };
            CliError::in_file(error, path)
        })?;
        pkcs12::read(der, password).map_err(|e| CliError::in_file(e, path))
    })?;
    let mut text = Zeroizing::new(String::new());
    for key in &contents.keys {
        text.push_str(&Zeroizing::new(
            pem("PRIVATE KEY", &key.der).map_err(no_file)?,
        ));
    }
    let certificates: Vec<Vec<u8>> = contents
        .certificates
        .iter()
        .map(|item| item.der.clone())
        .collect();
    let ordered = bundle::order(&certificates, true)
        .map(|chain| chain.certificates)
        .unwrap_or(certificates);
    for certificate in &ordered {
        text.push_str(&pem("CERTIFICATE", certificate).map_err(no_file)?);
    }
    Ok(text.into())
}

fn to_p12(arguments: &ConvertArgs, password: Option<Password>) -> Result<SecretBytes, CliError> {
    let password = new_password(password, "PKCS#12 file")?;
    let (key, ordered, key_path) = key_and_chain(arguments, "--to p12")?;
    let (leaf, chain) = ordered
        .split_first()
        .ok_or_else(|| no_file(Error::EmptyInput))?;
    let params = ExportParams {
        password,
        friendly_name: arguments.name.clone(),
        legacy: arguments.legacy,
        ..ExportParams::default()
    };
    pkcs12::write(&key, leaf, chain, &params, &mut args::rng())
        .map(SecretBytes::from)
        .map_err(|e| CliError::in_file(e, key_path))
}

/// The password for a new file: the one given, else typed twice on a terminal.
fn new_password(password: Option<Password>, item: &'static str) -> Result<Password, CliError> {
    if let Some(password) = password {
        return Ok(password);
    }
    let question = format!("Password for the new {item}: ");
    args::prompt(&question, true)?.ok_or_else(|| no_file(Error::PasswordRequired { item }))
}

/// `--to jks`: a key entry with `--key`, a truststore of the certificates without.
fn to_jks(
    arguments: &ConvertArgs,
    password: Option<Password>,
) -> Result<(SecretBytes, bool, &'static str), CliError> {
    let password = new_password(password, "JKS keystore")?;
    let name = arguments.name.as_deref();
    if arguments.key.is_none() {
        let certificates = certificate_inputs(arguments)?;
        let store = java::to_jks(None, &certificates, name, password.as_str())?;
        return Ok((store.into(), false, "Java truststore (JKS)"));
    }
    let (key, chain, _) = key_and_chain(arguments, "--to jks")?;
    let store = java::to_jks(Some(&key), &chain, name, password.as_str())?;
    Ok((store.into(), true, "Java keystore (JKS)"))
}

/// The certificates and protection of `--to p12 --truststore`.
fn truststore_inputs(
    arguments: &ConvertArgs,
    password: Option<Password>,
) -> Result<(Vec<Vec<u8>>, ExportParams), CliError> {
    let password = new_password(password, "PKCS#12 truststore")?;
    let params = ExportParams {
        password,
        legacy: arguments.legacy,
        ..ExportParams::default()
    };
    Ok((certificate_inputs(arguments)?, params))
}

/// Every certificate of the input and the `--chain` files, in order.
fn certificate_inputs(arguments: &ConvertArgs) -> Result<Vec<Vec<u8>>, CliError> {
    let mut certificates = files::read_certificates(&arguments.input)?;
    for file in &arguments.chain {
        certificates.extend(files::read_certificates(file)?);
    }
    Ok(certificates)
}

/// The `--key` (opened with its own password if encrypted: `--key-password-file`,
/// MTLSKIT_KEY_PASSWORD or the terminal) and the certificates ordered leaf first.
fn key_and_chain<'a>(
    arguments: &'a ConvertArgs,
    target: &str,
) -> Result<(SigningKey, Vec<Vec<u8>>, &'a str), CliError> {
    let Some(key_path) = &arguments.key else {
        let error = Error::InvalidProfile {
            detail: format!("{target} needs the private key: --key FILE"),
        };
        return Err(no_file(error));
    };
    let certificates = certificate_inputs(arguments)?;
    let file = arguments.key_password_file.as_deref();
    let key = args::read_key(key_path, args::password_from(file, "MTLSKIT_KEY_PASSWORD")?)?;
    // keep a root if one was given, but do not require it
    let ordered = bundle::order(&certificates, true)
        .or_else(|_| bundle::order(&certificates, false))
        .map_err(no_file)?
        .certificates;
    Ok((key, ordered, key_path))
}

fn pem_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Certificate => "CERTIFICATE",
        Kind::Csr => "CERTIFICATE REQUEST",
        Kind::Crl => "X509 CRL",
        Kind::Pkcs8PrivateKey => "PRIVATE KEY",
        Kind::EncryptedPkcs8PrivateKey => "ENCRYPTED PRIVATE KEY",
        Kind::RsaPrivateKey => "RSA PRIVATE KEY",
        Kind::EcPrivateKey => "EC PRIVATE KEY",
        Kind::PublicKey => "PUBLIC KEY",
        Kind::RsaPublicKey => "RSA PUBLIC KEY",
        Kind::Pkcs7 => "PKCS7",
        Kind::Pkcs12 => "PKCS12",
        Kind::EcParameters => "EC PARAMETERS",
        Kind::JavaKeystore => "JAVA KEYSTORE",
    }
}

fn pem(label: &str, der: &[u8]) -> Result<String, Error> {
    mtlskit::crypto::keys::pem(label, der)
}

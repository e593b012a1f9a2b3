//! What the issuing commands (`key`, `cert`, `csr`, `convert`, `bundle`, `pki`) share:
//! subject and validity options, the OS random number generator, reading keys and
//! certificates, and writing outputs safely.
//!
//! Outputs are written all-or-nothing: every target is checked first (nothing is overwritten
//! without `--force`), then each file is written under a temporary name in its directory,
//! private keys created with mode 0600, and only when all are written are they renamed into
//! place. On any error the temporary files, and files renamed into place that did not exist
//! before, are removed (a file replaced under `--force` cannot be restored).

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use mtlskit::crypto::SigningKey;
use mtlskit::decode::{self, Kind};
use mtlskit::issue::{Subject, SubjectAltName, Validity};
use mtlskit::{Error, UnixTime};
use serde_json::json;

use super::output::{self, CliError};

/// Subject and subjectAltName options.
#[derive(Debug, Args, Default)]
pub struct SubjectArgs {
    /// Common name (CN).
    #[arg(long)]
    pub cn: Option<String>,
    /// Organization (O).
    #[arg(long = "org", value_name = "O")]
    pub organization: Option<String>,
    /// Organizational unit (OU).
    #[arg(long = "ou", value_name = "OU")]
    pub organizational_unit: Option<String>,
    /// Country, two letters (C).
    #[arg(long, value_name = "C")]
    pub country: Option<String>,
    /// State or province (ST).
    #[arg(long, value_name = "ST")]
    pub state: Option<String>,
    /// Locality, e.g. the city (L).
    #[arg(long, value_name = "L")]
    pub locality: Option<String>,
    /// emailAddress attribute of the subject.
    #[arg(long = "subject-email", value_name = "EMAIL")]
    pub email: Option<String>,
    /// Subject alternative name: DNS name, IP address, email, URI; `DNS:`, `IP:`, `email:`,
    /// `URI:` prefixes force the kind. Repeat for several.
    #[arg(long = "san", value_name = "NAME")]
    pub subject_alt_names: Vec<String>,
}

impl SubjectArgs {
    /// The subject these options describe.
    pub fn subject(&self) -> Subject {
        Subject {
            country: self.country.clone(),
            state: self.state.clone(),
            locality: self.locality.clone(),
            organization: self.organization.clone(),
            organizational_unit: self.organizational_unit.clone(),
            common_name: self.cn.clone(),
            email: self.email.clone(),
        }
    }

    /// The parsed subjectAltNames.
    pub fn subject_alt_names(&self) -> Result<Vec<SubjectAltName>, CliError> {
        self.subject_alt_names
            .iter()
            .map(|name| name.parse().map_err(no_file))
            .collect()
    }
}

/// Validity options.
#[derive(Debug, Args, Default)]
pub struct ValidityArgs {
    /// Lifetime in days (default: root 3650, intermediate 1825, leaves 398).
    #[arg(long)]
    pub days: Option<u32>,
    /// Start of validity, RFC 3339 (default: five minutes ago).
    #[arg(long, value_name = "RFC3339")]
    pub not_before: Option<String>,
    /// End of validity, RFC 3339.
    #[arg(long, value_name = "RFC3339", conflicts_with = "days")]
    pub not_after: Option<String>,
}

impl ValidityArgs {
    /// The validity these options describe.
    pub fn validity(&self) -> Result<Validity, CliError> {
        let parse = |text: &Option<String>| {
            text.as_deref()
                .map(UnixTime::parse_rfc3339)
                .transpose()
                .map_err(no_file)
        };
        Ok(Validity {
            not_before: parse(&self.not_before)?,
            not_after: parse(&self.not_after)?,
            days: self.days,
        })
    }
}

/// The operating system's random number generator (the core takes it as an argument).
pub fn rng() -> rand::rngs::ThreadRng {
    rand::rng()
}

/// Wraps a core error that concerns no particular file.
pub fn no_file(error: Error) -> CliError {
    CliError { error, file: None }
}

/// Reads the private key in `path`.
pub fn read_key(path: &str, password: Option<&str>) -> Result<SigningKey, CliError> {
    let bytes = output::read_input(path)?;
    SigningKey::from_bytes(&bytes, password).map_err(|error| CliError::in_file(error, path))
}

/// Reads every certificate in `path` (PEM with any number of blocks, or DER), as DER.
pub fn read_certificates(path: &str) -> Result<Vec<Vec<u8>>, CliError> {
    let bytes = output::read_input(path)?;
    let blocks = decode::blocks(&bytes).map_err(|error| CliError::in_file(error, path))?;
    let mut certificates = Vec::new();
    for block in blocks {
        let block = block.map_err(|error| CliError::in_file(error, path))?;
        if decode::sniff(block.label.as_deref(), &block.der) == Ok(Kind::Certificate) {
            certificates.push(block.der);
        }
    }
    if certificates.is_empty() {
        let error = Error::UnrecognizedInput {
            detail: "no certificate in this file".into(),
        };
        return Err(CliError::in_file(error, path));
    }
    Ok(certificates)
}

/// Reads the one certificate in `path` (the first, if there are several).
pub fn read_certificate(path: &str) -> Result<Vec<u8>, CliError> {
    let mut certificates = read_certificates(path)?;
    Ok(certificates.swap_remove(0))
}

/// A file to write.
#[derive(Debug)]
pub struct Output {
    /// Where.
    pub path: PathBuf,
    /// What.
    pub contents: Vec<u8>,
    /// Whether it holds a private key: created with mode 0600.
    pub secret: bool,
    /// What it is, for the report (`certificate`, `private key`...).
    pub kind: &'static str,
    /// SHA-256 fingerprint, for certificates.
    pub fingerprint_sha256: Option<String>,
}

/// Writes every output, or none of them (see the module documentation).
/// The PEM file for a newly generated `key`: `key_out`, or `out` with the extension `.key`.
pub fn new_key_output(
    key: &SigningKey,
    key_out: Option<&str>,
    out: &str,
) -> Result<Output, CliError> {
    let path = key_out.map_or_else(|| Path::new(out).with_extension("key"), PathBuf::from);
    Ok(Output {
        path,
        contents: key.to_pkcs8_pem().map_err(no_file)?.into_bytes(),
        secret: true,
        kind: "private key",
        fingerprint_sha256: None,
    })
}

pub fn write_outputs(outputs: &[Output], force: bool) -> Result<(), CliError> {
    for output in outputs {
        if !force && output.path.exists() {
            let path = output.path.display().to_string();
            return Err(CliError::in_file(
                Error::OutputExists { path: path.clone() },
                &path,
            ));
        }
    }
    let mut temporary: Vec<PathBuf> = Vec::new();
    for output in outputs {
        let temp_path = temp_path(&output.path);
        temporary.push(temp_path.clone());
        if let Err(error) = create(&temp_path, &output.contents, output.secret) {
            remove_all(&temporary);
            return Err(io_error(&output.path, &error));
        }
    }
    let existed: Vec<bool> = outputs.iter().map(|output| output.path.exists()).collect();
    for (index, (output, temp_path)) in outputs.iter().zip(&temporary).enumerate() {
        if let Err(error) = fs::rename(temp_path, &output.path) {
            remove_all(&temporary);
            // undo the renames done so far, for files that did not exist before
            let renamed = outputs.iter().zip(&existed).take(index);
            for (done, _) in renamed.filter(|(_, existed)| !**existed) {
                let _ = fs::remove_file(&done.path);
            }
            return Err(io_error(&output.path, &error));
        }
    }
    Ok(())
}

/// Prints what was written: one line per file, or `{"written": [...]}` as JSON.
pub fn report_written(outputs: &[Output], json: bool) {
    if json {
        let files: Vec<_> = outputs
            .iter()
            .map(|output| {
                json!({
                    "path": output.path.display().to_string(),
                    "kind": output.kind,
                    "fingerprint_sha256": output.fingerprint_sha256,
                })
            })
            .collect();
        output::write_stdout(&format!("{:#}\n", json!({ "written": files })));
        return;
    }
    for output in outputs {
        let mode = if output.secret { " (mode 0600)" } else { "" };
        eprintln!("wrote {} ({}){mode}", output.path.display(), output.kind);
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn create(path: &Path, contents: &[u8], secret: bool) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if secret { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = secret;
    // No fsync: all-or-nothing is about errors, and openssl does not sync either; syncing
    // thirteen files tripled the wall time of `pki init`.
    options.open(path)?.write_all(contents)
}

fn remove_all(paths: &[PathBuf]) {
    for path in paths {
        let _ = fs::remove_file(path);
    }
}

fn io_error(path: &Path, error: &std::io::Error) -> CliError {
    let path = path.display().to_string();
    CliError::in_file(
        Error::Io {
            detail: format!("cannot write {path}: {error}"),
        },
        &path,
    )
}

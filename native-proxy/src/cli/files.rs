//! Reading inputs and writing outputs.
//!
//! Outputs are written all-or-nothing: every target is checked first (nothing is overwritten
//! without `--force`), then each file is written under a temporary name in its directory,
//! private keys created with mode 0600, and only when all are written are they renamed into
//! place. On any error the temporary files, and files renamed into place that did not exist
//! before, are removed (a file replaced under `--force` cannot be restored).

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use mtlskit::Error;
use mtlskit::crypto::SigningKey;
use mtlskit::decode::{self, Kind};
use mtlskit::secret::SecretBytes;

use super::report::{CliError, no_file};

/// The bytes of `path`, or of standard input for `-`.
pub fn read_input(path: &str) -> Result<Vec<u8>, CliError> {
    let result = if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map(|_| bytes)
    } else {
        fs::read(path)
    };
    result.map_err(|io| {
        CliError::in_file(
            Error::Io {
                detail: io.to_string(),
            },
            path,
        )
    })
}

/// Reads the private key in `path`.
pub fn read_key(path: &str, password: Option<&str>) -> Result<SigningKey, CliError> {
    let bytes = read_input(path)?;
    SigningKey::from_bytes(&bytes, password).map_err(|error| CliError::in_file(error, path))
}

/// Reads every certificate in `path` (PEM with any number of blocks, or DER), as DER.
pub fn read_certificates(path: &str) -> Result<Vec<Vec<u8>>, CliError> {
    let bytes = read_input(path)?;
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
    /// What (wiped when dropped: keys and `.p12` files are among outputs).
    pub contents: SecretBytes,
    /// Whether it holds a private key: created with mode 0600.
    pub secret: bool,
    /// What it is, for the report (`certificate`, `private key`...).
    pub kind: &'static str,
    /// SHA-256 fingerprint, for certificates.
    pub fingerprint_sha256: Option<String>,
}

/// The PEM file for a newly generated `key`: `key_out`, or `out` with the extension `.key`.
pub fn new_key_output(
    key: &SigningKey,
    key_out: Option<&str>,
    out: &str,
) -> Result<Output, CliError> {
    let path = key_out.map_or_else(|| Path::new(out).with_extension("key"), PathBuf::from);
    Ok(Output {
        path,
        contents: key.to_pkcs8_pem().map_err(no_file)?.into(),
        secret: true,
        kind: "private key",
        fingerprint_sha256: None,
    })
}

/// Writes every output, or none of them (see the module documentation).
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

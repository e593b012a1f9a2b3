//! Shared output conventions: the clock, passwords, reading inputs, printing errors.

use std::{
    io::{IsTerminal, Read, Write},
    process::ExitCode,
    time::{SystemTime, UNIX_EPOCH},
};

use mtlskit::{Error, UnixTime};
use serde_json::json;

/// An error from the core, with the file it concerns.
#[derive(Debug)]
pub struct CliError {
    /// What went wrong.
    pub error: Error,
    /// The file (or `-`) it concerns, when there is one.
    pub file: Option<String>,
}

impl CliError {
    /// An error about `file`.
    pub fn in_file(error: Error, file: &str) -> Self {
        Self {
            error,
            file: Some(file.to_owned()),
        }
    }

    /// Prints the error (as JSON with `json`) and returns exit code 2.
    pub fn report(&self, json: bool) -> ExitCode {
        if json {
            let value = json!({"error": {
                "code": self.error.code(),
                "message": self.error.to_string(),
                "file": self.file,
            }});
            write_stdout(&format!("{value:#}\n"));
        } else {
            let file = self
                .file
                .as_ref()
                .map(|file| format!(" ({file})"))
                .unwrap_or_default();
            eprintln!("error[{}]: {}{file}", self.error.code(), self.error);
        }
        ExitCode::from(2)
    }
}

/// The current time, or `--at` when given.
pub fn time(at: Option<&str>) -> Result<UnixTime, CliError> {
    if let Some(text) = at {
        return UnixTime::parse_rfc3339(text).map_err(|error| CliError { error, file: None });
    }
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Ok(UnixTime(i64::try_from(seconds).unwrap_or(i64::MAX)))
}

/// The password from `--password`, `--password-file` (first line) or `MTLSKIT_PASSWORD`.
pub fn password(direct: Option<&str>, file: Option<&str>) -> Result<Option<String>, CliError> {
    if let Some(password) = direct {
        return Ok(Some(password.to_owned()));
    }
    if let Some(path) = file {
        let bytes = read_input(path)?;
        let text = String::from_utf8_lossy(&bytes);
        return Ok(Some(text.lines().next().unwrap_or_default().to_owned()));
    }
    Ok(std::env::var("MTLSKIT_PASSWORD").ok())
}

/// The bytes of `path`, or of standard input for `-`.
pub fn read_input(path: &str) -> Result<Vec<u8>, CliError> {
    let result = if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map(|_| bytes)
    } else {
        std::fs::read(path)
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

/// Whether to colour text on standard output.
pub fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Writes to standard output; a closed pipe (`mtlskit inspect ... | head`) is not an error.
pub fn write_stdout(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

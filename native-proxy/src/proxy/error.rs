//! The proxy's errors: a stable code, a sentence, and the file or configuration field it
//! concerns, printed like every other `mtlskit` error (`error[Code]: message (where)`).

use std::fmt;
use std::process::ExitCode;

use serde_json::json;

use crate::cli::report::{self, CliError};

/// A configuration, file or startup problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyError {
    /// Stable code, e.g. `ConfigInvalid`, `KeyMismatch`, or a core error code.
    pub code: &'static str,
    /// What is wrong, one or a few sentences.
    pub message: String,
    /// The file or configuration field it concerns (`mtlskit.toml: listener[0].tls.min_version`).
    pub location: Option<String>,
}

impl ProxyError {
    /// An error with a code and a message, about nothing in particular.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            location: None,
        }
    }

    /// An invalid configuration value at `field`.
    pub fn config(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new("ConfigInvalid", message).at(field)
    }

    /// The same error about `location`.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// A core error about `file`.
    pub fn core(error: &mtlskit::Error, file: impl Into<String>) -> Self {
        Self::new(error.code(), error.to_string()).at(file)
    }

    /// Prints the error (as JSON with `json`) and returns exit code 2.
    pub fn report(&self, json: bool) -> ExitCode {
        if json {
            let value = json!({"error": {
                "code": self.code,
                "message": self.message,
                "file": self.location,
            }});
            report::write_stdout(&format!("{value:#}\n"));
        } else {
            eprintln!("error[{}]: {self}", self.code);
        }
        ExitCode::from(2)
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match &self.location {
            Some(location) => write!(f, " ({location})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ProxyError {}

impl From<CliError> for ProxyError {
    fn from(error: CliError) -> Self {
        let mut converted = Self::new(error.error.code(), error.error.to_string());
        converted.location = error.file;
        converted
    }
}

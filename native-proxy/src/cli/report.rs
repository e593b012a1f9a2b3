//! What commands print: coded errors (`error[Code]: message (file)`, or `{"error": {...}}`
//! with `--json`, exit code 2), JSON and text on standard output, the list of written files.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use mtlskit::Error;
use mtlskit::api::ApiError;
use serde_json::json;

use super::files::Output;

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

    /// Prints the error (as JSON with `json`: its code, typed fields, message and file) and
    /// returns exit code 2.
    pub fn report(&self, json: bool) -> ExitCode {
        let message = format!("{}{}", self.error, command_line_hint(&self.error));
        if json {
            let mut value = serde_json::to_value(&self.error).unwrap_or_else(|_| json!({}));
            if let Some(fields) = value.as_object_mut() {
                fields.insert("message".into(), message.into());
                fields.insert("file".into(), self.file.clone().into());
            }
            write_stdout(&format!("{:#}\n", json!({ "error": value })));
        } else {
            let file = self
                .file
                .as_ref()
                .map(|file| format!(" ({file})"))
                .unwrap_or_default();
            eprintln!("error[{}]: {message}{file}", self.error.code());
        }
        ExitCode::from(2)
    }
}

impl From<ApiError> for CliError {
    fn from(error: ApiError) -> Self {
        Self {
            error: error.error,
            file: error.input,
        }
    }
}

/// What the command line adds to the core's message: the flags that fix it (the core does
/// not know about flags).
fn command_line_hint(error: &Error) -> &'static str {
    match error {
        Error::PasswordRequired { .. } => " (--password, --password-file or MTLSKIT_PASSWORD)",
        Error::OutputExists { .. } => "; use --force to overwrite",
        _ => "",
    }
}

/// Prints `value` as pretty JSON on standard output.
pub fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => write_stdout(&format!("{text}\n")),
        Err(error) => eprintln!("error[Internal]: {error}"),
    }
}

/// Wraps a core error that concerns no particular file.
pub fn no_file(error: Error) -> CliError {
    CliError { error, file: None }
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
        write_stdout(&format!("{:#}\n", json!({ "written": files })));
        return;
    }
    for output in outputs {
        let mode = if output.secret { " (mode 0600)" } else { "" };
        eprintln!("wrote {} ({}){mode}", output.path.display(), output.kind);
    }
}

/// Whether to colour text on standard output.
pub fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Writes to standard output; a closed pipe (`mtlskit inspect ... | head`) is not an error.
pub fn write_stdout(text: &str) {
    write_stdout_bytes(text.as_bytes());
}

/// [`write_stdout`] for text already encoded as UTF-8 bytes.
pub fn write_stdout_bytes(text: &[u8]) {
    let _ = std::io::stdout().lock().write_all(text);
}

//! What commands print: coded errors (`error[Code]: message (file)`, or `{"error": {...}}`
//! with `--json`, exit code 2), JSON and text on standard output, the list of written files.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use mtlskit::Error;
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
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

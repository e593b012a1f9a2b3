//! `mtlskit web [--listen ADDR]`: serves the browser inspector from this binary, so a person
//! can inspect and verify certificates in a browser with nothing installed and nothing
//! uploaded. The page talks to no server: this one only hands out its files.

use std::io::Write;
use std::net::TcpListener;
use std::process::ExitCode;

use clap::Args;
use mtlskit::Error;

use super::report::{CliError, no_file};
use crate::web;

// Arguments of `mtlskit web`.
#[derive(Debug, Args)]
pub struct WebArgs {
    /// Address to listen on; port 0 picks a free port (the URL is printed). Anything other
    /// than a loopback address makes the page reachable from the network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: String,
}

/// Runs `mtlskit web` until the process is stopped.
pub fn run(arguments: &WebArgs) -> ExitCode {
    if !web::complete() {
        let error = Error::Io {
            detail: "this mtlskit was built without the inspector page: run `make web`, then \
                     build mtlskit again"
                .to_owned(),
        };
        return no_file(error).report(false);
    }
    let listener = match TcpListener::bind(&arguments.listen) {
        Ok(listener) => listener,
        Err(error) => {
            let error = Error::Io {
                detail: format!("cannot listen on {}: {error}", arguments.listen),
            };
            return CliError::in_file(error, "--listen").report(false);
        }
    };
    let address = listener
        .local_addr()
        .map_or_else(|_| arguments.listen.clone(), |address| address.to_string());
    let mut stdout = std::io::stdout();
    let _ = writeln!(
        stdout,
        "mtlskit web: the inspector is at http://{address}/ (files are read in the browser; \
         nothing is uploaded). Ctrl-C stops it."
    );
    let _ = stdout.flush();
    web::serve(&listener, web::Limits::default());
    ExitCode::SUCCESS
}

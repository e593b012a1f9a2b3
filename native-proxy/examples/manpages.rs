//! Writes the man pages of `mtlskit` and of each subcommand (`mtlskit.1`, `mtlskit-proxy.1`,
//! `mtlskit-proxy-run.1`, ...) into a folder, generated from the clap definition with
//! clap_mangen, so the pages say exactly what `--help` says. `make dist` runs it and the .deb
//! installs the pages:
//!
//! ```sh
//! cargo run --release -p mtlskit-proxy --example manpages -- target/dist/man
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;

fn main() -> ExitCode {
    let Some(directory) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: manpages DIRECTORY");
        return ExitCode::from(2);
    };
    let command = mtlskit_proxy::cli::Cli::command();
    let written = std::fs::create_dir_all(&directory)
        .and_then(|()| clap_mangen::generate_to(command, &directory));
    if let Err(error) = written {
        eprintln!(
            "manpages: cannot write into {}: {error}",
            directory.display()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

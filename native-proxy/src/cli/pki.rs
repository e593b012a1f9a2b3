//! `mtlskit pki init DIR`: a root CA, an intermediate CA, a server certificate and client
//! certificates with `.p12` files, in one command; then how to try them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use mtlskit::issue::pki::{self, Pki, PkiParams};
use mtlskit::secret::Password;
use serde_json::json;

use super::args;
use super::files::{self, Output};
use super::report::{self, CliError, no_file};

// `mtlskit pki ...`
#[derive(Debug, Args)]
pub struct PkiArgs {
    #[command(subcommand)]
    command: PkiCommand,
}

#[derive(Debug, Subcommand)]
enum PkiCommand {
    /// Create a private PKI: CA, intermediate, server and client certificates.
    Init(InitArgs),
}

/// Arguments of `mtlskit pki init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to write into (created if missing).
    dir: String,
    /// Name of the server (DNS name or IP address). Repeatable; default localhost and
    /// 127.0.0.1.
    #[arg(long = "server-san", value_name = "NAME")]
    server_names: Vec<String>,
    /// A client certificate to create: NAME.crt, NAME.key, NAME.p12. Repeatable; default
    /// `client`.
    #[arg(long = "client", value_name = "NAME")]
    clients: Vec<String>,
    /// Key type of every key: p256 (default), p384, ed25519, rsa2048, rsa3072, rsa4096.
    #[arg(long, default_value = "p256")]
    key_type: String,
    /// Password of the .p12 files (other users can see it in `ps`: prefer
    /// --p12-password-file or MTLSKIT_P12_PASSWORD). Without any, it is asked for on a
    /// terminal; otherwise a random one is written to DIR/p12-password.txt (mode 0600).
    #[arg(long, conflicts_with = "p12_password_file")]
    p12_password: Option<Password>,
    /// Read the .p12 password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    p12_password_file: Option<String>,
    /// Write the .p12 files with 3DES/SHA-1 for old importers.
    #[arg(long)]
    p12_legacy: bool,
    /// Also write Java keystores under the .p12 password: server.jks and NAME.jks (key +
    /// chain) and truststore.p12 (the root CA as a trusted entry Java recognises).
    #[arg(long)]
    java: bool,
    /// Issue leaves from an intermediate CA (the default).
    #[arg(long, overrides_with = "no_intermediate")]
    intermediate: bool,
    /// Issue leaves directly from the root CA.
    #[arg(long)]
    no_intermediate: bool,
    /// Organization (O) of every subject.
    #[arg(long = "org", default_value = "mtlskit")]
    organization: String,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
    /// Print the files and fingerprints as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `mtlskit pki ...`.
pub fn run(arguments: &PkiArgs) -> ExitCode {
    match &arguments.command {
        PkiCommand::Init(init) => match run_init(init) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => error.report(init.json),
        },
    }
}

fn run_init(arguments: &InitArgs) -> Result<(), CliError> {
    let now = args::time(None)?;
    let params = params(arguments)?;
    let created = pki::init(&params, now, &mut args::rng()).map_err(no_file)?;
    let dir = PathBuf::from(&arguments.dir);
    let created_dir = !dir.exists();
    std::fs::create_dir_all(&dir).map_err(|error| {
        let error = mtlskit::Error::Io {
            detail: format!("cannot create {}: {error}", dir.display()),
        };
        CliError::in_file(error, &arguments.dir)
    })?;
    let outputs = outputs(&created, &dir);
    if let Err(error) = files::write_outputs(&outputs, arguments.force) {
        if created_dir {
            let _ = std::fs::remove_dir(&dir);
        }
        return Err(error);
    }
    if arguments.json {
        print_json(&outputs, &params, &dir);
    } else {
        print_text(&outputs, &params, &dir);
    }
    Ok(())
}

fn params(arguments: &InitArgs) -> Result<PkiParams, CliError> {
    let defaults = PkiParams::default();
    let server_names = if arguments.server_names.is_empty() {
        defaults.server_names
    } else {
        let parsed: Result<Vec<_>, _> = arguments
            .server_names
            .iter()
            .map(|name| name.parse())
            .collect();
        parsed.map_err(no_file)?
    };
    let clients = if arguments.clients.is_empty() {
        defaults.clients
    } else {
        arguments.clients.clone()
    };
    Ok(PkiParams {
        server_names,
        clients,
        key_type: arguments.key_type.parse().map_err(no_file)?,
        intermediate: !arguments.no_intermediate,
        p12_password: p12_password(arguments)?,
        p12_legacy: arguments.p12_legacy,
        organization: arguments.organization.clone(),
        java: arguments.java,
    })
}

/// The `.p12` password from the flags, MTLSKIT_P12_PASSWORD or the terminal; `None` lets
/// the core make a random one (scripts, CI, no standard input).
fn p12_password(arguments: &InitArgs) -> Result<Option<Password>, CliError> {
    if let Some(password) = &arguments.p12_password {
        return Ok(Some(password.clone()));
    }
    let file = arguments.p12_password_file.as_deref();
    if let Some(password) = args::password_from(file, "MTLSKIT_P12_PASSWORD")? {
        return Ok(Some(password));
    }
    args::prompt("Password for the .p12 files: ", true)
}

fn outputs(created: &Pki, dir: &Path) -> Vec<Output> {
    created
        .files
        .iter()
        .map(|file| Output {
            path: dir.join(&file.name),
            contents: file.contents.clone(),
            secret: file.secret,
            kind: pki::describe(&file.name),
            fingerprint_sha256: file.fingerprint_sha256.clone(),
        })
        .collect()
}

fn print_text(outputs: &[Output], params: &PkiParams, dir: &Path) {
    let mut text = format!("Wrote {}:\n", dir.display());
    for output in outputs {
        let name = output
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mode = if output.secret { "  (0600)" } else { "" };
        text.push_str(&format!("  {name:<22} {}{mode}\n", output.kind));
        if let Some(fingerprint) = &output.fingerprint_sha256 {
            text.push_str(&format!("  {:<22} SHA-256 {fingerprint}\n", ""));
        }
    }
    let protected = if params.java {
        ".p12 files and Java keystores"
    } else {
        ".p12 files"
    };
    let password = match password_file(outputs) {
        Some(path) => format!("the password of the {protected} is in {path} (mode 0600)"),
        None => format!("the {protected} use the password you gave"),
    };
    text.push_str(&format!(
        "\n{password}\n\nTry it:\n{}",
        try_commands(params, dir)
    ));
    report::write_stdout(&text);
}

fn print_json(outputs: &[Output], params: &PkiParams, dir: &Path) {
    let files: Vec<_> = outputs
        .iter()
        .map(|output| {
            json!({
                "path": output.path.display().to_string(),
                "kind": output.kind,
                "secret": output.secret,
                "fingerprint_sha256": output.fingerprint_sha256,
            })
        })
        .collect();
    let value = json!({
        "dir": dir.display().to_string(),
        "files": files,
        "p12_password_file": password_file(outputs),
        "try": try_commands(params, dir).lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#')).collect::<Vec<_>>(),
    });
    report::write_stdout(&format!("{value:#}\n"));
}

/// The file holding a generated `.p12` password, if one was made.
fn password_file(outputs: &[Output]) -> Option<String> {
    outputs
        .iter()
        .find(|output| output.path.ends_with(pki::P12_PASSWORD_FILE))
        .map(|output| output.path.display().to_string())
}

/// The commands that exercise the new PKI: a TLS server that requires a client certificate,
/// curl with and without one, and the same behind `mtlskit proxy`.
fn try_commands(params: &PkiParams, dir: &Path) -> String {
    let d = dir.display();
    let host = params
        .server_names
        .first()
        .map(|name| name.to_string())
        .unwrap_or_default();
    let host = host
        .split_once(':')
        .map_or(host.as_str(), |(_, value)| value)
        .to_owned();
    let url_host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.clone()
    };
    let client = params.clients.first().cloned().unwrap_or_default();
    // The client sends its intermediate with its certificate, as a server sends its
    // fullchain: servers trust only ca.crt.
    let (chain, client_cert) = if params.intermediate {
        (
            format!(" -cert_chain {d}/intermediate.crt"),
            format!("<(cat {d}/{client}.crt {d}/intermediate.crt)"),
        )
    } else {
        (String::new(), format!("{d}/{client}.crt"))
    };
    format!(
        "  # a TLS server on 127.0.0.1:8443 that requires a client certificate:\n  \
         openssl s_server -accept 127.0.0.1:8443 -cert {d}/server.crt{chain} -key {d}/server.key -CAfile {d}/ca.crt -Verify 2 -verify_return_error -www\n  \
         # with the client certificate and its chain (answers), then without (rejected):\n  \
         curl --resolve {host}:8443:127.0.0.1 --cacert {d}/ca.crt --cert {client_cert} --key {d}/{client}.key https://{url_host}:8443/\n  \
         curl --resolve {host}:8443:127.0.0.1 --cacert {d}/ca.crt https://{url_host}:8443/\n  \
         # or terminate mTLS in front of a plain HTTP service on 127.0.0.1:8080:\n  \
         mtlskit proxy terminate --listen 127.0.0.1:8443 --target 127.0.0.1:8080 --cert {d}/server-fullchain.crt --key {d}/server.key --client-ca {d}/ca.crt\n"
    )
}

//! `mtlskit probe URL|HOST:PORT`: connect as a TLS client, record what the server did, and
//! say why it did or did not work (the `curl -v` / `openssl s_client` checks of the field
//! notes, with the reasons spelled out).
//!
//! ```text
//! arguments --target.rs, trust.rs, credentials--> plan (all input checked, no socket yet)
//! connection 1: connect.rs (TCP, handshake) + capture.rs (chain, verdict, CertificateRequest)
//!     then http.rs (request) or connect::settle (TLS 1.3 post-handshake alert)
//! connection 2: resumption
//! chain.rs + client_auth.rs + outcome.rs --> report --> text.rs or --json
//! ```
//!
//! Exit codes: 0 everything asked for worked; 1 the server or the client setup is at fault
//! (the report says why); 2 bad input, or nothing listens at the address.

mod alerts;
mod capture;
mod chain;
mod client_auth;
mod connect;
mod http;
mod outcome;
mod target;
mod text;
mod trust;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use mtlskit::Error;
use mtlskit::secret::Password;
use rustls::ClientConfig;

use self::alerts::TlsFailure;
use self::capture::Recorder;
use self::outcome::{Findings, HttpReport, ProbeReport, Problem, TlsReport};
use self::target::Target;
use self::trust::Trust;
use super::args;
use super::report::{self, CliError, no_file};
use crate::tls::{self, credentials::Credentials};

// Arguments of `mtlskit probe`.
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// `https://HOST[:PORT][/PATH]` (sends GET PATH) or `HOST:PORT` (TLS only).
    #[arg(value_name = "URL|HOST:PORT")]
    target: String,
    /// CA certificates to verify the server against (PEM bundle or DER); repeatable.
    /// Default: the system bundle.
    #[arg(long = "ca", value_name = "FILE")]
    anchors: Vec<String>,
    /// Client certificate file: the certificate first, then its intermediate CAs.
    #[arg(long, value_name = "FILE", requires = "key", conflicts_with = "p12")]
    cert: Option<String>,
    /// The client certificate's private key.
    #[arg(long, value_name = "FILE", requires = "cert")]
    key: Option<String>,
    /// Client certificate, chain and key in a PKCS#12 file; its password from
    /// --password-file or MTLSKIT_PASSWORD.
    #[arg(long, value_name = "FILE")]
    p12: Option<String>,
    /// Read the password of --p12 (or of an encrypted --key) from the first line of FILE.
    #[arg(long, value_name = "FILE")]
    password_file: Option<String>,
    /// The name to send as SNI and to check in the server's certificate (default: the host).
    #[arg(long, value_name = "NAME")]
    server_name: Option<String>,
    /// Connect to ADDR for HOST:PORT, like curl --resolve; repeatable.
    #[arg(long, value_name = "HOST:PORT:ADDR")]
    resolve: Vec<String>,
    /// ALPN protocols to offer, comma-separated, or `none`. Default: h2,http/1.1 when an
    /// HTTP request is made, none otherwise.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    alpn: Option<Vec<String>>,
    /// The lowest TLS version to offer: 1.2 or 1.3.
    #[arg(long, value_name = "VERSION", default_value = "1.2")]
    tls_min: String,
    /// The highest TLS version to offer: 1.2 or 1.3.
    #[arg(long, value_name = "VERSION", default_value = "1.3")]
    tls_max: String,
    /// The HTTP request to send, e.g. 'GET /healthz' (default for https:// URLs: GET PATH).
    #[arg(long, value_name = "METHOD PATH")]
    request: Option<String>,
    /// Seconds to wait for the connection, the handshake and the HTTP answer, each.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    timeout: u64,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Everything decided before connecting.
#[derive(Debug)]
struct Plan {
    target: Target,
    alpn: Vec<String>,
    config: Arc<ClientConfig>,
    recorder: Arc<Recorder>,
    credentials: Option<Credentials>,
    trusted: String,
    timeout: Duration,
}

/// Runs `mtlskit probe`.
pub fn run(arguments: &ProbeArgs) -> ExitCode {
    let plan = match plan(arguments) {
        Ok(plan) => plan,
        Err(error) => return error.report(arguments.json),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let findings = match runtime {
        Ok(runtime) => runtime.block_on(connections(&plan)),
        Err(error) => Err(no_file(Error::Io {
            detail: format!("cannot start the async runtime: {error}"),
        })),
    };
    let findings = match findings {
        Ok(findings) => findings,
        Err(error) => return error.report(arguments.json),
    };
    let report = assemble(&plan, findings);
    if arguments.json {
        let text = serde_json::to_string_pretty(&report).unwrap_or_default();
        report::write_stdout(&format!("{text}\n"));
    } else {
        report::write_stdout(&text::render(
            &report,
            &plan.target,
            &plan.trusted,
            plan.credentials.as_ref(),
        ));
    }
    if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn plan(arguments: &ProbeArgs) -> Result<Plan, CliError> {
    let target = Target::parse(
        &arguments.target,
        arguments.server_name.as_deref(),
        &arguments.resolve,
        arguments.request.as_deref(),
    )?;
    let versions = connect::versions(&arguments.tls_min, &arguments.tls_max)?;
    let alpn = match &arguments.alpn {
        Some(list) if list.iter().any(|protocol| protocol == "none") => Vec::new(),
        Some(list) => list.clone(),
        None if target.request.is_some() => vec!["h2".to_owned(), "http/1.1".to_owned()],
        None => Vec::new(),
    };
    let trust = Trust::load(&arguments.anchors, target.peer_name())?;
    let trusted = trust.description.clone();
    let provider = tls::provider();
    let credentials = credentials(arguments, &provider)?;
    let recorder = Arc::new(Recorder::new(
        trust,
        credentials
            .as_ref()
            .map(|credentials| credentials.certified_key.clone()),
        provider.signature_verification_algorithms,
    ));
    let config = connect::client_config(provider, &versions, &alpn, recorder.clone())?;
    Ok(Plan {
        target,
        alpn,
        config,
        recorder,
        credentials,
        trusted,
        timeout: Duration::from_secs(arguments.timeout.max(1)),
    })
}

fn credentials(
    arguments: &ProbeArgs,
    provider: &rustls::crypto::CryptoProvider,
) -> Result<Option<Credentials>, CliError> {
    let password = args::password_from(arguments.password_file.as_deref(), "MTLSKIT_PASSWORD")?;
    if let (Some(cert), Some(key)) = (&arguments.cert, &arguments.key) {
        let password = password.as_ref().map(Password::as_str);
        let loaded = tls::credentials::from_pem_files(cert, key, password, provider)?;
        return Ok(Some(loaded));
    }
    let Some(path) = &arguments.p12 else {
        return Ok(None);
    };
    let password = password.ok_or_else(|| {
        CliError::in_file(
            Error::PasswordRequired {
                item: "PKCS#12 file",
            },
            path,
        )
    })?;
    Ok(Some(tls::credentials::from_pkcs12_file(
        path, &password, provider,
    )?))
}

/// Connection 1 (handshake, then HTTP or the post-handshake wait), then connection 2 to see
/// whether the session resumes.
async fn connections(plan: &Plan) -> Result<Findings, CliError> {
    let stream = connect::tcp(&plan.target, plan.timeout).await?;
    let (result, handshake_time) =
        connect::handshake(plan.config.clone(), stream, &plan.target, plan.timeout).await;
    let mut findings = Findings {
        handshake_time,
        ..Findings::default()
    };
    let mut stream = match result {
        Ok(stream) => stream,
        Err(failure) => {
            findings.handshake_failure = Some(failure);
            findings.observed = plan.recorder.take();
            return Ok(findings);
        }
    };
    let negotiated = connect::negotiated(stream.get_ref().1);
    let tls13 = negotiated.version.as_deref() == Some("TLSv1.3");
    if let Some(request) = &plan.target.request {
        let http2 = negotiated.alpn.as_deref() == Some("h2");
        let authority = plan.target.authority();
        findings.exchange =
            Some(http::exchange(stream, request, &authority, http2, plan.timeout).await);
    } else {
        if tls13 {
            findings.post_handshake = connect::settle(&mut stream).await;
        }
        // single-connection servers (openssl s_server) serve the next one only after this
        connect::close(stream, plan.timeout).await;
    }
    findings.negotiated = Some(negotiated);
    findings.observed = plan.recorder.take();
    let refused = findings.post_handshake.is_some()
        || findings
            .exchange
            .as_ref()
            .is_some_and(|exchange| exchange.failure.is_some());
    if !refused {
        findings.resumed = resumption(plan).await;
    }
    Ok(findings)
}

/// A second handshake with the same configuration (and so the same session store).
async fn resumption(plan: &Plan) -> Option<bool> {
    let stream = connect::tcp(&plan.target, plan.timeout).await.ok()?;
    let (result, _) =
        connect::handshake(plan.config.clone(), stream, &plan.target, plan.timeout).await;
    plan.recorder.take();
    let stream = result.ok()?;
    Some(connect::negotiated(stream.get_ref().1).resumed)
}

/// Turns the findings into the report.
fn assemble(plan: &Plan, findings: Findings) -> ProbeReport {
    let at = args::time(None).unwrap_or(mtlskit::UnixTime(0));
    let chain = chain::analyse(
        &findings.observed.server_chain,
        findings.observed.verdict.as_ref(),
        &plan.trusted,
        &plan.target.name,
        at,
    );
    let our_chain = plan
        .credentials
        .as_ref()
        .map(|credentials| credentials.chain.as_slice());
    let (client_auth, client_problems) = outcome::client_auth(&findings, our_chain);
    let mut problems = handshake_problems(&findings);
    problems.extend(chain.problems);
    problems.extend(client_problems);
    problems.extend(http_problems(&findings));
    problems.sort_by_key(|problem| problem.severity != outcome::Severity::Error);
    let negotiated = findings.negotiated.clone().unwrap_or_default();
    ProbeReport {
        tls: TlsReport {
            version: negotiated.version,
            cipher_suite: negotiated.cipher_suite,
            key_exchange: negotiated.key_exchange,
            alpn: outcome::AlpnReport {
                offered: plan.alpn.clone(),
                chosen: negotiated.alpn,
            },
            sni: plan.target.sni(),
            resumed: findings.resumed,
            handshake_ms: u64::try_from(findings.handshake_time.as_millis()).unwrap_or(u64::MAX),
        },
        server_chain: chain.items,
        verification: chain.verification,
        client_auth,
        http: HttpReport {
            version: findings
                .exchange
                .as_ref()
                .and_then(|exchange| exchange.version.clone()),
            status: findings
                .exchange
                .as_ref()
                .and_then(|exchange| exchange.status),
        },
        problems,
    }
}

/// A handshake that failed for a reason other than client authentication.
fn handshake_problems(findings: &Findings) -> Vec<Problem> {
    let Some(failure) = &findings.handshake_failure else {
        return Vec::new();
    };
    if findings.observed.key_mismatch {
        return vec![Problem::error(
            "KeyMismatch",
            "handshake failure: the server's private key does not match the certificate it sends (its handshake signature does not verify with the certificate's public key)",
            "configure the server with the key of its certificate (nginx: ssl_certificate and ssl_certificate_key from the same pair; compare the SPKI SHA-256 that `mtlskit inspect` shows for both)",
        )];
    }
    let refusal = matches!(failure, TlsFailure::Alert(_) | TlsFailure::Closed);
    if refusal && findings.observed.certificate_request.is_some() {
        // client_auth names it: the server refused after asking for a certificate
        return Vec::new();
    }
    vec![Problem::error(
        "HandshakeFailed",
        &format!("the TLS handshake failed: {}", failure.describe()),
        "compare the TLS versions, ALPN and SNI offered with the server's configuration; its error log names the cause",
    )]
}

/// An HTTP answer that is not a success, or no answer.
fn http_problems(findings: &Findings) -> Vec<Problem> {
    let Some(exchange) = &findings.exchange else {
        return Vec::new();
    };
    let refused = matches!(
        exchange.failure,
        Some(TlsFailure::Alert(_) | TlsFailure::Closed)
    );
    if exchange.refusal.is_some() || (refused && findings.observed.certificate_request.is_some()) {
        // client_auth names it
        return Vec::new();
    }
    match (exchange.status, &exchange.error) {
        (Some(status), _) if status >= 400 => vec![Problem::error(
            "HttpStatus",
            &format!("the server answered {status}"),
            "the TLS side worked; the status comes from the web server or the application behind it",
        )],
        (None, error) => vec![Problem::error(
            "HttpFailed",
            &format!(
                "no HTTP answer: {}",
                exchange.failure.as_ref().map_or_else(
                    || error.clone().unwrap_or_default(),
                    |failure| failure.describe()
                )
            ),
            "the handshake worked; check that the server speaks HTTP on this port (try --alpn http/1.1)",
        )],
        _ => Vec::new(),
    }
}

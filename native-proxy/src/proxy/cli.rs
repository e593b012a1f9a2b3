//! The `proxy` subcommands. `terminate` and `originate` are shorthands that build a
//! one-listener configuration from flags (the flag names are a contract); `run` and `check`
//! read `mtlskit.toml`. Both paths go through the same validation.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::check::{self, Severity};
use super::config::Config;
use super::config::file::{
    RawCertificate, RawClientAuth, RawConfig, RawListener, RawUpstreamTls, StringOrList,
};
use super::error::ProxyError;
use super::server;

// `mtlskit proxy ...`
#[derive(Debug, Args)]
pub struct ProxyArgs {
    #[command(subcommand)]
    command: ProxyCommand,
}

#[derive(Debug, Subcommand)]
enum ProxyCommand {
    /// TLS in (client certificate required and verified), plain TCP or HTTP out.
    Terminate(TerminateArgs),
    /// Plain TCP, HTTP/1.1 or h2c in, mTLS out (the upstream's chain and name verified).
    Originate(OriginateArgs),
    /// Serve every listener of a configuration file.
    Run(ConfigArgs),
    /// Report everything `run` would refuse, without serving.
    Check(CheckArgs),
}

/// Arguments of `proxy terminate`.
#[derive(Debug, Args)]
pub struct TerminateArgs {
    /// Address to listen on with TLS, e.g. 0.0.0.0:8443 (or systemd[:NAME]).
    #[arg(long, value_name = "ADDR")]
    listen: String,
    /// Plain upstream to forward to, HOST:PORT.
    #[arg(long, value_name = "ADDR")]
    target: String,
    /// Server certificate (chain) file; repeat with --key for several, chosen by SNI.
    #[arg(long = "cert", value_name = "FILE", required_unless_present = "p12")]
    certs: Vec<String>,
    /// Private key of each --cert, in the same order.
    #[arg(long = "key", value_name = "FILE")]
    keys: Vec<String>,
    /// Server key and chain as a PKCS#12 file instead of --cert/--key.
    #[arg(long, value_name = "FILE")]
    p12: Option<String>,
    /// CA certificates that issue client certificates; repeatable.
    #[arg(long = "client-ca", value_name = "FILE", required = true)]
    client_ca: Vec<String>,
    /// `required` (default): no certificate, no handshake; `optional`: refused per request.
    #[arg(long, value_name = "MODE")]
    client_auth: Option<String>,
    /// Allow these subject common names (`*` wildcards); repeatable.
    #[arg(long = "allow-cn", value_name = "CN")]
    allow_cn: Vec<String>,
    /// Allow these subject organizational units; repeatable.
    #[arg(long = "allow-ou", value_name = "OU")]
    allow_ou: Vec<String>,
    /// Allow these DNS subjectAltNames (`*.example.com`); repeatable.
    #[arg(long = "allow-dns", value_name = "NAME")]
    allow_dns: Vec<String>,
    /// Allow these URI subjectAltNames (`spiffe://example.org/ns/*/sa/*`); repeatable.
    #[arg(long = "allow-uri", value_name = "URI")]
    allow_uri: Vec<String>,
    /// Allow these public keys: SHA-256 of the SubjectPublicKeyInfo, hex or base64; repeatable.
    #[arg(long = "allow-spki", value_name = "SHA256")]
    allow_spki: Vec<String>,
    /// CRL files; repeatable.
    #[arg(long = "crl", value_name = "FILE")]
    crls: Vec<String>,
    /// Names clients use for this listener; `check` verifies a certificate covers each.
    #[arg(long = "server-name", value_name = "NAME")]
    server_names: Vec<String>,
    /// Send a PROXY protocol v2 header with the TLS details to the upstream (TCP mode).
    #[arg(long)]
    proxy_protocol: bool,
    #[command(flatten)]
    common: CommonArgs,
}

/// Arguments of `proxy originate`.
#[derive(Debug, Args)]
pub struct OriginateArgs {
    /// Plain address to listen on; loopback unless --allow-public.
    #[arg(long, value_name = "ADDR")]
    listen: String,
    /// mTLS upstream, HOST:PORT.
    #[arg(long, value_name = "HOST:PORT")]
    target: String,
    /// Client certificate (chain) file presented to the upstream.
    #[arg(long, value_name = "FILE", required_unless_present = "p12")]
    cert: Option<String>,
    /// Its private key.
    #[arg(long, value_name = "FILE", requires = "cert")]
    key: Option<String>,
    /// Client key and chain as a PKCS#12 file instead of --cert/--key.
    #[arg(long, value_name = "FILE")]
    p12: Option<String>,
    /// CA certificates that issue the upstream's certificate; repeatable.
    #[arg(long = "ca", value_name = "FILE", required = true)]
    ca: Vec<String>,
    /// CRL files for the upstream's chain; repeatable.
    #[arg(long = "crl", value_name = "FILE")]
    crls: Vec<String>,
    /// Name the upstream's certificate must have (default: the target's host).
    #[arg(long, value_name = "NAME")]
    server_name: Option<String>,
    /// Let the plain listener bind a non-loopback address.
    #[arg(long)]
    allow_public: bool,
    #[command(flatten)]
    common: CommonArgs,
}

/// Flags both shorthands share.
#[derive(Debug, Args)]
struct CommonArgs {
    /// `http` (default: HTTP/1.1, HTTP/2, gRPC) or `tcp`.
    #[arg(long, value_name = "MODE")]
    mode: Option<String>,
    /// Set this header on every upstream request, 'NAME: VALUE'; repeatable.
    #[arg(long = "set-header", value_name = "'NAME: VALUE'")]
    set_headers: Vec<String>,
    /// Add this header to every upstream request, 'NAME: VALUE'; repeatable.
    #[arg(long = "add-header", value_name = "'NAME: VALUE'")]
    add_headers: Vec<String>,
    /// Identity headers to send: xfcc (default), client-cert, client-cert-chain, none.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    identity_headers: Option<Vec<String>>,
    /// Do not send X-Real-IP, X-Forwarded-For and X-Forwarded-Proto.
    #[arg(long)]
    no_forwarded_headers: bool,
    /// HTTP version to the upstream: auto (as the client), http1 or http2 (h2c if plain).
    #[arg(long, value_name = "VERSION")]
    upstream_protocol: Option<String>,
    /// Lowest TLS version: 1.2 (default) or 1.3.
    #[arg(long, value_name = "VERSION")]
    tls_min: Option<String>,
    /// Highest TLS version: 1.2 or 1.3 (default).
    #[arg(long, value_name = "VERSION")]
    tls_max: Option<String>,
    /// TLS 1.2 cipher suites, OpenSSL names separated by ':'.
    #[arg(long, value_name = "LIST")]
    ciphers: Option<String>,
    /// PKCS#12 or encrypted key password file (default: $MTLSKIT_PASSWORD).
    #[arg(long, value_name = "FILE")]
    password_file: Option<String>,
    /// Prometheus /metrics and /healthz on this address (loopback).
    #[arg(long, value_name = "ADDR")]
    metrics: Option<String>,
    /// Log format: text (default) or json.
    #[arg(long, value_name = "FORMAT")]
    log_format: Option<String>,
    /// Name of the listener in logs and metrics.
    #[arg(long)]
    name: Option<String>,
    /// Maximum open connections.
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
    /// TLS handshake timeout, e.g. 10s.
    #[arg(long, value_name = "DURATION")]
    handshake_timeout: Option<String>,
    /// Request header timeout (HTTP), e.g. 10s.
    #[arg(long, value_name = "DURATION")]
    header_timeout: Option<String>,
    /// Close connections idle this long, e.g. 5m (0s: never).
    #[arg(long, value_name = "DURATION")]
    idle_timeout: Option<String>,
    /// Close connections older than this (0s: never).
    #[arg(long, value_name = "DURATION")]
    max_lifetime: Option<String>,
    /// Upstream connect timeout.
    #[arg(long, value_name = "DURATION")]
    connect_timeout: Option<String>,
    /// How long SIGTERM waits for in-flight requests, e.g. 30s.
    #[arg(long, value_name = "DURATION")]
    drain_timeout: Option<String>,
    /// How often files are checked for changes (0s: only SIGHUP reloads).
    #[arg(long, value_name = "DURATION")]
    watch_interval: Option<String>,
}

/// Arguments of `proxy run`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The configuration file.
    #[arg(long, value_name = "FILE", default_value = "mtlskit.toml")]
    config: String,
}

/// Arguments of `proxy check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The configuration file.
    #[arg(long, value_name = "FILE", default_value = "mtlskit.toml")]
    config: String,
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `mtlskit proxy ...`.
pub fn run(arguments: &ProxyArgs) -> ExitCode {
    let config = match &arguments.command {
        ProxyCommand::Terminate(terminate) => terminate_config(terminate),
        ProxyCommand::Originate(originate) => originate_config(originate),
        ProxyCommand::Run(run) => Config::load(&run.config),
        ProxyCommand::Check(check) => return run_check(check),
    };
    match config {
        Ok(config) => server::run(config),
        Err(error) => error.report(false),
    }
}

fn run_check(arguments: &CheckArgs) -> ExitCode {
    let config = match Config::load(&arguments.config) {
        Ok(config) => config,
        Err(error) => return error.report(arguments.json),
    };
    let states = match server::load_states(&config) {
        Ok(states) => states,
        Err(error) => return error.report(arguments.json),
    };
    let mut findings = check::check_all(&config, &states, server::now());
    findings.extend(check::check_ports(&config));
    let failed = findings
        .iter()
        .any(|finding| finding.severity == Severity::Error);
    if arguments.json {
        let value =
            serde_json::json!({"config": config.source, "ok": !failed, "findings": findings});
        crate::cli::report::write_stdout(&format!("{value:#}\n"));
    } else {
        let mut text = format!(
            "{}: {} listener(s)\n",
            config.source,
            config.listeners.len()
        );
        for finding in &findings {
            text.push_str(&finding.text());
            text.push('\n');
        }
        text.push_str(if failed {
            "NOT READY: `proxy run` would refuse to start\n"
        } else {
            "OK: ready to run\n"
        });
        crate::cli::report::write_stdout(&text);
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn terminate_config(arguments: &TerminateArgs) -> Result<Config, ProxyError> {
    if arguments.certs.len() != arguments.keys.len() {
        return Err(ProxyError::config(
            "--key",
            "give one --key for each --cert, in the same order",
        ));
    }
    let password_file = arguments.common.password_file.clone();
    let mut certificates: Vec<RawCertificate> = arguments
        .certs
        .iter()
        .zip(&arguments.keys)
        .map(|(cert, key)| RawCertificate {
            cert: Some(cert.clone()),
            key: Some(key.clone()),
            p12: None,
            password_file: password_file.clone(),
        })
        .collect();
    if let Some(p12) = &arguments.p12 {
        certificates.push(RawCertificate {
            cert: None,
            key: None,
            p12: Some(p12.clone()),
            password_file,
        });
    }
    let mut listener = listener(
        &arguments.common,
        "terminate",
        &arguments.listen,
        &arguments.target,
        certificates,
    );
    listener.client_auth = Some(RawClientAuth {
        mode: arguments.client_auth.clone(),
        ca: arguments.client_ca.clone(),
        crl: arguments.crls.clone(),
        allow_cn: arguments.allow_cn.clone(),
        allow_ou: arguments.allow_ou.clone(),
        allow_dns: arguments.allow_dns.clone(),
        allow_uri: arguments.allow_uri.clone(),
        allow_spki: arguments.allow_spki.clone(),
    });
    listener.tls.server_names = arguments.server_names.clone();
    listener.tcp.proxy_protocol = arguments.proxy_protocol;
    config(&arguments.common, listener)
}

fn originate_config(arguments: &OriginateArgs) -> Result<Config, ProxyError> {
    let password_file = arguments.common.password_file.clone();
    let certificate = match &arguments.p12 {
        Some(p12) => RawCertificate {
            cert: None,
            key: None,
            p12: Some(p12.clone()),
            password_file,
        },
        None => RawCertificate {
            cert: arguments.cert.clone(),
            key: arguments.key.clone(),
            p12: None,
            password_file,
        },
    };
    let mut listener = listener(
        &arguments.common,
        "originate",
        &arguments.listen,
        &arguments.target,
        vec![certificate],
    );
    listener.upstream_tls = Some(RawUpstreamTls {
        ca: arguments.ca.clone(),
        crl: arguments.crls.clone(),
        server_name: arguments.server_name.clone(),
    });
    listener.allow_public = arguments.allow_public;
    config(&arguments.common, listener)
}

fn listener(
    common: &CommonArgs,
    direction: &str,
    listen: &str,
    target: &str,
    certificates: Vec<RawCertificate>,
) -> RawListener {
    let mut listener = RawListener {
        name: common.name.clone(),
        direction: Some(direction.to_owned()),
        listen: Some(listen.to_owned()),
        target: Some(target.to_owned()),
        mode: common.mode.clone(),
        certificates,
        ..RawListener::default()
    };
    listener.tls.min_version = common.tls_min.clone();
    listener.tls.max_version = common.tls_max.clone();
    listener.tls.cipher_suites = common.ciphers.clone().map(StringOrList::Joined);
    listener.http.upstream_protocol = common.upstream_protocol.clone();
    listener.http.forwarded_headers = common.no_forwarded_headers.then_some(false);
    listener.http.identity_headers = common.identity_headers.clone();
    listener.http.set_headers = common.set_headers.clone();
    listener.http.add_headers = common.add_headers.clone();
    listener.limits.max_connections = common.max_connections;
    listener.limits.handshake_timeout = common.handshake_timeout.clone();
    listener.limits.header_timeout = common.header_timeout.clone();
    listener.limits.idle_timeout = common.idle_timeout.clone();
    listener.limits.max_lifetime = common.max_lifetime.clone();
    listener.limits.connect_timeout = common.connect_timeout.clone();
    listener
}

fn config(common: &CommonArgs, listener: RawListener) -> Result<Config, ProxyError> {
    let raw = RawConfig {
        log_format: common.log_format.clone(),
        metrics: common.metrics.clone(),
        drain_timeout: common.drain_timeout.clone(),
        watch_interval: common.watch_interval.clone(),
        listeners: vec![listener],
        ..RawConfig::default()
    };
    Config::validate(raw, Path::new(""), "command line").map_err(|mut error| {
        // Point at the flag rather than the configuration field it fills.
        if let Some(location) = &error.location {
            error.location = Some(location.replace("command line: listener[0].", "command line: "));
        }
        error
    })
}

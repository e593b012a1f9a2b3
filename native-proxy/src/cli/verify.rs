//! `mtlskit verify LEAF`: does this certificate chain to a trusted CA, and if not, why.
//!
//! Unlike `openssl verify`, the certificates after the first one in LEAF are used as untrusted
//! intermediates, so a fullchain file verifies as a server would send it. Exit 0 valid, 1 not
//! valid (with the explanation), 2 bad input.

use std::net::IpAddr;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mtlskit::Error;
use mtlskit::decode::{self, Kind};
use mtlskit::verify::{self, Failure, Input, Item, Options, PeerName, Profile, Purpose, Verified};
use serde_json::json;

use super::args;
use super::files;
use super::report::{self, CliError};

/// The system trust store used when no `--ca` is given.
pub(super) const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// Arguments of `mtlskit verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The certificate to verify (PEM or DER); further certificates in the file are used as
    /// untrusted intermediates (a fullchain file works as is).
    #[arg(value_name = "LEAF")]
    leaf: String,
    /// Trusted CA certificates (PEM bundle or DER); repeatable. Default: the system bundle.
    #[arg(long = "ca", value_name = "FILE")]
    anchors: Vec<String>,
    /// Untrusted intermediate certificates to build the chain with; repeatable.
    #[arg(long = "untrusted", value_name = "FILE")]
    untrusted: Vec<String>,
    /// Expected DNS name of the peer (RFC 6125: SAN dNSName, left-most wildcard only).
    #[arg(long, value_name = "NAME", conflicts_with_all = ["ip", "email"])]
    host: Option<String>,
    /// Expected IP address of the peer (SAN iPAddress, exact).
    #[arg(long, value_name = "ADDR", conflicts_with = "email")]
    ip: Option<String>,
    /// Expected email address (SAN rfc822Name), for client certificates.
    #[arg(long, value_name = "ADDR")]
    email: Option<String>,
    /// What the certificate is for. Default: server with --host/--ip, client with --email,
    /// any otherwise.
    #[arg(long, value_enum)]
    purpose: Option<PurposeArg>,
    /// Verify at this RFC 3339 time instead of now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// CRLs to check revocation against; repeatable.
    #[arg(long = "crl", value_name = "FILE")]
    crls: Vec<String>,
    /// Certificate profile: compatible (private PKIs made with openssl: version 1 roots, CAs
    /// without keyUsage), rfc5280 (all RFC 5280 MUSTs) or webpki (CA/Browser Forum rules).
    #[arg(long, value_enum, default_value = "compatible")]
    profile: ProfileArg,
    /// Match --host against the subject commonName when the leaf has no subjectAltName
    /// (legacy certificates; RFC 9525 clients do not do this).
    #[arg(long)]
    cn_fallback: bool,
    /// Accept SHA-1 signatures (legacy certificates only).
    #[arg(long)]
    allow_sha1: bool,
    /// Accept RSA keys of 1024 to 2047 bits (legacy certificates only; not with webpki).
    #[arg(long)]
    allow_legacy_keys: bool,
    /// A certificate policy you accept (dotted OID; repeatable). Default: any policy (RFC 5280
    /// user-initial-policy-set).
    #[arg(long = "policy", value_name = "OID")]
    policies: Vec<String>,
    /// Require the path to be valid for a --policy (or any policy) (initial-explicit-policy).
    #[arg(long)]
    explicit_policy: bool,
    /// Do not follow policyMappings (initial-policy-mapping-inhibit).
    #[arg(long)]
    inhibit_policy_mapping: bool,
    /// anyPolicy in a certificate does not stand for other policies (initial-any-policy-inhibit).
    #[arg(long)]
    inhibit_any_policy: bool,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// `--purpose` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum PurposeArg {
    Server,
    Client,
    Any,
}

/// `--profile` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ProfileArg {
    Compatible,
    Rfc5280,
    Webpki,
}

/// Runs `mtlskit verify`.
pub fn run(arguments: &VerifyArgs) -> ExitCode {
    let prepared = options(arguments).and_then(|options| Ok((input(arguments)?, options)));
    let (input, options) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => return error.report(arguments.json),
    };
    match verify::verify(&input, &options) {
        Ok(verified) => {
            print_success(&verified, arguments);
            ExitCode::SUCCESS
        }
        Err(failure) if failure.path.is_empty() && failure.certificate.is_none() => {
            CliError::in_file(*failure.error, &arguments.leaf).report(arguments.json)
        }
        Err(failure) => {
            print_failure(&failure, arguments);
            ExitCode::from(1)
        }
    }
}

fn options(arguments: &VerifyArgs) -> Result<Options, CliError> {
    let mut options = Options::at(args::time(arguments.at.as_deref())?);
    options.peer_name = peer_name(arguments)?;
    options.purpose = match (arguments.purpose, &options.peer_name) {
        (Some(PurposeArg::Server), _) | (None, Some(PeerName::Dns(_) | PeerName::Ip(_))) => {
            Purpose::Server
        }
        (Some(PurposeArg::Client), _) | (None, Some(PeerName::Email(_))) => Purpose::Client,
        (Some(PurposeArg::Any), _) | (None, None) => Purpose::Any,
    };
    options.profile = match arguments.profile {
        ProfileArg::Compatible => Profile::Compatible,
        ProfileArg::Rfc5280 => Profile::Rfc5280,
        ProfileArg::Webpki => Profile::WebPki,
    };
    options.allow_sha1 = arguments.allow_sha1;
    options.allow_legacy_keys = arguments.allow_legacy_keys;
    options.common_name_fallback = arguments.cn_fallback;
    options.initial_policy_set = arguments.policies.clone();
    options.initial_explicit_policy = arguments.explicit_policy;
    options.initial_policy_mapping_inhibit = arguments.inhibit_policy_mapping;
    options.initial_any_policy_inhibit = arguments.inhibit_any_policy;
    options.signature_algorithms = crate::tls::signature_algorithms();
    Ok(options)
}

fn peer_name(arguments: &VerifyArgs) -> Result<Option<PeerName>, CliError> {
    if let Some(host) = &arguments.host {
        return Ok(Some(PeerName::Dns(host.clone())));
    }
    if let Some(address) = &arguments.ip {
        let parsed = address.parse::<IpAddr>().map_err(|_| CliError {
            error: Error::UnrecognizedInput {
                detail: format!("--ip {address} is not an IPv4 or IPv6 address"),
            },
            file: None,
        })?;
        return Ok(Some(PeerName::Ip(parsed)));
    }
    Ok(arguments.email.clone().map(PeerName::Email))
}

fn input(arguments: &VerifyArgs) -> Result<Input, CliError> {
    let mut leaf_file = certificates(&arguments.leaf)?.into_iter();
    let leaf = leaf_file.next();
    let mut intermediates: Vec<Item> = leaf_file.collect();
    for file in &arguments.untrusted {
        intermediates.extend(certificates(file)?);
    }
    let anchor_files = if arguments.anchors.is_empty() {
        vec![SYSTEM_BUNDLE.to_owned()]
    } else {
        arguments.anchors.clone()
    };
    let mut anchors = Vec::new();
    for file in &anchor_files {
        anchors.extend(certificates(file)?);
    }
    let mut crls = Vec::new();
    for file in &arguments.crls {
        crls.extend(items_of_kind(file, Kind::Crl, "CRL")?);
    }
    Ok(Input {
        leaf,
        intermediates,
        anchors,
        crls,
    })
}

fn certificates(file: &str) -> Result<Vec<Item>, CliError> {
    items_of_kind(file, Kind::Certificate, "certificate")
}

/// The items of `kind` in `file`, labelled `file` (or `file #n` when there are several).
fn items_of_kind(file: &str, kind: Kind, what: &str) -> Result<Vec<Item>, CliError> {
    let bytes = files::read_input(file)?;
    let blocks = decode::blocks(&bytes).map_err(|error| CliError::in_file(error, file))?;
    let mut found = Vec::new();
    for block in blocks {
        let block = block.map_err(|error| CliError::in_file(error, file))?;
        if decode::sniff(block.label.as_deref(), &block.der).ok() == Some(kind) {
            found.push(block.der);
        }
    }
    if found.is_empty() {
        let error = Error::UnrecognizedInput {
            detail: format!("no {what} in the file"),
        };
        return Err(CliError::in_file(error, file));
    }
    let several = found.len() > 1;
    Ok(found
        .into_iter()
        .enumerate()
        .map(|(index, der)| {
            let label = if several {
                format!("{file} #{}", index + 1)
            } else {
                file.to_owned()
            };
            Item::new(der, label)
        })
        .collect())
}

fn print_success(verified: &Verified, arguments: &VerifyArgs) {
    if arguments.json {
        let value = json!({"valid": true, "path": verified.path, "policies": verified.policies});
        report::write_stdout(&format!("{value:#}\n"));
        return;
    }
    let mut text = format!("{}: OK\n", arguments.leaf);
    for certificate in &verified.path {
        text.push_str(&format!(
            "  {} {:<12} {} ({})\n",
            certificate.index, certificate.role, certificate.subject, certificate.source
        ));
    }
    if !verified.policies.is_empty() {
        text.push_str(&format!("  policies: {}\n", verified.policies.join(", ")));
    }
    report::write_stdout(&text);
}

fn print_failure(failure: &Failure, arguments: &VerifyArgs) {
    if arguments.json {
        let value = json!({"valid": false, "failure": failure});
        report::write_stdout(&format!("{value:#}\n"));
        return;
    }
    let mut text = format!(
        "{}: NOT VALID [{}]\n{}\n",
        arguments.leaf,
        failure.code,
        failure.explanation()
    );
    if !failure.path.is_empty() {
        text.push_str("path tried:\n");
        for certificate in &failure.path {
            text.push_str(&format!(
                "  {} {:<12} {} ({})\n",
                certificate.index, certificate.role, certificate.subject, certificate.source
            ));
        }
    }
    report::write_stdout(&text);
}

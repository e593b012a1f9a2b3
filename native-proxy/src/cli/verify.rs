//! `mtlskit verify LEAF`: does this certificate chain to a trusted CA, and if not, why.
//!
//! Unlike `openssl verify`, the certificates after the first one in LEAF are used as untrusted
//! intermediates, so a fullchain file verifies as a server would send it. Exit 0 valid, 1 not
//! valid (with the explanation), 2 bad input.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mtlskit::api::{self, Input, VerifyPurpose, VerifyRequest, VerifyResponse};
use mtlskit::verify::{Failure, Profile};
use mtlskit::{Error, UnixTime};

use super::args;
use super::files;
use super::report::{self, CliError};

/// The system trust store used when no `--ca` is given.
pub(super) const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

// Arguments of `mtlskit verify`.
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
    let verified = request(arguments).and_then(|(request, time)| {
        api::verify_with(&request, time, crate::tls::signature_algorithms()).map_err(CliError::from)
    });
    match verified {
        Ok(response) if response.valid => {
            print_success(&response, arguments);
            ExitCode::SUCCESS
        }
        Ok(response) => {
            print_failure(&response, arguments);
            ExitCode::from(1)
        }
        Err(error) => error.report(arguments.json),
    }
}

/// The API request for the command line (files read, labelled with their names) and the time.
fn request(arguments: &VerifyArgs) -> Result<(VerifyRequest, UnixTime), CliError> {
    let time = args::time(arguments.at.as_deref())?;
    let read_all = |files: &[String]| -> Result<Vec<Input>, CliError> {
        files.iter().map(|file| read(file)).collect()
    };
    let anchor_files = if arguments.anchors.is_empty() {
        vec![SYSTEM_BUNDLE.to_owned()]
    } else {
        arguments.anchors.clone()
    };
    let request = VerifyRequest {
        leaf: read(&arguments.leaf)?,
        intermediates: read_all(&arguments.untrusted)?,
        anchors: read_all(&anchor_files)?,
        crls: read_all(&arguments.crls)?,
        host: arguments.host.clone(),
        ip: arguments.ip.clone(),
        email: arguments.email.clone(),
        purpose: arguments.purpose.map(|purpose| match purpose {
            PurposeArg::Server => VerifyPurpose::Server,
            PurposeArg::Client => VerifyPurpose::Client,
            PurposeArg::Any => VerifyPurpose::Any,
        }),
        profile: match arguments.profile {
            ProfileArg::Compatible => Profile::Compatible,
            ProfileArg::Rfc5280 => Profile::Rfc5280,
            ProfileArg::Webpki => Profile::WebPki,
        },
        allow_sha1: arguments.allow_sha1,
        allow_legacy_keys: arguments.allow_legacy_keys,
        cn_fallback: arguments.cn_fallback,
        policies: arguments.policies.clone(),
        explicit_policy: arguments.explicit_policy,
        inhibit_policy_mapping: arguments.inhibit_policy_mapping,
        inhibit_any_policy: arguments.inhibit_any_policy,
    };
    Ok((request, time))
}

fn read(file: &str) -> Result<Input, CliError> {
    Ok(Input::named(file, files::read_input(file)?))
}

fn print_success(response: &VerifyResponse, arguments: &VerifyArgs) {
    if arguments.json {
        report::print_json(response);
        return;
    }
    let mut text = format!("{}: OK\n", arguments.leaf);
    for certificate in response.path.iter().flatten() {
        text.push_str(&format!(
            "  {} {:<12} {} ({})\n",
            certificate.index, certificate.role, certificate.subject, certificate.source
        ));
    }
    if let Some(policies) = response
        .policies
        .as_ref()
        .filter(|policies| !policies.is_empty())
    {
        text.push_str(&format!("  policies: {}\n", policies.join(", ")));
    }
    report::write_stdout(&text);
}

fn print_failure(response: &VerifyResponse, arguments: &VerifyArgs) {
    if arguments.json {
        report::print_json(response);
        return;
    }
    let Some(failure) = &response.failure else {
        return;
    };
    let mut text = format!(
        "{}: NOT VALID [{}]\n{}{}\n",
        arguments.leaf,
        failure.code,
        failure.explanation(),
        command_line_hint(failure)
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

/// The flags of this command that carry out the core's fix hint.
fn command_line_hint(failure: &Failure) -> &'static str {
    match &*failure.error {
        Error::UnknownIssuer { .. } => {
            "\n  (mtlskit verify: intermediates with --untrusted FILE, your own root CA with --ca FILE)"
        }
        Error::ExtendedKeyUsageMissing { .. } => {
            "\n  (mtlskit verify: --purpose server|client|any)"
        }
        Error::NameMismatch { presented, .. } if presented.is_empty() => {
            "\n  (mtlskit verify: --cn-fallback accepts the commonName)"
        }
        _ => "",
    }
}

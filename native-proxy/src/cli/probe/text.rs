//! The readable report: one section per step of the connection, in the order it happened,
//! then every problem with its fix.

use std::fmt::Write;

use mtlskit::inspect::{CertificateReport, Item};

use super::outcome::{ClientAuthReport, ProbeReport, Severity};
use super::target::Target;
use crate::tls::credentials::Credentials;

/// Renders `report` for a person.
pub fn render(
    report: &ProbeReport,
    target: &Target,
    trusted: &str,
    credentials: Option<&Credentials>,
) -> String {
    let mut out = String::new();
    let address = target
        .resolved
        .map(|address| format!(" via {address}"))
        .unwrap_or_default();
    line(&mut out, &format!("probe {}{address}", target.authority()));
    tls(&mut out, report);
    chain(&mut out, report, trusted, &target.name);
    client_auth(&mut out, &report.client_auth, credentials);
    http(&mut out, report);
    problems(&mut out, report);
    out
}

fn tls(out: &mut String, report: &ProbeReport) {
    let tls = &report.tls;
    line(out, "\nTLS");
    let Some(version) = &tls.version else {
        field(
            out,
            "handshake",
            &format!("failed after {} ms", tls.handshake_ms),
        );
        return;
    };
    field(out, "version", version);
    field(
        out,
        "cipher suite",
        tls.cipher_suite.as_deref().unwrap_or("?"),
    );
    field(
        out,
        "key exchange",
        tls.key_exchange.as_deref().unwrap_or("?"),
    );
    let offered = if tls.alpn.offered.is_empty() {
        "nothing".to_owned()
    } else {
        tls.alpn.offered.join(", ")
    };
    let chosen = tls.alpn.chosen.as_deref().unwrap_or("none");
    field(out, "ALPN", &format!("offered {offered}; chosen {chosen}"));
    field(
        out,
        "SNI",
        tls.sni.as_deref().unwrap_or("not sent (IP address)"),
    );
    field(out, "handshake", &format!("{} ms", tls.handshake_ms));
    let resumed = match tls.resumed {
        Some(true) => "yes: a second connection resumed the session",
        Some(false) => {
            "no: a second connection made a full handshake (no session cache or tickets)"
        }
        None => "not tried",
    };
    field(out, "resumption", resumed);
}

fn chain(out: &mut String, report: &ProbeReport, trusted: &str, name: &str) {
    let count = report.server_chain.len();
    let plural = if count == 1 { "" } else { "s" };
    line(
        out,
        &format!("\nServer chain ({count} certificate{plural} sent)"),
    );
    for item in &report.server_chain {
        match item {
            Item::Certificate(certificate) => certificate_lines(out, certificate),
            Item::Error(error) => line(
                out,
                &format!(
                    "  #{} unreadable: {}",
                    error.source.index, error.error.message
                ),
            ),
            _ => {}
        }
    }
    let verification = &report.verification;
    let verdict = match &verification.code {
        None => "OK".to_owned(),
        Some(code) => format!("NOT VALID [{code}]"),
    };
    line(
        out,
        &format!("\nVerification against {trusted}, for {name}: {verdict}"),
    );
    line(out, &format!("  {}", verification.explanation));
}

fn certificate_lines(out: &mut String, certificate: &CertificateReport) {
    line(
        out,
        &format!("  #{} {}", certificate.source.index, certificate.subject),
    );
    line(out, &format!("     issued by {}", certificate.issuer));
    let validity = match certificate.validity.status {
        "valid" => format!("{} days left", certificate.validity.days_remaining),
        other => other.replace('_', " "),
    };
    line(
        out,
        &format!(
            "     valid {} to {} ({validity})",
            certificate.not_before, certificate.not_after
        ),
    );
    if !certificate.subject_alt_names.is_empty() {
        let names: Vec<String> = certificate
            .subject_alt_names
            .iter()
            .map(|name| format!("{}:{}", name.name_type.to_uppercase(), name.value))
            .collect();
        line(out, &format!("     SAN {}", names.join(", ")));
    }
    let role = if certificate.self_signed {
        "self-signed CA"
    } else if certificate.is_ca {
        "CA"
    } else {
        "end entity"
    };
    line(
        out,
        &format!("     {role}, SHA-256 {}", certificate.fingerprints.sha256),
    );
}

fn client_auth(out: &mut String, auth: &ClientAuthReport, credentials: Option<&Credentials>) {
    line(out, "\nClient authentication");
    match auth.requested {
        None => {
            field(
                out,
                "requested",
                "unknown: the handshake ended before the server could ask",
            );
            return;
        }
        Some(false) => {
            field(
                out,
                "requested",
                "no: the server did not ask for a client certificate",
            );
            return;
        }
        Some(true) => field(
            out,
            "requested",
            "yes: the server asks for a client certificate",
        ),
    }
    let acceptable = if auth.acceptable_cas.is_empty() {
        "(none listed: any issuer)".to_owned()
    } else {
        auth.acceptable_cas.join("\n                  ")
    };
    field(out, "acceptable CAs", &acceptable);
    if let Some(check) = &auth.issuer_check {
        field(out, "before sending", check);
    }
    let sent = match (auth.sent, credentials) {
        (true, Some(credentials)) => format!("yes, from {}", credentials.source),
        (true, None) => "yes".to_owned(),
        (false, Some(_)) => {
            "no: the server accepts none of your key's signature schemes".to_owned()
        }
        (false, None) => "no: no client certificate given (--cert/--key or --p12)".to_owned(),
    };
    field(out, "sent", &sent);
    let accepted = match (auth.accepted, &auth.refusal) {
        (Some(false), Some(refusal)) => format!("no: {refusal}"),
        (Some(false), None) => "no".to_owned(),
        (Some(true), _) => "yes".to_owned(),
        (None, _) => "unknown".to_owned(),
    };
    field(out, "accepted", &accepted);
}

fn http(out: &mut String, report: &ProbeReport) {
    let (Some(version), Some(status)) = (&report.http.version, report.http.status) else {
        return;
    };
    line(out, "\nHTTP");
    field(out, "status", &format!("{version} {status}"));
}

fn problems(out: &mut String, report: &ProbeReport) {
    if report.problems.is_empty() {
        line(out, "\nResult: OK");
        return;
    }
    line(out, "\nProblems");
    for problem in &report.problems {
        let severity = match problem.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        line(
            out,
            &format!("  {severity}[{}]: {}", problem.code, problem.message),
        );
        line(out, &format!("    fix: {}", problem.hint));
    }
    let result = if report.failed() {
        "FAILED"
    } else {
        "OK, with warnings"
    };
    line(out, &format!("\nResult: {result}"));
}

fn field(out: &mut String, name: &str, value: &str) {
    line(out, &format!("  {name:<16}{value}"));
}

fn line(out: &mut String, text: &str) {
    let _ = writeln!(out, "{text}");
}

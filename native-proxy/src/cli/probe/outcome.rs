//! The probe's report: what the connections showed, turned into the `--json` document
//! (`tls`, `server_chain`, `verification`, `client_auth`, `http`, plus `problems`, the named
//! reasons behind exit code 1) and the exit code.

use std::time::Duration;

use mtlskit::inspect::Item;
use serde::Serialize;

use super::alerts::{AlertReport, TlsFailure};
use super::capture::Observed;
use super::chain::Verification;
use super::client_auth;
use super::connect::Negotiated;
use super::http::Exchange;

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    /// The handshake.
    pub tls: TlsReport,
    /// Each certificate the server sent, inspected, in its order.
    pub server_chain: Vec<Item>,
    /// The verdict on the server's chain.
    pub verification: Verification,
    /// Client authentication.
    pub client_auth: ClientAuthReport,
    /// The HTTP exchange (`null` members when none was made).
    pub http: HttpReport,
    /// Every problem found, errors first; an error means exit code 1.
    pub problems: Vec<Problem>,
}

/// The handshake of the first connection.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TlsReport {
    /// `TLSv1.2` or `TLSv1.3`; `null` when the handshake failed.
    pub version: Option<String>,
    /// The IANA cipher suite name.
    pub cipher_suite: Option<String>,
    /// The key exchange group.
    pub key_exchange: Option<String>,
    /// ALPN protocols offered and chosen.
    pub alpn: AlpnReport,
    /// The SNI name sent (`null` for IP addresses, which SNI cannot carry).
    pub sni: Option<String>,
    /// Whether a second connection resumed the session; `null` when not tried.
    pub resumed: Option<bool>,
    /// How long the first handshake took, in milliseconds.
    pub handshake_ms: u64,
}

/// ALPN offered and chosen.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AlpnReport {
    /// What the client offered, in order.
    pub offered: Vec<String>,
    /// What the server chose, if anything.
    pub chosen: Option<String>,
}

/// Client authentication as it happened.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ClientAuthReport {
    /// Whether the server asked for a certificate (`null` when the handshake ended before
    /// it could).
    pub requested: Option<bool>,
    /// The acceptable CA names of the CertificateRequest, RFC 4514.
    pub acceptable_cas: Vec<String>,
    /// Whether a certificate was sent.
    pub sent: bool,
    /// Whether the server went on with what we sent (or did not send); `null` when it did
    /// not ask or the handshake failed before.
    pub accepted: Option<bool>,
    /// The alert the server refused with, if it did so with an alert.
    pub alert: Option<AlertReport>,
    /// Our chain against the acceptable names, said before the certificate was sent.
    #[serde(skip)]
    pub issuer_check: Option<String>,
    /// How the server refused, in a sentence.
    #[serde(skip)]
    pub refusal: Option<String>,
}

/// The HTTP answer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HttpReport {
    /// `HTTP/2`, `HTTP/1.1` or `HTTP/1.0`.
    pub version: Option<String>,
    /// The status code.
    pub status: Option<u16>,
}

/// A named problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// A stable code, e.g. `IntermediateMissing`.
    pub code: String,
    /// `error` (exit code 1) or `warning`.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something asked for did not work.
    Error,
    /// Worth fixing; did not stop anything.
    Warning,
}

impl Problem {
    /// An error.
    pub fn error(code: &str, message: &str, hint: &str) -> Self {
        Self::new(code, Severity::Error, message, hint)
    }

    /// A warning.
    pub fn warning(code: &str, message: &str, hint: &str) -> Self {
        Self::new(code, Severity::Warning, message, hint)
    }

    fn new(code: &str, severity: Severity, message: &str, hint: &str) -> Self {
        Self {
            code: code.to_owned(),
            severity,
            message: message.to_owned(),
            hint: hint.to_owned(),
        }
    }
}

/// What the first connection (and the resumption attempt) showed.
#[derive(Debug, Default)]
pub struct Findings {
    /// What the handshake negotiated, when it completed.
    pub negotiated: Option<Negotiated>,
    /// How long it took.
    pub handshake_time: Duration,
    /// Why it did not complete.
    pub handshake_failure: Option<TlsFailure>,
    /// What the rustls callbacks saw.
    pub observed: Observed,
    /// A refusal read right after a TLS 1.3 handshake (no HTTP request to carry it).
    pub post_handshake: Option<TlsFailure>,
    /// The HTTP exchange, when one was made.
    pub exchange: Option<Exchange>,
    /// Whether the second connection resumed; `None` when not tried.
    pub resumed: Option<bool>,
}

impl ProbeReport {
    /// Exit code 1 when any problem is an error, else 0.
    pub fn failed(&self) -> bool {
        self.problems
            .iter()
            .any(|problem| problem.severity == Severity::Error)
    }
}

/// The client authentication part of the report, with its problems.
pub fn client_auth(
    findings: &Findings,
    our_chain: Option<&[Vec<u8>]>,
) -> (ClientAuthReport, Vec<Problem>) {
    let mut problems = Vec::new();
    let Some(request) = &findings.observed.certificate_request else {
        let requested = findings.negotiated.is_some().then_some(false);
        return (
            ClientAuthReport {
                requested,
                ..ClientAuthReport::default()
            },
            problems,
        );
    };
    let acceptable_cas = client_auth::names(&request.acceptable_cas);
    let mut report = ClientAuthReport {
        requested: Some(true),
        acceptable_cas,
        sent: request.sent,
        ..ClientAuthReport::default()
    };
    if let Some(chain) = our_chain {
        let check = client_auth::check(chain, &request.acceptable_cas);
        report.issuer_check = Some(check.describe(&report.acceptable_cas));
        if let Some(hint) = check.hint() {
            problems.push(Problem::warning(
                "IssuerNotAcceptable",
                &check.describe(&report.acceptable_cas),
                &hint,
            ));
        }
        if request.scheme_refused {
            problems.push(Problem::error(
                "ClientKeyTypeRefused",
                "the server accepts none of the signature schemes of your key, so no certificate was sent",
                "use a client key of a type the server accepts (ECDSA P-256 or RSA are the safest)",
            ));
        }
    }
    judge_acceptance(findings, &mut report, &mut problems);
    (report, problems)
}

/// Did the server go on after the certificate request? An alert (in the handshake, or after
/// it in TLS 1.3), a refusal page, or a normal answer says.
fn judge_acceptance(
    findings: &Findings,
    report: &mut ClientAuthReport,
    problems: &mut Vec<Problem>,
) {
    let refusal = [
        findings.handshake_failure.as_ref(),
        findings.post_handshake.as_ref(),
        findings
            .exchange
            .as_ref()
            .and_then(|exchange| exchange.failure.as_ref()),
    ]
    .into_iter()
    .flatten()
    .find(|failure| matches!(failure, TlsFailure::Alert(_) | TlsFailure::Closed));
    if let Some(failure) = refusal {
        report.accepted = Some(false);
        report.alert = failure.alert();
        let sentence = failure.describe();
        let (code, hint) = if report.sent {
            (
                "ClientCertificateRefused",
                "check that your certificate is issued by one of the acceptable CAs, valid now, has extendedKeyUsage clientAuth, and that your --cert file carries its intermediates",
            )
        } else {
            (
                "ClientCertificateRequired",
                "pass a client certificate: --cert FILE --key FILE, or --p12 FILE",
            )
        };
        let message = format!(
            "the server asked for a client certificate, then ended the connection: {sentence}"
        );
        problems.push(Problem::error(code, &message, hint));
        report.refusal = Some(sentence);
        return;
    }
    if let Some(page) = findings
        .exchange
        .as_ref()
        .and_then(|exchange| exchange.refusal.as_ref())
    {
        report.accepted = Some(false);
        report.refusal = Some(page.explanation.clone());
        problems.push(Problem::error(page.code, &page.explanation, &page.hint));
        return;
    }
    report.accepted = findings.negotiated.as_ref().map(|_| true);
}

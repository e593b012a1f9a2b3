//! The server's chain as sent: each certificate inspected, the core verifier's verdict, and
//! the usual server mistakes named plainly (intermediate missing from the server's file, chain
//! in the wrong order, root sent needlessly, name not in the SANs, expired, wrong key).

use mtlskit::UnixTime;
use mtlskit::inspect::{self, CertificateReport, Item};
use mtlskit::verify::{Failure, Verified};
use mtlskit::x509::extensions::ExtensionValue;
use serde::Serialize;

use super::outcome::Problem;
use super::trust::sent_label;

/// The verdict on the server's chain, as `--json` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// Whether the chain verified for the name connected to.
    pub valid: bool,
    /// `null` when valid; else a stable code (`IntermediateMissing`, `UntrustedRoot`, or
    /// the core verifier's, e.g. `NameMismatch`, `Expired`).
    pub code: Option<String>,
    /// What was found, in sentences.
    pub explanation: String,
    /// What to do; `null` when valid.
    pub hint: Option<String>,
}

/// Everything about the server's chain.
#[derive(Debug, Clone)]
pub struct ChainReport {
    /// The inspect report of each certificate, in the server's order.
    pub items: Vec<Item>,
    /// The verdict.
    pub verification: Verification,
    /// Named mistakes: the verdict's (error) and chain-shape remarks (warnings).
    pub problems: Vec<Problem>,
}

/// Inspects `chain` (as sent) and explains `verdict`, checked against `trusted` (a
/// description of the anchors) for `name`.
pub fn analyse(
    chain: &[Vec<u8>],
    verdict: Option<&Result<Verified, Failure>>,
    trusted: &str,
    name: &str,
    at: UnixTime,
) -> ChainReport {
    let items = inspect_all(chain, at);
    let reports: Vec<&CertificateReport> = items
        .iter()
        .filter_map(|item| match item {
            Item::Certificate(report) => Some(report.as_ref()),
            _ => None,
        })
        .collect();
    let (verification, mut problems) = match verdict {
        None => unverified(),
        Some(Ok(verified)) => valid(verified, trusted, name),
        Some(Err(failure)) => invalid(failure, &reports, trusted, name),
    };
    problems.extend(shape(&reports, verdict));
    ChainReport {
        items,
        verification,
        problems,
    }
}

fn inspect_all(chain: &[Vec<u8>], at: UnixTime) -> Vec<Item> {
    let options = inspect::Options {
        source: "server".to_owned(),
        password: None,
        key_password: None,
        at,
    };
    chain
        .iter()
        .enumerate()
        .flat_map(|(index, der)| {
            let items = inspect::inspect(der, &options).map_or_else(
                |error| vec![Item::Error(error_item(index, &error))],
                |report| report.items,
            );
            items.into_iter().map(move |item| relabel(item, index))
        })
        .collect()
}

fn error_item(index: usize, error: &mtlskit::Error) -> inspect::ErrorItem {
    inspect::ErrorItem {
        source: inspect::Source {
            file: "server".to_owned(),
            index,
            container: None,
            alias: None,
        },
        error: error.into(),
    }
}

fn relabel(mut item: Item, index: usize) -> Item {
    match &mut item {
        Item::Certificate(report) => report.source.index = index,
        Item::Error(error) => error.source.index = index,
        _ => {}
    }
    item
}

fn unverified() -> (Verification, Vec<Problem>) {
    let verification = Verification {
        valid: false,
        code: Some("NoCertificate".to_owned()),
        explanation: "the connection ended before the server sent its certificate".to_owned(),
        hint: Some("see the handshake failure above".to_owned()),
    };
    (verification, Vec::new())
}

fn valid(verified: &Verified, trusted: &str, name: &str) -> (Verification, Vec<Problem>) {
    let path: Vec<String> = verified
        .path
        .iter()
        .map(|certificate| format!("'{}'", certificate.subject))
        .collect();
    let verification = Verification {
        valid: true,
        code: None,
        explanation: format!(
            "the chain verifies for {name} against {trusted}: {}",
            path.join(" <- ")
        ),
        hint: None,
    };
    (verification, Vec::new())
}

fn invalid(
    failure: &Failure,
    reports: &[&CertificateReport],
    trusted: &str,
    name: &str,
) -> (Verification, Vec<Problem>) {
    let (code, explanation, hint) = match failure.code {
        "UnknownIssuer" => unknown_issuer(failure, reports, trusted),
        "NameMismatch" => name_mismatch(failure, reports, name),
        _ => (
            failure.code.to_owned(),
            failure.message.clone(),
            failure.hint.clone(),
        ),
    };
    let problem = Problem::error(&code, &explanation, &hint);
    let verification = Verification {
        valid: false,
        code: Some(code),
        explanation,
        hint: Some(hint),
    };
    (verification, vec![problem])
}

/// The verifier found no issuer for a certificate: which of the usual mistakes is it?
fn unknown_issuer(
    failure: &Failure,
    reports: &[&CertificateReport],
    trusted: &str,
) -> (String, String, String) {
    let Some(certificate) = failure.certificate.as_deref() else {
        return (
            failure.code.to_owned(),
            failure.message.clone(),
            failure.hint.clone(),
        );
    };
    let report = reports.get(certificate.index);
    let subject = &certificate.subject;
    let issuer = &certificate.issuer;
    let sent = reports.len();
    if report.is_some_and(|report| report.self_signed) {
        return (
            "UntrustedRoot".to_owned(),
            format!(
                "the chain the server sent ends at the self-signed '{subject}', which is not among the trusted CAs ({trusted})"
            ),
            format!(
                "if you trust '{subject}', pass its certificate with --ca; a server certificate for public clients must come from a CA they trust"
            ),
        );
    }
    let is_ca = report.is_some_and(|report| report.is_ca);
    let where_ = aia_hint(report.copied());
    if is_ca {
        return (
            "UntrustedRoot".to_owned(),
            format!(
                "the chain the server sent ends at '{subject}', issued by '{issuer}', which is neither sent by the server nor among the trusted CAs ({trusted})"
            ),
            format!(
                "if '{issuer}' is the root CA of this server, pass it with --ca; if it is another intermediate CA, the server must send it too: append it to the server's certificate file{where_}"
            ),
        );
    }
    let count = if sent == 1 {
        "only its own certificate".to_owned()
    } else {
        format!("{sent} certificates")
    };
    (
        "IntermediateMissing".to_owned(),
        format!(
            "intermediate certificate missing: the server sent {count}, and not the certificate of '{issuer}' that issued '{subject}'; '{issuer}' is not among the trusted CAs ({trusted}) either"
        ),
        format!(
            "append the certificate of the intermediate CA '{issuer}' to the server's certificate file, after the server certificate (cat server.crt intermediate.crt > fullchain.crt; nginx: ssl_certificate fullchain.crt){where_}; if '{issuer}' is a root CA you trust, pass it with --ca instead"
        ),
    )
}

/// Where the leaf says its issuer's certificate can be downloaded (AIA caIssuers), if it does.
fn aia_hint(report: Option<&CertificateReport>) -> String {
    let url = report.and_then(|report| {
        report
            .extensions
            .iter()
            .find_map(|extension| match &extension.value {
                ExtensionValue::AccessDescriptions(descriptions) => descriptions
                    .iter()
                    .find(|description| description.method == "caIssuers")
                    .map(|description| description.location.value.clone()),
                _ => None,
            })
    });
    url.map(|url| format!(" (it can be downloaded from {url}, the leaf's caIssuers address)"))
        .unwrap_or_default()
}

fn name_mismatch(
    failure: &Failure,
    reports: &[&CertificateReport],
    name: &str,
) -> (String, String, String) {
    let names: Vec<String> = reports
        .first()
        .map(|leaf| {
            leaf.subject_alt_names
                .iter()
                .map(|alt| format!("{}:{}", alt.name_type.to_uppercase(), alt.value))
                .collect()
        })
        .unwrap_or_default();
    let listed = if names.is_empty() {
        "no subjectAltName at all".to_owned()
    } else {
        names.join(", ")
    };
    (
        "NameMismatch".to_owned(),
        format!(
            "the name connected to, '{name}', is not in the server certificate's SANs ({listed})"
        ),
        format!(
            "{}; to check the certificate under another name, use --server-name or --resolve",
            failure.hint
        ),
    )
}

/// Remarks on the shape of the chain as sent: order, extra certificates, the root.
fn shape(
    reports: &[&CertificateReport],
    verdict: Option<&Result<Verified, Failure>>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let out_of_order = reports
        .windows(2)
        .filter_map(|pair| match pair {
            [lower, upper] => Some((lower, upper)),
            _ => None,
        })
        .any(|(lower, upper)| lower.issuer != upper.subject && !lower.self_signed);
    let used: Vec<&str> = match verdict {
        Some(Ok(verified)) => verified
            .path
            .iter()
            .map(|certificate| certificate.source.as_str())
            .collect(),
        _ => Vec::new(),
    };
    if out_of_order {
        let order: Vec<String> = reports
            .iter()
            .enumerate()
            .map(|(index, report)| {
                format!(
                    "#{index} '{}' (issued by '{}')",
                    report.subject, report.issuer
                )
            })
            .collect();
        problems.push(Problem::warning(
            "ChainOrder",
            &format!("the server sends its chain out of order: {}", order.join(", ")),
            "order the server's certificate file leaf first, then the CA that issued it, then that CA's issuer; TLS 1.2 clients may refuse any other order",
        ));
    }
    if !used.is_empty() {
        for (index, report) in reports.iter().enumerate() {
            let label = sent_label(index);
            if index > 0 && !used.contains(&label.as_str()) && !report.self_signed {
                problems.push(Problem::warning(
                    "UnneededCertificate",
                    &format!(
                        "the server sends '{}' (#{index}), which is not part of its chain",
                        report.subject
                    ),
                    "remove it from the server's certificate file",
                ));
            }
        }
    }
    if let Some(last) = reports
        .last()
        .filter(|last| reports.len() > 1 && last.self_signed)
    {
        problems.push(Problem::warning(
            "RootSent",
            &format!("the server also sends the root CA '{}': clients must already have it to trust it, so it only adds bytes to every handshake", last.subject),
            "drop the root certificate from the server's certificate file (keep the leaf and the intermediates)",
        ));
    }
    problems
}

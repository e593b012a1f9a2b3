//! `mtlskit proxy check`: everything `run` would refuse, found before serving. Keys matching
//! certificates and readable files are proven by loading (see `credentials.rs`); this adds the
//! chain (complete, in order, verified by the core with `mtlskit verify`'s explanations, for
//! the right purpose), expiry (refused when past, warned when near), the names clients use,
//! CA and CRL usability, and (for `check` only) whether the ports are free.

use std::time::Duration;

use mtlskit::UnixTime;
use mtlskit::verify::{self, Input, Item, Options, Purpose};
use serde::Serialize;

use super::config::{Config, Direction, ListenAddress, ListenerConfig};
use super::credentials::{LoadedCertificate, LoadedCrl, load_trust};
use super::state::ListenerState;
use super::tls;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// `run` refuses to start (and a reload keeps the old state).
    Error,
    /// Worth fixing soon.
    Warning,
    /// Fine, for the record.
    Ok,
}

/// One thing `check` found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// How bad.
    pub severity: Severity,
    /// The listener.
    pub listener: String,
    /// Stable code (the core's verification codes, `Expired`, `ExpiresSoon`, `AddressInUse`...).
    pub code: &'static str,
    /// What was found.
    pub message: String,
    /// The file concerned.
    pub file: Option<String>,
    /// What to do.
    pub hint: Option<String>,
}

impl Finding {
    fn new(
        severity: Severity,
        listener: &str,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            listener: listener.to_owned(),
            code,
            message: message.into(),
            file: None,
            hint: None,
        }
    }

    fn file(mut self, file: &str) -> Self {
        self.file = Some(file.to_owned());
        self
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        let hint = hint.into();
        if !hint.is_empty() {
            self.hint = Some(hint);
        }
        self
    }

    /// The message with its file.
    pub fn message_with_file(&self) -> String {
        match &self.file {
            Some(file) => format!("{} ({file})", self.message),
            None => self.message.clone(),
        }
    }

    /// The finding as text lines.
    pub fn text(&self) -> String {
        let label = match self.severity {
            Severity::Error => format!("error[{}]", self.code),
            Severity::Warning => format!("warning[{}]", self.code),
            Severity::Ok => "ok".to_owned(),
        };
        let mut text = format!(
            "  {label} listener '{}': {}",
            self.listener,
            self.message_with_file()
        );
        if let Some(hint) = &self.hint {
            text.push_str(&format!("\n    fix: {hint}"));
        }
        text
    }

    /// Logs the finding (warnings and errors) through `tracing`.
    pub fn log(&self) {
        let message = self.message_with_file();
        match self.severity {
            Severity::Error => {
                tracing::error!(listener = %self.listener, code = self.code, hint = self.hint.as_deref().unwrap_or(""), "{message}")
            }
            Severity::Warning => {
                tracing::warn!(listener = %self.listener, code = self.code, hint = self.hint.as_deref().unwrap_or(""), "{message}")
            }
            Severity::Ok => {}
        }
    }
}

/// Checks every listener's loaded state at `now`.
pub fn check_all(config: &Config, states: &[ListenerState], now: UnixTime) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (listener, state) in config.listeners.iter().zip(states) {
        for warning in &state.warnings {
            findings.push(Finding::new(
                Severity::Warning,
                &listener.name,
                "CipherSuiteSkipped",
                warning.clone(),
            ));
        }
        let anchors = own_trust(listener);
        for certificate in &state.certificates {
            findings.extend(check_certificate(
                listener,
                certificate,
                &anchors,
                now,
                config.expiry_warning,
            ));
        }
        findings.extend(check_names(listener, &state.certificates));
        findings.extend(check_crls(
            listener,
            &state.crls,
            now,
            config.expiry_warning,
        ));
    }
    findings
}

/// Whether each listening address can be bound now (for `check`; `run` binds for real).
pub fn check_ports(config: &Config) -> Vec<Finding> {
    config
        .listeners
        .iter()
        .filter_map(|listener| {
            let ListenAddress::Socket(address) = listener.listen else {
                return None;
            };
            if address.port() == 0 {
                return None;
            }
            Some(match std::net::TcpListener::bind(address) {
                Ok(_) => Finding::new(
                    Severity::Ok,
                    &listener.name,
                    "PortFree",
                    format!("{address} is free"),
                ),
                Err(error) => Finding::new(
                    Severity::Error,
                    &listener.name,
                    "AddressInUse",
                    format!("cannot listen on {address}: {error}"),
                )
                .hint("stop what listens there (ss -ltnp), or choose another port"),
            })
        })
        .collect()
}

/// The trust anchors this listener knows that may have issued its own certificate: the
/// client CA files of a terminate listener (often the same PKI). Unreadable files were
/// reported by loading already.
fn own_trust(listener: &ListenerConfig) -> Vec<Item> {
    let files = match (&listener.client_auth, &listener.upstream_tls) {
        (Some(auth), _) => auth.ca.clone(),
        (None, Some(upstream)) => upstream.ca.clone(),
        (None, None) => Vec::new(),
    };
    load_trust(&files, &[])
        .map(|(trust, _)| trust.anchors)
        .unwrap_or_default()
}

fn check_certificate(
    listener: &ListenerConfig,
    certificate: &LoadedCertificate,
    anchors: &[Item],
    now: UnixTime,
    warning: Duration,
) -> Vec<Finding> {
    let name = &listener.name;
    let file = &certificate.file;
    let identity = &certificate.identity;
    let mut findings = Vec::new();
    let remaining = identity.not_after.seconds() - now.seconds();
    let warning_seconds = i64::try_from(warning.as_secs()).unwrap_or(i64::MAX);
    if remaining > 0 && remaining < warning_seconds {
        findings.push(
            Finding::new(
                Severity::Warning,
                name,
                "ExpiresSoon",
                format!(
                    "{} expires on {} (in {} days)",
                    identity.subject,
                    identity.not_after.to_rfc3339(),
                    remaining / 86_400
                ),
            )
            .file(file)
            .hint("renew it; the proxy reloads the new file by itself"),
        );
    }
    let purpose = match listener.direction {
        Direction::Terminate => Purpose::Server,
        Direction::Originate => Purpose::Client,
    };
    let chain: Vec<&[u8]> = certificate
        .certified
        .cert
        .iter()
        .map(|der| der.as_ref())
        .collect();
    findings.extend(check_order(name, file, &certificate.certified.cert));
    findings.push(verify_own_chain(name, file, &chain, purpose, anchors, now));
    findings
}

/// A certificate's subject and issuer (DER) and its subject as text.
type ChainNames = (Vec<u8>, Vec<u8>, String);

/// Each certificate of the chain file must be issued by the next one.
fn check_order(
    listener: &str,
    file: &str,
    chain: &[rustls::pki_types::CertificateDer<'static>],
) -> Vec<Finding> {
    let names: Vec<Option<ChainNames>> = chain
        .iter()
        .map(|der| {
            let certificate = mtlskit::x509::parse_certificate(der).ok()?;
            let (subject, issuer) = (certificate.subject(), certificate.issuer());
            Some((
                subject.to_der(),
                issuer.to_der(),
                mtlskit::x509::name::rfc4514(&subject),
            ))
        })
        .collect();
    names
        .windows(2)
        .enumerate()
        .filter_map(|(index, pair)| {
            let [Some((_, issuer, subject)), Some((next_subject, _, next_name))] = pair else {
                return None;
            };
            (issuer != next_subject).then(|| {
                Finding::new(Severity::Error, listener, "ChainOrder", format!("certificate #{} ({next_name}) did not issue certificate #{} ({subject})", index + 2, index + 1))
                    .file(file)
                    .hint("put the leaf first, then each certificate followed by its issuer (mtlskit bundle orders a chain)")
            })
        })
        .collect()
}

/// Verifies the listener's own chain with the core: against the CA files it knows, or else
/// up to the last certificate of the file.
fn verify_own_chain(
    listener: &str,
    file: &str,
    chain: &[&[u8]],
    purpose: Purpose,
    anchors: &[Item],
    now: UnixTime,
) -> Finding {
    let Some((leaf, rest)) = chain.split_first() else {
        return Finding::new(Severity::Error, listener, "EmptyInput", "no certificate").file(file);
    };
    let mut options = Options::at(now);
    options.signature_algorithms = crate::tls::signature_algorithms();
    options.purpose = purpose.clone();
    let item = |der: &[u8], index: usize| Item::new(der.to_vec(), format!("{file} #{index}"));
    let intermediates: Vec<Item> = rest
        .iter()
        .enumerate()
        .map(|(index, der)| item(der, index + 2))
        .collect();
    let full = Input {
        leaf: Some(item(leaf, 1)),
        intermediates: intermediates.clone(),
        anchors: anchors.to_vec(),
        crls: Vec::new(),
    };
    let what = if purpose == Purpose::Server {
        "server"
    } else {
        "client"
    };
    let first = verify::verify(&full, &options);
    let failure = match first {
        Ok(verified) => {
            let anchor = verified
                .path
                .last()
                .map(|certificate| certificate.subject.clone())
                .unwrap_or_default();
            return Finding::new(
                Severity::Ok,
                listener,
                "ChainVerified",
                format!("the {what} chain verifies up to {anchor}"),
            )
            .file(file);
        }
        Err(failure) => failure,
    };
    if failure.code != "UnknownIssuer" || rest.is_empty() {
        if failure.code == "UnknownIssuer" {
            return Finding::new(Severity::Ok, listener, "ChainNotChecked", format!("the issuer of this {what} certificate is not in this listener's CA files: its peers must trust it")).file(file);
        }
        return Finding::new(
            Severity::Error,
            listener,
            failure.code,
            failure.message.clone(),
        )
        .file(file)
        .hint(failure.hint.clone());
    }
    // The chain ends below a root this listener does not know: check it up to its last
    // certificate, which peers must trust or be able to complete.
    let (top, middle) = intermediates
        .split_last()
        .map_or((None, Vec::new()), |(top, middle)| {
            (Some(top.clone()), middle.to_vec())
        });
    let partial = Input {
        leaf: Some(item(leaf, 1)),
        intermediates: middle,
        anchors: top.into_iter().collect(),
        crls: Vec::new(),
    };
    match verify::verify(&partial, &options) {
        Ok(_) => Finding::new(Severity::Ok, listener, "ChainNotChecked", format!("the {what} chain is in order; its last certificate's issuer is not in this listener's CA files, so peers must trust it")).file(file),
        Err(failure) => Finding::new(Severity::Error, listener, failure.code, failure.message.clone()).file(file).hint(failure.hint.clone()),
    }
}

/// Every name in `tls.server_names` must be covered by a certificate; with several
/// certificates, each must have a DNS name for SNI to choose it.
fn check_names(listener: &ListenerConfig, certificates: &[LoadedCertificate]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for name in &listener.tls.server_names {
        let covered = certificates.iter().any(|certificate| {
            let identity = &certificate.identity;
            tls::covers(&identity.dns_names, name)
                || identity.ip_addresses.iter().any(|address| address == name)
        });
        if !covered {
            let names: Vec<String> = certificates
                .iter()
                .flat_map(|certificate| {
                    certificate
                        .identity
                        .dns_names
                        .iter()
                        .chain(&certificate.identity.ip_addresses)
                        .cloned()
                })
                .collect();
            findings.push(
                Finding::new(Severity::Error, &listener.name, "NameMismatch", format!("no certificate covers the server name {name} (they cover: {})", names.join(", ")))
                    .hint(format!("issue a certificate with subjectAltName {name} (mtlskit cert new --profile server --san {name})")),
            );
        }
    }
    if certificates.len() > 1 {
        for certificate in certificates
            .iter()
            .skip(1)
            .filter(|certificate| certificate.identity.dns_names.is_empty())
        {
            findings.push(
                Finding::new(
                    Severity::Warning,
                    &listener.name,
                    "NoSniName",
                    "this certificate has no DNS subjectAltName, so SNI can never choose it",
                )
                .file(&certificate.file),
            );
        }
    }
    findings
}

fn check_crls(
    listener: &ListenerConfig,
    crls: &[LoadedCrl],
    now: UnixTime,
    warning: Duration,
) -> Vec<Finding> {
    let warning_seconds = i64::try_from(warning.as_secs()).unwrap_or(i64::MAX);
    crls.iter()
        .filter_map(|crl| {
            let next = crl.next_update?;
            let remaining = next.seconds() - now.seconds();
            if remaining < 0 {
                return Some(
                    Finding::new(Severity::Error, &listener.name, "StaleCrl", format!("the CRL's nextUpdate ({}) has passed: certificates it covers would be refused", next.to_rfc3339()))
                        .file(&crl.file)
                        .hint("fetch or issue a fresh CRL; the proxy reloads it by itself"),
                );
            }
            (remaining < warning_seconds.min(7 * 86_400)).then(|| {
                Finding::new(Severity::Warning, &listener.name, "CrlExpiresSoon", format!("the CRL's nextUpdate is {}", next.to_rfc3339())).file(&crl.file)
            })
        })
        .collect()
}

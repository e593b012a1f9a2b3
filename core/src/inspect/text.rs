//! The human-readable rendering of a [`Report`]: grouped as Subject, Issuer, Validity, Key,
//! Names, Usage, Extensions and Fingerprints, with colour only when the caller asks for it.

use core::fmt::Write;

use super::{
    CertificateReport, CrlReport, CsrReport, Item, KeystoreReport, PrivateKeyReport, PublicKeyItem,
    Report, Source,
};
use crate::x509::{
    extensions::{ExtensionReport, ExtensionValue},
    general_name::GeneralNameReport,
    public_key::PublicKeyReport,
};

/// Renders `report` as text. `color` adds ANSI colours (for terminals only).
pub fn render(report: &Report, color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    for (position, item) in report.items.iter().enumerate() {
        if position > 0 {
            out.push('\n');
        }
        match item {
            Item::Certificate(certificate) => render_certificate(&mut out, certificate, style),
            Item::Csr(csr) => render_csr(&mut out, csr, style),
            Item::Crl(crl) => render_crl(&mut out, crl, style),
            Item::PrivateKey(key) => render_private_key(&mut out, key, style),
            Item::PublicKey(key) => render_public_key(&mut out, key, style),
            Item::Keystore(keystore) => render_keystore(&mut out, keystore, style),
            Item::Error(error) => {
                heading(&mut out, &error.source, "unreadable", style);
                let _ = writeln!(
                    out,
                    "  {}",
                    style.red(&format!(
                        "error[{}]: {}",
                        error.error.code, error.error.message
                    ))
                );
            }
        }
    }
    out
}

#[derive(Clone, Copy)]
struct Style {
    color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
    fn red(self, text: &str) -> String {
        self.paint("31", text)
    }
    fn green(self, text: &str) -> String {
        self.paint("32", text)
    }
    fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }
}

fn heading(out: &mut String, source: &Source, kind: &str, style: Style) {
    let container = match (source.container, &source.alias) {
        (Some(name), Some(alias)) => format!(" (in {name}, alias '{alias}')"),
        (Some(name), None) => format!(" (in {name})"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "{}",
        style.bold(&format!(
            "{} #{}{container}: {kind}",
            source.file, source.index
        ))
    );
}

fn field(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "  {label:<16}{value}");
}

fn section(out: &mut String, label: &str, style: Style) {
    let _ = writeln!(out, "  {}", style.bold(label));
}

fn render_certificate(out: &mut String, report: &CertificateReport, style: Style) {
    let kind = match (report.is_ca, report.self_signed) {
        (true, true) => "certificate (root CA)",
        (true, false) => "certificate (intermediate CA)",
        (false, true) => "certificate (self-signed)",
        (false, false) => "certificate",
    };
    heading(out, &report.source, kind, style);
    field(out, "Subject", &report.subject);
    field(out, "Issuer", &report.issuer);
    field(out, "Serial", &report.serial);
    field(out, "Signature", &report.signature_algorithm);
    section(out, "Validity", style);
    field(out, "  Not before", &report.not_before);
    field(out, "  Not after", &report.not_after);
    field(out, "  Status", &validity_text(report, style));
    section(out, "Key", style);
    field(out, "  Algorithm", &key_text(&report.public_key));
    field(out, "  SPKI SHA-256", &report.public_key.spki_sha256);
    section(out, "Names", style);
    field(out, "  SAN", &names_text(&report.subject_alt_names));
    section(out, "Usage", style);
    let ca = match (report.is_ca, report.path_len) {
        (true, Some(length)) => format!("yes, path length {length}"),
        (true, None) => "yes".to_owned(),
        (false, _) => "no".to_owned(),
    };
    field(out, "  CA", &ca);
    field(out, "  Key usage", &list_text(&report.key_usage));
    field(out, "  Extended", &list_text(&report.extended_key_usage));
    render_extensions(out, "Extensions", &report.extensions, style);
    section(out, "Fingerprints", style);
    field(out, "  SHA-256", &colon_hex(&report.fingerprints.sha256));
    field(out, "  SHA-1", &colon_hex(&report.fingerprints.sha1));
    render_warnings(out, &report.warnings, style);
}

fn render_csr(out: &mut String, report: &CsrReport, style: Style) {
    heading(out, &report.source, "certificate signing request", style);
    section(out, "Subject", style);
    field(out, "  Name", &report.subject);
    section(out, "Key", style);
    field(out, "  Algorithm", &key_text(&report.public_key));
    field(out, "  SPKI SHA-256", &report.public_key.spki_sha256);
    section(out, "Names", style);
    field(out, "  SAN", &names_text(&report.subject_alt_names));
    let signature = match report.signature_valid {
        Some(true) => style.green("self-signature verifies"),
        Some(false) => style.red("self-signature does NOT verify"),
        None => style.yellow("self-signature not checked (unsupported algorithm)"),
    };
    section(out, "Signature", style);
    field(out, "  Algorithm", &report.signature_algorithm);
    field(out, "  Status", &signature);
    render_extensions(
        out,
        "Requested extensions",
        &report.requested_extensions,
        style,
    );
    section(out, "Fingerprints", style);
    field(out, "  SHA-256", &colon_hex(&report.fingerprints.sha256));
}

fn render_crl(out: &mut String, report: &CrlReport, style: Style) {
    heading(out, &report.source, "certificate revocation list", style);
    field(out, "Issuer", &report.issuer);
    field(out, "This update", &report.this_update);
    let next = report
        .next_update
        .clone()
        .unwrap_or_else(|| "(none)".to_owned());
    let next = if report.stale {
        style.red(&format!("{next} (STALE)"))
    } else {
        next
    };
    field(out, "Next update", &next);
    field(out, "Signature", &report.signature_algorithm);
    field(out, "Revoked", &report.revoked.len().to_string());
    for revoked in &report.revoked {
        let _ = writeln!(
            out,
            "    {}  since {}",
            revoked.serial, revoked.revocation_date
        );
    }
    render_extensions(out, "Extensions", &report.extensions, style);
}

fn render_private_key(out: &mut String, report: &PrivateKeyReport, style: Style) {
    heading(out, &report.source, "private key", style);
    field(out, "Format", report.format);
    if let Some(name) = &report.friendly_name {
        field(out, "Name", name);
    }
    if let Some(encryption) = &report.encryption {
        field(out, "Encrypted", encryption);
    }
    match &report.public_key {
        Some(key) => {
            field(out, "Algorithm", &key_text(key));
            field(out, "SPKI SHA-256", &key.spki_sha256);
        }
        None => field(
            out,
            "Algorithm",
            "(encrypted: give the password to see the key)",
        ),
    }
}

fn render_keystore(out: &mut String, report: &KeystoreReport, style: Style) {
    let kind = format!(
        "{} keystore, version {}",
        report.format.to_uppercase(),
        report.version
    );
    heading(out, &report.source, &kind, style);
    let integrity = if report.integrity == "verified" {
        style.green("verified with the store password")
    } else {
        style.yellow("NOT verified (no password given): the contents may have been altered")
    };
    field(out, "Integrity", &integrity);
    section(out, &format!("Entries ({})", report.entries.len()), style);
    for entry in &report.entries {
        let kind = match entry.entry_type {
            "private_key" => "PrivateKeyEntry",
            "secret_key" => "SecretKeyEntry",
            _ => "trustedCertEntry",
        };
        let _ = writeln!(out, "    {:<20} {kind:<17} {}", entry.alias, entry.created);
        if let Some(protection) = &entry.protection {
            let status = entry.key_status.unwrap_or_default().replace('_', " ");
            let _ = writeln!(out, "      {:<18} {protection}: {status}", "");
        }
        if let Some(key) = &entry.secret_key {
            let _ = writeln!(out, "      {:<18} {} {} bits", "", key.algorithm, key.bits);
        }
    }
}

fn render_public_key(out: &mut String, report: &PublicKeyItem, style: Style) {
    heading(out, &report.source, "public key", style);
    field(out, "Algorithm", &key_text(&report.public_key));
    field(out, "SPKI SHA-256", &report.public_key.spki_sha256);
}

fn render_extensions(out: &mut String, title: &str, extensions: &[ExtensionReport], style: Style) {
    if extensions.is_empty() {
        return;
    }
    section(out, title, style);
    for extension in extensions {
        let critical = if extension.critical {
            " (critical)"
        } else {
            ""
        };
        let _ = writeln!(out, "    {}{critical}", extension.name);
        let _ = writeln!(out, "        {}", extension_text(&extension.value));
    }
}

fn render_warnings(out: &mut String, warnings: &[String], style: Style) {
    if warnings.is_empty() {
        return;
    }
    section(out, "Warnings", style);
    for warning in warnings {
        let _ = writeln!(out, "    {}", style.yellow(warning));
    }
}

fn validity_text(report: &CertificateReport, style: Style) -> String {
    let days = report.validity.days_remaining;
    match report.validity.status {
        "expired" => style.red(&format!("EXPIRED {} days ago", days.unsigned_abs())),
        "not_yet_valid" => style.yellow("NOT YET VALID"),
        _ if days < 30 => style.yellow(&format!("valid, {days} days left")),
        _ => style.green(&format!("valid, {days} days left")),
    }
}

fn key_text(key: &PublicKeyReport) -> String {
    match &key.curve {
        Some(curve) => format!(
            "{} {curve} ({} bits)",
            key.algorithm.to_uppercase(),
            key.bits
        ),
        None => format!("{} ({} bits)", key.algorithm.to_uppercase(), key.bits),
    }
}

fn names_text(names: &[GeneralNameReport]) -> String {
    if names.is_empty() {
        return "(none)".to_owned();
    }
    names
        .iter()
        .map(|name| format!("{}:{}", name.name_type.to_uppercase(), name.value))
        .collect::<Vec<_>>()
        .join(", ")
}

fn list_text(values: &[String]) -> String {
    if values.is_empty() {
        "(not restricted)".to_owned()
    } else {
        values.join(", ")
    }
}

fn extension_text(value: &ExtensionValue) -> String {
    match value {
        ExtensionValue::BasicConstraints(constraints) => match constraints.path_len {
            Some(length) => format!("CA:{}, pathlen:{length}", constraints.ca),
            None => format!("CA:{}", constraints.ca),
        },
        ExtensionValue::List(values) => values.join(", "),
        ExtensionValue::GeneralNames(names) => names_text(names),
        ExtensionValue::KeyIdentifier(id) => colon_hex(id),
        ExtensionValue::Count(count) => count.to_string(),
        ExtensionValue::Unknown { hex } => format!("(not decoded) {hex}"),
        ExtensionValue::Undecodable { error, hex } => format!("(invalid: {error}) {hex}"),
        other => structured_text(other),
    }
}

/// One line for the structured extension values.
fn structured_text(value: &ExtensionValue) -> String {
    match value {
        ExtensionValue::AuthorityKeyIdentifier(aki) => aki
            .key_id
            .as_deref()
            .map_or_else(|| "(no key id)".to_owned(), colon_hex),
        ExtensionValue::DistributionPoints(points) => points
            .iter()
            .flat_map(|point| point.names.iter())
            .map(|name| name.value.clone())
            .collect::<Vec<_>>()
            .join(", "),
        ExtensionValue::AccessDescriptions(list) => list
            .iter()
            .map(|access| format!("{}: {}", access.method, access.location.value))
            .collect::<Vec<_>>()
            .join(", "),
        ExtensionValue::Policies(policies) => policies
            .iter()
            .map(|policy| {
                policy.name.map_or_else(
                    || policy.oid.clone(),
                    |name| format!("{} ({name})", policy.oid),
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        ExtensionValue::NameConstraints(constraints) => format!(
            "permitted: {}; excluded: {}",
            names_text(&constraints.permitted),
            names_text(&constraints.excluded)
        ),
        ExtensionValue::PolicyConstraints(constraints) => format!(
            "requireExplicitPolicy: {:?}, inhibitPolicyMapping: {:?}",
            constraints.require_explicit_policy, constraints.inhibit_policy_mapping
        ),
        ExtensionValue::PolicyMappings(mappings) => mappings
            .iter()
            .map(|mapping| {
                format!(
                    "{} -> {}",
                    mapping.issuer_domain_policy, mapping.subject_domain_policy
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        ExtensionValue::Scts(list) => format!(
            "{} SCTs: {}",
            list.count,
            list.scts
                .iter()
                .map(|sct| format!("{} at {}", sct.log_id, sct.timestamp))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => String::new(),
    }
}

/// `abcd` as `AB:CD`, the way openssl and browsers show fingerprints.
fn colon_hex(hex: &str) -> String {
    let upper = hex.to_uppercase();
    let pairs: Vec<&str> = upper
        .as_bytes()
        .chunks(2)
        .filter_map(|pair| core::str::from_utf8(pair).ok())
        .collect();
    pairs.join(":")
}

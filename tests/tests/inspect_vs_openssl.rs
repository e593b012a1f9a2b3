//! Issue acceptance: for every certificate in the Debian trust bundle and in the x509-limbo
//! suites, what `mtlskit inspect` reports equals what `openssl x509` prints for it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a broken expectation should fail loudly"
)]

use std::{collections::BTreeMap, thread};

use mtlskit::{
    UnixTime,
    inspect::{CertificateReport, Item, Options, inspect},
    x509::extensions::ExtensionValue,
};
use mtlskit_tests::{SYSTEM_BUNDLE, limbo_certificates, run, shared_dir, split_pem};

#[test]
fn system_bundle_matches_openssl() {
    let bundle =
        std::fs::read_to_string(SYSTEM_BUNDLE).expect("the ca-certificates package is installed");
    let certificates = split_pem(&bundle);
    assert!(
        certificates.len() > 100,
        "only {} certificates in {SYSTEM_BUNDLE}",
        certificates.len()
    );
    compare_all(&certificates);
}

#[test]
fn limbo_certificates_match_openssl() {
    let limbo = shared_dir().join("conformance/limbo");
    let mut certificates = limbo_certificates(&limbo.join("limbo-dev.json"));
    certificates.extend(limbo_certificates(
        &limbo.join("bettertls-pathbuilding-dev.json"),
    ));
    assert!(
        certificates.len() > 200,
        "only {} limbo certificates",
        certificates.len()
    );
    compare_all(&certificates);
}

/// Compares every certificate on two threads; fails listing every mismatch.
fn compare_all(certificates: &[String]) {
    let half = certificates.len() / 2;
    let (first, second) = certificates.split_at(half);
    let (mut mismatches, compared) = thread::scope(|scope| {
        let other = scope.spawn(|| compare_each(second));
        let (mut mismatches, mut compared) = compare_each(first);
        let (more, count) = other.join().unwrap();
        mismatches.extend(more);
        compared += count;
        (mismatches, compared)
    });
    mismatches.truncate(30);
    assert!(
        mismatches.is_empty(),
        "{} mismatches, e.g.:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert!(
        compared >= certificates.len() * 9 / 10,
        "openssl parsed only {compared} of {}",
        certificates.len()
    );
}

fn compare_each(certificates: &[String]) -> (Vec<String>, usize) {
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for pem in certificates {
        let ours = ours(pem);
        let Some(theirs) = openssl(pem) else {
            // openssl cannot parse it: mtlskit must still answer (report or coded error), which
            // `ours` already did without panicking.
            continue;
        };
        compared += 1;
        let Ok(ours) = ours else {
            mismatches.push(format!(
                "openssl parses, mtlskit fails with {ours:?}:\n{pem}"
            ));
            continue;
        };
        for (field, expected) in &theirs {
            let actual = field_of(&ours, field);
            if &actual != expected {
                mismatches.push(format!(
                    "{field}: openssl {expected:?}, mtlskit {actual:?} ({})",
                    ours.subject
                ));
            }
        }
    }
    (mismatches, compared)
}

fn ours(pem: &str) -> Result<CertificateReport, String> {
    let options = Options {
        source: "test".into(),
        password: None,
        key_password: None,
        at: UnixTime(1_800_000_000),
    };
    let report = inspect(pem.as_bytes(), &options).map_err(|error| error.code().to_owned())?;
    match report.items.into_iter().next() {
        Some(Item::Certificate(certificate)) => Ok(*certificate),
        other => Err(format!("{other:?}")),
    }
}

fn field_of(report: &CertificateReport, field: &str) -> String {
    match field {
        "subject" => report.subject.clone(),
        "issuer" => report.issuer.clone(),
        "serial" => report.serial.clone(),
        "not_before" => report.not_before.clone(),
        "not_after" => report.not_after.clone(),
        "sha1" => report.fingerprints.sha1.clone(),
        "sha256" => report.fingerprints.sha256.clone(),
        "san" if san_undecodable(report) => "(undecodable)".to_owned(),
        "san" => report
            .subject_alt_names
            .iter()
            .map(|name| {
                format!(
                    "{}:{}",
                    name.name_type,
                    normalize_san(name.name_type, &name.value)
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        "key_algorithm" => report.public_key.algorithm.clone(),
        "key_bits" => report.public_key.bits.to_string(),
        _ => String::new(),
    }
}

fn san_undecodable(report: &CertificateReport) -> bool {
    report.extensions.iter().any(|extension| {
        extension.name == "subjectAltName"
            && matches!(extension.value, ExtensionValue::Undecodable { .. })
    })
}

/// What openssl says about `pem`, by field, or `None` when openssl cannot parse it.
fn openssl(pem: &str) -> Option<BTreeMap<&'static str, String>> {
    let names = run(
        "openssl",
        &[
            "x509",
            "-noout",
            "-nameopt",
            "RFC2253,-esc_msb",
            "-subject",
            "-issuer",
            "-serial",
            "-startdate",
            "-enddate",
            "-fingerprint",
            "-sha1",
            "-ext",
            "subjectAltName",
        ],
        Some(pem.as_bytes()),
    );
    let text = run(
        "openssl",
        &["x509", "-noout", "-fingerprint", "-sha256", "-text"],
        Some(pem.as_bytes()),
    );
    if !names.status.success() || !text.status.success() {
        return None;
    }
    let names = String::from_utf8_lossy(&names.stdout).into_owned();
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    let mut fields = BTreeMap::new();
    let mut lines = names.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(value) = line.strip_prefix("subject=") {
            fields.insert("subject", value.to_owned());
        } else if let Some(value) = line.strip_prefix("issuer=") {
            fields.insert("issuer", value.to_owned());
        } else if let Some(value) = line.strip_prefix("serial=") {
            fields.insert("serial", value.to_lowercase());
        } else if let Some(value) = line.strip_prefix("notBefore=") {
            fields.insert("not_before", rfc3339(value));
        } else if let Some(value) = line.strip_prefix("notAfter=") {
            fields.insert("not_after", rfc3339(value));
        } else if let Some(value) = line.strip_prefix("SHA1 Fingerprint=") {
            fields.insert("sha1", value.replace(':', "").to_lowercase());
        } else if line.starts_with("X509v3 Subject Alternative Name") {
            fields.insert("san", openssl_san(lines.next().unwrap_or_default().trim()));
        }
    }
    fields.entry("san").or_default();
    for line in text.lines().map(str::trim) {
        if let Some(value) = line
            .strip_prefix("sha256 Fingerprint=")
            .or_else(|| line.strip_prefix("SHA256 Fingerprint="))
        {
            fields.insert("sha256", value.replace(':', "").to_lowercase());
        } else if let Some(value) = line.strip_prefix("Public Key Algorithm: ") {
            let algorithm = match value {
                "rsaEncryption" => "rsa",
                "id-ecPublicKey" => "ec",
                "ED25519" => "ed25519",
                "ED448" => "ed448",
                "rsassaPss" => "rsa-pss",
                "dsaEncryption" => "dsa",
                other => other,
            };
            fields.insert("key_algorithm", algorithm.to_owned());
        } else if let Some(bits) = line
            .strip_prefix("Public-Key: (")
            .and_then(|rest| rest.strip_suffix(" bit)"))
        {
            fields.entry("key_bits").or_insert_with(|| bits.to_owned());
        }
    }
    Some(fields)
}

/// `DNS:a, IP Address:1.2.3.4` in mtlskit's `type:value` form.
fn openssl_san(line: &str) -> String {
    if line.is_empty() {
        return String::new();
    }
    let known = [
        "DNS:",
        "IP Address:",
        "email:",
        "URI:",
        "DirName:",
        "Registered ID:",
        "othername:",
        "X400Name:",
        "EdiPartyName:",
    ];
    if !known.iter().any(|prefix| line.starts_with(prefix)) {
        // openssl could not decode the extension and printed its raw bytes.
        return "(undecodable)".to_owned();
    }
    line.split(", ")
        .map(|entry| {
            let (kind, value) = entry.split_once(':').unwrap_or((entry, ""));
            let kind = match kind {
                "DNS" => "dns",
                "IP Address" => "ip",
                "email" => "email",
                "URI" => "uri",
                "DirName" => return "dirname:".to_owned(),
                "Registered ID" => "rid",
                _ => return "other:".to_owned(),
            };
            format!("{kind}:{}", normalize_san(kind, value))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// IP addresses compared as addresses (openssl writes IPv6 uncompressed); dirname and other
/// names compared by type only.
fn normalize_san(kind: &str, value: &str) -> String {
    match kind {
        "ip" => value
            .parse::<std::net::IpAddr>()
            .map_or_else(|_| "(invalid length)".to_owned(), |ip| ip.to_string()),
        "dirname" | "other" => String::new(),
        _ => value.to_owned(),
    }
}

/// `Jan  1 00:00:01 1970 GMT` as `1970-01-01T00:00:01Z`.
fn rfc3339(openssl_date: &str) -> String {
    let parts: Vec<&str> = openssl_date.split_whitespace().collect();
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = months.iter().position(|name| *name == parts[0]).unwrap() + 1;
    let day: u32 = parts[1].parse().unwrap();
    format!("{}-{month:02}-{day:02}T{}Z", parts[3], parts[2])
}

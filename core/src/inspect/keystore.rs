//! Java keystores (JKS, JCEKS): one `keystore` item listing the entries, then each entry's
//! key and certificates as ordinary items marked with the container and the alias.

use serde::Serialize;

use super::{Item, Options, Source, certificate, error_item, keys};
use crate::keystore::{self, Entry, EntryContents, ProtectedKey};
use crate::secret::Password;
use crate::{Error, UnixTime};

/// A Java keystore as a whole.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct KeystoreReport {
    /// Where it came from.
    pub source: Source,
    /// `jks` or `jceks`.
    pub format: &'static str,
    /// The format version, 1 or 2.
    pub version: u32,
    /// `verified` (the store password checked the integrity digest) or `unverified` (no
    /// password was given: the contents are shown but may have been altered).
    pub integrity: &'static str,
    /// The entries in file order.
    pub entries: Vec<KeystoreEntryReport>,
}

/// One entry of a keystore.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct KeystoreEntryReport {
    /// The alias.
    pub alias: String,
    /// `private_key`, `trusted_certificate` or `secret_key` (keytool's `PrivateKeyEntry`,
    /// `trustedCertEntry`, `SecretKeyEntry`).
    #[serde(rename = "type")]
    pub entry_type: &'static str,
    /// Creation date, RFC 3339 UTC.
    pub created: String,
    /// Number of certificates: the chain of a private key, 1 for a trusted certificate.
    pub certificates: usize,
    /// How a private or secret key is protected.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub protection: Option<String>,
    /// For keys: `opened`, `encrypted` (no password given), `wrong_password` or `unreadable`
    /// (a protection refused, e.g. too many iterations).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub key_status: Option<&'static str>,
    /// For an opened secret key: its algorithm (e.g. `AES`) and size, never its bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub secret_key: Option<SecretKeyReport>,
}

/// What an opened secret key is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SecretKeyReport {
    /// The Java algorithm name.
    pub algorithm: String,
    /// The key length in bits.
    pub bits: usize,
}

/// The items of a keystore: the keystore item, then each entry's key and certificates.
pub(super) fn items(input: &[u8], source: Source, options: &Options) -> Result<Vec<Item>, Error> {
    let store = keystore::read(input, options.password.as_ref().map(Password::as_str))?;
    let key_password = options
        .key_password
        .as_ref()
        .or(options.password.as_ref())
        .map(Password::as_str);
    let mut sources = Sources {
        file: source.file.clone(),
        container: store.format.name(),
        next: source.index + 1,
    };
    let mut entries = Vec::new();
    let mut items = Vec::new();
    for entry in &store.entries {
        let (summary, mut found) = entry_items(entry, key_password, options.at, &mut sources);
        entries.push(summary);
        items.append(&mut found);
    }
    let report = KeystoreReport {
        source,
        format: store.format.name(),
        version: store.version,
        integrity: if store.verified {
            "verified"
        } else {
            "unverified"
        },
        entries,
    };
    items.insert(0, Item::Keystore(Box::new(report)));
    Ok(items)
}

/// Numbers the items that come out of a keystore.
struct Sources {
    file: String,
    container: &'static str,
    next: usize,
}

impl Sources {
    fn next(&mut self, alias: &str) -> Source {
        self.next += 1;
        Source {
            file: self.file.clone(),
            index: self.next - 1,
            container: Some(self.container),
            alias: Some(alias.to_owned()),
        }
    }
}

fn entry_items(
    entry: &Entry,
    password: Option<&str>,
    at: UnixTime,
    sources: &mut Sources,
) -> (KeystoreEntryReport, Vec<Item>) {
    let alias = entry.alias.as_str();
    let mut summary = KeystoreEntryReport {
        alias: alias.to_owned(),
        entry_type: "trusted_certificate",
        created: UnixTime(entry.created_millis.div_euclid(1000)).to_rfc3339(),
        certificates: 0,
        protection: None,
        key_status: None,
        secret_key: None,
    };
    let mut items = Vec::new();
    let certificates: &[Vec<u8>] = match &entry.contents {
        EntryContents::PrivateKey { key, chain } => {
            summary.entry_type = "private_key";
            summary.protection = Some(key.description());
            let (status, item) = private_key(key, password, alias, sources.next(alias));
            summary.key_status = Some(status);
            items.push(item);
            chain
        }
        EntryContents::TrustedCertificate { certificate } => core::slice::from_ref(certificate),
        EntryContents::SecretKey(sealed) => {
            summary.entry_type = "secret_key";
            summary.protection = Some(sealed.description());
            let opened = password.map(|password| sealed.open(password));
            summary.key_status = Some(match &opened {
                None => "encrypted",
                Some(Ok(_)) => "opened",
                Some(Err(error)) => status_of_error(error),
            });
            summary.secret_key = opened.and_then(Result::ok).map(|key| SecretKeyReport {
                algorithm: key.algorithm,
                bits: key.bits,
            });
            &[]
        }
    };
    summary.certificates = certificates.len();
    for der in certificates {
        let source = sources.next(alias);
        items.push(match certificate::report(der, source.clone(), at) {
            Ok(report) => Item::Certificate(Box::new(report)),
            Err(error) => error_item(source, &error),
        });
    }
    (summary, items)
}

/// The key's report, opened with `password` when there is one; a key the password does not
/// open becomes an error item in its place.
fn private_key(
    key: &ProtectedKey,
    password: Option<&str>,
    alias: &str,
    source: Source,
) -> (&'static str, Item) {
    let plain = match password.map(|password| key.open(password)) {
        None => None,
        Some(Ok(plain)) => Some(plain),
        Some(Err(error)) => return (status_of_error(&error), error_item(source, &error)),
    };
    let status = if plain.is_some() {
        "opened"
    } else {
        "encrypted"
    };
    let report = keys::protected_report(
        source.clone(),
        key.description(),
        alias,
        plain.as_deref().map(Vec::as_slice),
    );
    match report {
        Ok(report) => (status, Item::PrivateKey(Box::new(report))),
        Err(error) => (status, error_item(source, &error)),
    }
}

/// `wrong_password`, or `unreadable` for a key that no password opens here (an unsupported
/// or out-of-bounds protection).
fn status_of_error(error: &Error) -> &'static str {
    match error {
        Error::WrongPassword { .. } => "wrong_password",
        _ => "unreadable",
    }
}

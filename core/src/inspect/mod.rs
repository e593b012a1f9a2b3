//! Inspection: every item in an input, as a serde report.
//!
//! The field names of these reports are a contract shared by the CLI's `--json`, the wasm
//! module and the Node addon: they are only ever added to, never renamed.

pub mod asn1;
mod certificate;
pub(crate) mod containers;
mod csr;
mod keys;
#[cfg(test)]
mod keys_before;
mod keystore;
mod lint;
pub mod text;

pub use certificate::{CertificateReport, Fingerprints, Validity};
pub use csr::{CrlReport, CsrReport, RevokedReport};
pub use keys::{PrivateKeyReport, PublicKeyItem};
pub use keystore::{KeystoreEntryReport, KeystoreReport, SecretKeyReport};

use serde::Serialize;

use crate::{
    Error, UnixTime,
    decode::{self, Kind},
    secret::Password,
};

/// How to inspect.
#[derive(Debug, Clone)]
pub struct Options {
    /// The name of the input (a file name, `-` for standard input), copied into each item.
    pub source: String,
    /// The password for PKCS#12 files, Java keystores and encrypted keys; `None` is different
    /// from empty.
    pub password: Option<Password>,
    /// The password of the private keys in a Java keystore when it differs from the store
    /// password (`None`: the store password).
    pub key_password: Option<Password>,
    /// The time that validity is judged at.
    pub at: UnixTime,
}

/// Everything found in one input.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Report {
    /// The items, in input order; a PKCS#7 or PKCS#12 container contributes its contents.
    pub items: Vec<Item>,
}

/// One inspected item.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// An X.509 certificate.
    Certificate(Box<CertificateReport>),
    /// A PKCS#10 CSR.
    Csr(Box<CsrReport>),
    /// An X.509 CRL.
    Crl(Box<CrlReport>),
    /// A private key (never its private material).
    PrivateKey(Box<PrivateKeyReport>),
    /// A public key.
    PublicKey(Box<PublicKeyItem>),
    /// A Java keystore (JKS, JCEKS): its entries; their keys and certificates follow as items.
    Keystore(Box<KeystoreReport>),
    /// A block that could not be read, in its place.
    Error(ErrorItem),
}

/// Where an item came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Source {
    /// The input's name.
    pub file: String,
    /// The item's position in the input (0-based), counting container contents.
    pub index: usize,
    /// `pkcs7`, `pkcs12`, `jks` or `jceks` when the item came out of a container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<&'static str>,
    /// The keystore alias of the entry the item belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
}

/// A block that could not be read.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ErrorItem {
    /// Where it was.
    pub source: Source,
    /// What went wrong.
    pub error: ErrorReport,
}

/// An [`Error`] as data: its stable code and message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ErrorReport {
    /// The variant name, e.g. `WrongPassword`.
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
}

impl From<&Error> for ErrorReport {
    fn from(error: &Error) -> Self {
        Self {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

impl Report {
    /// The first error item, if any block could not be read.
    pub fn first_error(&self) -> Option<&ErrorReport> {
        self.items.iter().find_map(|item| match item {
            Item::Error(error) => Some(&error.error),
            _ => None,
        })
    }
}

/// Inspects every item in `input`.
///
/// Fails only when the input as a whole is unreadable (empty, or not PEM, DER or base64 of a
/// known structure); a bad block among good ones becomes an [`Item::Error`] in its place.
pub fn inspect(input: &[u8], options: &Options) -> Result<Report, Error> {
    Ok(Report {
        items: Items::new(input, options.clone())?.collect(),
    })
}

/// The items of one input one at a time, in the order of [`inspect`]'s report, for callers
/// that write each item out as it comes instead of holding the whole report (the CLI's
/// `--json` on a trust bundle).
///
/// Every error that fails the input as a whole is returned by [`Items::new`], before the
/// first item: the iterator itself only yields items (a bad block is an [`Item::Error`]).
#[derive(Debug)]
pub struct Items {
    blocks: std::vec::IntoIter<Result<decode::Block, Error>>,
    options: Options,
    /// Items inspected but not yet yielded (a container's contents, or the single block's).
    pending: std::vec::IntoIter<Item>,
    /// How many items were yielded so far: the next block's `source.index`.
    yielded: usize,
}

impl Items {
    /// Splits `input` into blocks; when there is only one, inspects it here, so that its
    /// error fails the input as [`inspect`] does.
    pub fn new(input: &[u8], options: Options) -> Result<Self, Error> {
        let blocks = decode::blocks(input)?;
        let single = blocks.len() == 1;
        let mut items = Self {
            blocks: blocks.into_iter(),
            options,
            pending: Vec::new().into_iter(),
            yielded: 0,
        };
        if single {
            if let Some(block) = items.blocks.next() {
                let source = items.source();
                items.pending = inspect_one(block, source, &items.options)?.into_iter();
            }
        }
        Ok(items)
    }

    fn source(&self) -> Source {
        Source {
            file: self.options.source.clone(),
            index: self.yielded,
            container: None,
            alias: None,
        }
    }
}

impl Iterator for Items {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.next() {
                self.yielded += 1;
                return Some(item);
            }
            let block = self.blocks.next()?;
            let source = self.source();
            self.pending = match inspect_one(block, source.clone(), &self.options) {
                Ok(found) => found,
                Err(error) => vec![error_item(source, &error)],
            }
            .into_iter();
        }
    }
}

/// The items of one block (several for a container), or the error that made it unreadable.
fn inspect_one(
    block: Result<decode::Block, Error>,
    source: Source,
    options: &Options,
) -> Result<Vec<Item>, Error> {
    let mut block = block?;
    let kind = decode::sniff(block.label.as_deref(), &block.der)?;
    inspect_block(kind, &mut block, source, options)
}

fn inspect_block(
    kind: Kind,
    block: &mut decode::Block,
    source: Source,
    options: &Options,
) -> Result<Vec<Item>, Error> {
    let der = block.der.as_slice();
    let item = match kind {
        Kind::Certificate => Item::Certificate(Box::new(certificate::report_with_pem(
            der,
            block.certificate_pem.take(),
            source,
            options.at,
        )?)),
        Kind::Csr => Item::Csr(Box::new(csr::report(der, source)?)),
        Kind::Crl => Item::Crl(Box::new(csr::crl_report(der, source, options.at)?)),
        Kind::Pkcs7 => return containers::pkcs7(der, source, options),
        Kind::Pkcs12 => return containers::pkcs12(der, source, options),
        Kind::JavaKeystore => return keystore::items(der, source, options),
        Kind::PublicKey | Kind::RsaPublicKey => {
            Item::PublicKey(Box::new(keys::public_key(kind, der, source)?))
        }
        Kind::EcParameters => return Ok(Vec::new()),
        Kind::Pkcs8PrivateKey
        | Kind::EncryptedPkcs8PrivateKey
        | Kind::RsaPrivateKey
        | Kind::EcPrivateKey => Item::PrivateKey(Box::new(keys::private_key(
            kind,
            block,
            source,
            options.password.as_ref(),
        )?)),
    };
    Ok(vec![item])
}

fn error_item(source: Source, error: &Error) -> Item {
    Item::Error(ErrorItem {
        source,
        error: error.into(),
    })
}

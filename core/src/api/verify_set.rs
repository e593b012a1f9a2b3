//! `verify_set`: the browser's chain view. Given everything a person dropped (certificates,
//! bundles, `.p7b`, `.p12`, CRLs, in any order), find the leaves, build each one's chain from
//! the rest and return a verdict per leaf that points back at the dropped items.
//!
//! Trust comes from the person, not from the files: the anchors are the self-issued
//! certificates that were dropped and the certificates of items marked `trusted`; the verifier
//! still checks every signature, including the anchors' place in the path.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::verify::VerifyPurpose;
use super::{ApiError, Data, Password, VerifyOptions};
use crate::decode::{self, Kind};
use crate::inspect::containers;
use crate::keystore::{self, EntryContents, Keystore};
use crate::pkcs12;
use crate::verify::{self, Failure, Item, Profile};
use crate::{Error, UnixTime, x509};

/// Everything dropped, and how to verify.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct VerifySetRequest {
    /// The dropped files, in order.
    pub items: Vec<SetItem>,
    /// Expected DNS name of the leaves (RFC 6125).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub host: Option<String>,
    /// Expected IP address of the leaves.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub ip: Option<String>,
    /// Expected email address of the leaves.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub email: Option<String>,
    /// What the leaves are for (default as in `verify`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub purpose: Option<VerifyPurpose>,
    /// The certificate profile (default `compatible`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Profile>", optional))]
    pub profile: Profile,
    /// Accept SHA-1 signatures.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub allow_sha1: bool,
    /// Accept RSA keys of 1024 to 2047 bits (legacy certificates only; never with `webpki`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub allow_legacy_keys: bool,
    /// Match `host` against the commonName of leaves without subjectAltName.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub cn_fallback: bool,
}

/// One dropped file.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SetItem {
    /// Its name (the file name), used in labels and explanations.
    pub name: String,
    /// Its contents.
    pub data: Data,
    /// The person trusts the certificates in it (they become trust anchors).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub trusted: bool,
    /// The password, for a `.p12` file.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub password: Option<Password>,
}

/// The certificates found and a verdict for each leaf.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct VerifySetResponse {
    /// Every certificate found, in item order.
    pub certificates: Vec<CertificateEntry>,
    /// One verdict per leaf (a certificate that issued none of the others and is no anchor).
    pub verdicts: Vec<Verdict>,
    /// Items that could not be read, with why; the others are still used.
    pub errors: Vec<ItemError>,
}

/// A certificate found in the dropped items.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CertificateEntry {
    /// Index of the item (in the request's `items`) it came from.
    pub item: usize,
    /// Its position within that item (0 for a single certificate).
    pub index: usize,
    /// The label used in explanations: the item's name, `NAME #n` when it holds several.
    pub label: String,
    /// Subject, RFC 4514.
    pub subject: String,
    /// Issuer, RFC 4514.
    pub issuer: String,
    /// SHA-256 of the DER, lowercase hex.
    pub sha256: String,
    /// `leaf`, `intermediate` or `anchor`.
    pub role: Role,
    /// The same DER as an earlier entry (index into `certificates`), which is used instead.
    pub duplicate_of: Option<usize>,
}

/// What a certificate is in the dropped set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Issued none of the others: it gets a verdict.
    Leaf,
    /// Issued another one; a candidate for paths, not trusted.
    Intermediate,
    /// Trusted: self-issued, or from an item marked `trusted`.
    Anchor,
}

/// The verdict for one leaf.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Verdict {
    /// The leaf (index into `certificates`).
    pub leaf: usize,
    /// Whether a valid path to an anchor was found.
    pub valid: bool,
    /// The path used (or, on failure, the one tried), leaf first, as indexes into
    /// `certificates`.
    pub path: Vec<usize>,
    /// Why not, when not valid.
    pub failure: Option<Failure>,
}

/// An item that could not be read.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ItemError {
    /// Index of the item.
    pub item: usize,
    /// What went wrong.
    pub error: ApiError,
}

/// Verifies every leaf in `request.items` at `time`.
pub fn verify_set(
    request: &VerifySetRequest,
    time: UnixTime,
) -> Result<VerifySetResponse, ApiError> {
    let options = VerifyOptions {
        host: request.host.clone(),
        ip: request.ip.clone(),
        email: request.email.clone(),
        purpose: request.purpose,
        profile: request.profile,
        allow_sha1: request.allow_sha1,
        allow_legacy_keys: request.allow_legacy_keys,
        cn_fallback: request.cn_fallback,
        ..VerifyOptions::default()
    }
    .resolve(time)?;
    let mut found = Found::default();
    for (index, item) in request.items.iter().enumerate() {
        if let Err(error) = found.add(index, item) {
            found.errors.push(ItemError {
                item: index,
                error: ApiError::new(error, item.name.clone()),
            });
        }
    }
    found.assign_roles();
    let verdicts = found
        .leaves()
        .map(|leaf| found.verdict(leaf, &options))
        .collect();
    Ok(VerifySetResponse {
        certificates: found.candidates.into_iter().map(|c| c.entry).collect(),
        verdicts,
        errors: found.errors,
    })
}

/// One DER value.
type Der = Vec<u8>;

#[derive(Default)]
struct Found {
    candidates: Vec<Candidate>,
    crls: Vec<Item>,
    errors: Vec<ItemError>,
}

/// A certificate with what role assignment compares: DER, and subject and issuer as DER.
struct Candidate {
    entry: CertificateEntry,
    der: Vec<u8>,
    subject: Vec<u8>,
    issuer: Vec<u8>,
    trusted: bool,
}

impl Found {
    fn add(&mut self, item_index: usize, item: &SetItem) -> Result<(), Error> {
        let (certificates, crls) = contents(item.data.bytes(), item.password.as_ref())?;
        let several = certificates.len() > 1;
        for (index, der) in certificates.into_iter().enumerate() {
            let mut label = if several {
                format!("{} #{}", item.name, index + 1)
            } else {
                item.name.clone()
            };
            if self
                .candidates
                .iter()
                .any(|other| other.entry.label == label)
            {
                label = format!("{label} (item {item_index})");
            }
            let candidate = self.candidate(item_index, index, label, der, item.trusted)?;
            self.candidates.push(candidate);
        }
        for (index, der) in crls.into_iter().enumerate() {
            let label = format!("{} #{}", item.name, index + 1);
            self.crls.push(Item::new(der, label));
        }
        Ok(())
    }

    fn candidate(
        &self,
        item: usize,
        index: usize,
        label: String,
        der: Vec<u8>,
        trusted: bool,
    ) -> Result<Candidate, Error> {
        let certificate = x509::parse_certificate(&der)?;
        let tbs = certificate.tbs_certificate();
        let encode = |name: &x509_cert::name::Name| {
            der::Encode::to_der(name).map_err(|error| Error::der("name", error))
        };
        let duplicate_of = self.candidates.iter().position(|other| other.der == der);
        Ok(Candidate {
            entry: CertificateEntry {
                item,
                index,
                label,
                subject: x509::name::rfc4514(tbs.subject()),
                issuer: x509::name::rfc4514(tbs.issuer()),
                sha256: x509::hex(&Sha256::digest(&der)),
                role: Role::Intermediate,
                duplicate_of,
            },
            subject: encode(tbs.subject())?,
            issuer: encode(tbs.issuer())?,
            der,
            trusted,
        })
    }

    /// Anchors: trusted or self-issued; leaves: issued none of the other certificates.
    fn assign_roles(&mut self) {
        let roles: Vec<Role> = self
            .candidates
            .iter()
            .map(|candidate| {
                let issued_another = self.candidates.iter().any(|other| {
                    other.issuer == candidate.subject && other.subject != candidate.subject
                });
                if candidate.trusted || candidate.subject == candidate.issuer {
                    Role::Anchor
                } else if issued_another {
                    Role::Intermediate
                } else {
                    Role::Leaf
                }
            })
            .collect();
        for (candidate, role) in self.candidates.iter_mut().zip(roles) {
            candidate.entry.role = role;
        }
    }

    fn leaves(&self) -> impl Iterator<Item = usize> + '_ {
        self.candidates
            .iter()
            .enumerate()
            .filter(|(_, candidate)| {
                candidate.entry.role == Role::Leaf && candidate.entry.duplicate_of.is_none()
            })
            .map(|(position, _)| position)
    }

    fn verdict(&self, leaf: usize, options: &verify::Options) -> Verdict {
        let pool = |roles: &[Role]| -> Vec<Item> {
            self.candidates
                .iter()
                .enumerate()
                .filter(|(position, candidate)| {
                    *position != leaf
                        && roles.contains(&candidate.entry.role)
                        && candidate.entry.duplicate_of.is_none()
                })
                .map(|(_, candidate)| candidate.item())
                .collect()
        };
        let input = verify::Input {
            leaf: self.candidates.get(leaf).map(Candidate::item),
            intermediates: pool(&[Role::Intermediate, Role::Leaf]),
            anchors: pool(&[Role::Anchor]),
            crls: self.crls.clone(),
        };
        let (valid, path, failure) = match verify::verify(&input, options) {
            Ok(verified) => (true, verified.path, None),
            Err(failure) => (false, failure.path.clone(), Some(failure)),
        };
        Verdict {
            leaf,
            valid,
            path: path
                .iter()
                .filter_map(|reference| self.position(&reference.source))
                .collect(),
            failure,
        }
    }

    fn position(&self, label: &str) -> Option<usize> {
        self.candidates
            .iter()
            .position(|candidate| candidate.entry.label == label)
    }
}

impl Candidate {
    fn item(&self) -> Item {
        Item::new(self.der.clone(), self.entry.label.clone())
    }
}

/// The certificates and CRLs in one dropped file: PEM or DER certificates and CRLs, `.p7b`
/// bundles, `.p12` files and Java keystores (opened with `password`); keys and CSRs are not
/// part of chains.
fn contents(bytes: &[u8], password: Option<&Password>) -> Result<(Vec<Der>, Vec<Der>), Error> {
    let mut certificates = Vec::new();
    let mut crls = Vec::new();
    for block in decode::blocks(bytes)? {
        let block = block?;
        match decode::sniff(block.label.as_deref(), &block.der)? {
            Kind::Certificate => certificates.push(block.der),
            Kind::Crl => crls.push(block.der),
            Kind::Pkcs7 => certificates.extend(containers::pkcs7_certificates(&block.der)?),
            Kind::Pkcs12 => {
                let Some(password) = password else {
                    return Err(Error::PasswordRequired {
                        item: "PKCS#12 file",
                    });
                };
                let opened = pkcs12::read(&block.der, password)?;
                certificates.extend(opened.certificates.into_iter().map(|bag| bag.der));
            }
            Kind::JavaKeystore => {
                let Some(password) = password else {
                    return Err(Error::PasswordRequired {
                        item: "Java keystore",
                    });
                };
                let store = keystore::read(&block.der, Some(password.as_str()))?;
                certificates.extend(store_certificates(store));
            }
            _ => {}
        }
    }
    Ok((certificates, crls))
}

/// Every certificate of a Java keystore: the chains of key entries and the trusted entries.
fn store_certificates(store: Keystore) -> impl Iterator<Item = Der> {
    store
        .entries
        .into_iter()
        .flat_map(|entry| match entry.contents {
            EntryContents::PrivateKey { chain, .. } => chain,
            EntryContents::TrustedCertificate { certificate } => vec![certificate],
            EntryContents::SecretKey(_) => Vec::new(),
        })
}

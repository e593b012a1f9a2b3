//! Certificate chain verification: RFC 5280 path building and validation, peer name matching
//! (RFC 6125 / RFC 9525), CRLs, and explanations a person can act on.
//!
//! ```text
//! leaf + untrusted pool + trust anchors --build.rs--> candidate paths
//!     each path --validate.rs (profile.rs, webpki.rs, usage.rs, constraints.rs, policy.rs,
//!                              names.rs, crl/)--> Ok | Err
//! first Ok path, or the most specific Err --explain.rs--> Verified | Failure
//! ```
//!
//! Three profiles: [`Profile::Compatible`] (the default, for private PKIs: keyUsage and key
//! identifiers may be absent), [`Profile::Rfc5280`] (every MUST of RFC 5280 section 4 a
//! verifier can see) and [`Profile::WebPki`] (the CA/Browser Forum Baseline Requirements on top
//! of RFC 5280). In every profile a version 1 or 2 certificate is never an intermediate; it may
//! be a trust anchor. Time is an argument; there is no I/O.

mod budget;
mod build;
mod certificate;
#[cfg(test)]
mod certificate_before;
mod constraints;
mod crl;
mod explain;
mod identity;
mod names;
mod policy;
mod pool;
mod profile;
mod store;
mod usage;
mod validate;
mod webpki;

use core::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::{Error, UnixTime, crypto};

pub(crate) use certificate::authority_key_identifier as read_authority_key_identifier;
pub use certificate::certificates_decoded;
pub use explain::{CertificateRef, Failure};
pub use identity::Identity;
pub use store::TrustStore;

/// One DER item given to the verifier, with a label used in explanations (a file name such as
/// `intermediate1.crt`, or a description such as `trust anchor 3`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The DER bytes of a certificate or CRL.
    pub der: Vec<u8>,
    /// Where the item came from, for people.
    pub label: String,
}

impl Item {
    /// An item with a label.
    pub fn new(der: Vec<u8>, label: impl Into<String>) -> Self {
        Self {
            der,
            label: label.into(),
        }
    }
}

/// Everything a verification looks at besides the options.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// The end-entity certificate to verify (index 0 of every path).
    pub leaf: Option<Item>,
    /// Certificates that may be used to build the path but are not trusted (any order).
    pub intermediates: Vec<Item>,
    /// Trust anchors: any certificate the caller trusts, self-signed or not.
    pub anchors: Vec<Item>,
    /// Certificate revocation lists (RFC 5280 section 5), checked when they cover a certificate.
    pub crls: Vec<Item>,
}

/// What the leaf certificate will be used for (RFC 5280 section 4.2.1.12).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Purpose {
    /// TLS server authentication (id-kp-serverAuth).
    #[default]
    Server,
    /// TLS client authentication (id-kp-clientAuth).
    Client,
    /// Any purpose: extendedKeyUsage is not checked.
    Any,
    /// Each of these extended key usages (dotted OIDs) must be allowed.
    ExtendedKeyUsages(Vec<String>),
}

/// The name the peer is expected to have (RFC 9525 section 6: reference identifier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerName {
    /// A DNS host name, matched against dNSName subjectAltNames.
    Dns(String),
    /// An IP address, matched exactly against iPAddress subjectAltNames.
    Ip(IpAddr),
    /// An email address, matched against rfc822Name subjectAltNames (client certificates).
    Email(String),
}

/// The certificate profile enforced on top of the RFC 5280 validation algorithm (section 6).
/// In JSON: `compatible`, `rfc5280` or `webpki` (TypeScript type `VerifyProfile`, not to be
/// confused with the issuance profile `CertificateProfile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "VerifyProfile")
)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// What private PKIs made with the usual openssl recipes need: version 1 trust anchors
    /// (`openssl x509 -req -signkey` without `-extfile`), CA certificates without keyUsage or
    /// subjectKeyIdentifier, certificates without authorityKeyIdentifier are accepted; every
    /// check of the RFC 5280 validation algorithm still applies, and a version 1 certificate
    /// is never an intermediate.
    #[default]
    Compatible,
    /// RFC 5280 strictly: also the MUSTs of section 4 on conforming CAs that a verifier can
    /// see (version 3 CA certificates with keyUsage and subjectKeyIdentifier, an
    /// authorityKeyIdentifier in every certificate that is not self-signed, ...).
    Rfc5280,
    /// RFC 5280 plus the CA/Browser Forum Baseline Requirements (SAN and EKU required in
    /// leaves, key sizes and types, CA-as-leaf refused, root extension rules, ...).
    WebPki,
}

impl Profile {
    /// Whether the section 4 MUSTs on conforming CAs are enforced.
    pub(crate) fn is_strict(self) -> bool {
        self != Self::Compatible
    }
}

/// A keyUsage bit the caller requires in the leaf (RFC 5280 section 4.2.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUsageBit {
    /// digitalSignature (0).
    DigitalSignature,
    /// nonRepudiation / contentCommitment (1).
    ContentCommitment,
    /// keyEncipherment (2).
    KeyEncipherment,
    /// dataEncipherment (3).
    DataEncipherment,
    /// keyAgreement (4).
    KeyAgreement,
    /// keyCertSign (5).
    KeyCertSign,
    /// cRLSign (6).
    CrlSign,
    /// encipherOnly (7).
    EncipherOnly,
    /// decipherOnly (8).
    DecipherOnly,
}

/// How to verify.
#[derive(Debug, Clone)]
pub struct Options {
    /// The time at which every certificate must be valid.
    pub time: UnixTime,
    /// What the leaf is for.
    pub purpose: Purpose,
    /// The expected peer name; `None` skips name matching.
    pub peer_name: Option<PeerName>,
    /// The certificate profile.
    pub profile: Profile,
    /// The maximum number of intermediates between the leaf and the anchor.
    pub maximum_intermediates: usize,
    /// keyUsage bits the leaf must assert when it has a keyUsage extension.
    pub leaf_key_usage: Vec<KeyUsageBit>,
    /// Accept SHA-1 signatures (legacy material only).
    pub allow_sha1: bool,
    /// Accept RSA keys of 1024 to 2047 bits (legacy material only; never in the Web PKI
    /// profile, never under 1024 bits).
    pub allow_legacy_keys: bool,
    /// Match a DNS peer name against the subject commonName when the certificate has no
    /// subjectAltName (RFC 9525 section 6.3 forbids this by default).
    pub common_name_fallback: bool,
    /// user-initial-policy-set (RFC 5280 6.1.1 (c)): dotted OIDs of the certificate policies
    /// the caller accepts; empty (the default) means any policy.
    pub initial_policy_set: Vec<String>,
    /// initial-explicit-policy (6.1.1 (f)): the path must be valid for at least one policy of
    /// `initial_policy_set`. Off by default.
    pub initial_explicit_policy: bool,
    /// initial-policy-mapping-inhibit (6.1.1 (e)): policyMappings end the mapped policies
    /// instead of translating them. Off by default.
    pub initial_policy_mapping_inhibit: bool,
    /// initial-any-policy-inhibit (6.1.1 (g)): anyPolicy in a certificate matches nothing.
    /// Off by default.
    pub initial_any_policy_inhibit: bool,
    /// The signature algorithms that certificate and CRL signatures are checked with, tried in
    /// order: the core's pure-Rust [`crypto::ALGORITHMS`] by default; native code passes its
    /// rustls crypto provider's list followed by the core's (same verdicts, native speed).
    pub signature_algorithms: crypto::Algorithms,
}

impl Options {
    /// Defaults for `time`: server purpose, no peer name, compatible profile, 8 intermediates.
    pub fn at(time: UnixTime) -> Self {
        Self {
            time,
            purpose: Purpose::Server,
            peer_name: None,
            profile: Profile::Compatible,
            maximum_intermediates: 8,
            leaf_key_usage: Vec::new(),
            allow_sha1: false,
            allow_legacy_keys: false,
            common_name_fallback: false,
            initial_policy_set: Vec::new(),
            initial_explicit_policy: false,
            initial_policy_mapping_inhibit: false,
            initial_any_policy_inhibit: false,
            signature_algorithms: crypto::ALGORITHMS,
        }
    }

    /// The signature algorithms and the SHA-1 rule of these options.
    pub(crate) fn signature_policy(&self) -> crypto::SignaturePolicy {
        crypto::SignaturePolicy {
            algorithms: self.signature_algorithms,
            allow_sha1: self.allow_sha1,
        }
    }
}

/// A successful verification: the path used, leaf first, trust anchor last, and who the leaf
/// is.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Verified {
    /// The certificates of the path, leaf first.
    pub path: Vec<CertificateRef>,
    /// The verified identity of the leaf, for access rules.
    pub identity: Identity,
    /// The valid policy set (RFC 5280 6.1.6, the user-constrained policy set of RFC 9618):
    /// the certificate policies, as dotted OIDs in the trust anchor's policy domain, that the
    /// whole path is valid for and the caller accepts; `2.5.29.32.0` (anyPolicy) when every
    /// certificate allows any policy; empty when some certificate has no certificatePolicies.
    pub policies: Vec<String>,
}

/// Whether `a` and `b` are the same distinguished name under RFC 5280 section 7.1 (strings
/// compared after case folding and space collapsing), the comparison the verifier uses to
/// chain an issuer to a subject; for callers that hold names without certificates, e.g. the
/// acceptable CA names of a TLS CertificateRequest. The names are the core's
/// [`NameRef`](crate::x509::name::NameRef) (read with
/// [`parse_name`](crate::x509::name::parse_name)).
pub fn same_name(a: &crate::x509::name::NameRef<'_>, b: &crate::x509::name::NameRef<'_>) -> bool {
    certificate::comparable_name(a) == certificate::comparable_name(b)
}

/// Verifies `input.leaf` against `input.anchors`, building a path through
/// `input.intermediates` and checking it as `options` say.
///
/// On failure the [`Failure`] names the certificate, the rule (an [`Error`] with a stable code)
/// and a fix hint; when several paths were tried, the most specific reason is reported.
pub fn verify(input: &Input, options: &Options) -> Result<Verified, Failure> {
    let Some(leaf) = &input.leaf else {
        return Err(Failure::input(Error::EmptyInput, "leaf"));
    };
    check_options(options)?;
    let limits = [
        (
            "intermediates",
            input.intermediates.len(),
            budget::MAXIMUM_INTERMEDIATES,
        ),
        ("CRLs", input.crls.len(), budget::MAXIMUM_CRLS),
    ];
    for (what, count, maximum) in limits {
        budget::check_count(what, count, maximum).map_err(|error| Failure::input(error, what))?;
    }
    let leaf = certificate::ParsedCertificate::parse(&leaf.der, leaf.label.as_str())
        .map_err(|error| Failure::input(error, &leaf.label))?;
    let mut intermediates = Vec::with_capacity(input.intermediates.len());
    let mut undecodable = Vec::new();
    for item in &input.intermediates {
        let beside = [core::slice::from_ref(&leaf), &intermediates];
        let label = item.label.as_str();
        match certificate::ParsedCertificate::parse_beside(&item.der, label, beside) {
            Ok(certificate) => intermediates.push(certificate),
            Err(error) => {
                undecodable.push(format!("{} could not be decoded ({error})", item.label))
            }
        }
    }
    // The anchors last: their names are usually the issuers of the certificates above.
    let beside = [core::slice::from_ref(&leaf), &intermediates];
    let store = TrustStore::lenient(&input.anchors, &input.crls, beside);
    store.verify_parsed(&leaf, &intermediates, undecodable, options)
}

/// The checks of `options` every verification makes before looking at certificates.
pub(crate) fn check_options(options: &Options) -> Result<(), Failure> {
    check_purpose(&options.purpose).map_err(|error| Failure::input(error, "purpose"))?;
    check_policy_set(&options.initial_policy_set)
        .map_err(|error| Failure::input(error, "initial_policy_set"))
}

/// The caller's acceptable policies are dotted OIDs: an unusable one must not be dropped, which
/// could turn the set into "any policy".
fn check_policy_set(policies: &[String]) -> Result<(), Error> {
    match policies
        .iter()
        .find(|oid| const_oid::ObjectIdentifier::new(oid.as_str()).is_err())
    {
        Some(bad) => Err(Error::InvalidOption {
            option: "initial_policy_set",
            detail: format!("'{bad}' is not a dotted OID"),
        }),
        None => Ok(()),
    }
}

/// A purpose of extended key usages names at least one, each a dotted OID: an unusable one
/// must not turn into "any purpose".
fn check_purpose(purpose: &Purpose) -> Result<(), Error> {
    let Purpose::ExtendedKeyUsages(oids) = purpose else {
        return Ok(());
    };
    let invalid = |detail: String| Error::InvalidOption {
        option: "purpose",
        detail,
    };
    if oids.is_empty() {
        return Err(invalid(
            "no extended key usage given (use Purpose::Any for any purpose)".to_owned(),
        ));
    }
    match oids
        .iter()
        .find(|oid| const_oid::ObjectIdentifier::new(oid.as_str()).is_err())
    {
        Some(bad) => Err(invalid(format!("'{bad}' is not a dotted OID"))),
        None => Ok(()),
    }
}

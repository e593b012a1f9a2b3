//! `verify`: does a certificate chain to a trusted CA, and if not, why (`mtlskit verify`).
//!
//! Like the CLI, the certificates after the first one in `leaf` are untrusted intermediates,
//! so a fullchain file verifies as a server would send it.

use core::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::input::required_blocks;
use super::{ApiError, Input, at};
use crate::decode::Kind;
use crate::verify::{self, CertificateRef, Failure, Item, Options, PeerName, Profile, Purpose};
use crate::{Error, UnixTime};

/// A chain to verify and how.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The certificate to verify; further certificates in it are untrusted intermediates.
    pub leaf: Input,
    /// Untrusted certificates to build the path with, any order.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<Input>>", optional))]
    pub intermediates: Vec<Input>,
    /// Trusted certificates (PEM bundles welcome).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<Input>>", optional))]
    pub anchors: Vec<Input>,
    /// Certificate revocation lists to check.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<Input>>", optional))]
    pub crls: Vec<Input>,
    /// Expected DNS name of the peer (RFC 6125: SAN dNSName, left-most wildcard only).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub host: Option<String>,
    /// Expected IP address of the peer (SAN iPAddress, exact).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub ip: Option<String>,
    /// Expected email address (SAN rfc822Name), for client certificates.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub email: Option<String>,
    /// What the leaf is for. Default: `server` with `host`/`ip`, `client` with `email`, `any`
    /// otherwise.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub purpose: Option<VerifyPurpose>,
    /// The certificate profile (default `compatible`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Profile>", optional))]
    pub profile: Profile,
    /// Accept SHA-1 signatures (legacy certificates only).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub allow_sha1: bool,
    /// Accept RSA keys of 1024 to 2047 bits (legacy certificates only; never with `webpki`).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub allow_legacy_keys: bool,
    /// Match `host` against the subject commonName when the leaf has no subjectAltName.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub cn_fallback: bool,
    /// Certificate policies the caller accepts, dotted OIDs (RFC 5280
    /// user-initial-policy-set); empty: any policy.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub policies: Vec<String>,
    /// The path must be valid for one of `policies` (initial-explicit-policy).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub explicit_policy: bool,
    /// policyMappings end the mapped policies (initial-policy-mapping-inhibit).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub inhibit_policy_mapping: bool,
    /// anyPolicy in a certificate matches nothing (initial-any-policy-inhibit).
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub inhibit_any_policy: bool,
}

/// What the leaf certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum VerifyPurpose {
    /// TLS server authentication (id-kp-serverAuth).
    Server,
    /// TLS client authentication (id-kp-clientAuth).
    Client,
    /// Any purpose: extendedKeyUsage is not checked.
    Any,
}

/// The options shared by [`verify()`] and [`super::verify_set()`].
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// See [`VerifyRequest::host`].
    pub host: Option<String>,
    /// See [`VerifyRequest::ip`].
    pub ip: Option<String>,
    /// See [`VerifyRequest::email`].
    pub email: Option<String>,
    /// See [`VerifyRequest::purpose`].
    pub purpose: Option<VerifyPurpose>,
    /// See [`VerifyRequest::profile`].
    pub profile: Profile,
    /// See [`VerifyRequest::allow_sha1`].
    pub allow_sha1: bool,
    /// See [`VerifyRequest::allow_legacy_keys`].
    pub allow_legacy_keys: bool,
    /// See [`VerifyRequest::cn_fallback`].
    pub cn_fallback: bool,
    /// See [`VerifyRequest::policies`].
    pub policies: Vec<String>,
    /// See [`VerifyRequest::explicit_policy`].
    pub explicit_policy: bool,
    /// See [`VerifyRequest::inhibit_policy_mapping`].
    pub inhibit_policy_mapping: bool,
    /// See [`VerifyRequest::inhibit_any_policy`].
    pub inhibit_any_policy: bool,
}

/// The verdict: `{"valid": true, "path": [...]}` or `{"valid": false, "failure": {...}}`, as
/// `mtlskit verify --json` prints it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct VerifyResponse {
    /// Whether a valid path to a trust anchor was found.
    pub valid: bool,
    /// The path, leaf first, when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub path: Option<Vec<CertificateRef>>,
    /// When valid: the certificate policies (dotted OIDs) the whole path is valid for and
    /// the caller accepts; `2.5.29.32.0` (anyPolicy) when every certificate allows any;
    /// empty when some certificate has no certificatePolicies.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub policies: Option<Vec<String>>,
    /// Why not, when not valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub failure: Option<Failure>,
}

/// Verifies `request.leaf` at `time` with the core's (pure-Rust) signature algorithms.
///
/// An invalid chain is a response (`valid: false`); only unusable input (no certificate in
/// `leaf`, a malformed file, a bad option) is an error.
pub fn verify(request: &VerifyRequest, time: UnixTime) -> Result<VerifyResponse, ApiError> {
    verify_with(request, time, crate::crypto::ALGORITHMS)
}

/// [`verify()`] with the signature algorithms of a native crypto provider (the CLI passes
/// rustls' list); the verdicts are the same, only faster.
pub fn verify_with(
    request: &VerifyRequest,
    time: UnixTime,
    algorithms: crate::crypto::Algorithms,
) -> Result<VerifyResponse, ApiError> {
    let mut options = VerifyOptions {
        host: request.host.clone(),
        ip: request.ip.clone(),
        email: request.email.clone(),
        purpose: request.purpose,
        profile: request.profile,
        allow_sha1: request.allow_sha1,
        allow_legacy_keys: request.allow_legacy_keys,
        cn_fallback: request.cn_fallback,
        policies: request.policies.clone(),
        explicit_policy: request.explicit_policy,
        inhibit_policy_mapping: request.inhibit_policy_mapping,
        inhibit_any_policy: request.inhibit_any_policy,
    }
    .resolve(time)?;
    options.signature_algorithms = algorithms;
    let mut leaf_items = items(&request.leaf, "leaf", Kind::Certificate)?.into_iter();
    let leaf = leaf_items.next();
    let mut input = verify::Input {
        leaf,
        intermediates: leaf_items.collect(),
        anchors: Vec::new(),
        crls: Vec::new(),
    };
    input.intermediates.extend(all_items(
        &request.intermediates,
        "intermediates",
        Kind::Certificate,
    )?);
    input.anchors = all_items(&request.anchors, "anchors", Kind::Certificate)?;
    input.crls = all_items(&request.crls, "crls", Kind::Crl)?;
    respond(
        verify::verify(&input, &options),
        &request.leaf.label("leaf"),
    )
}

impl VerifyOptions {
    /// The core's verification options at `time`.
    pub fn resolve(&self, time: UnixTime) -> Result<Options, ApiError> {
        let mut options = Options::at(time);
        options.peer_name = self.peer_name()?;
        options.purpose = match (self.purpose, &options.peer_name) {
            (Some(VerifyPurpose::Server), _) | (None, Some(PeerName::Dns(_) | PeerName::Ip(_))) => {
                Purpose::Server
            }
            (Some(VerifyPurpose::Client), _) | (None, Some(PeerName::Email(_))) => Purpose::Client,
            (Some(VerifyPurpose::Any), _) | (None, None) => Purpose::Any,
        };
        options.profile = self.profile;
        options.allow_sha1 = self.allow_sha1;
        options.allow_legacy_keys = self.allow_legacy_keys;
        options.common_name_fallback = self.cn_fallback;
        options.initial_policy_set.clone_from(&self.policies);
        options.initial_explicit_policy = self.explicit_policy;
        options.initial_policy_mapping_inhibit = self.inhibit_policy_mapping;
        options.initial_any_policy_inhibit = self.inhibit_any_policy;
        Ok(options)
    }

    fn peer_name(&self) -> Result<Option<PeerName>, ApiError> {
        let given = [self.host.is_some(), self.ip.is_some(), self.email.is_some()];
        if given.iter().filter(|given| **given).count() > 1 {
            let error = Error::InvalidRequest {
                detail: "give at most one of host, ip and email".into(),
            };
            return Err(ApiError::new(error, "host"));
        }
        if let Some(host) = &self.host {
            return Ok(Some(PeerName::Dns(host.clone())));
        }
        if let Some(address) = &self.ip {
            let parsed = address.parse::<IpAddr>().map_err(|_| {
                let error = Error::InvalidRequest {
                    detail: format!("ip: '{address}' is not an IPv4 or IPv6 address"),
                };
                ApiError::new(error, "ip")
            })?;
            return Ok(Some(PeerName::Ip(parsed)));
        }
        Ok(self.email.clone().map(PeerName::Email))
    }
}

/// The verdict for a verification result; a failure of the input itself (no path was even
/// started) is an error about `leaf_label`.
pub(crate) fn respond(
    result: Result<verify::Verified, Failure>,
    leaf_label: &str,
) -> Result<VerifyResponse, ApiError> {
    match result {
        Ok(verified) => Ok(VerifyResponse {
            valid: true,
            path: Some(verified.path),
            policies: Some(verified.policies),
            failure: None,
        }),
        Err(failure) if failure.path.is_empty() && failure.certificate.is_none() => {
            Err(ApiError::new(*failure.error, leaf_label))
        }
        Err(failure) => Ok(VerifyResponse {
            valid: false,
            path: None,
            policies: None,
            failure: Some(failure),
        }),
    }
}

/// The items of `kind` in every input of `inputs`, labelled like the CLI labels files.
fn all_items(inputs: &[Input], field: &str, kind: Kind) -> Result<Vec<Item>, ApiError> {
    let mut found = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        found.extend(items(input, &format!("{field}[{index}]"), kind)?);
    }
    Ok(found)
}

/// The items of `kind` in `input`, labelled with its name (or `field`), `NAME #n` when it
/// holds several.
pub(crate) fn items(input: &Input, field: &str, kind: Kind) -> Result<Vec<Item>, ApiError> {
    let label = input.label(field);
    let what = if kind == Kind::Crl {
        "CRL"
    } else {
        "certificate"
    };
    let found = required_blocks(input.data.bytes(), kind, what).map_err(at(&label))?;
    let several = found.len() > 1;
    Ok(found
        .into_iter()
        .enumerate()
        .map(|(index, der)| {
            let name = if several {
                format!("{label} #{}", index + 1)
            } else {
                label.clone()
            };
            Item::new(der, name)
        })
        .collect())
}

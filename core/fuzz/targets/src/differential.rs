//! Differential target: our verdict against rustls-webpki's (0.103, ring algorithms) on the
//! same verification problem (see [`crate::chain`]), where both implement the rules.
//!
//! Compared: path building, signatures, validity periods, basicConstraints and
//! pathLenConstraint, extendedKeyUsage (server or client authentication, flags bit 0), the
//! DNS or IP peer name, and the depth limit (both at 6 intermediates). Our side runs the
//! compatible profile with the core's pure-Rust algorithms, no SHA-1 and no legacy keys.
//!
//! Not compared (the input is skipped): problems with CRLs (webpki's revocation options have
//! no counterpart in our request), with an email peer name (webpki matches DNS names and IP
//! addresses only), with a peer name webpki cannot represent, or with a trust anchor that one
//! side cannot decode (webpki reads only the subject, key and name constraints of an anchor).
//!
//! Differences by design, accepted when they are the only ones ([`by_design`]):
//! - webpki ignores keyUsage (its `check_issuer_independent_properties` says so); we enforce
//!   keyCertSign on issuers (RFC 5280 6.1.4 (n)).
//! - webpki does not check what RFC 5280 section 4 asks of conforming CAs; even our compatible
//!   profile refuses some of it (`NonConforming`: e.g. nameConstraints not marked critical).
//! - webpki refuses a CA certificate as the leaf (`CaUsedAsEndEntity`); RFC 5280 does not,
//!   and neither does our compatible profile (the webpki profile does).
//! - webpki refuses version 1 and 2 leaves; the compatible profile accepts a version 1 leaf
//!   (openssl's `x509 -req` without extensions makes them).
//! - webpki understands six extensions (keyUsage, subjectAltName, basicConstraints,
//!   nameConstraints, cRLDistributionPoints, extendedKeyUsage) and refuses any other critical
//!   one; we process the policy extensions (certificatePolicies, policyMappings,
//!   policyConstraints, inhibitAnyPolicy) and accept critical key identifiers.
//! - webpki does no policy processing (RFC 5280 6.1.3 (d)-(f), 6.1.5): our `NoValidPolicy`.
//! - the algorithm lists differ at the edges: webpki's ring list has no P-521, no ECDSA with
//!   SHA-512, no RSA over 8,192 bits.
//! - webpki's name constraints refuse what RFC 5280 4.2.1.10 permits: a directoryName
//!   constraint (limbo `nc::permitted-dn-match`), a constraint naming one mailbox
//!   (`nc-permits-email-exact`, `nc-permits-email-literal-mid-asterisk`), and a self-issued
//!   intermediate's names, which 6.1.3 (b) exempts (`nc::permitted-self-issued`).
//! - webpki accepts '_' in DNS names, which RFC 5280 4.2.1.6 (preferred name syntax) does not
//!   (limbo `san::underscore-dns`, expected FAILURE).
//! - webpki accepts serial numbers over 20 octets, which RFC 5280 4.1.2.2 forbids (limbo
//!   `serial::too-long`, expected FAILURE).
//! - key identifiers: like OpenSSL (`X509_V_ERR_AKID_SKID_MISMATCH`), we do not take as issuer
//!   a certificate whose subjectKeyIdentifier differs from the authorityKeyIdentifier of the
//!   certificate it would sign (`UnknownIssuer` "... has another key"); webpki ignores both
//!   extensions and only tries the signature (found by the campaign: corpus file
//!   `crash-anchor-key-identifier-mismatch`, an anchor whose subjectKeyIdentifier was changed).
//! - the work budgets differ (webpki: 100 signatures, 200,000 path-building calls).
//!
//! When we accept and webpki refuses, webpki is asked again with only the intermediates of
//! our path, so that its error is about that path and not about the last one it tried. The
//! limbo cases named above are in the corpus: in each, our verdict is the one limbo expects.

use std::time::Duration;

use mtlskit::verify::{self as verification, Failure, Input, Item, PeerName, Purpose, Verified};
use rustls_pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use webpki::{EndEntityCert, Error as WebpkiError, KeyUsage};

use crate::chain::Chain;

/// Both verifiers' verdicts on one problem; panics when they differ for a reason that is not
/// one of the documented differences.
pub fn differential(data: &[u8]) {
    let Some(chain) = Chain::parse(data) else {
        return;
    };
    let Some(problem) = Problem::new(&chain) else {
        return;
    };
    let ours = problem.ours();
    let theirs = problem.webpki();
    if ours.is_ok() == theirs.is_ok() || by_design(&problem, &ours, &theirs).is_some() {
        return;
    }
    disagreement(&ours, &theirs);
}

impl Problem<'_> {
    fn peer_name_has_underscore(&self) -> bool {
        matches!(&self.chain.peer_name, Some(PeerName::Dns(name)) if name.contains('_'))
    }

    /// Whether our path has a self-issued intermediate and some certificate has
    /// nameConstraints: webpki checks the intermediate's names, and when that path fails it
    /// may report the error of another one.
    fn self_issued_under_name_constraints(&self, verified: &Verified) -> bool {
        let on_path = |index: &usize| {
            let label = format!("intermediate {}", index + 1);
            verified
                .path
                .iter()
                .any(|certificate| certificate.source == label)
        };
        let self_issued = (0..self.chain.intermediates.len())
            .filter(on_path)
            .filter_map(|index| self.chain.intermediates.get(index))
            .any(|der| {
                mtlskit::x509::raw_issuer_and_subject(der)
                    .is_ok_and(|(issuer, subject)| issuer == subject)
            });
        let constrained = self
            .chain
            .intermediates
            .iter()
            .chain(&self.chain.anchors)
            .any(|der| {
                mtlskit::x509::parse_certificate(der).is_ok_and(|certificate| {
                    certificate
                        .extensions()
                        .any(|extension| mtlskit::x509::dotted(&extension.oid) == NAME_CONSTRAINTS)
                })
            });
        self_issued && constrained
    }

    /// Whether a certificate has a serial number over the 20 octets of RFC 5280 4.1.2.2.
    fn has_long_serial(&self) -> bool {
        let certificates = std::iter::once(&self.leaf).chain(&self.chain.intermediates);
        certificates.chain(&self.chain.anchors).any(|der| {
            mtlskit::x509::parse_certificate(der)
                .is_ok_and(|certificate| certificate.serial().len() > 20)
        })
    }
}

const NAME_CONSTRAINTS: &str = "2.5.29.30";

/// What both sides are asked.
struct Problem<'a> {
    chain: &'a Chain<'a>,
    leaf: &'a [u8],
    client: bool,
    server_name: Option<ServerName<'static>>,
    anchors: Vec<CertificateDer<'a>>,
}

impl<'a> Problem<'a> {
    fn new(chain: &'a Chain<'a>) -> Option<Self> {
        let leaf = chain.leaf?;
        if !chain.crls.is_empty() || matches!(chain.peer_name, Some(PeerName::Email(_))) {
            return None;
        }
        let server_name = match &chain.peer_name {
            None => None,
            Some(PeerName::Dns(name)) => Some(ServerName::try_from(name.clone()).ok()?),
            Some(PeerName::Ip(address)) => Some(ServerName::IpAddress((*address).into())),
            Some(PeerName::Email(_)) => return None,
        };
        let anchors: Vec<CertificateDer> = chain
            .anchors
            .iter()
            .map(|der| CertificateDer::from(*der))
            .collect();
        let decodable = |der: &CertificateDer| {
            webpki::anchor_from_trusted_cert(der).is_ok()
                && mtlskit::x509::parse_certificate(der).is_ok()
        };
        if !anchors.iter().all(decodable) {
            return None;
        }
        Some(Self {
            chain,
            leaf,
            client: chain.flags & 1 != 0,
            server_name,
            anchors,
        })
    }

    fn ours(&self) -> Result<Verified, Failure> {
        let mut options = verification::Options::at(self.chain.time);
        options.purpose = if self.client {
            Purpose::Client
        } else {
            Purpose::Server
        };
        options.peer_name = self.chain.peer_name.clone();
        options.maximum_intermediates = 6;
        let input = Input {
            leaf: Some(Item::new(self.leaf.to_vec(), "leaf")),
            intermediates: Chain::items(&self.chain.intermediates, "intermediate"),
            anchors: Chain::items(&self.chain.anchors, "trust anchor"),
            crls: Vec::new(),
        };
        verification::verify(&input, &options)
    }

    fn webpki(&self) -> Result<(), WebpkiError> {
        self.webpki_with(&self.chain.intermediates)
    }

    /// webpki on the path we found (only its intermediates offered), so that the error it
    /// gives is about that path rather than about the last one it tried.
    fn webpki_on_path(&self, verified: &Verified) -> Result<(), WebpkiError> {
        let on_path: Vec<&[u8]> = (0..self.chain.intermediates.len())
            .filter(|index| {
                let label = format!("intermediate {}", index + 1);
                verified
                    .path
                    .iter()
                    .any(|certificate| certificate.source == label)
            })
            .filter_map(|index| self.chain.intermediates.get(index).copied())
            .collect();
        self.webpki_with(&on_path)
    }

    fn webpki_with(&self, intermediates: &[&[u8]]) -> Result<(), WebpkiError> {
        let leaf = CertificateDer::from(self.leaf);
        let end_entity = EndEntityCert::try_from(&leaf)?;
        let anchors: Vec<TrustAnchor> = self
            .anchors
            .iter()
            .filter_map(|der| webpki::anchor_from_trusted_cert(der).ok())
            .collect();
        let intermediates: Vec<CertificateDer> = intermediates
            .iter()
            .map(|der| CertificateDer::from(*der))
            .collect();
        let seconds = u64::try_from(self.chain.time.0).unwrap_or(0);
        let time = UnixTime::since_unix_epoch(Duration::from_secs(seconds));
        let usage = if self.client {
            KeyUsage::client_auth()
        } else {
            KeyUsage::server_auth()
        };
        end_entity.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &anchors,
            &intermediates,
            time,
            usage,
            None,
            None,
        )?;
        match &self.server_name {
            Some(name) => end_entity.verify_is_valid_for_subject_name(name),
            None => Ok(()),
        }
    }
}

/// The documented difference that explains `ours` against `theirs`, if one does.
fn by_design(
    problem: &Problem,
    ours: &Result<Verified, Failure>,
    theirs: &Result<(), WebpkiError>,
) -> Option<&'static str> {
    match (ours, theirs) {
        (Err(failure), Ok(())) => match failure.code {
            "KeyUsageMissing" => Some("webpki ignores keyUsage"),
            "NonConforming" => Some("webpki does not check the RFC 5280 section 4 profile"),
            "NoValidPolicy" => Some("webpki does no policy processing"),
            "BudgetExceeded" => Some("the work budgets differ"),
            // build.rs words the key identifier rule so: the only candidate was set aside.
            "UnknownIssuer" if failure.message.contains("has another key") => {
                Some("like OpenSSL we do not chain across mismatched key identifiers")
            }
            "NameMismatch" if problem.peer_name_has_underscore() => {
                Some("webpki accepts '_' in DNS names")
            }
            "InvalidDer" if problem.has_long_serial() => {
                Some("webpki accepts serial numbers over 20 octets")
            }
            _ => None,
        },
        (Ok(verified), Err(_)) if problem.self_issued_under_name_constraints(verified) => {
            Some("RFC 5280 6.1.3 (b): self-issued intermediates are exempt from name constraints")
        }
        (Ok(verified), Err(error)) => {
            let on_our_path = problem.webpki_on_path(verified);
            match on_our_path.as_ref().err().unwrap_or(error) {
                WebpkiError::CaUsedAsEndEntity => Some("a CA certificate may be a leaf"),
                WebpkiError::UnsupportedCertVersion => Some("we accept v1 leaves"),
                WebpkiError::UnsupportedCriticalExtension => Some("webpki knows six extensions"),
                WebpkiError::UnsupportedSignatureAlgorithmContext(_)
                | WebpkiError::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => {
                    Some("webpki's ring algorithm list is smaller")
                }
                WebpkiError::NameConstraintViolation => {
                    Some("webpki's name constraints: directoryName, mailboxes, self-issued")
                }
                WebpkiError::MaximumSignatureChecksExceeded
                | WebpkiError::MaximumPathBuildCallsExceeded => Some("the work budgets differ"),
                _ => None,
            }
        }
        _ => None,
    }
}

#[allow(
    clippy::panic,
    reason = "a disagreement is the defect this target looks for"
)]
fn disagreement(ours: &Result<Verified, Failure>, theirs: &Result<(), WebpkiError>) {
    let ours = match ours {
        Ok(verified) => format!("valid (path of {})", verified.path.len()),
        Err(failure) => format!("{}: {}", failure.code, failure.message),
    };
    panic!("mtlskit and rustls-webpki disagree:\n  mtlskit: {ours}\n  webpki: {theirs:?}");
}

//! Client certificates are verified by the mtlskit core, not by rustls: this is a rustls
//! `ClientCertVerifier` whose only job is to hand the chain the client sent to
//! [`verify_chain`] (rustls still checks the handshake signature with the provider's
//! algorithms). A refusal carries the core's rule code, so the log and the metrics say
//! exactly why a client was turned away.

use std::fmt;
use std::sync::Arc;

use mtlskit::UnixTime;
use mtlskit::verify::{self, Input, Item, Options, PeerName, Purpose};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, UnixTime as RustlsTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    CertificateError, DigitallySignedStruct, DistinguishedName, OtherError, SignatureScheme,
};

/// Why a peer was refused: a stable rule code (the core's error code, `NoClientCertificate`,
/// `NotAllowed`, ...) and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The rule that failed.
    pub reason: &'static str,
    /// What failed, for people.
    pub detail: String,
}

impl Refusal {
    /// A refusal by `reason`.
    pub fn new(reason: &'static str, detail: impl Into<String>) -> Self {
        Self {
            reason,
            detail: detail.into(),
        }
    }

    /// The refusal carried inside a rustls error made by this module, if it is one.
    pub fn from_rustls(error: &rustls::Error) -> Option<Self> {
        let rustls::Error::InvalidCertificate(CertificateError::Other(other)) = error else {
            return None;
        };
        other.0.downcast_ref::<Self>().cloned()
    }

    fn into_rustls(self) -> rustls::Error {
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(self))))
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.detail)
    }
}

impl std::error::Error for Refusal {}

/// Trust anchors and CRLs read from a listener's files.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    /// Trusted certificates, labelled with their file.
    pub anchors: Vec<Item>,
    /// CRLs, labelled with their file.
    pub crls: Vec<Item>,
    /// The anchors' subjects, for the TLS CertificateRequest.
    pub subjects: Vec<DistinguishedName>,
}

/// Verifies a chain sent by a peer: the one function that asks the core.
pub fn verify_chain(
    trust: &Trust,
    chain: &[CertificateDer<'_>],
    purpose: Purpose,
    peer_name: Option<PeerName>,
    now: UnixTime,
) -> Result<(), Refusal> {
    let Some((leaf, intermediates)) = chain.split_first() else {
        return Err(Refusal::new(
            "NoClientCertificate",
            "no certificate was sent",
        ));
    };
    let input = Input {
        leaf: Some(Item::new(leaf.to_vec(), "peer certificate")),
        intermediates: intermediates
            .iter()
            .enumerate()
            .map(|(index, der)| Item::new(der.to_vec(), format!("peer chain #{}", index + 2)))
            .collect(),
        anchors: trust.anchors.clone(),
        crls: trust.crls.clone(),
    };
    let mut options = Options::at(now);
    options.signature_algorithms = crate::tls::signature_algorithms();
    options.purpose = purpose;
    options.peer_name = peer_name;
    verify::verify(&input, &options)
        .map(|_| ())
        .map_err(|failure| Refusal::new(failure.code, failure.explanation().replace('\n', "; ")))
}

/// Converts rustls' time to the core's.
pub fn core_time(now: RustlsTime) -> UnixTime {
    UnixTime(i64::try_from(now.as_secs()).unwrap_or(i64::MAX))
}

/// The rustls verifier of client certificates.
#[derive(Debug)]
pub struct CoreClientVerifier {
    trust: Arc<Trust>,
    optional: bool,
    algorithms: WebPkiSupportedAlgorithms,
}

impl CoreClientVerifier {
    /// A verifier trusting `trust`; `optional` lets clients without a certificate finish the
    /// handshake.
    pub fn new(trust: Arc<Trust>, optional: bool, algorithms: WebPkiSupportedAlgorithms) -> Self {
        Self {
            trust,
            optional,
            algorithms,
        }
    }

    /// Verifies a chain again (a resumed session at a later time, or after a reload).
    pub fn verify_again(&self, chain: &[CertificateDer<'_>], now: UnixTime) -> Result<(), Refusal> {
        verify_chain(&self.trust, chain, Purpose::Client, None, now)
    }
}

impl ClientCertVerifier for CoreClientVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        !self.optional
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.trust.subjects
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: RustlsTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        let mut chain = Vec::with_capacity(intermediates.len() + 1);
        chain.push(end_entity.clone());
        chain.extend(intermediates.iter().cloned());
        verify_chain(&self.trust, &chain, Purpose::Client, None, core_time(now))
            .map(|()| ClientCertVerified::assertion())
            .map_err(Refusal::into_rustls)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, certificate, signature, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, certificate, signature, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The reason code of a failed server-side handshake, for logs and metrics.
pub fn handshake_failure_reason(error: &std::io::Error) -> (&'static str, String) {
    let Some(tls) = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    else {
        return match error.kind() {
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset => (
                "ConnectionClosed",
                "the client closed the connection during the handshake".to_owned(),
            ),
            _ => ("Io", error.to_string()),
        };
    };
    if let Some(refusal) = Refusal::from_rustls(tls) {
        return (refusal.reason, refusal.detail);
    }
    let reason = match tls {
        rustls::Error::NoCertificatesPresented => {
            return (
                "NoClientCertificate",
                "the client sent no certificate and one is required".to_owned(),
            );
        }
        rustls::Error::InvalidMessage(_)
        | rustls::Error::InappropriateMessage { .. }
        | rustls::Error::InappropriateHandshakeMessage { .. } => "InvalidMessage",
        rustls::Error::PeerIncompatible(_) => "PeerIncompatible",
        rustls::Error::PeerMisbehaved(_) => "PeerMisbehaved",
        rustls::Error::AlertReceived(_) => "AlertReceived",
        rustls::Error::InvalidCertificate(_) => "BadCertificate",
        rustls::Error::DecryptError => "DecryptError",
        _ => "TlsError",
    };
    (reason, tls.to_string())
}

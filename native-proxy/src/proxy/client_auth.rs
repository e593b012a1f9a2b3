//! Client certificates are verified by the mtlskit core, not by rustls: this is a rustls
//! `ClientCertVerifier` whose only job is to hand the chain the client sent to
//! [`verify_chain`] (rustls still checks the handshake signature with the provider's
//! algorithms). A refusal carries the core's rule code, so the log and the metrics say
//! exactly why a client was turned away.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use mtlskit::UnixTime;
use mtlskit::verify::{Item, Options, PeerName, Purpose, TrustStore};
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

    /// The rustls error for a refusal in the handshake: the closest certificate error, so the
    /// client reads a precise alert (unknown_ca, certificate_expired, certificate_revoked,
    /// unsupported_certificate, bad_certificate; certificate_unknown otherwise). The refusal
    /// itself is kept for the log in the task's [`with_refusal`] slot.
    fn into_rustls(self) -> rustls::Error {
        let error = match self.reason {
            "UnknownIssuer" | "MissingIssuer" => CertificateError::UnknownIssuer,
            "StaleCrl" => CertificateError::ExpiredRevocationList,
            "Expired" => CertificateError::Expired,
            "NotYetValid" => CertificateError::NotValidYet,
            "Revoked" => CertificateError::Revoked,
            "ExtendedKeyUsageMissing" | "KeyUsageMissing" => CertificateError::InvalidPurpose,
            "BadSignature" | "InvalidDer" | "NonConforming" => CertificateError::BadEncoding,
            "UnsupportedCriticalExtension" => CertificateError::UnhandledCriticalExtension,
            _ => CertificateError::Other(OtherError(Arc::new(self.clone()))),
        };
        let _ = REFUSAL.try_with(|slot| *slot.borrow_mut() = Some(self));
        rustls::Error::InvalidCertificate(error)
    }
}

tokio::task_local! {
    /// The refusal made by the verifier in the handshake running in this task (rustls carries
    /// only the alert's error out of the handshake).
    static REFUSAL: RefCell<Option<Refusal>>;
}

/// Runs a server handshake; returns its result and the verifier's refusal, if it made one.
pub async fn with_refusal<F: Future>(handshake: F) -> (F::Output, Option<Refusal>) {
    REFUSAL
        .scope(RefCell::new(None), async move {
            let output = handshake.await;
            let refusal = REFUSAL.with(|slot| slot.borrow_mut().take());
            (output, refusal)
        })
        .await
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.detail)
    }
}

impl std::error::Error for Refusal {}

/// Trust anchors and CRLs read from a listener's files, decoded and indexed once into a
/// [`TrustStore`] when the listener's state is loaded (at start-up and on every reload, which
/// swaps the whole state): a handshake only decodes the certificates the peer sent.
#[derive(Debug, Clone)]
pub struct Trust {
    /// Trusted certificates, labelled with their file (for `mtlskit proxy check`).
    pub anchors: Vec<Item>,
    /// The anchors and CRLs every handshake verifies against.
    pub store: Arc<TrustStore>,
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
    let intermediates: Vec<&[u8]> = intermediates.iter().map(AsRef::as_ref).collect();
    let mut options = Options::at(now);
    options.signature_algorithms = crate::tls::signature_algorithms();
    options.purpose = purpose;
    options.peer_name = peer_name;
    trust
        .store
        .verify(leaf, &intermediates, &options)
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
pub fn handshake_failure_reason(
    error: &std::io::Error,
    refusal: Option<Refusal>,
) -> (&'static str, String) {
    if let Some(refusal) = refusal {
        return (refusal.reason, refusal.detail);
    }
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

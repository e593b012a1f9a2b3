//! The rustls callbacks of the probe: one [`Recorder`] is both the server certificate verifier
//! and the client certificate resolver, and writes down what the handshake showed.
//!
//! The verifier records the chain exactly as sent and asks the core verifier for the verdict,
//! then lets the handshake go on whatever the verdict (like `curl -k`, but the verdict is kept
//! and decides the exit code): a probe must see the client authentication and the HTTP answer
//! of a misconfigured server too. Handshake signatures are checked for real, with the key in
//! the server's certificate, so a server key that does not match its certificate fails the
//! handshake and is named as such.

use std::sync::{Arc, Mutex, PoisonError};

use mtlskit::verify::{Failure, Verified};
use rustls::client::ResolvesClientCert;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, verify_tls13_signature_with_raw_key};
use rustls::sign::CertifiedKey;
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, SubjectPublicKeyInfoDer, UnixTime};

use super::trust::Trust;

/// What one connection's handshake showed.
#[derive(Debug, Default)]
pub struct Observed {
    /// The certificates the server sent, in its order (empty when it sent none).
    pub server_chain: Vec<Vec<u8>>,
    /// The core verifier's verdict on `server_chain`.
    pub verdict: Option<Result<Verified, Failure>>,
    /// The server's handshake signature did not verify with its certificate's key.
    pub key_mismatch: bool,
    /// The server's CertificateRequest, when it sent one.
    pub certificate_request: Option<CertificateRequest>,
}

/// A CertificateRequest as the client saw it.
#[derive(Debug, Clone, Default)]
pub struct CertificateRequest {
    /// The acceptable CA names (DER `Name`s), in the server's order; empty means "any".
    pub acceptable_cas: Vec<Vec<u8>>,
    /// Whether we answered with a certificate.
    pub sent: bool,
    /// We had a certificate but the server accepts none of its key's signature schemes.
    pub scheme_refused: bool,
}

/// Records handshakes (see the module documentation).
#[derive(Debug)]
pub struct Recorder {
    trust: Trust,
    credentials: Option<Arc<CertifiedKey>>,
    algorithms: WebPkiSupportedAlgorithms,
    observed: Mutex<Observed>,
}

impl Recorder {
    /// A recorder verifying against `trust`, answering certificate requests with `credentials`.
    pub fn new(
        trust: Trust,
        credentials: Option<Arc<CertifiedKey>>,
        algorithms: WebPkiSupportedAlgorithms,
    ) -> Self {
        Self {
            trust,
            credentials,
            algorithms,
            observed: Mutex::new(Observed::default()),
        }
    }

    /// What was observed since the last call, leaving an empty record for the next connection.
    pub fn take(&self) -> Observed {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Observed> {
        // A poisoned record is still the best record there is.
        self.observed.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Checks a handshake signature with the key of the server's certificate.
    fn check_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signed: &DigitallySignedStruct,
        tls13: bool,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let result = subject_public_key_info(certificate).and_then(|spki| {
            if tls13 {
                verify_tls13_signature_with_raw_key(message, &spki, signed, &self.algorithms)
            } else {
                verify_tls12_signature_with_raw_key(message, &spki, signed, &self.algorithms)
            }
        });
        // A wrong signature, or one of another key type: the key is not the certificate's.
        if matches!(
            result,
            Err(rustls::Error::InvalidCertificate(
                CertificateError::BadSignature
                    | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. }
            ))
        ) {
            self.lock().key_mismatch = true;
        }
        result
    }
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chain: Vec<Vec<u8>> = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|certificate| certificate.as_ref().to_vec())
            .collect();
        let verdict = self.trust.verify(&chain);
        let mut observed = self.lock();
        observed.server_chain = chain;
        observed.verdict = Some(verdict);
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signed: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.check_signature(message, certificate, signed, false)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signed: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.check_signature(message, certificate, signed, true)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

impl ResolvesClientCert for Recorder {
    fn resolve(
        &self,
        root_hint_subjects: &[&[u8]],
        sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        let usable = self
            .credentials
            .as_ref()
            .filter(|credentials| credentials.key.choose_scheme(sigschemes).is_some());
        self.lock().certificate_request = Some(CertificateRequest {
            acceptable_cas: root_hint_subjects
                .iter()
                .map(|name| name.to_vec())
                .collect(),
            sent: usable.is_some(),
            scheme_refused: self.credentials.is_some() && usable.is_none(),
        });
        usable.cloned()
    }

    fn has_certs(&self) -> bool {
        // Always: rustls then calls `resolve`, which records the request even without
        // credentials (and answers with no certificate).
        true
    }
}

/// The SubjectPublicKeyInfo of a certificate, read by the core: unlike webpki, it also reads
/// the version 1 certificates that `openssl x509 -req` makes without an extension file.
fn subject_public_key_info(
    certificate: &CertificateDer<'_>,
) -> Result<SubjectPublicKeyInfoDer<'static>, rustls::Error> {
    let parsed = mtlskit::x509::parse_certificate(certificate.as_ref())
        .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
    Ok(SubjectPublicKeyInfoDer::from(parsed.spki_der().to_vec()))
}

/// The TLS 1.2 twin of rustls' `verify_tls13_signature_with_raw_key`: any algorithm mapped to
/// the signature scheme may verify (TLS 1.2 schemes do not fix the curve).
fn verify_tls12_signature_with_raw_key(
    message: &[u8],
    spki: &SubjectPublicKeyInfoDer<'_>,
    signed: &DigitallySignedStruct,
    algorithms: &WebPkiSupportedAlgorithms,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    let candidates = algorithms
        .mapping
        .iter()
        .find(|(scheme, _)| *scheme == signed.scheme)
        .map(|(_, candidates)| *candidates)
        .ok_or(rustls::PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme)?;
    let key = webpki::RawPublicKeyEntity::try_from(spki)
        .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
    let verified = candidates.iter().any(|algorithm| {
        key.verify_signature(*algorithm, message, signed.signature())
            .is_ok()
    });
    if verified {
        Ok(HandshakeSignatureValid::assertion())
    } else {
        Err(rustls::Error::InvalidCertificate(
            CertificateError::BadSignature,
        ))
    }
}

//! The upstream's certificate (originate mode) is verified by the mtlskit core too: its chain
//! against the configured CAs and CRLs, its name against `server_name`, for serverAuth. This
//! is never optional.

use std::net::IpAddr;
use std::sync::Arc;

use mtlskit::verify::{PeerName, Purpose};
use rustls::DigitallySignedStruct;
use rustls::SignatureScheme;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

use super::client_auth::{Trust, core_time, verify_chain};

/// The rustls verifier of upstream server certificates.
#[derive(Debug)]
pub struct CoreServerVerifier {
    trust: Arc<Trust>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl CoreServerVerifier {
    /// A verifier trusting `trust`.
    pub fn new(trust: Arc<Trust>, algorithms: WebPkiSupportedAlgorithms) -> Self {
        Self { trust, algorithms }
    }
}

impl ServerCertVerifier for CoreServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let peer_name = match server_name {
            ServerName::DnsName(name) => PeerName::Dns(name.as_ref().to_owned()),
            ServerName::IpAddress(address) => PeerName::Ip(IpAddr::from(*address)),
            _ => return Err(rustls::Error::General("unsupported server name".into())),
        };
        let mut chain = Vec::with_capacity(intermediates.len() + 1);
        chain.push(end_entity.clone());
        chain.extend(intermediates.iter().cloned());
        verify_chain(
            &self.trust,
            &chain,
            Purpose::Server,
            Some(peer_name),
            core_time(now),
        )
        .map(|()| ServerCertVerified::assertion())
        .map_err(|refusal| {
            rustls::Error::InvalidCertificate(rustls::CertificateError::Other(rustls::OtherError(
                Arc::new(refusal),
            )))
        })
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

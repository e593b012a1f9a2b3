//! One accepted connection: for a terminate listener the TLS handshake (with its timeout),
//! the client's verdict (verified identity and allow-lists, resumed sessions verified again)
//! and the TLS facts; then the connection goes to the TCP or HTTP code.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use rustls::HandshakeKind;
use rustls::server::ServerConnection;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;

use super::access;
use super::client_auth::{Refusal, core_time, handshake_failure_reason, with_refusal};
use super::config::{Direction, Mode};
use super::identity::Identity;
use super::io::{Activity, ActivityIo};
use super::proxy_protocol::TlsDetails;
use super::server::Listener;
use super::state::ListenerState;
use super::upstream::Forwarder;
use super::{http, logging, tcp};

/// What the proxy decided about the client of a connection.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// A plain client of an originate listener.
    Plain,
    /// Optional client authentication, and no certificate was sent.
    Anonymous,
    /// A verified certificate that the allow-lists accept (`rule` says which).
    Allowed {
        /// Who.
        identity: Box<Identity>,
        /// The allow rule that matched.
        rule: &'static str,
    },
    /// A certificate the allow-lists, or a second verification, refused.
    Refused {
        /// Who, when the certificate could be read.
        identity: Option<Box<Identity>>,
        /// Why.
        refusal: Refusal,
    },
}

impl Verdict {
    /// The identity, when the client may be forwarded.
    pub fn allowed_identity(&self) -> Option<&Identity> {
        match self {
            Self::Allowed { identity, .. } => Some(identity),
            _ => None,
        }
    }

    /// The identity for logs, allowed or not.
    pub fn any_identity(&self) -> Option<&Identity> {
        match self {
            Self::Allowed { identity, .. } => Some(identity),
            Self::Refused { identity, .. } => identity.as_deref(),
            _ => None,
        }
    }

    /// The rule for logs: the matching allow rule, or the failed one.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Plain => "-",
            Self::Anonymous => "NoClientCertificate",
            Self::Allowed { rule, .. } => rule,
            Self::Refused { refusal, .. } => refusal.reason,
        }
    }
}

/// An accepted connection after its handshake.
#[derive(Debug)]
pub struct Session {
    /// Its listener.
    pub listener: Arc<Listener>,
    /// The client's address.
    pub peer: SocketAddr,
    /// The local address it reached.
    pub local: SocketAddr,
    /// Bytes and idle time (on the client side, after TLS).
    pub activity: Arc<Activity>,
    /// The client's verdict.
    pub verdict: Verdict,
    /// TLS facts (terminate).
    pub tls: Option<TlsDetails>,
    /// The ALPN protocol agreed in the handshake (terminate).
    pub alpn: Option<Vec<u8>>,
    /// HTTP mode: the upstream clients of the worker serving the connection.
    pub forwarder: Option<Arc<Forwarder>>,
    /// The access log's fields of this connection, formatted for its first request's line.
    pub log_prefix: OnceLock<logging::Prefix>,
}

/// Handles one accepted connection to its end; never panics the accept loop.
pub async fn handle(
    listener: Arc<Listener>,
    forwarder: Option<Arc<Forwarder>>,
    stream: TcpStream,
    peer: SocketAddr,
    shutdown: CancellationToken,
) {
    let _ = stream.set_nodelay(true);
    let local = stream.local_addr().unwrap_or(peer);
    let activity = Activity::new();
    let state = listener.current();
    if listener.config.direction == Direction::Originate {
        let session = Session {
            listener: listener.clone(),
            peer,
            local,
            activity: activity.clone(),
            verdict: Verdict::Plain,
            tls: None,
            alpn: None,
            forwarder,
            log_prefix: OnceLock::new(),
        };
        let stream = ActivityIo::new(stream, activity);
        match listener.config.mode {
            Mode::Tcp => tcp::originate(session, stream, state).await,
            Mode::Http => http::serve(session, stream, shutdown).await,
        }
        return;
    }
    let Some(server) = state.server.clone() else {
        return;
    };
    let handshake = with_refusal(TlsAcceptor::from(server).accept(stream).into_fallible());
    let tls = match tokio::time::timeout(listener.config.limits.handshake_timeout, handshake).await
    {
        Ok((Ok(tls), _)) => tls,
        Ok((Err((error, stream)), refusal)) => {
            let (reason, detail) = handshake_failure_reason(&error, refusal);
            access::handshake_failed(&listener, peer, reason, &detail, activity.elapsed());
            close_after_alert(stream).await;
            return;
        }
        Err(_) => {
            let detail = format!(
                "no TLS handshake within {:?}",
                listener.config.limits.handshake_timeout
            );
            access::handshake_failed(
                &listener,
                peer,
                "HandshakeTimeout",
                &detail,
                activity.elapsed(),
            );
            return;
        }
    };
    let connection = tls.get_ref().1;
    let resumed = connection.handshake_kind() == Some(HandshakeKind::Resumed);
    listener
        .metrics
        .handshake_ok(if resumed { "resumed" } else { "full" });
    let verdict = verdict(connection, resumed, &state);
    if let Verdict::Refused { refusal, .. } = &verdict {
        listener.metrics.refused(refusal.reason);
    }
    let details = tls_details(connection, &verdict, resumed);
    let alpn = connection.alpn_protocol().map(<[u8]>::to_vec);
    let session = Session {
        listener: listener.clone(),
        peer,
        local,
        activity: activity.clone(),
        verdict,
        tls: Some(details),
        alpn,
        forwarder,
        log_prefix: OnceLock::new(),
    };
    let stream = ActivityIo::new(tls, activity);
    match listener.config.mode {
        Mode::Tcp => tcp::terminate(session, stream).await,
        Mode::Http => http::serve(session, stream, shutdown).await,
    }
}

/// How long a refused client may go on sending before its connection is closed.
const LINGER_TIME: Duration = Duration::from_millis(500);

/// Closes a connection whose handshake failed, after the alert rustls wrote: FIN first, then
/// reads (and drops) what the client still sends, for at most `LINGER_TIME` and 64 KiB.
/// Closing with unread data would send a reset, which can destroy the alert before the client
/// reads it (a TLS 1.3 client's last handshake messages are often still in flight).
async fn close_after_alert(mut stream: TcpStream) {
    let _ = stream.shutdown().await;
    let mut buffer = [0_u8; 4096];
    let drain = async {
        let mut left = 64 * 1024_usize;
        while left > 0 {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(count) => left = left.saturating_sub(count),
            }
        }
    };
    let _ = tokio::time::timeout(LINGER_TIME, drain).await;
}

/// The verdict on the client of a finished handshake.
fn verdict(connection: &ServerConnection, resumed: bool, state: &ListenerState) -> Verdict {
    let Some(chain) = connection
        .peer_certificates()
        .filter(|chain| !chain.is_empty())
    else {
        return Verdict::Anonymous;
    };
    let identity = Identity::from_chain(chain).map(Box::new);
    if resumed {
        // A resumed session skipped verification: verify its chain again, now, against the
        // trust loaded now (a reload may have removed a CA or added a CRL).
        let now = core_time(rustls::pki_types::UnixTime::now());
        let again = state
            .client_verifier
            .as_ref()
            .map(|verifier| verifier.verify_again(chain, now));
        if let Some(Err(refusal)) = again {
            return Verdict::Refused { identity, refusal };
        }
    }
    let Some(identity) = identity else {
        return Verdict::Refused {
            identity: None,
            refusal: Refusal::new("BadCertificate", "the client certificate cannot be parsed"),
        };
    };
    match state.acl.check(&identity) {
        Ok(rule) => Verdict::Allowed { identity, rule },
        Err(refusal) => Verdict::Refused {
            identity: Some(identity),
            refusal,
        },
    }
}

fn tls_details(connection: &ServerConnection, verdict: &Verdict, resumed: bool) -> TlsDetails {
    let version = match connection.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3",
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2",
        _ => "TLS",
    };
    let cipher = connection
        .negotiated_cipher_suite()
        .map(|suite| format!("{:?}", suite.suite()))
        .unwrap_or_default();
    let identity = verdict.any_identity();
    TlsDetails {
        version: version.to_owned(),
        cipher,
        verified: matches!(verdict, Verdict::Allowed { .. }),
        sent_on_this_connection: !resumed,
        common_name: identity.and_then(Identity::common_name).map(str::to_owned),
        certificate: identity
            .and_then(|identity| identity.chain.first())
            .map(|der| der.to_vec()),
    }
}

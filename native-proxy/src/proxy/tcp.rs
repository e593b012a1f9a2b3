//! TCP mode: bytes both ways with half-close (one side's end of stream is passed on while the
//! other direction keeps flowing), an idle timeout and a maximum lifetime. A terminate
//! listener connects to the upstream only once the client is verified and allowed, so no
//! byte of an unauthenticated client ever reaches it; the PROXY protocol v2 header, when
//! configured, goes first.

use std::io;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use super::access;
use super::io::ActivityIo;
use super::proxy_protocol;
use super::session::{Session, Verdict};
use super::state::ListenerState;
use super::upstream;

/// Relays a verified TLS client to the plain upstream.
pub async fn terminate<C>(session: Session, mut client: ActivityIo<C>)
where
    C: AsyncRead + AsyncWrite + Unpin,
{
    if let Verdict::Refused { refusal, .. } = &session.verdict {
        access::refused(&session, &refusal.detail);
        let _ = client.shutdown().await;
        return;
    }
    let config = &session.listener.config;
    let mut upstream =
        match upstream::connect_tcp(&config.target, config.limits.connect_timeout).await {
            Ok(stream) => stream,
            Err(error) => return upstream_failed(&session, &error),
        };
    if config.tcp.proxy_protocol {
        let header = proxy_protocol::header(session.peer, session.local, session.tls.as_ref());
        if let Err(error) = upstream.write_all(&header).await {
            return upstream_failed(&session, &error);
        }
    }
    let ending = relay(client, upstream, &session).await;
    access::connection(&session, ending.status(), &ending.detail());
}

/// Relays a plain client to the upstream over mTLS.
pub async fn originate(session: Session, client: ActivityIo<TcpStream>, state: Arc<ListenerState>) {
    let config = &session.listener.config;
    let Some(tls) = &state.upstream else {
        return;
    };
    let connected = upstream::connect_tls(
        &config.target,
        config.limits.connect_timeout,
        tls.tcp.clone(),
        tls.server_name.clone(),
    )
    .await;
    let upstream = match connected {
        Ok(stream) => stream,
        Err(error) => return upstream_failed(&session, &error),
    };
    let ending = relay(client, upstream, &session).await;
    access::connection(&session, ending.status(), &ending.detail());
}

fn upstream_failed(session: &Session, error: &io::Error) {
    session.listener.metrics.upstream_error();
    access::connection(session, "upstream unreachable", &error.to_string());
}

/// How a relayed connection ended.
#[derive(Debug)]
enum Ending {
    Closed,
    Failed(io::Error),
    IdleTimeout,
    MaxLifetime,
}

impl Ending {
    fn status(&self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::Failed(_) => "failed",
            Self::IdleTimeout => "idle timeout",
            Self::MaxLifetime => "max lifetime",
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::Failed(error) => error.to_string(),
            _ => String::new(),
        }
    }
}

/// Copies both ways until both directions have ended, the connection has been idle too long,
/// or it has lived too long.
async fn relay<C, U>(client: ActivityIo<C>, upstream: U, session: &Session) -> Ending
where
    C: AsyncRead + AsyncWrite + Unpin,
    U: AsyncRead + AsyncWrite + Unpin,
{
    let limits = session.listener.config.limits;
    let (mut client_read, mut client_write) = tokio::io::split(client);
    let (mut upstream_read, mut upstream_write) = tokio::io::split(upstream);
    let both = async {
        let (to_upstream, to_client) = tokio::join!(
            copy_then_close(&mut client_read, &mut upstream_write),
            copy_then_close(&mut upstream_read, &mut client_write),
        );
        to_upstream.and(to_client)
    };
    let lifetime = async {
        match limits.max_lifetime {
            Some(limit) => tokio::time::sleep(limit).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        result = both => match result {
            Ok(()) => Ending::Closed,
            Err(error) => Ending::Failed(error),
        },
        () = session.activity.idle(limits.idle_timeout) => Ending::IdleTimeout,
        () = lifetime => Ending::MaxLifetime,
    }
}

/// Copies `reader` to `writer` until end of stream, then ends `writer`'s direction (TCP FIN,
/// or TLS close_notify): the half-close. A reader error also ends the direction.
async fn copy_then_close<R, W>(reader: &mut R, writer: &mut W) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let copied = tokio::io::copy(reader, writer).await;
    let closed = writer.shutdown().await;
    match copied {
        Err(error) if error.kind() != io::ErrorKind::UnexpectedEof => Err(error),
        _ => closed.or_else(|error| {
            if error.kind() == io::ErrorKind::NotConnected {
                Ok(())
            } else {
                Err(error)
            }
        }),
    }
}

//! Listening sockets (bound here, or passed by systemd socket activation) and the accept
//! loop: at most `max_connections` open connections per listener (further clients wait in the
//! kernel's backlog; each time the limit is reached is logged and counted in
//! `mtlskit_connection_limit_reached_total`), each connection in its own task (on the worker
//! serving the fewest: `balance`), so one failing connection never stops the loop.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket};

use super::balance::Worker;
use super::config::{Config, Direction, ListenAddress, values};
use super::error::ProxyError;
use super::server::Listener;

/// The kernel's queue of connections not yet accepted.
const BACKLOG: u32 = 1024;

/// Binds (or takes from systemd) every listener's socket, in configuration order.
pub async fn bind_all(config: &Config) -> Result<Vec<TcpListener>, ProxyError> {
    let mut activated = listenfd::ListenFd::from_env();
    let names: Vec<String> = std::env::var("LISTEN_FDNAMES")
        .map(|names| names.split(':').map(str::to_owned).collect())
        .unwrap_or_default();
    let mut taken = vec![false; activated.len()];
    let mut sockets = Vec::with_capacity(config.listeners.len());
    for (index, listener) in config.listeners.iter().enumerate() {
        let field = format!("{}: listener[{index}].listen", config.source);
        let socket = match &listener.listen {
            ListenAddress::Socket(address) => {
                bind(*address).await.map_err(|error| error.at(&field))?
            }
            ListenAddress::Systemd(name) => {
                let position = (0..activated.len()).find(|&position| {
                    !taken.get(position).copied().unwrap_or(true)
                        && name
                            .as_ref()
                            .is_none_or(|name| names.get(position) == Some(name))
                });
                let Some(position) = position else {
                    return Err(ProxyError::config(
                        field,
                        format!(
                            "systemd passed no socket for {} (LISTEN_FDS / LISTEN_FDNAMES)",
                            listener.listen
                        ),
                    ));
                };
                if let Some(slot) = taken.get_mut(position) {
                    *slot = true;
                }
                let taken_socket = activated
                    .take_tcp_listener(position)
                    .ok()
                    .flatten()
                    .ok_or_else(|| {
                        ProxyError::config(
                            &field,
                            format!("systemd socket {position} is not a TCP listening socket"),
                        )
                    })?;
                let _ = taken_socket.set_nonblocking(true);
                let socket = TcpListener::from_std(taken_socket)
                    .map_err(|error| ProxyError::new("Io", error.to_string()).at(&field))?;
                check_activated(listener.direction, listener.allow_public, &socket, &field)?;
                socket
            }
        };
        sockets.push(socket);
    }
    Ok(sockets)
}

/// Binds `address` with SO_REUSEADDR and a large backlog.
pub async fn bind(address: SocketAddr) -> Result<TcpListener, ProxyError> {
    let bound = (|| {
        let socket = if address.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        socket.set_reuseaddr(true)?;
        socket.bind(address)?;
        socket.listen(BACKLOG)
    })();
    bound.map_err(|error| {
        let code = if error.kind() == std::io::ErrorKind::AddrInUse {
            "AddressInUse"
        } else {
            "BindFailed"
        };
        ProxyError::new(code, format!("cannot listen on {address}: {error}"))
    })
}

/// A plain listener passed by systemd must be loopback too, unless allowed.
fn check_activated(
    direction: Direction,
    allow_public: bool,
    socket: &TcpListener,
    field: &str,
) -> Result<(), ProxyError> {
    let Ok(address) = socket.local_addr() else {
        return Ok(());
    };
    if direction == Direction::Originate && !allow_public && !values::is_loopback(address.ip()) {
        return Err(ProxyError::config(
            field,
            format!(
                "the socket systemd passed listens on {address}, which is not loopback, for a plain (originate) listener: set allow_public = true if that is intended"
            ),
        ));
    }
    Ok(())
}

/// Accepts connections until `shutdown`, each served (by this worker or the one serving the
/// fewest, [`Worker::accepted`]) in a task tracked by the worker's tracker; HTTP requests go
/// upstream through the serving worker's forwarder.
pub async fn accept_loop(worker: Worker, socket: TcpListener) {
    let Worker {
        listener, shutdown, ..
    } = &worker;
    loop {
        let permit = match listener.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                // Every worker holds a permit while it waits in `accept`: the limit is reached
                // only when that many connections are open.
                if listener.metrics.open_connections() >= listener.config.limits.max_connections {
                    limit_reached(listener);
                }
                tokio::select! {
                    biased;
                    () = shutdown.cancelled() => return,
                    permit = listener.permits.clone().acquire_owned() => match permit {
                        Ok(permit) => permit,
                        Err(_) => return,
                    },
                }
            }
        };
        let accepted = tokio::select! {
            biased;
            () = shutdown.cancelled() => return,
            accepted = socket.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                let open = listener.metrics.connection_opened();
                worker.accepted(stream, peer, permit, open);
            }
            Err(error) => {
                // Out of file descriptors or a connection reset before accept: wait a little
                // instead of spinning, and go on.
                tracing::warn!(listener = %listener.config.name, error = %error, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// The listener holds `max_connections` open connections: it stops accepting (new clients
/// wait in the kernel's backlog) until one closes. Counted and logged once per episode.
fn limit_reached(listener: &Listener) {
    listener.metrics.connection_limit_reached();
    tracing::warn!(
        listener = %listener.config.name,
        max_connections = listener.config.limits.max_connections,
        "connection limit reached: new clients wait until a connection closes"
    );
}

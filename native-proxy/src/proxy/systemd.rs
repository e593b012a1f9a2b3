//! systemd integration: readiness notification (`Type=notify`: `READY=1` once every listener
//! is bound, `STOPPING=1` on SIGTERM) over `$NOTIFY_SOCKET`. Socket activation is in
//! `listener.rs` (`listen = "systemd[:NAME]"`).

use std::os::unix::net::UnixDatagram;

/// Sends `state` (e.g. `READY=1`) to systemd when it asked for notifications; otherwise does
/// nothing. Failures are logged, never fatal.
pub fn notify(state: &str) {
    let Some(path) = std::env::var_os("NOTIFY_SOCKET") else {
        return;
    };
    let sent = UnixDatagram::unbound().and_then(|socket| {
        let path = path.to_string_lossy();
        if let Some(name) = path.strip_prefix('@') {
            use std::os::linux::net::SocketAddrExt;
            let address = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())?;
            socket.send_to_addr(state.as_bytes(), &address)
        } else {
            socket.send_to(state.as_bytes(), path.as_ref())
        }
    });
    if let Err(error) = sent {
        tracing::warn!(error = %error, "cannot notify systemd");
    }
}

//! The proxy's pure parts for the fuzz targets in `core/fuzz/` (`mtlskit-fuzz-targets`): the
//! configuration parser and the PROXY protocol writer, with no socket, file or runtime.

use std::net::SocketAddr;
use std::path::Path;

pub use super::proxy_protocol::TlsDetails;

use super::config::Config;

/// Parses and validates `text` as `proxy run` and `proxy check` do with `mtlskit.toml`,
/// without reading any file it names: the number of listeners, or the error's code, location
/// and message.
pub fn config(text: &str) -> Result<usize, String> {
    let config = Config::parse(text, Path::new("/etc/mtlskit"), "mtlskit.toml")
        .map_err(|error| format!("{} at {:?}: {}", error.code, error.location, error.message))?;
    let _ = config.watched_files();
    Ok(config.listeners.len())
}

/// The PROXY protocol v2 header the proxy sends upstream in TCP mode.
pub fn proxy_protocol_header(
    source: SocketAddr,
    destination: SocketAddr,
    tls: Option<&TlsDetails>,
) -> Vec<u8> {
    super::proxy_protocol::header(source, destination, tls)
}

//! The proxy's configuration: read from `mtlskit.toml` (`proxy run`/`check`) or built from the
//! command-line shorthands (`proxy terminate`/`originate`), then validated in one place before
//! any file is loaded or any socket opened. Every error names the field it concerns.

pub mod file;
mod listener;
pub mod values;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use file::RawConfig;
#[cfg(test)]
pub use listener::IdentityHeaders;
pub use listener::{
    AllowConfig, CertificateSource, Direction, HttpConfig, ListenerConfig, Mode, TlsConfig,
    TlsVersion, UpstreamProtocol,
};
pub use values::{ListenAddress, Target};

use super::error::ProxyError;

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it came from (the file name, or `command line`), for messages.
    pub source: String,
    /// Access and event log format.
    pub log_format: LogFormat,
    /// The `/metrics` and `/healthz` endpoint.
    pub metrics: Option<std::net::SocketAddr>,
    /// How long SIGTERM waits for in-flight work.
    pub drain_timeout: Duration,
    /// How often watched files are checked; `None` disables watching.
    pub watch_interval: Option<Duration>,
    /// `check` warns about certificates expiring within this duration.
    pub expiry_warning: Duration,
    /// The listeners, in file order.
    pub listeners: Vec<ListenerConfig>,
}

/// `--log-format` / `log_format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// `key=value` text lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

impl Config {
    /// Reads and validates `path`; relative file names in it are relative to its directory.
    pub fn load(path: &str) -> Result<Self, ProxyError> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            ProxyError::new("Io", format!("cannot read the configuration: {error}")).at(path)
        })?;
        let base = Path::new(path).parent().unwrap_or(Path::new(""));
        Self::parse(&text, base, path)
    }

    /// Parses and validates the text of a configuration file called `source`; relative paths
    /// are resolved against `base`. No file is read.
    pub fn parse(text: &str, base: &Path, source: &str) -> Result<Self, ProxyError> {
        let raw: RawConfig = toml::from_str(text).map_err(|error| {
            let message = error.to_string().trim_end().replace('\n', "\n  ");
            ProxyError::new("ConfigInvalid", message).at(source)
        })?;
        Self::validate(raw, base, source)
    }

    /// Validates `raw`; relative paths are resolved against `base`.
    pub fn validate(raw: RawConfig, base: &Path, source: &str) -> Result<Self, ProxyError> {
        let at = |field: &str| format!("{source}: {field}");
        let log_format = match raw.log_format.as_deref() {
            None => LogFormat::Text,
            Some(text) => match values::choice(text, &["text", "json"], &at("log_format"))? {
                0 => LogFormat::Text,
                _ => LogFormat::Json,
            },
        };
        let metrics = raw
            .metrics
            .as_deref()
            .map(|text| metrics_address(text, raw.metrics_allow_public, &at("metrics")))
            .transpose()?;
        let seconds = |text: &Option<String>, default: u64, field: &str| {
            text.as_deref()
                .map_or(Ok(Duration::from_secs(default)), |text| {
                    values::duration(text, &at(field))
                })
        };
        let watch_interval = seconds(&raw.watch_interval, 2, "watch_interval")?;
        if raw.listeners.is_empty() {
            return Err(ProxyError::config(
                at("listener"),
                "no [[listener]]: nothing to serve",
            ));
        }
        let mut listeners = Vec::with_capacity(raw.listeners.len());
        for (index, listener) in raw.listeners.into_iter().enumerate() {
            let field = at(&format!("listener[{index}]"));
            listeners.push(ListenerConfig::validate(listener, index, base, &field)?);
        }
        check_unique_names(&listeners, source)?;
        Ok(Self {
            source: source.to_owned(),
            log_format,
            metrics,
            drain_timeout: seconds(&raw.drain_timeout, 30, "drain_timeout")?,
            watch_interval: (!watch_interval.is_zero()).then_some(watch_interval),
            expiry_warning: seconds(&raw.expiry_warning, 30 * 86_400, "expiry_warning")?,
            listeners,
        })
    }

    /// Every file the listeners read (certificates, keys, CAs, CRLs, password files).
    pub fn watched_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .listeners
            .iter()
            .flat_map(ListenerConfig::files)
            .collect();
        files.sort();
        files.dedup();
        files
    }
}

fn metrics_address(
    text: &str,
    allow_public: bool,
    field: &str,
) -> Result<std::net::SocketAddr, ProxyError> {
    let address = text.parse::<std::net::SocketAddr>().map_err(|_| {
        ProxyError::config(
            field,
            format!("'{text}' is not IP:PORT, e.g. 127.0.0.1:9090"),
        )
    })?;
    if !allow_public && !values::is_loopback(address.ip()) {
        return Err(ProxyError::config(
            field,
            format!(
                "the metrics endpoint is plain HTTP and would listen on {address}, which is not \
                 loopback: use 127.0.0.1, or set metrics_allow_public = true"
            ),
        ));
    }
    Ok(address)
}

fn check_unique_names(listeners: &[ListenerConfig], source: &str) -> Result<(), ProxyError> {
    for (index, listener) in listeners.iter().enumerate() {
        let earlier = listeners.iter().take(index);
        if earlier.clone().any(|other| other.name == listener.name) {
            return Err(ProxyError::config(
                format!("{source}: listener[{index}].name"),
                format!("two listeners are called '{}'", listener.name),
            ));
        }
        let same_address = |other: &&ListenerConfig| {
            other.listen == listener.listen
                && !matches!(&listener.listen, ListenAddress::Socket(address) if address.port() == 0)
        };
        if let Some(other) = earlier.clone().find(same_address) {
            return Err(ProxyError::config(
                format!("{source}: listener[{index}].listen"),
                format!(
                    "listeners '{}' and '{}' both listen on {}",
                    other.name, listener.name, listener.listen
                ),
            ));
        }
    }
    Ok(())
}

/// `path` resolved against `base` unless absolute.
pub fn resolve(base: &Path, path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() || base.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}

//! Running the proxy: load every listener's files, refuse to start on any problem `check`
//! finds, bind, announce readiness, serve until SIGTERM, then drain.

use std::process::ExitCode;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use mtlskit::UnixTime;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::check::{self, Severity};
use super::config::{Config, Direction, ListenerConfig, Mode};
use super::error::ProxyError;
use super::http::HttpServer;
use super::metrics::{Expiry, ListenerMetrics, Metrics};
use super::reload::Reloader;
use super::state::ListenerState;
use super::upstream::{Forwarder, TlsSource};
use super::workers::Workers;
use super::{endpoint, listener, logging, systemd};

/// A listener while the proxy runs: its configuration, its current loaded state (replaced on
/// reload), its counters and its HTTP machinery.
#[derive(Debug)]
pub struct Listener {
    /// The validated configuration.
    pub config: ListenerConfig,
    state: Arc<RwLock<Arc<ListenerState>>>,
    /// Counters.
    pub metrics: Arc<ListenerMetrics>,
    /// HTTP mode: the upstream clients each worker makes its own from.
    pub forwarder: Option<Forwarder>,
    /// HTTP mode: the server settings.
    pub http_server: Option<HttpServer>,
    /// One per connection allowed open (`max_connections`), shared by the workers.
    pub permits: Arc<Semaphore>,
}

impl Listener {
    /// A running listener with `state` loaded.
    pub fn new(config: ListenerConfig, state: ListenerState) -> Arc<Self> {
        let state = Arc::new(RwLock::new(Arc::new(state)));
        let (forwarder, http_server) = if config.mode == Mode::Http {
            let source = tls_source(&state, config.direction);
            let forwarder = Forwarder::new(
                config.target.clone(),
                config.limits.connect_timeout,
                config.http.upstream_protocol,
                source,
            );
            (Some(forwarder), Some(HttpServer::new(&config)))
        } else {
            (None, None)
        };
        Arc::new(Self {
            metrics: Arc::new(ListenerMetrics::new(&config.name)),
            permits: Arc::new(Semaphore::new(config.limits.max_connections)),
            config,
            state,
            forwarder,
            http_server,
        })
    }

    /// The state new connections use.
    pub fn current(&self) -> Arc<ListenerState> {
        self.state
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the state for new connections.
    pub fn replace(&self, state: ListenerState) {
        *self.state.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(state);
    }

    /// The loaded certificates and CRLs with their expiry.
    pub fn expiries(&self) -> (Vec<Expiry>, Vec<Expiry>) {
        let state = self.current();
        let certificates = state.certificates.iter().map(|certificate| Expiry {
            listener: self.config.name.clone(),
            file: certificate.file.clone(),
            subject: certificate.identity.subject.clone(),
            at: certificate.identity.not_after,
        });
        let crls = state.crls.iter().filter_map(|crl| {
            Some(Expiry {
                listener: self.config.name.clone(),
                file: crl.file.clone(),
                subject: String::new(),
                at: crl.next_update?,
            })
        });
        (certificates.collect(), crls.collect())
    }
}

/// Where the upstream clients get their TLS configuration from: the current state.
fn tls_source(state: &Arc<RwLock<Arc<ListenerState>>>, direction: Direction) -> TlsSource {
    if direction == Direction::Terminate {
        return Arc::new(|| None);
    }
    let state = state.clone();
    Arc::new(move || {
        state
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .upstream
            .clone()
    })
}

/// Loads every listener's files, or says which one is broken.
pub fn load_states(config: &Config) -> Result<Vec<ListenerState>, ProxyError> {
    config.listeners.iter().map(ListenerState::load).collect()
}

/// `proxy run` and the shorthands: serves `config` until SIGTERM.
pub fn run(config: Config) -> ExitCode {
    logging::init(config.log_format);
    let states = match load_states(&config) {
        Ok(states) => states,
        Err(error) => return error.report(false),
    };
    let findings = check::check_all(&config, &states, now());
    for finding in &findings {
        finding.log();
    }
    if let Some(error) = findings
        .iter()
        .find(|finding| finding.severity == Severity::Error)
    {
        eprintln!("{}", error.text());
        return ProxyError::new(
            "CheckFailed",
            "refusing to start: `mtlskit proxy check` finds the problems above",
        )
        .report(false);
    }
    if let Err(error) = rlimit::increase_nofile_limit(u64::MAX) {
        tracing::warn!(error = %error, "cannot raise the open-file limit");
    }
    // Signals, reloads, `/metrics` and the drain; connections are served by the workers.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            return ProxyError::new("Io", format!("cannot start the runtime: {error}"))
                .report(false);
        }
    };
    match runtime.block_on(serve(config, states)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(false),
    }
}

async fn serve(config: Config, states: Vec<ListenerState>) -> Result<(), ProxyError> {
    let sockets = listener::bind_all(&config).await?;
    let listeners: Vec<Arc<Listener>> = config
        .listeners
        .iter()
        .cloned()
        .zip(states)
        .map(|(listener, state)| Listener::new(listener, state))
        .collect();
    let metrics = Arc::new(Metrics::new(
        listeners
            .iter()
            .map(|listener| listener.metrics.clone())
            .collect(),
    ));
    let shutdown = CancellationToken::new();
    let tracker = TaskTracker::new();
    if let Some(address) = config.metrics {
        let socket = listener::bind(address)
            .await
            .map_err(|error| error.at(format!("{}: metrics", config.source)))?;
        tracing::info!(address = %socket.local_addr().map_or_else(|_| address.to_string(), |local| local.to_string()), "metrics listening");
        tokio::spawn(endpoint::serve(socket, metrics.clone(), listeners.clone()));
    }
    for (listener, socket) in listeners.iter().zip(&sockets) {
        let address = socket
            .local_addr()
            .map(|address| address.to_string())
            .unwrap_or_default();
        tracing::info!(listener = %listener.config.name, address = %address, direction = ?listener.config.direction, mode = ?listener.config.mode, target = %listener.config.target.authority(), "listening");
    }
    let accepting = TaskTracker::new();
    let workers = Workers::start(&listeners, sockets, &shutdown, &tracker, &accepting)?;
    let reloader = Arc::new(Reloader::new(&config, listeners.clone(), metrics.clone()));
    tokio::spawn(reloader.watch(config.watch_interval, shutdown.clone()));
    systemd::notify("READY=1\nSTATUS=serving");
    tracing::info!(listeners = listeners.len(), "ready");
    wait_for_termination().await;
    systemd::notify("STOPPING=1");
    metrics.start_draining();
    shutdown.cancel();
    // New connections are refused (not left in a backlog) once every worker has closed its
    // copy of the listening sockets; the accept loops return as soon as they are polled.
    accepting.close();
    if tokio::time::timeout(Duration::from_secs(5), accepting.wait())
        .await
        .is_err()
    {
        tracing::warn!("a worker did not stop accepting within 5 s");
    }
    tracker.close();
    tracing::info!(
        connections = tracker.len(),
        timeout_s = config.drain_timeout.as_secs_f64(),
        "draining"
    );
    if tokio::time::timeout(config.drain_timeout, tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!(
            connections = tracker.len(),
            "drain timeout: closing the remaining connections"
        );
    }
    workers.stop();
    tracing::info!("stopped");
    Ok(())
}

async fn wait_for_termination() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut terminate), Ok(mut interrupt)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = terminate.recv() => tracing::info!(signal = "SIGTERM", "stopping"),
        _ = interrupt.recv() => tracing::info!(signal = "SIGINT", "stopping"),
    }
}

/// The current time for the core.
pub fn now() -> UnixTime {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    UnixTime(i64::try_from(seconds).unwrap_or(i64::MAX))
}

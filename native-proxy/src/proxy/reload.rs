//! Reloading certificates, keys, CAs and CRLs, on SIGHUP and when a watched file changes
//! (polled: modification time, size and inode, which catches both in-place writes and
//! atomic renames). Every listener is loaded and checked in full first; if anything is
//! broken, every listener keeps its previous state (logged, counted), and new connections use
//! the new state only when all of it is good. Connections already open keep theirs.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;

use super::check::{self, Severity};
use super::config::Config;
use super::metrics::Metrics;
use super::server::{Listener, now};
use super::state::ListenerState;
use super::systemd;

/// What identifies a version of a file.
type Fingerprint = Option<(SystemTime, u64, u64)>;

/// Reloads the listeners of one process.
#[derive(Debug)]
pub struct Reloader {
    config: Config,
    listeners: Vec<Arc<Listener>>,
    metrics: Arc<Metrics>,
    files: Vec<PathBuf>,
    seen: Mutex<Vec<Fingerprint>>,
}

impl Reloader {
    /// A reloader for `listeners`, watching the files `config` names.
    pub fn new(config: &Config, listeners: Vec<Arc<Listener>>, metrics: Arc<Metrics>) -> Self {
        let files = config.watched_files();
        let seen = files.iter().map(fingerprint).collect();
        Self {
            config: config.clone(),
            listeners,
            metrics,
            files,
            seen: Mutex::new(seen),
        }
    }

    /// Reloads on SIGHUP, and every `interval` when files changed, until `shutdown`.
    pub async fn watch(self: Arc<Self>, interval: Option<Duration>, shutdown: CancellationToken) {
        let Ok(mut hangup) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP: reload by signal is off");
            return;
        };
        let poll = async |interval: Option<Duration>| match interval {
            Some(interval) => tokio::time::sleep(interval).await,
            None => std::future::pending().await,
        };
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                _ = hangup.recv() => {
                    self.remember_files();
                    self.reload("SIGHUP");
                }
                () = poll(interval) => {
                    if self.remember_files() {
                        self.reload("file changed");
                    }
                }
            }
        }
    }

    /// Records the current fingerprints; whether any changed.
    fn remember_files(&self) -> bool {
        let current: Vec<Fingerprint> = self.files.iter().map(fingerprint).collect();
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        let changed = *seen != current;
        *seen = current;
        changed
    }

    /// Loads and checks every listener, and replaces the states only if all are good.
    pub fn reload(&self, cause: &str) -> bool {
        let states: Result<Vec<ListenerState>, _> = self
            .listeners
            .iter()
            .map(|listener| ListenerState::load(&listener.config))
            .collect();
        let states = match states {
            Ok(states) => states,
            Err(error) => return self.failed(cause, error.code, &error.to_string()),
        };
        let findings = check::check_all(&self.config, &states, now());
        if let Some(error) = findings
            .iter()
            .find(|finding| finding.severity == Severity::Error)
        {
            return self.failed(cause, error.code, &error.message_with_file());
        }
        for (listener, state) in self.listeners.iter().zip(states) {
            listener.replace(state);
        }
        self.metrics.reloaded(true);
        tracing::info!(cause = cause, "reloaded certificates, CAs and CRLs");
        systemd::notify("READY=1\nSTATUS=serving (reloaded)");
        true
    }

    fn failed(&self, cause: &str, code: &str, message: &str) -> bool {
        self.metrics.reloaded(false);
        tracing::error!(
            cause = cause,
            code = code,
            error = message,
            "reload failed: keeping the previous certificates, CAs and CRLs"
        );
        false
    }
}

fn fingerprint(path: &PathBuf) -> Fingerprint {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.modified().ok()?, metadata.len(), metadata.ino()))
}

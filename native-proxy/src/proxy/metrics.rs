//! Counters for Prometheus (`/metrics`, text format 0.0.4) and the `/healthz` answer.
//!
//! Hot paths (connections, bytes, latency) are atomics; counters labelled by an open-ended
//! value (refusal reason, status) sit behind a mutex that is taken once per event.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use mtlskit::UnixTime;

/// Upper bounds of the latency histogram, seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Everything one listener counts.
#[derive(Debug, Default)]
pub struct ListenerMetrics {
    /// The listener's name (the `listener` label).
    pub name: String,
    connections_open: AtomicI64,
    connections_total: AtomicU64,
    handshakes: Mutex<BTreeMap<&'static str, u64>>,
    handshake_failures: Mutex<BTreeMap<&'static str, u64>>,
    refusals: Mutex<BTreeMap<&'static str, u64>>,
    requests: StatusCounts,
    upstream_errors: AtomicU64,
    limit_reached: AtomicU64,
    bytes_received: AtomicU64,
    bytes_sent: AtomicU64,
    latency_buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
}

/// Decrements the open-connection gauge when dropped.
#[derive(Debug)]
pub struct OpenConnection(Arc<ListenerMetrics>);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.connections_open.fetch_sub(1, Ordering::Relaxed);
    }
}

impl ListenerMetrics {
    /// Metrics for the listener `name`.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            ..Self::default()
        }
    }

    /// Counts a new connection; the guard counts it closed.
    pub fn connection_opened(self: &Arc<Self>) -> OpenConnection {
        self.connections_open.fetch_add(1, Ordering::Relaxed);
        self.connections_total.fetch_add(1, Ordering::Relaxed);
        OpenConnection(self.clone())
    }

    /// Connections open now.
    pub fn open_connections(&self) -> usize {
        usize::try_from(self.connections_open.load(Ordering::Relaxed)).unwrap_or(0)
    }

    /// Counts a handshake that succeeded: `full` or `resumed`.
    pub fn handshake_ok(&self, kind: &'static str) {
        increment(&self.handshakes, kind);
    }

    /// Counts a handshake that failed, by reason.
    pub fn handshake_failed(&self, reason: &'static str) {
        increment(&self.handshakes, "failed");
        increment(&self.handshake_failures, reason);
    }

    /// Counts a refused client, by the rule that failed.
    pub fn refused(&self, reason: &'static str) {
        increment(&self.refusals, reason);
    }

    /// Counts a finished request.
    pub fn request(&self, status: u16, duration: Duration) {
        self.requests.count(status);
        self.observe(duration);
    }

    /// Counts a failure to reach the upstream.
    pub fn upstream_error(&self) {
        self.upstream_errors.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a time the listener reached its connection limit and stopped accepting.
    pub fn connection_limit_reached(&self) {
        self.limit_reached.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts payload bytes from clients (`received`) and to clients (`sent`).
    pub fn bytes(&self, received: u64, sent: u64) {
        self.bytes_received.fetch_add(received, Ordering::Relaxed);
        self.bytes_sent.fetch_add(sent, Ordering::Relaxed);
    }

    fn observe(&self, duration: Duration) {
        // One bucket counted per request (the first that holds it); `/metrics` adds them up.
        let seconds = duration.as_secs_f64();
        if let Some(bucket) = BUCKETS
            .iter()
            .position(|&bound| seconds <= bound)
            .and_then(|index| self.latency_buckets.get(index))
        {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(duration.as_micros()).unwrap_or(u64::MAX);
        self.latency_sum_micros.fetch_add(micros, Ordering::Relaxed);
    }
}

/// Requests by status, counted without a lock: one counter per status `http::StatusCode`
/// allows (100-999), a map for anything else.
#[derive(Debug)]
struct StatusCounts {
    counts: Box<[AtomicU64]>,
    other: Mutex<BTreeMap<u16, u64>>,
}

impl StatusCounts {
    const FIRST: u16 = 100;
    const LAST: u16 = 999;

    fn count(&self, status: u16) {
        match status
            .checked_sub(Self::FIRST)
            .and_then(|index| self.counts.get(usize::from(index)))
        {
            Some(counter) => {
                counter.fetch_add(1, Ordering::Relaxed);
            }
            None => increment(&self.other, status),
        }
    }

    /// The statuses counted at least once, in order.
    fn snapshot(&self) -> Vec<(String, u64)> {
        let mut all = self
            .other
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        for (status, counter) in (Self::FIRST..=Self::LAST).zip(self.counts.iter()) {
            let count = counter.load(Ordering::Relaxed);
            if count > 0 {
                *all.entry(status).or_insert(0) += count;
            }
        }
        all.iter()
            .map(|(status, count)| (status.to_string(), *count))
            .collect()
    }
}

impl Default for StatusCounts {
    fn default() -> Self {
        Self {
            counts: (Self::FIRST..=Self::LAST)
                .map(|_| AtomicU64::new(0))
                .collect(),
            other: Mutex::default(),
        }
    }
}

fn increment<K: Ord>(map: &Mutex<BTreeMap<K, u64>>, key: K) {
    let mut map = map.lock().unwrap_or_else(PoisonError::into_inner);
    *map.entry(key).or_insert(0) += 1;
}

/// Process-wide counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Per listener, in configuration order.
    pub listeners: Vec<Arc<ListenerMetrics>>,
    reloads_ok: AtomicU64,
    reloads_failed: AtomicU64,
    draining: AtomicBool,
}

/// A loaded certificate or CRL with its expiry, for the gauges.
#[derive(Debug, Clone)]
pub struct Expiry {
    /// The listener.
    pub listener: String,
    /// The file.
    pub file: String,
    /// The subject (certificates) or empty (CRLs).
    pub subject: String,
    /// notAfter or nextUpdate.
    pub at: UnixTime,
}

impl Metrics {
    /// Counters for `listeners`.
    pub fn new(listeners: Vec<Arc<ListenerMetrics>>) -> Self {
        Self {
            listeners,
            ..Self::default()
        }
    }

    /// Counts a reload.
    pub fn reloaded(&self, ok: bool) {
        let counter = if ok {
            &self.reloads_ok
        } else {
            &self.reloads_failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Marks the process as draining (`/healthz` answers 503).
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::Relaxed);
    }

    /// Whether the process is draining.
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }

    /// The Prometheus text exposition; `certificates` and `crls` are the loaded files with
    /// their expiry, judged at `now`.
    pub fn render(&self, certificates: &[Expiry], crls: &[Expiry], now: UnixTime) -> String {
        let mut out = String::with_capacity(4096);
        self.render_connections(&mut out);
        self.render_limits(&mut out);
        self.render_labelled(&mut out);
        self.render_traffic(&mut out);
        header(
            &mut out,
            "mtlskit_certificate_expiry_seconds",
            "gauge",
            "Seconds until each loaded certificate expires (negative: expired).",
        );
        for expiry in certificates {
            let _ = writeln!(
                out,
                "mtlskit_certificate_expiry_seconds{{listener=\"{}\",file=\"{}\",subject=\"{}\"}} {}",
                escape(&expiry.listener),
                escape(&expiry.file),
                escape(&expiry.subject),
                expiry.at.seconds() - now.seconds()
            );
        }
        header(
            &mut out,
            "mtlskit_crl_next_update_seconds",
            "gauge",
            "Seconds until each loaded CRL's nextUpdate (negative: stale).",
        );
        for expiry in crls {
            let _ = writeln!(
                out,
                "mtlskit_crl_next_update_seconds{{listener=\"{}\",file=\"{}\"}} {}",
                escape(&expiry.listener),
                escape(&expiry.file),
                expiry.at.seconds() - now.seconds()
            );
        }
        header(
            &mut out,
            "mtlskit_reloads_total",
            "counter",
            "Reloads of certificates, CAs and CRLs, by result (failed: the old ones were kept).",
        );
        let _ = writeln!(
            out,
            "mtlskit_reloads_total{{result=\"ok\"}} {}",
            self.reloads_ok.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "mtlskit_reloads_total{{result=\"failed\"}} {}",
            self.reloads_failed.load(Ordering::Relaxed)
        );
        out
    }

    fn render_connections(&self, out: &mut String) {
        header(
            out,
            "mtlskit_connections_open",
            "gauge",
            "Connections open now.",
        );
        for listener in &self.listeners {
            let _ = writeln!(
                out,
                "mtlskit_connections_open{{listener=\"{}\"}} {}",
                escape(&listener.name),
                listener.connections_open.load(Ordering::Relaxed)
            );
        }
        header(
            out,
            "mtlskit_connections_total",
            "counter",
            "Connections accepted.",
        );
        for listener in &self.listeners {
            let _ = writeln!(
                out,
                "mtlskit_connections_total{{listener=\"{}\"}} {}",
                escape(&listener.name),
                listener.connections_total.load(Ordering::Relaxed)
            );
        }
    }

    fn render_limits(&self, out: &mut String) {
        header(
            out,
            "mtlskit_connection_limit_reached_total",
            "counter",
            "Times the listener held max_connections connections and stopped accepting (new clients waited).",
        );
        for listener in &self.listeners {
            let _ = writeln!(
                out,
                "mtlskit_connection_limit_reached_total{{listener=\"{}\"}} {}",
                escape(&listener.name),
                listener.limit_reached.load(Ordering::Relaxed)
            );
        }
    }

    fn render_labelled(&self, out: &mut String) {
        let families: [(&str, &str, &str, Snapshot); 4] = [
            (
                "mtlskit_handshakes_total",
                "outcome",
                "TLS handshakes by outcome: full, resumed or failed.",
                |metrics| snapshot(&metrics.handshakes),
            ),
            (
                "mtlskit_handshake_failures_total",
                "reason",
                "Failed TLS handshakes by reason.",
                |metrics| snapshot(&metrics.handshake_failures),
            ),
            (
                "mtlskit_refusals_total",
                "reason",
                "Clients refused, by the rule that failed (certificate verification, missing certificate, allow-lists).",
                |metrics| snapshot(&metrics.refusals),
            ),
            (
                "mtlskit_requests_total",
                "status",
                "HTTP requests by response status.",
                |metrics| metrics.requests.snapshot(),
            ),
        ];
        for (name, label, help, values) in families {
            header(out, name, "counter", help);
            for listener in &self.listeners {
                for (value, count) in values(listener) {
                    let _ = writeln!(
                        out,
                        "{name}{{listener=\"{}\",{label}=\"{}\"}} {count}",
                        escape(&listener.name),
                        escape(&value)
                    );
                }
            }
        }
    }

    fn render_traffic(&self, out: &mut String) {
        header(
            out,
            "mtlskit_upstream_errors_total",
            "counter",
            "Failures to connect to or talk with the upstream.",
        );
        for listener in &self.listeners {
            let _ = writeln!(
                out,
                "mtlskit_upstream_errors_total{{listener=\"{}\"}} {}",
                escape(&listener.name),
                listener.upstream_errors.load(Ordering::Relaxed)
            );
        }
        header(
            out,
            "mtlskit_bytes_total",
            "counter",
            "Payload bytes from clients (received) and to clients (sent).",
        );
        for listener in &self.listeners {
            let name = escape(&listener.name);
            let _ = writeln!(
                out,
                "mtlskit_bytes_total{{listener=\"{name}\",direction=\"received\"}} {}",
                listener.bytes_received.load(Ordering::Relaxed)
            );
            let _ = writeln!(
                out,
                "mtlskit_bytes_total{{listener=\"{name}\",direction=\"sent\"}} {}",
                listener.bytes_sent.load(Ordering::Relaxed)
            );
        }
        header(
            out,
            "mtlskit_request_duration_seconds",
            "histogram",
            "Time from request to the end of the response (HTTP) or of the connection (TCP).",
        );
        for listener in &self.listeners {
            let name = escape(&listener.name);
            let mut cumulative = 0;
            for (bucket, bound) in listener.latency_buckets.iter().zip(BUCKETS) {
                cumulative += bucket.load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "mtlskit_request_duration_seconds_bucket{{listener=\"{name}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let count = listener.latency_count.load(Ordering::Relaxed);
            let sum = listener.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(
                out,
                "mtlskit_request_duration_seconds_bucket{{listener=\"{name}\",le=\"+Inf\"}} {count}"
            );
            let _ = writeln!(
                out,
                "mtlskit_request_duration_seconds_sum{{listener=\"{name}\"}} {sum}"
            );
            let _ = writeln!(
                out,
                "mtlskit_request_duration_seconds_count{{listener=\"{name}\"}} {count}"
            );
        }
    }
}

/// Reads one labelled family of a listener.
type Snapshot = fn(&ListenerMetrics) -> Vec<(String, u64)>;

fn snapshot<K: Ord + ToString>(map: &Mutex<BTreeMap<K, u64>>) -> Vec<(String, u64)> {
    let map = map.lock().unwrap_or_else(PoisonError::into_inner);
    map.iter()
        .map(|(key, count)| (key.to_string(), *count))
        .collect()
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// Escapes a label value (backslash, double quote, newline).
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let listener = Arc::new(ListenerMetrics::new("web"));
        let guard = listener.connection_opened();
        listener.handshake_failed("Expired");
        listener.refused("Expired");
        listener.request(200, Duration::from_millis(3));
        listener.connection_limit_reached();
        let metrics = Metrics::new(vec![listener]);
        metrics.reloaded(false);
        let expiry = Expiry {
            listener: "web".into(),
            file: "a\"b.crt".into(),
            subject: "CN=x".into(),
            at: UnixTime(1100),
        };
        let text = metrics.render(std::slice::from_ref(&expiry), &[], UnixTime(1000));
        drop(guard);
        for line in [
            "mtlskit_connections_open{listener=\"web\"} 1",
            "mtlskit_handshake_failures_total{listener=\"web\",reason=\"Expired\"} 1",
            "mtlskit_refusals_total{listener=\"web\",reason=\"Expired\"} 1",
            "mtlskit_connection_limit_reached_total{listener=\"web\"} 1",
            "mtlskit_requests_total{listener=\"web\",status=\"200\"} 1",
            "mtlskit_request_duration_seconds_bucket{listener=\"web\",le=\"0.005\"} 1",
            "mtlskit_request_duration_seconds_bucket{listener=\"web\",le=\"0.0025\"} 0",
            "mtlskit_certificate_expiry_seconds{listener=\"web\",file=\"a\\\"b.crt\",subject=\"CN=x\"} 100",
            "mtlskit_reloads_total{result=\"failed\"} 1",
        ] {
            assert!(text.contains(line), "missing {line} in\n{text}");
        }
    }

    #[test]
    fn requests_by_status_in_order() {
        let listener = Arc::new(ListenerMetrics::new("web"));
        for status in [503, 200, 42, 200, 999, 100] {
            listener.request(status, Duration::from_millis(1));
        }
        let text = Metrics::new(vec![listener]).render(&[], &[], UnixTime(0));
        let lines: Vec<&str> = text
            .lines()
            .filter(|line| line.starts_with("mtlskit_requests_total{"))
            .collect();
        assert_eq!(
            lines,
            [
                "mtlskit_requests_total{listener=\"web\",status=\"42\"} 1",
                "mtlskit_requests_total{listener=\"web\",status=\"100\"} 1",
                "mtlskit_requests_total{listener=\"web\",status=\"200\"} 2",
                "mtlskit_requests_total{listener=\"web\",status=\"503\"} 1",
                "mtlskit_requests_total{listener=\"web\",status=\"999\"} 1",
            ]
        );
    }
}

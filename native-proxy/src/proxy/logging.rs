//! Log output: `tracing` events on standard error, as `key=value` text or one JSON object per
//! line (`--log-format json`). The access log is the events of target `access`.
//!
//! Lines are collected in a buffer that a background thread writes out every
//! `FLUSH_INTERVAL`, or as soon as it holds `BATCH` bytes: under load one `write` carries many
//! access-log lines instead of one system call per request (`make bench-proxy`, BENCHMARKS.md).
//! When standard error cannot keep up and the buffer reaches `LIMIT`, the logging thread
//! writes itself (as unbuffered logging always did), so memory stays bounded. [`flush`]
//! writes what is left before the process exits.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, Once, PoisonError};
use std::time::Duration;

use tracing::Level;
use tracing_subscriber::fmt::MakeWriter;

use super::config::LogFormat;

/// How long a line may wait in the buffer.
const FLUSH_INTERVAL: Duration = Duration::from_millis(20);
/// A batch worth writing at once.
const BATCH: usize = 32 * 1024;
/// The most the buffer holds; beyond it, loggers write themselves.
const LIMIT: usize = 1024 * 1024;

/// Installs the global subscriber (once; later calls do nothing).
pub fn init(format: LogFormat) {
    let builder = tracing_subscriber::fmt()
        .with_writer(BufferedStderr)
        .with_max_level(Level::INFO)
        .with_ansi(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
    };
}

/// Writes every buffered line to standard error now.
pub fn flush() {
    write_out(&mut lock());
}

static BUFFER: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static FILLED: Condvar = Condvar::new();
static FLUSHER: Once = Once::new();
/// Set when the background thread cannot start: every line is written at once.
static DIRECT: AtomicBool = AtomicBool::new(false);

fn lock() -> MutexGuard<'static, Vec<u8>> {
    BUFFER.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writes and empties `buffer` (errors are dropped: there is nowhere left to report them).
fn write_out(buffer: &mut Vec<u8>) {
    if buffer.is_empty() {
        return;
    }
    let _ = std::io::stderr().lock().write_all(buffer);
    buffer.clear();
}

/// The background thread: takes the buffer every `FLUSH_INTERVAL` (or when a batch is ready)
/// and writes it without holding the lock.
fn flush_forever() {
    let mut spare = Vec::new();
    loop {
        let mut buffer = lock();
        if buffer.len() < BATCH {
            buffer = FILLED
                .wait_timeout(buffer, FLUSH_INTERVAL)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        std::mem::swap(&mut *buffer, &mut spare);
        drop(buffer);
        write_out(&mut spare);
    }
}

/// The `MakeWriter` of the subscriber.
struct BufferedStderr;

impl<'a> MakeWriter<'a> for BufferedStderr {
    type Writer = BufferedLine;

    fn make_writer(&'a self) -> Self::Writer {
        FLUSHER.call_once(|| {
            let started = std::thread::Builder::new()
                .name("log-writer".to_owned())
                .spawn(flush_forever);
            if started.is_err() {
                DIRECT.store(true, Ordering::Relaxed);
            }
        });
        BufferedLine
    }
}

/// Appends what the formatter writes to the buffer.
struct BufferedLine;

impl Write for BufferedLine {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut buffer = lock();
        buffer.extend_from_slice(bytes);
        if buffer.len() >= LIMIT || DIRECT.load(Ordering::Relaxed) {
            write_out(&mut buffer);
        } else if buffer.len() >= BATCH {
            FILLED.notify_one();
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

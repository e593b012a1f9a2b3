//! The worker runtimes: one single-threaded tokio runtime per core, each on its own thread,
//! each accepting on every listener (through a duplicate of the listener's one descriptor, so
//! sockets passed by systemd work the same way) and serving the connections it accepted, or
//! that another worker accepted and handed to it (`balance`: each connection goes to the
//! worker serving the fewest of its listener's), to their end, with its own upstream
//! connections. A request, its TLS records and the
//! upstream connection it goes out on are therefore driven by one thread: no cross-thread
//! wake-ups per request, which the work-stealing pool paid (10-15 % of the CPU per request,
//! BENCHMARKS.md "Proxy"). A worker writes the access-log lines of a busy stretch in one go
//! when it runs out of work (`logging`). Signals, reloads, `/metrics` and the drain run on the
//! main runtime.
//!
//! `TOKIO_WORKER_THREADS` sets the number of workers (as it set the pool's size before);
//! the default is the number of cores.

use std::net::TcpListener as StdListener;
use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tokio_util::task::task_tracker::TaskTrackerToken;

use super::balance::{Balance, Inbox, Worker};
use super::error::ProxyError;
use super::server::Listener;
use super::upstream::Forwarder;
use super::{listener, logging};

/// The running workers; dropping them (or [`Workers::stop`]) stops them.
#[derive(Debug)]
pub struct Workers {
    stop: CancellationToken,
    threads: Vec<JoinHandle<()>>,
}

/// What one worker serves on one listener.
struct Assignment {
    listener: Arc<Listener>,
    socket: StdListener,
    forwarder: Option<Arc<Forwarder>>,
    balance: Arc<Balance>,
    inbox: Inbox,
    /// Held by the accept loop until it has closed its copy of the socket.
    accepting: TaskTrackerToken,
}

impl Workers {
    /// Starts the workers, each accepting on every socket of `sockets` (one per listener, in
    /// the order of `listeners`) until `shutdown`, its connections tracked by `tracker`. Each
    /// accept loop holds a token of `accepting` until it has closed its copy of the socket, so
    /// that once `accepting` is empty the kernel refuses new connections.
    pub fn start(
        listeners: &[Arc<Listener>],
        sockets: Vec<TcpListener>,
        shutdown: &CancellationToken,
        tracker: &TaskTracker,
        accepting: &TaskTracker,
    ) -> Result<Self, ProxyError> {
        let io_error = |error: std::io::Error| {
            ProxyError::new("Io", format!("cannot start the workers: {error}"))
        };
        let sockets = sockets
            .into_iter()
            .map(TcpListener::into_std)
            .collect::<Result<Vec<_>, _>>()
            .map_err(io_error)?;
        let mut workers = Self {
            stop: CancellationToken::new(),
            threads: Vec::new(),
        };
        let count = count();
        let (balances, mut inboxes): (Vec<_>, Vec<_>) = listeners
            .iter()
            .map(|_| {
                let (balance, inboxes) = Balance::new(count);
                (balance, inboxes.into_iter())
            })
            .unzip();
        for index in 0..count {
            let assigned = listeners
                .iter()
                .zip(&sockets)
                .zip(balances.iter().zip(inboxes.iter_mut()))
                .map(|((listener, socket), (balance, inboxes))| {
                    Ok(Assignment {
                        listener: listener.clone(),
                        socket: socket.try_clone()?,
                        forwarder: listener
                            .forwarder
                            .as_ref()
                            .map(|forwarder| Arc::new(forwarder.for_worker())),
                        balance: balance.clone(),
                        inbox: inboxes
                            .next()
                            .ok_or_else(|| std::io::Error::other("no inbox for a worker"))?,
                        accepting: accepting.token(),
                    })
                })
                .collect::<std::io::Result<Vec<_>>>()
                .map_err(io_error)?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .on_thread_park(logging::flush_this_thread)
                .build()
                .map_err(io_error)?;
            let (shutdown, tracker, stop) =
                (shutdown.clone(), tracker.clone(), workers.stop.clone());
            let thread = std::thread::Builder::new()
                .name(format!("worker-{index}"))
                .spawn(move || {
                    logging::batch_this_thread();
                    runtime.block_on(serve(index, assigned, shutdown, tracker, stop));
                    drop(runtime);
                    logging::flush_this_thread();
                })
                .map_err(io_error)?;
            workers.threads.push(thread);
        }
        Ok(workers)
    }

    /// Stops every worker, closing the connections still open, and waits for the threads.
    pub fn stop(mut self) {
        self.stop.cancel();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Worker `index`: the accept loops of its listeners and its inboxes, until told to stop.
async fn serve(
    index: usize,
    assigned: Vec<Assignment>,
    shutdown: CancellationToken,
    tracker: TaskTracker,
    stop: CancellationToken,
) {
    for Assignment {
        listener,
        socket,
        forwarder,
        balance,
        inbox,
        accepting,
    } in assigned
    {
        let worker = Worker {
            listener: listener.clone(),
            forwarder,
            balance,
            index,
            shutdown: shutdown.clone(),
            tracker: tracker.clone(),
        };
        tokio::spawn(worker.clone().receive(inbox));
        match TcpListener::from_std(socket) {
            Ok(socket) => {
                tokio::spawn(async move {
                    // accept_loop owns the socket: it is closed when the loop returns
                    listener::accept_loop(worker, socket).await;
                    drop(accepting);
                });
            }
            Err(error) => {
                tracing::error!(listener = %listener.config.name, error = %error, "a worker cannot accept on this listener");
            }
        }
    }
    stop.cancelled().await;
}

/// `TOKIO_WORKER_THREADS`, else the number of cores.
fn count() -> usize {
    std::env::var("TOKIO_WORKER_THREADS")
        .ok()
        .and_then(|value| value.trim().parse().ok())
        .filter(|&count: &usize| count > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
}

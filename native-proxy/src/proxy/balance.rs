//! Spreading a listener's connections over the workers. Every worker accepts on the
//! listener, but the first one to wake takes every connection waiting (a client that opens four
//! connections at once got all four served by one core, the other idle). A worker that accepts
//! a connection serves it when it serves no more of the listener's connections than any other
//! worker; else it hands the socket to the worker serving the fewest, which serves it on its
//! own runtime (a connection's requests stay on one thread; only the socket crosses, once).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tokio_util::task::task_tracker::TaskTrackerToken;

use super::metrics::OpenConnection;
use super::server::Listener;
use super::session;
use super::upstream::Forwarder;

/// One listener's connections per worker, and the workers' inboxes.
#[derive(Debug)]
pub struct Balance {
    /// Connections each worker serves.
    serving: Vec<AtomicUsize>,
    /// Where each worker receives the connections others accepted for it.
    inboxes: Vec<UnboundedSender<Handoff>>,
}

impl Balance {
    /// The balance of `workers` workers, and each worker's inbox (in worker order).
    pub fn new(workers: usize) -> (Arc<Self>, Vec<Inbox>) {
        let (inboxes, receivers) = (0..workers.max(1)).map(|_| unbounded_channel()).unzip();
        let balance = Self {
            serving: (0..workers.max(1)).map(|_| AtomicUsize::new(0)).collect(),
            inboxes,
        };
        (Arc::new(balance), receivers)
    }

    /// The worker to serve a connection that worker `me` accepted: the one serving the fewest,
    /// `me` when it serves no more than that; counted as served by it from now.
    fn choose(self: &Arc<Self>, me: usize) -> Serving {
        let load = |worker: usize| {
            self.serving
                .get(worker)
                .map_or(usize::MAX, |count| count.load(Ordering::Relaxed))
        };
        let mine = load(me);
        let chosen = (0..self.serving.len())
            .min_by_key(|&worker| load(worker))
            .filter(|&worker| load(worker) < mine)
            .unwrap_or(me);
        if let Some(count) = self.serving.get(chosen) {
            count.fetch_add(1, Ordering::Relaxed);
        }
        Serving {
            balance: self.clone(),
            worker: chosen,
        }
    }
}

/// A worker's end of its inbox.
pub type Inbox = UnboundedReceiver<Handoff>;

/// Counts a connection as served by `worker` until dropped.
#[derive(Debug)]
struct Serving {
    balance: Arc<Balance>,
    worker: usize,
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(count) = self.balance.serving.get(self.worker) {
            count.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

/// What an accepted connection holds until it ends: its place under the listener's
/// `max_connections`, the open-connection gauge, its worker's count, and (until its task is
/// spawned) the drain's tracker.
#[derive(Debug)]
struct Held {
    _permit: OwnedSemaphorePermit,
    _open: OpenConnection,
    _serving: Serving,
    _tracked: TaskTrackerToken,
}

/// A connection accepted by one worker for another.
#[derive(Debug)]
pub struct Handoff {
    stream: std::net::TcpStream,
    peer: SocketAddr,
    held: Held,
}

/// One worker's side of one listener: serves the connections it accepts or receives.
#[derive(Debug, Clone)]
pub struct Worker {
    /// The listener.
    pub listener: Arc<Listener>,
    /// The worker's upstream clients (HTTP mode).
    pub forwarder: Option<Arc<Forwarder>>,
    /// The listener's balance.
    pub balance: Arc<Balance>,
    /// This worker's number.
    pub index: usize,
    /// Cancelled when the process drains.
    pub shutdown: CancellationToken,
    /// The connections the drain waits for.
    pub tracker: TaskTracker,
}

impl Worker {
    /// Serves a connection this worker accepted, here or on the worker serving the fewest.
    pub fn accepted(
        &self,
        stream: TcpStream,
        peer: SocketAddr,
        permit: OwnedSemaphorePermit,
        open: OpenConnection,
    ) {
        let serving = self.balance.choose(self.index);
        let target = serving.worker;
        let held = Held {
            _permit: permit,
            _open: open,
            _serving: serving,
            _tracked: self.tracker.token(),
        };
        if target == self.index {
            self.serve(stream, peer, held);
            return;
        }
        let Some(inbox) = self.balance.inboxes.get(target) else {
            return self.serve(stream, peer, held);
        };
        // A socket that cannot leave this runtime is closed (as one reset before accept
        // would be); so is one sent to a worker that has stopped (the process is stopping).
        if let Ok(stream) = stream.into_std() {
            let _ = inbox.send(Handoff { stream, peer, held });
        }
    }

    /// Serves the connections other workers hand to this one, until the worker stops.
    pub async fn receive(self, mut inbox: Inbox) {
        while let Some(Handoff { stream, peer, held }) = inbox.recv().await {
            match TcpStream::from_std(stream) {
                Ok(stream) => self.serve(stream, peer, held),
                Err(error) => {
                    tracing::warn!(listener = %self.listener.config.name, error = %error, "cannot take over a connection from another worker");
                }
            }
        }
    }

    fn serve(&self, stream: TcpStream, peer: SocketAddr, held: Held) {
        let listener = self.listener.clone();
        let forwarder = self.forwarder.clone();
        let shutdown = self.shutdown.clone();
        self.tracker.spawn(async move {
            session::handle(listener, forwarder, stream, peer, shutdown).await;
            drop(held);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_go_to_the_worker_serving_the_fewest() {
        let (balance, _inboxes) = Balance::new(2);
        // Worker 0 accepts four connections at once: two stay, two go to worker 1.
        let first = balance.choose(0);
        let second = balance.choose(0);
        let third = balance.choose(0);
        let fourth = balance.choose(0);
        let workers: Vec<usize> = [&first, &second, &third, &fourth]
            .iter()
            .map(|serving| serving.worker)
            .collect();
        assert_eq!(workers, [0, 1, 0, 1]);
        // Two of worker 0's end: its next connection stays with it, and so does a tie.
        drop((first, third));
        assert_eq!(balance.choose(0).worker, 0);
        let (balance, _inboxes) = Balance::new(1);
        assert_eq!(balance.choose(0).worker, 0);
        assert_eq!(balance.choose(0).worker, 0);
    }
}

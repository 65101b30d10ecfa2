//! The process executor's pool: worker slots that outlive a build (a dev server keeps one
//! [`ProcessPool`] across rebuilds, so workers keep their highlight caches warm), and what
//! each slot is doing. One build's use of the pool (`ProcessPool::render`) is a
//! `Supervisor`: it schedules batches (`supervisor.rs`) and starts, replaces and recycles
//! workers (`worker_lifecycle.rs`).

use super::process::WorkerEvent;
use super::process::WorkerProcess;
use super::sizing;
use crossbeam_channel::{Receiver, Sender};
use protocol::BatchId;
use std::time::{Duration, Instant};

/// How long a worker may take to exit after its pipe closes or it is told to stop.
pub(super) const EXIT_GRACE: Duration = Duration::from_secs(2);

/// Settings of the process executor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessOptions {
    /// `--max-processes`.
    pub max_processes: usize,
    /// `--worker-memory` in bytes: the sizing budget and the ceiling of one worker.
    pub worker_memory: Option<u64>,
    /// `--page-timeout`.
    pub page_timeout: Duration,
}

/// Pages to send together, and how they got here.
#[derive(Debug, Clone)]
pub(super) struct PendingBatch {
    /// Plan indexes.
    pub(super) pages: Vec<usize>,
}

/// A batch a worker is rendering.
#[derive(Debug)]
pub(super) struct InFlight {
    pub(super) id: BatchId,
    /// Plan indexes, in the order sent.
    pub(super) pages: Vec<usize>,
    /// Index (into `pages`) of the page being rendered, once the worker says.
    pub(super) current: Option<usize>,
    /// When the current page (or the batch) started, for the timeout.
    pub(super) since: Instant,
}

pub(super) enum SlotState {
    /// Started; waiting for its handshake and readiness.
    Starting,
    /// Waiting for a batch.
    Idle,
    /// Rendering `rendering`, with `next` already sent behind it so the worker never waits
    /// for the coordinator between batches.
    Busy {
        rendering: InFlight,
        next: Option<InFlight>,
    },
    /// No process (the pool shrank, or there is nothing left to do).
    Empty,
}

pub(super) struct Slot {
    pub(super) process: Option<WorkerProcess>,
    pub(super) generation: u64,
    pub(super) state: SlotState,
    /// Over its memory ceiling: it gets no further batch and is recycled once idle.
    pub(super) draining: bool,
}

/// Worker processes that outlive a build: a dev server keeps one across rebuilds, so
/// workers keep their syntax definitions and highlight caches warm. Dropping the pool stops
/// every worker.
pub struct ProcessPool {
    pub(super) options: ProcessOptions,
    pub(super) log_filter: String,
    pub(super) events_tx: Sender<WorkerEvent>,
    pub(super) events: Receiver<WorkerEvent>,
    pub(super) slots: Vec<Slot>,
    pub(super) peak_rss: u64,
    /// The peak RSS the pool size was last decided with.
    pub(super) sized_for_rss: u64,
    pub(super) ceiling: u64,
}

impl ProcessPool {
    /// A pool that starts its workers with its first build.
    pub fn new(options: ProcessOptions) -> ProcessPool {
        let (events_tx, events) = crossbeam_channel::unbounded();
        ProcessPool {
            options,
            log_filter: crate::logging::worker_filter(),
            events_tx,
            events,
            slots: Vec::new(),
            peak_rss: 0,
            sized_for_rss: 0,
            ceiling: options
                .worker_memory
                .unwrap_or(sizing::DEFAULT_WORKER_CEILING),
        }
    }
}

impl Drop for ProcessPool {
    fn drop(&mut self) {
        for slot in &mut self.slots {
            if let Some(process) = slot.process.take() {
                process.shutdown(EXIT_GRACE);
            }
        }
    }
}

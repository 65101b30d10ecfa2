//! The process executor's pool: worker slots that outlive a build (a dev server keeps one
//! [`ProcessPool`] across rebuilds, so workers keep their highlight caches warm), and what
//! each slot is doing. One build's use of the pool is a [`Supervisor`]: it schedules
//! batches (`supervisor.rs`) and starts, replaces and recycles workers
//! (`worker_lifecycle.rs`).

use super::process::WorkerEvent;
use super::process::WorkerProcess;
use super::sizing::{self, SizingInput};
use super::supervisor::Supervisor;
use super::{RenderOutcome, RenderRequest, plan_batches};
use crate::progress::Progress;
use crossbeam_channel::{Receiver, Sender};
use protocol::{BatchId, PageError, PageErrorKind, PageResult, ToWorker, write_frame};
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

    /// Renders `request.pages`; workers started by an earlier build are reused and sent the
    /// new setup.
    pub fn render(&mut self, request: RenderRequest<'_>, progress: &Progress) -> RenderOutcome {
        let mut setup = request.setup.clone();
        setup.worker_id = 0;
        let mut setup_frame = Vec::new();
        if let Err(e) = write_frame(&mut setup_frame, &ToWorker::Setup(Box::new(setup))) {
            let workers = self.slots.len();
            return failed_everything(
                &request,
                &format!("cannot encode the worker setup: {e}"),
                workers,
            );
        }
        let first_build = self.slots.is_empty();
        let workers = if first_build {
            let per_worker = self
                .options
                .worker_memory
                .unwrap_or(sizing::INITIAL_WORKER_BUDGET);
            let decision = sizing::decide(SizingInput {
                max_processes: self.options.max_processes,
                cores: sizing::available_cores(),
                available_memory: sizing::available_memory(),
                per_worker,
            });
            tracing::info!("{decision}");
            decision.workers.min(request.pages.len().max(1))
        } else {
            self.slots.len()
        };
        let batches = plan_batches(&request.dispatcher, &request.pages, workers);
        let mut supervisor = Supervisor::new(self, &request, progress, setup_frame, batches);
        if first_build {
            for slot in 0..workers {
                supervisor.pool.slots.push(Slot {
                    process: None,
                    generation: 0,
                    state: SlotState::Empty,
                    draining: false,
                });
                supervisor.start_worker(slot);
            }
        } else {
            supervisor.resume_workers();
        }
        supervisor.run();
        supervisor.finish()
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

/// When the pool cannot work at all, every page fails with the reason instead of the build
/// hanging or panicking.
fn failed_everything(request: &RenderRequest<'_>, message: &str, workers: usize) -> RenderOutcome {
    let results = request
        .pages
        .iter()
        .map(|&index| {
            (
                index,
                PageResult {
                    id: request.dispatcher.id(index).clone(),
                    elapsed_micros: 0,
                    outcome: Err(PageError {
                        file: None,
                        line: None,
                        kind: PageErrorKind::WorkerCrashed,
                        message: message.to_string(),
                        hint: Some("run with --no-shard to render in one process".into()),
                    }),
                },
            )
        })
        .collect();
    RenderOutcome {
        results,
        workers,
        worker_restarts: 0,
        worker_peak_rss: 0,
    }
}

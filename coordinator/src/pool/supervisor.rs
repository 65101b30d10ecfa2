//! The process executor's supervisor: starts workers, feeds them batches, and survives
//! them.
//!
//! It runs on the calling thread (workers ask the kernel to kill them when the thread that
//! started them dies, so that thread must live for the whole build) and reacts to
//! [`WorkerEvent`]s from the per-worker reader threads, waking up every [`TICK`] to check
//! page timeouts and worker memory.
//!
//! A worker that dies (any signal, a non-zero exit, its pipe closing, a page over
//! `--page-timeout`, memory over the ceiling) is replaced and its batch is split: workers
//! report the page they start at intervals, so the pages before the last report are
//! retried as they were and the rest are split in halves until the culprit is alone. A page
//! that brings down a worker twice on its own is reported as failed with the reason and
//! the build goes on.

use super::crash_isolation::CrashIsolation;
use super::process::{WorkerEvent, WorkerEventKind, WorkerProcess};
use super::process_pool::{EXIT_GRACE, InFlight, PendingBatch, ProcessPool, Slot, SlotState};
use super::sizing::{self, SizingInput};
use super::{KeptResults, RenderOutcome, RenderRequest, plan_batches};
use crate::progress::Progress;
use crossbeam_channel::RecvTimeoutError;
use protocol::{
    Batch, BatchId, FromWorker, PROTOCOL_VERSION, PageError, PageErrorKind, PageResult, ToWorker,
};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// How often the supervisor checks timeouts and memory when no event arrives.
const TICK: Duration = Duration::from_millis(50);

impl ProcessPool {
    /// Renders `request.pages`; workers started by an earlier build are reused and sent the
    /// new setup.
    pub fn render(&mut self, request: RenderRequest<'_>, progress: &Progress) -> RenderOutcome {
        let mut setup = request.setup.clone();
        setup.worker_id = 0;
        // Encoded anew for each worker it goes to, straight into the pipe: on a large site
        // it is tens of MiB (the nav tree and the API inventory), not worth holding for the
        // whole render. Whether it can be encoded at all is known here.
        let setup = ToWorker::Setup(Box::new(setup));
        if let Err(e) = protocol::streamed_frame_len(&setup) {
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
        let mut supervisor = Supervisor::new(self, &request, progress, setup, batches);
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
        ..RenderOutcome::default()
    }
}

/// One build's use of a [`ProcessPool`].
pub(super) struct Supervisor<'a> {
    pub(super) pool: &'a mut ProcessPool,
    pub(super) request: &'a RenderRequest<'a>,
    pub(super) progress: &'a Progress,
    /// The setup every worker is sent first (`ToWorker::Setup`).
    pub(super) setup: ToWorker,
    pub(super) queue: VecDeque<PendingBatch>,
    pub(super) results: KeptResults,
    pub(super) crashes: CrashIsolation,
    pub(super) next_batch_id: u64,
    pub(super) restarts: usize,
    pub(super) startup_failures: u32,
    pub(super) stop_scheduling: bool,
    pub(super) fatal: Option<String>,
}

impl<'a> Supervisor<'a> {
    /// This build's use of `pool`: `batches` of `request` to render.
    pub(super) fn new(
        pool: &'a mut ProcessPool,
        request: &'a RenderRequest<'a>,
        progress: &'a Progress,
        setup: ToWorker,
        batches: Vec<Vec<usize>>,
    ) -> Supervisor<'a> {
        Supervisor {
            pool,
            request,
            progress,
            setup,
            queue: batches
                .into_iter()
                .map(|pages| PendingBatch { pages })
                .collect(),
            results: KeptResults::new(request),
            crashes: CrashIsolation::default(),
            next_batch_id: 0,
            restarts: 0,
            startup_failures: 0,
            stop_scheduling: false,
            fatal: None,
        }
    }
    pub(super) fn page_name(&self, index: usize) -> String {
        self.request.dispatcher.name(index).to_string()
    }

    pub(super) fn busy_slots(&self) -> usize {
        self.pool
            .slots
            .iter()
            .filter(|s| matches!(s.state, SlotState::Busy { .. } | SlotState::Starting))
            .count()
    }

    pub(super) fn work_left(&self) -> bool {
        (!self.queue.is_empty() && !self.stop_scheduling && self.fatal.is_none())
            || self
                .pool
                .slots
                .iter()
                .any(|s| matches!(s.state, SlotState::Busy { .. }))
    }

    pub(super) fn run(&mut self) {
        let mut last_watchdog = Instant::now();
        while self.work_left() {
            self.dispatch();
            if !self.work_left() {
                break;
            }
            if self.busy_slots() == 0
                && self
                    .pool
                    .slots
                    .iter()
                    .all(|s| matches!(s.state, SlotState::Empty))
            {
                // Every worker is gone and none could be started.
                break;
            }
            match self.pool.events.recv_timeout(TICK) {
                Ok(event) => self.handle(event),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            // Once per tick, not per event: reading every busy worker's memory after each
            // of thousands of page events would cost more than the pages.
            if last_watchdog.elapsed() >= TICK {
                self.watchdog();
                last_watchdog = Instant::now();
            }
        }
        if !self.queue.is_empty() && !self.stop_scheduling {
            let message = self
                .fatal
                .clone()
                .unwrap_or_else(|| "no worker process was left to render the page".into());
            self.fail_queued(&message);
        }
    }

    /// Sends the next batches: first one to each idle worker, then a second one behind the
    /// batch of each busy worker, so that a worker finishing a batch starts the next at once
    /// instead of waiting for the coordinator to receive its results and answer (a round
    /// trip that, with every core rendering, can wait for a time slice). No batch is sent
    /// ahead while fewer batches than workers remain: at the end of a build the last ones
    /// go to whichever worker is free first.
    pub(super) fn dispatch(&mut self) {
        if self.stop_scheduling || self.fatal.is_some() {
            return;
        }
        for slot in 0..self.pool.slots.len() {
            if !matches!(self.pool.slots[slot].state, SlotState::Idle) {
                continue;
            }
            let Some(batch) = self.queue.pop_front() else {
                return;
            };
            self.send_batch(slot, batch);
        }
        for slot in 0..self.pool.slots.len() {
            let slot_state = &self.pool.slots[slot];
            if slot_state.draining
                || !matches!(slot_state.state, SlotState::Busy { next: None, .. })
                || self.queue.len() < self.live_workers()
            {
                continue;
            }
            let Some(batch) = self.queue.pop_front() else {
                return;
            };
            self.send_batch(slot, batch);
        }
    }

    pub(super) fn send_batch(&mut self, slot: usize, batch: PendingBatch) {
        if batch.pages.is_empty() {
            return;
        }
        let dispatcher = self.request.dispatcher;
        let pages = batch
            .pages
            .iter()
            .map(|&index| dispatcher.page_data(index))
            .collect();
        let sent = batch.pages;
        self.next_batch_id += 1;
        let id = BatchId(self.next_batch_id);
        let message = ToWorker::Batch(Batch {
            id,
            shard: dispatcher.shard(sent[0]).clone(),
            pages,
        });

        let Some(process) = self.pool.slots[slot].process.as_mut() else {
            self.queue.push_front(PendingBatch { pages: sent });
            return;
        };
        // A failed write means the worker is dying; its Closed event requeues the batch.
        let _ = process.send(&message);
        let in_flight = InFlight {
            id,
            pages: sent,
            current: None,
            since: Instant::now(),
        };
        let state = &mut self.pool.slots[slot].state;
        match state {
            SlotState::Busy { next, .. } => *next = Some(in_flight),
            _ => {
                *state = SlotState::Busy {
                    rendering: in_flight,
                    next: None,
                }
            }
        }
    }

    pub(super) fn record(&mut self, index: usize, result: PageResult) {
        if result.outcome.is_err() && self.request.fail_fast {
            self.stop_scheduling = true;
        }
        self.progress.page_done(&result.id);
        self.results.push(index, result);
    }

    pub(super) fn handle(&mut self, event: WorkerEvent) {
        let WorkerEvent {
            slot,
            generation,
            kind,
        } = event;
        if self
            .pool
            .slots
            .get(slot)
            .is_none_or(|s| s.generation != generation)
        {
            return; // An event from a process this slot has already replaced.
        }
        match kind {
            WorkerEventKind::Message(FromWorker::Hello(hello)) => {
                if hello.protocol_version != PROTOCOL_VERSION {
                    self.fatal = Some(
                        protocol::FrameError::VersionMismatch {
                            ours: PROTOCOL_VERSION,
                            theirs: hello.protocol_version,
                        }
                        .to_string(),
                    );
                    return;
                }
                if let Some(process) = self.pool.slots[slot].process.as_mut() {
                    tracing::debug!(
                        "worker {slot}: hello after {:.1} ms",
                        process.started.elapsed().as_secs_f64() * 1e3
                    );
                    // A failed write means the worker died; its Closed event replaces it.
                    let _ = process.send_streamed(&self.setup);
                }
            }
            WorkerEventKind::Message(FromWorker::Ready) => {
                if let Some(process) = &self.pool.slots[slot].process {
                    tracing::debug!(
                        "worker {slot}: ready after {:.1} ms",
                        process.started.elapsed().as_secs_f64() * 1e3
                    );
                }
                self.startup_failures = 0;

                self.pool.slots[slot].state = SlotState::Idle;
                self.progress.worker_line(slot, "idle");
            }
            WorkerEventKind::Message(FromWorker::SetupFailed { message }) => {
                self.fatal = Some(format!("worker setup failed: {message}"));
            }
            WorkerEventKind::Message(FromWorker::PageStarted { batch, index }) => {
                let page = match &mut self.pool.slots[slot].state {
                    SlotState::Busy {
                        rendering: in_flight,
                        ..
                    } if in_flight.id == batch => {
                        in_flight.current = Some(index as usize);
                        in_flight.since = Instant::now();
                        in_flight.pages.get(index as usize).copied()
                    }
                    _ => None,
                };
                if let Some(page) = page {
                    let name = self.page_name(page);
                    self.progress.worker_line(slot, &name);
                }
            }
            WorkerEventKind::Message(FromWorker::BatchDone(result)) => {
                self.batch_done(slot, result)
            }
            WorkerEventKind::Closed(read_error) => self.worker_died(slot, read_error),
        }
    }

    pub(super) fn batch_done(&mut self, slot: usize, result: protocol::ShardResult) {
        let SlotState::Busy {
            rendering: in_flight,
            next,
        } = std::mem::replace(&mut self.pool.slots[slot].state, SlotState::Idle)
        else {
            return;
        };
        if let Some(mut next) = next {
            // The worker went straight on to it: its timeout starts now.
            next.since = Instant::now();
            self.pool.slots[slot].state = SlotState::Busy {
                rendering: next,
                next: None,
            };
        }
        self.pool.peak_rss = self.pool.peak_rss.max(result.worker_peak_rss);
        // A worker answers in the order the pages were sent; matching by id is the fallback
        // for one that does not.
        let in_order = result.pages.len() == in_flight.pages.len()
            && result
                .pages
                .iter()
                .zip(&in_flight.pages)
                .all(|(r, &index)| r.id == *self.request.dispatcher.id(index));
        let answers: Vec<Option<PageResult>> = if in_order {
            result.pages.into_iter().map(Some).collect()
        } else {
            let mut by_id: HashMap<protocol::PageId, PageResult> = result
                .pages
                .into_iter()
                .map(|r| (r.id.clone(), r))
                .collect();
            in_flight
                .pages
                .iter()
                .map(|&index| by_id.remove(self.request.dispatcher.id(index)))
                .collect()
        };
        for (&index, answer) in in_flight.pages.iter().zip(answers) {
            let id = self.request.dispatcher.id(index);
            let page_result = answer.unwrap_or_else(|| PageResult {
                id: id.clone(),
                elapsed_micros: 0,
                outcome: Err(PageError {
                    file: Some(self.page_name(index)),
                    line: None,
                    kind: PageErrorKind::Internal,
                    message: "the worker finished its batch without a result for this page".into(),
                    hint: Some("this is a bug in ssg-coord; please report it".into()),
                }),
            });
            self.record(index, page_result);
        }
        self.resize_from_measurements(slot);
        // Recycle a worker that has grown past its ceiling, between batches.
        let rss = self.pool.slots[slot]
            .process
            .as_ref()
            .and_then(WorkerProcess::rss)
            .unwrap_or(0);
        let this = &mut self.pool.slots[slot];
        this.draining |= rss > self.pool.ceiling;
        match this.state {
            SlotState::Idle => self.progress.worker_line(slot, "idle"),
            // Busy with the batch sent behind this one: it is sent nothing more while
            // draining, and recycled once idle.
            _ => return,
        }
        if this.draining {
            tracing::info!(
                "worker {slot}: recycling it, resident {} is over its ceiling",
                sizing::human_bytes(rss)
            );
            if let Some(process) = self.pool.slots[slot].process.take() {
                process.shutdown(EXIT_GRACE);
            }
            if !self.queue.is_empty() {
                self.start_worker(slot);
            } else {
                self.pool.slots[slot].state = SlotState::Empty;
            }
        }
    }

    pub(super) fn fail_queued(&mut self, message: &str) {
        while let Some(batch) = self.queue.pop_front() {
            for index in batch.pages {
                let error = PageError {
                    file: None,
                    line: None,
                    kind: PageErrorKind::WorkerCrashed,
                    message: message.to_string(),
                    hint: Some("run with --no-shard to render in one process".into()),
                };
                let id = self.request.dispatcher.id(index).clone();
                self.record(
                    index,
                    PageResult {
                        id,
                        elapsed_micros: 0,
                        outcome: Err(error),
                    },
                );
            }
        }
    }

    /// Ends this build; the workers stay, idle, for the next one (or until the pool drops).
    pub(super) fn finish(self) -> RenderOutcome {
        let workers = self.pool.slots.len();
        let (results, packed) = self.results.into_parts();
        RenderOutcome {
            results,
            packed,
            workers,
            worker_restarts: self.restarts,
            worker_peak_rss: self.pool.peak_rss,
        }
    }
}

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
use super::process::{ExitReason, WorkerEvent, WorkerEventKind, WorkerProcess};
use super::sizing::{self, SizingInput};
use super::{RenderOutcome, RenderRequest, plan_batches};
use crate::plan::page_data;
use crate::progress::Progress;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use protocol::{
    Batch, BatchId, FrameError, FromWorker, PROTOCOL_VERSION, PageError, PageErrorKind, PageResult,
    ToWorker, write_frame,
};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// How often the supervisor checks timeouts and memory when no event arrives.
const TICK: Duration = Duration::from_millis(50);
/// How long a worker may take to exit after its pipe closes or it is told to stop.
const EXIT_GRACE: Duration = Duration::from_secs(2);
/// Consecutive worker deaths before any page was rendered after which the pool gives up
/// (the worker binary itself is broken, not a page).
const MAX_STARTUP_FAILURES: u32 = 5;

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
struct PendingBatch {
    /// Plan indexes.
    pages: Vec<usize>,
}

/// A batch a worker is rendering.
#[derive(Debug)]
struct InFlight {
    id: BatchId,
    /// Plan indexes, in the order sent.
    pages: Vec<usize>,
    /// Index (into `pages`) of the page being rendered, once the worker says.
    current: Option<usize>,
    /// When the current page (or the batch) started, for the timeout.
    since: Instant,
}

enum SlotState {
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

struct Slot {
    process: Option<WorkerProcess>,
    generation: u64,
    state: SlotState,
    /// Over its memory ceiling: it gets no further batch and is recycled once idle.
    draining: bool,
}

/// Worker processes that outlive a build: a dev server keeps one across rebuilds, so
/// workers keep their syntax definitions and highlight caches warm. Dropping the pool stops
/// every worker.
pub struct ProcessPool {
    options: ProcessOptions,
    log_filter: String,
    events_tx: Sender<WorkerEvent>,
    events: Receiver<WorkerEvent>,
    slots: Vec<Slot>,
    peak_rss: u64,
    /// The peak RSS the pool size was last decided with.
    sized_for_rss: u64,
    ceiling: u64,
}

/// One build's use of a [`ProcessPool`].
struct Supervisor<'a> {
    pool: &'a mut ProcessPool,
    request: &'a RenderRequest<'a>,
    progress: &'a Progress,
    setup_frame: Vec<u8>,
    queue: VecDeque<PendingBatch>,
    results: Vec<(usize, PageResult)>,
    crashes: CrashIsolation,
    next_batch_id: u64,
    restarts: usize,
    startup_failures: u32,
    stop_scheduling: bool,
    fatal: Option<String>,
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
        let batches = plan_batches(request.plan, request.site, &request.pages, workers);
        let mut supervisor = Supervisor {
            pool: self,
            request: &request,
            progress,
            setup_frame,
            queue: batches
                .into_iter()
                .map(|pages| PendingBatch { pages })
                .collect(),
            results: Vec::with_capacity(request.pages.len()),
            crashes: CrashIsolation::default(),
            next_batch_id: 0,
            restarts: 0,
            startup_failures: 0,
            stop_scheduling: false,
            fatal: None,
        };
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
                    id: request.plan.pages[index].id.clone(),
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

impl Supervisor<'_> {
    fn page_name(&self, index: usize) -> String {
        let page = &self.request.plan.pages[index];
        match self.request.plan.pages[index].origin {
            crate::plan::Origin::Content(i) => self.request.site.pages[i].rel_path.clone(),
            crate::plan::Origin::Module(i) => self.request.site.modules[i].rel_path.clone(),
            _ => page.id.to_string(),
        }
    }

    /// Brings the workers of an earlier build into this one: idle workers get the new setup
    /// (and answer `Ready`); slots left empty get a new worker.
    fn resume_workers(&mut self) {
        for slot in 0..self.pool.slots.len() {
            let live = self.pool.slots[slot].process.is_some();
            match (&self.pool.slots[slot].state, live) {
                (SlotState::Idle, true) => {
                    let frame = std::mem::take(&mut self.setup_frame);
                    let sent = self.pool.slots[slot]
                        .process
                        .as_mut()
                        .map(|p| p.send_bytes(&frame));
                    self.setup_frame = frame;
                    // A failed write means the worker died; its Closed event replaces it.
                    if let Some(Ok(())) = sent {
                        self.pool.slots[slot].state = SlotState::Starting;
                    }
                }
                (_, false) => self.start_worker(slot),
                _ => {}
            }
        }
    }

    fn start_worker(&mut self, slot: usize) {
        let generation = self.pool.slots[slot].generation + 1;
        self.pool.slots[slot].generation = generation;
        self.pool.slots[slot].draining = false;
        match WorkerProcess::spawn(
            slot,
            generation,
            &self.pool.log_filter,
            self.pool.events_tx.clone(),
        ) {
            Ok(process) => {
                tracing::debug!("worker {slot}: started, pid {}", process.pid);
                self.progress
                    .worker_line(slot, &format!("starting (pid {})", process.pid));
                self.pool.slots[slot].process = Some(process);
                self.pool.slots[slot].state = SlotState::Starting;
            }
            Err(e) => {
                self.pool.slots[slot].state = SlotState::Empty;
                self.fatal = Some(format!("cannot start a worker process: {e}"));
            }
        }
    }

    fn busy_slots(&self) -> usize {
        self.pool
            .slots
            .iter()
            .filter(|s| matches!(s.state, SlotState::Busy { .. } | SlotState::Starting))
            .count()
    }

    fn work_left(&self) -> bool {
        (!self.queue.is_empty() && !self.stop_scheduling && self.fatal.is_none())
            || self
                .pool
                .slots
                .iter()
                .any(|s| matches!(s.state, SlotState::Busy { .. }))
    }

    fn run(&mut self) {
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
    fn dispatch(&mut self) {
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

    fn send_batch(&mut self, slot: usize, batch: PendingBatch) {
        let mut pages = Vec::with_capacity(batch.pages.len());
        let mut sent = Vec::with_capacity(batch.pages.len());
        for &index in &batch.pages {
            match page_data(self.request.plan, self.request.site, index) {
                Ok(data) => {
                    pages.push(data);
                    sent.push(index);
                }
                Err(error) => self.record(
                    index,
                    PageResult {
                        id: self.request.plan.pages[index].id.clone(),
                        elapsed_micros: 0,
                        outcome: Err(error),
                    },
                ),
            }
        }
        if pages.is_empty() {
            return;
        }
        self.next_batch_id += 1;
        let id = BatchId(self.next_batch_id);
        let message = ToWorker::Batch(Batch {
            id,
            shard: self.request.plan.shards[sent[0]].clone(),
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

    fn record(&mut self, index: usize, result: PageResult) {
        if result.outcome.is_err() && self.request.fail_fast {
            self.stop_scheduling = true;
        }
        self.progress.page_done(&result.id);
        self.results.push((index, result));
    }

    fn handle(&mut self, event: WorkerEvent) {
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
                let frame = std::mem::take(&mut self.setup_frame);
                if let Some(process) = self.pool.slots[slot].process.as_mut() {
                    tracing::debug!(
                        "worker {slot}: hello after {:.1} ms",
                        process.started.elapsed().as_secs_f64() * 1e3
                    );
                    let _ = process.send_bytes(&frame);
                }
                self.setup_frame = frame;
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

    fn batch_done(&mut self, slot: usize, result: protocol::ShardResult) {
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
                .all(|(r, &index)| r.id == self.request.plan.pages[index].id);
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
                .map(|&index| by_id.remove(&self.request.plan.pages[index].id))
                .collect()
        };
        for (&index, answer) in in_flight.pages.iter().zip(answers) {
            let id = &self.request.plan.pages[index].id;
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

    /// Re-decides the pool size with the real peak RSS workers report (unless
    /// `--worker-memory` fixed the budget): retires this idle worker if the pool is now too
    /// big for the available memory, or starts more if it can grow.
    fn resize_from_measurements(&mut self, slot: usize) {
        // Decided again when the measured peak has grown by a quarter since the last
        // decision (reading the system's memory after every batch would be wasted work).
        let measured = self.pool.peak_rss;
        if self.pool.options.worker_memory.is_some()
            || measured == 0
            || measured <= self.pool.sized_for_rss + self.pool.sized_for_rss / 4
        {
            return;
        }
        // Headroom: pages differ, and highlight caches grow as a worker renders.
        let per_worker = (self.pool.peak_rss + self.pool.peak_rss / 2).max(32 * 1024 * 1024);
        let decision = sizing::decide(SizingInput {
            max_processes: self.pool.options.max_processes,
            cores: sizing::available_cores(),
            available_memory: sizing::available_memory()
                + self.live_workers() as u64 * self.pool.peak_rss,
            per_worker,
        });
        let live = self.live_workers();
        let idle = matches!(self.pool.slots[slot].state, SlotState::Idle);
        if decision.workers < live && !idle {
            return; // Retried after the next batch: only an idle worker can be retired.
        }
        self.pool.sized_for_rss = measured;
        if decision.workers < live {
            tracing::info!("shrinking the pool, measured {decision}");
            if let Some(process) = self.pool.slots[slot].process.take() {
                process.shutdown(EXIT_GRACE);
            }
            self.pool.slots[slot].state = SlotState::Empty;
        } else if decision.workers > live && self.queue.len() > live {
            tracing::info!("growing the pool, measured {decision}");
            for _ in live..decision.workers {
                let new_slot = self.pool.slots.len();
                self.pool.slots.push(Slot {
                    process: None,
                    generation: 0,
                    state: SlotState::Empty,
                    draining: false,
                });
                self.start_worker(new_slot);
            }
        }
    }

    fn live_workers(&self) -> usize {
        self.pool
            .slots
            .iter()
            .filter(|s| s.process.is_some())
            .count()
    }

    fn worker_died(&mut self, slot: usize, read_error: Option<protocol::FrameError>) {
        let state = std::mem::replace(&mut self.pool.slots[slot].state, SlotState::Empty);
        // A worker that wrote garbage may well be alive: its pipe cannot be trusted again.
        if let Some(error @ (FrameError::TooLarge { .. } | FrameError::Decode(_))) = &read_error
            && let Some(process) = self.pool.slots[slot].process.as_mut()
            && process.kill_reason.is_none()
        {
            process.kill(ExitReason::Protocol(error.to_string()));
        }
        let reason = match self.pool.slots[slot].process.as_mut() {
            Some(process) => process.exit_reason(EXIT_GRACE),
            None => ExitReason::Unknown,
        };
        self.pool.slots[slot].process = None;
        if let Some(error) = &read_error {
            tracing::debug!("worker {slot}: pipe: {error}");
        }
        tracing::warn!("worker {slot}: {reason}; replacing it");
        match state {
            SlotState::Busy { rendering, next } => {
                self.startup_failures = 0;
                // The batch sent behind the crashed one never started: retry it as it was.
                if let Some(next) = next {
                    self.queue.push_front(PendingBatch { pages: next.pages });
                }
                self.requeue_after_crash(rendering, &reason);
            }
            SlotState::Starting => {
                self.startup_failures += 1;
                if self.startup_failures >= MAX_STARTUP_FAILURES {
                    self.fatal = Some(format!(
                        "worker processes keep dying before rendering anything ({reason})"
                    ));
                }
            }
            SlotState::Idle | SlotState::Empty => {}
        }
        if self.fatal.is_none()
            && (!self.queue.is_empty() || self.any_busy())
            && !self.stop_scheduling
        {
            self.restarts += 1;
            self.start_worker(slot);
        }
    }

    fn any_busy(&self) -> bool {
        self.pool
            .slots
            .iter()
            .any(|s| matches!(s.state, SlotState::Busy { .. }))
    }

    /// Requeues a crashed batch as [`CrashIsolation`] decides, and reports the page it
    /// isolates as failed, with the reason its worker died.
    fn requeue_after_crash(&mut self, in_flight: InFlight, reason: &ExitReason) {
        let verdict = self
            .crashes
            .after_crash(&in_flight.pages, in_flight.current);
        for pages in verdict.retry.into_iter().rev() {
            self.queue.push_front(PendingBatch { pages });
        }
        let Some(culprit) = verdict.isolated else {
            return;
        };
        let name = self.page_name(culprit);
        let kind = match reason {
            ExitReason::Timeout(_) => PageErrorKind::Timeout,
            _ => PageErrorKind::WorkerCrashed,
        };
        let error = PageError {
            file: Some(name.clone()),
            line: None,
            kind,
            message: format!(
                "{reason} while rendering {name} (twice; the page was isolated and skipped)"
            ),
            hint: Some(
                "the rest of the site was built; run `ssg-coord build --no-shard` to debug this page"
                    .into(),
            ),
        };
        let id = self.request.plan.pages[culprit].id.clone();
        self.record(
            culprit,
            PageResult {
                id,
                elapsed_micros: 0,
                outcome: Err(error),
            },
        );
    }

    /// Kills workers whose page ran past the timeout or whose memory passed the ceiling.
    fn watchdog(&mut self) {
        let timeout = self.pool.options.page_timeout;
        let ceiling = self.pool.ceiling;
        for slot in &mut self.pool.slots {
            let SlotState::Busy {
                rendering: in_flight,
                ..
            } = &slot.state
            else {
                continue;
            };
            let Some(process) = slot.process.as_mut() else {
                continue;
            };
            if process.kill_reason.is_some() {
                continue;
            }
            if in_flight.since.elapsed() > timeout {
                process.kill(ExitReason::Timeout(timeout));
            } else if let Some(rss) = process.rss().filter(|&rss| rss > ceiling) {
                process.kill(ExitReason::Memory { rss, ceiling });
            }
        }
    }

    fn fail_queued(&mut self, message: &str) {
        while let Some(batch) = self.queue.pop_front() {
            for index in batch.pages {
                let error = PageError {
                    file: None,
                    line: None,
                    kind: PageErrorKind::WorkerCrashed,
                    message: message.to_string(),
                    hint: Some("run with --no-shard to render in one process".into()),
                };
                let id = self.request.plan.pages[index].id.clone();
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
    fn finish(mut self) -> RenderOutcome {
        let workers = self.pool.slots.len();
        RenderOutcome {
            results: std::mem::take(&mut self.results),
            workers,
            worker_restarts: self.restarts,
            worker_peak_rss: self.pool.peak_rss,
        }
    }
}

//! The workers' lives during a build: starting them (and bringing an earlier build's
//! workers into this one), replacing one that died and requeueing its batch as
//! [`CrashIsolation`](super::crash_isolation::CrashIsolation) decides, recycling one over its
//! memory ceiling, resizing the pool from measured memory, and the watchdog that kills a
//! worker past `--page-timeout` or its ceiling.

use super::process::{ExitReason, WorkerProcess};
use super::process_pool::{EXIT_GRACE, InFlight, PendingBatch, Slot, SlotState};
use super::sizing::{self, SizingInput};
use super::supervisor::Supervisor;
use protocol::{FrameError, PageError, PageErrorKind, PageResult};

/// Consecutive worker deaths before any page was rendered after which the pool gives up
/// (the worker binary itself is broken, not a page).
const MAX_STARTUP_FAILURES: u32 = 5;

impl Supervisor<'_> {
    /// Brings the workers of an earlier build into this one: idle workers get the new setup
    /// (and answer `Ready`); slots left empty, or holding a worker still starting, get a
    /// new worker.
    pub(super) fn resume_workers(&mut self) {
        for slot in 0..self.pool.slots.len() {
            let live = self.pool.slots[slot].process.is_some();
            match (&self.pool.slots[slot].state, live) {
                (SlotState::Idle, true) => {
                    let sent = self.pool.slots[slot]
                        .process
                        .as_mut()
                        .map(|p| p.send_streamed(&self.setup));
                    // A failed write means the worker died; its Closed event replaces it.
                    if let Some(Ok(())) = sent {
                        self.pool.slots[slot].state = SlotState::Starting;
                    }
                }
                // A worker still starting may have taken an earlier render's setup (a
                // build renders twice with backlinks, and a dev server renders again): it
                // starts afresh, as its events carry the old generation and are ignored.
                (SlotState::Starting, true) => {
                    self.pool.slots[slot].process = None;
                    self.start_worker(slot);
                }
                (_, false) => self.start_worker(slot),
                _ => {}
            }
        }
    }

    pub(super) fn start_worker(&mut self, slot: usize) {
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

    /// Re-decides the pool size with the real peak RSS workers report (unless
    /// `--worker-memory` fixed the budget): retires this idle worker if the pool is now too
    /// big for the available memory, or starts more if it can grow.
    pub(super) fn resize_from_measurements(&mut self, slot: usize) {
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

    pub(super) fn live_workers(&self) -> usize {
        self.pool
            .slots
            .iter()
            .filter(|s| s.process.is_some())
            .count()
    }

    pub(super) fn worker_died(&mut self, slot: usize, read_error: Option<protocol::FrameError>) {
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

    pub(super) fn any_busy(&self) -> bool {
        self.pool
            .slots
            .iter()
            .any(|s| matches!(s.state, SlotState::Busy { .. }))
    }

    /// Requeues a crashed batch as [`CrashIsolation`] decides, and reports the page it
    /// isolates as failed, with the reason its worker died.
    pub(super) fn requeue_after_crash(&mut self, in_flight: InFlight, reason: &ExitReason) {
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
        let id = self.request.dispatcher.id(culprit).clone();
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
    pub(super) fn watchdog(&mut self) {
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
}

//! Executors: who renders the planned pages. Every executor calls the same
//! `worker::render_one`; only the transport differs.
//!
//! - [`Executor::Inline`] (the executor of `--no-shard`): one thread, in the coordinator. The reference
//!   output and the easiest to debug.
//! - [`Executor::Threads`] (default for small sites): a thread pool sharing one
//!   `RenderContext`.
//! - [`Executor::Processes`] (`--process-parallel`, default for large sites): worker
//!   processes fed over pipes by the supervisor (`supervisor.rs`, `process.rs`), sized by
//!   `sizing.rs`, surviving crashes, hangs and runaway memory.
//!
//! Pages are grouped into batches, most expensive first, and idle threads pull the next
//! batch, so a slow page never leaves a core idle while work remains. Results are returned
//! sorted by plan index, so nothing downstream can depend on which thread finished first.

mod batches;
mod crash_isolation;
mod packed_results;
mod process;
mod process_pool;
mod sizing;
mod supervisor;
mod threads;
mod worker_lifecycle;

use crate::plan::Dispatcher;
use crate::progress::Progress;
use protocol::{PageResult, WorkerSetup};

pub use batches::plan_batches;
pub use packed_results::PackedResults;
pub use process_pool::{ProcessOptions, ProcessPool};

/// Number of pages to render from which the default executor is worker processes rather
/// than threads. Processes cost a start-up per worker (templates, syntaxes, the nav tree)
/// and some coordinator work per batch. Measured on two cores (`scripts/bench`, and
/// interleaved A/B runs of a 2,077-page `gen-site` site), two workers take 1.09x the
/// thread pool's time on 739 pages, 1.04x on 2,077, 1.01x on 5,832 and 1.00x on 12,938.
/// From here the isolation (a crashing or runaway page costs a retry, not the build)
/// costs under 5%.
pub const AUTO_PROCESS_THRESHOLD: usize = 2_000;

/// How pages are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Executor {
    /// Sequentially in the coordinator.
    Inline,
    /// A pool of threads in the coordinator.
    Threads {
        /// Number of threads.
        threads: usize,
    },
    /// Worker processes.
    Processes(ProcessOptions),
}

/// What to render.
pub struct RenderRequest<'a> {
    /// The planned pages, by plan index (ids, shards, costs, `PageData`).
    pub dispatcher: Dispatcher<'a>,
    /// Plan indexes of the pages to render.
    pub pages: Vec<usize>,
    /// Global setup (templates, nav tree, site settings).
    pub setup: WorkerSetup,
    /// Stop scheduling at the first failed page.
    pub fail_fast: bool,
    /// Keep the results packed as they come in ([`RenderOutcome::packed`]): a part build,
    /// whose results would otherwise sit beside its workers' memory.
    pub pack_results: bool,
}

/// What rendering produced.
#[derive(Debug, Default)]
pub struct RenderOutcome {
    /// (plan index, result), sorted by plan index.
    pub results: Vec<(usize, PageResult)>,
    /// The results of a request with `pack_results`, until [`RenderOutcome::unpack`].
    pub packed: PackedResults,
    /// Workers (threads or processes) that rendered.
    pub workers: usize,
    /// Workers replaced after dying.
    pub worker_restarts: usize,
    /// Highest peak RSS reported by a worker, in bytes.
    pub worker_peak_rss: u64,
}

/// Renders `request.pages` with `executor`.
pub fn render(
    executor: Executor,
    request: RenderRequest<'_>,
    progress: &Progress,
) -> RenderOutcome {
    render_keeping(executor, request, progress, &mut None)
}

/// As [`render`], but worker processes are taken from `pool` (started there on first use)
/// and stay alive in it after the build, for the next one.
pub fn render_keeping(
    executor: Executor,
    request: RenderRequest<'_>,
    progress: &Progress,
    pool: &mut Option<ProcessPool>,
) -> RenderOutcome {
    let mut outcome = match executor {
        Executor::Inline => threads::render(request, 1, progress),
        Executor::Threads { threads } => threads::render(request, threads.max(1), progress),
        Executor::Processes(options) => {
            let pool = pool.get_or_insert_with(|| ProcessPool::new(options));
            pool.render(request, progress)
        }
    };
    outcome.results.sort_by_key(|(index, _)| *index);
    outcome
}

impl RenderOutcome {
    /// Hands every result, plain and packed, to `visit` (plan index, result), in no set
    /// order; the packed ones are unpacked one block at a time.
    pub fn for_each_result(
        &self,
        mut visit: impl FnMut(usize, &PageResult),
    ) -> std::io::Result<()> {
        for (index, result) in &self.results {
            visit(*index, result);
        }
        self.packed.for_each(|index, result| visit(index, &result))
    }

    /// Moves the packed results into `results`, sorted by plan index.
    pub fn unpack(&mut self) -> std::io::Result<()> {
        if self.packed.is_empty() {
            return Ok(());
        }
        let packed = std::mem::take(&mut self.packed).unpack()?;
        self.results.extend(packed);
        self.results.sort_by_key(|(index, _)| *index);
        Ok(())
    }
}

/// Where a render puts each result as it comes in: into the plain list, or packed when the
/// request asks for it (a result that cannot be packed is kept plain, never lost).
pub(crate) struct KeptResults {
    results: Vec<(usize, PageResult)>,
    packed: Option<PackedResults>,
}

impl KeptResults {
    pub(crate) fn new(request: &RenderRequest<'_>) -> KeptResults {
        KeptResults {
            results: Vec::with_capacity(if request.pack_results {
                0
            } else {
                request.pages.len()
            }),
            packed: request.pack_results.then(PackedResults::default),
        }
    }

    pub(crate) fn push(&mut self, index: usize, result: PageResult) {
        if let Some(packed) = &mut self.packed {
            match packed.push(index, &result) {
                Ok(()) => return,
                Err(e) => tracing::warn!("{}: kept unpacked: {e}", result.id),
            }
        }
        self.results.push((index, result));
    }

    /// The results kept plain and those kept packed.
    pub(crate) fn into_parts(self) -> (Vec<(usize, PageResult)>, PackedResults) {
        (self.results, self.packed.unwrap_or_default())
    }
}

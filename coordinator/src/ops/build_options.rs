//! What a build is asked to do: [`BuildOptions`] (made by `cli.rs`, `ops::check` and the
//! dev server) and the executor asked for, [`ExecutorChoice`]. Below both `ops::build` and
//! its steps, so neither reaches into the other.

use crate::cache::CacheUse;
use crate::cache_url::CacheUrl;
use crate::plan::partition::ShardStrategy;
use crate::pool::{self, Executor, ProcessOptions};
use std::path::PathBuf;

/// A validated `build` invocation.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root.
    pub site_dir: PathBuf,
    /// Output directory overriding `build.output_dir` (relative to the current directory).
    pub out_dir: Option<PathBuf>,
    /// Build draft pages too.
    pub drafts: bool,
    /// Dead links are errors.
    pub strict: bool,
    /// Stop at the first failed page.
    pub fail_fast: bool,
    /// Who renders.
    pub executor: ExecutorChoice,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// How pages are grouped into shards.
    pub shards: ShardStrategy,
    /// Reuse what the previous build rendered (`--no-cache` turns this off; a fresh cache is
    /// written either way).
    pub use_cache: bool,
    /// Build into a non-empty folder that does not carry the output marker (`--force`).
    pub force: bool,
    /// List the outputs the build changed in `BuildReport::changed_outputs` (the dev
    /// server tells open pages from it; a one-off build has no use for the list, which
    /// costs a copy of every output path on a full build).
    pub list_changes: bool,
    /// Open and write the site's `.ssg-cache/` (`ssg-coord check` leaves it alone).
    pub write_cache: bool,
    /// Which shared shard cache the build looks shards up in and uploads them to.
    pub shared_cache: SharedCacheUse,
}

/// Which shared shard cache a build uses (`cache::remote`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedCacheUse {
    /// The one `[build] cache_url` names, if any (`build` without `--cache-url`).
    FromConfig,
    /// This one (`--cache-url`).
    Url(CacheUrl),
    /// None (`serve`, whose rebuilds are a few pages; `check`, which writes no cache).
    Off,
}

/// The executor asked for on the command line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExecutorChoice {
    /// One thread in the coordinator: the executor of `--no-shard` (which also asks for
    /// one shard, `ShardStrategy::one_shard`).
    Inline,
    /// `--threads`, with this many threads.
    Threads(usize),
    /// `--process-parallel`.
    Processes(ProcessOptions),
    /// Neither: threads below [`pool::AUTO_PROCESS_THRESHOLD`] pages, processes from it.
    Auto {
        /// Threads for small sites.
        threads: usize,
        /// Process settings for large ones.
        processes: ProcessOptions,
    },
}

impl ExecutorChoice {
    /// The executor for a build of `pages` pages.
    pub fn resolve(self, pages: usize) -> Executor {
        match self {
            ExecutorChoice::Inline => Executor::Inline,
            ExecutorChoice::Threads(threads) => Executor::Threads { threads },
            ExecutorChoice::Processes(options) => Executor::Processes(options),
            ExecutorChoice::Auto { threads, processes } => {
                if pages >= pool::AUTO_PROCESS_THRESHOLD {
                    Executor::Processes(processes)
                } else {
                    Executor::Threads { threads }
                }
            }
        }
    }
}

impl BuildOptions {
    /// How this build uses `.ssg-cache/`.
    pub(crate) fn cache_use(&self) -> CacheUse {
        match (self.write_cache, self.use_cache) {
            (false, _) => CacheUse::Off,
            (true, true) => CacheUse::ReadWrite,
            (true, false) => CacheUse::WriteOnly,
        }
    }
}

//! `ssg-coord build`: one build as a pipeline of named steps, each in its own module, each
//! taking what the last one produced and handing on something smaller:
//!
//! 1. [`inputs::open_inputs`] and [`Inputs::unchanged`](inputs::Inputs::unchanged): the site folder, `ssg.toml` (loaded once per build), the
//!    output folder, the cache session (opened once: the one "cache or not" decision) and
//!    the input signature. Nothing changed and every output in place: the build ends here.
//! 2. [`planning::discover_and_plan`]: `Site::with_config`, then `BuildPlan::new`; the
//!    report learns the page counts and what could not be read or planned.
//! 3. [`freshness::find_stale`]: fingerprints against the previous build: the pages the
//!    cache still holds, and the plan indexes to render.
//! 4. [`render::render_stale`]: the pool renders the stale pages.
//! 5. [`collect::collect_results`]: results and cached pages into the report and the next
//!    cache.
//! 6. [`merging::merge_site`]: site-wide files and the link check, over cached and fresh
//!    pages alike.
//! 7. [`cache_writing::write_cache`]: stale outputs removed, the cache written (the
//!    manifest last).

mod cache_writing;
mod collect;
mod freshness;
mod inputs;
mod merging;
mod planning;
mod render;

pub use super::BuildError;
use crate::cache::CacheUse;
use crate::discover::Site;
use crate::ops::page_urls::PageUrls;
use crate::plan::BuildPlan;
use crate::plan::partition::ShardStrategy;
use crate::pool::{self, Executor, ProcessOptions, ProcessPool};
use crate::report::BuildReport;
use cache_writing::write_cache;
use collect::collect_results;
use freshness::{Freshness, find_stale};
use inputs::{Inputs, open_inputs};
use merging::merge_site;
use planning::{Planned, discover_and_plan};
use render::render_stale;
use std::path::{Path, PathBuf};
use std::time::Instant;

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
    fn cache_use(&self) -> CacheUse {
        match (self.write_cache, self.use_cache) {
            (false, _) => CacheUse::Off,
            (true, true) => CacheUse::ReadWrite,
            (true, false) => CacheUse::WriteOnly,
        }
    }
}

/// Runs a build. Page failures are in the report; only unusable input is an `Err`.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_in(options, &mut BuildSession::default())
}

/// What outlives one build: the worker processes of a dev server, kept warm between
/// rebuilds, and (with `list_changes`) the URL of every page. Dropping the session stops
/// the workers.
#[derive(Default)]
pub struct BuildSession {
    pool: Option<ProcessPool>,
    /// Every page's URL as last planned.
    pub page_urls: PageUrls,
}

/// Runs a build within `session`, reusing its worker processes: the steps of the module
/// documentation, in order.
pub fn build_in(
    options: &BuildOptions,
    session: &mut BuildSession,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut phases = Phases::new();
    let inputs = open_inputs(options)?;
    if let Some(report) = inputs.unchanged() {
        phases.done("nothing changed");
        return Ok(finish(report, started));
    }
    let Inputs {
        root,
        config,
        out_dir,
        signature,
        mut cache,
    } = inputs;
    phases.done("check inputs");

    let Planned {
        site,
        plan,
        mut report,
    } = discover_and_plan(options, root, config, &cache, &out_dir, &mut phases)?;
    if options.list_changes {
        session.page_urls.remember(&site, &plan);
    }
    if options.fail_fast && !report.errors.is_empty() {
        return Ok(finish(report, started));
    }

    report.warnings.extend(cache.unusable_warning());
    let previous = cache.previous_build(&mut report.warnings);
    let build = Build {
        options,
        site: &site,
        plan: &plan,
        out_dir: &out_dir,
        signature,
    };
    let Freshness {
        fingerprints,
        nav_slices,
        cached,
        stale,
    } = find_stale(&build, &cache, &previous, &mut phases);

    let outcome = render_stale(&build, &mut session.pool, stale, cached.len());
    phases.done("render");

    let collected = collect_results(
        &build,
        &previous,
        &fingerprints,
        cached,
        outcome,
        &mut report,
    );
    let stopped_early = options.fail_fast && !report.errors.is_empty();
    let site_outputs = (!stopped_early).then(|| {
        phases.done("collect");
        let outputs = merge_site(&build, &cache, &collected, &mut report);
        phases.done("merge");
        outputs
    });

    write_cache(
        &build,
        &cache,
        &previous,
        nav_slices,
        collected,
        site_outputs,
        &mut report,
    );
    phases.done("write cache");
    // Freeing a large site's plan and cached results is a few hundred thousand small
    // deallocations: let a thread do it, so the report (and a one-off build's exit) does
    // not wait for it.
    drop_in_background((site, plan, previous, fingerprints));
    Ok(finish(report, started))
}

/// What every step after planning reads: the options, the site and its plan, where the
/// output goes, and the input signature.
struct Build<'b> {
    options: &'b BuildOptions,
    site: &'b Site,
    plan: &'b BuildPlan,
    out_dir: &'b Path,
    signature: u128,
}

fn drop_in_background<T: Send + 'static>(value: T) {
    // The thread is detached. Should it fail to start, the value is dropped here, which is
    // only slower.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

/// Wall time of each build phase, logged at `-v`.
struct Phases {
    last: Instant,
}

impl Phases {
    fn new() -> Phases {
        Phases {
            last: Instant::now(),
        }
    }

    fn done(&mut self, phase: &str) {
        let now = Instant::now();
        tracing::info!(
            "{phase}: {:.1} ms",
            (now - self.last).as_secs_f64() * 1000.0
        );
        self.last = now;
    }
}

fn finish(mut report: BuildReport, started: Instant) -> BuildReport {
    report.errors.sort();
    report.errors.dedup();
    report.warnings.sort();
    report.warnings.dedup();
    report.failed_pages.sort();
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    report
}

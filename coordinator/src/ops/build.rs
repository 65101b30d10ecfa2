//! `ssg-coord build`: discover → plan → render → merge → report.

pub use super::BuildError;
use super::output_folder;
use crate::cache::{
    self, CACHE_DIR, CacheStore, CachedPage, CachedSummary, CachedWarning, DiscoveryCache,
    FastPath, NavSliceHashes, NextCache, PreviousBuild, RecordedBuild, StaleReason, check_fresh,
    inputs,
};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::discover::{LoadError, Site};
use crate::merge::llm_full::LlmIndex;
use crate::merge::{self, MergedPage};
use crate::ops::page_urls::PageUrls;
use crate::parallel::par_map;
use crate::plan::fingerprint::{
    FingerprintBase, binary_identity, nav_slice_hash, nav_tree_hash, page_fingerprint,
};
use crate::plan::partition::ShardStrategy;
use crate::plan::{BuildPlan, PlanOptions};
use crate::pool::{self, Executor, ProcessOptions, ProcessPool, RenderOutcome, RenderRequest};
use crate::progress::Progress;
use crate::report::{BuildReport, KindCounts, ShardReport};
use protocol::{NavPosition, ShardId, WarningKind, WorkerSetup};
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Cache file holding where each page sits in `llm-full.txt`.
const LLM_INDEX: &str = "llm-full.bin";

/// How many of the slowest pages the report lists.
const SLOWEST_PAGES: usize = 5;

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
    /// `--no-shard`.
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

/// Runs a build within `session`, reusing its worker processes.
pub fn build_in(
    options: &BuildOptions,
    session: &mut BuildSession,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut phases = Phases::new();
    let root = std::fs::canonicalize(&options.site_dir).map_err(|e| LoadError::Site {
        path: options.site_dir.display().to_string(),
        message: format!("cannot open site folder: {e}"),
    })?;
    let config = Config::load(&root).map_err(LoadError::from)?;
    let out_dir = output_folder::output_dir(&root, &config, options.out_dir.as_deref())?;
    output_folder::claim(&out_dir, options.force)?;
    let exe = inputs::exe_stamp();
    let signature = inputs::input_signature(
        &root,
        &config,
        &options_key(options, &out_dir, exe.as_ref()),
    );
    let opened = options.write_cache.then(|| CacheStore::open(&root));
    let store = match opened {
        None => None,
        Some(Ok(store)) => Some(store),
        Some(Err(e)) => {
            tracing::warn!(
                "cannot use the build cache in {}: {e}",
                root.join(CACHE_DIR).display()
            );
            None
        }
    };
    // The binary's recorded identity is used even with --no-cache: it describes the
    // executable, not the site.
    let recorded = store
        .as_ref()
        .map_or_else(RecordedBuild::none, RecordedBuild::read);
    if let Some(fast) = recorded
        .fast_path()
        .filter(|_| options.use_cache)
        .filter(|f| f.signature == signature)
        && fast.outputs_intact(&out_dir)
    {
        phases.done("nothing changed");
        let mut report = unchanged_report(fast, &out_dir);
        report.config_file = config_file_name(&config);
        return Ok(finish(report, started));
    }
    phases.done("check inputs");

    let known = match (&store, options.use_cache) {
        (Some(store), true) => DiscoveryCache::read(store),
        _ => DiscoveryCache::default(),
    };
    let site = Site::load(&root, options.drafts, &known)?;
    drop(known);
    phases.done("discover");
    let plan = BuildPlan::new(
        &site,
        PlanOptions {
            shards: options.shards,
        },
    );
    phases.done("plan");
    if options.list_changes {
        session.page_urls.remember(&site, &plan);
    }

    let mut report = BuildReport {
        output_dir: out_dir.display().to_string(),
        config_file: config_file_name(&site.config),
        ..BuildReport::default()
    };
    for failure in site.failures.iter().chain(&plan.failures) {
        report.pages.add(failure.kind);
        report.errors.push(Diagnostic::from(&failure.error));
        report.failed_pages.push(failure.id.to_string());
    }
    report.errors.extend(site.errors.iter().cloned());
    report.warnings.extend(site.warnings.iter().cloned());
    report.warnings.extend(plan.warnings.iter().cloned());
    for page in &plan.pages {
        report.pages.add(page.kind);
    }
    if options.fail_fast && !report.errors.is_empty() {
        return Ok(finish(report, started));
    }

    // What the previous build left, and which pages it already rendered.
    if store.is_none() && options.write_cache {
        report.warnings.push(
            Diagnostic::in_file(CACHE_DIR, "cannot use the build cache")
                .with_hint("the site builds in full without it; see the log with -v"),
        );
    }
    let binary = match (&exe, recorded.binary()) {
        (Some(stamp), Some((recorded_stamp, id))) if stamp == recorded_stamp => *id,
        _ => binary_identity(),
    };
    let previous = match (&store, options.use_cache) {
        (Some(store), true) => PreviousBuild::load(store, recorded, &mut report.warnings),
        _ => PreviousBuild::default(),
    };
    let nav_tree = nav_tree_hash(&plan);
    let known_slices = match (&store, options.use_cache) {
        (Some(store), true) => NavSliceHashes::read(store),
        _ => NavSliceHashes::default(),
    };
    phases.done("read cache");
    let (fingerprints, nav_slices) =
        fingerprint_all(&site, &plan, binary, &known_slices.usable_on(nav_tree));
    let nav_slices = NavSliceHashes::new(nav_tree, nav_slices);
    phases.done("fingerprint");
    let mut stale = Vec::new();
    let mut fresh_from_cache: Vec<(usize, &CachedPage)> = Vec::new();
    for (index, cached) in classify(&previous, &plan, &fingerprints, &out_dir, &site.root)
        .into_iter()
        .enumerate()
    {
        let page = &plan.pages[index];
        match cached {
            Ok(cached) => fresh_from_cache.push((index, cached)),
            Err(reason) => {
                tracing::debug!("{}: rendering ({reason:?})", page.id);
                stale.push(index);
            }
        }
    }

    phases.done("check cached pages");

    let setup = WorkerSetup {
        worker_id: 0,
        site_root: site.root.display().to_string(),
        output_dir: out_dir.display().to_string(),
        site: plan.site.clone(),
        nav: plan.nav.clone(),
        templates: site.templates.clone(),
    };
    let progress = Progress::new(options.progress, stale.len());
    let executor = options.executor.resolve(stale.len());
    tracing::info!(
        "{} pages: {} cached, rendering {} with {executor:?}",
        plan.pages.len(),
        fresh_from_cache.len(),
        stale.len()
    );
    let mut outcome = if stale.is_empty() {
        RenderOutcome::default()
    } else {
        let request = RenderRequest {
            plan: &plan,
            site: &site,
            pages: stale,
            setup,
            fail_fast: options.fail_fast,
        };
        pool::render_keeping(executor, request, &progress, &mut session.pool)
    };
    phases.done("render");
    progress.finish();
    report.workers = outcome.workers;
    report.worker_restarts = outcome.worker_restarts;
    report.worker_peak_rss = outcome.worker_peak_rss;

    let mut shards = ShardStats::default();
    let mut failed = Vec::new();
    let mut next_cache = NextCache::default();
    // A page that could not even be planned (broken front matter, a clashing URL) keeps its
    // last good output and cache entry, as a page that fails to render does.
    for failure in site.failures.iter().chain(&plan.failures) {
        if let Some(previous_entry) = previous.get(&failure.id) {
            next_cache.insert(
                ShardId("unplanned".into()),
                failure.id.clone(),
                Cow::Borrowed(previous_entry),
            );
        }
    }
    for &(index, cached) in &fresh_from_cache {
        let planned = &plan.pages[index];
        report.cached.add(planned.kind);
        shards.add(&plan.shards[index], Counted::Cached);
        report_warnings(&mut report, &cached.result.warnings, options.strict);
        next_cache.insert(
            plan.shards[index].clone(),
            planned.id.clone(),
            Cow::Borrowed(cached),
        );
    }
    // Fresh results are moved into their cache entries, not copied.
    let mut fresh: Vec<(usize, CachedPage)> = Vec::with_capacity(outcome.results.len());
    // (render time, plan index): the slowest few are named in the report.
    let mut timings: Vec<(u64, usize)> = Vec::with_capacity(outcome.results.len());
    for (index, result) in std::mem::take(&mut outcome.results) {
        let planned = &plan.pages[index];
        timings.push((result.elapsed_micros, index));
        shards.add(
            &plan.shards[index],
            Counted::Rendered(result.elapsed_micros),
        );
        match result.outcome {
            Ok(rendered) => {
                report.rendered.add(planned.kind);
                report_warnings(&mut report, &rendered.warnings, options.strict);
                fresh.push((
                    index,
                    CachedPage {
                        fingerprint: fingerprints[index],
                        result: rendered,
                    },
                ));
            }
            Err(error) => {
                report.errors.push(Diagnostic::from(&error));
                report.failed_pages.push(planned.id.to_string());
                failed.push(index);
                // Keep the last good version of the page, published and cached.
                if let Some(previous_entry) = previous.get(&planned.id) {
                    next_cache.insert(
                        plan.shards[index].clone(),
                        planned.id.clone(),
                        Cow::Borrowed(previous_entry),
                    );
                }
            }
        }
    }
    let slower = |a: &(u64, usize), b: &(u64, usize)| {
        b.0.cmp(&a.0)
            .then_with(|| plan.pages[a.1].id.as_str().cmp(plan.pages[b.1].id.as_str()))
    };
    if timings.len() > SLOWEST_PAGES {
        timings.select_nth_unstable_by(SLOWEST_PAGES, slower);
        timings.truncate(SLOWEST_PAGES);
    }
    timings.sort_unstable_by(slower);
    report.slowest = timings
        .into_iter()
        .map(|(micros, index)| (plan.pages[index].id.to_string(), micros))
        .collect();
    report.shards = shards.into_report();
    let previous_outputs = previous.outputs_in(&out_dir);
    // What a dev server must tell open pages: outputs written with new bytes (and, below,
    // outputs removed).
    let mut changed: Vec<String> = if options.list_changes {
        fresh
            .iter()
            .flat_map(|(_, entry)| entry.result.outputs.iter())
            .filter(|o| previous_outputs.get(o.path.as_str()) != Some(&o.hash))
            .map(|o| o.path.clone())
            .collect()
    } else {
        Vec::new()
    };

    let stopped_early = options.fail_fast && !report.errors.is_empty();
    let mut site_outputs = Vec::new();
    {
        let mut merged: Vec<MergedPage<'_>> = fresh_from_cache
            .iter()
            .map(|&(index, cached)| MergedPage {
                index,
                rendered: &cached.result,
            })
            .chain(fresh.iter().map(|(index, entry)| MergedPage {
                index: *index,
                rendered: &entry.result,
            }))
            .collect();
        merged.sort_by_key(|page| page.index);
        report.outputs = merged.iter().map(|page| page.rendered.outputs.len()).sum();
        if !stopped_early {
            phases.done("collect");
            let previous_llm: Option<LlmIndex> = match (&store, options.use_cache) {
                (Some(store), true) => store.read_named(LLM_INDEX).ok().flatten(),
                _ => None,
            };
            match merge::merge(
                &site,
                &plan,
                &merged,
                &failed,
                &out_dir,
                previous_llm.as_ref(),
            ) {
                Ok(merge_outcome) => {
                    if let (Some(store), Some(index)) = (&store, &merge_outcome.llm_index)
                        && let Err(e) = store.write_named(LLM_INDEX, index)
                    {
                        tracing::warn!("cannot save the llm-full.txt index: {e}");
                    }
                    report.outputs += merge_outcome.outputs.len();
                    site_outputs = merge_outcome.outputs;
                    if options.strict {
                        report.errors.extend(merge_outcome.link_problems);
                    } else {
                        report.warnings.extend(merge_outcome.link_problems);
                    }
                }
                Err(e) => report.errors.push(Diagnostic {
                    file: None,
                    line: None,
                    message: format!("writing site-wide files failed: {e}"),
                    hint: Some(
                        "check that the output directory is writable and the disk is not full"
                            .into(),
                    ),
                }),
            }
            phases.done("merge");
        }
    }
    for (index, entry) in fresh {
        next_cache.insert(
            plan.shards[index].clone(),
            plan.pages[index].id.clone(),
            Cow::Owned(entry),
        );
    }
    // Every page is written: what a worker killed mid-write left is garbage now.
    output_folder::remove_temp_files(&out_dir);
    if !stopped_early {
        let current: FxHashSet<&str> = next_cache
            .outputs()
            .chain(site_outputs.iter().map(|o| o.path.as_str()))
            .collect();
        let removed =
            cache::remove_stale_outputs(&out_dir, previous_outputs.keys().copied(), &current);
        if !removed.is_empty() {
            tracing::info!("removed {} stale output files", removed.len());
        }
        if options.list_changes {
            changed.extend(
                site_outputs
                    .iter()
                    .filter(|o| previous_outputs.get(o.path.as_str()) != Some(&o.hash))
                    .map(|o| o.path.clone()),
            );
            changed.extend(removed);
            changed.sort();
            changed.dedup();
            report.changed_outputs = changed;
        }
    }
    // Written even after --fail-fast: the pages rendered so far replaced their outputs, and
    // the cache must describe what is on disk.
    let fast_path = report.errors.is_empty().then(|| FastPath {
        signature,
        outputs: next_cache
            .output_records()
            .chain(
                site_outputs
                    .iter()
                    .map(|o| (o.path.clone(), o.len, o.modified)),
            )
            .collect(),
        summary: CachedSummary {
            pages: [
                report.pages.content,
                report.pages.autodoc,
                report.pages.generated,
            ],
            outputs: report.outputs,
            shards: report
                .shards
                .iter()
                .map(|s| (s.id.clone(), s.pages))
                .collect(),
            // Problems of the cache itself belong to this build only.
            warnings: report
                .warnings
                .iter()
                .filter(|w| w.file.as_deref() != Some(CACHE_DIR))
                .map(CachedWarning::from)
                .collect(),
        },
    });
    let binary_record = exe.map(|stamp| (stamp, binary));
    if let Some(store) = &store {
        // The discovery cache and the nav-slice hashes only save the next build time (a
        // failure is a log line); they are written beside the shard cache.
        let shards = std::thread::scope(|scope| {
            let accelerators = scope.spawn(|| {
                if nav_slices != known_slices
                    && let Err(e) = nav_slices.write(store)
                {
                    tracing::warn!("cannot save the nav slice hashes: {e}");
                }
                if let Err(e) = DiscoveryCache::from_site(&site).write(store) {
                    tracing::warn!("cannot save the discovery cache: {e}");
                }
            });
            let shards = next_cache.write(
                store,
                &previous,
                &out_dir,
                site_outputs,
                binary_record,
                fast_path,
            );
            if accelerators.join().is_err() {
                tracing::warn!("saving the discovery cache failed (a bug)");
            }
            shards
        });
        if let Err(e) = shards {
            report.warnings.push(Diagnostic::in_file(
                CACHE_DIR,
                format!("cannot write the build cache: {e}"),
            ));
        }
    }
    phases.done("write cache");
    // Freeing a large site's plan and cached results is a few hundred thousand small
    // deallocations: let a thread do it, so the report (and a one-off build's exit) does
    // not wait for it.
    drop_in_background((site, plan, previous, fingerprints));
    Ok(finish(report, started))
}

fn drop_in_background<T: Send + 'static>(value: T) {
    // The thread is detached. Should it fail to start, the value is dropped here, which is
    // only slower.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

/// The build options that change what a build writes, as bytes for the input signature.
fn options_key(options: &BuildOptions, out_dir: &Path, exe: Option<&inputs::ExeStamp>) -> Vec<u8> {
    format!(
        "drafts={} strict={} shards={:?} out={} exe={exe:?}",
        options.drafts,
        options.strict,
        options.shards,
        out_dir.display()
    )
    .into_bytes()
}

/// The configuration file to name in the summary, when it is not `ssg.toml`.
fn config_file_name(config: &Config) -> Option<String> {
    (config.source != crate::config::ConfigSource::SsgToml)
        .then(|| config.source_file_name().to_string())
}

/// The report of a build that found nothing to do.
fn unchanged_report(fast: &FastPath, out_dir: &Path) -> BuildReport {
    let summary = &fast.summary;
    let pages = KindCounts {
        content: summary.pages[0],
        autodoc: summary.pages[1],
        generated: summary.pages[2],
    };
    BuildReport {
        pages,
        cached: pages,
        outputs: summary.outputs,
        warnings: summary.warnings.iter().map(Diagnostic::from).collect(),
        shards: summary
            .shards
            .iter()
            .map(|(id, pages)| ShardReport {
                id: id.clone(),
                pages: *pages,
                cached: *pages,
                ..ShardReport::default()
            })
            .collect(),
        output_dir: out_dir.display().to_string(),
        ..BuildReport::default()
    }
}

/// For every planned page, its reusable cache entry or why it must be rendered (the checks
/// stat every output file, so they run on all cores).
fn classify<'c>(
    previous: &'c PreviousBuild,
    plan: &BuildPlan,
    fingerprints: &[u128],
    out_dir: &Path,
    site_root: &Path,
) -> Vec<Result<&'c CachedPage, StaleReason>> {
    par_map(
        plan.pages.len(),
        |index| {
            let page = &plan.pages[index];
            let cached = previous.get(&page.id).ok_or(StaleReason::NotCached)?;
            check_fresh(
                cached,
                fingerprints[index],
                plan,
                page.meta.version,
                out_dir,
                site_root,
            )?;
            Ok(cached)
        },
        |_| Err(StaleReason::NotCached),
    )
}

/// Fingerprints of every planned page, computed on all cores, and the hash of the nav slice
/// at each page's position. A slice hash in `known_slices` (the previous build's, on the
/// same tree) is used as it is. A page whose fingerprint could not be computed gets 0,
/// which no cache entry has, so it is rendered.
fn fingerprint_all(
    site: &Site,
    plan: &BuildPlan,
    binary: u128,
    known_slices: &HashMap<NavPosition, u128>,
) -> (Vec<u128>, Vec<(NavPosition, u128)>) {
    let config = Config::source_file(&site.root)
        .and_then(|file| std::fs::read(file).ok())
        .unwrap_or_default();
    let base = FingerprintBase::new(binary, &config, plan, &site.templates);
    let hashed = par_map(
        plan.pages.len(),
        |index| {
            let position = plan.pages[index].nav;
            let slice = known_slices
                .get(&position)
                .copied()
                .unwrap_or_else(|| nav_slice_hash(plan, position));
            (
                page_fingerprint(&base, plan, site, index, slice),
                Some((position, slice)),
            )
        },
        |_| (0, None),
    );
    let (fingerprints, slices): (Vec<u128>, Vec<_>) = hashed.into_iter().unzip();
    (fingerprints, slices.into_iter().flatten().collect())
}

fn report_warnings(report: &mut BuildReport, warnings: &[protocol::PageWarning], strict: bool) {
    for warning in warnings {
        if strict && warning.kind == WarningKind::DeadLink {
            report.errors.push(Diagnostic::from(warning));
        } else {
            report.warnings.push(Diagnostic::from(warning));
        }
    }
}

/// How a page of a shard was obtained.
enum Counted {
    Cached,
    Rendered(u64),
}

/// Per-shard counts for the report.
#[derive(Default)]
struct ShardStats {
    shards: BTreeMap<ShardId, ShardReport>,
}

impl ShardStats {
    fn add(&mut self, shard: &ShardId, counted: Counted) {
        let entry = self
            .shards
            .entry(shard.clone())
            .or_insert_with(|| ShardReport {
                id: shard.0.clone(),
                ..ShardReport::default()
            });
        entry.pages += 1;
        match counted {
            Counted::Cached => entry.cached += 1,
            Counted::Rendered(micros) => {
                entry.rendered += 1;
                entry.render_micros += micros;
            }
        }
    }

    fn into_report(self) -> Vec<ShardReport> {
        self.shards.into_values().collect()
    }
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
    crate::diagnostics::collapse_once_per_site(&mut report.warnings);
    report.failed_pages.sort();
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    report
}

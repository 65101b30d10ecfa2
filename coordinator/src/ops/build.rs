//! `ssg-coord build`: one build as a pipeline of named steps (`ops/build_steps/`, one
//! module each), called in order by [`build_in`]: `open_inputs` → `discover_and_plan` →
//! `find_stale` → (`fetch_shared`) → `render_with_backlinks` → `collect_results` →
//! `merge_site` → (`upload_rendered`) → `write_cache`. The two in brackets run with a
//! shared cache.

pub use super::BuildError;
pub use super::build_options::{BuildOptions, ExecutorChoice, SharedCacheUse};
use super::build_steps::backlinks::render_with_backlinks;
use super::build_steps::cache_writing::write_cache;
use super::build_steps::collect::collect_results;
use super::build_steps::freshness::{Freshness, find_stale};
use super::build_steps::inputs::{Inputs, open_inputs};
use super::build_steps::merging::merge_site;
use super::build_steps::planning::{ApiIndex, Known, Planned, discover_and_plan, index_api};
use super::build_steps::shared_cache::{
    SharedHits, fetch_shared, file_shared, open_shared, upload_rendered,
};
use super::build_steps::{Build, Phases};
use crate::cache::CachedPage;
use crate::ops::page_urls::PageUrls;
use crate::pool::ProcessPool;
use crate::report::BuildReport;
use crate::teardown::release_at_exit;
use rustc_hash::FxHashSet;
use std::time::Instant;

/// Runs a build. Page failures are in the report; only unusable input is an `Err`.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_in(options, &mut BuildSession::default())
}

/// What outlives one build: the worker processes of a dev server, kept warm between
/// rebuilds, (with `list_changes`) the URL of every page, and (with `keep_last_build`)
/// what the last build planned. Dropping the session stops the workers.
#[derive(Default)]
pub struct BuildSession {
    pub(crate) pool: Option<ProcessPool>,
    /// Every page's URL as last planned.
    pub page_urls: PageUrls,
    /// Keep the last build's site, plan and fingerprints in `last_build` (a dev server's
    /// resident site, `ops::resident`); such a session never takes the "nothing changed"
    /// shortcut, which plans nothing.
    pub(crate) keep_last_build: bool,
    /// What the last build planned, when it ran to the end and `keep_last_build` is set.
    pub(crate) last_build: Option<LastBuild>,
}

/// What a build planned, handed over to a dev server's resident site.
pub(crate) struct LastBuild {
    pub site: crate::discover::Site,
    pub plan: crate::plan::BuildPlan,
    /// Every planned page's fingerprint, in plan order.
    pub fingerprints: Vec<u128>,
    /// The API inventory and the warnings building it gave.
    pub api: std::sync::Arc<protocol::ApiInventory>,
    pub api_warnings: Vec<crate::diagnostics::Diagnostic>,
    /// The output folder it wrote.
    pub out_dir: std::path::PathBuf,
}

/// Runs a build within `session`, reusing its worker processes: the steps of
/// `ops/build_steps/`, in order.
pub fn build_in(
    options: &BuildOptions,
    session: &mut BuildSession,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut phases = Phases::new();
    if let Some(last) = session.last_build.take() {
        release_at_exit(last);
    }
    let inputs = open_inputs(options)?;
    if !session.keep_last_build
        && let Some(report) = inputs.unchanged()
    {
        phases.done("nothing changed");
        return Ok(finish(report, started));
    }
    let (shared, shared_unusable) = open_shared(options, &inputs.config);
    let Inputs {
        root,
        config,
        out_dir,
        signature,
        stamps,
        mut cache,
    } = inputs;
    phases.done("check inputs");

    // The previous build's shard files are read and decoded (a tenth of an edit build's CPU
    // at 10k pages), and its outputs checked (another tenth: a `stat` of each), beside
    // discovery, planning and the API inventory, which do not need them: most of that work
    // is serial, so the other core does the decoding and checking meanwhile.
    let recorded = cache.take_recorded();
    let (planned, loaded) = std::thread::scope(|scope| {
        let cache = &cache;
        let out_dir = &out_dir;
        let loading = scope.spawn(move || {
            let mut warnings = Vec::new();
            let mut previous = cache.load_previous(recorded, &mut warnings);
            previous.check_outputs(out_dir);
            (previous, warnings)
        });
        let planned = discover_and_plan(
            options,
            root,
            config,
            Known::Cache(cache, &stamps),
            out_dir,
            &mut phases,
        )
        .map(|planned| {
            let api = index_api(&planned, cache);
            phases.done("api inventory");
            (planned, api)
        });
        (planned, loading.join())
    });
    drop(stamps);
    let (previous, previous_warnings) = loaded.unwrap_or_else(|_| {
        let problem = crate::diagnostics::Diagnostic::in_file(
            crate::cache::CACHE_DIR,
            "reading the build cache failed (a bug)",
        )
        .with_hint("this build renders everything and writes a fresh cache");
        (crate::cache::PreviousBuild::default(), vec![problem])
    });
    let (
        Planned {
            site,
            plan,
            mut report,
        },
        ApiIndex {
            inventory,
            warnings: inventory_warnings,
        },
    ) = match planned {
        Ok(planned) => planned,
        Err(error) => {
            release_at_exit(previous);
            return Err(error.into());
        }
    };
    report.warnings.extend(inventory_warnings.iter().cloned());
    if options.list_changes {
        session.page_urls.remember(&site, &plan);
    }
    if options.fail_fast && !report.errors.is_empty() {
        release_at_exit(previous);
        return Ok(finish(report, started));
    }

    report.warnings.extend(cache.unusable_warning());
    report.warnings.extend(shared_unusable);
    report.warnings.extend(previous_warnings);
    let build = Build {
        options,
        site: &site,
        plan: &plan,
        out_dir: &out_dir,
        signature,
        api: &inventory,
        pack_results: false,
    };
    let Freshness {
        fingerprints,
        nav_slices,
        mut cached,
        mut stale,
    } = find_stale(&build, &cache, &previous, &mut phases);
    let mut shared_hits = match &shared {
        Some(shared) if options.use_cache && !stale.is_empty() => {
            let hits = fetch_shared(&build, shared, &fingerprints, &mut stale);
            phases.done("shared cache lookups");
            hits
        }
        _ => SharedHits::default(),
    };

    // Pages from the shared cache are reused like cached ones, also for the backlinks the
    // guides among them record; a module page among them whose backlinks changed is
    // rendered instead.
    let mut reusable: Vec<(usize, &CachedPage)> = cached
        .iter()
        .copied()
        .chain(
            shared_hits
                .pages
                .iter()
                .map(|(index, entry)| (*index, entry)),
        )
        .collect();
    let outcome = render_with_backlinks(&build, &mut session.pool, stale, &mut reusable);
    let still_reused: FxHashSet<usize> = reusable.iter().map(|(index, _)| *index).collect();
    drop(reusable);
    cached.retain(|(index, _)| still_reused.contains(index));
    shared_hits
        .pages
        .retain(|(index, _)| still_reused.contains(index));
    let from_shared: FxHashSet<usize> = shared_hits.pages.iter().map(|(i, _)| *i).collect();
    phases.done("render");

    let mut shared_report = shared_hits.report;
    // Those rendered after all (their backlinks changed) are not counted as taken.
    shared_report.pages = shared_hits.pages.len();
    let mut collected = collect_results(
        &build,
        &previous,
        &fingerprints,
        cached,
        outcome,
        &mut report,
    );
    file_shared(&build, shared_hits.pages, &mut collected, &mut report);
    let stopped_early = options.fail_fast && !report.errors.is_empty();
    let site_outputs = (!stopped_early).then(|| {
        phases.done("collect");
        let outputs = merge_site(&build, &cache, &collected, &mut report);
        phases.done("merge");
        outputs
    });
    if let Some(shared) = &shared {
        if !stopped_early {
            shared_report.url = shared.url().to_string();
            shared_report.uploaded =
                upload_rendered(&build, shared, &fingerprints, &collected, &from_shared);
            phases.done("shared cache uploads");
        }
        report.warnings.extend(shared.warnings());
        report.shared_cache = Some(shared_report);
    }

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
    if session.keep_last_build && !stopped_early {
        session.last_build = Some(LastBuild {
            site,
            plan,
            fingerprints,
            api: inventory,
            api_warnings: inventory_warnings,
            out_dir,
        });
        release_at_exit(previous);
    } else {
        release_at_exit((site, plan, previous, fingerprints, inventory));
    }
    Ok(finish(report, started))
}

/// The report in its final order, with the build's wall time.
pub(crate) fn finish(mut report: BuildReport, started: Instant) -> BuildReport {
    report.errors.sort();
    report.errors.dedup();
    report.warnings.sort();
    report.warnings.dedup();
    crate::diagnostics::collapse_once_per_site(&mut report.warnings);
    report.failed_pages.sort();
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    report
}

//! Step 4 of a build: the stale pages rendered by the executor the options choose (worker
//! processes are kept in the session's pool, for a dev server's next build).

use super::Build;
use crate::plan::Dispatcher;
use crate::pool::{self, ProcessPool, RenderOutcome, RenderRequest};
use crate::progress::Progress;
use protocol::{RenderPurpose, WorkerSetup};

/// What every worker of `build` starts from.
pub(crate) fn worker_setup(build: &Build<'_>) -> WorkerSetup {
    setup_for(build, RenderPurpose::Outputs)
}

/// What every worker rendering `build`'s pages for `purpose` starts from.
fn setup_for(build: &Build<'_>, purpose: RenderPurpose) -> WorkerSetup {
    let (site, plan) = (build.site, build.plan);
    WorkerSetup {
        worker_id: 0,
        site_root: site.root.display().to_string(),
        output_dir: build.out_dir.display().to_string(),
        site: plan.site.clone(),
        nav: plan.nav.clone(),
        templates: site.templates.clone(),
        api: build.api.clone(),
        purpose,
    }
}

/// Renders the plan indexes `stale` (`n_cached` pages came from the cache).
pub(crate) fn render_stale(
    build: &Build<'_>,
    pool: &mut Option<ProcessPool>,
    stale: Vec<usize>,
    n_cached: usize,
) -> RenderOutcome {
    render_for(build, pool, stale, n_cached, RenderPurpose::Outputs)
}

/// Renders the plan indexes `pages` for their mentions only ([`RenderPurpose::Mentions`]):
/// nothing is written, and each result holds the page's title and the site objects it
/// mentions.
pub(crate) fn render_mentions(
    build: &Build<'_>,
    pool: &mut Option<ProcessPool>,
    pages: Vec<usize>,
) -> RenderOutcome {
    render_for(build, pool, pages, 0, RenderPurpose::Mentions)
}

fn render_for(
    build: &Build<'_>,
    pool: &mut Option<ProcessPool>,
    stale: Vec<usize>,
    n_cached: usize,
    purpose: RenderPurpose,
) -> RenderOutcome {
    let plan = build.plan;
    let setup = setup_for(build, purpose);
    let progress = Progress::new(build.options.progress, stale.len());
    let executor = build.options.executor.resolve(stale.len());
    match purpose {
        RenderPurpose::Outputs => tracing::info!(
            "{} pages: {n_cached} cached, rendering {} with {executor:?}",
            plan.pages.len(),
            stale.len()
        ),
        RenderPurpose::Mentions => tracing::info!(
            "{} pages: reading the mentions of {} with {executor:?}",
            plan.pages.len(),
            stale.len()
        ),
    }
    let outcome = if stale.is_empty() {
        RenderOutcome::default()
    } else {
        let request = RenderRequest {
            dispatcher: Dispatcher::new(plan),
            pages: stale,
            setup,
            // A page read for its mentions fails again where it is built, which reports it.
            fail_fast: build.options.fail_fast && purpose == RenderPurpose::Outputs,
            pack_results: build.pack_results,
        };
        pool::render_keeping(executor, request, &progress, pool)
    };
    progress.finish();
    outcome
}

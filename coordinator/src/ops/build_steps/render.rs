//! Step 4 of a build: the stale pages rendered by the executor the options choose (worker
//! processes are kept in the session's pool, for a dev server's next build).

use super::Build;
use crate::plan::Dispatcher;
use crate::pool::{self, ProcessPool, RenderOutcome, RenderRequest};
use crate::progress::Progress;
use protocol::WorkerSetup;

/// What every worker of `build` starts from.
pub(crate) fn worker_setup(build: &Build<'_>) -> WorkerSetup {
    let (site, plan) = (build.site, build.plan);
    WorkerSetup {
        worker_id: 0,
        site_root: site.root.display().to_string(),
        output_dir: build.out_dir.display().to_string(),
        site: plan.site.clone(),
        nav: plan.nav.clone(),
        templates: site.templates.clone(),
        api: build.api.clone(),
    }
}

/// Renders the plan indexes `stale` (`n_cached` pages came from the cache).
pub(crate) fn render_stale(
    build: &Build<'_>,
    pool: &mut Option<ProcessPool>,
    stale: Vec<usize>,
    n_cached: usize,
) -> RenderOutcome {
    let plan = build.plan;
    let setup = worker_setup(build);
    let progress = Progress::new(build.options.progress, stale.len());
    let executor = build.options.executor.resolve(stale.len());
    tracing::info!(
        "{} pages: {n_cached} cached, rendering {} with {executor:?}",
        plan.pages.len(),
        stale.len()
    );
    let outcome = if stale.is_empty() {
        RenderOutcome::default()
    } else {
        let request = RenderRequest {
            dispatcher: Dispatcher::new(plan),
            pages: stale,
            setup,
            fail_fast: build.options.fail_fast,
        };
        pool::render_keeping(executor, request, &progress, pool)
    };
    progress.finish();
    outcome
}

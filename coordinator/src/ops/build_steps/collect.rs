//! Step 5 of a build: what the pages came to. Cached and freshly rendered pages are counted
//! into the report (per kind, per shard, the slowest few), their warnings reported, and
//! their entries put into the cache this build leaves; a page that failed keeps its last
//! good entry and outputs.

use super::Build;
use crate::cache::{CachedPage, NextCache, PreviousBuild};
use crate::diagnostics::Diagnostic;
use crate::pool::RenderOutcome;
use crate::report::{BuildReport, ShardReport};
use protocol::{ShardId, WarningKind};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// How many of the slowest pages the report lists.
const SLOWEST_PAGES: usize = 5;

/// Every page's outcome, for the merge and the cache.
pub(crate) struct Collected<'c> {
    /// The cache this build leaves; freshly rendered pages are moved in last, once the
    /// merge has read them.
    pub next_cache: NextCache<'c>,
    /// (plan index, entry) of the pages reused from the previous build.
    pub cached: Vec<(usize, &'c CachedPage)>,
    /// (plan index, entry) of the pages this build rendered.
    pub fresh: Vec<(usize, CachedPage)>,
    /// Plan indexes of the pages that failed to render.
    pub failed: Vec<usize>,
    /// Every output the previous build wrote into this output folder, with its hash.
    pub previous_outputs: FxHashMap<&'c str, u128>,
    /// Outputs this build wrote with new bytes (only with `list_changes`).
    pub changed: Vec<String>,
}

/// Counts and files every page: `cached` ones and the render `outcome`.
pub(crate) fn collect_results<'c>(
    build: &Build<'_>,
    previous: &'c PreviousBuild,
    fingerprints: &[u128],
    cached: Vec<(usize, &'c CachedPage)>,
    mut outcome: RenderOutcome,
    report: &mut BuildReport,
) -> Collected<'c> {
    let (options, site, plan) = (build.options, build.site, build.plan);
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
    for &(index, entry) in &cached {
        let planned = &plan.pages[index];
        report.cached.add(planned.kind);
        shards.add(&plan.shards[index], Counted::Cached);
        report_warnings(report, &entry.result.warnings, options.strict);
        next_cache.insert(
            plan.shards[index].clone(),
            planned.id.clone(),
            Cow::Borrowed(entry),
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
                report_warnings(report, &rendered.warnings, options.strict);
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
    report.outputs = cached
        .iter()
        .map(|(_, entry)| entry.result.outputs.len())
        .chain(fresh.iter().map(|(_, entry)| entry.result.outputs.len()))
        .sum();

    let previous_outputs = previous.outputs_in(build.out_dir);
    // What a dev server must tell open pages: outputs written with new bytes (and, once the
    // cache is written, outputs removed).
    let changed: Vec<String> = if options.list_changes {
        fresh
            .iter()
            .flat_map(|(_, entry)| entry.result.outputs.iter())
            .filter(|o| previous_outputs.get(o.path.as_str()) != Some(&o.hash))
            .map(|o| o.path.clone())
            .collect()
    } else {
        Vec::new()
    };
    Collected {
        next_cache,
        cached,
        fresh,
        failed,
        previous_outputs,
        changed,
    }
}

pub(crate) fn report_warnings(
    report: &mut BuildReport,
    warnings: &[protocol::PageWarning],
    strict: bool,
) {
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

//! Grouping pages into batches: the unit of scheduling.

use crate::discover::Site;
use crate::plan::BuildPlan;

/// Most pages in one batch: small enough that work spreads evenly at the end of a build.
const MAX_BATCH_PAGES: usize = 64;

/// Splits `pages` into batches for `workers` workers, most expensive pages first (autodoc
/// modules and large files), so the long poles start early. About eight batches per worker
/// keep every worker busy until the end without paying per-batch overhead on tiny batches.
pub fn plan_batches(
    plan: &BuildPlan,
    site: &Site,
    pages: &[usize],
    workers: usize,
) -> Vec<Vec<usize>> {
    let mut ordered: Vec<(u64, usize)> = pages
        .iter()
        .map(|&i| (plan.pages[i].cost(site), i))
        .collect();
    ordered.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let per_batch = (pages.len() / (workers.max(1) * 8)).clamp(1, MAX_BATCH_PAGES);
    ordered
        .chunks(per_batch)
        .map(|chunk| chunk.iter().map(|&(_, i)| i).collect())
        .collect()
}

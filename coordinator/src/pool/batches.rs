//! Grouping pages into batches: the unit of scheduling.

use crate::plan::Dispatcher;
use protocol::ShardId;
use std::collections::BTreeMap;

/// Most pages in one batch: small enough that work spreads evenly at the end of a build.
const MAX_BATCH_PAGES: usize = 64;

/// Splits `pages` into batches for `workers` workers. A batch holds pages of one shard
/// only; within a shard the most expensive pages (autodoc modules, large files) come first,
/// and batches are ordered by their most expensive page, so the long poles start early.
/// About eight batches per worker keep every worker busy until the end without paying
/// per-batch overhead on tiny batches.
pub fn plan_batches(
    dispatcher: &Dispatcher<'_>,
    pages: &[usize],
    workers: usize,
) -> Vec<Vec<usize>> {
    let per_batch = (pages.len() / (workers.max(1) * 8)).clamp(1, MAX_BATCH_PAGES);
    let mut by_shard: BTreeMap<&ShardId, Vec<(u64, usize)>> = BTreeMap::new();
    for &index in pages {
        by_shard
            .entry(dispatcher.shard(index))
            .or_default()
            .push((dispatcher.cost(index), index));
    }
    let mut batches: Vec<(u64, Vec<usize>)> = Vec::new();
    for mut shard_pages in by_shard.into_values() {
        shard_pages.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for chunk in shard_pages.chunks(per_batch) {
            batches.push((chunk[0].0, chunk.iter().map(|&(_, i)| i).collect()));
        }
    }
    batches.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    batches.into_iter().map(|(_, batch)| batch).collect()
}

//! The shared cache's *mentions* entries, which spare a part build with Python module pages
//! the render of every other part's guide.
//!
//! A module page's "Referenced by" list comes from the names every guide of the site
//! mentions (`backlinks`), so a part holding module pages needs the mentions of the other
//! parts' guides too, and renders them for that alone when it has nothing better. With a
//! shared cache, each part uploads, beside every piece it uploads (`shared_cache`), a
//! mentions entry: the piece's guides with their title and link dependencies only, no
//! outputs (a few kilobytes where the piece is megabytes). Its key is the fingerprint of
//! exactly those guides under the shard id `<shard>#mentions`, so it is never taken for a
//! piece. A part holding module pages looks up the mentions entries of the other parts'
//! pieces (the assignment depends on the plan alone, so it knows them); a guide found there
//! is held to the rules of any shared page (`check_inputs_fresh`: same fingerprint, its
//! links and API references resolve alike here) and counts for the backlinks as if
//! rendered; the guides not found are rendered as without a store.

use super::Build;
use super::collect::Collected;
use super::shared_cache::{Pieces, fingerprint_of, pieces_of};
use crate::cache::remote::{self, ShardFingerprint, SharedCache};
use crate::cache::{ApiCheck, CachedPage, check_inputs_fresh};
use crate::parts::PartOf;
use crate::parts::assign::assign_parts;
use crate::plan::PageSource;
use protocol::{PageId, RenderedPage, ShardId};
use rustc_hash::FxHashSet;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The shard id a mentions entry of `shard`'s guides is keyed and stored under.
fn mentions_shard(shard: &ShardId) -> ShardId {
    ShardId(format!("{shard}#mentions"))
}

fn is_guide(build: &Build<'_>, index: usize) -> bool {
    matches!(build.plan.pages[index].source, PageSource::Markdown(_))
}

/// The guides of each piece of `by_shard`, keyed as a mentions entry (pieces without a
/// guide left out).
fn mentions_keys(
    build: &Build<'_>,
    fingerprints: &[u128],
    by_shard: &Pieces<'_>,
) -> Vec<(ShardFingerprint, ShardId, Vec<usize>)> {
    by_shard
        .iter()
        .filter_map(|(shard, indexes)| {
            let guides: Vec<usize> = indexes
                .iter()
                .copied()
                .filter(|&index| is_guide(build, index))
                .collect();
            if guides.is_empty() {
                return None;
            }
            let shard = mentions_shard(shard);
            Some((
                fingerprint_of(build, &shard, &guides, fingerprints),
                shard,
                guides,
            ))
        })
        .collect()
}

/// The guides of the parts other than `part`, with what they mention, from the mentions
/// entries the store holds for them; only those that fit this build.
pub(crate) fn fetch_other_mentions(
    build: &Build<'_>,
    shared: &SharedCache,
    fingerprints: &[u128],
    part: PartOf,
) -> Vec<(usize, CachedPage)> {
    let plan = build.plan;
    let costs: Vec<u64> = plan.pages.iter().map(|page| page.cost()).collect();
    let assigned = assign_parts(&plan.shards, &costs, part.of);
    // The pieces of every other part: (part, shard) → its pages.
    let mut others: BTreeMap<(u32, &ShardId), Vec<usize>> = BTreeMap::new();
    for (index, &in_part) in assigned.iter().enumerate() {
        if in_part + 1 != part.number && is_guide(build, index) {
            others
                .entry((in_part, &plan.shards[index]))
                .or_default()
                .push(index);
        }
    }
    let wanted: Vec<(ShardFingerprint, ShardId, Vec<usize>)> = others
        .into_iter()
        .flat_map(|((_, shard), indexes)| {
            let piece: Pieces<'_> = BTreeMap::from([(shard, indexes)]);
            mentions_keys(build, fingerprints, &piece)
        })
        .collect();
    let requests: Vec<(ShardFingerprint, ShardId)> = wanted
        .iter()
        .map(|(key, shard, _)| (*key, shard.clone()))
        .collect();
    let api = ApiCheck::recheck(build.api);
    let found: Mutex<Vec<(usize, CachedPage)>> = Mutex::new(Vec::new());
    shared.fetch_each(&requests, |i, entry| {
        let mut by_id: BTreeMap<&PageId, &CachedPage> = BTreeMap::new();
        for (id, page, _) in entry.pages() {
            by_id.insert(id, page);
        }
        let mut fit = Vec::new();
        for &index in &wanted[i].2 {
            let planned = &plan.pages[index];
            let Some(page) = by_id.get(&planned.id) else {
                continue;
            };
            match check_inputs_fresh(
                page,
                fingerprints[index],
                plan,
                planned.meta.version,
                &build.site.root,
                &api,
            ) {
                Ok(()) => fit.push((index, (*page).clone())),
                Err(reason) => {
                    tracing::debug!("{}: shared mentions not used ({reason:?})", planned.id)
                }
            }
        }
        if let Ok(mut found) = found.lock() {
            found.extend(fit);
        }
    });
    let mut found = found.into_inner().unwrap_or_default();
    found.sort_unstable_by_key(|(index, _)| *index);
    tracing::info!(
        "shared cache {}: the mentions of {} of the other parts' guides found",
        shared.url(),
        found.len()
    );
    found
}

/// Uploads the mentions entry of every piece of the part's `pages` that holds a guide this
/// build rendered (none with a page that failed). Returns how many were stored.
pub(crate) fn upload_mentions(
    build: &Build<'_>,
    shared: &SharedCache,
    fingerprints: &[u128],
    pages: &[usize],
    collected: &Collected<'_>,
    from_shared: &FxHashSet<usize>,
) -> usize {
    let failed: FxHashSet<usize> = collected.failed.iter().copied().collect();
    let entries: BTreeMap<usize, &CachedPage> = collected
        .fresh
        .iter()
        .map(|(index, entry)| (*index, entry))
        .collect();
    let keys: Vec<(ShardFingerprint, ShardId, Vec<usize>)> = mentions_keys(
        build,
        fingerprints,
        &pieces_of(build, pages.iter().copied()),
    )
    .into_iter()
    .filter(|(_, _, guides)| {
        guides.iter().any(|index| !from_shared.contains(index))
            && guides.iter().all(|index| !failed.contains(index))
    })
    .collect();
    shared.upload_each(keys.len(), |i| {
        let (key, shard, guides) = &keys[i];
        let mentions: Vec<CachedPage> = guides
            .iter()
            .map(|index| {
                let entry = entries.get(index)?;
                Some(CachedPage {
                    fingerprint: entry.fingerprint,
                    result: RenderedPage {
                        title: entry.result.title.clone(),
                        link_deps: entry.result.link_deps.clone(),
                        ..RenderedPage::default()
                    },
                })
            })
            .collect::<Option<_>>()?;
        let pages: Vec<(&PageId, &CachedPage)> = guides
            .iter()
            .zip(&mentions)
            .map(|(&index, page)| (&build.plan.pages[index].id, page))
            .collect();
        Some((*key, remote::encode(key, shard, &pages, &[])))
    })
}

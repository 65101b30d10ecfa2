//! The shared shard cache's moments in a build (`cache::remote`), when one is set:
//! [`open_shared`] with the inputs; [`fetch_shared`] between `find_stale` and
//! `render_stale` looks up every shard with a stale page and writes the pages it gets from
//! there; [`file_shared`] files them with the collected results (as cached pages);
//! [`upload_rendered`] after the merge uploads every shard this build rendered pages of,
//! whole.
//!
//! A part build (`build --shard K/N`) uses the same moments through [`fetch_part`] and
//! [`upload_part`], with one difference: its entries are *pieces*, the part's pages of a
//! plan shard (`parts::assign` keeps a shard in one part unless a cut falls inside it, so
//! a piece is the whole shard but for at most two shards per part). An entry's key is the
//! [`ShardFingerprint`] of exactly the pages it holds, so a piece of a cut shard has a key
//! of its own: it never poses as the whole shard, a lookup of the whole shard never finds
//! it, and every run of the same part (same inputs, same N) finds the pieces the last one
//! uploaded, cut shards included. A piece that is a whole shard has the whole shard's key.
//! A part's pages carry the plan stamp's fingerprints (`parts::stamp`, which hash the nav
//! tree rather than each page's nav slice), so parts share entries with parts (of any N,
//! for the shards no cut falls in), not with one-machine builds.

use super::Build;
use super::collect::{Collected, report_warnings};
use crate::cache::remote::{self, ShardFingerprint, SharedCache};
use crate::cache::{CachedPage, check_inputs_fresh};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::ops::build_options::{BuildOptions, SharedCacheUse};
use crate::report::{BuildReport, ShardReport, SharedCacheReport};
use protocol::{PageId, ShardId, content_hash};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The pages the shared cache gave this build.
#[derive(Default)]
pub(crate) struct SharedHits {
    /// (plan index, entry, outputs written) of each page taken from the shared cache.
    pub pages: Vec<(usize, CachedPage)>,
    /// What the report says of it.
    pub report: SharedCacheReport,
}

/// The shared cache the build uses, if any; a warning when one was asked for and cannot be
/// opened (the build goes on without it).
pub(crate) fn open_shared(
    options: &BuildOptions,
    config: &Config,
) -> (Option<SharedCache>, Option<Diagnostic>) {
    let url = match &options.shared_cache {
        SharedCacheUse::Url(url) => Some(url),
        SharedCacheUse::FromConfig => config.build.cache_url.as_ref(),
        SharedCacheUse::Off => None,
    };
    match url.map(SharedCache::open) {
        Some(Ok(shared)) => (Some(shared), None),
        Some(Err(why)) => (
            None,
            Some(
                Diagnostic::in_file(
                    remote::WARNING_FILE,
                    format!("cannot open the shared cache: {why}"),
                )
                .with_hint("the build goes on without it; for s3:// check the AWS_* variables (region, endpoint, credentials)"),
            ),
        ),
        None => (None, None),
    }
}

/// Files the pages taken from the shared cache with the collected results: counted as
/// cached (per kind and per shard), their warnings reported, their entries filed with
/// the fresh ones (their outputs were written by this build).
pub(crate) fn file_shared(
    build: &Build<'_>,
    pages: Vec<(usize, CachedPage)>,
    collected: &mut Collected<'_>,
    report: &mut BuildReport,
) {
    let plan = build.plan;
    for (index, entry) in pages {
        report.cached.add(plan.pages[index].kind);
        let shard = &plan.shards[index].0;
        let at = match report.shards.binary_search_by(|s| s.id.as_str().cmp(shard)) {
            Ok(at) => at,
            Err(at) => {
                report.shards.insert(
                    at,
                    ShardReport {
                        id: shard.clone(),
                        ..ShardReport::default()
                    },
                );
                at
            }
        };
        report.shards[at].pages += 1;
        report.shards[at].cached += 1;
        report.outputs += entry.result.outputs.len();
        report_warnings(report, &entry.result.warnings, build.options.strict);
        collected.fresh.push((index, entry));
    }
    collected.fresh.sort_unstable_by_key(|(index, _)| *index);
}

/// The pages each entry holds, by plan shard (plan indexes, increasing): every page of the
/// shard for a one-machine build, the part's pages of it for a part build.
pub(super) type Pieces<'b> = BTreeMap<&'b ShardId, Vec<usize>>;

/// Plan indexes of every page of every shard, by shard.
fn pages_by_shard<'b>(build: &Build<'b>) -> Pieces<'b> {
    pieces_of(build, 0..build.plan.pages.len())
}

/// `pages` (plan indexes, increasing) by plan shard.
pub(super) fn pieces_of<'b>(
    build: &Build<'b>,
    pages: impl IntoIterator<Item = usize>,
) -> Pieces<'b> {
    let mut by_shard: Pieces<'b> = BTreeMap::new();
    for index in pages {
        by_shard
            .entry(&build.plan.shards[index])
            .or_default()
            .push(index);
    }
    by_shard
}

pub(super) fn fingerprint_of(
    build: &Build<'_>,
    shard: &ShardId,
    indexes: &[usize],
    fingerprints: &[u128],
) -> ShardFingerprint {
    let mut pages: Vec<(&PageId, u128)> = indexes
        .iter()
        .map(|&index| (&build.plan.pages[index].id, fingerprints[index]))
        .collect();
    ShardFingerprint::of(shard, &mut pages)
}

/// Looks up the shards of the `stale` pages; the pages an entry holds that fit this build
/// are written into the output folder and taken out of `stale`.
pub(crate) fn fetch_shared(
    build: &Build<'_>,
    shared: &SharedCache,
    fingerprints: &[u128],
    stale: &mut Vec<usize>,
) -> SharedHits {
    fetch_pieces(build, shared, fingerprints, &pages_by_shard(build), stale)
}

/// A part build's [`fetch_shared`]: looks up the pieces (see the module docs) of `pages`,
/// the part's pages; those the store gives are written into the part's output folder and
/// taken out of `pages`.
pub(crate) fn fetch_part(
    build: &Build<'_>,
    shared: &SharedCache,
    fingerprints: &[u128],
    pages: &mut Vec<usize>,
) -> SharedHits {
    let pieces = pieces_of(build, pages.iter().copied());
    fetch_pieces(build, shared, fingerprints, &pieces, pages)
}

/// [`fetch_shared`] with the entries' pages given by `by_shard`; `stale` holds only pages
/// of `by_shard`.
fn fetch_pieces(
    build: &Build<'_>,
    shared: &SharedCache,
    fingerprints: &[u128],
    by_shard: &Pieces<'_>,
    stale: &mut Vec<usize>,
) -> SharedHits {
    let mut stale_by_shard: BTreeMap<&ShardId, Vec<usize>> = BTreeMap::new();
    for &index in stale.iter() {
        stale_by_shard
            .entry(&build.plan.shards[index])
            .or_default()
            .push(index);
    }
    let wanted: Vec<(ShardFingerprint, ShardId, &Vec<usize>)> = stale_by_shard
        .iter()
        .map(|(&shard, stale_pages)| {
            let all = by_shard.get(shard).map_or(&[][..], Vec::as_slice);
            (
                fingerprint_of(build, shard, all, fingerprints),
                shard.clone(),
                stale_pages,
            )
        })
        .collect();
    let requests: Vec<(ShardFingerprint, ShardId)> = wanted
        .iter()
        .map(|(fingerprint, shard, _)| (*fingerprint, shard.clone()))
        .collect();
    // Entries rendered elsewhere: every API reference is resolved again.
    let api = crate::cache::ApiCheck::recheck(build.api);
    let taken: Mutex<Vec<(usize, CachedPage)>> = Mutex::new(Vec::new());
    let shards_found = std::sync::atomic::AtomicUsize::new(0);
    shared.fetch_each(&requests, |i, entry| {
        let in_entry: FxHashMap<&PageId, (&CachedPage, Vec<&[u8]>)> = entry
            .pages()
            .map(|(id, page, outputs)| (id, (page, outputs)))
            .collect();
        let mut pages = Vec::new();
        for &index in wanted[i].2 {
            let planned = &build.plan.pages[index];
            let Some((page, outputs)) = in_entry.get(&planned.id) else {
                continue;
            };
            if let Err(reason) = check_inputs_fresh(
                page,
                fingerprints[index],
                build.plan,
                planned.meta.version,
                &build.site.root,
                &api,
            ) {
                tracing::debug!("{}: shared entry not used ({reason:?})", planned.id);
                continue;
            }
            match write_outputs(build, page, outputs) {
                Ok(written) => pages.push((index, written)),
                Err(e) => tracing::warn!("{}: cannot write from the shared cache: {e}", planned.id),
            }
        }
        if !pages.is_empty() {
            shards_found.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if let Ok(mut taken) = taken.lock() {
                taken.extend(pages);
            }
        }
    });
    let mut pages = taken.into_inner().unwrap_or_default();
    pages.sort_unstable_by_key(|(index, _)| *index);
    let hit: FxHashSet<usize> = pages.iter().map(|(index, _)| *index).collect();
    stale.retain(|index| !hit.contains(index));
    tracing::info!(
        "shared cache {}: {} of {} shards found, {} pages taken",
        shared.url(),
        shards_found.load(std::sync::atomic::Ordering::Relaxed),
        requests.len(),
        pages.len()
    );
    SharedHits {
        report: SharedCacheReport {
            url: shared.url().to_string(),
            looked_up: requests.len(),
            found: shards_found.into_inner(),
            pages: pages.len(),
            uploaded: 0,
        },
        pages,
    }
}

/// Writes a fetched page's outputs; returns its entry with the outputs as written here
/// (same bytes and hashes, this folder's modification times).
fn write_outputs(
    build: &Build<'_>,
    page: &CachedPage,
    outputs: &[&[u8]],
) -> std::io::Result<CachedPage> {
    let mut written = page.clone();
    for (output, bytes) in written.result.outputs.iter_mut().zip(outputs) {
        *output = worker::outputs::write_output(build.out_dir, &output.path, bytes)?;
    }
    Ok(written)
}

/// Uploads, whole, every shard this build rendered a page of (not those whose pages all
/// came from a cache, nor one with a page that failed). Returns how many were stored.
pub(crate) fn upload_rendered(
    build: &Build<'_>,
    shared: &SharedCache,
    fingerprints: &[u128],
    collected: &Collected<'_>,
    from_shared: &FxHashSet<usize>,
) -> usize {
    let by_shard = pages_by_shard(build);
    upload_pieces(
        build,
        shared,
        fingerprints,
        &by_shard,
        collected,
        from_shared,
    )
}

/// A part build's [`upload_rendered`]: uploads every piece (see the module docs) of the
/// part's `pages` it rendered a page of, whole. Returns how many were stored.
pub(crate) fn upload_part(
    build: &Build<'_>,
    shared: &SharedCache,
    fingerprints: &[u128],
    pages: &[usize],
    collected: &Collected<'_>,
    from_shared: &FxHashSet<usize>,
) -> usize {
    let pieces = pieces_of(build, pages.iter().copied());
    upload_pieces(build, shared, fingerprints, &pieces, collected, from_shared)
}

/// [`upload_rendered`] with the entries' pages given by `by_shard`.
fn upload_pieces(
    build: &Build<'_>,
    shared: &SharedCache,
    fingerprints: &[u128],
    by_shard: &Pieces<'_>,
    collected: &Collected<'_>,
    from_shared: &FxHashSet<usize>,
) -> usize {
    let plan = build.plan;
    let failed: FxHashSet<&ShardId> = collected
        .failed
        .iter()
        .map(|&index| &plan.shards[index])
        .collect();
    let rendered: FxHashSet<&ShardId> = collected
        .fresh
        .iter()
        .filter(|(index, _)| !from_shared.contains(index))
        .map(|(index, _)| &plan.shards[*index])
        .filter(|shard| !failed.contains(shard))
        .collect();
    let entries: FxHashMap<usize, &CachedPage> = collected
        .cached
        .iter()
        .map(|&(index, entry)| (index, entry))
        .chain(collected.fresh.iter().map(|(index, entry)| (*index, entry)))
        .collect();
    let uploads: Vec<(&ShardId, &Vec<usize>)> = by_shard
        .iter()
        .filter(|(shard, _)| rendered.contains(*shard))
        .map(|(shard, indexes)| (*shard, indexes))
        .collect();
    shared.upload_each(uploads.len(), |i| {
        let (shard, indexes) = uploads[i];
        let mut pages = Vec::with_capacity(indexes.len());
        let mut output_bytes = Vec::new();
        for &index in indexes {
            let entry = entries.get(&index)?;
            for output in &entry.result.outputs {
                let path = worker::outputs::output_path(build.out_dir, &output.path).ok()?;
                let bytes = std::fs::read(&path).ok()?;
                // An output changed on disk since it was recorded: do not share it.
                if content_hash(&bytes) != output.hash {
                    return None;
                }
                output_bytes.push(bytes);
            }
            pages.push((&plan.pages[index].id, *entry));
        }
        let fingerprint = fingerprint_of(build, shard, indexes, fingerprints);
        Some((
            fingerprint,
            remote::encode(&fingerprint, shard, &pages, &output_bytes),
        ))
    })
}

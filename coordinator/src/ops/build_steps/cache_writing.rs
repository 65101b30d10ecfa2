//! Step 7 of a build: leaving the output folder and the cache as the next build expects
//! them. Temporary files and outputs no page wrote any more are removed; the shard files,
//! the fast-path record and then the manifest are written, with the discovery cache and
//! nav-slice hashes beside them.

use super::Build;
use super::collect::Collected;
use crate::cache::{
    self, CACHE_DIR, CacheSession, DiscoveryCache, FastPath, NavSliceHashes, PreviousBuild,
};
use crate::diagnostics::Diagnostic;
use crate::ops::output_folder;
use crate::report::BuildReport;
use protocol::OutputFile;
use rustc_hash::FxHashSet;
use std::borrow::Cow;

/// Writes the cache this build leaves. `site_outputs` is `None` when the build stopped
/// early (`--fail-fast`) and never merged: nothing is then removed from the output folder.
pub(crate) fn write_cache(
    build: &Build<'_>,
    cache: &CacheSession,
    previous: &PreviousBuild,
    nav_slices: Option<NavSliceHashes>,
    collected: Collected<'_>,
    site_outputs: Option<Vec<OutputFile>>,
    report: &mut BuildReport,
) {
    let (plan, out_dir) = (build.plan, build.out_dir);
    let Collected {
        mut next_cache,
        fresh,
        previous_outputs,
        mut changed,
        ..
    } = collected;
    for (index, entry) in fresh {
        next_cache.insert(
            plan.shards[index].clone(),
            plan.pages[index].id.clone(),
            Cow::Owned(entry),
        );
    }
    // Every page is written: what a worker killed mid-write left is garbage now.
    output_folder::remove_temp_files(out_dir);
    let merged = site_outputs.is_some();
    let site_outputs = site_outputs.unwrap_or_default();
    if merged {
        let current: FxHashSet<&str> = next_cache
            .outputs()
            .chain(site_outputs.iter().map(|o| o.path.as_str()))
            .collect();
        let removed =
            cache::remove_stale_outputs(out_dir, previous_outputs.keys().copied(), &current);
        if !removed.is_empty() {
            tracing::info!("removed {} stale output files", removed.len());
        }
        if build.options.list_changes {
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
    let Some(store) = cache.store() else {
        return;
    };
    // Written even after --fail-fast: the pages rendered so far replaced their outputs, and
    // the cache must describe what is on disk.
    let fast_path = report.errors.is_empty().then(|| {
        FastPath::record(
            build.signature,
            &next_cache,
            &site_outputs,
            report.cached_summary(),
        )
    });
    // The inventory every entry left was checked against, for the next build to trust;
    // none after errors (a failed page keeps an entry this build did not check). Cleared
    // before the manifest is replaced and set after, so an interrupted build leaves none.
    let api_digest = report
        .errors
        .is_empty()
        .then(|| cache::api_digest(build.api));
    cache.write_named(cache::API_DIGEST_FILE, &None::<u128>, "the API digest");
    let binary_record = cache.binary_record();
    // The discovery cache and the nav-slice hashes only save the next build time (a
    // failure is a log line); they are written beside the shard cache.
    let written = std::thread::scope(|scope| {
        let accelerators = scope.spawn(|| {
            if let Some(nav_slices) = &nav_slices
                && let Err(e) = nav_slices.write(store)
            {
                tracing::warn!("cannot save the nav slice hashes: {e}");
            }
            if let Err(e) = DiscoveryCache::from_site(build.site).write(store) {
                tracing::warn!("cannot save the discovery cache: {e}");
            }
        });
        let shards = next_cache.write(
            store,
            previous,
            out_dir,
            site_outputs,
            binary_record,
            fast_path,
        );
        if accelerators.join().is_err() {
            tracing::warn!("saving the discovery cache failed (a bug)");
        }
        shards
    });
    match written {
        Ok(()) if api_digest.is_some() => {
            cache.write_named(cache::API_DIGEST_FILE, &api_digest, "the API digest");
        }
        Ok(()) => {}
        Err(e) => report.warnings.push(Diagnostic::in_file(
            CACHE_DIR,
            format!("cannot write the build cache: {e}"),
        )),
    }
}

//! Step 3 of a build: which pages the previous build already rendered. Every planned page
//! is fingerprinted (on all cores, nav-slice hashes reused on an identical nav tree) and
//! checked against its cache entry: reused as it is, or rendered, with a [`StaleReason`].

use super::{Build, Phases};
use crate::cache::{
    API_DIGEST_FILE, ApiCheck, CacheSession, CachedPage, NavSliceHashes, OutputFolder,
    PreviousBuild, StaleReason, check_fresh,
};
use crate::config::Config;
use crate::discover::Site;
use crate::parallel::par_map;
use crate::plan::BuildPlan;
use crate::plan::fingerprint::{FingerprintBase, nav_slice_hash, nav_tree_hash, page_fingerprint};
use protocol::NavPosition;
use std::collections::HashMap;
use std::path::Path;

/// What the cache holds of this build, and what is left to render.
pub(crate) struct Freshness<'c> {
    /// Every planned page's fingerprint, in plan order.
    pub fingerprints: Vec<u128>,
    /// This build's nav-slice hashes, when they differ from the ones the cache holds.
    pub nav_slices: Option<NavSliceHashes>,
    /// (plan index, entry) of the pages reused from the previous build.
    pub cached: Vec<(usize, &'c CachedPage)>,
    /// Plan indexes of the pages to render.
    pub stale: Vec<usize>,
}

/// Fingerprints every planned page and sorts the pages into reused and stale.
pub(crate) fn find_stale<'c>(
    build: &Build<'_>,
    cache: &CacheSession,
    previous: &'c PreviousBuild,
    phases: &mut Phases,
) -> Freshness<'c> {
    let (site, plan) = (build.site, build.plan);
    let binary = cache.binary_identity();
    let nav_tree = nav_tree_hash(plan);
    let known_slices = cache.nav_slices();
    phases.done("read cache");
    let (fingerprints, nav_slices) =
        fingerprint_all(site, plan, binary, &known_slices.usable_on(nav_tree));
    let nav_slices = NavSliceHashes::new(nav_tree, nav_slices);
    phases.done("fingerprint");
    let mut stale = Vec::new();
    let mut cached = Vec::new();
    let api = ApiCheck::against_previous(
        build.api,
        cache.read_named::<Option<u128>>(API_DIGEST_FILE).flatten(),
    );
    for (index, entry) in classify(
        previous,
        plan,
        &fingerprints,
        build.out_dir,
        &site.root,
        &api,
    )
    .into_iter()
    .enumerate()
    {
        match entry {
            Ok(entry) => cached.push((index, entry)),
            Err(reason) => {
                tracing::debug!("{}: rendering ({reason:?})", plan.pages[index].id);
                stale.push(index);
            }
        }
    }
    // Its indexes of a large API are many small allocations: free them off this path.
    if let Some(resolver) = api.into_resolver() {
        crate::teardown::release_at_exit(resolver);
    }
    phases.done("check cached pages");
    Freshness {
        fingerprints,
        nav_slices: (nav_slices != known_slices).then_some(nav_slices),
        cached,
        stale,
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
    api: &ApiCheck<'_>,
) -> Vec<Result<&'c CachedPage, StaleReason>> {
    let outputs = OutputFolder::open(out_dir);
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
                || previous.changed_output(&page.id, &outputs),
                site_root,
                api,
            )?;
            Ok(cached)
        },
        |_| Err(StaleReason::NotCached),
    )
}

/// What every page's fingerprint starts from: the `binary`, the configuration file's bytes,
/// the site settings and the templates.
pub(crate) fn fingerprint_base(site: &Site, plan: &BuildPlan, binary: u128) -> FingerprintBase {
    let config = Config::source_file(&site.root)
        .and_then(|file| std::fs::read(file).ok())
        .unwrap_or_default();
    FingerprintBase::new(binary, &config, plan, &site.templates)
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
    let base = fingerprint_base(site, plan, binary);
    let hashed = par_map(
        plan.pages.len(),
        |index| {
            let position = plan.pages[index].nav;
            let slice = known_slices
                .get(&position)
                .copied()
                .unwrap_or_else(|| nav_slice_hash(plan, position));
            (
                page_fingerprint(&base, plan, index, slice),
                Some((position, slice)),
            )
        },
        |_| (0, None),
    );
    let (fingerprints, slices): (Vec<u128>, Vec<_>) = hashed.into_iter().unzip();
    (fingerprints, slices.into_iter().flatten().collect())
}

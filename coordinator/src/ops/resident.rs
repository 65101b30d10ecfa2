//! The dev server's resident site: what the last build planned and cached, held in memory
//! between rebuilds, so that saving a markdown file costs one page's render rather than a
//! build.
//!
//! A full build (`ops::build::build_in`, with `BuildSession::keep_last_build`) hands over
//! its [`LastBuild`]: the discovered [`Site`], the [`BuildPlan`] (nav tree, URLs, shards),
//! every page's fingerprint and the API inventory. [`ResidentSite::after_build`] adds the
//! shard cache as that build left it, decoded once. A later change set that only edits
//! the bodies of existing markdown pages is then rebuilt from memory by
//! [`ResidentSite::rebuild`]: each edited file is read again, and when its front matter
//! and title are unchanged the nav, the URLs and every other page's plan entry cannot
//! have changed, so the plan is patched in place (the page's source hash, size and body
//! position), its fingerprint recomputed, and only the stale pages rendered: the edited
//! pages, the pages that include them (`--8<--`), and any page whose cached entry does
//! not match its fingerprint (one that failed before), with a render context built once
//! (templates, nav, markdown renderer: a body edit changes none of them; worker
//! processes, when the options ask for them, keep theirs warm in the session's pool). The
//! render's outputs are announced at once (the browser reloads); then the site-wide files,
//! the link check and the cache are finished by the build's own steps (`collect_results`,
//! `merge_site`, `write_cache`), exactly as a full build would run them over the same
//! pages.
//!
//! # Invariants
//!
//! - After a resident rebuild the output folder and the cache are what `ssg-coord build`
//!   of the same sources leaves: the plan is patched only where a full plan would produce
//!   the same, and the merge and cache steps are the build's.
//! - Anything else (a new, deleted or renamed file, a front matter or title change, a
//!   template, static file, configuration or Python module change, a site whose
//!   configuration rewrites pages: MkDocs, Docusaurus, per-page overrides; `--no-cache`,
//!   `--fail-fast`) is not handled here: [`ResidentSite::edits`] answers `None` and
//!   the server runs the normal incremental build, which hands over a fresh resident site.
//! - The server is the only writer of its output folder while it runs: the outputs of
//!   cached pages are not checked on disk (a full build stats every one of them). Inputs
//!   the watcher does not see are read again only by a full build, except files included
//!   with `--8<--` from outside the pages, whose hashes every resident rebuild checks.
//! - The in-memory shard cache is what `.ssg-cache/` holds: each resident rebuild writes
//!   the cache and then takes the fresh entries in; a cache that could not be written
//!   drops the resident site.

use super::build::{BuildSession, LastBuild, finish};
use super::build_options::BuildOptions;
use super::build_steps::backlinks::render_in_two_passes;
use super::build_steps::cache_writing::write_cache;
use super::build_steps::collect::collect_results;
use super::build_steps::freshness::fingerprint_base;
use super::build_steps::inputs::{Inputs, open_inputs};
use super::build_steps::merging::merge_site;
use super::build_steps::planning::planned_report;
use super::build_steps::render::{render_stale, worker_setup};
use super::build_steps::{Build, Phases};
use crate::cache::{CACHE_DIR, CacheSession, CachedPage, PreviousBuild};
use crate::config::ConfigSource;
use crate::discover::{Site, SourcePage};
use crate::ops::BuildError;
use crate::plan::fingerprint::{FingerprintBase, nav_slice_hash, page_fingerprint};
use crate::plan::{BuildPlan, Dispatcher, PageSource};
use crate::pool::{Executor, RenderOutcome};
use crate::report::BuildReport;
use crate::serve::watch::{ChangeSet, SourceKind};
use protocol::{ApiInventory, PageId};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use worker::RenderContext;

/// The last build's site, plan and cache, kept in memory by a dev server.
pub(crate) struct ResidentSite {
    site: Site,
    plan: BuildPlan,
    api: Arc<ApiInventory>,
    api_warnings: Vec<crate::diagnostics::Diagnostic>,
    fingerprints: Vec<u128>,
    /// The shard cache as `.ssg-cache/` holds it now.
    previous: PreviousBuild,
    base: FingerprintBase,
    out_dir: PathBuf,
    /// Site-relative path of a markdown file → its index in `site.pages`.
    discovered: FxHashMap<String, usize>,
    /// Site-relative path of a markdown file → the plan indexes of its pages (one per
    /// version for a `_shared/` page).
    planned: FxHashMap<String, Vec<usize>>,
    /// The last build had no errors.
    clean: bool,
    /// The render context (templates, nav, markdown renderer) for in-process rendering,
    /// built once: what a resident rebuild changes is never part of it. `None` when the
    /// options render in worker processes.
    context: Option<RenderContext>,
}

/// At most this many stale pages are rendered with the kept context, on one thread; more
/// go to the executor the options choose.
const KEPT_CONTEXT_PAGES: usize = 16;

/// What a resident rebuild produced.
pub(crate) struct ResidentOutcome {
    /// Its report, as a full build would have made it.
    pub report: BuildReport,
    /// False when the resident site can no longer be trusted (the cache could not be
    /// written): drop it, and let the next change run a full build.
    pub still_resident: bool,
}

/// An edited markdown file, read again: which page it is and what it now says.
pub(crate) struct Edit {
    discovered: usize,
    page: SourcePage,
}

impl ResidentSite {
    /// Takes over what a full build left (`last`, written into `options`' output folder),
    /// reading the shard cache once; `clean` says it had no errors. `None` when the site
    /// cannot be rebuilt from memory (no cache, a configuration that rewrites pages,
    /// `--fail-fast`).
    pub(crate) fn after_build(
        last: LastBuild,
        options: &BuildOptions,
        clean: bool,
    ) -> Option<ResidentSite> {
        let LastBuild {
            site,
            plan,
            fingerprints,
            api,
            api_warnings,
            out_dir,
        } = last;
        if options.fail_fast {
            return None;
        }
        let config = &site.config;
        if config.source != ConfigSource::SsgToml
            || config.docusaurus.is_some()
            || !config.page_overrides.is_empty()
        {
            tracing::info!("resident rebuilds are off: the configuration rewrites pages");
            return None;
        }
        let mut cache = CacheSession::open(&site.root, options.cache_use());
        if !cache.reuses() {
            return None;
        }
        let mut warnings = Vec::new();
        let previous = cache.previous_build(&mut warnings);
        if !warnings.is_empty() {
            return None;
        }
        let base = fingerprint_base(&site, &plan, cache.binary_identity());
        let mut discovered = FxHashMap::default();
        for (index, page) in site.pages.iter().enumerate() {
            discovered.insert(page.rel_path.clone(), index);
        }
        let mut planned: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (index, page) in plan.pages.iter().enumerate() {
            if let PageSource::Markdown(source) = &page.source {
                planned
                    .entry(source.rel_path.clone())
                    .or_default()
                    .push(index);
            }
        }
        let resident = ResidentSite {
            site,
            plan,
            api,
            api_warnings,
            fingerprints,
            previous,
            base,
            out_dir,
            discovered,
            planned,
            clean,
            context: None,
        };
        // The fingerprints recomputed here must be the build's, or a resident rebuild
        // would cache entries a full build does not recognise.
        let agrees = (0..resident.plan.pages.len())
            .step_by(resident.plan.pages.len() / 16 + 1)
            .all(|index| resident.fingerprint(index) == resident.fingerprints[index]);
        if !agrees {
            tracing::warn!("resident rebuilds are off: fingerprints disagree with the build's");
            return None;
        }
        let mut resident = resident;
        if !matches!(options.executor.resolve(1), Executor::Processes(_)) {
            let build = resident.build_of(options, 0);
            resident.context = Some(RenderContext::new(worker_setup(&build)));
        }
        Some(resident)
    }

    /// The build step input of a rebuild with input `signature`.
    fn build_of<'b>(&'b self, options: &'b BuildOptions, signature: u128) -> Build<'b> {
        Build {
            options,
            site: &self.site,
            plan: &self.plan,
            out_dir: &self.out_dir,
            signature,
            api: &self.api,
            pack_results: false,
        }
    }

    fn fingerprint(&self, index: usize) -> u128 {
        let slice = nav_slice_hash(&self.plan, self.plan.pages[index].nav);
        page_fingerprint(&self.base, &self.plan, index, slice)
    }

    /// The edits `changes` make, when they are all body edits of existing markdown pages
    /// (front matter and title unchanged, the file still readable); `None` when a full
    /// build must handle them.
    pub(crate) fn edits(&self, changes: &ChangeSet) -> Option<Vec<Edit>> {
        if changes.is_empty() {
            return None;
        }
        let mut edits = Vec::with_capacity(changes.changes().len());
        for change in changes.changes() {
            if change.kind != SourceKind::Content {
                return None;
            }
            let rel_path = site_relative(&self.site.root, &change.path)?;
            let &discovered = self.discovered.get(&rel_path)?;
            let before = &self.site.pages[discovered];
            let page = match self.site.reread_page(discovered) {
                Ok(page) => page,
                Err(error) => {
                    tracing::debug!("{rel_path}: full rebuild: {}", error.message);
                    return None;
                }
            };
            if page.front_matter != before.front_matter
                || page.heading_title != before.heading_title
            {
                tracing::debug!("{rel_path}: full rebuild: its front matter or title changed");
                return None;
            }
            edits.push(Edit { discovered, page });
        }
        Some(edits)
    }

    /// Rebuilds after `edits` (from [`ResidentSite::edits`]): patches the plan, renders the
    /// stale pages, calls `pages_written` with their changed outputs as soon as they are
    /// on disk (only when every one rendered), then finishes the site-wide files and the
    /// cache.
    pub(crate) fn rebuild(
        &mut self,
        options: &BuildOptions,
        session: &mut BuildSession,
        edits: Vec<Edit>,
        pages_written: &mut dyn FnMut(&[String]),
    ) -> Result<ResidentOutcome, BuildError> {
        let started = Instant::now();
        let mut phases = Phases::new();
        let mut stale: FxHashSet<usize> = FxHashSet::default();
        let mut edited_paths: FxHashSet<String> = FxHashSet::default();
        for Edit { discovered, page } in edits {
            for &index in self.planned.get(&page.rel_path).into_iter().flatten() {
                if let PageSource::Markdown(source) = &mut self.plan.pages[index].source {
                    source.hash = page.hash;
                    source.len = page.len;
                    source.body_offset = page.body_offset as u64;
                    source.body_first_line = page.body_first_line;
                }
                stale.insert(index);
            }
            edited_paths.insert(page.rel_path.clone());
            self.site.pages[discovered] = page;
        }
        for &index in &stale {
            self.fingerprints[index] = self.fingerprint(index);
        }
        // Pages that include an edited file (or a file outside the pages that changed), and
        // pages whose cached entry is not for their fingerprint (they failed last time): a
        // full build renders these too.
        let mut included = IncludedFiles::default();
        let mut cached: Vec<(usize, &CachedPage)> = Vec::with_capacity(self.plan.pages.len());
        for (index, page) in self.plan.pages.iter().enumerate() {
            if stale.contains(&index) {
                continue;
            }
            match self.previous.get(&page.id) {
                Some(entry)
                    if entry.fingerprint == self.fingerprints[index]
                        && entry.result.link_deps.iter().all(|dep| {
                            dep.included_path().is_none_or(|path| {
                                !edited_paths.contains(path)
                                    && (self.discovered.contains_key(path)
                                        || included.unchanged(
                                            &self.site.root,
                                            path,
                                            dep.url.as_deref(),
                                        ))
                            })
                        }) =>
                {
                    cached.push((index, entry));
                }
                _ => {
                    stale.insert(index);
                }
            }
        }
        let mut stale: Vec<usize> = stale.into_iter().collect();
        stale.sort_unstable();
        phases.done("resident plan");

        let rendering = self.build_of(options, 0);
        // Guides first, then the API pages whose "Referenced by" lists changed, as a build
        // renders them (`build_steps::backlinks`).
        let context = self.context.as_ref();
        let plan = &self.plan;
        let outcome = render_in_two_passes(
            &rendering,
            &mut session.pool,
            stale,
            &mut cached,
            |pool, pages, cached_count| {
                let kept = context
                    .filter(|_| pages.len() <= KEPT_CONTEXT_PAGES)
                    .and_then(|context| render_kept(context, plan, &pages));
                match kept {
                    Some(outcome) => outcome,
                    None => render_stale(&rendering, pool, pages, cached_count),
                }
                .into()
            },
        );
        phases.done("render");
        let all_rendered = outcome.results.iter().all(|(_, r)| r.outcome.is_ok());
        // An open page shows the last build's errors: announcing before the new ones are
        // known would clear them for a moment.
        if all_rendered && self.clean {
            let written = changed_outputs(&self.previous, &self.plan, &outcome);
            pages_written(&written);
        }

        // The rest is the build's own steps, over every page, as a full build runs them.
        let Inputs {
            signature, cache, ..
        } = open_inputs(options)?;
        let build = Build {
            signature,
            ..rendering
        };
        let mut report = planned_report(&self.site, &self.plan, &self.out_dir);
        report.warnings.extend(self.api_warnings.iter().cloned());
        let collected = collect_results(
            &build,
            &self.previous,
            &self.fingerprints,
            cached,
            outcome,
            &mut report,
        );
        phases.done("collect");
        let fresh: Vec<(PageId, CachedPage)> = collected
            .fresh
            .iter()
            .map(|(index, entry)| (self.plan.pages[*index].id.clone(), entry.clone()))
            .collect();
        let site_outputs = merge_site(&build, &cache, &collected, &mut report);
        phases.done("merge");
        let warnings_before = report.warnings.len();
        write_cache(
            &build,
            &cache,
            &self.previous,
            None,
            collected,
            Some(site_outputs),
            &mut report,
        );
        phases.done("write cache");
        let cache_written = !report.warnings[warnings_before..]
            .iter()
            .any(|warning| warning.file.as_deref() == Some(CACHE_DIR));
        let kept = cache_written
            && cache
                .store()
                .is_some_and(|store| self.previous.absorb(fresh, store));
        let report = finish(report, started);
        self.clean = report.errors.is_empty();
        Ok(ResidentOutcome {
            report,
            still_resident: kept,
        })
    }
}

/// Renders the plan indexes `stale` with the kept `context`, one after the other on a
/// thread with a render thread's stack; `None` when no thread could be started.
fn render_kept(
    context: &RenderContext,
    plan: &BuildPlan,
    stale: &[usize],
) -> Option<RenderOutcome> {
    let dispatcher = Dispatcher::new(plan);
    let results = std::thread::scope(|scope| {
        let render = || {
            stale
                .iter()
                .map(|&index| {
                    (
                        index,
                        worker::render_one(context, &dispatcher.page_data(index)),
                    )
                })
                .collect::<Vec<_>>()
        };
        let thread = std::thread::Builder::new()
            .name("render-resident".into())
            .stack_size(worker::RENDER_STACK_BYTES)
            .spawn_scoped(scope, render);
        match thread {
            Ok(thread) => thread.join().ok(),
            Err(e) => {
                tracing::warn!("cannot start a render thread: {e}");
                None
            }
        }
    })?;
    Some(RenderOutcome {
        results,
        workers: 1,
        ..RenderOutcome::default()
    })
}

/// The outputs of the freshly rendered pages that are new or have new bytes.
fn changed_outputs(
    previous: &PreviousBuild,
    plan: &BuildPlan,
    outcome: &RenderOutcome,
) -> Vec<String> {
    let mut changed = Vec::new();
    for (index, result) in &outcome.results {
        let Ok(rendered) = &result.outcome else {
            continue;
        };
        let before: FxHashMap<&str, u128> = previous
            .get(&plan.pages[*index].id)
            .map(|entry| {
                entry
                    .result
                    .outputs
                    .iter()
                    .map(|o| (o.path.as_str(), o.hash))
                    .collect()
            })
            .unwrap_or_default();
        changed.extend(
            rendered
                .outputs
                .iter()
                .filter(|o| before.get(o.path.as_str()) != Some(&o.hash))
                .map(|o| o.path.clone()),
        );
    }
    changed.sort();
    changed.dedup();
    changed
}

/// The hashes of included files that are not pages (a page's changes come from the
/// watcher), read once per rebuild.
#[derive(Default)]
struct IncludedFiles {
    hashes: FxHashMap<String, Option<String>>,
}

impl IncludedFiles {
    /// True when the file at site-relative `path` still has the hash `recorded` (as a
    /// page's link dependency records it).
    fn unchanged(&mut self, root: &Path, path: &str, recorded: Option<&str>) -> bool {
        let current = self.hashes.entry(path.to_string()).or_insert_with(|| {
            std::fs::read(root.join(path))
                .ok()
                .map(|bytes| format!("{:032x}", protocol::content_hash(&bytes)))
        });
        current.as_deref() == recorded
    }
}

/// `path` relative to the site root, `/`-separated, as discovery names files.
fn site_relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

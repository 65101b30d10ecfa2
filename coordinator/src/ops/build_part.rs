//! `ssg-coord build SITE --shard K/N --emit DIR`: one part of a distributed build. The
//! whole site is planned as usual (the plan is deterministic, so every machine has the same
//! one), part K's pages are picked (`parts::assign`), rendered by the usual steps, and DIR
//! gets their output files under `outputs/` and the part's manifest (`parts::manifest`);
//! with `--emit DIR.tar.zst` the same is packed into one archive.
//!
//! A part build neither reads nor writes the site's `.ssg-cache/`: it renders its pages in
//! full, as a fresh CI machine would, and leaves the site folder as it found it. With a
//! shared shard cache (`--cache-url`, `[build] cache_url`) it looks its pages up there
//! first and uploads what it rendered (`build_steps::shared_cache::fetch_part`).

use super::BuildError;
use super::build::finish;
use super::build_options::BuildOptions;
use super::build_steps::backlinks::{FirstPass, is_python_module, render_in_two_passes};
use super::build_steps::collect::collect_results;
use super::build_steps::inputs::{Inputs, open_inputs};
use super::build_steps::planning::{Known, Planned, discover_and_plan};
use super::build_steps::render::{render_mentions, render_stale};
use super::build_steps::shared_cache::{
    SharedHits, fetch_part, file_shared, open_shared, upload_part,
};
use super::build_steps::shared_mentions::{fetch_other_mentions, upload_mentions};
use super::build_steps::{Build, Phases};
use crate::cache::{CachedPage, CarriedDiscovery};
use crate::merge::search::PrecomputedParts;
use crate::merge::{MergeSite, MergedPage};
use crate::parts::archive::{is_archive, write_archive};
use crate::parts::assign::pages_of;
use crate::parts::manifest::{
    FailedPage, MANIFEST_FILE, OUTPUTS_DIR, PartManifest, PartPage, search_group,
};
use crate::parts::stamp::{PlanSettings, inventory_hash};
use crate::parts::{PartOf, PlanStamp};
use crate::plan::PageSource;
use crate::pool::RenderOutcome;
use crate::report::BuildReport;
use protocol::ShardId;
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Which part to build and where it goes.
#[derive(Debug, Clone)]
pub struct PartRequest {
    /// K of N.
    pub part: PartOf,
    /// The part folder, or a `.tar.zst` archive to write.
    pub emit: PathBuf,
}

/// Builds part `request.part` of the site `options` describe into `request.emit`. Page
/// failures are in the report; only unusable input is an `Err`.
pub fn build_part(
    options: &BuildOptions,
    request: &PartRequest,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut phases = Phases::new();
    let target = EmitTarget::prepare(&request.emit)?;
    let mut options = options.clone();
    options.out_dir = Some(target.folder().join(OUTPUTS_DIR));
    // `--no-cache` still uploads to the shared cache, but takes nothing from it.
    let fetch_shared = options.use_cache;
    options.use_cache = false;
    options.write_cache = false;
    let Inputs {
        root,
        config,
        out_dir,
        signature,
        stamps,
        mut cache,
    } = open_inputs(&options)?;
    let Planned {
        mut site,
        mut plan,
        mut report,
    } = discover_and_plan(
        &options,
        root,
        config,
        Known::Cache(&cache, &stamps),
        &out_dir,
        &mut phases,
    )?;
    let no_symbols = crate::xref::KnownSymbols::for_binary(None, cache.binary_identity());
    let (inventory, inventory_warnings, _) =
        crate::xref::site_inventory(&site, &plan, None, &no_symbols, false);
    report.warnings.extend(inventory_warnings);
    let api_hash = inventory_hash(&inventory);
    let inventory = Arc::new(inventory);
    phases.done("api inventory");

    let stamp = PlanStamp::of(
        &site,
        &plan,
        PlanSettings::of(&options),
        cache.binary_identity(),
    );
    let costs: Vec<u64> = plan.pages.iter().map(|page| page.cost()).collect();
    let pages = pages_of(&plan.shards, &costs, request.part);
    tracing::info!(
        "{}: {} of {} pages",
        request.part,
        pages.len(),
        plan.pages.len()
    );
    let fingerprints = stamp.fingerprints();
    plan.drop_listings_except(&pages);
    let discovery = (request.part.number == 1).then(|| CarriedDiscovery::of(&site));
    site.release_sources();
    drop(stamps);
    // What planning and the inventory freed goes back before the workers start.
    worker::return_free_memory();
    phases.done("fingerprint and assign");

    let previous = cache.previous_build(&mut report.warnings);
    let build = Build {
        options: &options,
        site: &site,
        plan: &plan,
        out_dir: &out_dir,
        signature,
        api: &inventory,
        pack_results: true,
    };
    let (shared, shared_unusable) = open_shared(&options, &site.config);
    report.warnings.extend(shared_unusable);
    let part_pages = pages.clone();
    let mut pages = pages;
    let mut shared_hits = match &shared {
        Some(shared) if fetch_shared && !pages.is_empty() => {
            let hits = fetch_part(&build, shared, &fingerprints, &mut pages);
            phases.done("shared cache lookups");
            hits
        }
        _ => SharedHits::default(),
    };
    // Pages from the shared cache count for the backlinks like rendered ones; a module
    // page among them whose backlinks changed is rendered instead.
    // So do the other parts' guides whose mentions the store holds: they are not rendered
    // for the backlinks.
    let other_guides = match &shared {
        Some(shared) if fetch_shared && holds_module_pages(&build, part_pages.iter().copied()) => {
            let found = fetch_other_mentions(&build, shared, &fingerprints, request.part);
            phases.done("shared cache mentions");
            found
        }
        _ => Vec::new(),
    };
    let mut reusable: Vec<(usize, &CachedPage)> = shared_hits
        .pages
        .iter()
        .chain(&other_guides)
        .map(|(index, entry)| (*index, entry))
        .collect();
    let mut outcome = render_part(&build, pages, &mut reusable);
    // The workers are gone: the results come out of their packing.
    outcome.unpack().map_err(|e| {
        BuildError::Parts(format!(
            "cannot unpack the rendered pages (a bug in ssg-coord; please report it): {e}"
        ))
    })?;
    let still_reused: FxHashSet<usize> = reusable.iter().map(|(index, _)| *index).collect();
    drop(reusable);
    drop(other_guides);
    shared_hits
        .pages
        .retain(|(index, _)| still_reused.contains(index));
    phases.done("render");
    let failed: Vec<FailedPage> = outcome
        .results
        .iter()
        .filter_map(|(index, result)| {
            let error = result.outcome.as_ref().err()?;
            Some(FailedPage {
                index: *index as u32,
                error: error.clone(),
            })
        })
        .collect();
    let mut collected = collect_results(
        &build,
        &previous,
        &fingerprints,
        Vec::new(),
        outcome,
        &mut report,
    );
    let mut shared_report = shared_hits.report;
    // Those rendered after all (their backlinks changed) are not counted as taken.
    shared_report.pages = shared_hits.pages.len();
    file_shared(&build, shared_hits.pages, &mut collected, &mut report);
    if let Some(shared) = &shared {
        shared_report.url = shared.url().to_string();
        shared_report.uploaded = upload_part(
            &build,
            shared,
            &fingerprints,
            &part_pages,
            &collected,
            &still_reused,
        );
        upload_mentions(
            &build,
            shared,
            &fingerprints,
            &part_pages,
            &collected,
            &still_reused,
        );
        phases.done("shared cache uploads");
        report.warnings.extend(shared.warnings());
        report.shared_cache = Some(shared_report);
    }
    let pages: Vec<PartPage> = collected
        .fresh
        .into_iter()
        .map(|(index, entry)| PartPage {
            index: index as u32,
            id: plan.pages[index].id.clone(),
            rendered: entry.result,
        })
        .collect();
    phases.done("collect");
    let search = search_parts(&site, &plan, request.part, &pages);
    phases.done("search index parts");
    let manifest = PartManifest {
        part: request.part,
        ssg_version: env!("CARGO_PKG_VERSION").to_string(),
        stamp,
        api_hash,
        api: (request.part.number == 1).then(|| Arc::clone(&inventory)),
        discovery,
        pages,
        failed,
        search,
    };
    target.finish(&manifest)?;
    phases.done("write part");
    report.output_dir = request.emit.display().to_string();
    Ok(finish(report, started))
}

/// Renders the part's `pages` as a one-machine build renders them. A module page's
/// "Referenced by" list needs the mentions of every guide of the site, not only this
/// part's: when the part holds module pages of a site with guides, the other parts'
/// markdown pages are read for their mentions too ([`render_mentions`]: nothing written,
/// only titles and `py:` names kept); the outcome keeps this part's pages alone. `reused`:
/// the part's pages taken from the shared cache, which count for the backlinks as rendered
/// (a module page among them whose backlinks changed leaves it and is rendered), and the
/// other parts' guides whose mentions the shared cache held, which are not read again. The
/// mentions are dropped once the backlinks are collected.
fn render_part(
    build: &Build<'_>,
    pages: Vec<usize>,
    reused: &mut Vec<(usize, &CachedPage)>,
) -> RenderOutcome {
    let plan = build.plan;
    let reused_pages = reused.iter().map(|&(i, _)| i);
    if !holds_module_pages(build, pages.iter().copied().chain(reused_pages)) {
        return render_stale(build, &mut None, pages, reused.len());
    }
    let own: FxHashSet<usize> = pages
        .iter()
        .copied()
        .chain(reused.iter().map(|&(i, _)| i))
        .collect();
    let other_guides: Vec<usize> = (0..plan.pages.len())
        .filter(|i| !own.contains(i) && matches!(plan.pages[*i].source, PageSource::Markdown(_)))
        .collect();
    drop(own);
    render_in_two_passes(
        build,
        &mut None,
        pages,
        reused,
        |pool, guides, cached_count| FirstPass {
            pages: render_stale(build, pool, guides, cached_count),
            mentions: render_mentions(build, pool, other_guides),
        },
    )
}

/// The search index parts of the part's rendered `pages`, one per plan shard, named as the
/// merge groups them (`parts::manifest::search_group`). None when the site has no search
/// index.
fn search_parts(
    site: &crate::discover::Site,
    plan: &crate::plan::BuildPlan,
    part: PartOf,
    pages: &[PartPage],
) -> PrecomputedParts {
    if !site.config.outputs.search_index {
        return PrecomputedParts::default();
    }
    let groups: Vec<ShardId> = plan
        .shards
        .iter()
        .map(|shard| search_group(part.number, shard))
        .collect();
    let merge_site = MergeSite::new(site, plan, &groups);
    let merged: Vec<MergedPage<'_>> = pages
        .iter()
        .map(|page| MergedPage {
            index: page.index as usize,
            rendered: &page.rendered,
        })
        .collect();
    PrecomputedParts::compute(&crate::merge::search_site(&merge_site, &merged))
}

/// True when `pages` hold a Python module page of a site with an API: the part needs the
/// mentions of every guide of the site.
fn holds_module_pages(build: &Build<'_>, mut pages: impl Iterator<Item = usize>) -> bool {
    !build.api.modules.is_empty() && pages.any(|i| is_python_module(build.plan, i))
}

/// Where a part is written: its folder, and the archive it is then packed into.
enum EmitTarget {
    /// `--emit DIR`.
    Folder(PathBuf),
    /// `--emit DIR.tar.zst`: the part is written into a temporary folder beside it.
    Archive {
        archive: PathBuf,
        staging: tempfile::TempDir,
    },
}

impl EmitTarget {
    /// Makes `emit` ready: a new or empty folder, or a previous part (whose files are
    /// removed); an archive's folder and a temporary folder beside it.
    fn prepare(emit: &Path) -> Result<EmitTarget, BuildError> {
        let fail = |message: String| BuildError::Parts(format!("{}: {message}", emit.display()));
        if is_archive(emit) && !emit.is_dir() {
            let parent = match emit.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                _ => PathBuf::from("."),
            };
            std::fs::create_dir_all(&parent)
                .map_err(|e| fail(format!("cannot create its folder: {e}")))?;
            let staging = tempfile::Builder::new()
                .prefix(".ssg-part-")
                .tempdir_in(&parent)
                .map_err(|e| fail(format!("cannot create a temporary folder beside it: {e}")))?;
            return Ok(EmitTarget::Archive {
                archive: emit.to_path_buf(),
                staging,
            });
        }
        match std::fs::read_dir(emit) {
            Ok(entries) => {
                let names: Vec<String> = entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.file_name().to_string_lossy().into_owned())
                    .collect();
                if !names.is_empty() && !names.iter().any(|name| name == MANIFEST_FILE) {
                    let example = names.iter().min().cloned().unwrap_or_default();
                    return Err(fail(format!(
                        "refusing to emit a part into a folder that is not one: it holds \
                         `{example}` and no {MANIFEST_FILE}; choose a new or empty folder"
                    )));
                }
                // A previous part: its files go, so none of them is taken for this one's.
                for stale in [OUTPUTS_DIR, MANIFEST_FILE] {
                    let path = emit.join(stale);
                    let removed = if path.is_dir() {
                        std::fs::remove_dir_all(&path)
                    } else {
                        std::fs::remove_file(&path)
                    };
                    match removed {
                        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                            return Err(fail(format!(
                                "cannot remove the previous part's {stale}: {e}"
                            )));
                        }
                        _ => {}
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(emit).map_err(|e| fail(format!("cannot create: {e}")))?;
            }
            Err(e) => return Err(fail(format!("cannot read: {e}"))),
        }
        Ok(EmitTarget::Folder(emit.to_path_buf()))
    }

    /// The folder the part is written into.
    fn folder(&self) -> &Path {
        match self {
            EmitTarget::Folder(folder) => folder,
            EmitTarget::Archive { staging, .. } => staging.path(),
        }
    }

    /// Writes the manifest, then (for an archive) packs the folder and removes it.
    fn finish(self, manifest: &PartManifest) -> Result<(), BuildError> {
        let folder = self.folder().to_path_buf();
        crate::ops::output_folder::remove_temp_files(&folder.join(OUTPUTS_DIR));
        manifest.write_to_folder(&folder).map_err(|e| {
            BuildError::Parts(format!(
                "{}: cannot write the part manifest: {e}",
                folder.display()
            ))
        })?;
        if let EmitTarget::Archive { archive, staging } = self {
            write_archive(staging.path(), manifest, &archive)
                .map_err(|e| BuildError::Parts(format!("cannot write the part archive: {e}")))?;
            staging.close().map_err(|e| {
                BuildError::Parts(format!("cannot remove the part's temporary folder: {e}"))
            })?;
        }
        Ok(())
    }
}

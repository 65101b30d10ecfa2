//! `ssg-coord merge SITE DIR... --out OUT`: the last step of a distributed build. The
//! parts (folders or `.tar.zst` archives written by `build --shard K/N --emit`) are checked
//! to be parts 1..N of one split, each once, planned from the same sources as each other
//! and as SITE (`parts::verify`, `parts::stamp`); SITE is planned again with the options
//! the parts recorded; OUT is emptied, the parts' page files are put in it, and the one
//! merge of a build (`merge::merge`: sitemap, search index, feed, `llm-full.txt`,
//! `objects.inv`, assets, link check) runs over the parts' page results. OUT is then what
//! `ssg-coord build SITE --out OUT` writes, byte for byte. Exit codes as `build`.

use super::BuildError;
use super::build::finish;
use super::build_options::{BuildOptions, ExecutorChoice};
use super::build_steps::Phases;
use super::build_steps::planning::{Known, Planned, discover_and_plan};
use super::output_folder;
use crate::cache::{CacheSession, CacheUse};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::discover::LoadError;
use crate::merge::search::PrecomputedParts;
use crate::merge::{self, MergeSite, MergedPage};
use crate::parallel::par_map;
use crate::parts::manifest::search_group;
use crate::parts::verify::{OpenedPart, check_set};
use crate::parts::{PartSource, PlanStamp};
use crate::plan::partition::ShardStrategy;
use crate::report::BuildReport;
use protocol::{ShardId, WarningKind};
use std::path::PathBuf;
use std::time::Instant;

/// A validated `merge` invocation.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// The site folder (the same sources the parts were built from).
    pub site_dir: PathBuf,
    /// The parts: folders or `.tar.zst` archives, in any order.
    pub parts: Vec<PathBuf>,
    /// Where the site goes (emptied first when ssg-coord made it).
    pub out_dir: PathBuf,
    /// Dead links are errors.
    pub strict: bool,
    /// Merge into a non-empty folder ssg-coord did not create (its files are kept).
    pub force: bool,
}

/// Merges the parts into the site. Page failures (from the parts) and dead links are in the
/// report; parts that do not make one site, and unusable input, are an `Err`.
pub fn merge_parts(options: &MergeOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut phases = Phases::new();
    let opened = par_map(
        options.parts.len(),
        |i| {
            let source = PartSource::at(&options.parts[i]);
            source
                .read_manifest()
                .map(|manifest| OpenedPart { source, manifest })
        },
        |i| {
            Err(format!(
                "{}: reading the part failed (a bug)",
                options.parts[i].display()
            ))
        },
    )
    .into_iter()
    .collect::<Result<Vec<_>, String>>()
    .map_err(BuildError::Parts)?;
    let mut parts = check_set(opened).map_err(BuildError::Parts)?;
    // The parts' search index parts, merged and scored below instead of computed.
    let mut search_parts = PrecomputedParts::default();
    for part in &mut parts {
        search_parts.extend(std::mem::take(&mut part.manifest.search));
    }
    // What part 1's discovery parsed: each page is read and hashed below, and parsed again
    // only when its bytes differ.
    let discovered = parts[0]
        .manifest
        .discovery
        .take()
        .map(|carried| carried.decode())
        .unwrap_or_default();
    phases.done("read parts");

    let first = &parts[0].manifest;
    let mut build_options = BuildOptions {
        site_dir: options.site_dir.clone(),
        out_dir: Some(options.out_dir.clone()),
        drafts: false,
        strict: options.strict,
        fail_fast: false,
        executor: ExecutorChoice::Inline,
        progress: false,
        shards: ShardStrategy::default(),
        use_cache: false,
        force: options.force,
        list_changes: false,
        write_cache: false,
        shared_cache: super::build_options::SharedCacheUse::Off,
    };
    first.stamp.settings.apply(&mut build_options);
    let root = std::fs::canonicalize(&options.site_dir).map_err(|e| LoadError::Site {
        path: options.site_dir.display().to_string(),
        message: format!("cannot open site folder: {e}"),
    })?;
    let config = Config::load(&root).map_err(LoadError::from)?;
    // `objects.inv` depends on part 1's inventory and the site's title alone: encoded
    // (sorted and compressed, most of a second at 100,000 pages) while the site is
    // planned, which keeps one core busy, rather than beside the other site-wide files.
    let objects_inv = first.api.clone().map(|inventory| {
        let title = config.title.clone();
        std::thread::spawn(move || merge::objects_inv::encode_objects_inv(&title, &inventory))
    });
    let out_dir = output_folder::output_dir(&root, &config, Some(&options.out_dir))?;
    // A folder ssg-coord made is emptied, so nothing of an earlier site stays; a foreign
    // one is refused unless `--force` (its files are then kept, as by `build --force`).
    let owned = output_folder::ownership(&out_dir).map_err(|e| {
        BuildError::Output(format!(
            "{}: cannot read the output folder: {e}",
            out_dir.display()
        ))
    })?;
    if owned == output_folder::Ownership::Marked {
        output_folder::remove_owned(&out_dir)?;
        std::fs::create_dir_all(&out_dir).map_err(|e| {
            BuildError::Output(format!("{}: cannot create: {e}", out_dir.display()))
        })?;
    }
    output_folder::claim(&out_dir, options.force)?;
    let cache = CacheSession::open(&root, CacheUse::Off);
    let Planned {
        site,
        plan,
        mut report,
    } = discover_and_plan(
        &build_options,
        root,
        config,
        Known::Elsewhere(&discovered),
        &out_dir,
        &mut phases,
    )?;
    crate::teardown::release_at_exit(discovered);
    let site_stamp = PlanStamp::of(&site, &plan, first.stamp.settings, cache.binary_identity());
    if let Some(difference) = site_stamp.difference(&first.stamp, "part 1") {
        return Err(BuildError::Parts(format!(
            "{} was planned from different sources than {}: {difference}",
            parts[0].describe(),
            site.root.display()
        )));
    }
    let Some(inventory) = &first.api else {
        return Err(BuildError::Parts(format!(
            "{} holds no API inventory (part 1 always does): build it again",
            parts[0].describe()
        )));
    };
    phases.done("plan and compare");

    for part in &parts {
        let installed = part
            .source
            .install_outputs(&part.manifest, &out_dir)
            .map_err(|e| {
                BuildError::Parts(format!(
                    "{}: cannot put its files into {}: {e}",
                    part.describe(),
                    out_dir.display()
                ))
            })?;
        report.outputs += installed;
    }
    phases.done("install part outputs");

    // Every page's search index group, named as its part named it
    // (`parts::manifest::search_group`).
    let mut groups: Vec<ShardId> = plan.shards.clone();
    for part in &parts {
        for page in &part.manifest.pages {
            let index = page.index as usize;
            groups[index] = search_group(part.manifest.part.number, &plan.shards[index]);
        }
    }
    let mut merged: Vec<MergedPage<'_>> = Vec::with_capacity(plan.pages.len());
    let mut failed: Vec<usize> = Vec::new();
    for part in &parts {
        for page in &part.manifest.pages {
            let index = page.index as usize;
            report.rendered.add(plan.pages[index].kind);
            for warning in &page.rendered.warnings {
                if options.strict && warning.kind == WarningKind::DeadLink {
                    report.errors.push(Diagnostic::from(warning));
                } else {
                    report.warnings.push(Diagnostic::from(warning));
                }
            }
            merged.push(MergedPage {
                index,
                rendered: &page.rendered,
            });
        }
        for page in &part.manifest.failed {
            report.errors.push(Diagnostic::from(&page.error));
            report
                .failed_pages
                .push(plan.pages[page.index as usize].id.to_string());
            failed.push(page.index as usize);
        }
    }
    merged.sort_by_key(|page| page.index);
    failed.sort_unstable();
    let merge_site = MergeSite::new(&site, &plan, &groups);
    let objects_inv = objects_inv
        .and_then(|encoding| encoding.join().ok())
        .flatten();
    let reuse = merge::Reuse {
        search_parts: Some(&search_parts),
        // The output folder was emptied above (or, forced, is another tool's whose files
        // are replaced where they clash).
        fresh_output: true,
        objects_inv: objects_inv.as_deref(),
        ..merge::Reuse::default()
    };
    match merge::merge_reusing(&merge_site, &merged, &failed, &out_dir, reuse, inventory) {
        Ok(outcome) => {
            report.outputs += outcome.outputs.len();
            if options.strict {
                report.errors.extend(outcome.link_problems);
            } else {
                report.warnings.extend(outcome.link_problems);
            }
        }
        Err(e) => report.errors.push(Diagnostic {
            file: None,
            line: None,
            message: format!("writing site-wide files failed: {e}"),
            hint: Some(
                "check that the output directory is writable and the disk is not full".into(),
            ),
        }),
    }
    output_folder::remove_temp_files(&out_dir);
    phases.done("merge");
    // Every page's results, the site and its plan: hundreds of thousands of allocations at
    // 100k pages, left to the process's exit (or a thread) rather than freed one by one.
    drop((merged, merge_site));
    crate::teardown::release_at_exit((parts, search_parts, groups, site, plan));
    Ok(finish(report, started))
}

//! Merge: the site-wide artifacts, built from every page's result once all pages are
//! rendered (sitemap, search index, RSS, `llm-full.txt`, `objects.inv`), the theme assets and static files,
//! and the cross-page link check.
//!
//! Inputs are sorted by URL inside each writer, so the artifacts do not depend on the order
//! in which workers finished.

pub mod links;
pub mod llm_full;
pub mod objects_inv;
pub mod rss;
pub mod search;
pub mod sitemap;
mod xml;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::discover::{AssetFile, Site};
use crate::plan::{BuildPlan, PlannedPage};
use links::LinkTargets;
use protocol::{OutgoingLink, OutputFile, RenderedPage};
use std::io;
use std::path::Path;

/// What the merge reads of the site and its plan: no more.
pub struct MergeSite<'a> {
    /// The configuration (outputs, title, base URL).
    pub config: &'a Config,
    /// Every planned page, by plan index.
    pub planned: &'a [PlannedPage],
    /// Each planned page's shard, by plan index (the search index is merged from per-shard
    /// parts).
    pub shards: &'a [protocol::ShardId],
    /// The versions of versioned docs (empty when the site has none).
    pub versions: &'a [protocol::VersionInfo],
    /// Files copied as they are.
    pub assets: &'a [AssetFile],
}

impl<'a> MergeSite<'a> {
    /// What the merge reads of `site` planned as `plan`, each page in the search group
    /// `shards` gives it (the plan's own shards, or a part's groups of them).
    pub fn new(site: &'a Site, plan: &'a BuildPlan, shards: &'a [protocol::ShardId]) -> Self {
        MergeSite {
            config: &site.config,
            planned: &plan.pages,
            shards,
            versions: &plan.site.versions,
            assets: &site.assets,
        }
    }
}

/// A successfully rendered page, as the merge sees it.
pub struct MergedPage<'a> {
    /// Plan index.
    pub index: usize,
    /// What the worker reported.
    pub rendered: &'a RenderedPage,
}

/// What the merge wrote and found.
#[derive(Debug, Default)]
pub struct MergeOutcome {
    /// Site-wide files written (artifacts, theme assets, static files).
    pub outputs: Vec<OutputFile>,
    /// Dead links and missing anchors.
    pub link_problems: Vec<Diagnostic>,
    /// Where each page sits in `llm-full.txt`, for the next build to reuse.
    pub llm_index: Option<llm_full::LlmIndex>,
}

/// Writes the site-wide artifacts and checks links. `previous_llm` and `search_cache` are
/// what the previous build left to reuse (`llm-full.txt`'s segments, the search index's
/// per-shard parts).
pub fn merge(
    site: &MergeSite<'_>,
    pages: &[MergedPage<'_>],
    failed: &[usize],
    out_dir: &Path,
    previous_llm: Option<&llm_full::LlmIndex>,
    search_cache: Option<&search::SearchCache<'_>>,
    inventory: &protocol::ApiInventory,
) -> io::Result<MergeOutcome> {
    let reuse = Reuse {
        previous_llm,
        search_cache,
        search_parts: None,
        fresh_output: false,
        objects_inv: None,
    };
    merge_reusing(site, pages, failed, out_dir, reuse, inventory)
}

/// [`merge`], reusing what `reuse` holds.
pub fn merge_reusing(
    site: &MergeSite<'_>,
    pages: &[MergedPage<'_>],
    failed: &[usize],
    out_dir: &Path,
    reuse: Reuse<'_>,
    inventory: &protocol::ApiInventory,
) -> io::Result<MergeOutcome> {
    let search_cache = reuse.search_cache;
    let mut outcome = MergeOutcome::default();
    // The site-wide artifacts, the copies of assets and the link check over the pages do
    // not depend on each other: run them side by side.
    let (artifacts, unresolved) = std::thread::scope(|scope| -> io::Result<_> {
        let artifacts = scope.spawn(move || write_artifacts(site, pages, out_dir, reuse));
        // The search index's cache session says where the site's cache is and whether to
        // reuse it; the inventory's record sits beside it.
        let inventory_cache = search_cache.map(|cache| objects_inv::InventoryCache {
            store: cache.store,
            reuse: cache.reuse,
            binary: cache.binary,
        });
        let objects_inv = scope.spawn(move || match reuse.objects_inv {
            Some(bytes) => objects_inv::write_encoded(out_dir, bytes, reuse.fresh_output),
            None => objects_inv::write_objects_inv(
                out_dir,
                &site.config.title,
                inventory,
                inventory_cache,
            ),
        });
        let unresolved = scope.spawn(|| check_links(site.planned, pages, failed));
        copy_assets(site.assets, out_dir, &mut outcome.outputs)?;
        let artifacts = artifacts.join().unwrap_or_else(|_| {
            Err(io::Error::other(
                "writing the site-wide files failed (a bug)",
            ))
        })?;
        let unresolved = unresolved
            .join()
            .map_err(|_| io::Error::other("the link check failed (a bug)"))?;
        outcome.outputs.extend(
            objects_inv
                .join()
                .map_err(|_| io::Error::other("writing objects.inv failed (a bug)"))??,
        );
        Ok((artifacts, unresolved))
    })?;
    let (artifacts, llm_index) = artifacts;
    outcome.outputs.extend(artifacts);
    outcome.llm_index = llm_index;
    // A link the pages could not resolve may name a site-wide file (an asset, the feed).
    let mut site_files = LinkTargets::default();
    for output in &outcome.outputs {
        site_files.add_file(&output.path);
    }
    outcome.link_problems = unresolved
        .into_iter()
        .filter(|(link, _)| site_files.check(link).is_some())
        .map(|(_, problem)| problem)
        .collect();
    outcome.outputs.sort();
    Ok(outcome)
}

/// Theme assets and the site's static and content files.
fn copy_assets(
    assets: &[AssetFile],
    out_dir: &Path,
    outputs: &mut Vec<OutputFile>,
) -> io::Result<()> {
    for (path, bytes) in worker::theme_assets() {
        outputs.push(worker::outputs::write_output(out_dir, &path, &bytes)?);
    }
    for asset in assets {
        let bytes = std::fs::read(&asset.source).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot read {}: {e}", asset.source.display()),
            )
        })?;
        outputs.push(worker::outputs::write_output(
            out_dir,
            &asset.output_path,
            &bytes,
        )?);
    }
    Ok(())
}

/// The link check over every page, once every output is known.
/// The link check over every page against every page and page output: the links that do
/// not resolve there, with the problem each would be.
fn check_links<'p>(
    planned: &[PlannedPage],
    pages: &'p [MergedPage<'_>],
    failed: &[usize],
) -> Vec<(&'p OutgoingLink, Diagnostic)> {
    let mut targets = LinkTargets::default();
    for page in pages {
        targets.add_page(&planned[page.index].url, &page.rendered.anchors);
        for output in &page.rendered.outputs {
            targets.add_file(&output.path);
        }
    }
    for &index in failed {
        targets.add_page_without_anchors(&planned[index].url);
    }
    pages
        .iter()
        .flat_map(|page| {
            let source = planned[page.index].source_path();
            links::check_page(&targets, source, &page.rendered.links)
        })
        .collect()
}

/// What the site-wide writers may reuse: what the previous build left, or the search
/// index parts a distributed build's parts computed.
#[derive(Clone, Copy, Default)]
pub struct Reuse<'a> {
    /// `llm-full.txt`'s segments.
    pub previous_llm: Option<&'a llm_full::LlmIndex>,
    /// The search index's per-shard parts in the site's cache.
    pub search_cache: Option<&'a search::SearchCache<'a>>,
    /// Search index parts computed where the pages were rendered.
    pub search_parts: Option<&'a search::PrecomputedParts>,
    /// The output folder holds none of the site-wide files yet (a merge's, emptied for
    /// it): the search index's files are created in place rather than written atomically.
    pub fresh_output: bool,
    /// `objects.inv`'s bytes, encoded beforehand from the same inventory
    /// (`objects_inv::encode_objects_inv`: a merge encodes them while it plans).
    pub objects_inv: Option<&'a [u8]>,
}

/// The search index's view of `pages`: each page of `site` that is a document, grouped into
/// parts by `site.shards`.
pub fn search_site<'a>(
    site: &MergeSite<'a>,
    pages: &'a [MergedPage<'a>],
) -> search::SearchSite<'a> {
    let planned = |page: &MergedPage<'_>| &site.planned[page.index];
    search::SearchSite {
        versions: site.versions.iter().map(|v| v.label.as_str()).collect(),
        page_text: site.config.outputs.txt,
        pages: pages
            .iter()
            .filter(|p| planned(p).is_document())
            .map(|p| {
                let page = &site.planned[p.index];
                search::SearchPage {
                    url: &page.url,
                    title: &p.rendered.title,
                    kind: match page.kind {
                        protocol::PageKind::Autodoc => search::SearchKind::Api,
                        _ => search::SearchKind::of_guide(&page.url, &page.top_section),
                    },
                    section: &page.top_section,
                    version: page.meta.version,
                    summary: &p.rendered.summary,
                    headings: &p.rendered.headings,
                    anchors: &p.rendered.anchors,
                    terms: &p.rendered.search_terms,
                    shard: &site.shards[p.index].0,
                }
            })
            .collect(),
        precomputed: None,
        fresh_output: false,
    }
}

fn write_artifacts(
    site: &MergeSite<'_>,
    pages: &[MergedPage<'_>],
    out_dir: &Path,
    reuse: Reuse<'_>,
) -> io::Result<(Vec<OutputFile>, Option<llm_full::LlmIndex>)> {
    let config = site.config;
    let planned = |page: &MergedPage<'_>| &site.planned[page.index];
    let sitemap = || -> io::Result<Vec<OutputFile>> {
        if !(config.outputs.sitemap && config.outputs.html) {
            return Ok(Vec::new());
        }
        let entries: Vec<sitemap::SitemapEntry> = pages
            .iter()
            .filter(|p| planned(p).in_sitemap())
            .map(|p| sitemap::SitemapEntry {
                url: &planned(p).url,
                // The day part of the date (its first ten characters).
                lastmod: planned(p).meta.date.as_deref().map(|date| {
                    date.char_indices()
                        .nth(10)
                        .map_or(date, |(end, _)| &date[..end])
                }),
            })
            .collect();
        sitemap::write_sitemap(out_dir, &config.base_url, &entries)
    };
    let search = || -> io::Result<Vec<OutputFile>> {
        if !config.outputs.search_index {
            return Ok(Vec::new());
        }
        let site = search::SearchSite {
            precomputed: reuse.search_parts,
            fresh_output: reuse.fresh_output,
            ..search_site(site, pages)
        };
        search::write_search_index(out_dir, &site, reuse.search_cache)
    };
    let feed = || -> io::Result<Vec<OutputFile>> {
        if !config.outputs.rss {
            return Ok(Vec::new());
        }
        let items: Vec<rss::FeedItem> = pages
            .iter()
            .filter(|p| planned(p).is_markdown())
            .filter_map(|p| {
                let page = planned(p);
                Some(rss::FeedItem {
                    title: &p.rendered.title,
                    url: &page.url,
                    date: page.meta.date.as_deref()?,
                    description: &p.rendered.summary,
                })
            })
            .collect();
        let channel = rss::FeedChannel {
            title: &config.title,
            base_url: &config.base_url,
            description: config.description.as_deref(),
            language: &config.language,
        };
        Ok(vec![rss::write_rss(out_dir, &channel, &items)?])
    };
    let llm = || -> io::Result<(Vec<OutputFile>, Option<llm_full::LlmIndex>)> {
        if !(config.outputs.llm_full && config.outputs.txt) {
            return Ok((Vec::new(), None));
        }
        let llm_pages: Vec<llm_full::LlmPage> = pages
            .iter()
            .filter(|p| planned(p).is_document())
            .filter_map(|p| {
                let txt = p
                    .rendered
                    .outputs
                    .iter()
                    .find(|o| o.path.ends_with(".txt"))?;
                Some(llm_full::LlmPage {
                    title: p.rendered.title.clone(),
                    url: planned(p).url.clone(),
                    txt_path: txt.path.clone(),
                    text_hash: txt.hash,
                })
            })
            .collect();
        let (output, index) = llm_full::write_llm_full_reusing(
            out_dir,
            &config.title,
            &config.base_url,
            &llm_pages,
            reuse.previous_llm,
        )?;
        Ok((vec![output], Some(index)))
    };
    // Each file is independent of the others: write them side by side.
    std::thread::scope(|scope| {
        let failed = || Err(io::Error::other("writing a site-wide file failed (a bug)"));
        let sitemap = scope.spawn(sitemap);
        let search = scope.spawn(search);
        let feed = scope.spawn(feed);
        let (mut outputs, llm_index) = llm()?;
        for writer in [sitemap, search, feed] {
            outputs.extend(writer.join().unwrap_or_else(|_| failed())?);
        }
        Ok((outputs, llm_index))
    })
}

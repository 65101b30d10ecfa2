//! Merge: the site-wide artifacts, built from every page's result once all pages are
//! rendered (sitemap, search index, RSS, `llm-full.txt`), the theme assets and static files,
//! and the cross-page link check.
//!
//! Inputs are sorted by URL inside each writer, so the artifacts do not depend on the order
//! in which workers finished.

pub mod links;
pub mod llm_full;
pub mod rss;
pub mod search;
pub mod sitemap;
mod xml;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::discover::Site;
use crate::plan::{BuildPlan, Origin};
use links::LinkTargets;
use protocol::{OutputFile, RenderedPage};
use std::io;
use std::path::Path;

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

/// Writes the site-wide artifacts and checks links.
pub fn merge(
    site: &Site,
    plan: &BuildPlan,
    pages: &[MergedPage<'_>],
    failed: &[usize],
    out_dir: &Path,
    previous_llm: Option<&llm_full::LlmIndex>,
) -> io::Result<MergeOutcome> {
    let config = &site.config;
    let mut outcome = MergeOutcome::default();

    for (path, bytes) in worker::theme_assets() {
        outcome
            .outputs
            .push(worker::outputs::write_output(out_dir, &path, &bytes)?);
    }
    for asset in &site.assets {
        let bytes = std::fs::read(&asset.source).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot read {}: {e}", asset.source.display()),
            )
        })?;
        outcome.outputs.push(worker::outputs::write_output(
            out_dir,
            &asset.output_path,
            &bytes,
        )?);
    }
    let (artifacts, llm_index) = write_artifacts(config, plan, pages, out_dir, previous_llm)?;
    outcome.outputs.extend(artifacts);
    outcome.llm_index = llm_index;

    let mut targets = LinkTargets::default();
    for page in pages {
        targets.add_page(&plan.pages[page.index].url, &page.rendered.anchors);
        for output in &page.rendered.outputs {
            targets.add_file(&output.path);
        }
    }
    for &index in failed {
        targets.add_page_without_anchors(&plan.pages[index].url);
    }
    for output in &outcome.outputs {
        targets.add_file(&output.path);
    }
    for page in pages {
        let source = plan_source(site, plan, page.index);
        outcome
            .link_problems
            .extend(links::check_page(&targets, source, &page.rendered.links));
    }
    outcome.outputs.sort();
    Ok(outcome)
}

fn plan_source<'a>(site: &'a Site, plan: &BuildPlan, index: usize) -> Option<&'a str> {
    match plan.pages[index].origin {
        Origin::Content(i) => Some(site.pages[i].rel_path.as_str()),
        Origin::Module(i) => Some(site.modules[i].rel_path.as_str()),
        _ => None,
    }
}

fn write_artifacts(
    config: &Config,
    plan: &BuildPlan,
    pages: &[MergedPage<'_>],
    out_dir: &Path,
    previous_llm: Option<&llm_full::LlmIndex>,
) -> io::Result<(Vec<OutputFile>, Option<llm_full::LlmIndex>)> {
    let mut outputs = Vec::new();
    let mut llm_index = None;
    let planned = |page: &MergedPage<'_>| &plan.pages[page.index];

    if config.outputs.sitemap && config.outputs.html {
        let entries: Vec<sitemap::SitemapEntry> = pages
            .iter()
            .filter(|p| planned(p).in_sitemap())
            .map(|p| sitemap::SitemapEntry {
                url: planned(p).url.clone(),
                lastmod: planned(p)
                    .meta
                    .date
                    .as_ref()
                    .map(|d| d.chars().take(10).collect()),
            })
            .collect();
        outputs.extend(sitemap::write_sitemap(out_dir, &config.base_url, &entries)?);
    }
    if config.outputs.search_index {
        let entries: Vec<search::SearchEntry> = pages
            .iter()
            .filter(|p| planned(p).is_document())
            .map(|p| {
                let page = planned(p);
                search::SearchEntry {
                    title: p.rendered.title.clone(),
                    url: page.url.clone(),
                    kind: page.kind.as_str(),
                    section: page.top_section.clone(),
                    version: page
                        .meta
                        .version
                        .and_then(|v| plan.site.versions.get(v as usize))
                        .map(|v| v.label.clone()),
                    tags: page.meta.tags.clone(),
                    headings: p.rendered.headings.iter().map(|h| h.text.clone()).collect(),
                    summary: p.rendered.summary.clone(),
                }
            })
            .collect();
        outputs.push(search::write_search_index(out_dir, &entries)?);
    }
    if config.outputs.rss {
        let items: Vec<rss::FeedItem> = pages
            .iter()
            .filter(|p| matches!(planned(p).origin, Origin::Content(_)))
            .filter_map(|p| {
                let page = planned(p);
                Some(rss::FeedItem {
                    title: p.rendered.title.clone(),
                    url: page.url.clone(),
                    date: page.meta.date.clone()?,
                    description: p.rendered.summary.clone(),
                })
            })
            .collect();
        let channel = rss::FeedChannel {
            title: &config.title,
            base_url: &config.base_url,
            description: config.description.as_deref(),
            language: &config.language,
        };
        outputs.push(rss::write_rss(out_dir, &channel, &items)?);
    }
    if config.outputs.llm_full && config.outputs.txt {
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
            previous_llm,
        )?;
        outputs.push(output);
        llm_index = Some(index);
    }
    Ok((outputs, llm_index))
}

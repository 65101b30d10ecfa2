//! Planning: from a discovered [`Site`] to a [`BuildPlan`]: every page with its URL,
//! template, metadata and nav position, the nav tree, the generated pages and the failures
//! found on the way (invalid or clashing URLs).
//!
//! Planning reads front matter and paths only, never page bodies, and its output depends on
//! the inputs alone: pages are claimed in a fixed order (content by source path, then
//! modules, then generated pages), so when two pages want one URL the same one always wins.
//! The plan is built once, then only read.

mod dispatch;
pub(crate) mod fingerprint;
mod generated;
pub(crate) mod nav;
pub(crate) mod partition;
pub(crate) mod reference;
pub(crate) mod urls;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, PageFailure};
use crate::discover::{ContentRoot, Site, SourcePage};
use nav::{NavEntry, Placement};
use protocol::{
    CompactString, Listing, NavPosition, NavTree, OutputFormats, PageError, PageErrorKind, PageId,
    PageKind, PageMeta, ShardId, SiteMeta, VersionInfo,
};
use std::collections::{BTreeMap, HashMap};

pub use dispatch::Dispatcher;
pub use reference::ReferencePage;

/// What to render and how everything fits together.
#[derive(Debug)]
pub struct BuildPlan {
    /// Site-wide settings sent to workers.
    pub site: SiteMeta,
    /// The navigation tree (shared with the setups sent to workers).
    pub nav: std::sync::Arc<NavTree>,
    /// Every page to render: content pages by source path, then modules, then generated.
    pub pages: Vec<PlannedPage>,
    /// Pages that cannot be built (besides those discovery already rejected).
    pub failures: Vec<PageFailure>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// The shard of each page, in plan order.
    pub shards: Vec<ShardId>,
    /// (version, version key) → page, for the version switcher in nav slices.
    pub version_index: fingerprint::VersionIndex,
    /// The nav tree's pages by (version, site-relative source path), to check the links a
    /// page resolved: the worker's own table, of indices into `nav`.
    pub source_lookups: worker::NavLookups,
}

/// One page to render.
#[derive(Debug, Clone)]
pub struct PlannedPage {
    /// Stable id.
    pub id: PageId,
    /// Kind.
    pub kind: PageKind,
    /// URL path.
    pub url: String,
    /// Template name (inline: `page.html`, `api-module.html`).
    pub template: CompactString,
    /// Metadata sent to the worker.
    pub meta: PageMeta,
    /// Where its content comes from, decided at plan time.
    pub source: PageSource,
    /// For listing pages: what they list (shared with the `PageData` sent to workers).
    pub listing: Option<std::sync::Arc<Listing>>,
    /// Nav position.
    pub nav: NavPosition,
    /// Title of the top-level section the page is in (empty at the root), for search.
    pub top_section: CompactString,
}

/// Where a planned page's content comes from: everything later steps need of its source
/// (its path, hash and cost), so none of them looks back into the [`Site`].
#[derive(Debug, Clone)]
pub enum PageSource {
    /// A markdown file.
    Markdown(MarkdownSource),
    /// A page of a reference source (a Python module).
    Reference(ReferencePage),
    /// A listing page (section, taxonomy).
    Listing,
    /// The 404 page.
    NotFound,
    /// An alias redirecting to `to`.
    Redirect {
        /// Target URL path.
        to: String,
    },
}

/// A markdown page's source file, as discovery read it.
#[derive(Debug, Clone)]
pub struct MarkdownSource {
    /// Path relative to the site root.
    pub rel_path: String,
    /// Byte offset of the body in the decoded file.
    pub body_offset: u64,
    /// 1-based line on which the body starts.
    pub body_first_line: u32,
    /// Hash of the raw file bytes.
    pub hash: u128,
    /// Size of the file in bytes.
    pub len: u64,
    /// Its index in `Site::pages`, for planning only (aliases come from its front matter).
    discovered: usize,
}

/// The cost of a page without a source of its own (listings, redirects, the 404 page).
const GENERATED_PAGE_COST: u64 = 512;

impl PlannedPage {
    /// Relative cost, to schedule expensive pages first: source size, with reference pages
    /// weighted as their source says.
    pub fn cost(&self) -> u64 {
        match &self.source {
            PageSource::Markdown(source) => source.len,
            PageSource::Reference(reference) => reference.cost,
            _ => GENERATED_PAGE_COST,
        }
    }

    /// The source file the page comes from, relative to the site root (`None` for
    /// generated pages).
    pub fn source_path(&self) -> Option<&str> {
        match &self.source {
            PageSource::Markdown(source) => Some(&source.rel_path),
            PageSource::Reference(reference) => Some(reference.file()),
            _ => None,
        }
    }

    /// Whether the page belongs in the sitemap.
    pub fn in_sitemap(&self) -> bool {
        !matches!(
            self.source,
            PageSource::NotFound | PageSource::Redirect { .. }
        )
    }

    /// Whether the page is indexed for search and `llm-full.txt`.
    pub fn is_document(&self) -> bool {
        matches!(
            self.source,
            PageSource::Markdown(_) | PageSource::Reference(_)
        )
    }

    /// Whether the page is written in markdown (the feed lists only those).
    pub fn is_markdown(&self) -> bool {
        matches!(self.source, PageSource::Markdown(_))
    }
}

/// Options that change the plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions {
    /// How pages are grouped into shards.
    pub shards: partition::ShardStrategy,
}

/// Claims URLs in a fixed order; the first claimant of a URL keeps it.
#[derive(Default)]
struct UrlClaims {
    owners: BTreeMap<String, PageId>,
}

impl UrlClaims {
    fn claim(&mut self, url: &str, id: &PageId) -> Result<(), PageId> {
        match self.owners.get(url) {
            Some(owner) => Err(owner.clone()),
            None => {
                self.owners.insert(url.to_string(), id.clone());
                Ok(())
            }
        }
    }
}

fn url_error(file: &str, message: String, hint: &str) -> PageError {
    PageError {
        file: Some(file.to_string()),
        line: None,
        kind: PageErrorKind::Url,
        message,
        hint: Some(hint.to_string()),
    }
}

/// Site-wide settings every worker receives.
pub fn site_meta(config: &Config, content_dir: &str, versions: &[VersionInfo]) -> SiteMeta {
    let mut taxonomies = Vec::new();
    if config.taxonomies.tags {
        taxonomies.push("tags".to_string());
    }
    if config.taxonomies.categories {
        taxonomies.push("categories".to_string());
    }
    SiteMeta {
        title: config.title.clone(),
        base_url: config.base_url.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        outputs: OutputFormats {
            html: config.outputs.html,
            json: config.outputs.json,
            txt: config.outputs.txt,
        },
        taxonomies,
        versions: versions.to_vec(),
        generator: format!("ssg-coord {}", env!("CARGO_PKG_VERSION")),
        content_dir: content_dir.to_string(),
        search_index: config.outputs.search_index,
        markdown: protocol::MarkdownDialect {
            mkdocs: config.markdown.mkdocs,
            mdx: config.markdown.mdx,
            snippet_base_paths: config.markdown.snippet_base_paths.clone(),
        },
        extra_json: if config.extra.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&config.extra).unwrap_or_default()
        },
    }
}

impl BuildPlan {
    /// Drops the listings of every page but the plan indexes `kept` (sorted): a part build
    /// renders its own listing pages only, and at 100k pages the other parts' listing
    /// entries are tens of MiB. Page fingerprints (`fingerprint::page_fingerprint`) cover
    /// listings, so take them before.
    pub fn drop_listings_except(&mut self, kept: &[usize]) {
        for (index, page) in self.pages.iter_mut().enumerate() {
            if page.listing.is_some() && kept.binary_search(&index).is_err() {
                page.listing = None;
            }
        }
    }

    /// Plans the build of `site`.
    pub fn new(site: &Site, options: PlanOptions) -> BuildPlan {
        let content_dir = site.content_dir();
        let mut claims = UrlClaims::default();
        let mut failures = Vec::new();
        let mut warnings = Vec::new();
        // A page per source page (more for shared versioned pages) and per module.
        let expected = site.pages.len() + site.modules.len();
        let mut pages: Vec<PlannedPage> = Vec::with_capacity(expected);
        let mut entries: Vec<NavEntry> = Vec::with_capacity(expected);

        for (index, source) in site.pages.iter().enumerate() {
            for (id, version) in page_instances(site, source) {
                let prefix = match (&source.root, version) {
                    (ContentRoot::Main, _) | (_, None) => site.config.content_url_prefix(),
                    (_, Some(v)) => site.versions[v as usize].url_prefix.as_str(),
                };
                let url = match urls::content_url(source, site.config.build.url_style) {
                    Ok(url) => format!("{prefix}{url}"),
                    Err(message) => {
                        let error = url_error(
                            &source.rel_path,
                            message,
                            "fix `slug`/`url` in the front matter",
                        );
                        failures.push(PageFailure {
                            id,
                            kind: PageKind::Content,
                            error,
                        });
                        continue;
                    }
                };
                if let Err(owner) = claims.claim(&url, &id) {
                    let error = url_error(
                        &source.rel_path,
                        format!("url `{url}` is already used by `{owner}`"),
                        "give one of the pages another `slug` or `url`, or rename the file",
                    );
                    failures.push(PageFailure {
                        id,
                        kind: PageKind::Content,
                        error,
                    });
                    continue;
                }
                let front_matter = &source.front_matter;
                let dir = source
                    .content_path
                    .rsplit_once('/')
                    .map_or("", |(dir, _)| dir)
                    .to_string();
                let stem_title = || {
                    let stem = source
                        .content_path
                        .rsplit('/')
                        .next()
                        .unwrap_or(&source.content_path);
                    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
                    if matches!(stem, "_index" | "index") {
                        dir.rsplit('/')
                            .next()
                            .filter(|d| !d.is_empty())
                            .unwrap_or(&site.config.title)
                            .to_string()
                    } else {
                        stem.to_string()
                    }
                };
                let title = front_matter
                    .title
                    .clone()
                    .or_else(|| source.heading_title.clone())
                    .unwrap_or_else(stem_title);
                let is_index = source.is_section_index();
                let template = front_matter.template.clone().unwrap_or_else(|| {
                    if is_index {
                        "section.html"
                    } else {
                        "page.html"
                    }
                    .to_string()
                });
                let meta = PageMeta {
                    title: title.clone(),
                    description: front_matter.description.clone(),
                    date: front_matter.date.as_deref().map(CompactString::from),
                    draft: front_matter.draft,
                    weight: front_matter.weight,
                    tags: dedup_terms(&front_matter.tags),
                    categories: dedup_terms(&front_matter.categories),
                    toc: front_matter.toc.unwrap_or(true),
                    params_json: serde_json::to_string(&front_matter.params)
                        .unwrap_or_default()
                        .into(),
                    version,
                };
                let versioned = source.root != ContentRoot::Main && version.is_some();
                entries.push(NavEntry {
                    title: source.nav_title.clone().unwrap_or(title),
                    url: url.clone(),
                    source: Some(link_source(site, source, version)),
                    kind: PageKind::Content,
                    weight: front_matter.weight,
                    placement: if is_index {
                        Placement::ContentIndex { dir }
                    } else {
                        Placement::ContentPage { dir }
                    },
                    version,
                    version_key: versioned.then(|| source.content_path.clone()),
                });
                pages.push(PlannedPage {
                    id,
                    kind: PageKind::Content,
                    url,
                    template: template.into(),
                    meta,
                    source: PageSource::Markdown(MarkdownSource {
                        rel_path: source.rel_path.clone(),
                        body_offset: source.body_offset as u64,
                        body_first_line: source.body_first_line,
                        hash: source.hash,
                        len: source.len,
                        discovered: index,
                    }),
                    listing: None,
                    nav: NavPosition {
                        section: protocol::NavSectionIdx(0),
                        page: None,
                    },
                    top_section: CompactString::default(),
                });
            }
        }

        // Reference pages are not versioned: they belong to the latest version's tree.
        let latest_version = (!site.versions.is_empty()).then_some(0u16);
        for item in reference::reference_items(site) {
            if let Err(owner) = claims.claim(&item.url, &item.id) {
                let error = url_error(
                    item.page.file(),
                    format!(
                        "url `{}` of {} is already used by `{owner}`",
                        item.url, item.subject
                    ),
                    item.url_hint,
                );
                failures.push(PageFailure {
                    id: item.id,
                    kind: PageKind::Autodoc,
                    error,
                });
                continue;
            }
            entries.push(NavEntry {
                title: item.nav_title,
                url: item.url.clone(),
                source: Some(item.page.file().to_string()),
                kind: PageKind::Autodoc,
                weight: 0,
                placement: item.placement,
                version: latest_version,
                version_key: None,
            });
            pages.push(PlannedPage {
                id: item.id,
                kind: PageKind::Autodoc,
                url: item.url,
                template: item.template.into(),
                meta: PageMeta {
                    title: item.title,
                    toc: true,
                    version: latest_version,
                    ..PageMeta::default()
                },
                source: PageSource::Reference(item.page),
                listing: None,
                nav: NavPosition {
                    section: protocol::NavSectionIdx(0),
                    page: None,
                },
                top_section: CompactString::default(),
            });
        }

        let folders = site
            .folders
            .iter()
            .filter_map(|((root, dir), settings)| {
                let version = match root {
                    ContentRoot::Version(id) => Some(site.version_index(id)?),
                    _ => None,
                };
                Some(((version, dir.clone()), settings.clone()))
            })
            .collect();
        let built = nav::build(
            &site.config.title,
            site.config.content_url_prefix(),
            &site.versions,
            &entries,
            folders,
        );
        for (page, position) in pages.iter_mut().zip(&built.positions) {
            page.nav = *position;
            page.top_section = top_section_title(&built.tree, *position).into();
            if let PageSource::Reference(reference) = &mut page.source {
                reference.complete(&built.tree, position.section);
            }
        }
        let mut plan = BuildPlan {
            site: site_meta(&site.config, &content_dir, &site.versions),
            nav: std::sync::Arc::new(built.tree),
            pages,
            failures,
            warnings: Vec::new(),
            shards: Vec::new(),
            version_index: HashMap::new(),
            source_lookups: worker::NavLookups::default(),
        };
        generated::add_generated_pages(
            &mut plan,
            site,
            &built.page_of_entry,
            &mut claims,
            &mut warnings,
        );
        plan.warnings = warnings;
        plan.version_index = plan.nav.version_index();
        plan.source_lookups = worker::NavLookups::new(&plan.nav);
        let versions: Vec<(String, String)> = plan
            .site
            .versions
            .iter()
            .map(|v| (v.id.clone(), v.url_prefix.clone()))
            .collect();
        plan.shards = partition::assign(&plan.pages, &versions, options.shards);
        // Grown by doubling: up to half of it is slack, tens of MiB at 100k pages.
        plan.pages.shrink_to_fit();
        plan
    }

    /// Where a relative `.md` link to `target` (a site-relative source path) from a page of
    /// `version` leads now: the same lookup the worker makes.
    pub fn resolve_source(&self, version: Option<u16>, target: &str) -> Option<&str> {
        protocol::nav::source_lookup_order(version)
            .into_iter()
            .find_map(|v| self.source_lookups.page_by_source(&self.nav, v, target))
            .map(|page| self.nav.page(page).url.as_str())
    }
}

/// The pages a markdown file becomes: one, or for `_shared/` one per version, each with
/// its id and version. Pages outside `_versions/` belong to the latest version's tree.
fn page_instances(site: &Site, source: &SourcePage) -> Vec<(PageId, Option<u16>)> {
    let latest = (!site.versions.is_empty()).then_some(0u16);
    match &source.root {
        ContentRoot::Main => vec![(PageId::content(&source.rel_path), latest)],
        ContentRoot::Version(id) => {
            vec![(PageId::content(&source.rel_path), site.version_index(id))]
        }
        ContentRoot::Shared => site
            .versions
            .iter()
            .enumerate()
            .map(|(v, info)| {
                (
                    PageId(format!("{}@{}", source.rel_path, info.id)),
                    Some(v as u16),
                )
            })
            .collect(),
    }
}

/// The source path relative links of a page resolve against. A `_shared/` page is read as
/// if it were in its version's folder, so `[x](guide.md)` finds that version's guide.
fn link_source(site: &Site, source: &SourcePage, version: Option<u16>) -> String {
    match (&source.root, version) {
        (ContentRoot::Shared, Some(v)) => format!(
            "{}/_versions/{}/{}",
            site.content_dir(),
            site.versions[v as usize].id,
            source.content_path
        ),
        _ => source.rel_path.clone(),
    }
}

/// Title of the top-level section containing `position` (empty at the root).
fn top_section_title(tree: &NavTree, position: NavPosition) -> String {
    let chain = tree.section_chain(position.section);
    chain
        .get(1)
        .map(|&s| tree.section(s).title.clone())
        .unwrap_or_default()
}

/// Terms in front matter order, without repeats of the same slug.
fn dedup_terms(terms: &[String]) -> Vec<CompactString> {
    let mut seen = std::collections::BTreeSet::new();
    terms
        .iter()
        .map(|t| CompactString::from(t.trim()))
        .filter(|t| !t.is_empty() && seen.insert(protocol::slug::slugify(t)))
        .collect()
}

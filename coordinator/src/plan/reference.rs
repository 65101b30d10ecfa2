//! Reference sources: pages documented from code rather than written in markdown (Python
//! modules, OpenAPI descriptions and CLIs). A source is one concept with one match per
//! stage, each on that stage's own enum or list of sources:
//!
//! 1. config: its settings (`[[autodoc.python]]` → `Config::autodoc_python`);
//! 2. discover: its items, found from paths only (`discover/python.rs` → `Site::modules`);
//! 3. plan, here: [`reference_items`] lists every source's pages (id, URL, nav placement,
//!    template, title, body, cost), and [`ReferencePage::complete`] adds what a body needs
//!    of the nav tree;
//! 4. the wire: [`ReferenceBody`], one variant per source;
//! 5. the worker: `worker::render::reference`, one arm per variant, calling the source's
//!    own folder.
//!
//! Fingerprints, dispatch, scheduling, the merge and the search index see only
//! [`ReferencePage`] (a body, the source file's hash, a cost), whatever the source.

use super::nav::Placement;
use super::urls;
use crate::discover::{OpenApiNav, Site};
use protocol::{NavLink, NavSectionIdx, NavTree, PageId, ReferenceBody};

/// A reference page as the plan decides it, once.
#[derive(Debug, Clone)]
pub struct ReferencePage {
    /// What the worker renders.
    pub body: ReferenceBody,
    /// Hash of the source file: what stands for its content in the page's fingerprint.
    pub hash: u128,
    /// Relative cost, to schedule expensive pages first.
    pub cost: u64,
}

/// One page a reference source contributes, before URLs are claimed and the nav tree is
/// built.
pub(super) struct ReferenceItem {
    /// Stable id.
    pub id: PageId,
    /// URL path.
    pub url: String,
    /// Title in the nav tree.
    pub nav_title: String,
    /// Page title.
    pub title: String,
    /// Template name.
    pub template: &'static str,
    /// Where it sits in the nav tree.
    pub placement: Placement,
    /// What the page shows.
    pub page: ReferencePage,
    /// What the page documents, for an error about its URL (`module `mypkg.x``).
    pub subject: String,
    /// What to do when its URL is taken.
    pub url_hint: &'static str,
}

/// Every reference page of `site`, source by source, in a fixed order: the one list of
/// reference sources in the plan.
pub(super) fn reference_items(site: &Site) -> Vec<ReferenceItem> {
    let mut items = Vec::new();
    items.extend(python_items(site));
    items.extend(openapi_items(site));
    items.extend(cli_items(site));
    items
}

impl ReferencePage {
    /// The source file the page documents, relative to the site root.
    pub fn file(&self) -> &str {
        self.body.file()
    }

    /// Adds what the body needs of the built nav tree; `section` is the page's own.
    pub(super) fn complete(&mut self, tree: &NavTree, section: NavSectionIdx) {
        match &mut self.body {
            ReferenceBody::Python {
                is_package,
                submodules,
                ..
            } => {
                if *is_package {
                    *submodules = child_links(tree, section);
                }
            }
            ReferenceBody::OpenApi { .. } | ReferenceBody::Cli { .. } => {}
        }
    }
}

/// Python: one page per module of each `[[autodoc.python]]` package. Parsing and
/// extracting Python costs more per byte than markdown: a module's size counts four times.
fn python_items(site: &Site) -> impl Iterator<Item = ReferenceItem> + '_ {
    site.modules.iter().map(|module| {
        let package = &site.config.autodoc_python[module.package];
        let short = module
            .name
            .rsplit('.')
            .next()
            .unwrap_or(&module.name)
            .to_string();
        ReferenceItem {
            id: PageId::autodoc(&module.name),
            url: urls::module_url(&package.url, &module.name),
            nav_title: short,
            title: module.name.clone(),
            template: "autodoc.html",
            placement: Placement::Module {
                prefix: package.url.clone(),
                name: module.name.clone(),
                is_package: module.is_package,
            },
            page: ReferencePage {
                body: ReferenceBody::Python {
                    file: module.rel_path.clone(),
                    module: module.name.clone(),
                    is_package: module.is_package,
                    submodules: Vec::new(),
                    include_private: package.include_private,
                    merge_init_into_class: package.merge_init_into_class,
                    source_url: module.source_url(package),
                },
                hash: module.hash,
                cost: module.len * 4,
            },
            subject: format!("module `{}`", module.name),
            url_hint: "move the content page, or give the package another `url` in ssg.toml",
        }
    })
}

/// OpenAPI: every page of each description that could be read (overview, tags,
/// operations, schemas), in the description's order. Each page's hash is its fingerprint
/// (what it shows), so a change re-renders only the pages it touches; its cost is an
/// equal share of the description's load.
fn openapi_items(site: &Site) -> impl Iterator<Item = ReferenceItem> + '_ {
    site.openapi.iter().flat_map(move |description| {
        let entry = &site.config.autodoc_openapi[description.entry];
        let prefix = entry.url.as_str();
        let top_title = description
            .pages
            .first()
            .map_or_else(|| entry.name.clone(), |overview| overview.title.clone());
        let top = (top_title, prefix.to_string());
        description
            .pages
            .iter()
            .enumerate()
            .map(move |(index, page)| {
                let url = format!("{prefix}{}", page.url);
                let (sections, is_index) = match &page.nav {
                    OpenApiNav::Overview => (vec![top.clone()], true),
                    OpenApiNav::Tag => (vec![top.clone(), (page.title.clone(), url.clone())], true),
                    OpenApiNav::Operation(Some((tag_url, tag_title))) => (
                        vec![top.clone(), (tag_title.clone(), format!("{prefix}{tag_url}"))],
                        false,
                    ),
                    OpenApiNav::Operation(None) => (vec![top.clone()], false),
                    OpenApiNav::Schema => (
                        vec![top.clone(), ("Schemas".to_string(), format!("{prefix}schemas/"))],
                        false,
                    ),
                };
                ReferenceItem {
                    id: PageId::reference("openapi", &entry.name, &page.url),
                    url,
                    nav_title: page.title.clone(),
                    title: page.title.clone(),
                    template: "autodoc.html",
                    placement: Placement::Reference {
                        sections,
                        index: is_index,
                    },
                    page: ReferencePage {
                        body: ReferenceBody::OpenApi {
                            file: entry.path.clone(),
                            folder: entry.refs_folder().to_string(),
                            page: index as u32,
                            page_url: page.url.clone(),
                            url_prefix: prefix.to_string(),
                        },
                        hash: page.fingerprint,
                        cost: 2_000,
                    },
                    subject: format!("OpenAPI page `{}`", page.title),
                    url_hint: "move the content page, or give the description another `url` in ssg.toml",
                }
            })
    })
}

/// CLI: a page per visible command of each `[[autodoc.cli]]` that could be read, the top
/// command first. The top command heads the CLI's nav section; a group heads a subsection
/// holding its subcommands. A page's hash is the fingerprint of what it shows.
fn cli_items(site: &Site) -> impl Iterator<Item = ReferenceItem> + '_ {
    site.cli.iter().flat_map(move |listing| {
        let entry = &site.config.autodoc_cli[listing.entry];
        let prefix = entry.url.as_str();
        let section_of = move |path: &[String]| {
            let title = path.last().unwrap_or(&entry.name).clone();
            let url = listing
                .pages
                .iter()
                .find(|page| page.path == path)
                .map_or_else(String::new, |page| page.url.clone());
            (title, format!("{prefix}{url}"))
        };
        listing.pages.iter().enumerate().map(move |(index, page)| {
            let heads_section = page.path.is_empty() || page.has_subcommands;
            let depth = if heads_section {
                page.path.len()
            } else {
                page.path.len() - 1
            };
            let sections = (0..=depth)
                .map(|len| section_of(&page.path[..len]))
                .collect();
            ReferenceItem {
                id: PageId::reference("cli", &entry.name, &page.url),
                url: format!("{prefix}{}", page.url),
                nav_title: page.path.last().unwrap_or(&entry.name).clone(),
                title: page.title.clone(),
                template: "autodoc.html",
                placement: Placement::Reference {
                    sections,
                    index: heads_section,
                },
                page: ReferencePage {
                    body: ReferenceBody::Cli {
                        file: entry.path.clone(),
                        program: entry.name.clone(),
                        object: entry.object.clone(),
                        framework: entry.framework.clone(),
                        page: index as u32,
                        page_url: page.url.clone(),
                        url_prefix: prefix.to_string(),
                    },
                    hash: page.fingerprint,
                    cost: 1_000,
                },
                subject: format!("command `{}`", page.title),
                url_hint: "move the content page, or give the CLI another `url` in ssg.toml",
            }
        })
    })
}

/// Direct subsections and pages of a nav section (a package's submodules and
/// subpackages), in title order.
fn child_links(tree: &NavTree, section: NavSectionIdx) -> Vec<NavLink> {
    let section = tree.section(section);
    let mut links: Vec<NavLink> = section
        .subsections
        .iter()
        .map(|&s| NavLink {
            title: tree.section(s).title.clone(),
            url: tree.section(s).url.clone(),
        })
        .chain(section.pages.iter().map(|&p| NavLink {
            title: tree.page(p).title.clone(),
            url: tree.page(p).url.clone(),
        }))
        .collect();
    links.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.url.cmp(&b.url)));
    links
}

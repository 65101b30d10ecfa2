//! Template rendering alone (`worker::templates::Templates::render` of the built-in theme)
//! for each kind of page of the `gen-site` `reference` preset: a content page, a section
//! listing, a taxonomy term page and a Python module page.
//!
//! The context is a `worker::templates::context::PageContext` built the way the page
//! pipeline builds it (`worker/src/views.rs`, which is private): from the page's real
//! `PageData` (dispatched from a real plan), its real `NavSlice` (`NavTree::slice`) and its
//! rendered body (markdown, or autodoc for the module page). Building the context and
//! converting it to a `minijinja::Value` are measured separately from the render itself;
//! `render_without_sidebar` renders the same context with an empty sidebar, to show what
//! the sidebar loop costs.
//!
//! Run: `cargo bench -p coordinator --bench templates`.

#[path = "planned_site.rs"]
mod planned_site;

use criterion::{Criterion, criterion_group, criterion_main};
use protocol::{ListingKind, NavSlice, PageBody, PageData, SidebarItemKind, SiteMeta};
use std::hint::black_box;
use worker::autodoc::{AutodocOptions, ModulePageInfo, document_module, render_module};
use worker::markdown::{KeepLinks, MarkdownRenderer};
use worker::templates::Templates;
use worker::templates::context::{
    EntryView, LinkView, ListingView, NavView, PageContext, PageView, PaginatorView, SidebarView,
    SiteView, TermLink,
};

/// A page's rendered body, as the template sees it.
struct Body {
    html: String,
    headings: Vec<protocol::Heading>,
    plain_text: String,
    has_leading_h1: bool,
}

fn render_body(root: &std::path::Path, page: &PageData, markdown: &MarkdownRenderer) -> Body {
    let markdown_body = |text: &str, first_line: u32| {
        let rendered = markdown.render(text, first_line, &mut KeepLinks);
        Body {
            html: rendered.html,
            headings: rendered.headings,
            plain_text: rendered.plain_text,
            has_leading_h1: rendered.has_leading_h1,
        }
    };
    match &page.body {
        PageBody::Markdown { text, first_line } => markdown_body(text, *first_line),
        PageBody::MarkdownFile {
            path,
            offset,
            first_line,
            ..
        } => {
            let source = std::fs::read_to_string(root.join(path)).expect("read the page");
            markdown_body(&source[*offset as usize..], *first_line)
        }
        PageBody::Python {
            file,
            module,
            is_package,
            ..
        } => {
            let source = std::fs::read_to_string(root.join(file)).expect("read the module");
            let options = AutodocOptions {
                include_private: false,
                is_package: *is_package,
                names_only: false,
            };
            let doc = document_module(&source, module, options).expect("a generated module parses");
            let info = ModulePageInfo {
                links: None,
                source_url: None,
                source_file: file,
                is_package: *is_package,
                submodules: &[],
            };
            let docstring = |text: &str| markdown.render(text, 1, &mut KeepLinks).html;
            let rendered = render_module(&doc, &info, &docstring);
            Body {
                html: rendered.html,
                headings: rendered.headings,
                plain_text: rendered.plain_text,
                has_leading_h1: false,
            }
        }
        PageBody::Redirect { .. } | PageBody::Empty => Body {
            html: String::new(),
            headings: Vec::new(),
            plain_text: String::new(),
            has_leading_h1: false,
        },
    }
}

/// What `views::page_context` derives from the site settings once per worker.
struct SiteStrings {
    base_path: String,
}

impl SiteStrings {
    fn href(&self, url: &str) -> String {
        format!("{}{url}", self.base_path)
    }

    fn terms(&self, site: &SiteMeta, taxonomy: &str, terms: &[String]) -> Vec<TermLink> {
        if !site.taxonomies.iter().any(|t| t == taxonomy) {
            return Vec::new();
        }
        terms
            .iter()
            .map(|term| TermLink {
                name: term.clone(),
                url: self.href(&protocol::slug::taxonomy_term_url(taxonomy, term)),
            })
            .collect()
    }
}

/// The context of `page`, field for field as `worker/src/views.rs` builds it.
fn page_context<'a>(
    site: &'a SiteMeta,
    strings: &'a SiteStrings,
    page: &'a PageData,
    body: &'a Body,
    slice: &NavSlice,
) -> PageContext<'a> {
    let word_count = body.plain_text.split_whitespace().count() as u32;
    let link = |l: &protocol::NavLink| LinkView {
        title: l.title.clone(),
        url: strings.href(&l.url),
    };
    let entry = |e: &protocol::ListingEntry| EntryView {
        title: e.title.clone(),
        url: strings.href(&e.url),
        description: e.description.clone(),
        date: e.date.clone(),
        tags: strings.terms(site, "tags", &e.tags),
        count: e.count,
    };
    PageContext {
        site: SiteView {
            title: &site.title,
            base_url: &site.base_url,
            base_path: &strings.base_path,
            description: site.description.as_deref(),
            language: &site.language,
            generator: &site.generator,
            taxonomies: &site.taxonomies,
            versions: &site.versions,
            search_index: site
                .search_index
                .then(|| strings.href("/search/manifest.json")),
        },
        page: PageView {
            id: page.id.as_str(),
            kind: match page.kind {
                protocol::PageKind::Content => "content",
                protocol::PageKind::Autodoc => "autodoc",
                protocol::PageKind::Generated => "generated",
            },
            template: &page.template,
            url: strings.href(&page.url),
            permalink: format!("{}{}", site.base_url.trim_end_matches('/'), page.url),
            title: &page.meta.title,
            description: page.meta.description.as_deref(),
            date: page.meta.date.as_deref(),
            tags: strings.terms(site, "tags", &page.meta.tags),
            categories: strings.terms(site, "categories", &page.meta.categories),
            params: minijinja::Value::from(
                std::collections::BTreeMap::<String, minijinja::Value>::new(),
            ),
            toc: page.meta.toc,
            content: minijinja::Value::from_safe_string(body.html.clone()),
            headings: &body.headings,
            word_count,
            reading_minutes: word_count.div_ceil(200).max(1),
            source_path: page.source_path.as_deref(),
            has_leading_h1: body.has_leading_h1,
            redirect_to: None,
            version: None,
        },
        nav: NavView {
            breadcrumbs: slice.breadcrumbs.iter().map(link).collect(),
            sidebar: slice
                .sidebar
                .iter()
                .map(|item| {
                    let (kind, hidden) = match item.kind {
                        SidebarItemKind::Section => ("section", 0),
                        SidebarItemKind::Page => ("page", 0),
                        SidebarItemKind::More { hidden } => ("more", hidden),
                    };
                    SidebarView {
                        title: item.title.clone(),
                        url: strings.href(&item.url),
                        depth: item.depth,
                        kind,
                        hidden,
                        active: item.active,
                        open: item.open,
                    }
                })
                .collect(),
            prev: slice.prev.as_ref().map(link),
            next: slice.next.as_ref().map(link),
            versions: Vec::new(),
        },
        listing: page.listing.as_ref().map(|listing| {
            let (kind, taxonomy, term) = match &listing.kind {
                ListingKind::Section => ("section", None, None),
                ListingKind::TaxonomyIndex { taxonomy } => {
                    ("taxonomy_index", Some(taxonomy.clone()), None)
                }
                ListingKind::TaxonomyTerm { taxonomy, term } => {
                    ("taxonomy_term", Some(taxonomy.clone()), Some(term.clone()))
                }
            };
            ListingView {
                kind,
                taxonomy,
                term,
                entries: listing.entries.iter().map(entry).collect(),
                subsections: listing.subsections.iter().map(entry).collect(),
                paginator: listing.paginator.as_ref().map(|p| PaginatorView {
                    current: p.current,
                    total_pages: p.total_pages,
                    total_items: p.total_items,
                    first: strings.href(&p.first),
                    last: strings.href(&p.last),
                    prev: p.prev.as_deref().map(|u| strings.href(u)),
                    next: p.next.as_deref().map(|u| strings.href(u)),
                }),
            }
        }),
    }
}

fn bench_templates(c: &mut Criterion) {
    let planned = planned_site::PlannedSite::new(gen_site::Preset::Reference);
    let templates = Templates::new(&planned.site.templates);
    let markdown = MarkdownRenderer::new();
    let site = &planned.plan.site;
    let strings = SiteStrings {
        base_path: worker::base_path(&site.base_url),
    };
    let mut group = c.benchmark_group("templates");
    for (label, index) in planned.representative_pages() {
        let page = planned.page_data(index);
        let body = render_body(&planned.site.root, &page, &markdown);
        let slice = planned.plan.nav.slice(page.nav, &|_, _| None);
        let value = || {
            let context = page_context(site, &strings, &page, &body, &slice);
            minijinja::Value::from(minijinja::value::Serde(&context))
        };
        let html = templates
            .render(&page.template, &value())
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        eprintln!(
            "templates/{label}: {} with {} sidebar entries, {} listing entries, {} bytes of body, {} bytes of HTML",
            page.template,
            slice.sidebar.len(),
            page.listing.as_ref().map_or(0, |l| l.entries.len()),
            body.html.len(),
            html.len()
        );
        group.bench_function(format!("{label}/build_context"), |b| b.iter(value));
        let context = value();
        group.bench_function(format!("{label}/render"), |b| {
            b.iter(|| templates.render(black_box(&page.template), black_box(&context)))
        });
        // The same page with an empty sidebar: the difference is what the sidebar costs.
        let no_sidebar = NavSlice {
            sidebar: Vec::new(),
            ..slice.clone()
        };
        let bare = page_context(site, &strings, &page, &body, &no_sidebar);
        let bare = minijinja::Value::from(minijinja::value::Serde(&bare));
        group.bench_function(format!("{label}/render_without_sidebar"), |b| {
            b.iter(|| templates.render(black_box(&page.template), black_box(&bare)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_templates);
criterion_main!(benches);

//! Building what templates and the per-page JSON see from a page, its rendered body and its
//! nav slice. Every URL becomes a ready-to-use href here (base path applied), so templates
//! never have to.

use super::{RenderContext, RenderedBody, kind_name};
use crate::templates::context::{
    EntryView, LinkView, ListingView, NavView, PageContext, PageView, PaginatorView, SidebarView,
    SiteView, TermLink, VersionView,
};
use protocol::slug::taxonomy_term_url;
use protocol::{
    CompactString, Heading, Listing, ListingEntry, ListingKind, NavLink, NavSlice, PageBody,
    PageData, SidebarItemKind,
};
use serde::Serialize;

/// Words read per minute, for `page.reading_minutes`.
const WORDS_PER_MINUTE: u32 = 200;

pub(crate) fn page_context<'a>(
    context: &'a RenderContext,
    page: &'a PageData,
    body: &'a RenderedBody,
    slice: &NavSlice,
) -> PageContext<'a> {
    let site = &context.site;
    let word_count = body.plain_text.split_whitespace().count() as u32;
    let params = match page.meta.params_json.as_str() {
        "" => minijinja::Value::from(std::collections::BTreeMap::<String, minijinja::Value>::new()),
        json => serde_json::from_str::<serde_json::Value>(json)
            .map(|value| minijinja::Value::from(minijinja::value::Serde(value)))
            .unwrap_or_default(),
    };
    PageContext {
        site: SiteView {
            title: &site.title,
            base_url: &site.base_url,
            base_path: &context.base_path,
            description: site.description.as_deref(),
            language: &site.language,
            generator: &site.generator,
            taxonomies: &site.taxonomies,
            versions: &site.versions,
            search_index: site
                .search_index
                .then(|| context.href("/search/manifest.json")),
            extra: context.site_extra.clone(),
        },
        page: PageView {
            id: page.id.as_str(),
            kind: kind_name(page.kind),
            template: &page.template,
            url: context.href(&page.url),
            permalink: protocol::absolute_url(&site.base_url, &page.url),
            title: &page.meta.title,
            description: page.meta.description.as_deref(),
            date: page.meta.date.as_deref(),
            tags: term_links(context, "tags", &page.meta.tags),
            categories: term_links(context, "categories", &page.meta.categories),
            params,
            toc: page.meta.toc,
            content: minijinja::Value::from_safe_string(body.html.clone()),
            headings: &body.headings,
            word_count,
            reading_minutes: word_count.div_ceil(WORDS_PER_MINUTE).max(1),
            source_path: page.source_path.as_deref(),
            has_leading_h1: body.has_leading_h1,
            redirect_to: match &page.body {
                PageBody::Redirect { to } => Some(context.href(to)),
                _ => None,
            },
            version: page
                .meta
                .version
                .and_then(|v| site.versions.get(v as usize))
                .map(|v| v.label.as_str()),
        },
        nav: nav_view(context, slice),
        listing: page
            .listing
            .as_ref()
            .map(|listing| listing_view(context, listing)),
    }
}

fn term_links(context: &RenderContext, taxonomy: &str, terms: &[CompactString]) -> Vec<TermLink> {
    if !context.site.taxonomies.iter().any(|t| t == taxonomy) {
        return Vec::new();
    }
    terms
        .iter()
        .map(|term| TermLink {
            name: term.to_string(),
            url: context.href(&taxonomy_term_url(taxonomy, term)),
        })
        .collect()
}

fn link_view(context: &RenderContext, link: &NavLink) -> LinkView {
    LinkView {
        title: link.title.clone(),
        url: context.href(&link.url),
    }
}

fn nav_view(context: &RenderContext, slice: &NavSlice) -> NavView {
    NavView {
        breadcrumbs: slice
            .breadcrumbs
            .iter()
            .map(|l| link_view(context, l))
            .collect(),
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
                    url: context.href(&item.url),
                    depth: item.depth,
                    kind,
                    hidden,
                    active: item.active,
                    open: item.open,
                }
            })
            .collect(),
        prev: slice.prev.as_ref().map(|l| link_view(context, l)),
        next: slice.next.as_ref().map(|l| link_view(context, l)),
        versions: slice
            .versions
            .iter()
            .map(|v| VersionView {
                label: v.label.clone(),
                url: context.href(&v.url),
                current: v.current,
                exact: v.exact,
            })
            .collect(),
    }
}

fn entry_view(context: &RenderContext, entry: &ListingEntry) -> EntryView {
    EntryView {
        title: entry.title.clone(),
        url: context.href(&entry.url),
        description: entry.description.clone(),
        date: entry.date.as_deref().map(str::to_string),
        tags: term_links(context, "tags", &entry.tags),
        count: entry.count,
    }
}

fn listing_view(context: &RenderContext, listing: &Listing) -> ListingView {
    let (kind, taxonomy, term) = match &listing.kind {
        ListingKind::Section => ("section", None, None),
        ListingKind::TaxonomyIndex { taxonomy } => ("taxonomy_index", Some(taxonomy.clone()), None),
        ListingKind::TaxonomyTerm { taxonomy, term } => {
            ("taxonomy_term", Some(taxonomy.clone()), Some(term.clone()))
        }
    };
    ListingView {
        kind,
        taxonomy,
        term,
        entries: listing
            .entries
            .iter()
            .map(|e| entry_view(context, e))
            .collect(),
        subsections: listing
            .subsections
            .iter()
            .map(|e| entry_view(context, e))
            .collect(),
        paginator: listing.paginator.as_ref().map(|p| PaginatorView {
            current: p.current,
            total_pages: p.total_pages,
            total_items: p.total_items,
            first: context.href(&p.first),
            last: context.href(&p.last),
            prev: p.prev.as_deref().map(|u| context.href(u)),
            next: p.next.as_deref().map(|u| context.href(u)),
        }),
    }
}

/// `<url>/index.json`: metadata, headings, plain text and outgoing links of a page.
#[derive(Serialize)]
struct PageJson<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    source: Option<&'a str>,
    date: Option<&'a str>,
    description: Option<&'a str>,
    tags: &'a [CompactString],
    categories: &'a [CompactString],
    headings: &'a [Heading],
    text: &'a str,
    links: Vec<&'a str>,
}

pub(crate) fn page_json(page: &PageData, body: &RenderedBody) -> Vec<u8> {
    let json = PageJson {
        title: &page.meta.title,
        url: &page.url,
        kind: kind_name(page.kind),
        source: page.source_path.as_deref(),
        date: page.meta.date.as_deref(),
        description: page.meta.description.as_deref(),
        tags: &page.meta.tags,
        categories: &page.meta.categories,
        headings: &body.headings,
        text: &body.plain_text,
        links: body.links.iter().map(|l| l.target.as_str()).collect(),
    };
    // Serialising plain structs of strings cannot fail.
    let mut bytes = serde_json::to_vec(&json).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

//! Generated pages: section listings (home included) and their pagination, taxonomy index
//! and term pages, the 404 page and alias redirects.
//!
//! Listings are computed here from front matter, so a listing page carries exactly the
//! entries it shows and never needs another page's rendered output.

use super::{BuildPlan, PageSource, PlannedPage, UrlClaims, top_section_title, urls};
use crate::diagnostics::Diagnostic;
use crate::discover::{ContentRoot, Site};
use protocol::slug::{slugify, taxonomy_index_url, taxonomy_term_url};
use protocol::{
    CompactString, Listing, ListingEntry, ListingKind, NavPageIdx, NavPosition, NavSectionIdx,
    PageId, PageKind, PageMeta, Paginator,
};
use std::collections::BTreeMap;
use std::sync::Arc;

pub(super) fn add_generated_pages(
    plan: &mut BuildPlan,
    site: &Site,
    page_of_entry: &[NavPageIdx],
    claims: &mut UrlClaims,
    warnings: &mut Vec<Diagnostic>,
) {
    let per_page = site.config.build.paginate.max(1) as usize;
    let mut planned_of_nav = vec![usize::MAX; plan.nav.pages.len()];
    for (planned, nav_page) in page_of_entry.iter().enumerate() {
        planned_of_nav[nav_page.0 as usize] = planned;
    }
    let mut generated = Vec::new();
    add_section_listings(plan, &planned_of_nav, per_page, &mut generated);
    add_taxonomies(plan, per_page, &mut generated);
    generated.push(PlannedPage {
        id: PageId::generated("/404.html"),
        kind: PageKind::Generated,
        url: "/404.html".into(),
        template: "404.html".into(),
        meta: PageMeta {
            title: "Page not found".into(),
            ..PageMeta::default()
        },
        source: PageSource::NotFound,
        listing: None,
        nav: NavPosition {
            section: NavSectionIdx(0),
            page: None,
        },
        top_section: CompactString::default(),
    });
    for page in generated {
        match claims.claim(&page.url, &page.id) {
            Ok(()) => plan.pages.push(page),
            Err(owner) => warnings.push(
                Diagnostic::in_file(
                    owner.to_string(),
                    format!(
                        "generated page `{}` is not created: the page uses its url",
                        page.url
                    ),
                )
                .with_hint("move the page if you want the generated listing there"),
            ),
        }
    }
    add_aliases(plan, site, claims, warnings);
    add_latest_redirect(plan, site, claims);
}

fn entry_for(page: &PlannedPage) -> ListingEntry {
    ListingEntry {
        title: page.meta.title.clone(),
        url: page.url.clone(),
        description: page.meta.description.clone(),
        date: page.meta.date.clone(),
        tags: page.meta.tags.clone(),
        count: None,
    }
}

/// URL of page `number` (1-based) of a listing rooted at `first`.
fn page_url(first: &str, number: usize) -> String {
    if number == 1 {
        return first.to_string();
    }
    let base = if first.ends_with('/') {
        first.to_string()
    } else {
        format!("{first}/")
    };
    format!("{base}page/{number}/")
}

/// Splits `entries` into listing pages of `per_page`; always at least one page.
fn paginate(
    kind: ListingKind,
    first_url: &str,
    entries: Vec<ListingEntry>,
    subsections: Vec<ListingEntry>,
    per_page: usize,
) -> Vec<Listing> {
    let total_items = entries.len();
    let total_pages = total_items.div_ceil(per_page).max(1);
    // The entries are moved into their pages, not copied.
    let mut entries = entries.into_iter();
    let mut chunks: Vec<Vec<ListingEntry>> = Vec::with_capacity(total_pages);
    for _ in 0..total_pages {
        chunks.push(entries.by_ref().take(per_page).collect());
    }
    let mut subsections = Some(subsections);
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, entries)| {
            let number = i + 1;
            Listing {
                kind: kind.clone(),
                entries,
                subsections: subsections.take().unwrap_or_default(),
                paginator: (total_pages > 1).then(|| Paginator {
                    current: number as u32,
                    total_pages: total_pages as u32,
                    total_items: total_items as u32,
                    first: page_url(first_url, 1),
                    last: page_url(first_url, total_pages),
                    prev: (number > 1).then(|| page_url(first_url, number - 1)),
                    next: (number < total_pages).then(|| page_url(first_url, number + 1)),
                }),
            }
        })
        .collect()
}

fn add_section_listings(
    plan: &mut BuildPlan,
    planned_of_nav: &[usize],
    per_page: usize,
    out: &mut Vec<PlannedPage>,
) {
    for section_idx in 0..plan.nav.sections.len() {
        let section_idx = NavSectionIdx(section_idx as u32);
        let section = plan.nav.section(section_idx);
        let index_planned = section.index_page.map(|p| planned_of_nav[p.0 as usize]);
        // A package's own page already lists its modules in full.
        if index_planned.is_some_and(|i| plan.pages[i].kind == PageKind::Autodoc) {
            continue;
        }
        let entries: Vec<ListingEntry> = section
            .pages
            .iter()
            .map(|p| entry_for(&plan.pages[planned_of_nav[p.0 as usize]]))
            .collect();
        let subsections: Vec<ListingEntry> = section
            .subsections
            .iter()
            .map(|&s| {
                let sub = plan.nav.section(s);
                let description = sub.index_page.and_then(|p| {
                    plan.pages[planned_of_nav[p.0 as usize]]
                        .meta
                        .description
                        .clone()
                });
                ListingEntry {
                    title: sub.title.clone(),
                    url: sub.url.clone(),
                    description,
                    date: None,
                    tags: Vec::new(),
                    count: None,
                }
            })
            .collect();
        let section_url = section.url.clone();
        let section_title = section.title.clone();
        let position = NavPosition {
            section: section_idx,
            page: None,
        };
        let top_section = top_section_title(&plan.nav, position);
        let template = index_planned.map_or_else(
            || "section.html".to_string(),
            |i| plan.pages[i].template.to_string(),
        );
        let listings = paginate(
            ListingKind::Section,
            &section_url,
            entries,
            subsections,
            per_page,
        );
        for (i, listing) in listings.into_iter().enumerate() {
            match (i, index_planned) {
                (0, Some(planned)) => plan.pages[planned].listing = Some(Arc::new(listing)),
                _ => {
                    let url = page_url(&section_url, i + 1);
                    out.push(PlannedPage {
                        id: PageId::generated(&url),
                        kind: PageKind::Generated,
                        url,
                        template: template.as_str().into(),
                        meta: PageMeta {
                            title: section_title.clone(),
                            toc: false,
                            ..PageMeta::default()
                        },
                        source: PageSource::Listing,
                        listing: Some(Arc::new(listing)),
                        nav: position,
                        top_section: top_section.as_str().into(),
                    });
                }
            }
        }
    }
}

/// "tags" → "Tags".
fn taxonomy_title(taxonomy: &str) -> String {
    let mut chars = taxonomy.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn add_taxonomies(plan: &BuildPlan, per_page: usize, out: &mut Vec<PlannedPage>) {
    let root = NavPosition {
        section: NavSectionIdx(0),
        page: None,
    };
    let mut lower_titles: Option<Vec<String>> = None;
    for taxonomy in &plan.site.taxonomies {
        // slug → (display name, pages); the display name is the first spelling in page order.
        let mut terms: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
        for (i, page) in plan.pages.iter().enumerate() {
            let page_terms = match taxonomy.as_str() {
                "tags" => &page.meta.tags,
                "categories" => &page.meta.categories,
                _ => continue,
            };
            for term in page_terms {
                terms
                    .entry(slugify(term))
                    .or_insert_with(|| (term.to_string(), Vec::new()))
                    .1
                    .push(i);
            }
        }
        if terms.is_empty() {
            continue;
        }
        // Each page's title as tag pages sort it, once per page rather than per comparison.
        let lower_titles = lower_titles.get_or_insert_with(|| {
            plan.pages
                .iter()
                .map(|page| page.meta.title.to_lowercase())
                .collect::<Vec<String>>()
        });
        let mut index_entries: Vec<ListingEntry> = terms
            .values()
            .map(|(name, pages)| ListingEntry {
                title: name.clone(),
                url: taxonomy_term_url(taxonomy, name),
                description: None,
                date: None,
                tags: Vec::new(),
                count: Some(pages.len() as u32),
            })
            .collect();
        index_entries.sort_by(|a, b| {
            (a.title.to_lowercase(), &a.url).cmp(&(b.title.to_lowercase(), &b.url))
        });
        let index_url = taxonomy_index_url(taxonomy);
        let title = taxonomy_title(taxonomy);
        let index_kind = ListingKind::TaxonomyIndex {
            taxonomy: taxonomy.clone(),
        };
        for (i, listing) in paginate(index_kind, &index_url, index_entries, Vec::new(), per_page)
            .into_iter()
            .enumerate()
        {
            let url = page_url(&index_url, i + 1);
            out.push(PlannedPage {
                id: PageId::generated(&url),
                kind: PageKind::Generated,
                url,
                template: "taxonomy_index.html".into(),
                meta: PageMeta {
                    title: title.clone(),
                    ..PageMeta::default()
                },
                source: PageSource::Listing,
                listing: Some(Arc::new(listing)),
                nav: root,
                top_section: CompactString::default(),
            });
        }
        for (name, mut sorted) in terms.into_values() {
            // Newest first, undated last, then by title: what readers of a tag page expect.
            sorted.sort_by(|&a, &b| {
                let (a_page, b_page) = (&plan.pages[a].meta, &plan.pages[b].meta);
                b_page
                    .date
                    .is_some()
                    .cmp(&a_page.date.is_some())
                    .then_with(|| b_page.date.cmp(&a_page.date))
                    .then_with(|| lower_titles[a].cmp(&lower_titles[b]))
                    .then_with(|| plan.pages[a].url.cmp(&plan.pages[b].url))
            });
            let entries: Vec<ListingEntry> =
                sorted.iter().map(|&i| entry_for(&plan.pages[i])).collect();
            let term_url = taxonomy_term_url(taxonomy, &name);
            let kind = ListingKind::TaxonomyTerm {
                taxonomy: taxonomy.clone(),
                term: name.clone(),
            };
            for (i, listing) in paginate(kind, &term_url, entries, Vec::new(), per_page)
                .into_iter()
                .enumerate()
            {
                let url = page_url(&term_url, i + 1);
                out.push(PlannedPage {
                    id: PageId::generated(&url),
                    kind: PageKind::Generated,
                    url,
                    template: "taxonomy_term.html".into(),
                    meta: PageMeta {
                        title: name.clone(),
                        ..PageMeta::default()
                    },
                    source: PageSource::Listing,
                    listing: Some(Arc::new(listing)),
                    nav: root,
                    top_section: CompactString::default(),
                });
            }
        }
    }
}

fn add_aliases(
    plan: &mut BuildPlan,
    site: &Site,
    claims: &mut UrlClaims,
    warnings: &mut Vec<Diagnostic>,
) {
    let mut aliases = Vec::new();
    for page in &plan.pages {
        let PageSource::Markdown(markdown) = &page.source else {
            continue;
        };
        let source = &site.pages[markdown.discovered];
        // An alias of a versioned page is a path inside its version.
        let prefix = match (&source.root, page.meta.version) {
            (ContentRoot::Main, _) | (_, None) => site.config.content_url_prefix(),
            (_, Some(v)) => site.versions[v as usize].url_prefix.as_str(),
        };
        for alias in &source.front_matter.aliases {
            let url = match urls::clean_url_path(alias) {
                Ok(url) => format!("{prefix}{url}"),
                Err(why) => {
                    warnings.push(Diagnostic::in_file(
                        source.rel_path.clone(),
                        format!("alias {alias:?} is ignored: {why}"),
                    ));
                    continue;
                }
            };
            let id = PageId::generated(&url);
            if let Err(owner) = claims.claim(&url, &id) {
                warnings.push(Diagnostic::in_file(
                    source.rel_path.clone(),
                    format!("alias `{url}` is ignored: the url is already used by `{owner}`"),
                ));
                continue;
            }
            aliases.push(PlannedPage {
                id,
                kind: PageKind::Generated,
                url,
                template: "redirect.html".into(),
                meta: PageMeta {
                    title: page.meta.title.clone(),
                    ..PageMeta::default()
                },
                source: PageSource::Redirect {
                    to: page.url.clone(),
                },
                listing: None,
                nav: NavPosition {
                    section: NavSectionIdx(0),
                    page: None,
                },
                top_section: CompactString::default(),
            });
        }
    }
    plan.pages.extend(aliases);
}

/// With the latest version at `/latest/` (or the docs under a Docusaurus `routeBasePath`
/// such as `/docs/`), the site root sends readers there (unless a page of its own lives at
/// `/`).
fn add_latest_redirect(plan: &mut BuildPlan, site: &Site, claims: &mut UrlClaims) {
    let (title, prefix) = match site.versions.first() {
        Some(latest) => (latest.label.as_str(), latest.url_prefix.as_str()),
        None => (site.config.title.as_str(), site.config.content_url_prefix()),
    };
    if prefix.is_empty() {
        return;
    }
    let id = PageId::generated("/");
    if claims.claim("/", &id).is_ok() {
        plan.pages.push(PlannedPage {
            id,
            kind: PageKind::Generated,
            url: "/".into(),
            template: "redirect.html".into(),
            meta: PageMeta {
                title: title.to_string(),
                ..PageMeta::default()
            },
            source: PageSource::Redirect {
                to: format!("{prefix}/"),
            },
            listing: None,
            nav: NavPosition {
                section: NavSectionIdx(0),
                page: None,
            },
            top_section: CompactString::default(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: usize) -> Vec<ListingEntry> {
        (0..n)
            .map(|i| ListingEntry {
                title: format!("P{i}"),
                url: format!("/p{i}/"),
                description: None,
                date: None,
                tags: vec![],
                count: None,
            })
            .collect()
    }

    #[test]
    fn pagination_links_pages_together() {
        let pages = paginate(ListingKind::Section, "/blog/", entries(25), entries(2), 10);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].subsections.len(), 2);
        assert!(pages[1].subsections.is_empty());
        assert_eq!(pages[2].entries.len(), 5);
        let second = pages[1].paginator.as_ref().expect("paginated");
        assert_eq!(second.prev.as_deref(), Some("/blog/"));
        assert_eq!(second.next.as_deref(), Some("/blog/page/3/"));
        assert_eq!(second.last, "/blog/page/3/");
        assert_eq!(second.total_items, 25);
    }

    #[test]
    fn a_short_listing_has_no_paginator() {
        let pages = paginate(ListingKind::Section, "/", entries(3), vec![], 10);
        assert_eq!(pages.len(), 1);
        assert!(pages[0].paginator.is_none());
        let empty = paginate(ListingKind::Section, "/", vec![], vec![], 10);
        assert_eq!(empty.len(), 1);
    }
}

//! The template context: what every template can use.
//!
//! Every `url` in the context is a ready-to-use href: the site's base path (the path part of
//! `base_url`, e.g. `/docs`) is already applied. `permalink` is the absolute URL.
//!
//! ```text
//! site:    title, base_url, base_path, description, language, generator,
//!          taxonomies [name], versions [{id, label, url_prefix, latest}],
//!          search_index (href of the site-wide search index, or none),
//!          extra (the `[extra]` table of ssg.toml, or mkdocs.yml's `extra`, as written)
//! page:    id, kind ("content" | "autodoc" | "generated"), template, url, permalink,
//!          title, description, date, tags [{name, url}], categories [{name, url}],
//!          params (front matter extras), toc (bool), content (safe HTML),
//!          headings [{level, text, id}], word_count, reading_minutes, source_path,
//!          has_leading_h1, redirect_to (href, alias pages only), version (label)
//! nav:     breadcrumbs [{title, url}], sidebar [{title, url, depth, kind ("section" |
//!          "page" | "more"), hidden, active, open}], prev {title, url}, next {title, url},
//!          versions [{label, url, current, exact}]
//! listing: kind ("section" | "taxonomy_index" | "taxonomy_term"), taxonomy, term,
//!          entries [{title, url, description, date, tags, count}], subsections [...],
//!          paginator {current, total_pages, total_items, first, last, prev, next}
//!          (none on pages that list nothing)
//! ```

use serde::Serialize;

/// Root of the template context.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// Site-wide values.
    pub site: SiteView<'a>,
    /// The page being rendered.
    pub page: PageView<'a>,
    /// Navigation slice.
    pub nav: NavView,
    /// Listing, for section and taxonomy pages.
    pub listing: Option<ListingView>,
}

/// `site` in templates.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site title.
    pub title: &'a str,
    /// Absolute base URL, ending with `/`.
    pub base_url: &'a str,
    /// Path part of the base URL without trailing slash (`` or `/docs`).
    pub base_path: &'a str,
    /// Site description.
    pub description: Option<&'a str>,
    /// Language code.
    pub language: &'a str,
    /// `ssg-coord <version>`.
    pub generator: &'a str,
    /// Enabled taxonomies.
    pub taxonomies: &'a [String],
    /// Versions of versioned docs.
    pub versions: &'a [protocol::VersionInfo],
    /// Href of the site-wide search index, when it is written.
    pub search_index: Option<String>,
    /// `[extra]` of the configuration (mkdocs.yml's `extra`): any values, as written.
    pub extra: minijinja::Value,
}

/// A taxonomy term linked from a page.
#[derive(Debug, Serialize)]
pub struct TermLink {
    /// The term as written.
    pub name: String,
    /// Href of the term page.
    pub url: String,
}

/// `page` in templates.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// Stable page id.
    pub id: &'a str,
    /// `content`, `autodoc` or `generated`.
    pub kind: &'static str,
    /// Template name.
    pub template: &'a str,
    /// Href of the page.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: Option<&'a str>,
    /// Date (RFC 3339).
    pub date: Option<&'a str>,
    /// Tags with their term pages.
    pub tags: Vec<TermLink>,
    /// Categories with their term pages.
    pub categories: Vec<TermLink>,
    /// Front matter keys that are not built-in fields.
    pub params: minijinja::Value,
    /// Show the table of contents.
    pub toc: bool,
    /// Rendered body, marked safe.
    pub content: minijinja::Value,
    /// Headings of the body.
    pub headings: &'a [protocol::Heading],
    /// Words of plain text.
    pub word_count: u32,
    /// Reading time in minutes (at least 1).
    pub reading_minutes: u32,
    /// Site-relative source file.
    pub source_path: Option<&'a str>,
    /// The body starts with its own `# title`.
    pub has_leading_h1: bool,
    /// Alias pages: href of the target.
    pub redirect_to: Option<String>,
    /// Version label for versioned docs.
    pub version: Option<&'a str>,
}

/// `nav` in templates.
#[derive(Debug, Serialize)]
pub struct NavView {
    /// From the root to the page's parent.
    pub breadcrumbs: Vec<LinkView>,
    /// Flattened sidebar.
    pub sidebar: Vec<SidebarView>,
    /// Previous page in the section.
    pub prev: Option<LinkView>,
    /// Next page in the section.
    pub next: Option<LinkView>,
    /// Version switcher.
    pub versions: Vec<VersionView>,
}

/// A titled href.
#[derive(Debug, Serialize)]
pub struct LinkView {
    /// Link text.
    pub title: String,
    /// Href.
    pub url: String,
}

/// One sidebar line.
#[derive(Debug, Serialize)]
pub struct SidebarView {
    /// Link text.
    pub title: String,
    /// Href.
    pub url: String,
    /// Nesting depth, 0 at top level.
    pub depth: u16,
    /// `section`, `page` or `more`.
    pub kind: &'static str,
    /// For `more`: how many entries are not shown.
    pub hidden: u32,
    /// The page being rendered.
    pub active: bool,
    /// A section on the path to the page.
    pub open: bool,
}

/// One version switcher entry.
#[derive(Debug, Serialize)]
pub struct VersionView {
    /// Version label.
    pub label: String,
    /// Href of the same page in that version, or of its root.
    pub url: String,
    /// The version being rendered.
    pub current: bool,
    /// `url` is the same page.
    pub exact: bool,
}

/// `listing` in templates.
#[derive(Debug, Serialize)]
pub struct ListingView {
    /// `section`, `taxonomy_index` or `taxonomy_term`.
    pub kind: &'static str,
    /// Taxonomy name for taxonomy listings.
    pub taxonomy: Option<String>,
    /// Term for term pages.
    pub term: Option<String>,
    /// Entries on this page.
    pub entries: Vec<EntryView>,
    /// Subsections (first page of a section listing).
    pub subsections: Vec<EntryView>,
    /// Pagination.
    pub paginator: Option<PaginatorView>,
}

/// One listing entry.
#[derive(Debug, Serialize)]
pub struct EntryView {
    /// Title.
    pub title: String,
    /// Href.
    pub url: String,
    /// Description.
    pub description: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// Tags with their term pages.
    pub tags: Vec<TermLink>,
    /// Pages carrying the term (taxonomy index entries).
    pub count: Option<u32>,
}

/// Pagination of a listing.
#[derive(Debug, Serialize)]
pub struct PaginatorView {
    /// 1-based page number.
    pub current: u32,
    /// Number of pages.
    pub total_pages: u32,
    /// Number of entries over all pages.
    pub total_items: u32,
    /// Href of the first page.
    pub first: String,
    /// Href of the last page.
    pub last: String,
    /// Href of the previous page.
    pub prev: Option<String>,
    /// Href of the next page.
    pub next: Option<String>,
}

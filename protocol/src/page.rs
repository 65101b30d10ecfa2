//! One page to render ([`PageData`]) and the site-wide settings a worker may know
//! ([`SiteMeta`]).
//!
//! `PageData` carries only what its page needs: parsed front matter, the markdown body (or
//! the reference source it documents), the URL and template, and for generated pages the slice of
//! the listing they show. Everything global arrives once per worker in
//! [`crate::WorkerSetup`].

use crate::CompactString;
use crate::ids::{PageId, PageKind};
use crate::nav::{NavLink, NavPosition};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One page to render.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageData {
    /// Stable id, see [`PageId`].
    pub id: PageId,
    /// What produced the page.
    pub kind: PageKind,
    /// Site-absolute URL path, always starting and ending with `/` (`/guide/install/`),
    /// except for single-file pages such as `/404.html`.
    pub url: String,
    /// Source file relative to the site root (`content/guide/install.md`,
    /// `src/mypkg/sub/mod.py`), used in error messages and to resolve relative links.
    /// `None` for generated pages.
    pub source_path: Option<String>,
    /// Name of the template to render with (`page.html`, `section.html`, ...).
    pub template: String,
    /// Front matter and derived metadata.
    pub meta: PageMeta,
    /// What to render.
    pub body: PageBody,
    /// For section and taxonomy pages: the entries shown on this page of the listing.
    /// Shared with the plan, so dispatching a page does not copy its entries (on the wire
    /// an `Arc` is encoded as its contents).
    pub listing: Option<Arc<Listing>>,
    /// Where the page sits in the nav tree; the worker derives its `NavSlice` from this.
    pub nav: NavPosition,
}

/// Front matter fields, normalised, plus derived metadata.
///
/// The coordinator's plan holds one per page (129,056 at the 100k preset): its short
/// fields (the date, tags, categories and the other keys, `{}` on most pages) are
/// [`CompactString`]s, inline up to 24 bytes rather than an allocation each. On the wire
/// they are plain strings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageMeta {
    /// Title from front matter, else the first `# heading`, else the file name.
    pub title: String,
    /// `description` from front matter.
    pub description: Option<String>,
    /// `date` normalised to RFC 3339 (`2024-05-01` or `2024-05-01T10:00:00Z` as written).
    pub date: Option<CompactString>,
    /// `draft: true` pages are only built with `--drafts`.
    pub draft: bool,
    /// Ordering weight within the section (lower first), 0 when unset.
    pub weight: i64,
    /// Tags, in front matter order.
    pub tags: Vec<CompactString>,
    /// Categories, in front matter order.
    pub categories: Vec<CompactString>,
    /// Whether to show the table of contents (`toc`, default true).
    pub toc: bool,
    /// Every other front matter key, as a JSON object string (postcard is not
    /// self-describing, so arbitrary values cannot travel as serde values).
    pub params_json: CompactString,
    /// Index into [`SiteMeta::versions`] for versioned docs.
    pub version: Option<u16>,
}

/// The content of a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PageBody {
    /// Markdown text after the front matter.
    Markdown {
        /// The markdown source.
        text: String,
        /// 1-based line of the source file on which `text` starts, so errors and warnings
        /// can name real line numbers.
        first_line: u32,
    },
    /// Markdown the worker reads itself from a source file, so the coordinator never holds
    /// (or copies through a pipe) the site's sources.
    MarkdownFile {
        /// Source file relative to the site root.
        path: String,
        /// Byte offset of the body (after the front matter) in the decoded file.
        offset: u64,
        /// 1-based line of the file on which the body starts.
        first_line: u32,
        /// Hash of the file's bytes when the coordinator read its front matter; a file that
        /// changed since is refused rather than rendered with stale front matter.
        hash: u128,
    },
    /// A page documented from a reference source (code rather than markdown). The worker
    /// reads and parses the source itself.
    Reference(ReferenceBody),
    /// An alias: a page that only redirects to `to` (a site-absolute URL path).
    Redirect {
        /// Target URL path.
        to: String,
    },
    /// No body of its own (generated listing pages, the 404 page).
    Empty,
}

/// What a reference page documents: one variant per reference source. Each stage that
/// handles reference pages matches on its own enum of sources once (`ARCHITECTURE.md`,
/// "Adding a reference source"); this is the wire's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReferenceBody {
    /// A Python module (`[[autodoc.python]]`). User code is never imported or executed.
    Python {
        /// Source file relative to the site root.
        file: String,
        /// Dotted module name (`mypkg.sub.mod`).
        module: String,
        /// True for a package's `__init__.py`.
        is_package: bool,
        /// For packages: direct submodules and subpackages, in name order.
        submodules: Vec<NavLink>,
        /// Document `_private` names too.
        include_private: bool,
        /// mkdocstrings' `merge_init_into_class`: `__init__`'s docstring ends its class's,
        /// and `__init__` is no member of its own.
        merge_init_into_class: bool,
        /// Link to each object's source: `{path}` already filled in, `{line}` and
        /// `{end_line}` left for the renderer (`https://…/src/click/core.py#L{line}`).
        source_url: Option<String>,
    },
    /// One page of an OpenAPI description (`[[autodoc.openapi]]`): the worker loads the
    /// description once per build and renders page `page` of it. What the page shows is
    /// hashed by the coordinator (the reference page's hash), not carried here, so a change
    /// to one operation re-renders only its pages.
    OpenApi {
        /// The description's root file, relative to the site root.
        file: String,
        /// The folder its `$ref`s must stay inside, relative to the site root.
        folder: String,
        /// Index of the page in the description's list of pages.
        page: u32,
        /// The page's URL relative to `url_prefix` (to check the index still names it).
        page_url: String,
        /// The description's URL prefix (`/api/rest/`).
        url_prefix: String,
    },
    /// One command of a command-line interface (`[[autodoc.cli]]`), read statically: the
    /// worker reads the CLI once per build and renders command `page` of it.
    Cli {
        /// The `.py` file or folder, relative to the site root.
        file: String,
        /// The program's name (`mkdocs`).
        program: String,
        /// The click group, typer app or argparse parser (`mkdocs.__main__:cli`).
        object: String,
        /// `click`, `typer` or `argparse`; detected when `None`.
        framework: Option<String>,
        /// Index of the page in the CLI's list of pages.
        page: u32,
        /// The page's URL relative to `url_prefix` (to check the index still names it).
        page_url: String,
        /// The CLI's URL prefix (`/cli/mkdocs/`).
        url_prefix: String,
    },
}

impl ReferenceBody {
    /// The source file the page documents, relative to the site root.
    pub fn file(&self) -> &str {
        match self {
            ReferenceBody::Python { file, .. }
            | ReferenceBody::OpenApi { file, .. }
            | ReferenceBody::Cli { file, .. } => file,
        }
    }
}

/// The entries a listing page shows (section index, taxonomy list, taxonomy term).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    /// What is listed.
    pub kind: ListingKind,
    /// Entries on this page of the listing, in display order.
    pub entries: Vec<ListingEntry>,
    /// Subsections (section listings, first page only).
    pub subsections: Vec<ListingEntry>,
    /// Present when the listing spans more than one page.
    pub paginator: Option<Paginator>,
}

/// What a [`Listing`] lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListingKind {
    /// The pages of a section.
    Section,
    /// All terms of a taxonomy (`/tags/`).
    TaxonomyIndex {
        /// Taxonomy name (`tags`).
        taxonomy: String,
    },
    /// The pages carrying one term (`/tags/rust/`).
    TaxonomyTerm {
        /// Taxonomy name (`tags`).
        taxonomy: String,
        /// The term as written in front matter (`Rust`).
        term: String,
    },
}

/// One entry of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingEntry {
    /// Title of the linked page or term.
    pub title: String,
    /// URL path of the linked page or term.
    pub url: String,
    /// Description from front matter.
    pub description: Option<String>,
    /// Date from front matter.
    pub date: Option<CompactString>,
    /// Tags of the linked page.
    pub tags: Vec<CompactString>,
    /// For taxonomy terms: how many pages carry the term.
    pub count: Option<u32>,
}

/// Position within a paginated listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paginator {
    /// 1-based page number.
    pub current: u32,
    /// Number of pages of the listing.
    pub total_pages: u32,
    /// Number of entries over all pages.
    pub total_items: u32,
    /// URL of the first page.
    pub first: String,
    /// URL of the last page.
    pub last: String,
    /// URL of the previous page.
    pub prev: Option<String>,
    /// URL of the next page.
    pub next: Option<String>,
}

/// Site-wide settings every worker receives once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteMeta {
    /// Site title.
    pub title: String,
    /// Absolute base URL, ending with `/` (`https://example.org/docs/`).
    pub base_url: String,
    /// Site description, for the home page and feeds.
    pub description: Option<String>,
    /// Language code for `<html lang>`.
    pub language: String,
    /// Which per-page outputs to write.
    pub outputs: OutputFormats,
    /// Enabled taxonomies, in display order (`tags`, `categories`).
    pub taxonomies: Vec<String>,
    /// Versions of versioned docs, empty when the site is not versioned.
    pub versions: Vec<VersionInfo>,
    /// Content directory relative to the site root (`content`). Relative links in markdown
    /// resolve against the source file's folder, and folders map to URLs below it.
    pub content_dir: String,
    /// Whether the site search index (`/search/`) is written; workers then count each
    /// page's search terms.
    pub search_index: bool,
    /// `ssg-coord <version>`, for the generator meta tag.
    pub generator: String,
    /// Which Markdown extensions beyond CommonMark + GFM the pages are written in.
    pub markdown: MarkdownDialect,
    /// The configuration's `[extra]` table as a JSON object, for templates
    /// (`site.extra`); empty when there is none.
    pub extra_json: String,
}

/// The Markdown dialect of a site's pages.
///
/// Every site gets the Python-Markdown / pymdown-extensions blocks that cannot mean anything
/// else in CommonMark: `!!!` admonitions, `???` details, `///` blocks, `=== "Tab"` content
/// tabs, `--8<--` snippets and `title=` on code fences. `mkdocs` adds the rest of what an
/// `mkdocs.yml` site uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkdownDialect {
    /// Definition lists, abbreviations (`*[HTML]: …`), `attr_list` (`{ #id .class }`),
    /// `md_in_html` (`<div markdown>`), `$…$` math passed through for KaTeX/MathJax and
    /// `:material-…:` icons: syntax that means something else (or nothing) in CommonMark.
    pub mkdocs: bool,
    /// Folders, relative to the site root and `/`-separated, in which `--8<--` snippet
    /// paths are looked up, in order (`.` is the site root).
    pub snippet_base_paths: Vec<String>,
    /// MDX (Docusaurus): `import`/`export` lines and `{/* comments */}` are removed,
    /// `<Tabs>`/`<TabItem>` become content tabs, and other JSX components are dropped with
    /// their children kept (a [`crate::WarningKind::Unsupported`] warning names each).
    pub mdx: bool,
}

/// Which per-page outputs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFormats {
    /// `<url>/index.html`.
    pub html: bool,
    /// `<url>/index.json`: metadata, headings, plain text, outgoing links.
    pub json: bool,
    /// `<url>/index.txt`: plain text.
    pub txt: bool,
}

/// One version of versioned docs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// Folder name under `content/_versions/` (`v1`).
    pub id: String,
    /// Display label (`1.x`).
    pub label: String,
    /// URL prefix without trailing slash (`/v1`, or empty for the latest at the root).
    pub url_prefix: String,
    /// True for the version marked latest.
    pub latest: bool,
}

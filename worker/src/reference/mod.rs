//! Reference pages from sources other than Python modules: command-line interfaces (`cli/`)
//! and OpenAPI descriptions (`openapi/`). Both read their source statically (Ruff's parser
//! for Python; a JSON/YAML reader for OpenAPI), never import or run it, and turn it into
//! pages the build renders like any other: each page is a [`ReferencePage`].
//!
//! # The interface the build calls
//!
//! Both sources follow the same two steps, so the build registers them the same way:
//!
//! 1. **Load** the source into a model, once per source (per worker when sharded):
//!    - CLI: [`cli::extract_cli`] with a [`cli::CliSource`] (`[[autodoc.cli]]`: the program
//!      `name`, the `.py` file or package folder on disk and its site-relative path for
//!      messages, the `object`, the optional `framework`) → [`cli::CliDoc`]. Cheap: a few
//!      modules are parsed, only those the command reaches.
//!    - OpenAPI: [`openapi::load_spec`] with an [`openapi::SpecSource`] (the root file on
//!      disk, its site-relative path, the folder `$ref`s must stay inside) →
//!      [`openapi::Spec`]. This reads every file the root references; GitHub's REST
//!      description (13 MB of JSON, 1,223 operations, 2,240 pages) loads in 0.15–0.45 s
//!      and renders every page in 0.4–0.7 s with a 40 MiB peak RSS; as 10 MB of YAML it
//!      loads in 0.75–1.1 s, peak RSS 102 MiB (`benches/reference.rs`, release, on a shared
//!      2-core VM).
//! 2. **List** the pages (cheap, for planning: nav, URLs, shards) and **render** one page at
//!    a time, by its key, so pages can be spread over workers:
//!    - CLI: [`cli::CliDoc::pages`] → `Vec<cli::CliPageKey>` (one per visible command, the
//!      top command first); [`cli::render_command_page`]`(doc, key, base_url)` →
//!      [`ReferencePage`]. Help texts are plain text (as click, typer and argparse print
//!      them), so no markdown renderer is needed.
//!    - OpenAPI: [`openapi::Spec::pages`] → `Vec<openapi::PageKey>` (the overview, a page per
//!      tag, per operation and per component schema, in spec order);
//!      [`openapi::Spec::render_page`]`(key, base_url, markdown)` → [`ReferencePage`], where
//!      `markdown` renders the description's CommonMark fields as the Python autodoc's
//!      docstrings are (`render/mod.rs` builds that closure);
//!      [`openapi::Spec::page_fingerprint`] hashes exactly what one page shows (its
//!      operation and every schema its `$ref`s reach, the URLs it links to), so a spec
//!      change re-renders only the pages it touches; [`openapi::Spec::source_files`] lists
//!      the files it was read from, for the dev server to watch. The CLI needs no such
//!      function: every `.py` file under its `path` is read (to find subcommands added from
//!      other modules), so their contents are its pages' fingerprint and what to watch.
//!
//! A key is plain data (an index or a path of names), so the coordinator can plan with it and
//! a worker can render it after loading the same source: both sides list pages in the same
//! deterministic order. Loading is deterministic too (no hash-map order reaches output).
//! A loaded `Spec` or `CliDoc` is `Send + Sync` and immutable: a worker loads a source once
//! (GitHub's description holds about 30 MiB as a tree) and renders all its pages of that
//! source from it, on any thread; rendering one page allocates only that page.
//!
//! Per page the build gets a [`ReferencePage`]: its URL (relative), title, HTML fragment
//! (for the page template's body, as the Python autodoc's fragment is), headings (table of
//! contents), anchors and links (the link check), and plain text (`index.txt`, search,
//! `llm-full.txt`). Stable CSS class names are listed in `cli/render.rs` and
//! `openapi/render.rs`; the theme has no rules for them yet.
//!
//! Every page's `url` is **relative to the source's `url`** from `ssg.toml` (`""` for the
//! source's own top page, `build/`, `operations/get-repo/`, always ending in `/`); links
//! between pages of one source are written relative to that prefix too, so the build gives
//! the prefix (`/cli/`, `/api/rest/`) to the renderer as `base_url` and every `href` is final.
//!
//! Errors are [`ReferenceError`]s: the site-relative file, the 1-based line, what is wrong
//! and what to do. A source that fails to load fails its pages only; the build goes on.
//! What cannot be known statically (a default computed at run time, choices from a function)
//! is not an error: the model keeps it as the source text ([`cli::Text::AsWritten`]).

pub mod cli;
pub mod openapi;

mod html;

#[cfg(test)]
mod fuzz_tests;

use protocol::Heading;

/// One rendered reference page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferencePage {
    /// URL relative to the source's `url` (`""`, `build/`, `operations/get-repo/`).
    pub url: String,
    /// Page title (`mkdocs build`, `GET /repos/{owner}/{repo}`, `Pet`).
    pub title: String,
    /// The HTML fragment for the page body (every piece of source text escaped).
    pub html: String,
    /// Headings for the table of contents, in page order; their ids are in the fragment.
    pub headings: Vec<Heading>,
    /// Every `id` in the fragment, in page order (headings, options, parameters, media
    /// types), for the link check of `#fragment` links.
    pub anchors: Vec<String>,
    /// Every `href` in the fragment (unescaped, first occurrence order, no repeats):
    /// links to other pages of the source (under `base_url`), and whatever links the
    /// descriptions' markdown holds, for the build to record and check.
    pub links: Vec<String>,
    /// The page as plain text, for `index.txt`, search and `llm-full.txt`.
    pub plain_text: String,
}

/// A reference source that cannot be read: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceError {
    /// Site-relative path of the file at fault.
    pub file: String,
    /// 1-based line (1 when the whole file is at fault).
    pub line: u32,
    /// What is wrong, lower-case, no final period.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl std::fmt::Display for ReferenceError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "{}:{}: {} ({})",
            self.file, self.line, self.message, self.hint
        )
    }
}

impl std::error::Error for ReferenceError {}

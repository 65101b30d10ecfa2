//! Stable identifiers for pages, shards and batches, and the kind of a page.
//!
//! A [`PageId`] is derived from inputs only (a source path or a generator key), never from
//! discovery order, so the same page has the same id in every build and every mode.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable identity of a page.
///
/// - content pages: the source path relative to the site root, `/`-separated
///   (`content/guide/install.md`); a `_shared/` page inside a version gets `@<version>`
///   appended;
/// - autodoc pages: `autodoc:<dotted module name>` (`autodoc:mypkg.sub.mod`);
/// - other reference pages: `<source>:<name>:<page URL in it>`
///   (`openapi:petstore:operations/list-pets/`);
/// - generated pages: `generated:<url>` (`generated:/tags/rust/page/2/`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PageId(pub String);

impl PageId {
    /// The id of a markdown page, from its site-relative source path.
    pub fn content(rel_path: &str) -> PageId {
        PageId(rel_path.to_string())
    }
    /// The id of a Python module's page.
    pub fn autodoc(module: &str) -> PageId {
        PageId(format!("autodoc:{module}"))
    }
    /// The id of a page of a reference source other than Python: its kind (`openapi`),
    /// the entry's `name` in ssg.toml and the page's URL relative to the entry's `url`.
    pub fn reference(kind: &str, name: &str, page_url: &str) -> PageId {
        PageId(format!("{kind}:{name}:{page_url}"))
    }
    /// The id of a generated page, from its URL.
    pub fn generated(url: &str) -> PageId {
        PageId(format!("generated:{url}"))
    }
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Stable name of a shard (the unit of caching and invalidation), e.g. `content`,
/// `autodoc`, `v1/content/guide`, `hash-03`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ShardId(pub String);

impl fmt::Display for ShardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Number of a batch within one build (the unit of scheduling). Only meaningful for the
/// build that issued it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BatchId(pub u64);

impl fmt::Display for BatchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "batch {}", self.0)
    }
}

/// What produced a page. Reported per kind in the build summary and used by `--shard-autodoc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PageKind {
    /// A markdown file under the content directory.
    Content,
    /// One Python module or package, documented statically.
    Autodoc,
    /// A page the build makes: home, section pagination, taxonomy pages, 404, alias redirects.
    Generated,
}

impl PageKind {
    /// Lower-case name used in JSON output and templates (`content`, `autodoc`, `generated`).
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Content => "content",
            PageKind::Autodoc => "autodoc",
            PageKind::Generated => "generated",
        }
    }
}

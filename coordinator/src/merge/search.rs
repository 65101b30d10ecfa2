//! The site-wide search index `index.json`, read by the theme's client-side search.
//!
//! OWNER: config/front-matter helper. Interface; the implementation replaces the `todo!()`.

use protocol::OutputFile;
use std::io;
use std::path::Path;

/// One searchable page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchEntry {
    /// Title.
    pub title: String,
    /// Site-absolute URL path.
    pub url: String,
    /// `content`, `autodoc` or `generated`.
    pub kind: &'static str,
    /// Title of the page's top-level section (empty at the root).
    pub section: String,
    /// Version label, for versioned docs.
    pub version: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Heading texts.
    pub headings: Vec<String>,
    /// Plain-text excerpt.
    pub summary: String,
}

/// Writes `index.json`: `{"version": 1, "pages": [...]}` sorted by URL.
pub fn write_search_index(out_dir: &Path, entries: &[SearchEntry]) -> io::Result<OutputFile> {
    let _ = (out_dir, entries);
    todo!()
}

//! The site-wide search index `index.json`, read by the theme's client-side search.
//!
//! Shape: `{"version":1,"pages":[{"title","url","kind","section","version","tags",
//! "headings","summary"}, …]}`, compact, pages sorted by URL, fields in that order. The
//! theme's script depends on this shape; bump [`SEARCH_INDEX_VERSION`] when it changes.
// Used by ops::build once integrated.

use protocol::OutputFile;
use serde::Serialize;
use std::io;
use std::path::Path;

/// One searchable page, borrowed from the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchEntry<'a> {
    /// Title.
    pub title: &'a str,
    /// Site-absolute URL path.
    pub url: &'a str,
    /// `content`, `autodoc` or `generated`.
    pub kind: &'static str,
    /// Title of the page's top-level section (empty at the root).
    pub section: &'a str,
    /// Version label, for versioned docs.
    pub version: Option<&'a str>,
    /// Tags.
    pub tags: &'a [String],
    /// Heading texts.
    pub headings: Vec<&'a str>,
    /// Plain-text excerpt.
    pub summary: &'a str,
}

/// Version of the index's JSON shape.
pub const SEARCH_INDEX_VERSION: u32 = 1;

/// The file as written. A mirror of [`SearchEntry`] keeps serde at this boundary, and
/// serde writes struct fields in declaration order, which fixes the key order.
#[derive(Serialize)]
struct SearchIndexJson<'a> {
    version: u32,
    pages: Vec<SearchEntryJson<'a>>,
}

#[derive(Serialize)]
struct SearchEntryJson<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'a str,
    section: &'a str,
    version: Option<&'a str>,
    tags: &'a [String],
    headings: &'a [&'a str],
    summary: &'a str,
}

/// Everything in an entry, URL first: the order of pages in the file.
type OrderKey<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    &'a [String],
    &'a [&'a str],
    &'a str,
);

impl<'a> SearchEntryJson<'a> {
    fn order_key(&self) -> OrderKey<'a> {
        (
            self.url,
            self.title,
            self.kind,
            self.section,
            self.version,
            self.tags,
            self.headings,
            self.summary,
        )
    }
}

/// Writes `index.json`: `{"version": 1, "pages": [...]}` sorted by URL.
///
/// Entries with the same URL are ordered by their other fields, so the bytes never depend
/// on the input order.
pub fn write_search_index(out_dir: &Path, entries: &[SearchEntry<'_>]) -> io::Result<OutputFile> {
    let mut pages: Vec<SearchEntryJson<'_>> = entries
        .iter()
        .map(|entry| SearchEntryJson {
            title: entry.title,
            url: entry.url,
            kind: entry.kind,
            section: entry.section,
            version: entry.version,
            tags: entry.tags,
            headings: &entry.headings,
            summary: entry.summary,
        })
        .collect();
    pages.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let index = SearchIndexJson {
        version: SEARCH_INDEX_VERSION,
        pages,
    };
    let bytes = serde_json::to_vec(&index).map_err(io::Error::other)?;
    worker::outputs::write_output(out_dir, "index.json", &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(url: &'a str, title: &'a str) -> SearchEntry<'a> {
        SearchEntry {
            title,
            url,
            kind: "content",
            section: "",
            version: None,
            tags: &[],
            headings: Vec::new(),
            summary: "",
        }
    }

    fn render(entries: &[SearchEntry<'_>]) -> String {
        let out = tempfile::tempdir().unwrap();
        let written = write_search_index(out.path(), entries).unwrap();
        assert_eq!(written.path, "index.json");
        std::fs::read_to_string(out.path().join("index.json")).unwrap()
    }

    #[test]
    fn shape_and_order() {
        let tags = ["setup".to_string(), "linux".to_string()];
        let mut entries = vec![
            SearchEntry {
                title: "Install \"it\"",
                url: "/guide/install/",
                kind: "content",
                section: "Guide",
                version: Some("2.0"),
                tags: &tags,
                headings: vec!["Requirements", "Steps"],
                summary: "How to <install>.",
            },
            SearchEntry {
                kind: "autodoc",
                ..entry("/api/mypkg/", "mypkg")
            },
            entry("/", "Home"),
        ];
        let expected = concat!(
            r#"{"version":1,"pages":["#,
            r#"{"title":"Home","url":"/","kind":"content","section":"","version":null,"tags":[],"headings":[],"summary":""},"#,
            r#"{"title":"mypkg","url":"/api/mypkg/","kind":"autodoc","section":"","version":null,"tags":[],"headings":[],"summary":""},"#,
            r#"{"title":"Install \"it\"","url":"/guide/install/","kind":"content","section":"Guide","version":"2.0","tags":["setup","linux"],"headings":["Requirements","Steps"],"summary":"How to <install>."}"#,
            "]}"
        );
        assert_eq!(render(&entries), expected);
        entries.reverse();
        assert_eq!(render(&entries), expected);
    }

    #[test]
    fn empty_and_duplicate_urls() {
        assert_eq!(render(&[]), r#"{"version":1,"pages":[]}"#);
        let a = entry("/same/", "A");
        let b = entry("/same/", "B");
        assert_eq!(render(&[a.clone(), b.clone()]), render(&[b, a]));
    }
}

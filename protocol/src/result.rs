//! What a worker sends back for a batch: [`ShardResult`].
//!
//! Rendered HTML never crosses the pipe: the worker writes its outputs into the output
//! directory and returns their paths and content hashes, plus the small per-page facts the
//! merge needs (title, headings, anchors, outgoing links, a summary for search and feeds).

use crate::ids::{BatchId, PageId};
use serde::{Deserialize, Serialize};

/// The result of rendering one batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardResult {
    /// The batch this answers.
    pub batch: BatchId,
    /// One result per page of the batch, in batch order.
    pub pages: Vec<PageResult>,
    /// Peak resident set size of the worker so far, in bytes (0 when unknown).
    pub worker_peak_rss: u64,
}

/// The result of rendering one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageResult {
    /// The page.
    pub id: PageId,
    /// Wall time spent rendering it, in microseconds.
    pub elapsed_micros: u64,
    /// What was written, or why nothing was.
    pub outcome: Result<RenderedPage, PageError>,
}

/// A successfully rendered page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RenderedPage {
    /// Final title (for autodoc pages, the module name).
    pub title: String,
    /// Files written, relative to the output directory, in a fixed order.
    pub outputs: Vec<OutputFile>,
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// Every element id in the page body that a `#fragment` may target.
    pub anchors: Vec<String>,
    /// Internal outgoing links, in document order.
    pub links: Vec<OutgoingLink>,
    /// Relative `.md` links and cross-references the page resolved through the nav tree, and
    /// what they resolved to; the cache re-renders the page when one resolves differently.
    pub link_deps: Vec<LinkDep>,
    /// Plain-text excerpt for the search index and feeds (at most ~300 characters).
    pub summary: String,
    /// Number of words of plain text.
    pub word_count: u32,
    /// The body's search terms with their counts, for the site search (empty when the site
    /// has no search index).
    pub search_terms: SearchTerms,
    /// Problems that did not stop the page (an unknown code language, a broken relative
    /// link, ...).
    pub warnings: Vec<PageWarning>,
}

/// A page's search terms (`worker::search_terms`), compact: one string and one count per
/// term rather than a `String` each, since the coordinator keeps them for every page. Made
/// by [`SearchTerms::new`], which also takes their [`digest`](SearchTerms::digest) once, where
/// the page is rendered: the merge keys each page's search postings by a digest of the
/// page, which takes this one rather than hashing every term and count again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchTerms {
    /// Distinct folded terms in byte order, each followed by `\n`.
    terms: String,
    /// How often each term occurs, in the order of `terms` (at most `u16::MAX`).
    counts: Vec<u16>,
    /// Length of the text in words, for length normalisation.
    length: u32,
    /// [`SearchTerms::digest_of`] the three fields above.
    digest: u128,
}

impl Default for SearchTerms {
    /// No terms (a page of a site without a search index).
    fn default() -> SearchTerms {
        SearchTerms::new(String::new(), Vec::new(), 0)
    }
}

impl SearchTerms {
    /// The terms (distinct, folded, in byte order, each followed by `\n`), how often each
    /// occurs, and the text's length in words.
    pub fn new(terms: String, counts: Vec<u16>, length: u32) -> SearchTerms {
        let digest = SearchTerms::digest_of(&terms, &counts, length);
        SearchTerms {
            terms,
            counts,
            length,
            digest,
        }
    }

    /// The terms, each followed by `\n`.
    pub fn terms(&self) -> &str {
        &self.terms
    }

    /// How often each term occurs, in the order of [`SearchTerms::terms`].
    pub fn counts(&self) -> &[u16] {
        &self.counts
    }

    /// Length of the text in words.
    pub fn length(&self) -> u32 {
        self.length
    }

    /// xxh3-128 of the terms, their counts and the length, taken when they were made.
    pub fn digest(&self) -> u128 {
        self.digest
    }

    /// (term, count) pairs in term order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u16)> {
        self.terms.lines().zip(self.counts.iter().copied())
    }

    /// The digest of terms, counts and length: each framed by its length in bytes, the
    /// counts as little-endian bytes (fed from a stack buffer, not copied into a vector).
    fn digest_of(terms: &str, counts: &[u16], length: u32) -> u128 {
        const PER_BUFFER: usize = 256;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&(terms.len() as u64).to_le_bytes());
        hasher.update(terms.as_bytes());
        hasher.update(&((counts.len() * 2) as u64).to_le_bytes());
        let mut buffer = [0u8; PER_BUFFER * 2];
        for chunk in counts.chunks(PER_BUFFER) {
            for (bytes, count) in buffer.chunks_exact_mut(2).zip(chunk) {
                bytes.copy_from_slice(&count.to_le_bytes());
            }
            hasher.update(&buffer[..chunk.len() * 2]);
        }
        hasher.update(&length.to_le_bytes());
        hasher.digest128()
    }
}

/// One file a worker wrote.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OutputFile {
    /// Path relative to the output directory, `/`-separated (`guide/install/index.html`).
    pub path: String,
    /// xxh3-128 of the content.
    pub hash: u128,
    /// Length in bytes.
    pub len: u64,
    /// Modification time after writing, in nanoseconds since the epoch (0 when unknown):
    /// with the length, how the cache recognises an output nobody touched since.
    pub modified: u128,
}

/// A heading of a rendered page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text.
    pub text: String,
    /// Element id (the `#fragment`).
    pub id: String,
}

/// An internal link found in a page body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OutgoingLink {
    /// Site-absolute target without the base path, with its fragment if any
    /// (`/guide/install/#setup`); a fragment-only link is resolved against the page itself.
    pub target: String,
    /// 1-based line in the page's source file, when known.
    pub line: Option<u32>,
}

/// A resolved relative link or cross-reference, or a file the page included.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LinkDep {
    /// What the page asked for: a site-relative source path (`content/guide/install.md`), a
    /// dotted Python name, or [`LinkDep::INCLUDED_FILE`] followed by the site-relative path
    /// of a file the page included (a `--8<--` snippet).
    pub target: String,
    /// The URL it resolved to, `None` when it did not resolve; for an included file, the
    /// hex xxh3-128 of its bytes.
    pub url: Option<String>,
}

impl LinkDep {
    /// Prefix of the `target` of an included file.
    pub const INCLUDED_FILE: &'static str = "file:";

    /// The dependency on an included file (site-relative path) with the given content hash.
    pub fn included_file(path: &str, hash: u128) -> LinkDep {
        LinkDep {
            target: format!("{}{path}", Self::INCLUDED_FILE),
            url: Some(format!("{hash:032x}")),
        }
    }

    /// The site-relative path of an included file, `None` for links.
    pub fn included_path(&self) -> Option<&str> {
        self.target.strip_prefix(Self::INCLUDED_FILE)
    }
}

/// A problem that did not stop a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageWarning {
    /// Site-relative file the problem is in.
    pub file: Option<String>,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// What is wrong and what to do.
    pub message: String,
    /// What sort of problem it is (`--strict` turns dead links into errors).
    pub kind: WarningKind,
}

/// Class of a [`PageWarning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WarningKind {
    /// A link that leads nowhere.
    DeadLink,
    /// Markup that was rendered, but probably not as meant.
    Markup,
    /// Markup of another tool that was left out (an MDX component): the same message on
    /// many pages is reported once for the site.
    Unsupported,
}

/// Why a page was not rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageError {
    /// Site-relative file at fault (the page's source, or the template).
    pub file: Option<String>,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// Class of failure.
    pub kind: PageErrorKind,
    /// What went wrong, lower case, no final period.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

/// Class of a [`PageError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PageErrorKind {
    /// Front matter that does not parse or has a field of the wrong type.
    FrontMatter,
    /// A source file that is not valid UTF-8.
    Encoding,
    /// A Python module that does not parse.
    Python,
    /// A template that does not parse or fails while rendering.
    Template,
    /// The page names a template that does not exist.
    MissingTemplate,
    /// Two pages claim the same URL, or a slug/url is invalid.
    Url,
    /// Reading a source or writing an output failed.
    Io,
    /// The worker process died while rendering the page.
    WorkerCrashed,
    /// The page took longer than `--page-timeout`.
    Timeout,
    /// A bug in ssg-coord (a caught panic).
    Internal,
    /// The page is past one of the renderer's bounds (nesting, source size), which keep a
    /// hostile page from taking down the build.
    Limit,
    /// A reference source (an OpenAPI description, a CLI) that cannot be read.
    Reference,
}

impl PageErrorKind {
    /// Short lower-case name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PageErrorKind::FrontMatter => "front matter",
            PageErrorKind::Encoding => "encoding",
            PageErrorKind::Python => "python",
            PageErrorKind::Template => "template",
            PageErrorKind::MissingTemplate => "missing template",
            PageErrorKind::Url => "url",
            PageErrorKind::Io => "io",
            PageErrorKind::WorkerCrashed => "worker crashed",
            PageErrorKind::Timeout => "timeout",
            PageErrorKind::Internal => "internal error",
            PageErrorKind::Limit => "limit",
            PageErrorKind::Reference => "reference source",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SearchTerms;

    #[test]
    fn search_terms_carry_the_digest_of_what_they_hold() {
        let terms = |text: &str, counts: &[u16], length| {
            SearchTerms::new(text.to_string(), counts.to_vec(), length)
        };
        let page = terms("click\nhelp\n", &[2, 1], 7);
        assert_eq!(page.digest(), terms("click\nhelp\n", &[2, 1], 7).digest());
        // Any field changed changes it: a term, a count, the length.
        for other in [
            terms("click\nhelps\n", &[2, 1], 7),
            terms("click\nhelp\n", &[1, 2], 7),
            terms("click\nhelp\n", &[2, 1], 8),
            // The framing keeps a byte moved from the terms to the counts apart.
            terms("click\nhelp", &[2, 1], 7),
        ] {
            assert_ne!(page.digest(), other.digest());
        }
        assert_eq!(SearchTerms::default(), terms("", &[], 0));
        // The digest travels with the terms, as a worker sends them.
        let sent: SearchTerms = postcard::from_bytes(&postcard::to_stdvec(&page).unwrap()).unwrap();
        assert_eq!(sent, page);
        assert_eq!(sent.digest(), page.digest());
    }

    #[test]
    fn counts_are_digested_as_one_text_of_their_bytes() {
        // More counts than one stack buffer holds.
        let counts: Vec<u16> = (0..700u16).map(|n| n.wrapping_mul(257)).collect();
        let terms = "a\n".repeat(700);
        let mut expected = xxhash_rust::xxh3::Xxh3::new();
        let bytes: Vec<u8> = counts.iter().flat_map(|c| c.to_le_bytes()).collect();
        for text in [terms.as_bytes(), &bytes] {
            expected.update(&(text.len() as u64).to_le_bytes());
            expected.update(text);
        }
        expected.update(&9u32.to_le_bytes());
        let digest = SearchTerms::new(terms, counts, 9).digest();
        assert_eq!(digest, expected.digest128());
    }
}

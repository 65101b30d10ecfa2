//! The files of the search index: postings cut into chunks, the dictionary cut into buckets
//! by term prefix, pages cut into chunks, and the manifest that maps one to the other (the
//! shapes are documented in the parent module).
//!
//! Every cut is made by size, so a query's download stays small whatever the site size: a
//! postings chunk closes once it holds [`POSTINGS_CHUNK_BYTES`], a dictionary bucket larger
//! than [`BUCKET_BYTES`] is split by one more character of prefix, a page chunk closes at
//! [`PAGE_CHUNK_BYTES`]. A bucket that was split keeps, under its own prefix, the term equal
//! to the prefix and the [`SPLIT_BUCKET_COMPLETIONS`] terms below it with the most postings,
//! so a prefix being typed always has a bucket with its likeliest completions.

use super::postings::{Index, encode_term};
use super::{SEARCH_FORMAT, SearchKind, SearchPage, SearchSite, SubEntry};
use serde::Serialize;
use std::io;

/// A postings chunk closes once it is this large (one term's postings may exceed it).
pub(crate) const POSTINGS_CHUNK_BYTES: usize = 12 * 1024;
/// A dictionary bucket larger than this is split by a longer prefix.
pub(crate) const BUCKET_BYTES: usize = 8 * 1024;
/// Completions a split bucket keeps for its prefix.
pub(crate) const SPLIT_BUCKET_COMPLETIONS: usize = 8;
/// A page chunk closes once it is this large.
pub(crate) const PAGE_CHUNK_BYTES: usize = 4 * 1024;

/// The manifest, `search/manifest.json`. Field order is the file's key order.
#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    pages: usize,
    /// Whether pages have an `index.txt` beside them.
    text: bool,
    /// Prefix of each dictionary bucket; bucket `n` is `t/<n>.txt`.
    buckets: Vec<String>,
    /// Number of postings chunks.
    chunks: usize,
    /// First page of each page chunk; chunk `n` is `d/<n>.json`.
    docs: Vec<u32>,
    versions: &'a [&'a str],
    kinds: [&'static str; 3],
    /// `[first page, version (-1: none), kind]` for each run of pages sharing both.
    groups: Vec<(u32, i32, u8)>,
}

/// Hands every file of the index to `emit` as (path under the output directory, bytes), in
/// a fixed order, one at a time: buffers are reused rather than all files held at once.
pub(crate) fn lay_out(
    site: &SearchSite<'_>,
    pages: &[&SearchPage<'_>],
    entries: &[Vec<SubEntry<'_>>],
    index: &Index<'_>,
    emit: &mut dyn FnMut(&str, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let mut path = String::new();
    let mut numbered = |folder: &str, number: usize, extension: &str| -> String {
        path.clear();
        path.push_str("search/");
        path.push_str(folder);
        path.push('/');
        push_number(&mut path, number);
        path.push_str(extension);
        path.clone()
    };

    // Postings chunks, and for each term the chunk it went to.
    let mut chunk_of_term: Vec<u32> = Vec::with_capacity(index.terms.len());
    let mut chunk = Vec::with_capacity(POSTINGS_CHUNK_BYTES * 2);
    let mut chunks = 0usize;
    for (term, postings) in &index.terms {
        encode_term(&mut chunk, term, postings);
        chunk_of_term.push(chunks as u32);
        if chunk.len() >= POSTINGS_CHUNK_BYTES {
            emit(&numbered("p", chunks, ".bin"), &chunk)?;
            chunk.clear();
            chunks += 1;
        }
    }
    if !chunk.is_empty() {
        emit(&numbered("p", chunks, ".bin"), &chunk)?;
        chunks += 1;
    }
    drop(chunk);

    // Dictionary buckets by prefix, of lines `term count chunk`.
    let terms: Vec<&str> = index.terms.iter().map(|(t, _)| t.as_ref()).collect();
    let counts: Vec<u32> = index.terms.iter().map(|(_, p)| p.len() as u32).collect();
    let mut line_ends: Vec<usize> = Vec::with_capacity(terms.len());
    let mut line_end = 0;
    for ((term, count), chunk) in terms.iter().zip(&counts).zip(&chunk_of_term) {
        line_end += term.len() + decimal_digits(*count) + decimal_digits(*chunk) + 3;
        line_ends.push(line_end);
    }
    let dictionary = Dictionary {
        terms: &terms,
        line_ends: &line_ends,
        counts: &counts,
    };
    let mut buckets: Vec<(String, Vec<u32>)> = Vec::new();
    for range in runs_by_prefix(&terms, 0..terms.len(), 2) {
        let prefix = char_prefix(terms[range.start], 2).to_string();
        dictionary.split_bucket(range, prefix, &mut buckets);
    }
    let mut text = String::with_capacity(BUCKET_BYTES * 2);
    for (number, (_, members)) in buckets.iter().enumerate() {
        text.clear();
        for &member in members {
            let member = member as usize;
            text.push_str(terms[member]);
            text.push(' ');
            push_number(&mut text, counts[member] as usize);
            text.push(' ');
            push_number(&mut text, chunk_of_term[member] as usize);
            text.push('\n');
        }
        emit(&numbered("t", number, ".txt"), text.as_bytes())?;
    }
    drop(text);

    // Page chunks.
    let mut docs = Vec::new();
    let mut doc_chunk: Vec<u8> = Vec::with_capacity(PAGE_CHUNK_BYTES * 2);
    for (number, (page, subs)) in pages.iter().zip(entries).enumerate() {
        if doc_chunk.is_empty() {
            docs.push(number as u32);
            doc_chunk.push(b'[');
        } else {
            doc_chunk.push(b',');
        }
        let subs: Vec<(&str, &str, u8)> = subs
            .iter()
            .map(|e| {
                // An API object's text is its anchor: not written twice.
                let text = if e.text == e.anchor { "" } else { e.text };
                (e.anchor, text, e.kind as u8)
            })
            .collect();
        let record = (
            page.url,
            page.title,
            page.kind.as_str(),
            page.section,
            page.summary,
            subs,
        );
        serde_json::to_writer(&mut doc_chunk, &record).map_err(io::Error::other)?;
        if doc_chunk.len() >= PAGE_CHUNK_BYTES || number + 1 == pages.len() {
            doc_chunk.push(b']');
            emit(&numbered("d", docs.len() - 1, ".json"), &doc_chunk)?;
            doc_chunk.clear();
        }
    }

    let mut groups: Vec<(u32, i32, u8)> = Vec::new();
    for (number, page) in pages.iter().enumerate() {
        let version = page.version.map_or(-1, i32::from);
        let kind = page.kind as u8;
        if groups.last().is_none_or(|g| (g.1, g.2) != (version, kind)) {
            groups.push((number as u32, version, kind));
        }
    }
    let manifest = Manifest {
        format: SEARCH_FORMAT,
        pages: pages.len(),
        text: site.page_text,
        buckets: buckets.into_iter().map(|(prefix, _)| prefix).collect(),
        chunks,
        docs,
        versions: &site.versions,
        kinds: [
            SearchKind::Guide.as_str(),
            SearchKind::Cli.as_str(),
            SearchKind::Api.as_str(),
        ],
        groups,
    };
    let manifest = serde_json::to_vec(&manifest).map_err(io::Error::other)?;
    emit("search/manifest.json", &manifest)
}

/// How many decimal digits `number` takes.
fn decimal_digits(number: u32) -> usize {
    number.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// The first `chars` characters of `term` (all of it when shorter).
fn char_prefix(term: &str, chars: usize) -> &str {
    term.char_indices()
        .nth(chars)
        .map_or(term, |(end, _)| &term[..end])
}

/// Appends `number` in decimal.
fn push_number(text: &mut String, number: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = number;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        text.push(char::from(digit));
    }
}

/// Splits `range` of the sorted `terms` into runs sharing their first `chars` characters.
fn runs_by_prefix(
    terms: &[&str],
    range: std::ops::Range<usize>,
    chars: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut start = range.start;
    while start < range.end {
        let prefix = char_prefix(terms[start], chars);
        // A term shorter than `chars` characters is its own prefix, shared with no other
        // (terms are distinct); else the terms starting with the prefix follow it, sorted.
        let end = if prefix.chars().count() < chars {
            start + 1
        } else {
            start + terms[start..range.end].partition_point(|term| term.starts_with(prefix))
        };
        runs.push(start..end);
        start = end;
    }
    runs
}

/// The sorted terms with their dictionary lines' lengths and numbers of postings.
struct Dictionary<'a> {
    terms: &'a [&'a str],
    /// Where each term's line would end if all lines were written one after the other.
    line_ends: &'a [usize],
    counts: &'a [u32],
}

impl Dictionary<'_> {
    /// One bucket for `range` (all terms starting with `prefix`) when it is small enough;
    /// else a bucket for the prefix itself (the term equal to it and the likeliest
    /// completions) and one per longer prefix, recursively.
    fn split_bucket(
        &self,
        range: std::ops::Range<usize>,
        prefix: String,
        out: &mut Vec<(String, Vec<u32>)>,
    ) {
        let line_start = |i: usize| if i == 0 { 0 } else { self.line_ends[i - 1] };
        let bytes = line_start(range.end) - line_start(range.start);
        let depth = prefix.chars().count();
        if bytes <= BUCKET_BYTES || depth >= worker::search_terms::MAX_TERM_CHARS {
            out.push((prefix, range.map(|i| i as u32).collect()));
            return;
        }
        // Sorted order puts a term equal to the prefix first.
        let mut start = range.start;
        let mut own = Vec::new();
        if self.terms[start] == prefix {
            own.push(start as u32);
            start += 1;
        }
        let mut below: Vec<u32> = (start as u32..range.end as u32).collect();
        let by_count = |a: &u32, b: &u32| {
            self.counts[*b as usize]
                .cmp(&self.counts[*a as usize])
                .then(a.cmp(b))
        };
        if below.len() > SPLIT_BUCKET_COMPLETIONS {
            below.select_nth_unstable_by(SPLIT_BUCKET_COMPLETIONS, by_count);
            below.truncate(SPLIT_BUCKET_COMPLETIONS);
        }
        below.sort_unstable();
        own.extend(below);
        out.push((prefix, own));
        for run in runs_by_prefix(self.terms, start..range.end, depth + 1) {
            let longer = char_prefix(self.terms[run.start], depth + 1).to_string();
            self.split_bucket(run, longer, out);
        }
    }
}

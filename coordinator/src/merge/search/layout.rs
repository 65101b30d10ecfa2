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

/// Every file of the index as (path under the output directory, bytes), in a fixed order.
pub(crate) fn lay_out(
    site: &SearchSite<'_>,
    pages: &[&SearchPage<'_>],
    entries: &[Vec<SubEntry<'_>>],
    index: &Index<'_>,
) -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();

    // Postings chunks, and for each term the chunk it went to.
    let mut chunk_of_term = Vec::with_capacity(index.terms.len());
    let mut chunk = Vec::new();
    let mut chunks = 0usize;
    for (term, postings) in &index.terms {
        encode_term(&mut chunk, term, postings);
        chunk_of_term.push(chunks);
        if chunk.len() >= POSTINGS_CHUNK_BYTES {
            files.push((format!("search/p/{chunks}.bin"), std::mem::take(&mut chunk)));
            chunks += 1;
        }
    }
    if !chunk.is_empty() {
        files.push((format!("search/p/{chunks}.bin"), chunk));
        chunks += 1;
    }

    // Dictionary lines, then buckets by prefix.
    let lines: Vec<String> = index
        .terms
        .iter()
        .zip(&chunk_of_term)
        .map(|((term, postings), chunk)| format!("{term} {} {chunk}\n", postings.len()))
        .collect();
    let terms: Vec<&str> = index.terms.iter().map(|(t, _)| t.as_ref()).collect();
    let dictionary = Dictionary {
        terms: &terms,
        lines: &lines,
        counts: &index.terms.iter().map(|(_, p)| p.len()).collect::<Vec<_>>(),
    };
    let mut buckets: Vec<(String, Vec<usize>)> = Vec::new();
    for range in runs_by_prefix(&terms, 0..terms.len(), 2) {
        let prefix = char_prefix(terms[range.start], 2).to_string();
        dictionary.split_bucket(range, prefix, &mut buckets);
    }
    for (number, (_, members)) in buckets.iter().enumerate() {
        let text: String = members.iter().map(|&i| lines[i].as_str()).collect();
        files.push((format!("search/t/{number}.txt"), text.into_bytes()));
    }

    // Page chunks.
    let mut docs = Vec::new();
    let mut doc_chunk: Vec<u8> = Vec::new();
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
            let path = format!("search/d/{}.json", docs.len() - 1);
            files.push((path, std::mem::take(&mut doc_chunk)));
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
    files.push(("search/manifest.json".to_string(), manifest));
    Ok(files)
}

/// The first `chars` characters of `term` (all of it when shorter).
fn char_prefix(term: &str, chars: usize) -> &str {
    term.char_indices()
        .nth(chars)
        .map_or(term, |(end, _)| &term[..end])
}

/// Splits `range` of the sorted `terms` into runs sharing their first `chars` characters.
fn runs_by_prefix(
    terms: &[&str],
    range: std::ops::Range<usize>,
    chars: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut start = range.start;
    for i in range.clone() {
        if char_prefix(terms[i], chars) != char_prefix(terms[start], chars) {
            runs.push(start..i);
            start = i;
        }
    }
    if start < range.end {
        runs.push(start..range.end);
    }
    runs
}

/// The sorted terms with their dictionary lines and numbers of postings.
struct Dictionary<'a> {
    terms: &'a [&'a str],
    lines: &'a [String],
    counts: &'a [usize],
}

impl Dictionary<'_> {
    /// One bucket for `range` (all terms starting with `prefix`) when it is small enough;
    /// else a bucket for the prefix itself (the term equal to it and the likeliest
    /// completions) and one per longer prefix, recursively.
    fn split_bucket(
        &self,
        range: std::ops::Range<usize>,
        prefix: String,
        out: &mut Vec<(String, Vec<usize>)>,
    ) {
        let bytes: usize = self.lines[range.clone()].iter().map(String::len).sum();
        let depth = prefix.chars().count();
        if bytes <= BUCKET_BYTES || depth >= worker::search_terms::MAX_TERM_CHARS {
            out.push((prefix, range.collect()));
            return;
        }
        // Sorted order puts a term equal to the prefix first.
        let mut start = range.start;
        let mut own = Vec::new();
        if self.terms[start] == prefix {
            own.push(start);
            start += 1;
        }
        let mut below: Vec<usize> = (start..range.end).collect();
        let by_count = |a: &usize, b: &usize| self.counts[*b].cmp(&self.counts[*a]).then(a.cmp(b));
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

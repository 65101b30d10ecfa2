//! The files of the search index: postings cut into chunks, the dictionary cut into buckets
//! by term prefix, pages cut into chunks, and the manifest that maps one to the other (the
//! shapes are documented in the parent module).
//!
//! Every cut is made by size, so a query's download stays small whatever the site size: a
//! dictionary bucket larger than [`BUCKET_BYTES`] is split by one more character of prefix.
//! A bucket that was split keeps, under its own prefix, the term equal to the prefix and the
//! [`SPLIT_BUCKET_COMPLETIONS`] terms below it with the most postings, so a prefix being
//! typed always has a bucket with its likeliest completions.
//!
//! Postings chunks and page chunks are cut where their content says (content-defined
//! chunking, as backup tools do), not every N bytes: after a term (a page), a chunk closes
//! with a probability proportional to the bytes that term (page) added, decided by a hash of
//! the term (the page's URL), once the chunk holds [`POSTINGS_CHUNK_MIN`]
//! ([`PAGE_CHUNK_MIN`]) bytes, and always at [`POSTINGS_CHUNK_MAX`] ([`PAGE_CHUNK_MAX`]).
//! A postings chunk is named by a hash of its first term, a dictionary bucket by a hash of
//! its prefix and a page chunk by its first page, so an edit that adds a word or changes a page's summary changes the chunk holding
//! it (and at worst the one after), never the names or cuts of the others: an incremental
//! build rewrites a few files, not every file after the edit.

use super::encoded::EncodedIndex;
use super::{SEARCH_FORMAT, SearchKind, SearchPage, SearchSite, SubEntry};
use serde::Serialize;
use std::io;

/// A postings chunk is not closed before it holds this many bytes...
pub(crate) const POSTINGS_CHUNK_MIN: usize = 4 * 1024;
/// ...then closes after each term with a probability of the term's bytes over this (so
/// chunks hold about `MIN + this` bytes on average)...
const POSTINGS_CHUNK_SPREAD: u64 = 8 * 1024;
/// ...and always once it holds this many (one term's postings may exceed it).
pub(crate) const POSTINGS_CHUNK_MAX: usize = 32 * 1024;
/// A dictionary bucket larger than this is split by a longer prefix.
pub(crate) const BUCKET_BYTES: usize = 8 * 1024;
/// Completions a split bucket keeps for its prefix.
pub(crate) const SPLIT_BUCKET_COMPLETIONS: usize = 8;
/// A page chunk is not closed before it holds this many bytes, then closes after a page
/// with a probability of the page's bytes over [`PAGE_CHUNK_SPREAD`], and always at
/// [`PAGE_CHUNK_MAX`].
pub(crate) const PAGE_CHUNK_MIN: usize = 2 * 1024;
const PAGE_CHUNK_SPREAD: u64 = 2 * 1024;
pub(crate) const PAGE_CHUNK_MAX: usize = 12 * 1024;

/// Whether a content-defined chunk closes after a record of `record_bytes` bytes whose key
/// (a term, a page's URL) is `key`, the chunk now holding `chunk_bytes`: never below `min`,
/// always from `max`, and in between with probability `record_bytes / spread`, decided by
/// the key's hash (so the same record closes the same chunk in every build).
fn closes_after(
    key: &str,
    record_bytes: usize,
    chunk_bytes: usize,
    (min, spread, max): (usize, u64, usize),
) -> bool {
    if chunk_bytes < min {
        return false;
    }
    if chunk_bytes >= max {
        return true;
    }
    let draw = u128::from(xxhash_rust::xxh3::xxh3_64(key.as_bytes()));
    // draw / 2^64 < record_bytes / spread, in integers.
    draw * u128::from(spread) < (record_bytes as u128) << 64
}

/// The name of the postings chunk whose first term is `first_term`: 12 hex digits of its
/// hash, and in the (unlikely) case two chunks' first terms share them, the second gets its
/// chunk number appended.
fn chunk_name(
    first_term: &str,
    taken: &mut rustc_hash::FxHashSet<String>,
    number: usize,
) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(first_term.as_bytes()) >> 16;
    let mut name = format!("{hash:012x}");
    if taken.contains(&name) {
        name = format!("{name}-{number}");
    }
    taken.insert(name.clone());
    name
}

/// The manifest, `search/manifest.json`. Field order is the file's key order.
#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    pages: usize,
    /// Whether pages have an `index.txt` beside them.
    text: bool,
    /// Prefix of each dictionary bucket; the bucket of prefix `x` is `t/<bucket_name(x)>.txt`
    /// ([`bucket_name`]), unless `renamed` names it.
    buckets: Vec<String>,
    /// The buckets whose name is not [`bucket_name`] of their prefix (two prefixes with the
    /// same hash: none, in practice).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    renamed: std::collections::BTreeMap<String, String>,
    /// First page of each page chunk; the chunk starting at page `n` is `d/<n>.json`.
    docs: Vec<u32>,
    versions: &'a [&'a str],
    kinds: [&'static str; 3],
    /// `[first page, version (-1: none), kind]` for each run of pages sharing both.
    groups: Vec<(u32, i32, u8)>,
}

/// Hands every file of the index to `emit` as (path under the output directory, bytes) and
/// returns what it gave back for each, in a fixed order: postings chunks, dictionary
/// buckets, page chunks, the manifest. The page chunks are laid out on a thread of their
/// own, beside the terms' files; buffers are reused rather than all files held at once.
pub(crate) fn lay_out<T: Send>(
    site: &SearchSite<'_>,
    pages: &[&SearchPage<'_>],
    entries: &[Vec<SubEntry<'_>>],
    index: &EncodedIndex,
    emit: &(dyn Fn(&str, &[u8]) -> io::Result<T> + Sync),
) -> io::Result<Vec<T>> {
    let (mut emitted, (buckets, renamed), (docs, page_files)) = std::thread::scope(|scope| {
        let page_chunks = scope.spawn(|| lay_out_pages(pages, entries, emit));
        let mut emitted = Vec::new();
        let terms = lay_out_terms(index, emit, &mut emitted);
        let page_chunks = page_chunks.join().map_err(|_| {
            io::Error::other("laying out the search index's page chunks failed (a bug)")
        });
        io::Result::Ok((emitted, terms?, page_chunks??))
    })?;
    emitted.extend(page_files);

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
        buckets,
        renamed,
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
    emitted.push(emit("search/manifest.json", &manifest)?);
    Ok(emitted)
}

/// The prefixes of the dictionary buckets, and the buckets not named by their prefix's
/// hash.
type Buckets = (Vec<String>, std::collections::BTreeMap<String, String>);

/// The postings chunks, then the dictionary buckets naming them, handed to `emit`; what it
/// gave back goes to `emitted`.
fn lay_out_terms<T>(
    index: &EncodedIndex,
    emit: &(dyn Fn(&str, &[u8]) -> io::Result<T> + Sync),
    emitted: &mut Vec<T>,
) -> io::Result<Buckets> {
    // Postings chunks, and for each term the chunk it went to.
    let mut chunk_names: Vec<String> = Vec::new();
    let mut taken = rustc_hash::FxHashSet::default();
    let mut chunk_of_term: Vec<u32> = Vec::with_capacity(index.len());
    let mut chunk = Vec::with_capacity(POSTINGS_CHUNK_MAX * 2);
    let postings_cuts = (
        POSTINGS_CHUNK_MIN,
        POSTINGS_CHUNK_SPREAD,
        POSTINGS_CHUNK_MAX,
    );
    for number in 0..index.len() {
        let term = index.term(number);
        if chunk.is_empty() {
            chunk_names.push(chunk_name(term, &mut taken, chunk_names.len()));
        }
        let start = chunk.len();
        chunk.extend_from_slice(index.record(number));
        chunk_of_term.push(chunk_names.len() as u32 - 1);
        let last = number + 1 == index.len();
        if last || closes_after(term, chunk.len() - start, chunk.len(), postings_cuts) {
            let name = chunk_names.last().map_or("", String::as_str);
            emitted.push(emit(&format!("search/p/{name}.bin"), &chunk)?);
            chunk.clear();
        }
    }
    drop(chunk);

    // Dictionary buckets by prefix, of lines `term count chunk`.
    let terms: Vec<&str> = (0..index.len()).map(|i| index.term(i)).collect();
    let counts: Vec<u32> = (0..index.len()).map(|i| index.count(i)).collect();
    let mut line_ends: Vec<usize> = Vec::with_capacity(terms.len());
    let mut line_end = 0;
    for ((term, count), chunk) in terms.iter().zip(&counts).zip(&chunk_of_term) {
        // The size of the line when it names its chunk (an upper bound when it does not).
        line_end += term.len() + decimal_digits(*count) + chunk_names[*chunk as usize].len() + 3;
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
    let mut bucket_names = rustc_hash::FxHashSet::default();
    let mut renamed = std::collections::BTreeMap::new();
    for (number, (prefix, members)) in buckets.iter().enumerate() {
        text.clear();
        let mut previous_chunk = None;
        for &member in members {
            let member = member as usize;
            text.push_str(terms[member]);
            text.push(' ');
            push_number(&mut text, counts[member] as usize);
            // A line names its chunk only when it differs from the line above's.
            let chunk = chunk_of_term[member];
            if previous_chunk != Some(chunk) {
                text.push(' ');
                text.push_str(&chunk_names[chunk as usize]);
                previous_chunk = Some(chunk);
            }
            text.push('\n');
        }
        let mut name = bucket_name(prefix);
        if !bucket_names.insert(name.clone()) {
            name = format!("{name}-{number}");
            bucket_names.insert(name.clone());
            renamed.insert(prefix.clone(), name.clone());
        }
        emitted.push(emit(&format!("search/t/{name}.txt"), text.as_bytes())?);
    }
    Ok((
        buckets.into_iter().map(|(prefix, _)| prefix).collect(),
        renamed,
    ))
}

/// The page chunks, handed to `emit`: the first page of each, and what `emit` gave back.
fn lay_out_pages<T>(
    pages: &[&SearchPage<'_>],
    entries: &[Vec<SubEntry<'_>>],
    emit: &(dyn Fn(&str, &[u8]) -> io::Result<T> + Sync),
) -> io::Result<(Vec<u32>, Vec<T>)> {
    let mut emitted = Vec::new();
    let mut path = String::new();
    let mut docs = Vec::new();
    let mut doc_chunk: Vec<u8> = Vec::with_capacity(PAGE_CHUNK_MAX * 2);
    let page_cuts = (PAGE_CHUNK_MIN, PAGE_CHUNK_SPREAD, PAGE_CHUNK_MAX);
    for (number, (page, subs)) in pages.iter().zip(entries).enumerate() {
        if doc_chunk.is_empty() {
            docs.push(number as u32);
            doc_chunk.push(b'[');
        } else {
            doc_chunk.push(b',');
        }
        let start = doc_chunk.len();
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
        let record_bytes = doc_chunk.len() - start;
        if number + 1 == pages.len()
            || closes_after(page.url, record_bytes, doc_chunk.len(), page_cuts)
        {
            doc_chunk.push(b']');
            let first = docs.last().copied().unwrap_or_default();
            path.clear();
            path.push_str("search/d/");
            push_number(&mut path, first as usize);
            path.push_str(".json");
            emitted.push(emit(&path, &doc_chunk)?);
            doc_chunk.clear();
        }
    }
    Ok((docs, emitted))
}

/// The name of a dictionary bucket's file: FNV-1a (64 bits) of its prefix's UTF-8 bytes in
/// 16 hex digits, so adding a bucket renames no other. `search-worker.js` computes the same.
pub(crate) fn bucket_name(prefix: &str) -> String {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let hash = prefix.bytes().fold(OFFSET_BASIS, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    });
    format!("{hash:016x}")
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

//! Postings: for every term, the (page, entry, score) triples that contain it, with the
//! score computed here once so the browser only adds numbers.
//!
//! Scores are one byte. An entry's own name ranks above any body (`name_scores.rs`: a page
//! title `TITLE` plus half the body score, a heading `HEADING`, an API object's name or any
//! dotted tail of it `API_NAME` (`invoke`, `context.invoke`), another part of that name
//! `API_PART`); a body match scores 1 to [`BODY_MAX`] by BM25 (k1 1.2, b 0.75) over the
//! pages' lengths in words. The average length BM25 compares a page's with is rounded to
//! two significant digits ([`stable_average_length`]): the exact average moves with every
//! edit of any page, and so would every body score of the site, where the rounded one
//! almost never does, so an edit changes the postings of the edited pages' terms only and
//! an incremental build rewrites only the chunks holding them.
//!
//! Chunk encoding (`search/p/<chunk>.bin`), repeated per term in byte order: varint length of
//! the term, its UTF-8 bytes, varint number of postings, then per posting varint page delta
//! (from the previous posting's page, the first from 0), varint entry (0 the page itself,
//! k its k-th sub-entry), one score byte. Varints are LEB128.

use super::part::{RawPosting, SearchPart};
use super::varint::{push_varint, read_varint};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Highest body score.
pub(crate) const BODY_MAX: u8 = 100;

const BM25_K1: f64 = 1.2;
const BM25_B: f64 = 0.75;
/// BM25 values above this all score [`BODY_MAX`].
const BM25_CEILING: f64 = 20.0;

/// One (page, entry) holding a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    pub page: u32,
    pub entry: u32,
    pub score: u8,
}

/// A shard's part placed in the site-wide index: its page numbers mapped to site-wide ones.
pub(crate) struct PlacedPart<'p> {
    pub part: &'p SearchPart,
    /// Site-wide page number of each of the part's pages, increasing.
    pub pages: &'p [u32],
}

impl PlacedPart<'_> {
    /// The raw postings of `term` in the part, numbered site-wide (none when the part
    /// does not hold it).
    pub fn term_postings(&self, term: &str) -> impl Iterator<Item = RawPosting> + '_ {
        let at = self.part.first_at_or_after(term);
        let held = at < self.part.len() && self.part.term(at) == term;
        held.then(|| self.part.postings(at))
            .into_iter()
            .flatten()
            .map(|posting| RawPosting {
                page: self.pages[posting.page as usize],
                ..posting
            })
    }
}

/// Merges the parts into the site-wide index, scoring every posting: term lists are merged
/// k ways, each range of the term space on its own core, and a term's postings from
/// several parts are joined in page order. Each range hands its terms, in byte order, with
/// their scored postings to `push` on a `Default` sink of its own (the postings live only
/// for that call, so no range holds them all); the sinks come back in term order. `None`
/// when merging a range of terms failed (a bug). `push` is also given the number of pages
/// holding the term in their body.
pub(crate) fn merge<S: Default + Send>(
    parts: &[PlacedPart<'_>],
    scoring: &Scoring<'_>,
    push: impl Fn(&mut S, &str, &[Posting], u32) + Sync,
) -> Option<Vec<S>> {
    // Cut the term space at evenly spaced terms of the largest part, a few ranges per core.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let largest = parts.iter().map(|p| p.part).max_by_key(|part| part.len());
    let ranges = (threads * 4).min(largest.map_or(1, |part| part.len()).max(1));
    let mut cuts: Vec<&str> = (1..ranges)
        .filter_map(|i| largest.map(|part| part.term(i * part.len() / ranges)))
        .collect();
    cuts.dedup();
    let merge_range = |range: usize| {
        let from = range.checked_sub(1).map(|i| cuts[i]);
        let to = cuts.get(range).copied();
        let mut sink = S::default();
        merge_terms(
            parts,
            from,
            to,
            scoring,
            &mut |term, postings, in_bodies| {
                push(&mut sink, term, postings, in_bodies);
            },
        );
        Some(sink)
    };
    crate::parallel::par_map(cuts.len() + 1, merge_range, |_| None)
        .into_iter()
        .collect()
}

/// The pages' average length in words, rounded to the nearest whole word and then to two
/// significant digits (at least 1), in integers so every build computes the same: one
/// edit moves the exact average by a fraction of a word, the rounded one only when it
/// crosses a rounding boundary (once in hundreds of edits at 10,000 pages), and BM25 barely
/// feels the difference (at most 5% of the average, under 1% above 550 words).
pub(crate) fn stable_average_length(total_length: u64, pages: u64) -> u64 {
    let pages = pages.max(1);
    let mean = (total_length + pages / 2) / pages;
    let digits = mean.checked_ilog10().map_or(1, |log| log + 1);
    let rounded = match digits.checked_sub(2).map(|extra| 10u64.pow(extra)) {
        Some(step) if step > 1 => (mean + step / 2) / step * step,
        _ => mean,
    };
    rounded.max(1)
}

/// What a body score needs to know of the whole site.
pub(crate) struct Scoring<'l> {
    page_count: f64,
    /// [`stable_average_length`].
    pub average_length: u64,
    lengths: &'l [u32],
}

impl<'l> Scoring<'l> {
    /// The scoring of a site whose pages have these `lengths` in words, by site-wide page
    /// number.
    pub fn of(lengths: &'l [u32]) -> Scoring<'l> {
        let total_length: u64 = lengths.iter().map(|&length| u64::from(length)).sum();
        Scoring {
            page_count: lengths.len().max(1) as f64,
            average_length: stable_average_length(total_length, lengths.len() as u64),
            lengths,
        }
    }
}

/// The scored postings of `term` alone, merged from every part holding it (empty when none
/// does), with the number of pages holding it in their body: what [`merge`] gives the
/// term.
pub(crate) fn merge_term(
    parts: &[PlacedPart<'_>],
    term: &str,
    scoring: &Scoring<'_>,
) -> (Vec<Posting>, u32) {
    let mut raw: Vec<RawPosting> = Vec::new();
    let mut holders = 0;
    for placed in parts {
        let held = raw.len();
        raw.extend(placed.term_postings(term));
        holders += usize::from(raw.len() > held);
    }
    if holders > 1 {
        raw.sort_by_key(|posting| (posting.page, posting.entry));
    }
    let mut scored = Vec::with_capacity(raw.len());
    let in_bodies = scoring.score_into(&raw, &mut scored);
    (scored, in_bodies)
}

/// The terms from `from` (inclusive, or the first) to `to` (exclusive, or past the last),
/// each handed to `push` in byte order with its merged and scored postings.
fn merge_terms<'p>(
    parts: &[PlacedPart<'p>],
    from: Option<&str>,
    to: Option<&str>,
    scoring: &Scoring<'_>,
    push: &mut dyn FnMut(&str, &[Posting], u32),
) {
    // Per part, the next term to take and where its range ends.
    let mut cursors: Vec<(usize, usize)> = parts
        .iter()
        .map(|placed| {
            let part = placed.part;
            let start = from.map_or(0, |term| part.first_at_or_after(term));
            let end = to.map_or(part.len(), |term| part.first_at_or_after(term));
            (start, end)
        })
        .collect();
    let mut heads: BinaryHeap<Reverse<(&'p str, usize)>> = parts
        .iter()
        .zip(&cursors)
        .enumerate()
        .filter(|(_, (_, (start, end)))| start < end)
        .map(|(number, (placed, (start, _)))| Reverse((placed.part.term(*start), number)))
        .collect();
    let mut holders: Vec<usize> = Vec::new();
    let mut raw: Vec<RawPosting> = Vec::new();
    let mut scored: Vec<Posting> = Vec::new();
    while let Some(Reverse((term, first))) = heads.pop() {
        holders.clear();
        holders.push(first);
        while let Some(Reverse((_, number))) = heads
            .peek_mut()
            .filter(|next| next.0.0 == term)
            .map(std::collections::binary_heap::PeekMut::pop)
        {
            holders.push(number);
        }
        raw.clear();
        for &number in &holders {
            let placed = &parts[number];
            let cursor = &mut cursors[number];
            raw.extend(placed.part.postings(cursor.0).map(|posting| RawPosting {
                page: placed.pages[posting.page as usize],
                ..posting
            }));
            cursor.0 += 1;
            if cursor.0 < cursor.1 {
                heads.push(Reverse((placed.part.term(cursor.0), number)));
            }
        }
        if holders.len() > 1 {
            // Each part's run is in page order and a page is in one part only: a stable
            // sort merges the runs.
            raw.sort_by_key(|posting| (posting.page, posting.entry));
        }
        let in_bodies = scoring.score_into(&raw, &mut scored);
        push(term, &scored, in_bodies);
    }
}

impl Scoring<'_> {
    /// Scores one term's postings (site-wide page numbers, in order) into `scored`,
    /// emptied first; returns the number of pages holding the term in their body.
    pub(crate) fn score_into(&self, raw: &[RawPosting], scored: &mut Vec<Posting>) -> u32 {
        let in_bodies = raw.iter().filter(|r| r.body_count > 0).count() as u32;
        scored.clear();
        self.score_some(raw, in_bodies, scored);
        in_bodies
    }

    /// Scores some postings of a term that `in_bodies` pages hold in their body, appending
    /// them to `scored`.
    pub(crate) fn score_some(&self, raw: &[RawPosting], in_bodies: u32, scored: &mut Vec<Posting>) {
        let in_bodies = f64::from(in_bodies);
        let idf = (1.0 + (self.page_count - in_bodies + 0.5) / (in_bodies + 0.5)).ln();
        scored.extend(raw.iter().map(|r| Posting {
            page: r.page,
            entry: r.entry,
            score: score(
                r,
                idf,
                self.lengths[r.page as usize],
                self.average_length as f64,
            ),
        }));
    }
}

fn score(raw: &RawPosting, idf: f64, length: u32, average_length: f64) -> u8 {
    let body = if raw.body_count == 0 {
        0
    } else {
        let count = f64::from(raw.body_count);
        let norm = 1.0 - BM25_B + BM25_B * f64::from(length) / average_length;
        let bm25 = idf * count * (BM25_K1 + 1.0) / (count + BM25_K1 * norm);
        let scaled = (bm25 / BM25_CEILING * f64::from(BODY_MAX)).round();
        scaled.clamp(1.0, f64::from(BODY_MAX)) as u8
    };
    if raw.name_score == 0 {
        body
    } else {
        raw.name_score.saturating_add(body / 2)
    }
}

/// The postings of a term's record (as [`encode_term`] wrote it), `None` when it is
/// malformed.
pub(crate) fn decode_record(record: &[u8]) -> Option<Vec<Posting>> {
    let mut at = 0;
    let term_len = read_varint(record, &mut at)? as usize;
    at = at.checked_add(term_len)?;
    let count = read_varint(record, &mut at)? as usize;
    let mut postings = Vec::with_capacity(count.min(record.len()));
    let mut page = 0u32;
    for _ in 0..count {
        page = page.checked_add(read_varint(record, &mut at)?)?;
        let entry = read_varint(record, &mut at)?;
        let score = *record.get(at)?;
        at += 1;
        postings.push(Posting { page, entry, score });
    }
    (at == record.len()).then_some(postings)
}

/// Appends one term's record to a postings chunk.
pub(crate) fn encode_term(bytes: &mut Vec<u8>, term: &str, postings: &[Posting]) {
    push_varint(bytes, term.len() as u32);
    bytes.extend_from_slice(term.as_bytes());
    push_varint(bytes, postings.len() as u32);
    let mut previous_page = 0;
    for posting in postings {
        push_varint(bytes, posting.page - previous_page);
        push_varint(bytes, posting.entry);
        bytes.push(posting.score);
        previous_page = posting.page;
    }
}

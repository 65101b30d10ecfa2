//! The merged index as the postings chunks hold it: every term in byte order with its
//! record (`postings::encode_term`: the term, its postings, their scores) and its number
//! of postings. The layout only cuts and copies records, so the index a build computes is
//! kept in the cache (`search/index.bin`, [`IndexMemo`]) and the next build re-merges only
//! the terms of the pages that changed.
//!
//! Why that is exact: a term's record depends on its raw postings (the pages holding it,
//! with their counts and name scores), the lengths of those pages, and the site-wide
//! scoring (the number of pages, the rounded average length: `postings::Scoring`). When
//! the scoring and the order of the pages are those of the memo, a term none of whose
//! pages changed, before or after, has the same raw postings, lengths and so record. The
//! changed pages are those whose [`page_digest`](super::part::page_digest) differs from
//! the memo's; their terms are read from their shards' parts, new and previous (the
//! previous part only when its key says it was computed from the memo's pages).

use super::part::{SearchPart, byte_buffer, ends_are_sound, part_key};
use super::postings::{PlacedPart, Posting, Scoring, encode_term, merge, merge_term};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Every term in byte order with its record and number of postings. See the module docs.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EncodedIndex {
    /// The terms, one after the other.
    text: String,
    /// Per term: the end of its bytes in `text` and of its record in `records`.
    ends: Vec<(u32, u32)>,
    #[serde(with = "byte_buffer")]
    records: Vec<u8>,
    /// Per term: its number of postings.
    counts: Vec<u32>,
}

impl EncodedIndex {
    /// Number of terms.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    fn starts(&self, i: usize) -> (usize, usize) {
        if i == 0 {
            (0, 0)
        } else {
            (self.ends[i - 1].0 as usize, self.ends[i - 1].1 as usize)
        }
    }

    /// Term `i`.
    pub fn term(&self, i: usize) -> &str {
        &self.text[self.starts(i).0..self.ends[i].0 as usize]
    }

    /// The record of term `i`, as a postings chunk holds it.
    pub fn record(&self, i: usize) -> &[u8] {
        &self.records[self.starts(i).1..self.ends[i].1 as usize]
    }

    /// The number of postings of term `i`.
    pub fn count(&self, i: usize) -> u32 {
        self.counts[i]
    }

    /// Appends a term (above every term so far) with its postings, encoded.
    pub fn push(&mut self, term: &str, postings: &[Posting]) {
        encode_term(&mut self.records, term, postings);
        self.push_end(term, postings.len() as u32);
    }

    /// Every term of `parts`, merged and scored ([`postings::merge`](super::postings::merge)),
    /// each range of the term space encoded where it was merged. `None` when merging failed
    /// (a bug).
    pub fn merged(parts: &[PlacedPart<'_>], scoring: &Scoring<'_>) -> Option<EncodedIndex> {
        let ranges = merge(parts, scoring, EncodedIndex::push)?;
        let mut index = EncodedIndex::default();
        index
            .text
            .reserve(ranges.iter().map(|range| range.text.len()).sum());
        index
            .records
            .reserve(ranges.iter().map(|range| range.records.len()).sum());
        index
            .ends
            .reserve(ranges.iter().map(EncodedIndex::len).sum());
        index
            .counts
            .reserve(ranges.iter().map(EncodedIndex::len).sum());
        // Each range freed once copied.
        for range in ranges {
            index.append(&range);
        }
        Some(index)
    }

    /// Appends every term of `other`, all above the terms so far.
    fn append(&mut self, other: &EncodedIndex) {
        let (text_base, records_base) = (self.text.len() as u32, self.records.len() as u32);
        self.text.push_str(&other.text);
        self.records.extend_from_slice(&other.records);
        self.ends.extend(
            other
                .ends
                .iter()
                .map(|&(text, record)| (text + text_base, record + records_base)),
        );
        self.counts.extend_from_slice(&other.counts);
    }

    /// Appends term `i` of `other` as it is.
    fn push_from(&mut self, other: &EncodedIndex, i: usize) {
        self.records.extend_from_slice(other.record(i));
        self.push_end(other.term(i), other.count(i));
    }

    fn push_end(&mut self, term: &str, count: u32) {
        self.text.push_str(term);
        self.ends
            .push((self.text.len() as u32, self.records.len() as u32));
        self.counts.push(count);
    }

    /// True when the offsets are in bounds, increasing and on character boundaries and
    /// the terms sorted and distinct: a cached index failing this is not used.
    fn is_sound(&self) -> bool {
        ends_are_sound(&self.ends, &self.text, self.records.len())
            && self.counts.len() == self.ends.len()
            && (1..self.len()).all(|i| self.term(i - 1) < self.term(i))
    }
}

/// What the cache keeps of a build's index (`search/index.bin`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct IndexMemo {
    /// [`scoring_digest`] of the build.
    pub scoring: u128,
    /// Every page's digest, by site-wide page number.
    pub pages: Vec<u128>,
    pub index: EncodedIndex,
}

impl IndexMemo {
    /// True when the memo is well formed for a site of `pages` pages.
    pub fn is_sound(&self, pages: usize) -> bool {
        self.pages.len() == pages && self.index.is_sound()
    }
}

/// A digest of everything a term's record depends on beyond its own pages: the executable
/// and index format, the number of pages, the rounded average length, and which shard's
/// part numbers which pages (`shards`: every shard with its site-wide page numbers).
pub(crate) fn scoring_digest(
    binary: u128,
    scoring: &Scoring<'_>,
    shards: &[(&str, Vec<u32>)],
) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&binary.to_le_bytes());
    hasher.update(&super::SEARCH_FORMAT.to_le_bytes());
    hasher.update(&scoring.average_length.to_le_bytes());
    for (shard, numbers) in shards {
        hasher.update(&(shard.len() as u64).to_le_bytes());
        hasher.update(shard.as_bytes());
        hasher.update(&(numbers.len() as u64).to_le_bytes());
        for number in numbers {
            hasher.update(&number.to_le_bytes());
        }
    }
    hasher.digest128()
}

/// A shard as the index update sees it.
pub(crate) struct ShardParts<'p> {
    /// The shard's part now, placed site-wide.
    pub now: PlacedPart<'p>,
    /// The part the cache held before this build computed `now`, when there was one.
    pub before: Option<&'p SearchPart>,
}

/// The index of this build computed from `memo` (the previous build's, with the same
/// [`scoring_digest`]) by merging again only the terms of the pages whose digest changed.
/// `None` when that cannot be done exactly (a changed page's previous part is not the
/// memo's) or would not pay (more than `max_changed` pages changed): merge everything.
pub(crate) fn updated(
    memo: &IndexMemo,
    digests: &[u128],
    binary: u128,
    shards: &[ShardParts<'_>],
    scoring: &Scoring<'_>,
    max_changed: usize,
) -> Option<EncodedIndex> {
    let changed: Vec<u32> = (0..digests.len() as u32)
        .filter(|&page| memo.pages[page as usize] != digests[page as usize])
        .collect();
    if changed.len() > max_changed {
        return None;
    }
    let mut terms: BTreeSet<&str> = BTreeSet::new();
    for shard in shards {
        // The shard's own numbers of its changed pages.
        let local: Vec<u32> = shard
            .now
            .pages
            .iter()
            .enumerate()
            .filter(|(_, page)| changed.binary_search(page).is_ok())
            .map(|(local, _)| local as u32)
            .collect();
        if local.is_empty() {
            continue;
        }
        let before = shard.before.filter(|part| {
            part.key == part_key(binary, &memo.pages, shard.now.pages)
                && part.is_sound(shard.now.pages.len())
        })?;
        for part in [shard.now.part, before] {
            terms.extend(terms_of_pages(part, &local));
        }
    }
    let placed: Vec<PlacedPart<'_>> = shards
        .iter()
        .map(|shard| PlacedPart {
            part: shard.now.part,
            pages: shard.now.pages,
        })
        .collect();
    let mut index = EncodedIndex::default();
    let mut kept = 0;
    for term in terms {
        while kept < memo.index.len() && memo.index.term(kept) < term {
            index.push_from(&memo.index, kept);
            kept += 1;
        }
        if kept < memo.index.len() && memo.index.term(kept) == term {
            kept += 1;
        }
        let postings = merge_term(&placed, term, scoring);
        if !postings.is_empty() {
            index.push(term, &postings);
        }
    }
    while kept < memo.index.len() {
        index.push_from(&memo.index, kept);
        kept += 1;
    }
    Some(index)
}

/// The terms of `part` with a posting on one of its pages `local` (sorted).
fn terms_of_pages<'p>(part: &'p SearchPart, local: &[u32]) -> Vec<&'p str> {
    (0..part.len())
        .filter(|&i| {
            part.postings(i)
                .any(|posting| local.binary_search(&posting.page).is_ok())
        })
        .map(|i| part.term(i))
        .collect()
}

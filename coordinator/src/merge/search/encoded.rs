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

use super::part::{RawPosting, SearchPart, ends_are_sound, part_key};
use super::postings::{
    PlacedPart, Posting, Scoring, decode_record, encode_term, merge, merge_term,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Every term in byte order with its record and number of postings. See the module docs.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EncodedIndex {
    /// The terms, one after the other.
    text: String,
    /// Per term: the end of its bytes in `text` and of its record in `records`.
    ends: Vec<(u32, u32)>,
    #[serde(with = "crate::byte_buffer")]
    records: Vec<u8>,
    /// Per term: its number of postings.
    counts: Vec<u32>,
    /// Per term: the number of pages holding it in their body (what its body scores'
    /// rarity was computed from).
    bodies: Vec<u32>,
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

    /// Appends a term (above every term so far) with its postings, encoded, and the
    /// number of pages holding it in their body.
    pub fn push(&mut self, term: &str, postings: &[Posting], in_bodies: u32) {
        encode_term(&mut self.records, term, postings);
        self.push_end(term, postings.len() as u32, in_bodies);
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
        index
            .bodies
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
        self.bodies.extend_from_slice(&other.bodies);
    }

    /// Appends terms `from..to` of `other` as they are (all above the terms so far), in
    /// one copy of their bytes.
    fn push_range_from(&mut self, other: &EncodedIndex, from: usize, to: usize) {
        if from >= to {
            return;
        }
        let (text_start, records_start) = other.starts(from);
        let (text_end, records_end) = other.ends[to - 1];
        // Offsets in `other` from the run's start, moved to where the run lands here.
        let (text_start, records_start) = (text_start as u32, records_start as u32);
        let (text_base, records_base) = (self.text.len() as u32, self.records.len() as u32);
        self.text
            .push_str(&other.text[text_start as usize..text_end as usize]);
        self.records
            .extend_from_slice(&other.records[records_start as usize..records_end as usize]);
        self.ends
            .extend(other.ends[from..to].iter().map(|&(text, record)| {
                (
                    text - text_start + text_base,
                    record - records_start + records_base,
                )
            }));
        self.counts.extend_from_slice(&other.counts[from..to]);
        self.bodies.extend_from_slice(&other.bodies[from..to]);
    }

    /// The index of the first term from `from` on not below `term`.
    fn first_at_or_after(&self, from: usize, term: &str) -> usize {
        super::part::first_at_or_after(from..self.len(), term, |i| self.term(i))
    }

    fn push_end(&mut self, term: &str, count: u32, in_bodies: u32) {
        self.text.push_str(term);
        self.ends
            .push((self.text.len() as u32, self.records.len() as u32));
        self.counts.push(count);
        self.bodies.push(in_bodies);
    }

    /// True when the offsets are in bounds, increasing and on character boundaries and
    /// the terms sorted and distinct: a cached index failing this is not used.
    fn is_sound(&self) -> bool {
        ends_are_sound(&self.ends, &self.text, self.records.len())
            && self.counts.len() == self.ends.len()
            && self.bodies.len() == self.ends.len()
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

/// The site-wide page numbers whose digest is not the memo's (the memo is sound for as
/// many pages as `digests`).
pub(crate) fn changed_pages(memo: &IndexMemo, digests: &[u128]) -> Vec<u32> {
    (0..digests.len() as u32)
        .filter(|&page| memo.pages[page as usize] != digests[page as usize])
        .collect()
}

/// The index of this build computed from `memo` (the previous build's, with the same
/// [`scoring_digest`]) by doing again only the terms of the `changed` pages
/// ([`changed_pages`]). `shards` holds at least every shard with a changed page; the
/// parts of all shards are asked of `all_parts` only when a term must be merged again
/// (its body count changed), so an edit that keeps its words' counts reads no other
/// shard's part. `None` when that cannot be done exactly (a changed page's previous part
/// is not the memo's, or the parts could not be had): merge everything.
pub(crate) fn updated<'p>(
    memo: &IndexMemo,
    changed: &[u32],
    binary: u128,
    shards: &[ShardParts<'p>],
    all_parts: &dyn Fn() -> Option<Vec<PlacedPart<'p>>>,
    scoring: &Scoring<'_>,
) -> Option<EncodedIndex> {
    // Each shard with changed pages: its parts now and before, numbered alike.
    let mut touched: Vec<Touched<'_>> = Vec::new();
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
        touched.push(Touched {
            now: PlacedPart {
                part: shard.now.part,
                pages: shard.now.pages,
            },
            before: PlacedPart {
                part: before,
                pages: shard.now.pages,
            },
        });
    }
    let mut placed: Option<Vec<PlacedPart<'p>>> = None;
    let previous = &memo.index;
    let mut index = EncodedIndex::default();
    index.text.reserve(previous.text.len());
    index.records.reserve(previous.records.len());
    index.ends.reserve(previous.len() + terms.len());
    index.counts.reserve(previous.len() + terms.len());
    index.bodies.reserve(previous.len() + terms.len());
    // The terms between two changed ones are copied as one run.
    let mut kept = 0;
    let (mut was, mut now) = (Vec::new(), Vec::new());
    for term in terms {
        let at = previous.first_at_or_after(kept, term);
        index.push_range_from(previous, kept, at);
        kept = at;
        let known = (kept < previous.len() && previous.term(kept) == term).then_some(kept);
        if known.is_some() {
            kept += 1;
        }
        was.clear();
        now.clear();
        let on_changed = |posting: &RawPosting| changed.binary_search(&posting.page).is_ok();
        for shard in &touched {
            was.extend(shard.before.term_postings(term).filter(on_changed));
            now.extend(shard.now.term_postings(term).filter(on_changed));
        }
        let (postings, in_bodies) = match known {
            // A term no other page holds, before or now: the changed pages' postings are
            // all of it.
            None => {
                now.sort_by_key(|posting| (posting.page, posting.entry));
                let mut scored = Vec::with_capacity(now.len());
                let in_bodies = scoring.score_into(&now, &mut scored);
                (scored, in_bodies)
            }
            Some(i) => match patched(previous, i, changed, &was, &mut now, scoring) {
                Some(patched) => patched,
                // The term's rarity changed, and with it every body score: merged again
                // from every shard's part.
                None => {
                    if placed.is_none() {
                        placed = Some(all_parts()?);
                    }
                    merge_term(placed.as_deref()?, term, scoring)
                }
            },
        };
        if !postings.is_empty() {
            index.push(term, &postings, in_bodies);
        }
    }
    index.push_range_from(previous, kept, previous.len());
    Some(index)
}

/// A shard with changed pages, as [`updated`] reads it.
struct Touched<'p> {
    now: PlacedPart<'p>,
    /// The part before, computed from the memo's pages (numbered as `now`).
    before: PlacedPart<'p>,
}

/// The number of pages whose postings hold the term in their body.
fn bodies_in(raw: &[RawPosting]) -> u32 {
    raw.iter().filter(|raw| raw.body_count > 0).count() as u32
}

/// Term `i` of the previous index with the postings of the `changed` pages (site-wide,
/// sorted) replaced: `was` their raw postings before, `now` their raw postings now. Exact
/// when as many pages hold the term in their body as before: the term's rarity, and so
/// every other page's score, is unchanged. `None` when that number changed (or the
/// record cannot be read).
fn patched(
    previous: &EncodedIndex,
    i: usize,
    changed: &[u32],
    was: &[RawPosting],
    now: &mut [RawPosting],
    scoring: &Scoring<'_>,
) -> Option<(Vec<Posting>, u32)> {
    let in_bodies = previous.bodies[i];
    if in_bodies.checked_sub(bodies_in(was))? + bodies_in(now) != in_bodies {
        return None;
    }
    now.sort_by_key(|posting| (posting.page, posting.entry));
    let mut fresh = Vec::with_capacity(now.len());
    scoring.score_some(now, in_bodies, &mut fresh);
    let kept = decode_record(previous.record(i))?
        .into_iter()
        .filter(|posting| changed.binary_search(&posting.page).is_err());
    // Both in (page, entry) order: merged.
    let mut postings = Vec::with_capacity(previous.count(i) as usize + fresh.len());
    let mut fresh = fresh.into_iter().peekable();
    for posting in kept {
        while let Some(next) =
            fresh.next_if(|next| (next.page, next.entry) < (posting.page, posting.entry))
        {
            postings.push(next);
        }
        postings.push(posting);
    }
    postings.extend(fresh);
    Some((postings, in_bodies))
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

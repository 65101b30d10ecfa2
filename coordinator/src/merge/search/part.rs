//! A shard's part of the search index: every term of the shard's pages with its unscored
//! postings, computed once when one of those pages changes and cached beside the shard
//! (`parts.rs`), so a build merges the parts of unchanged shards without tokenizing or
//! collecting their pages again.
//!
//! A part numbers its pages 0.. in index order (version, kind, section, URL, title), the
//! order they keep site-wide: the merge maps each part's numbers to site-wide ones, and a
//! part's postings stay in site-wide order. Postings are *unscored*: BM25 needs the number
//! of pages holding a term and the average page length over the whole site, which one part
//! cannot know, so the merge scores them (cheap arithmetic) and the index stays exactly
//! what one pass over every page would give.

use super::name_scores::{TITLE, entry_terms};
use super::varint::{push_varint, read_varint};
use super::{SearchPage, SubEntry};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use worker::search_terms::for_each_term;

/// One (page, entry) holding a term, before scoring: how often the term occurs in the
/// page's body (entry 0 only) and the fixed score of the entry's name (0 when the name does
/// not hold the term).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RawPosting {
    /// The part's page number (site-wide once merged).
    pub page: u32,
    /// 0 the page itself, k its k-th sub-entry.
    pub entry: u32,
    pub body_count: u16,
    pub name_score: u8,
}

/// The terms of a shard's pages with their postings. See the module docs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct SearchPart {
    /// Digest of everything the part was computed from ([`part_key`]).
    pub key: u128,
    /// Pages of the shard in the index.
    pub pages: u32,
    /// The terms in byte order, one after the other.
    text: String,
    /// Per term: the end of its bytes in `text` and of its postings in `postings` (each
    /// starts where the previous term's ended).
    ends: Vec<(u32, u32)>,
    /// Postings, by term, then page and entry, as bytes (a few per posting, read as one
    /// copy): LEB128 varints of the page (from the term's previous posting, the first from
    /// 0), the entry and the body count, then the name score byte.
    #[serde(with = "crate::byte_buffer")]
    postings: Vec<u8>,
}

impl SearchPart {
    /// Number of terms.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Term `i`.
    pub fn term(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1].0 };
        &self.text[start as usize..self.ends[i].0 as usize]
    }

    /// The postings of term `i`, in (page, entry) order.
    pub fn postings(&self, i: usize) -> RawPostings<'_> {
        let start = if i == 0 { 0 } else { self.ends[i - 1].1 };
        RawPostings {
            bytes: &self.postings[start as usize..self.ends[i].1 as usize],
            at: 0,
            page: 0,
        }
    }

    /// The index of the first term not below `term`.
    pub fn first_at_or_after(&self, term: &str) -> usize {
        first_at_or_after(0..self.len(), term, |i| self.term(i))
    }

    /// True when the part is well formed for `pages` pages: offsets in bounds, increasing
    /// and on character boundaries, terms sorted and distinct, postings readable to their
    /// last byte, in order and naming existing pages. A cached part failing this is
    /// computed again, never trusted.
    pub fn is_sound(&self, pages: usize) -> bool {
        if self.pages as usize != pages {
            return false;
        }
        if !ends_are_sound(&self.ends, &self.text, self.postings.len()) {
            return false;
        }
        (0..self.len()).all(|i| {
            let mut postings = self.postings(i);
            let mut last: Option<(u32, u32)> = None;
            for posting in postings.by_ref() {
                let here = (posting.page, posting.entry);
                if posting.page as usize >= pages || last.is_some_and(|last| last >= here) {
                    return false;
                }
                last = Some(here);
            }
            postings.at == postings.bytes.len() && (i == 0 || self.term(i - 1) < self.term(i))
        })
    }
}

/// The first index of `range` whose term (`term_at`, sorted) is not below `term`, by
/// binary search: the terms of a part or of a merged index.
pub(super) fn first_at_or_after<'t>(
    range: std::ops::Range<usize>,
    term: &str,
    term_at: impl Fn(usize) -> &'t str,
) -> usize {
    let (mut low, mut high) = (range.start, range.end);
    while low < high {
        let middle = (low + high) / 2;
        if term_at(middle) < term {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}

/// Reads a term's postings (see [`SearchPart::postings`]); stops at the first malformed
/// byte, which [`SearchPart::is_sound`] rules out.
pub(crate) struct RawPostings<'p> {
    bytes: &'p [u8],
    at: usize,
    page: u32,
}

impl Iterator for RawPostings<'_> {
    type Item = RawPosting;

    fn next(&mut self) -> Option<RawPosting> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let mut at = self.at;
        let page = self.page.checked_add(read_varint(self.bytes, &mut at)?)?;
        let entry = read_varint(self.bytes, &mut at)?;
        let body_count = u16::try_from(read_varint(self.bytes, &mut at)?).ok()?;
        let name_score = *self.bytes.get(at)?;
        self.at = at + 1;
        self.page = page;
        Some(RawPosting {
            page,
            entry,
            body_count,
            name_score,
        })
    }
}

/// What identifies a part's inputs: the executable computing it (another build of
/// ssg-coord may tokenize or score names differently; the files' shape is the cache's
/// `FORMAT_VERSION`), and for every page (in index order) its [`page_digest`]. Hashing a
/// shard's term counts costs far less than collecting them again.
pub(crate) fn part_key(binary: u128, digests: &[u128], numbers: &[u32]) -> u128 {
    let mut key = xxhash_rust::xxh3::Xxh3::new();
    key.update(&binary.to_le_bytes());
    for &number in numbers {
        key.update(&digests[number as usize].to_le_bytes());
    }
    key.digest128()
}

/// A digest of everything a page's postings come from: its place in the index order
/// (version, kind, section, URL, title), headings, anchors, and its body terms with their
/// counts and its length (by the digest the worker took of them).
pub(crate) fn page_digest(page: &SearchPage<'_>) -> u128 {
    // Framed into one buffer and hashed at once: far cheaper than feeding a streaming
    // hasher the many short texts of a page with hundreds of anchors.
    let mut key = KeyBytes(Vec::with_capacity(
        256 + page
            .anchors
            .iter()
            .map(|anchor| anchor.len() + 8)
            .sum::<usize>(),
    ));
    key.text(&page.version.map_or(-1, i32::from).to_le_bytes());
    key.text(&[page.kind as u8]);
    key.text(page.section.as_bytes());
    key.text(page.url.as_bytes());
    key.text(page.title.as_bytes());
    for heading in page.headings {
        key.text(&[heading.level]);
        key.text(heading.text.as_bytes());
        key.text(heading.id.as_bytes());
    }
    key.text(b"\0headings end");
    for anchor in page.anchors {
        key.text(anchor.as_bytes());
    }
    key.text(b"\0anchors end");
    key.text(&page.terms.digest().to_le_bytes());
    xxhash_rust::xxh3::xxh3_128(&key.0)
}

/// What [`page_digest`] hashes: each text framed by its length.
struct KeyBytes(Vec<u8>);

impl KeyBytes {
    fn text(&mut self, bytes: &[u8]) {
        self.0
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        self.0.extend_from_slice(bytes);
    }
}

/// Computes the part of the pages `numbers` (one shard's, increasing) of `pages`, with
/// their sub-entries `entries` (both in index order, site-wide).
pub(crate) fn compute<'a>(
    key: u128,
    pages: &[&'a SearchPage<'a>],
    entries: &[Vec<SubEntry<'a>>],
    numbers: &[u32],
) -> SearchPart {
    let raw = collect(pages, entries, numbers);
    let mut terms: Vec<(Cow<'_, str>, Vec<RawPosting>)> = raw.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut part = SearchPart {
        key,
        pages: numbers.len() as u32,
        text: String::with_capacity(terms.iter().map(|(term, _)| term.len()).sum()),
        ends: Vec::with_capacity(terms.len()),
        postings: Vec::with_capacity(terms.iter().map(|(_, list)| list.len() * 4).sum()),
    };
    for (term, list) in terms {
        part.text.push_str(&term);
        let mut previous_page = 0;
        for posting in list {
            push_varint(&mut part.postings, posting.page - previous_page);
            push_varint(&mut part.postings, posting.entry);
            push_varint(&mut part.postings, u32::from(posting.body_count));
            part.postings.push(posting.name_score);
            previous_page = posting.page;
        }
        part.ends
            .push((part.text.len() as u32, part.postings.len() as u32));
    }
    part
}

/// The unscored postings of the pages `numbers`, numbered from 0 in that order, each list
/// in (page, entry) order.
fn collect<'a>(
    pages: &[&'a SearchPage<'a>],
    entries: &[Vec<SubEntry<'a>>],
    numbers: &[u32],
) -> FxHashMap<Cow<'a, str>, Vec<RawPosting>> {
    let mut raw: FxHashMap<Cow<'a, str>, Vec<RawPosting>> = FxHashMap::default();
    let mut push = |term: Cow<'a, str>, posting: RawPosting| match raw.get_mut(term.as_ref()) {
        Some(list) => list.push(posting),
        None => {
            raw.insert(term, vec![posting]);
        }
    };
    let mut name_terms: Vec<(String, u8)> = Vec::new();
    for (page_number, &number) in numbers.iter().enumerate() {
        let (page, subs) = (pages[number as usize], &entries[number as usize]);
        let page_number = page_number as u32;
        let page_posting = |body_count: u16, name_score: u8| RawPosting {
            page: page_number,
            entry: 0,
            body_count,
            name_score,
        };
        name_terms.clear();
        for_each_term(page.title, |term, _| {
            name_terms.push((term.to_string(), TITLE))
        });
        name_terms.sort();
        name_terms.dedup();
        // Body terms and title terms are both in byte order: walk them side by side.
        let mut title_terms = name_terms.iter().map(|(term, _)| term.as_str()).peekable();
        for (term, count) in page.terms.iter() {
            while let Some(title_only) = title_terms.next_if(|title| *title < term) {
                push(Cow::Owned(title_only.to_string()), page_posting(0, TITLE));
            }
            let in_title = title_terms.next_if_eq(&term).is_some();
            push(
                Cow::Borrowed(term),
                page_posting(count, if in_title { TITLE } else { 0 }),
            );
        }
        for title_only in title_terms {
            push(Cow::Owned(title_only.to_string()), page_posting(0, TITLE));
        }
        for (entry_number, entry) in subs.iter().enumerate() {
            entry_terms(page, entry, &mut name_terms);
            for (term, score) in name_terms.drain(..) {
                push(
                    Cow::Owned(term),
                    RawPosting {
                        page: page_number,
                        entry: entry_number as u32 + 1,
                        body_count: 0,
                        name_score: score,
                    },
                );
            }
        }
    }
    raw
}

/// True when `ends`, each term's (end in `text`, end in its data of `data_len` bytes),
/// cut both into non-empty runs: each end strictly above the one before, in bounds, on a
/// character boundary of `text`, the last ends at both lengths. The parts and the saved
/// index store their terms alike.
pub(super) fn ends_are_sound(ends: &[(u32, u32)], text: &str, data_len: usize) -> bool {
    let mut previous = (0u32, 0u32);
    for &(text_end, data_end) in ends {
        if text_end <= previous.0
            || data_end <= previous.1
            || text_end as usize > text.len()
            || data_end as usize > data_len
            || !text.is_char_boundary(text_end as usize)
        {
            return false;
        }
        previous = (text_end, data_end);
    }
    previous == (text.len() as u32, data_len as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::search::{SearchKind, sub_entries};
    use protocol::SearchTerms;

    fn part_of(bodies: &[&str]) -> SearchPart {
        let terms: Vec<SearchTerms> = bodies
            .iter()
            .map(|body| worker::search_terms::body_terms(body))
            .collect();
        let pages: Vec<SearchPage<'_>> = terms
            .iter()
            .map(|terms| SearchPage {
                url: "/p/",
                title: "Title",
                kind: SearchKind::Guide,
                section: "",
                version: None,
                summary: "",
                headings: &[],
                anchors: &[],
                terms,
                shard: "s",
            })
            .collect();
        let pages: Vec<&SearchPage<'_>> = pages.iter().collect();
        let entries: Vec<Vec<SubEntry<'_>>> = pages.iter().map(|p| sub_entries(p)).collect();
        let numbers: Vec<u32> = (0..pages.len() as u32).collect();
        compute(1, &pages, &entries, &numbers)
    }

    #[test]
    fn a_part_reads_back_and_a_damaged_one_is_not_sound() {
        let part = part_of(&["alpha beta beta", "beta gamma"]);
        assert!(part.is_sound(2));
        assert!(!part.is_sound(3), "for another number of pages");
        let beta = part.first_at_or_after("beta");
        assert_eq!(part.term(beta), "beta");
        let postings: Vec<RawPosting> = part.postings(beta).collect();
        assert_eq!(
            postings
                .iter()
                .map(|p| (p.page, p.body_count))
                .collect::<Vec<_>>(),
            [(0, 2), (1, 1)]
        );
        let title = part.first_at_or_after("title");
        assert!(part.postings(title).all(|p| p.name_score == TITLE));

        let site = tempfile::tempdir().unwrap();
        let store = crate::cache::CacheStore::open(site.path()).unwrap();
        store.write_in("search", "part.bin", &part).unwrap();
        let decoded: SearchPart = store.read_in("search", "part.bin").unwrap().unwrap();
        assert!(decoded.is_sound(2));
        assert_eq!(decoded.postings, part.postings);

        let mut truncated = part_of(&["alpha beta beta", "beta gamma"]);
        truncated.postings.pop();
        assert!(!truncated.is_sound(2));
        let mut out_of_range = part_of(&["alpha"]);
        out_of_range.postings[0] = 5;
        assert!(!out_of_range.is_sound(1));
        let mut unsorted = part_of(&["alpha beta"]);
        unsorted.text = "betaalpha".into();
        assert!(!unsorted.is_sound(1));
    }

    #[test]
    fn varints_read_back_and_overlong_ones_are_refused() {
        for value in [0, 1, 127, 128, 300, u32::MAX] {
            let mut bytes = Vec::new();
            push_varint(&mut bytes, value);
            let mut at = 0;
            assert_eq!(read_varint(&bytes, &mut at), Some(value));
            assert_eq!(at, bytes.len());
        }
        assert_eq!(read_varint(&[0xff; 6], &mut 0), None);
        assert_eq!(read_varint(&[0x80], &mut 0), None);
    }
}

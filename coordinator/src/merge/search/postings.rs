//! Postings: for every term, the (page, entry, score) triples that contain it, with the
//! score computed here once so the browser only adds numbers.
//!
//! Scores are one byte. An entry's own name ranks above any body: a page title gives
//! [`TITLE`] (plus half the body score), a heading [`HEADING`], an API object's name or any
//! dotted tail of it [`API_NAME`] (`invoke`, `context.invoke`), another part of that name
//! [`API_PART`]; a body match scores 1 to [`BODY_MAX`] by BM25 (k1 1.2, b 0.75) over the
//! pages' lengths in words.
//!
//! Chunk encoding (`search/p/<n>.bin`), repeated per term in byte order: varint length of
//! the term, its UTF-8 bytes, varint number of postings, then per posting varint page delta
//! (from the previous posting's page, the first from 0), varint entry (0 the page itself,
//! k its k-th sub-entry), one score byte. Varints are LEB128.

use super::{EntryType, SearchPage, SubEntry};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use worker::search_terms::{TermRole, fold, for_each_term};

/// Score of a page title term (before half the body score is added).
pub(crate) const TITLE: u8 = 200;
/// Score of a heading term.
pub(crate) const HEADING: u8 = 150;
/// Score of an API object's name or a dotted tail of it.
pub(crate) const API_NAME: u8 = 140;
/// Score of another part of an API object's name.
pub(crate) const API_PART: u8 = 80;
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

/// Every term in byte order with its postings in (page, entry) order.
pub(crate) struct Index<'a> {
    pub terms: Vec<(Cow<'a, str>, Vec<Posting>)>,
}

/// Before scoring: how often the term occurs in the body (entry 0 only) and the fixed score
/// of the entry's name (0 when the name does not hold it).
#[derive(Clone, Copy)]
struct Raw {
    page: u32,
    entry: u32,
    body_count: u16,
    name_score: u8,
}

/// Builds the postings of `pages` (already in their final order) and their sub-entries:
/// page ranges are collected on all cores, then joined in page order and scored.
pub(crate) fn build<'a>(pages: &[&'a SearchPage<'a>], entries: &[Vec<SubEntry<'a>>]) -> Index<'a> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = pages.len().div_ceil(threads).max(1);
    let collect_part = |part: usize| {
        collect(
            pages,
            entries,
            part * chunk..((part + 1) * chunk).min(pages.len()),
        )
    };
    let mut parts =
        crate::parallel::par_map(pages.len().div_ceil(chunk), collect_part, collect_part)
            .into_iter();
    let mut raw = parts.next().unwrap_or_default();
    // Later parts hold later pages: appending keeps every list in page order.
    for part in parts {
        for (term, list) in part {
            match raw.get_mut(term.as_ref()) {
                Some(earlier) => earlier.extend(list),
                None => {
                    raw.insert(term, list);
                }
            }
        }
    }
    let lengths: u64 = pages.iter().map(|page| u64::from(page.terms.length)).sum();
    let page_count = pages.len().max(1) as f64;
    let average_length = (lengths as f64 / page_count).max(1.0);
    let raw: Vec<(Cow<'a, str>, Vec<Raw>)> = raw.into_iter().collect();
    let score_list = |i: usize| {
        let list = &raw[i].1;
        let in_bodies = list.iter().filter(|r| r.body_count > 0).count() as f64;
        let idf = (1.0 + (page_count - in_bodies + 0.5) / (in_bodies + 0.5)).ln();
        list.iter()
            .map(|r| Posting {
                page: r.page,
                entry: r.entry,
                score: score(r, idf, pages[r.page as usize].terms.length, average_length),
            })
            .collect::<Vec<Posting>>()
    };
    let scored = crate::parallel::par_map(raw.len(), score_list, score_list);
    let mut terms: Vec<(Cow<'a, str>, Vec<Posting>)> = raw
        .into_iter()
        .zip(scored)
        .map(|((term, _), postings)| (term, postings))
        .collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Index { terms }
}

/// The unscored postings of the pages in `range`, each list in (page, entry) order.
fn collect<'a>(
    pages: &[&'a SearchPage<'a>],
    entries: &[Vec<SubEntry<'a>>],
    range: std::ops::Range<usize>,
) -> FxHashMap<Cow<'a, str>, Vec<Raw>> {
    let mut raw: FxHashMap<Cow<'a, str>, Vec<Raw>> = FxHashMap::default();
    let mut push = |term: Cow<'a, str>, posting: Raw| match raw.get_mut(term.as_ref()) {
        Some(list) => list.push(posting),
        None => {
            raw.insert(term, vec![posting]);
        }
    };
    let mut name_terms: Vec<(String, u8)> = Vec::new();
    for page_number in range {
        let (page, subs) = (pages[page_number], &entries[page_number]);
        let page_number = page_number as u32;
        name_terms.clear();
        for_each_term(page.title, |term, _| {
            name_terms.push((term.to_string(), TITLE))
        });
        name_terms.sort();
        name_terms.dedup();
        for (term, count) in page.terms.iter() {
            let in_title = name_terms.binary_search_by(|(t, _)| t.as_str().cmp(term));
            push(
                Cow::Borrowed(term),
                Raw {
                    page: page_number,
                    entry: 0,
                    body_count: count,
                    name_score: if in_title.is_ok() { TITLE } else { 0 },
                },
            );
        }
        for (term, _) in &name_terms {
            if page.terms.iter().all(|(body_term, _)| body_term != term) {
                push(
                    Cow::Owned(term.clone()),
                    Raw {
                        page: page_number,
                        entry: 0,
                        body_count: 0,
                        name_score: TITLE,
                    },
                );
            }
        }
        for (entry_number, entry) in subs.iter().enumerate() {
            entry_terms(page, entry, &mut name_terms);
            for (term, score) in name_terms.drain(..) {
                push(
                    Cow::Owned(term),
                    Raw {
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

fn score(raw: &Raw, idf: f64, length: u32, average_length: f64) -> u8 {
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

/// The terms of a sub-entry's name with their scores, deduplicated (best score kept).
fn entry_terms(page: &SearchPage<'_>, entry: &SubEntry<'_>, out: &mut Vec<(String, u8)>) {
    out.clear();
    match entry.kind {
        EntryType::Heading => {
            for_each_term(entry.text, |term, _| out.push((term.to_string(), HEADING)));
        }
        EntryType::Api => {
            // `click.core.Context.invoke` on the page of `click.core`: the full name and
            // every dotted tail of `Context.invoke` are names; `context` is a part.
            let qualified = entry.anchor;
            let local = qualified
                .strip_prefix(page.title)
                .and_then(|rest| rest.strip_prefix('.'))
                .unwrap_or(qualified);
            let mut push_name = |name: &str| {
                let folded = fold(name);
                if folded.chars().count() >= 2 {
                    out.push((folded, API_NAME));
                }
            };
            push_name(qualified);
            let mut tail = local;
            loop {
                push_name(tail);
                match tail.split_once('.') {
                    Some((_, rest)) => tail = rest,
                    None => break,
                }
            }
            let last = fold(local.rsplit('.').next().unwrap_or(local));
            for_each_term(local, |term, role| {
                let in_last = role == TermRole::Part && last.contains(term);
                out.push((term.to_string(), if in_last { API_NAME } else { API_PART }));
            });
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    out.dedup_by(|later, earlier| later.0 == earlier.0);
}

/// Appends `value` as a LEB128 varint.
pub(crate) fn push_varint(bytes: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        bytes.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
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

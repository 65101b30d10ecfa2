//! The scores of the terms of an entry's own name (a page title, a heading, an API object's
//! name), which rank above any body match: computed once per term when a shard's search
//! part is collected (`part.rs`), and ordered against body scores in `postings.rs`.

use super::{EntryType, SearchPage, SubEntry};
use worker::search_terms::{TermRole, fold, for_each_term};

/// Score of a page title term (before half the body score is added).
pub(crate) const TITLE: u8 = 200;
/// Score of a heading term.
pub(crate) const HEADING: u8 = 150;
/// Score of an API object's name or a dotted tail of it.
pub(crate) const API_NAME: u8 = 140;
/// Score of another part of an API object's name.
pub(crate) const API_PART: u8 = 80;
/// The terms of a sub-entry's name with their scores, deduplicated (best score kept).
pub(crate) fn entry_terms(
    page: &SearchPage<'_>,
    entry: &SubEntry<'_>,
    out: &mut Vec<(String, u8)>,
) {
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

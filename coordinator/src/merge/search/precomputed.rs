//! Search index parts computed where their pages were rendered. A distributed build's part
//! (`ops::build_part`) computes the part of each group of its pages (its pages of one plan
//! shard) and ships them in its manifest; the merge names its groups the same way, finds
//! each group's part here when the group's pages give the same key (`part::part_key`: every
//! page's place, names and term counts), and only merges and scores. A group whose key
//! differs, or that no part shipped, is computed as usual, so the index is the same either
//! way.
//!
//! Keys are taken with the binary identity 0 (what a merge without a cache folder uses):
//! the parts' plan stamps already hold the binary, and the merge refuses parts built by
//! another one.

use super::part::{self, SearchPart};
use super::{Ordered, SearchSite};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Search index parts by group name. See the module docs.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PrecomputedParts {
    parts: BTreeMap<String, SearchPart>,
}

impl PrecomputedParts {
    /// The part of each group of `site`'s pages (a group is the pages sharing
    /// `SearchPage::shard`), computed on all cores.
    pub fn compute(site: &SearchSite<'_>) -> PrecomputedParts {
        let Ordered {
            pages,
            entries,
            shards,
        } = Ordered::of(site);
        let computed = crate::parallel::par_map(
            shards.len(),
            |i| {
                let numbers = &shards[i].1;
                let digests: Vec<u128> = numbers
                    .iter()
                    .map(|&number| part::page_digest(pages[number as usize]))
                    .collect();
                let local: Vec<u32> = (0..numbers.len() as u32).collect();
                let key = part::part_key(0, &digests, &local);
                Some(part::compute(key, &pages, &entries, numbers))
            },
            |_| None,
        );
        let parts = shards
            .iter()
            .zip(computed)
            .filter_map(|((group, _), part)| Some((group.to_string(), part?)))
            .collect();
        PrecomputedParts { parts }
    }

    /// Adds `other`'s groups (another part's) to these.
    pub fn extend(&mut self, other: PrecomputedParts) {
        self.parts.extend(other.parts);
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether there is no group.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The part of `group` when it was computed from pages giving `key` and is sound for
    /// `pages` pages.
    pub(crate) fn get(&self, group: &str, key: u128, pages: usize) -> Option<&SearchPart> {
        let part = self.parts.get(group)?;
        if part.key == key && part.is_sound(pages) {
            Some(part)
        } else {
            tracing::debug!("precomputed search part of {group}: pages differ, computed again");
            None
        }
    }
}

//! The hash of the nav slice shown at each position of the last build's nav tree,
//! remembered between builds. A slice (breadcrumbs, sidebar, prev/next, version switcher)
//! is a function of the tree and the position only, so while the tree is the same, byte for
//! byte, a page's slice need not be built and hashed again to fingerprint it, which is most
//! of the cost of fingerprinting a large site.

use super::store::CacheStore;
use protocol::NavPosition;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// File name in `.ssg-cache/`.
const FILE: &str = "nav-slices.bin";

/// Slice hashes by position, for one nav tree.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavSliceHashes {
    /// Hash of the tree (and of everything else the slices depend on).
    tree: u128,
    /// (position, slice hash), sorted by position.
    slices: Vec<(NavPosition, u128)>,
}

impl NavSliceHashes {
    /// The hashes of `slices` computed on `tree`.
    pub fn new(tree: u128, slices: impl IntoIterator<Item = (NavPosition, u128)>) -> Self {
        let mut slices: Vec<(NavPosition, u128)> = slices.into_iter().collect();
        slices.sort_unstable();
        slices.dedup_by_key(|(position, _)| *position);
        NavSliceHashes { tree, slices }
    }

    /// The remembered hashes (empty when there are none or they cannot be read: every
    /// slice is then computed, which is only slower).
    pub fn read(store: &CacheStore) -> NavSliceHashes {
        store.read_named(FILE).ok().flatten().unwrap_or_default()
    }

    /// Saves them for the next build.
    pub fn write(&self, store: &CacheStore) -> std::io::Result<()> {
        store.write_named(FILE, self)
    }

    /// The hashes usable on a tree whose hash is `tree`: all of them when it is the tree
    /// they were computed on, none otherwise.
    pub fn usable_on(&self, tree: u128) -> HashMap<NavPosition, u128> {
        if self.tree != tree || tree == 0 {
            return HashMap::new();
        }
        self.slices.iter().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{NavPageIdx, NavSectionIdx};

    fn at(section: u32, page: Option<u32>) -> NavPosition {
        NavPosition {
            section: NavSectionIdx(section),
            page: page.map(NavPageIdx),
        }
    }

    #[test]
    fn hashes_are_only_usable_on_the_same_tree() {
        let hashes = NavSliceHashes::new(7, [(at(1, Some(2)), 10), (at(0, None), 11)]);
        assert_eq!(hashes.usable_on(7).get(&at(1, Some(2))), Some(&10));
        assert_eq!(hashes.usable_on(7).get(&at(0, None)), Some(&11));
        assert!(hashes.usable_on(8).is_empty());
        assert!(NavSliceHashes::default().usable_on(0).is_empty());
    }

    #[test]
    fn survive_a_round_trip_through_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = CacheStore::open(dir.path()).unwrap();
        let hashes = NavSliceHashes::new(42, [(at(3, Some(9)), 5)]);
        hashes.write(&store).unwrap();
        let read = NavSliceHashes::read(&store);
        assert_eq!(read, hashes);
        assert_eq!(read.usable_on(42).get(&at(3, Some(9))), Some(&5));
    }
}

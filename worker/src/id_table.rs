//! Compact lookup tables over data held elsewhere: an [`IdTable`] stores only small
//! integer ids (a module's index in the API inventory, a page's index in the nav tree),
//! hashed by a key the caller computes from the data the id points to, and compared
//! against that data on lookup. A worker indexes the API inventory and the nav tree it was
//! sent this way instead of copying every name and URL into maps of owned strings (on a
//! large API those copies were most of a worker's memory).
//!
//! Keys are hashed with a [`KeyHasher`], whose value depends only on the bytes written, not
//! on how they were split: a dotted name hashes the same whether written whole
//! (`pkg.core.Command`) or in pieces (`pkg.core`, `.`, `Command`), so an object's full name
//! is hashed from its module's name and its qualified name without being allocated.

use hashbrown::HashTable;

/// Which entry a table keeps when two ids have the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Duplicates {
    /// The first id inserted stays.
    KeepFirst,
    /// Each later id replaces the earlier one.
    KeepLast,
}

/// A hash table of ids whose keys live elsewhere.
#[derive(Debug, Default)]
pub(crate) struct IdTable {
    table: HashTable<u32>,
}

impl IdTable {
    /// A table with room for `capacity` ids without growing.
    pub(crate) fn with_capacity(capacity: usize) -> IdTable {
        IdTable {
            table: HashTable::with_capacity(capacity),
        }
    }

    /// Inserts `id` whose key hashes to `hash`; true when no id had its key. `same_key(other)`
    /// says whether id `other` has the same key as `id`; `hash_of(other)` hashes another
    /// id's key (when the table grows).
    pub(crate) fn insert(
        &mut self,
        hash: u64,
        id: u32,
        duplicates: Duplicates,
        same_key: impl Fn(u32) -> bool,
        hash_of: impl Fn(u32) -> u64,
    ) -> bool {
        match self.table.find_mut(hash, |&other| same_key(other)) {
            Some(existing) => {
                if duplicates == Duplicates::KeepLast {
                    *existing = id;
                }
                false
            }
            None => {
                self.table.insert_unique(hash, id, |&other| hash_of(other));
                true
            }
        }
    }

    /// The id whose key hashes to `hash` and for which `is_key` holds.
    pub(crate) fn find(&self, hash: u64, is_key: impl Fn(u32) -> bool) -> Option<u32> {
        self.table.find(hash, |&id| is_key(id)).copied()
    }

    /// Number of ids held.
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }
}

/// A fast hash of a key written in pieces (bytes and small integers), whose value does not
/// depend on how its bytes were split between [`KeyHasher::bytes`] calls. Not resistant to
/// chosen collisions: keys come from the site being built, and a collision costs only a
/// comparison.
#[derive(Debug, Default, Clone)]
pub(crate) struct KeyHasher {
    state: u64,
    /// Bytes not yet folded into `state`, little-endian, `n_pending` of them.
    pending: u64,
    n_pending: u32,
}

/// The multiplier of rustc's FxHasher.
const MULTIPLIER: u64 = 0xf135_7aea_2e62_a9c5;

impl KeyHasher {
    /// Adds `bytes` to the key.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut KeyHasher {
        let mut rest = bytes;
        while self.n_pending != 0 {
            let Some((&first, after)) = rest.split_first() else {
                return self;
            };
            self.push_byte(first);
            rest = after;
        }
        let (words, tail) = rest.as_chunks::<8>();
        for word in words {
            self.fold(u64::from_le_bytes(*word));
        }
        for &byte in tail {
            self.push_byte(byte);
        }
        self
    }

    /// Adds `text` to the key.
    pub(crate) fn str(&mut self, text: &str) -> &mut KeyHasher {
        self.bytes(text.as_bytes())
    }

    /// Adds a number to the key (a version, an index), apart from its bytes.
    pub(crate) fn number(&mut self, number: u64) -> &mut KeyHasher {
        self.fold(number ^ 0x9e37_79b9_7f4a_7c15);
        self
    }

    /// The hash of everything added, mixed so that its high bits (which the table's
    /// control bytes use) are as good as its low ones.
    pub(crate) fn finish(&self) -> u64 {
        let mut hash = (self.state.rotate_left(26) ^ self.pending ^ u64::from(self.n_pending))
            .wrapping_mul(MULTIPLIER);
        // MurmurHash3's finaliser.
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        hash ^ (hash >> 33)
    }

    fn push_byte(&mut self, byte: u8) {
        self.pending |= u64::from(byte) << (8 * self.n_pending);
        self.n_pending += 1;
        if self.n_pending == 8 {
            let word = self.pending;
            self.pending = 0;
            self.n_pending = 0;
            self.fold(word);
        }
    }

    fn fold(&mut self, word: u64) {
        self.state = (self.state.rotate_left(26) ^ word).wrapping_mul(MULTIPLIER);
    }
}

/// The hash of a whole string, as [`KeyHasher`] computes it.
pub(crate) fn hash_str(text: &str) -> u64 {
    KeyHasher::default().str(text).finish()
}

/// The hash of `first`, `separator` and `second` written one after the other.
pub(crate) fn hash_joined(first: &str, separator: &str, second: &str) -> u64 {
    KeyHasher::default()
        .str(first)
        .str(separator)
        .str(second)
        .finish()
}

/// True when `text` is `first`, `separator` and `second` one after the other.
pub(crate) fn is_joined(text: &str, first: &str, separator: &str, second: &str) -> bool {
    text.len() == first.len() + separator.len() + second.len()
        && text.starts_with(first)
        && text[first.len()..].starts_with(separator)
        && text.ends_with(second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_hashes_the_same_however_its_bytes_are_split() {
        let whole = "pkg.core.Command.invoke_with_a_long_name";
        let expected = hash_str(whole);
        for split in 0..=whole.len() {
            let (first, second) = whole.split_at(split);
            assert_eq!(
                KeyHasher::default().str(first).str(second).finish(),
                expected,
                "split at {split}"
            );
            for inner in split..=whole.len() {
                let mut hasher = KeyHasher::default();
                hasher
                    .str(first)
                    .str(&whole[split..inner])
                    .str(&whole[inner..]);
                assert_eq!(hasher.finish(), expected, "split at {split} and {inner}");
            }
        }
        assert_eq!(
            hash_joined("pkg.core", ".", "Command"),
            hash_str("pkg.core.Command")
        );
        assert_ne!(hash_str("pkg.core.Command"), hash_str("pkg.core.Commandx"));
        assert_ne!(hash_str(""), hash_str("\0"));
        assert_ne!(
            KeyHasher::default().number(1).str("a").finish(),
            KeyHasher::default().number(2).str("a").finish()
        );
    }

    #[test]
    fn joined_text_is_recognised_exactly() {
        assert!(is_joined("a.b.c", "a.b", ".", "c"));
        assert!(is_joined("a.b.c", "a", ".", "b.c"));
        assert!(!is_joined("a.b.c", "a", ".", "c"));
        assert!(!is_joined("a.bc", "a.b", ".", "c"));
        assert!(!is_joined("a#b", "a", ".", "b"));
        assert!(is_joined(".", "", ".", ""));
    }

    #[test]
    fn duplicates_keep_the_first_or_the_last_id() {
        let keys = ["x", "y", "x", "z", "x"];
        for (duplicates, expected_x) in [(Duplicates::KeepFirst, 0), (Duplicates::KeepLast, 4)] {
            // Room for one only: the table grows, rehashing the ids it holds.
            let mut table = IdTable::with_capacity(1);
            for (id, key) in keys.iter().enumerate() {
                table.insert(
                    hash_str(key),
                    id as u32,
                    duplicates,
                    |other| keys[other as usize] == *key,
                    |other| hash_str(keys[other as usize]),
                );
            }
            assert_eq!(table.len(), 3);
            let find = |key: &str| table.find(hash_str(key), |id| keys[id as usize] == key);
            assert_eq!(find("x"), Some(expected_x));
            assert_eq!(find("y"), Some(1));
            assert_eq!(find("z"), Some(3));
            assert_eq!(find("w"), None);
        }
    }
}

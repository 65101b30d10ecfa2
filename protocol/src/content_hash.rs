//! The content hash both sides compute and compare: the coordinator hashes a page's source
//! when it plans it and the worker checks it before rendering (so a file changed in between
//! is noticed), included snippet files are recorded by the worker and re-hashed by the
//! cache, and outputs are recorded by hash.

/// xxh3-128 of `bytes`.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

#[cfg(test)]
mod tests {
    use super::content_hash;

    #[test]
    fn the_hash_is_xxh3_128() {
        assert_eq!(content_hash(b""), 0x99aa06d3014798d86001c324468d497f);
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
    }
}

//! The content hash both sides compute and compare: the coordinator hashes a page's source
//! when it plans it and the worker checks it before rendering (so a file changed in between
//! is noticed), included snippet files are recorded by the worker and re-hashed by the
//! cache, and outputs are recorded by hash.

/// xxh3-128 of `bytes`.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// [`content_hash`] of the file at `path`, read in 1 MiB blocks rather than whole (a file
/// may be far larger than what a build otherwise holds).
pub fn file_content_hash(path: &std::path::Path) -> std::io::Result<u128> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut block = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut block) {
            Ok(0) => return Ok(hasher.digest128()),
            Ok(read) => hasher.update(&block[..read]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{content_hash, file_content_hash};

    #[test]
    fn the_hash_is_xxh3_128() {
        assert_eq!(content_hash(b""), 0x99aa06d3014798d86001c324468d497f);
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
    }

    #[test]
    fn a_file_hashes_as_its_bytes_across_blocks() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.bin");
        let bytes: Vec<u8> = (0..(3 << 20) + 17).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(
            file_content_hash(&path).expect("hash"),
            content_hash(&bytes)
        );
        assert!(file_content_hash(&dir.path().join("missing")).is_err());
    }
}

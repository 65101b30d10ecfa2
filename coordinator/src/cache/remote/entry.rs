//! One entry of the shared cache: a shard's pages as the local cache keeps them
//! ([`CachedPage`]), followed by the bytes of every output they wrote, under the shard's
//! [`ShardFingerprint`].
//!
//! ```text
//! "SSGSHARD" | entry version u32 | cache format u32 | xxh3-128 of the rest | meta length u64
//!            | postcard(EntryMeta: fingerprint echo, shard, pages) | output bytes, in order
//! ```
//!
//! The reader trusts nothing: another version, a checksum mismatch, an entry whose echoed
//! fingerprint is not the one asked for (a foreign entry stored under this key), or an
//! output whose bytes do not hash to what its page recorded are all refused with a reason.

use super::super::CachedPage;
use super::super::format::FORMAT_VERSION;
use protocol::{PageId, ShardId, content_hash};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// First bytes of every entry.
const MAGIC: &[u8; 8] = b"SSGSHARD";
/// Version of the entry layout; bump it when the layout above changes (the cached types
/// are versioned by the local cache's `FORMAT_VERSION`, also in the header).
const ENTRY_VERSION: u32 = 1;
const HEADER_LEN: usize = MAGIC.len() + 4 + 4 + 16 + 8;

/// What identifies a shard's rendered pages across machines: SHA-256 of the shard id and
/// every page id with its fingerprint (which already covers sources, templates,
/// configuration, nav slice and the binary). 64 hex digits, the key shape bazel-remote's
/// `ac/` store expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardFingerprint(pub [u8; 32]);

impl ShardFingerprint {
    /// The fingerprint of `shard` holding `pages` (page id, page fingerprint), in any
    /// order: they are sorted by id first, so every machine computes the same.
    pub fn of(shard: &ShardId, pages: &mut [(&PageId, u128)]) -> ShardFingerprint {
        pages.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut context = ring::digest::Context::new(&ring::digest::SHA256);
        context.update(MAGIC);
        context.update(&ENTRY_VERSION.to_le_bytes());
        context.update(&FORMAT_VERSION.to_le_bytes());
        context.update(shard.0.as_bytes());
        context.update(&[0]);
        for (id, fingerprint) in pages.iter() {
            context.update(id.as_str().as_bytes());
            context.update(&[0]);
            context.update(&fingerprint.to_le_bytes());
        }
        let mut bytes = [0; 32];
        bytes.copy_from_slice(context.finish().as_ref());
        ShardFingerprint(bytes)
    }

    /// Lower-case hex, the object's name in the store.
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Why an entry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// Not an entry, or truncated before its header ends.
    #[error("not an ssg-coord shard entry")]
    NotAnEntry,
    /// Written by another version of ssg-coord.
    #[error("written by another ssg-coord (entry {entry}, cache format {format})")]
    ForeignVersion {
        /// The entry version found.
        entry: u32,
        /// The cache format found.
        format: u32,
    },
    /// The bytes do not match their checksum (truncated or overwritten).
    #[error("corrupt (checksum mismatch)")]
    Corrupt,
    /// The page list does not decode.
    #[error("corrupt ({0})")]
    Decode(String),
    /// The entry describes another shard than the one it is stored under.
    #[error("foreign entry (stored under another shard's key)")]
    Foreign,
    /// An output's bytes are missing or do not hash to what its page recorded.
    #[error("output `{0}` does not match its recorded hash")]
    OutputMismatch(String),
}

/// The page list of an entry.
#[derive(Deserialize)]
struct EntryMeta {
    fingerprint: ShardFingerprint,
    shard: ShardId,
    pages: Vec<(PageId, CachedPage)>,
}

/// The page list as written (the same bytes as [`EntryMeta`]).
#[derive(Serialize)]
struct EntryMetaOut<'a> {
    fingerprint: &'a ShardFingerprint,
    shard: &'a ShardId,
    pages: &'a [(&'a PageId, &'a CachedPage)],
}

/// Encodes a shard's entry. `output_bytes` gives the bytes of each output of each page, in
/// the order of `pages` and of each page's `outputs`.
pub fn encode(
    fingerprint: &ShardFingerprint,
    shard: &ShardId,
    pages: &[(&PageId, &CachedPage)],
    output_bytes: &[Vec<u8>],
) -> Vec<u8> {
    // Serialising plain data structs to a Vec cannot fail.
    let meta = postcard::to_stdvec(&EntryMetaOut {
        fingerprint,
        shard,
        pages,
    })
    .unwrap_or_default();
    let blob_len: usize = output_bytes.iter().map(Vec::len).sum();
    let mut rest = Vec::with_capacity(8 + meta.len() + blob_len);
    rest.extend_from_slice(&(meta.len() as u64).to_le_bytes());
    rest.extend_from_slice(&meta);
    for bytes in output_bytes {
        rest.extend_from_slice(bytes);
    }
    let mut entry = Vec::with_capacity(HEADER_LEN - 8 + rest.len());
    entry.extend_from_slice(MAGIC);
    entry.extend_from_slice(&ENTRY_VERSION.to_le_bytes());
    entry.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    entry.extend_from_slice(&content_hash(&rest).to_le_bytes());
    entry.extend_from_slice(&rest);
    entry
}

/// A decoded entry: its pages, each with the byte ranges of its outputs in `bytes`.
pub struct Entry {
    bytes: Vec<u8>,
    pages: Vec<(PageId, CachedPage, Vec<Range<usize>>)>,
}

impl Entry {
    /// The pages, each with the bytes of its outputs (in the order of its `outputs`).
    pub fn pages(&self) -> impl Iterator<Item = (&PageId, &CachedPage, Vec<&[u8]>)> {
        self.pages.iter().map(|(id, page, ranges)| {
            let outputs = ranges.iter().map(|r| &self.bytes[r.clone()]).collect();
            (id, page, outputs)
        })
    }
}

/// Decodes and checks an entry fetched under `expected`.
pub fn decode(
    bytes: Vec<u8>,
    expected: &ShardFingerprint,
    shard: &ShardId,
) -> Result<Entry, EntryError> {
    if bytes.len() < HEADER_LEN || &bytes[..MAGIC.len()] != MAGIC {
        return Err(EntryError::NotAnEntry);
    }
    let word =
        |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let (entry, format) = (word(8), word(12));
    if entry != ENTRY_VERSION || format != FORMAT_VERSION {
        return Err(EntryError::ForeignVersion { entry, format });
    }
    let mut checksum = [0; 16];
    checksum.copy_from_slice(&bytes[16..32]);
    if content_hash(&bytes[32..]) != u128::from_le_bytes(checksum) {
        return Err(EntryError::Corrupt);
    }
    let mut meta_len = [0; 8];
    meta_len.copy_from_slice(&bytes[32..40]);
    let meta_end = usize::try_from(u64::from_le_bytes(meta_len))
        .ok()
        .and_then(|len| HEADER_LEN.checked_add(len))
        .filter(|&end| end <= bytes.len())
        .ok_or(EntryError::Corrupt)?;
    let meta: EntryMeta = postcard::from_bytes(&bytes[HEADER_LEN..meta_end])
        .map_err(|e| EntryError::Decode(e.to_string()))?;
    if meta.fingerprint != *expected || meta.shard != *shard {
        return Err(EntryError::Foreign);
    }
    let mut at = meta_end;
    let mut pages = Vec::with_capacity(meta.pages.len());
    for (id, page) in meta.pages {
        let mut ranges = Vec::with_capacity(page.result.outputs.len());
        for output in &page.result.outputs {
            let range = usize::try_from(output.len)
                .ok()
                .and_then(|len| at.checked_add(len))
                .filter(|&end| end <= bytes.len())
                .map(|end| at..end)
                .ok_or_else(|| EntryError::OutputMismatch(output.path.clone()))?;
            if content_hash(&bytes[range.clone()]) != output.hash {
                return Err(EntryError::OutputMismatch(output.path.clone()));
            }
            at = range.end;
            ranges.push(range);
        }
        pages.push((id, page, ranges));
    }
    if at != bytes.len() {
        return Err(EntryError::Corrupt);
    }
    Ok(Entry { bytes, pages })
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{OutputFile, RenderedPage};

    fn page(outputs: &[(&str, &[u8])]) -> CachedPage {
        CachedPage {
            fingerprint: 7,
            result: RenderedPage {
                title: "A".into(),
                outputs: outputs
                    .iter()
                    .map(|(path, bytes)| OutputFile {
                        path: path.to_string(),
                        hash: content_hash(bytes),
                        len: bytes.len() as u64,
                        modified: 1,
                    })
                    .collect(),
                ..Default::default()
            },
        }
    }

    fn sample() -> (ShardFingerprint, ShardId, Vec<u8>) {
        let shard = ShardId("content/guide".into());
        let (a, b) = (PageId("a.md".into()), PageId("b.md".into()));
        let fingerprint = ShardFingerprint::of(&shard, &mut [(&b, 2), (&a, 1)]);
        let (page_a, page_b) = (page(&[("a/index.html", b"<p>a</p>")]), page(&[]));
        let bytes = encode(
            &fingerprint,
            &shard,
            &[(&a, &page_a), (&b, &page_b)],
            &[b"<p>a</p>".to_vec()],
        );
        (fingerprint, shard, bytes)
    }

    #[test]
    fn an_entry_reads_back_with_its_outputs() {
        let (fingerprint, shard, bytes) = sample();
        let entry = decode(bytes, &fingerprint, &shard).unwrap();
        let pages: Vec<_> = entry.pages().collect();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].0.as_str(), "a.md");
        assert_eq!(pages[0].2, vec![b"<p>a</p>".as_slice()]);
        assert!(pages[1].2.is_empty());
    }

    #[test]
    fn the_fingerprint_ignores_order_and_sees_every_page() {
        let shard = ShardId("s".into());
        let (a, b) = (PageId("a".into()), PageId("b".into()));
        let one = ShardFingerprint::of(&shard, &mut [(&a, 1), (&b, 2)]);
        assert_eq!(one, ShardFingerprint::of(&shard, &mut [(&b, 2), (&a, 1)]));
        assert_ne!(one, ShardFingerprint::of(&shard, &mut [(&a, 1), (&b, 3)]));
        assert_ne!(one, ShardFingerprint::of(&shard, &mut [(&a, 1)]));
        assert_ne!(
            one,
            ShardFingerprint::of(&ShardId("t".into()), &mut [(&a, 1), (&b, 2)])
        );
        assert_eq!(one.hex().len(), 64);
    }

    #[test]
    fn damaged_foreign_and_other_version_entries_are_refused() {
        let (fingerprint, shard, bytes) = sample();
        let check = |bytes: Vec<u8>| decode(bytes, &fingerprint, &shard).err();
        assert_eq!(check(b"garbage".to_vec()), Some(EntryError::NotAnEntry));
        assert_eq!(
            check(bytes[..bytes.len() - 1].to_vec()),
            Some(EntryError::Corrupt)
        );
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(check(flipped), Some(EntryError::Corrupt));
        let mut other_version = bytes.clone();
        other_version[8] = 99;
        assert!(matches!(
            check(other_version),
            Some(EntryError::ForeignVersion { entry: 99, .. })
        ));
        let other = ShardFingerprint([1; 32]);
        assert_eq!(
            decode(bytes.clone(), &other, &shard).err(),
            Some(EntryError::Foreign)
        );
        assert_eq!(
            decode(bytes, &fingerprint, &ShardId("other".into())).err(),
            Some(EntryError::Foreign)
        );
    }

    #[test]
    fn an_output_that_does_not_match_its_hash_is_refused_even_with_a_valid_checksum() {
        let shard = ShardId("s".into());
        let a = PageId("a.md".into());
        let fingerprint = ShardFingerprint::of(&shard, &mut [(&a, 1)]);
        let page_a = page(&[("a/index.html", b"<p>a</p>")]);
        let bytes = encode(
            &fingerprint,
            &shard,
            &[(&a, &page_a)],
            &[b"<p>b</p>".to_vec()],
        );
        assert_eq!(
            decode(bytes, &fingerprint, &shard).err(),
            Some(EntryError::OutputMismatch("a/index.html".into()))
        );
    }
}

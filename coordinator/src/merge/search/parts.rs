//! The search index's parts between builds: `.ssg-cache/search/`, one file per shard, each
//! holding the shard's [`SearchPart`] with the key of the pages it was computed from.
//!
//! A part is reused only when the shard's pages give the same key now (`part::part_key`)
//! and the file is sound; a missing, foreign, corrupt or outdated file only means the part
//! is computed again (logged at debug level: the shard files' own checks report a damaged
//! cache). A part is written when it was computed; files of shards that no longer exist
//! are removed after the index is written.
//!
//! `files.bin` records the index files the last build wrote (hash, size, modification
//! time), so an index file with the same bytes that nobody touched since is recognised
//! without reading it back. `index.bin` keeps the last build's merged index
//! (`encoded::IndexMemo`), so the next one merges again only the terms of changed pages.

use super::encoded::IndexMemo;
use super::part::SearchPart;
use crate::cache::CacheStore;
use protocol::OutputFile;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The cache folder holding the parts.
const FOLDER: &str = "search";
/// The record of the index files the last build wrote, in that folder.
const FILES: &str = "files.bin";
/// The last build's merged index, in that folder.
const MEMO: &str = "index.bin";

/// A shard's cached part, as [`SearchCache::read`] found it.
pub(crate) enum CachedPart {
    /// Computed from the shard's pages as they are now.
    Current(SearchPart),
    /// Computed from other pages (a previous state of the shard): sound, but only of use
    /// to tell what changed.
    Previous(SearchPart),
    /// Missing or unusable.
    None,
}

/// Where the index's parts are read from and written to.
pub struct SearchCache<'a> {
    /// The site's cache folder.
    pub store: &'a CacheStore,
    /// Reuse the parts the previous build left (off under `--no-cache`; parts are written
    /// either way).
    pub reuse: bool,
    /// The identity of the running executable: a part computed by another one is not reused.
    pub binary: u128,
}

/// `files.bin`.
#[derive(Serialize, Deserialize)]
struct WrittenFiles {
    out_dir: String,
    files: Vec<OutputFile>,
}

/// A part's file name: a hash of the exact shard id, safe on every file system.
fn part_file(shard: &str) -> String {
    format!("{:032x}.bin", xxhash_rust::xxh3::xxh3_128(shard.as_bytes()))
}

impl SearchCache<'_> {
    /// The cached part of `shard`: current when it was computed from pages with this
    /// `key` and is sound for `pages` pages.
    pub(crate) fn read(&self, shard: &str, key: u128, pages: usize) -> CachedPart {
        if !self.reuse {
            return CachedPart::None;
        }
        match self.store.read_in::<SearchPart>(FOLDER, &part_file(shard)) {
            Ok(Some(part)) if part.key == key && part.is_sound(pages) => CachedPart::Current(part),
            Ok(Some(part)) => {
                tracing::debug!("search part of shard {shard}: pages changed");
                CachedPart::Previous(part)
            }
            Ok(None) => CachedPart::None,
            Err(e) => {
                tracing::debug!("search part of shard {shard} unusable: {e}");
                CachedPart::None
            }
        }
    }

    /// The last build's merged index, when there is one to reuse.
    pub(crate) fn read_memo(&self) -> Option<IndexMemo> {
        if !self.reuse {
            return None;
        }
        self.store
            .read_in::<IndexMemo>(FOLDER, MEMO)
            .unwrap_or_else(|e| {
                tracing::debug!("search index memo unusable: {e}");
                None
            })
    }

    /// Saves this build's merged index for the next.
    pub(crate) fn write_memo(&self, memo: &IndexMemo) {
        if let Err(e) = self.store.write_in(FOLDER, MEMO, memo) {
            tracing::warn!("cannot save the merged search index: {e}");
        }
    }

    /// Saves the part of `shard` (a failure costs the next build the work, nothing else).
    pub(crate) fn write(&self, shard: &str, part: &SearchPart) {
        if let Err(e) = self.store.write_in(FOLDER, &part_file(shard), part) {
            tracing::warn!("cannot save the search index part of shard {shard}: {e}");
        }
    }

    /// The index files the last build wrote into `out_dir`, with their hash, size and
    /// modification time (empty when unknown).
    pub(crate) fn written_files(&self, out_dir: &Path) -> Vec<OutputFile> {
        if !self.reuse {
            return Vec::new();
        }
        match self.store.read_in::<WrittenFiles>(FOLDER, FILES) {
            Ok(Some(record)) if record.out_dir == out_dir.display().to_string() => record.files,
            Ok(_) => Vec::new(),
            Err(e) => {
                tracing::debug!("search index files record unusable: {e}");
                Vec::new()
            }
        }
    }

    /// Records the index files this build wrote into `out_dir`.
    pub(crate) fn write_files(&self, out_dir: &Path, files: Vec<OutputFile>) {
        let record = WrittenFiles {
            out_dir: out_dir.display().to_string(),
            files,
        };
        if let Err(e) = self.store.write_in(FOLDER, FILES, &record) {
            tracing::warn!("cannot save the record of the search index files: {e}");
        }
    }

    /// Removes the parts of shards other than `shards`.
    pub(crate) fn keep_only<'s>(&self, shards: impl Iterator<Item = &'s str>) {
        let mut files: Vec<String> = shards.map(part_file).collect();
        files.push(FILES.to_string());
        files.push(MEMO.to_string());
        let keep: Vec<&str> = files.iter().map(String::as_str).collect();
        if let Err(e) = self.store.remove_in_except(FOLDER, &keep) {
            tracing::warn!("cannot remove old search index parts: {e}");
        }
    }
}

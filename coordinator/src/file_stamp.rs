//! File stamps: a file's size and modification time, what recognises a file unchanged since
//! an earlier build without reading it.
//!
//! Discovery stamps the input files it walks and the cache compares stamps of inputs and
//! outputs; the helper sits below both so neither reaches into the other.

use std::path::Path;

pub use worker::outputs::modified_nanos as mtime_nanos;

/// An input file's size and modification time (of a symlink itself, as the walks do not
/// follow links).
pub fn file_stamp(path: &Path) -> Option<(u64, u128)> {
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| (m.len(), mtime_nanos(&m)))
}

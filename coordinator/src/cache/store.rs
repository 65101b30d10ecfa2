//! The cache folder `<site>/.ssg-cache/`: a manifest, one file per shard, and a lock.
//!
//! Every file is written atomically (temporary file, then rename); the manifest is written
//! last, so an interrupted build leaves either the previous manifest (whose shard files are
//! still there, since shard files are only removed after a new manifest is in place) or
//! the new one, never a manifest that lies.

use super::format::{self, FormatError};
use protocol::ShardId;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// Name of the cache folder in the site root.
pub const CACHE_DIR: &str = ".ssg-cache";
const MANIFEST: &str = "manifest.bin";
const SHARDS: &str = "shards";

/// The cache folder of one site, locked for the life of this value.
pub struct CacheStore {
    dir: PathBuf,
    _lock: File,
}

/// Why a cache file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// It could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// Its content is unusable.
    #[error("{path}: {source}")]
    Format {
        /// The file.
        path: String,
        /// Why.
        source: FormatError,
    },
}

impl CacheStore {
    /// Opens (creating it if needed) and locks `<site_root>/.ssg-cache`. Another build of
    /// the same site waits for the lock, so two builds never interleave their cache writes.
    pub fn open(site_root: &Path) -> io::Result<CacheStore> {
        let dir = site_root.join(CACHE_DIR);
        std::fs::create_dir_all(dir.join(SHARDS))?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("lock"))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                tracing::warn!("waiting for another ssg-coord build of this site to finish");
                lock.lock()?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
        Ok(CacheStore { dir, _lock: lock })
    }

    fn read<T: DeserializeOwned>(&self, path: &Path) -> Result<Option<T>, ReadError> {
        let display = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => format::decode(&bytes)
                .map(Some)
                .map_err(|source| ReadError::Format {
                    path: display,
                    source,
                }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ReadError::Io {
                path: display,
                source,
            }),
        }
    }

    /// The manifest, or `None` when there is none.
    pub fn read_manifest<T: DeserializeOwned>(&self) -> Result<Option<T>, ReadError> {
        self.read(&self.dir.join(MANIFEST))
    }

    /// A shard's file, or `None` when it is missing.
    pub fn read_shard<T: DeserializeOwned>(&self, file: &str) -> Result<Option<T>, ReadError> {
        self.read(&self.dir.join(SHARDS).join(file))
    }

    /// Another cache file by name (`discovery.bin`), or `None` when it is missing.
    pub fn read_named<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, ReadError> {
        self.read(&self.dir.join(name))
    }

    /// Writes another cache file by name, atomically.
    pub fn write_named<T: Serialize>(&self, name: &str, value: &T) -> io::Result<()> {
        write_atomic(&self.dir.join(name), &format::encode(value))
    }

    /// Writes an encoded shard file atomically.
    pub fn write_shard(&self, file: &str, encoded: &[u8]) -> io::Result<()> {
        write_atomic(&self.dir.join(SHARDS).join(file), encoded)
    }

    /// Writes the manifest atomically (do this last).
    pub fn write_manifest<T: Serialize>(&self, manifest: &T) -> io::Result<()> {
        write_atomic(&self.dir.join(MANIFEST), &format::encode(manifest))
    }

    /// A file in a folder of its own inside the cache (`search/…`), or `None` when it is
    /// missing.
    pub fn read_in<T: DeserializeOwned>(
        &self,
        folder: &str,
        name: &str,
    ) -> Result<Option<T>, ReadError> {
        self.read(&self.dir.join(folder).join(name))
    }

    /// Writes a file in a folder of its own inside the cache, atomically, creating the folder.
    pub fn write_in<T: Serialize>(&self, folder: &str, name: &str, value: &T) -> io::Result<()> {
        let folder = self.dir.join(folder);
        std::fs::create_dir_all(&folder)?;
        write_atomic(&folder.join(name), &format::encode(value))
    }

    /// Removes the files of a folder of the cache not named in `keep`.
    pub fn remove_in_except(&self, folder: &str, keep: &[&str]) -> io::Result<()> {
        let entries = match std::fs::read_dir(self.dir.join(folder)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            if !keep.iter().any(|k| name.to_str() == Some(k)) {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }

    /// Removes shard files the manifest no longer names.
    pub fn remove_shards_except(&self, keep: &[&str]) -> io::Result<()> {
        for entry in std::fs::read_dir(self.dir.join(SHARDS))? {
            let entry = entry?;
            let name = entry.file_name();
            if !keep.iter().any(|k| name.to_str() == Some(k)) {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }
}

/// A shard's file name: readable, safe on every file system, and unique (a short hash of
/// the exact id is appended, since sanitising could make two ids alike).
pub fn shard_file(shard: &ShardId) -> String {
    let readable: String = shard
        .0
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    format!(
        "{readable}-{:08x}.bin",
        xxhash_rust::xxh3::xxh3_64(shard.0.as_bytes()) as u32
    )
}

fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = path.with_extension(format!("tmp.{}", std::process::id()));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// Removes the cache folder of a site (for `ssg-coord clean`).
pub fn remove(site_root: &Path) -> io::Result<bool> {
    let dir = site_root.join(CACHE_DIR);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_files_are_safe_and_distinct() {
        let a = shard_file(&ShardId("v1/content/guide".into()));
        let b = shard_file(&ShardId("v1_content_guide".into()));
        assert!(
            a.starts_with("v1_content_guide-") && a.ends_with(".bin"),
            "{a}"
        );
        assert_ne!(a, b);
        assert!(!shard_file(&ShardId("../../etc".into())).contains('/'));
    }

    #[test]
    fn manifest_roundtrip_and_lock() {
        let site = tempfile::tempdir().unwrap();
        let store = CacheStore::open(site.path()).unwrap();
        assert_eq!(store.read_manifest::<Vec<u32>>().unwrap(), None);
        store.write_manifest(&vec![1u32, 2]).unwrap();
        assert_eq!(store.read_manifest::<Vec<u32>>().unwrap(), Some(vec![1, 2]));
        std::fs::write(site.path().join(CACHE_DIR).join(MANIFEST), b"garbage").unwrap();
        assert!(matches!(
            store.read_manifest::<Vec<u32>>(),
            Err(ReadError::Format { .. })
        ));
        drop(store);
        assert!(remove(site.path()).unwrap());
        assert!(!remove(site.path()).unwrap());
    }
}

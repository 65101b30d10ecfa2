//! Cheap checks of what a build reads, so that nothing is recomputed when nothing changed.
//!
//! - [`ExeStamp`]: the running executable's path, size, modification time and inode. The
//!   binary's identity (a hash of its bytes, tens of megabytes) is only recomputed when the
//!   stamp differs from the one the cache recorded.
//! - [`input_signature_and_stamps`]: a hash over the path, size and modification time of every file a
//!   build reads (`ssg.toml`, content, templates, static files, autodoc packages) and the
//!   options that change the output. Equal signatures mean equal inputs, as for cargo's
//!   mtime-based freshness: a build whose signature matches the previous one, and whose
//!   outputs are all still in place, has nothing to do.

use crate::config::Config;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::Xxh3;

/// What identifies an executable file without reading it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExeStamp {
    path: String,
    len: u64,
    mtime: u128,
    inode: u64,
}

/// The running executable's stamp, if it can be read.
pub fn exe_stamp() -> Option<ExeStamp> {
    use std::os::unix::fs::MetadataExt;
    let path = std::env::current_exe().ok()?;
    let metadata = std::fs::metadata(&path).ok()?;
    Some(ExeStamp {
        path: path.display().to_string(),
        len: metadata.len(),
        mtime: crate::file_stamp::mtime_nanos(&metadata),
        inode: metadata.ino(),
    })
}

/// Folders and files a build of `site_root` reads, relative to it.
fn input_roots(config: &Config) -> Vec<String> {
    let mut roots = vec![
        crate::config::CONFIG_FILE.to_string(),
        config.build.content_dir.clone(),
        "templates".to_string(),
        "static".to_string(),
    ];
    roots.extend(config.reference_folders().map(str::to_string));
    roots.extend(config.local_inventories().map(str::to_string));
    roots.extend(config.other_inputs());
    // Snippet folders: the site root itself would take in the outputs, so for `.` only
    // the files directly in it count (README.md, CHANGELOG.md), added by the caller.
    roots.extend(
        config
            .markdown
            .snippet_base_paths
            .iter()
            .filter(|path| path.as_str() != ".")
            .cloned(),
    );
    roots
}

/// Files directly in the site root, when `.` is a snippet base path (they may be included).
fn top_level_files(site_root: &Path, config: &Config) -> Vec<String> {
    if !config
        .markdown
        .snippet_base_paths
        .iter()
        .any(|path| path == ".")
    {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(site_root) else {
        return Vec::new();
    };
    let mut files: Vec<String> = entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && name != crate::config::CONFIG_FILE)
        .collect();
    files.sort();
    files
}

/// Hash of every input file's path, size and modification time, plus `options` (the build
/// options that change the output). Hidden files are skipped, as discovery skips them.
/// (A build calls [`input_signature_and_stamps`], which also keeps the stamps.)
#[cfg(test)]
pub fn input_signature(site_root: &Path, config: &Config, options: &[u8]) -> u128 {
    input_signature_and_stamps(site_root, config, options).0
}

/// The stamps (size, modification time) the input signature took, by path: discovery
/// looks its files up here rather than asking the file system a second time in one build.
#[derive(Debug, Default)]
pub struct InputStamps {
    stamps: FxHashMap<PathBuf, (u64, u128)>,
}

impl InputStamps {
    /// The stamp of `path` (as the walk spelled it), when the signature took one.
    pub fn get(&self, path: &Path) -> Option<(u64, u128)> {
        self.stamps.get(path).copied()
    }
}

/// [`input_signature`], and the stamps it took.
pub fn input_signature_and_stamps(
    site_root: &Path,
    config: &Config,
    options: &[u8],
) -> (u128, InputStamps) {
    let mut taken = InputStamps::default();
    let mut hasher = Xxh3::new();
    hasher.update(options);
    let mut roots = input_roots(config);
    roots.extend(top_level_files(site_root, config));
    for root in roots {
        hasher.update(root.as_bytes());
        hasher.update(&[0]);
        // The walk reads directories only (entry types come with them); the files are
        // then looked at on all cores, and hashed in the walk's order.
        let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(site_root.join(&root))
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .flatten()
            .filter(|entry| entry.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .collect();
        let stamps = crate::parallel::par_map(
            files.len(),
            |i| crate::file_stamp::file_stamp(&files[i]),
            |_| None,
        );
        for (path, stamp) in files.into_iter().zip(stamps) {
            let Some((len, mtime)) = stamp else {
                continue;
            };
            hasher.update(path.as_os_str().as_encoded_bytes());
            hasher.update(&len.to_le_bytes());
            hasher.update(&mtime.to_le_bytes());
            taken.stamps.insert(path, (len, mtime));
        }
    }
    (hasher.digest128(), taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_follows_every_input_and_nothing_else() {
        let site = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = site.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("content/a.md", "# A");
        write("templates/page.html", "x");
        let config = Config::default();
        let first = input_signature(site.path(), &config, b"opts");
        assert_eq!(first, input_signature(site.path(), &config, b"opts"));
        assert_ne!(first, input_signature(site.path(), &config, b"other opts"));

        write("public/index.html", "outputs are not inputs");
        write("content/.hidden", "skipped");
        assert_eq!(first, input_signature(site.path(), &config, b"opts"));

        write("content/b.md", "# B");
        let second = input_signature(site.path(), &config, b"opts");
        assert_ne!(first, second);
        write("content/b.md", "# B, longer");
        assert_ne!(second, input_signature(site.path(), &config, b"opts"));
    }
}

//! Which output files a rebuild changed, found by looking at the output tree: a full build
//! does not say which of its outputs differ from the previous build's, but the tree does.
//!
//! [`OutputSnapshot`] remembers each file's size, modification time, inode and content
//! hash. Outputs are replaced by rename and identical outputs are left untouched, so a file
//! whose stamp is unchanged still holds the same bytes and is not read again; only files
//! with a new stamp are hashed, and they count as changed only when the hash differs.
//! Removed files count as changed too. Temporary files of an atomic write in progress
//! (`.name.PID.tmp`) are skipped.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl Stamp {
    fn of(metadata: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(metadata);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            inode,
        }
    }
}

/// The output tree as last seen: relative path (`/`-separated) → stamp and hash.
#[derive(Debug, Default)]
pub struct OutputSnapshot {
    files: BTreeMap<String, (Stamp, u128)>,
}

fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp")
}

impl OutputSnapshot {
    /// An empty snapshot: the first [`OutputSnapshot::update`] reports every file.
    pub fn new() -> OutputSnapshot {
        OutputSnapshot::default()
    }

    /// Files in the snapshot.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True before the first update, or for an empty output.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Looks at `out_dir` again and returns the files added, changed or removed since the
    /// last look, sorted.
    pub fn update(&mut self, out_dir: &Path) -> Vec<String> {
        let mut files = BTreeMap::new();
        let mut changed = Vec::new();
        for entry in walkdir::WalkDir::new(out_dir).into_iter().flatten() {
            if !entry.file_type().is_file() || is_temporary(&entry.file_name().to_string_lossy()) {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(out_dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let Ok(metadata) = entry.metadata() else {
                continue;
            };
            let stamp = Stamp::of(&metadata);
            let previous = self.files.get(&rel);
            let hash = match previous {
                Some((old_stamp, old_hash)) if *old_stamp == stamp => *old_hash,
                _ => match std::fs::read(entry.path()) {
                    Ok(bytes) => worker::outputs::content_hash(&bytes),
                    // Replaced or removed while we looked: the next update sees it.
                    Err(_) => continue,
                },
            };
            if previous.is_none_or(|(_, old_hash)| *old_hash != hash) {
                changed.push(rel.clone());
            }
            files.insert(rel, (stamp, hash));
        }
        changed.extend(
            self.files
                .keys()
                .filter(|rel| !files.contains_key(*rel))
                .cloned(),
        );
        changed.sort();
        self.files = files;
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_with_new_bytes_count_as_changed() {
        let out = tempfile::tempdir().expect("temp dir");
        let write = |rel: &str, text: &str| {
            worker::outputs::write_output(out.path(), rel, text.as_bytes()).expect("write");
        };
        write("index.html", "home");
        write("a/index.html", "a");
        write("assets/style.css", "body{}");
        let mut snapshot = OutputSnapshot::new();
        assert_eq!(
            snapshot.update(out.path()),
            ["a/index.html", "assets/style.css", "index.html"]
        );
        assert_eq!(snapshot.len(), 3);
        assert!(snapshot.update(out.path()).is_empty());

        // Same bytes written again (as a full rebuild does), new bytes, a new file, a
        // removed file, and a temporary file of a write in progress.
        write("index.html", "home");
        write("a/index.html", "a, edited");
        write("b/index.html", "b");
        std::fs::remove_file(out.path().join("assets/style.css")).expect("remove");
        std::fs::write(out.path().join("a/.index.html.42.tmp"), "partial").expect("write");
        assert_eq!(
            snapshot.update(out.path()),
            ["a/index.html", "assets/style.css", "b/index.html"]
        );

        // Rewritten by another path than write_output (new inode, same bytes).
        std::fs::remove_file(out.path().join("b/index.html")).expect("remove");
        std::fs::write(out.path().join("b/index.html"), "b").expect("write");
        assert!(snapshot.update(out.path()).is_empty());
    }
}

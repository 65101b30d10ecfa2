//! Whether the output files a build recorded are still as it left them: each file's size
//! and modification time, as `std::fs::metadata` gives them, but read relative to the
//! output folder opened once. Every cached page's outputs are checked on every build (that
//! is what restores an output deleted or edited by hand), so at 10k pages that is about
//! 40,000 `stat`s, and looking up the output folder's own path again for each was most of
//! their cost.

use crate::file_stamp::mtime_nanos;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The output folder, opened once for the checks of one build.
pub struct OutputFolder {
    path: PathBuf,
    /// The folder itself, when it could be opened (else every check goes by full path).
    dir: Option<File>,
}

impl OutputFolder {
    /// Opens `out_dir` for checks (a folder that does not exist yet is checked by path:
    /// every check then finds its file missing).
    pub fn open(out_dir: &Path) -> OutputFolder {
        OutputFolder {
            path: out_dir.to_path_buf(),
            dir: File::open(out_dir).ok().filter(|dir| {
                dir.metadata()
                    .is_ok_and(|metadata| metadata.file_type().is_dir())
            }),
        }
    }

    /// True when the output file at `relative` (to the folder) still has the size `len`
    /// and modification time `mtime` (nanoseconds since the epoch) recorded when it was
    /// written: nobody deleted or rewrote it since.
    pub fn intact(&self, relative: &str, len: u64, mtime: u128) -> bool {
        #[cfg(unix)]
        if let Some(dir) = &self.dir
            && !relative.is_empty()
        {
            use rustix::fs::{AtFlags, StatxFlags, statx};
            return match statx(
                dir,
                relative,
                AtFlags::empty(),
                StatxFlags::SIZE | StatxFlags::MTIME,
            ) {
                Ok(stat) => stat.stx_size == len && statx_nanos(&stat.stx_mtime) == mtime,
                // A kernel without `statx` (or a sandbox refusing it): by path, as std does.
                Err(rustix::io::Errno::NOSYS | rustix::io::Errno::PERM) => {
                    self.intact_by_path(relative, len, mtime)
                }
                Err(_) => false,
            };
        }
        self.intact_by_path(relative, len, mtime)
    }

    fn intact_by_path(&self, relative: &str, len: u64, mtime: u128) -> bool {
        std::fs::metadata(self.path.join(relative))
            .is_ok_and(|m| m.len() == len && mtime_nanos(&m) == mtime)
    }
}

/// A modification time in nanoseconds since the epoch, 0 before it (as
/// `worker::outputs::modified_nanos` counts it).
#[cfg(unix)]
fn statx_nanos(time: &rustix::fs::StatxTimestamp) -> u128 {
    u128::try_from(time.tv_sec).map_or(0, |seconds| {
        seconds * 1_000_000_000 + u128::from(time.tv_nsec)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_intact_until_it_is_rewritten_or_deleted() {
        let out = tempfile::tempdir().unwrap();
        let written = worker::outputs::write_output(out.path(), "a/b/index.html", b"x").unwrap();
        let folder = OutputFolder::open(out.path());
        assert!(folder.dir.is_some());
        // The same answer as the metadata std gives.
        assert!(folder.intact(&written.path, written.len, written.modified));
        assert!(folder.intact_by_path(&written.path, written.len, written.modified));
        assert!(!folder.intact(&written.path, written.len + 1, written.modified));
        assert!(!folder.intact(&written.path, written.len, written.modified + 1));
        assert!(!folder.intact("a/b/missing.html", 0, 0));
        assert!(!folder.intact("", 0, 0));

        std::fs::write(out.path().join("a/b/index.html"), b"edited by hand").unwrap();
        assert!(!folder.intact(&written.path, written.len, written.modified));
        std::fs::remove_file(out.path().join("a/b/index.html")).unwrap();
        assert!(!folder.intact(&written.path, written.len, written.modified));
    }

    #[test]
    fn a_missing_folder_finds_every_file_missing() {
        let site = tempfile::tempdir().unwrap();
        let folder = OutputFolder::open(&site.path().join("public"));
        assert!(folder.dir.is_none());
        assert!(!folder.intact("index.html", 0, 0));
    }
}

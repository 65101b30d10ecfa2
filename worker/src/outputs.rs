//! Writing output files: atomically (temp file + rename, so a reader such as the dev server
//! never sees a half-written page) and confined to the output directory.
//!
//! Temporary files live in one folder, [`TEMP_DIR`], so what a process killed mid-write
//! leaves is found without walking the output: the coordinator removes that folder when a
//! build starts and once every page is written.

use protocol::OutputFile;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Folder of the output directory holding files being written.
pub const TEMP_DIR: &str = ".ssg-coord-tmp";

pub use protocol::content_hash;

/// Joins `rel` (a `/`-separated path) to `out_dir`, refusing anything that could escape it:
/// absolute paths, `..`, empty segments from `//` and NUL bytes.
pub fn output_path(out_dir: &Path, rel: &str) -> io::Result<PathBuf> {
    let invalid = |why: &str| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write `{rel}`: {why}"),
        )
    };
    if rel.is_empty() || rel.contains('\0') || rel.contains('\\') {
        return Err(invalid("not a relative output path"));
    }
    let mut path = out_dir.to_path_buf();
    for component in Path::new(rel).components() {
        match component {
            Component::Normal(part) => path.push(part),
            _ => return Err(invalid("it would leave the output directory")),
        }
    }
    Ok(path)
}

/// Writes `bytes` to `out_dir/rel` atomically: the data goes to a temporary file beside the
/// target, which is then renamed over it. Parent directories are created. If the target
/// already holds exactly these bytes it is left untouched (its mtime too), which keeps
/// incremental builds and file watchers quiet.
pub fn write_output(out_dir: &Path, rel: &str, bytes: &[u8]) -> io::Result<OutputFile> {
    let path = output_path(out_dir, rel)?;
    let hash = content_hash(bytes);
    let mut output = OutputFile {
        path: rel.to_string(),
        hash,
        len: bytes.len() as u64,
        modified: 0,
    };
    if let Ok(existing) = std::fs::metadata(&path)
        && existing.len() == bytes.len() as u64
        && std::fs::read(&path).is_ok_and(|old| content_hash(&old) == hash)
    {
        output.modified = modified_nanos(&existing);
        return Ok(output);
    }
    // The folders usually exist already (a page's files share one, the temporary folder
    // is made once): they are made only when creating the temporary file or renaming it
    // finds one missing, which spares two `mkdir` and two `stat` for most files.
    let temp_dir = out_dir.join(TEMP_DIR);
    // Unique across the processes and threads writing at once.
    static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);
    let temp = temp_dir.join(format!(
        "{}.{}.tmp",
        std::process::id(),
        NEXT_TEMP.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| -> io::Result<u128> {
        let mut file = match std::fs::File::create(&temp) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&temp_dir)?;
                std::fs::File::create(&temp)?
            }
            file => file?,
        };
        file.write_all(bytes)?;
        // The rename keeps the file's modification time: read it from the open file.
        let modified = file.metadata().map_or(0, |m| modified_nanos(&m));
        drop(file);
        match std::fs::rename(&temp, &path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                std::fs::create_dir_all(path.parent().unwrap_or(out_dir))?;
                std::fs::rename(&temp, &path)?;
            }
            renamed => renamed?,
        }
        Ok(modified)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    output.modified = result
        .map_err(|e| io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())))?;
    Ok(output)
}

/// Writes `bytes` to `out_dir/rel`, a file the output folder does not hold yet (a merge
/// fills a folder it has just emptied): created in place, without [`write_output`]'s look
/// at the target, temporary file and rename, which are half the system calls of a small
/// file. Parent directories are created. A file that is there after all is written by
/// [`write_output`].
pub fn write_new_output(out_dir: &Path, rel: &str, bytes: &[u8]) -> io::Result<OutputFile> {
    let path = output_path(out_dir, rel)?;
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
    };
    let file = match create() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            std::fs::create_dir_all(path.parent().unwrap_or(out_dir)).and_then(|()| create())
        }
        file => file,
    };
    let cannot =
        |e: io::Error| io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()));
    let mut file = match file {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return write_output(out_dir, rel, bytes);
        }
        file => file.map_err(cannot)?,
    };
    match file.write_all(bytes).and_then(|()| file.metadata()) {
        Ok(metadata) => Ok(OutputFile {
            path: rel.to_string(),
            hash: content_hash(bytes),
            len: bytes.len() as u64,
            modified: modified_nanos(&metadata),
        }),
        Err(e) => {
            drop(file);
            let _ = std::fs::remove_file(&path);
            Err(cannot(e))
        }
    }
}

/// A file's modification time in nanoseconds since the epoch (0 when unknown).
pub fn modified_nanos(metadata: &std::fs::Metadata) -> u128 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_cannot_escape() {
        let out = Path::new("/out");
        assert_eq!(
            output_path(out, "a/b/index.html").unwrap(),
            Path::new("/out/a/b/index.html")
        );
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../x",
            "",
            "a\\..\\b",
            "a/./b/../c",
        ] {
            assert!(output_path(out, bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn a_new_file_is_created_in_place_and_one_already_there_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let written = write_new_output(dir.path(), "x/y/index.json", b"new").unwrap();
        // Created in place: no temporary file was needed.
        assert!(!dir.path().join(TEMP_DIR).exists());
        assert_eq!(
            std::fs::read(dir.path().join("x/y/index.json")).unwrap(),
            b"new"
        );
        assert_eq!((written.len, written.hash), (3, content_hash(b"new")));
        assert_ne!(written.modified, 0);
        let again = write_new_output(dir.path(), "x/y/index.json", b"other").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("x/y/index.json")).unwrap(),
            b"other"
        );
        assert_eq!(again.hash, content_hash(b"other"));
        assert!(write_new_output(dir.path(), "../x", b"no").is_err());
    }

    #[test]
    fn write_is_atomic_and_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let first = write_output(dir.path(), "x/index.html", b"hello").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("x/index.html")).unwrap(),
            b"hello"
        );
        let again = write_output(dir.path(), "x/index.html", b"hello").unwrap();
        assert_eq!(first, again);
        write_output(dir.path(), "x/index.html", b"changed").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("x/index.html")).unwrap(),
            b"changed"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("x")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temp files left behind");
        let temps: Vec<_> = std::fs::read_dir(dir.path().join(TEMP_DIR))
            .unwrap()
            .collect();
        assert!(temps.is_empty(), "temp files left behind: {temps:?}");
    }

    #[test]
    fn missing_folders_are_made_and_the_recorded_time_is_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let deep = write_output(dir.path(), "a/b/c/index.json", b"{}").unwrap();
        let on_disk = std::fs::metadata(dir.path().join("a/b/c/index.json")).unwrap();
        assert_eq!(deep.modified, modified_nanos(&on_disk));
        assert_ne!(deep.modified, 0);
        // A build removes the temporary folder when it ends; the next write makes it again.
        std::fs::remove_dir_all(dir.path().join(TEMP_DIR)).unwrap();
        let next = write_output(dir.path(), "a/b/d/index.json", b"[]").unwrap();
        let on_disk = std::fs::metadata(dir.path().join("a/b/d/index.json")).unwrap();
        assert_eq!(next.modified, modified_nanos(&on_disk));
        assert_eq!(
            std::fs::read(dir.path().join("a/b/d/index.json")).unwrap(),
            b"[]"
        );
    }
}

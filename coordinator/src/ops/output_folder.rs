//! The output folder: where a build writes, and whether ssg-coord may write and delete there.
//!
//! A build marks the folder it writes with [`MARKER`], a small constant file. `build` uses a
//! folder that carries the marker, is empty or does not exist yet; a non-empty folder
//! without it (someone's `~/Pictures`) is refused unless `--force`. `clean` deletes only a
//! folder that carries the marker (or an empty one). Inside its folder a build deletes only
//! files its previous build recorded in the cache (`cache::remove_stale_outputs`) and its own
//! temporary files (`worker::outputs::TEMP_DIR`, left behind by a worker killed mid-write).

use super::BuildError;
use crate::config::Config;
use std::io;
use std::path::{Path, PathBuf};

/// Name of the file that marks a folder as ssg-coord's output.
pub const MARKER: &str = ".ssg-coord-output";

/// What the marker holds: constant, so output stays byte-identical between builds and modes.
const MARKER_TEXT: &str = "This folder is the output of ssg-coord: `ssg-coord build` writes it and \
`ssg-coord clean` may delete it whole.\n";

/// Whose a folder is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ownership {
    /// There is nothing at that path.
    Missing,
    /// An empty folder.
    Empty,
    /// A folder carrying [`MARKER`]: an earlier build's output.
    Marked,
    /// A folder with other files and no marker; `example` names one of its entries.
    Foreign {
        /// An entry of the folder, to show the user what is there.
        example: String,
    },
}

/// Whose the folder at `dir` is.
pub fn ownership(dir: &Path) -> io::Result<Ownership> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Ownership::Missing),
        Err(e) => return Err(e),
    };
    if dir.join(MARKER).is_file() {
        return Ok(Ownership::Marked);
    }
    // The first entry in name order, so the message is the same on every run.
    let first = entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .min();
    Ok(match first {
        None => Ownership::Empty,
        Some(example) => Ownership::Foreign { example },
    })
}

/// Makes `out_dir` (an existing folder, as [`output_dir`] leaves it) this build's: refuses
/// a foreign folder unless `force`, writes the marker, and removes temporary files an
/// interrupted build left.
pub fn claim(out_dir: &Path, force: bool) -> Result<(), BuildError> {
    let fail = |message: String| BuildError::Output(format!("{}: {message}", out_dir.display()));
    match ownership(out_dir).map_err(|e| fail(format!("cannot read the output folder: {e}")))? {
        Ownership::Marked => {}
        Ownership::Foreign { example } if !force => {
            return Err(fail(format!(
                "refusing to build into a folder ssg-coord did not create: it holds `{example}` \
                 and no {MARKER} marker; choose an empty or new folder with --out, or pass \
                 --force to `ssg-coord build` to use it anyway (its files are kept, and \
                 `ssg-coord clean` may then delete the folder)"
            )));
        }
        Ownership::Foreign { .. } | Ownership::Empty | Ownership::Missing => {
            std::fs::write(out_dir.join(MARKER), MARKER_TEXT)
                .map_err(|e| fail(format!("cannot write the {MARKER} marker: {e}")))?;
        }
    }
    remove_temp_files(out_dir);
    Ok(())
}

/// Removes the temporary files of interrupted writes (a worker killed mid-page, a build
/// killed mid-way). Nothing is writing into `out_dir` when this runs.
pub fn remove_temp_files(out_dir: &Path) {
    let temp = out_dir.join(worker::outputs::TEMP_DIR);
    match std::fs::remove_dir_all(&temp) {
        Ok(()) => tracing::debug!("removed {}", temp.display()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => tracing::warn!("cannot remove {}: {e}", temp.display()),
    }
}

/// Checks that `clean` may delete the folder `dir`: it carries the marker, is empty or is
/// missing. A foreign folder is an error naming what it holds.
pub fn check_removable(dir: &Path) -> Result<Ownership, BuildError> {
    let fail = |message: String| BuildError::Output(format!("{}: {message}", dir.display()));
    match ownership(dir).map_err(|e| fail(format!("cannot read the folder: {e}")))? {
        Ownership::Foreign { example } => Err(fail(format!(
            "refusing to delete a folder ssg-coord did not build: it holds `{example}` and no \
             {MARKER} marker; delete it yourself if it really is a site's output"
        ))),
        owned => Ok(owned),
    }
}

/// Deletes the output folder `dir` for `clean` if [`check_removable`] allows it; returns
/// whether there was one.
pub fn remove_owned(dir: &Path) -> Result<bool, BuildError> {
    match check_removable(dir)? {
        Ownership::Missing => Ok(false),
        _ => {
            std::fs::remove_dir_all(dir).map_err(|e| {
                BuildError::Output(format!("{}: cannot remove: {e}", dir.display()))
            })?;
            Ok(true)
        }
    }
}

/// The output directory: `--out` (relative to the current directory) or `build.output_dir`
/// (relative to the site), created if missing. It must not be the site itself, contain it,
/// or lie inside the content, template or static folders, since a build writes and (with
/// the cache) deletes files there.
pub(crate) fn output_dir(
    root: &Path,
    config: &Config,
    out: Option<&Path>,
) -> Result<PathBuf, BuildError> {
    let requested = requested_dir(root, config, out);
    std::fs::create_dir_all(&requested).map_err(|e| {
        BuildError::Output(format!(
            "{}: cannot create output directory: {e}",
            requested.display()
        ))
    })?;
    let out_dir = std::fs::canonicalize(&requested).map_err(|e| {
        BuildError::Output(format!(
            "{}: cannot open output directory: {e}",
            requested.display()
        ))
    })?;
    check_not_sources(root, config, &out_dir)?;
    Ok(out_dir)
}

/// The output directory asked for, not yet created nor checked.
pub(crate) fn requested_dir(root: &Path, config: &Config, out: Option<&Path>) -> PathBuf {
    match out {
        Some(path) => std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
        None => root.join(&config.build.output_dir),
    }
}

/// Refuses an output directory (canonical) that overlaps the site's sources.
pub(crate) fn check_not_sources(
    root: &Path,
    config: &Config,
    out_dir: &Path,
) -> Result<(), BuildError> {
    let protected = [
        root.to_path_buf(),
        root.join(config.build.content_dir.trim_matches('/')),
        root.join("templates"),
        root.join("static"),
    ];
    for folder in &protected {
        if out_dir == *folder
            || folder.starts_with(out_dir)
            || (out_dir.starts_with(folder) && folder != root)
        {
            return Err(BuildError::Output(format!(
                "{}: refusing to use this output directory: it overlaps the site's sources ({})",
                out_dir.display(),
                folder.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ownership_of_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        assert_eq!(ownership(&path).unwrap(), Ownership::Missing);
        std::fs::create_dir(&path).unwrap();
        assert_eq!(ownership(&path).unwrap(), Ownership::Empty);
        std::fs::write(path.join("b.jpg"), "x").unwrap();
        std::fs::write(path.join("a.jpg"), "x").unwrap();
        assert_eq!(
            ownership(&path).unwrap(),
            Ownership::Foreign {
                example: "a.jpg".into()
            }
        );
        assert!(claim(&path, false).is_err());
        assert!(!path.join(MARKER).exists());
        assert!(remove_owned(&path).is_err());
        assert!(path.join("a.jpg").exists());
        claim(&path, true).unwrap();
        assert_eq!(ownership(&path).unwrap(), Ownership::Marked);
        assert!(remove_owned(&path).unwrap());
        assert_eq!(ownership(&path).unwrap(), Ownership::Missing);
    }

    #[test]
    fn claiming_removes_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let temp = dir.path().join(worker::outputs::TEMP_DIR);
        std::fs::create_dir(&temp).unwrap();
        std::fs::write(temp.join("1.0.tmp"), "half a page").unwrap();
        std::fs::write(dir.path().join(MARKER), MARKER_TEXT).unwrap();
        claim(dir.path(), false).unwrap();
        assert!(!temp.exists());
    }
}

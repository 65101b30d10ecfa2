//! Parts as files: a part folder (`ssg-part.bin` + `outputs/`) or the same as a
//! `.tar.zst` archive, what CI artifacts carry. [`PartSource`] reads either; `write_archive`
//! packs a part folder (the manifest first, so the merge reads it without decompressing
//! the pages; entries with fixed owner, mode and time, so the same part packs to the same
//! bytes).
//!
//! Installing a part's outputs into the merged site: from a folder, each file is
//! hard-linked (ssg-coord never writes a file in place: a later build replaces it with a
//! new file, so the part keeps its bytes), or copied when the folders are on different file
//! systems; from an archive, each listed entry is written out as it streams by. Only the
//! files the manifest lists are taken, and none outside the output folder.

use super::manifest::{MANIFEST_FILE, OUTPUTS_DIR, PartManifest};
use rustc_hash::FxHashSet;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// The ending that makes `--emit` and `merge` treat a path as an archive.
pub const ARCHIVE_SUFFIX: &str = ".tar.zst";

/// zstd's level for part archives: its default, fast enough not to show beside rendering.
const ZSTD_LEVEL: i32 = 3;

/// Whether `path` names a part archive rather than a folder.
pub fn is_archive(path: &Path) -> bool {
    path.to_string_lossy().ends_with(ARCHIVE_SUFFIX)
}

/// Where a part is read from.
#[derive(Debug, Clone)]
pub enum PartSource {
    /// A part folder.
    Folder(PathBuf),
    /// A `.tar.zst` of one.
    Archive(PathBuf),
}

impl PartSource {
    /// The source `path` names.
    pub fn at(path: &Path) -> PartSource {
        if is_archive(path) && !path.is_dir() {
            PartSource::Archive(path.to_path_buf())
        } else {
            PartSource::Folder(path.to_path_buf())
        }
    }

    /// The path as given.
    pub fn path(&self) -> &Path {
        match self {
            PartSource::Folder(path) | PartSource::Archive(path) => path,
        }
    }

    /// Reads the part's manifest (from an archive: up to its entry, the first one when
    /// ssg-coord packed it).
    pub fn read_manifest(&self) -> Result<PartManifest, String> {
        match self {
            PartSource::Folder(dir) => PartManifest::read_from_folder(dir),
            PartSource::Archive(path) => {
                let fail =
                    |e: io::Error| format!("{}: cannot read the archive: {e}", path.display());
                let mut archive = open_archive(path).map_err(fail)?;
                for entry in archive.entries().map_err(fail)? {
                    let mut entry = entry.map_err(fail)?;
                    if entry_name(&entry).as_deref() == Some(MANIFEST_FILE) {
                        let mut bytes = Vec::new();
                        entry.read_to_end(&mut bytes).map_err(fail)?;
                        return PartManifest::decode(&bytes)
                            .map_err(|e| format!("{}: {e}", path.display()));
                    }
                }
                Err(format!(
                    "{}: not a part archive: it holds no {MANIFEST_FILE} (pack a part folder \
                     with `tar --zstd -cf PART.tar.zst -C DIR .`, or emit one with `--emit \
                     DIR.tar.zst`)",
                    path.display()
                ))
            }
        }
    }

    /// Puts the output files `manifest` lists into `out_dir`; returns how many. A listed
    /// file the part does not hold is an error naming it.
    pub fn install_outputs(&self, manifest: &PartManifest, out_dir: &Path) -> io::Result<usize> {
        match self {
            PartSource::Folder(dir) => {
                install_from_folder(&dir.join(OUTPUTS_DIR), manifest, out_dir)
            }
            PartSource::Archive(path) => install_from_archive(path, manifest, out_dir),
        }
    }
}

fn open_archive(path: &Path) -> io::Result<tar::Archive<zstd::Decoder<'static, BufReader<File>>>> {
    let decoder = zstd::Decoder::new(File::open(path)?)?;
    Ok(tar::Archive::new(decoder))
}

/// An entry's path inside the part, `/`-separated, without a leading `./`.
fn entry_name<R: Read>(entry: &tar::Entry<'_, R>) -> Option<String> {
    let path = entry.path().ok()?;
    let name = path.to_str()?.replace('\\', "/");
    Some(name.trim_start_matches("./").to_string())
}

fn install_from_folder(
    outputs: &Path,
    manifest: &PartManifest,
    out_dir: &Path,
) -> io::Result<usize> {
    let paths: Vec<&str> = manifest.output_paths().collect();
    // Each folder is made once (a page's files share one), before the files go in.
    let mut folders: Vec<&str> = paths
        .iter()
        .filter_map(|rel| rel.rsplit_once('/').map(|(folder, _)| folder))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    let opened = LinkFolders::open(outputs, out_dir);
    let made = crate::parallel::par_map(
        folders.len(),
        |i| {
            // Checks the folder stays inside the site before it is used either way.
            let folder = worker::outputs::output_path(out_dir, folders[i])?;
            if opened
                .as_ref()
                .is_some_and(|opened| opened.make(folders[i]))
            {
                return Ok(());
            }
            std::fs::create_dir_all(folder)
        },
        |_| Err(io::Error::other("making a part's folders failed (a bug)")),
    );
    for result in made {
        result?;
    }
    let installed = crate::parallel::par_map(
        paths.len(),
        |i| link_or_copy(outputs, paths[i], out_dir, opened.as_ref()),
        |_| Err(io::Error::other("installing a part's file failed (a bug)")),
    );
    for result in installed {
        result?;
    }
    Ok(paths.len())
}

/// A part's outputs folder and the merged site's, opened once so each of a part's files is
/// linked by its path relative to them (at 100k pages, some 400,000 links), rather than
/// looking up both folders' own paths again for each.
struct LinkFolders {
    from: File,
    to: File,
}

impl LinkFolders {
    /// Both folders opened, or `None` (each file is then linked by its full paths).
    fn open(from: &Path, to: &Path) -> Option<LinkFolders> {
        Some(LinkFolders {
            from: File::open(from).ok()?,
            to: File::open(to).ok()?,
        })
    }

    /// Makes the folder `rel` in the merged site; false when that did not work (its parent
    /// is missing, or it exists: the caller then makes it with its parents by full path).
    fn make(&self, rel: &str) -> bool {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, mkdirat};
            // A folder that exists (or a file in its way) is left to `create_dir_all`.
            mkdirat(&self.to, rel, Mode::from_raw_mode(0o777)).is_ok()
        }
        #[cfg(not(unix))]
        {
            let _ = rel;
            false
        }
    }

    /// Links `rel` of one folder into the other; false when that did not work (the caller
    /// then goes by full paths, which also says why).
    fn link(&self, rel: &str) -> bool {
        #[cfg(unix)]
        {
            use rustix::fs::{AtFlags, linkat};
            linkat(&self.from, rel, &self.to, rel, AtFlags::empty()).is_ok()
        }
        #[cfg(not(unix))]
        {
            let _ = rel;
            false
        }
    }
}

/// Links (or copies) one file into `out_dir`, whose folder exists. A file already there (a
/// folder merged into with `--force`) is replaced.
fn link_or_copy(
    outputs: &Path,
    rel: &str,
    out_dir: &Path,
    folders: Option<&LinkFolders>,
) -> io::Result<()> {
    // Checks `rel` stays inside the folders before it is used either way.
    let to = worker::outputs::output_path(out_dir, rel)?;
    if folders.is_some_and(|folders| folders.link(rel)) {
        return Ok(());
    }
    let from = worker::outputs::output_path(outputs, rel)?;
    let described = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", from.display()));
    match std::fs::hard_link(&from, &to) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(&to)?;
            if std::fs::hard_link(&from, &to).is_ok() {
                return Ok(());
            }
        }
        Err(_) => {}
    }
    // Another file system (or links not allowed): a copy. `fs::copy` truncates a file
    // there, which may be a link to another part's file: remove it first.
    match std::fs::remove_file(&to) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::copy(&from, &to).map_err(described)?;
    Ok(())
}

fn install_from_archive(path: &Path, manifest: &PartManifest, out_dir: &Path) -> io::Result<usize> {
    let described = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let mut wanted: FxHashSet<&str> = manifest.output_paths().collect();
    let expected = wanted.len();
    let prefix = format!("{OUTPUTS_DIR}/");
    let mut archive = open_archive(path).map_err(described)?;
    for entry in archive.entries().map_err(described)? {
        let mut entry = entry.map_err(described)?;
        let Some(name) = entry_name(&entry) else {
            continue;
        };
        let Some(rel) = name.strip_prefix(&prefix) else {
            continue;
        };
        if !entry.header().entry_type().is_file() || !wanted.remove(rel) {
            continue;
        }
        let to = worker::outputs::output_path(out_dir, rel)?;
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = BufWriter::new(File::create(&to)?);
        io::copy(&mut entry, &mut file).map_err(described)?;
        file.flush()?;
    }
    if let Some(missing) = wanted.iter().min() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "{}: the part lists {expected} output files but {} are not in the archive, \
                 e.g. {OUTPUTS_DIR}/{missing}: pack the whole part folder",
                path.display(),
                wanted.len()
            ),
        ));
    }
    Ok(expected)
}

/// Packs the part folder `dir` (its manifest file, written already, then the files
/// `manifest` lists) into the archive `archive`, written atomically.
pub fn write_archive(dir: &Path, manifest: &PartManifest, archive: &Path) -> io::Result<()> {
    let file_name = archive
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = archive.with_file_name(format!(".{file_name}.tmp"));
    let result = (|| {
        let encoder = zstd::Encoder::new(BufWriter::new(File::create(&temp)?), ZSTD_LEVEL)?;
        let mut builder = tar::Builder::new(encoder);
        // The manifest file the folder holds, copied through: not encoded again.
        let manifest_file = File::open(dir.join(MANIFEST_FILE))?;
        let manifest_len = manifest_file.metadata()?.len();
        builder.append_data(&mut header(manifest_len), MANIFEST_FILE, manifest_file)?;
        let outputs = dir.join(OUTPUTS_DIR);
        for rel in manifest.output_paths() {
            let from = worker::outputs::output_path(&outputs, rel)?;
            let file = File::open(&from)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", from.display())))?;
            let len = file.metadata()?.len();
            builder.append_data(&mut header(len), format!("{OUTPUTS_DIR}/{rel}"), file)?;
        }
        let mut written = builder.into_inner()?.finish()?;
        written.flush()?;
        drop(written);
        std::fs::rename(&temp, archive)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", archive.display())))
}

/// A regular file's header with everything but the size fixed.
fn header(len: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(len);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    header.set_entry_type(tar::EntryType::Regular);
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest listing `paths` as its page's outputs.
    fn listing(paths: &[&str]) -> PartManifest {
        let mut manifest = super::super::manifest::tests::manifest();
        manifest.pages[0].rendered.outputs = paths
            .iter()
            .map(|path| protocol::OutputFile {
                path: path.to_string(),
                hash: 0,
                len: 1,
                modified: 0,
            })
            .collect();
        manifest
    }

    #[test]
    fn a_part_folder_is_linked_in_again_and_again_and_never_outside_the_site() {
        let root = tempfile::tempdir().unwrap();
        let part = root.path().join("part");
        let outputs = part.join(OUTPUTS_DIR);
        std::fs::create_dir_all(outputs.join("guide/a")).unwrap();
        std::fs::write(outputs.join("guide/a/index.html"), b"a").unwrap();
        // Reached from the outputs folder by `../leak.txt`.
        std::fs::write(part.join("leak.txt"), b"s").unwrap();
        let site = root.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        let source = PartSource::Folder(part.clone());
        let page = listing(&["guide/a/index.html"]);
        assert_eq!(source.install_outputs(&page, &site).unwrap(), 1);
        // Into a site that has the file already (`merge --force`): replaced, not an error.
        assert_eq!(source.install_outputs(&page, &site).unwrap(), 1);
        assert_eq!(
            std::fs::read(site.join("guide/a/index.html")).unwrap(),
            b"a"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let inode = |path: &Path| std::fs::metadata(path).unwrap().ino();
            assert_eq!(
                inode(&site.join("guide/a/index.html")),
                inode(&outputs.join("guide/a/index.html")),
                "a hard link, not a copy"
            );
        }
        // A listed path that leaves the folders is refused before anything is linked.
        for escaping in ["../leak.txt", "guide/../../leak.txt"] {
            let error = source
                .install_outputs(&listing(&[escaping]), &site)
                .unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{escaping}");
            assert!(!root.path().join("leak.txt").exists(), "{escaping}");
        }
    }
}

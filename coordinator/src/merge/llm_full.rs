//! `llm-full.txt`: the plain text of every page in one file, for LLM tools. Built by
//! streaming the per-page `index.txt` files, so the coordinator never holds the site's text
//! in memory.
//!
//! The format, which the file's header also states for its readers:
//!
//! ```text
//! # <site title>
//!
//! > The plain text of every page of <base_url>, sorted by URL.
//! > Each page starts with a `# <title>` line and a `URL: <absolute url>` line.
//!
//! # <page title>
//! URL: <absolute url>
//!
//! <the page's index.txt, ending with a newline>
//!
//! # <next page title>
//! …
//! ```
//!
//! The file is written to a temporary file and renamed into place, and hashed as it is
//! written; like `worker::outputs::write_output`, an unchanged file is left untouched.
// Used by ops::build once integrated.

use super::xml::absolute_url;
use crate::cache::CacheSession;
use protocol::OutputFile;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use xxhash_rust::xxh3::Xxh3;

/// One page of `llm-full.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmPage {
    /// Title.
    pub title: String,
    /// Site-absolute URL path.
    pub url: String,
    /// The page's `index.txt`, relative to `out_dir`.
    pub txt_path: String,
    /// Hash of that `index.txt` (from the page's outputs), to recognise an unchanged page.
    pub text_hash: u128,
}

/// Where each page's segment sits in the `llm-full.txt` a build wrote, so the next build
/// can copy unchanged segments from it instead of reading every page's text again.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LlmIndex {
    /// Hash of the header (site title and base URL); segments depend on the base URL.
    header: u128,
    /// Hash and length of the whole file.
    file_hash: u128,
    file_len: u64,
    /// In file order: URL, title, text hash, byte offset and length of the segment.
    segments: Vec<(String, String, u128, u64, u64)>,
}

/// Name of the output, relative to the output directory.
pub const LLM_FULL_PATH: &str = "llm-full.txt";

/// The cache file holding the [`LlmIndex`] of the last build.
const LLM_INDEX_FILE: &str = "llm-full.bin";

impl LlmIndex {
    /// The index the previous build left in the cache, when this build reuses it.
    pub fn previous(cache: &CacheSession) -> Option<LlmIndex> {
        cache.read_named(LLM_INDEX_FILE)
    }

    /// Keeps this index in the cache for the next build.
    pub fn save(&self, cache: &CacheSession) {
        cache.write_named(LLM_INDEX_FILE, self, "the llm-full.txt index");
    }
}

/// Writes `llm-full.txt`: a header naming the site, then per page (sorted by URL) a
/// `# <title>` line, a `URL: <absolute url>` line, a blank line and the page's text.
///
/// A page's text file that is missing or unreadable is an error naming it (and the page);
/// no partial `llm-full.txt` is left behind.
#[cfg(test)]
pub fn write_llm_full(
    out_dir: &Path,
    site_title: &str,
    base_url: &str,
    pages: &[LlmPage],
) -> io::Result<OutputFile> {
    write_llm_full_reusing(out_dir, site_title, base_url, pages, None).map(|(output, _)| output)
}

/// As `write_llm_full`, reusing what the previous build wrote: when no page changed, the
/// file is left as it is without being read; otherwise unchanged pages' segments are
/// copied from the previous file (checked against its hash first) and only changed pages'
/// text files are read. Returns the index of the file written, for the next build.
pub fn write_llm_full_reusing(
    out_dir: &Path,
    site_title: &str,
    base_url: &str,
    pages: &[LlmPage],
    previous: Option<&LlmIndex>,
) -> io::Result<(OutputFile, LlmIndex)> {
    let mut sorted: Vec<&LlmPage> = pages.iter().collect();
    sorted.sort_by(|a, b| (&a.url, &a.title, &a.txt_path).cmp(&(&b.url, &b.title, &b.txt_path)));

    let target = worker::outputs::output_path(out_dir, LLM_FULL_PATH)?;
    let header = header_text(site_title, base_url);
    let header_hash = xxhash_rust::xxh3::xxh3_128(header.as_bytes());
    let previous = previous.filter(|p| p.header == header_hash);
    if let Some(previous) = previous
        && previous.segments.len() == sorted.len()
        && previous
            .segments
            .iter()
            .zip(&sorted)
            .all(|(segment, page)| {
                segment.0 == page.url && segment.1 == page.title && segment.2 == page.text_hash
            })
        && std::fs::metadata(&target).is_ok_and(|m| m.len() == previous.file_len)
    {
        let output = OutputFile {
            path: LLM_FULL_PATH.to_string(),
            hash: previous.file_hash,
            len: previous.file_len,
            modified: modified(&target),
        };
        return Ok((output, previous.clone()));
    }
    // The previous file, only if it is exactly what the index describes.
    let old = previous.and_then(|p| {
        let bytes = std::fs::read(&target).ok()?;
        (bytes.len() as u64 == p.file_len && xxhash_rust::xxh3::xxh3_128(&bytes) == p.file_hash)
            .then_some((bytes, p))
    });
    let reusable: std::collections::HashMap<&str, &(String, String, u128, u64, u64)> = old
        .as_ref()
        .map(|(_, p)| p.segments.iter().map(|s| (s.0.as_str(), s)).collect())
        .unwrap_or_default();

    let temp_dir = out_dir.join(worker::outputs::TEMP_DIR);
    std::fs::create_dir_all(&temp_dir)
        .map_err(|error| with_path(error, "cannot create", &temp_dir))?;
    let temp = temp_dir.join(format!("{LLM_FULL_PATH}.{}.tmp", std::process::id()));
    let mut segments = Vec::with_capacity(sorted.len());
    let written = File::create(&temp)
        .map_err(|error| with_path(error, "cannot create", &temp))
        .and_then(|file| {
            let mut writer = HashingWriter::new(BufWriter::with_capacity(256 * 1024, file));
            writer.write_all(header.as_bytes())?;
            // Unchanged pages follow each other in the previous file as they do here: their
            // segments are copied as one run, in one write, not one page at a time.
            let mut run: Option<std::ops::Range<usize>> = None;
            for page in &sorted {
                let reused = match (reusable.get(page.url.as_str()), &old) {
                    (Some(&(_, title, text_hash, offset, len)), Some((bytes, _)))
                        if *title == page.title && *text_hash == page.text_hash =>
                    {
                        usize::try_from(*offset)
                            .ok()
                            .zip(
                                offset
                                    .checked_add(*len)
                                    .and_then(|end| usize::try_from(end).ok()),
                            )
                            .filter(|(_, to)| *to <= bytes.len())
                            .map(|(from, to)| from..to)
                    }
                    _ => None,
                };
                let start = writer.len + run.as_ref().map_or(0, |r| r.len() as u64);
                match (reused, &mut run) {
                    (Some(segment), Some(current)) if current.end == segment.start => {
                        current.end = segment.end;
                    }
                    (Some(segment), _) => {
                        flush_run(&mut writer, &old, run.replace(segment))?;
                    }
                    (None, _) => {
                        flush_run(&mut writer, &old, run.take())?;
                        write_page(&mut writer, out_dir, base_url, page)?;
                    }
                }
                let end = writer.len + run.as_ref().map_or(0, |r| r.len() as u64);
                segments.push((
                    page.url.clone(),
                    page.title.clone(),
                    page.text_hash,
                    start,
                    end - start,
                ));
            }
            flush_run(&mut writer, &old, run.take())?;
            writer.finish()
        });
    let (hash, len) = match written {
        Ok(done) => done,
        Err(error) => {
            let _ = std::fs::remove_file(&temp);
            return Err(error);
        }
    };
    let mut output = OutputFile {
        path: LLM_FULL_PATH.to_string(),
        hash,
        len,
        modified: 0,
    };
    let index = LlmIndex {
        header: header_hash,
        file_hash: hash,
        file_len: len,
        segments,
    };

    // Leave an identical file (and its mtime) alone, as write_output does for every output.
    // The previous file, when it was read, is known by its hash: no need to read it again.
    let unchanged = match &old {
        Some((bytes, previous)) => bytes.len() as u64 == len && previous.file_hash == hash,
        None => {
            std::fs::metadata(&target).is_ok_and(|existing| existing.len() == len)
                && protocol::file_content_hash(&target).is_ok_and(|existing| existing == hash)
        }
    };
    if unchanged {
        let _ = std::fs::remove_file(&temp);
    } else if let Err(error) = std::fs::rename(&temp, &target) {
        let _ = std::fs::remove_file(&temp);
        return Err(with_path(error, "cannot write", &target));
    }
    output.modified = modified(&target);
    Ok((output, index))
}

/// Writes a run of segments copied from the previous file.
fn flush_run(
    writer: &mut HashingWriter<BufWriter<File>>,
    old: &Option<(Vec<u8>, &LlmIndex)>,
    run: Option<std::ops::Range<usize>>,
) -> io::Result<()> {
    match (run, old) {
        (Some(range), Some((bytes, _))) => writer.write_all(&bytes[range]),
        _ => Ok(()),
    }
}

fn modified(path: &Path) -> u128 {
    std::fs::metadata(path).map_or(0, |m| worker::outputs::modified_nanos(&m))
}

fn header_text(site_title: &str, base_url: &str) -> String {
    format!(
        "# {}\n\n> The plain text of every page of {base_url}, sorted by URL.\n\
         > Each page starts with a `# <title>` line and a `URL: <absolute url>` line.\n",
        one_line(site_title),
    )
}

/// One page's segment: a blank line, `# <title>`, `URL: <url>`, a blank line, its text.
fn write_page(
    writer: &mut HashingWriter<BufWriter<File>>,
    out_dir: &Path,
    base_url: &str,
    page: &LlmPage,
) -> io::Result<()> {
    let path = worker::outputs::output_path(out_dir, &page.txt_path)?;
    let mut text = File::open(&path).map_err(|error| {
        io::Error::new(
            error.kind(),
            format!(
                "cannot read {} (the text of page {}): {error}",
                path.display(),
                page.url
            ),
        )
    })?;
    write!(
        writer,
        "\n# {}\nURL: {}\n\n",
        one_line(&page.title),
        absolute_url(base_url, &page.url)
    )?;
    io::copy(&mut text, writer).map_err(|error| with_path(error, "cannot copy", &path))?;
    // Each page ends with a newline so the next page's `# ` starts a line.
    if writer.last_byte.is_some_and(|byte| byte != b'\n') {
        writer.write_all(b"\n")?;
    }
    Ok(())
}

/// A title on one line: a newline in it would break the framing.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn with_path(error: io::Error, what: &str, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{what} {}: {error}", path.display()))
}

/// A writer that hashes (xxh3-128, as `protocol::content_hash`) and counts what
/// passes through, and remembers the last byte.
struct HashingWriter<W: Write> {
    inner: W,
    hasher: Xxh3,
    len: u64,
    last_byte: Option<u8>,
}

impl<W: Write> HashingWriter<W> {
    fn new(inner: W) -> HashingWriter<W> {
        HashingWriter {
            inner,
            hasher: Xxh3::new(),
            len: 0,
            last_byte: None,
        }
    }

    /// Flushes and returns the hash and length of everything written.
    fn finish(mut self) -> io::Result<(u128, u64)> {
        self.inner.flush()?;
        Ok((self.hasher.digest128(), self.len))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n_written = self.inner.write(buf)?;
        let written = &buf[..n_written];
        self.hasher.update(written);
        self.len += n_written as u64;
        if let Some(last) = written.last() {
            self.last_byte = Some(*last);
        }
        Ok(n_written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, url: &str, txt_path: &str) -> LlmPage {
        LlmPage {
            title: title.to_string(),
            url: url.to_string(),
            txt_path: txt_path.to_string(),
            text_hash: 0,
        }
    }

    /// An output directory holding the per-page text files.
    fn site() -> (tempfile::TempDir, Vec<LlmPage>) {
        let out = tempfile::tempdir().unwrap();
        for (rel, text) in [
            ("index.txt", "Welcome.\n"),
            (
                "guide/install/index.txt",
                "Run the installer.\nThen restart.",
            ),
            ("api/mypkg/index.txt", ""),
        ] {
            let path = out.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let pages = vec![
            page("Install\nit", "/guide/install/", "guide/install/index.txt"),
            page("Home", "/", "index.txt"),
            page("mypkg", "/api/mypkg/", "api/mypkg/index.txt"),
        ];
        (out, pages)
    }

    #[test]
    fn framing_order_and_hash() {
        let (out, mut pages) = site();
        let written =
            write_llm_full(out.path(), "My Docs", "https://example.org/", &pages).unwrap();
        let bytes = std::fs::read(out.path().join("llm-full.txt")).unwrap();
        let expected = "# My Docs

> The plain text of every page of https://example.org/, sorted by URL.
> Each page starts with a `# <title>` line and a `URL: <absolute url>` line.

# Home
URL: https://example.org/

Welcome.

# mypkg
URL: https://example.org/api/mypkg/


# Install it
URL: https://example.org/guide/install/

Run the installer.
Then restart.
";
        assert_eq!(String::from_utf8(bytes.clone()).unwrap(), expected);
        assert_eq!(
            written,
            OutputFile {
                path: "llm-full.txt".into(),
                hash: protocol::content_hash(&bytes),
                len: bytes.len() as u64,
                modified: written.modified,
            }
        );

        // Any input order gives the same file, and an unchanged file is not replaced (the
        // rename of a new file would give it a new inode).
        pages.reverse();
        let inode = || {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(out.path().join("llm-full.txt"))
                .unwrap()
                .ino()
        };
        let inode_before = inode();
        let again = write_llm_full(out.path(), "My Docs", "https://example.org/", &pages).unwrap();
        assert_eq!(again, written);
        assert_eq!(inode(), inode_before);
        let temp_dir = out.path().join(worker::outputs::TEMP_DIR);
        let leftovers: Vec<_> = std::fs::read_dir(out.path())
            .unwrap()
            .chain(std::fs::read_dir(&temp_dir).into_iter().flatten())
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn missing_text_is_an_error_naming_it() {
        let (out, mut pages) = site();
        pages.push(page("Gone", "/gone/", "gone/index.txt"));
        let error = write_llm_full(out.path(), "S", "/", &pages).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        let message = error.to_string();
        assert!(
            message.contains("gone/index.txt") && message.contains("page /gone/"),
            "{message}"
        );
        assert!(!out.path().join("llm-full.txt").exists());
        let temp_dir = out.path().join(worker::outputs::TEMP_DIR);
        let n_files = std::fs::read_dir(out.path())
            .unwrap()
            .filter(|entry| entry.as_ref().unwrap().path() != temp_dir)
            .count();
        assert_eq!(n_files, 3);
        let n_temp = std::fs::read_dir(&temp_dir).map_or(0, |dir| dir.count());
        assert_eq!(n_temp, 0, "no temporary file left behind");
    }

    #[test]
    fn text_paths_cannot_leave_the_output_directory() {
        let (out, _) = site();
        let error =
            write_llm_full(out.path(), "S", "/", &[page("x", "/x/", "../secret.txt")]).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn reuses_unchanged_segments_and_matches_a_full_write() {
        let (out, mut pages) = site();
        for page in &mut pages {
            let text = std::fs::read(out.path().join(&page.txt_path)).unwrap();
            page.text_hash = protocol::content_hash(&text);
        }
        let (first, index) =
            write_llm_full_reusing(out.path(), "Docs", "https://x.org/", &pages, None).unwrap();
        let target = out.path().join(LLM_FULL_PATH);
        let mtime = std::fs::metadata(&target).unwrap().modified().unwrap();

        // Nothing changed: the file is not even rewritten.
        let (again, same_index) =
            write_llm_full_reusing(out.path(), "Docs", "https://x.org/", &pages, Some(&index))
                .unwrap();
        assert_eq!((again, &same_index), (first.clone(), &index));
        assert_eq!(
            std::fs::metadata(&target).unwrap().modified().unwrap(),
            mtime
        );

        // One page's text changes: the result equals a full write of the new inputs.
        std::fs::write(out.path().join("index.txt"), "Welcome back.\n").unwrap();
        pages[1].text_hash = protocol::content_hash(b"Welcome back.\n");
        let (reused, _) =
            write_llm_full_reusing(out.path(), "Docs", "https://x.org/", &pages, Some(&index))
                .unwrap();
        let reused_bytes = std::fs::read(&target).unwrap();
        std::fs::remove_file(&target).unwrap();
        let full = write_llm_full(out.path(), "Docs", "https://x.org/", &pages).unwrap();
        assert_eq!((reused.hash, reused.len), (full.hash, full.len));
        assert_eq!(reused_bytes, std::fs::read(&target).unwrap());
        assert!(
            String::from_utf8(reused_bytes)
                .unwrap()
                .contains("Welcome back.")
        );

        // A damaged previous file is not trusted.
        std::fs::write(&target, b"tampered").unwrap();
        let (after_damage, _) =
            write_llm_full_reusing(out.path(), "Docs", "https://x.org/", &pages, Some(&index))
                .unwrap();
        assert_eq!((after_damage.hash, after_damage.len), (full.hash, full.len));
    }
}

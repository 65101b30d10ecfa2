//! Walking the content, template and static folders, in sorted order so discovery is
//! deterministic.

use super::front_matter;
use super::{AssetFile, ContentRoot, KnownFiles, ParsedPage, Site, SourcePage};
use crate::diagnostics::{Diagnostic, PageFailure};
use protocol::{PageError, PageErrorKind, PageId, PageKind, TemplateSource};
use std::path::{Path, PathBuf};
use walkdir::{DirEntry, WalkDir};

/// Hidden files and folders (`.git`, `.DS_Store`) are never part of a site.
fn is_hidden(entry: &DirEntry) -> bool {
    entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.')
}

/// `/`-separated path of `path` relative to `base`.
pub(super) fn relative(path: &Path, base: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

fn sorted_files(dir: &Path) -> impl Iterator<Item = walkdir::Result<DirEntry>> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e))
        .filter(|e| e.as_ref().map_or(true, |e| e.file_type().is_file()))
}

/// `.md` and `.markdown` files are pages, and `.mdx` files on an MDX site.
fn is_markdown(path: &Path, mdx: bool) -> bool {
    path.extension().is_some_and(|ext| {
        ext.eq_ignore_ascii_case("md")
            || ext.eq_ignore_ascii_case("markdown")
            || (mdx && ext.eq_ignore_ascii_case("mdx"))
    })
}

/// A markdown file found by the walk, to be read.
struct FoundMarkdown {
    path: PathBuf,
    rel_path: String,
    inner: String,
    root: ContentRoot,
}

/// The folders whose markdown files are pages, relative to the site root: the content
/// directory (split into versions by `_versions/`), or each docs folder of a Docusaurus
/// site with the version it holds.
fn content_folders(site: &Site) -> Vec<(String, Option<ContentRoot>)> {
    match &site.config.docusaurus {
        Some(docs) => docs
            .roots
            .iter()
            .map(|root| {
                let forced = match &root.version {
                    Some(id) => ContentRoot::Version(id.clone()),
                    None => ContentRoot::Main,
                };
                (root.folder.clone(), Some(forced))
            })
            .collect(),
        None => vec![(site.content_dir(), None)],
    }
}

/// Files of a Docusaurus docs folder that are neither pages nor copied: category
/// settings, and `_`-prefixed partials (which other pages import).
fn is_docusaurus_internal(file_name: &str) -> bool {
    file_name.starts_with('_')
}

/// Markdown pages into `site.pages`; returns the other files with their content root,
/// to be placed once the versions are known.
pub(super) fn content(
    site: &mut Site,
    include_drafts: bool,
    known: &dyn KnownFiles,
) -> Vec<(ContentRoot, String, PathBuf)> {
    let mut assets = Vec::new();
    let mut markdown: Vec<FoundMarkdown> = Vec::new();
    let content_dir_name = site.content_dir();
    let mdx = site.config.markdown.mdx;
    let docusaurus = site.config.docusaurus.is_some();
    for (folder_name, forced_root) in content_folders(site) {
        let folder = site.root.join(&folder_name);
        if !folder.is_dir() {
            if folder_name == content_dir_name {
                site.warnings.push(
                    Diagnostic::in_file(
                        content_dir_name.clone(),
                        "content folder does not exist; only generated pages are built",
                    )
                    .with_hint(
                        "create it and add markdown files, or set build.content_dir in ssg.toml",
                    ),
                );
            }
            continue;
        }
        let ignored =
            crate::config::IgnoredContent::new(&folder, &site.config.build.ignored_content);
        for entry in sorted_files(&folder) {
            if let Ok(entry) = &entry
                && ignored.is_ignored(entry.path())
            {
                continue;
            }
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    site.warnings.push(Diagnostic::in_file(
                        folder_name.clone(),
                        format!("cannot read: {e}"),
                    ));
                    continue;
                }
            };
            let path = entry.path();
            let (Some(rel_path), Some(content_path)) =
                (relative(path, &site.root), relative(path, &folder))
            else {
                site.warnings.push(Diagnostic::in_file(
                    path.display().to_string(),
                    "skipped: file name is not valid UTF-8",
                ));
                continue;
            };
            if docusaurus && is_docusaurus_internal(&entry.file_name().to_string_lossy()) {
                continue;
            }
            let (root, inner) = match &forced_root {
                Some(root) => (root.clone(), content_path.clone()),
                None => match ContentRoot::split(&content_path) {
                    Some((root, inner)) => (root, inner.to_string()),
                    None => {
                        site.warnings.push(
                            Diagnostic::in_file(
                                rel_path,
                                "skipped: a file directly in _versions/ belongs to no version",
                            )
                            .with_hint("move it into _versions/<version>/ or out of _versions/"),
                        );
                        continue;
                    }
                },
            };
            if !is_markdown(path, mdx) {
                assets.push((root, inner, path.to_path_buf()));
                continue;
            }
            markdown.push(FoundMarkdown {
                path: path.to_path_buf(),
                rel_path,
                inner,
                root,
            });
        }
    }
    // Looking at, reading and parsing the files is most of discovery: spread it over all
    // cores, keeping the walk's (sorted) order.
    let pages = crate::parallel::par_map(
        markdown.len(),
        |i| {
            let FoundMarkdown {
                path,
                rel_path,
                inner,
                root,
            } = &markdown[i];
            // Size and modification time, to recognise a file an earlier build parsed (a
            // build that remembers none, such as a part build or a merge, reads them all).
            let stamp = known.knows_pages().then(|| known.stamp(path)).flatten();
            let remembered = stamp.and_then(|(len, mtime)| {
                known
                    .page(rel_path, len, mtime)
                    .map(|parsed| (parsed, len, mtime))
            });
            match remembered {
                Some((parsed, len, mtime)) => Ok(source_page(
                    parsed,
                    rel_path.clone(),
                    inner.clone(),
                    root.clone(),
                    len,
                    mtime,
                )),
                None => read_page(path, rel_path.clone(), inner.clone(), root.clone(), known),
            }
        },
        |i| {
            Err(PageError {
                file: Some(markdown[i].rel_path.clone()),
                line: None,
                kind: PageErrorKind::Internal,
                message: "internal error while reading the page".into(),
                hint: Some("this is a bug in ssg-coord; please report it".into()),
            })
        },
    );
    for (page, FoundMarkdown { rel_path, .. }) in pages.into_iter().zip(&markdown) {
        match page {
            Ok(page) if page.front_matter.draft && !include_drafts => {}
            Ok(page) => site.pages.push(page),
            Err(error) => site.failures.push(PageFailure {
                id: PageId::content(rel_path),
                kind: PageKind::Content,
                error,
            }),
        }
    }
    let content_dir_exists = site.root.join(&content_dir_name).is_dir();
    if content_dir_exists && site.pages.is_empty() && site.failures.is_empty() {
        site.warnings.push(
            Diagnostic::in_file(
                content_dir_name,
                "content folder has no markdown pages; only generated pages are built",
            )
            .with_hint("add .md files under it"),
        );
    }
    assets
}

/// Reads and parses a markdown file, unless `known` holds a parse of the same bytes.
pub(super) fn read_page(
    path: &Path,
    rel_path: String,
    content_path: String,
    root: ContentRoot,
    known: &dyn KnownFiles,
) -> Result<SourcePage, PageError> {
    // The stamp is the open file's, taken before it is read: a file saved again during the
    // build is not remembered with the new time and the old text.
    let (bytes, metadata) = read_with_metadata(path).map_err(|e| PageError {
        file: Some(rel_path.clone()),
        line: None,
        kind: PageErrorKind::Io,
        message: format!("cannot read: {e}"),
        hint: None,
    })?;
    let hash = protocol::content_hash(&bytes);
    let (len, mtime) = (
        bytes.len() as u64,
        crate::file_stamp::mtime_nanos(&metadata),
    );
    let parsed = match known.page_with_hash(&rel_path, hash) {
        Some(parsed) => parsed,
        None => parse_page(&bytes, &rel_path, hash)?,
    };
    Ok(source_page(
        parsed,
        rel_path,
        content_path,
        root,
        len,
        mtime,
    ))
}

/// Decodes and parses the bytes of the markdown file at `rel_path`, which hash to `hash`.
fn parse_page(bytes: &[u8], rel_path: &str, hash: u128) -> Result<ParsedPage, PageError> {
    let text = worker::decode_utf8(bytes).map_err(|(line, message)| PageError {
        file: Some(rel_path.to_string()),
        line: Some(line),
        kind: PageErrorKind::Encoding,
        message,
        hint: Some("save the file as UTF-8".into()),
    })?;
    let parsed = front_matter::parse(text).map_err(|e| PageError {
        file: Some(rel_path.to_string()),
        line: e.line,
        kind: PageErrorKind::FrontMatter,
        message: e.message,
        hint: e.hint,
    })?;
    let body_offset = parsed.body.as_ptr() as usize - text.as_ptr() as usize;
    let heading_title = match parsed.front_matter.title {
        Some(_) => None,
        None => front_matter::first_heading(parsed.body),
    };
    Ok(ParsedPage {
        front_matter: parsed.front_matter,
        heading_title,
        body_offset,
        body_first_line: parsed.body_first_line,
        hash,
    })
}

/// The page discovery found at `rel_path` (`content_path` in `root`), parsed as `parsed`,
/// with its size and modification time.
fn source_page(
    parsed: ParsedPage,
    rel_path: String,
    content_path: String,
    root: ContentRoot,
    len: u64,
    mtime: u128,
) -> SourcePage {
    SourcePage {
        rel_path,
        content_path,
        root,
        front_matter: parsed.front_matter,
        heading_title: parsed.heading_title,
        nav_title: None,
        body_offset: parsed.body_offset,
        body_first_line: parsed.body_first_line,
        hash: parsed.hash,
        len,
        mtime,
    }
}

/// The file's bytes and its metadata, taken from the open file.
fn read_with_metadata(path: &Path) -> std::io::Result<(Vec<u8>, std::fs::Metadata)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok((bytes, metadata))
}

/// User templates from `templates/`.
pub(super) fn templates(site: &mut Site) {
    let dir = site.root.join("templates");
    if !dir.is_dir() {
        return;
    }
    for entry in sorted_files(&dir).flatten() {
        let Some(name) = relative(entry.path(), &dir) else {
            continue;
        };
        let path = format!("templates/{name}");
        match std::fs::read(entry.path()).map(String::from_utf8) {
            Ok(Ok(source)) => site.templates.push(TemplateSource { name, path, source }),
            Ok(Err(_)) => site.errors.push(
                Diagnostic::in_file(path, "template is not valid UTF-8")
                    .with_hint("save it as UTF-8"),
            ),
            Err(e) => site.errors.push(Diagnostic::in_file(
                path,
                format!("cannot read template: {e}"),
            )),
        }
    }
}

/// Files under `static/`, copied to the same path in the output.
pub(super) fn static_files(site: &mut Site) {
    let dir = site.root.join("static");
    if !dir.is_dir() {
        return;
    }
    for entry in sorted_files(&dir).flatten() {
        if let Some(output_path) = relative(entry.path(), &dir) {
            site.assets.push(AssetFile {
                output_path,
                source: entry.path().to_path_buf(),
            });
        }
    }
}

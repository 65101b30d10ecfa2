//! Discovery: reading the site folder without rendering anything.
//!
//! [`Site::load`] reads `ssg.toml`, walks the content directory (front matter only, bodies
//! are re-read when their page is dispatched), lists the modules of each autodoc package
//! from paths, reads user templates and lists static files. A page that cannot be read
//! (invalid UTF-8, broken front matter) becomes a [`PageFailure`]; the rest of the site
//! goes on.

mod cli;
mod docusaurus;
pub mod front_matter;
mod openapi;
mod python;
mod reference_read;
pub(crate) mod versions;
mod walk;

use crate::config::{Config, ConfigError};
use crate::diagnostics::{Diagnostic, PageFailure};
use front_matter::FrontMatter;
use protocol::TemplateSource;
use std::path::{Path, PathBuf};

pub use cli::{CliCommandPage, CliListing};
pub use openapi::{OpenApiDescription, OpenApiNav, OpenApiPage};
pub use python::PythonModule;

/// Everything the build knows about a site before planning.
#[derive(Debug)]
pub struct Site {
    /// Absolute site root.
    pub root: PathBuf,
    /// `ssg.toml`.
    pub config: Config,
    /// Markdown pages, sorted by source path.
    pub pages: Vec<SourcePage>,
    /// Python modules of all autodoc packages, sorted by package then module name.
    pub modules: Vec<PythonModule>,
    /// OpenAPI descriptions that could be read, in `[[autodoc.openapi]]` order.
    pub openapi: Vec<OpenApiDescription>,
    /// CLIs that could be read, in `[[autodoc.cli]]` order.
    pub cli: Vec<CliListing>,
    /// User templates, sorted by name.
    pub templates: Vec<TemplateSource>,
    /// Files copied as they are: `static/` and non-markdown files under the content
    /// directory, sorted by output path.
    pub assets: Vec<AssetFile>,
    /// Pages that could not be read.
    pub failures: Vec<PageFailure>,
    /// Site-level errors that are not a page's (an unreadable template).
    pub errors: Vec<Diagnostic>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Versions of versioned docs (latest first), empty when the site has none.
    pub versions: Vec<protocol::VersionInfo>,
    /// Title and weight of folders that have no `_index.md` (Docusaurus'
    /// `_category_.json`), by content root and folder inside it (`guide/advanced`).
    pub folders: std::collections::BTreeMap<(ContentRoot, String), (String, i64)>,
}

/// A markdown file and its front matter.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// Path relative to the site root, `/`-separated (`content/guide/install.md`).
    pub rel_path: String,
    /// Path relative to its content root (`guide/install.md`): the content directory, or
    /// for versioned docs `_versions/<id>/` or `_shared/` inside it.
    pub content_path: String,
    /// Which content root the page is in.
    pub root: ContentRoot,
    /// Parsed front matter.
    pub front_matter: FrontMatter,
    /// The body's first `# heading`, for pages whose front matter has no title.
    pub heading_title: Option<String>,
    /// The title navigation shows, when it is not the page's (Docusaurus' `sidebar_label`,
    /// a sidebar's label).
    pub nav_title: Option<String>,
    /// Byte offset of the body in the decoded file, for re-reading it at dispatch.
    pub body_offset: usize,
    /// 1-based line on which the body starts.
    pub body_first_line: u32,
    /// Hash of the raw file bytes.
    pub hash: u128,
    /// Size of the file in bytes (expensive pages are scheduled first).
    pub len: u64,
    /// Modification time (nanoseconds since the epoch), to recognise the file unchanged.
    pub mtime: u128,
}

/// What discovery learned about a markdown file, which an earlier build may remember.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPage {
    /// Parsed front matter.
    pub front_matter: FrontMatter,
    /// The body's first `# heading`, when front matter has no title.
    pub heading_title: Option<String>,
    /// Byte offset of the body in the decoded file.
    pub body_offset: usize,
    /// 1-based line on which the body starts.
    pub body_first_line: u32,
    /// Hash of the raw file bytes.
    pub hash: u128,
}

/// What an earlier build already learned about files that have not changed since (same
/// path, size and modification time), so discovery need not read and parse them again.
pub trait KnownFiles: Sync {
    /// Whether [`KnownFiles::page`] can know any page: when not, discovery reads every
    /// page without stamping it first.
    fn knows_pages(&self) -> bool;
    /// A markdown file's parse.
    fn page(&self, rel_path: &str, len: u64, mtime: u128) -> Option<ParsedPage>;
    /// A markdown file's parse by the hash of its bytes, whatever its stamp: a parse of
    /// the same bytes (a file checked out again, or discovered on another machine: a
    /// distributed build's part 1 carries its discovery to the merge). The parse depends
    /// on the bytes alone.
    fn page_with_hash(&self, _rel_path: &str, _hash: u128) -> Option<ParsedPage> {
        None
    }
    /// A Python module's content hash.
    fn module_hash(&self, rel_path: &str, len: u64, mtime: u128) -> Option<u128>;
    /// A file's size and modification time (asked of the file system, unless this build
    /// already took them).
    fn stamp(&self, path: &Path) -> Option<(u64, u128)> {
        crate::file_stamp::file_stamp(path)
    }
}

/// Nothing is known: every file is read.
pub struct NothingKnown;

impl KnownFiles for NothingKnown {
    fn knows_pages(&self) -> bool {
        false
    }
    fn page(&self, _: &str, _: u64, _: u128) -> Option<ParsedPage> {
        None
    }
    fn module_hash(&self, _: &str, _: u64, _: u128) -> Option<u128> {
        None
    }
}

/// What the configuration says about pages (MkDocs' `nav` order and titles, redirects),
/// under their front matter; for an `mkdocs.yml` site, a folder's `index.md` is its
/// section page (`_index.md`) when the folder has none. The configuration's notes become
/// warnings.
fn apply_page_overrides(site: &mut Site) {
    for note in &site.config.notes {
        let section = match site.config.source {
            crate::config::ConfigSource::Docusaurus => "Docusaurus sites",
            _ => "MkDocs projects",
        };
        site.warnings.push(
            Diagnostic::in_file(site.config.source_file_name(), note.clone()).with_hint(format!(
                "these settings have no effect here; see README.md, \"{section}\""
            )),
        );
    }
    if site.config.source == crate::config::ConfigSource::MkDocs {
        let section_pages: std::collections::HashSet<(ContentRoot, String)> = site
            .pages
            .iter()
            .filter(|page| page.is_section_index())
            .map(|page| (page.root.clone(), page.content_path.clone()))
            .collect();
        for page in &mut site.pages {
            let folder_index = match page.content_path.strip_suffix("index.md") {
                Some(folder) if folder.is_empty() || folder.ends_with('/') => {
                    format!("{folder}_index.md")
                }
                _ => continue,
            };
            if !section_pages.contains(&(page.root.clone(), folder_index.clone())) {
                page.content_path = folder_index;
            }
        }
    }
    if site.config.page_overrides.is_empty() {
        return;
    }
    for page in &mut site.pages {
        // Overrides name the file as written (`guide/index.md`), before the renaming above,
        // relative to the content directory, or to the site root for a file outside it.
        let written = page
            .rel_path
            .strip_prefix(&format!("{}/", site.config.build.content_dir))
            .unwrap_or(&page.rel_path);
        let Some(settings) = site.config.page_overrides.get(written) else {
            continue;
        };
        let front_matter = &mut page.front_matter;
        if front_matter.weight == 0
            && let Some(weight) = settings.weight
        {
            front_matter.weight = weight;
        }
        if front_matter.title.is_none() && settings.title.is_some() {
            front_matter.title.clone_from(&settings.title);
        }
        if page.nav_title.is_none() && settings.nav_title.is_some() {
            page.nav_title.clone_from(&settings.nav_title);
        }
        for alias in &settings.aliases {
            if !front_matter.aliases.contains(alias) {
                front_matter.aliases.push(alias.clone());
            }
        }
    }
}

impl SourcePage {
    /// True for `_index.md`, a section's own page.
    pub fn is_section_index(&self) -> bool {
        self.content_path == "_index.md" || self.content_path.ends_with("/_index.md")
    }
}

/// The part of the content directory a page comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContentRoot {
    /// The content directory itself.
    Main,
    /// `_versions/<id>/`: one version of versioned docs.
    Version(String),
    /// `_shared/`: part of every version.
    Shared,
}

impl ContentRoot {
    /// Splits a content-relative path into its root and the path inside it.
    pub fn split(content_path: &str) -> Option<(ContentRoot, &str)> {
        if let Some(rest) = content_path.strip_prefix("_versions/") {
            let (id, inner) = rest.split_once('/')?;
            return (!id.is_empty() && !inner.is_empty())
                .then(|| (ContentRoot::Version(id.to_string()), inner));
        }
        if let Some(inner) = content_path.strip_prefix("_shared/") {
            return (!inner.is_empty()).then_some((ContentRoot::Shared, inner));
        }
        Some((ContentRoot::Main, content_path))
    }
}

/// A file copied into the output as it is.

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AssetFile {
    /// Path relative to the output directory.
    pub output_path: String,
    /// Absolute source path.
    pub source: PathBuf,
}

/// Why a site could not be loaded at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// `ssg.toml` is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The site folder itself is unusable.
    #[error("{path}: {message}")]
    Site {
        /// The folder or file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// A site root must be a folder.
fn check_is_folder(root: &Path) -> Result<(), LoadError> {
    if root.is_dir() {
        return Ok(());
    }
    Err(LoadError::Site {
        path: root.display().to_string(),
        message: "not a folder; pass the folder that holds ssg.toml and content/".into(),
    })
}

impl Site {
    /// Drops the discovered markdown pages and Python modules, once the plan holds what
    /// later steps need of them: a part build plans, stamps and then only renders, and at
    /// 100k pages their front matter and paths are tens of MiB.
    pub fn release_sources(&mut self) {
        self.pages = Vec::new();
        self.modules = Vec::new();
    }

    /// Loads the site rooted at `root`.
    pub fn load(
        root: &Path,
        include_drafts: bool,
        known: &dyn KnownFiles,
    ) -> Result<Site, LoadError> {
        let root = std::fs::canonicalize(root).map_err(|e| LoadError::Site {
            path: root.display().to_string(),
            message: format!("cannot open site folder: {e}"),
        })?;
        check_is_folder(&root)?;
        let config = Config::load(&root)?;
        Site::with_config(root, config, include_drafts, known)
    }

    /// Loads the site at `root` (an absolute, canonical path) whose configuration is
    /// already loaded: a build reads `ssg.toml` once.
    pub fn with_config(
        root: PathBuf,
        config: Config,
        include_drafts: bool,
        known: &dyn KnownFiles,
    ) -> Result<Site, LoadError> {
        check_is_folder(&root)?;
        let mut site = Site {
            root,
            config,
            pages: Vec::new(),
            modules: Vec::new(),
            openapi: Vec::new(),
            cli: Vec::new(),
            templates: Vec::new(),
            assets: Vec::new(),
            failures: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            versions: Vec::new(),
            folders: Default::default(),
        };
        let content_assets = walk::content(&mut site, include_drafts, known);
        if site.config.docusaurus.is_some() {
            docusaurus::apply(&mut site);
        }
        apply_page_overrides(&mut site);
        let mut version_ids: Vec<String> = site
            .pages
            .iter()
            .map(|p| &p.root)
            .chain(content_assets.iter().map(|(root, _, _)| root))
            .filter_map(|root| match root {
                ContentRoot::Version(id) => Some(id.clone()),
                _ => None,
            })
            .collect();
        version_ids.sort();
        version_ids.dedup();
        site.versions = versions::resolve(&site.config, &site.root, &version_ids)?;
        if site.versions.is_empty() && site.pages.iter().any(|p| p.root == ContentRoot::Shared) {
            site.warnings.push(
                Diagnostic::in_file(
                    format!("{}/_shared", site.content_dir()),
                    "skipped: _shared/ is part of every version, and there are no versions",
                )
                .with_hint("put versions in _versions/<id>/, or move these pages out of _shared/"),
            );
            site.pages.retain(|p| p.root != ContentRoot::Shared);
        }
        for (root, inner, source) in content_assets {
            for output_path in site.output_paths(&root, &inner) {
                site.assets.push(AssetFile {
                    output_path,
                    source: source.clone(),
                });
            }
        }
        walk::templates(&mut site);
        walk::static_files(&mut site);
        python::discover(&mut site, known)?;
        openapi::discover(&mut site);
        cli::discover(&mut site);
        site.assets.sort();
        site.assets.dedup_by(|a, b| a.output_path == b.output_path);
        Ok(site)
    }

    /// Reads the markdown file of `pages[index]` again (a dev server's resident rebuild of
    /// an edited file), keeping what discovery decided about its place (content path, root,
    /// nav title).
    pub fn reread_page(&self, index: usize) -> Result<SourcePage, protocol::PageError> {
        let before = &self.pages[index];
        let mut page = walk::read_page(
            &self.root.join(&before.rel_path),
            before.rel_path.clone(),
            before.content_path.clone(),
            before.root.clone(),
            &NothingKnown,
        )?;
        page.nav_title.clone_from(&before.nav_title);
        Ok(page)
    }

    /// Where a content file at `inner` in `root` lands in the output: under its version's
    /// URL prefix, and for `_shared/` once per version.
    pub fn output_paths(&self, root: &ContentRoot, inner: &str) -> Vec<String> {
        let with_prefix = |prefix: &str| {
            let prefix = prefix.trim_matches('/');
            if prefix.is_empty() {
                inner.to_string()
            } else {
                format!("{prefix}/{inner}")
            }
        };
        match root {
            ContentRoot::Main => vec![inner.to_string()],
            ContentRoot::Version(id) => self
                .versions
                .iter()
                .filter(|v| &v.id == id)
                .map(|v| with_prefix(&v.url_prefix))
                .collect(),
            ContentRoot::Shared => self
                .versions
                .iter()
                .map(|v| with_prefix(&v.url_prefix))
                .collect(),
        }
    }

    /// Index in `versions` of a version id.
    pub fn version_index(&self, id: &str) -> Option<u16> {
        self.versions
            .iter()
            .position(|v| v.id == id)
            .map(|i| i as u16)
    }

    /// Content directory relative to the site root, `/`-separated, no trailing slash.
    pub fn content_dir(&self) -> String {
        self.config.build.content_dir.trim_matches('/').to_string()
    }
}

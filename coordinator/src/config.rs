//! `ssg.toml`: loading, defaults and validation.
//!
//! OWNER: config/front-matter helper. This file is the interface; the implementation
//! replaces the `todo!()`s.
//!
//! Unknown keys are an error naming the key and suggesting the closest valid one:
//! ``ssg.toml:3: unknown key `titel` (did you mean `title`?)``. A site without `ssg.toml`
//! builds with defaults.

use std::path::{Path, PathBuf};

/// The site configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// `title`, default "Documentation".
    pub title: String,
    /// `base_url`, normalised to end with `/`; default `/`.
    pub base_url: String,
    /// `description`.
    pub description: Option<String>,
    /// `language`, default `en`.
    pub language: String,
    /// `[build]`.
    pub build: BuildConfig,
    /// `[[autodoc.python]]`.
    pub autodoc_python: Vec<PythonPackageConfig>,
    /// `[taxonomies]`.
    pub taxonomies: TaxonomiesConfig,
    /// `[outputs]`.
    pub outputs: OutputsConfig,
}

/// `[build]`.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildConfig {
    /// `content_dir`, default `content`.
    pub content_dir: String,
    /// `output_dir`, default `public`.
    pub output_dir: String,
    /// `paginate`: entries per listing page, default 10, at least 1.
    pub paginate: u32,
}

/// One `[[autodoc.python]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct PythonPackageConfig {
    /// `name`: import name of the package (`mypkg`).
    pub name: String,
    /// `path`: package directory relative to the site root (`src/mypkg`).
    pub path: String,
    /// `url`: URL prefix, normalised to start and end with `/`; default `/api/`.
    pub url: String,
    /// `include_private`, default false.
    pub include_private: bool,
}

/// `[taxonomies]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxonomiesConfig {
    /// `tags`, default true.
    pub tags: bool,
    /// `categories`, default true.
    pub categories: bool,
}

/// `[outputs]`: every output can be switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputsConfig {
    /// Per-page `index.html`, default true.
    pub html: bool,
    /// Per-page `index.json`, default true.
    pub json: bool,
    /// Per-page `index.txt`, default true.
    pub txt: bool,
    /// `sitemap.xml`, default true.
    pub sitemap: bool,
    /// Site-wide `index.json` search index, default true.
    pub search_index: bool,
    /// `rss.xml`, default true.
    pub rss: bool,
    /// `llm-full.txt` (built from the per-page text, so it needs `txt`), default true.
    pub llm_full: bool,
}

/// A configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}{}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default(), hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
pub struct ConfigError {
    /// The file (`<site>/ssg.toml`).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

impl Config {
    /// Loads `<site_root>/ssg.toml`, or the defaults when the file does not exist.
    pub fn load(site_root: &Path) -> Result<Config, ConfigError> {
        let _ = site_root;
        todo!()
    }
}

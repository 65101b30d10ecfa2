//! `ssg-coord init`: a starter site, or an `ssg.toml` for an MkDocs project.
//!
//! - `init [DIR]` writes a commented `ssg.toml`, a few pages (tabs, an admonition, a
//!   table, tags), a small Python package wired to autodoc and a CI recipe
//!   (`.github/workflows/docs.yml`); it builds with no warning. Existing files are never
//!   overwritten: a folder that already has any of them is refused.
//! - `init --from mkdocs [DIR]` reads `mkdocs.yml` and writes the equivalent `ssg.toml`
//!   beside it, moving nothing (`docs/` stays the content folder). What `ssg.toml` cannot
//!   say (the `nav` order and titles, redirects, `use_directory_urls: false`) is listed in it
//!   as comments.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::config::mkdocs::MKDOCS_FILE;
use crate::config::{CONFIG_FILE, Config};

/// The starter site's files: (path relative to the site, content).
const STARTER: &[(&str, &str)] = &[
    ("ssg.toml", include_str!("starter/ssg.toml")),
    ("content/_index.md", include_str!("starter/index.md")),
    (
        "content/guide/_index.md",
        include_str!("starter/guide_index.md"),
    ),
    (
        "content/guide/getting-started.md",
        include_str!("starter/getting_started.md"),
    ),
    (
        "content/guide/configuration.md",
        include_str!("starter/configuration.md"),
    ),
    (
        "src/my_project/__init__.py",
        include_str!("starter/init.py"),
    ),
    (
        "src/my_project/greeting.py",
        include_str!("starter/greeting.py"),
    ),
    (".github/workflows/docs.yml", include_str!("starter/ci.yml")),
];

/// Writes the starter site into `site_dir` (created if needed); returns the files written.
pub fn init_starter(site_dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let existing: Vec<&str> = STARTER
        .iter()
        .map(|(path, _)| *path)
        .filter(|path| site_dir.join(path).exists())
        .collect();
    if !existing.is_empty() {
        bail!(
            "{}: already has {}; nothing was written (run init in an empty folder)",
            site_dir.display(),
            existing.join(", ")
        );
    }
    let mut written = Vec::new();
    for (path, text) in STARTER {
        let target = site_dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&target, text)
            .with_context(|| format!("cannot write {}", target.display()))?;
        written.push(target);
    }
    Ok(written)
}

/// Writes `ssg.toml` from the `mkdocs.yml` in `site_dir`; returns its path.
pub fn init_from_mkdocs(site_dir: &Path) -> anyhow::Result<PathBuf> {
    let mkdocs_file = site_dir.join(MKDOCS_FILE);
    let target = site_dir.join(CONFIG_FILE);
    if target.exists() {
        bail!(
            "{}: already exists; nothing was written (remove it to convert mkdocs.yml again)",
            target.display()
        );
    }
    if !mkdocs_file.is_file() {
        bail!(
            "{}: not found; `init --from mkdocs` converts an MkDocs project's mkdocs.yml",
            mkdocs_file.display()
        );
    }
    let config = Config::load(site_dir).map_err(anyhow::Error::from)?;
    let text = ssg_toml_for(&config);
    std::fs::write(&target, text).with_context(|| format!("cannot write {}", target.display()))?;
    Ok(target)
}

/// The `ssg.toml` text that configures `config` (read from `mkdocs.yml`).
fn ssg_toml_for(config: &Config) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `ssg-coord init --from mkdocs` from {MKDOCS_FILE}."
    );
    let _ = writeln!(out, "title = {}", toml_string(&config.title));
    let _ = writeln!(out, "base_url = {}", toml_string(&config.base_url));
    if let Some(description) = &config.description {
        let _ = writeln!(out, "description = {}", toml_string(description));
    }
    let _ = writeln!(out, "\n[build]");
    let _ = writeln!(
        out,
        "content_dir = {}",
        toml_string(&config.build.content_dir)
    );
    let _ = writeln!(
        out,
        "output_dir = {}",
        toml_string(&config.build.output_dir)
    );
    let _ = writeln!(out, "\n[taxonomies]\ncategories = false");
    let _ = writeln!(out, "\n[markdown]\ndialect = \"mkdocs\"");
    let paths: Vec<String> = config
        .markdown
        .snippet_base_paths
        .iter()
        .map(|path| toml_string(path))
        .collect();
    let _ = writeln!(out, "snippet_base_paths = [{}]", paths.join(", "));
    // mkdocstrings: the packages of its `paths`, the inventories of its `import`.
    for package in &config.autodoc_python {
        let _ = writeln!(
            out,
            "\n[[autodoc.python]]\nname = {}\npath = {}\nurl = {}\ninclude_private = {}\n\
             merge_init_into_class = {}",
            toml_string(&package.name),
            toml_string(&package.path),
            toml_string(&package.url),
            package.include_private,
            package.merge_init_into_class
        );
    }
    for inventory in &config.autodoc_inventories {
        let (key, source) = match &inventory.source {
            crate::config::InventorySource::Url(url) => ("url", url),
            crate::config::InventorySource::Path(path) => ("path", path),
        };
        let _ = writeln!(
            out,
            "\n[[autodoc.inventories]]\n{key} = {}\nbase_url = {}",
            toml_string(source),
            toml_string(&inventory.base_url)
        );
    }
    let html_files = config.build.url_style == crate::config::UrlStyle::HtmlFiles;
    if !config.page_overrides.is_empty() || !config.notes.is_empty() || html_files {
        let _ = writeln!(
            out,
            "\n# Not expressible here; with this file present, mkdocs.yml is no longer read:"
        );
        for (page, settings) in &config.page_overrides {
            let mut parts = Vec::new();
            if let Some(title) = &settings.title {
                parts.push(format!("title {title:?}"));
            }
            if let Some(weight) = settings.weight {
                parts.push(format!("nav position {}", weight + 1_000_000));
            }
            for alias in &settings.aliases {
                parts.push(format!("alias {alias}"));
            }
            let _ = writeln!(
                out,
                "# - {page}: {} (add `title:`, `weight:`, `aliases:` to its front matter)",
                parts.join(", ")
            );
        }
        for note in &config.notes {
            let _ = writeln!(out, "# - {note}");
        }
        if html_files {
            let _ = writeln!(
                out,
                "# - use_directory_urls: false: with this file, pages are at `foo/` rather than `foo.html`"
            );
        }
    }
    out
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for ch in text.chars() {
        match ch {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            ch if ch.is_control() => {
                let _ = write!(quoted, "\\u{:04x}", ch as u32);
            }
            ch => quoted.push(ch),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converted_config_reads_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join(MKDOCS_FILE),
            "site_name: 'Say \"hi\"'\nsite_url: https://x.org/docs\ndocs_dir: documentation\n\
             nav:\n  - Start: index.md\nplugins:\n  - social\n  - mkdocstrings:\n      \
             handlers:\n        python:\n          paths: [src]\n          \
             import: [https://docs.python.org/3/objects.inv]\n",
        )
        .expect("write");
        std::fs::create_dir_all(dir.path().join("src/pkg")).expect("mkdir");
        std::fs::write(dir.path().join("src/pkg/__init__.py"), "").expect("write");
        let from_mkdocs = Config::load(dir.path()).expect("mkdocs.yml reads");
        let written = init_from_mkdocs(dir.path()).expect("converted");
        let config = Config::load(dir.path()).expect("ssg.toml reads back");
        assert_eq!(config.source, crate::config::ConfigSource::SsgToml);
        assert_eq!(config.title, "Say \"hi\"");
        assert_eq!(config.base_url, "https://x.org/docs/");
        assert_eq!(config.build.content_dir, "documentation");
        assert!(config.markdown.mkdocs);
        assert_eq!(config.autodoc_python, from_mkdocs.autodoc_python);
        assert_eq!(config.autodoc_python.len(), 1);
        assert_eq!(config.autodoc_inventories, from_mkdocs.autodoc_inventories);
        assert_eq!(config.autodoc_inventories.len(), 1);
        let text = std::fs::read_to_string(written).expect("read");
        assert!(
            text.contains("# - index.md: title \"Start\", nav position 1"),
            "{text}"
        );
        assert!(text.contains("# - ignored: social"), "{text}");
        assert!(init_from_mkdocs(dir.path()).is_err(), "never overwrites");
    }
}

//! Listing the pages of each `[[autodoc.cli]]` command-line interface. Its commands are
//! known only once its source is read (statically, with Ruff's parser; never imported), so
//! it is read here, on a thread with a worker's render stack, and only what the plan needs
//! is kept: each command's URL, title, whether it has subcommands, and the fingerprint of
//! what its page shows (`CliDoc::page_fingerprint`), so an edit re-renders only the pages of
//! the commands it changed. Workers read the CLI again to render its pages.

use super::Site;
use super::reference_read::read_on_render_stack;
use worker::reference::cli::{CliSource, Framework, extract_cli};

/// One CLI, listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliListing {
    /// Index of its entry in `config.autodoc_cli`.
    pub entry: usize,
    /// Its commands, the top command first (the index is the page's number).
    pub pages: Vec<CliCommandPage>,
}

/// One command page, as the plan needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliCommandPage {
    /// Subcommand names from the top command (empty for the top command).
    pub path: Vec<String>,
    /// URL relative to the CLI's `url` (`""`, `remote/add/`).
    pub url: String,
    /// The command line that runs it (`mkdocs build`).
    pub title: String,
    /// True when other pages are its subcommands (it heads a nav section).
    pub has_subcommands: bool,
    /// Hash of what the page shows.
    pub fingerprint: u128,
}

/// Fills `site.cli` from the configured CLIs. One that cannot be read becomes a site error
/// naming its file and line; the rest of the site builds.
pub(super) fn discover(site: &mut Site) {
    for entry in 0..site.config.autodoc_cli.len() {
        let config = site.config.autodoc_cli[entry].clone();
        let path = site.root.join(&config.path);
        let program = config.clone();
        let listed = read_on_render_stack("cli-read", &config.path, "CLI", move || {
            extract_cli(&CliSource {
                program: &program.name,
                path: &path,
                display_path: &program.path,
                object: &program.object,
                framework: program.framework.as_deref().and_then(Framework::from_name),
            })
            .map(|doc| {
                let keys = doc.pages();
                let pages = keys
                    .iter()
                    .map(|key| CliCommandPage {
                        path: key.path.clone(),
                        url: key.url.clone(),
                        title: key.title.clone(),
                        has_subcommands: keys.iter().any(|other| {
                            other.path.len() > key.path.len() && other.path.starts_with(&key.path)
                        }),
                        fingerprint: doc.page_fingerprint(key),
                    })
                    .collect();
                CliListing { entry, pages }
            })
        });
        match listed {
            Ok(listing) => site.cli.push(listing),
            Err(diagnostic) => site.errors.push(diagnostic),
        }
    }
}

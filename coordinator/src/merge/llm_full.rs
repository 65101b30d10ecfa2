//! `llm-full.txt`: the plain text of every page in one file, for LLM tools. Built by
//! streaming the per-page `index.txt` files, so the coordinator never holds the site's text
//! in memory.
//!
//! OWNER: config/front-matter helper. Interface; the implementation replaces the `todo!()`.

use protocol::OutputFile;
use std::io;
use std::path::Path;

/// One page of `llm-full.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmPage {
    /// Title.
    pub title: String,
    /// Site-absolute URL path.
    pub url: String,
    /// The page's `index.txt`, relative to `out_dir`.
    pub txt_path: String,
}

/// Writes `llm-full.txt`: a header naming the site, then per page (sorted by URL) a
/// `# <title>` line, a `URL: <absolute url>` line, a blank line and the page's text.
pub fn write_llm_full(
    out_dir: &Path,
    site_title: &str,
    base_url: &str,
    pages: &[LlmPage],
) -> io::Result<OutputFile> {
    let _ = (out_dir, site_title, base_url, pages);
    todo!()
}

//! `sitemap.xml`, and a sitemap index with numbered sitemaps past 50,000 URLs.
//!
//! OWNER: config/front-matter helper. Interface; the implementation replaces the `todo!()`.

use protocol::OutputFile;
use std::io;
use std::path::Path;

/// One URL of the sitemap.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SitemapEntry {
    /// Site-absolute URL path (`/guide/install/`).
    pub url: String,
    /// `YYYY-MM-DD` from the page date, if any.
    pub lastmod: Option<String>,
}

/// Writes `sitemap.xml` (and `sitemap-N.xml` files past 50,000 URLs) into `out_dir`.
/// Entries are written sorted by URL whatever their input order. Returns the files written.
pub fn write_sitemap(
    out_dir: &Path,
    base_url: &str,
    entries: &[SitemapEntry],
) -> io::Result<Vec<OutputFile>> {
    let _ = (out_dir, base_url, entries);
    todo!()
}

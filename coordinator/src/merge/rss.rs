//! `rss.xml`: the 20 newest dated pages.
//!
//! OWNER: config/front-matter helper. Interface; the implementation replaces the `todo!()`.

use protocol::OutputFile;
use std::io;
use std::path::Path;

/// A page that may appear in the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// Title.
    pub title: String,
    /// Site-absolute URL path.
    pub url: String,
    /// RFC 3339 date or datetime from front matter.
    pub date: String,
    /// Description from front matter, else the page summary.
    pub description: String,
}

/// Site-level fields of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedChannel<'a> {
    /// Site title.
    pub title: &'a str,
    /// Absolute base URL ending with `/`.
    pub base_url: &'a str,
    /// Site description.
    pub description: Option<&'a str>,
    /// Language code.
    pub language: &'a str,
}

/// Most items in the feed.
pub const FEED_ITEMS: usize = 20;

/// Writes `rss.xml` with the [`FEED_ITEMS`] newest items (date descending, then URL), in a
/// deterministic order whatever the input order.
pub fn write_rss(
    out_dir: &Path,
    channel: &FeedChannel<'_>,
    items: &[FeedItem],
) -> io::Result<OutputFile> {
    let _ = (out_dir, channel, items);
    todo!()
}

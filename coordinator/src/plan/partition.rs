//! Shard assignment: which shard (the unit of caching, invalidation and reporting) each
//! page belongs to.
//!
//! Strategies combine: `--shard-versions` (one dimension per doc version),
//! `--shard-autodoc` (autodoc / content / generated) and `--shard-sections` (the top-level
//! section of the page's URL). A section far larger than [`SECTION_SHARD_PAGES`] is split
//! into a power-of-two number of sub-shards by a stable hash of the page id. Without any of
//! them, pages are spread over [`HASH_SHARDS`] shards by a stable hash of their id.
//! `--no-shard` puts everything in one shard.
//!
//! A page's shard depends only on its own id, kind, URL and version and on the size of its
//! own section, so adding pages elsewhere never moves it.

use super::PlannedPage;
use protocol::{PageKind, ShardId};
use std::collections::HashMap;

/// Shards of the default hash strategy.
pub const HASH_SHARDS: u64 = 16;

/// A section with more pages than this is split into sub-shards of about this size.
pub const SECTION_SHARD_PAGES: usize = 1000;

/// How pages are partitioned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShardStrategy {
    /// One shard for everything (`--no-shard`, which also picks the inline executor).
    pub one_shard: bool,
    /// Split by page kind (`--shard-autodoc`).
    pub by_kind: bool,
    /// Split by doc version (`--shard-versions`).
    pub by_version: bool,
    /// Split by top-level section (`--shard-sections`).
    pub by_section: bool,
}

fn stable_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// The first segment of a URL path after the version prefix (`/v1/guide/x/` → `guide`),
/// or `root` for the home page and single-file pages.
fn section_of(url: &str, version_prefix: &str) -> String {
    let path = url.strip_prefix(version_prefix).unwrap_or(url);
    let path = path.trim_start_matches('/');
    match path.split_once('/') {
        Some((first, _)) if !first.is_empty() => first.to_string(),
        _ => "root".to_string(),
    }
}

/// Assigns a shard to every page, in plan order.
pub fn assign(
    pages: &[PlannedPage],
    version_labels: &[(String, String)],
    strategy: ShardStrategy,
) -> Vec<ShardId> {
    if strategy.one_shard {
        return vec![ShardId("all".into()); pages.len()];
    }
    if !(strategy.by_kind || strategy.by_version || strategy.by_section) {
        return pages
            .iter()
            .map(|page| {
                ShardId(format!(
                    "hash-{:02}",
                    stable_hash(page.id.as_str()) % HASH_SHARDS
                ))
            })
            .collect();
    }
    let version_of = |page: &PlannedPage| -> (&str, &str) {
        match page
            .meta
            .version
            .and_then(|v| version_labels.get(v as usize))
        {
            Some((id, prefix)) => (id.as_str(), prefix.as_str()),
            None => ("unversioned", ""),
        }
    };
    let base_keys: Vec<Vec<String>> = pages
        .iter()
        .map(|page| {
            let mut parts = Vec::new();
            let (version_id, prefix) = version_of(page);
            if strategy.by_version {
                parts.push(version_id.to_string());
            }
            if strategy.by_kind {
                parts.push(
                    match page.kind {
                        PageKind::Content => "content",
                        PageKind::Autodoc => "autodoc",
                        PageKind::Generated => "generated",
                    }
                    .to_string(),
                );
            }
            if strategy.by_section {
                parts.push(section_of(&page.url, prefix));
            }
            parts
        })
        .collect();
    if !strategy.by_section {
        return base_keys
            .into_iter()
            .map(|parts| ShardId(parts.join("/")))
            .collect();
    }
    // Rebalance: split sections far larger than the target size.
    let mut sizes: HashMap<&[String], usize> = HashMap::new();
    for key in &base_keys {
        *sizes.entry(key.as_slice()).or_default() += 1;
    }
    pages
        .iter()
        .zip(&base_keys)
        .map(|(page, parts)| {
            let size = sizes[parts.as_slice()];
            let joined = parts.join("/");
            if size > SECTION_SHARD_PAGES {
                let buckets = size.div_ceil(SECTION_SHARD_PAGES).next_power_of_two() as u64;
                ShardId(format!(
                    "{joined}.{}",
                    stable_hash(page.id.as_str()) % buckets
                ))
            } else {
                ShardId(joined)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::PageSource;
    use protocol::{NavPosition, NavSectionIdx, PageId, PageMeta};

    fn page(id: &str, kind: PageKind, url: &str) -> PlannedPage {
        PlannedPage {
            id: PageId(id.into()),
            kind,
            url: url.into(),
            template: "page.html".into(),
            meta: PageMeta::default(),
            source: PageSource::Listing,
            listing: None,
            nav: NavPosition {
                section: NavSectionIdx(0),
                page: None,
            },
            top_section: Default::default(),
        }
    }

    fn ids(shards: &[ShardId]) -> Vec<&str> {
        shards.iter().map(|s| s.0.as_str()).collect()
    }

    #[test]
    fn strategies_combine() {
        let pages = vec![
            page("content/guide/a.md", PageKind::Content, "/guide/a/"),
            page("autodoc:pkg.mod", PageKind::Autodoc, "/api/pkg/mod/"),
            page("generated:/tags/", PageKind::Generated, "/tags/"),
            page("content/_index.md", PageKind::Content, "/"),
        ];
        let by_kind = ShardStrategy {
            by_kind: true,
            ..Default::default()
        };
        assert_eq!(
            ids(&assign(&pages, &[], by_kind)),
            ["content", "autodoc", "generated", "content"]
        );
        let both = ShardStrategy {
            by_kind: true,
            by_section: true,
            ..Default::default()
        };
        assert_eq!(
            ids(&assign(&pages, &[], both)),
            [
                "content/guide",
                "autodoc/api",
                "generated/tags",
                "content/root"
            ]
        );
        let single = ShardStrategy {
            one_shard: true,
            ..Default::default()
        };
        assert_eq!(ids(&assign(&pages, &[], single)), ["all"; 4]);
        let hashed = assign(&pages, &[], ShardStrategy::default());
        assert!(hashed.iter().all(|s| s.0.starts_with("hash-")));
    }

    #[test]
    fn versions_are_a_dimension_and_their_prefix_is_not_a_section() {
        let mut versioned = page(
            "content/_versions/v1/guide/a.md",
            PageKind::Content,
            "/v1/guide/a/",
        );
        versioned.meta.version = Some(0);
        let labels = vec![("v1".to_string(), "/v1".to_string())];
        let strategy = ShardStrategy {
            by_version: true,
            by_section: true,
            ..Default::default()
        };
        assert_eq!(ids(&assign(&[versioned], &labels, strategy)), ["v1/guide"]);
    }

    #[test]
    fn a_huge_section_is_split_and_assignment_is_stable() {
        let mut pages: Vec<PlannedPage> = (0..2500)
            .map(|i| {
                page(
                    &format!("content/blog/p{i}.md"),
                    PageKind::Content,
                    &format!("/blog/p{i}/"),
                )
            })
            .collect();
        pages.push(page("content/guide/a.md", PageKind::Content, "/guide/a/"));
        let strategy = ShardStrategy {
            by_section: true,
            ..Default::default()
        };
        let before = assign(&pages, &[], strategy);
        let blog_shards: std::collections::BTreeSet<&str> =
            before[..2500].iter().map(|s| s.0.as_str()).collect();
        assert_eq!(
            blog_shards,
            ["blog.0", "blog.1", "blog.2", "blog.3"]
                .into_iter()
                .collect()
        );
        assert_eq!(before[2500].0, "guide");

        // Unrelated pages elsewhere move nothing.
        for i in 0..50 {
            pages.push(page(
                &format!("content/guide/n{i}.md"),
                PageKind::Content,
                &format!("/guide/n{i}/"),
            ));
        }
        let after = assign(&pages, &[], strategy);
        assert_eq!(&after[..2501], &before[..]);
        let hashed_before = assign(&pages[..2501], &[], ShardStrategy::default());
        let hashed_after = assign(&pages, &[], ShardStrategy::default());
        assert_eq!(&hashed_after[..2501], &hashed_before[..]);
    }
}

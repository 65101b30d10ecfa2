//! The nav tree's two lookups a page makes: a page by its source path (relative `.md`
//! links) and by its version key (the version switcher). Both are tables of page indices
//! into the [`NavTree`], hashed by their key and compared against the tree on lookup, so a
//! worker holds no copy of every page's source path and key. The coordinator's plan
//! answers "where does this `.md` link lead now" for the cache with the same table
//! (`coordinator::plan::BuildPlan::resolve_source`).
//!
//! As the maps they replace, a key shared by two pages finds the last of them.

use crate::id_table::{Duplicates, IdTable, KeyHasher};
use protocol::{NavPage, NavPageIdx, NavTree};

/// Page indices of the nav tree by (version, source path) and (version, version key).
#[derive(Debug, Default)]
pub struct NavLookups {
    by_source: IdTable,
    by_version_key: IdTable,
}

/// The hash of a key made of a page's version and a path.
fn hash_key(version: Option<u16>, path: &str) -> u64 {
    KeyHasher::default()
        .number(version.map_or(u64::MAX, u64::from))
        .str(path)
        .finish()
}

/// The version of `page` (its section's).
fn version_of(nav: &NavTree, page: &NavPage) -> Option<u16> {
    nav.section(page.section).version
}

/// The page numbered `index`.
fn page_at(nav: &NavTree, index: u32) -> &NavPage {
    nav.page(NavPageIdx(index))
}

/// True when page `index` has source path `source` in `version`.
fn has_source(nav: &NavTree, index: u32, version: Option<u16>, source: &str) -> bool {
    let page = page_at(nav, index);
    page.source.as_deref() == Some(source) && version_of(nav, page) == version
}

/// True when page `index` has version key `key` in `version`.
fn has_version_key(nav: &NavTree, index: u32, version: u16, key: &str) -> bool {
    let page = page_at(nav, index);
    page.version_key.as_deref() == Some(key) && version_of(nav, page) == Some(version)
}

impl NavLookups {
    /// Indexes the pages of `nav`.
    pub fn new(nav: &NavTree) -> NavLookups {
        let mut by_source = IdTable::with_capacity(nav.pages.len());
        let mut by_version_key = IdTable::default();
        for (position, page) in nav.pages.iter().enumerate() {
            let index = u32::try_from(position).expect("a nav tree holds fewer than 2^32 pages");
            let version = version_of(nav, page);
            if let Some(source) = &page.source {
                by_source.insert(
                    hash_key(version, source),
                    index,
                    Duplicates::KeepLast,
                    |other| has_source(nav, other, version, source),
                    |other| {
                        let page = page_at(nav, other);
                        hash_key(version_of(nav, page), page.source.as_deref().unwrap_or(""))
                    },
                );
            }
            if let (Some(version), Some(key)) = (version, &page.version_key) {
                by_version_key.insert(
                    hash_key(Some(version), key),
                    index,
                    Duplicates::KeepLast,
                    |other| has_version_key(nav, other, version, key),
                    |other| {
                        let page = page_at(nav, other);
                        hash_key(
                            version_of(nav, page),
                            page.version_key.as_deref().unwrap_or(""),
                        )
                    },
                );
            }
        }
        NavLookups {
            by_source,
            by_version_key,
        }
    }

    /// The page of `nav` (the tree indexed) with site-relative source path `source` in
    /// `version`.
    pub fn page_by_source(
        &self,
        nav: &NavTree,
        version: Option<u16>,
        source: &str,
    ) -> Option<NavPageIdx> {
        self.by_source
            .find(hash_key(version, source), |index| {
                has_source(nav, index, version, source)
            })
            .map(NavPageIdx)
    }

    /// The page of `nav` (the tree indexed) with version key `key` in `version`, for
    /// [`NavTree::slice`]'s version switcher.
    pub(crate) fn page_by_version_key(
        &self,
        nav: &NavTree,
        version: u16,
        key: &str,
    ) -> Option<NavPageIdx> {
        self.by_version_key
            .find(hash_key(Some(version), key), |index| {
                has_version_key(nav, index, version, key)
            })
            .map(NavPageIdx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{NavSection, NavSectionIdx, PageKind};

    fn section(version: Option<u16>) -> NavSection {
        NavSection {
            title: String::new(),
            url: "/".into(),
            parent: None,
            subsections: vec![],
            pages: vec![],
            index_page: None,
            version,
        }
    }

    fn page(section: u32, source: Option<&str>, key: Option<&str>) -> NavPage {
        NavPage {
            title: String::new(),
            url: format!("/{}/", source.unwrap_or("generated")),
            source: source.map(str::to_string),
            section: NavSectionIdx(section),
            kind: PageKind::Content,
            version_key: key.map(str::to_string),
        }
    }

    #[test]
    fn pages_are_found_as_the_maps_did_the_last_of_a_key_winning() {
        let nav = NavTree {
            sections: vec![section(None), section(Some(0)), section(Some(1))],
            pages: vec![
                page(0, Some("a.md"), None),
                page(1, Some("v/a.md"), Some("a.md")),
                page(2, Some("w/a.md"), Some("a.md")),
                page(0, None, None),
                // The same source path twice in one version: the last page is found.
                page(0, Some("a.md"), None),
                page(1, Some("v/b.md"), Some("b.md")),
                page(1, Some("v/b2.md"), Some("b.md")),
            ],
            roots: vec![NavSectionIdx(0)],
        };
        let lookups = NavLookups::new(&nav);
        let mut expected_sources = std::collections::HashMap::new();
        for (index, page) in nav.pages.iter().enumerate() {
            if let Some(source) = &page.source {
                let version = nav.section(page.section).version;
                expected_sources.insert((version, source.clone()), NavPageIdx(index as u32));
            }
        }
        for version in [None, Some(0), Some(1), Some(2)] {
            for source in ["a.md", "v/a.md", "w/a.md", "v/b.md", "v/b2.md", "x.md", ""] {
                assert_eq!(
                    lookups.page_by_source(&nav, version, source),
                    expected_sources
                        .get(&(version, source.to_string()))
                        .copied(),
                    "{version:?} {source}"
                );
            }
        }
        assert_eq!(
            lookups.page_by_source(&nav, None, "a.md"),
            Some(NavPageIdx(4))
        );
        let expected_keys = nav.version_index();
        for version in 0..3 {
            for key in ["a.md", "b.md", "c.md"] {
                assert_eq!(
                    lookups.page_by_version_key(&nav, version, key),
                    expected_keys.get(&(version, key.to_string())).copied(),
                    "{version} {key}"
                );
            }
        }
        assert_eq!(
            lookups.page_by_version_key(&nav, 0, "b.md"),
            Some(NavPageIdx(6))
        );
    }
}

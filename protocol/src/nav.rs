//! The navigation tree and the slice of it one page shows.
//!
//! The coordinator builds the [`NavTree`] once per build from paths and front matter only;
//! it is then sent once to every worker. A page never renders the whole tree: it renders a
//! [`NavSlice`] (breadcrumbs, a sidebar windowed around the page, prev/next, version links),
//! whose size does not grow with the number of pages in the site. Both sides compute slices
//! with [`NavTree::slice`], so the coordinator can fingerprint exactly what a worker shows.

use crate::ids::PageKind;
use serde::{Deserialize, Serialize};

/// Index of a section in [`NavTree::sections`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NavSectionIdx(pub u32);

/// Index of a page in [`NavTree::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NavPageIdx(pub u32);

/// Most entries the sidebar lists at one level before it links to the section for the rest.
pub const SIDEBAR_WINDOW: usize = 41;

/// Sections and pages of the whole site, in display order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NavTree {
    /// All sections; each version has its own root.
    pub sections: Vec<NavSection>,
    /// All pages that appear in navigation (content and autodoc pages).
    pub pages: Vec<NavPage>,
    /// Root section of each version, indexed like [`crate::SiteMeta::versions`]; a site
    /// without versions has exactly one root.
    pub roots: Vec<NavSectionIdx>,
}

/// A section: a folder of content, or a Python package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NavSection {
    /// Display title (the `_index.md` title, else the folder name).
    pub title: String,
    /// URL path of the section page.
    pub url: String,
    /// Parent section; `None` for a root.
    pub parent: Option<NavSectionIdx>,
    /// Subsections, ordered by weight, then title.
    pub subsections: Vec<NavSectionIdx>,
    /// Pages, ordered by weight, then title; excludes the section's own index page.
    pub pages: Vec<NavPageIdx>,
    /// The section's own page (`_index.md`, a package's `__init__.py`), if it has one.
    pub index_page: Option<NavPageIdx>,
    /// Index into [`crate::SiteMeta::versions`].
    pub version: Option<u16>,
}

/// A page as navigation sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NavPage {
    /// Display title.
    pub title: String,
    /// URL path.
    pub url: String,
    /// Source path relative to the site root; relative links between markdown files resolve
    /// through it.
    pub source: Option<String>,
    /// The section the page belongs to (for an index page, the section it is the index of).
    pub section: NavSectionIdx,
    /// What produced the page.
    pub kind: PageKind,
    /// Path relative to its version's content root (`guide/install.md`), used to find the
    /// same page in other versions. `None` for unversioned sites.
    pub version_key: Option<String>,
}

/// Where a page sits in the [`crate::NavTree`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NavPosition {
    /// The section whose sidebar the page shows (its parent section, or for a section index
    /// page the section itself).
    pub section: NavSectionIdx,
    /// The page's own entry in the tree, if it has one (generated pages other than a
    /// section's index have none).
    pub page: Option<NavPageIdx>,
}

/// A titled link.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NavLink {
    /// Link text.
    pub title: String,
    /// URL path.
    pub url: String,
}

/// One line of the sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SidebarItem {
    /// Link text.
    pub title: String,
    /// URL path.
    pub url: String,
    /// Nesting depth, 0 for top-level entries.
    pub depth: u16,
    /// What the entry is.
    pub kind: SidebarItemKind,
    /// True for the page being rendered.
    pub active: bool,
    /// True for sections on the path to the page being rendered (shown expanded).
    pub open: bool,
}

/// Kind of a [`SidebarItem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SidebarItemKind {
    /// A section; open when it contains the page.
    Section,
    /// A page.
    Page,
    /// "N more": the level has more entries than the sidebar shows; links to the section.
    More {
        /// How many entries are not shown.
        hidden: u32,
    },
}

/// A link to the same page in another version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VersionLink {
    /// Version label.
    pub label: String,
    /// The same page in that version if it exists, else that version's root.
    pub url: String,
    /// True for the version being rendered.
    pub current: bool,
    /// True when `url` is the same page (not the version root).
    pub exact: bool,
}

/// What one page shows of the nav tree. Bounded in size whatever the size of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NavSlice {
    /// From the site root down to the page's parent.
    pub breadcrumbs: Vec<NavLink>,
    /// Flattened sidebar: top-level sections, the path to the page expanded, the page's
    /// section windowed around the page.
    pub sidebar: Vec<SidebarItem>,
    /// Previous page in the section.
    pub prev: Option<NavLink>,
    /// Next page in the section.
    pub next: Option<NavLink>,
    /// Version switcher entries (empty for unversioned sites).
    pub versions: Vec<VersionLink>,
}

impl NavTree {
    /// A section by index. Panics on an index from another tree (an internal bug).
    pub fn section(&self, idx: NavSectionIdx) -> &NavSection {
        &self.sections[idx.0 as usize]
    }

    /// A page by index. Panics on an index from another tree (an internal bug).
    pub fn page(&self, idx: NavPageIdx) -> &NavPage {
        &self.pages[idx.0 as usize]
    }

    /// Ancestors of `section`, root first, `section` last.
    pub fn section_chain(&self, section: NavSectionIdx) -> Vec<NavSectionIdx> {
        let mut chain = vec![section];
        let mut cursor = self.section(section).parent;
        while let Some(parent) = cursor {
            chain.push(parent);
            cursor = self.section(parent).parent;
        }
        chain.reverse();
        chain
    }

    fn link_to_section(&self, idx: NavSectionIdx) -> NavLink {
        let section = self.section(idx);
        NavLink {
            title: section.title.clone(),
            url: section.url.clone(),
        }
    }

    fn link_to_page(&self, idx: NavPageIdx) -> NavLink {
        let page = self.page(idx);
        NavLink {
            title: page.title.clone(),
            url: page.url.clone(),
        }
    }

    /// The slice of the tree the page at `position` shows.
    ///
    /// `same_page_in_version` finds the page with a given `version_key` in another version
    /// (see [`NavTree::version_index`]); pass a closure returning `None` for unversioned sites.
    pub fn slice(
        &self,
        position: NavPosition,
        same_page_in_version: &dyn Fn(u16, &str) -> Option<NavPageIdx>,
    ) -> NavSlice {
        let chain = self.section_chain(position.section);
        let is_index_of_section =
            position.page.is_some() && self.section(position.section).index_page == position.page;

        // Breadcrumbs: every ancestor section; a section's own index page stops at its parent.
        let crumb_sections = if is_index_of_section || position.page.is_none() {
            &chain[..chain.len().saturating_sub(1)]
        } else {
            &chain[..]
        };
        let breadcrumbs = crumb_sections
            .iter()
            .map(|&s| self.link_to_section(s))
            .collect();

        let mut sidebar = Vec::new();
        let root = chain[0];
        self.push_level(root, &chain, 1, position.page, 0, &mut sidebar);

        let (prev, next) = match position.page {
            Some(page) if !is_index_of_section => {
                let pages = &self.section(position.section).pages;
                match pages.iter().position(|&p| p == page) {
                    Some(at) => (
                        at.checked_sub(1).map(|i| self.link_to_page(pages[i])),
                        pages.get(at + 1).map(|&p| self.link_to_page(p)),
                    ),
                    None => (None, None),
                }
            }
            _ => (None, None),
        };

        let versions = self.version_links(position, same_page_in_version);
        NavSlice {
            breadcrumbs,
            sidebar,
            prev,
            next,
            versions,
        }
    }

    /// Pushes the entries of `section` (its subsections, then its pages) at `depth`,
    /// expanding the subsection that lies on `chain` and windowing long levels.
    fn push_level(
        &self,
        section_idx: NavSectionIdx,
        chain: &[NavSectionIdx],
        chain_pos: usize,
        active_page: Option<NavPageIdx>,
        depth: u16,
        out: &mut Vec<SidebarItem>,
    ) {
        let section = self.section(section_idx);
        let next_on_chain = chain.get(chain_pos).copied();

        let open_pos = next_on_chain.and_then(|s| section.subsections.iter().position(|&x| x == s));
        for window_item in window(section.subsections.len(), open_pos) {
            match window_item {
                WindowItem::Index(i) => {
                    let sub_idx = section.subsections[i];
                    let sub = self.section(sub_idx);
                    let open = Some(sub_idx) == next_on_chain;
                    out.push(SidebarItem {
                        title: sub.title.clone(),
                        url: sub.url.clone(),
                        depth,
                        kind: SidebarItemKind::Section,
                        active: open
                            && chain_pos + 1 == chain.len()
                            && active_page.is_some()
                            && sub.index_page == active_page,
                        open,
                    });
                    if open {
                        self.push_level(sub_idx, chain, chain_pos + 1, active_page, depth + 1, out);
                    }
                }
                WindowItem::More(hidden) => out.push(more_item(section, depth, hidden)),
            }
        }

        // Pages are listed only for sections on the path to the page (bounded by the window).
        let on_chain = chain.contains(&section_idx);
        if !on_chain {
            return;
        }
        let active_pos = active_page.and_then(|p| section.pages.iter().position(|&x| x == p));
        for window_item in window(section.pages.len(), active_pos) {
            match window_item {
                WindowItem::Index(i) => {
                    let page_idx = section.pages[i];
                    let page = self.page(page_idx);
                    out.push(SidebarItem {
                        title: page.title.clone(),
                        url: page.url.clone(),
                        depth,
                        kind: SidebarItemKind::Page,
                        active: Some(page_idx) == active_page,
                        open: false,
                    });
                }
                WindowItem::More(hidden) => out.push(more_item(section, depth, hidden)),
            }
        }
    }

    fn version_links(
        &self,
        position: NavPosition,
        same_page_in_version: &dyn Fn(u16, &str) -> Option<NavPageIdx>,
    ) -> Vec<VersionLink> {
        if self.roots.len() < 2 {
            return Vec::new();
        }
        let current_version = self.section(position.section).version;
        let key = position.page.and_then(|p| self.page(p).version_key.clone());
        self.roots
            .iter()
            .enumerate()
            .map(|(version_idx, &root)| {
                let version_idx = version_idx as u16;
                let root_section = self.section(root);
                let found = key
                    .as_deref()
                    .and_then(|k| same_page_in_version(version_idx, k));
                VersionLink {
                    label: root_section.title.clone(),
                    url: found
                        .map_or_else(|| root_section.url.clone(), |p| self.page(p).url.clone()),
                    current: current_version == Some(version_idx),
                    exact: found.is_some(),
                }
            })
            .collect()
    }

    /// Map from (version, version_key) to page, for [`NavTree::slice`]'s version switcher.
    pub fn version_index(&self) -> std::collections::HashMap<(u16, String), NavPageIdx> {
        let mut index = std::collections::HashMap::new();
        for (i, page) in self.pages.iter().enumerate() {
            if let (Some(version), Some(key)) =
                (self.section(page.section).version, &page.version_key)
            {
                index.insert((version, key.clone()), NavPageIdx(i as u32));
            }
        }
        index
    }
}

/// The versions to try, in order, when a page of `version` links to a source path: its own
/// version first, then the latest (where unversioned pages and API docs live), then none.
/// Workers (rewriting links) and the coordinator (checking cached links) must agree.
pub fn source_lookup_order(version: Option<u16>) -> [Option<u16>; 3] {
    [version, Some(0), None]
}

fn more_item(section: &NavSection, depth: u16, hidden: u32) -> SidebarItem {
    SidebarItem {
        title: format!("{hidden} more"),
        url: section.url.clone(),
        depth,
        kind: SidebarItemKind::More { hidden },
        active: false,
        open: false,
    }
}

#[derive(Debug, PartialEq)]
enum WindowItem {
    Index(usize),
    More(u32),
}

/// The items of a level of `len` entries to show: all when it fits in [`SIDEBAR_WINDOW`],
/// else a window centred on `focus` (or the start) with "more" markers for what is cut.
fn window(len: usize, focus: Option<usize>) -> Vec<WindowItem> {
    if len <= SIDEBAR_WINDOW {
        return (0..len).map(WindowItem::Index).collect();
    }
    let half = SIDEBAR_WINDOW / 2;
    let focus = focus.unwrap_or(0);
    let start = focus.saturating_sub(half).min(len - SIDEBAR_WINDOW);
    let end = start + SIDEBAR_WINDOW;
    let mut items = Vec::with_capacity(SIDEBAR_WINDOW + 2);
    if start > 0 {
        items.push(WindowItem::More(start as u32));
    }
    items.extend((start..end).map(WindowItem::Index));
    if end < len {
        items.push(WindowItem::More((len - end) as u32));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(title: &str, url: &str, parent: Option<u32>) -> NavSection {
        NavSection {
            title: title.into(),
            url: url.into(),
            parent: parent.map(NavSectionIdx),
            subsections: vec![],
            pages: vec![],
            index_page: None,
            version: None,
        }
    }

    fn page(title: &str, url: &str, section: u32) -> NavPage {
        NavPage {
            title: title.into(),
            url: url.into(),
            source: None,
            section: NavSectionIdx(section),
            kind: PageKind::Content,
            version_key: None,
        }
    }

    /// root / guide (3 pages) / guide/advanced (1 page); root / api
    fn tree() -> NavTree {
        let mut root = section("Home", "/", None);
        let mut guide = section("Guide", "/guide/", Some(0));
        let mut advanced = section("Advanced", "/guide/advanced/", Some(1));
        let api = section("API", "/api/", Some(0));
        root.subsections = vec![NavSectionIdx(1), NavSectionIdx(3)];
        guide.subsections = vec![NavSectionIdx(2)];
        guide.pages = vec![NavPageIdx(0), NavPageIdx(1), NavPageIdx(2)];
        advanced.pages = vec![NavPageIdx(3)];
        NavTree {
            sections: vec![root, guide, advanced, api],
            pages: vec![
                page("Install", "/guide/install/", 1),
                page("Configure", "/guide/configure/", 1),
                page("Deploy", "/guide/deploy/", 1),
                page("Tuning", "/guide/advanced/tuning/", 2),
            ],
            roots: vec![NavSectionIdx(0)],
        }
    }

    fn no_versions(_: u16, _: &str) -> Option<NavPageIdx> {
        None
    }

    #[test]
    fn slice_of_middle_page_has_prev_next_and_breadcrumbs() {
        let tree = tree();
        let slice = tree.slice(
            NavPosition {
                section: NavSectionIdx(1),
                page: Some(NavPageIdx(1)),
            },
            &no_versions,
        );
        let crumbs: Vec<_> = slice.breadcrumbs.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(crumbs, ["/", "/guide/"]);
        assert_eq!(
            slice.prev.map(|l| l.url),
            Some("/guide/install/".to_string())
        );
        assert_eq!(
            slice.next.map(|l| l.url),
            Some("/guide/deploy/".to_string())
        );
        let lines: Vec<_> = slice
            .sidebar
            .iter()
            .map(|i| {
                format!(
                    "{}{}{}",
                    "  ".repeat(i.depth as usize),
                    i.title,
                    if i.active { "*" } else { "" }
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                "Guide",
                "  Advanced",
                "  Install",
                "  Configure*",
                "  Deploy",
                "API"
            ]
        );
    }

    #[test]
    fn sidebar_of_unrelated_section_does_not_list_other_pages() {
        let tree = tree();
        let slice = tree.slice(
            NavPosition {
                section: NavSectionIdx(3),
                page: None,
            },
            &no_versions,
        );
        let titles: Vec<_> = slice.sidebar.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["Guide", "API"]);
        assert!(slice.sidebar[1].open);
        assert_eq!(slice.breadcrumbs.len(), 1);
    }

    #[test]
    fn window_keeps_the_focus_and_counts_what_is_hidden() {
        assert_eq!(window(3, None).len(), 3);
        let items = window(1000, Some(500));
        assert_eq!(items.len(), SIDEBAR_WINDOW + 2);
        assert!(items.contains(&WindowItem::Index(500)));
        let hidden: u32 = items
            .iter()
            .map(|i| if let WindowItem::More(n) = i { *n } else { 0 })
            .sum();
        assert_eq!(hidden as usize + SIDEBAR_WINDOW, 1000);
        let at_end = window(1000, Some(999));
        assert_eq!(at_end.last(), Some(&WindowItem::Index(999)));
    }

    #[test]
    fn sidebar_size_does_not_grow_with_section_size() {
        let mut tree = tree();
        for i in 0..10_000u32 {
            tree.pages
                .push(page(&format!("P{i}"), &format!("/guide/p{i}/"), 1));
            tree.sections[1].pages.push(NavPageIdx(4 + i));
        }
        let slice = tree.slice(
            NavPosition {
                section: NavSectionIdx(1),
                page: Some(NavPageIdx(5000)),
            },
            &no_versions,
        );
        assert!(
            slice.sidebar.len() <= SIDEBAR_WINDOW + 6,
            "{}",
            slice.sidebar.len()
        );
        assert!(slice.sidebar.iter().any(|i| i.active));
    }
}

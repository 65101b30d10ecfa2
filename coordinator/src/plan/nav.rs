//! Building the [`NavTree`] from paths and front matter only.
//!
//! Content folders become sections (`_index.md` gives a section its page, title and weight);
//! each autodoc package becomes a section under its URL prefix, with the package's
//! `__init__` module as its page and subpackages as subsections. Sections and pages are
//! ordered by weight, then title, then URL, so the order never depends on discovery.

use super::urls::{folder_url, module_url, url_segment};
use protocol::{
    NavPage, NavPageIdx, NavPosition, NavSection, NavSectionIdx, NavTree, PageKind, VersionInfo,
};
use std::collections::HashMap;

/// Where a page goes in the tree.
#[derive(Debug, Clone)]
pub enum Placement {
    /// A markdown page in content folder `dir` (`guide/advanced`, `` for the root).
    ContentPage {
        /// Its folder relative to the content directory.
        dir: String,
    },
    /// The `_index.md` of content folder `dir`.
    ContentIndex {
        /// The folder it is the page of.
        dir: String,
    },
    /// A Python module.
    Module {
        /// URL prefix of its package (`/api/`).
        prefix: String,
        /// Dotted module name.
        name: String,
        /// True for a package's `__init__`.
        is_package: bool,
    },
    /// A page of a reference source other than Python (an OpenAPI description): in the
    /// innermost of a chain of sections, each `(title, URL)`, the first a top-level section
    /// (after the guides), each next one inside the one before.
    Reference {
        /// The sections, outermost first; never empty.
        sections: Vec<(String, String)>,
        /// True when the page is the innermost section's own page.
        index: bool,
    },
}

/// One page to place.
#[derive(Debug, Clone)]
pub struct NavEntry {
    /// Title shown in navigation.
    pub title: String,
    /// URL path.
    pub url: String,
    /// Site-relative source path.
    pub source: Option<String>,
    /// Page kind.
    pub kind: PageKind,
    /// Ordering weight.
    pub weight: i64,
    /// Where it goes.
    pub placement: Placement,
    /// Version of versioned docs the page belongs to (its tree has that version's root).
    pub version: Option<u16>,
    /// Path inside its version (`guide/install.md`), to find the same page in other
    /// versions.
    pub version_key: Option<String>,
}

/// The tree and where each entry landed.
#[derive(Debug)]
pub struct BuiltNav {
    /// The tree.
    pub tree: NavTree,
    /// Position of each entry, in input order.
    pub positions: Vec<NavPosition>,
    /// Nav page index of each entry, in input order.
    pub page_of_entry: Vec<NavPageIdx>,
}

struct Builder {
    tree: NavTree,
    keys: HashMap<String, NavSectionIdx>,
    weights: Vec<i64>,
    page_weights: Vec<i64>,
    /// URL prefix of each version.
    prefixes: Vec<String>,
    /// URL prefix of an unversioned site's content (a Docusaurus `routeBasePath`).
    content_prefix: String,
    /// Titles and weights of content folders without an `_index.md`.
    folders: FolderSettings,
}

/// Title and weight of content folders that have no `_index.md` to give them (Docusaurus'
/// `_category_.json`), by version and folder (`guide/advanced`).
pub type FolderSettings = HashMap<(Option<u16>, String), (String, i64)>;

/// The part of a section key that names its version.
fn version_key(version: Option<u16>) -> String {
    version.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// "getting_started" → "Getting started".
fn humanize(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

impl Builder {
    /// A builder with one root per version (the latest first), or a single root titled
    /// `site_title` for an unversioned site.
    fn new(
        site_title: &str,
        content_prefix: &str,
        versions: &[VersionInfo],
        folders: FolderSettings,
    ) -> Builder {
        let roots: Vec<(String, String, Option<u16>)> = if versions.is_empty() {
            vec![(site_title.to_string(), format!("{content_prefix}/"), None)]
        } else {
            versions
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    (
                        v.label.clone(),
                        format!("{}/", v.url_prefix),
                        Some(i as u16),
                    )
                })
                .collect()
        };
        let mut builder = Builder {
            tree: NavTree::default(),
            keys: HashMap::new(),
            weights: Vec::new(),
            page_weights: Vec::new(),
            prefixes: versions.iter().map(|v| v.url_prefix.clone()).collect(),
            content_prefix: content_prefix.to_string(),
            folders,
        };
        for (title, url, version) in roots {
            let idx = NavSectionIdx(builder.tree.sections.len() as u32);
            builder.tree.sections.push(NavSection {
                title,
                url,
                parent: None,
                subsections: Vec::new(),
                pages: Vec::new(),
                index_page: None,
                version,
            });
            builder.tree.roots.push(idx);
            builder.weights.push(0);
            builder
                .keys
                .insert(format!("c:{}:", version_key(version)), idx);
        }
        builder
    }

    fn add_section(
        &mut self,
        key: String,
        parent: NavSectionIdx,
        title: String,
        url: String,
    ) -> NavSectionIdx {
        let idx = NavSectionIdx(self.tree.sections.len() as u32);
        self.tree.sections.push(NavSection {
            title,
            url,
            parent: Some(parent),
            subsections: Vec::new(),
            pages: Vec::new(),
            index_page: None,
            version: self.tree.sections[parent.0 as usize].version,
        });
        self.tree.sections[parent.0 as usize].subsections.push(idx);
        self.weights.push(0);
        self.keys.insert(key, idx);
        idx
    }

    fn content_section(&mut self, version: Option<u16>, dir: &str) -> NavSectionIdx {
        let key = format!("c:{}:{dir}", version_key(version));
        if let Some(&idx) = self.keys.get(&key) {
            return idx;
        }
        if dir.is_empty() {
            // A version without a root of its own cannot happen (roots are made up front);
            // fall back to the first root rather than panic.
            return NavSectionIdx(0);
        }
        let (parent_dir, name) = dir.rsplit_once('/').unwrap_or(("", dir));
        let parent = self.content_section(version, parent_dir);
        let segments: Vec<String> = dir.split('/').map(url_segment).collect();
        let prefix = match version {
            Some(v) => self.prefixes.get(v as usize).cloned().unwrap_or_default(),
            None => self.content_prefix.clone(),
        };
        let (title, weight) = self
            .folders
            .get(&(version, dir.to_string()))
            .cloned()
            .unwrap_or_else(|| (humanize(name), 0));
        let idx = self.add_section(
            key,
            parent,
            title,
            format!("{prefix}{}", folder_url(&segments)),
        );
        self.weights[idx.0 as usize] = weight;
        idx
    }

    fn api_section(&mut self, prefix: &str) -> NavSectionIdx {
        if prefix == "/" {
            return NavSectionIdx(0);
        }
        if let Some(&idx) = self.keys.get(&format!("api:{prefix}")) {
            return idx;
        }
        // A content section at the same URL (content/api/_index.md) hosts the packages.
        if let Some(found) = self.tree.sections.iter().position(|s| s.url == prefix) {
            let idx = NavSectionIdx(found as u32);
            self.keys.insert(format!("api:{prefix}"), idx);
            return idx;
        }
        let idx = self.add_section(
            format!("api:{prefix}"),
            NavSectionIdx(0),
            "API reference".into(),
            prefix.to_string(),
        );
        // Reference material goes after the guides unless a content page says otherwise.
        self.weights[idx.0 as usize] = i64::MAX;
        idx
    }

    fn package_section(&mut self, prefix: &str, package: &str) -> NavSectionIdx {
        let key = format!("py:{prefix}|{package}");
        if let Some(&idx) = self.keys.get(&key) {
            return idx;
        }
        let parent = match package.rsplit_once('.') {
            Some((parent, _)) => self.package_section(prefix, parent),
            None => self.api_section(prefix),
        };
        let short = package.rsplit('.').next().unwrap_or(package).to_string();
        self.add_section(key, parent, short, module_url(prefix, package))
    }

    /// The innermost of a chain of reference sections (see [`Placement::Reference`]),
    /// adding those that do not exist yet.
    fn reference_section(&mut self, sections: &[(String, String)]) -> NavSectionIdx {
        let mut parent = NavSectionIdx(0);
        for (depth, (title, url)) in sections.iter().enumerate() {
            let key = format!("ref:{url}");
            if let Some(&idx) = self.keys.get(&key) {
                parent = idx;
                continue;
            }
            if depth == 0 {
                if url == "/" {
                    continue;
                }
                // A content section at the same URL hosts the description.
                if let Some(found) = self.tree.sections.iter().position(|s| &s.url == url) {
                    parent = NavSectionIdx(found as u32);
                    self.keys.insert(key, parent);
                    continue;
                }
            }
            let idx = self.add_section(key, parent, title.clone(), url.clone());
            if depth == 0 {
                // Reference material goes after the guides unless a content page says otherwise.
                self.weights[idx.0 as usize] = i64::MAX;
            }
            parent = idx;
        }
        parent
    }

    fn push_page(&mut self, entry: &NavEntry, section: NavSectionIdx) -> NavPageIdx {
        let idx = NavPageIdx(self.tree.pages.len() as u32);
        self.tree.pages.push(NavPage {
            title: entry.title.clone(),
            url: entry.url.clone(),
            source: entry.source.clone(),
            section,
            kind: entry.kind,
            version_key: entry.version_key.clone(),
        });
        self.page_weights.push(entry.weight);
        idx
    }

    fn place(&mut self, entry: &NavEntry) -> (NavPosition, NavPageIdx) {
        let (section, page) = match &entry.placement {
            Placement::ContentPage { dir } => {
                let section = self.content_section(entry.version, dir);
                let page = self.push_page(entry, section);
                self.tree.sections[section.0 as usize].pages.push(page);
                (section, page)
            }
            Placement::ContentIndex { dir } => {
                let section = self.content_section(entry.version, dir);
                let page = self.push_page(entry, section);
                let target = &mut self.tree.sections[section.0 as usize];
                target.index_page = Some(page);
                target.url = entry.url.clone();
                if !dir.is_empty() {
                    target.title = entry.title.clone();
                }
                self.weights[section.0 as usize] = entry.weight;
                (section, page)
            }
            Placement::Module {
                prefix,
                name,
                is_package: true,
            } => {
                let section = self.package_section(prefix, name);
                let page = self.push_page(entry, section);
                self.tree.sections[section.0 as usize].index_page = Some(page);
                (section, page)
            }
            Placement::Module {
                prefix,
                name,
                is_package: false,
            } => {
                let section = match name.rsplit_once('.') {
                    Some((package, _)) => self.package_section(prefix, package),
                    None => self.api_section(prefix),
                };
                let page = self.push_page(entry, section);
                self.tree.sections[section.0 as usize].pages.push(page);
                (section, page)
            }
            Placement::Reference { sections, index } => {
                let section = self.reference_section(sections);
                let page = self.push_page(entry, section);
                let target = &mut self.tree.sections[section.0 as usize];
                if *index && target.index_page.is_none() {
                    target.index_page = Some(page);
                } else {
                    target.pages.push(page);
                }
                (section, page)
            }
        };
        (
            NavPosition {
                section,
                page: Some(page),
            },
            page,
        )
    }

    fn sort(&mut self) {
        let tree = &mut self.tree;
        let page_keys: Vec<(i64, String, String)> = tree
            .pages
            .iter()
            .zip(&self.page_weights)
            .map(|(p, &w)| (w, p.title.to_lowercase(), p.url.clone()))
            .collect();
        let section_keys: Vec<(i64, String, String)> = tree
            .sections
            .iter()
            .zip(&self.weights)
            .map(|(s, &w)| (w, s.title.to_lowercase(), s.url.clone()))
            .collect();
        for section in &mut tree.sections {
            section
                .pages
                .sort_by(|a, b| page_keys[a.0 as usize].cmp(&page_keys[b.0 as usize]));
            section
                .subsections
                .sort_by(|a, b| section_keys[a.0 as usize].cmp(&section_keys[b.0 as usize]));
        }
    }
}

/// Builds the tree. Entries must already have unique URLs. An unversioned site's root
/// section is at `content_prefix` (`""`: the site root; a Docusaurus `routeBasePath`).
pub fn build(
    site_title: &str,
    content_prefix: &str,
    versions: &[VersionInfo],
    entries: &[NavEntry],
    folders: FolderSettings,
) -> BuiltNav {
    let mut builder = Builder::new(site_title, content_prefix, versions, folders);
    // Content first so that an autodoc prefix can attach to a content section at its URL.
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&i| {
        matches!(
            entries[i].placement,
            Placement::Module { .. } | Placement::Reference { .. }
        )
    });
    let mut positions = vec![
        NavPosition {
            section: NavSectionIdx(0),
            page: None
        };
        entries.len()
    ];
    let mut page_of_entry = vec![NavPageIdx(0); entries.len()];
    for i in order {
        let (position, page) = builder.place(&entries[i]);
        positions[i] = position;
        page_of_entry[i] = page;
    }
    builder.sort();
    BuiltNav {
        tree: builder.tree,
        positions,
        page_of_entry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(title: &str, url: &str, weight: i64, dir: &str, index: bool) -> NavEntry {
        NavEntry {
            title: title.into(),
            url: url.into(),
            source: None,
            kind: PageKind::Content,
            weight,
            placement: if index {
                Placement::ContentIndex { dir: dir.into() }
            } else {
                Placement::ContentPage { dir: dir.into() }
            },
            version: None,
            version_key: None,
        }
    }

    fn module(name: &str, is_package: bool) -> NavEntry {
        NavEntry {
            title: name.rsplit('.').next().unwrap_or(name).into(),
            url: module_url("/api/", name),
            source: None,
            kind: PageKind::Autodoc,
            weight: 0,
            placement: Placement::Module {
                prefix: "/api/".into(),
                name: name.into(),
                is_package,
            },
            version: None,
            version_key: None,
        }
    }

    fn titles(tree: &NavTree, section: NavSectionIdx) -> (Vec<String>, Vec<String>) {
        let s = tree.section(section);
        (
            s.subsections
                .iter()
                .map(|&i| tree.section(i).title.clone())
                .collect(),
            s.pages
                .iter()
                .map(|&i| tree.page(i).title.clone())
                .collect(),
        )
    }

    #[test]
    fn orders_by_weight_then_title() {
        let entries = vec![
            content("Zeta", "/guide/zeta/", 0, "guide", false),
            content("Alpha", "/guide/alpha/", 0, "guide", false),
            content("First", "/guide/first/", -5, "guide", false),
            content("Guide", "/guide/", 2, "guide", true),
            content("Tutorial", "/tutorial/", 1, "tutorial", true),
            content("Deep", "/guide/advanced/deep/", 0, "guide/advanced", false),
        ];
        let built = build("Site", "", &[], &entries, Default::default());
        let (subsections, pages) = titles(&built.tree, NavSectionIdx(0));
        assert_eq!(subsections, ["Tutorial", "Guide"]);
        assert!(pages.is_empty());
        let guide = built.positions[0].section;
        let (subsections, pages) = titles(&built.tree, guide);
        assert_eq!(subsections, ["Advanced"]);
        assert_eq!(pages, ["First", "Alpha", "Zeta"]);
        assert_eq!(
            built.tree.section(guide).index_page,
            Some(built.page_of_entry[3])
        );
    }

    #[test]
    fn packages_become_sections_under_the_api_prefix() {
        let entries = vec![
            module("pkg", true),
            module("pkg.core", false),
            module("pkg.sub", true),
            module("pkg.sub.leaf", false),
            content("Home", "/", 0, "", true),
        ];
        let built = build("Site", "", &[], &entries, Default::default());
        let tree = &built.tree;
        let (root_subsections, _) = titles(tree, NavSectionIdx(0));
        assert_eq!(root_subsections, ["API reference"]);
        let with_guide = build(
            "Site",
            "",
            &[],
            &[module("pkg", true), content("Zed", "/zed/", 5, "zed", true)],
            Default::default(),
        );
        assert_eq!(
            titles(&with_guide.tree, NavSectionIdx(0)).0,
            ["Zed", "API reference"]
        );
        let pkg = built.positions[0].section;
        assert_eq!(tree.section(pkg).url, "/api/pkg/");
        let (subs, pages) = titles(tree, pkg);
        assert_eq!(subs, ["sub"]);
        assert_eq!(pages, ["core"]);
        assert_eq!(
            tree.section(built.positions[3].section).url,
            "/api/pkg/sub/"
        );
        assert_eq!(
            tree.section(NavSectionIdx(0)).index_page,
            Some(built.page_of_entry[4])
        );
    }

    #[test]
    fn humanizes_folder_names() {
        assert_eq!(humanize("getting_started"), "Getting started");
        assert_eq!(humanize("api-v2"), "Api v2");
    }
}

//! A Docusaurus site's pages, once walked: what their front matter and folders say in
//! Docusaurus terms, turned into ssg-coord's.
//!
//! - Doc ids: the path in its docs folder without the extension and number prefixes
//!   (`01-guide/02-setup.md` → `guide/setup`), the last part replaced by front matter `id`.
//! - URLs: `slug: /x` sets the whole path, a relative `slug` the last segment, `id` (or a
//!   file name without its number prefix) the last segment; `slug: /` makes the page its
//!   docs folder's home. `index`, `README` and a file named as its folder are the folder's
//!   page (`_index.md`).
//! - Order and labels: `sidebars.json` (the config's [`SidebarItem`]s) gives the pages it
//!   lists their order and labels, through `Config::page_overrides`; otherwise
//!   `sidebar_position` and `sidebar_label`. `_category_.json` / `_category_.yml` (`label`,
//!   `position`) titles and orders its folder.

use std::collections::{BTreeMap, HashMap};

use super::{ContentRoot, Site, SourcePage};
use crate::config::PageOverride;
use crate::config::docusaurus::SidebarItem;
use crate::diagnostics::Diagnostic;

/// Sidebar and `sidebar_position` weights start this far below 0, so that pages without a
/// place come after them (weight 0), as Docusaurus puts unpositioned items last.
const POSITION_WEIGHT_BASE: i64 = 1_000_000_000;

/// Applies Docusaurus' conventions to the pages of `site` (a Docusaurus site).
pub(super) fn apply(site: &mut Site) {
    let Some(docs) = site.config.docusaurus.clone() else {
        return;
    };
    // Doc id → page index, per docs folder.
    let mut ids: Vec<HashMap<String, usize>> = vec![HashMap::new(); docs.roots.len()];
    let mut page_roots: Vec<Option<usize>> = Vec::with_capacity(site.pages.len());
    for (page_idx, page) in site.pages.iter().enumerate() {
        let root_idx = docs
            .roots
            .iter()
            .position(|root| page.rel_path.starts_with(&format!("{}/", root.folder)));
        page_roots.push(root_idx);
        if let Some(root_idx) = root_idx {
            ids[root_idx].insert(doc_id(page), page_idx);
        }
    }

    // (sidebars file, doc id) of sidebar entries no page has.
    let mut unknown_ids: Vec<(String, String)> = Vec::new();
    let mut sidebar_folders: BTreeMap<(ContentRoot, String), (String, i64)> = BTreeMap::new();
    for (root_idx, root) in docs.roots.iter().enumerate() {
        let Some(sidebar) = &root.sidebar else {
            continue;
        };
        let mut placing = SidebarPlacing {
            content_dir: site.config.build.content_dir.clone(),
            pages: &site.pages,
            ids: &ids[root_idx],
            order: 0,
            overrides: &mut site.config.page_overrides,
            folders: &mut sidebar_folders,
            unknown: &mut Vec::new(),
        };
        placing.items(sidebar);
        let unknown = std::mem::take(placing.unknown);
        unknown_ids.extend(
            unknown
                .into_iter()
                .map(|id| (root.sidebar_file.clone(), id)),
        );
    }

    let mut folder_settings = category_files(site, &docs.roots);
    // A sidebar's categories win over `_category_.json`.
    folder_settings.extend(sidebar_folders);

    for (page_idx, page) in site.pages.iter_mut().enumerate() {
        let Some(root_idx) = page_roots[page_idx] else {
            continue;
        };
        let in_sidebar = docs.roots[root_idx].sidebar.is_some();
        apply_front_matter(page, in_sidebar);
    }
    make_folder_pages(site);

    // A folder with a page takes its title and weight from it.
    for page in &mut site.pages {
        if !page.is_section_index() {
            continue;
        }
        let dir = page
            .content_path
            .strip_suffix("_index.md")
            .unwrap_or("")
            .trim_end_matches('/')
            .to_string();
        if let Some((label, weight)) = folder_settings.get(&(page.root.clone(), dir)) {
            if page.nav_title.is_none() {
                page.nav_title = Some(label.clone());
            }
            if page.front_matter.weight == 0 {
                page.front_matter.weight = *weight;
            }
        }
    }
    site.folders = folder_settings;

    unknown_ids.sort();
    unknown_ids.dedup();
    let mut files: Vec<&String> = unknown_ids.iter().map(|(file, _)| file).collect();
    files.dedup();
    for file in files {
        let ids: Vec<&str> = unknown_ids
            .iter()
            .filter(|(in_file, _)| in_file == file)
            .map(|(_, id)| id.as_str())
            .collect();
        site.warnings.push(
            Diagnostic::in_file(
                file.clone(),
                format!(
                    "left out of the sidebar: {} (no page has that doc id)",
                    ids.join(", ")
                ),
            )
            .with_hint(
                "a doc id is the file's path in its docs folder without its extension \
                 and number prefixes, or its front matter `id`",
            ),
        );
    }
}

/// A page's doc id: its path in its docs folder, without extension and number prefixes,
/// the last part replaced by front matter `id`.
fn doc_id(page: &SourcePage) -> String {
    let without_ext = page
        .content_path
        .rsplit_once('.')
        .map_or(page.content_path.as_str(), |(stem, _)| stem);
    let mut parts: Vec<&str> = without_ext.split('/').map(strip_number_prefix).collect();
    if let Some(id) = front_matter_text(page, "id") {
        parts.pop();
        let joined = parts.join("/");
        return if joined.is_empty() {
            id
        } else {
            format!("{joined}/{id}")
        };
    }
    parts.join("/")
}

/// `01-intro` → `intro`, `2. setup` → `setup`; a name that is only a number stays.
fn strip_number_prefix(name: &str) -> &str {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return name;
    }
    let rest = &name[digits..];
    let stripped = rest
        .strip_prefix(['-', '_', '.'])
        .map(str::trim_start)
        .unwrap_or(rest);
    if stripped.is_empty() || stripped.len() == rest.len() {
        name
    } else {
        stripped
    }
}

fn front_matter_text(page: &SourcePage, key: &str) -> Option<String> {
    match page.front_matter.params.get(key)? {
        serde_json::Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// `sidebar_position` as a weight (`1.5` → between 1 and 2), before unpositioned pages.
fn position_weight(position: f64) -> i64 {
    (position * 1000.0).round() as i64 - POSITION_WEIGHT_BASE
}

/// `slug`, `id`, number prefixes, `sidebar_label` and (unless a sidebar orders the page)
/// `sidebar_position`.
fn apply_front_matter(page: &mut SourcePage, in_sidebar: bool) {
    let front_matter = &mut page.front_matter;
    if let Some(slug) = front_matter.slug.clone()
        && let Some(absolute) = slug.strip_prefix('/')
    {
        front_matter.slug = None;
        let path = absolute.trim_matches('/');
        if path.is_empty() {
            front_matter.url = None;
            page.content_path = "_index.md".to_string();
        } else if front_matter.url.is_none() {
            front_matter.url = Some(format!("/{path}/"));
        }
    }
    let file_name = page
        .content_path
        .rsplit('/')
        .next()
        .unwrap_or(&page.content_path)
        .to_string();
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name.as_str(), |(stem, _)| stem);
    let number_prefix = number_prefix(stem);
    if page.front_matter.slug.is_none() && page.front_matter.url.is_none() && stem != "_index" {
        let id = front_matter_text(page, "id");
        let unprefixed = strip_number_prefix(stem);
        match id {
            Some(id) if !id.contains('/') => page.front_matter.slug = Some(id),
            _ if unprefixed != stem => page.front_matter.slug = Some(unprefixed.to_string()),
            _ => {}
        }
    }
    if page.nav_title.is_none() {
        page.nav_title = front_matter_text(page, "sidebar_label");
    }
    // Without a sidebar, `sidebar_position`, else a number prefix (`02-setup.md`), orders.
    let position = page
        .front_matter
        .params
        .get("sidebar_position")
        .and_then(serde_json::Value::as_f64)
        .or(number_prefix);
    if !in_sidebar
        && page.front_matter.weight == 0
        && let Some(position) = position
    {
        page.front_matter.weight = position_weight(position);
    }
}

/// The number of a prefixed name (`02-setup` → 2).
fn number_prefix(name: &str) -> Option<f64> {
    if strip_number_prefix(name) == name {
        return None;
    }
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// `index`, `README` and a file named as its folder are that folder's page (`_index.md`),
/// unless the folder already has one.
fn make_folder_pages(site: &mut Site) {
    let mut taken: std::collections::HashSet<(ContentRoot, String)> = site
        .pages
        .iter()
        .filter(|page| page.is_section_index())
        .map(|page| (page.root.clone(), page.content_path.clone()))
        .collect();
    for page in &mut site.pages {
        if page.is_section_index() || page.front_matter.url.is_some() {
            continue;
        }
        let (folder, file_name) = match page.content_path.rsplit_once('/') {
            Some((folder, file_name)) => (folder.to_string(), file_name),
            None => (String::new(), page.content_path.as_str()),
        };
        let stem = file_name
            .rsplit_once('.')
            .map_or(file_name, |(stem, _)| stem);
        let folder_name = folder.rsplit('/').next().unwrap_or("");
        let is_folder_page = stem.eq_ignore_ascii_case("index")
            || stem.eq_ignore_ascii_case("readme")
            || (!folder_name.is_empty() && stem == folder_name);
        if !is_folder_page {
            continue;
        }
        let index = if folder.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{folder}/_index.md")
        };
        if taken.insert((page.root.clone(), index.clone())) {
            page.content_path = index;
            page.front_matter.slug = None;
        }
    }
}

/// `_category_.json` / `_category_.yml` of every folder that holds pages: (label,
/// weight from `position`).
fn category_files(
    site: &Site,
    roots: &[crate::config::docusaurus::DocsRoot],
) -> BTreeMap<(ContentRoot, String), (String, i64)> {
    let mut folders: BTreeMap<(ContentRoot, String), ()> = BTreeMap::new();
    for page in &site.pages {
        let mut dir = page.content_path.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            folders.insert((page.root.clone(), parent.to_string()), ());
            dir = parent;
        }
    }
    let mut settings = BTreeMap::new();
    for (root, dir) in folders.into_keys() {
        let Some(docs_root) = roots
            .iter()
            .find(|docs_root| match (&root, &docs_root.version) {
                (ContentRoot::Version(id), Some(version)) => id == version,
                (ContentRoot::Main, None) => true,
                _ => false,
            })
        else {
            continue;
        };
        let folder = site.root.join(&docs_root.folder).join(&dir);
        let value: Option<serde_json::Value> =
            ["_category_.json", "_category_.yml", "_category_.yaml"]
                .iter()
                .find_map(|name| {
                    let text = std::fs::read_to_string(folder.join(name)).ok()?;
                    if name.ends_with(".json") {
                        serde_json::from_str(&text).ok()
                    } else {
                        serde_yaml_ng::from_str(&text).ok()
                    }
                });
        let Some(value) = value else {
            continue;
        };
        let name = dir.rsplit('/').next().unwrap_or(&dir);
        let label = value
            .get("label")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| strip_number_prefix(name).to_string());
        let weight = value
            .get("position")
            .and_then(serde_json::Value::as_f64)
            .map_or(0, position_weight);
        settings.insert((root, dir), (label, weight));
    }
    settings
}

/// Walks a sidebar in order, giving each page it names its weight and label.
struct SidebarPlacing<'a> {
    /// Overrides name pages in it relative to it (`intro.md`), others from the site root.
    content_dir: String,
    pages: &'a [SourcePage],
    ids: &'a HashMap<String, usize>,
    order: i64,
    overrides: &'a mut BTreeMap<String, PageOverride>,
    folders: &'a mut BTreeMap<(ContentRoot, String), (String, i64)>,
    unknown: &'a mut Vec<String>,
}

impl SidebarPlacing<'_> {
    fn items(&mut self, items: &[SidebarItem]) {
        for item in items {
            match item {
                SidebarItem::Doc { id, label } => {
                    self.doc(id, label.clone());
                }
                SidebarItem::Category { label, link, items } => {
                    self.order += 1;
                    let weight = self.order - POSITION_WEIGHT_BASE;
                    // A category whose pages share a folder titles and orders it.
                    let folder = self.common_folder(items);
                    if let Some((root, dir)) = folder {
                        self.folders.insert((root, dir), (label.clone(), weight));
                    }
                    if let Some(link) = link {
                        self.doc(link, None);
                    }
                    self.items(items);
                }
                SidebarItem::Autogenerated | SidebarItem::Other(_) => {}
            }
        }
    }

    fn doc(&mut self, id: &str, label: Option<String>) -> Option<usize> {
        // Docusaurus 1 sidebars name versioned docs `version-1.0/intro`.
        let id = match id.split_once('/') {
            Some((first, rest)) if first.starts_with("version-") => rest,
            _ => id,
        };
        let Some(&page_idx) = self.ids.get(id) else {
            self.unknown.push(id.to_string());
            return None;
        };
        self.order += 1;
        let page = &self.pages[page_idx];
        let key = page
            .rel_path
            .strip_prefix(&format!("{}/", self.content_dir))
            .unwrap_or(&page.rel_path);
        let entry = self.overrides.entry(key.to_string()).or_default();
        if entry.weight.is_none() {
            entry.weight = Some(self.order - POSITION_WEIGHT_BASE);
        }
        if entry.nav_title.is_none() {
            entry.nav_title = label;
        }
        Some(page_idx)
    }

    /// The folder every page of `items` (at any depth) is in, when it is one folder.
    fn common_folder(&self, items: &[SidebarItem]) -> Option<(ContentRoot, String)> {
        let mut found: Option<(ContentRoot, String)> = None;
        let mut stack: Vec<&SidebarItem> = items.iter().collect();
        while let Some(item) = stack.pop() {
            match item {
                SidebarItem::Doc { id, .. } => {
                    // An id no page has is warned about; it takes no folder.
                    let Some(&page_idx) = self.ids.get(id.as_str()) else {
                        continue;
                    };
                    let page = &self.pages[page_idx];
                    let dir = page
                        .content_path
                        .rsplit_once('/')
                        .map_or("", |(dir, _)| dir)
                        .to_string();
                    let folder = (page.root.clone(), dir);
                    match &found {
                        Some(seen) if *seen != folder => return None,
                        _ => found = Some(folder),
                    }
                }
                SidebarItem::Category { items, .. } => stack.extend(items.iter()),
                SidebarItem::Autogenerated | SidebarItem::Other(_) => {}
            }
        }
        found.filter(|(_, dir)| !dir.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_prefixes_are_stripped() {
        for (name, expected) in [
            ("01-intro", "intro"),
            ("2. setup", "setup"),
            ("10_a", "a"),
            ("2024", "2024"),
            ("3d-models", "3d-models"),
            ("intro", "intro"),
        ] {
            assert_eq!(strip_number_prefix(name), expected, "{name}");
        }
        assert_eq!(number_prefix("02-setup"), Some(2.0));
        assert_eq!(number_prefix("2024"), None);
    }
}

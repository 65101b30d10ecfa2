//! What discovery learned about each file, remembered between builds: a markdown file's
//! front matter, first heading, body position and hash; a Python module's hash. A file
//! whose path, size and modification time are unchanged is not read or parsed again, which
//! is most of discovery's cost on a large site.

use super::store::CacheStore;
use crate::discover::front_matter::FrontMatter;
use crate::discover::{KnownFiles, ParsedPage, Site};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// File name of the discovery cache in `.ssg-cache/`.
const FILE: &str = "discovery.bin";

/// Remembered parses, by site-relative path.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct DiscoveryCache {
    pages: FxHashMap<String, RememberedPage>,
    modules: FxHashMap<String, (u64, u128, u128)>,
}

#[derive(Debug, Serialize, Deserialize)]
struct RememberedPage {
    len: u64,
    mtime: u128,
    front_matter: RememberedFrontMatter,
    heading_title: Option<String>,
    body_offset: u64,
    body_first_line: u32,
    hash: u128,
}

/// [`FrontMatter`] with its free-form params as JSON text (postcard cannot carry
/// self-describing values).
#[derive(Debug, Serialize, Deserialize)]
struct RememberedFrontMatter {
    title: Option<String>,
    description: Option<String>,
    date: Option<String>,
    draft: bool,
    weight: i64,
    slug: Option<String>,
    url: Option<String>,
    aliases: Vec<String>,
    tags: Vec<String>,
    categories: Vec<String>,
    template: Option<String>,
    toc: Option<bool>,
    params_json: String,
}

impl From<&FrontMatter> for RememberedFrontMatter {
    fn from(f: &FrontMatter) -> Self {
        RememberedFrontMatter {
            title: f.title.clone(),
            description: f.description.clone(),
            date: f.date.clone(),
            draft: f.draft,
            weight: f.weight,
            slug: f.slug.clone(),
            url: f.url.clone(),
            aliases: f.aliases.clone(),
            tags: f.tags.clone(),
            categories: f.categories.clone(),
            template: f.template.clone(),
            toc: f.toc,
            params_json: serde_json::to_string(&f.params).unwrap_or_default(),
        }
    }
}

impl RememberedFrontMatter {
    fn to_front_matter(&self) -> Option<FrontMatter> {
        Some(FrontMatter {
            title: self.title.clone(),
            description: self.description.clone(),
            date: self.date.clone(),
            draft: self.draft,
            weight: self.weight,
            slug: self.slug.clone(),
            url: self.url.clone(),
            aliases: self.aliases.clone(),
            tags: self.tags.clone(),
            categories: self.categories.clone(),
            template: self.template.clone(),
            toc: self.toc,
            params: serde_json::from_str(&self.params_json).ok()?,
        })
    }
}

impl DiscoveryCache {
    /// What `site`'s discovery learned.
    pub fn from_site(site: &Site) -> DiscoveryCache {
        let pages = site
            .pages
            .iter()
            .map(|p| {
                let remembered = RememberedPage {
                    len: p.len,
                    mtime: p.mtime,
                    front_matter: RememberedFrontMatter::from(&p.front_matter),
                    heading_title: p.heading_title.clone(),
                    body_offset: p.body_offset as u64,
                    body_first_line: p.body_first_line,
                    hash: p.hash,
                };
                (p.rel_path.clone(), remembered)
            })
            .collect();
        let modules = site
            .modules
            .iter()
            .map(|m| (m.rel_path.clone(), (m.len, m.mtime, m.hash)))
            .collect();
        DiscoveryCache { pages, modules }
    }

    /// The remembered parses (empty when there are none or they cannot be read: discovery
    /// then simply reads every file).
    pub fn read(store: &CacheStore) -> DiscoveryCache {
        store.read_named(FILE).ok().flatten().unwrap_or_default()
    }

    /// Saves the parses for the next build.
    pub fn write(&self, store: &CacheStore) -> std::io::Result<()> {
        store.write_named(FILE, self)
    }
}

impl KnownFiles for DiscoveryCache {
    fn knows_pages(&self) -> bool {
        !self.pages.is_empty()
    }

    fn page(&self, rel_path: &str, len: u64, mtime: u128) -> Option<ParsedPage> {
        let page = self
            .pages
            .get(rel_path)
            .filter(|p| p.len == len && p.mtime == mtime && mtime != 0)?;
        Some(ParsedPage {
            front_matter: page.front_matter.to_front_matter()?,
            heading_title: page.heading_title.clone(),
            body_offset: usize::try_from(page.body_offset).ok()?,
            body_first_line: page.body_first_line,
            hash: page.hash,
        })
    }

    fn module_hash(&self, rel_path: &str, len: u64, mtime: u128) -> Option<u128> {
        let &(known_len, known_mtime, hash) = self.modules.get(rel_path)?;
        (known_len == len && known_mtime == mtime && mtime != 0).then_some(hash)
    }
}
/// The discovery cache with the stamps this build's input signature took: discovery asks
/// the file system only for files the signature did not stamp.
pub struct StampedKnownFiles<'a> {
    /// The remembered parses.
    pub known: &'a DiscoveryCache,
    /// The input signature's stamps.
    pub stamps: &'a super::inputs::InputStamps,
}

impl KnownFiles for StampedKnownFiles<'_> {
    fn knows_pages(&self) -> bool {
        self.known.knows_pages()
    }

    fn page(&self, rel_path: &str, len: u64, mtime: u128) -> Option<ParsedPage> {
        self.known.page(rel_path, len, mtime)
    }

    fn module_hash(&self, rel_path: &str, len: u64, mtime: u128) -> Option<u128> {
        self.known.module_hash(rel_path, len, mtime)
    }

    fn stamp(&self, path: &std::path::Path) -> Option<(u64, u128)> {
        self.stamps
            .get(path)
            .or_else(|| crate::file_stamp::file_stamp(path))
    }
}

//! What discovery learned about each file, remembered between builds: a markdown file's
//! front matter, first heading, body position and hash; a Python module's hash. A file
//! whose path, size and modification time are unchanged is not read or parsed again, which
//! is most of discovery's cost on a large site; one whose stamp changed but whose bytes
//! hash the same (checked out again, or read on another machine: a merge takes part 1's
//! discovery) is read but not parsed again.

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

impl RememberedPage {
    fn parsed(&self) -> Option<ParsedPage> {
        Some(ParsedPage {
            front_matter: self.front_matter.to_front_matter()?,
            heading_title: self.heading_title.clone(),
            body_offset: usize::try_from(self.body_offset).ok()?,
            body_first_line: self.body_first_line,
            hash: self.hash,
        })
    }
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
        self.pages
            .get(rel_path)
            .filter(|p| p.len == len && p.mtime == mtime && mtime != 0)?
            .parsed()
    }

    fn page_with_hash(&self, rel_path: &str, hash: u128) -> Option<ParsedPage> {
        self.pages
            .get(rel_path)
            .filter(|p| p.hash == hash)?
            .parsed()
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

    fn page_with_hash(&self, rel_path: &str, hash: u128) -> Option<ParsedPage> {
        self.known.page_with_hash(rel_path, hash)
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

/// A discovery encoded to travel: what a distributed build's part 1 carries to the merge
/// (a [`DiscoveryCache`] in postcard, decoded only there), so that the merge reads the
/// site's pages but parses again only those whose bytes differ.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct CarriedDiscovery(#[serde(with = "crate::byte_buffer")] Vec<u8>);

impl CarriedDiscovery {
    /// What `site`'s discovery learned, encoded.
    pub fn of(site: &Site) -> CarriedDiscovery {
        match postcard::to_allocvec(&DiscoveryCache::from_site(site)) {
            Ok(bytes) => CarriedDiscovery(bytes),
            Err(e) => {
                tracing::warn!("cannot encode the site's discovery for the merge: {e}");
                CarriedDiscovery::default()
            }
        }
    }

    /// The discovery again (empty when it cannot be decoded: every page is then parsed).
    pub fn decode(&self) -> DiscoveryCache {
        if self.0.is_empty() {
            return DiscoveryCache::default();
        }
        postcard::from_bytes(&self.0).unwrap_or_else(|e| {
            tracing::warn!(
                "the discovery part 1 carries cannot be decoded ({e}): parsing every page"
            );
            DiscoveryCache::default()
        })
    }
}

/// A discovery made elsewhere (another machine's), trusted for the bytes it parsed and
/// nothing else: every file is read and hashed, and a page whose bytes hash as they did
/// there is not parsed again. What a merge discovers the site with, so that a site that
/// differs from the parts' is still told apart by its hashes.
pub struct SameBytes<'a> {
    pub known: &'a DiscoveryCache,
}

impl KnownFiles for SameBytes<'_> {
    fn knows_pages(&self) -> bool {
        false
    }

    fn page(&self, _: &str, _: u64, _: u128) -> Option<ParsedPage> {
        None
    }

    fn page_with_hash(&self, rel_path: &str, hash: u128) -> Option<ParsedPage> {
        self.known.page_with_hash(rel_path, hash)
    }

    fn module_hash(&self, _: &str, _: u64, _: u128) -> Option<u128> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with_a_page(title: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("ssg.toml"), "title = \"T\"\n").expect("config");
        std::fs::create_dir(dir.path().join("content")).expect("content");
        std::fs::write(
            dir.path().join("content/a.md"),
            format!("---\ntitle: {title}\n---\n\nBody.\n"),
        )
        .expect("page");
        dir
    }

    fn title_of_a(site: &Site) -> Option<String> {
        let page = site.pages.iter().find(|p| p.rel_path == "content/a.md")?;
        page.front_matter.title.clone()
    }

    #[test]
    fn a_parse_made_elsewhere_is_taken_for_the_same_bytes_only() {
        let dir = site_with_a_page("Written");
        let site = Site::load(dir.path(), false, &crate::discover::NothingKnown).expect("site");
        let mut elsewhere = DiscoveryCache::from_site(&site);
        // Told apart from a parse made here: the remembered title is not the file's.
        let page = elsewhere.pages.get_mut("content/a.md").expect("remembered");
        page.front_matter.title = Some("Remembered".into());
        // Another machine's stamps never match: the bytes decide.
        page.mtime += 1;
        let same = Site::load(dir.path(), false, &SameBytes { known: &elsewhere }).expect("site");
        assert_eq!(title_of_a(&same).as_deref(), Some("Remembered"));
        assert_eq!(same.pages[0].hash, site.pages[0].hash);

        std::fs::write(
            dir.path().join("content/a.md"),
            "---\ntitle: Edited\n---\n\nBody.\n",
        )
        .expect("edit");
        let edited = Site::load(dir.path(), false, &SameBytes { known: &elsewhere }).expect("site");
        assert_eq!(title_of_a(&edited).as_deref(), Some("Edited"));
    }

    #[test]
    fn a_carried_discovery_decodes_to_what_was_learned() {
        let dir = site_with_a_page("Carried");
        let site = Site::load(dir.path(), false, &crate::discover::NothingKnown).expect("site");
        let decoded = CarriedDiscovery::of(&site).decode();
        let parsed = decoded
            .page_with_hash("content/a.md", site.pages[0].hash)
            .expect("known by its bytes");
        assert_eq!(parsed.front_matter.title.as_deref(), Some("Carried"));
        assert!(decoded.page_with_hash("content/a.md", 0).is_none());
        assert!(CarriedDiscovery::default().decode().pages.is_empty());
    }
}

//! The shard cache: what the previous build rendered, so this build renders only what
//! changed.
//!
//! # Overview
//!
//! For every page, the cache keeps its fingerprint (see `plan::fingerprint`) and the
//! `RenderedPage` its worker reported: output paths and hashes, headings, anchors, links,
//! summary. That is everything the merge needs, so sitemap, search index, feeds and the link
//! check run over cached and fresh pages alike, without re-rendering anything.
//!
//! A cached page is reused only when all of these hold (else [`StaleReason`] says why):
//! - its fingerprint is unchanged (source, templates, config, nav slice, binary);
//! - every relative `.md` link it resolved still resolves to the same URL;
//! - every output file it wrote is still in the output directory with the same size.
//!
//! # On disk
//!
//! `<site>/.ssg-cache/` holds one file per shard (the unit of caching) listing its pages,
//! and `manifest.bin`, which names the shard files and lists the site-wide outputs
//! (`search/` holds each shard's part of the search index, `merge/search/parts.rs`). Files
//! are versioned and checksummed (`format.rs`) and written atomically, the manifest last
//! (`store.rs`). A cache that cannot be read — corrupt, truncated, from another version —
//! is ignored with one warning and rebuilt. A page that fails keeps its previous entry and
//! outputs, so the last good page stays published.
//!
//! Outputs the previous build wrote that this build did not (a deleted page, a tag nobody
//! uses any more) are removed, so no stale file is left in the output directory.

mod api_check;
mod discovery;
mod fast_path;
mod format;
pub mod inputs;
mod nav_slices;
mod output_check;
pub mod remote;
mod session;
mod store;

use crate::diagnostics::Diagnostic;
use crate::plan::BuildPlan;
use protocol::{OutputFile, PageId, RenderedPage, ShardId};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub use api_check::{API_DIGEST_FILE, ApiCheck, api_digest};
pub use discovery::{CarriedDiscovery, DiscoveryCache, SameBytes, StampedKnownFiles};
pub use fast_path::{CachedSummary, CachedWarning, FastPath};
pub use nav_slices::NavSliceHashes;
pub use output_check::OutputFolder;
pub use session::{CacheSession, CacheUse};
pub use store::{CACHE_DIR, CacheStore, remove};

/// One page as the cache remembers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedPage {
    /// The fingerprint it was rendered with.
    pub fingerprint: u128,
    /// What its worker reported. Each output carries its size and modification time when
    /// written: an output rewritten since (by an interrupted build, or by hand) no longer
    /// matches, so the page is rendered again.
    pub result: RenderedPage,
}

/// A shard's cache file.
#[derive(Debug, Default, Deserialize)]
struct ShardFile {
    /// Pages sorted by id.
    pages: Vec<(PageId, CachedPage)>,
}

/// `manifest.bin`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    /// `ssg-coord <version>` that wrote it (for humans; fingerprints decide reuse).
    generator: String,
    /// The output directory the cached outputs are in.
    out_dir: String,
    /// Shard files.
    shards: Vec<ShardEntry>,
    /// Site-wide outputs (sitemap, search index, assets, static files).
    site_outputs: Vec<OutputFile>,
    /// The executable that wrote this cache and its identity (a hash of its bytes), so an
    /// unchanged executable is not hashed again.
    binary: Option<(inputs::ExeStamp, u128)>,
    /// What lets the next build stop early when nothing changed.
    fast_path: Option<FastPath>,
}

/// The manifest the previous build left, read once: what it says alone (the fast path,
/// the binary's identity) is decided on first, and [`PreviousBuild::load`] takes the rest.
#[derive(Debug)]
pub struct RecordedBuild {
    manifest: Result<Option<Manifest>, store::ReadError>,
}

impl RecordedBuild {
    /// Reads the manifest; a problem is kept for [`PreviousBuild::load`] to report.
    pub fn read(store: &CacheStore) -> RecordedBuild {
        RecordedBuild {
            manifest: store.read_manifest::<Manifest>(),
        }
    }

    /// No previous build (no usable cache folder).
    pub fn none() -> RecordedBuild {
        RecordedBuild { manifest: Ok(None) }
    }

    fn manifest(&self) -> Option<&Manifest> {
        self.manifest.as_ref().ok()?.as_ref()
    }

    /// The executable stamp and identity recorded.
    pub fn binary(&self) -> Option<&(inputs::ExeStamp, u128)> {
        self.manifest()?.binary.as_ref()
    }

    /// The fast-path record.
    pub fn fast_path(&self) -> Option<&FastPath> {
        self.manifest()?.fast_path.as_ref()
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct ShardEntry {
    shard: ShardId,
    file: String,
    checksum: u128,
}

/// What the previous build left.
#[derive(Debug, Default)]
pub struct PreviousBuild {
    pages: FxHashMap<PageId, CachedPage>,
    out_dir: Option<String>,
    site_outputs: Vec<OutputFile>,
    /// Per shard: its file's checksum, and a digest of its page ids, to tell a shard this
    /// build left untouched.
    shards: HashMap<ShardId, PreviousShard>,
    /// Once [`PreviousBuild::check_outputs`] ran: the pages with an output gone or
    /// rewritten since, with the first such output.
    changed_outputs: Option<FxHashMap<PageId, String>>,
}

/// What the previous build wrote for one shard.
#[derive(Debug)]
struct PreviousShard {
    file: String,
    checksum: u128,
    ids: u128,
}

/// A digest of a shard's page ids, in the (sorted) order the shard file keeps them.
fn ids_digest<'i>(ids: impl Iterator<Item = &'i PageId>) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for id in ids {
        hasher.update(id.as_str().as_bytes());
        hasher.update(&[0]);
    }
    hasher.digest128()
}

/// Why a page must be rendered again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaleReason {
    /// The cache has no entry for it.
    NotCached,
    /// Its source, templates, config, nav slice or the binary changed.
    InputsChanged,
    /// A page it links to moved.
    LinkTargetMoved {
        /// The link's target source path.
        target: String,
    },
    /// A file it included (a `--8<--` snippet) changed or is gone.
    IncludedFileChanged {
        /// The file's site-relative path.
        path: String,
    },
    /// One of its output files is gone or was rewritten since.
    OutputChanged {
        /// The output path.
        path: String,
    },
}

impl PreviousBuild {
    /// Reads the cache. Any problem discards the whole previous build with one warning.
    pub fn load(
        store: &CacheStore,
        recorded: RecordedBuild,
        warnings: &mut Vec<Diagnostic>,
    ) -> PreviousBuild {
        match Self::try_load(store, recorded) {
            Ok(previous) => previous,
            Err(problem) => {
                warnings.push(
                    Diagnostic::in_file(
                        CACHE_DIR,
                        format!("the build cache is unusable and was ignored: {problem}"),
                    )
                    .with_hint(
                        "nothing to do: this build renders everything and writes a fresh cache",
                    ),
                );
                PreviousBuild::default()
            }
        }
    }

    fn try_load(
        store: &CacheStore,
        recorded: RecordedBuild,
    ) -> Result<PreviousBuild, store::ReadError> {
        let Some(manifest) = recorded.manifest? else {
            return Ok(PreviousBuild::default());
        };
        let mut previous = PreviousBuild {
            pages: FxHashMap::default(),
            out_dir: Some(manifest.out_dir),
            site_outputs: manifest.site_outputs,
            shards: HashMap::new(),
            changed_outputs: None,
        };
        // Shard files are independent: read and decode them on all cores.
        let shards = crate::parallel::par_map(
            manifest.shards.len(),
            |i| {
                let file = &manifest.shards[i].file;
                store
                    .read_shard::<ShardFile>(file)?
                    .ok_or_else(|| store::ReadError::Io {
                        path: file.clone(),
                        source: std::io::Error::from(std::io::ErrorKind::NotFound),
                    })
            },
            |i| {
                Err(store::ReadError::Io {
                    path: manifest.shards[i].file.clone(),
                    source: std::io::Error::other("reading the shard failed (a bug)"),
                })
            },
        );
        for (entry, shard) in manifest.shards.into_iter().zip(shards) {
            let shard = shard?;
            let ids = ids_digest(shard.pages.iter().map(|(id, _)| id));
            previous.pages.extend(shard.pages);
            previous.shards.insert(
                entry.shard,
                PreviousShard {
                    file: entry.file,
                    checksum: entry.checksum,
                    ids,
                },
            );
        }
        Ok(previous)
    }

    /// The cached entry of a page.
    pub fn get(&self, id: &PageId) -> Option<&CachedPage> {
        self.pages.get(id)
    }

    /// Checks every cached page's outputs in `out_dir` (on all cores) and keeps the pages
    /// with an output gone or rewritten, for [`check_fresh`]. A build runs it while the
    /// site is planned: the 40,000 `stat`s of a 10k-page site then cost no wall time of
    /// their own. Nothing writes into `out_dir` before the pages are rendered, so the
    /// answer is the one a check made after planning would give.
    pub fn check_outputs(&mut self, out_dir: &Path) {
        let folder = OutputFolder::open(out_dir);
        let pages: Vec<(&PageId, &CachedPage)> = self.pages.iter().collect();
        let changed = crate::parallel::par_map(
            pages.len(),
            |i| {
                let (id, page) = pages[i];
                first_changed_output(page, &folder).map(|path| (id.clone(), path))
            },
            // A check that failed (a bug) counts the page's outputs as changed: it is
            // rendered again.
            |i| Some((pages[i].0.clone(), String::new())),
        );
        let changed = changed.into_iter().flatten().collect();
        self.changed_outputs = Some(changed);
    }

    /// The first output of the cached page `id` gone or rewritten since it was written:
    /// as [`PreviousBuild::check_outputs`] found it, or when that did not run, as `live`
    /// finds it now.
    pub fn changed_output(&self, id: &PageId, live: &OutputFolder) -> Option<String> {
        match &self.changed_outputs {
            Some(changed) => changed.get(id).cloned(),
            None => first_changed_output(self.pages.get(id)?, live),
        }
    }

    /// Every output the previous build wrote into `out_dir` (nothing when it wrote elsewhere).
    pub fn outputs_in(&self, out_dir: &Path) -> FxHashMap<&str, u128> {
        if self.out_dir.as_deref() != Some(&out_dir.display().to_string()) {
            return FxHashMap::default();
        }
        self.pages
            .values()
            .flat_map(|page| page.result.outputs.iter())
            .chain(&self.site_outputs)
            .map(|o| (o.path.as_str(), o.hash))
            .collect()
    }

    /// Takes in what a build just wrote, for a dev server that keeps the previous build in
    /// memory instead of decoding the shard files again: `fresh` entries replace theirs, and
    /// the manifest just written gives the shard checksums and the site-wide outputs. False
    /// when the manifest cannot be read or does not name the same shard files: load the
    /// cache again.
    pub fn absorb(&mut self, fresh: Vec<(PageId, CachedPage)>, store: &CacheStore) -> bool {
        let Ok(Some(manifest)) = RecordedBuild::read(store).manifest else {
            return false;
        };
        if manifest.shards.len() != self.shards.len() {
            return false;
        }
        for entry in &manifest.shards {
            match self.shards.get_mut(&entry.shard) {
                Some(shard) if shard.file == entry.file => shard.checksum = entry.checksum,
                _ => return false,
            }
        }
        self.pages.extend(fresh);
        // The outputs were checked before this build wrote its own.
        self.changed_outputs = None;
        self.out_dir = Some(manifest.out_dir);
        self.site_outputs = manifest.site_outputs;
        true
    }

    /// True when there was a usable previous build.
    #[cfg(test)]
    pub fn exists(&self) -> bool {
        self.out_dir.is_some()
    }
}

/// The first output of `page` that is gone from `outputs` or was rewritten since.
fn first_changed_output(page: &CachedPage, outputs: &OutputFolder) -> Option<String> {
    page.result
        .outputs
        .iter()
        .find(|output| !outputs.intact(&output.path, output.len, output.modified))
        .map(|output| output.path.clone())
}

/// Whether a cached page can be reused as it is; `changed_output` gives the first of its
/// outputs gone or rewritten since (`PreviousBuild::changed_output`), asked only when its
/// inputs are unchanged.
pub fn check_fresh(
    cached: &CachedPage,
    fingerprint: u128,
    plan: &BuildPlan,
    version: Option<u16>,
    changed_output: impl FnOnce() -> Option<String>,
    site_root: &Path,
    api: &ApiCheck<'_>,
) -> Result<(), StaleReason> {
    check_inputs_fresh(cached, fingerprint, plan, version, site_root, api)?;
    match changed_output() {
        Some(path) => Err(StaleReason::OutputChanged { path }),
        None => Ok(()),
    }
}

/// Whether a page rendered elsewhere (the shared cache) fits this build: the same
/// fingerprint, and every link and included file it resolved resolves alike here.
pub fn check_inputs_fresh(
    cached: &CachedPage,
    fingerprint: u128,
    plan: &BuildPlan,
    version: Option<u16>,
    site_root: &Path,
    api: &ApiCheck<'_>,
) -> Result<(), StaleReason> {
    if cached.fingerprint != fingerprint {
        return Err(StaleReason::InputsChanged);
    }
    for dep in &cached.result.link_deps {
        if let Some(path) = dep.included_path() {
            let current = std::fs::read(site_root.join(path))
                .ok()
                .map(|bytes| format!("{:032x}", protocol::content_hash(&bytes)));
            if current.as_deref() != dep.url.as_deref() {
                return Err(StaleReason::IncludedFileChanged {
                    path: path.to_string(),
                });
            }
            continue;
        }
        // Backlinks are known once the guides have rendered: `ops::build_steps::backlinks`
        // checks them then.
        if dep.target.starts_with(worker::xref::BACKLINKS_DEP_PREFIX) {
            continue;
        }
        // A cross-reference (a name, a class's inherited members): the same question asked
        // of this build's API inventory.
        if let Some(holds) = api.holds(&dep.target, &dep.url) {
            if !holds {
                return Err(StaleReason::LinkTargetMoved {
                    target: dep.target.clone(),
                });
            }
            continue;
        }
        if plan.resolve_source(version, &dep.target) != dep.url.as_deref() {
            return Err(StaleReason::LinkTargetMoved {
                target: dep.target.clone(),
            });
        }
    }
    Ok(())
}

/// The cache this build will leave. Entries reused from the previous build are borrowed,
/// not copied: a no-change build of a large site would otherwise clone every page's facts.
#[derive(Debug, Default)]
pub struct NextCache<'a> {
    shards: BTreeMap<ShardId, ShardPages<'a>>,
}

/// The entries of one shard, by page id.
type ShardPages<'a> = Vec<(PageId, Cow<'a, CachedPage>)>;

/// A shard file as it is written (the same bytes as [`ShardFile`]).
#[derive(Serialize)]
struct ShardFileOut<'p, 'a> {
    pages: &'p [(PageId, Cow<'a, CachedPage>)],
}

impl<'a> NextCache<'a> {
    /// Records a page's entry.
    pub fn insert(&mut self, shard: ShardId, id: PageId, page: Cow<'a, CachedPage>) {
        self.shards.entry(shard).or_default().push((id, page));
    }

    /// Every output of the entries with its size and recorded modification time.
    pub fn output_records(&self) -> impl Iterator<Item = (String, u64, u128)> + '_ {
        self.shards.values().flatten().flat_map(|(_, page)| {
            page.result
                .outputs
                .iter()
                .map(|o| (o.path.clone(), o.len, o.modified))
        })
    }

    /// Every output path the entries name.
    pub fn outputs(&self) -> impl Iterator<Item = &str> {
        self.shards
            .values()
            .flatten()
            .flat_map(|(_, p)| p.result.outputs.iter())
            .map(|o| o.path.as_str())
    }

    /// Writes shard files whose content changed, then the manifest, then drops shard files
    /// nothing names any more.
    pub fn write(
        self,
        store: &CacheStore,
        previous: &PreviousBuild,
        out_dir: &Path,
        site_outputs: Vec<OutputFile>,
        binary: Option<(inputs::ExeStamp, u128)>,
        fast_path: Option<FastPath>,
    ) -> std::io::Result<()> {
        // Shards are encoded and written on all cores; each is independent of the others.
        let mut shards: Vec<(ShardId, ShardPages<'a>)> = self.shards.into_iter().collect();
        for (_, pages) in &mut shards {
            pages.sort_by(|a, b| a.0.cmp(&b.0));
        }
        let written = crate::parallel::par_map(
            shards.len(),
            |i| -> std::io::Result<ShardEntry> {
                let (shard, pages) = &shards[i];
                let file = store::shard_file(shard);
                let before = previous.shards.get(shard);
                // Every entry reused from the previous build, and the same pages as its file
                // held: the file is still right, and encoding it again would be wasted.
                if let Some(before) = before.filter(|b| {
                    b.file == file
                        && pages.iter().all(|(_, e)| matches!(e, Cow::Borrowed(_)))
                        && ids_digest(pages.iter().map(|(id, _)| id)) == b.ids
                }) {
                    return Ok(ShardEntry {
                        shard: shard.clone(),
                        file,
                        checksum: before.checksum,
                    });
                }
                let encoded = format::encode(&ShardFileOut { pages });
                let checksum = format::checksum_of(&encoded);
                if before.map(|b| b.checksum) != Some(checksum) {
                    store.write_shard(&file, &encoded)?;
                }
                Ok(ShardEntry {
                    shard: shard.clone(),
                    file,
                    checksum,
                })
            },
            |_| {
                Err(std::io::Error::other(
                    "writing a cache shard failed (a bug)",
                ))
            },
        );
        let entries = written.into_iter().collect::<std::io::Result<Vec<_>>>()?;
        let manifest = Manifest {
            generator: format!("ssg-coord {}", env!("CARGO_PKG_VERSION")),
            out_dir: out_dir.display().to_string(),
            shards: entries,
            site_outputs,
            binary,
            fast_path,
        };
        store.write_manifest(&manifest)?;
        let keep: Vec<&str> = manifest.shards.iter().map(|e| e.file.as_str()).collect();
        store.remove_shards_except(&keep)
    }
}

/// Deletes outputs the previous build wrote and this one did not, and then folders left
/// empty by that. Returns the files removed.
pub fn remove_stale_outputs<'p>(
    out_dir: &Path,
    previous: impl IntoIterator<Item = &'p str>,
    current: &FxHashSet<&str>,
) -> Vec<String> {
    let mut removed = Vec::new();
    let mut folders = std::collections::BTreeSet::new();
    for path in previous {
        if current.contains(&path) {
            continue;
        }
        let Ok(full) = worker::outputs::output_path(out_dir, path) else {
            continue;
        };
        if std::fs::remove_file(&full).is_ok() {
            removed.push(path.to_string());
            let mut folder = full.parent();
            while let Some(dir) = folder.filter(|d| d.starts_with(out_dir) && *d != out_dir) {
                folders.insert(dir.to_path_buf());
                folder = dir.parent();
            }
        }
    }
    // Deepest first, so a parent is tried after its children; non-empty folders stay.
    for folder in folders.iter().rev() {
        let _ = std::fs::remove_dir(folder);
    }
    removed
}

#[cfg(test)]
mod fuzz_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_outputs_and_empty_folders_are_removed() {
        let out = tempfile::tempdir().unwrap();
        for path in ["a/index.html", "a/b/index.html", "keep/index.html"] {
            worker::outputs::write_output(out.path(), path, b"x").unwrap();
        }
        let current: FxHashSet<&str> = ["keep/index.html", "a/index.html"].into_iter().collect();
        let removed = remove_stale_outputs(
            out.path(),
            ["a/index.html", "a/b/index.html", "keep/index.html", "../x"],
            &current,
        );
        assert_eq!(removed, ["a/b/index.html"]);
        assert!(!out.path().join("a/b").exists());
        assert!(out.path().join("a/index.html").exists());
    }

    #[test]
    fn a_written_cache_reads_back_and_a_damaged_one_is_ignored_with_one_warning() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let store = CacheStore::open(site.path()).unwrap();
        let mut next = NextCache::default();
        let page = CachedPage {
            fingerprint: 7,
            result: RenderedPage {
                title: "A".into(),
                ..Default::default()
            },
        };
        next.insert(
            ShardId("s".into()),
            PageId("p".into()),
            Cow::Owned(page.clone()),
        );
        write_into(&store, &PreviousBuild::default(), &out, next);

        let mut warnings = Vec::new();
        let previous = PreviousBuild::load(&store, RecordedBuild::read(&store), &mut warnings);
        assert!(warnings.is_empty());
        assert_eq!(previous.get(&PageId("p".into())), Some(&page));

        let shard_dir = site.path().join(CACHE_DIR).join("shards");
        for entry in std::fs::read_dir(&shard_dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        }
        let previous = PreviousBuild::load(&store, RecordedBuild::read(&store), &mut warnings);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(!previous.exists());
        assert!(previous.get(&PageId("p".into())).is_none());
    }

    #[test]
    fn outputs_checked_ahead_give_the_answer_a_check_made_later_gives() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let store = CacheStore::open(site.path()).unwrap();
        let mut next = NextCache::default();
        for name in ["kept", "edited", "deleted"] {
            let written = [format!("{name}/index.html"), format!("{name}/index.txt")]
                .map(|path| worker::outputs::write_output(&out, &path, b"x").unwrap());
            let page = CachedPage {
                fingerprint: 1,
                result: RenderedPage {
                    outputs: written.to_vec(),
                    ..Default::default()
                },
            };
            next.insert(ShardId("s".into()), PageId(name.into()), Cow::Owned(page));
        }
        write_into(&store, &PreviousBuild::default(), &out, next);
        std::fs::write(out.join("edited/index.txt"), b"edited by hand").unwrap();
        std::fs::remove_file(out.join("deleted/index.html")).unwrap();

        let live = OutputFolder::open(&out);
        let unchecked = load(&store);
        let mut checked = load(&store);
        checked.check_outputs(&out);
        for (name, changed) in [
            ("kept", None),
            ("edited", Some("edited/index.txt")),
            ("deleted", Some("deleted/index.html")),
            ("not cached", None),
        ] {
            let id = PageId(name.into());
            assert_eq!(checked.changed_output(&id, &live).as_deref(), changed);
            assert_eq!(unchecked.changed_output(&id, &live).as_deref(), changed);
        }
        // What was found ahead is the answer, whatever happens to the folder after.
        std::fs::remove_file(out.join("kept/index.html")).unwrap();
        assert_eq!(checked.changed_output(&PageId("kept".into()), &live), None);
        assert_eq!(
            unchecked
                .changed_output(&PageId("kept".into()), &live)
                .as_deref(),
            Some("kept/index.html")
        );
    }

    fn cached(title: &str) -> CachedPage {
        CachedPage {
            fingerprint: 1,
            result: RenderedPage {
                title: title.into(),
                ..Default::default()
            },
        }
    }

    fn write(store: &CacheStore, previous: &PreviousBuild, next: NextCache<'_>) {
        write_into(store, previous, Path::new("public"), next);
    }

    fn write_into(store: &CacheStore, previous: &PreviousBuild, out: &Path, next: NextCache<'_>) {
        next.write(store, previous, out, Vec::new(), None, None)
            .unwrap();
    }

    fn load(store: &CacheStore) -> PreviousBuild {
        let mut warnings = Vec::new();
        let previous = PreviousBuild::load(store, RecordedBuild::read(store), &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        previous
    }

    #[test]
    fn only_shards_with_new_or_missing_entries_are_written_again() {
        let site = tempfile::tempdir().unwrap();
        let store = CacheStore::open(site.path()).unwrap();
        let (a, b) = (ShardId("a".into()), ShardId("b".into()));
        let mut first = NextCache::default();
        for (shard, id, title) in [(&a, "a1", "A1"), (&a, "a2", "A2"), (&b, "b1", "B1")] {
            first.insert(shard.clone(), PageId(id.into()), Cow::Owned(cached(title)));
        }
        write(&store, &PreviousBuild::default(), first);
        let shard_path = |shard: &ShardId| {
            site.path()
                .join(CACHE_DIR)
                .join("shards")
                .join(store::shard_file(shard))
        };
        // Files are replaced atomically (temp + rename), so a rewrite changes the inode.
        let inode = |shard: &ShardId| {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(shard_path(shard)).unwrap().ino()
        };
        let (before_a, before_b) = (inode(&a), inode(&b));

        // Shard a reused whole; shard b with a new entry.
        let previous = load(&store);
        let mut second = NextCache::default();
        for id in ["a1", "a2"] {
            let id = PageId(id.into());
            let entry = previous.get(&id).unwrap();
            second.insert(a.clone(), id, Cow::Borrowed(entry));
        }
        second.insert(
            b.clone(),
            PageId("b1".into()),
            Cow::Owned(cached("B1, edited")),
        );
        write(&store, &previous, second);
        assert_eq!(
            inode(&a),
            before_a,
            "the untouched shard is not written again"
        );
        assert_ne!(inode(&b), before_b, "the changed shard is written again");
        let reread = load(&store);
        assert_eq!(reread.get(&PageId("a2".into())), Some(&cached("A2")));
        assert_eq!(
            reread.get(&PageId("b1".into())),
            Some(&cached("B1, edited"))
        );

        // A shard that lost a page is written again even though every entry is reused.
        let mut third = NextCache::default();
        let id = PageId("a1".into());
        third.insert(
            a.clone(),
            id.clone(),
            Cow::Borrowed(reread.get(&id).unwrap()),
        );
        let b1 = PageId("b1".into());
        third.insert(
            b.clone(),
            b1.clone(),
            Cow::Borrowed(reread.get(&b1).unwrap()),
        );
        let before_a = inode(&a);
        write(&store, &reread, third);
        assert_ne!(inode(&a), before_a);
        let last = load(&store);
        assert_eq!(last.get(&PageId("a1".into())), Some(&cached("A1")));
        assert!(last.get(&PageId("a2".into())).is_none());
    }
}

//! Watching the site's sources: `ssg.toml`, the content, `templates/`, `static/` and every
//! `[[autodoc.python]]` path, debounced into one sorted, de-duplicated [`ChangeSet`] per
//! burst of edits.
//!
//! Only the source folders are watched (recursively), plus the site root itself without
//! recursion, for `ssg.toml` and for source folders that appear later. The output
//! directory and `.ssg-cache/` are never watched, so a rebuild cannot trigger itself; a
//! path under them is ignored even when another watch reports it. Hidden files and
//! folders (which discovery skips too), editor leftovers (backups, autosaves, swap files)
//! and Python byte code are ignored.
//!
//! An editor's save is several events (write a temporary file, rename it over the
//! original, touch metadata): a burst ends when no event came for [`DEBOUNCE`] (or after
//! [`MAX_BURST`] of continuous events) and becomes one change set. The quiet time is short
//! because every save pays it before the rebuild even starts.
//!
//! The debouncing is ours rather than a `notify-debouncer-*` crate's, for two reasons:
//! notify reports reads too (inotify `IN_OPEN`, `IN_CLOSE_NOWRITE`), which every build
//! causes, so they must be dropped by kind before debouncing, and the mini debouncer hides
//! kinds; and a change set must be one whole burst, where the full debouncer releases each
//! path separately as it ages.

use crate::config::Config;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// Quiet time after the last event of a burst before its change set is delivered.
pub const DEBOUNCE: Duration = Duration::from_millis(30);
/// Longest a burst of continuous events is held back (a large copy into the content).
pub const MAX_BURST: Duration = Duration::from_millis(500);

/// The cache folder in the site root, never a source.
const CACHE_DIR: &str = ".ssg-cache";

/// Which kind of source a changed path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    /// `ssg.toml`.
    Config,
    /// A file under the content directory (markdown or a content asset).
    Content,
    /// A file under `templates/`.
    Template,
    /// A file under `static/`.
    Static,
    /// A file under a reference source's folder (an autodoc package).
    Reference,
}

/// One changed path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Absolute path (created, modified or removed; a folder when a whole folder moved).
    pub path: PathBuf,
    /// What kind of source it is.
    pub kind: SourceKind,
}

/// The sources changed since the last rebuild, sorted by path, each path once. A folder
/// appears only when nothing under it is listed (a folder moved in or removed as a whole).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    changes: Vec<Change>,
}

impl ChangeSet {
    /// A change set of `changes`, sorted and de-duplicated.
    pub fn new(changes: impl IntoIterator<Item = Change>) -> ChangeSet {
        let mut set = ChangeSet {
            changes: changes.into_iter().collect(),
        };
        set.normalize();
        set
    }

    fn normalize(&mut self) {
        self.changes.sort();
        self.changes.dedup_by(|a, b| a.path == b.path);
        // A folder is reported along with the file changed in it; the file says more. A
        // folder's descendants sort right after it, so looking at the next path suffices.
        let paths: Vec<PathBuf> = self.changes.iter().map(|c| c.path.clone()).collect();
        let mut index = 0;
        self.changes.retain(|_| {
            let ancestor = paths
                .get(index + 1)
                .is_some_and(|next| next.starts_with(&paths[index]));
            index += 1;
            !ancestor
        });
    }

    /// Adds the changes of `other` (edits that arrived while a rebuild ran).
    pub fn extend(&mut self, other: ChangeSet) {
        self.changes.extend(other.changes);
        self.normalize();
    }

    /// The changes, sorted by path.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// True when nothing changed (the first build).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// True when a source of `kind` changed.
    pub fn touches(&self, kind: SourceKind) -> bool {
        self.changes.iter().any(|change| change.kind == kind)
    }

    /// True when persistent workers must reload their template environment: the
    /// configuration or a template changed.
    pub fn reloads_workers(&self) -> bool {
        self.touches(SourceKind::Config) || self.touches(SourceKind::Template)
    }

    /// A short description for the console: `content/a.md`, or `content/a.md and 2 more`.
    pub fn describe(&self, site_root: &Path) -> String {
        let Some(first) = self.changes.first() else {
            return "nothing".to_string();
        };
        let name = first
            .path
            .strip_prefix(site_root)
            .unwrap_or(&first.path)
            .display()
            .to_string();
        match self.changes.len() {
            1 => name,
            n => format!("{name} and {} more", n - 1),
        }
    }
}

/// Files editors write beside the one being edited: hidden files (vim's `.x.swp`,
/// Emacs's `.#x`), backups (`x~`), Emacs autosaves (`#x#`), vim's write test (`4913`) and
/// JetBrains' safe-write copies.
fn is_editor_leftover(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// What to watch and how to classify what it reports, from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchRoots {
    site_root: PathBuf,
    roots: Vec<(PathBuf, SourceKind)>,
    ignored: Vec<PathBuf>,
}

/// `path` canonicalized when it exists, so it matches the paths the watcher reports.
fn canonical(path: PathBuf) -> PathBuf {
    std::fs::canonicalize(&path).unwrap_or(path)
}

impl WatchRoots {
    /// The sources of the site at `site_root` (canonical) with `config`, writing into
    /// `out_dir`.
    pub fn new(site_root: &Path, config: &Config, out_dir: &Path) -> WatchRoots {
        let mut roots = vec![
            (
                canonical(site_root.join(config.build.content_dir.trim_matches('/'))),
                SourceKind::Content,
            ),
            (canonical(site_root.join("templates")), SourceKind::Template),
            (canonical(site_root.join("static")), SourceKind::Static),
        ];
        for folder in config.reference_folders() {
            roots.push((canonical(site_root.join(folder)), SourceKind::Reference));
        }
        for inventory in config.local_inventories() {
            roots.push((canonical(site_root.join(inventory)), SourceKind::Reference));
        }
        // A Docusaurus site's versioned docs and sidebars.
        for folder in config.other_inputs() {
            roots.push((canonical(site_root.join(folder)), SourceKind::Content));
        }
        roots.sort();
        roots.dedup_by(|a, b| a.0 == b.0);
        WatchRoots {
            site_root: site_root.to_path_buf(),
            roots,
            ignored: vec![canonical(out_dir.to_path_buf()), site_root.join(CACHE_DIR)],
        }
    }

    /// The kind of source `path` is, or `None` when it is not a source.
    pub fn classify(&self, path: &Path) -> Option<SourceKind> {
        if self.ignored.iter().any(|dir| path.starts_with(dir)) {
            return None;
        }
        if path.parent() == Some(self.site_root.as_path())
            && path
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(crate::config::is_config_file_name)
        {
            return Some(SourceKind::Config);
        }
        // The most specific root wins (a package folder inside the content folder).
        let (root, kind) = self
            .roots
            .iter()
            .filter(|(root, _)| path.starts_with(root))
            .max_by_key(|(root, _)| root.components().count())?;
        let rel = path.strip_prefix(root).ok()?;
        let ignored = rel.components().any(|component| {
            let name = component.as_os_str().to_string_lossy();
            is_editor_leftover(&name) || name == "__pycache__"
        });
        let byte_code = path
            .extension()
            .is_some_and(|ext| ext == "pyc" || ext == "pyo");
        (!ignored && !byte_code).then_some(*kind)
    }

    /// The paths to register now: the site root alone, and every existing source root
    /// with its subfolders.
    fn watch_list(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut list = vec![(self.site_root.clone(), RecursiveMode::NonRecursive)];
        for (root, _) in &self.roots {
            if root.is_dir() {
                list.push((root.clone(), RecursiveMode::Recursive));
            } else if root.is_file() {
                list.push((root.clone(), RecursiveMode::NonRecursive));
            }
        }
        list
    }
}

/// A running watcher; dropping it stops watching (and its debouncing thread ends).
pub struct SourceWatcher {
    watcher: RecommendedWatcher,
    roots: Arc<RwLock<WatchRoots>>,
    watched: Vec<(PathBuf, RecursiveMode)>,
}

impl SourceWatcher {
    /// Starts watching `roots`; every burst of source changes is sent to `sink` as one
    /// change set.
    pub fn start(roots: WatchRoots, sink: Sender<ChangeSet>) -> anyhow::Result<SourceWatcher> {
        let shared = Arc::new(RwLock::new(roots));
        let (raw_sender, raw_events) = crossbeam_channel::unbounded();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let _ = raw_sender.send(event);
        })
        .map_err(|e| anyhow::anyhow!("cannot watch the site's files: {e}"))?;
        let classify = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("serve-watch".into())
            .spawn(move || debounce(&raw_events, &classify, &sink))?;
        let mut watcher = SourceWatcher {
            watcher,
            roots: shared,
            watched: Vec::new(),
        };
        watcher.register()?;
        Ok(watcher)
    }

    /// Watches `roots` from now on (the configuration may have changed), and registers the
    /// source folders again when one appeared or was replaced by `changes`.
    pub fn update(&mut self, roots: WatchRoots, changes: &ChangeSet) -> anyhow::Result<()> {
        let replaced_root = {
            let current = self.roots.read().unwrap_or_else(PoisonError::into_inner);
            *current != roots
                || changes
                    .changes()
                    .iter()
                    .any(|change| current.roots.iter().any(|(root, _)| *root == change.path))
        };
        let list = roots.watch_list();
        *self.roots.write().unwrap_or_else(PoisonError::into_inner) = roots;
        if replaced_root || list != self.watched {
            self.register()?;
        }
        Ok(())
    }

    /// Folders and files watched.
    pub fn watched(&self) -> usize {
        self.watched.len()
    }

    fn register(&mut self) -> anyhow::Result<()> {
        for (path, _) in self.watched.drain(..) {
            // A folder that was deleted has lost its watch already.
            let _ = self.watcher.unwatch(&path);
        }
        let list = self
            .roots
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .watch_list();
        for (path, mode) in list {
            match self.watcher.watch(&path, mode) {
                Ok(()) => self.watched.push((path, mode)),
                Err(e) if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) => {
                    anyhow::bail!(
                        "{}: cannot watch: the system's limit of watched folders is reached; \
                         raise it (sysctl fs.inotify.max_user_watches) and start again",
                        path.display()
                    );
                }
                // Removed between listing and watching: the next change set registers again.
                Err(e) => tracing::warn!("{}: cannot watch: {e}", path.display()),
            }
        }
        Ok(())
    }
}

/// True for events that may change what a build reads; opening, reading and closing a
/// file without writing (as every build does) are not.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Other => false,
    }
}

/// Adds the source paths of one raw event to `pending`.
fn collect(
    event: notify::Result<notify::Event>,
    roots: &RwLock<WatchRoots>,
    pending: &mut Vec<Change>,
) {
    let event = match event {
        Ok(event) => event,
        Err(error) => {
            tracing::warn!("watching the sources: {error}");
            return;
        }
    };
    let roots = roots.read().unwrap_or_else(PoisonError::into_inner);
    if event.need_rescan() {
        // The system dropped events: say that anything under every root may have changed.
        pending.extend(roots.roots.iter().map(|(path, kind)| Change {
            path: path.clone(),
            kind: *kind,
        }));
        return;
    }
    if !is_change(&event.kind) {
        return;
    }
    for path in event.paths {
        if let Some(kind) = roots.classify(&path) {
            pending.push(Change { path, kind });
        }
    }
}

/// Folds raw events into one change set per burst, until the watcher is dropped.
fn debounce(
    raw_events: &Receiver<notify::Result<notify::Event>>,
    roots: &RwLock<WatchRoots>,
    sink: &Sender<ChangeSet>,
) {
    let mut pending = Vec::new();
    while let Ok(event) = raw_events.recv() {
        collect(event, roots, &mut pending);
        if pending.is_empty() {
            continue;
        }
        // Only source changes extend a burst: a build reading the sources meanwhile does not.
        let burst_started = Instant::now();
        let mut last_change = burst_started;
        loop {
            let deadline = (last_change + DEBOUNCE).min(burst_started + MAX_BURST);
            let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            match raw_events.recv_timeout(wait) {
                Ok(event) => {
                    let before = pending.len();
                    collect(event, roots, &mut pending);
                    if pending.len() > before {
                        last_change = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if sink.send(ChangeSet::new(pending.drain(..))).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PythonPackageConfig;

    fn roots() -> WatchRoots {
        let mut config = Config::default();
        config.autodoc_python.push(PythonPackageConfig {
            name: "pkg".into(),
            path: "content/src/pkg".into(),
            url: "/api/".into(),
            include_private: false,
            merge_init_into_class: false,
            source_url: None,
        });
        WatchRoots::new(Path::new("/site"), &config, Path::new("/site/public"))
    }

    fn check(path: &str, expected: Option<SourceKind>) {
        assert_eq!(roots().classify(Path::new(path)), expected, "{path}");
    }

    #[test]
    fn paths_are_classified_by_their_most_specific_root() {
        use SourceKind::*;
        check("/site/ssg.toml", Some(Config));
        check("/site/mkdocs.yml", Some(Config));
        check("/site/docusaurus.config.ts", Some(Config));
        check("/site/sidebars.json", Some(Config));
        check("/site/content/sidebars.json", Some(Content));
        check("/site/content/guide/a.md", Some(Content));
        check("/site/content/img/x.png", Some(Content));
        check("/site/content", Some(Content));
        check("/site/templates/page.html", Some(Template));
        check("/site/static/css/x.css", Some(Static));
        check("/site/content/src/pkg/mod.py", Some(Reference));
        check("/site/public/index.html", None);
        check("/site/.ssg-cache/manifest", None);
        check("/site/README.md", None);
        check("/site/other.toml", None);
        check("/site/content/.a.md.swp", None);
        check("/site/content/.git/HEAD", None);
        check("/site/content/a.md~", None);
        check("/site/content/4913", None);
        check("/site/content/#a.md#", None);
        check("/site/content/a.md___jb_tmp___", None);
        check(
            "/site/content/src/pkg/__pycache__/mod.cpython-312.pyc",
            None,
        );
        check("/site/content/src/pkg/mod.pyc", None);
        check("/elsewhere/content/a.md", None);
    }

    /// A package beside the site (`docs/` next to `src/pkg`, `path = "../src/pkg"`) is
    /// watched and its files are Python sources; the rest of the parent folder is not.
    #[test]
    fn a_package_outside_the_site_is_watched() {
        let parent = tempfile::tempdir().unwrap();
        let site = parent.path().join("docs");
        std::fs::create_dir_all(site.join("content")).unwrap();
        std::fs::create_dir_all(parent.path().join("src/pkg")).unwrap();
        let mut config = Config::default();
        config.autodoc_python.push(PythonPackageConfig {
            name: "pkg".into(),
            path: "../src/pkg".into(),
            url: "/api/".into(),
            include_private: false,
            merge_init_into_class: false,
            source_url: None,
        });
        let site = canonical(site);
        let roots = WatchRoots::new(&site, &config, &site.join("public"));
        let package = canonical(parent.path().join("src/pkg"));
        assert_eq!(
            roots.classify(&package.join("core.py")),
            Some(SourceKind::Reference)
        );
        assert_eq!(roots.classify(&package.join("__pycache__/core.pyc")), None);
        let other = canonical(parent.path().to_path_buf()).join("README.md");
        assert_eq!(roots.classify(&other), None);
        assert!(
            roots
                .watch_list()
                .contains(&(package, RecursiveMode::Recursive)),
            "the package folder is registered with the watcher"
        );
    }

    #[test]
    fn a_local_inventory_is_watched() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("inv")).unwrap();
        std::fs::write(site.path().join("inv/requests.inv"), b"x").unwrap();
        let mut config = Config::default();
        config
            .autodoc_inventories
            .push(crate::config::InventoryConfig {
                source: crate::config::InventorySource::Path("inv/requests.inv".into()),
                base_url: "https://requests.readthedocs.io/".into(),
            });
        let site = canonical(site.path().to_path_buf());
        let roots = WatchRoots::new(&site, &config, &site.join("public"));
        let inventory = site.join("inv/requests.inv");
        assert_eq!(roots.classify(&inventory), Some(SourceKind::Reference));
        assert_eq!(roots.classify(&site.join("inv/other.inv")), None);
        assert!(
            roots
                .watch_list()
                .contains(&(inventory, RecursiveMode::NonRecursive))
        );
    }

    #[test]
    fn change_sets_are_sorted_and_unique() {
        let change = |path: &str| Change {
            path: PathBuf::from(path),
            kind: SourceKind::Content,
        };
        let mut set = ChangeSet::new([
            change("/s/b.md"),
            change("/s/a.md"),
            change("/s/b.md"),
            change("/s"),
        ]);
        assert_eq!(set.describe(Path::new("/s")), "a.md and 1 more");
        set.extend(ChangeSet::new([
            change("/s/a.md"),
            Change {
                path: PathBuf::from("/s/templates/page.html"),
                kind: SourceKind::Template,
            },
        ]));
        let paths: Vec<_> = set.changes().iter().map(|c| c.path.clone()).collect();
        assert_eq!(
            paths,
            [
                PathBuf::from("/s/a.md"),
                PathBuf::from("/s/b.md"),
                PathBuf::from("/s/templates/page.html")
            ]
        );
        assert!(set.reloads_workers());
        assert!(!ChangeSet::new([change("/s/a.md")]).reloads_workers());
        assert!(ChangeSet::default().is_empty());
        let folder = ChangeSet::new([change("/s/new-section"), change("/s/new-section-2.md")]);
        assert_eq!(folder.changes().len(), 2, "a folder alone stays");
    }

    #[test]
    fn an_edit_arrives_as_one_change_set() {
        let site = tempfile::tempdir().expect("temp dir");
        let site_root = std::fs::canonicalize(site.path()).expect("canonical");
        std::fs::create_dir_all(site_root.join("content/guide")).expect("mkdir");
        std::fs::create_dir_all(site_root.join("public")).expect("mkdir");
        let roots = WatchRoots::new(&site_root, &Config::default(), &site_root.join("public"));
        let (sender, receiver) = crossbeam_channel::unbounded();
        let watcher = SourceWatcher::start(roots, sender).expect("watch");
        assert_eq!(watcher.watched(), 2, "the site root and content/");
        let page = site_root.join("content/guide/a.md");
        std::fs::write(&page, "# A\n").expect("write");
        std::fs::write(&page, "# A, again\n").expect("write");
        std::fs::write(site_root.join("public/index.html"), "out").expect("write");
        std::fs::write(site_root.join("ssg.toml"), "title = \"x\"\n").expect("write");
        let mut seen = ChangeSet::default();
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while seen.changes().len() < 2 && std::time::Instant::now() < deadline {
            if let Ok(set) = receiver.recv_timeout(Duration::from_millis(200)) {
                seen.extend(set);
            }
        }
        let got: Vec<(PathBuf, SourceKind)> = seen
            .changes()
            .iter()
            .map(|c| (c.path.clone(), c.kind))
            .collect();
        assert_eq!(
            got,
            [
                (page, SourceKind::Content),
                (site_root.join("ssg.toml"), SourceKind::Config)
            ]
        );
    }
}

//! External inventories (`[[autodoc.inventories]]`): other projects' `objects.inv`, so
//! `str`, `pathlib.Path` or `requests.Session` link to their documentation.
//!
//! A `url` is fetched once and kept in `.ssg-cache/inventories/` (named by a hash of the
//! URL); later builds read the kept copy (delete the folder to fetch again). A `path` is
//! read on every build. An inventory that cannot be fetched or read is a warning and the
//! build goes on: its names stay plain text. Only Python-domain entries are kept; the
//! first inventory (in configuration order) that names an object wins it.

use super::sphinx_inventory;
use crate::config::{Config, InventoryConfig, InventorySource};
use crate::diagnostics::Diagnostic;
use protocol::{ExternalObject, ObjectKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The folder under the cache where fetched inventories are kept.
pub const INVENTORY_CACHE: &str = "inventories";

/// The most an inventory download may be.
const MAX_DOWNLOAD_BYTES: u64 = 64 * 1024 * 1024;

/// How long one download may take, connection included.
const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// The objects of every configured inventory, sorted by name, and the problems met.
/// `cache_dir` is `<site>/.ssg-cache` when the build may write its cache.
pub fn load_external(
    site_root: &Path,
    config: &Config,
    cache_dir: Option<&Path>,
) -> (Vec<ExternalObject>, Vec<Diagnostic>) {
    let mut objects: BTreeMap<String, ExternalObject> = BTreeMap::new();
    let mut warnings = Vec::new();
    // Problems are reported against the file that configured the inventories.
    let config_file = config.source_file_name();
    for inventory in &config.autodoc_inventories {
        let bytes = match read_inventory(site_root, inventory, cache_dir, config_file) {
            Ok(bytes) => bytes,
            Err(warning) => {
                warnings.push(warning);
                continue;
            }
        };
        let entries = match sphinx_inventory::decode(&bytes) {
            Ok(entries) => entries,
            Err(e) => {
                warnings.push(unusable(inventory, &e.to_string(), config_file));
                continue;
            }
        };
        for entry in entries {
            let Some(kind) = ObjectKind::from_sphinx_role(&entry.role) else {
                continue;
            };
            objects
                .entry(entry.name.clone())
                .or_insert_with(|| ExternalObject {
                    url: join_url(&inventory.base_url, &entry.uri),
                    name: entry.name.into(),
                    kind,
                });
        }
    }
    (objects.into_values().collect(), warnings)
}

/// `uri` relative to `base` (ending with `/`), unless it is absolute already.
fn join_url(base: &str, uri: &str) -> String {
    if uri.starts_with("https://") || uri.starts_with("http://") {
        uri.to_string()
    } else {
        format!("{base}{}", uri.trim_start_matches('/'))
    }
}

fn source_name(inventory: &InventoryConfig) -> &str {
    match &inventory.source {
        InventorySource::Url(url) => url,
        InventorySource::Path(path) => path,
    }
}

fn unusable(inventory: &InventoryConfig, why: &str, config_file: &str) -> Diagnostic {
    Diagnostic::in_file(
        config_file,
        format!(
            "inventory `{}` cannot be used: {why}",
            source_name(inventory)
        ),
    )
    .with_hint(
        "names from it stay plain text; point [[autodoc.inventories]] at a Sphinx objects.inv",
    )
}

/// The inventory's bytes: the file, the kept download, or a fresh download (then kept).
fn read_inventory(
    site_root: &Path,
    inventory: &InventoryConfig,
    cache_dir: Option<&Path>,
    config_file: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let url = match &inventory.source {
        InventorySource::Path(path) => {
            return std::fs::read(site_root.join(path)).map_err(|e| {
                Diagnostic::in_file(config_file, format!("cannot read inventory `{path}`: {e}"))
                    .with_hint("fix `path` in [[autodoc.inventories]] (relative to the site root); names from it stay plain text")
            });
        }
        InventorySource::Url(url) => url,
    };
    let kept = cache_dir.map(|dir| kept_path(dir, url));
    if let Some(bytes) = kept.as_ref().and_then(|path| std::fs::read(path).ok()) {
        return Ok(bytes);
    }
    let bytes = fetch(url).map_err(|e| {
        Diagnostic::in_file(config_file, format!("cannot fetch inventory `{url}`: {e}")).with_hint(
            "check the URL and the network; the build goes on and names from it stay plain text",
        )
    })?;
    // Only an inventory that reads is kept, so a proxy's error page is not kept for good.
    if sphinx_inventory::decode(&bytes).is_ok()
        && let Some(path) = &kept
        && let Err(e) = keep(path, &bytes)
    {
        tracing::warn!("cannot keep the inventory {url} in {}: {e}", path.display());
    }
    Ok(bytes)
}

/// Where the download of `url` is kept.
pub fn kept_path(cache_dir: &Path, url: &str) -> PathBuf {
    let hash = xxhash_rust::xxh3::xxh3_128(url.as_bytes());
    cache_dir
        .join(INVENTORY_CACHE)
        .join(format!("{hash:032x}.inv"))
}

/// Writes `bytes` to `path` atomically (a temporary file beside it, then a rename).
fn keep(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let temporary = path.with_extension("inv.tmp");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

/// One GET, bounded in time and size.
fn fetch(url: &str) -> Result<Vec<u8>, ureq::Error> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(FETCH_TIMEOUT))
        .user_agent(concat!("ssg-coord/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent.get(url).call()?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_DOWNLOAD_BYTES)
        .read_to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xref::sphinx_inventory::{InventoryEntry, encode};

    fn python_inventory() -> Vec<u8> {
        let entry = |name: &str, role: &str, uri: &str| InventoryEntry {
            name: name.into(),
            role: role.into(),
            priority: 1,
            uri: uri.into(),
            display_name: name.into(),
        };
        encode(
            "Python",
            "3.13",
            &[
                entry("str", "py:class", "library/stdtypes.html#$"),
                entry("pathlib.Path", "py:class", "library/pathlib.html#$"),
                entry("os.path", "py:module", "library/os.path.html#module-$"),
                entry("tutorial", "std:label", "tutorial/index.html#$"),
            ],
        )
    }

    fn config_with(inventories: Vec<InventoryConfig>) -> Config {
        Config {
            autodoc_inventories: inventories,
            ..Config::default()
        }
    }

    #[test]
    fn a_local_inventory_gives_python_objects_with_absolute_urls() {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("python.inv"), python_inventory()).unwrap();
        let config = config_with(vec![
            InventoryConfig {
                source: InventorySource::Path("python.inv".into()),
                base_url: "https://docs.python.org/3/".into(),
            },
            InventoryConfig {
                source: InventorySource::Path("missing.inv".into()),
                base_url: "https://x.org/".into(),
            },
        ]);
        let (objects, warnings) = load_external(site.path(), &config, None);
        let names: Vec<(&str, ObjectKind, &str)> = objects
            .iter()
            .map(|o| (o.name.as_str(), o.kind, o.url.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (
                    "os.path",
                    ObjectKind::Module,
                    "https://docs.python.org/3/library/os.path.html#module-os.path"
                ),
                (
                    "pathlib.Path",
                    ObjectKind::Class,
                    "https://docs.python.org/3/library/pathlib.html#pathlib.Path"
                ),
                (
                    "str",
                    ObjectKind::Class,
                    "https://docs.python.org/3/library/stdtypes.html#str"
                ),
            ]
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0]
                .message
                .contains("cannot read inventory `missing.inv`")
        );
    }

    /// A one-route HTTP server on 127.0.0.1 answering every GET with `body`; counts requests.
    struct TinyServer {
        url: String,
        requests: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    }

    fn serve(body: Vec<u8>, status: &'static str) -> TinyServer {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/3/objects.inv", listener.local_addr().unwrap());
        let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(10) {
                let Ok(mut stream) = stream else { continue };
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        TinyServer { url, requests }
    }

    fn url_config(url: &str) -> Config {
        config_with(vec![InventoryConfig {
            source: InventorySource::Url(url.to_string()),
            base_url: url.trim_end_matches("objects.inv").to_string(),
        }])
    }

    #[test]
    fn a_url_is_fetched_once_then_read_from_the_cache() {
        let site = tempfile::tempdir().unwrap();
        let cache = site.path().join(".ssg-cache");
        let server = serve(python_inventory(), "200 OK");
        let config = url_config(&server.url);
        let (objects, warnings) = load_external(site.path(), &config, Some(&cache));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(objects.len(), 3);
        assert_eq!(
            objects[2].url,
            format!(
                "{}library/stdtypes.html#str",
                server.url.trim_end_matches("objects.inv")
            )
        );
        let kept = kept_path(&cache, &server.url);
        assert_eq!(std::fs::read(&kept).unwrap(), python_inventory());
        let (again, warnings) = load_external(site.path(), &config, Some(&cache));
        assert!(warnings.is_empty());
        assert_eq!(again, objects);
        assert_eq!(
            server.requests.load(std::sync::atomic::Ordering::SeqCst),
            1,
            "the second build reads the kept copy"
        );
    }

    #[test]
    fn a_server_that_is_down_or_answers_garbage_is_a_warning() {
        let site = tempfile::tempdir().unwrap();
        let cache = site.path().join(".ssg-cache");
        // A port nobody listens on: bound, then released.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let down = format!("http://127.0.0.1:{port}/objects.inv");
        let (objects, warnings) = load_external(site.path(), &url_config(&down), Some(&cache));
        assert!(objects.is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0]
                .message
                .starts_with(&format!("cannot fetch inventory `{down}`"))
        );
        assert!(!kept_path(&cache, &down).exists());

        let not_found = serve(b"no such file".to_vec(), "404 Not Found");
        let (_, warnings) = load_external(site.path(), &url_config(&not_found.url), Some(&cache));
        assert!(
            warnings[0].message.contains("cannot fetch inventory"),
            "{warnings:?}"
        );

        let html = serve(b"<html>portal</html>".to_vec(), "200 OK");
        let (objects, warnings) = load_external(site.path(), &url_config(&html.url), Some(&cache));
        assert!(objects.is_empty());
        assert!(
            warnings[0].message.contains("cannot be used"),
            "{warnings:?}"
        );
        assert!(
            !kept_path(&cache, &html.url).exists(),
            "an unreadable answer is not kept"
        );
    }

    #[test]
    fn join_keeps_absolute_uris() {
        assert_eq!(
            join_url("https://a.org/x/", "y.html#z"),
            "https://a.org/x/y.html#z"
        );
        assert_eq!(
            join_url("https://a.org/x/", "https://b.org/"),
            "https://b.org/"
        );
    }
}

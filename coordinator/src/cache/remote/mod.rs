//! The shared shard cache: a second tier behind `.ssg-cache/`, in a store that many
//! machines share (`--cache-url`, `[build] cache_url`), so a CI machine or a fresh
//! checkout reuses the shards another one rendered.
//!
//! # Keys and entries
//!
//! The unit is the shard, as in the local cache. A shard's key is its [`ShardFingerprint`]:
//! a hash of its id and of every page id with its fingerprint, which covers sources,
//! templates, configuration, nav slice and the binary, and nothing machine-specific (no
//! absolute path, no clock), so two checkouts of the same inputs agree. An entry
//! (`entry.rs`) holds each page's [`CachedPage`](super::CachedPage), exactly what
//! `.ssg-cache/` keeps, plus the bytes of every output the page wrote, so a machine with an
//! empty output folder can be served from it.
//!
//! # Trust
//!
//! An entry is checked before use: format version, a checksum of its bytes, the key it
//! echoes (a foreign entry under this key is refused), each output against the hash its
//! page recorded. A fetched page is then held to the same rules as a locally cached one
//! (same fingerprint, its relative links and included files resolve as when it was
//! rendered); a page that fails them is rendered here. A refused entry is one warning.
//!
//! # Failure
//!
//! The store is an accelerator, never a dependency: every request is bounded
//! (`store.rs`), and the first request that fails for another reason than "no such entry"
//! marks the store down for the rest of the build: one warning, and the build renders
//! what it did not get. Requests run a few at a time, each on a thread that then decodes
//! and writes what it fetched.

mod entry;
mod store;

use crate::cache_url::CacheUrl;
use crate::diagnostics::Diagnostic;
pub use entry::{Entry, ShardFingerprint, encode};
use protocol::ShardId;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use store::{Fetched, Store};

/// How many requests are in flight at once.
const CONCURRENT_REQUESTS: usize = 8;

/// The `file` of every diagnostic about the shared cache (the setting that names it); such
/// warnings belong to one build and are not repeated by a build that finds nothing to do.
pub const WARNING_FILE: &str = "cache_url";

/// The store one build shares shards through.
pub struct SharedCache {
    url: CacheUrl,
    store: Store,
    runtime: tokio::runtime::Runtime,
    /// Set by the first failed request: later requests are not made.
    down: AtomicBool,
    /// Why the store failed, for the one warning.
    failure: Mutex<Option<String>>,
    /// Entries refused: (shard, why).
    refused: Mutex<Vec<(String, String)>>,
}

impl SharedCache {
    /// Opens the store `url` names (no request is made yet).
    pub fn open(url: &CacheUrl) -> Result<SharedCache, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("shared-cache")
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
        // The client (reqwest) must be built inside the runtime.
        let store = {
            let _entered = runtime.enter();
            Store::open(url)?
        };
        Ok(SharedCache {
            url: url.clone(),
            store,
            runtime,
            down: AtomicBool::new(false),
            failure: Mutex::new(None),
            refused: Mutex::new(Vec::new()),
        })
    }

    /// The store's URL.
    pub fn url(&self) -> &CacheUrl {
        &self.url
    }

    fn fail(&self, why: String) {
        self.down.store(true, Ordering::Relaxed);
        if let Ok(mut failure) = self.failure.lock() {
            failure.get_or_insert(why);
        }
    }

    /// Looks up the entry of every shard of `wanted`, a few at a time. For each one the
    /// store holds and that passes the checks, `found(i, entry)` runs on the thread that
    /// fetched it; a refused entry is remembered for [`SharedCache::warnings`].
    pub fn fetch_each(
        &self,
        wanted: &[(ShardFingerprint, ShardId)],
        found: impl Fn(usize, Entry) + Sync,
    ) {
        for_each_concurrently(wanted.len(), |i| {
            if self.down.load(Ordering::Relaxed) {
                return;
            }
            let (fingerprint, shard) = &wanted[i];
            match self.runtime.block_on(self.store.get(&fingerprint.hex())) {
                Ok(Fetched::Found(bytes)) => match entry::decode(bytes, fingerprint, shard) {
                    Ok(entry) => found(i, entry),
                    Err(why) => {
                        tracing::warn!("shared cache entry of shard `{shard}` ignored: {why}");
                        if let Ok(mut refused) = self.refused.lock() {
                            refused.push((shard.0.clone(), why.to_string()));
                        }
                    }
                },
                Ok(Fetched::Missing) => {}
                Err(why) => self.fail(why),
            }
        });
    }

    /// Uploads the entries `make(i)` encodes for `i` in `0..n` (`None`: nothing to upload),
    /// a few at a time. Returns how many the store accepted.
    pub fn upload_each(
        &self,
        n: usize,
        make: impl Fn(usize) -> Option<(ShardFingerprint, Vec<u8>)> + Sync,
    ) -> usize {
        let stored = AtomicUsize::new(0);
        for_each_concurrently(n, |i| {
            if self.down.load(Ordering::Relaxed) {
                return;
            }
            let Some((fingerprint, bytes)) = make(i) else {
                return;
            };
            match self
                .runtime
                .block_on(self.store.put(&fingerprint.hex(), bytes))
            {
                Ok(()) => {
                    stored.fetch_add(1, Ordering::Relaxed);
                }
                Err(why) => self.fail(why),
            }
        });
        stored.into_inner()
    }

    /// What went wrong with the store during this build: at most one warning for a store
    /// that failed, and one per refused entry.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        if let Some(why) = self.failure.lock().ok().and_then(|mut f| f.take()) {
            warnings.push(
                Diagnostic::in_file(
                    WARNING_FILE,
                    format!("the shared cache {} cannot be used: {why}", self.url),
                )
                .with_hint(
                    "the build went on without it (what it could not fetch was rendered here); check that the store is up and reachable",
                ),
            );
        }
        for (shard, why) in self
            .refused
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
        {
            warnings.push(
                Diagnostic::in_file(
                    WARNING_FILE,
                    format!(
                        "the shared cache's entry for shard `{shard}` in {} was ignored: {why}",
                        self.url
                    ),
                )
                .with_hint(
                    "nothing to do: the shard was rendered here and its entry uploaded again",
                ),
            );
        }
        warnings
    }
}

/// Runs `each(i)` for every `i` in `0..n` on up to [`CONCURRENT_REQUESTS`] threads.
fn for_each_concurrently(n: usize, each: impl Fn(usize) + Sync) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..CONCURRENT_REQUESTS.min(n) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    each(i);
                }
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_store_is_one_warning_and_no_entry() {
        // Port 9 (discard) on loopback: nothing listens there in a test environment.
        let url = CacheUrl::parse("http://127.0.0.1:9/ssg").unwrap();
        let shared = SharedCache::open(&url).unwrap();
        let wanted: Vec<_> = (0..20u8)
            .map(|i| (ShardFingerprint([i; 32]), ShardId(format!("s{i}"))))
            .collect();
        let found = AtomicUsize::new(0);
        shared.fetch_each(&wanted, |_, _| {
            found.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(found.into_inner(), 0);
        let uploaded = shared.upload_each(3, |i| Some((ShardFingerprint([i as u8; 32]), vec![1])));
        assert_eq!(uploaded, 0);
        let warnings = shared.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].message.contains("cannot be used"),
            "{warnings:?}"
        );
    }
}

//! One build's use of the cache, opened once: whether this build reuses what the previous
//! one left is decided here, at [`CacheSession::open`], and every reader asks the session
//! rather than deciding again. Without a usable `.ssg-cache/` (or with `--no-cache`, or in
//! `ssg-coord check`) every reader answers "nothing known".

use super::inputs::{self, ExeStamp};
use super::{
    CACHE_DIR, CacheStore, DiscoveryCache, FastPath, NavSliceHashes, PreviousBuild, RecordedBuild,
};
use crate::diagnostics::Diagnostic;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// How a build uses the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheUse {
    /// Reuse what the previous build left, and write the cache this build leaves.
    ReadWrite,
    /// Render everything, and still write a fresh cache (`--no-cache`).
    WriteOnly,
    /// Neither read nor write `.ssg-cache/` (`ssg-coord check`).
    Off,
}

/// The cache as one build sees it.
pub struct CacheSession {
    /// The locked cache folder, when the build writes one and it could be opened.
    store: Option<CacheStore>,
    /// The one "cache or not" decision: reuse what the previous build left.
    reuse: bool,
    /// A cache was asked for but could not be opened (warned about once in the report).
    unusable: bool,
    /// The running executable's stamp.
    exe: Option<ExeStamp>,
    /// The executable stamp and identity the previous build recorded.
    recorded_binary: Option<(ExeStamp, u128)>,
    /// The running binary's identity, once asked for (hashing the executable is costly).
    binary: std::sync::OnceLock<u128>,
    /// The manifest the previous build left (read even with `--no-cache`: the binary's
    /// identity it records describes the executable, not the site).
    recorded: RecordedBuild,
}

impl CacheSession {
    /// Opens the cache of the site at `site_root` (locking it) as `cache_use` says.
    pub fn open(site_root: &Path, cache_use: CacheUse) -> CacheSession {
        let store = match cache_use {
            CacheUse::Off => None,
            CacheUse::ReadWrite | CacheUse::WriteOnly => match CacheStore::open(site_root) {
                Ok(store) => Some(store),
                Err(e) => {
                    tracing::warn!(
                        "cannot use the build cache in {}: {e}",
                        site_root.join(CACHE_DIR).display()
                    );
                    None
                }
            },
        };
        let recorded = store
            .as_ref()
            .map_or_else(RecordedBuild::none, RecordedBuild::read);
        CacheSession {
            recorded_binary: recorded.binary().cloned(),
            binary: std::sync::OnceLock::new(),
            reuse: cache_use == CacheUse::ReadWrite && store.is_some(),
            unusable: cache_use != CacheUse::Off && store.is_none(),
            store,
            exe: inputs::exe_stamp(),
            recorded,
        }
    }

    /// The running executable's stamp (part of the input signature).
    pub fn exe_stamp(&self) -> Option<&ExeStamp> {
        self.exe.as_ref()
    }

    /// The previous build's fast-path record, when this build reuses the cache and its
    /// inputs have `signature`, as the previous build's had.
    pub fn fast_path(&self, signature: u128) -> Option<&FastPath> {
        self.recorded
            .fast_path()
            .filter(|fast| self.reuse && fast.signature == signature)
    }

    /// The warning of a build that wanted a cache and could not open one.
    pub fn unusable_warning(&self) -> Option<Diagnostic> {
        self.unusable.then(|| {
            Diagnostic::in_file(CACHE_DIR, "cannot use the build cache")
                .with_hint("the site builds in full without it; see the log with -v")
        })
    }

    /// What discovery need not read again.
    pub fn known_files(&self) -> DiscoveryCache {
        match &self.store {
            Some(store) if self.reuse => DiscoveryCache::read(store),
            _ => DiscoveryCache::default(),
        }
    }

    /// The identity of the running binary: the one recorded when the executable is
    /// unchanged, else a hash of its bytes.
    pub fn binary_identity(&self) -> u128 {
        *self
            .binary
            .get_or_init(|| match (&self.exe, &self.recorded_binary) {
                (Some(stamp), Some((recorded_stamp, id))) if stamp == recorded_stamp => *id,
                _ => crate::plan::fingerprint::binary_identity(),
            })
    }

    /// The executable's stamp with its identity, for the next build to trust.
    pub fn binary_record(&self) -> Option<(ExeStamp, u128)> {
        self.exe
            .clone()
            .map(|stamp| (stamp, self.binary_identity()))
    }

    /// What the previous build rendered (taken once: the manifest moves into it). A cache
    /// that cannot be read is a warning.
    pub fn previous_build(&mut self, warnings: &mut Vec<Diagnostic>) -> PreviousBuild {
        let recorded = self.take_recorded();
        self.load_previous(recorded, warnings)
    }

    /// The manifest the previous build left, taken once (the session answers the fast
    /// path and the binary's identity from what it read at [`CacheSession::open`]), for
    /// [`CacheSession::load_previous`] to read the rest on another thread.
    pub fn take_recorded(&mut self) -> RecordedBuild {
        std::mem::replace(&mut self.recorded, RecordedBuild::none())
    }

    /// What the previous build rendered, from the manifest [`CacheSession::take_recorded`]
    /// took. A cache that cannot be read is a warning.
    pub fn load_previous(
        &self,
        recorded: RecordedBuild,
        warnings: &mut Vec<Diagnostic>,
    ) -> PreviousBuild {
        match &self.store {
            Some(store) if self.reuse => PreviousBuild::load(store, recorded, warnings),
            _ => PreviousBuild::default(),
        }
    }

    /// The nav-slice hashes of the previous build.
    pub fn nav_slices(&self) -> NavSliceHashes {
        match &self.store {
            Some(store) if self.reuse => NavSliceHashes::read(store),
            _ => NavSliceHashes::default(),
        }
    }

    /// Another cache file by name, when this build reuses the cache and it is readable.
    pub fn read_named<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        match &self.store {
            Some(store) if self.reuse => store.read_named(name).ok().flatten(),
            _ => None,
        }
    }

    /// Writes another cache file by name; a failure is only a log line, as these files only
    /// save the next build time.
    pub fn write_named<T: Serialize>(&self, name: &str, value: &T, what: &str) {
        if let Some(store) = &self.store
            && let Err(e) = store.write_named(name, value)
        {
            tracing::warn!("cannot save {what}: {e}");
        }
    }

    /// Whether this build reuses what the previous one left (off under `--no-cache`).
    pub fn reuses(&self) -> bool {
        self.reuse
    }

    /// The cache folder this build writes, if any.
    pub fn store(&self) -> Option<&CacheStore> {
        self.store.as_ref()
    }
}

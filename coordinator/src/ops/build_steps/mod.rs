//! The steps of one build, in order, each in its own module, each taking what the last
//! one produced and handing on something smaller. `ops::build::build_in` calls them:
//!
//! 1. [`inputs`]: `open_inputs`: the site folder, `ssg.toml` (loaded once per build), the
//!    output folder, the cache session (opened once: the one "reuse or not" decision) and
//!    the input signature; `Inputs::unchanged`: nothing changed and every output in
//!    place, the build ends here.
//! 2. [`planning`]: `discover_and_plan`: `Site::with_config`, then `BuildPlan::new`; the
//!    report learns the page counts and what could not be read or planned.
//! 3. [`freshness`]: `find_stale`: fingerprints against the previous build: the pages the
//!    cache still holds, and the plan indexes to render.
//! 4. [`shared_cache`]: `fetch_shared` (with `--cache-url`): stale pages the shared
//!    cache holds are written from it; then [`render`]: `render_stale`: the pool renders
//!    the pages still stale ([`backlinks`]: guides first, then the Python module pages with
//!    the guides' backlinks).
//! 5. [`collect`]: `collect_results`: results and cached pages into the report and the
//!    next cache.
//! 6. [`merging`]: `merge_site`: site-wide files and the link check, over cached and fresh
//!    pages alike.
//!    With `--cache-url`, [`shared_cache`]: `upload_rendered` then uploads every shard
//!    this build rendered. A part build (`ops::build_part`) uses `shared_cache`'s
//!    `fetch_part` and `upload_part` instead, and [`shared_mentions`] for the mentions of
//!    the other parts' guides.
//! 7. [`cache_writing`]: `write_cache`: stale outputs removed, the cache written (the
//!    manifest last).

pub(crate) mod backlinks;
pub(crate) mod cache_writing;
pub(crate) mod collect;
pub(crate) mod freshness;
pub(crate) mod inputs;
pub(crate) mod merging;
pub(crate) mod planning;
pub(crate) mod render;
pub(crate) mod shared_cache;
pub(crate) mod shared_mentions;

use crate::discover::Site;
use crate::ops::build_options::BuildOptions;
use crate::plan::BuildPlan;
use std::path::Path;
use std::time::Instant;

/// What every step after planning reads: the options, the site and its plan, where the
/// output goes, and the input signature.
pub(crate) struct Build<'b> {
    pub(crate) options: &'b BuildOptions,
    pub(crate) site: &'b Site,
    pub(crate) plan: &'b BuildPlan,
    pub(crate) out_dir: &'b Path,
    pub(crate) signature: u128,
    /// The site's API objects and the external inventories, for cross-references.
    pub(crate) api: &'b std::sync::Arc<protocol::ApiInventory>,
    /// Keep rendered results packed until the render is over (`pool::PackedResults`): a
    /// part build, which unpacks them once its workers are gone.
    pub(crate) pack_results: bool,
}

/// Wall time of each build phase, logged at `-v`.
pub(crate) struct Phases {
    last: Instant,
}

impl Phases {
    pub(crate) fn new() -> Phases {
        Phases {
            last: Instant::now(),
        }
    }

    pub(crate) fn done(&mut self, phase: &str) {
        let now = Instant::now();
        tracing::info!(
            "{phase}: {:.1} ms",
            (now - self.last).as_secs_f64() * 1000.0
        );
        self.last = now;
    }
}

//! The URL of every page of the last planned build, kept by a dev server's `BuildSession`:
//! the page a writer names on the command line, and the pages that failed, are found by
//! their id (a markdown page's id is its site-relative path, `content/guide/x.md`).

use crate::cache::DiscoveryCache;
use crate::discover::{LoadError, Site};
use crate::plan::partition::ShardStrategy;
use crate::plan::{BuildPlan, PlanOptions};
use rustc_hash::FxHashMap;
use std::path::Path;

/// Page id → URL path (`/guide/x/`, without the base path).
#[derive(Debug, Default)]
pub struct PageUrls {
    urls: FxHashMap<String, String>,
}

impl PageUrls {
    /// The URL path of the page with id `page_id`; a page that failed to plan keeps the URL
    /// it had.
    pub fn get(&self, page_id: &str) -> Option<&str> {
        self.urls.get(page_id).map(String::as_str)
    }

    /// Takes the URLs of `plan`, keeping the old URL of each page that failed to plan.
    pub fn remember(&mut self, site: &Site, plan: &BuildPlan) {
        let mut urls: FxHashMap<String, String> = plan
            .pages
            .iter()
            .map(|page| (page.id.0.clone(), page.url.clone()))
            .collect();
        for failure in site.failures.iter().chain(&plan.failures) {
            if let Some(url) = self.urls.remove(&failure.id.0) {
                urls.insert(failure.id.0.clone(), url);
            }
        }
        self.urls = urls;
    }

    /// Plans the site at `site_dir` to learn its URLs when no build has (the first build
    /// of a dev server found nothing to do).
    pub fn learn(
        &mut self,
        site_dir: &Path,
        drafts: bool,
        shards: ShardStrategy,
    ) -> Result<(), LoadError> {
        if !self.urls.is_empty() {
            return Ok(());
        }
        let root = std::fs::canonicalize(site_dir).map_err(|e| LoadError::Site {
            path: site_dir.display().to_string(),
            message: format!("cannot open site folder: {e}"),
        })?;
        let site = Site::load(&root, drafts, &DiscoveryCache::default())?;
        let plan = BuildPlan::new(&site, PlanOptions { shards });
        self.remember(&site, &plan);
        Ok(())
    }
}

//! Step 2 of a build: discovery, then the plan. The report starts here, with every page
//! counted and what could not be read or planned.

use super::Phases;
use super::inputs::config_file_name;
use crate::cache::inputs::InputStamps;
use crate::cache::{CacheSession, DiscoveryCache, SameBytes, StampedKnownFiles};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::discover::{LoadError, Site};
use crate::ops::build_options::BuildOptions;
use crate::plan::{BuildPlan, PlanOptions};
use crate::report::BuildReport;
use std::path::{Path, PathBuf};

/// The site, its plan and the report they start.
pub(crate) struct Planned {
    pub site: Site,
    pub plan: BuildPlan,
    pub report: BuildReport,
}

/// The site's API inventory (its documented objects and the external inventories, for
/// cross-references) and the warnings building it gave.
pub(crate) struct ApiIndex {
    pub inventory: std::sync::Arc<protocol::ApiInventory>,
    pub warnings: Vec<Diagnostic>,
}

/// Builds the API inventory of a planned site, reusing the module symbols the cache keeps
/// for this executable (and saving them when they changed).
pub(crate) fn index_api(planned: &Planned, cache: &CacheSession) -> ApiIndex {
    let (site, plan) = (&planned.site, &planned.plan);
    let cache_dir = cache
        .store()
        .map(|_| site.root.join(crate::cache::CACHE_DIR));
    let known_symbols = crate::xref::KnownSymbols::for_binary(
        cache.read_named(crate::xref::SYMBOLS_FILE),
        cache.binary_identity(),
    );
    let (inventory, warnings, symbols) = crate::xref::site_inventory(
        site,
        plan,
        cache_dir.as_deref(),
        &known_symbols,
        cache.store().is_some(),
    );
    if symbols != known_symbols {
        cache.write_named(crate::xref::SYMBOLS_FILE, &symbols, "the API symbols");
    }
    crate::teardown::release_at_exit((known_symbols, symbols));
    ApiIndex {
        inventory: std::sync::Arc::new(inventory),
        warnings,
    }
}

/// What discovery may know of the files before it reads them.
pub(crate) enum Known<'a> {
    /// The site's cache (files it knows by their stamp, stamps the input signature took).
    Cache(&'a CacheSession, &'a InputStamps),
    /// Another machine's discovery of the site: parses of the same bytes only.
    Elsewhere(&'a DiscoveryCache),
}

/// Discovers the site at `root` with its loaded `config` (reading again only files the
/// cache does not know, stamping only files the input signature did not; or, with a
/// discovery made elsewhere, parsing again only the files whose bytes differ), and plans
/// it.
pub(crate) fn discover_and_plan(
    options: &BuildOptions,
    root: PathBuf,
    config: Config,
    known: Known<'_>,
    out_dir: &Path,
    phases: &mut Phases,
) -> Result<Planned, LoadError> {
    let site = match known {
        Known::Cache(cache, stamps) => {
            let known = cache.known_files();
            let stamped = StampedKnownFiles {
                known: &known,
                stamps,
            };
            let site = Site::with_config(root, config, options.drafts, &stamped)?;
            crate::teardown::release_at_exit(known);
            site
        }
        Known::Elsewhere(known) => {
            Site::with_config(root, config, options.drafts, &SameBytes { known })?
        }
    };
    phases.done("discover");
    let plan = BuildPlan::new(
        &site,
        PlanOptions {
            shards: options.shards,
        },
    );
    phases.done("plan");
    let report = planned_report(&site, &plan, out_dir);
    Ok(Planned { site, plan, report })
}

/// The report a build of `site` planned as `plan` starts with: every page counted, what
/// could not be read or planned.
pub(crate) fn planned_report(site: &Site, plan: &BuildPlan, out_dir: &Path) -> BuildReport {
    let mut report = BuildReport {
        output_dir: out_dir.display().to_string(),
        config_file: config_file_name(&site.config),
        ..BuildReport::default()
    };
    for failure in site.failures.iter().chain(&plan.failures) {
        report.pages.add(failure.kind);
        report.errors.push(Diagnostic::from(&failure.error));
        report.failed_pages.push(failure.id.to_string());
    }
    report.errors.extend(site.errors.iter().cloned());
    report.warnings.extend(site.warnings.iter().cloned());
    report.warnings.extend(plan.warnings.iter().cloned());
    for page in &plan.pages {
        report.pages.add(page.kind);
    }
    report
}

//! Step 4 for a site with Python API pages: guides first, then the API pages with their
//! backlinks ("Referenced by": the guide pages that mention each object).
//!
//! Backlinks are known only once every guide page has rendered (a page records the names
//! it mentions as `py:` link dependencies, with the URL each resolved to). So the stale
//! pages render in two passes: every page but the Python module pages, then, with the
//! backlinks collected from all guide pages (cached and fresh alike, in plan order, so the
//! result does not depend on the mode or on finish order), the stale module pages and the
//! cached ones whose backlinks changed (their `py-backlinks:<module>` dependency, which
//! `cache::check_fresh` leaves to this step).

use super::Build;
use super::render::render_stale;
use crate::cache::CachedPage;
use crate::plan::{BuildPlan, PageSource};
use crate::pool::{PackedResults, ProcessPool, RenderOutcome};
use protocol::{ApiInventory, Backlink, BacklinkPage, LinkDep, ReferenceBody, RenderedPage};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use worker::xref::{BACKLINKS_DEP_PREFIX, Lookup, Resolver};

/// Renders `stale`: in one pass for a site without Python modules, else guides first and
/// Python module pages second. Cached module pages whose backlinks changed leave `cached`
/// and are rendered too.
pub(crate) fn render_with_backlinks(
    build: &Build<'_>,
    pool: &mut Option<ProcessPool>,
    stale: Vec<usize>,
    cached: &mut Vec<(usize, &CachedPage)>,
) -> RenderOutcome {
    render_in_two_passes(build, pool, stale, cached, |pool, others, cached_count| {
        render_stale(build, pool, others, cached_count).into()
    })
}

/// What the first pass gave: its pages' results, and the results of pages read for their
/// mentions only (a part build's other guides), which count for the backlinks and are
/// then dropped.
pub(crate) struct FirstPass {
    /// The pages the pass rendered.
    pub(crate) pages: RenderOutcome,
    /// Pages read for their mentions only ([`super::render::render_mentions`]).
    pub(crate) mentions: RenderOutcome,
}

impl From<RenderOutcome> for FirstPass {
    fn from(pages: RenderOutcome) -> FirstPass {
        FirstPass {
            pages,
            mentions: RenderOutcome::default(),
        }
    }
}

/// [`render_with_backlinks`] with the first pass (every stale page but the Python module
/// pages) rendered by `first_pass`, given the pool, those pages and the cached count; the
/// dev server's resident site renders it with the render context it keeps, a part build
/// reads the other parts' guides for their mentions beside it.
pub(crate) fn render_in_two_passes(
    build: &Build<'_>,
    pool: &mut Option<ProcessPool>,
    stale: Vec<usize>,
    cached: &mut Vec<(usize, &CachedPage)>,
    first_pass: impl FnOnce(&mut Option<ProcessPool>, Vec<usize>, usize) -> FirstPass,
) -> RenderOutcome {
    if build.api.modules.is_empty() {
        let FirstPass { pages, mentions } = first_pass(pool, stale, cached.len());
        return combine(pages, mentions.without_results());
    }
    let plan = build.plan;
    let (mut modules, others): (Vec<usize>, Vec<usize>) = stale
        .into_iter()
        .partition(|&index| is_python_module(plan, index));
    let FirstPass {
        pages: first,
        mentions,
    } = first_pass(pool, others, cached.len());

    let mut mentioned = Mentioned::new(plan);
    for outcome in [&first, &mentions] {
        let visited = outcome.for_each_result(|index, result| {
            if let Ok(page) = &result.outcome {
                mentioned.add(index, page);
            }
        });
        if let Err(e) = visited {
            // Only a bug can make it fail; the build reports it when it unpacks them.
            tracing::error!("cannot unpack rendered pages for their backlinks: {e}");
        }
    }
    for (index, page) in cached.iter() {
        mentioned.add(*index, &page.result);
    }
    let backlinks = mentioned.backlinks();
    // The mentions have served: at 100k pages they are tens of MiB.
    let first = combine(first, mentions.without_results());
    // Rechecking needs only the modules and the backlinks.
    let resolver = Resolver::for_backlinks(build.api, &backlinks);
    cached.retain(|(index, page)| {
        let holds = backlinks_hold(&page.result.link_deps, &resolver);
        if !holds {
            tracing::debug!("{}: rendering (backlinks changed)", plan.pages[*index].id);
            modules.push(*index);
        }
        holds
    });
    drop(resolver);
    if modules.is_empty() {
        return first;
    }
    modules.sort_unstable();
    // A new inventory that shares the modules and external objects (`Arc`s).
    let inventory = Arc::new(ApiInventory {
        backlinks: Some(backlinks),
        ..(**build.api).clone()
    });
    let with_backlinks = Build {
        options: build.options,
        site: build.site,
        plan,
        out_dir: build.out_dir,
        signature: build.signature,
        api: &inventory,
        pack_results: build.pack_results,
    };
    let second = render_stale(&with_backlinks, pool, modules, cached.len());
    combine(first, second)
}

/// True when plan index `index` is a Python module's page (the pages that show backlinks).
pub(crate) fn is_python_module(plan: &BuildPlan, index: usize) -> bool {
    matches!(
        &plan.pages[index].source,
        PageSource::Reference(reference) if matches!(reference.body, ReferenceBody::Python { .. })
    )
}

/// The guide pages (markdown) mentioning each site object, from the names they recorded
/// that resolved to a page of the site, gathered page by page.
struct Mentioned<'p> {
    plan: &'p BuildPlan,
    by_object: BTreeMap<String, BTreeSet<BacklinkPage>>,
}

impl<'p> Mentioned<'p> {
    fn new(plan: &'p BuildPlan) -> Mentioned<'p> {
        Mentioned {
            plan,
            by_object: BTreeMap::new(),
        }
    }

    /// Adds the mentions of the page of plan index `index`, when it is a guide.
    fn add(&mut self, index: usize, page: &RenderedPage) {
        if !matches!(self.plan.pages[index].source, PageSource::Markdown(_)) {
            return;
        }
        for dep in &page.link_deps {
            let Some(url) = dep.url.as_deref().filter(|url| url.starts_with('/')) else {
                continue;
            };
            if !dep.target.starts_with(Lookup::DEP_PREFIX) {
                continue;
            }
            let mentioning = BacklinkPage {
                url: self.plan.pages[index].url.clone(),
                title: page.title.clone(),
            };
            match self.by_object.get_mut(url) {
                Some(pages) => {
                    pages.insert(mentioning);
                }
                None => {
                    self.by_object
                        .insert(url.to_string(), BTreeSet::from([mentioning]));
                }
            }
        }
    }

    /// The backlinks, sorted by object URL, then page URL.
    fn backlinks(self) -> Vec<Backlink> {
        self.by_object
            .into_iter()
            .map(|(object_url, pages)| Backlink {
                object_url,
                pages: pages.into_iter().collect(),
            })
            .collect()
    }
}

/// True when the backlinks a cached page showed are this build's.
fn backlinks_hold(deps: &[LinkDep], resolver: &Resolver) -> bool {
    deps.iter()
        .filter(|dep| dep.target.starts_with(BACKLINKS_DEP_PREFIX))
        .all(|dep| resolver.recheck_target(&dep.target).as_ref() == Some(&dep.url))
}

/// Both passes' results, in plan order, and their worker figures.
pub(crate) fn combine(first: RenderOutcome, second: RenderOutcome) -> RenderOutcome {
    let mut results = first.results;
    results.extend(second.results);
    results.sort_by_key(|(index, _)| *index);
    let mut packed = first.packed;
    packed.append(second.packed);
    RenderOutcome {
        results,
        packed,
        workers: first.workers.max(second.workers),
        worker_restarts: first.worker_restarts + second.worker_restarts,
        worker_peak_rss: first.worker_peak_rss.max(second.worker_peak_rss),
    }
}

impl RenderOutcome {
    /// The worker figures alone, the results dropped (and their memory freed).
    fn without_results(self) -> RenderOutcome {
        RenderOutcome {
            results: Vec::new(),
            packed: PackedResults::default(),
            ..self
        }
    }
}

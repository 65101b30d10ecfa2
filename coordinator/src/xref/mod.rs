//! Cross-references: the site's API object inventory ([`ApiInventory`]), built before
//! rendering from the documented modules, and what is written from it (`objects.inv`, in
//! `merge::objects_inv`).
//!
//! The inventory is the one place where every object's page and anchor is known: each
//! module is parsed for its documented objects and imports (`worker::autodoc::scan_module`,
//! the same extraction the renderer uses, on threads with the renderer's stack), and the
//! URL comes from the plan. Parsing never imports or runs user code, and no source is kept.

pub mod external;
pub mod sphinx_inventory;

use crate::diagnostics::Diagnostic;
use crate::discover::Site;
use crate::plan::{BuildPlan, PageSource};
use protocol::{ApiInventory, ApiModule, ApiObject, ReferenceBody};
use std::path::Path;
use worker::autodoc::{AutodocOptions, ModuleSymbols};

/// The inventory of the site's documented modules, in plan order, and of the configured
/// external inventories, with the problems met reading those (warnings: the build goes on).
/// `cache_dir` (`<site>/.ssg-cache`) keeps downloaded inventories when the build may write it.
pub fn site_inventory(
    site: &Site,
    plan: &BuildPlan,
    cache_dir: Option<&Path>,
) -> (ApiInventory, Vec<Diagnostic>) {
    let (external, warnings) = external::load_external(&site.root, &site.config, cache_dir);
    let modules: Vec<(PythonModuleRef<'_>, &str)> = plan
        .pages
        .iter()
        .filter_map(|page| match &page.source {
            PageSource::Reference(reference) => match &reference.body {
                ReferenceBody::Python {
                    file,
                    module,
                    is_package,
                    include_private,
                    ..
                } => Some((
                    PythonModuleRef {
                        file,
                        module,
                        is_package: *is_package,
                        include_private: *include_private,
                    },
                    page.url.as_str(),
                )),
                ReferenceBody::OpenApi { .. } | ReferenceBody::Cli { .. } => None,
            },
            _ => None,
        })
        .collect();
    let symbols = scan_all(site, &modules);
    let inventory = ApiInventory {
        modules: modules
            .iter()
            .zip(symbols)
            .map(|(&(ref python, url), symbols)| ApiModule {
                name: python.module.to_string(),
                url: url.to_string(),
                objects: symbols
                    .objects
                    .into_iter()
                    .map(|object| ApiObject {
                        qualname: object.qualname,
                        kind: object.kind,
                        anchor: object.anchor,
                    })
                    .collect(),
                imports: symbols.imports,
            })
            .collect(),
        external,
    };
    (inventory, warnings)
}

/// What the inventory reads of a Python module's page.
struct PythonModuleRef<'a> {
    file: &'a str,
    module: &'a str,
    is_package: bool,
    include_private: bool,
}

/// Every module's symbols, on all cores, each thread with the renderer's stack (a parse
/// nests as deep as the source). A thread that panicked leaves its modules without symbols.
fn scan_all(site: &Site, modules: &[(PythonModuleRef<'_>, &str)]) -> Vec<ModuleSymbols> {
    let scan = |python: &PythonModuleRef<'_>| {
        let options = AutodocOptions {
            include_private: python.include_private,
            is_package: python.is_package,
        };
        worker::autodoc::scan_module(&site.root.join(python.file), python.module, options)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(modules.len().max(1));
    let chunk = modules.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = modules
            .chunks(chunk)
            .map(|part| {
                let spawned = std::thread::Builder::new()
                    .name("api-inventory".into())
                    .stack_size(worker::RENDER_STACK_BYTES)
                    .spawn_scoped(scope, move || {
                        part.iter()
                            .map(|(python, _)| scan(python))
                            .collect::<Vec<_>>()
                    });
                (part.len(), spawned)
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(len, handle)| match handle.map(|h| h.join()) {
                Ok(Ok(symbols)) => symbols,
                _ => {
                    tracing::warn!("reading {len} modules for cross-references failed (a bug)");
                    vec![ModuleSymbols::default(); len]
                }
            })
            .collect()
    })
}

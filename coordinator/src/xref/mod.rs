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
use protocol::{ApiInventory, ApiModule, ApiObject, ClassBases, CompactString, ReferenceBody};
use std::path::Path;
use worker::autodoc::{AutodocOptions, ModuleSymbols};

/// The inventory of the site's documented modules, in plan order, and of the configured
/// external inventories, with the problems met reading those (warnings: the build goes on).
/// `cache_dir` (`<site>/.ssg-cache`) keeps downloaded inventories when the build may write it.
///
/// `known` holds the symbols a previous build found, by [`symbol_key`]: a module whose key
/// is there is not parsed again (an edit to one page must not re-read every module). With
/// `remember`, the symbols of this build come back in the third value, for the next build;
/// without (a build that leaves no cache), it holds none: they would be a second copy of
/// the inventory, tens of MiB on a large API, allocated among it and then freed.
pub fn site_inventory(
    site: &Site,
    plan: &BuildPlan,
    cache_dir: Option<&Path>,
    known: &KnownSymbols,
    remember: bool,
) -> (ApiInventory, Vec<Diagnostic>, KnownSymbols) {
    let (external, warnings) = external::load_external(&site.root, &site.config, cache_dir);
    // (module, URL, source hash) of every Python module page.
    let modules: Vec<(PythonModuleRef<'_>, &str, u128)> = plan
        .pages
        .iter()
        .filter_map(|page| match &page.source {
            PageSource::Reference(reference) => match &reference.body {
                ReferenceBody::Python {
                    file,
                    module,
                    is_package,
                    include_private,
                    merge_init_into_class,
                    ..
                } => Some((
                    PythonModuleRef {
                        file,
                        module,
                        is_package: *is_package,
                        include_private: *include_private,
                        merge_init_into_class: *merge_init_into_class,
                    },
                    page.url.as_str(),
                    reference.hash,
                )),
                ReferenceBody::OpenApi { .. } | ReferenceBody::Cli { .. } => None,
            },
            _ => None,
        })
        .collect();
    let keys: Vec<u128> = modules
        .iter()
        .map(|(python, _, hash)| symbol_key(known.binary, python, *hash))
        .collect();
    let unknown: Vec<&PythonModuleRef<'_>> = modules
        .iter()
        .zip(&keys)
        .filter(|(_, key)| known.get(**key).is_none())
        .map(|((python, _, _), _)| python)
        .collect();
    let mut scanned = scan_all(site, &unknown).into_iter();
    let mut next = KnownSymbols {
        binary: known.binary,
        entries: Vec::with_capacity(if remember { modules.len() } else { 0 }),
    };
    let inventory = ApiInventory {
        modules: modules
            .iter()
            .zip(&keys)
            .map(|((python, url, _), &key)| {
                let (objects, class_bases, imports) = match known.get(key) {
                    Some(entry) => (
                        entry.objects.clone(),
                        entry.class_bases.clone(),
                        entry.imports.clone(),
                    ),
                    None => {
                        let symbols = scanned.next().unwrap_or_default();
                        (symbols.objects, symbols.class_bases, symbols.imports)
                    }
                };
                if remember {
                    next.entries.push(KnownModule {
                        key,
                        objects: objects.clone(),
                        class_bases: class_bases.clone(),
                        imports: imports.clone(),
                    });
                }
                ApiModule {
                    name: python.module.to_string(),
                    url: url.to_string(),
                    objects,
                    class_bases,
                    imports,
                    file: python.file.to_string(),
                    is_package: python.is_package,
                    include_private: python.include_private,
                    merge_init_into_class: python.merge_init_into_class,
                }
            })
            .collect(),
        external: external.into(),
        backlinks: None,
    };
    next.entries.sort_by_key(|entry| entry.key);
    next.entries.dedup_by_key(|entry| entry.key);
    (inventory, warnings, next)
}

/// The name of the cache file holding [`KnownSymbols`].
pub const SYMBOLS_FILE: &str = "api-symbols.bin";

/// The symbols of each documented module as a build found them, for the next build: a
/// module is parsed again only when its key (its source, its options, the executable)
/// changed.
#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KnownSymbols {
    /// The executable's identity: symbols found by another binary are not trusted.
    binary: u128,
    /// Sorted by key.
    entries: Vec<KnownModule>,
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct KnownModule {
    key: u128,
    objects: Vec<ApiObject>,
    class_bases: Vec<ClassBases>,
    imports: Vec<(CompactString, CompactString)>,
}

impl KnownSymbols {
    /// No symbols known, for the executable `binary`.
    pub fn none(binary: u128) -> KnownSymbols {
        KnownSymbols {
            binary,
            entries: Vec::new(),
        }
    }

    /// `previous` if it was made by the executable `binary`, else nothing.
    pub fn for_binary(previous: Option<KnownSymbols>, binary: u128) -> KnownSymbols {
        previous
            .filter(|known| known.binary == binary)
            .unwrap_or_else(|| KnownSymbols::none(binary))
    }

    fn get(&self, key: u128) -> Option<&KnownModule> {
        self.entries
            .binary_search_by_key(&key, |entry| entry.key)
            .ok()
            .map(|at| &self.entries[at])
    }
}

/// What a module's symbols depend on: the executable, the module's name, file and content,
/// and the options of its scan (`include_private`, `merge_init_into_class`: a merged
/// `__init__` has no anchor).
fn symbol_key(binary: u128, python: &PythonModuleRef<'_>, source_hash: u128) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&binary.to_le_bytes());
    hasher.update(&source_hash.to_le_bytes());
    for text in [python.file, python.module] {
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    hasher.update(&[
        u8::from(python.is_package),
        u8::from(python.include_private),
        u8::from(python.merge_init_into_class),
    ]);
    hasher.digest128()
}

/// What the inventory reads of a Python module's page.
struct PythonModuleRef<'a> {
    file: &'a str,
    module: &'a str,
    is_package: bool,
    include_private: bool,
    merge_init_into_class: bool,
}

/// Every module's symbols, on all cores, each thread with the renderer's stack (a parse
/// nests as deep as the source). A thread that panicked leaves its modules without symbols.
fn scan_all(site: &Site, modules: &[&PythonModuleRef<'_>]) -> Vec<ModuleSymbols> {
    let scan = |python: &PythonModuleRef<'_>| {
        let options = AutodocOptions {
            include_private: python.include_private,
            is_package: python.is_package,
            names_only: true,
            merge_init_into_class: python.merge_init_into_class,
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
                        part.iter().map(|python| scan(python)).collect::<Vec<_>>()
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

//! `objects.inv`: the site's API objects as a Sphinx inventory (version 2), so Sphinx
//! (`intersphinx_mapping`) and mkdocstrings (`import`) projects can link into the site.
//!
//! Written from the [`ApiInventory`] built before rendering: every documented module
//! (`py:module`, priority 0, its page) and object (`py:class`, `py:method`… priority 1, its
//! page and anchor), sorted by name and role, so the file depends on the inputs only. URIs
//! are relative to the output root, where the file sits.

use crate::xref::sphinx_inventory::{InventoryEntry, encode};
use protocol::{ApiInventory, ObjectKind, OutputFile};
use std::io;
use std::path::Path;

/// Where the inventory is written, relative to the output directory.
pub const OBJECTS_INV: &str = "objects.inv";

/// The inventory's entries, sorted.
pub fn inventory_entries(inventory: &ApiInventory) -> Vec<InventoryEntry> {
    let mut entries = Vec::new();
    for module in inventory.modules.iter() {
        let page = module.url.trim_start_matches('/');
        entries.push(InventoryEntry {
            name: module.name.clone(),
            role: ObjectKind::Module.sphinx_role().to_string(),
            priority: 0,
            uri: page.to_string(),
            display_name: module.name.clone(),
        });
        for object in &module.objects {
            let name = format!("{}.{}", module.name, object.qualname);
            entries.push(InventoryEntry {
                role: object.kind.sphinx_role().to_string(),
                priority: 1,
                uri: format!("{page}#{}", object.anchor(&module.name)),
                display_name: name.clone(),
                name,
            });
        }
    }
    entries.sort_by(|a, b| (&a.name, &a.role, &a.uri).cmp(&(&b.name, &b.role, &b.uri)));
    entries.dedup_by(|a, b| a.name == b.name && a.role == b.role);
    entries
}

/// The cache file recording the last `objects.inv` written: [`InventoryRecord`].
const RECORD_FILE: &str = "objects-inv.bin";

/// What the last build wrote as `objects.inv`, and from which entries.
#[derive(serde::Serialize, serde::Deserialize)]
struct InventoryRecord {
    /// [`inventory_key`] of the inventory it was encoded from.
    key: u128,
    /// The file as written (size and modification time included).
    output: OutputFile,
}

/// Where the last `objects.inv` is recorded, so an unchanged inventory is not compressed
/// again (compressing it was a tenth of an edit build's CPU on the `10k` preset).
#[derive(Clone, Copy)]
pub struct InventoryCache<'a> {
    /// The site's cache folder.
    pub store: &'a crate::cache::CacheStore,
    /// Reuse the previous build's record (off under `--no-cache`; it is written either way).
    pub reuse: bool,
    /// The identity of the running executable (another one may encode differently).
    pub binary: u128,
}

/// A hash of everything the file's bytes are encoded from: the entries are made from the
/// inventory alone, so its digest stands for them (and the entries are not made at all
/// while it is unchanged).
fn inventory_key(binary: u128, project: &str, inventory: &ApiInventory) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&binary.to_le_bytes());
    hasher.update(project.as_bytes());
    hasher.update(&[0]);
    hasher.update(&crate::cache::api_digest(inventory).to_le_bytes());
    hasher.digest128()
}

/// Writes `objects.inv` for a site with documented modules; nothing otherwise. With a
/// `cache`, a file encoded from the same entries and untouched since (same size and
/// modification time) is left as it is, without compressing the entries again.
pub fn write_objects_inv(
    out_dir: &Path,
    project: &str,
    inventory: &ApiInventory,
    cache: Option<InventoryCache<'_>>,
) -> io::Result<Vec<OutputFile>> {
    if inventory.modules.is_empty() {
        return Ok(Vec::new());
    }
    let key = inventory_key(cache.map_or(0, |cache| cache.binary), project, inventory);
    let previous = cache
        .filter(|cache| cache.reuse)
        .and_then(|cache| cache.store.read_named::<InventoryRecord>(RECORD_FILE).ok())
        .flatten()
        .filter(|record| record.key == key && record.output.path == OBJECTS_INV);
    if let Some(record) = previous
        && std::fs::metadata(out_dir.join(OBJECTS_INV)).is_ok_and(|metadata| {
            metadata.len() == record.output.len
                && worker::outputs::modified_nanos(&metadata) == record.output.modified
        })
    {
        return Ok(vec![record.output]);
    }
    let bytes = encode(project, "", &inventory_entries(inventory));
    let output = worker::outputs::write_output(out_dir, OBJECTS_INV, &bytes)?;
    if let Some(cache) = cache {
        let record = InventoryRecord {
            key,
            output: output.clone(),
        };
        if let Err(e) = cache.store.write_named(RECORD_FILE, &record) {
            tracing::warn!("cannot save the record of objects.inv: {e}");
        }
    }
    Ok(vec![output])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xref::sphinx_inventory::decode;
    use protocol::{ApiModule, ApiObject};

    #[test]
    fn every_module_and_object_is_listed_sorted_with_its_page_and_anchor() {
        let object = |qualname: &str, kind, anchor_suffix: u32| ApiObject {
            qualname: qualname.into(),
            kind,
            anchor_suffix,
        };
        let inventory = ApiInventory {
            modules: vec![
                ApiModule {
                    name: "pkg.core".into(),
                    url: "/api/pkg/core/".into(),
                    objects: vec![
                        object("Thing", ObjectKind::Class, 0),
                        object("Thing.run", ObjectKind::Method, 0),
                        object("helper", ObjectKind::Function, 2),
                    ],
                    class_bases: Vec::new(),
                    imports: Vec::new(),
                    file: String::new(),
                    is_package: false,
                    include_private: false,
                    merge_init_into_class: false,
                },
                ApiModule {
                    name: "pkg".into(),
                    url: "/api/pkg/".into(),
                    objects: vec![object("VERSION", ObjectKind::Data, 0)],
                    class_bases: Vec::new(),
                    imports: vec![("Thing".into(), "pkg.core.Thing".into())],
                    file: String::new(),
                    is_package: false,
                    include_private: false,
                    merge_init_into_class: false,
                },
            ]
            .into(),
            external: Vec::new().into(),
            backlinks: None,
        };
        let out = tempfile::tempdir().unwrap();
        let written = write_objects_inv(out.path(), "My Project", &inventory, None).unwrap();
        assert_eq!(written.len(), 1);
        let bytes = std::fs::read(out.path().join(OBJECTS_INV)).unwrap();
        let lines: Vec<String> = decode(&bytes)
            .unwrap()
            .iter()
            .map(|e| format!("{} {} {} {}", e.name, e.role, e.priority, e.uri))
            .collect();
        assert_eq!(
            lines,
            [
                "pkg py:module 0 api/pkg/",
                "pkg.VERSION py:data 1 api/pkg/#pkg.VERSION",
                "pkg.core py:module 0 api/pkg/core/",
                "pkg.core.Thing py:class 1 api/pkg/core/#pkg.core.Thing",
                "pkg.core.Thing.run py:method 1 api/pkg/core/#pkg.core.Thing.run",
                "pkg.core.helper py:function 1 api/pkg/core/#pkg.core.helper-2",
            ]
        );
        assert!(
            write_objects_inv(out.path(), "P", &ApiInventory::default(), None)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn an_unchanged_inventory_is_not_written_again_and_a_file_edited_by_hand_is_restored() {
        let inventory = ApiInventory {
            modules: vec![ApiModule {
                name: "pkg".into(),
                url: "/api/pkg/".into(),
                objects: Vec::new(),
                class_bases: Vec::new(),
                imports: Vec::new(),
                file: "pkg/__init__.py".into(),
                is_package: true,
                include_private: false,
                merge_init_into_class: false,
            }]
            .into(),
            ..ApiInventory::default()
        };
        let site = tempfile::tempdir().unwrap();
        let store = crate::cache::CacheStore::open(site.path()).unwrap();
        let cache = InventoryCache {
            store: &store,
            reuse: true,
            binary: 1,
        };
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join(OBJECTS_INV);
        let inode = || {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(&target).unwrap().ino()
        };
        let first = write_objects_inv(out.path(), "P", &inventory, Some(cache)).unwrap();
        let before = inode();
        // Atomic writes replace the file, so the same inode means it was not written.
        let again = write_objects_inv(out.path(), "P", &inventory, Some(cache)).unwrap();
        assert_eq!((again, inode()), (first.clone(), before));

        std::fs::write(&target, b"edited by hand").unwrap();
        let restored = write_objects_inv(out.path(), "P", &inventory, Some(cache)).unwrap();
        assert_eq!(restored[0].hash, first[0].hash);
        assert_eq!(decode(&std::fs::read(&target).unwrap()).unwrap().len(), 1);

        let renamed = write_objects_inv(out.path(), "Q", &inventory, Some(cache)).unwrap();
        assert_ne!(renamed[0].hash, first[0].hash);
    }
}

//! `objects.inv`: the site's API objects as a Sphinx inventory (version 2), so Sphinx
//! (`intersphinx_mapping`) and mkdocstrings (`import`) projects can link into the site.
//!
//! Written from the [`ApiInventory`] built before rendering: every documented module
//! (`py:module`, priority 0, its page) and object (`py:class`, `py:method`… priority 1, its
//! page and anchor), sorted by name and role, so the file depends on the inputs only. URIs
//! are relative to the output root, where the file sits.

use crate::xref::sphinx_inventory::InventoryWriter;
use protocol::{ApiInventory, ObjectKind, OutputFile};
use std::borrow::Cow;
use std::io;
use std::path::Path;

/// Where the inventory is written, relative to the output directory.
pub const OBJECTS_INV: &str = "objects.inv";

/// One line of the site's inventory, borrowed from the [`ApiInventory`].
struct Line<'i> {
    /// The module's dotted name, or an object's (`module.qualname`).
    name: Cow<'i, str>,
    role: &'static str,
    /// 0 for a module, 1 for an object.
    priority: i32,
    /// The module's page, relative to the output root.
    page: &'i str,
    /// An object's module, qualname and anchor suffix (its anchor on the page:
    /// `protocol::push_object_anchor`); `None` for a module, whose URI is its page.
    anchor: Option<(&'i str, &'i str, u32)>,
}

impl Line<'_> {
    /// Appends the line's URI to `uri`.
    fn push_uri(&self, uri: &mut String) {
        uri.push_str(self.page);
        if let Some((module, qualname, suffix)) = self.anchor {
            uri.push('#');
            protocol::push_object_anchor(uri, module, qualname, suffix);
        }
    }

    fn uri(&self) -> String {
        let mut uri = String::new();
        self.push_uri(&mut uri);
        uri
    }
}

/// The inventory's lines, sorted by name, role and URI, one per name and role.
fn inventory_lines(inventory: &ApiInventory) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    for module in inventory.modules.iter() {
        let page = module.url.trim_start_matches('/');
        lines.push(Line {
            name: Cow::Borrowed(&module.name),
            role: ObjectKind::Module.sphinx_role(),
            priority: 0,
            page,
            anchor: None,
        });
        for object in &module.objects {
            lines.push(Line {
                name: Cow::Owned(format!("{}.{}", module.name, object.qualname)),
                role: object.kind.sphinx_role(),
                priority: 1,
                page,
                anchor: Some((&module.name, &object.qualname, object.anchor_suffix)),
            });
        }
    }
    // The URI decides only between lines of the same name and role (then one is dropped):
    // made only then.
    lines.sort_unstable_by(|a, b| {
        (&a.name, a.role)
            .cmp(&(&b.name, b.role))
            .then_with(|| a.uri().cmp(&b.uri()))
    });
    lines.dedup_by(|a, b| a.name == b.name && a.role == b.role);
    lines
}

/// The bytes of the site's `objects.inv`.
/// The bytes of `objects.inv` for `inventory`, `None` when it documents no module (no
/// file is written then). A merge encodes them while it plans the site and hands them to
/// [`write_encoded`].
pub fn encode_objects_inv(project: &str, inventory: &ApiInventory) -> Option<Vec<u8>> {
    (!inventory.modules.is_empty()).then(|| encode(project, inventory))
}

/// Writes `objects.inv` encoded beforehand ([`encode_objects_inv`]), created in place when
/// the output folder has none (`fresh`).
pub fn write_encoded(out_dir: &Path, bytes: &[u8], fresh: bool) -> io::Result<Vec<OutputFile>> {
    let written = if fresh {
        worker::outputs::write_new_output(out_dir, OBJECTS_INV, bytes)
    } else {
        worker::outputs::write_output(out_dir, OBJECTS_INV, bytes)
    };
    Ok(vec![written?])
}

fn encode(project: &str, inventory: &ApiInventory) -> Vec<u8> {
    let mut writer = InventoryWriter::new(project, "");
    let mut uri = String::new();
    for line in inventory_lines(inventory) {
        uri.clear();
        line.push_uri(&mut uri);
        writer.push(&line.name, line.role, line.priority, &uri, &line.name);
    }
    writer.finish()
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
    let bytes = encode(project, inventory);
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

    fn object(qualname: &str, kind: ObjectKind, anchor_suffix: u32) -> ApiObject {
        ApiObject {
            qualname: qualname.into(),
            kind,
            anchor_suffix,
        }
    }

    fn module(name: &str, url: &str, objects: Vec<ApiObject>) -> ApiModule {
        ApiModule {
            name: name.into(),
            url: url.into(),
            objects,
            class_bases: Vec::new(),
            imports: Vec::new(),
            file: String::new(),
            is_package: false,
            include_private: false,
            merge_init_into_class: false,
        }
    }

    /// The lines of the `objects.inv` written for `modules`: `name role priority uri`.
    fn written_lines(modules: Vec<ApiModule>) -> Vec<String> {
        let inventory = ApiInventory {
            modules: modules.into(),
            external: Vec::new().into(),
            backlinks: None,
        };
        let out = tempfile::tempdir().unwrap();
        let written = write_objects_inv(out.path(), "My Project", &inventory, None).unwrap();
        assert_eq!(written.len(), 1);
        decode(&std::fs::read(out.path().join(OBJECTS_INV)).unwrap())
            .unwrap()
            .iter()
            .map(|e| format!("{} {} {} {}", e.name, e.role, e.priority, e.uri))
            .collect()
    }

    #[test]
    fn every_module_and_object_is_listed_sorted_with_its_page_and_anchor() {
        let core = module(
            "pkg.core",
            "/api/pkg/core/",
            vec![
                object("Thing", ObjectKind::Class, 0),
                object("Thing.run", ObjectKind::Method, 0),
                object("helper", ObjectKind::Function, 2),
            ],
        );
        let pkg = ApiModule {
            imports: vec![("Thing".into(), "pkg.core.Thing".into())],
            ..module(
                "pkg",
                "/api/pkg/",
                vec![object("VERSION", ObjectKind::Data, 0)],
            )
        };
        assert_eq!(
            written_lines(vec![core, pkg]),
            [
                "pkg py:module 0 api/pkg/",
                "pkg.VERSION py:data 1 api/pkg/#pkg.VERSION",
                "pkg.core py:module 0 api/pkg/core/",
                "pkg.core.Thing py:class 1 api/pkg/core/#pkg.core.Thing",
                "pkg.core.Thing.run py:method 1 api/pkg/core/#pkg.core.Thing.run",
                "pkg.core.helper py:function 1 api/pkg/core/#pkg.core.helper-2",
            ]
        );
        let out = tempfile::tempdir().unwrap();
        assert!(
            write_objects_inv(out.path(), "P", &ApiInventory::default(), None)
                .unwrap()
                .is_empty()
        );
    }

    /// Two objects of different modules may have the same dotted name and role (an object
    /// `sub.f` of `pkg`, and `f` of `pkg.sub`): one line is kept, the one whose URI sorts
    /// first, whatever the modules' order.
    #[test]
    fn of_two_objects_with_one_name_and_role_the_first_uri_is_kept() {
        let function = |qualname: &str| vec![object(qualname, ObjectKind::Function, 0)];
        let modules = vec![
            module("pkg.sub", "/api/pkg/sub/", function("f")),
            module("pkg", "/api/pkg/", function("sub.f")),
        ];
        let expected = [
            "pkg py:module 0 api/pkg/",
            "pkg.sub py:module 0 api/pkg/sub/",
            "pkg.sub.f py:function 1 api/pkg/#pkg.sub.f",
        ];
        assert_eq!(written_lines(modules.clone()), expected);
        assert_eq!(written_lines(modules.into_iter().rev().collect()), expected);
    }

    #[test]
    fn an_unchanged_inventory_is_not_written_again_and_a_file_edited_by_hand_is_restored() {
        let inventory = ApiInventory {
            modules: vec![ApiModule {
                file: "pkg/__init__.py".into(),
                is_package: true,
                ..module("pkg", "/api/pkg/", Vec::new())
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

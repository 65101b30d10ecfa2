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
    for module in &inventory.modules {
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
                uri: format!("{page}#{}", object.anchor),
                display_name: name.clone(),
                name,
            });
        }
    }
    entries.sort_by(|a, b| (&a.name, &a.role, &a.uri).cmp(&(&b.name, &b.role, &b.uri)));
    entries.dedup_by(|a, b| a.name == b.name && a.role == b.role);
    entries
}

/// Writes `objects.inv` for a site with documented modules; nothing otherwise.
pub fn write_objects_inv(
    out_dir: &Path,
    project: &str,
    inventory: &ApiInventory,
) -> io::Result<Vec<OutputFile>> {
    if inventory.modules.is_empty() {
        return Ok(Vec::new());
    }
    let bytes = encode(project, "", &inventory_entries(inventory));
    Ok(vec![worker::outputs::write_output(
        out_dir,
        OBJECTS_INV,
        &bytes,
    )?])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xref::sphinx_inventory::decode;
    use protocol::{ApiModule, ApiObject};

    #[test]
    fn every_module_and_object_is_listed_sorted_with_its_page_and_anchor() {
        let object = |qualname: &str, kind, anchor: &str| ApiObject {
            qualname: qualname.into(),
            kind,
            anchor: anchor.into(),
            bases: Vec::new(),
        };
        let inventory = ApiInventory {
            modules: vec![
                ApiModule {
                    name: "pkg.core".into(),
                    url: "/api/pkg/core/".into(),
                    objects: vec![
                        object("Thing", ObjectKind::Class, "pkg.core.Thing"),
                        object("Thing.run", ObjectKind::Method, "pkg.core.Thing.run"),
                        object("helper", ObjectKind::Function, "pkg.core.helper-2"),
                    ],
                    imports: Vec::new(),
                    file: String::new(),
                    is_package: false,
                    include_private: false,
                },
                ApiModule {
                    name: "pkg".into(),
                    url: "/api/pkg/".into(),
                    objects: vec![object("VERSION", ObjectKind::Data, "pkg.VERSION")],
                    imports: vec![("Thing".into(), "pkg.core.Thing".into())],
                    file: String::new(),
                    is_package: false,
                    include_private: false,
                },
            ],
            external: Vec::new(),
            backlinks: None,
        };
        let out = tempfile::tempdir().unwrap();
        let written = write_objects_inv(out.path(), "My Project", &inventory).unwrap();
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
            write_objects_inv(out.path(), "P", &ApiInventory::default())
                .unwrap()
                .is_empty()
        );
    }
}

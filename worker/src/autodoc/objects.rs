//! The documented objects of a module with their kind and anchor, in the order and with
//! the ids the renderer gives them: what the site's object inventory (cross-references,
//! `objects.inv`) is made of, computed without rendering.
//!
//! `render.rs` registers ids in the same walk (re-exports, classes with their attributes,
//! properties, methods and nested classes, functions, attributes); a test checks that both
//! agree on every id.

use std::collections::HashSet;

use super::model::{ClassDoc, FunctionDoc, FunctionKind, ModuleDoc};

pub use protocol::ObjectKind;
use protocol::{ApiObject, ClassBases, CompactString};

/// One documented object of a module page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentedObject {
    /// Dotted path inside the module (`Client.fetch`).
    pub qualname: String,
    /// What it is.
    pub kind: ObjectKind,
    /// The element id on the module's page (`mypkg.core.Client.fetch`, or `…-2` when two
    /// objects share a name).
    pub anchor: String,
    /// The number after the id's `-` (2 for `…-2`), 0 when it has none: the anchor as the
    /// API inventory keeps it (`protocol::object_anchor`).
    pub anchor_suffix: u32,
    /// A class's base classes as written; empty for other objects.
    pub bases: Vec<String>,
}

/// What a module offers to cross-references, in the shapes the API inventory keeps
/// ([`protocol::ApiModule`]): its documented objects, its classes' bases and its imports.
/// Made module by module while scanning, so a scan of every module of a large API never
/// holds each object's anchor and names as separate strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleSymbols {
    /// Documented objects, in page order.
    pub objects: Vec<ApiObject>,
    /// The bases of the objects that are classes with any, by position in `objects`.
    pub class_bases: Vec<ClassBases>,
    /// Top-level imports: (bound name, dotted origin).
    pub imports: Vec<(CompactString, CompactString)>,
}

impl ModuleSymbols {
    /// The symbols of `objects` (as [`documented_objects`] lists them) and `imports`.
    pub fn of(
        objects: Vec<DocumentedObject>,
        imports: impl IntoIterator<Item = (String, String)>,
    ) -> ModuleSymbols {
        let mut symbols = ModuleSymbols {
            objects: Vec::with_capacity(objects.len()),
            class_bases: Vec::new(),
            imports: imports
                .into_iter()
                .map(|(bound, origin)| (bound.into(), origin.into()))
                .collect(),
        };
        for (position, object) in (0u32..).zip(objects) {
            if !object.bases.is_empty() {
                symbols.class_bases.push(ClassBases {
                    object: position,
                    bases: object.bases.into_iter().map(Into::into).collect(),
                });
            }
            symbols.objects.push(ApiObject {
                qualname: object.qualname.into(),
                kind: object.kind,
                anchor_suffix: object.anchor_suffix,
            });
        }
        symbols
    }
}

/// Reads and parses the module at `path` (dotted `module`) for its symbols, with the
/// renderer's bounds (source size, nesting). Must run on a thread with
/// [`crate::RENDER_STACK_BYTES`] of stack, like rendering. A module that cannot be read or
/// parsed has no symbols: its page reports why.
pub fn scan_module(
    path: &std::path::Path,
    module: &str,
    options: super::AutodocOptions,
) -> ModuleSymbols {
    let Ok(bytes) = crate::limits::read_source(path) else {
        return ModuleSymbols::default();
    };
    let Ok(source) = crate::text::decode_utf8(&bytes) else {
        return ModuleSymbols::default();
    };
    let Ok(doc) = super::document_module(source, module, options) else {
        return ModuleSymbols::default();
    };
    let objects = documented_objects(&doc);
    ModuleSymbols::of(
        objects,
        doc.imports
            .into_iter()
            .map(|import| (import.name, import.origin)),
    )
}

/// The documented objects of `doc`, with their page anchors; re-exports are not objects
/// of their own (they resolve to their origin), but take their ids.
pub fn documented_objects(doc: &ModuleDoc) -> Vec<DocumentedObject> {
    let mut walk = Walk {
        module: &doc.name,
        ids: HashSet::new(),
        objects: Vec::new(),
    };
    for reexport in &doc.reexports {
        walk.id(&reexport.name);
    }
    for class in &doc.classes {
        walk.class(class);
    }
    for function in &doc.functions {
        walk.function(function);
    }
    for attribute in &doc.attributes {
        walk.object(&attribute.qualname, ObjectKind::Data);
    }
    walk.objects
}

struct Walk<'a> {
    module: &'a str,
    ids: HashSet<String>,
    objects: Vec<DocumentedObject>,
}

impl Walk<'_> {
    /// The renderer's id rule (`protocol::object_anchor`): `module.qualname`, or `-2`,
    /// `-3`… when taken. Returns the id and its suffix (0 for none).
    fn id(&mut self, qualname: &str) -> (String, u32) {
        let mut suffix = 0;
        let mut id = protocol::object_anchor(self.module, qualname, suffix);
        while self.ids.contains(&id) {
            suffix = if suffix == 0 { 2 } else { suffix + 1 };
            id = protocol::object_anchor(self.module, qualname, suffix);
        }
        self.ids.insert(id.clone());
        (id, suffix)
    }

    fn object(&mut self, qualname: &str, kind: ObjectKind) {
        let (anchor, anchor_suffix) = self.id(qualname);
        self.objects.push(DocumentedObject {
            qualname: qualname.to_owned(),
            kind,
            anchor,
            anchor_suffix,
            bases: Vec::new(),
        });
    }

    fn class(&mut self, class: &ClassDoc) {
        let is_exception = class.bases.iter().any(|base| {
            let last = base.rsplit('.').next().unwrap_or(base);
            ["Error", "Exception", "Warning", "Exit", "Interrupt"]
                .iter()
                .any(|suffix| last.ends_with(suffix))
        });
        let kind = if is_exception {
            ObjectKind::Exception
        } else {
            ObjectKind::Class
        };
        self.object(&class.qualname, kind);
        if let Some(object) = self.objects.last_mut() {
            object.bases.clone_from(&class.bases);
        }
        for attribute in &class.attributes {
            self.object(&attribute.qualname, ObjectKind::Attribute);
        }
        for property in &class.properties {
            self.object(&property.qualname, ObjectKind::Property);
        }
        for method in &class.methods {
            self.function(method);
        }
        for nested in &class.classes {
            self.class(nested);
        }
    }

    fn function(&mut self, function: &FunctionDoc) {
        let kind = match function.kind {
            FunctionKind::Function => ObjectKind::Function,
            FunctionKind::Method => ObjectKind::Method,
            FunctionKind::ClassMethod => ObjectKind::ClassMethod,
            FunctionKind::StaticMethod => ObjectKind::StaticMethod,
        };
        self.object(&function.qualname, kind);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autodoc::{AutodocOptions, ModulePageInfo, document_module, render_module};

    /// An id taken again gets `-2`, `-3`…, and its suffix is what the API inventory keeps.
    #[test]
    fn a_taken_id_is_numbered_and_its_suffix_kept() {
        let mut walk = Walk {
            module: "pkg.mod",
            ids: HashSet::new(),
            objects: Vec::new(),
        };
        assert_eq!(walk.id("run"), ("pkg.mod.run".to_string(), 0));
        assert_eq!(walk.id("run"), ("pkg.mod.run-2".to_string(), 2));
        assert_eq!(walk.id("run"), ("pkg.mod.run-3".to_string(), 3));
        walk.object("run", ObjectKind::Function);
        let object = &walk.objects[0];
        assert_eq!(object.anchor, "pkg.mod.run-4");
        assert_eq!(
            protocol::object_anchor("pkg.mod", &object.qualname, object.anchor_suffix),
            object.anchor
        );
    }

    /// The walk gives every object the id the renderer gives it, duplicates included.
    #[test]
    fn anchors_match_the_rendered_ids() {
        let source = include_str!("testdata/shapes.py");
        let extra = "\n\nclass Twice:\n    \"\"\"Doc.\"\"\"\n\n\nclass BadError(ValueError):\n    \"\"\"Doc.\"\"\"\n";
        let source = format!("{source}{extra}")
            .replace("__all__ = [", "__all__ = [\"Twice\", \"BadError\", ");
        let doc = document_module(&source, "shapes", AutodocOptions::default()).unwrap();
        let objects = documented_objects(&doc);
        let info = ModulePageInfo {
            links: None,
            source_file: "shapes.py",
            is_package: false,
            submodules: &[],
            source_url: None,
        };
        let rendered = render_module(&doc, &info, &|text| text.to_owned());
        let dotted: Vec<&str> = rendered
            .anchors
            .iter()
            .map(String::as_str)
            .filter(|id| id.starts_with("shapes."))
            .filter(|id| {
                !doc.reexports
                    .iter()
                    .any(|r| *id == format!("shapes.{}", r.name))
            })
            .collect();
        for object in &objects {
            assert_eq!(
                protocol::object_anchor("shapes", &object.qualname, object.anchor_suffix),
                object.anchor
            );
        }
        let mut walked: Vec<&str> = objects.iter().map(|o| o.anchor.as_str()).collect();
        let mut sorted_dotted = dotted.clone();
        sorted_dotted.sort_unstable();
        walked.sort_unstable();
        assert_eq!(walked, sorted_dotted);
        assert!(objects.len() > 10, "{objects:#?}");
        let kind_of = |qualname: &str| {
            objects
                .iter()
                .find(|o| o.qualname == qualname)
                .map(|o| o.kind)
        };
        assert_eq!(kind_of("BadError"), Some(ObjectKind::Exception));
        // The scan reads names only, and finds the same objects with the same anchors.
        let names_only = AutodocOptions {
            names_only: true,
            ..AutodocOptions::default()
        };
        let scanned = document_module(&source, "shapes", names_only).unwrap();
        assert_eq!(documented_objects(&scanned), objects);
        assert_eq!(scanned.imports, doc.imports);
        assert_eq!(kind_of("Twice"), Some(ObjectKind::Class));
        for kind in [ObjectKind::Module, ObjectKind::Method, ObjectKind::Data] {
            assert_eq!(ObjectKind::from_sphinx_role(kind.sphinx_role()), Some(kind));
        }
    }
}

//! The site's API object inventory: every documented Python object with the page and anchor
//! it lives at, each module's imports (what its names resolve through), and the objects of
//! external inventories (`objects.inv` of the Python docs or a dependency). Built by the
//! coordinator before rendering, sent once per build to every worker, which resolves
//! cross-references against it; `objects.inv` is written from it.
//!
//! Every process of a build holds one copy (the coordinator and each worker), and a large
//! API has hundreds of thousands of objects: their short names (qualnames, import names,
//! bases, external names) are [`CompactString`]s, kept inline up to 24 bytes instead of
//! in an allocation of their own each (at 480,000 objects, 22 MiB less in every process).
//! On the wire they are plain strings.

pub use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// What a documented object is, as Sphinx's Python domain names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ObjectKind {
    /// A module or package (its page, no anchor).
    Module,
    /// A class.
    Class,
    /// A class deriving from an exception class (`…Error`, `…Exception`, `…Warning`).
    Exception,
    /// A module-level function.
    Function,
    /// An instance method.
    Method,
    /// A `@classmethod`.
    ClassMethod,
    /// A `@staticmethod`.
    StaticMethod,
    /// A `@property` or `@cached_property`.
    Property,
    /// A class attribute or field.
    Attribute,
    /// A module attribute, constant or type alias.
    Data,
}

impl ObjectKind {
    /// The Sphinx role (`py:class`), as written in `objects.inv`.
    pub fn sphinx_role(self) -> &'static str {
        match self {
            ObjectKind::Module => "py:module",
            ObjectKind::Class => "py:class",
            ObjectKind::Exception => "py:exception",
            ObjectKind::Function => "py:function",
            ObjectKind::Method => "py:method",
            ObjectKind::ClassMethod => "py:classmethod",
            ObjectKind::StaticMethod => "py:staticmethod",
            ObjectKind::Property => "py:property",
            ObjectKind::Attribute => "py:attribute",
            ObjectKind::Data => "py:data",
        }
    }

    /// The kind a Sphinx role (`py:class`) names, `None` for roles of other domains.
    pub fn from_sphinx_role(role: &str) -> Option<ObjectKind> {
        Some(match role {
            "py:module" => ObjectKind::Module,
            "py:class" => ObjectKind::Class,
            "py:exception" => ObjectKind::Exception,
            "py:function" => ObjectKind::Function,
            "py:method" => ObjectKind::Method,
            "py:classmethod" => ObjectKind::ClassMethod,
            "py:staticmethod" => ObjectKind::StaticMethod,
            "py:property" => ObjectKind::Property,
            "py:attribute" => ObjectKind::Attribute,
            "py:data" | "py:type" => ObjectKind::Data,
            _ => return None,
        })
    }
}

/// Every object cross-references may name.
///
/// The modules and external objects are shared (`Arc`), so an inventory given its
/// backlinks for the API pages' pass is a new inventory that copies none of them: at 100k
/// pages they are hundreds of MiB. On the wire they are plain sequences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiInventory {
    /// The site's documented modules, in plan order.
    pub modules: std::sync::Arc<[ApiModule]>,
    /// Objects of external inventories, sorted by name (first inventory wins a name).
    pub external: std::sync::Arc<[ExternalObject]>,
    /// The guide pages that mention each site object, sorted by object URL; `None` until
    /// the guides have rendered (the build renders guides first, then the API pages with
    /// these).
    pub backlinks: Option<Vec<Backlink>>,
}

/// The guide pages that mention one object ("Referenced by" on its section).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backlink {
    /// The object's URL path with its anchor (`/api/click/core/#click.core.Command`), or a
    /// module's page URL.
    pub object_url: String,
    /// The pages mentioning it, sorted by URL.
    pub pages: Vec<BacklinkPage>,
}

/// A guide page, as a backlink shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BacklinkPage {
    /// Its URL path (`/guide/`), without the base path.
    pub url: String,
    /// Its title.
    pub title: String,
}

/// One documented module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiModule {
    /// Dotted name (`click.core`).
    pub name: String,
    /// Its page's URL path (`/api/click/core/`).
    pub url: String,
    /// Its documented objects, in page order.
    pub objects: Vec<ApiObject>,
    /// The base classes of those of its classes that have any, sorted by object: kept
    /// beside the objects rather than in each, as most objects are not classes with bases
    /// and every object is held by every process. See [`ApiModule::bases_of`].
    pub class_bases: Vec<ClassBases>,
    /// Names its top level imports: (bound name, dotted origin), first binding kept.
    pub imports: Vec<(CompactString, CompactString)>,
    /// Its source file, relative to the site root (`../src/click/core.py`), for pages
    /// that render one of its objects inline (`::: click.core.Command`).
    pub file: String,
    /// The file is a package's `__init__.py`.
    pub is_package: bool,
    /// Its package documents `_private` names too.
    pub include_private: bool,
    /// Its package merges `__init__` into its class (`merge_init_into_class`), the default
    /// of an inline `::: pkg.Class` block.
    pub merge_init_into_class: bool,
}

/// One documented object of a module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiObject {
    /// Dotted path inside the module (`Context.invoke`).
    pub qualname: CompactString,
    /// What it is.
    pub kind: ObjectKind,
    /// Its element id on the module's page is `{module}.{qualname}` when 0, else followed
    /// by `-{anchor_suffix}` (2 for the second id of that name on the page, 3 for the
    /// third): see [`object_anchor`]. Kept as a number, as the id is the module's name and
    /// the qualname, which every object already holds; on a large API (hundreds of
    /// thousands of objects) the strings were tens of MiB in every process.
    pub anchor_suffix: u32,
}

/// The base classes of one class of a module, for the members it inherits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassBases {
    /// The class's position in [`ApiModule::objects`].
    pub object: u32,
    /// Its bases as written (`Base`, `pkg.Mixin`, `Generic[T]`); never empty.
    pub bases: Box<[CompactString]>,
}

impl ApiModule {
    /// The bases of the object at `object` in [`ApiModule::objects`] (empty for an object
    /// that is not a class with bases).
    pub fn bases_of(&self, object: usize) -> &[CompactString] {
        self.class_bases
            .binary_search_by_key(&object, |class| class.object as usize)
            .map_or(&[], |found| &self.class_bases[found].bases)
    }
}

impl ApiObject {
    /// Its element id on the page of `module` (its module's dotted name).
    pub fn anchor(&self, module: &str) -> String {
        object_anchor(module, &self.qualname, self.anchor_suffix)
    }
}

/// The element id the autodoc renderer gives an object of `module` (dotted name):
/// `{module}.{qualname}`, and when two objects of a page would share it, `-2`, `-3`… after
/// the second and third (`suffix`; 0 for none).
pub fn object_anchor(module: &str, qualname: &str, suffix: u32) -> String {
    let mut anchor = String::with_capacity(module.len() + qualname.len() + 12);
    push_object_anchor(&mut anchor, module, qualname, suffix);
    anchor
}

/// [`object_anchor`], appended to `text` (a URL being built).
pub fn push_object_anchor(text: &mut String, module: &str, qualname: &str, suffix: u32) {
    text.push_str(module);
    text.push('.');
    text.push_str(qualname);
    if suffix != 0 {
        text.push('-');
        text.push_str(&suffix.to_string());
    }
}

/// An object of an external inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalObject {
    /// Dotted name (`pathlib.Path`).
    pub name: CompactString,
    /// What it is.
    pub kind: ObjectKind,
    /// Absolute URL of its documentation.
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short names are `CompactString`s in memory and plain strings on the wire: an
    /// object and a class's bases encode to the bytes `String` fields give, whether a name
    /// fits inline or not.
    #[test]
    fn compact_names_encode_as_plain_strings() {
        #[derive(Serialize)]
        struct PlainObject {
            qualname: String,
            kind: ObjectKind,
            anchor_suffix: u32,
        }
        #[derive(Serialize)]
        struct PlainBases {
            object: u32,
            bases: Vec<String>,
        }
        for name in ["Context.invoke", "a_qualname_longer_than_twenty_four_bytes"] {
            let object = ApiObject {
                qualname: name.into(),
                kind: ObjectKind::Method,
                anchor_suffix: 2,
            };
            let plain = PlainObject {
                qualname: name.to_string(),
                kind: ObjectKind::Method,
                anchor_suffix: 2,
            };
            let encoded = postcard::to_allocvec(&object).unwrap();
            assert_eq!(encoded, postcard::to_allocvec(&plain).unwrap());
            assert_eq!(postcard::from_bytes::<ApiObject>(&encoded).unwrap(), object);

            let bases = ClassBases {
                object: 3,
                bases: vec![CompactString::from("Base"), CompactString::from(name)].into(),
            };
            let plain = PlainBases {
                object: 3,
                bases: vec!["Base".to_string(), name.to_string()],
            };
            let encoded = postcard::to_allocvec(&bases).unwrap();
            assert_eq!(encoded, postcard::to_allocvec(&plain).unwrap());
            assert_eq!(postcard::from_bytes::<ClassBases>(&encoded).unwrap(), bases);
        }
    }

    #[test]
    fn bases_are_found_by_the_position_of_their_class() {
        let object = |qualname: &str| ApiObject {
            qualname: qualname.into(),
            kind: ObjectKind::Class,
            anchor_suffix: 0,
        };
        let module = ApiModule {
            name: "pkg".into(),
            url: "/api/pkg/".into(),
            objects: vec![object("A"), object("B"), object("C")],
            class_bases: vec![
                ClassBases {
                    object: 0,
                    bases: vec!["Base".into()].into(),
                },
                ClassBases {
                    object: 2,
                    bases: vec!["A".into(), "Mixin".into()].into(),
                },
            ],
            imports: vec![],
            file: "pkg/__init__.py".into(),
            is_package: true,
            include_private: false,
            merge_init_into_class: false,
        };
        assert_eq!(module.bases_of(0), ["Base"]);
        assert!(module.bases_of(1).is_empty());
        assert_eq!(module.bases_of(2), ["A", "Mixin"]);
        assert!(module.bases_of(3).is_empty());
    }
}

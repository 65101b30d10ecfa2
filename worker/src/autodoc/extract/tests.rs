//! Extraction: what is documented, in which order, under which name.

use crate::autodoc::model::{AttributeKind, ClassDoc, ClassKind, FunctionKind};
use crate::autodoc::signature::format_def;
use crate::autodoc::{AutodocOptions, ModuleDoc, document_module};

fn document(source: &str, options: AutodocOptions) -> ModuleDoc {
    match document_module(source, "pkg.mod", options) {
        Ok(doc) => doc,
        Err(error) => panic!("did not parse: {error}"),
    }
}

fn public(source: &str) -> ModuleDoc {
    document(source, AutodocOptions::default())
}

/// The names of every documented object, grouped, as `kind:qualname` in document order.
fn names(doc: &ModuleDoc) -> Vec<String> {
    fn class_names(class: &ClassDoc, out: &mut Vec<String>) {
        out.push(format!("class:{}", class.qualname));
        out.extend(
            class
                .attributes
                .iter()
                .map(|attribute| format!("attr:{}", attribute.qualname)),
        );
        out.extend(
            class
                .properties
                .iter()
                .map(|property| format!("prop:{}", property.qualname)),
        );
        out.extend(
            class
                .methods
                .iter()
                .map(|method| format!("def:{}", method.qualname)),
        );
        for nested in &class.classes {
            class_names(nested, out);
        }
    }
    let mut out = Vec::new();
    out.extend(
        doc.reexports
            .iter()
            .map(|reexport| format!("reexport:{}={}", reexport.name, reexport.origin)),
    );
    for class in &doc.classes {
        class_names(class, &mut out);
    }
    out.extend(
        doc.functions
            .iter()
            .map(|function| format!("def:{}", function.qualname)),
    );
    out.extend(
        doc.attributes
            .iter()
            .map(|attribute| format!("attr:{}", attribute.qualname)),
    );
    out
}

/// Documents `source` with default options and compares the documented names.
fn check(source: &str, expected: &[&str]) {
    assert_eq!(names(&public(source)), expected, "source:\n{source}");
}

#[test]
fn what_is_documented() {
    let cases: &[(&str, &[&str])] = &[
        ("def f(): pass\ndef _g(): pass", &["def:f"]),
        (
            "class A:\n    def m(self): pass\n    def _p(self): pass",
            &["class:A", "def:A.m"],
        ),
        // Dunders: __init__ and undocumented dunders hidden, documented dunders shown.
        (
            "class A:\n    def __init__(self, x): pass\n    def __repr__(self): pass\n    def __eq__(self, o):\n        \"\"\"Compare.\"\"\"",
            &["class:A", "def:A.__eq__"],
        ),
        // Module attributes: annotated, constants, aliases; plain lowercase hidden.
        (
            "x: int = 1\nMAX = 3\nlogger = get()\ntype Alias = int\nOld: TypeAlias = str",
            &["attr:x", "attr:MAX", "attr:Alias", "attr:Old"],
        ),
        // Definitions in TYPE_CHECKING / version / try blocks; the first one wins.
        (
            "if TYPE_CHECKING:\n    def a(): pass\nif sys.version_info >= (3, 12):\n    def b(): pass\nelse:\n    def b(x): pass\ntry:\n    from _speed import c\nexcept ImportError:\n    def c(): pass\nif __name__ == '__main__':\n    def main(): pass",
            &["def:a", "def:b", "def:c"],
        ),
        // A nested class and its members.
        (
            "class A:\n    class B:\n        x: int\n        def m(self): pass",
            &["class:A", "class:A.B", "attr:A.B.x", "def:A.B.m"],
        ),
    ];
    for (source, expected) in cases {
        check(source, expected);
    }
}

#[test]
fn all_selects_and_orders_names_and_lists_reexports() {
    let source = "from .core import Client\nfrom ..util import helper as h\nimport json\n\
                  __all__ = ['f', 'Client']\n__all__ += ['_hidden', 'h']\n__all__.extend(['json', 'VERSION'])\n\
                  def g(): pass\ndef _hidden(): pass\ndef f(): pass\nVERSION = '1'\nOTHER = 2";
    check(
        source,
        &[
            "reexport:Client=pkg.core.Client",
            "reexport:h=util.helper",
            "reexport:json=json",
            "def:f",
            "def:_hidden",
            "attr:VERSION",
        ],
    );

    // In a package's __init__, `.` is the package itself.
    let options = AutodocOptions {
        is_package: true,
        ..AutodocOptions::default()
    };
    let doc = document("from .core import Client\n__all__ = ('Client',)", options);
    assert_eq!(names(&doc), ["reexport:Client=pkg.mod.core.Client"]);
    assert_eq!(doc.all.as_deref(), Some(&["Client".to_owned()][..]));

    // `pkg.__init__` is the package `pkg`.
    let doc = document_module(
        "from .core import Client\n__all__ = ['Client']",
        "pkg.__init__",
        AutodocOptions::default(),
    );
    let doc = doc.unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        (doc.name.as_str(), names(&doc)),
        ("pkg", vec!["reexport:Client=pkg.core.Client".to_owned()])
    );
}

#[test]
fn include_private_shows_everything() {
    let source = "def _f(): pass\nclass _C:\n    def _m(self): pass\n    def __repr__(self): pass\n_X: int = 1";
    check(source, &[]);
    let doc = document(
        source,
        AutodocOptions {
            include_private: true,
            ..AutodocOptions::default()
        },
    );
    assert_eq!(
        names(&doc),
        [
            "class:_C",
            "def:_C._m",
            "def:_C.__repr__",
            "def:_f",
            "attr:_X"
        ]
    );
}

#[test]
fn properties_fold_setters_and_deleters() {
    let doc = public(
        "import functools\nclass A:\n    @property\n    def size(self) -> int:\n        \"\"\"The size.\"\"\"\n    @size.setter\n    def size(self, value): pass\n    @size.deleter\n    def size(self): pass\n    @functools.cached_property\n    def total(self): pass\n    @property\n    def name(self) -> str: pass",
    );
    let properties = &doc.classes[0].properties;
    let summary: Vec<(&str, Option<&str>, bool, bool, bool)> = properties
        .iter()
        .map(|property| {
            (
                property.name.as_str(),
                property.annotation.as_deref(),
                property.is_cached,
                property.settable,
                property.deletable,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("size", Some("int"), false, true, true),
            ("total", None, true, false, false),
            ("name", Some("str"), false, false, false)
        ]
    );
    assert_eq!(
        properties[0]
            .docstring
            .as_ref()
            .map(|docstring| docstring.summary.as_str()),
        Some("The size.")
    );
    assert!(doc.classes[0].methods.is_empty());
}

#[test]
fn overloads_gather_under_one_function() {
    let doc = public(
        "from typing import overload\n@overload\ndef f(x: int) -> int: ...\n@overload\ndef f(x: str) -> str: ...\ndef f(x):\n    \"\"\"Identity.\"\"\"\n    return x\n@overload\ndef g(x: int) -> int:\n    \"\"\"Only overloads.\"\"\"",
    );
    let f = &doc.functions[0];
    let overloads: Vec<String> = f
        .overloads
        .iter()
        .map(|signature| format_def("f", false, signature))
        .collect();
    assert_eq!(overloads, ["def f(x: int) -> int", "def f(x: str) -> str"]);
    assert_eq!(format_def("f", false, &f.signature), "def f(x)");
    assert_eq!(f.line, 3);
    assert_eq!(
        f.docstring
            .as_ref()
            .map(|docstring| docstring.summary.as_str()),
        Some("Identity.")
    );
    let g = &doc.functions[1];
    assert_eq!(format_def("g", false, &g.signature), "def g(x: int) -> int");
    assert_eq!(
        g.docstring
            .as_ref()
            .map(|docstring| docstring.summary.as_str()),
        Some("Only overloads.")
    );
}

#[test]
fn method_kinds_and_decorators() {
    let doc = public(
        "class A:\n    @staticmethod\n    def s(x): pass\n    @classmethod\n    def c(cls, y): pass\n    @abstractmethod\n    async def a(self, /, z): pass\n    @deprecated(\"Use s.\")\n    @lru_cache(maxsize=None)\n    def d(self): pass",
    );
    let methods = &doc.classes[0].methods;
    let kinds: Vec<FunctionKind> = methods.iter().map(|method| method.kind).collect();
    assert_eq!(
        kinds,
        [
            FunctionKind::StaticMethod,
            FunctionKind::ClassMethod,
            FunctionKind::Method,
            FunctionKind::Method
        ]
    );
    let defs: Vec<String> = methods
        .iter()
        .map(|method| format_def(&method.name, method.is_async, &method.signature))
        .collect();
    assert_eq!(defs, ["def s(x)", "def c(y)", "async def a(z)", "def d()"]);
    assert!(methods[2].is_abstract);
    assert_eq!(methods[3].deprecated.as_deref(), Some("Use s."));
    assert_eq!(methods[3].decorators, ["lru_cache(maxsize=None)"]);
}

#[test]
fn classes_signature_bases_and_type_params() {
    let doc = public(
        "class Client[T = int](Base[T], metaclass=ABCMeta):\n    \"\"\"A client.\n\n    Args:\n        url: Where.\n    \"\"\"\n    def __init__(self, url: str, *, retries: int = 3) -> None: pass",
    );
    let class = &doc.classes[0];
    assert_eq!(class.bases, ["Base[T]"]);
    assert_eq!(class.keywords, ["metaclass=ABCMeta"]);
    assert_eq!(
        crate::autodoc::signature::format_type_params(&class.type_params),
        "[T = int]"
    );
    let signature = class
        .signature
        .as_ref()
        .map(|signature| signature.format_params());
    assert_eq!(
        signature.as_deref(),
        Some("(url: str, *, retries: int = 3)")
    );
    // Parameter types in the class docstring come from __init__'s annotations.
    let docstring = class
        .docstring
        .as_ref()
        .map(|docstring| docstring.params[0].ty.clone());
    assert_eq!(docstring, Some(Some("str".to_owned())));
    assert_eq!(class.line, 1);
}

#[test]
fn dataclass_fields_and_generated_signature() {
    let doc = public(
        "@dataclass(kw_only=False)\nclass Point:\n    \"\"\"A point.\n\n    Attributes:\n        x: Horizontal.\n        extra: Not a field.\n    \"\"\"\n    x: int\n    y: int = 0\n    tags: list[str] = field(default_factory=list)\n    cache: dict = field(init=False, default=None)\n    count: ClassVar[int] = 0\n    _: KW_ONLY\n    label: str = 'p'",
    );
    let class = &doc.classes[0];
    assert_eq!(class.kind, ClassKind::Dataclass);
    assert_eq!(class.decorators, ["dataclass(kw_only=False)"]);
    let signature = class
        .signature
        .as_ref()
        .map(|signature| signature.format_params());
    assert_eq!(
        signature.as_deref(),
        Some("(x: int, y: int = 0, tags: list[str] = <factory>, *, label: str = 'p')")
    );
    let kinds: Vec<(&str, AttributeKind)> = class
        .attributes
        .iter()
        .map(|attribute| (attribute.name.as_str(), attribute.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("x", AttributeKind::Field),
            ("y", AttributeKind::Field),
            ("tags", AttributeKind::Field),
            ("cache", AttributeKind::Field),
            ("count", AttributeKind::Variable),
            ("label", AttributeKind::Field)
        ]
    );
    // The docstring's `Attributes:` entry moved onto `x`; `extra` names nothing and stays.
    assert_eq!(
        class.attributes[0]
            .docstring
            .as_ref()
            .map(|docstring| docstring.body.as_str()),
        Some("Horizontal.")
    );
    let remaining: Vec<&str> = class
        .docstring
        .iter()
        .flat_map(|docstring| &docstring.attributes)
        .map(|field| field.name.as_str())
        .collect();
    assert_eq!(remaining, ["extra"]);
}

#[test]
fn named_tuples_typed_dicts_and_enums() {
    let doc = public(
        "class P(NamedTuple):\n    x: int\n    y: int = 1\nclass D(TypedDict, total=False):\n    k: str\nclass Color(enum.Enum):\n    RED = 1\n    GREEN = auto()\n    def describe(self): pass",
    );
    let kinds: Vec<ClassKind> = doc.classes.iter().map(|class| class.kind).collect();
    assert_eq!(
        kinds,
        [ClassKind::NamedTuple, ClassKind::TypedDict, ClassKind::Enum]
    );
    assert_eq!(
        doc.classes[0]
            .signature
            .as_ref()
            .map(|signature| signature.format_params())
            .as_deref(),
        Some("(x: int, y: int = 1)")
    );
    assert!(doc.classes[1].signature.is_none());
    let members: Vec<(&str, Option<&str>, AttributeKind)> = doc.classes[2]
        .attributes
        .iter()
        .map(|attribute| {
            (
                attribute.name.as_str(),
                attribute.value.as_deref(),
                attribute.kind,
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            ("RED", Some("1"), AttributeKind::EnumMember),
            ("GREEN", Some("auto()"), AttributeKind::EnumMember)
        ]
    );
}

#[test]
fn attribute_docstrings_and_lines() {
    let doc = public(
        "class A:\n    x: int = 1\n    \"\"\"The x.\"\"\"\n\n    #: The y,\n    #: on two lines.\n    y = 2\n    z = 3  #: The z.\n    w = 4\nT = TypeVar('T')\nUserId = NewType('UserId', int)\nnote = 'n'\n\"\"\"A documented lowercase variable.\"\"\"",
    );
    let docs: Vec<(&str, u32, Option<&str>)> = doc.classes[0]
        .attributes
        .iter()
        .map(|attribute| {
            (
                attribute.name.as_str(),
                attribute.line,
                attribute
                    .docstring
                    .as_ref()
                    .map(|docstring| docstring.text.as_str()),
            )
        })
        .collect();
    assert_eq!(
        docs,
        [
            ("x", 2, Some("The x.")),
            ("y", 7, Some("The y,\non two lines.")),
            ("z", 8, Some("The z.")),
            ("w", 9, None)
        ]
    );
    let module: Vec<(&str, AttributeKind, u32)> = doc
        .attributes
        .iter()
        .map(|attribute| (attribute.name.as_str(), attribute.kind, attribute.line))
        .collect();
    assert_eq!(
        module,
        [
            ("T", AttributeKind::TypeVar, 10),
            ("UserId", AttributeKind::NewType, 11),
            ("note", AttributeKind::Variable, 12)
        ]
    );
}

#[test]
fn values_are_cut_and_put_on_one_line() {
    let long = format!(
        "TABLE = {{\n{}}}",
        (0..200)
            .map(|index| format!("    'key{index}': {index},\n"))
            .collect::<String>()
    );
    let doc = public(&long);
    let value = doc.attributes[0].value.clone().unwrap_or_default();
    assert!(value.starts_with("{'key0': 0, 'key1': 1,"), "{value}");
    assert!(
        value.ends_with('…') && value.chars().count() <= 161,
        "{value}"
    );
}

#[test]
fn module_docstring_and_async_functions() {
    let doc = public(
        "\"\"\"Module summary.\n\nMore.\n\"\"\"\nasync def run[T](x: T) -> T:\n    \"\"\"Run.\"\"\"",
    );
    assert_eq!(
        doc.docstring
            .as_ref()
            .map(|docstring| docstring.summary.as_str()),
        Some("Module summary.")
    );
    assert_eq!(doc.name, "pkg.mod");
    let function = &doc.functions[0];
    assert_eq!(
        format_def(&function.name, function.is_async, &function.signature),
        "async def run[T](x: T) -> T"
    );
    assert_eq!(function.line, 5);
}

fn merged(source: &str) -> ModuleDoc {
    document(
        source,
        AutodocOptions {
            merge_init_into_class: true,
            ..AutodocOptions::default()
        },
    )
}

/// A class's merged docstring text, `None` when it has none.
fn class_text(doc: &ModuleDoc) -> Option<&str> {
    doc.classes[0]
        .docstring
        .as_ref()
        .map(|docstring| docstring.text.as_str())
}

const GOOGLE_CLASS: &str = "class Client:\n    \"\"\"A client.\n\n    Talks to a server.\n    \"\"\"\n\n    def __init__(self, url: str, retries: int = 3):\n        \"\"\"Makes a client.\n\n        Args:\n            url: Where.\n            retries: How often.\n\n        Raises:\n            ValueError: On a bad url.\n        \"\"\"\n\n    def fetch(self):\n        \"\"\"Fetches.\"\"\"\n";

#[test]
fn merge_init_off_keeps_init_as_a_documented_method() {
    let doc = public(GOOGLE_CLASS);
    assert_eq!(
        names(&doc),
        ["class:Client", "def:Client.__init__", "def:Client.fetch"]
    );
    assert_eq!(class_text(&doc), Some("A client.\n\nTalks to a server."));
    let init = &doc.classes[0].methods[0];
    assert_eq!(init.docstring.as_ref().map(|d| d.params.len()), Some(2));
}

#[test]
fn merge_init_appends_the_init_docstring_and_drops_the_method() {
    let doc = merged(GOOGLE_CLASS);
    assert_eq!(names(&doc), ["class:Client", "def:Client.fetch"]);
    let objects: Vec<String> = crate::autodoc::documented_objects(&doc)
        .into_iter()
        .map(|object| object.anchor)
        .collect();
    assert_eq!(objects, ["pkg.mod.Client", "pkg.mod.Client.fetch"]);
    let class = &doc.classes[0];
    let Some(docstring) = &class.docstring else {
        panic!("no class docstring");
    };
    assert_eq!(
        docstring.text,
        "A client.\n\nTalks to a server.\n\nMakes a client.\n\nArgs:\n    url: Where.\n    retries: How often.\n\nRaises:\n    ValueError: On a bad url."
    );
    assert_eq!(docstring.summary, "A client.");
    assert_eq!(docstring.body, "Talks to a server.\n\nMakes a client.");
    let params: Vec<(&str, Option<&str>, &str)> = docstring
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.ty.as_deref(), p.description.as_str()))
        .collect();
    // Types come from `__init__`'s annotations, as for a class docstring's own `Args`.
    assert_eq!(
        params,
        [
            ("url", Some("str"), "Where."),
            ("retries", Some("int"), "How often.")
        ]
    );
    assert_eq!(docstring.raises[0].name, "ValueError");
    // The signature is still `__init__`'s.
    assert_eq!(
        class
            .signature
            .as_ref()
            .map(|s| s.format_params())
            .as_deref(),
        Some("(url: str, retries: int = 3)")
    );
}

#[test]
fn merge_init_with_either_docstring_missing() {
    // Only `__init__` has one: it is the class's, summary included.
    let doc = merged(
        "class A:\n    def __init__(self, x):\n        \"\"\"Makes an A.\n\n        Args:\n            x: The x.\n        \"\"\"",
    );
    assert_eq!(names(&doc), ["class:A"]);
    assert_eq!(
        class_text(&doc),
        Some("Makes an A.\n\nArgs:\n    x: The x.")
    );
    let docstring = doc.classes[0].docstring.as_ref();
    assert_eq!(docstring.map(|d| d.summary.as_str()), Some("Makes an A."));
    assert_eq!(docstring.map(|d| d.params.len()), Some(1));
    // Only the class has one, `__init__` has none: the class's alone.
    let doc = merged("class A:\n    \"\"\"An A.\"\"\"\n    def __init__(self, x): pass");
    assert_eq!(class_text(&doc), Some("An A."));
    // Neither has one; an empty `__init__` docstring adds nothing.
    assert_eq!(
        class_text(&merged("class A:\n    def __init__(self): pass")),
        None
    );
    assert_eq!(
        class_text(&merged(
            "class A:\n    \"\"\"An A.\"\"\"\n    def __init__(self):\n        \"\"\"\"\"\""
        )),
        Some("An A.")
    );
    // A class without `__init__` is unchanged.
    assert_eq!(
        class_text(&merged("class A:\n    \"\"\"An A.\"\"\"\n    x: int")),
        Some("An A.")
    );
}

#[test]
fn merge_init_cleans_each_docstring_before_joining() {
    // The class docstring is indented by 4, `__init__`'s by 8 with a tab-free body and a
    // first line on the quotes' line: each is dedented on its own, so the joined text has
    // one section per header and nothing left indented by accident.
    let doc = merged(
        "class Grid:\n    \"\"\"\n    A grid.\n\n        Kept indented.\n    \"\"\"\n    def __init__(self, rows, cols):\n        \"\"\"Makes a grid.\n\n        Parameters\n        ----------\n        rows : int\n            Row count.\n        cols : int\n            Column count.\n\n        Notes\n        -----\n        Cells start empty.\n        \"\"\"",
    );
    let docstring = doc.classes[0].docstring.as_ref();
    assert_eq!(
        docstring.map(|d| d.text.as_str()),
        Some(
            "A grid.\n\n    Kept indented.\n\nMakes a grid.\n\nParameters\n----------\nrows : int\n    Row count.\ncols : int\n    Column count.\n\nNotes\n-----\nCells start empty."
        )
    );
    let Some(docstring) = docstring else {
        panic!("no class docstring");
    };
    assert_eq!(
        docstring.style,
        crate::autodoc::docstring::DocstringStyle::Numpy
    );
    let params: Vec<(&str, Option<&str>)> = docstring
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.ty.as_deref()))
        .collect();
    assert_eq!(params, [("rows", Some("int")), ("cols", Some("int"))]);
    assert_eq!(docstring.sections.len(), 1);
    assert_eq!(docstring.sections[0].body, "Cells start empty.");
}

#[test]
fn merge_init_takes_the_implementation_docstring_and_applies_to_nested_classes() {
    let doc = document(
        "class Outer:\n    \"\"\"Outer.\"\"\"\n    class Inner:\n        @overload\n        def __init__(self, x: int) -> None:\n            \"\"\"Overload.\"\"\"\n        def __init__(self, x):\n            \"\"\"Implementation.\"\"\"\n        def _helper(self): pass\n    def __init__(self): pass",
        AutodocOptions {
            merge_init_into_class: true,
            include_private: true,
            ..AutodocOptions::default()
        },
    );
    // `include_private` shows `_helper`, never a merged `__init__`.
    assert_eq!(
        names(&doc),
        [
            "class:Outer",
            "class:Outer.Inner",
            "def:Outer.Inner._helper"
        ]
    );
    assert_eq!(class_text(&doc), Some("Outer."));
    let inner = &doc.classes[0].classes[0];
    assert_eq!(
        inner.docstring.as_ref().map(|d| d.text.as_str()),
        Some("Implementation.")
    );
    // Symbols only: the docstring is present (so the class is documented) but not read.
    let names_only = document(
        "class A:\n    def __init__(self):\n        \"\"\"Makes an A.\"\"\"",
        AutodocOptions {
            merge_init_into_class: true,
            names_only: true,
            ..AutodocOptions::default()
        },
    );
    assert_eq!(names(&names_only), ["class:A"]);
    assert_eq!(class_text(&names_only), Some(""));
}

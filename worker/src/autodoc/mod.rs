//! Static Python API documentation: Ruff's parser → `ModuleDoc` → HTML fragment.
//!
//! User code is never imported or executed: a module is parsed once (`parse.rs`), read in
//! one pass into plain data (`extract.rs` with `extract/{attributes,exports}.rs`, `class.rs`,
//! `decorators.rs`, `signature.rs`, `docstring/`; see `model.rs` for the types), and rendered
//! (`render.rs` with `render/{signature,docstring}.rs`). All Ruff-specific code stays behind
//! this module; nothing outside sees an AST.
//!
//! The data types are public (`model`, `signature`, `docstring`) so the page pipeline can
//! read a [`ModuleDoc`] (for search entries or cross-references) without parsing again.
//!
//! The HTML uses stable `autodoc-*` class names, listed in `render.rs` and styled by
//! `theme/static/autodoc.css`.
// Used by render.rs once integrated: until the page pipeline calls document_module and
// render_module, nothing outside the tests does.

mod decorators;
pub mod docstring;
mod extract;
pub mod model;
pub mod objects;
pub(crate) mod parse;
mod render;
pub mod signature;

pub use model::ModuleDoc;
pub use objects::{DocumentedObject, ModuleSymbols, ObjectKind, documented_objects, scan_module};
pub(crate) use render::escape as escape_html;
pub use render::inline::{InlineOptions, NameFilter};

use protocol::{Heading, NavLink};

/// Options from `[[autodoc.python]]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AutodocOptions {
    /// Document `_private` names too.
    pub include_private: bool,
    /// The source is a package's `__init__.py`: relative imports (`from .x import Y`)
    /// resolve against the module itself rather than its parent package.
    pub is_package: bool,
    /// Docstrings are noted as present but not read (every `Docstring` is empty): what
    /// the symbol scan needs (names, kinds, anchors), at a fraction of the cost. Which
    /// objects are shown does not change, since that depends on a docstring's presence.
    pub names_only: bool,
    /// mkdocstrings' `merge_init_into_class`: a class's docstring is its own followed by
    /// its `__init__`'s, and `__init__` is not a member of its own (no entry, anchor or
    /// inventory line).
    pub merge_init_into_class: bool,
}

/// A module that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutodocError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The parser's message.
    pub message: String,
}

impl std::fmt::Display for AutodocError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for AutodocError {}

/// Parses `source` (the module `module`, dotted) and extracts its documentation.
///
/// A name ending in `.__init__` is read as the package itself (`mypkg.__init__` documents
/// `mypkg`, with `is_package` set). Errors with the position of the first syntax error;
/// never panics on bad input.
pub fn document_module(
    source: &str,
    module: &str,
    options: AutodocOptions,
) -> Result<ModuleDoc, AutodocError> {
    let (module, options) = match module.strip_suffix(".__init__") {
        Some(package) => (
            package,
            AutodocOptions {
                is_package: true,
                ..options
            },
        ),
        None => (module, options),
    };
    let text = parse::SourceText::new(source);
    let parsed = parse::parse(source, &text)?;
    Ok(extract::extract(parsed.syntax(), &text, module, options))
}

/// Where a module page sits, for rendering.
pub struct ModulePageInfo<'a> {
    /// Site-relative source file, shown next to each object with its line.
    pub source_file: &'a str,
    /// True for a package's `__init__.py`.
    pub is_package: bool,
    /// For packages: direct submodules (URLs are final hrefs).
    pub submodules: &'a [NavLink],
    /// Link to each object's source, with `{line}` and `{end_line}` still to fill in.
    pub source_url: Option<&'a str>,
    /// Links for the names in types and bases; `None` shows them as plain text.
    pub links: Option<&'a dyn ApiLinks>,
}

/// What the renderer asks the page about names: where a type links to, and which object's
/// docstring comes next (so references in it resolve relative to it).
pub trait ApiLinks {
    /// The object at 1-based `line`, in class `class` (qualified, empty outside classes;
    /// a class is its own scope), is rendered next.
    fn enter(&self, line: u32, class: &str);

    /// The href of a dotted name in a type of the current object (annotation, return
    /// type, base class), or `None` to leave it as plain text.
    fn type_href(&self, name: &str) -> Option<String>;

    /// The members class `class` (qualified) of this page's module inherits from
    /// documented base classes, with final hrefs.
    fn inherited(&self, class: &str) -> Vec<crate::xref::InheritedFrom>;

    /// The guide pages mentioning the object with element id `id` on this page (the
    /// module itself for an empty id): (title, final href), sorted by URL.
    fn referenced_by(&self, id: &str) -> Vec<(String, String)>;
}

/// A module rendered to an HTML fragment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AutodocHtml {
    /// HTML fragment.
    pub html: String,
    /// Headings for the table of contents (module, classes, functions...).
    pub headings: Vec<Heading>,
    /// Every id in the fragment.
    pub anchors: Vec<String>,
    /// Plain text of the page (signatures and docstrings).
    pub plain_text: String,
}

/// Renders a module page. `markdown` turns a docstring fragment into HTML.
/// Every piece of user text is escaped; only the closure's output is written as HTML.
pub fn render_module(
    doc: &ModuleDoc,
    info: &ModulePageInfo<'_>,
    markdown: &dyn Fn(&str) -> String,
) -> AutodocHtml {
    render::render_module(doc, info, markdown)
}

/// Renders one object of `doc` inside another page (a mkdocstrings `::: path` block):
/// `qualname` inside the module, empty for the module itself; `None` when the module does
/// not document it. Ids in `taken` (earlier blocks of the page) are not used again.
pub fn render_inline(
    doc: &ModuleDoc,
    qualname: &str,
    info: &ModulePageInfo<'_>,
    markdown: &dyn Fn(&str) -> String,
    options: &InlineOptions,
    taken: &std::collections::HashSet<String>,
) -> Option<AutodocHtml> {
    render::inline::render_inline(doc, qualname, info, markdown, options, taken)
}

#[cfg(test)]
mod tests;

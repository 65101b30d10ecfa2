//! Static Python API documentation: Ruff's parser → `ModuleDoc` → HTML fragment.
//!
//! OWNER: autodoc helper. This file is the interface; the implementation replaces the
//! `todo!()`s. User code is never imported or executed.

use protocol::{Heading, NavLink};

/// Options from `[[autodoc.python]]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AutodocOptions {
    /// Document `_private` names too.
    pub include_private: bool,
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

/// Everything documented about one module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleDoc {}

/// Parses `source` (the module `module`) and extracts its documentation.
pub fn document_module(
    source: &str,
    module: &str,
    options: AutodocOptions,
) -> Result<ModuleDoc, AutodocError> {
    let _ = (source, module, options);
    todo!()
}

/// Where a module page sits, for rendering.
pub struct ModulePageInfo<'a> {
    /// Site-relative source file, shown next to each object with its line.
    pub source_file: &'a str,
    /// True for a package's `__init__.py`.
    pub is_package: bool,
    /// For packages: direct submodules (URLs are final hrefs).
    pub submodules: &'a [NavLink],
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
pub fn render_module(
    doc: &ModuleDoc,
    info: &ModulePageInfo<'_>,
    markdown: &dyn Fn(&str) -> String,
) -> AutodocHtml {
    let _ = (doc, info, markdown);
    todo!()
}

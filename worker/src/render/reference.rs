//! Reference pages: the worker's one dispatch on [`ReferenceBody`], a page documented from
//! a reference source rather than written in markdown. A new source is one arm here,
//! calling into its own folder (as Python calls `crate::autodoc`).

use super::xrefs::PageRefs;
use super::{RenderContext, RenderedBody};
use crate::autodoc::{self, AutodocOptions, ModulePageInfo};
use crate::markdown::KeepLinks;
use protocol::{NavLink, OutgoingLink, PageError, PageErrorKind, ReferenceBody};

/// Renders the body of a reference page.
pub(super) fn render_reference(
    context: &RenderContext,
    reference: &ReferenceBody,
) -> Result<RenderedBody, PageError> {
    match reference {
        ReferenceBody::Python {
            file,
            module,
            is_package,
            submodules,
            include_private,
            source_url,
        } => render_python(
            context,
            file,
            module,
            *is_package,
            submodules,
            *include_private,
            source_url.as_deref(),
        ),
    }
}

fn render_python(
    context: &RenderContext,
    file: &str,
    module: &str,
    is_package: bool,
    submodules: &[NavLink],
    include_private: bool,
    source_url: Option<&str>,
) -> Result<RenderedBody, PageError> {
    let path = context.site_root.join(file);
    let io_error = |e: std::io::Error| PageError {
        file: Some(file.to_string()),
        line: None,
        kind: PageErrorKind::Io,
        message: format!("cannot read python module: {e}"),
        hint: Some(crate::limits::read_hint(&e).into()),
    };
    let bytes = crate::limits::read_source(&path).map_err(io_error)?;
    let source = crate::text::decode_utf8(&bytes).map_err(|(line, message)| PageError {
        file: Some(file.to_string()),
        line: Some(line),
        kind: PageErrorKind::Encoding,
        message,
        hint: Some("save the file as UTF-8".into()),
    })?;
    let doc = autodoc::document_module(
        source,
        module,
        AutodocOptions {
            include_private,
            is_package,
            names_only: false,
        },
    )
    .map_err(|e| PageError {
        file: Some(file.to_string()),
        line: Some(e.line),
        kind: PageErrorKind::Python,
        message: format!("python syntax error at column {}: {}", e.column, e.message),
        hint: Some(
            "fix the syntax error; the module is parsed statically and never imported".into(),
        ),
    })?;
    let submodule_links: Vec<NavLink> = submodules
        .iter()
        .map(|l| NavLink {
            title: l.title.clone(),
            url: context.href(&l.url),
        })
        .collect();
    let references = (!context.xref.is_empty())
        .then(|| PageRefs::module(&context.xref, &doc.name, &context.base_path));
    let info = ModulePageInfo {
        source_file: file,
        is_package,
        submodules: &submodule_links,
        source_url,
        links: references.as_ref().map(|r| r as &dyn autodoc::ApiLinks),
    };
    // A docstring nested too deeply to render is shown as written.
    let markdown = |text: &str| match crate::markdown::check_nesting(text) {
        Ok(()) => {
            let references = references
                .as_ref()
                .map(|r| r as &dyn crate::markdown::References);
            context
                .markdown
                .render_with_references(text, 1, &mut KeepLinks, references)
                .html
        }
        Err(_) => format!("<pre>{}</pre>\n", autodoc::escape_html(text)),
    };
    let rendered = autodoc::render_module(&doc, &info, &markdown);
    let (link_deps, warnings) = match references {
        Some(references) => references.finish(Some(file), None),
        None => (Vec::new(), Vec::new()),
    };
    let links = submodules
        .iter()
        .map(|l| OutgoingLink {
            target: l.url.clone(),
            line: None,
        })
        .collect();
    Ok(RenderedBody {
        html: rendered.html,
        headings: rendered.headings,
        anchors: rendered.anchors,
        links,
        link_deps,
        plain_text: rendered.plain_text,
        has_leading_h1: false,
        warnings,
    })
}

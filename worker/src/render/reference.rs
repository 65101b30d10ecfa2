//! Reference pages: the worker's one dispatch on [`ReferenceBody`], a page documented from
//! a reference source rather than written in markdown. A new source is one arm here,
//! calling into its own folder (as Python calls `crate::autodoc`, OpenAPI
//! `crate::reference::openapi`).

use super::xrefs::PageRefs;
use super::{RenderContext, RenderedBody};
use crate::autodoc::{self, AutodocOptions, ModulePageInfo};
use crate::markdown::KeepLinks;
use crate::reference::ReferenceError;
use crate::reference::openapi::{PageKey, Spec, SpecSource, load_spec};
use protocol::{NavLink, OutgoingLink, PageError, PageErrorKind, ReferenceBody};
use std::sync::{Arc, Mutex};

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
        ReferenceBody::OpenApi {
            file,
            folder,
            page,
            page_url,
            url_prefix,
        } => render_openapi(
            context,
            &OpenApiPage {
                file,
                folder,
                page: *page,
                page_url,
                url_prefix,
            },
        ),
    }
}

/// A loaded description and its pages, shared by the render threads of a worker.
struct LoadedSpec {
    spec: Spec,
    pages: Vec<PageKey>,
}

/// The OpenAPI descriptions a worker has loaded in this build (a new build, or a dev
/// server's rebuild, starts from a new [`RenderContext`]), by root file: each is read once
/// per worker, whatever number of its pages the worker renders. A description that fails
/// to load is kept as its error, so each of its pages fails with it without reading it
/// again.
#[derive(Default)]
pub(crate) struct OpenApiCache {
    loaded: Mutex<Vec<CachedSpec>>,
}

/// One loaded description: (root file, the description or its error).
type CachedSpec = (String, Arc<Result<LoadedSpec, ReferenceError>>);

impl OpenApiCache {
    fn get_or_load(
        &self,
        context: &RenderContext,
        page: &OpenApiPage<'_>,
    ) -> Arc<Result<LoadedSpec, ReferenceError>> {
        // Loading under the lock: threads that want the same description wait for the one
        // load rather than each reading it.
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, spec)) = loaded.iter().find(|(file, _)| file == page.file) {
            return Arc::clone(spec);
        }
        let path = context.site_root.join(page.file);
        let allowed_root = context.site_root.join(page.folder);
        let result = load_spec(&SpecSource {
            path: &path,
            display_path: page.file,
            allowed_root: &allowed_root,
        })
        .map(|spec| LoadedSpec {
            pages: spec.pages(),
            spec,
        });
        let result = Arc::new(result);
        loaded.push((page.file.to_string(), Arc::clone(&result)));
        result
    }
}

/// What [`ReferenceBody::OpenApi`] names, borrowed.
struct OpenApiPage<'a> {
    file: &'a str,
    folder: &'a str,
    page: u32,
    page_url: &'a str,
    url_prefix: &'a str,
}

fn render_openapi(
    context: &RenderContext,
    page: &OpenApiPage<'_>,
) -> Result<RenderedBody, PageError> {
    let loaded = context.openapi.get_or_load(context, page);
    let loaded = match loaded.as_ref() {
        Ok(loaded) => loaded,
        Err(error) => {
            return Err(PageError {
                file: Some(error.file.clone()),
                line: Some(error.line),
                kind: PageErrorKind::Reference,
                message: error.message.clone(),
                hint: Some(error.hint.clone()),
            });
        }
    };
    let changed = || PageError {
        file: Some(page.file.to_string()),
        line: None,
        kind: PageErrorKind::Reference,
        message: "the OpenAPI description changed while the site was building".into(),
        hint: Some("build again".into()),
    };
    let key = loaded
        .pages
        .get(page.page as usize)
        .filter(|key| key.url == page.page_url)
        .ok_or_else(changed)?;
    // Descriptions are CommonMark; one nested too deeply to render is shown as written.
    let markdown = |text: &str| match crate::markdown::check_nesting(text) {
        Ok(()) => {
            context
                .markdown
                .render_with_references(text, 1, &mut KeepLinks, None)
                .html
        }
        Err(_) => format!("<pre>{}</pre>\n", autodoc::escape_html(text)),
    };
    let prefix = context.href(page.url_prefix);
    let rendered = loaded
        .spec
        .render_page(key, &prefix, &markdown)
        .ok_or_else(changed)?;
    // Links to the site, as site paths (without the base path), for the link check.
    let links = rendered
        .links
        .iter()
        .filter_map(|href| {
            let site_path = href.strip_prefix(context.base_path.as_str())?;
            site_path.starts_with('/').then(|| OutgoingLink {
                target: site_path.to_string(),
                line: None,
            })
        })
        .collect();
    Ok(RenderedBody {
        html: rendered.html,
        headings: rendered.headings,
        anchors: rendered.anchors,
        links,
        link_deps: Vec::new(),
        plain_text: rendered.plain_text,
        has_leading_h1: false,
        warnings: Vec::new(),
    })
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

//! Reference pages: the worker's one dispatch on [`ReferenceBody`], a page documented from
//! a reference source rather than written in markdown. A new source is one arm here,
//! calling into its own folder (as Python calls `crate::autodoc`, OpenAPI and CLIs
//! `crate::reference`).

use super::xrefs::PageRefs;
use super::{RenderContext, RenderedBody};
use crate::autodoc::{self, AutodocOptions, ModulePageInfo};
use crate::markdown::KeepLinks;
use crate::reference::ReferenceError;
use crate::reference::cli::{
    CliDoc, CliPageKey, CliSource, Framework, extract_cli, render_command_page,
};
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
            merge_init_into_class,
            source_url,
        } => render_python(
            context,
            file,
            module,
            submodules,
            AutodocOptions {
                include_private: *include_private,
                is_package: *is_package,
                names_only: false,
                merge_init_into_class: *merge_init_into_class,
            },
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
        ReferenceBody::Cli {
            file,
            program,
            object,
            framework,
            page,
            page_url,
            url_prefix,
        } => render_cli(
            context,
            &CliPage {
                file,
                program,
                object,
                framework: framework.as_deref(),
                page: *page,
                page_url,
                url_prefix,
            },
        ),
    }
}

fn render_python(
    context: &RenderContext,
    file: &str,
    module: &str,
    submodules: &[NavLink],
    options: AutodocOptions,
    source_url: Option<&str>,
) -> Result<RenderedBody, PageError> {
    let is_package = options.is_package;
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
    let doc = autodoc::document_module(source, module, options).map_err(|e| PageError {
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
/// A loaded description and its pages, shared by the render threads of a worker.
pub(crate) struct LoadedSpec {
    spec: Spec,
    pages: Vec<PageKey>,
}

/// A read CLI and its pages.
pub(crate) struct LoadedCli {
    doc: CliDoc,
    pages: Vec<CliPageKey>,
}

/// The sources of one kind (OpenAPI descriptions, CLIs) a worker has loaded in this build
/// (a new build, or a dev server's rebuild, starts from a new [`RenderContext`]), by what
/// names them: each is read once per worker, whatever number of its pages the worker
/// renders. A source that fails to load is kept as its error, so each of its pages fails
/// with it without reading it again.
pub(crate) struct SourceCache<T> {
    loaded: Mutex<Vec<(String, Loaded<T>)>>,
}

/// A source as loaded (or the error that kept it from loading), shared by the threads.
type Loaded<T> = Arc<Result<T, ReferenceError>>;

impl<T> Default for SourceCache<T> {
    fn default() -> Self {
        SourceCache {
            loaded: Mutex::new(Vec::new()),
        }
    }
}

impl<T> SourceCache<T> {
    fn get_or_load(
        &self,
        key: &str,
        load: impl FnOnce() -> Result<T, ReferenceError>,
    ) -> Loaded<T> {
        // Loading under the lock: threads that want the same source wait for the one load
        // rather than each reading it.
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, source)) = loaded.iter().find(|(name, _)| name == key) {
            return Arc::clone(source);
        }
        let result = Arc::new(load());
        loaded.push((key.to_string(), Arc::clone(&result)));
        result
    }
}

fn load_error(error: &ReferenceError) -> PageError {
    PageError {
        file: Some(error.file.clone()),
        line: Some(error.line),
        kind: PageErrorKind::Reference,
        message: error.message.clone(),
        hint: Some(error.hint.clone()),
    }
}

/// The page the plan numbered `index` among a source's `pages`, when the source still lists
/// it there with the URL the plan gave it (`url_of` reads a page's URL).
fn planned_page<'a, K>(
    pages: &'a [K],
    index: u32,
    planned_url: &str,
    url_of: impl Fn(&K) -> &str,
) -> Option<&'a K> {
    pages
        .get(index as usize)
        .filter(|key| url_of(key) == planned_url)
}

/// The page's error when the source no longer lists the page the plan gave it.
fn changed(file: &str) -> PageError {
    PageError {
        file: Some(file.to_string()),
        line: None,
        kind: PageErrorKind::Reference,
        message: "the source changed while the site was building".into(),
        hint: Some("build again".into()),
    }
}

/// Links to the site among a page's `href`s, as site paths (without the base path), for
/// the link check.
fn site_links(context: &RenderContext, hrefs: &[String]) -> Vec<OutgoingLink> {
    hrefs
        .iter()
        .filter_map(|href| {
            let site_path = href.strip_prefix(context.base_path.as_str())?;
            site_path.starts_with('/').then(|| OutgoingLink {
                target: site_path.to_string(),
                line: None,
            })
        })
        .collect()
}

fn reference_body(context: &RenderContext, page: crate::reference::ReferencePage) -> RenderedBody {
    RenderedBody {
        links: site_links(context, &page.links),
        html: page.html,
        headings: page.headings,
        anchors: page.anchors,
        link_deps: Vec::new(),
        plain_text: page.plain_text,
        has_leading_h1: false,
        warnings: Vec::new(),
    }
}

/// What [`ReferenceBody::Cli`] names, borrowed.
struct CliPage<'a> {
    file: &'a str,
    program: &'a str,
    object: &'a str,
    framework: Option<&'a str>,
    page: u32,
    page_url: &'a str,
    url_prefix: &'a str,
}

fn render_cli(context: &RenderContext, page: &CliPage<'_>) -> Result<RenderedBody, PageError> {
    let key = format!("{}\0{}\0{}", page.file, page.program, page.object);
    let loaded = context.cli.get_or_load(&key, || {
        let path = context.site_root.join(page.file);
        extract_cli(&CliSource {
            program: page.program,
            path: &path,
            display_path: page.file,
            object: page.object,
            framework: page.framework.and_then(Framework::from_name),
        })
        .map(|doc| LoadedCli {
            pages: doc.pages(),
            doc,
        })
    });
    let loaded = loaded.as_ref().as_ref().map_err(load_error)?;
    let key = planned_page(&loaded.pages, page.page, page.page_url, |key| &key.url)
        .ok_or_else(|| changed(page.file))?;
    let prefix = context.href(page.url_prefix);
    let rendered =
        render_command_page(&loaded.doc, key, &prefix).ok_or_else(|| changed(page.file))?;
    Ok(reference_body(context, rendered))
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
    let loaded = context.openapi.get_or_load(page.file, || {
        let path = context.site_root.join(page.file);
        let allowed_root = context.site_root.join(page.folder);
        load_spec(&SpecSource {
            path: &path,
            display_path: page.file,
            allowed_root: &allowed_root,
        })
        .map(|spec| LoadedSpec {
            pages: spec.pages(),
            spec,
        })
    });
    let loaded = loaded.as_ref().as_ref().map_err(load_error)?;
    let key = planned_page(&loaded.pages, page.page, page.page_url, |key| &key.url)
        .ok_or_else(|| changed(page.file))?;
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
        .ok_or_else(|| changed(page.file))?;
    Ok(reference_body(context, rendered))
}

#[cfg(test)]
mod tests {
    use super::planned_page;

    #[test]
    fn a_planned_page_is_found_only_where_the_plan_put_it() {
        let pages: Vec<String> = ["", "remote/", "remote/add/"].map(String::from).into();
        let found = planned_page(&pages, 1, "remote/", String::as_str);
        assert_eq!(found.map(String::as_str), Some("remote/"));
        // The source changed under the build: another page at that number, or fewer pages.
        assert!(planned_page(&pages, 1, "remote/add/", String::as_str).is_none());
        assert!(planned_page(&pages, 3, "remote/add/", String::as_str).is_none());
    }
}

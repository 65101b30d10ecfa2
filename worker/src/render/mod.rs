//! The per-page pipeline shared by every executor: body (markdown or autodoc) → template →
//! outputs (HTML, JSON, TXT) written into the output directory → [`RenderedPage`].
//!
//! [`RenderContext`] holds everything built once per worker (templates, markdown renderer
//! and highlighter, nav-tree lookups). [`render_batch`] renders pages one at a time, each
//! inside `catch_unwind`, so a bug triggered by one page becomes that page's error rather
//! than the end of the worker.

use crate::markdown::{DiskSnippetFiles, MarkdownRenderer, PageDialect};
use crate::outputs::write_output;
use crate::templates::Templates;
use crate::templates::context::PageContext;
use crate::{fault, peak_rss};
use protocol::{
    Batch, Heading, LinkDep, NavTree, OutgoingLink, OutputFile, PageBody, PageData, PageError,
    PageErrorKind, PageKind, PageResult, PageWarning, RenderPurpose, RenderedPage, ShardResult,
    SiteMeta, WorkerSetup,
};
use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Once;
use std::time::Instant;

mod inline_autodoc;
mod nav_lookups;
mod page_links;
mod reference;
mod stages;
mod views;
mod xrefs;

pub use stages::PageStages;

pub use nav_lookups::NavLookups;
use page_links::PageLinkRewriter;
use xrefs::PageRefs;

/// Longest summary kept for search entries and feeds, in characters.
const SUMMARY_CHARS: usize = 300;

/// Everything a worker builds once and reuses for every page. `Sync`: thread executors
/// share one.
pub struct RenderContext {
    pub(crate) site: SiteMeta,
    pub(crate) nav: std::sync::Arc<NavTree>,
    /// Path part of `base_url` without trailing slash (`` or `/docs`).
    pub(crate) base_path: String,
    pub(crate) site_root: PathBuf,
    pub(crate) output_dir: PathBuf,
    pub(crate) templates: Templates,
    pub(crate) markdown: MarkdownRenderer,
    /// `nav`'s pages by source path (relative `.md` links) and by version key (the
    /// version switcher).
    pub(crate) nav_lookups: NavLookups,
    /// The site's API objects, for cross-references (the inventory the setup brought,
    /// indexed where it is).
    pub(crate) xref: crate::xref::Resolver,
    /// `site.extra` in templates, parsed once from `SiteMeta::extra_json`.
    pub(crate) site_extra: minijinja::Value,
    /// OpenAPI descriptions loaded so far, each once per worker.
    pub(crate) openapi: reference::SourceCache<reference::LoadedSpec>,
    /// CLIs read so far, each once per worker.
    pub(crate) cli: reference::SourceCache<reference::LoadedCli>,
    /// Whether pages are built or only read for their mentions.
    pub(crate) purpose: RenderPurpose,
}

impl RenderContext {
    /// Builds the context from the setup message. Never fails: a user template that does not
    /// parse becomes an error of the pages that use it.
    pub fn new(setup: WorkerSetup) -> RenderContext {
        Self::with_markdown(setup, MarkdownRenderer::new())
    }

    /// A context for a new setup that keeps this one's markdown renderer, whose syntax
    /// definitions and highlight cache stay warm (a dev server re-sets its workers on every
    /// rebuild).
    pub fn renew(self, setup: WorkerSetup) -> RenderContext {
        // The old nav tree and API index go before the new ones are built, so a worker
        // never holds two.
        let markdown = self.into_markdown();
        Self::with_markdown(setup, markdown)
    }

    /// The markdown renderer; the rest of the context is freed on return.
    pub(crate) fn into_markdown(self) -> MarkdownRenderer {
        self.markdown
    }

    /// A context for `setup` with the given markdown renderer.
    pub(crate) fn with_markdown(setup: WorkerSetup, markdown: MarkdownRenderer) -> RenderContext {
        let WorkerSetup {
            site,
            nav,
            templates,
            site_root,
            output_dir,
            worker_id: _,
            api,
            purpose,
        } = setup;
        let nav_lookups = NavLookups::new(&nav);
        let site_extra =
            serde_json::from_str::<serde_json::Value>(&site.extra_json)
                .map(|value| minijinja::Value::from(minijinja::value::Serde(value)))
                .unwrap_or_else(|_| {
                    minijinja::Value::from(
                        std::collections::BTreeMap::<String, minijinja::Value>::new(),
                    )
                });
        RenderContext {
            site_extra,
            base_path: base_path(&site.base_url),
            site,
            nav,
            site_root: PathBuf::from(site_root),
            output_dir: PathBuf::from(output_dir),
            templates: Templates::new(&templates),
            markdown,
            nav_lookups,
            xref: crate::xref::Resolver::new(&api),
            openapi: reference::SourceCache::default(),
            cli: reference::SourceCache::default(),
            purpose,
        }
    }

    /// Site path → href: prefixes the base path.
    pub(crate) fn href(&self, url: &str) -> String {
        format!("{}{url}", self.base_path)
    }
}

/// Path part of a base URL, without trailing slash: `https://x.org/docs/` → `/docs`,
/// `https://x.org/` → ``, `/` → ``.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = match base_url.find("://") {
        Some(at) => {
            let rest = &base_url[at + 3..];
            rest.find('/').map_or("", |slash| &rest[slash..])
        }
        None => base_url,
    };
    after_scheme.trim_end_matches('/').to_string()
}

/// Renders every page of `batch`, calling `on_page_start` with each page's index before
/// rendering it (worker processes report it to the coordinator, which names the page if the
/// worker dies).
pub fn render_batch(
    context: &RenderContext,
    batch: &Batch,
    on_page_start: &mut dyn FnMut(u32),
) -> ShardResult {
    let pages = batch
        .pages
        .iter()
        .enumerate()
        .map(|(index, page)| {
            on_page_start(index as u32);
            render_one(context, page)
        })
        .collect();
    ShardResult {
        batch: batch.id,
        pages,
        worker_peak_rss: peak_rss::bytes(),
    }
}

thread_local! {
    /// Set while this thread renders a page: a panic is then captured for the page's error
    /// instead of being printed by the default hook.
    static RENDERING_PAGE: Cell<bool> = const { Cell::new(false) };
    static CAPTURED_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that captures panics raised while rendering a page, with
/// their location, and leaves every other panic to the default hook.
fn install_panic_capture() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !RENDERING_PAGE.with(Cell::get) {
                return default_hook(info);
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            let location = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            CAPTURED_PANIC.with(|c| *c.borrow_mut() = Some(format!("{message}{location}")));
        }));
    });
}

/// Renders one page, turning a panic into an internal error of that page.
pub fn render_one(context: &RenderContext, page: &PageData) -> PageResult {
    let started = Instant::now();
    install_panic_capture();
    fault::inject(page);
    RENDERING_PAGE.with(|r| r.set(true));
    let caught = catch_unwind(AssertUnwindSafe(|| render_page(context, page)));
    RENDERING_PAGE.with(|r| r.set(false));
    let outcome = caught.unwrap_or_else(|_| {
        let message = CAPTURED_PANIC
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(PageError {
            file: page.source_path.clone(),
            line: None,
            kind: PageErrorKind::Internal,
            message: format!("internal error while rendering: {message}"),
            hint: Some(
                "this is a bug in ssg-coord; please report it with the page that triggers it"
                    .into(),
            ),
        })
    });
    PageResult {
        id: page.id.clone(),
        elapsed_micros: started.elapsed().as_micros() as u64,
        outcome,
    }
}

/// The body of a page, rendered, before the template.
#[derive(Default)]
pub(crate) struct RenderedBody {
    pub html: String,
    pub headings: Vec<Heading>,
    pub anchors: Vec<String>,
    pub links: Vec<OutgoingLink>,
    pub link_deps: Vec<protocol::LinkDep>,
    pub plain_text: String,
    pub has_leading_h1: bool,
    pub warnings: Vec<PageWarning>,
}

fn render_page(context: &RenderContext, page: &PageData) -> Result<RenderedPage, PageError> {
    if !context.templates.exists(&page.template) {
        return Err(PageError {
            file: page.source_path.clone(),
            line: None,
            kind: PageErrorKind::MissingTemplate,
            message: format!("template `{}` does not exist", page.template),
            hint: Some(format!(
                "add templates/{} to the site, or pick a built-in template (page.html, section.html, autodoc.html)",
                page.template
            )),
        });
    }
    let body = render_body(context, page)?;
    let slice = nav_slice(context, page);
    let page_context: PageContext<'_> = views::page_context(context, page, &body, &slice);
    let html = context
        .templates
        .render(
            &page.template,
            &minijinja::Value::from(minijinja::value::Serde(&page_context)),
        )
        .map_err(|e| PageError {
            file: Some(e.file.clone()),
            line: e.line,
            kind: if e.missing {
                PageErrorKind::MissingTemplate
            } else {
                PageErrorKind::Template
            },
            message: format!(
                "{} (rendering {})",
                e.message,
                page.source_path.as_deref().unwrap_or(&page.url)
            ),
            hint: Some(if e.missing {
                "add the template to templates/ or fix the name that refers to it".into()
            } else {
                "fix the template at the line shown".into()
            }),
        })?;

    if context.purpose == RenderPurpose::Mentions {
        return Ok(mentions_only(page, body));
    }

    let text = body_text(page, &body);
    let outputs = write_outputs(context, page, &body, &html, &text).map_err(|e| PageError {
        file: page.source_path.clone(),
        line: None,
        kind: PageErrorKind::Io,
        message: e.to_string(),
        hint: Some("check that the output directory is writable and the disk is not full".into()),
    })?;

    let word_count = body.plain_text.split_whitespace().count() as u32;
    let searched = context.site.search_index
        && matches!(
            page.body,
            PageBody::Markdown { .. } | PageBody::MarkdownFile { .. } | PageBody::Reference(_)
        );
    let search_terms = if searched {
        crate::search_terms::body_terms(&text)
    } else {
        protocol::SearchTerms::default()
    };
    Ok(RenderedPage {
        title: page.meta.title.clone(),
        outputs,
        summary: summary(page.meta.description.as_deref(), &body.plain_text),
        word_count,
        search_terms,
        headings: body.headings,
        anchors: body.anchors,
        links: body.links,
        link_deps: body.link_deps,
        warnings: body.warnings,
    })
}

/// What [`RenderPurpose::Mentions`] returns of a page: its title and the `py:` names it
/// resolved to a page of the site (what `Backlink`s are made of).
fn mentions_only(page: &PageData, body: RenderedBody) -> RenderedPage {
    let link_deps = body
        .link_deps
        .into_iter()
        .filter(|dep| {
            dep.target.starts_with(crate::xref::Lookup::DEP_PREFIX)
                && dep.url.as_deref().is_some_and(|url| url.starts_with('/'))
        })
        .collect();
    RenderedPage {
        title: page.meta.title.clone(),
        link_deps,
        ..RenderedPage::default()
    }
}

/// The part of the nav tree `page` shows.
fn nav_slice(context: &RenderContext, page: &PageData) -> protocol::NavSlice {
    context.nav.slice(page.nav, &|version, key| {
        context
            .nav_lookups
            .page_by_version_key(&context.nav, version, key)
    })
}

fn render_body(context: &RenderContext, page: &PageData) -> Result<RenderedBody, PageError> {
    match &page.body {
        PageBody::Markdown { text, first_line } => {
            render_markdown(context, page, text, *first_line)
        }
        PageBody::MarkdownFile {
            path,
            offset,
            first_line,
            hash,
        } => {
            let text = read_markdown_body(context, path, *offset, *hash)?;
            render_markdown(context, page, &text, *first_line)
        }
        PageBody::Reference(reference) => reference::render_reference(context, reference),
        PageBody::Redirect { .. } | PageBody::Empty => Ok(RenderedBody::default()),
    }
}

/// The body of a markdown file, checked to be the file the coordinator planned with.
fn read_markdown_body(
    context: &RenderContext,
    path: &str,
    offset: u64,
    hash: u128,
) -> Result<String, PageError> {
    let fail = |kind, message: String, hint: &str| PageError {
        file: Some(path.to_string()),
        line: None,
        kind,
        message,
        hint: Some(hint.to_string()),
    };
    let bytes = crate::limits::read_source(&context.site_root.join(path)).map_err(|e| {
        fail(
            PageErrorKind::Io,
            format!("cannot read: {e}"),
            crate::limits::read_hint(&e),
        )
    })?;
    if crate::outputs::content_hash(&bytes) != hash {
        return Err(fail(
            PageErrorKind::Io,
            "the file changed while the site was being built".into(),
            "build again (the dev server does so by itself)",
        ));
    }
    let text = crate::text::decode_utf8(&bytes)
        .map_err(|(_, message)| fail(PageErrorKind::Encoding, message, "save the file as UTF-8"))?;
    usize::try_from(offset)
        .ok()
        .and_then(|offset| text.get(offset..))
        .map(str::to_string)
        .ok_or_else(|| {
            fail(
                PageErrorKind::Internal,
                "the body offset is not in the file".into(),
                "build again",
            )
        })
}

fn render_markdown(
    context: &RenderContext,
    page: &PageData,
    text: &str,
    first_line: u32,
) -> Result<RenderedBody, PageError> {
    crate::markdown::check_nesting(text).map_err(|too_deep| PageError {
        file: page.source_path.clone(),
        line: u32::try_from(too_deep.line)
            .ok()
            .map(|line| first_line.max(1).saturating_add(line - 1)),
        kind: PageErrorKind::Limit,
        message: too_deep.to_string(),
        hint: Some("nest fewer block quotes (`>`) and lists; is the file generated?".into()),
    })?;
    let mut rewriter = PageLinkRewriter::new(context, page);
    let snippets = DiskSnippetFiles {
        site_root: &context.site_root,
        base_paths: &context.site.markdown.snippet_base_paths,
    };
    let references = (!context.xref.is_empty()).then(|| PageRefs::guide(&context.xref));
    let dialect = PageDialect {
        dialect: &context.site.markdown,
        snippets: Some(&snippets),
        references: references
            .as_ref()
            .map(|r| r as &dyn crate::markdown::References),
    };
    let blocks = inline_autodoc::find_blocks(
        text,
        first_line,
        context.site.markdown.mkdocs,
        references.as_ref(),
    );
    let with_placeholders = blocks.as_ref().map_or(text, |(text, _)| text.as_str());
    let mut rendered = context
        .markdown
        .render_page(with_placeholders, first_line, &mut rewriter, &dialect)
        .map_err(|error| PageError {
            file: page.source_path.clone(),
            line: Some(error.line),
            kind: PageErrorKind::Io,
            message: error.message,
            hint: Some(error.hint),
        })?;
    let inline = blocks.map(|(_, blocks)| {
        inline_autodoc::render_blocks(
            context,
            page.source_path.as_deref(),
            &blocks,
            references.as_ref(),
            &mut rendered.html,
        )
    });
    let (links, mut link_deps, mut warnings) = rewriter.finish();
    if let Some(inline) = inline {
        inline.merge_into(&mut rendered, &mut link_deps, &mut warnings);
    }
    link_deps.extend(
        rendered
            .included_files
            .iter()
            .map(|(path, hash)| LinkDep::included_file(path, *hash)),
    );
    if let Some(references) = references {
        let (deps, unresolved) =
            references.finish(page.source_path.as_deref(), Some((text, first_line)));
        link_deps.extend(deps);
        warnings.extend(unresolved);
    }
    let kinds = [
        (rendered.warnings, protocol::WarningKind::Markup),
        (rendered.dropped, protocol::WarningKind::Unsupported),
    ];
    for (found, kind) in kinds {
        warnings.extend(found.into_iter().map(|(line, message)| PageWarning {
            file: page.source_path.clone(),
            kind,
            line: Some(line),
            message,
        }));
    }
    Ok(RenderedBody {
        html: rendered.html,
        headings: rendered.headings,
        anchors: rendered.anchors,
        links,
        link_deps,
        plain_text: rendered.plain_text,
        has_leading_h1: rendered.has_leading_h1,
        warnings,
    })
}

/// Output files of a page URL: `/x/y/` → `x/y/index.{html,json,txt}`; `/404.html` →
/// `404.html` only.
pub fn output_stem(url: &str) -> Option<String> {
    url.ends_with('/')
        .then(|| url.trim_start_matches('/').to_string())
}

/// A document page (markdown or reference) at a file URL, such as MkDocs'
/// `use_directory_urls: false` gives (`/guide/install.html`): its path without `.html`, for
/// `guide/install.{html,json,txt}`. `None` for other pages (the 404 page, redirects).
fn document_file_stem(page: &PageData) -> Option<&str> {
    match page.body {
        PageBody::Markdown { .. } | PageBody::MarkdownFile { .. } | PageBody::Reference(_) => page
            .url
            .strip_suffix(".html")
            .map(|stem| stem.trim_start_matches('/'))
            .filter(|stem| !stem.is_empty() && !stem.ends_with('/')),
        _ => None,
    }
}

fn write_outputs(
    context: &RenderContext,
    page: &PageData,
    body: &RenderedBody,
    html: &str,
    text: &str,
) -> std::io::Result<Vec<OutputFile>> {
    let out = &context.output_dir;
    let (stem, index) = match (output_stem(&page.url), document_file_stem(page)) {
        (Some(stem), _) => (stem, "index."),
        (None, Some(stem)) => (stem.to_string(), "."),
        (None, None) => {
            // A single-file page such as /404.html has only its HTML.
            return Ok(vec![write_output(
                out,
                page.url.trim_start_matches('/'),
                html.as_bytes(),
            )?]);
        }
    };
    let mut outputs = Vec::with_capacity(3);
    let formats = context.site.outputs;
    let is_redirect = matches!(page.body, PageBody::Redirect { .. });
    if formats.html || is_redirect {
        outputs.push(write_output(
            out,
            &format!("{stem}{index}html"),
            html.as_bytes(),
        )?);
    }
    if is_redirect {
        return Ok(outputs);
    }
    if formats.json {
        let json = views::page_json(page, body);
        outputs.push(write_output(out, &format!("{stem}{index}json"), &json)?);
    }
    if formats.txt {
        outputs.push(write_output(
            out,
            &format!("{stem}{index}txt"),
            text.as_bytes(),
        )?);
    }
    Ok(outputs)
}

/// Plain text of a page for `index.txt`: the body text, or for listing pages one line per
/// entry.
fn body_text(page: &PageData, body: &RenderedBody) -> String {
    let mut text = body.plain_text.trim_end().to_string();
    if let Some(listing) = &page.listing {
        for entry in listing.subsections.iter().chain(&listing.entries) {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&entry.title);
            if let Some(description) = &entry.description {
                text.push_str(" — ");
                text.push_str(description);
            }
        }
    }
    text.push('\n');
    text
}

/// The description when there is one, else the start of the text cut at a word boundary.
fn summary(description: Option<&str>, plain_text: &str) -> String {
    if let Some(description) = description.filter(|d| !d.trim().is_empty()) {
        return description.trim().to_string();
    }
    let mut summary = String::new();
    for word in plain_text.split_whitespace() {
        if summary.chars().count() + word.chars().count() + 1 > SUMMARY_CHARS {
            summary.push('…');
            break;
        }
        if !summary.is_empty() {
            summary.push(' ');
        }
        summary.push_str(word);
    }
    summary
}

/// Used by `views` to name the kind in templates and JSON.
pub(crate) fn kind_name(kind: PageKind) -> &'static str {
    kind.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        for (url, expected) in [
            ("/", ""),
            ("https://example.org/", ""),
            ("https://example.org", ""),
            ("https://example.org/docs/", "/docs"),
            ("/docs/", "/docs"),
        ] {
            assert_eq!(base_path(url), expected, "{url}");
        }
    }

    #[test]
    fn summaries_cut_at_word_boundaries() {
        assert_eq!(summary(Some(" Given. "), "ignored"), "Given.");
        assert_eq!(summary(None, "a  b\nc"), "a b c");
        let long = "word ".repeat(200);
        let cut = summary(None, &long);
        assert!(cut.chars().count() <= SUMMARY_CHARS + 1);
        assert!(cut.ends_with("word…"));
    }

    #[test]
    fn output_stems() {
        assert_eq!(output_stem("/"), Some(String::new()));
        assert_eq!(output_stem("/a/b/"), Some("a/b/".to_string()));
        assert_eq!(output_stem("/404.html"), None);
    }
}

//! Markdown to HTML with comrak, for documentation sites.
//!
//! [`MarkdownRenderer::render_page`] parses once and runs these passes over the AST:
//! 0. `pymdown::prepare` reads the MkDocs dialect's snippets and blocks (`!!!`, `???`,
//!    `===`, `///`) into comrak-readable Markdown, with a map back to source lines;
//! 1. `admonitions::prepare_source` fixes fence lines comrak would misread (line-preserving);
//! 2. comrak parses with GFM (tables, footnotes, strikethrough, task lists, autolinks), raw
//!    HTML kept, GitHub alerts and `:::` fences;
//! 3. `deflists` turns MDN's `- : definition` lists into description lists;
//! 4. `xref_links` resolves cross-references (undefined reference links offered to the
//!    page's [`References`] while parsing; docstring roles' `ssg-xref:` links after), then
//!    `links` sends every destination through the page's [`LinkRewriter`];
//! 5. `anchors` computes heading ids (GitHub-style slugs, or an explicit `{#id}`) and every
//!    fragment target; `text` the plain text;
//! 6. `format` writes HTML with our heading, admonition and code block markup, code through
//!    the shared [`Highlighter`].
//!
//! Template-looking text (`{{`, `{%`, Hugo shortcodes, MDN macros) is ordinary text here and
//! comes out literally. Every pass iterates (no recursion over the tree), so deeply nested
//! input cannot overflow the stack; callers check [`check_nesting`] first, since the time
//! the passes take grows with the square of the nesting.

mod admonitions;
mod anchors;
pub(crate) mod code_fence;
mod deflists;
mod format;
mod links;
mod mdx;
mod nesting;
mod pymdown;
mod text;
mod xref_links;

#[cfg(test)]
mod robustness_tests;
#[cfg(test)]
mod tests;

use comrak::nodes::{AstNode, NodeHtmlBlock, NodeValue};
use comrak::{Arena, Options};
use protocol::Heading;

use crate::highlight::Highlighter;
use protocol::MarkdownDialect;
pub use pymdown::{DiskSnippetFiles, SnippetError, SnippetFile, SnippetFiles};

pub use nesting::{MAX_NESTING, TooDeep, check_nesting};
pub use xref_links::{References, XREF_SCHEME, is_dotted_name};

/// Rewrites link destinations while rendering (relative `.md` links to page URLs, the site's
/// base path). Implemented by the render pipeline, which knows the nav tree.
pub trait LinkRewriter {
    /// Called once for every link and image destination, in document order, with the
    /// destination as written and the 1-based line of the source file it is on. Returns the
    /// href to write instead, or `None` to keep it as written.
    fn rewrite(&mut self, href: &str, line: u32) -> Option<String>;
}

/// A rewriter that keeps every link as written (docstrings, tests).
pub struct KeepLinks;

impl LinkRewriter for KeepLinks {
    fn rewrite(&mut self, _href: &str, _line: u32) -> Option<String> {
        None
    }
}

/// A rendered markdown document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderedMarkdown {
    /// HTML fragment (no `<html>`/`<body>`).
    pub html: String,
    /// Headings in document order, with the ids written into the HTML.
    pub headings: Vec<Heading>,
    /// Every id a `#fragment` may target: headings, footnotes, explicit ids in raw HTML.
    pub anchors: Vec<String>,
    /// Final hrefs of links and images as written into the HTML, in document order (before
    /// HTML escaping and percent-encoding).
    pub links: Vec<String>,
    /// Plain text: blocks separated by blank lines, code blocks kept, markup removed.
    pub plain_text: String,
    /// True when the document's first block is a level-1 heading (the template then does
    /// not repeat the title).
    pub has_leading_h1: bool,
    /// Problems that did not stop rendering: (1-based source line, message), sorted by line.
    pub warnings: Vec<(u32, String)>,
    /// Markup of another tool that was left out (MDX components): (1-based source line,
    /// message), one per component name.
    pub dropped: Vec<(u32, String)>,
    /// Files the page included (`--8<--` snippets): (site-relative path, content hash).
    pub included_files: Vec<(String, u128)>,
}

/// What a page's Markdown may use beyond CommonMark + GFM, and where its snippets come from.
pub struct PageDialect<'a> {
    /// The site's dialect.
    pub dialect: &'a MarkdownDialect,
    /// Where `--8<--` snippets are read; `None` leaves `--8<--` lines as text (docstrings).
    pub snippets: Option<&'a dyn SnippetFiles>,
    /// Resolves cross-references (`[text][pkg.Class]`, docstring roles); `None` when the
    /// site documents no API and reads no inventory.
    pub references: Option<&'a dyn References>,
}

/// Markdown renderer: comrak options and the highlighter, built once per worker and shared
/// by all threads (`Send + Sync`).
pub struct MarkdownRenderer {
    options: Options<'static>,
    /// `options` plus definition lists and dollar math, for `mkdocs` sites.
    mkdocs_options: Options<'static>,
    highlighter: Highlighter,
}

impl MarkdownRenderer {
    /// Builds the renderer (loads syntax definitions once).
    pub fn new() -> MarkdownRenderer {
        let mut options = Options::default();
        options.extension.strikethrough = true;
        options.extension.table = true;
        options.extension.autolink = true;
        options.extension.tasklist = true;
        options.extension.footnotes = true;
        options.extension.alerts = true;
        options.extension.block_directive = true;
        // Docs need raw HTML: MDN pages are full of it, and the content is the site's own.
        options.render.r#unsafe = true;
        options.render.tasklist_classes = true;
        let mut mkdocs_options = options.clone();
        mkdocs_options.extension.description_lists = true;
        mkdocs_options.extension.math_dollars = true;
        MarkdownRenderer {
            options,
            mkdocs_options,
            highlighter: Highlighter::new(),
        }
    }

    /// Renders `text`, whose first line is line `first_line` of its source file, in the
    /// default dialect, without snippets.
    pub fn render(
        &self,
        text: &str,
        first_line: u32,
        links: &mut dyn LinkRewriter,
    ) -> RenderedMarkdown {
        self.render_with_references(text, first_line, links, None)
    }

    /// [`MarkdownRenderer::render`] with cross-references resolved by `references`
    /// (docstrings).
    pub fn render_with_references(
        &self,
        text: &str,
        first_line: u32,
        links: &mut dyn LinkRewriter,
        references: Option<&dyn References>,
    ) -> RenderedMarkdown {
        let dialect = PageDialect {
            dialect: &MarkdownDialect::default(),
            snippets: None,
            references,
        };
        // Without snippet files nothing can fail.
        self.render_page(text, first_line, links, &dialect)
            .unwrap_or_default()
    }

    /// Renders `text`, whose first line is line `first_line` of its source file, in
    /// `dialect`. Fails only when a snippet cannot be included.
    pub fn render_page(
        &self,
        text: &str,
        first_line: u32,
        links: &mut dyn LinkRewriter,
        dialect: &PageDialect<'_>,
    ) -> Result<RenderedMarkdown, SnippetError> {
        let page_line =
            |line: u32| -> u32 { first_line.max(1).saturating_add(line.saturating_sub(1)) };
        // MDX keeps every line where it was, so the line numbers below hold for it too.
        let mdx_source = if dialect.dialect.mdx {
            mdx::rewrite(text)
        } else {
            None
        };
        let text = mdx_source
            .as_ref()
            .map_or(text, |source| source.text.as_str());
        let dialect_source =
            pymdown::prepare(text, dialect.dialect, dialect.snippets).map_err(|error| {
                SnippetError {
                    line: page_line(error.line),
                    ..error
                }
            })?;
        let line_map = dialect_source.line_map.as_deref();
        let source_line = |line: usize| -> u32 {
            let line = u32::try_from(line).unwrap_or(u32::MAX);
            let line = match line_map {
                Some(map) => map
                    .get(line.saturating_sub(1) as usize)
                    .or(map.last())
                    .copied()
                    .unwrap_or(1),
                None => line,
            };
            page_line(line)
        };

        let prepared = admonitions::prepare_source(&dialect_source.text);
        let shared_options = if dialect.dialect.mkdocs {
            &self.mkdocs_options
        } else {
            &self.options
        };
        // Reference links without a definition are offered to the page's references; the
        // options are copied for that page only when it may have some.
        let references = dialect.references;
        let with_references;
        let options = match references {
            Some(references) if prepared.text.contains(']') => {
                let mut options = shared_options.clone();
                let resolve = move |reference: comrak::options::BrokenLinkReference<'_>| {
                    if !is_dotted_name(reference.original) {
                        return None;
                    }
                    references
                        .reference(reference.original)
                        .map(|url| comrak::ResolvedReference {
                            url,
                            title: String::new(),
                        })
                };
                options.parse.broken_link_callback = Some(std::sync::Arc::new(resolve));
                with_references = options;
                &with_references
            }
            _ => shared_options,
        };
        let arena = Arena::new();
        let root = comrak::parse_document(&arena, &prepared.text, options);
        if prepared.has_stand_ins {
            admonitions::restore_colons(root);
        }
        deflists::convert_definition_lists(&arena, root);

        let mut warnings: Vec<(u32, String)> = prepared
            .warnings
            .iter()
            .map(|(line, message)| (source_line(*line), message.clone()))
            .chain(
                dialect_source
                    .warnings
                    .iter()
                    .map(|(line, message)| (page_line(*line), message.clone())),
            )
            .collect();
        for (line, message) in admonitions::fence_problems(root, &prepared.text) {
            warnings.push((source_line(line), message));
        }
        warnings.sort();

        xref_links::resolve_role_links(root, references, &source_line);
        let links = links::rewrite_links(root, &source_line, links);
        if dialect.dialect.mkdocs {
            pymdown::apply_inline_extras(&arena, root, &dialect_source.abbreviations);
        }
        let headings = anchors::assign_heading_ids(root);
        let anchors = anchors::anchors(root, &headings);
        let plain_text = text::plain_text(root);
        let has_leading_h1 = has_leading_h1(root);

        let mut html = String::with_capacity(text.len() + text.len() / 2);
        if format::write_html(root, options, &self.highlighter, &headings, &mut html).is_err() {
            // Writing into a String cannot fail; a formatter error would be a bug of ours.
            warnings.push((
                first_line,
                "internal error while writing HTML; please report it".to_string(),
            ));
        }

        Ok(RenderedMarkdown {
            html,
            headings,
            anchors,
            links,
            plain_text,
            has_leading_h1,
            warnings,
            dropped: mdx_source.as_ref().map_or_else(Vec::new, |source| {
                source
                    .warnings
                    .iter()
                    .map(|(line, message)| (page_line(*line), message.clone()))
                    .collect()
            }),
            included_files: dialect_source.included_files,
        })
    }
}

impl Default for MarkdownRenderer {
    fn default() -> Self {
        Self::new()
    }
}

/// True when the first block, ignoring HTML comments (Kubernetes pages start with
/// `<!-- overview -->`), is a level-1 heading.
fn has_leading_h1<'a>(root: &'a AstNode<'a>) -> bool {
    root.children()
        .find(|block| !is_html_comment(block))
        .is_some_and(
            |block| matches!(block.data().value, NodeValue::Heading(heading) if heading.level == 1),
        )
}

fn is_html_comment<'a>(block: &'a AstNode<'a>) -> bool {
    match &block.data().value {
        NodeValue::HtmlBlock(NodeHtmlBlock { literal, .. }) => {
            let literal = literal.trim();
            literal.starts_with("<!--") && literal.ends_with("-->")
        }
        _ => false,
    }
}

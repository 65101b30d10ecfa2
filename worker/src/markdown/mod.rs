//! Markdown to HTML with comrak.
//!
//! OWNER: markdown helper. This file is the interface; the implementation replaces the
//! `todo!()`s.

use protocol::Heading;

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
    /// Final hrefs of links and images as written into the HTML, in document order.
    pub links: Vec<String>,
    /// Plain text: blocks separated by blank lines, code blocks kept, markup removed.
    pub plain_text: String,
    /// True when the document's first block is a level-1 heading (the template then does
    /// not repeat the title).
    pub has_leading_h1: bool,
    /// Problems that did not stop rendering: (1-based source line, message).
    pub warnings: Vec<(u32, String)>,
}

/// Markdown renderer: comrak options and the highlighter, built once per worker and shared
/// by all threads.
pub struct MarkdownRenderer {}

impl MarkdownRenderer {
    /// Builds the renderer (loads syntax definitions once).
    pub fn new() -> MarkdownRenderer {
        todo!()
    }

    /// Renders `text`, whose first line is line `first_line` of its source file.
    pub fn render(
        &self,
        text: &str,
        first_line: u32,
        links: &mut dyn LinkRewriter,
    ) -> RenderedMarkdown {
        let _ = (text, first_line, links);
        todo!()
    }
}

impl Default for MarkdownRenderer {
    fn default() -> Self {
        Self::new()
    }
}

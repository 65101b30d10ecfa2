//! Link and image destinations: each one goes through the page's [`LinkRewriter`] with its
//! real source line, in document order, before the HTML is written.
//!
//! Rewriting the AST (rather than post-processing HTML) means the rewriter sees the
//! destination as written, and every link kind — inline, reference, autolink, image — takes
//! the same path.

use comrak::nodes::{AstNode, NodeValue};

use super::LinkRewriter;

/// Rewrites every link and image destination under `root` and returns the final
/// destinations in document order. `source_line` maps a 1-based line of the parsed text to
/// the 1-based line of the source file.
pub(super) fn rewrite_links<'a>(
    root: &'a AstNode<'a>,
    source_line: &dyn Fn(usize) -> u32,
    rewriter: &mut dyn LinkRewriter,
) -> Vec<String> {
    let mut hrefs = Vec::new();
    for node in root.descendants() {
        let mut ast = node.data_mut();
        let line = source_line(ast.sourcepos.start.line);
        let (NodeValue::Link(link) | NodeValue::Image(link)) = &mut ast.value else {
            continue;
        };
        if let Some(rewritten) = rewriter.rewrite(&link.url, line) {
            link.url = rewritten;
        }
        hrefs.push(link.url.clone());
    }
    hrefs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records every call and rewrites `.md` destinations.
    struct Recorder {
        calls: Vec<(String, u32)>,
    }

    impl LinkRewriter for Recorder {
        fn rewrite(&mut self, href: &str, line: u32) -> Option<String> {
            self.calls.push((href.to_string(), line));
            href.strip_suffix(".md")
                .map(|stem| format!("/docs/{stem}/"))
        }
    }

    #[test]
    fn rewrites_in_document_order_with_source_lines() {
        let text = "\
[a](a.md) and ![img](i.png)\n\
\n\
- item <https://x.org>\n\
- [ref][r]\n\
\n\
| t |\n\
|---|\n\
| [cell](c.md) |\n\
\n\
[r]: r.md\n";
        let arena = comrak::Arena::new();
        let mut options = comrak::Options::default();
        options.extension.table = true;
        let root = comrak::parse_document(&arena, text, &options);
        let mut recorder = Recorder { calls: Vec::new() };
        // The text starts at line 10 of its file (after front matter).
        let hrefs = rewrite_links(root, &|line| 9 + line as u32, &mut recorder);
        let calls: Vec<(&str, u32)> = recorder
            .calls
            .iter()
            .map(|(href, line)| (href.as_str(), *line))
            .collect();
        assert_eq!(
            calls,
            [
                ("a.md", 10),
                ("i.png", 10),
                ("https://x.org", 12),
                ("r.md", 13),
                ("c.md", 17)
            ]
        );
        assert_eq!(
            hrefs,
            ["/docs/a/", "i.png", "https://x.org", "/docs/r/", "/docs/c/"]
        );
    }
}

//! Plain text of a page, for `index.txt`, `llm-full.txt` and the search index.
//!
//! Built from the AST, not by stripping the HTML, so structure survives: blocks are
//! separated by a blank line, list items and table rows sit on their own lines, code blocks
//! are kept verbatim, and no markup is left. Raw HTML blocks keep their text (MDN pages hold
//! whole tables in raw HTML) but lose their tags, comments and scripts.

use comrak::arena_tree::NodeEdge;
use comrak::nodes::{AstNode, NodeValue};

use super::{admonitions, anchors};

/// What separates the next text from the text before it; the strongest request wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Separator {
    None,
    Tab,
    Line,
    Blank,
}

struct PlainText {
    out: String,
    pending: Separator,
}

impl PlainText {
    fn request(&mut self, separator: Separator) {
        self.pending = self.pending.max(separator);
    }

    fn push(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if !self.out.is_empty() {
            self.out.push_str(match self.pending {
                Separator::None => "",
                Separator::Tab => "\t",
                Separator::Line => "\n",
                Separator::Blank => "\n\n",
            });
        }
        self.pending = Separator::None;
        self.out.push_str(text);
    }
}

/// The plain text of the document under `root`, without a trailing newline.
pub(super) fn plain_text<'a>(root: &'a AstNode<'a>) -> String {
    let mut text = PlainText {
        out: String::new(),
        pending: Separator::None,
    };
    // `traverse` walks the tree with an explicit cursor, so deep nesting costs no stack.
    for edge in root.traverse() {
        let NodeEdge::Start(node) = edge else {
            continue;
        };
        match &node.data().value {
            NodeValue::Paragraph => {
                let opens_container = node.previous_sibling().is_none()
                    && node.parent().is_some_and(|parent| {
                        matches!(
                            parent.data().value,
                            NodeValue::Item(_)
                                | NodeValue::TaskItem(_)
                                | NodeValue::DescriptionTerm
                                | NodeValue::DescriptionDetails
                        )
                    });
                if !opens_container {
                    text.request(Separator::Blank);
                }
            }
            NodeValue::Item(_) | NodeValue::TaskItem(_) | NodeValue::DescriptionItem(_) => {
                text.request(Separator::Line);
            }
            NodeValue::DescriptionTerm | NodeValue::DescriptionDetails | NodeValue::TableRow(_) => {
                text.request(Separator::Line);
            }
            NodeValue::TableCell if node.previous_sibling().is_some() => {
                text.request(Separator::Tab);
            }
            NodeValue::List(_) => {
                // A nested list continues its item's lines; a top-level list is a block.
                let nested = node.parent().is_some_and(|parent| {
                    matches!(
                        parent.data().value,
                        NodeValue::Item(_) | NodeValue::TaskItem(_)
                    )
                });
                text.request(if nested {
                    Separator::Line
                } else {
                    Separator::Blank
                });
            }
            NodeValue::Heading(_)
            | NodeValue::BlockQuote
            | NodeValue::DescriptionList
            | NodeValue::Table(_)
            | NodeValue::ThematicBreak
            | NodeValue::FootnoteDefinition(_)
            | NodeValue::MultilineBlockQuote(_) => text.request(Separator::Blank),
            NodeValue::Alert(alert) => {
                text.request(Separator::Blank);
                text.push(
                    alert
                        .title
                        .as_deref()
                        .unwrap_or(alert.alert_type.default_title()),
                );
                text.request(Separator::Blank);
            }
            NodeValue::BlockDirective(directive) => {
                text.request(Separator::Blank);
                if let Some(head) = admonitions::parse_info(&directive.info) {
                    text.push(&head.title);
                    text.request(Separator::Blank);
                }
            }
            NodeValue::CodeBlock(block) => {
                text.request(Separator::Blank);
                text.push(block.literal.trim_end_matches(['\n', '\r']));
                text.request(Separator::Blank);
            }
            NodeValue::HtmlBlock(block) => {
                let html_text = html_text(&block.literal);
                if !html_text.is_empty() {
                    text.request(Separator::Blank);
                    text.push(&html_text);
                }
            }
            NodeValue::Text(literal) => text.push(literal),
            NodeValue::Code(code) => text.push(&code.literal),
            NodeValue::Math(math) => text.push(&math.literal),
            NodeValue::SoftBreak => text.push(" "),
            NodeValue::LineBreak => text.request(Separator::Line),
            _ => {}
        }
    }
    text.out
}

/// Block-level tags whose boundaries become line breaks in the text of raw HTML.
const LINE_BREAKING_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The text of a raw HTML block: tags dropped (block tags become line breaks), comments and
/// `<script>`/`<style>` bodies dropped, common entities decoded, blank lines squeezed.
fn html_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        raw.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let name_len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'/' || *b == b'!')
            .count();
        if name_len == 0 {
            // A lone `<`, as in `a < b`: text.
            raw.push('<');
            rest = after;
            continue;
        }
        let name = after[..name_len]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let tag_end = after.find('>').map_or(after.len(), |end| end + 1);
        rest = &after[tag_end..];
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = match anchors::find_ignore_case(rest, 0, &close) {
                Some(start) => rest[start..]
                    .find('>')
                    .map_or("", |end| &rest[start + end + 1..]),
                None => "",
            };
        }
        if LINE_BREAKING_TAGS.contains(&name.as_str()) {
            raw.push('\n');
        }
    }
    raw.push_str(rest);

    let mut text = String::with_capacity(raw.len());
    for line in raw.lines() {
        let line = collapse_spaces(&decode_entities(line));
        if line.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&line);
    }
    text
}

fn collapse_spaces(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the entities raw HTML in docs actually uses; others stay as written.
fn decode_entities(text: &str) -> String {
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        decoded.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let entity = after
            .find(';')
            .filter(|&end| end <= 10)
            .map(|end| &after[..end]);
        let ch = entity.and_then(|entity| match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => {
                let number = entity.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (ch, entity) {
            (Some(ch), Some(entity)) => {
                decoded.push(ch);
                rest = &after[entity.len() + 1..];
            }
            _ => {
                decoded.push('&');
                rest = after;
            }
        }
    }
    decoded.push_str(rest);
    decoded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(markdown: &str, expected: &str) {
        let arena = comrak::Arena::new();
        let mut options = comrak::Options::default();
        options.extension.table = true;
        options.extension.tasklist = true;
        options.extension.alerts = true;
        options.extension.block_directive = true;
        options.extension.footnotes = true;
        options.render.r#unsafe = true;
        let root = comrak::parse_document(&arena, markdown, &options);
        assert_eq!(plain_text(root), expected, "markdown {markdown:?}");
    }

    #[test]
    fn blocks_and_inlines() {
        check(
            "# Title\n\nSome *em* and `code`\nwrapped.",
            "Title\n\nSome em and code wrapped.",
        );
        check("- a\n- b\n  - c\n\nAfter", "a\nb\nc\n\nAfter");
        check("1. one\n\n   more\n2. two", "one\n\nmore\ntwo");
        check("- [x] done\n- [ ] todo", "done\ntodo");
        check(
            "```js\nlet a = 1;\n\nlet b;\n```\nnext",
            "let a = 1;\n\nlet b;\n\nnext",
        );
        check("| a | b |\n|---|---|\n| 1 | 2 |", "a\tb\n1\t2");
        check("> quoted\n\ntext", "quoted\n\ntext");
        check("a  \nb", "a\nb");
        check("[link](x) ![alt](y)", "link alt");
        check("x &amp; &lt;y&gt;", "x & <y>");
        check(
            "{{domxref(\"Foo\")}} {% tag %}",
            "{{domxref(\"Foo\")}} {% tag %}",
        );
        check("Hi[^1].\n\n[^1]: Note.", "Hi.\n\nNote.");
    }

    #[test]
    fn admonitions_keep_their_title() {
        check("> [!NOTE]\n> Body", "Note\n\nBody");
        check(":::tip Custom\nBody\n:::", "Custom\n\nBody");
    }

    #[test]
    fn raw_html_keeps_text_only() {
        check("<!-- overview -->\n\nText", "Text");
        check("Some <kbd>Ctrl</kbd> key", "Some Ctrl key");
        check(
            "<table>\n<tr><td>a &amp; b</td><td>c</td></tr>\n</table>\n\nafter",
            "a & b\nc\n\nafter",
        );
        check(
            "<div>\n<script>var x = '<p>';</script>\nkept\n</div>",
            "kept",
        );
    }

    #[test]
    fn html_text_edge_cases() {
        let cases = [
            ("a < b", "a < b"),
            ("<p>x</p><p>y</p>", "x\ny"),
            ("unterminated <!-- comment", "unterminated"),
            ("<style>p{}</style>", ""),
            ("&#x41;&#66;&bogus; & &;", "AB&bogus; & &;"),
            ("<p>x", "x"),
            ("<", "<"),
        ];
        for (html, expected) in cases {
            assert_eq!(html_text(html), expected, "html {html:?}");
        }
    }
}

//! MDX (Docusaurus pages) read as Markdown, by rewriting the source before the other
//! passes, line for line (every line keeps its number, so no line map is needed):
//! - `import …` / `export …` blocks (ESM, up to the next blank line outside brackets)
//!   become blank lines;
//! - `{/* comments */}` are removed;
//! - `<Tabs>` goes, and each `<TabItem label="…">` on a line of its own becomes a
//!   `/// tab | …` block (closed by `</TabItem>`), which `pymdown::blocks` draws as content
//!   tabs;
//! - every other JSX component (a tag whose name starts with a capital letter) is removed
//!   with its attributes, its children kept, and named once per page in a warning.
//!
//! The content between a component's opening and closing tags, each on a line of its own,
//! is dedented by its common indentation: MDX has no indented code blocks, so
//! `<TabItem>` children indented by four spaces are Markdown, not code. Code fences and
//! code spans are left alone; lowercase tags are HTML and stay.

use std::collections::BTreeSet;

use super::code_fence::CodeFence;

/// The rewritten source and its warnings (1-based line, message).
pub(super) struct MdxSource {
    pub text: String,
    pub warnings: Vec<(u32, String)>,
}

/// Most lines one JSX tag may span (a tag left open past it is kept as text).
const MAX_TAG_LINES: usize = 40;

/// Rewrites `text`, or `None` when it holds nothing MDX-specific.
pub(super) fn rewrite(text: &str) -> Option<MdxSource> {
    if !may_hold_mdx(text) {
        return None;
    }
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut rewriter = Rewriter::default();
    let mut fence: Option<CodeFence> = None;
    let mut idx = 0;
    while idx < lines.len() {
        let rest = lines[idx].trim_start().trim_end_matches('\r');
        if let Some(open) = fence {
            if open.is_closed_by(rest) {
                fence = None;
            }
            idx += 1;
            continue;
        }
        if let Some(opened) = CodeFence::opened_by(rest) {
            fence = Some(opened);
            idx += 1;
            continue;
        }
        let starts_block = idx == 0 || lines[idx - 1].trim().is_empty();
        if starts_block && is_esm_start(&lines[idx]) {
            idx = blank_esm_block(&mut lines, idx);
            continue;
        }
        idx = rewriter.rewrite_tags(&mut lines, idx);
    }
    rewriter.dedent_components(&mut lines);
    let text = lines.join("\n");
    Some(MdxSource {
        text,
        warnings: rewriter.warnings,
    })
}

/// A cheap look for anything [`rewrite`] would change.
fn may_hold_mdx(text: &str) -> bool {
    text.contains("import ")
        || text.contains("export ")
        || text.contains("{/*")
        || text.as_bytes().windows(3).any(|three| {
            three[0] == b'<'
                && (three[1].is_ascii_uppercase()
                    || (three[1] == b'/' && three[2].is_ascii_uppercase()))
        })
}

fn is_esm_start(line: &str) -> bool {
    ["import ", "import{", "export "]
        .iter()
        .any(|start| line.starts_with(start))
}

/// Blanks the ESM block starting at `start` (up to a blank line with every bracket
/// closed, or the end); returns the line after it.
fn blank_esm_block(lines: &mut [String], start: usize) -> usize {
    let mut depth: i64 = 0;
    let mut idx = start;
    while idx < lines.len() {
        if lines[idx].trim().is_empty() && depth <= 0 {
            break;
        }
        for byte in lines[idx].bytes() {
            match byte {
                b'{' | b'(' | b'[' => depth += 1,
                b'}' | b')' | b']' => depth -= 1,
                _ => {}
            }
        }
        lines[idx].clear();
        idx += 1;
    }
    idx
}

/// A JSX tag found in a line.
struct Tag {
    name: String,
    kind: TagKind,
    /// Byte offset just past the tag in the text it was read from.
    end: usize,
    /// `label`, else `value`, for `<TabItem>`.
    label: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Open,
    Close,
    SelfClosing,
}

/// A component tag alone on its line, for dedenting what it wraps.
struct OwnLineTag {
    line: usize,
    name: String,
    kind: TagKind,
}

#[derive(Default)]
struct Rewriter {
    warnings: Vec<(u32, String)>,
    warned: BTreeSet<String>,
    own_line_tags: Vec<OwnLineTag>,
}

impl Rewriter {
    /// Rewrites the tags and comments of the line at `idx` (joining the lines a tag spans);
    /// returns the next line to look at.
    fn rewrite_tags(&mut self, lines: &mut [String], idx: usize) -> usize {
        if !lines[idx].contains('<') && !lines[idx].contains("{/*") {
            return idx + 1;
        }
        let mut joined = lines[idx].clone();
        let mut last = idx;
        let mut out = String::with_capacity(joined.len());
        let mut pos = 0;
        let mut tags = Vec::new();
        loop {
            let Some((at, found)) = next_construct(&joined, pos) else {
                out.push_str(&joined[pos..]);
                break;
            };
            let before = out.len();
            out.push_str(&joined[pos..at]);
            match found {
                Construct::Comment => match joined[at..].find("*/}") {
                    Some(end) => pos = at + end + 3,
                    None => {
                        out.push_str(&joined[at..]);
                        break;
                    }
                },
                Construct::Tag => match parse_tag(&joined, at) {
                    TagParse::Tag(tag) => {
                        self.note(&tag, idx);
                        pos = tag.end;
                        tags.push(tag);
                    }
                    TagParse::Unfinished
                        if last + 1 < lines.len() && last - idx < MAX_TAG_LINES =>
                    {
                        out.truncate(before);
                        last += 1;
                        joined.push('\n');
                        joined.push_str(&lines[last]);
                        // Parse again from this tag, with the next line joined.
                        continue;
                    }
                    TagParse::Unfinished | TagParse::NotATag => {
                        out.push_str(&joined[at..at + 1]);
                        pos = at + 1;
                    }
                },
            }
        }
        if tags.is_empty() && last == idx {
            lines[idx] = out;
            return idx + 1;
        }
        // A lone tag (with only spaces around it) is a line of its own.
        let alone = tags.len() == 1 && out.trim().is_empty();
        let indent: String = joined
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let text = if alone {
            let tag = &tags[0];
            self.own_line_tags.push(OwnLineTag {
                line: idx,
                name: tag.name.clone(),
                kind: tag.kind,
            });
            match (tag.name.as_str(), tag.kind) {
                ("TabItem", TagKind::Open) => format!(
                    "{indent}/// tab | {}",
                    tag.label.as_deref().unwrap_or("Tab")
                ),
                ("TabItem", TagKind::Close) => format!("{indent}///"),
                _ => String::new(),
            }
        } else {
            out
        };
        // The lines the tags spanned stay lines: what is left goes on the first of them,
        // the rest are blank.
        let mut parts = text.split('\n');
        for line in &mut lines[idx..=last] {
            *line = parts.next().unwrap_or_default().to_string();
        }
        last + 1
    }

    /// Warns once per page about a component that is dropped.
    fn note(&mut self, tag: &Tag, idx: usize) {
        if matches!(tag.name.as_str(), "Tabs" | "TabItem") || self.warned.contains(&tag.name) {
            return;
        }
        self.warned.insert(tag.name.clone());
        self.warnings.push((
            u32::try_from(idx + 1).unwrap_or(u32::MAX),
            format!("MDX component <{}> dropped, its content kept", tag.name),
        ));
    }

    /// Dedents what each component wraps (opening and closing tag on lines of their own),
    /// outer components first.
    fn dedent_components(&self, lines: &mut [String]) {
        let mut open: Vec<&OwnLineTag> = Vec::new();
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for tag in &self.own_line_tags {
            match tag.kind {
                TagKind::Open => open.push(tag),
                TagKind::Close => {
                    if let Some(at) = open.iter().rposition(|o| o.name == tag.name) {
                        pairs.push((open[at].line, tag.line));
                        open.truncate(at);
                    }
                }
                TagKind::SelfClosing => {}
            }
        }
        pairs.sort_unstable();
        for (open_line, close_line) in pairs {
            let body = &mut lines[open_line + 1..close_line];
            let common = body
                .iter()
                .filter(|line| !line.trim().is_empty())
                .map(|line| line.len() - line.trim_start_matches(' ').len())
                .min()
                .unwrap_or(0);
            if common == 0 {
                continue;
            }
            for line in body.iter_mut() {
                let cut = common.min(line.len() - line.trim_start_matches(' ').len());
                line.drain(..cut);
            }
            // The closing tag's own line (a `///` for a tab) lines up with its body.
            let close = &mut lines[close_line];
            let cut = common.min(close.len() - close.trim_start_matches(' ').len());
            close.drain(..cut);
            let opening = &mut lines[open_line];
            let cut = common.min(opening.len() - opening.trim_start_matches(' ').len());
            opening.drain(..cut);
        }
    }
}

enum Construct {
    Comment,
    Tag,
}

/// The next `{/*` comment or `<` + capital letter / `</` + capital letter at or after
/// `from`, outside code spans.
fn next_construct(text: &str, from: usize) -> Option<(usize, Construct)> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        match bytes[at] {
            b'`' => {
                let run = bytes[at..].iter().take_while(|b| **b == b'`').count();
                let ticks = &text[at..at + run];
                match text[at + run..].find(ticks) {
                    Some(close) => at += run + close + run,
                    None => at += run,
                }
                continue;
            }
            b'{' if text[at..].starts_with("{/*") => return Some((at, Construct::Comment)),
            b'<' => {
                let name_start = if bytes.get(at + 1) == Some(&b'/') {
                    at + 2
                } else {
                    at + 1
                };
                if bytes.get(name_start).is_some_and(u8::is_ascii_uppercase) {
                    return Some((at, Construct::Tag));
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

enum TagParse {
    Tag(Tag),
    /// The tag goes on past the end of the text.
    Unfinished,
    NotATag,
}

/// Reads the tag at `start` (`<Name attrs>`, `</Name>`, `<Name attrs />`); attribute values
/// may be quoted or `{…}` expressions holding `>`.
fn parse_tag(text: &str, start: usize) -> TagParse {
    let bytes = text.as_bytes();
    let closing = bytes.get(start + 1) == Some(&b'/');
    let name_start = if closing { start + 2 } else { start + 1 };
    let name_len = text[name_start..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
        .count();
    let name = text[name_start..name_start + name_len].to_string();
    let mut at = name_start + name_len;
    match bytes.get(at) {
        None => return TagParse::Unfinished,
        Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/') => {}
        Some(_) => return TagParse::NotATag,
    }
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let attrs_start = at;
    while at < bytes.len() {
        let byte = bytes[at];
        match (quote, byte) {
            (Some(q), _) if byte == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'' | b'`') => quote = Some(byte),
            (None, b'{') => depth += 1,
            (None, b'}') => depth = depth.saturating_sub(1),
            (None, b'>') if depth == 0 => {
                let self_closing = at > attrs_start && bytes[at - 1] == b'/';
                let kind = match (closing, self_closing) {
                    (true, _) => TagKind::Close,
                    (false, true) => TagKind::SelfClosing,
                    (false, false) => TagKind::Open,
                };
                let attrs = &text[attrs_start..at];
                let label = (name == "TabItem" && kind == TagKind::Open)
                    .then(|| attribute(attrs, "label").or_else(|| attribute(attrs, "value")))
                    .flatten();
                return TagParse::Tag(Tag {
                    name,
                    kind,
                    end: at + 1,
                    label,
                });
            }
            _ => {}
        }
        at += 1;
    }
    TagParse::Unfinished
}

/// The quoted value of attribute `name` (`label="Apple"`, `label={'Apple'}`).
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let mut search = 0;
    while let Some(found) = attrs[search..].find(name) {
        let at = search + found;
        search = at + name.len();
        let before_ok = at == 0 || attrs.as_bytes()[at - 1].is_ascii_whitespace();
        let after = attrs[at + name.len()..].trim_start();
        let Some(value) = after.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let value = value.strip_prefix('{').unwrap_or(value);
        let quote = value.chars().next()?;
        if !matches!(quote, '"' | '\'' | '`') {
            continue;
        }
        let inner = &value[1..];
        return inner.find(quote).map(|end| inner[..end].to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str, expected_warnings: &[(u32, &str)]) {
        let rewritten = rewrite(input).map_or((input.to_string(), Vec::new()), |source| {
            (source.text, source.warnings)
        });
        assert_eq!(rewritten.0, expected, "for:\n{input}");
        assert_eq!(
            rewritten.0.split('\n').count(),
            input.split('\n').count(),
            "line count changed for:\n{input}"
        );
        let warnings: Vec<(u32, &str)> = rewritten
            .1
            .iter()
            .map(|(line, message)| (*line, message.as_str()))
            .collect();
        assert_eq!(warnings, expected_warnings, "for:\n{input}");
    }

    #[test]
    fn esm_lines_become_blank() {
        check(
            "import Tabs from '@theme/Tabs';\nimport {\n  A,\n} from 'x';\n\n# Title\n",
            "\n\n\n\n\n# Title\n",
            &[],
        );
        check(
            "Text\n\nexport const Highlight = ({children}) => (\n  <span>\n\n    {children}\n  </span>\n);\n\nMore\n",
            "Text\n\n\n\n\n\n\n\n\nMore\n",
            &[],
        );
        // Not at the start of a block, or in code: kept.
        check(
            "Text\nimport x from 'y'\n\n```js\nimport x from 'y'\n```\n",
            "Text\nimport x from 'y'\n\n```js\nimport x from 'y'\n```\n",
            &[],
        );
    }

    #[test]
    fn tabs_become_content_tabs_and_their_children_are_dedented() {
        check(
            "<Tabs>\n  <TabItem value=\"apple\" label=\"Apple\" default>\n    This is an **apple**\n\n    ```bash\n    npm i\n    ```\n  </TabItem>\n  <TabItem value=\"orange\">\n    Orange\n  </TabItem>\n</Tabs>\n",
            "\n/// tab | Apple\nThis is an **apple**\n\n```bash\nnpm i\n```\n///\n/// tab | orange\nOrange\n///\n\n",
            &[],
        );
    }

    #[test]
    fn other_components_are_dropped_with_one_warning_per_name() {
        check(
            "This is <Highlight color=\"#25c2a0\">green</Highlight> and <Highlight color={x > 1 ? 'a' : 'b'}>blue</Highlight>!\n\n<Card\n  title=\"A\"\n  href=\"/a\"\n/>\n\nKeep `<Code>` and <span>html</span>.\n",
            "This is green and blue!\n\n\n\n\n\n\nKeep `<Code>` and <span>html</span>.\n",
            &[
                (1, "MDX component <Highlight> dropped, its content kept"),
                (3, "MDX component <Card> dropped, its content kept"),
            ],
        );
    }

    #[test]
    fn comments_go_and_code_stays() {
        check(
            "## Headings {/* #my-id */}\n\n```md\n<Tabs>{/* x */}\n```\n",
            "## Headings \n\n```md\n<Tabs>{/* x */}\n```\n",
            &[],
        );
        assert!(rewrite("# Plain\n\nNothing <b>here</b>.\n").is_none());
    }

    #[test]
    fn an_unfinished_tag_is_text() {
        check("a <Foo bar=\"x\n", "a <Foo bar=\"x\n", &[]);
    }
}

//! What the CLI and OpenAPI renderers share: an HTML buffer that escapes every piece of
//! source text, registers unique ids and headings, and collects the page's plain text.

use std::collections::HashSet;
use std::fmt::Write as _;

use protocol::Heading;

pub(crate) use crate::autodoc::escape_html as escape;

use super::ReferencePage;

/// An HTML fragment being written, with its headings, ids and plain text.
pub(crate) struct PageWriter {
    pub(crate) html: String,
    headings: Vec<Heading>,
    ids: HashSet<String>,
    plain: Vec<String>,
}

impl PageWriter {
    pub(crate) fn new() -> PageWriter {
        PageWriter {
            html: String::with_capacity(8 * 1024),
            headings: Vec::new(),
            ids: HashSet::new(),
            plain: Vec::new(),
        }
    }

    /// Registers a unique id: `base`, or `base-2`, `base-3`... when taken.
    pub(crate) fn id(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "_" } else { base };
        let mut id = base.to_owned();
        let mut counter = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{counter}");
            counter += 1;
        }
        self.ids.insert(id.clone());
        id
    }

    /// Writes `<hN id=…>text</hN>` and records it for the table of contents.
    pub(crate) fn heading(&mut self, level: u8, text: &str, id_base: &str) -> String {
        let id = self.id(id_base);
        let _ = writeln!(
            self.html,
            "<h{level} id=\"{}\">{}</h{level}>",
            escape(&id),
            escape(text)
        );
        self.headings.push(Heading {
            level,
            text: text.to_owned(),
            id: id.clone(),
        });
        self.plain.push(text.to_owned());
        id
    }

    /// Writes raw, already escaped HTML.
    pub(crate) fn raw(&mut self, html: &str) {
        self.html.push_str(html);
    }

    /// Adds a block of plain text for `index.txt` and search.
    pub(crate) fn plain(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !text.trim().is_empty() {
            self.plain.push(text);
        }
    }

    /// Writes plain help text as paragraphs (blank lines separate them; click's `\b`
    /// marks a paragraph whose line breaks are kept).
    pub(crate) fn paragraphs(&mut self, text: &str, class: &str) {
        let _ = writeln!(self.html, "<div class=\"{class}\">");
        for paragraph in split_paragraphs(text) {
            match paragraph.strip_prefix('\u{8}') {
                Some(kept) => {
                    let _ = writeln!(self.html, "<pre>{}</pre>", escape(kept.trim_matches('\n')));
                }
                None => {
                    let _ = writeln!(self.html, "<p>{}</p>", escape(&paragraph));
                }
            }
        }
        self.html.push_str("</div>\n");
        self.plain(text.replace('\u{8}', ""));
    }

    pub(crate) fn finish(self, url: String, title: String) -> ReferencePage {
        let links = attribute_values(&self.html, " href=\"");
        let anchors = attribute_values(&self.html, " id=\"");
        ReferencePage {
            url,
            title,
            html: self.html,
            headings: self.headings,
            anchors,
            links,
            plain_text: self.plain.join("\n\n"),
        }
    }
}

/// The values of one attribute (`marker` is ` href="`) in a fragment, unescaped, each
/// once, in order. Every attribute the renderers write is double-quoted and escaped, as
/// comrak's are, so markdown's links and heading ids are found too.
fn attribute_values(html: &str, marker: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(marker) {
        rest = &rest[start + marker.len()..];
        let Some(end) = rest.find('"') else { break };
        let href = unescape(&rest[..end]);
        if seen.insert(href.clone()) {
            links.push(href);
        }
        rest = &rest[end..];
    }
    links
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Splits dedented help text into paragraphs at blank lines, joining the lines of each
/// (as click rewraps them). A paragraph that starts with click's `\b` line keeps its line
/// breaks and comes back prefixed with `\u{8}`.
fn split_paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let flush = |current: &mut Vec<&str>, paragraphs: &mut Vec<String>| {
        if current.is_empty() {
            return;
        }
        if current[0].trim() == "\u{8}" {
            paragraphs.push(format!("\u{8}{}", current[1..].join("\n")));
        } else {
            let joined: Vec<&str> = current.iter().map(|line| line.trim()).collect();
            paragraphs.push(joined.join(" "));
        }
        current.clear();
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut current, &mut paragraphs);
        } else {
            current.push(line);
        }
    }
    flush(&mut current, &mut paragraphs);
    paragraphs
}

/// Python's `inspect.cleandoc`: the first line stripped, the common indentation of the
/// others removed, blank lines at both ends dropped.
pub(crate) fn clean_doc(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("").trim();
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = vec![first];
    for line in rest {
        out.push(line.get(indent..).unwrap_or("").trim_end());
    }
    while out.first().is_some_and(|line| line.is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|line| line.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_join_lines_and_keep_b_blocks() {
        assert_eq!(
            split_paragraphs("One\ntwo.\n\n\u{8}\n  a\n  b\n\nEnd"),
            ["One two.", "\u{8}  a\n  b", "End"]
        );
    }

    #[test]
    fn clean_doc_dedents() {
        assert_eq!(
            clean_doc("Summary.\n\n    Body\n      indented\n    "),
            "Summary.\n\nBody\n  indented"
        );
    }

    #[test]
    fn links_are_read_back_from_the_fragment() {
        let mut writer = PageWriter::new();
        writer.raw(
            "<a href=\"/cli/a/\">a</a> <a href=\"/cli/b/?x=1&amp;y=2\">b</a> <a href=\"/cli/a/\">",
        );
        writer.heading(2, "Options", "options");
        let page = writer.finish(String::new(), "t".to_owned());
        assert_eq!(page.links, ["/cli/a/", "/cli/b/?x=1&y=2"]);
        assert_eq!(page.anchors, ["options"]);
    }

    #[test]
    fn ids_are_unique() {
        let mut writer = PageWriter::new();
        assert_eq!(writer.id("a"), "a");
        assert_eq!(writer.id("a"), "a-2");
        assert_eq!(writer.id(""), "_");
    }
}

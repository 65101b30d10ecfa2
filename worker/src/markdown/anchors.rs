//! Fragment targets of a page: heading ids (GitHub-style, unique within the page, or an
//! explicit `{#id}`), footnote
//! ids as comrak writes them, and `id` attributes found in raw HTML.
//!
//! The coordinator validates `page#fragment` links against this list, so it must hold every
//! id the HTML really has. Raw HTML is scanned by hand (one pass, no regex per call) because
//! MDN and Kubernetes pages put explicit anchors in raw HTML (`<a id="…">`, `<div id="…">`).

use std::borrow::Cow;
use std::collections::HashSet;

use comrak::Anchorizer;
use comrak::nodes::{AstNode, NodeValue};
use protocol::Heading;

/// Headings in document order, each with its unique id.
///
/// A heading ending in `{#custom-id}` (Hugo, Docusaurus, kramdown and Pandoc all accept it;
/// Kubernetes pages link to such ids) gets that id verbatim, and the suffix is removed from
/// the AST so it is not rendered.
pub(super) fn assign_heading_ids<'a>(root: &'a AstNode<'a>) -> Vec<Heading> {
    let mut anchorizer = Anchorizer::new();
    // Collected first: removing a `{#id}` node while `descendants` runs would panic.
    let heading_nodes: Vec<_> = root
        .descendants()
        .filter(|node| matches!(node.data().value, NodeValue::Heading(_)))
        .collect();
    let mut headings = Vec::with_capacity(heading_nodes.len());
    for node in heading_nodes {
        let level = match node.data().value {
            NodeValue::Heading(heading) => heading.level,
            _ => continue,
        };
        let explicit_id = take_explicit_id(node);
        let text = collapse_whitespace(&node.collect_text());
        let id = match explicit_id {
            Some(id) => {
                // Reserve it, so a later heading with the same text gets a suffix.
                anchorizer.anchorize(&id);
                id
            }
            None => {
                // A heading with nothing to slug (`## ***`) still needs an id to link to.
                let has_slug_chars = text
                    .chars()
                    .any(|ch| ch.is_alphanumeric() || ch == '-' || ch == '_');
                anchorizer.anchorize(if has_slug_chars { &text } else { "section" })
            }
        };
        headings.push(Heading { level, text, id });
    }
    headings
}

/// Removes a trailing `{#id}` from the heading's last text node and returns the id.
fn take_explicit_id<'a>(heading: &'a AstNode<'a>) -> Option<String> {
    let last = heading.last_child()?;
    let mut ast = last.data_mut();
    let NodeValue::Text(literal) = &mut ast.value else {
        return None;
    };
    let trimmed = literal.trim_end();
    let open = trimmed.strip_suffix('}')?.rfind("{#")?;
    let id = &trimmed[open + 2..trimmed.len() - 1];
    if id.is_empty()
        || id.contains(|ch: char| ch.is_whitespace() || ch == '{' || ch == '"' || ch == '<')
    {
        return None;
    }
    let id = id.to_string();
    let kept = trimmed[..open].trim_end().to_string();
    if kept.is_empty() {
        drop(ast);
        last.detach();
    } else {
        *literal = Cow::Owned(kept);
    }
    Some(id)
}

fn collapse_whitespace(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
}

/// Every id the rendered page has, in document order, without duplicates: `headings` ids,
/// footnote reference and definition ids, and ids in raw HTML.
pub(super) fn anchors<'a>(root: &'a AstNode<'a>, headings: &[Heading]) -> Vec<String> {
    let mut anchors = Vec::new();
    let mut heading_ids = headings.iter().map(|heading| heading.id.clone());
    for node in root.descendants() {
        match &node.data().value {
            NodeValue::Heading(_) => anchors.extend(heading_ids.next()),
            NodeValue::FootnoteReference(reference) => {
                let mut id = format!("fnref-{}", footnote_name(&reference.name));
                if reference.ref_num > 1 {
                    id.push_str(&format!("-{}", reference.ref_num));
                }
                anchors.push(id);
            }
            NodeValue::FootnoteDefinition(definition) => {
                anchors.push(format!("fn-{}", footnote_name(&definition.name)));
            }
            NodeValue::HtmlBlock(block) => push_html_ids(&block.literal, &mut anchors),
            NodeValue::HtmlInline(html) => push_html_ids(html, &mut anchors),
            _ => {}
        }
    }
    let mut seen = HashSet::new();
    anchors.retain(|id| seen.insert(id.clone()));
    anchors
}

/// A footnote name as comrak writes it into `id` attributes (URL-escaped).
fn footnote_name(name: &str) -> String {
    let mut escaped = String::with_capacity(name.len());
    if comrak::html::escape_href(&mut escaped, name, false).is_err() {
        return name.to_string();
    }
    escaped
}

/// Appends the values of `id` attributes (and of `name` on `<a>`, the old way to make an
/// anchor) in the tags of `html`. Comments and the bodies of `<script>`/`<style>` are skipped.
/// Malformed HTML never panics: the scan stops at the end of input.
pub(super) fn push_html_ids(html: &str, out: &mut Vec<String>) {
    let bytes = html.as_bytes();
    let mut idx = 0;
    while let Some(offset) = bytes[idx..].iter().position(|&b| b == b'<') {
        idx += offset + 1;
        if bytes[idx..].starts_with(b"!--") {
            idx = find_from(html, idx + 3, "-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        if !bytes.get(idx).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_start = idx;
        while idx < bytes.len() && (bytes[idx].is_ascii_alphanumeric() || bytes[idx] == b'-') {
            idx += 1;
        }
        let tag = &html[name_start..idx];
        idx = scan_attributes(html, idx, tag.eq_ignore_ascii_case("a"), out);
        for raw_text_tag in ["script", "style"] {
            if tag.eq_ignore_ascii_case(raw_text_tag) {
                let close = format!("</{raw_text_tag}");
                idx = find_ignore_case(html, idx, &close).unwrap_or(bytes.len());
            }
        }
    }
}

/// Reads attributes from `idx` to the end of the tag, pushing anchor values; returns the
/// index after the tag.
fn scan_attributes(html: &str, mut idx: usize, is_link: bool, out: &mut Vec<String>) -> usize {
    let bytes = html.as_bytes();
    loop {
        while idx < bytes.len() && (bytes[idx].is_ascii_whitespace() || bytes[idx] == b'/') {
            idx += 1;
        }
        if idx >= bytes.len() {
            return idx;
        }
        if bytes[idx] == b'>' {
            return idx + 1;
        }
        let name_start = idx;
        while idx < bytes.len()
            && !matches!(
                bytes[idx],
                b' ' | b'\t' | b'\n' | b'\r' | b'=' | b'>' | b'/'
            )
        {
            idx += 1;
        }
        let name = &html[name_start..idx];
        while idx < bytes.len() && bytes[idx].is_ascii_whitespace() {
            idx += 1;
        }
        if bytes.get(idx) != Some(&b'=') {
            continue;
        }
        idx += 1;
        while idx < bytes.len() && bytes[idx].is_ascii_whitespace() {
            idx += 1;
        }
        let value = match bytes.get(idx) {
            Some(&quote @ (b'"' | b'\'')) => {
                let value_start = idx + 1;
                let value_end = bytes[value_start..]
                    .iter()
                    .position(|&b| b == quote)
                    .map_or(bytes.len(), |offset| value_start + offset);
                idx = (value_end + 1).min(bytes.len());
                &html[value_start..value_end]
            }
            _ => {
                let value_start = idx;
                while idx < bytes.len() && !bytes[idx].is_ascii_whitespace() && bytes[idx] != b'>' {
                    idx += 1;
                }
                &html[value_start..idx]
            }
        };
        let is_anchor =
            name.eq_ignore_ascii_case("id") || (is_link && name.eq_ignore_ascii_case("name"));
        if is_anchor && !value.is_empty() {
            out.push(value.to_string());
        }
    }
}

fn find_from(haystack: &str, from: usize, needle: &str) -> Option<usize> {
    haystack
        .get(from..)?
        .find(needle)
        .map(|offset| from + offset)
}

/// Byte index of the first ASCII-case-insensitive match of `needle` at or after `from`.
pub(super) fn find_ignore_case(haystack: &str, from: usize, needle: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let needle = needle.as_bytes();
    if needle.is_empty() {
        return Some(from);
    }
    (from..bytes.len().saturating_sub(needle.len() - 1))
        .find(|&start| bytes[start..start + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, expected: &[&str]) {
        let mut ids = Vec::new();
        push_html_ids(html, &mut ids);
        assert_eq!(ids, expected, "html {html:?}");
    }

    #[test]
    fn ids_in_raw_html() {
        check(
            r#"<div id="a"><span class='b' id='c'>x</span></div>"#,
            &["a", "c"],
        );
        check("<h2 id=unquoted data-x=1>", &["unquoted"]);
        check(
            r#"<a name="old-style"></a><div name="not-anchor">"#,
            &["old-style"],
        );
        check(r#"<DIV ID="upper">"#, &["upper"]);
        check(r#"<!-- <div id="commented"> --><p id="real">"#, &["real"]);
        check(
            r#"<script>x = '<div id="in-script">'</script><i id="after">"#,
            &["after"],
        );
        check(r#"<p data-id="no" id = "spaced">"#, &["spaced"]);
        check("a < b and <3 <p hidden id=\"x\">", &["x"]);
        // Malformed input ends the scan without panicking.
        check(r#"<div id="unterminated"#, &["unterminated"]);
        check("<div id=", &[]);
        check("<", &[]);
        check("<!--", &[]);
        check("<script>", &[]);
        check("<p id=\"é\u{301}\">", &["é\u{301}"]);
    }
}

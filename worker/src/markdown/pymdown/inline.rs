//! Inline syntax of `mkdocs` sites, applied to the parsed tree (after links are rewritten,
//! before heading ids are assigned):
//! - `attr_list`: `[x](y){ .md-button #id key="v" }` and `![a](b){ width="300" }` become raw
//!   `<a>`/`<img>` with the attributes; `## Title { #custom .cls }` keeps the id (as `{#id}`,
//!   which `anchors` reads); a paragraph's trailing `{: .class }` line is removed;
//! - `abbr`: uses of the page's abbreviations are wrapped in `<abbr title>`;
//! - icons: `:material-check:` (Material's `material`, `fontawesome`, `octicons` and `simple`
//!   sets) becomes `<span class="md-icon" data-icon="material-check"></span>`, for a theme to
//!   draw (the icon sets themselves are not bundled);
//! - `arithmatex`: `$…$` and `$$…$$` (comrak's dollar math) become
//!   `<span class="arithmatex">\(…\)</span>` / `\[…\]`, as MathJax and KaTeX expect them.

use std::borrow::Cow;
use std::cell::RefCell;

use comrak::Arena;
use comrak::nodes::{Ast, AstNode, NodeValue};

use super::Abbreviations;
use super::block_syntax::push_escaped;

/// Icon sets whose `:set-name:` shortcodes become icons.
const ICON_SETS: &[&str] = &["material-", "fontawesome-", "octicons-", "simple-"];

/// Applies every pass of the module docs under `root`.
pub(in crate::markdown) fn apply_inline_extras<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    abbreviations: &Abbreviations,
) {
    let nodes: Vec<_> = root
        .descendants()
        .filter(|node| matches!(node.data().value, NodeValue::Text(_) | NodeValue::Math(_)))
        .collect();
    for node in nodes {
        let math = match &node.data().value {
            NodeValue::Math(math) => Some((math.display_math, math.literal.clone())),
            _ => None,
        };
        if let Some((display, literal)) = math {
            let (open, close) = if display {
                ("\\[", "\\]")
            } else {
                ("\\(", "\\)")
            };
            let mut html = format!("<span class=\"arithmatex\">{open}");
            push_escaped(&mut html, &literal);
            html.push_str(close);
            html.push_str("</span>");
            node.data_mut().value = NodeValue::HtmlInline(html);
            continue;
        }
        attribute_list(arena, node);
        split_text(arena, node, abbreviations);
    }
}

/// An attribute list right after a link or image, at the end of a heading, or alone on a
/// paragraph's last line.
fn attribute_list<'a>(arena: &'a Arena<'a>, node: &'a AstNode<'a>) {
    let text = match &node.data().value {
        NodeValue::Text(text) => text.to_string(),
        _ => return,
    };
    let previous_is_link = node.previous_sibling().is_some_and(|previous| {
        matches!(
            previous.data().value,
            NodeValue::Link(_) | NodeValue::Image(_)
        )
    });
    if previous_is_link && text.starts_with('{') {
        let Some(end) = text.find('}') else { return };
        let Some(attributes) = parse_attributes(&text[1..end]) else {
            return;
        };
        let Some(target) = node.previous_sibling() else {
            return;
        };
        apply_to_link(arena, target, &attributes);
        set_text(node, &text[end + 1..]);
        return;
    }
    let trimmed = text.trim_end();
    if !trimmed.ends_with('}') || node.next_sibling().is_some() {
        return;
    }
    let Some(open) = trimmed.rfind('{') else {
        return;
    };
    let Some(attributes) = parse_attributes(&trimmed[open + 1..trimmed.len() - 1]) else {
        return;
    };
    let parent_is_heading = node
        .parent()
        .is_some_and(|parent| matches!(parent.data().value, NodeValue::Heading(_)));
    let before = trimmed[..open].trim_end();
    if parent_is_heading {
        let replacement = match &attributes.id {
            Some(id) => format!("{before} {{#{id}}}"),
            None => before.to_string(),
        };
        set_text(node, &replacement);
    } else if before.is_empty()
        && node.previous_sibling().is_some_and(|previous| {
            matches!(
                previous.data().value,
                NodeValue::SoftBreak | NodeValue::LineBreak
            )
        })
    {
        // `{: .class }` on a paragraph's last line: the class has nowhere to go in comrak's
        // paragraph markup, so only the text is removed.
        if let Some(line_break) = node.previous_sibling() {
            line_break.detach();
        }
        node.detach();
    }
}

/// Parsed `{ #id .class key="value" }`.
#[derive(Debug, Default, PartialEq)]
struct Attributes {
    id: Option<String>,
    classes: Vec<String>,
    pairs: Vec<(String, String)>,
}

fn parse_attributes(inner: &str) -> Option<Attributes> {
    let inner = inner.trim().trim_start_matches(':').trim();
    if inner.is_empty() {
        return None;
    }
    let mut attributes = Attributes::default();
    let mut rest = inner;
    while !rest.is_empty() {
        if let Some(id) = rest.strip_prefix('#') {
            let end = id.find(char::is_whitespace).unwrap_or(id.len());
            attributes.id = Some(id[..end].to_string());
            rest = id[end..].trim_start();
        } else if let Some(class) = rest.strip_prefix('.') {
            let end = class.find(char::is_whitespace).unwrap_or(class.len());
            attributes.classes.push(class[..end].to_string());
            rest = class[end..].trim_start();
        } else {
            let (key, after) = rest.split_once('=')?;
            let key = key.trim();
            if key.is_empty()
                || !key
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' || ch == ':')
            {
                return None;
            }
            let after = after.trim_start();
            let (value, remaining) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let close = after[1..].find(quote)? + 1;
                    (&after[1..close], &after[close + 1..])
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            attributes.pairs.push((key.to_string(), value.to_string()));
            rest = remaining.trim_start();
        }
    }
    Some(attributes)
}

fn write_attributes(html: &mut String, attributes: &Attributes) {
    if let Some(id) = &attributes.id {
        html.push_str(" id=\"");
        push_escaped(html, id);
        html.push('"');
    }
    if !attributes.classes.is_empty() {
        html.push_str(" class=\"");
        push_escaped(html, &attributes.classes.join(" "));
        html.push('"');
    }
    for (key, value) in &attributes.pairs {
        // Event handlers would run script from a docs page's attribute list: dropped.
        if key.to_ascii_lowercase().starts_with("on") {
            continue;
        }
        html.push(' ');
        html.push_str(key);
        html.push_str("=\"");
        push_escaped(html, value);
        html.push('"');
    }
}

/// Replaces a link or image node by raw HTML carrying `attributes` (children kept).
fn apply_to_link<'a>(arena: &'a Arena<'a>, target: &'a AstNode<'a>, attributes: &Attributes) {
    let (is_image, url, title) = match &target.data().value {
        NodeValue::Link(link) => (false, link.url.clone(), link.title.clone()),
        NodeValue::Image(link) => (true, link.url.clone(), link.title.clone()),
        _ => return,
    };
    let mut html = String::new();
    if is_image {
        html.push_str("<img src=\"");
        push_escaped(&mut html, &url);
        html.push_str("\" alt=\"");
        push_escaped(&mut html, &target.collect_text());
        html.push('"');
    } else {
        html.push_str("<a href=\"");
        push_escaped(&mut html, &url);
        html.push('"');
    }
    if !title.is_empty() {
        html.push_str(" title=\"");
        push_escaped(&mut html, &title);
        html.push('"');
    }
    write_attributes(&mut html, attributes);
    html.push_str(if is_image { " />" } else { ">" });
    target.insert_before(new_node(arena, NodeValue::HtmlInline(html)));
    if !is_image {
        let children: Vec<_> = target.children().collect();
        for child in children {
            child.detach();
            target.insert_before(child);
        }
        target.insert_before(new_node(arena, NodeValue::HtmlInline("</a>".to_string())));
    }
    target.detach();
}

fn set_text(node: &AstNode<'_>, text: &str) {
    if let NodeValue::Text(literal) = &mut node.data_mut().value {
        *literal = Cow::Owned(text.to_string());
    }
}

fn new_node<'a>(arena: &'a Arena<'a>, value: NodeValue) -> &'a AstNode<'a> {
    arena.alloc(AstNode::new(RefCell::new(Ast::new(value, (0, 0).into()))))
}

/// A match in a text node: byte range and what it becomes.
enum Replacement {
    Icon(String),
    Abbreviation(String),
}

/// Splits a text node around icons and abbreviations.
fn split_text<'a>(arena: &'a Arena<'a>, node: &'a AstNode<'a>, abbreviations: &Abbreviations) {
    let text = match &node.data().value {
        NodeValue::Text(text) => text.to_string(),
        _ => return,
    };
    let mut matches: Vec<(usize, usize, Replacement)> = Vec::new();
    if text.contains(':') {
        let mut search_from = 0;
        while let Some(found) = text[search_from..].find(':') {
            let start = search_from + found;
            let after = &text[start + 1..];
            let name_len = after
                .bytes()
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
                .count();
            let name = &after[..name_len];
            if after[name_len..].starts_with(':')
                && ICON_SETS
                    .iter()
                    .any(|set| name.starts_with(set) && name.len() > set.len())
            {
                let end = start + name_len + 2;
                matches.push((start, end, Replacement::Icon(name.to_string())));
                search_from = end;
            } else {
                search_from = start + 1;
            }
        }
    }
    for (abbreviation, title) in &abbreviations.0 {
        for (start, _) in text.match_indices(abbreviation.as_str()) {
            let end = start + abbreviation.len();
            let is_word_char = |ch: char| ch.is_alphanumeric() || ch == '_';
            let bounded = !text[..start].chars().next_back().is_some_and(is_word_char)
                && !text[end..].chars().next().is_some_and(is_word_char);
            let overlaps = matches.iter().any(|(s, e, _)| start < *e && *s < end);
            if bounded && !overlaps {
                matches.push((start, end, Replacement::Abbreviation(title.clone())));
            }
        }
    }
    if matches.is_empty() {
        return;
    }
    matches.sort_by_key(|(start, _, _)| *start);
    let mut position = 0;
    for (start, end, replacement) in matches {
        if start > position {
            node.insert_before(new_node(
                arena,
                NodeValue::Text(Cow::Owned(text[position..start].to_string())),
            ));
        }
        match replacement {
            Replacement::Icon(name) => {
                let mut html = String::from("<span class=\"md-icon\" data-icon=\"");
                push_escaped(&mut html, &name);
                html.push_str("\" aria-hidden=\"true\"></span>");
                node.insert_before(new_node(arena, NodeValue::HtmlInline(html)));
            }
            Replacement::Abbreviation(title) => {
                let mut html = String::from("<abbr title=\"");
                push_escaped(&mut html, &title);
                html.push_str("\">");
                node.insert_before(new_node(arena, NodeValue::HtmlInline(html)));
                node.insert_before(new_node(
                    arena,
                    NodeValue::Text(Cow::Owned(text[start..end].to_string())),
                ));
                node.insert_before(new_node(
                    arena,
                    NodeValue::HtmlInline("</abbr>".to_string()),
                ));
            }
        }
        position = end;
    }
    if position < text.len() {
        set_text(node, &text[position..]);
    } else {
        node.detach();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lists() {
        let parsed = parse_attributes(" #id .a .b width=\"300\" k=v ").expect("valid");
        assert_eq!(
            parsed,
            Attributes {
                id: Some("id".into()),
                classes: vec!["a".into(), "b".into()],
                pairs: vec![("width".into(), "300".into()), ("k".into(), "v".into())],
            }
        );
        assert_eq!(
            parse_attributes(": .x").map(|a| a.classes),
            Some(vec!["x".to_string()])
        );
        assert_eq!(parse_attributes("not an attr list"), None);
        assert_eq!(parse_attributes(""), None);
    }
}

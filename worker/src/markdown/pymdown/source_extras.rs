//! Source rewrites for `mkdocs` sites that need whole lines:
//! - `abbr`: lines `*[HTML]: Hyper Text Markup Language` (outside code) define
//!   abbreviations for the page and are removed; `inline` marks the uses;
//! - `md_in_html`: an HTML tag alone on its line with a `markdown` attribute
//!   (`<div class="grid cards" markdown>`) loses the attribute and gets blank lines after
//!   it and before its closing tag, so that comrak reads its content as Markdown;
//! - mkdocstrings: a page's own `::: package.module.Object` blocks are rendered by the
//!   page pipeline before this (`render/inline_autodoc.rs`); one that reaches here came
//!   from a `--8<--` snippet and becomes the object's name in code, with a warning.

use std::borrow::Cow;

use super::Prepared;

/// Abbreviations defined on a page: (abbreviation, title), longest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(in crate::markdown) struct Abbreviations(pub Vec<(String, String)>);

/// Applies both rewrites to `prepared`.
pub(super) fn apply(prepared: &mut Prepared<'_>) {
    let text: &str = &prepared.text;
    if !text.contains("*[") && !text.contains("markdown") && !text.contains(":::") {
        return;
    }
    let mut warnings = Vec::new();
    let mut in_autodoc_options = false;
    let n_lines = text.lines().count();
    let mut out = String::with_capacity(text.len() + 64);
    let mut line_map = Vec::with_capacity(n_lines + 8);
    let mut abbreviations = Vec::new();
    let mut code_fence: Option<(u8, usize)> = None;
    // Open `markdown` tags: (tag name, nesting depth of that tag inside).
    let mut open_tags: Vec<(String, usize)> = Vec::new();
    let source_line = |idx: usize| -> u32 {
        match &prepared.line_map {
            Some(map) => map.get(idx).copied().unwrap_or(u32::MAX),
            None => u32::try_from(idx + 1).unwrap_or(u32::MAX),
        }
    };
    let mut push = |out: &mut String, line_no: u32, line: &str| {
        out.push_str(line);
        out.push('\n');
        line_map.push(line_no);
    };
    for (idx, line) in text.lines().enumerate() {
        let line_no = source_line(idx);
        let trimmed = line.trim();
        if let Some((fence_char, fence_len)) = code_fence {
            let run = trimmed.bytes().take_while(|&b| b == fence_char).count();
            if run >= fence_len && trimmed[run..].trim().is_empty() {
                code_fence = None;
            }
            push(&mut out, line_no, line);
            continue;
        }
        if let Some(&fence_char) = trimmed.as_bytes().first()
            && (fence_char == b'`' || fence_char == b'~')
        {
            let run = trimmed.bytes().take_while(|&b| b == fence_char).count();
            if run >= 3 {
                code_fence = Some((fence_char, run));
                push(&mut out, line_no, line);
                continue;
            }
        }
        if in_autodoc_options && (trimmed.is_empty() || line.starts_with([' ', '\t'])) {
            push(&mut out, line_no, "");
            continue;
        }
        in_autodoc_options = false;
        if let Some(identifier) = mkdocstrings_identifier(line) {
            push(&mut out, line_no, &format!("`{identifier}`"));
            warnings.push((
                line_no,
                format!(
                    "mkdocstrings block `::: {identifier}` is shown as its name: blocks that \
                     come from a `--8<--` snippet are not rendered; put it in the page itself"
                ),
            ));
            in_autodoc_options = true;
            continue;
        }
        if let Some(definition) = abbreviation(trimmed) {
            abbreviations.push(definition);
            push(&mut out, line_no, "");
            continue;
        }
        if let Some((tag, without_attribute)) = markdown_tag(line) {
            push(&mut out, line_no, &without_attribute);
            push(&mut out, line_no, "");
            open_tags.push((tag, 0));
            continue;
        }
        if let Some((tag, depth)) = open_tags.last_mut() {
            let opens = count_tags(trimmed, &format!("<{tag}"));
            let closes = count_tags(trimmed, &format!("</{tag}"));
            if trimmed == format!("</{tag}>") && *depth == 0 {
                push(&mut out, line_no, "");
                push(&mut out, line_no, line);
                push(&mut out, line_no, "");
                open_tags.pop();
                continue;
            }
            *depth = (*depth + opens).saturating_sub(closes);
        }
        push(&mut out, line_no, line);
    }
    abbreviations.sort_by(|a: &(String, String), b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
    prepared.abbreviations = Abbreviations(abbreviations);
    prepared.warnings.extend(warnings);
    prepared.warnings.sort();
    prepared.text = Cow::Owned(out);
    prepared.line_map = Some(line_map);
}

/// `::: package.module.Object` at the start of a line → the dotted name.
fn mkdocstrings_identifier(line: &str) -> Option<&str> {
    let identifier = line.strip_prefix("::: ")?.trim();
    let valid = !identifier.is_empty()
        && identifier
            .chars()
            .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '.');
    valid.then_some(identifier)
}

/// `*[HTML]: Hyper Text Markup Language` → (`HTML`, `Hyper Text Markup Language`).
fn abbreviation(trimmed: &str) -> Option<(String, String)> {
    let rest = trimmed.strip_prefix("*[")?;
    let (abbr, title) = rest.split_once("]:")?;
    let abbr = abbr.trim();
    (!abbr.is_empty() && !abbr.contains(['[', ']']))
        .then(|| (abbr.to_string(), title.trim().to_string()))
}

/// A line holding only an opening tag with a `markdown` attribute: (tag name, the line
/// without the attribute).
fn markdown_tag(line: &str) -> Option<(String, String)> {
    let trimmed = line.trim();
    let inner = trimmed.strip_prefix('<')?.strip_suffix('>')?;
    if inner.contains(['<', '>']) || inner.ends_with('/') {
        return None;
    }
    let name_len = inner
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return None;
    }
    let name = inner[..name_len].to_ascii_lowercase();
    let attributes = &inner[name_len..];
    let mut kept = String::new();
    let mut found = false;
    let mut rest = attributes.trim_start();
    while !rest.is_empty() {
        let name_end = rest
            .find(|ch: char| ch.is_whitespace() || ch == '=')
            .unwrap_or(rest.len());
        let attribute_name = &rest[..name_end];
        let mut end = name_end;
        let after_name = rest[name_end..].trim_start();
        if let Some(value) = after_name.strip_prefix('=') {
            let value = value.trim_start();
            let value_start = rest.len() - value.len();
            let value_len = match value.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    value[1..].find(quote).map_or(value.len(), |at| at + 2)
                }
                _ => value.find(char::is_whitespace).unwrap_or(value.len()),
            };
            end = value_start + value_len;
        }
        if attribute_name.eq_ignore_ascii_case("markdown") {
            found = true;
        } else {
            kept.push(' ');
            kept.push_str(&rest[..end]);
        }
        rest = rest[end..].trim_start();
    }
    if !found {
        return None;
    }
    let indent = &line[..line.len() - line.trim_start().len()];
    Some((name.clone(), format!("{indent}<{name}{kept}>")))
}

/// How many times `needle` (`<div` or `</div`) starts a tag in `line`.
fn count_tags(line: &str, needle: &str) -> usize {
    line.match_indices(needle)
        .filter(|(at, _)| {
            line[at + needle.len()..]
                .chars()
                .next()
                .is_none_or(|ch| ch == '>' || ch.is_whitespace())
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_tags() {
        let cases = [
            ("<div markdown>", Some(("div", "<div>"))),
            (
                "  <div class=\"grid cards\" markdown>",
                Some(("div", "  <div class=\"grid cards\">")),
            ),
            ("<figure markdown=\"span\">", Some(("figure", "<figure>"))),
            ("<div class=\"x\">", None),
            ("<div markdown>text</div>", None),
        ];
        for (line, expected) in cases {
            let got = markdown_tag(line);
            assert_eq!(
                got.as_ref()
                    .map(|(tag, line)| (tag.as_str(), line.as_str())),
                expected,
                "{line}"
            );
        }
    }

    #[test]
    fn abbreviations_are_read() {
        assert_eq!(
            abbreviation("*[HTML]: Hyper Text"),
            Some(("HTML".to_string(), "Hyper Text".to_string()))
        );
        assert_eq!(abbreviation("*[x] y"), None);
    }
}

//! The line syntax `blocks` recognises: block headers (`!!!`, `???`, `===`, `///`), HTML tag
//! specs, indentation, code fences and list items. Pure functions of one line.

use crate::markdown::code_fence::CodeFence;

/// Columns per indentation level (Python-Markdown's `tab_length`).
pub(super) const INDENT: usize = 4;

/// An `!!!` or `???` header.
pub(super) struct Admonition {
    pub classes: Vec<String>,
    /// `None`: the default title; `Some("")`: no title.
    pub title: Option<String>,
    /// `None` for `!!!`; `Some(open)` for `???` (`???+` is open).
    pub collapsible: Option<bool>,
}

/// `!!! note "Title"`, `??? tip`, `???+ warning inline end "T"`.
pub(super) fn parse_admonition(rest: &str) -> Option<Admonition> {
    let (collapsible, after) = if let Some(after) = rest.strip_prefix("!!!") {
        (None, after)
    } else if let Some(after) = rest.strip_prefix("???+") {
        (Some(true), after)
    } else if let Some(after) = rest.strip_prefix("???") {
        (Some(false), after)
    } else {
        return None;
    };
    let after = after.trim();
    let (words, title) = match after.find('"') {
        Some(quote) => {
            let quoted = after[quote + 1..].trim_end();
            let title = quoted.strip_suffix('"')?;
            (&after[..quote], Some(title.to_string()))
        }
        None => (after, None),
    };
    let classes = class_list(words);
    if classes.is_empty() {
        return None;
    }
    Some(Admonition {
        classes,
        title,
        collapsible,
    })
}

/// Class names from space-separated words, lower-cased and limited to `[a-z0-9_-]`.
pub(super) fn class_list(words: &str) -> Vec<String> {
    words
        .split_whitespace()
        .map(|word| {
            word.chars()
                .map(|ch| {
                    let ch = ch.to_ascii_lowercase();
                    if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
                        ch
                    } else {
                        '-'
                    }
                })
                .collect()
        })
        .collect()
}

/// Python-Markdown's default title: the first class, capitalised.
pub(super) fn default_title(classes: &[String]) -> String {
    let Some(first) = classes.first() else {
        return String::new();
    };
    let mut chars = first.chars();
    match chars.next() {
        Some(ch) => ch.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A `===` header.
pub(super) struct Tab {
    pub label: String,
    pub new_set: bool,
    pub select: bool,
}

/// `=== "Label"`, `===! "Label"` (new set), `===+ "Label"` (selected).
pub(super) fn parse_tab(rest: &str) -> Option<Tab> {
    let after = rest.strip_prefix("===")?;
    let flags_len = after
        .bytes()
        .take_while(|b| *b == b'!' || *b == b'+')
        .count();
    let (flags, after) = after.split_at(flags_len);
    let quoted = after.strip_prefix(' ')?.trim();
    let label = quoted.strip_prefix('"')?.strip_suffix('"')?;
    Some(Tab {
        label: label.to_string(),
        new_set: flags.contains('!'),
        select: flags.contains('+'),
    })
}

/// A `///` line: (fence length, block name, title after `|`); no name for a closing line.
pub(super) fn parse_fence(rest: &str) -> Option<(usize, Option<String>, Option<String>)> {
    let fence_len = rest.bytes().take_while(|b| *b == b'/').count();
    if fence_len < 3 {
        return None;
    }
    let after = rest[fence_len..].trim();
    if after.is_empty() {
        return Some((fence_len, None, None));
    }
    let (name, title) = match after.split_once('|') {
        Some((name, title)) => (name.trim(), Some(title.trim().to_string())),
        None => (after, None),
    };
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
    valid.then(|| (fence_len, Some(name.to_ascii_lowercase()), title))
}

/// `div.class#id` → (`div`, ` class="class" id="id"`), attribute values escaped.
pub(super) fn html_tag(spec: &str) -> (String, String) {
    let spec = spec.trim();
    let tag_end = spec.find(['.', '#']).unwrap_or(spec.len());
    let tag = spec[..tag_end].trim().to_ascii_lowercase();
    let tag = if tag.is_empty() {
        "div".to_string()
    } else {
        tag
    };
    let mut classes = Vec::new();
    let mut id = None;
    let mut rest = &spec[tag_end..];
    while let Some(marker) = rest.chars().next() {
        let body = &rest[1..];
        let end = body.find(['.', '#']).unwrap_or(body.len());
        let value = body[..end].trim();
        if !value.is_empty() {
            if marker == '#' {
                id = Some(value);
            } else {
                classes.push(value);
            }
        }
        rest = &body[end..];
    }
    let mut attributes = String::new();
    if !classes.is_empty() {
        attributes.push_str(" class=\"");
        push_escaped(&mut attributes, &classes.join(" "));
        attributes.push('"');
    }
    if let Some(id) = id {
        attributes.push_str(" id=\"");
        push_escaped(&mut attributes, id);
        attributes.push('"');
    }
    (tag, attributes)
}

/// HTML-escapes `text` onto `out`.
pub(super) fn push_escaped(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(ch),
        }
    }
}

/// Source column of the first non-blank character (tabs to the next multiple of four) and
/// the rest of the line, trimmed at the end.
pub(super) fn indentation(line: &str) -> (usize, &str) {
    let mut col = 0;
    for (idx, byte) in line.bytes().enumerate() {
        match byte {
            b' ' => col += 1,
            b'\t' => col += INDENT - col % INDENT,
            _ => return (col, line[idx..].trim_end()),
        }
    }
    (col, "")
}

/// `line` without its first `n_cols` columns of indentation, when it has that many.
pub(super) fn dedented(line: &str, n_cols: usize) -> Option<&str> {
    if n_cols == 0 {
        return Some(line);
    }
    let mut col = 0;
    for (idx, byte) in line.bytes().enumerate() {
        if col >= n_cols {
            return Some(&line[idx..]);
        }
        match byte {
            b' ' => col += 1,
            // A tab that straddles the cut is dropped whole.
            b'\t' => col += INDENT - col % INDENT,
            _ => return None,
        }
    }
    (col >= n_cols).then_some("")
}

/// `- x`, `* x`, `+ x`, `1. x`, `1) x`.
pub(super) fn is_list_item(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    match bytes.first() {
        Some(b'-' | b'*' | b'+') => matches!(bytes.get(1), Some(b' ' | b'\t') | None),
        Some(b'0'..=b'9') => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            digits <= 9
                && matches!(bytes.get(digits), Some(b'.' | b')'))
                && matches!(bytes.get(digits + 1), Some(b' ' | b'\t') | None)
        }
        _ => false,
    }
}

/// A fenced code block being skipped: its fence and the stack depth it belongs to.
pub(super) struct OpenCodeFence {
    pub fence: CodeFence,
    pub depth: usize,
}

//! The first level-1 heading of a markdown body, for pages whose front matter has no title.
//!
//! Discovery reads front matter and paths only (the plan never renders), so this is a
//! line scanner for the few CommonMark rules that decide where a title is: fenced and
//! indented code and HTML comments hide headings, ATX `# Title` and setext `Title` + `===`
//! make one. Inline markup is reduced to its text the way a reader sees it.

/// See [`super::first_heading`].
pub(super) fn first_heading(body: &str) -> Option<String> {
    let mut fence: Option<Fence> = None;
    let mut in_comment = false;
    // Lines of the paragraph being read, for a setext underline to turn into a heading.
    let mut paragraph: Vec<&str> = Vec::new();
    for line in body.lines() {
        if in_comment {
            in_comment = !line.contains("-->");
            continue;
        }
        let indent = indent_width(line);
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if indent <= 3 && open.is_closed_by(trimmed) {
                fence = None;
            }
            continue;
        }
        if trimmed.is_empty() {
            paragraph.clear();
            continue;
        }
        if indent >= 4 {
            // Indented code, unless it continues a paragraph.
            if !paragraph.is_empty() {
                paragraph.push(trimmed);
            }
            continue;
        }
        if let Some(open) = Fence::open(trimmed) {
            fence = Some(open);
            paragraph.clear();
            continue;
        }
        if paragraph.is_empty() && trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if let Some((level, text)) = atx_heading(trimmed) {
            paragraph.clear();
            let text = inline_text(text);
            if level == 1 && !text.is_empty() {
                return Some(text);
            }
            continue;
        }
        if !paragraph.is_empty() && is_underline(trimmed, '=') {
            let text = inline_text(&paragraph.join(" "));
            if !text.is_empty() {
                return Some(text);
            }
            paragraph.clear();
            continue;
        }
        if !paragraph.is_empty() && is_underline(trimmed, '-') {
            // A level-2 setext heading.
            paragraph.clear();
            continue;
        }
        paragraph.push(trimmed);
    }
    None
}

/// Width of the leading whitespace, a tab counting as 4 (enough to tell code from text).
fn indent_width(line: &str) -> usize {
    line.chars()
        .take_while(|ch| *ch == ' ' || *ch == '\t')
        .map(|ch| if ch == '\t' { 4 } else { 1 })
        .sum()
}

/// An open code fence: its character and length; it closes with at least as many.
struct Fence {
    marker: char,
    len: usize,
}

impl Fence {
    fn open(trimmed: &str) -> Option<Fence> {
        let marker = trimmed
            .chars()
            .next()
            .filter(|ch| *ch == '`' || *ch == '~')?;
        let len = trimmed.chars().take_while(|ch| *ch == marker).count();
        // A backtick fence's info string cannot hold a backtick (that is a code span).
        let info_ok = marker == '~' || !trimmed[len..].contains('`');
        (len >= 3 && info_ok).then_some(Fence { marker, len })
    }

    fn is_closed_by(&self, trimmed: &str) -> bool {
        let len = trimmed.chars().take_while(|ch| *ch == self.marker).count();
        len >= self.len && trimmed[len * self.marker.len_utf8()..].trim().is_empty()
    }
}

/// An ATX heading: its level and raw text, without the closing `#`s.
fn atx_heading(trimmed: &str) -> Option<(usize, &str)> {
    let level = trimmed.chars().take_while(|ch| *ch == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &trimmed[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let text = rest.trim();
    let without_closing = text.trim_end_matches('#');
    let text = if without_closing.is_empty() {
        ""
    } else if without_closing.ends_with([' ', '\t']) {
        without_closing.trim_end()
    } else {
        // `# C#`: a `#` glued to the text is part of it.
        text
    };
    Some((level, text))
}

/// A setext underline: only `marker`s, at least one, with optional trailing spaces.
fn is_underline(trimmed: &str, marker: char) -> bool {
    let line = trimmed.trim_end();
    !line.is_empty() && line.chars().all(|ch| ch == marker)
}

/// Heading markdown reduced to the text a reader sees: code spans keep their content,
/// links and images keep their text, emphasis and strikethrough markers and HTML tags go,
/// backslash escapes are resolved, and whitespace is collapsed.
pub(super) fn inline_text(markdown: &str) -> String {
    let chars: Vec<char> = markdown.chars().collect();
    let mut text = String::with_capacity(markdown.len());
    append_inline(&chars, &mut text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn append_inline(chars: &[char], text: &mut String) {
    let mut index = 0;
    while index < chars.len() {
        let ch = chars[index];
        match ch {
            '\\' if chars
                .get(index + 1)
                .is_some_and(|next| next.is_ascii_punctuation()) =>
            {
                text.push(chars[index + 1]);
                index += 2;
            }
            '`' => {
                let run = run_length(chars, index, '`');
                match find_backtick_run(chars, index + run, run) {
                    Some(close) => {
                        let code: String = chars[index + run..close].iter().collect();
                        text.push_str(&code);
                        index = close + run;
                    }
                    None => {
                        text.extend(&chars[index..index + run]);
                        index += run;
                    }
                }
            }
            '!' if chars.get(index + 1) == Some(&'[') => index += 1,
            '[' => match link_parts(chars, index) {
                Some((label_end, after)) => {
                    append_inline(&chars[index + 1..label_end], text);
                    index = after;
                }
                None => {
                    text.push('[');
                    index += 1;
                }
            },
            '<' => match html_tag_end(chars, index) {
                Some((end, autolink)) => {
                    if autolink {
                        text.extend(&chars[index + 1..end]);
                    }
                    index = end + 1;
                }
                None => {
                    text.push('<');
                    index += 1;
                }
            },
            '*' | '_' | '~' => {
                let run = run_length(chars, index, ch);
                let before = index.checked_sub(1).map(|at| chars[at]);
                let after = chars.get(index + run).copied();
                let spaced = |neighbour: Option<char>| neighbour.is_none_or(char::is_whitespace);
                let word = |neighbour: Option<char>| neighbour.is_some_and(char::is_alphanumeric);
                let is_marker = match ch {
                    // `snake_case` is a word, not emphasis.
                    '_' => !(word(before) && word(after) || spaced(before) && spaced(after)),
                    // Only `~~` is strikethrough; a lone `~` is text.
                    '~' => run >= 2,
                    _ => !(spaced(before) && spaced(after)),
                };
                if !is_marker {
                    text.extend(&chars[index..index + run]);
                }
                index += run;
            }
            _ => {
                text.push(ch);
                index += 1;
            }
        }
    }
}

fn run_length(chars: &[char], start: usize, ch: char) -> usize {
    chars[start..].iter().take_while(|c| **c == ch).count()
}

/// The start of a backtick run of exactly `len` at or after `from`.
fn find_backtick_run(chars: &[char], from: usize, len: usize) -> Option<usize> {
    let mut index = from;
    while index < chars.len() {
        if chars[index] == '`' {
            let run = run_length(chars, index, '`');
            if run == len {
                return Some(index);
            }
            index += run;
        } else {
            index += 1;
        }
    }
    None
}

/// For `[label](destination)` or `[label][ref]` starting at `open`: the index of the `]`
/// and the index after the whole link.
fn link_parts(chars: &[char], open: usize) -> Option<(usize, usize)> {
    let label_end = matching(chars, open, '[', ']')?;
    let (opener, closer) = match chars.get(label_end + 1) {
        Some('(') => ('(', ')'),
        Some('[') => ('[', ']'),
        _ => return None,
    };
    let end = matching(chars, label_end + 1, opener, closer)?;
    Some((label_end, end + 1))
}

/// The index of the bracket closing the one at `open`, counting nesting.
fn matching(chars: &[char], open: usize, opener: char, closer: char) -> Option<usize> {
    let mut depth = 0usize;
    for (index, ch) in chars.iter().enumerate().skip(open) {
        if *ch == opener {
            depth += 1;
        } else if *ch == closer {
            depth -= 1;
            if depth == 0 {
                return Some(index);
            }
        }
    }
    None
}

/// For an HTML tag or autolink starting at `open`: the index of its `>` and whether it is
/// an autolink (`<https://…>`), whose text is kept.
fn html_tag_end(chars: &[char], open: usize) -> Option<(usize, bool)> {
    let first = *chars.get(open + 1)?;
    if !(first.is_ascii_alphabetic() || first == '/' || first == '!') {
        return None;
    }
    let end = open + 1 + chars[open + 1..].iter().position(|ch| *ch == '>')?;
    let inner: String = chars[open + 1..end].iter().collect();
    let autolink =
        !inner.contains(char::is_whitespace) && (inner.contains("://") || inner.contains('@'));
    Some((end, autolink))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(body: &str, expected: Option<&str>) {
        assert_eq!(first_heading(body).as_deref(), expected, "for:\n{body}");
    }

    #[test]
    fn headings() {
        for (body, expected) in [
            ("# Title\n\ntext", Some("Title")),
            ("text\n\n# Title ##  \n", Some("Title")),
            ("#   Spaced   out   #", Some("Spaced out")),
            ("# C#\n", Some("C#")),
            ("# Title #\\#\n", Some("Title ##")),
            ("   # Indented three\n", Some("Indented three")),
            ("    # Indented code\n", None),
            ("#NoSpace\n", None),
            ("## Level two\n# Level one\n", Some("Level one")),
            ("#\n# Real\n", Some("Real")),
            ("```\n# not a heading\n```\n# After\n", Some("After")),
            (
                "~~~~md\n# inside\n~~~\n# still inside\n~~~~\n# Out\n",
                Some("Out"),
            ),
            ("```js\n# inside, never closed\n", None),
            ("<!--\n# commented out\n-->\n# Visible\n", Some("Visible")),
            ("<!-- overview -->\n# Visible\n", Some("Visible")),
            ("Setext Title\n===\n", Some("Setext Title")),
            (
                "Two line\nsetext title\n=====  \n",
                Some("Two line setext title"),
            ),
            ("Level two\n---\n\nThen\n==\n", Some("Then")),
            ("===\n", None),
            ("\r\n# Windows\r\n", Some("Windows")),
            (
                "# The **bold** and *em* and _em_ title\n",
                Some("The bold and em and em title"),
            ),
            (
                "# `code_span` and ``a ` tick``\n",
                Some("code_span and a ` tick"),
            ),
            ("# snake_case and __init__\n", Some("snake_case and init")),
            ("# 2 * 3 = 6\n", Some("2 * 3 = 6")),
            (
                "# A [link](/to \"t\") and ![img](x.png)\n",
                Some("A link and img"),
            ),
            ("# A [ref][1] and [plain]\n", Some("A ref and [plain]")),
            (
                "# <code>tag</code> and <https://x.org> and a < b\n",
                Some("tag and https://x.org and a < b"),
            ),
            (
                "# Escaped \\*stars\\* and ~~strike~~ ~approx\n",
                Some("Escaped *stars* and strike ~approx"),
            ),
            (
                "# {{domxref(\"Node\")}} stays\n",
                Some("{{domxref(\"Node\")}} stays"),
            ),
            ("no heading at all\n\n---\n", None),
            ("", None),
        ] {
            check(body, expected);
        }
    }
}

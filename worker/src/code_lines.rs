//! Marked lines and line numbers of a code block, asked for in its fence's info string:
//! pymdownx.highlight's `hl_lines="1 3-5"` and `linenums="1"`, and Docusaurus' `{1,3-5}`
//! and `showLineNumbers` / `showLineNumbers=10`.
//!
//! They are drawn on the block's HTML after highlighting (so the highlight cache keeps one
//! entry per code, whatever lines a page marks): each line is cut out of the HTML, the
//! spans still open at its end are closed there and opened again on the next line (syntect's
//! classed spans cross lines: a source-wide span, multi-line strings and comments), so a
//! line can be wrapped in `<span class="hll">` and numbered with
//! `<span class="linenos" data-linenos="N"></span>` (the number is drawn by CSS, so copying
//! the code does not copy it).

use std::fmt;

/// What a fence asks for; `None` from [`LineOptions::parse`] when it asks for nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineOptions {
    /// Marked lines, as 1-based inclusive ranges of the block's lines.
    marked: Vec<(u32, u32)>,
    /// The number of the first line, when lines are numbered.
    numbers_from: Option<u32>,
}

impl LineOptions {
    /// Reads the options of a fence info string (`py hl_lines="2 4-5" linenums="1"`,
    /// `js {1,3} showLineNumbers`).
    pub(crate) fn parse(info: &str) -> Option<LineOptions> {
        if !(info.contains("hl_lines")
            || info.contains("linenums")
            || info.contains('{')
            || info.contains("showLineNumbers"))
        {
            return None;
        }
        let mut options = LineOptions {
            marked: Vec::new(),
            numbers_from: None,
        };
        if let Some(value) = attribute(info, "hl_lines") {
            options.marked.extend(ranges(&value, ' '));
        }
        if let Some(value) = attribute(info, "linenums") {
            let first = value.split_whitespace().next().unwrap_or("1");
            options.numbers_from = Some(first.parse().unwrap_or(1));
        }
        if let Some(at) = info.find("showLineNumbers") {
            let rest = &info[at + "showLineNumbers".len()..];
            let start = rest
                .strip_prefix('=')
                .and_then(|value| {
                    value
                        .trim_matches(['"', '\''])
                        .split(|c: char| !c.is_ascii_digit())
                        .next()
                })
                .and_then(|digits| digits.parse().ok())
                .unwrap_or(1);
            options.numbers_from = Some(start);
        }
        // Docusaurus' `{1,3-5}`, alone or after the language (`js{1,3}`).
        if let Some(open) = info.find('{')
            && let Some(close) = info[open..].find('}')
        {
            let inside = &info[open + 1..open + close];
            if !inside.is_empty()
                && inside
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ',' | '-' | ' '))
            {
                options.marked.extend(ranges(inside, ','));
            }
        }
        (!options.marked.is_empty() || options.numbers_from.is_some()).then_some(options)
    }

    fn is_marked(&self, line: u32) -> bool {
        self.marked
            .iter()
            .any(|&(first, last)| first <= line && line <= last)
    }

    /// Writes `html` (the escaped or highlighted code, lines ending with `\n`) with the
    /// lines marked and numbered.
    pub(crate) fn write_lines(&self, out: &mut dyn fmt::Write, html: &str) -> fmt::Result {
        // Spans open at the start of the current line (their opening tags).
        let mut open: Vec<&str> = Vec::new();
        let mut line_number: u32 = 1;
        let mut rest = html;
        while !rest.is_empty() {
            let (line, after) = match rest.find('\n') {
                Some(end) => (&rest[..end], &rest[end + 1..]),
                None => (rest, ""),
            };
            let had_newline = rest.len() > line.len();
            rest = after;
            // What follows the last newline only closes spans (already closed above).
            if !had_newline && line.trim_start_matches("</span>").is_empty() {
                break;
            }
            let marked = self.is_marked(line_number);
            if marked {
                out.write_str("<span class=\"hll\">")?;
            }
            if let Some(first) = self.numbers_from {
                let shown = first.saturating_add(line_number - 1);
                write!(
                    out,
                    "<span class=\"linenos\" data-linenos=\"{shown}\"></span>"
                )?;
            }
            for tag in &open {
                out.write_str(tag)?;
            }
            out.write_str(line)?;
            track_spans(line, &mut open);
            for _ in &open {
                out.write_str("</span>")?;
            }
            if had_newline {
                out.write_char('\n')?;
            }
            if marked {
                out.write_str("</span>")?;
            }
            line_number = line_number.saturating_add(1);
        }
        Ok(())
    }
}

/// Follows the `<span …>` and `</span>` tags of `line`, keeping `open` as the spans still
/// open after it.
fn track_spans<'h>(line: &'h str, open: &mut Vec<&'h str>) {
    let mut at = 0;
    while let Some(found) = line[at..].find('<') {
        let start = at + found;
        let Some(length) = line[start..].find('>') else {
            return;
        };
        let tag = &line[start..start + length + 1];
        if tag == "</span>" {
            open.pop();
        } else if tag.starts_with("<span") {
            open.push(tag);
        }
        at = start + length + 1;
    }
}

/// The value of `name="…"` (or `'…'`, or unquoted up to a space) in an info string.
fn attribute(info: &str, name: &str) -> Option<String> {
    let at = info.find(&format!("{name}="))?;
    let value = &info[at + name.len() + 1..];
    let quote = value.chars().next()?;
    if matches!(quote, '"' | '\'') {
        let inner = &value[1..];
        return Some(inner[..inner.find(quote)?].to_string());
    }
    Some(
        value
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches('}')
            .to_string(),
    )
}

/// `1 3-5` (or `1,3-5`) as inclusive ranges; unreadable parts are skipped.
fn ranges(text: &str, separator: char) -> Vec<(u32, u32)> {
    text.split(separator)
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .filter_map(|part| match part.split_once('-') {
            Some((first, last)) => Some((first.trim().parse().ok()?, last.trim().parse().ok()?)),
            None => {
                let line = part.parse().ok()?;
                Some((line, line))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_from_both_syntaxes() {
        let check = |info: &str, marked: &[(u32, u32)], numbers_from: Option<u32>| {
            assert_eq!(
                LineOptions::parse(info),
                (!marked.is_empty() || numbers_from.is_some()).then(|| LineOptions {
                    marked: marked.to_vec(),
                    numbers_from,
                }),
                "{info}"
            );
        };
        check("py", &[], None);
        check("py title=\"a.py\"", &[], None);
        check("py hl_lines=\"2 4-5\"", &[(2, 2), (4, 5)], None);
        check("py linenums=\"10\" hl_lines='1'", &[(1, 1)], Some(10));
        check("{.py linenums=\"1 2\"}", &[], Some(1));
        check("js {1,3-4} showLineNumbers", &[(1, 1), (3, 4)], Some(1));
        check("js{2} title=\"x\"", &[(2, 2)], None);
        check("jsx showLineNumbers=5", &[], Some(5));
        check("js {x}", &[], None);
    }

    fn lines(options: &str, html: &str) -> String {
        let mut out = String::new();
        LineOptions::parse(options)
            .expect("options")
            .write_lines(&mut out, html)
            .expect("write");
        out
    }

    #[test]
    fn spans_are_closed_and_opened_again_around_each_line() {
        let html =
            "<span class=\"a\">x = <span class=\"s\">\"\"\"one\ntwo\"\"\"</span>\ny</span>\n";
        assert_eq!(
            lines("py hl_lines=\"2\"", html),
            "<span class=\"a\">x = <span class=\"s\">\"\"\"one</span></span>\n\
             <span class=\"hll\"><span class=\"a\"><span class=\"s\">two\"\"\"</span></span>\n</span>\
             <span class=\"a\">y</span>\n"
        );
        // Syntect closes its source-wide span after the last newline: no empty last line.
        assert_eq!(
            lines("py linenums=\"1\"", "<span class=\"s\">a\n</span>"),
            "<span class=\"linenos\" data-linenos=\"1\"></span><span class=\"s\">a</span>\n"
        );
        assert_eq!(
            lines("py linenums=\"7\"", "a\nb\n"),
            "<span class=\"linenos\" data-linenos=\"7\"></span>a\n\
             <span class=\"linenos\" data-linenos=\"8\"></span>b\n"
        );
    }
}

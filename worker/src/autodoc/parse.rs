//! Parsing a Python module with Ruff's parser, and reading source text back out of it.
//!
//! Everything autodoc shows of an annotation, a default or a decorator is the source text
//! under the node's range, so this file also owns [`SourceText`]: line numbers for byte
//! offsets, and whitespace normalisation for expressions that span several lines.

use std::borrow::Cow;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{ModModule, PythonVersion};
use ruff_python_parser::{Mode, ParseOptions, Parsed, parse_unchecked};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextSize};

use super::AutodocError;

/// Parses `source` as a module with the newest Python grammar Ruff knows, so that 3.8 to
/// 3.14 syntax (PEP 695 generics, PEP 696 defaults, PEP 701 f-strings, PEP 758 `except A, B:`)
/// all parse. Returns the first syntax error, by position, when there is one.
pub(crate) fn parse(
    source: &str,
    text: &SourceText<'_>,
) -> Result<Parsed<ModModule>, AutodocError> {
    check_expression_depth(source, text)?;
    let options = ParseOptions::from(Mode::Module).with_target_version(PythonVersion::latest());
    let parsed = parse_unchecked(source, options);
    // Version-related errors (`unsupported_syntax_errors`) are ignored on purpose: the
    // target is the newest version, and documenting must not depend on the project's target.
    if let Some(error) = parsed
        .errors()
        .iter()
        .min_by_key(|error| error.location.start())
    {
        let (line, column) = text.line_column(error.location.start());
        return Err(AutodocError {
            line,
            column,
            message: error.error.to_string(),
        });
    }
    check_nesting(parsed.tokens(), text)?;
    match parsed.try_into_module() {
        Some(module) => Ok(module),
        // Module mode always yields a module; this arm only keeps the code panic-free.
        None => Err(AutodocError {
            line: 1,
            column: 1,
            message: "source did not parse as a module".to_owned(),
        }),
    }
}

/// CPython refuses more than 100 levels of indentation, so no importable module nests
/// deeper; the extractor and renderer recurse per nested class and rely on this bound.
const MAX_INDENT_LEVELS: usize = 100;

/// Rejects nesting Python itself would reject ("too many levels of indentation"), found
/// by counting indent tokens rather than walking the tree.
fn check_nesting(
    tokens: &[ruff_python_ast::token::Token],
    text: &SourceText<'_>,
) -> Result<(), AutodocError> {
    let mut depth = 0usize;
    for token in tokens {
        match token.kind() {
            TokenKind::Indent => {
                depth += 1;
                if depth > MAX_INDENT_LEVELS {
                    let (line, column) = text.line_column(token.start());
                    let message = format!(
                        "too many levels of indentation (Python allows {MAX_INDENT_LEVELS})"
                    );
                    return Err(AutodocError {
                        line,
                        column,
                        message,
                    });
                }
            }
            TokenKind::Dedent => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// CPython's limit on nested brackets ("too many nested parentheses").
const MAX_NESTED_BRACKETS: usize = 200;

/// Deepest expression accepted, counted as [`check_expression_depth`] does. CPython gives
/// up on far shallower chains ("maximum recursion depth exceeded during compilation"), and
/// the render thread's stack holds trees many times this deep.
const MAX_EXPRESSION_DEPTH: usize = 100_000;

/// Rejects expressions nested deeper than Python compiles, before Ruff parses them: the
/// syntax tree of `return ------…1` (200,000 signs) is 200,000 levels deep, and every pass
/// over it, freeing it included, recurses once per level.
///
/// One pass over the bytes (string literals and comments skipped) bounds the tree depth
/// from above: every operator character, keyword operator and opening bracket adds a
/// level; a comma goes back to the depth of its bracket, a new logical line back to zero.
/// Flat data (a list of a million numbers, a long dict) stays shallow; chains of
/// operators, unary or binary, grow.
fn check_expression_depth(source: &str, text: &SourceText<'_>) -> Result<(), AutodocError> {
    // A tree cannot be deeper than its source has bytes.
    if source.len() <= MAX_EXPRESSION_DEPTH {
        return Ok(());
    }
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    // The depth at each open bracket.
    let mut brackets: Vec<usize> = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let problem = match byte {
            b'\'' | b'"' => {
                index = string_end(bytes, index);
                continue;
            }
            b'#' => {
                while index < bytes.len() && bytes[index] != b'\n' {
                    index += 1;
                }
                continue;
            }
            // A backslash continues the line: skip it with its line break.
            b'\\' => {
                index += 2;
                continue;
            }
            b'\n' if brackets.is_empty() => {
                depth = 0;
                None
            }
            b';' if brackets.is_empty() => {
                depth = 0;
                None
            }
            b'(' | b'[' | b'{' => {
                brackets.push(depth);
                depth += 1;
                (brackets.len() > MAX_NESTED_BRACKETS).then(|| {
                    format!("too many nested parentheses (Python allows {MAX_NESTED_BRACKETS})")
                })
            }
            // A closed group keeps its depth: what follows may nest below it.
            b')' | b']' | b'}' => {
                brackets.pop();
                None
            }
            b',' => {
                depth = brackets.last().map_or(0, |open| open + 1);
                None
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'@' | b'&' | b'|' | b'^' | b'~' | b'<' | b'>'
            | b'=' | b'.' | b':' | b'!' => {
                depth += 1;
                too_deep(depth)
            }
            byte if byte.is_ascii_alphabetic() || byte == b'_' => {
                let start = index;
                while index < bytes.len()
                    && (bytes[index].is_ascii_alphanumeric() || bytes[index] == b'_')
                {
                    index += 1;
                }
                // A string prefix (`f"`, `rb'`) is lexed with its string, next round.
                if matches!(
                    &source[start..index],
                    "not"
                        | "and"
                        | "or"
                        | "in"
                        | "is"
                        | "await"
                        | "lambda"
                        | "if"
                        | "else"
                        | "yield"
                ) {
                    depth += 1;
                    if let Some(message) = too_deep(depth) {
                        return Err(depth_error(text, start, message));
                    }
                }
                continue;
            }
            _ => None,
        };
        if let Some(message) = problem {
            return Err(depth_error(text, index, message));
        }
        index += 1;
    }
    Ok(())
}

fn too_deep(depth: usize) -> Option<String> {
    (depth > MAX_EXPRESSION_DEPTH).then(|| {
        format!(
            "expression nested too deeply (over {MAX_EXPRESSION_DEPTH} levels of operators and \
             brackets)"
        )
    })
}

fn depth_error(text: &SourceText<'_>, offset: usize, message: String) -> AutodocError {
    let offset = TextSize::try_from(offset).unwrap_or_default();
    let (line, column) = text.line_column(offset);
    AutodocError {
        line,
        column,
        message,
    }
}

/// The module's source with its line index.
pub(crate) struct SourceText<'a> {
    text: &'a str,
    lines: LineIndex,
}

impl<'a> SourceText<'a> {
    /// Indexes the line starts of `text` (one pass).
    pub(crate) fn new(text: &'a str) -> SourceText<'a> {
        SourceText {
            text,
            lines: LineIndex::from_source_text(text),
        }
    }

    /// The whole source.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: TextSize) -> u32 {
        let offset = self.clamp(offset);
        u32::try_from(self.lines.line_index(offset).get()).unwrap_or(u32::MAX)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_column(&self, offset: TextSize) -> (u32, u32) {
        let offset = self.clamp(offset);
        let location = self.lines.line_column(offset, self.text);
        let line = u32::try_from(location.line.get()).unwrap_or(u32::MAX);
        let column = u32::try_from(location.column.get()).unwrap_or(u32::MAX);
        (line, column)
    }

    /// Byte offset where the 1-based `line` starts.
    pub(crate) fn line_start(&self, line: u32) -> usize {
        let starts = self.lines.line_starts();
        let index = (line as usize).saturating_sub(1);
        starts
            .get(index)
            .map_or(self.text.len(), |start| start.to_usize())
    }

    /// The raw source under a node.
    pub(crate) fn slice(&self, node: &impl Ranged) -> &'a str {
        let range = node.range();
        self.text
            .get(range.start().to_usize()..range.end().to_usize())
            .unwrap_or("")
    }

    /// The source under an expression, on one line: see [`one_line`].
    pub(crate) fn expr(&self, node: &impl Ranged) -> String {
        one_line(self.slice(node)).into_owned()
    }

    /// Like [`SourceText::expr`], cut to about `max_chars` characters with an ellipsis, for
    /// values that may be whole data tables.
    pub(crate) fn expr_capped(&self, node: &impl Ranged, max_chars: usize) -> String {
        let raw = self.slice(node);
        // Normalise a bounded prefix only: a 5,000-line dict literal costs nothing then.
        let prefix_end = raw
            .char_indices()
            .nth(max_chars * 4)
            .map_or(raw.len(), |(index, _)| index);
        let text = one_line(&raw[..prefix_end]);
        match text.char_indices().nth(max_chars) {
            Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
            None if prefix_end < raw.len() => format!("{}…", text.trim_end()),
            None => text.into_owned(),
        }
    }

    fn clamp(&self, offset: TextSize) -> TextSize {
        let mut end = offset.to_usize().min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        TextSize::try_from(end).unwrap_or_default()
    }
}

/// Puts a possibly multi-line expression on one line: comments are dropped, each run of
/// whitespace that contains a line break becomes one space (none right inside brackets),
/// and string literals are copied untouched. Single-line text is returned as is.
pub(crate) fn one_line(raw: &str) -> Cow<'_, str> {
    if !raw.contains(['\n', '\r']) {
        return Cow::Borrowed(raw);
    }
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        match byte {
            b'\'' | b'"' => {
                let end = string_end(bytes, index);
                out.push_str(&raw[index..end]);
                index = end;
            }
            b'#' => {
                while index < bytes.len() && bytes[index] != b'\n' {
                    index += 1;
                }
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\\' | b'\x0c' => {
                let start = index;
                let mut has_break = false;
                while index < bytes.len() {
                    match bytes[index] {
                        b'\n' | b'\r' => has_break = true,
                        b' ' | b'\t' | b'\x0c' => {}
                        // A backslash outside a string is a line continuation.
                        b'\\' if matches!(bytes.get(index + 1), Some(b'\n' | b'\r')) => {}
                        b'#' => {
                            while index < bytes.len() && bytes[index] != b'\n' {
                                index += 1;
                            }
                            continue;
                        }
                        _ => break,
                    }
                    index += 1;
                }
                if index == start {
                    // A lone backslash that continues nothing: copy it.
                    out.push('\\');
                    index += 1;
                    continue;
                }
                if !has_break {
                    out.push_str(&raw[start..index]);
                    continue;
                }
                let after_open = out.ends_with(['(', '[', '{']) || out.is_empty();
                let before_close = matches!(bytes.get(index), Some(b')' | b']' | b'}') | None);
                if !after_open && !before_close {
                    out.push(' ');
                }
            }
            _ => {
                let start = index;
                while index < bytes.len()
                    && !matches!(
                        bytes[index],
                        b'\'' | b'"' | b'#' | b' ' | b'\t' | b'\n' | b'\r' | b'\\' | b'\x0c'
                    )
                {
                    index += 1;
                }
                out.push_str(&raw[start..index]);
            }
        }
    }
    Cow::Owned(out)
}

/// Byte index just past the string literal whose opening quote is at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let triple = bytes.get(start + 1) == Some(&quote) && bytes.get(start + 2) == Some(&quote);
    let mut index = if triple { start + 3 } else { start + 1 };
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'\\' {
            index += 2;
            continue;
        }
        if byte == quote {
            if !triple {
                return index + 1;
            }
            if bytes.get(index + 1) == Some(&quote) && bytes.get(index + 2) == Some(&quote) {
                return index + 3;
            }
        }
        index += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: &str) {
        assert_eq!(one_line(raw), expected, "one_line({raw:?})");
    }

    #[test]
    fn one_line_normalises_multi_line_expressions() {
        check("dict[str, int]", "dict[str, int]");
        check(
            "Callable[\n    [int, str],\n    bool,\n]",
            "Callable[[int, str], bool,]",
        );
        check("(\n    1,  # one\n    2,\n)", "(1, 2,)");
        check(
            "f(\n  'a # not a comment',\n  \"\"\"x\n  y\"\"\"\n)",
            "f('a # not a comment', \"\"\"x\n  y\"\"\")",
        );
        check("a + \\\n    b", "a + b");
        check("{\n    'k': \"v\\\"\",\n}", "{'k': \"v\\\"\",}");
    }

    #[test]
    fn line_column_counts_characters() {
        let text = SourceText::new("x = 1\né = (\n");
        assert_eq!(text.line_column(TextSize::from(0)), (1, 1));
        assert_eq!(text.line_column(TextSize::from(10)), (2, 4));
        assert_eq!(text.line_start(2), 6);
    }
}

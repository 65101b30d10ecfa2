//! Admonition fences (MyST `:::{note} Title`, Docusaurus `:::tip Title` / `:::warning[Title]`)
//! and GitHub alerts (`> [!NOTE]`), rendered with one markup so one stylesheet serves both:
//! `<div class="admonition note"><p class="admonition-title">Note</p>…</div>`.
//!
//! Parsing is comrak's `block_directive` extension, which already nests fences by length,
//! lets fences interrupt paragraphs and works inside lists and quotes. Three of its gaps
//! matter for real docs, and [`prepare_source`] closes them with a line-preserving pass
//! before parsing (it only swaps characters, so every line number stays true):
//! - an info string containing `:` (`:::tip Note: this`) does not open a fence;
//! - inside an admonition, a `:::` line inside a fenced code block closes the admonition;
//! - a stray `:::` that closes nothing opens an empty fence that swallows the rest of the page.
//!
//! In those lines `:` becomes U+FDD0, a noncharacter Unicode reserves for exactly this kind of
//! internal use, and [`restore_colons`] turns it back after parsing. MyST option lines
//! (`:class: tip`) right after an opening fence are blanked, as MyST consumes them.

use super::code_fence::CodeFence;
use std::borrow::Cow;

use comrak::nodes::{AstNode, NodeValue};

/// Stands in for `:` in lines comrak must not read as fences.
const COLON_STAND_IN: char = '\u{FDD0}';

/// The source handed to comrak, with the fence fixes applied.
pub(super) struct PreparedSource<'t> {
    /// Same lines as the input, some `:` swapped for [`COLON_STAND_IN`].
    pub text: Cow<'t, str>,
    /// True when a stand-in was written, so the AST needs [`restore_colons`].
    pub has_stand_ins: bool,
    /// Stray closing fences: (1-based line in `text`, message).
    pub warnings: Vec<(usize, String)>,
}

/// Applies the fence fixes described in the module docs; borrows `text` when none apply.
pub(super) fn prepare_source(text: &str) -> PreparedSource<'_> {
    let mut out: Option<String> = None;
    let mut warnings = Vec::new();
    let mut code_fence: Option<CodeFence> = None;
    // Lengths of the open admonition fences, outermost first.
    let mut open_fences: Vec<usize> = Vec::new();
    let mut in_myst_options = false;
    let mut offset = 0;

    for (line_idx, line) in text.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let (prefix_len, rest) = split_container_prefix(content);
        let mut replacement: Option<String> = None;

        if let Some(fence) = &code_fence {
            if fence.is_closed_by(rest) {
                code_fence = None;
            } else if !open_fences.is_empty() && rest.starts_with(":::") {
                replacement = Some(swap_colons(line, prefix_len, 1));
            }
        } else if let Some(fence) = CodeFence::opened_by(rest) {
            code_fence = Some(fence);
            in_myst_options = false;
        } else if in_myst_options && is_myst_option(rest) {
            // Keep the quote markers and the line ending: a bare line would end a quote.
            let kept_prefix = content[..prefix_len].trim_end();
            replacement = Some(format!("{kept_prefix}{}", &line[content.len()..]));
        } else if let Some(n_colons) = admonition_fence_len(rest) {
            in_myst_options = false;
            let info = rest[n_colons..].trim();
            if info.is_empty() {
                // Closing: comrak closes the outermost open fence it matches, and with it
                // everything nested inside.
                match open_fences.iter().position(|&len| len <= n_colons) {
                    Some(idx) => open_fences.truncate(idx),
                    None => {
                        replacement = Some(swap_colons(line, prefix_len, 1));
                        warnings.push((
                            line_idx + 1,
                            format!(
                                "`{}` closes no open admonition and is shown as text; remove it, \
                                 or make the opening fence at most as long",
                                &rest[..n_colons]
                            ),
                        ));
                    }
                }
            } else {
                open_fences.push(n_colons);
                in_myst_options = info.starts_with('{');
                if info.contains(':') {
                    let swap_from = prefix_len + n_colons;
                    replacement = Some(swap_colons(line, swap_from, usize::MAX));
                }
            }
        } else {
            in_myst_options = false;
        }

        match (replacement, &mut out) {
            (Some(new_line), Some(out)) => out.push_str(&new_line),
            (Some(new_line), None) => {
                let mut started = String::with_capacity(text.len() + 64);
                started.push_str(&text[..line_start]);
                started.push_str(&new_line);
                out = Some(started);
            }
            (None, Some(out)) => out.push_str(line),
            (None, None) => {}
        }
    }

    let has_stand_ins = out
        .as_ref()
        .is_some_and(|text| text.contains(COLON_STAND_IN));
    PreparedSource {
        text: out.map_or(Cow::Borrowed(text), Cow::Owned),
        has_stand_ins,
        warnings,
    }
}

/// Splits a line into its container prefix (indentation and `>` quote markers) and the rest.
fn split_container_prefix(line: &str) -> (usize, &str) {
    let bytes = line.as_bytes();
    let mut idx = 0;
    loop {
        while idx < bytes.len() && (bytes[idx] == b' ' || bytes[idx] == b'\t') {
            idx += 1;
        }
        if idx < bytes.len() && bytes[idx] == b'>' {
            idx += 1;
        } else {
            return (idx, &line[idx..]);
        }
    }
}

/// Length of the colon run when `rest` is an admonition fence (three or more colons).
fn admonition_fence_len(rest: &str) -> Option<usize> {
    let n_colons = rest.bytes().take_while(|&b| b == b':').count();
    (n_colons >= 3).then_some(n_colons)
}

/// `:name: value`, a MyST directive option.
fn is_myst_option(rest: &str) -> bool {
    let Some(after_colon) = rest.strip_prefix(':') else {
        return false;
    };
    let name_len = after_colon
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
        .count();
    name_len > 0 && after_colon[name_len..].starts_with(':')
}

/// `line` with up to `max_swaps` colons from byte `from` on replaced by the stand-in.
fn swap_colons(line: &str, from: usize, max_swaps: usize) -> String {
    let mut swapped = String::with_capacity(line.len() + 8);
    swapped.push_str(&line[..from]);
    let mut n_swapped = 0;
    for ch in line[from..].chars() {
        if ch == ':' && n_swapped < max_swaps {
            swapped.push(COLON_STAND_IN);
            n_swapped += 1;
        } else {
            swapped.push(ch);
        }
    }
    swapped
}

/// Turns stand-ins back into `:` in every string of the AST a stand-in can reach.
pub(super) fn restore_colons<'a>(root: &'a AstNode<'a>) {
    fn restore(text: &mut String) {
        if text.contains(COLON_STAND_IN) {
            *text = text.replace(COLON_STAND_IN, ":");
        }
    }
    for node in root.descendants() {
        let mut ast = node.data_mut();
        match &mut ast.value {
            NodeValue::Text(text) if text.contains(COLON_STAND_IN) => {
                *text = Cow::Owned(text.replace(COLON_STAND_IN, ":"));
            }
            NodeValue::Code(code) => restore(&mut code.literal),
            NodeValue::CodeBlock(block) => {
                restore(&mut block.literal);
                restore(&mut block.info);
            }
            NodeValue::HtmlBlock(block) => restore(&mut block.literal),
            NodeValue::HtmlInline(html) => restore(html),
            NodeValue::BlockDirective(directive) => restore(&mut directive.info),
            NodeValue::Link(link) | NodeValue::Image(link) => {
                restore(&mut link.url);
                restore(&mut link.title);
            }
            _ => {}
        }
    }
}

/// What an admonition renders as: its kind (a class name) and title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AdmonitionHead {
    /// Lower-case, limited to `[a-z0-9_-]`.
    pub kind: String,
    pub title: String,
}

/// Reads a fence's info string: `{note} Title` (MyST), `tip Title`, `warning[Title]`
/// (Docusaurus), `{.note}` (Pandoc). `None` for an empty info string, which is not an
/// admonition.
pub(super) fn parse_info(info: &str) -> Option<AdmonitionHead> {
    let info = info.trim();
    if info.is_empty() {
        return None;
    }
    let (raw_kind, rest) = match info.strip_prefix('{') {
        Some(braced) => braced.split_once('}').unwrap_or((braced, "")),
        None => {
            let kind_end = info
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '-' || ch == '_'))
                .unwrap_or(info.len());
            info.split_at(kind_end)
        }
    };
    let mut kind: String = raw_kind
        .trim()
        .trim_start_matches('.')
        .chars()
        .map(|ch| {
            let ch = ch.to_ascii_lowercase();
            if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
                ch
            } else {
                '-'
            }
        })
        .collect();
    // MyST's generic `{admonition} Title` has no kind of its own.
    if kind.is_empty() || kind == "admonition" {
        kind = "note".to_string();
    }
    let rest = rest.trim();
    let title = rest
        .strip_prefix('[')
        .and_then(|bracketed| bracketed.strip_suffix(']'))
        .unwrap_or(rest)
        .trim();
    let title = if title.is_empty() {
        default_title(&kind)
    } else {
        title.to_string()
    };
    Some(AdmonitionHead { kind, title })
}

/// The title of an admonition that names none: a fixed one for known kinds, the kind
/// capitalised otherwise.
pub(super) fn default_title(kind: &str) -> String {
    let known = match kind {
        "attention" => "Attention",
        "caution" => "Caution",
        "danger" => "Danger",
        "error" => "Error",
        "hint" => "Hint",
        "important" => "Important",
        "info" => "Info",
        "note" => "Note",
        "seealso" => "See also",
        "tip" => "Tip",
        "warning" => "Warning",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let spaced = kind.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes the opening markup; `kind` must already be class-safe.
pub(super) fn write_open(
    out: &mut dyn std::fmt::Write,
    kind: &str,
    title: &str,
) -> std::fmt::Result {
    write!(
        out,
        "<div class=\"admonition {kind}\">\n<p class=\"admonition-title\">"
    )?;
    comrak::html::escape(out, title)?;
    out.write_str("</p>\n")
}

/// Writes the closing markup.
pub(super) fn write_close(out: &mut dyn std::fmt::Write) -> std::fmt::Result {
    out.write_str("</div>\n")
}

/// Problems with the fences comrak parsed, as (1-based line of `text`, message): fences
/// that nothing closes (comrak ends them with their container or the document, and the
/// author should know), and bare `:::` openers, rendered as their content alone.
pub(super) fn fence_problems<'a>(root: &'a AstNode<'a>, text: &str) -> Vec<(usize, String)> {
    let directives: Vec<_> = root
        .descendants()
        .filter(|node| matches!(node.data().value, NodeValue::BlockDirective(_)))
        .collect();
    if directives.is_empty() {
        return Vec::new();
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(idx, _)| idx + 1))
        .collect();
    let line_text = |line: usize| -> &str {
        let Some(&start) = line.checked_sub(1).and_then(|idx| line_starts.get(idx)) else {
            return "";
        };
        let end = line_starts.get(line).copied().unwrap_or(text.len());
        text.get(start..end).unwrap_or("")
    };
    let mut problems = Vec::new();
    for node in directives {
        let ast = node.data();
        let NodeValue::BlockDirective(directive) = &ast.value else {
            continue;
        };
        if parse_info(&directive.info).is_none() {
            problems.push((
                ast.sourcepos.start.line,
                "`:::` opens a fence with no kind (expected e.g. `:::note`); its content is shown \
                 without a box"
                    .to_string(),
            ));
        }
        let end_line = ast.sourcepos.end.line;
        let (_, rest) = split_container_prefix(line_text(end_line).trim_end());
        let closed_by_own_fence = admonition_fence_len(rest)
            .is_some_and(|n_colons| n_colons >= directive.fence_length && rest[n_colons..].is_empty())
            // The last line may be the closing fence of a nested admonition instead.
            && !node.last_child().is_some_and(|child| {
                matches!(child.data().value, NodeValue::BlockDirective(_))
                    && child.data().sourcepos.end.line == end_line
            });
        if !closed_by_own_fence {
            problems.push((
                ast.sourcepos.start.line,
                "admonition fence is never closed, so it runs to the end of the page (or of its \
                 list item or quote); add a closing `:::` line"
                    .to_string(),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings() {
        let cases = [
            ("{note} Optional title", "note", "Optional title"),
            ("{note}", "note", "Note"),
            ("{seealso}", "seealso", "See also"),
            ("{admonition} My title", "note", "My title"),
            ("note", "note", "Note"),
            ("tip Title", "tip", "Title"),
            ("warning[Title]", "warning", "Title"),
            ("warning[Watch: out]", "warning", "Watch: out"),
            ("info", "info", "Info"),
            ("DANGER", "danger", "Danger"),
            ("{.caution}", "caution", "Caution"),
            ("custom-kind", "custom-kind", "Custom kind"),
            ("x<y", "x", "<y"),
        ];
        for (info, kind, title) in cases {
            let head = parse_info(info).expect("non-empty info is an admonition");
            assert_eq!(
                (head.kind.as_str(), head.title.as_str()),
                (kind, title),
                "info {info:?}"
            );
        }
        assert_eq!(parse_info("   "), None);
    }

    #[test]
    fn every_documented_kind_has_a_title() {
        let kinds = [
            ("note", "Note"),
            ("tip", "Tip"),
            ("hint", "Hint"),
            ("important", "Important"),
            ("warning", "Warning"),
            ("caution", "Caution"),
            ("danger", "Danger"),
            ("attention", "Attention"),
            ("error", "Error"),
            ("info", "Info"),
            ("seealso", "See also"),
            ("unknown", "Unknown"),
        ];
        for (kind, title) in kinds {
            assert_eq!(default_title(kind), title);
        }
    }

    fn check_prepared(input: &str, expected: &str, expected_warning_lines: &[usize]) {
        let prepared = prepare_source(input);
        assert_eq!(prepared.text.replace(COLON_STAND_IN, "¤"), expected);
        let lines: Vec<usize> = prepared.warnings.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, expected_warning_lines);
        assert_eq!(prepared.text.lines().count(), input.lines().count());
    }

    #[test]
    fn prepared_source() {
        // Nothing to fix: borrowed and unchanged.
        let plain = ":::note\ntext\n:::\n";
        assert!(matches!(prepare_source(plain).text, Cow::Borrowed(_)));
        check_prepared(plain, plain, &[]);
        // A colon in the title.
        check_prepared(
            ":::tip Note: this\nx\n:::\n",
            ":::tip Note¤ this\nx\n:::\n",
            &[],
        );
        // A fence inside a code block inside an admonition.
        check_prepared(
            ":::note\n```md\n:::tip\n:::\n```\n:::\n",
            ":::note\n```md\n¤::tip\n¤::\n```\n:::\n",
            &[],
        );
        // At top level comrak already keeps code blocks intact.
        check_prepared("```md\n:::tip\n```\n", "```md\n:::tip\n```\n", &[]);
        // A stray closing fence, and one shorter than the open fence.
        check_prepared("text\n:::\nmore\n", "text\n¤::\nmore\n", &[2]);
        check_prepared("::::note\n:::\n::::\n", "::::note\n¤::\n::::\n", &[2]);
        // Nesting by length; CRLF and quote prefixes.
        check_prepared(
            "::::{note}\r\n:::{tip}\r\n:::\r\n::::\r\n",
            "::::{note}\r\n:::{tip}\r\n:::\r\n::::\r\n",
            &[],
        );
        check_prepared(
            "> :::tip A: b\n> x\n> :::\n",
            "> :::tip A¤ b\n> x\n> :::\n",
            &[],
        );
        // MyST options are blanked; later lines that look alike are not.
        check_prepared(
            ":::{note}\n:class: dropdown\n:name: x\ntext\n:class: y\n:::\n",
            ":::{note}\n\n\ntext\n:class: y\n:::\n",
            &[],
        );
    }

    #[test]
    fn restores_colons_everywhere() {
        let input = "::::note\n```\n:::\n```\n::::\n";
        let prepared = prepare_source(input);
        assert!(prepared.has_stand_ins);
        let arena = comrak::Arena::new();
        let mut options = comrak::Options::default();
        options.extension.block_directive = true;
        let root = comrak::parse_document(&arena, &prepared.text, &options);
        restore_colons(root);
        let mut html = String::new();
        comrak::format_html(root, &options, &mut html).expect("writing to a String cannot fail");
        assert_eq!(
            html,
            "<div class=\"note\">\n<pre><code>:::\n</code></pre>\n</div>\n"
        );
    }
}

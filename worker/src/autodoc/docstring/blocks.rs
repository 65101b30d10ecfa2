//! reST constructs that markdown does not know, rewritten into markdown before a docstring
//! reaches the markdown renderer: doctest blocks (`>>>`) and `::` literal blocks become
//! fenced code, `.. code-block::` becomes a fence with its language, admonition directives
//! become GitHub alerts, underlined titles become bold lines (a docstring must not open new
//! page-level headings), and roles (`:class:`Foo``) become code spans. Everything else is
//! passed through untouched.

use std::borrow::Cow;

use super::{dedent, indent_of, is_blank};

/// Admonitions nest at most this deep; deeper ones stay text, so a hostile docstring
/// cannot recurse without bound.
const MAX_DIRECTIVE_DEPTH: usize = 8;

/// Rewrites docstring lines into markdown.
pub(super) fn to_markdown(lines: &[&str]) -> String {
    to_markdown_nested(lines, 0)
}

fn to_markdown_nested(lines: &[&str], depth: usize) -> String {
    let mut out = String::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let trimmed = line.trim_start();
        let indent = indent_of(line);

        // A markdown fence already: copy it to its closing fence.
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker = &trimmed[..3];
            push_line(&mut out, line);
            index += 1;
            while index < lines.len() {
                push_line(&mut out, lines[index]);
                index += 1;
                if lines[index - 1].trim_start().starts_with(marker) {
                    break;
                }
            }
            continue;
        }

        // A doctest block runs to the next blank line.
        if trimmed.starts_with(">>>") {
            let start = index;
            while index < lines.len() && !is_blank(lines[index]) {
                index += 1;
            }
            push_fence(&mut out, "python", &dedent(&lines[start..index]));
            continue;
        }

        if let Some(rest) = trimmed.strip_prefix(".. ")
            && let Some((name, argument)) = rest.split_once("::")
            && !name.contains(char::is_whitespace)
        {
            let (block, end) = indented_block(lines, index + 1, indent);
            if directive(&mut out, name.trim(), argument.trim(), &block, depth) {
                index = end;
                continue;
            }
        }

        // `text::` followed by an indented block: a literal block.
        if trimmed.ends_with("::") && !trimmed.starts_with("..") {
            let (block, end) = indented_block(lines, index + 1, indent);
            if !block.is_empty() {
                let text = trimmed.trim_end();
                let text = match text.strip_suffix("::") {
                    Some(before) if before.ends_with(char::is_whitespace) || before.is_empty() => {
                        before.trim_end()
                    }
                    // `Example::` reads as `Example:`.
                    _ => &text[..text.len() - 1],
                };
                if !text.is_empty() {
                    push_line(
                        &mut out,
                        &format!("{}{}", &line[..indent], roles_to_code(text)),
                    );
                }
                push_fence(&mut out, "", &block);
                index = end;
                continue;
            }
        }

        // An underlined title (`Usage\n-----`) becomes a bold line.
        if !is_blank(line)
            && let Some(next) = lines.get(index + 1)
            && is_underline(next, trimmed)
        {
            push_line(&mut out, &format!("**{}**", trimmed.trim_end()));
            out.push('\n');
            index += 2;
            continue;
        }

        if is_blank(line) {
            // Blocks written above end with a blank line already; one is enough.
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
        } else {
            push_line(&mut out, &roles_to_code(line));
        }
        index += 1;
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// Writes a fenced block whose fence is longer than any backtick run inside it.
fn push_fence(out: &mut String, language: &str, lines: &[&str]) {
    let longest_run = lines
        .iter()
        .map(|line| {
            line.split(|character| character != '`')
                .map(str::len)
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(&fence);
    out.push_str(language);
    out.push('\n');
    for line in lines {
        push_line(out, line);
    }
    out.push_str(&fence);
    out.push_str("\n\n");
}

/// The block indented deeper than `indent` from `start` on (blank lines inside allowed),
/// dedented, and the index after it.
fn indented_block<'a>(lines: &[&'a str], start: usize, indent: usize) -> (Vec<&'a str>, usize) {
    let mut end = start;
    let mut last_content = start;
    while end < lines.len() && (is_blank(lines[end]) || indent_of(lines[end]) > indent) {
        end += 1;
        if !is_blank(lines[end - 1]) {
            last_content = end;
        }
    }
    (dedent(&lines[start..last_content]), last_content)
}

/// Writes a directive's markdown. Returns false for directives left as text.
fn directive(out: &mut String, name: &str, argument: &str, block: &[&str], depth: usize) -> bool {
    let quotes = depth < MAX_DIRECTIVE_DEPTH;
    match name {
        "code-block" | "code" | "sourcecode" | "doctest" | "testcode" => {
            let language = if argument.is_empty() || matches!(name, "doctest" | "testcode") {
                "python"
            } else {
                argument
            };
            // Directive options (`:linenos:`) precede the code.
            let code_start = block
                .iter()
                .position(|line| !line.starts_with(':'))
                .unwrap_or(block.len());
            push_fence(out, language, &dedent(&block[code_start..]));
            true
        }
        "note" | "tip" | "hint" | "important" | "warning" | "attention" | "caution" | "danger"
        | "error"
            if quotes =>
        {
            let alert = match name {
                "note" => "NOTE",
                "tip" | "hint" => "TIP",
                "important" => "IMPORTANT",
                "warning" | "attention" => "WARNING",
                _ => "CAUTION",
            };
            let mut content: Vec<&str> = Vec::with_capacity(block.len() + 1);
            if !argument.is_empty() {
                content.push(argument);
            }
            content.extend(block.iter().copied());
            push_quote(out, &format!("[!{alert}]"), &content, depth);
            true
        }
        "seealso" | "todo" | "deprecated" | "versionadded" | "versionchanged"
        | "versionremoved"
            if quotes =>
        {
            let title = match name {
                "seealso" => "See also".to_owned(),
                "todo" => "Todo".to_owned(),
                "deprecated" => format!("Deprecated since version {argument}"),
                "versionadded" => format!("Added in version {argument}"),
                "versionchanged" => format!("Changed in version {argument}"),
                _ => format!("Removed in version {argument}"),
            };
            let mut content: Vec<&str> = Vec::with_capacity(block.len() + 1);
            if matches!(name, "seealso" | "todo") && !argument.is_empty() {
                content.push(argument);
            }
            content.extend(block.iter().copied());
            push_quote(out, &format!("**{}:**", title.trim_end()), &content, depth);
            true
        }
        _ => false,
    }
}

/// A blockquote whose first line is `first` and whose body is `content` as markdown.
fn push_quote(out: &mut String, first: &str, content: &[&str], depth: usize) {
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    push_line(out, &format!("> {first}"));
    for line in to_markdown_nested(content, depth + 1).lines() {
        if line.is_empty() {
            push_line(out, ">");
        } else {
            push_line(out, &format!("> {line}"));
        }
    }
    out.push('\n');
}

/// True when `line` underlines `title` reST-style: one punctuation character repeated,
/// at least three times and at least as long as the title.
fn is_underline(line: &str, title: &str) -> bool {
    let line = line.trim();
    let Some(first) = line.chars().next() else {
        return false;
    };
    matches!(first, '=' | '-' | '~' | '^' | '"' | '\'' | '*' | '+' | '#')
        && line.len() >= 3
        && line.chars().all(|character| character == first)
        && line.chars().count() >= title.trim_end().chars().count()
}

/// Rewrites reST roles (`:class:`~pkg.Foo``, `:func:`name <target>``) into code spans;
/// the Python domain's roles into code spans linked to `ssg-xref:<role>:<target>`, which
/// the page resolves (or unwraps) when it renders the docstring.
pub(super) fn roles_to_code(text: &str) -> Cow<'_, str> {
    rewrite_roles(text, "`")
}

/// Rewrites reST roles into their bare text, for types shown as code already.
pub(super) fn roles_to_plain(text: &str) -> Cow<'_, str> {
    rewrite_roles(text, "")
}

fn rewrite_roles<'a>(text: &'a str, quote: &str) -> Cow<'a, str> {
    if !text.contains(":`") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(tick) = rest.find(":`") {
        // The role name runs back from the `:` before the backtick to its opening `:`.
        let before = &rest[..tick];
        let role_start = before
            .char_indices()
            .rev()
            .find(|(_, character)| {
                !(character.is_ascii_alphanumeric()
                    || matches!(character, ':' | '_' | '-' | '+' | '.'))
            })
            .map_or(0, |(index, character)| index + character.len_utf8());
        let role = &before[role_start..];
        let Some(close) = rest[tick + 2..].find('`') else {
            break;
        };
        if !(role.starts_with(':') && role.len() > 1) {
            out.push_str(&rest[..tick + 2]);
            rest = &rest[tick + 2..];
            continue;
        }
        let content = &rest[tick + 2..tick + 2 + close];
        out.push_str(&rest[..role_start]);
        let shown = role_text(content);
        let role_name = role[1..].strip_prefix("py:").unwrap_or(&role[1..]);
        let target = role_target(content);
        let linked = !quote.is_empty()
            && PYTHON_ROLES.contains(&role_name)
            && crate::markdown::is_dotted_name(target)
            && !shown.contains('`');
        if linked {
            out.push_str("[`");
            out.push_str(&shown);
            out.push_str("`](");
            out.push_str(crate::markdown::XREF_SCHEME);
            out.push_str(role_name);
            out.push(':');
            out.push_str(target);
            out.push(')');
        } else {
            out.push_str(quote);
            out.push_str(&shown);
            out.push_str(quote);
        }
        rest = &rest[tick + 2 + close + 1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The Python domain's roles that name an object, linked when the name resolves.
const PYTHON_ROLES: &[&str] = &[
    "class", "func", "meth", "attr", "mod", "exc", "data", "obj", "const", "type",
];

/// What a role names: `title <target>` names the target, `!x` is not linked.
fn role_target(content: &str) -> &str {
    if let Some(open) = content.rfind(" <")
        && let Some(target) = content[open + 2..].strip_suffix('>')
    {
        return target.trim();
    }
    if content.starts_with('!') {
        // `!` means "do not link".
        return "";
    }
    content.trim()
}

/// What a role shows: `title <target>` shows the title, `~a.b.C` shows `C`, `!x` shows `x`.
fn role_text(content: &str) -> String {
    if let Some(open) = content.rfind(" <")
        && content.ends_with('>')
    {
        return content[..open].trim().to_owned();
    }
    let content = content.trim_start_matches('!');
    match content.strip_prefix('~') {
        Some(path) => path.rsplit('.').next().unwrap_or(path).to_owned(),
        None => content.to_owned(),
    }
}

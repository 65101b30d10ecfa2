//! The Markdown dialect of MkDocs sites (Python-Markdown + pymdown-extensions), read by
//! rewriting the source before comrak parses it:
//! 1. `snippets` includes `--8<--` files (which may contain any of what follows);
//! 2. `blocks` turns `!!!`, `???`, `===` and `///` blocks into raw-HTML wrappers around
//!    their Markdown bodies;
//! 3. for `mkdocs` sites, `source_extras` reads abbreviation definitions and opens
//!    `<div markdown>` blocks to Markdown.
//!
//! Lines are inserted and removed, so [`Prepared::line_map`] tells, for each line handed to
//! comrak, which line of the page it came from. Pages that use none of the syntax are
//! handed on borrowed, after a few substring scans.

mod block_syntax;
mod blocks;
mod inline;
mod snippets;
mod source_extras;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use protocol::MarkdownDialect;

pub(super) use inline::apply_inline_extras;
pub use snippets::{DiskSnippetFiles, SnippetFile, SnippetFiles};
pub(super) use source_extras::Abbreviations;

/// A snippet that cannot be included: the page fails with this error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetError {
    /// 1-based line of the page (counted from the start of the text rendered).
    pub line: u32,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

/// The source handed to comrak.
pub(super) struct Prepared<'t> {
    pub text: Cow<'t, str>,
    /// For each line of `text`, the 1-based line of the input; `None` when lines are the
    /// input's.
    pub line_map: Option<Vec<u32>>,
    /// (1-based input line, message).
    pub warnings: Vec<(u32, String)>,
    /// Files included, with their hashes.
    pub included_files: Vec<(String, u128)>,
    /// Abbreviations defined on the page (`mkdocs` sites).
    pub abbreviations: Abbreviations,
}

/// Applies the dialect's source rewrites to `text`.
pub(super) fn prepare<'t>(
    text: &'t str,
    dialect: &MarkdownDialect,
    files: Option<&dyn SnippetFiles>,
) -> Result<Prepared<'t>, SnippetError> {
    let mut prepared = Prepared {
        text: Cow::Borrowed(text),
        line_map: None,
        warnings: Vec::new(),
        included_files: Vec::new(),
        abbreviations: Abbreviations::default(),
    };
    if let Some(files) = files
        && text.contains("8<-")
    {
        let included = snippets::include(text, files)?;
        prepared.text = Cow::Owned(included.text);
        prepared.line_map = Some(included.line_map);
        prepared.included_files = included.files;
    }
    if has_block_syntax(&prepared.text) {
        let identity;
        let line_of: &[u32] = match &prepared.line_map {
            Some(map) => map,
            None => {
                identity = identity_map(&prepared.text);
                &identity
            }
        };
        let expanded = blocks::expand(&prepared.text, line_of);
        prepared.text = Cow::Owned(expanded.text);
        prepared.line_map = Some(expanded.line_map);
        prepared.warnings = expanded.warnings;
    }
    if dialect.mkdocs {
        source_extras::apply(&mut prepared);
    }
    Ok(prepared)
}

/// The `title="…"` of a code fence's info string (pymdownx.superfences), shown above the
/// code (`hl_lines` and `linenums` are drawn by `code_lines`).
pub(super) fn fence_title(info: &str) -> Option<&str> {
    let at = info.find("title=")?;
    if at > 0 && !info[..at].ends_with([' ', '{', '\t']) {
        return None;
    }
    let value = &info[at + "title=".len()..];
    let title = match value.chars().next()? {
        quote @ ('"' | '\'') => &value[1..1 + value[1..].find(quote)?],
        _ => value.split_whitespace().next()?.trim_end_matches('}'),
    };
    (!title.is_empty()).then_some(title)
}

/// True when a line may start one of `blocks`' openers.
fn has_block_syntax(text: &str) -> bool {
    text.contains("!!!") || text.contains("???") || text.contains("===") || text.contains("///")
}

/// Line `n` maps to line `n`.
fn identity_map(text: &str) -> Vec<u32> {
    (1..=u32::try_from(text.lines().count()).unwrap_or(u32::MAX)).collect()
}

//! Docstrings: cleaned like `inspect.cleandoc`, then split into a summary, a markdown body
//! and structured fields (parameters, returns, raises...).
//!
//! Three conventions are recognised, one per file: Google (`google.rs`, `Args:` headers),
//! NumPy (`numpy.rs`, titles underlined with `---`) and Sphinx/reST (`sphinx.rs`, `:param x:`
//! fields). A docstring that shows none of them, or markers of more than one, is kept as
//! plain markdown: guessing wrong would hide text, keeping it loses nothing. reST blocks that
//! markdown does not know (doctests, `::` literal blocks, directives) are rewritten by
//! `blocks.rs` in every case.

mod blocks;
mod google;
mod numpy;
mod see_also;
mod sphinx;

use super::signature::Signature;

/// A parsed docstring.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docstring {
    /// The cleaned text (`inspect.cleandoc`): what `help()` shows, used for plain text.
    pub text: String,
    /// The convention the docstring was parsed with.
    pub style: DocstringStyle,
    /// First paragraph, on one line.
    pub summary: String,
    /// Everything else that is not a structured section, as markdown.
    pub body: String,
    /// Parameters (`Args:`, `Parameters`, `:param x:`), keyword arguments included.
    pub params: Vec<DocField>,
    /// Return values; `name` is empty unless the docstring names them (NumPy).
    pub returns: Vec<DocField>,
    /// Yielded values, like `returns`.
    pub yields: Vec<DocField>,
    /// Exceptions: `name` is the exception type.
    pub raises: Vec<DocField>,
    /// Attributes (`Attributes:`, `:ivar x:`).
    pub attributes: Vec<DocField>,
    /// The `Examples` section as markdown (doctests fenced as Python).
    pub examples: String,
    /// Other titled sections (notes, warnings, see also...) in source order.
    pub sections: Vec<DocSection>,
}

/// Docstring convention.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DocstringStyle {
    /// No recognised convention: the whole text is markdown.
    #[default]
    Plain,
    /// Google style (`Args:` headers with indented entries).
    Google,
    /// NumPy style (titles underlined with dashes).
    Numpy,
    /// Sphinx/reST field lists (`:param x:`).
    Sphinx,
}

/// One documented parameter, return value, exception or attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocField {
    /// Name (exception type for raises; may be empty for returns).
    pub name: String,
    /// Type as written in the docstring, or filled from the signature's annotation.
    pub ty: Option<String>,
    /// Description as markdown.
    pub description: String,
}

/// A titled section that is not a field list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocSection {
    /// What the section is, for styling.
    pub kind: SectionKind,
    /// Title as written (`Notes`, `See Also`).
    pub title: String,
    /// Content as markdown.
    pub body: String,
}

/// Kind of a [`DocSection`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// `Note:`, `Notes`.
    Note,
    /// `Warning:`, `Warnings`.
    Warning,
    /// `See Also`.
    SeeAlso,
    /// `Todo`.
    Todo,
    /// `References`.
    References,
    /// Any other title.
    Other,
}

impl SectionKind {
    /// Stable lowercase name, used in CSS classes.
    pub fn slug(self) -> &'static str {
        match self {
            SectionKind::Note => "note",
            SectionKind::Warning => "warning",
            SectionKind::SeeAlso => "see-also",
            SectionKind::Todo => "todo",
            SectionKind::References => "references",
            SectionKind::Other => "other",
        }
    }
}

/// What a section title means, shared by the Google and NumPy parsers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Params,
    Returns,
    Yields,
    Raises,
    Attributes,
    Examples,
    Section(SectionKind),
}

/// Maps a section title (without colon or underline) to its meaning.
fn target_for_title(title: &str) -> Option<Target> {
    let target = match title {
        "Args" | "Arguments" | "Parameters" | "Params" | "Keyword Args" | "Keyword Arguments"
        | "Kwargs" | "Other Parameters" | "Other Params" => Target::Params,
        "Returns" | "Return" => Target::Returns,
        "Yields" | "Yield" => Target::Yields,
        "Raises" | "Raise" => Target::Raises,
        "Attributes" => Target::Attributes,
        "Example" | "Examples" => Target::Examples,
        "Note" | "Notes" => Target::Section(SectionKind::Note),
        "Warning" | "Warnings" | "Warns" => Target::Section(SectionKind::Warning),
        "See Also" | "See also" => Target::Section(SectionKind::SeeAlso),
        "Todo" => Target::Section(SectionKind::Todo),
        "References" => Target::Section(SectionKind::References),
        "Methods" | "Receives" => Target::Section(SectionKind::Other),
        _ => return None,
    };
    Some(target)
}

/// Cleans and parses a docstring.
pub fn parse_docstring(raw: &str) -> Docstring {
    let text = cleandoc(raw);
    let lines: Vec<&str> = text.lines().collect();
    let style = detect_style(&lines);
    let mut parts = Parts::default();
    match style {
        DocstringStyle::Plain => parts.free.extend(lines.iter().copied()),
        DocstringStyle::Google => google::parse(&lines, &mut parts),
        DocstringStyle::Numpy => numpy::parse(&lines, &mut parts),
        DocstringStyle::Sphinx => sphinx::parse(&lines, &mut parts),
    }
    parts.finish(&text, style)
}

/// One convention if exactly one shows; plain when none or several do.
fn detect_style(lines: &[&str]) -> DocstringStyle {
    let found = [
        (DocstringStyle::Google, google::detect(lines)),
        (DocstringStyle::Numpy, numpy::detect(lines)),
        (DocstringStyle::Sphinx, sphinx::detect(lines)),
    ];
    let mut styles = found
        .iter()
        .filter(|(_, detected)| *detected)
        .map(|(style, _)| *style);
    match (styles.next(), styles.next()) {
        (Some(style), None) => style,
        _ => DocstringStyle::Plain,
    }
}

/// What the style parsers produce: free text lines and structured pieces.
#[derive(Default)]
struct Parts<'a> {
    free: Vec<&'a str>,
    params: Vec<DocField>,
    returns: Vec<DocField>,
    yields: Vec<DocField>,
    raises: Vec<DocField>,
    attributes: Vec<DocField>,
    examples: Vec<String>,
    sections: Vec<DocSection>,
}

impl<'a> Parts<'a> {
    /// Adds a block of free text, separated from earlier free text by a blank line.
    fn push_free(&mut self, lines: &[&'a str]) {
        if lines.iter().all(|line| line.trim().is_empty()) {
            return;
        }
        if self.free.last().is_some_and(|line| !line.trim().is_empty()) {
            self.free.push("");
        }
        self.free.extend(lines.iter().copied());
    }

    /// Stores a section whose content is not a field list.
    fn push_text_section(&mut self, target: Target, title: &str, content: &[&str]) {
        let see_also = match target {
            Target::Section(SectionKind::SeeAlso) => see_also::see_also_lines(content),
            _ => None,
        };
        let body = match see_also {
            Some(lines) => {
                let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
                blocks::to_markdown(&lines)
            }
            None => blocks::to_markdown(content),
        };
        match target {
            Target::Examples => self.examples.push(body),
            Target::Section(kind) => self.sections.push(DocSection {
                kind,
                title: title.to_owned(),
                body,
            }),
            // Field sections are parsed by their style's parser, never stored as text.
            Target::Params
            | Target::Returns
            | Target::Yields
            | Target::Raises
            | Target::Attributes => {
                self.sections.push(DocSection {
                    kind: SectionKind::Other,
                    title: title.to_owned(),
                    body,
                });
            }
        }
    }

    /// The field list a target fills.
    fn fields_mut(&mut self, target: Target) -> Option<&mut Vec<DocField>> {
        match target {
            Target::Params => Some(&mut self.params),
            Target::Returns => Some(&mut self.returns),
            Target::Yields => Some(&mut self.yields),
            Target::Raises => Some(&mut self.raises),
            Target::Attributes => Some(&mut self.attributes),
            Target::Examples | Target::Section(_) => None,
        }
    }

    fn finish(self, text: &str, style: DocstringStyle) -> Docstring {
        let mut free = self.free.as_slice();
        while free.first().is_some_and(|line| line.trim().is_empty()) {
            free = &free[1..];
        }
        // The summary is the first paragraph, unless that paragraph is code or markup.
        let paragraph_len = free
            .iter()
            .position(|line| line.trim().is_empty())
            .unwrap_or(free.len());
        let starts_with_block = free.first().is_some_and(|line| {
            let line = line.trim_start();
            line.starts_with(">>>")
                || line.starts_with("```")
                || line.starts_with("..")
                || line.starts_with(['-', '*', '#', '|'])
        });
        let (summary, rest) = if paragraph_len > 0
            && !starts_with_block
            && !free[..paragraph_len]
                .iter()
                .any(|line| line.trim_end().ends_with("::"))
        {
            let summary = free[..paragraph_len]
                .iter()
                .map(|line| line.trim())
                .collect::<Vec<_>>()
                .join(" ");
            (
                blocks::roles_to_code(&summary).into_owned(),
                &free[paragraph_len..],
            )
        } else {
            (String::new(), free)
        };
        let rest_start = rest
            .iter()
            .position(|line| !line.trim().is_empty())
            .unwrap_or(rest.len());
        Docstring {
            text: text.to_owned(),
            style,
            summary,
            body: blocks::to_markdown(&rest[rest_start..]),
            params: self.params,
            returns: self.returns,
            yields: self.yields,
            raises: self.raises,
            attributes: self.attributes,
            examples: self.examples.join("\n\n"),
            sections: self.sections,
        }
    }
}

impl Docstring {
    /// Fills missing parameter and return types from a signature's annotations.
    pub(crate) fn fill_types(&mut self, signature: &Signature) {
        for param in &mut self.params {
            if param.ty.is_none() {
                param.ty = signature.annotation_of(&param.name).map(str::to_owned);
            }
        }
        if let [single] = self.returns.as_mut_slice()
            && single.ty.is_none()
        {
            single.ty.clone_from(&signature.returns);
        }
    }
}

/// `inspect.cleandoc`: tabs expanded, the first line stripped, the rest dedented by their
/// common indentation, blank lines removed at both ends.
pub fn cleandoc(raw: &str) -> String {
    let expanded;
    let raw = if raw.contains('\t') {
        expanded = expand_tabs(raw);
        expanded.as_str()
    } else {
        raw
    };
    let mut lines = raw.lines();
    let first = lines.next().unwrap_or("").trim();
    let rest: Vec<&str> = lines.collect();
    let margin = rest
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| indent_of(line))
        .min()
        .unwrap_or(0);
    let mut cleaned: Vec<&str> = Vec::with_capacity(rest.len() + 1);
    cleaned.push(first);
    for line in rest {
        cleaned.push(drop_indent(line, margin).trim_end());
    }
    let start = cleaned
        .iter()
        .position(|line| !line.is_empty())
        .unwrap_or(cleaned.len());
    let end = cleaned
        .iter()
        .rposition(|line| !line.is_empty())
        .map_or(start, |index| index + 1);
    cleaned[start..end].join("\n")
}

/// Tabs to spaces at 8-column stops, as Python's `str.expandtabs()`.
fn expand_tabs(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 16);
    let mut column = 0;
    for character in raw.chars() {
        match character {
            '\t' => {
                let spaces = 8 - column % 8;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\n' | '\r' => {
                out.push(character);
                column = 0;
            }
            _ => {
                out.push(character);
                column += 1;
            }
        }
    }
    out
}

/// Leading spaces of a line, in bytes (docstrings are cleaned of tabs first).
fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// `line` without up to `margin` bytes of leading whitespace, never splitting a character
/// (a line may be indented with non-ASCII whitespace where others use spaces).
fn drop_indent(line: &str, margin: usize) -> &str {
    let mut cut = 0;
    for (index, character) in line.char_indices() {
        if index >= margin || !character.is_whitespace() {
            break;
        }
        cut = index + character.len_utf8();
    }
    &line[cut..]
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Removes the common indentation of the non-blank lines, and blank lines at both ends.
fn dedent<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let start = lines
        .iter()
        .position(|line| !is_blank(line))
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|line| !is_blank(line))
        .map_or(start, |index| index + 1);
    let lines = &lines[start..end];
    let margin = lines
        .iter()
        .filter(|line| !is_blank(line))
        .map(|line| indent_of(line))
        .min()
        .unwrap_or(0);
    lines.iter().map(|line| drop_indent(line, margin)).collect()
}

/// Splits dedented field-list content into entries: a line at indentation 0 starts an entry,
/// deeper or blank lines continue it. Returns each entry's first line and its dedented
/// continuation lines.
fn split_entries<'a>(lines: &[&'a str]) -> Vec<(&'a str, Vec<&'a str>)> {
    let mut entries: Vec<(&'a str, Vec<&'a str>)> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        index += 1;
        if is_blank(line) {
            continue;
        }
        let start = index;
        while index < lines.len() && (is_blank(lines[index]) || indent_of(lines[index]) > 0) {
            index += 1;
        }
        entries.push((line.trim(), dedent(&lines[start..index])));
    }
    entries
}

/// Joins a field's first-line text and its continuation lines into markdown.
fn field_description(first: &str, continuation: &[&str]) -> String {
    let first = first.trim();
    if continuation.is_empty() {
        return blocks::to_markdown(&[first]);
    }
    let mut lines = Vec::with_capacity(continuation.len() + 1);
    if !first.is_empty() {
        lines.push(first);
    }
    lines.extend(continuation.iter().copied());
    blocks::to_markdown(&lines)
}

/// Byte index of the first `:` outside brackets that ends a field head (followed by
/// whitespace or the end of the line), so `url (str): see http://x` splits after `)`.
fn field_colon(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut depth = 0i32;
    for (index, byte) in bytes.iter().enumerate() {
        match byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b':' if depth <= 0
                && bytes
                    .get(index + 1)
                    .is_none_or(|next| next.is_ascii_whitespace()) =>
            {
                return Some(index);
            }
            _ => {}
        }
    }
    None
}

/// True when text before a colon reads as a type (`int`, `dict[str, int]`, `str | None`,
/// `int or None`, `list of str`) rather than the start of a sentence: words outside
/// brackets alternate with `|`, `or` or `of`.
fn looks_like_type(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() || text.ends_with('.') {
        return false;
    }
    let mut words: Vec<&str> = Vec::new();
    let mut depth = 0i32;
    let mut start = None;
    for (index, character) in text.char_indices() {
        match character {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 && character.is_whitespace() {
            if let Some(word_start) = start.take() {
                words.push(&text[word_start..index]);
            }
        } else if start.is_none() {
            start = Some(index);
        }
    }
    if let Some(word_start) = start {
        words.push(&text[word_start..]);
    }
    words.iter().enumerate().all(|(index, word)| {
        let is_connector = matches!(*word, "|" | "or" | "of");
        if index % 2 == 1 {
            is_connector
        } else {
            !is_connector
        }
    }) && words.len() % 2 == 1
}

/// A type as written in a docstring, with reST roles reduced to their text.
fn clean_type(ty: &str) -> Option<String> {
    let ty = ty.trim();
    if ty.is_empty() {
        return None;
    }
    Some(blocks::roles_to_plain(ty).into_owned())
}

#[cfg(test)]
mod tests;

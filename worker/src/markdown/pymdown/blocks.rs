//! The block syntax of Python-Markdown and pymdown-extensions, turned into raw-HTML wrappers
//! around Markdown that comrak then parses like any other page:
//!
//! - `!!! note "Title"` (admonition; `inline`, `inline end` and extra words are classes;
//!   `""` drops the title), with its body indented by four spaces;
//! - `??? note "Title"` / `???+` (pymdownx.details), a collapsed or open `<details>`;
//! - `=== "Label"` (pymdownx.tabbed): consecutive tabs form one tab set, `===!` starts a new
//!   set, `===+` selects the tab;
//! - `/// name | title` … `///` (pymdownx.blocks): `admonition` (`type:`), the admonition
//!   kinds (`note`, `warning`, …), `details` (`type:`, `open:`), `tab` (`new:`, `select:`)
//!   and `html | tag.class#id`, with their YAML-style options on indented lines right after
//!   the header.
//!
//! The markup is Material for MkDocs' (`admonition`, `details`, `tabbed-set`), which the
//! built-in theme styles without JavaScript. Tab labels and titles are text. Openers are
//! found line by line outside fenced code; an opener indented by four or more spaces counts
//! only inside a list (otherwise it is an indented code block, as in Python-Markdown).
//! Inserted lines map to the line that caused them, so every later line number stays true.

use std::fmt::Write as _;

use super::block_syntax::{
    Admonition, INDENT, OpenCodeFence, Tab, class_list, dedented, default_title, html_tag,
    indentation, is_list_item, parse_admonition, parse_fence, parse_tab, push_escaped,
};
use crate::markdown::code_fence::CodeFence;

/// Markdown with the blocks replaced, and where each of its lines came from.
pub(super) struct Expanded {
    pub text: String,
    /// For each line of `text`, the 1-based line of the input it came from.
    pub line_map: Vec<u32>,
    /// (1-based input line, message).
    pub warnings: Vec<(u32, String)>,
}

/// An open block, innermost last.
enum Open {
    /// A block whose body is indented by [`INDENT`] more columns than its opener.
    Indented {
        /// Source column the body starts at.
        body_col: usize,
        close: Close,
        /// Prefix of the markup (the opener's indentation after dedenting).
        prefix: String,
    },
    /// A `///` block, closed by a line of exactly as many slashes.
    Fenced {
        fence_len: usize,
        close: Close,
        prefix: String,
        line: u32,
    },
    /// A tab set, open while tabs follow each other.
    TabSet { style: TabStyle, prefix: String },
}

/// How a block ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Close {
    /// A closing tag, then a blank line.
    Tag(&'static str),
    /// A tab's content `</div>`, straight before the next tab or the set's end.
    Tab,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TabStyle {
    /// `=== "Label"`, at this source column.
    Indented(usize),
    /// `/// tab | Label`.
    Fenced,
}

/// A `///` opener whose option lines are still being read.
struct PendingFenced {
    fence_len: usize,
    name: String,
    title: Option<String>,
    options: Vec<(String, String)>,
    /// Source column of the header; option lines are indented further.
    col: usize,
    prefix: String,
    line: u32,
}

/// Replaces every block of the module docs in `text` (whose lines are numbered by
/// `line_of`) with its HTML wrapper.
pub(super) fn expand(text: &str, line_of: &[u32]) -> Expanded {
    let mut state = State {
        out: Expanded {
            text: String::with_capacity(text.len() + text.len() / 4),
            line_map: Vec::with_capacity(line_of.len() + 16),
            warnings: Vec::new(),
        },
        stack: Vec::new(),
        n_tab_sets: 0,
        n_tabs: 0,
        first_tab_line: None,
        pending_blanks: Vec::new(),
    };
    let mut code: Option<OpenCodeFence> = None;
    let mut pending: Option<PendingFenced> = None;
    let mut in_list = false;

    for (idx, raw_line) in text.lines().enumerate() {
        let line_no = line_of.get(idx).copied().unwrap_or(u32::MAX);
        let (col, rest) = indentation(raw_line);
        let blank = rest.is_empty();

        if let Some(open) = &mut pending {
            if !blank && col >= open.col + INDENT && rest.contains(':') {
                if let Some((key, value)) = rest.split_once(':') {
                    open.options
                        .push((key.trim().to_string(), value.trim().to_string()));
                }
                continue;
            }
            let open = pending.take().expect("checked above");
            state.open_fenced(open);
        }

        if blank {
            // Deferred, so that closing markup goes before the blank lines.
            state.pending_blanks.push(line_no);
            continue;
        }

        // Close what this line's indentation ends.
        let tab_continues = |style: TabStyle| match style {
            TabStyle::Indented(set_col) => {
                col == set_col && parse_tab(rest).is_some_and(|tab| !tab.new_set)
            }
            TabStyle::Fenced => {
                parse_fence(rest).is_some_and(|(_, name, _)| name.as_deref() == Some("tab"))
            }
        };
        loop {
            let must_close = match state.stack.last() {
                Some(Open::Indented { body_col, .. }) => col < *body_col,
                Some(Open::TabSet { style, .. }) => code.is_none() && !tab_continues(*style),
                Some(Open::Fenced { line, .. }) => {
                    let dedents = state.stack.iter().any(
                        |open| matches!(open, Open::Indented { body_col, .. } if col < *body_col),
                    );
                    if dedents {
                        let line = *line;
                        state.out.warnings.push((line, unclosed_fence_message()));
                    }
                    dedents
                }
                None => false,
            };
            if !must_close {
                break;
            }
            state.close_top(line_no);
            if code
                .as_ref()
                .is_some_and(|fence| fence.depth > state.stack.len())
            {
                code = None;
            }
        }

        let dedent = state.dedent();
        let Some(content) = dedented(raw_line, dedent) else {
            state.emit(line_no, rest);
            continue;
        };
        if let Some(fence) = &code {
            if fence.fence.is_closed_by(rest) {
                code = None;
            }
            state.emit(line_no, content);
            continue;
        }
        let rel_col = col - dedent;
        let prefix = " ".repeat(rel_col);
        let may_open = rel_col < INDENT || in_list;

        if may_open {
            if let Some(head) = parse_admonition(rest) {
                state.open_admonition(line_no, col, prefix, head);
                continue;
            }
            if let Some(tab) = parse_tab(rest) {
                state.open_indented_tab(line_no, col, prefix, tab);
                continue;
            }
            if let Some((fence_len, name, title)) = parse_fence(rest) {
                match name {
                    Some(name) => {
                        pending = Some(PendingFenced {
                            fence_len,
                            name,
                            title,
                            options: Vec::new(),
                            col,
                            prefix,
                            line: line_no,
                        });
                    }
                    None => state.close_fence(line_no, fence_len, rest),
                }
                continue;
            }
        }
        if let Some(fence) = CodeFence::opened_by(rest) {
            code = Some(OpenCodeFence {
                fence,
                depth: state.stack.len(),
            });
        }
        if is_list_item(rest) {
            in_list = true;
        } else if rel_col == 0 {
            in_list = false;
        }
        state.emit(line_no, content);
    }
    if let Some(open) = pending.take() {
        state.open_fenced(open);
    }
    let last_line = line_of.last().copied().unwrap_or(1);
    while let Some(open) = state.stack.last() {
        if let Open::Fenced { line, .. } = open {
            let line = *line;
            state.out.warnings.push((line, unclosed_fence_message()));
        }
        state.close_top(last_line);
    }
    state.flush_blanks();
    state.out.warnings.sort();
    state.out
}

fn unclosed_fence_message() -> String {
    "`///` block is never closed, so it runs to the end of its container; add a closing `///` \
     line"
        .to_string()
}

/// The output being written and the open blocks.
struct State {
    out: Expanded,
    stack: Vec<Open>,
    n_tab_sets: u32,
    n_tabs: u32,
    /// Byte offset in `out.text` of ` checked` in the current set's first tab.
    first_tab_line: Option<usize>,
    /// Blank input lines not written yet.
    pending_blanks: Vec<u32>,
}

impl State {
    /// Writes the pending blank lines, then `line`.
    fn emit(&mut self, line_no: u32, line: &str) {
        self.flush_blanks();
        self.emit_now(line_no, line);
    }

    /// Writes `line` before any pending blank line.
    fn emit_now(&mut self, line_no: u32, line: &str) {
        self.out.text.push_str(line);
        self.out.text.push('\n');
        self.out.line_map.push(line_no);
    }

    fn flush_blanks(&mut self) {
        for line_no in std::mem::take(&mut self.pending_blanks) {
            self.emit_now(line_no, "");
        }
    }

    /// Columns removed from every line: [`INDENT`] per open indented block.
    fn dedent(&self) -> usize {
        INDENT
            * self
                .stack
                .iter()
                .filter(|open| matches!(open, Open::Indented { .. }))
                .count()
    }

    fn close_top(&mut self, line_no: u32) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        match open {
            Open::Indented { close, prefix, .. } | Open::Fenced { close, prefix, .. } => {
                self.emit_now(line_no, "");
                match close {
                    Close::Tag(tag) => {
                        self.emit_now(line_no, &format!("{prefix}{tag}"));
                        self.emit_now(line_no, "");
                    }
                    Close::Tab => self.emit_now(line_no, &format!("{prefix}</div>")),
                }
            }
            Open::TabSet { prefix, .. } => {
                self.emit_now(line_no, &format!("{prefix}</div>"));
                self.emit_now(line_no, "");
                self.first_tab_line = None;
            }
        }
    }

    fn open_admonition(&mut self, line_no: u32, col: usize, prefix: String, head: Admonition) {
        let mut open = String::new();
        let classes = head.classes.join(" ");
        let title = head.title.unwrap_or_else(|| default_title(&head.classes));
        // pymdownx.blocks' untyped details: no class, "Details" as the summary.
        let title = if title.is_empty() && head.classes.is_empty() {
            "Details".to_string()
        } else {
            title
        };
        let close = if head.collapsible.is_some() {
            let open_attr = if head.collapsible == Some(true) {
                " open"
            } else {
                ""
            };
            let class_attr = if classes.is_empty() {
                String::new()
            } else {
                format!(" class=\"{classes}\"")
            };
            let _ = write!(open, "{prefix}<details{class_attr}{open_attr}>\n{prefix}");
            open.push_str("<summary>");
            push_escaped(&mut open, &title);
            open.push_str("</summary>");
            Close::Tag("</details>")
        } else {
            let _ = write!(open, "{prefix}<div class=\"admonition {classes}\">");
            if !title.is_empty() {
                let _ = write!(open, "\n{prefix}<p class=\"admonition-title\">");
                push_escaped(&mut open, &title);
                open.push_str("</p>");
            }
            Close::Tag("</div>")
        };
        for line in open.lines() {
            self.emit(line_no, line);
        }
        self.emit(line_no, "");
        self.stack.push(Open::Indented {
            body_col: col + INDENT,
            close,
            prefix,
        });
    }

    fn open_indented_tab(&mut self, line_no: u32, col: usize, prefix: String, tab: Tab) {
        let in_set = matches!(
            self.stack.last(),
            Some(Open::TabSet { style: TabStyle::Indented(set_col), .. }) if *set_col == col
        );
        if !in_set {
            self.open_tab_set(line_no, TabStyle::Indented(col), &prefix);
        }
        self.write_tab(line_no, &prefix, &tab.label, tab.select);
        self.stack.push(Open::Indented {
            body_col: col + INDENT,
            close: Close::Tab,
            prefix,
        });
    }

    fn open_tab_set(&mut self, line_no: u32, style: TabStyle, prefix: &str) {
        self.n_tab_sets += 1;
        self.n_tabs = 0;
        self.first_tab_line = None;
        self.emit(line_no, &format!("{prefix}<div class=\"tabbed-set\">"));
        self.stack.push(Open::TabSet {
            style,
            prefix: prefix.to_string(),
        });
    }

    fn write_tab(&mut self, line_no: u32, prefix: &str, label: &str, select: bool) {
        self.n_tabs += 1;
        if self.n_tabs == 1 {
            self.flush_blanks();
        }
        let id = format!("__tabbed_{}_{}", self.n_tab_sets, self.n_tabs);
        let checked = if self.n_tabs == 1 || select {
            if select && let Some(at) = self.first_tab_line.take() {
                self.out.text.replace_range(at..at + CHECKED.len(), "");
            }
            if self.n_tabs == 1 {
                self.first_tab_line = Some(self.out.text.len() + prefix.len() + INPUT_START.len());
            }
            CHECKED
        } else {
            ""
        };
        let mut line = format!(
            "{prefix}{INPUT_START}{checked} type=\"radio\" name=\"__tabbed_{}\" id=\"{id}\">\
             <label for=\"{id}\">",
            self.n_tab_sets
        );
        push_escaped(&mut line, label);
        line.push_str("</label><div class=\"tabbed-content\">");
        // A later tab goes straight after the last tab's `</div>`, so that comrak reads one
        // HTML block.
        self.emit_now(line_no, &line);
        self.emit(line_no, "");
    }

    fn open_fenced(&mut self, open: PendingFenced) {
        let PendingFenced {
            fence_len,
            name,
            title,
            options,
            col: _,
            prefix,
            line,
        } = open;
        let option = |key: &str| {
            options
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.trim_matches(['"', '\'']).to_string())
        };
        let is_true = |key: &str| option(key).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let close = match name.as_str() {
            "tab" => {
                let continues = matches!(
                    self.stack.last(),
                    Some(Open::TabSet {
                        style: TabStyle::Fenced,
                        ..
                    })
                );
                if continues && is_true("new") {
                    self.close_top(line);
                }
                if !continues || is_true("new") {
                    self.open_tab_set(line, TabStyle::Fenced, &prefix);
                }
                self.write_tab(
                    line,
                    &prefix,
                    title.as_deref().unwrap_or(""),
                    is_true("select"),
                );
                Close::Tab
            }
            "details" => {
                let kind = option("type").unwrap_or_default();
                let head = Admonition {
                    classes: class_list(&kind),
                    title: title.clone(),
                    collapsible: Some(is_true("open")),
                };
                self.write_admonition_head(line, &prefix, head)
            }
            "html" => {
                let spec = title.as_deref().unwrap_or("div");
                let (tag, attributes) = html_tag(spec);
                let (tag, close) = match HTML_CLOSERS.iter().find(|(name, _)| *name == tag) {
                    Some((name, close)) => (*name, *close),
                    None => {
                        self.out.warnings.push((
                            line,
                            format!(
                                "`/// html | {spec}`: `{tag}` is not a supported block tag; a \
                                 `div` is used instead"
                            ),
                        ));
                        ("div", "</div>")
                    }
                };
                self.emit(line, &format!("{prefix}<{tag}{attributes}>"));
                self.emit(line, "");
                Close::Tag(close)
            }
            kind => {
                let kind = if kind == "admonition" {
                    option("type").unwrap_or_else(|| "note".to_string())
                } else if ADMONITION_BLOCKS.contains(&kind) {
                    kind.to_string()
                } else {
                    self.out.warnings.push((
                        line,
                        format!(
                            "unknown block `/// {kind}`; known: admonition, details, tab, html, \
                             {}; it is shown as an admonition",
                            ADMONITION_BLOCKS.join(", ")
                        ),
                    ));
                    kind.to_string()
                };
                let head = Admonition {
                    classes: class_list(&kind),
                    title: title.clone(),
                    collapsible: None,
                };
                self.write_admonition_head(line, &prefix, head)
            }
        };
        self.stack.push(Open::Fenced {
            fence_len,
            close,
            prefix,
            line,
        });
    }

    /// Writes an admonition's or details' opening lines; returns how it closes.
    fn write_admonition_head(&mut self, line: u32, prefix: &str, head: Admonition) -> Close {
        // Reuses the indented opener's markup, then takes its stack entry back.
        self.open_admonition(line, 0, prefix.to_string(), head);
        match self.stack.pop() {
            Some(Open::Indented { close, .. }) => close,
            _ => Close::Tag("</div>"),
        }
    }

    /// A line of only slashes: closes the innermost `///` block of that length.
    fn close_fence(&mut self, line_no: u32, fence_len: usize, rest: &str) {
        let position = self.stack.iter().rposition(
            |open| matches!(open, Open::Fenced { fence_len: len, .. } if *len == fence_len),
        );
        match position {
            Some(position) => {
                while self.stack.len() > position {
                    if self.stack.len() > position + 1
                        && let Some(Open::Fenced { line, .. }) = self.stack.last()
                    {
                        let line = *line;
                        self.out.warnings.push((line, unclosed_fence_message()));
                    }
                    self.close_top(line_no);
                }
            }
            None => {
                self.out.warnings.push((
                    line_no,
                    format!(
                        "`{rest}` closes no open `///` block and is shown as text; remove it, or \
                         give it as many slashes as its opening line"
                    ),
                ));
                let mut escaped = String::from("\\");
                escaped.push_str(rest);
                self.emit(line_no, &escaped);
            }
        }
    }
}

const INPUT_START: &str = "<input";
const CHECKED: &str = " checked";
/// Admonition kinds `///` accepts as block names (pymdownx.blocks' defaults and Material's).
const ADMONITION_BLOCKS: &[&str] = &[
    "note",
    "attention",
    "caution",
    "danger",
    "error",
    "tip",
    "hint",
    "warning",
    "important",
    "info",
    "success",
    "question",
    "failure",
    "bug",
    "example",
    "quote",
    "abstract",
    "seealso",
];
/// Tags `/// html` may open, with their closing tags.
const HTML_CLOSERS: &[(&str, &str)] = &[
    ("div", "</div>"),
    ("section", "</section>"),
    ("aside", "</aside>"),
    ("article", "</article>"),
    ("figure", "</figure>"),
    ("figcaption", "</figcaption>"),
    ("header", "</header>"),
    ("footer", "</footer>"),
    ("nav", "</nav>"),
    ("main", "</main>"),
    ("blockquote", "</blockquote>"),
    ("center", "</center>"),
];

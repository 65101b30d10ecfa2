//! "See Also" sections (NumPy `name : description`, Google `name: description`, several
//! names separated by commas) rewritten into a markdown list whose names are cross-reference
//! links (`ssg-xref:obj:<name>`), resolved like a `:obj:` role where the docstring is
//! rendered: relative to its class and module, through re-exports, then the inventories.
//! A section that is not made of such entries (free prose) is left as it was.

use crate::markdown::{XREF_SCHEME, is_dotted_name};

/// The section's lines as a markdown list with linked names, or `None` when a line at the
/// section's own indentation is not an entry (names, optionally followed by a description).
pub(super) fn see_also_lines(content: &[&str]) -> Option<Vec<String>> {
    let mut lines = Vec::new();
    for line in content {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            // A description continued on an indented line.
            if lines.is_empty() {
                return None;
            }
            lines.push(format!("  {}", line.trim()));
            continue;
        }
        lines.push(format!("- {}", entry(line)?));
    }
    (!lines.is_empty()).then_some(lines)
}

/// One entry line: its names linked, its description after a colon; `None` when the head is
/// not a list of dotted names. A line that is a role (`:func:`x``) is kept as written (the
/// docstring reader links roles already).
fn entry(line: &str) -> Option<String> {
    let line = line.trim_end();
    if line.starts_with(':') {
        return Some(line.to_owned());
    }
    let (head, description) = match line.split_once(':') {
        Some((head, description)) => (head.trim(), Some(description.trim())),
        None => (line.trim(), None),
    };
    let mut linked = Vec::new();
    for name in head.split(',') {
        let name = name.trim();
        let bare = name.strip_suffix("()").unwrap_or(name);
        if !is_dotted_name(bare) || bare.starts_with(['~', '!']) {
            return None;
        }
        linked.push(format!("[`{name}`]({XREF_SCHEME}obj:{bare})"));
    }
    let mut out = linked.join(", ");
    if let Some(description) = description.filter(|text| !text.is_empty()) {
        out.push_str(": ");
        out.push_str(description);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::see_also_lines;

    #[test]
    fn numpy_and_google_entries_become_linked_list_items() {
        let numpy = ["other : Does the rest.", "a.b, c()", "    continued here"];
        assert_eq!(
            see_also_lines(&numpy).unwrap(),
            [
                "- [`other`](ssg-xref:obj:other): Does the rest.",
                "- [`a.b`](ssg-xref:obj:a.b), [`c()`](ssg-xref:obj:c)",
                "  continued here",
            ]
        );
        let google = ["pkg.run: Runs it.", "", ":func:`pkg.stop`"];
        assert_eq!(
            see_also_lines(&google).unwrap(),
            [
                "- [`pkg.run`](ssg-xref:obj:pkg.run): Runs it.",
                "- :func:`pkg.stop`",
            ]
        );
    }

    #[test]
    fn prose_is_left_alone() {
        assert_eq!(
            see_also_lines(&["The tutorial, which explains more."]),
            None
        );
        assert_eq!(see_also_lines(&["  indented first"]), None);
        assert_eq!(see_also_lines(&[]), None);
    }
}

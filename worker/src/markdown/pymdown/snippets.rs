//! `--8<--` snippets (pymdownx.snippets): a line `--8<-- "path"` is replaced by the file's
//! lines (indented like the marker line), before anything else is parsed, code blocks
//! included; snippets may include snippets.
//!
//! - `"file.md:name"` includes the lines between `--8<-- [start:name]` and
//!   `--8<-- [end:name]`; marker lines are always dropped;
//! - `"file.py:3:7"`, `"file.py:3"`, `"file.py:3:"`, `"file.py::7"`, comma-separated
//!   ranges: 1-based, inclusive line ranges;
//! - a block of paths between two bare `--8<--` lines includes each file;
//! - `;--8<--` is the marker written literally (one `;` removed).
//!
//! Paths are looked up in the site's snippet base paths through [`SnippetFiles`]. A missing
//! file or section is a [`SnippetError`] naming the line of the page that asked for it.
//! Every included line maps to that line.

use std::path::{Component, Path};

use super::SnippetError;

/// Most nested includes (a snippet including a snippet …).
const MAX_DEPTH: usize = 16;

/// Where snippet files come from.
pub trait SnippetFiles {
    /// Reads the snippet `requested` (as written in the page), or says why it cannot.
    fn read(&self, requested: &str) -> Result<SnippetFile, String>;
}

/// A snippet file that was found.
pub struct SnippetFile {
    /// Site-relative, `/`-separated path, recorded as a dependency of the page.
    pub path: String,
    /// The file's text.
    pub text: String,
    /// Hash of the file's bytes.
    pub hash: u128,
}

/// Snippet files on disk: `requested` is looked up in each base path (relative to the site
/// root) in turn, and must stay inside the site.
pub struct DiskSnippetFiles<'a> {
    /// The site root.
    pub site_root: &'a Path,
    /// Site-relative folders, in lookup order.
    pub base_paths: &'a [String],
}

impl SnippetFiles for DiskSnippetFiles<'_> {
    fn read(&self, requested: &str) -> Result<SnippetFile, String> {
        let requested_path = Path::new(requested);
        if requested_path.is_absolute()
            || requested_path
                .components()
                .any(|part| matches!(part, Component::ParentDir))
        {
            return Err("snippet paths may not be absolute or contain `..`".to_string());
        }
        let site_root = self
            .site_root
            .canonicalize()
            .map_err(|e| format!("cannot read the site folder: {e}"))?;
        for base in self.base_paths {
            let candidate = site_root.join(base).join(requested_path);
            let Ok(resolved) = candidate.canonicalize() else {
                continue;
            };
            // A symlink may lead out of the site: such a file is not a snippet.
            if !resolved.starts_with(&site_root) || !resolved.is_file() {
                continue;
            }
            let bytes =
                std::fs::read(&resolved).map_err(|e| format!("cannot read {requested}: {e}"))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("{requested} is not UTF-8; save it as UTF-8"))?;
            let hash = crate::outputs::content_hash(text.as_bytes());
            let path = resolved
                .strip_prefix(&site_root)
                .unwrap_or(&resolved)
                .to_string_lossy()
                .replace('\\', "/");
            return Ok(SnippetFile { path, text, hash });
        }
        Err(format!(
            "no such file in the snippet base paths ({})",
            self.base_paths.join(", ")
        ))
    }
}

/// The text with snippets included.
pub(super) struct Included {
    pub text: String,
    /// For each line of `text`, the 1-based line of the input it came from.
    pub line_map: Vec<u32>,
    /// (site-relative path, hash) of every file included, in order, without duplicates.
    pub files: Vec<(String, u128)>,
}

/// Includes every snippet `text` asks for.
pub(super) fn include(text: &str, files: &dyn SnippetFiles) -> Result<Included, SnippetError> {
    let mut included = Included {
        text: String::with_capacity(text.len() + 256),
        line_map: Vec::new(),
        files: Vec::new(),
    };
    let mut stack = Vec::new();
    include_into(text, "", None, files, &mut included, &mut stack)?;
    Ok(included)
}

/// Appends `text` (indented by `indent`) to `out`, including its snippets. `origin`: the
/// page line every line maps to, `None` for the page itself.
fn include_into(
    text: &str,
    indent: &str,
    origin: Option<u32>,
    files: &dyn SnippetFiles,
    out: &mut Included,
    stack: &mut Vec<String>,
) -> Result<(), SnippetError> {
    let mut in_block: Option<String> = None;
    for (idx, line) in text.lines().enumerate() {
        let line_no = origin.unwrap_or(u32::try_from(idx + 1).unwrap_or(u32::MAX));
        let trimmed = line.trim();
        let space = &line[..line.len() - line.trim_start().len()];
        if let Some(block_indent) = &in_block {
            if is_marker(trimmed) {
                in_block = None;
            } else if !trimmed.is_empty() && !trimmed.starts_with(';') {
                let block_indent = format!("{indent}{block_indent}");
                include_spec(trimmed, &block_indent, line_no, files, out, stack)?;
            }
            continue;
        }
        if section_marker(trimmed).is_some() {
            continue;
        }
        if let Some(unescaped) = trimmed.strip_prefix(';')
            && (is_marker(unescaped) || inline_spec(unescaped).is_some())
        {
            push_line(out, line_no, &format!("{indent}{space}{unescaped}"));
            continue;
        }
        if is_marker(trimmed) {
            in_block = Some(space.to_string());
            continue;
        }
        if let Some(spec) = inline_spec(trimmed) {
            include_spec(
                spec,
                &format!("{indent}{space}"),
                line_no,
                files,
                out,
                stack,
            )?;
            continue;
        }
        push_line(out, line_no, &format!("{indent}{line}"));
    }
    Ok(())
}

fn push_line(out: &mut Included, line_no: u32, line: &str) {
    out.text.push_str(line);
    out.text.push('\n');
    out.line_map.push(line_no);
}

/// Includes one snippet named by `spec` (`path`, `path:section`, `path:3:5`).
fn include_spec(
    spec: &str,
    indent: &str,
    line_no: u32,
    files: &dyn SnippetFiles,
    out: &mut Included,
    stack: &mut Vec<String>,
) -> Result<(), SnippetError> {
    if spec.starts_with("http://") || spec.starts_with("https://") {
        return Err(SnippetError {
            line: line_no,
            message: format!("snippet `{spec}` is a URL; remote snippets are not fetched"),
            hint: "copy the file into the site and include it by path".to_string(),
        });
    }
    let (path, selector) = split_selector(spec);
    let file = files.read(path).map_err(|why| SnippetError {
        line: line_no,
        message: format!("snippet `{path}` not found: {why}"),
        hint: "check the path (it is relative to a snippet base path, by default the site \
               root), or write `;--8<--` to show the marker as text"
            .to_string(),
    })?;
    if stack.contains(&file.path) || stack.len() >= MAX_DEPTH {
        return Err(SnippetError {
            line: line_no,
            message: format!(
                "snippet `{}` includes itself (through {})",
                file.path,
                stack.join(" → ")
            ),
            hint: "remove the `--8<--` line that closes the circle".to_string(),
        });
    }
    if !out.files.iter().any(|(known, _)| *known == file.path) {
        out.files.push((file.path.clone(), file.hash));
    }
    let selected = match selector {
        None => file.text.clone(),
        Some(selector) => select(&file.text, selector).ok_or_else(|| SnippetError {
            line: line_no,
            message: format!(
                "snippet `{spec}`: `{selector}` selects nothing in {}",
                file.path
            ),
            hint: "name a section marked `--8<-- [start:name]` … `--8<-- [end:name]`, or a \
                   line range such as `:3:7` inside the file"
                .to_string(),
        })?,
    };
    stack.push(file.path);
    let result = include_into(&selected, indent, Some(line_no), files, out, stack);
    stack.pop();
    result
}

/// `--8<--` (any number of dashes on each side) with nothing else.
fn is_marker(text: &str) -> bool {
    let Some((before, after)) = text.split_once("8<") else {
        return false;
    };
    !before.is_empty()
        && !after.is_empty()
        && before.bytes().all(|b| b == b'-')
        && after.bytes().all(|b| b == b'-')
}

/// The quoted path of `--8<-- "path"`.
fn inline_spec(text: &str) -> Option<&str> {
    let (marker, rest) = text.split_once([' ', '\t'])?;
    if !is_marker(marker) {
        return None;
    }
    let rest = rest.trim();
    let quote = rest.chars().next().filter(|ch| *ch == '"' || *ch == '\'')?;
    let spec = rest[1..].strip_suffix(quote)?;
    (!spec.is_empty()).then_some(spec)
}

/// `--8<-- [start:name]` / `--8<-- [end:name]` anywhere in a line (often inside a comment):
/// (is start, name).
fn section_marker(text: &str) -> Option<(bool, &str)> {
    let at = text.find("8<-")?;
    let after = text[at + 2..].trim_start_matches('-').trim_start();
    let inner = after.strip_prefix('[')?;
    let inner = &inner[..inner.find(']')?];
    let (kind, name) = inner.split_once(':')?;
    let is_start = match kind.trim() {
        "start" => true,
        "end" => false,
        _ => return None,
    };
    Some((is_start, name.trim()))
}

/// `path:selector` → (path, selector); a path without `:` has none.
fn split_selector(spec: &str) -> (&str, Option<&str>) {
    match spec.split_once(':') {
        Some((path, selector)) if !selector.is_empty() => (path, Some(selector)),
        Some((path, _)) => (path, None),
        None => (spec, None),
    }
}

/// The lines `selector` picks from `text`: a section name or line ranges.
fn select(text: &str, selector: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let is_section = selector
        .chars()
        .next()
        .is_some_and(|ch| ch.is_ascii_alphabetic())
        && selector
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
    let mut picked = String::new();
    if is_section {
        let mut inside = false;
        let mut found = false;
        for line in &lines {
            match section_marker(line.trim()) {
                Some((true, name)) if name == selector => {
                    inside = true;
                    found = true;
                }
                Some((false, name)) if name == selector => inside = false,
                Some(_) => {}
                None if inside => {
                    picked.push_str(line);
                    picked.push('\n');
                }
                None => {}
            }
        }
        return found.then_some(picked);
    }
    for range in selector.split(',') {
        let (start, end) = match range.split_once(':') {
            Some((start, end)) => (start.trim(), end.trim()),
            None => (range.trim(), range.trim()),
        };
        let parse = |text: &str, default: usize| -> Option<usize> {
            if text.is_empty() {
                Some(default)
            } else {
                text.parse().ok()
            }
        };
        let start = parse(start, 1)?.max(1);
        let end = parse(end, lines.len())?.min(lines.len());
        if start > end {
            return None;
        }
        for line in &lines[start - 1..end] {
            picked.push_str(line);
            picked.push('\n');
        }
    }
    Some(picked)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files from a table, as if read from the site.
    pub(crate) struct FakeFiles(pub Vec<(&'static str, &'static str)>);

    impl SnippetFiles for FakeFiles {
        fn read(&self, requested: &str) -> Result<SnippetFile, String> {
            self.0
                .iter()
                .find(|(path, _)| *path == requested)
                .map(|(path, text)| SnippetFile {
                    path: format!("docs/{path}"),
                    text: text.to_string(),
                    hash: text.len() as u128,
                })
                .ok_or_else(|| "no such file in docs".to_string())
        }
    }

    fn check(page: &str, expected: &str, expected_map: &[u32]) {
        let files = FakeFiles(vec![
            ("a.md", "A1\nA2\n"),
            (
                "code.py",
                "# --8<-- [start:func]\ndef f():\n    pass\n# --8<-- [end:func]\nx = 1\n",
            ),
            ("nested.md", "N\n--8<-- \"a.md\"\n"),
            ("loop.md", "--8<-- \"loop.md\"\n"),
        ]);
        let included = include(page, &files).expect("snippets resolve");
        assert_eq!(included.text, expected, "page:\n{page}");
        assert_eq!(included.line_map, expected_map, "page:\n{page}");
    }

    #[test]
    fn includes() {
        check("x\n--8<-- \"a.md\"\ny\n", "x\nA1\nA2\ny\n", &[1, 2, 2, 3]);
        check("  --8<-- 'a.md'\n", "  A1\n  A2\n", &[1, 1]);
        check(
            "```py\n--8<-- \"code.py:func\"\n```\n",
            "```py\ndef f():\n    pass\n```\n",
            &[1, 2, 2, 3],
        );
        check("--8<-- \"code.py:5\"\n", "x = 1\n", &[1]);
        check(
            "--8<-- \"code.py:2:3,5\"\n",
            "def f():\n    pass\nx = 1\n",
            &[1, 1, 1],
        );
        check(
            "--8<--\na.md\n;b.md\na.md\n--8<--\nz\n",
            "A1\nA2\nA1\nA2\nz\n",
            &[2, 2, 4, 4, 6],
        );
        check("--8<-- \"nested.md\"\n", "N\nA1\nA2\n", &[1, 1, 1]);
        check(";--8<-- \"a.md\"\n", "--8<-- \"a.md\"\n", &[1]);
        check("a --8<-- b\n", "a --8<-- b\n", &[1]);
    }

    #[test]
    fn errors_name_the_line() {
        let files = FakeFiles(vec![("loop.md", "--8<-- \"loop.md\"\n"), ("a.md", "A\n")]);
        let cases = [
            ("x\n\n--8<-- \"missing.md\"\n", 3, "not found"),
            ("--8<-- \"loop.md\"\n", 1, "includes itself"),
            ("x\n--8<-- \"a.md:nope\"\n", 2, "selects nothing"),
            ("--8<-- \"https://x.org/a.md\"\n", 1, "URL"),
        ];
        for (page, line, fragment) in cases {
            let Err(error) = include(page, &files) else {
                panic!("{page:?} should fail");
            };
            assert_eq!(error.line, line, "{page:?}");
            assert!(error.message.contains(fragment), "{}", error.message);
        }
    }
}

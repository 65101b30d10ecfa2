//! Reading an OpenAPI description from disk: the root file and every file its `$ref`s
//! reach (relative paths, kept inside the folder the build allows), each parsed as JSON or
//! YAML into a [`Node`] tree, then every `$ref` checked. A syntax error or a `$ref` that
//! leads nowhere is a [`ReferenceError`] with the file and line; the line of a dangling
//! `$ref` is found by looking for it in the file's text, since the trees keep no positions.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::node::Node;
use crate::reference::ReferenceError;

/// Most files one description may span.
const MAX_FILES: usize = 1_000;

/// One parsed file of a description.
pub(crate) struct SpecFile {
    /// Site-relative path, `/`-separated.
    pub(crate) display: String,
    pub(crate) root: Node,
}

/// Where a description comes from.
#[derive(Debug, Clone, Copy)]
pub struct SpecSource<'a> {
    /// The root file on disk.
    pub path: &'a Path,
    /// The root file relative to the site (`api/openapi.yaml`), for messages.
    pub display_path: &'a str,
    /// `$ref`s to other files must stay inside this folder (the site root).
    pub allowed_root: &'a Path,
}

/// A `$ref` split into its file part (resolved against the referring file) and pointer.
pub(crate) struct RefTarget {
    pub(crate) file: usize,
    pub(crate) pointer: String,
}

/// Every file of a description, the root first.
pub(crate) struct SpecFiles {
    pub(crate) files: Vec<SpecFile>,
    by_display: HashMap<String, usize>,
}

impl SpecFiles {
    /// Resolves a `$ref` written in file `from`; `None` if its file was not loaded.
    pub(crate) fn target(&self, from: usize, reference: &str) -> Option<RefTarget> {
        let (file_part, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file_part.is_empty() {
            from
        } else {
            let display = join_display(&self.files.get(from)?.display, file_part)?;
            *self.by_display.get(&display)?
        };
        Some(RefTarget {
            file,
            pointer: pointer.to_owned(),
        })
    }

    /// The node a `$ref` written in file `from` leads to.
    pub(crate) fn follow(&self, from: usize, reference: &str) -> Option<(RefTarget, &Node)> {
        let target = self.target(from, reference)?;
        let node = self.files.get(target.file)?.root.pointer(&target.pointer)?;
        Some((target, node))
    }
}

/// A file still to read: its display path, its disk path, and the file and `$ref` that
/// named it (`None` for the root).
type PendingFile = (String, PathBuf, Option<(usize, String)>);

/// Loads the description at `source` and every file it references.
pub(crate) fn load_files(source: &SpecSource<'_>) -> Result<SpecFiles, ReferenceError> {
    let allowed = source
        .allowed_root
        .canonicalize()
        .map_err(|error| ReferenceError {
            file: source.display_path.to_owned(),
            line: 1,
            message: format!("cannot read the site folder: {error}"),
            hint: "check that the site folder exists".to_owned(),
        })?;
    let root_display = source.display_path.replace('\\', "/");
    let mut files: Vec<SpecFile> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut by_display = HashMap::new();
    let mut queue: Vec<PendingFile> = vec![(root_display.clone(), source.path.to_owned(), None)];
    while let Some((display, disk, referrer)) = queue.pop() {
        if by_display.contains_key(&display) {
            continue;
        }
        let at_referrer = |message: String, hint: &str| match &referrer {
            Some((file, reference)) => ReferenceError {
                file: files[*file].display.clone(),
                line: line_of(&texts[*file], reference),
                message,
                hint: hint.to_owned(),
            },
            None => ReferenceError {
                file: display.clone(),
                line: 1,
                message,
                hint: hint.to_owned(),
            },
        };
        if files.len() >= MAX_FILES {
            return Err(at_referrer(
                format!("the description spans more than {MAX_FILES} files"),
                "bundle it into fewer files",
            ));
        }
        let canonical = disk.canonicalize().map_err(|error| {
            at_referrer(
                format!("`$ref` to `{display}`, which cannot be read: {error}"),
                "fix the path of the `$ref` (relative to the file that holds it)",
            )
        })?;
        if !canonical.starts_with(&allowed) {
            return Err(at_referrer(
                format!("`$ref` to `{display}`, outside the site"),
                "keep every file of the description inside the site folder",
            ));
        }
        let bytes = crate::limits::read_source(&canonical).map_err(|error| {
            at_referrer(
                format!("cannot read `{display}`: {error}"),
                crate::limits::read_hint(&error),
            )
        })?;
        let text = String::from_utf8(bytes).map_err(|_| ReferenceError {
            file: display.clone(),
            line: 1,
            message: "the file is not UTF-8".to_owned(),
            hint: "save it as UTF-8".to_owned(),
        })?;
        let root = parse(&display, &text)?;
        let index = files.len();
        by_display.insert(display.clone(), index);
        let mut references = Vec::new();
        collect_refs(&root, &mut references);
        for reference in references {
            let file_part = reference.split('#').next().unwrap_or("");
            if file_part.is_empty() {
                continue;
            }
            if file_part.contains("://") {
                return Err(ReferenceError {
                    file: display.clone(),
                    line: line_of(&text, &reference),
                    message: format!("`$ref: {reference}` points to the network"),
                    hint: "download the file into the site and refer to it by a relative path"
                        .to_owned(),
                });
            }
            let Some(target_display) = join_display(&display, file_part) else {
                return Err(ReferenceError {
                    file: display.clone(),
                    line: line_of(&text, &reference),
                    message: format!("`$ref: {reference}` leaves the site"),
                    hint: "keep every file of the description inside the site folder".to_owned(),
                });
            };
            if !by_display.contains_key(&target_display) {
                let target_disk = join_disk(&disk, file_part);
                queue.push((
                    target_display,
                    target_disk,
                    Some((index, reference.clone())),
                ));
            }
        }
        files.push(SpecFile { display, root });
        texts.push(text);
    }
    let spec_files = SpecFiles { files, by_display };
    check_refs(&spec_files, &texts)?;
    Ok(spec_files)
}

/// Parses one file as JSON (`.json`, or text starting with `{`) or YAML.
pub(crate) fn parse(display: &str, text: &str) -> Result<Node, ReferenceError> {
    let is_json = display.ends_with(".json")
        || (!display.ends_with(".yaml")
            && !display.ends_with(".yml")
            && text.trim_start().starts_with('{'));
    if is_json {
        serde_json::from_str::<Node>(text).map_err(|error| ReferenceError {
            file: display.to_owned(),
            line: u32::try_from(error.line()).unwrap_or(u32::MAX).max(1),
            message: format!("JSON syntax error: {error}"),
            hint: "fix the JSON at that line".to_owned(),
        })
    } else {
        serde_yaml_ng::from_str::<Node>(text).map_err(|error| ReferenceError {
            file: display.to_owned(),
            line: error.location().map_or(1, |location| {
                u32::try_from(location.line()).unwrap_or(u32::MAX)
            }),
            message: format!("YAML syntax error: {error}"),
            hint: "fix the YAML at that line".to_owned(),
        })
    }
}

/// Every `$ref` string in a tree, in document order.
fn collect_refs(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Object(entries) => {
            for (key, value) in entries.iter() {
                match (&**key, value) {
                    ("$ref", Node::String(reference)) => out.push(reference.to_string()),
                    // Examples are data: a `$ref` key inside one is not a reference.
                    ("example" | "examples" | "const" | "default" | "enum", _) => {}
                    _ => collect_refs(value, out),
                }
            }
        }
        Node::Array(items) => {
            for item in items.iter() {
                collect_refs(item, out);
            }
        }
        _ => {}
    }
}

/// Checks that every `$ref` of every file leads to a node.
fn check_refs(spec: &SpecFiles, texts: &[String]) -> Result<(), ReferenceError> {
    for (index, file) in spec.files.iter().enumerate() {
        let mut references = Vec::new();
        collect_refs(&file.root, &mut references);
        references.sort();
        references.dedup();
        for reference in references {
            if spec.follow(index, &reference).is_none() {
                return Err(ReferenceError {
                    file: file.display.clone(),
                    line: line_of(&texts[index], &reference),
                    message: format!("`$ref: {reference}` leads nowhere"),
                    hint: "fix the pointer after `#` (e.g. `#/components/schemas/Pet`) or \
                           define what it names"
                        .to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// 1-based line of the first `$ref` to `reference` in `text` (1 if not found).
fn line_of(text: &str, reference: &str) -> u32 {
    let mut search_from = 0;
    while let Some(found) = text[search_from..].find(reference) {
        let at = search_from + found;
        let line_start = text[..at].rfind('\n').map_or(0, |start| start + 1);
        if text[line_start..at].contains("$ref") {
            let line = text[..at].bytes().filter(|byte| *byte == b'\n').count() + 1;
            return u32::try_from(line).unwrap_or(u32::MAX);
        }
        search_from = at + reference.len().max(1);
    }
    1
}

/// The display path of `relative` seen from the file `from` (`api/a.yaml` + `../b.yaml` →
/// `b.yaml`); `None` when it climbs above the site.
fn join_display(from: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn join_disk(from: &Path, relative: &str) -> PathBuf {
    let mut path = from.parent().map(Path::to_path_buf).unwrap_or_default();
    for component in Path::new(relative).components() {
        match component {
            Component::ParentDir => {
                path.pop();
            }
            Component::Normal(part) => path.push(part),
            _ => {}
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_join_like_urls() {
        assert_eq!(
            join_display("api/openapi.yaml", "schemas/pet.yaml").as_deref(),
            Some("api/schemas/pet.yaml")
        );
        assert_eq!(
            join_display("api/a.yaml", "../b.yaml").as_deref(),
            Some("b.yaml")
        );
        assert_eq!(join_display("a.yaml", "../../b.yaml"), None);
    }

    #[test]
    fn line_of_finds_the_ref() {
        let text = "a: 1\nexample: '#/x'\nb:\n  $ref: '#/x'\n";
        assert_eq!(line_of(text, "#/x"), 4);
        assert_eq!(line_of(text, "#/missing"), 1);
    }
}

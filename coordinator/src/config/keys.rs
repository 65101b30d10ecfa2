//! Where a key of `ssg.toml` is, what it should have been, and how to say so.
//!
//! serde tells us *which* keys were ignored (through `serde_ignored`) and *where* a type error
//! happened (a byte span); the user wants a line and the table the key lives in. This module
//! walks the spanned TOML document (`toml::de::DeTable`) to turn a key path into a line, a
//! span into a key path, and an unknown key into the closest valid one.

use toml::de::{DeTable, DeValue};

/// Every key `ssg.toml` accepts, per table. The suggestion for an unknown key is taken from
/// the table it was found in, so `outptu_dir` in `[build]` suggests `output_dir`, not a
/// top-level key.
pub(super) const TOP_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "build",
    "autodoc",
    "taxonomies",
    "outputs",
    "versions",
    "markdown",
    "extra",
];
pub(super) const MARKDOWN_KEYS: &[&str] = &["dialect", "snippet_base_paths"];
pub(super) const VERSIONS_KEYS: &[&str] = &["latest", "latest_at_root", "labels"];
pub(super) const BUILD_KEYS: &[&str] = &[
    "content_dir",
    "output_dir",
    "paginate",
    "ignored_content",
    "cache_url",
];
pub(super) const AUTODOC_KEYS: &[&str] = &["python", "inventories", "openapi", "cli"];
pub(super) const CLI_KEYS: &[&str] = &["name", "path", "object", "framework", "url"];
pub(super) const OPENAPI_KEYS: &[&str] = &["name", "path", "url"];
pub(super) const INVENTORY_KEYS: &[&str] = &["url", "path", "base_url"];
pub(super) const PYTHON_KEYS: &[&str] = &[
    "name",
    "path",
    "url",
    "include_private",
    "merge_init_into_class",
    "source_url",
];
pub(super) const TAXONOMIES_KEYS: &[&str] = &["tags", "categories"];
pub(super) const OUTPUTS_KEYS: &[&str] = &[
    "html",
    "json",
    "txt",
    "sitemap",
    "search_index",
    "rss",
    "llm_full",
];

/// One step of a key path: a table key, or an index into an array of tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Segment {
    Key(String),
    Index(usize),
}

/// Converts the path `serde_ignored` reports into segments. `Some`/newtype wrappers are
/// serde's bookkeeping, not keys the user wrote, so they are dropped.
pub(super) fn segments_of(path: &serde_ignored::Path<'_>) -> Vec<Segment> {
    let mut reversed = Vec::new();
    let mut current = path;
    loop {
        match current {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Seq { parent, index } => {
                reversed.push(Segment::Index(*index));
                current = parent;
            }
            serde_ignored::Path::Map { parent, key } => {
                reversed.push(Segment::Key(key.clone()));
                current = parent;
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => current = parent,
        }
    }
    reversed.reverse();
    reversed
}

/// The byte span of the key at `path` (its last segment must be a key), found by walking
/// the document. `None` when the path does not exist in it.
pub(super) fn key_span(root: &DeTable<'_>, path: &[Segment]) -> Option<std::ops::Range<usize>> {
    let (last, parents) = path.split_last()?;
    let Segment::Key(last_key) = last else {
        return None;
    };
    let mut value: Option<&DeValue<'_>> = None;
    let mut table = root;
    for segment in parents {
        let next = match (segment, value) {
            (Segment::Key(key), _) => table.get(key.as_str()).map(|spanned| spanned.get_ref()),
            (Segment::Index(index), Some(DeValue::Array(array))) => {
                array.get(*index).map(|spanned| spanned.get_ref())
            }
            (Segment::Index(_), _) => None,
        }?;
        if let DeValue::Table(inner) = next {
            table = inner;
        }
        value = Some(next);
    }
    table
        .get_key_value(last_key.as_str())
        .map(|(key, _)| key.span())
}

/// The path of the innermost key whose value contains byte `offset`: the key a type error
/// at that offset is about. A `[table]`'s span is its header only, so every entry is
/// searched rather than only those whose parent contains the offset.
pub(super) fn path_at(root: &DeTable<'_>, offset: usize) -> Vec<Segment> {
    let mut path = Vec::new();
    search_table(root, offset, &mut path);
    path
}

fn search_table(table: &DeTable<'_>, offset: usize, path: &mut Vec<Segment>) -> bool {
    for (key, value) in table.iter() {
        path.push(Segment::Key(key.get_ref().to_string()));
        if search_value(value.get_ref(), value.span(), offset, path) {
            return true;
        }
        path.pop();
    }
    false
}

fn search_value(
    value: &DeValue<'_>,
    span: std::ops::Range<usize>,
    offset: usize,
    path: &mut Vec<Segment>,
) -> bool {
    let found_inside = match value {
        DeValue::Table(table) => search_table(table, offset, path),
        DeValue::Array(array) => array.iter().enumerate().any(|(index, element)| {
            path.push(Segment::Index(index));
            let found = search_value(element.get_ref(), element.span(), offset, path);
            if !found {
                path.pop();
            }
            found
        }),
        _ => false,
    };
    found_inside || span.contains(&offset)
}

/// The path of the table holding the last key of `path`, and the names in it (array
/// indexes left out: `autodoc.python[0].name` is in `["autodoc", "python"]`).
fn table_of(path: &[Segment]) -> (&[Segment], Vec<&str>) {
    let parents = path.split_last().map(|(_, parents)| parents).unwrap_or(&[]);
    let keys = parents
        .iter()
        .filter_map(|segment| match segment {
            Segment::Key(key) => Some(key.as_str()),
            Segment::Index(_) => None,
        })
        .collect();
    (parents, keys)
}

/// How the table holding the last key of `path` is written in TOML: `[build]`,
/// `[[autodoc.python]]`, or `None` at the top level.
pub(super) fn table_label(path: &[Segment]) -> Option<String> {
    let (parents, keys) = table_of(path);
    if keys.is_empty() {
        return None;
    }
    let joined = keys.join(".");
    match parents.last() {
        Some(Segment::Index(_)) => Some(format!("[[{joined}]]")),
        _ => Some(format!("[{joined}]")),
    }
}

/// The keys valid in the table holding the last key of `path`.
pub(super) fn valid_keys(path: &[Segment]) -> &'static [&'static str] {
    let (_, keys) = table_of(path);
    match keys.as_slice() {
        [] => TOP_KEYS,
        ["build"] => BUILD_KEYS,
        ["autodoc"] => AUTODOC_KEYS,
        ["autodoc", "python"] => PYTHON_KEYS,
        ["autodoc", "inventories"] => INVENTORY_KEYS,
        ["autodoc", "openapi"] => OPENAPI_KEYS,
        ["autodoc", "cli"] => CLI_KEYS,
        ["taxonomies"] => TAXONOMIES_KEYS,
        ["outputs"] => OUTPUTS_KEYS,
        ["versions"] => VERSIONS_KEYS,
        ["markdown"] => MARKDOWN_KEYS,

        _ => &[],
    }
}

/// The valid key closest to `unknown`, if one is close enough to be a plausible typo: at
/// most a third of the key's length in edits (transpositions count as one), or the same key
/// in another case.
pub(super) fn closest<'a>(unknown: &str, valid: &[&'a str]) -> Option<&'a str> {
    let unknown_lower = unknown.to_lowercase();
    let max_distance = (unknown.chars().count() / 3).max(1);
    valid
        .iter()
        .map(|candidate| (strsim::osa_distance(&unknown_lower, candidate), *candidate))
        .filter(|(distance, _)| *distance <= max_distance)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// 1-based line of byte `offset` in `text`.
pub(super) fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let newlines = text.as_bytes()[..end]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// Message and hint for a key the configuration does not know.
pub(super) fn describe_unknown_key(path: &[Segment], n_unknown: usize) -> (String, Option<String>) {
    let key = match path.last() {
        Some(Segment::Key(key)) => key.as_str(),
        _ => "?",
    };
    let table = table_label(path);
    let valid = valid_keys(path);
    let mut message = format!("unknown key `{key}`");
    if let Some(table) = &table {
        message.push_str(&format!(" in {table}"));
    }
    let suggestion = closest(key, valid);
    if let Some(suggestion) = suggestion {
        message.push_str(&format!(" (did you mean `{suggestion}`?)"));
    }
    let mut hints = Vec::new();
    if suggestion.is_none() && !valid.is_empty() {
        let where_ = table.as_deref().unwrap_or("the top level");
        hints.push(format!("valid keys in {where_}: {}", valid.join(", ")));
    }
    match n_unknown {
        0 | 1 => {}
        2 => hints.push("1 more unknown key follows".to_string()),
        n => hints.push(format!("{} more unknown keys follow", n - 1)),
    }
    (message, (!hints.is_empty()).then(|| hints.join("; ")))
}

/// Rewrites serde's type error (`invalid type: integer `5`, expected a string`) to name the
/// key and the table, in words a site author uses.
pub(super) fn describe_type_error(
    serde_message: &str,
    path: &[Segment],
) -> (String, Option<String>) {
    let serde_message = serde_message.trim_end();
    let key = path.iter().rev().find_map(|segment| match segment {
        Segment::Key(key) => Some(key.as_str()),
        Segment::Index(_) => None,
    });
    if let Some(field) = serde_message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        // The span of a missing field is the table that lacks it; `path` ends inside it.
        let mut table_path = path.to_vec();
        table_path.push(Segment::Key(field.to_string()));
        let table = table_label(&table_path).unwrap_or_else(|| "the top level".to_string());
        let hint = if table == "[[autodoc.python]]" {
            "every [[autodoc.python]] entry needs `name` (the import name, `mypkg`) and `path` (the package folder, `src/mypkg`)".to_string()
        } else {
            format!("add `{field} = ...` to {table}")
        };
        return (format!("missing key `{field}` in {table}"), Some(hint));
    }
    let friendly = match serde_message.strip_prefix("invalid type: ") {
        Some(rest) => match rest.split_once(", expected ") {
            Some((found, expected)) => {
                let found = match found {
                    "map" => "a table",
                    "sequence" => "an array",
                    other => other,
                };
                format!("expected {}, found {found}", friendly_type(expected))
            }
            None => serde_message.to_string(),
        },
        None => serde_message.to_string(),
    };
    let message = match key {
        Some(key) => match table_label(path) {
            Some(table) => format!("`{key}` in {table}: {friendly}"),
            None => format!("`{key}`: {friendly}"),
        },
        None => friendly,
    };
    (message, None)
}

/// serde's name of an expected type, as a site author would say it.
fn friendly_type(expected: &str) -> String {
    if expected.starts_with("struct ") {
        return "a table".to_string();
    }
    match expected {
        "i64" | "u32" | "u64" | "i32" => "an integer".to_string(),
        "a sequence" => "an array".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_keys() {
        for (unknown, expected) in [
            ("titel", Some("title")),
            ("Title", Some("title")),
            ("baseurl", Some("base_url")),
            ("langauge", Some("language")),
            ("theme", None),
            ("x", None),
        ] {
            assert_eq!(closest(unknown, TOP_KEYS), expected, "{unknown}");
        }
        assert_eq!(closest("outptu_dir", BUILD_KEYS), Some("output_dir"));
        assert_eq!(closest("search-index", OUTPUTS_KEYS), Some("search_index"));
    }

    #[test]
    fn labels() {
        let key = |k: &str| Segment::Key(k.to_string());
        assert_eq!(table_label(&[key("title")]), None);
        assert_eq!(
            table_label(&[key("build"), key("x")]).as_deref(),
            Some("[build]")
        );
        assert_eq!(
            table_label(&[key("autodoc"), key("python"), Segment::Index(1), key("x")]).as_deref(),
            Some("[[autodoc.python]]")
        );
    }
}

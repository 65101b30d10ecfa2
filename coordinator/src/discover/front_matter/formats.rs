//! YAML and TOML front matter to [`Entry`]s: each top-level key with its value as JSON and
//! the line of the file it is on.
//!
//! JSON is the common shape because unknown keys end up in `FrontMatter::params` as JSON
//! anyway, and it lets `fields` check the built-in fields once for both syntaxes. Lines are
//! file lines (the block's own lines shifted by where it starts), so every error points at
//! what the author sees in their editor.

use super::FrontMatterError;
use serde_json::Value;
use toml::de::{DeTable, DeValue};

/// One top-level key of the front matter.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    pub(super) key: String,
    /// 1-based file line of the key.
    pub(super) line: u32,
    pub(super) value: Value,
}

/// Parses a YAML block whose first line is file line `first_line`.
pub(super) fn yaml_entries(block: &str, first_line: u32) -> Result<Vec<Entry>, FrontMatterError> {
    let mut document: serde_yaml_ng::Value = serde_yaml_ng::from_str(block).map_err(|error| {
        let message = error.to_string();
        let line = duplicate_key_line(&message, block, first_line).or_else(|| {
            let location = error.location()?;
            Some(first_line + u32::try_from(location.line()).ok()?.saturating_sub(1))
        });
        FrontMatterError {
            line: Some(line.unwrap_or(first_line)),
            message: format!("invalid YAML front matter: {}", without_locations(&message)),
            hint: Some(
                "front matter between `---` lines must be YAML `key: value` lines; quote values that contain `: ` or `#`, or start with `{`, `[`, `*`, `&`, `!`, `%` or `@`".to_string(),
            ),
        }
    })?;
    // `<<: *anchor` merges are YAML's, not keys of ours.
    document.apply_merge().map_err(|error| FrontMatterError {
        line: Some(first_line),
        message: format!(
            "invalid YAML front matter: {}",
            without_locations(&error.to_string())
        ),
        hint: None,
    })?;
    let mapping = match document {
        serde_yaml_ng::Value::Null => return Ok(Vec::new()),
        serde_yaml_ng::Value::Mapping(mapping) => mapping,
        other => {
            return Err(FrontMatterError {
                line: Some(first_line),
                message: format!(
                    "front matter must be `key: value` pairs, not {}",
                    describe_yaml(&other)
                ),
                hint: Some(
                    "write one `key: value` per line between the `---` lines, such as `title: Install`".to_string(),
                ),
            });
        }
    };
    let key_lines = yaml_key_lines(block, first_line);
    let mut entries = Vec::with_capacity(mapping.len());
    for (key, value) in mapping {
        let key = yaml_key(&key).ok_or_else(|| FrontMatterError {
            line: Some(first_line),
            message: format!(
                "front matter keys must be text, not {}",
                describe_yaml(&key)
            ),
            hint: None,
        })?;
        let line = key_lines
            .iter()
            .find(|(name, _)| *name == key)
            .map_or(first_line, |(_, line)| *line);
        entries.push(Entry {
            key,
            line,
            value: yaml_to_json(value),
        });
    }
    Ok(entries)
}

/// Parses a TOML block whose first line is file line `first_line`.
pub(super) fn toml_entries(block: &str, first_line: u32) -> Result<Vec<Entry>, FrontMatterError> {
    let table = DeTable::parse(block).map_err(|error| FrontMatterError {
        line: Some(first_line + error.span().map_or(0, |span| newlines_before(block, span.start))),
        message: format!("invalid TOML front matter: {}", error.message().trim_end()),
        hint: Some(
            "front matter between `+++` lines must be TOML `key = value` lines; strings need quotes".to_string(),
        ),
    })?;
    Ok(table
        .get_ref()
        .iter()
        .map(|(key, value)| Entry {
            key: key.get_ref().to_string(),
            line: first_line + newlines_before(block, key.span().start),
            value: toml_to_json(value.get_ref()),
        })
        .collect())
}

/// The parser places a duplicate key at the start of the mapping; the second occurrence
/// is what the author has to remove, so point there.
fn duplicate_key_line(message: &str, block: &str, first_line: u32) -> Option<u32> {
    let key = message
        .strip_prefix("duplicate entry with key \"")?
        .split('"')
        .next()?;
    yaml_key_lines(block, first_line)
        .into_iter()
        .filter(|(name, _)| name == key)
        .nth(1)
        .map(|(_, line)| line)
}

fn newlines_before(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    u32::try_from(
        text.as_bytes()[..end]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count(),
    )
    .unwrap_or(u32::MAX)
}

/// The file line of every top-level key of a YAML block. The YAML parser does not keep
/// positions in its values, but top-level keys of block mappings start at column 0, which
/// is all front matter uses; a key not found here (flow style) gets the block's first line.
fn yaml_key_lines(block: &str, first_line: u32) -> Vec<(String, u32)> {
    let mut key_lines = Vec::new();
    for (index, line) in block.lines().enumerate() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || matches!(first, '#' | '-' | '?' | '{' | '[' | '%') {
            continue;
        }
        let key = match first {
            '"' | '\'' => line[1..]
                .find(first)
                .map(|end| line[1..1 + end].to_string()),
            _ => line
                .find(": ")
                .or_else(|| line.trim_end().strip_suffix(':').map(str::len))
                .map(|end| line[..end].trim_end().to_string()),
        };
        if let Some(key) = key {
            let line_number = first_line + u32::try_from(index).unwrap_or(u32::MAX - first_line);
            key_lines.push((key, line_number));
        }
    }
    key_lines
}

fn yaml_key(key: &serde_yaml_ng::Value) -> Option<String> {
    match key {
        serde_yaml_ng::Value::String(text) => Some(text.clone()),
        serde_yaml_ng::Value::Number(number) => Some(number.to_string()),
        serde_yaml_ng::Value::Bool(flag) => Some(flag.to_string()),
        serde_yaml_ng::Value::Tagged(tagged) => yaml_key(&tagged.value),
        _ => None,
    }
}

fn describe_yaml(value: &serde_yaml_ng::Value) -> &'static str {
    match value {
        serde_yaml_ng::Value::Null => "nothing",
        serde_yaml_ng::Value::Bool(_) => "true/false",
        serde_yaml_ng::Value::Number(_) => "a number",
        serde_yaml_ng::Value::String(_) => "text",
        serde_yaml_ng::Value::Sequence(_) => "a list",
        serde_yaml_ng::Value::Mapping(_) => "a mapping",
        serde_yaml_ng::Value::Tagged(tagged) => describe_yaml(&tagged.value),
    }
}

/// YAML to JSON, keeping the structure. Tags (`!foo x`) are dropped, keeping the value;
/// non-finite floats, which JSON cannot hold, become their YAML spelling as text.
fn yaml_to_json(value: serde_yaml_ng::Value) -> Value {
    match value {
        serde_yaml_ng::Value::Null => Value::Null,
        serde_yaml_ng::Value::Bool(flag) => Value::Bool(flag),
        serde_yaml_ng::Value::Number(number) => {
            if let Some(integer) = number.as_i64() {
                Value::from(integer)
            } else if let Some(integer) = number.as_u64() {
                Value::from(integer)
            } else {
                let float = number.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(float)
                    .map_or_else(|| Value::String(number.to_string()), Value::Number)
            }
        }
        serde_yaml_ng::Value::String(text) => Value::String(text),
        serde_yaml_ng::Value::Sequence(items) => {
            Value::Array(items.into_iter().map(yaml_to_json).collect())
        }
        serde_yaml_ng::Value::Mapping(mapping) => Value::Object(
            mapping
                .into_iter()
                .map(|(key, value)| {
                    let key = yaml_key(&key).unwrap_or_else(|| {
                        serde_yaml_ng::to_string(&key)
                            .unwrap_or_default()
                            .trim_end()
                            .to_string()
                    });
                    (key, yaml_to_json(value))
                })
                .collect(),
        ),
        serde_yaml_ng::Value::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

/// TOML to JSON, keeping the structure. Dates and times become their TOML text
/// (`2024-05-01T10:00:00Z`), which `fields` normalises for `date`.
fn toml_to_json(value: &DeValue<'_>) -> Value {
    match value {
        DeValue::String(text) => Value::String(text.to_string()),
        DeValue::Integer(integer) => match i64::from_str_radix(integer.as_str(), integer.radix()) {
            Ok(integer) => Value::from(integer),
            Err(_) => Value::String(integer.to_string()),
        },
        DeValue::Float(float) => float
            .as_str()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::String(float.to_string()), Value::Number),
        DeValue::Boolean(flag) => Value::Bool(*flag),
        DeValue::Datetime(datetime) => Value::String(datetime.to_string()),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| toml_to_json(item.get_ref()))
                .collect(),
        ),
        DeValue::Table(table) => Value::Object(
            table
                .iter()
                .map(|(key, value)| (key.get_ref().to_string(), toml_to_json(value.get_ref())))
                .collect(),
        ),
    }
}

/// Removes the parser's ` at line L column C` / ` at position N` from a YAML error message:
/// they count from the start of the front matter block, not of the file, so they would
/// contradict the file line the error is reported on.
fn without_locations(message: &str) -> String {
    let mut cleaned = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" at ") {
        cleaned.push_str(&rest[..at]);
        let after = &rest[at + " at ".len()..];
        match skip_location(after) {
            Some(remaining) => rest = remaining,
            None => {
                cleaned.push_str(" at ");
                rest = after;
            }
        }
    }
    cleaned.push_str(rest);
    cleaned
}

/// If `text` starts with `line L column C` or `position N`, the text after it.
fn skip_location(text: &str) -> Option<&str> {
    fn skip_number(text: &str) -> Option<&str> {
        let rest = text.trim_start_matches(|ch: char| ch.is_ascii_digit());
        (rest.len() < text.len()).then_some(rest)
    }
    if let Some(rest) = text.strip_prefix("line ") {
        let rest = skip_number(rest)?;
        return skip_number(rest.strip_prefix(" column ")?);
    }
    skip_number(text.strip_prefix("position ")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_error_locations_are_removed() {
        for (message, expected) in [
            (
                "mapping values are not allowed in this context at line 2 column 4",
                "mapping values are not allowed in this context",
            ),
            (
                "did not find expected key at line 3 column 1, while parsing a block mapping at line 1 column 1",
                "did not find expected key, while parsing a block mapping",
            ),
            ("unknown anchor at position 12", "unknown anchor"),
            ("look at this", "look at this"),
        ] {
            assert_eq!(without_locations(message), expected);
        }
    }

    #[test]
    fn yaml_keys_are_found_on_their_lines() {
        let block = "title: A\n\"quoted key\": 1\n'single': 2\nlist:\n  - nested: 3\n# comment: 4\nempty:\nurl: http://x\n";
        assert_eq!(
            yaml_key_lines(block, 2),
            [
                ("title".to_string(), 2),
                ("quoted key".to_string(), 3),
                ("single".to_string(), 4),
                ("list".to_string(), 5),
                ("empty".to_string(), 8),
                ("url".to_string(), 9),
            ]
        );
    }
}

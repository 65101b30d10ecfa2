//! The built-in front matter fields: type checks, the conversions authors rely on, and date
//! normalisation. Every other key goes to `params` untouched.
//!
//! Lenient where the intent is clear (a YAML number as a title, a comma-separated string of
//! tags), strict where a guess could be wrong (`draft: "yes"` is an error, not `true`).

use super::FrontMatter;
use super::FrontMatterError;
use super::formats::Entry;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use serde_json::Value;

/// Builds [`FrontMatter`] from the entries of a block, checking each built-in field.
pub(super) fn front_matter(entries: Vec<Entry>) -> Result<FrontMatter, FrontMatterError> {
    let mut front_matter = FrontMatter::default();
    for entry in entries {
        match entry.key.as_str() {
            "title" => front_matter.title = text(&entry)?,
            "description" => front_matter.description = text(&entry)?,
            "slug" => front_matter.slug = text(&entry)?,
            "url" => front_matter.url = text(&entry)?,
            "template" => front_matter.template = text(&entry)?,
            "date" => front_matter.date = date(&entry)?,
            "draft" => front_matter.draft = boolean(&entry)?.unwrap_or(false),
            "toc" => front_matter.toc = boolean(&entry)?,
            "weight" => front_matter.weight = integer(&entry)?,
            "aliases" => front_matter.aliases = list(&entry, Split::Whole)?,
            "tags" => front_matter.tags = list(&entry, Split::Commas)?,
            "categories" => front_matter.categories = list(&entry, Split::Commas)?,
            _ => {
                front_matter.params.insert(entry.key, entry.value);
            }
        }
    }
    Ok(front_matter)
}

/// How a value was written, for error messages.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".to_string(),
        Value::Bool(flag) => format!("`{flag}`"),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) => format!("the text {text:?}"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
    }
}

fn wrong_type(entry: &Entry, expected: &str, hint: String) -> FrontMatterError {
    FrontMatterError {
        line: Some(entry.line),
        message: format!(
            "`{}` must be {expected}, not {}",
            entry.key,
            describe(&entry.value)
        ),
        hint: Some(hint),
    }
}

/// A scalar as text: numbers and booleans are what YAML made of unquoted text such as
/// `title: 1984`. Empty text counts as absent, so a blank title falls back to the heading.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn text(entry: &Entry) -> Result<Option<String>, FrontMatterError> {
    match &entry.value {
        Value::Null => Ok(None),
        Value::Array(_) | Value::Object(_) => Err(wrong_type(
            entry,
            "text",
            format!("write `{}: some text` on one line", entry.key),
        )),
        scalar => Ok(scalar_text(scalar).filter(|text| !text.is_empty())),
    }
}

fn boolean(entry: &Entry) -> Result<Option<bool>, FrontMatterError> {
    match &entry.value {
        Value::Null => Ok(None),
        Value::Bool(flag) => Ok(Some(*flag)),
        _ => Err(wrong_type(
            entry,
            "true or false",
            format!(
                "write `{key}: true` or `{key}: false`, without quotes",
                key = entry.key
            ),
        )),
    }
}

fn integer(entry: &Entry) -> Result<i64, FrontMatterError> {
    let whole = match &entry.value {
        Value::Null => Some(0),
        Value::Number(number) => number.as_i64(),
        _ => None,
    };
    whole.ok_or_else(|| {
        wrong_type(
            entry,
            "a whole number",
            format!("write a number without quotes, such as `{}: 10`", entry.key),
        )
    })
}

/// Whether a single string is one item or a comma-separated list.
#[derive(Clone, Copy)]
enum Split {
    Whole,
    Commas,
}

fn list(entry: &Entry, split: Split) -> Result<Vec<String>, FrontMatterError> {
    let hint = || match split {
        Split::Commas => format!(
            "write a list, such as `{key}: [a, b]`, or a comma-separated text, such as `{key}: \"a, b\"`",
            key = entry.key
        ),
        Split::Whole => format!("write a list, such as `{}: [/old/path/]`", entry.key),
    };
    let expected = "a list of text";
    match &entry.value {
        Value::Null => Ok(Vec::new()),
        Value::String(text) => Ok(match split {
            Split::Commas => text
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_string)
                .collect(),
            Split::Whole => [text.trim()]
                .into_iter()
                .filter(|item| !item.is_empty())
                .map(str::to_string)
                .collect(),
        }),
        Value::Array(items) => {
            let mut texts = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Array(_) | Value::Object(_) => {
                        return Err(FrontMatterError {
                            line: Some(entry.line),
                            message: format!(
                                "`{}` must be {expected}, but an item is {}",
                                entry.key,
                                describe(item)
                            ),
                            hint: Some(hint()),
                        });
                    }
                    scalar => texts.extend(scalar_text(scalar).filter(|text| !text.is_empty())),
                }
            }
            Ok(texts)
        }
        _ => Err(wrong_type(entry, expected, hint())),
    }
}

fn date(entry: &Entry) -> Result<Option<String>, FrontMatterError> {
    let hint = "write a date such as `2024-05-01`, `2024-05-01 10:00` or `2024-05-01T10:00:00Z`";
    match &entry.value {
        Value::Null => Ok(None),
        Value::String(text) if text.trim().is_empty() => Ok(None),
        Value::String(text) => normalise_date(text)
            .map(Some)
            .map_err(|reason| FrontMatterError {
                line: Some(entry.line),
                message: format!("`date` {:?} is not a date: {reason}", text.trim()),
                hint: Some(hint.to_string()),
            }),
        _ => Err(wrong_type(entry, "a date", hint.to_string())),
    }
}

/// Normalises a date to RFC 3339: `2024-05-01` stays a date; a datetime with an offset
/// becomes `2024-05-01T10:00:00Z` or `2024-05-01T10:00:00+02:00`; one without becomes the
/// civil `2024-05-01T10:00:00`. Accepts a space for the `T`, minutes without seconds, a
/// space before the offset (`2024-05-01 10:00:00 +0200`, as Jekyll writes) and RFC 2822
/// (`Wed, 01 May 2024 10:00:00 +0000`). The error is the parser's reason.
pub(super) fn normalise_date(text: &str) -> Result<String, String> {
    let text = text.trim();
    let joined;
    let candidate = match text.rsplit_once(' ') {
        Some((datetime, offset))
            if datetime.contains(':')
                && (offset.starts_with(['+', '-']) || offset == "Z" || offset == "UTC") =>
        {
            joined = format!("{datetime}{}", if offset == "UTC" { "Z" } else { offset });
            joined.as_str()
        }
        _ => text,
    };
    let pieces = match Pieces::parse(candidate) {
        Ok(pieces) => pieces,
        Err(error) => {
            return match jiff::fmt::rfc2822::parse(text) {
                Ok(zoned) => Ok(format!(
                    "{}{}",
                    zoned.datetime(),
                    offset_text(zoned.offset().seconds())
                )),
                Err(_) => Err(error.to_string()),
            };
        }
    };
    let Some(time) = pieces.time() else {
        return Ok(pieces.date().to_string());
    };
    let datetime = pieces.date().to_datetime(time);
    Ok(match pieces.offset() {
        None => datetime.to_string(),
        Some(PiecesOffset::Zulu) => format!("{datetime}Z"),
        Some(offset) => format!(
            "{datetime}{}",
            offset_text(offset.to_numeric_offset().seconds())
        ),
    })
}

/// An RFC 3339 offset: `Z` for UTC, else `+HH:MM`.
fn offset_text(seconds: i32) -> String {
    if seconds == 0 {
        return "Z".to_string();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{Expected, check};
    use super::*;
    use serde_json::json;

    #[test]
    fn fields() {
        use Expected::Parsed;
        let cases: Vec<(&str, Expected)> = vec![
            (
                "---\ntitle: \" Spaced \"\ndescription: 42\ndate: 2024-05-01\ndraft: false\nweight: -3\n\
                 slug: Web/API/Foo\nurl: /x/\ntemplate: page.html\naliases: /old/\ntags: a, b ,, c\n\
                 categories: [x, 2024]\ntoc: true\n---\n",
                Parsed(
                    |f| {
                        f.title = Some("Spaced".into());
                        f.description = Some("42".into());
                        f.date = Some("2024-05-01".into());
                        f.weight = -3;
                        f.slug = Some("Web/API/Foo".into());
                        f.url = Some("/x/".into());
                        f.template = Some("page.html".into());
                        f.aliases = vec!["/old/".into()];
                        f.tags = vec!["a".into(), "b".into(), "c".into()];
                        f.categories = vec!["x".into(), "2024".into()];
                        f.toc = Some(true);
                    },
                    "",
                    15,
                ),
            ),
            (
                "---\ntitle: true\n---\n",
                Parsed(|f| f.title = Some("true".into()), "", 4),
            ),
            ("---\ntitle:\ntags:\ndraft:\n---\n", Parsed(|_| {}, "", 6)),
            ("---\ntitle: '   '\n---\n", Parsed(|_| {}, "", 4)),
            (
                "---\ndate: 2024-05-01 10:00\n---\n",
                Parsed(|f| f.date = Some("2024-05-01T10:00:00".into()), "", 4),
            ),
            (
                "---\ndate: 2024-05-01T10:00:00+02:00\n---\n",
                Parsed(|f| f.date = Some("2024-05-01T10:00:00+02:00".into()), "", 4),
            ),
            (
                "+++\ndate = 2024-05-01T10:00:00Z\n+++\n",
                Parsed(|f| f.date = Some("2024-05-01T10:00:00Z".into()), "", 4),
            ),
            (
                "+++\ndate = 2024-05-01\n+++\n",
                Parsed(|f| f.date = Some("2024-05-01".into()), "", 4),
            ),
            (
                "+++\ndate = 2024-05-01 10:00:00\n+++\n",
                Parsed(|f| f.date = Some("2024-05-01T10:00:00".into()), "", 4),
            ),
            (
                "+++\ndate = '2024-05-01'\n+++\n",
                Parsed(|f| f.date = Some("2024-05-01".into()), "", 4),
            ),
            // MDN keys go to params with their structure; `browser-compat` is a string or a list.
            (
                "---\ntitle: \"Element: touchend event\"\nslug: Web/API/Element/touchend_event\npage-type: web-api-event\n\
                 browser-compat:\n  - api.A\n  - api.B\nsidebar: apiref\nstatus:\n  - experimental\nspec: {a: 1, b: [true, 1.5]}\n---\n",
                Parsed(
                    |f| {
                        f.title = Some("Element: touchend event".into());
                        f.slug = Some("Web/API/Element/touchend_event".into());
                        f.params = json!({
                            "page-type": "web-api-event",
                            "browser-compat": ["api.A", "api.B"],
                            "sidebar": "apiref",
                            "status": ["experimental"],
                            "spec": {"a": 1, "b": [true, 1.5]},
                        })
                        .as_object()
                        .cloned()
                        .unwrap_or_default();
                    },
                    "",
                    13,
                ),
            ),
            (
                "+++\ntitle = 'T'\nextra = { n = 1, when = 1979-05-27 }\n[nested]\nk = ['v']\n+++\n",
                Parsed(
                    |f| {
                        f.title = Some("T".into());
                        f.params = json!({"extra": {"n": 1, "when": "1979-05-27"}, "nested": {"k": ["v"]}})
                            .as_object()
                            .cloned()
                            .unwrap_or_default();
                    },
                    "",
                    7,
                ),
            ),
            (
                "---\nbase: &b {x: 1}\n<<: *b\ntitle: !custom Tagged\n---\n",
                Parsed(
                    |f| {
                        f.title = Some("Tagged".into());
                        f.params = json!({"base": {"x": 1}, "x": 1})
                            .as_object()
                            .cloned()
                            .unwrap_or_default();
                    },
                    "",
                    6,
                ),
            ),
        ];
        for (source, expected) in cases {
            check(source, expected);
        }
    }

    #[test]
    fn dates() {
        for (input, expected) in [
            ("2024-05-01", Ok("2024-05-01")),
            (" 2024-05-01 ", Ok("2024-05-01")),
            ("2024-05-01T10:00:00Z", Ok("2024-05-01T10:00:00Z")),
            ("2024-05-01t10:00:00z", Ok("2024-05-01T10:00:00Z")),
            ("2024-05-01T10:00:00+00:00", Ok("2024-05-01T10:00:00Z")),
            ("2024-05-01T10:00:00-00:00", Ok("2024-05-01T10:00:00Z")),
            ("2024-05-01T10:00:00+02:00", Ok("2024-05-01T10:00:00+02:00")),
            ("2024-05-01T10:00:00-0530", Ok("2024-05-01T10:00:00-05:30")),
            (
                "2024-05-01T10:00:00.250+01:00",
                Ok("2024-05-01T10:00:00.25+01:00"),
            ),
            ("2024-05-01 10:00", Ok("2024-05-01T10:00:00")),
            ("2024-05-01T10:00", Ok("2024-05-01T10:00:00")),
            ("2024-05-01 10:00:00", Ok("2024-05-01T10:00:00")),
            ("2024-05-01 10:00:00 +0200", Ok("2024-05-01T10:00:00+02:00")),
            ("2024-05-01 10:00:00 UTC", Ok("2024-05-01T10:00:00Z")),
            (
                "Wed, 01 May 2024 10:00:00 +0000",
                Ok("2024-05-01T10:00:00Z"),
            ),
            (
                "Wed, 01 May 2024 10:00:00 -0700",
                Ok("2024-05-01T10:00:00-07:00"),
            ),
            ("2024-13-01", Err("month")),
            ("2024-02-30", Err("day")),
            ("May 1", Err("year")),
            ("10:00:00", Err("")),
        ] {
            match (normalise_date(input), expected) {
                (Ok(actual), Ok(expected)) => assert_eq!(actual, expected, "{input:?}"),
                (Err(reason), Err(expected)) => {
                    assert!(reason.contains(expected), "{input:?}: {reason}");
                }
                (actual, expected) => panic!("{input:?}: got {actual:?}, want {expected:?}"),
            }
        }
    }
}

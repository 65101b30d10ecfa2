//! Front matter: splitting YAML (`---`) or TOML (`+++`) front matter from the body, parsing
//! it into [`FrontMatter`], and finding a title in the body when front matter has none.
//!
//! Real files are messier than the two-delimiter ideal (see `shared/samples/README.md`):
//! a UTF-8 BOM, CRLF line endings, delimiters with trailing spaces, and Kubernetes pages with
//! HTML comments (and blank lines) before the opening `---`, as Hugo accepts. Those are
//! skipped; anything else before a delimiter means the file has no front matter, so a `---`
//! thematic break in a body is never mistaken for one.
//!
//! Submodules: `formats` turns the YAML or TOML text into keyed values with their file
//! lines, `fields` checks and normalises the built-in fields (and dates), `heading` finds a
//! title in the body.
// Used by ops::build once integrated.

mod fields;
mod formats;
mod heading;

#[cfg(test)]
mod fuzz_tests;

/// Parsed front matter. Unknown keys go to `params`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `date`, normalised to RFC 3339: `2024-05-01` stays a date, a datetime becomes
    /// `2024-05-01T10:00:00Z` (or with its offset).
    pub date: Option<String>,
    /// `draft`.
    pub draft: bool,
    /// `weight`.
    pub weight: i64,
    /// `slug`: replaces the last URL segment.
    pub slug: Option<String>,
    /// `url`: replaces the whole URL path.
    pub url: Option<String>,
    /// `aliases`: URL paths that redirect here.
    pub aliases: Vec<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `categories`.
    pub categories: Vec<String>,
    /// `template`.
    pub template: Option<String>,
    /// `toc`.
    pub toc: Option<bool>,
    /// Every other key.
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// A markdown file split into front matter and body.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSource<'a> {
    /// The front matter (default when the file has none).
    pub front_matter: FrontMatter,
    /// The body after the closing delimiter.
    pub body: &'a str,
    /// 1-based line of the file on which `body` starts.
    pub body_first_line: u32,
}

/// Front matter that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// 1-based line in the file, when known.
    pub line: Option<u32>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

/// Splits and parses a markdown file's text.
///
/// Errors name the line in the file: the opening delimiter of an unclosed block, the line a
/// YAML or TOML error is on, or the line of a built-in field with a value of the wrong type.
pub fn parse(source: &str) -> Result<ParsedSource<'_>, FrontMatterError> {
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    let Some(opening) = find_opening(text) else {
        return Ok(ParsedSource {
            front_matter: FrontMatter::default(),
            body: text,
            body_first_line: 1,
        });
    };
    let delimiter = opening.format.delimiter();
    let Some(closing) = find_closing(text, &opening) else {
        return Err(FrontMatterError {
            line: Some(opening.line),
            message: format!("front matter opened with `{delimiter}` is never closed"),
            hint: Some(match opening.format {
                Format::Yaml => "add a `---` line after the front matter; if this `---` is meant as a horizontal rule, put some text above it".to_string(),
                Format::Toml => "add a `+++` line after the front matter".to_string(),
            }),
        });
    };
    let block = &text[opening.content_start..closing.start];
    let first_line = opening.line + 1;
    let entries = match opening.format {
        Format::Yaml => formats::yaml_entries(block, first_line)?,
        Format::Toml => formats::toml_entries(block, first_line)?,
    };
    Ok(ParsedSource {
        front_matter: fields::front_matter(entries)?,
        body: &text[closing.body_start..],
        body_first_line: closing.line + 1,
    })
}

/// The text of the first level-1 heading of `body` outside code fences: an ATX `# Title`
/// (closing `#`s removed) or a setext `Title` underlined with `===`, with inline markup
/// (emphasis, code spans, links) reduced to its text. `None` when there is none.
pub fn first_heading(body: &str) -> Option<String> {
    heading::first_heading(body)
}

/// The two front matter syntaxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Toml,
}

impl Format {
    fn delimiter(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }
}

/// Where the front matter starts.
struct Opening {
    format: Format,
    /// 1-based line of the opening delimiter.
    line: u32,
    /// Byte offset of the line after it.
    content_start: usize,
}

/// Where the front matter ends.
struct Closing {
    /// Byte offset of the closing delimiter line.
    start: usize,
    /// 1-based line of the closing delimiter.
    line: u32,
    /// Byte offset of the line after it: the body.
    body_start: usize,
}

/// The line starting at `offset` (without its `\n` or `\r\n`) and the offset of the next.
fn line_at(text: &str, offset: usize) -> (&str, usize) {
    let rest = &text[offset..];
    match rest.find('\n') {
        Some(newline) => (rest[..newline].trim_end_matches('\r'), offset + newline + 1),
        None => (rest, text.len()),
    }
}

/// Finds the opening delimiter: on the first line, or after blank lines and HTML comments.
/// A delimiter counts only at the start of a line; trailing whitespace is allowed (some
/// Kubernetes pages have `---   `).
fn find_opening(text: &str) -> Option<Opening> {
    let mut offset = 0;
    let mut line = 1u32;
    let mut at_line_start = true;
    loop {
        if at_line_start {
            let (content, next) = line_at(text, offset);
            for format in [Format::Yaml, Format::Toml] {
                if content.trim_end() == format.delimiter() {
                    return Some(Opening {
                        format,
                        line,
                        content_start: next,
                    });
                }
            }
        }
        let rest = &text[offset..];
        let after_blanks = rest.trim_start_matches([' ', '\t', '\r']);
        offset += rest.len() - after_blanks.len();
        if after_blanks.starts_with('\n') {
            offset += 1;
            line += 1;
            at_line_start = true;
        } else if let Some(comment) = after_blanks.strip_prefix("<!--") {
            let comment_len = comment.find("-->")? + "<!---->".len();
            let skipped = &after_blanks[..comment_len];
            line += u32::try_from(skipped.matches('\n').count()).unwrap_or(u32::MAX);
            offset += comment_len;
            at_line_start = false;
        } else {
            return None;
        }
    }
}

/// Finds the closing delimiter: the first later line that is the same delimiter.
fn find_closing(text: &str, opening: &Opening) -> Option<Closing> {
    let delimiter = opening.format.delimiter();
    let mut offset = opening.content_start;
    let mut line = opening.line + 1;
    while offset < text.len() {
        let (content, next) = line_at(text, offset);
        if content.trim_end() == delimiter {
            return Some(Closing {
                start: offset,
                line,
                body_start: next,
            });
        }
        offset = next;
        line += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What parsing a file should give.
    pub(super) enum Expected {
        /// Front matter (the default changed by a function), body and body line.
        Parsed(fn(&mut FrontMatter), &'static str, u32),
        /// The error's line and a part of its message.
        Error(u32, &'static str),
    }

    pub(super) fn check(source: &str, expected: Expected) {
        let actual = parse(source);
        match expected {
            Expected::Parsed(change, body, body_first_line) => {
                let mut front_matter = FrontMatter::default();
                change(&mut front_matter);
                let expected = ParsedSource {
                    front_matter,
                    body,
                    body_first_line,
                };
                assert_eq!(actual, Ok(expected), "for:\n{source}");
            }
            Expected::Error(line, message) => match actual {
                Err(error) => {
                    assert_eq!(error.line, Some(line), "line for:\n{source}\n{error:?}");
                    assert!(
                        error.message.contains(message),
                        "message for:\n{source}\n{error:?}"
                    );
                    assert!(error.hint.is_some(), "hint for:\n{source}\n{error:?}");
                }
                Ok(parsed) => panic!("expected an error for:\n{source}\ngot {parsed:#?}"),
            },
        }
    }

    #[test]
    fn splitting() {
        use Expected::Parsed;
        let cases: Vec<(&str, Expected)> = vec![
            ("no front matter\n", Parsed(|_| {}, "no front matter\n", 1)),
            ("", Parsed(|_| {}, "", 1)),
            (
                "---\ntitle: A\n---\nbody\n",
                Parsed(|f| f.title = Some("A".into()), "body\n", 4),
            ),
            (
                "---\ntitle: A\n---",
                Parsed(|f| f.title = Some("A".into()), "", 4),
            ),
            ("---\n---\n\nbody", Parsed(|_| {}, "\nbody", 3)),
            (
                "---\n# only a comment\n---\nbody",
                Parsed(|_| {}, "body", 4),
            ),
            (
                "+++\ntitle = 'T'\n+++\nbody\n",
                Parsed(|f| f.title = Some("T".into()), "body\n", 4),
            ),
            // A BOM, and CRLF line endings.
            (
                "\u{feff}---\r\ntitle: BOM\r\ndraft: true\r\n---\r\nbody\r\n",
                Parsed(
                    |f| {
                        f.title = Some("BOM".into());
                        f.draft = true;
                    },
                    "body\r\n",
                    5,
                ),
            ),
            // Delimiters with trailing spaces, as in some Kubernetes blog posts.
            (
                "---   \ntitle: X\n--- \nbody",
                Parsed(|f| f.title = Some("X".into()), "body", 4),
            ),
            // Kubernetes: HTML comments (one multi-line) and blank lines before `---`.
            (
                "<!--\nauto-generated\n-->\n<!-- two --> <!-- on a line -->\n\n---\ntitle: K\n---\nbody",
                Parsed(|f| f.title = Some("K".into()), "body", 9),
            ),
            // A comment with nothing after it is just the body.
            (
                "<!--\nnote\n-->\n\nText\n",
                Parsed(|_| {}, "<!--\nnote\n-->\n\nText\n", 1),
            ),
            (
                "<!-- unclosed\n---\ntitle: x\n---\n",
                Parsed(|_| {}, "<!-- unclosed\n---\ntitle: x\n---\n", 1),
            ),
            (
                "<!-- x --> ---\ntitle: x\n---\n",
                Parsed(|_| {}, "<!-- x --> ---\ntitle: x\n---\n", 1),
            ),
            // React Native: no front matter, a `---` thematic break later is only markdown.
            (
                "# Intro\n\ntext\n\n---\n\nmore\n---\n",
                Parsed(|_| {}, "# Intro\n\ntext\n\n---\n\nmore\n---\n", 1),
            ),
            (
                " ---\ntitle: x\n---\n",
                Parsed(|_| {}, " ---\ntitle: x\n---\n", 1),
            ),
            (
                "----\ntitle: x\n----\n",
                Parsed(|_| {}, "----\ntitle: x\n----\n", 1),
            ),
            (
                "\n---\ntitle: After blank\n---\nb",
                Parsed(|f| f.title = Some("After blank".into()), "b", 5),
            ),
        ];
        for (source, expected) in cases {
            check(source, expected);
        }
    }

    #[test]
    fn errors() {
        use Expected::Error;
        for (source, expected) in [
            (
                "---\ntitle: x\nbody without a closing delimiter\n",
                Error(1, "front matter opened with `---` is never closed"),
            ),
            (
                "<!--\nc\n-->\n+++\ntitle = 'x'\n",
                Error(4, "front matter opened with `+++` is never closed"),
            ),
            // Broken YAML: the line in the file, past the delimiter and skipped comments.
            (
                "<!-- c -->\n---\ntitle: a\n  bad: [x\n---\n",
                Error(
                    4,
                    "invalid YAML front matter: mapping values are not allowed",
                ),
            ),
            (
                "---\ntitle: a\ntitle: b\n---\n",
                Error(
                    3,
                    "invalid YAML front matter: duplicate entry with key \"title\"",
                ),
            ),
            (
                "---\njust text\n---\n",
                Error(2, "front matter must be `key: value` pairs, not text"),
            ),
            (
                "---\n- a\n- b\n---\n",
                Error(2, "front matter must be `key: value` pairs, not a list"),
            ),
            (
                "\r\n+++\r\ntitle = 'a'\r\ntags = [\r\n+++\r\n",
                Error(4, "invalid TOML front matter"),
            ),
            (
                "+++\ntitle = unquoted\n+++\n",
                Error(2, "invalid TOML front matter: string values must be quoted"),
            ),
            // Built-in fields of the wrong type name the field and its line.
            (
                "---\ntitle: x\ntags: 5\n---\n",
                Error(3, "`tags` must be a list of text, not the number 5"),
            ),
            (
                "---\ndraft: \"yes\"\n---\n",
                Error(2, "`draft` must be true or false, not the text \"yes\""),
            ),
            (
                "---\ndraft: yes\n---\n",
                Error(2, "`draft` must be true or false"),
            ),
            (
                "+++\ntoc = 1\n+++\n",
                Error(2, "`toc` must be true or false, not the number 1"),
            ),
            (
                "---\n\nweight: 1.5\n---\n",
                Error(3, "`weight` must be a whole number, not the number 1.5"),
            ),
            (
                "---\nweight: '3'\n---\n",
                Error(2, "`weight` must be a whole number, not the text \"3\""),
            ),
            (
                "---\ntitle: [a, b]\n---\n",
                Error(2, "`title` must be text, not a list"),
            ),
            (
                "---\nslug: {a: 1}\n---\n",
                Error(2, "`slug` must be text, not a mapping"),
            ),
            (
                "---\naliases: [[a]]\n---\n",
                Error(2, "`aliases` must be a list of text, but an item is a list"),
            ),
            (
                "---\ncategories: true\n---\n",
                Error(2, "`categories` must be a list of text, not `true`"),
            ),
            (
                "---\ntitle: x\ndate: May 1st\n---\n",
                Error(3, "`date` \"May 1st\" is not a date"),
            ),
            (
                "---\ndate: 2024-02-30\n---\n",
                Error(2, "`date` \"2024-02-30\" is not a date"),
            ),
            (
                "---\ndate: 20240501\n---\n",
                Error(2, "`date` must be a date, not the number 20240501"),
            ),
            (
                "+++\n\ndate = 07:32:00\n+++\n",
                Error(3, "`date` \"07:32:00\" is not a date"),
            ),
        ] {
            check(source, expected);
        }
    }

    /// Every real-world sample parses, and a page that has a title in its front matter
    /// gets it.
    #[test]
    fn samples_parse() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/samples/markdown");
        let mut n_files = 0;
        for project in ["mdn", "kubernetes", "react-native"] {
            let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/{project}"))
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
                .collect();
            paths.sort();
            for path in paths {
                n_files += 1;
                let source = std::fs::read_to_string(&path).unwrap();
                let parsed = match parse(&source) {
                    Ok(parsed) => parsed,
                    Err(error) => panic!("{}: {error:?}", path.display()),
                };
                let has_title_key = source
                    .split("\n---")
                    .next()
                    .is_some_and(|front| front.lines().any(|line| line.starts_with("title:")));
                if has_title_key {
                    assert!(
                        parsed.front_matter.title.is_some(),
                        "{}: no title",
                        path.display()
                    );
                }
                assert!(
                    source.ends_with(parsed.body),
                    "{}: the body is not the end of the file",
                    path.display()
                );
                let skipped = &source[..source.len() - parsed.body.len()];
                let newlines = u32::try_from(skipped.matches('\n').count()).unwrap();
                assert_eq!(parsed.body_first_line, newlines + 1, "{}", path.display());
            }
        }
        assert_eq!(n_files, 55);
    }

    /// Cutting a real file anywhere in its first bytes (mid-delimiter, mid-comment,
    /// mid-YAML) gives a result or an error, never a panic.
    #[test]
    fn truncated_samples_never_panic() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/samples/markdown");
        for name in [
            "kubernetes/docs_reference_kubernetes-api_config-and-storage-resources_persistent-volume-claim-v1.md",
            "kubernetes/docs_reference_setup-tools_kubeadm_generated_kubeadm_certs_certificate-key.md",
            "react-native/website_versioned_docs_version-0.81_actionsheetios.md",
            "mdn/web_api_interventionreportbody_message.md",
        ] {
            let source = std::fs::read_to_string(format!("{root}/{name}")).unwrap();
            for (end, _) in source.char_indices().take(700) {
                let _ = parse(&source[..end]);
                let _ = first_heading(&source[..end]);
            }
        }
    }

    #[test]
    fn samples_quirks() {
        let sample = |name: &str| {
            let path = format!(
                "{}/../../shared/samples/markdown/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            std::fs::read_to_string(path).unwrap()
        };
        // An auto-generated Kubernetes page: a comment and no front matter.
        let source = sample(
            "kubernetes/docs_reference_setup-tools_kubeadm_generated_kubeadm_certs_certificate-key.md",
        );
        let parsed = parse(&source).unwrap();
        assert_eq!(parsed.front_matter, FrontMatter::default());
        assert_eq!(parsed.body_first_line, 1);
        // A Kubernetes glossary entry: a folded description and an empty `aka`.
        let source = sample("kubernetes/docs_reference_glossary_cla.md");
        let parsed = parse(&source).unwrap();
        assert_eq!(parsed.front_matter.date.as_deref(), Some("2018-04-12"));
        assert_eq!(parsed.front_matter.tags, ["community"]);
        assert_eq!(
            parsed.front_matter.params.get("aka"),
            Some(&serde_json::Value::Null)
        );
        // MDN: `browser-compat` and `page-type` are params, the slug is just a string.
        let source = sample("mdn/web_api_element_touchend_event.md");
        let parsed = parse(&source).unwrap();
        assert_eq!(
            parsed.front_matter.slug.as_deref(),
            Some("Web/API/Element/touchend_event")
        );
        assert_eq!(
            parsed.front_matter.params.get("page-type"),
            Some(&json!("web-api-event"))
        );
        // React Native, CRLF.
        let source = sample("react-native/website_versioned_docs_version-0.81_actionsheetios.md");
        let parsed = parse(&source).unwrap();
        assert_eq!(parsed.front_matter.title.as_deref(), Some("ActionSheetIOS"));
        assert!(parsed.body.starts_with("\r\n"));
        // React Native without front matter: the title comes from the body, if anywhere.
        let source = sample(
            "react-native/website_versioned_docs_version-0.77__getting-started-windows-android.md",
        );
        let parsed = parse(&source).unwrap();
        assert_eq!(
            (parsed.front_matter.title, parsed.body.len()),
            (None, source.len())
        );
    }
}

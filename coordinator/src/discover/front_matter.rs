//! Front matter: splitting YAML (`---`) or TOML (`+++`) front matter from the body, parsing
//! it into [`FrontMatter`], and finding a title in the body when front matter has none.
//!
//! OWNER: config/front-matter helper. This file is the interface; the implementation
//! replaces the `todo!()`s.

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
pub fn parse(source: &str) -> Result<ParsedSource<'_>, FrontMatterError> {
    let _ = source;
    todo!()
}

/// The text of the first level-1 ATX heading (`# Title`) of `body`, outside code fences.
pub fn first_heading(body: &str) -> Option<String> {
    let _ = body;
    todo!()
}

//! URLs: pretty, stable, and never able to point outside the output directory.
//!
//! `content/guide/install.md` → `/guide/install/` (`/guide/install.html` with
//! [`UrlStyle::HtmlFiles`]); `guide/_index.md` → `/guide/`; `guide/setup/index.md` →
//! `/guide/setup/`; `slug` replaces the last segment, `url` the whole path. A Python module `mypkg.sub.mod` under `/api/` → `/api/mypkg/sub/mod/`.
//! Every path that comes from a user (slug, url, alias) is checked: no `..` or `.`
//! segments, no backslashes, no scheme or host, no control characters.

use crate::config::UrlStyle;
use crate::discover::SourcePage;

/// Extensions that make a URL a single file (`/old.html`) rather than a folder.
const FILE_URL_EXTENSIONS: [&str; 4] = [".html", ".xml", ".json", ".txt"];

/// The URL of a markdown page, in `style` unless its front matter sets `url`.
pub fn content_url(page: &SourcePage, style: UrlStyle) -> Result<String, String> {
    let front_matter = &page.front_matter;
    if let Some(url) = &front_matter.url {
        return clean_url_path(url).map_err(|why| format!("invalid `url` {url:?}: {why}"));
    }
    let without_ext = page
        .content_path
        .rsplit_once('.')
        .map_or(page.content_path.as_str(), |(stem, _)| stem);
    let mut segments: Vec<String> = without_ext.split('/').map(url_segment).collect();
    let last = segments.last().map(String::as_str);
    let is_index = matches!(last, Some("_index") | Some("index"));
    if is_index {
        segments.pop();
    }
    if let Some(slug) = &front_matter.slug {
        let slug_segments =
            clean_slug(slug).map_err(|why| format!("invalid `slug` {slug:?}: {why}"))?;
        if page.is_section_index() {
            return Err(format!(
                "`slug` {slug:?} on a section page is not supported (it would move the section away from its pages)"
            ));
        }
        segments.pop();
        segments.extend(slug_segments);
    }
    if style == UrlStyle::HtmlFiles && !is_index && !segments.is_empty() {
        let mut url = folder_url(&segments);
        url.pop();
        url.push_str(".html");
        return Ok(url);
    }
    Ok(folder_url(&segments))
}

/// The URL of a Python module under its package's URL prefix.
pub fn module_url(prefix: &str, module: &str) -> String {
    let mut url = prefix.to_string();
    for part in module.split('.') {
        url.push_str(part);
        url.push('/');
    }
    url
}

/// `["guide", "install"]` → `/guide/install/`; no segments → `/`.
pub fn folder_url<S: AsRef<str>>(segments: &[S]) -> String {
    let mut url = String::from("/");
    for segment in segments {
        url.push_str(segment.as_ref());
        url.push('/');
    }
    url
}

/// A path segment as it appears in a URL: spaces become dashes, the rest is kept.
pub fn url_segment(segment: &str) -> String {
    segment.trim().replace(char::is_whitespace, "-")
}

fn check_segments<'a>(segments: impl Iterator<Item = &'a str>) -> Result<(), String> {
    for segment in segments {
        match segment {
            ".." => return Err("`..` would leave the output directory".into()),
            "." => return Err("`.` segments are not allowed".into()),
            _ => {}
        }
    }
    Ok(())
}

fn check_characters(path: &str) -> Result<(), String> {
    if path.contains("://") || path.starts_with("//") {
        return Err("must be a path on this site, not a full URL".into());
    }
    if path.contains('\\') {
        return Err("backslashes are not allowed; use `/`".into());
    }
    if path.chars().any(|c| c.is_control()) {
        return Err("control characters are not allowed".into());
    }
    if path.contains(['?', '#']) {
        return Err("`?` and `#` are not allowed in a page path".into());
    }
    Ok(())
}

/// Checks and normalises a URL path from front matter (`url`, `aliases`): leading `/`
/// added, trailing `/` added unless the last segment names a file (`/old.html`), empty
/// segments from `//` removed.
pub fn clean_url_path(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("is empty".into());
    }
    let segments = checked_segments(raw)?;
    let is_file = segments.last().is_some_and(|last| {
        let lower = last.to_ascii_lowercase();
        FILE_URL_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
    });
    let mut url = folder_url(&segments);
    if is_file {
        url.pop();
    }
    Ok(url)
}

/// The `/`-separated segments of a `url` or `slug`, each made a URL segment, once the
/// characters and segments are checked (no `..`, nothing that could leave the output).
fn checked_segments(raw: &str) -> Result<Vec<String>, String> {
    check_characters(raw)?;
    // A segment of spaces only becomes empty, like `//`: dropped too (found by fuzzing:
    // `url: "/ /"` gave `//`).
    let segments: Vec<String> = raw
        .split('/')
        .map(url_segment)
        .filter(|s| !s.is_empty())
        .collect();
    check_segments(segments.iter().map(String::as_str))?;
    Ok(segments)
}

/// Checks a `slug`: relative (no leading `/`), no `..`; may hold several `/` segments
/// (MDN slugs such as `Web/API/Element`).
fn clean_slug(raw: &str) -> Result<Vec<String>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("is empty".into());
    }
    if raw.starts_with('/') {
        return Err("an absolute path is not a slug; use `url` to set the whole path".into());
    }
    let segments = checked_segments(raw)?;
    if segments.is_empty() {
        return Err("is empty".into());
    }
    Ok(segments)
}

#[cfg(test)]
mod fuzz_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::front_matter::FrontMatter;

    fn page(content_path: &str, slug: Option<&str>, url: Option<&str>) -> SourcePage {
        SourcePage {
            rel_path: format!("content/{content_path}"),
            content_path: content_path.into(),
            root: crate::discover::ContentRoot::Main,
            front_matter: FrontMatter {
                slug: slug.map(Into::into),
                url: url.map(Into::into),
                ..FrontMatter::default()
            },
            heading_title: None,
            nav_title: None,
            body_offset: 0,
            body_first_line: 1,
            hash: 0,
            len: 0,
            mtime: 0,
        }
    }

    fn check(
        content_path: &str,
        slug: Option<&str>,
        url: Option<&str>,
        expected: Result<&str, &str>,
    ) {
        let got = content_url(&page(content_path, slug, url), UrlStyle::Folders);
        match expected {
            Ok(want) => assert_eq!(
                got.as_deref(),
                Ok(want),
                "{content_path} slug={slug:?} url={url:?}"
            ),
            Err(fragment) => {
                let error = got.expect_err(content_path);
                assert!(
                    error.contains(fragment),
                    "{error:?} should mention {fragment:?}"
                );
            }
        }
    }

    #[test]
    fn content_urls() {
        check("guide/install.md", None, None, Ok("/guide/install/"));
        check("guide/_index.md", None, None, Ok("/guide/"));
        check("_index.md", None, None, Ok("/"));
        check("guide/setup/index.md", None, None, Ok("/guide/setup/"));
        check("guide/My Page.md", None, None, Ok("/guide/My-Page/"));
        check(
            "guide/install.md",
            Some("setup-guide"),
            None,
            Ok("/guide/setup-guide/"),
        );
        check(
            "web/api.md",
            Some("Web/API/Element"),
            None,
            Ok("/web/Web/API/Element/"),
        );
        check(
            "guide/install.md",
            None,
            Some("/custom/path"),
            Ok("/custom/path/"),
        );
        check("guide/install.md", None, Some("old.html"), Ok("/old.html"));
        check("guide/install.md", Some("../../etc"), None, Err("`..`"));
        check(
            "guide/install.md",
            Some("/etc/passwd"),
            None,
            Err("absolute path"),
        );
        check("guide/install.md", None, Some("/a/../../b/"), Err("`..`"));
        check(
            "guide/install.md",
            None,
            Some("https://evil.org/"),
            Err("full URL"),
        );
        check("guide/install.md", None, Some("a\\b"), Err("backslashes"));
        check("guide/_index.md", Some("x"), None, Err("section page"));
    }

    #[test]
    fn html_file_urls() {
        let url = |path: &str, slug: Option<&str>, url: Option<&str>| {
            content_url(&page(path, slug, url), UrlStyle::HtmlFiles)
        };
        assert_eq!(
            url("guide/install.md", None, None).as_deref(),
            Ok("/guide/install.html")
        );
        assert_eq!(url("guide/index.md", None, None).as_deref(), Ok("/guide/"));
        assert_eq!(url("index.md", None, None).as_deref(), Ok("/"));
        assert_eq!(
            url("guide/install.md", Some("setup"), None).as_deref(),
            Ok("/guide/setup.html")
        );
        assert_eq!(
            url("guide/install.md", None, Some("/custom/")).as_deref(),
            Ok("/custom/")
        );
    }

    #[test]
    fn module_urls() {
        assert_eq!(module_url("/api/", "mypkg.sub.mod"), "/api/mypkg/sub/mod/");
        assert_eq!(module_url("/api/", "mypkg"), "/api/mypkg/");
    }
}

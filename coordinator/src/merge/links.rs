//! The internal link check, run after every page is rendered (so it sees links across
//! shards): every internal link must reach a page, an output file or a static file, and a
//! `#fragment` on a page must name an id on that page.

use crate::diagnostics::Diagnostic;
use protocol::OutgoingLink;
use protocol::url_decode::percent_decode_lenient;
use rustc_hash::{FxHashMap, FxHashSet};

/// What links may point at, borrowed from the plan and the pages' results (a large site
/// has hundreds of thousands of URLs, anchors and files: copying them costs more than the
/// check).
#[derive(Default)]
pub struct LinkTargets<'a> {
    /// Page URL → ids on the page (`None` when the page's ids are unknown, e.g. it failed).
    pages: FxHashMap<&'a str, Option<FxHashSet<&'a str>>>,
    /// Every file path in the output, relative to it (`assets/style.css`).
    files: FxHashSet<&'a str>,
}

impl<'a> LinkTargets<'a> {
    /// A rendered page and its ids.
    pub fn add_page(&mut self, url: &'a str, anchors: &'a [String]) {
        self.pages
            .insert(url, Some(anchors.iter().map(String::as_str).collect()));
    }

    /// A page that exists but whose ids are unknown (it failed to render this time).
    pub fn add_page_without_anchors(&mut self, url: &'a str) {
        self.pages.entry(url).or_insert(None);
    }

    /// A file in the output directory, by its path relative to it.
    pub fn add_file(&mut self, rel_path: &'a str) {
        self.files.insert(rel_path);
    }

    /// Checks one link; `None` when it resolves.
    pub fn check(&self, link: &OutgoingLink) -> Option<String> {
        let (path, fragment) = link.target.split_once('#').unwrap_or((&link.target, ""));
        let path = path.split('?').next().unwrap_or(path);
        let path = percent_decode_lenient(path);
        let page = if let Some(page) = self.pages.get(path.as_ref()) {
            Some(page)
        } else if let Some(page) = path
            .strip_suffix("index.html")
            .and_then(|dir| self.pages.get(dir))
        {
            Some(page)
        } else if !path.ends_with('/') {
            self.pages.get(format!("{path}/").as_str())
        } else {
            None
        };
        match page {
            Some(anchors) => match (anchors, fragment) {
                (_, "") | (None, _) => None,
                (Some(anchors), fragment)
                    if anchors.contains(percent_decode_lenient(fragment).as_ref()) =>
                {
                    None
                }
                (Some(_), fragment) => Some(format!(
                    "link to `{}`: the page has no anchor `#{fragment}`",
                    link.target
                )),
            },
            None if path
                .strip_prefix('/')
                .is_some_and(|file| self.files.contains(file)) =>
            {
                None
            }
            None => Some(format!(
                "dead link to `{}`: no page or file has that path",
                link.target
            )),
        }
    }
}

/// Checks every link of a page, returning each dead link with its warning.
pub fn check_page<'l>(
    targets: &LinkTargets,
    source: Option<&str>,
    links: &'l [OutgoingLink],
) -> Vec<(&'l OutgoingLink, Diagnostic)> {
    links
        .iter()
        .filter_map(|link| {
            let message = targets.check(link)?;
            Some((
                link,
                Diagnostic {
                    file: source.map(str::to_string),
                    line: link.line,
                    message,
                    hint: Some(
                        "fix the link target, or add the page or anchor it points to".into(),
                    ),
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(targets: &LinkTargets, target: &str) -> Option<String> {
        targets.check(&OutgoingLink {
            target: target.into(),
            line: Some(1),
        })
    }

    #[test]
    fn resolves_pages_files_and_anchors() {
        let anchors = ["setup".to_string(), "über".to_string()];
        let mut targets = LinkTargets::default();
        targets.add_page("/guide/install/", &anchors);
        targets.add_page_without_anchors("/broken/");
        targets.add_file("img/logo.png");
        for ok in [
            "/guide/install/",
            "/guide/install",
            "/guide/install/index.html",
            "/guide/install/#setup",
            "/guide/install/#%C3%BCber",
            "/broken/#anything",
            "/img/logo.png",
            "/img/logo.png#x",
        ] {
            assert_eq!(check(&targets, ok), None, "{ok}");
        }
        assert!(check(&targets, "/nope/").is_some_and(|m| m.contains("dead link")));
        assert!(
            check(&targets, "/guide/install/#missing")
                .is_some_and(|m| m.contains("no anchor `#missing`"))
        );
    }
}

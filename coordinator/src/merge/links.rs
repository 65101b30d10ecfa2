//! The internal link check, run after every page is rendered (so it sees links across
//! shards): every internal link must reach a page, an output file or a static file, and a
//! `#fragment` on a page must name an id on that page.

use crate::diagnostics::Diagnostic;
use protocol::OutgoingLink;
use std::collections::{HashMap, HashSet};

/// What links may point at.
#[derive(Default)]
pub struct LinkTargets {
    /// Page URL → ids on the page (`None` when the page's ids are unknown, e.g. it failed).
    pages: HashMap<String, Option<HashSet<String>>>,
    /// Every file path in the output (`/assets/style.css`, `/guide/index.json`).
    files: HashSet<String>,
}

impl LinkTargets {
    /// A rendered page and its ids.
    pub fn add_page(&mut self, url: &str, anchors: &[String]) {
        self.pages
            .insert(url.to_string(), Some(anchors.iter().cloned().collect()));
    }

    /// A page that exists but whose ids are unknown (it failed to render this time).
    pub fn add_page_without_anchors(&mut self, url: &str) {
        self.pages.entry(url.to_string()).or_insert(None);
    }

    /// A file in the output directory, by its path relative to it.
    pub fn add_file(&mut self, rel_path: &str) {
        self.files.insert(format!("/{rel_path}"));
    }

    /// Checks one link; `None` when it resolves.
    pub fn check(&self, link: &OutgoingLink) -> Option<String> {
        let (path, fragment) = link.target.split_once('#').unwrap_or((&link.target, ""));
        let path = path.split('?').next().unwrap_or(path);
        let path = decode(path);
        let page_url = if self.pages.contains_key(&path) {
            Some(path.clone())
        } else if let Some(dir) = path
            .strip_suffix("index.html")
            .filter(|d| self.pages.contains_key(*d))
        {
            Some(dir.to_string())
        } else if !path.ends_with('/') && self.pages.contains_key(&format!("{path}/")) {
            Some(format!("{path}/"))
        } else {
            None
        };
        match page_url {
            Some(url) => match (&self.pages[&url], fragment) {
                (_, "") | (None, _) => None,
                (Some(anchors), fragment) if anchors.contains(&decode(fragment)) => None,
                (Some(_), fragment) => Some(format!(
                    "link to `{}`: the page has no anchor `#{fragment}`",
                    link.target
                )),
            },
            None if self.files.contains(&path) => None,
            None => Some(format!(
                "dead link to `{}`: no page or file has that path",
                link.target
            )),
        }
    }
}

/// `%20` → space, for comparing link paths with page URLs.
fn decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2)))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Checks every link of a page, returning one warning per dead link.
pub fn check_page(
    targets: &LinkTargets,
    source: Option<&str>,
    links: &[OutgoingLink],
) -> Vec<Diagnostic> {
    links
        .iter()
        .filter_map(|link| {
            targets.check(link).map(|message| Diagnostic {
                file: source.map(str::to_string),
                line: link.line,
                message,
                hint: Some("fix the link target, or add the page or anchor it points to".into()),
            })
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
        let mut targets = LinkTargets::default();
        targets.add_page("/guide/install/", &["setup".into(), "über".into()]);
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

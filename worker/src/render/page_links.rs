//! Link handling for one markdown page: rewriting and recording every link destination.
//!
//! Relative destinations are resolved against the *source file's folder*, as on GitHub or
//! in an editor: `../guide/install.md` from `content/tutorial/first.md` is
//! `content/guide/install.md`, written out as that page's URL. A relative link to any other
//! file (`img/diagram.png`) maps the folder under the content directory to its URL, which is
//! where non-markdown content files are copied. Site-absolute links (`/guide/`) get the
//! site's base path. External links are left alone. Every internal link is recorded, with
//! its source line, for the link check after the merge; every `.md` link is recorded as a
//! [`LinkDep`] so the cache knows the page depends on where that file's page lives.

use super::RenderContext;
use crate::markdown::LinkRewriter;
use protocol::url_decode::percent_decode_lenient;
use protocol::{LinkDep, OutgoingLink, PageData, PageWarning, WarningKind};

/// Rewrites and records the links of one page.
pub(crate) struct PageLinkRewriter<'a> {
    context: &'a RenderContext,
    page: &'a PageData,
    links: Vec<OutgoingLink>,
    deps: Vec<LinkDep>,
    warnings: Vec<PageWarning>,
}

impl<'a> PageLinkRewriter<'a> {
    pub(crate) fn new(context: &'a RenderContext, page: &'a PageData) -> Self {
        PageLinkRewriter {
            context,
            page,
            links: Vec::new(),
            deps: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The recorded internal links, link dependencies (sorted, deduplicated) and warnings.
    pub(crate) fn finish(mut self) -> (Vec<OutgoingLink>, Vec<LinkDep>, Vec<PageWarning>) {
        self.deps.sort();
        self.deps.dedup();
        (self.links, self.deps, self.warnings)
    }

    fn record(&mut self, target: String, line: u32) {
        self.links.push(OutgoingLink {
            target,
            line: Some(line),
        });
    }

    /// The page's source path for resolving links. A `_shared/` page of version `v` reads
    /// as if it were in `_versions/v/`, so its links reach that version's pages.
    fn link_source(&self) -> String {
        let source = self.page.source_path.as_deref().unwrap_or("");
        let shared = format!("{}/_shared/", self.context.site.content_dir);
        match (source.strip_prefix(&shared), self.version_id()) {
            (Some(rest), Some(id)) => {
                format!("{}/_versions/{id}/{rest}", self.context.site.content_dir)
            }
            _ => source.to_string(),
        }
    }

    fn version_id(&self) -> Option<&str> {
        let version = self.page.meta.version?;
        self.context
            .site
            .versions
            .get(version as usize)
            .map(|v| v.id.as_str())
    }

    fn source_dir(&self) -> String {
        let source = self.link_source();
        source
            .rfind('/')
            .map_or(String::new(), |slash| source[..slash].to_string())
    }

    /// The folder `/x.md` links start from: the page's version folder, or the content
    /// directory.
    fn content_root(&self) -> String {
        let content_dir = &self.context.site.content_dir;
        let versions = format!("{content_dir}/_versions/");
        match (self.link_source().starts_with(&versions), self.version_id()) {
            (true, Some(id)) => format!("{versions}{id}"),
            _ => content_dir.clone(),
        }
    }

    /// Site path of a content folder: `content/guide` → `/guide/`,
    /// `content/_versions/v1/guide` → `/v1/guide/`. `None` outside the content directory.
    fn folder_url(&self, folder: &str) -> Option<String> {
        let content_dir = self.context.site.content_dir.trim_end_matches('/');
        let rest = if folder == content_dir {
            ""
        } else {
            folder.strip_prefix(content_dir)?.strip_prefix('/')?
        };
        let (prefix, rest) = match rest.strip_prefix("_versions/") {
            Some(versioned) => {
                let (id, inner) = versioned.split_once('/').unwrap_or((versioned, ""));
                let version = self.context.site.versions.iter().find(|v| v.id == id)?;
                (version.url_prefix.as_str(), inner)
            }
            None => ("", rest),
        };
        Some(if rest.is_empty() {
            format!("{prefix}/")
        } else {
            format!("{prefix}/{rest}/")
        })
    }

    fn resolve_markdown(&mut self, path: &str, suffix: &str, line: u32) -> Option<String> {
        let version = self.page.meta.version;
        let joined = if let Some(from_root) = path.strip_prefix('/') {
            normalize(&format!("{}/{from_root}", self.content_root()))
        } else {
            normalize(&join(&self.source_dir(), path))
        };
        let found = joined.as_ref().and_then(|source| {
            protocol::nav::source_lookup_order(version)
                .into_iter()
                .find_map(|v| {
                    self.context
                        .nav_lookups
                        .page_by_source(&self.context.nav, v, source)
                })
        });
        let target = joined.clone().unwrap_or_else(|| path.to_string());
        match found {
            Some(idx) => {
                let url = self.context.nav.page(idx).url.clone();
                self.deps.push(LinkDep {
                    target,
                    url: Some(url.clone()),
                });
                let (fragment, query) = split_suffix(suffix);
                self.record(format!("{url}{fragment}"), line);
                Some(format!("{}{query}{fragment}", self.context.href(&url)))
            }
            None => {
                self.deps.push(LinkDep {
                    target: target.clone(),
                    url: None,
                });
                self.warnings.push(PageWarning {
                    file: self.page.source_path.clone(),
                    kind: WarningKind::DeadLink,
                    line: Some(line),
                    message: format!(
                        "link to `{path}` does not match any page (looked for `{target}`)"
                    ),
                });
                None
            }
        }
    }
}

impl LinkRewriter for PageLinkRewriter<'_> {
    fn rewrite(&mut self, href: &str, line: u32) -> Option<String> {
        let href = href.trim();
        if href.is_empty() || is_external(href) {
            return None;
        }
        let split_at = href.find(['#', '?']).unwrap_or(href.len());
        let (path, suffix) = href.split_at(split_at);
        if path.is_empty() {
            // `#anchor` (or `?query`) on this very page.
            let (fragment, _) = split_suffix(suffix);
            let target = format!("{}{fragment}", self.page.url);
            self.record(target, line);
            return None;
        }
        let path = percent_decode_lenient(path);
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".md") || (self.context.site.markdown.mdx && lower.ends_with(".mdx")) {
            return self.resolve_markdown(&path, suffix, line);
        }
        let (fragment, query) = split_suffix(suffix);
        if let Some(absolute) = path.strip_prefix('/') {
            let base = &self.context.base_path;
            let site_path =
                if !base.is_empty() && (path == *base || path.starts_with(&format!("{base}/"))) {
                    path[base.len()..].to_string()
                } else {
                    format!("/{absolute}")
                };
            let site_path = if site_path.is_empty() {
                "/".to_string()
            } else {
                site_path
            };
            self.record(format!("{site_path}{fragment}"), line);
            return (!base.is_empty())
                .then(|| format!("{}{query}{fragment}", self.context.href(&site_path)));
        }
        // Relative to the source file's folder.
        let joined = normalize(&join(&self.source_dir(), &path))?;
        let trailing = if path.ends_with('/') { "/" } else { "" };
        let folder_url = match joined.rfind('/') {
            Some(slash) => self
                .folder_url(&joined[..slash])
                .map(|dir| format!("{dir}{}", &joined[slash + 1..])),
            None => None,
        }?;
        let site_path = format!("{folder_url}{trailing}").replace("//", "/");
        self.record(format!("{site_path}{fragment}"), line);
        Some(format!(
            "{}{query}{fragment}",
            self.context.href(&site_path)
        ))
    }
}

/// `mailto:`, `https:`, `//host/...`: anything with a scheme or authority.
fn is_external(href: &str) -> bool {
    if href.starts_with("//") {
        return true;
    }
    match href.find(':') {
        Some(colon) => {
            let scheme = &href[..colon];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Splits `?query#fragment` (either part optional) into (fragment with `#`, query with `?`).
fn split_suffix(suffix: &str) -> (&str, &str) {
    match suffix.find('#') {
        Some(hash) => (&suffix[hash..], &suffix[..hash]),
        None => ("", suffix),
    }
}

fn join(dir: &str, path: &str) -> String {
    if dir.is_empty() {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    }
}

/// Resolves `.` and `..` segments; `None` if the path climbs above its root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn externals() {
        for (href, external) in [
            ("https://x.org", true),
            ("mailto:a@b", true),
            ("//cdn.x.org/a.js", true),
            ("/guide/", false),
            ("../a.md", false),
            ("a.md#x:y", false),
            ("C:thing", true),
        ] {
            assert_eq!(is_external(href), external, "{href}");
        }
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(
            normalize("content/a/../b/./c.md").as_deref(),
            Some("content/b/c.md")
        );
        assert_eq!(normalize("content/../../x.md"), None);
        assert_eq!(split_suffix("?a=1#frag"), ("#frag", "?a=1"));
    }
}

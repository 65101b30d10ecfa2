//! Absolute URLs of site paths: the worker's `permalink` in every page's context and the
//! merge's sitemap, feed and `llm-full.txt` links must spell a page's URL the same way.

/// `base_url` joined with a site path with exactly one `/` between them:
/// `https://example.org/docs/` + `/guide/` = `https://example.org/docs/guide/`.
pub fn absolute_url(base_url: &str, path: &str) -> String {
    let base = base_url.trim_end_matches('/');
    let path = path.trim_start_matches('/');
    format!("{base}/{path}")
}

#[cfg(test)]
mod tests {
    use super::absolute_url;

    #[test]
    fn joins_with_exactly_one_slash() {
        for (base, path, expected) in [
            ("https://x.org/", "/a/", "https://x.org/a/"),
            ("https://x.org", "/a/", "https://x.org/a/"),
            ("https://x.org/docs/", "/a/", "https://x.org/docs/a/"),
            ("https://x.org/docs/", "guide/", "https://x.org/docs/guide/"),
            ("https://x.org/docs/", "/", "https://x.org/docs/"),
            ("https://x.org/", "rss.xml", "https://x.org/rss.xml"),
            ("/", "/", "/"),
            ("/", "/a/", "/a/"),
        ] {
            assert_eq!(absolute_url(base, path), expected, "{base} + {path}");
        }
    }
}

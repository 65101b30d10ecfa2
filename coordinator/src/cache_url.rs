//! A shared-cache URL (`--cache-url`, `[build] cache_url`), checked once: which kind of
//! store it names. Below both `config` (which validates the setting) and `cache::remote`
//! (which opens the store), so neither reaches into the other.

/// A cache URL as given, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheUrl {
    /// `http://host/path` or `https://…`: objects are `<url>/ac/<fingerprint>`.
    Http(String),
    /// `s3://bucket/prefix`: objects are `<prefix>/ac/<fingerprint>` in the bucket.
    S3 {
        /// The bucket.
        bucket: String,
        /// The folder inside it (may be empty).
        prefix: String,
    },
}

impl CacheUrl {
    /// Parses `--cache-url` / `[build] cache_url`; the error says what is accepted.
    pub fn parse(url: &str) -> Result<CacheUrl, String> {
        let url = url.trim();
        if url.starts_with("http://") || url.starts_with("https://") {
            let rest = url.split_once("://").map_or("", |(_, rest)| rest);
            if rest.is_empty() || rest.starts_with('/') {
                return Err(format!("`{url}` names no host"));
            }
            return Ok(CacheUrl::Http(url.trim_end_matches('/').to_string()));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(format!("`{url}` names no bucket (s3://bucket/prefix)"));
            }
            return Ok(CacheUrl::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.trim_matches('/').to_string(),
            });
        }
        Err(format!(
            "`{url}` is not a cache URL: use http://host/path, https://host/path or s3://bucket/prefix"
        ))
    }
}

impl std::fmt::Display for CacheUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CacheUrl::Http(url) => write!(f, "{url}"),
            CacheUrl::S3 { bucket, prefix } if prefix.is_empty() => write!(f, "s3://{bucket}"),
            CacheUrl::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, expected: Result<CacheUrl, &str>) {
        let parsed = CacheUrl::parse(url);
        match expected {
            Ok(expected) => assert_eq!(parsed, Ok(expected), "{url}"),
            Err(fragment) => {
                let error = parsed.expect_err(url);
                assert!(error.contains(fragment), "{url}: {error}");
            }
        }
    }

    #[test]
    fn cache_urls_are_http_or_s3() {
        check(
            "http://127.0.0.1:8080/ssg/",
            Ok(CacheUrl::Http("http://127.0.0.1:8080/ssg".into())),
        );
        check(
            "https://cache.example/x",
            Ok(CacheUrl::Http("https://cache.example/x".into())),
        );
        check(
            "s3://docs-cache/ci/main",
            Ok(CacheUrl::S3 {
                bucket: "docs-cache".into(),
                prefix: "ci/main".into(),
            }),
        );
        check(
            "s3://docs-cache",
            Ok(CacheUrl::S3 {
                bucket: "docs-cache".into(),
                prefix: String::new(),
            }),
        );
        check("s3:///x", Err("names no bucket"));
        check("http://", Err("names no host"));
        check("ftp://x/y", Err("use http://host/path"));
        check("/tmp/cache", Err("is not a cache URL"));
    }
}

//! Which file a request path names, and whether it may be served at all.
//!
//! The path is percent-decoded once; a path with `..`, a NUL, a backslash or an invalid
//! escape is refused (400); the file it names is canonicalized and refused (404) unless it
//! lies inside the canonical output directory, so a symlink in the output cannot expose
//! anything outside it. A folder serves its `index.html`.
//!
//! A site whose `base_url` has a path (`https://example.org/docs/`) links to
//! `/docs/assets/…`, so its output is served under that prefix, as it will be in
//! production; `/` then redirects to `/docs/`.

use std::path::{Path, PathBuf};

/// What is served: the output directory (canonical) under the site's base path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The output directory, canonical.
    pub out_dir: PathBuf,
    /// The path of the site's `base_url` without trailing slash (`/docs`), or empty.
    pub base_path: String,
}

/// What a request path resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Serve this file (canonical, inside the output directory).
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    /// Nothing there (or outside the output directory).
    NotFound,
    /// A path that is malformed or tries to leave the output directory.
    BadRequest(&'static str),
}

/// A request path, percent-decoded and split into its segments (no `.`, `..` or empty
/// segment left).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPath {
    /// Decoded segments.
    pub segments: Vec<String>,
    /// The path ended with `/`.
    pub trailing_slash: bool,
}

/// Decodes the path of a request target (query and fragment are dropped).
pub fn decode_path(target: &str) -> Result<RequestPath, &'static str> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Err("the request path must start with /");
    }
    if path.contains('\\') {
        return Err("backslashes are not allowed in paths");
    }
    let bytes = protocol::url_decode::percent_decode_strict(path.as_bytes())
        .ok_or("invalid percent escape")?;
    let decoded = String::from_utf8(bytes).map_err(|_| "the path is not valid UTF-8")?;
    if decoded.contains('\0') {
        return Err("NUL bytes are not allowed in paths");
    }
    if decoded.contains('\\') {
        return Err("backslashes are not allowed in paths");
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err("`..` is not allowed in paths"),
            _ => segments.push(segment.to_string()),
        }
    }
    Ok(RequestPath {
        trailing_slash: decoded.ends_with('/'),
        segments,
    })
}

/// Percent-encodes one path segment for a `Location` header.
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Resolves a request target against what is served.
pub fn resolve(served: &Served, target: &str) -> Resolution {
    let request = match decode_path(target) {
        Ok(request) => request,
        Err(why) => return Resolution::BadRequest(why),
    };
    let base: Vec<&str> = served
        .base_path
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if request.segments.is_empty() && !base.is_empty() {
        return Resolution::Redirect(format!("{}/", served.base_path));
    }
    let under_base = request.segments.len() >= base.len()
        && request.segments.iter().zip(&base).all(|(a, b)| a == b);
    if !under_base {
        return Resolution::NotFound;
    }
    let out_dir = &served.out_dir;
    let mut candidate = out_dir.to_path_buf();
    candidate.extend(&request.segments[base.len()..]);
    let Some(found) = inside(out_dir, &candidate) else {
        return Resolution::NotFound;
    };
    if found.is_dir() {
        if !request.trailing_slash && request.segments.len() > base.len() {
            // Rebuilt from the decoded segments, never from the raw target, so the
            // redirect cannot point at another host (`//host/`).
            let mut location: String = request
                .segments
                .iter()
                .map(|segment| format!("/{}", encode_segment(segment)))
                .collect();
            location.push('/');
            if let Some((_, query)) = target.split_once('?') {
                location.push('?');
                location.push_str(&query.replace(['\r', '\n'], ""));
            }
            return Resolution::Redirect(location);
        }
        return match inside(out_dir, &found.join("index.html")) {
            Some(index) if index.is_file() => Resolution::File(index),
            _ => Resolution::NotFound,
        };
    }
    if request.trailing_slash || !found.is_file() {
        return Resolution::NotFound;
    }
    Resolution::File(found)
}

/// `path` canonicalized, if it exists and lies inside `out_dir`.
pub(super) fn inside(out_dir: &Path, path: &Path) -> Option<PathBuf> {
    let canonical = std::fs::canonicalize(path).ok()?;
    canonical.starts_with(out_dir).then_some(canonical)
}

/// The `Content-Type` of a file, from its extension.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" => "text/plain; charset=utf-8",
        "md" | "markdown" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The URL an output file is served at, under `base_path`: `a/index.html` → `/a/`,
/// `404.html` → `/404.html`, `assets/style.css` → `/assets/style.css`.
pub fn page_url(base_path: &str, rel: &str) -> String {
    if rel == "index.html" {
        format!("{base_path}/")
    } else if let Some(folder) = rel.strip_suffix("/index.html") {
        format!("{base_path}/{folder}/")
    } else {
        format!("{base_path}/{rel}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_decode(target: &str, expected: Result<(&[&str], bool), ()>) {
        let got = decode_path(target)
            .map(|p| (p.segments, p.trailing_slash))
            .map_err(|_| ());
        let expected = expected.map(|(segments, slash)| {
            (
                segments.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                slash,
            )
        });
        assert_eq!(got, expected, "{target}");
    }

    #[test]
    fn request_paths_are_decoded_once_and_escapes_refused() {
        check_decode("/", Ok((&[], true)));
        check_decode("/guide/install/", Ok((&["guide", "install"], true)));
        check_decode("/a//b/./c?x=1#top", Ok((&["a", "b", "c"], false)));
        check_decode("/caf%C3%A9/", Ok((&["café"], true)));
        check_decode("/a%20b.css", Ok((&["a b.css"], false)));
        // Decoded once only: `%252e` is the literal name `%2e`.
        check_decode("/%252e%252e/x", Ok((&["%2e%2e", "x"], false)));
        for bad in [
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/..%2fetc%2fpasswd",
            "/a/%2e%2e%2f%2e%2e%2fb",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a%00b",
            "/bad%zz",
            "/bad%2",
            "/%ff",
            "relative/path",
            "",
        ] {
            check_decode(bad, Err(()));
        }
    }

    fn check_resolve(out: &Path, target: &str, expected: &Resolution) {
        let served = Served {
            out_dir: out.to_path_buf(),
            base_path: String::new(),
        };
        assert_eq!(&resolve(&served, target), expected, "{target}");
    }

    #[test]
    fn paths_resolve_inside_the_output_only() {
        let root = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(root.path()).expect("canonical");
        let out = root.join("public");
        std::fs::create_dir_all(out.join("guide/empty")).expect("mkdir");
        std::fs::write(out.join("index.html"), "home").expect("write");
        std::fs::write(out.join("guide/index.html"), "guide").expect("write");
        std::fs::write(out.join("style.css"), "css").expect("write");
        std::fs::write(root.join("secret.txt"), "secret").expect("write");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("secret.txt"), out.join("leak.txt"))
                .expect("symlink");
            std::os::unix::fs::symlink(&root, out.join("up")).expect("symlink");
            std::os::unix::fs::symlink(out.join("style.css"), out.join("alias.css"))
                .expect("symlink");
        }
        let file = |rel: &str| Resolution::File(out.join(rel));
        check_resolve(&out, "/", &file("index.html"));
        check_resolve(&out, "/index.html", &file("index.html"));
        check_resolve(&out, "/guide/", &file("guide/index.html"));
        check_resolve(
            &out,
            "/guide?q=1",
            &Resolution::Redirect("/guide/?q=1".into()),
        );
        check_resolve(&out, "/style.css", &file("style.css"));
        check_resolve(&out, "/style.css/", &Resolution::NotFound);
        check_resolve(&out, "/guide/empty/", &Resolution::NotFound);
        check_resolve(&out, "/missing/", &Resolution::NotFound);
        check_resolve(&out, "//guide", &Resolution::Redirect("/guide/".into()));
        #[cfg(unix)]
        {
            check_resolve(&out, "/leak.txt", &Resolution::NotFound);
            check_resolve(&out, "/up/secret.txt", &Resolution::NotFound);
            check_resolve(&out, "/alias.css", &file("style.css"));
        }
        check_resolve(
            &out,
            "/../secret.txt",
            &Resolution::BadRequest("`..` is not allowed in paths"),
        );

        // Under a base path, only URLs below it exist.
        let docs = Served {
            out_dir: out.clone(),
            base_path: "/docs".into(),
        };
        for (target, expected) in [
            ("/", Resolution::Redirect("/docs/".into())),
            ("/docs/", file("index.html")),
            ("/docs/guide/", file("guide/index.html")),
            ("/docs/guide", Resolution::Redirect("/docs/guide/".into())),
            ("/guide/", Resolution::NotFound),
            ("/docsx/style.css", Resolution::NotFound),
        ] {
            assert_eq!(resolve(&docs, target), expected, "{target}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        for (name, expected) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("x.CSS", "text/css; charset=utf-8"),
            ("x.js", "text/javascript; charset=utf-8"),
            ("index.json", "application/json"),
            ("img/flow.svg", "image/svg+xml"),
            ("x.png", "image/png"),
            ("sitemap.xml", "application/xml"),
            ("llm-full.txt", "text/plain; charset=utf-8"),
            ("font.woff2", "font/woff2"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), expected, "{name}");
        }
    }

    #[test]
    fn output_files_map_to_page_urls() {
        for (base, rel, url) in [
            ("", "index.html", "/"),
            ("", "guide/index.html", "/guide/"),
            ("", "404.html", "/404.html"),
            ("", "a/b.html", "/a/b.html"),
            ("/docs", "index.html", "/docs/"),
            ("/docs", "guide/index.html", "/docs/guide/"),
            ("/docs", "assets/style.css", "/docs/assets/style.css"),
        ] {
            assert_eq!(page_url(base, rel), url);
        }
    }
}

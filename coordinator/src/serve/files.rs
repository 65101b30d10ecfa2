//! Static file responses, with the semantics of tower-http's `ServeDir` and the dev server's
//! own rules: an `ETag` on every file (a `304` to a matching `If-None-Match`), one byte
//! `Range` (`206`, or `416` when it lies past the end), `HEAD`, content types by extension,
//! a folder without its slash redirected, the site's `404.html` for unknown paths, and the
//! live-reload script added to HTML (to the bytes sent, never to the file on disk). A page
//! whose latest build failed is answered with its errors (status 500), not with its last
//! good version, until it builds again.
//!
//! Everything here is blocking file work (canonicalize, open, read), run by `http.rs` on
//! tokio's blocking pool. A file is opened before its `ETag` is taken from the open handle,
//! so a rebuild renaming a new version over it can never pair one version's tag with the
//! other's bytes. Files up to [`READ_WHOLE`] are read at once; larger ones are streamed.
//!
//! `ServeDir` itself is not used: it follows symlinks out of the served folder, has no
//! `ETag`, and the HTML has to be rewritten anyway.

use super::events::Broadcaster;
use super::overlay;
use super::resolve::{Resolution, Served, content_type, inside, page_url, resolve};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Files up to this size are read whole; larger ones are streamed from the open file.
pub const READ_WHOLE: u64 = 1 << 20;

/// What the request asked for, beyond its path.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    /// `HEAD`: headers only.
    pub head: bool,
    /// `If-None-Match`.
    pub if_none_match: Option<String>,
    /// `Range`.
    pub range: Option<String>,
    /// `If-Range` (an entity tag; a date is treated as not matching).
    pub if_range: Option<String>,
}

impl Conditions {
    /// The conditions of a request with `headers`.
    pub fn from_headers(headers: &HeaderMap, head: bool) -> Conditions {
        let text = |name| {
            headers
                .get(name)
                .and_then(|value: &HeaderValue| value.to_str().ok())
                .map(str::to_string)
        };
        Conditions {
            head,
            if_none_match: text(header::IF_NONE_MATCH),
            range: text(header::RANGE),
            if_range: text(header::IF_RANGE),
        }
    }
}

/// A response body: bytes in memory, or part of an open file to stream.
pub enum Body {
    /// The whole body.
    Bytes(Vec<u8>),
    /// `len` bytes of `file` from its current position.
    File {
        /// Opened and positioned at the first byte to send.
        file: std::fs::File,
        /// Bytes to send.
        len: u64,
    },
}

/// A response, before it becomes an HTTP one.
pub struct Reply {
    /// Status code.
    pub status: StatusCode,
    /// Headers (`Content-Length` included; `Cache-Control` is added for every response).
    pub headers: Vec<(header::HeaderName, String)>,
    /// Body (empty for `HEAD`, `304` and the like).
    pub body: Body,
}

impl Reply {
    /// A plain-text response.
    pub fn text(status: StatusCode, text: &str) -> Reply {
        Reply {
            status,
            headers: vec![
                (header::CONTENT_TYPE, "text/plain; charset=utf-8".into()),
                (header::CONTENT_LENGTH, text.len().to_string()),
            ],
            body: Body::Bytes(text.as_bytes().to_vec()),
        }
    }

    fn with(mut self, name: header::HeaderName, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// The response to `GET`/`HEAD` of `target` (path and query) in `served`.
pub fn respond(
    served: &Served,
    target: &str,
    conditions: &Conditions,
    live: &Broadcaster,
) -> Reply {
    let reply = match resolve(served, target) {
        Resolution::File(path) => serve_file(served, &path, StatusCode::OK, conditions, live),
        Resolution::Redirect(location) => Reply::text(
            StatusCode::MOVED_PERMANENTLY,
            &format!("moved to {location}\n"),
        )
        .with(header::LOCATION, location),
        Resolution::NotFound => not_found(served, conditions, live),
        Resolution::BadRequest(why) => Reply::text(StatusCode::BAD_REQUEST, &format!("{why}\n")),
    };
    without_body_for_head(reply, conditions.head)
}

fn without_body_for_head(mut reply: Reply, head: bool) -> Reply {
    if head {
        reply.body = Body::Bytes(Vec::new());
    }
    reply
}

/// The site's own 404 page with status 404, or a plain message when it has none.
fn not_found(served: &Served, conditions: &Conditions, live: &Broadcaster) -> Reply {
    match inside(&served.out_dir, &served.out_dir.join("404.html")) {
        Some(page) if page.is_file() => {
            // Never a 304 or a range of the error page: it is not what was asked for.
            let plain = Conditions {
                head: conditions.head,
                ..Conditions::default()
            };
            serve_file(served, &page, StatusCode::NOT_FOUND, &plain, live)
        }
        _ => Reply::text(StatusCode::NOT_FOUND, "not found\n"),
    }
}

fn gone() -> Reply {
    // Replaced or removed between resolving and opening: it is gone now.
    Reply::text(StatusCode::NOT_FOUND, "not found\n")
}

fn serve_file(
    served: &Served,
    path: &Path,
    status: StatusCode,
    conditions: &Conditions,
    live: &Broadcaster,
) -> Reply {
    let kind = content_type(path);
    let Ok(mut file) = std::fs::File::open(path) else {
        return gone();
    };
    let Ok(metadata) = file.metadata() else {
        return gone();
    };
    if kind.starts_with("text/html") {
        // Pages are small; read them whole so the script can be added to the bytes sent.
        let mut bytes = Vec::new();
        if file.read_to_end(&mut bytes).is_err() {
            return gone();
        }
        let rel = path
            .strip_prefix(&served.out_dir)
            .map(|rel| rel.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let url = page_url(&served.base_path, &rel);
        if let Some(errors) = live.failure_of(&url) {
            let tag = overlay::script_tag(live.server_id(), live.build(), &url, true);
            let page = overlay::failed_page(&errors, &tag);
            return bytes_reply(StatusCode::INTERNAL_SERVER_ERROR, kind, page, conditions);
        }
        let tag = overlay::script_tag(live.server_id(), live.build(), &url, false);
        let page = overlay::inject(&bytes, &tag);
        return bytes_reply(status, kind, page, conditions);
    }
    let tag = file_tag(&metadata);
    let len = metadata.len();
    if status == StatusCode::OK && matches_any(conditions.if_none_match.as_deref(), &tag) {
        return not_modified(&tag);
    }
    let (status, start, count, range_header) = match requested_range(conditions, &tag, len) {
        RangeAnswer::Whole => (status, 0, len, None),
        RangeAnswer::Part { start, end } if status == StatusCode::OK => (
            StatusCode::PARTIAL_CONTENT,
            start,
            end - start + 1,
            Some(format!("bytes {start}-{end}/{len}")),
        ),
        RangeAnswer::Part { .. } => (status, 0, len, None),
        RangeAnswer::Unsatisfiable => return unsatisfiable(len, &tag),
    };
    let mut reply = Reply {
        status,
        headers: vec![
            (header::CONTENT_TYPE, kind.into()),
            (header::CONTENT_LENGTH, count.to_string()),
            (header::ETAG, tag),
            (header::ACCEPT_RANGES, "bytes".into()),
        ],
        body: Body::Bytes(Vec::new()),
    };
    if let Some(range) = range_header {
        reply.headers.push((header::CONTENT_RANGE, range));
    }
    if conditions.head {
        return reply;
    }
    if start > 0 && file.seek(SeekFrom::Start(start)).is_err() {
        return gone();
    }
    if count <= READ_WHOLE {
        let mut bytes = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
        match (&mut file).take(count).read_to_end(&mut bytes) {
            Ok(read) if read as u64 == count => reply.body = Body::Bytes(bytes),
            // Shortened meanwhile (a rebuild truncating it in place).
            _ => return gone(),
        }
    } else {
        reply.body = Body::File { file, len: count };
    }
    reply
}

/// A response with an in-memory body (a page with its script, the script itself): its tag
/// is a hash of the bytes.
pub fn bytes_reply(
    status: StatusCode,
    kind: &str,
    bytes: Vec<u8>,
    conditions: &Conditions,
) -> Reply {
    let tag = format!("\"h{:016x}\"", xxhash_rust::xxh3::xxh3_64(&bytes));
    if status == StatusCode::OK && matches_any(conditions.if_none_match.as_deref(), &tag) {
        return not_modified(&tag);
    }
    let len = bytes.len() as u64;
    let (status, body, range) = match requested_range(conditions, &tag, len) {
        RangeAnswer::Part { start, end } if status == StatusCode::OK => {
            let (from, to) = (start as usize, end as usize);
            (
                StatusCode::PARTIAL_CONTENT,
                bytes[from..=to].to_vec(),
                Some(format!("bytes {start}-{end}/{len}")),
            )
        }
        RangeAnswer::Unsatisfiable if status == StatusCode::OK => {
            return unsatisfiable(len, &tag);
        }
        _ => (status, bytes, None),
    };
    let mut reply = Reply {
        status,
        headers: vec![
            (header::CONTENT_TYPE, kind.into()),
            (header::CONTENT_LENGTH, body.len().to_string()),
            (header::ETAG, tag),
            (header::ACCEPT_RANGES, "bytes".into()),
        ],
        body: Body::Bytes(body),
    };
    if let Some(range) = range {
        reply.headers.push((header::CONTENT_RANGE, range));
    }
    without_body_for_head(reply, conditions.head)
}

fn not_modified(tag: &str) -> Reply {
    Reply {
        status: StatusCode::NOT_MODIFIED,
        headers: vec![(header::ETAG, tag.to_string())],
        body: Body::Bytes(Vec::new()),
    }
}

fn unsatisfiable(len: u64, tag: &str) -> Reply {
    Reply::text(StatusCode::RANGE_NOT_SATISFIABLE, "range not satisfiable\n")
        .with(header::CONTENT_RANGE, format!("bytes */{len}"))
        .with(header::ETAG, tag.to_string())
}

/// A file's tag: its length, modification time and (on Unix) inode, so a file replaced by
/// a rebuild gets a new tag even when it keeps its length.
fn file_tag(metadata: &std::fs::Metadata) -> String {
    let modified = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(metadata);
    #[cfg(not(unix))]
    let inode = 0u64;
    format!("\"{:x}-{modified:x}-{inode:x}\"", metadata.len())
}

/// True when the `If-None-Match` list names `tag` (weak comparison, `*` matches all).
fn matches_any(list: Option<&str>, tag: &str) -> bool {
    let Some(list) = list else {
        return false;
    };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    list.split(',')
        .any(|candidate| candidate.trim() == "*" || bare(candidate) == bare(tag))
}

/// What to send of a body of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
enum RangeAnswer {
    /// All of it (no range, several ranges, a malformed one, or an `If-Range` that no
    /// longer matches).
    Whole,
    /// Bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// A range that starts past the end.
    Unsatisfiable,
}

fn requested_range(conditions: &Conditions, tag: &str, len: u64) -> RangeAnswer {
    let Some(range) = conditions.range.as_deref() else {
        return RangeAnswer::Whole;
    };
    // If-Range asks for the range only if the file is still the one it has (strong
    // comparison); anything else gets the whole file.
    if let Some(if_range) = conditions.if_range.as_deref()
        && (if_range.trim() != tag || tag.starts_with("W/"))
    {
        return RangeAnswer::Whole;
    }
    parse_range(range, len)
}

/// One `bytes=` range of a body of `len` bytes; several ranges get the whole body (which
/// RFC 9110 allows).
fn parse_range(range: &str, len: u64) -> RangeAnswer {
    let Some(spec) = range.trim().strip_prefix("bytes=") else {
        return RangeAnswer::Whole;
    };
    if spec.contains(',') {
        return RangeAnswer::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeAnswer::Whole;
    };
    let number = |text: &str| text.trim().parse::<u64>().ok();
    match (first.trim().is_empty(), number(first), number(last)) {
        // `bytes=-500`: the last 500 bytes.
        (true, _, Some(suffix)) => {
            if suffix == 0 || len == 0 {
                RangeAnswer::Unsatisfiable
            } else {
                RangeAnswer::Part {
                    start: len.saturating_sub(suffix),
                    end: len - 1,
                }
            }
        }
        (false, Some(start), end) if last.trim().is_empty() || end.is_some() => {
            if start >= len {
                return RangeAnswer::Unsatisfiable;
            }
            let end = end.map_or(len - 1, |end| end.min(len - 1));
            if end < start {
                RangeAnswer::Whole
            } else {
                RangeAnswer::Part { start, end }
            }
        }
        _ => RangeAnswer::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_follow_rfc_9110() {
        let part = |start, end| RangeAnswer::Part { start, end };
        for (range, expected) in [
            ("bytes=0-9", part(0, 9)),
            ("bytes=10-", part(10, 99)),
            ("bytes=-10", part(90, 99)),
            ("bytes=-500", part(0, 99)),
            ("bytes=90-500", part(90, 99)),
            ("bytes=100-", RangeAnswer::Unsatisfiable),
            ("bytes=-0", RangeAnswer::Unsatisfiable),
            ("bytes=5-2", RangeAnswer::Whole),
            ("bytes=0-1,5-6", RangeAnswer::Whole),
            ("items=0-1", RangeAnswer::Whole),
            ("bytes=x-1", RangeAnswer::Whole),
            ("bytes=1-x", RangeAnswer::Whole),
        ] {
            assert_eq!(parse_range(range, 100), expected, "{range}");
        }
    }

    #[test]
    fn if_none_match_compares_weakly_and_if_range_strongly() {
        assert!(matches_any(Some("\"a\""), "\"a\""));
        assert!(matches_any(Some("\"x\", W/\"a\""), "\"a\""));
        assert!(matches_any(Some("*"), "\"a\""));
        assert!(!matches_any(Some("\"b\""), "\"a\""));
        assert!(!matches_any(None, "\"a\""));
        let conditions = |if_range: &str| Conditions {
            range: Some("bytes=0-0".into()),
            if_range: Some(if_range.into()),
            ..Conditions::default()
        };
        let part = RangeAnswer::Part { start: 0, end: 0 };
        assert_eq!(requested_range(&conditions("\"a\""), "\"a\"", 10), part);
        assert_eq!(
            requested_range(&conditions("\"b\""), "\"a\"", 10),
            RangeAnswer::Whole
        );
        assert_eq!(
            requested_range(&conditions("Wed, 21 Oct 2015 07:28:00 GMT"), "\"a\"", 10),
            RangeAnswer::Whole
        );
    }
}

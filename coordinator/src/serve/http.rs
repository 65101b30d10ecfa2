//! The dev server's HTTP side: a small synchronous server (`tiny_http`) that serves the
//! output directory and the server's own endpoints.
//!
//! Files: a folder URL serves its `index.html` (a folder without the trailing slash is
//! redirected to it, so relative links resolve), an unknown path gets the site's `404.html`
//! with status 404, and every response says `Cache-Control: no-cache` so a reload always
//! sees the latest build. HTML responses carry the live-reload script, added to the bytes
//! sent, never to the file on disk.
//!
//! A site whose `base_url` has a path (`https://example.org/docs/`) links to
//! `/docs/assets/…`, so its output is served under that prefix, as it will be in
//! production; `/` then redirects to `/docs/`.
//!
//! Safety: the request path is percent-decoded once; a path with `..`, a NUL, a backslash or
//! an invalid escape is refused with 400; the file it names is canonicalized and refused
//! with 404 unless it lies inside the (canonical) output directory, so a symlink in the
//! output cannot expose anything outside it. Only GET and HEAD are served.
//!
//! Threads: one dispatcher receives requests; plain requests go to a few file threads, and
//! every event stream gets its own thread (bounded), since it stays open.

use super::events::{self, Broadcaster};
use super::overlay;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::thread::JoinHandle;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// The event stream endpoint.
pub const EVENTS_PATH: &str = "/__ssg/events";
/// The client script endpoint.
pub const SCRIPT_PATH: &str = "/__ssg/live.js";

/// Threads serving files; requests are short, so a few are plenty on loopback.
const FILE_THREADS: usize = 4;
/// Most event streams open at once (one per open tab); more get 503.
const MAX_EVENT_STREAMS: usize = 64;

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
    let bytes = percent_decode(path.as_bytes()).ok_or("invalid percent escape")?;
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

fn percent_decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len());
    let mut index = 0;
    while index < input.len() {
        if input[index] == b'%' {
            let high = (*input.get(index + 1)? as char).to_digit(16)?;
            let low = (*input.get(index + 2)? as char).to_digit(16)?;
            out.push((high * 16 + low) as u8);
            index += 3;
        } else {
            out.push(input[index]);
            index += 1;
        }
    }
    Some(out)
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
fn inside(out_dir: &Path, path: &Path) -> Option<PathBuf> {
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

/// State the request threads share with the orchestration.
struct Shared {
    served: RwLock<Served>,
    events: Arc<Broadcaster>,
    event_streams: AtomicUsize,
    stopping: AtomicBool,
}

/// A running dev server. [`HttpServer::stop`] (or drop) stops it.
pub struct HttpServer {
    server: Arc<tiny_http::Server>,
    shared: Arc<Shared>,
    address: SocketAddr,
    dispatcher: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Listens on `address` (port 0: any free port) and serves `served`.
    pub fn start(
        address: SocketAddr,
        served: Served,
        events: Arc<Broadcaster>,
    ) -> io::Result<HttpServer> {
        let server = tiny_http::Server::http(address).map_err(|e| {
            io::Error::other(format!(
                "cannot listen on {address}: {e}; pick another --port (0 takes any free port)"
            ))
        })?;
        let bound = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| io::Error::other("the server is not listening on an IP address"))?;
        let server = Arc::new(server);
        let shared = Arc::new(Shared {
            served: RwLock::new(served),
            events,
            event_streams: AtomicUsize::new(0),
            stopping: AtomicBool::new(false),
        });
        let dispatcher = {
            let server = Arc::clone(&server);
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("serve-dispatch".into())
                .spawn(move || dispatch(&server, &shared))?
        };
        Ok(HttpServer {
            server,
            shared,
            address: bound,
            dispatcher: Some(dispatcher),
        })
    }

    /// The address actually bound.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The site's URL, `http://127.0.0.1:1313/` (with the base path, if any).
    pub fn url(&self) -> String {
        let base_path = self.served().base_path;
        format!("http://{}{base_path}/", self.address)
    }

    /// What is served now.
    pub fn served(&self) -> Served {
        self.shared
            .served
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Serves another output directory or base path from now on (the configuration
    /// changed).
    pub fn set_served(&self, served: Served) {
        *self
            .shared
            .served
            .write()
            .unwrap_or_else(PoisonError::into_inner) = served;
    }

    /// Stops accepting requests and waits for the dispatcher; open event streams end when
    /// the broadcaster is closed.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.server.unblock();
        if let Some(dispatcher) = self.dispatcher.take() {
            let _ = dispatcher.join();
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn dispatch(server: &tiny_http::Server, shared: &Arc<Shared>) {
    let (sender, receiver) = crossbeam_channel::bounded::<Request>(256);
    let mut file_threads = Vec::new();
    for index in 0..FILE_THREADS {
        let receiver = receiver.clone();
        let shared = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name(format!("serve-files-{index}"))
            .spawn(move || {
                for request in receiver {
                    handle(request, &shared);
                }
            });
        match spawned {
            Ok(thread) => file_threads.push(thread),
            Err(e) => tracing::warn!("cannot start a request thread: {e}"),
        }
    }
    loop {
        let request = match server.recv() {
            Ok(request) => request,
            Err(e) => {
                if !shared.stopping.load(Ordering::SeqCst) {
                    tracing::error!("the HTTP server stopped accepting requests: {e}");
                }
                break;
            }
        };
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let path = request.url().split('?').next().unwrap_or_default();
        if path == EVENTS_PATH {
            open_event_stream(request, shared);
        } else if file_threads.is_empty() {
            handle(request, shared);
        } else if let Err(crossbeam_channel::SendError(request)) = sender.send(request) {
            handle(request, shared);
        }
    }
    drop(sender);
    for thread in file_threads {
        let _ = thread.join();
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Sends a response with a known length (never chunked, so any HTTP/1.x client reads it).
fn respond<R: Read>(request: Request, status: u16, mut headers: Vec<Header>, body: R, len: usize) {
    let method = request.method().clone();
    let url = request.url().to_string();
    // A dev server must never let the browser reuse an old build.
    headers.extend(header("Cache-Control", "no-cache"));
    let response = Response::new(StatusCode(status), headers, body, Some(len), None)
        .with_chunked_threshold(usize::MAX);
    match request.respond(response) {
        Ok(()) => tracing::debug!("{method} {url} {status}"),
        Err(e) => tracing::debug!("{method} {url} {status}: {e}"),
    }
}

fn respond_text(request: Request, status: u16, text: &str, extra: Vec<Header>) {
    let mut headers = extra;
    headers.extend(header("Content-Type", "text/plain; charset=utf-8"));
    respond(request, status, headers, text.as_bytes(), text.len());
}

fn handle(request: Request, shared: &Shared) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let allow = header("Allow", "GET, HEAD").into_iter().collect();
        respond_text(request, 405, "only GET and HEAD are served\n", allow);
        return;
    }
    let target = request.url().to_string();
    if target.split('?').next() == Some(SCRIPT_PATH) {
        let headers = header("Content-Type", content_type(Path::new("live.js")))
            .into_iter()
            .collect();
        let script = overlay::LIVE_SCRIPT.as_bytes();
        respond(request, 200, headers, script, script.len());
        return;
    }
    let served = shared
        .served
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    match resolve(&served, &target) {
        Resolution::File(path) => serve_file(request, &served, &path, 200, shared),
        Resolution::Redirect(location) => {
            let headers = header("Location", &location).into_iter().collect();
            respond_text(request, 301, &format!("moved to {location}\n"), headers);
        }
        Resolution::NotFound => not_found(request, &served, shared),
        Resolution::BadRequest(why) => respond_text(request, 400, &format!("{why}\n"), Vec::new()),
    }
}

/// The site's own 404 page with status 404, or a plain message when it has none.
fn not_found(request: Request, served: &Served, shared: &Shared) {
    match inside(&served.out_dir, &served.out_dir.join("404.html")) {
        Some(page) if page.is_file() => serve_file(request, served, &page, 404, shared),
        _ => respond_text(request, 404, "not found\n", Vec::new()),
    }
}

fn serve_file(request: Request, served: &Served, path: &Path, status: u16, shared: &Shared) {
    let kind = content_type(path);
    let headers = header("Content-Type", kind).into_iter().collect();
    if kind.starts_with("text/html") {
        // Pages are small; read them whole so the script can be added to the bytes sent.
        match std::fs::read(path) {
            Ok(bytes) => {
                let rel = path
                    .strip_prefix(&served.out_dir)
                    .map(|rel| rel.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                let (server, build) = (shared.events.server_id(), shared.events.build());
                let tag = overlay::script_tag(server, build, &page_url(&served.base_path, &rel));
                let page = overlay::inject(&bytes, &tag);
                let len = page.len();
                respond(request, status, headers, io::Cursor::new(page), len);
            }
            // Replaced between resolving and reading: it is gone now.
            Err(_) => respond_text(request, 404, "not found\n", Vec::new()),
        }
        return;
    }
    // An opened file keeps its content even if a rebuild renames a new one over it.
    let opened = std::fs::File::open(path).and_then(|file| {
        let len = file.metadata()?.len();
        Ok((file, len))
    });
    match opened {
        Ok((file, len)) => match usize::try_from(len) {
            Ok(len) => respond(request, status, headers, file, len),
            Err(_) => respond_text(request, 500, "file too large\n", Vec::new()),
        },
        Err(_) => respond_text(request, 404, "not found\n", Vec::new()),
    }
}

/// Hands an event stream its own thread: it stays open as long as the page does.
fn open_event_stream(request: Request, shared: &Arc<Shared>) {
    if shared.event_streams.fetch_add(1, Ordering::SeqCst) >= MAX_EVENT_STREAMS {
        shared.event_streams.fetch_sub(1, Ordering::SeqCst);
        respond_text(request, 503, "too many open event streams\n", Vec::new());
        return;
    }
    let Some(subscription) = shared.events.subscribe() else {
        shared.event_streams.fetch_sub(1, Ordering::SeqCst);
        respond_text(request, 503, "the server is stopping\n", Vec::new());
        return;
    };
    let thread_shared = Arc::clone(shared);
    let spawned = std::thread::Builder::new()
        .name("serve-events".into())
        .spawn(move || {
            tracing::debug!("GET {EVENTS_PATH} 200 (stream opened)");
            let mut writer = request.into_writer();
            // Written by hand: the body has no length and must reach the page event by
            // event, which tiny_http's buffered chunked encoder would not do.
            let head = "HTTP/1.1 200 OK\r\n\
                Content-Type: text/event-stream\r\n\
                Cache-Control: no-cache\r\n\
                Connection: close\r\n\
                X-Accel-Buffering: no\r\n\r\n";
            if writer.write_all(head.as_bytes()).is_ok() {
                events::stream(&mut writer, subscription);
            }
            tracing::debug!("{EVENTS_PATH}: stream closed");
            thread_shared.event_streams.fetch_sub(1, Ordering::SeqCst);
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot start an event stream thread: {e}");
        shared.event_streams.fetch_sub(1, Ordering::SeqCst);
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

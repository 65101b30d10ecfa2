//! The dev server's HTTP side: a small synchronous server (`tiny_http`) that serves the
//! output directory and the server's own endpoints.
//!
//! Which file a request names, and whether it may be served at all, is `resolve.rs`'s
//! decision; this module sends it: a folder without its trailing slash is redirected, an
//! unknown path gets the site's `404.html` with status 404, and every response says
//! `Cache-Control: no-cache` so a reload always sees the latest build. HTML responses carry
//! the live-reload script, added to the bytes sent, never to the file on disk. Only GET and
//! HEAD are served. A file is opened before it is sent, so a rebuild renaming a new version
//! over it never shows a request half of each.
//!
//! Threads: one dispatcher receives requests; plain requests go to a few file threads, and
//! every event stream gets its own thread (bounded), since it stays open.

use super::events::{self, Broadcaster};
use super::overlay;
use super::resolve::{Resolution, Served, content_type, inside, page_url, resolve};
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::path::Path;
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
    /// Takes `address` (port 0: any free port) before anything is built, so a port in use
    /// is reported at once.
    pub fn bind(address: SocketAddr) -> io::Result<std::net::TcpListener> {
        std::net::TcpListener::bind(address).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot listen on {address}: {e}; pick another --port (0 takes any free port)"
                ),
            )
        })
    }

    /// Serves `served` on `listener` (from [`HttpServer::bind`]).
    pub fn start(
        listener: std::net::TcpListener,
        served: Served,
        events: Arc<Broadcaster>,
    ) -> io::Result<HttpServer> {
        let server = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| io::Error::other(format!("cannot start the HTTP server: {e}")))?;
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
    /// the broadcaster is closed, and responses being sent finish on their own threads.
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
    // The file threads end once the requests already handed to them are answered; they
    // are not waited for, since a client that stopped reading would hold up the shutdown.
    drop(sender);
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

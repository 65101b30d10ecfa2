//! The dev server's HTTP side: axum on a small tokio runtime of its own, serving the output
//! directory and the server's own endpoints, `/__ssg/events` and `/__ssg/live.js`.
//!
//! Which file a request names, and whether it may be served at all, is `resolve.rs`'s
//! decision; how a file is sent (`ETag`, `Range`, `HEAD`, the site's `404.html`, the script
//! in HTML) is `files.rs`'s, run on tokio's blocking pool. This module adds what every
//! response shares: `Cache-Control: no-cache` (a reload always revalidates), compression
//! (brotli or gzip, for HTML, CSS, JavaScript and JSON), `405` for methods other than GET
//! and HEAD, `404` for anything else under `/__ssg/`, and a debug log line per request.
//!
//! An event stream is a task, not a thread: any number of tabs can stay open. A ping every
//! [`PING`] is written to each idle stream, so a page that went away (the write fails) has
//! its stream dropped within seconds; a stream whose page stopped reading falls behind the
//! broadcast channel and is ended (see `events.rs`). Rebuilds happen on other threads and
//! reach the streams through that channel.

use super::RESERVED_PREFIX;
use super::events::{Broadcaster, ServerEvent};
use super::files::{self, Conditions, Reply};
use super::overlay;
use super::resolve::Served;
use axum::Router;
use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::Predicate;

/// The event stream endpoint.
pub const EVENTS_PATH: &str = "/__ssg/events";

/// How often an idle event stream gets a comment line: finds pages that went away.
pub const PING: Duration = Duration::from_secs(3);
/// What a page's `EventSource` waits before reconnecting.
const RETRY: Duration = Duration::from_millis(1000);
/// Most event streams open at once; more get 503. Far above any number of tabs, it only
/// bounds memory.
const MAX_EVENT_STREAMS: usize = 4096;
/// Threads answering requests (file work runs on tokio's blocking pool besides).
const RUNTIME_THREADS: usize = 2;
/// Longest wait for open connections once the server is asked to stop.
const STOP_WAIT: Duration = Duration::from_secs(2);
/// Bodies smaller than this are not worth compressing.
const COMPRESS_FROM: u64 = 256;

/// State the request tasks share with the orchestration.
struct Shared {
    served: RwLock<Served>,
    events: Arc<Broadcaster>,
    event_streams: AtomicUsize,
}

impl Shared {
    fn served(&self) -> Served {
        self.served
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A running dev server. [`HttpServer::stop`] (or drop) stops it.
pub struct HttpServer {
    runtime: Option<tokio::runtime::Runtime>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    serving: Option<tokio::task::JoinHandle<io::Result<()>>>,
    shared: Arc<Shared>,
    address: SocketAddr,
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
        let address = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(RUNTIME_THREADS)
            .thread_name("serve-http")
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| io::Error::other(format!("cannot start the HTTP server: {e}")))?;
        let shared = Arc::new(Shared {
            served: RwLock::new(served),
            events,
            event_streams: AtomicUsize::new(0),
        });
        let app = router(Arc::clone(&shared));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(HttpServer {
            runtime: Some(runtime),
            stop: Some(stop),
            serving: Some(serving),
            shared,
            address,
        })
    }

    /// The address actually bound.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The site's URL, `http://127.0.0.1:1313/` (with the base path, if any). A server
    /// listening on every interface (`0.0.0.0`, `::`) is reached on this machine through
    /// the loopback address.
    pub fn url(&self) -> String {
        let base_path = self.served().base_path;
        format!("{}{base_path}/", origin(self.address))
    }

    /// What is served now.
    pub fn served(&self) -> Served {
        self.shared.served()
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

    /// Stops accepting requests and lets open responses finish for up to [`STOP_WAIT`];
    /// event streams end when the broadcaster is closed, which the caller does first.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(runtime) = self.runtime.take() else {
            return;
        };
        if let Some(serving) = self.serving.take() {
            match runtime.block_on(async { tokio::time::timeout(STOP_WAIT, serving).await }) {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(e))) => tracing::error!("the HTTP server failed: {e}"),
                Ok(Err(e)) => tracing::error!("the HTTP server failed: {e}"),
                Err(_) => tracing::debug!("connections still open after {STOP_WAIT:?}"),
            }
        }
        runtime.shutdown_timeout(Duration::from_millis(200));
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// `http://ADDRESS` for a browser on this machine.
pub fn origin(address: SocketAddr) -> String {
    let mut reachable = address;
    if address.ip().is_unspecified() {
        reachable.set_ip(match address {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    format!("http://{reachable}")
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(event_stream))
        .route(overlay::SCRIPT_PATH, get(live_script))
        .fallback(site_file)
        .with_state(shared)
        .layer(CompressionLayer::new().compress_when(Compressible))
        .layer(middleware::from_fn(weaken_encoded_tags))
        .layer(middleware::from_fn(no_cache_and_log))
}

/// Every response says `no-cache` (revalidate every time: a dev server must never let the
/// browser show an old build) and is logged at debug level.
async fn no_cache_and_log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    if uri.path() != EVENTS_PATH {
        tracing::debug!("{method} {uri} {}", response.status().as_u16());
    }
    response
}

/// A compressed body is another representation: its entity tag becomes weak, so it never
/// satisfies an `If-Range` meant for the uncompressed bytes.
async fn weaken_encoded_tags(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.headers().contains_key(header::CONTENT_ENCODING)
        && let Some(tag) = response.headers().get(header::ETAG)
        && let Ok(text) = tag.to_str()
        && !text.starts_with("W/")
        && let Ok(weak) = HeaderValue::from_str(&format!("W/{text}"))
    {
        response.headers_mut().insert(header::ETAG, weak);
    }
    response
}

/// Compress HTML, CSS, JavaScript and JSON of some size; never a range or an event stream.
#[derive(Clone, Copy)]
struct Compressible;

impl Predicate for Compressible {
    fn should_compress<B: HttpBody>(&self, response: &axum::http::Response<B>) -> bool {
        let kind = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        let textual = [
            "text/html",
            "text/css",
            "text/javascript",
            "application/json",
        ]
        .iter()
        .any(|prefix| kind.starts_with(prefix));
        let large_enough = response
            .body()
            .size_hint()
            .exact()
            .is_none_or(|len| len >= COMPRESS_FROM);
        textual && large_enough && !response.headers().contains_key(header::CONTENT_RANGE)
    }
}

fn into_response(reply: Reply) -> Response {
    let body = match reply.body {
        files::Body::Bytes(bytes) => Body::from(bytes),
        files::Body::File { file, len } => {
            use tokio::io::AsyncReadExt;
            let file = tokio::fs::File::from_std(file).take(len);
            Body::from_stream(tokio_util::io::ReaderStream::new(file))
        }
    };
    let mut response = Response::new(body);
    *response.status_mut() = reply.status;
    for (name, value) in reply.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

fn text(status: StatusCode, message: &str) -> Response {
    into_response(Reply::text(status, message))
}

/// Any path that is not an endpoint: a file of the site.
async fn site_file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    if uri.path().starts_with(RESERVED_PREFIX) {
        return text(
            StatusCode::NOT_FOUND,
            "not found: /__ssg/ is reserved for the dev server\n",
        );
    }
    let conditions = Conditions::from_headers(&headers, method == Method::HEAD);
    let target = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string());
    let served = shared.served();
    let live = Arc::clone(&shared.events);
    let answered =
        tokio::task::spawn_blocking(move || files::respond(&served, &target, &conditions, &live))
            .await;
    match answered {
        Ok(reply) => into_response(reply),
        Err(e) => {
            tracing::error!("answering {uri} failed: {e}");
            text(StatusCode::INTERNAL_SERVER_ERROR, "internal error\n")
        }
    }
}

async fn live_script(method: Method, headers: HeaderMap) -> Response {
    let conditions = Conditions::from_headers(&headers, method == Method::HEAD);
    into_response(files::bytes_reply(
        StatusCode::OK,
        super::resolve::content_type(std::path::Path::new("live.js")),
        overlay::LIVE_SCRIPT.as_bytes().to_vec(),
        &conditions,
    ))
}

/// Counts an open stream while it lives, and logs its end.
struct OpenStream {
    shared: Arc<Shared>,
}

impl OpenStream {
    /// `None` when too many streams are open.
    fn new(shared: &Arc<Shared>) -> Option<OpenStream> {
        if shared.event_streams.fetch_add(1, Ordering::SeqCst) >= MAX_EVENT_STREAMS {
            shared.event_streams.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        tracing::debug!("GET {EVENTS_PATH} 200 (stream opened)");
        Some(OpenStream {
            shared: Arc::clone(shared),
        })
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.shared.event_streams.fetch_sub(1, Ordering::SeqCst);
        tracing::debug!("{EVENTS_PATH}: stream closed");
    }
}

fn sse_event(event: &ServerEvent) -> Event {
    Event::default().event(event.name).data(&event.data)
}

async fn event_stream(State(shared): State<Arc<Shared>>) -> Response {
    let Some(open) = OpenStream::new(&shared) else {
        return text(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many open event streams\n",
        );
    };
    let Some(subscription) = shared.events.subscribe() else {
        return text(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping\n");
    };
    let mut greeting: Vec<Event> = subscription.greeting.iter().map(sse_event).collect();
    if let Some(first) = greeting.first_mut() {
        *first = std::mem::take(first).retry(RETRY);
    }
    let greeting = futures_util::stream::iter(greeting.into_iter().map(Ok::<_, Infallible>));
    let later = futures_util::stream::unfold(
        (subscription.events, open),
        |(mut events, open)| async move {
            // Lagging (the page stopped reading) or closed (the server stops): the stream
            // ends, and `open` with it.
            let event = events.recv().await.ok()?;
            Some((Ok(sse_event(&event)), (events, open)))
        },
    );
    let stream = futures_util::StreamExt::chain(greeting, later);
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(PING).text("ping"))
        .into_response();
    response
        .headers_mut()
        .insert("X-Accel-Buffering", HeaderValue::from_static("no"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_on_every_interface_is_reached_through_loopback() {
        let on = |text: &str| origin(text.parse().expect("address"));
        assert_eq!(on("127.0.0.1:1313"), "http://127.0.0.1:1313");
        assert_eq!(on("0.0.0.0:1313"), "http://127.0.0.1:1313");
        assert_eq!(on("[::]:80"), "http://[::1]:80");
        assert_eq!(on("192.168.1.4:8000"), "http://192.168.1.4:8000");
    }
}

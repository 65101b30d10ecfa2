//! The dev server's parts, below the `ssg-coord serve` orchestration in `ops::serve`.
//!
//! - [`http`]: the HTTP server (axum on tokio): compression, `no-cache`, the two endpoints
//!   of the server itself, `/__ssg/events` (server-sent events with keep-alive pings) and
//!   `/__ssg/live.js`, and the site's files through [`files`].
//! - [`files`]: static file responses (`ETag` and `304`, `Range`, `HEAD`, folder
//!   redirects, the site's `404.html`, the live-reload script added to HTML).
//! - [`resolve`]: which file a request path names (decoding, base path, content types) and
//!   whether it may be served: nothing outside the output directory.
//! - [`events`]: the server-sent-events broadcaster: every rebuild becomes `errors` / `ok`
//!   and `reload` / `css` events sent to every open page.
//! - [`overlay`]: the client script injected into served HTML (never into the files on
//!   disk): live reload, stylesheet swaps and the error overlay.
//! - [`watch`]: the debounced file watcher over the site's sources, delivering one sorted
//!   [`watch::ChangeSet`] per burst of edits.
//! - [`console`]: what the server prints while it runs.
//!
//! Nothing here builds pages: a rebuild is one call through the `ops::serve::Rebuild` seam,
//! so the server does not care whether it is a full build or an incremental one.

pub mod console;
pub mod events;
pub mod files;
pub mod http;
pub mod overlay;
pub mod resolve;
pub mod watch;

/// The URL prefix reserved for the server's own endpoints; a site file under `/__ssg/` is
/// shadowed while serving (404).
pub const RESERVED_PREFIX: &str = "/__ssg/";

//! Server-sent events: after every rebuild the server tells each open page what happened.
//!
//! The stream at `/__ssg/events` starts with `retry: 1000` and a `hello` event, followed by
//! an `errors` event when the current build has errors; then, per rebuild, an `errors` or
//! `ok` event (errors present, or errors just cleared) and a `reload` or `css` event when
//! output changed. Every event's data is one line of JSON carrying the build number:
//!
//! ```text
//! event: hello    data: {"server":"4242-1700000000000","build":1}
//! event: errors   data: {"build":2,"errors":[{"file":"content/a.md","line":3,"message":"…","hint":"…"}]}
//! event: ok       data: {"build":3}
//! event: reload   data: {"build":3,"pages":["/guide/"],"stylesheets":[],"all":false}
//! event: css      data: {"build":4,"pages":[],"stylesheets":["/assets/style.css"],"all":false}
//! ```
//!
//! `reload` names the page URLs whose HTML changed; `all` is true when an asset any page
//! may use changed (a script, an image); `css` is sent instead of `reload` when nothing but
//! stylesheets changed.
//!
//! The events go out through a `tokio::sync::broadcast` channel, so the rebuild loop (a
//! plain thread) publishes without waiting for any page, and a stream that falls
//! [`CLIENT_BACKLOG`] events behind (a page that stopped reading) is ended: its page
//! reconnects and the greeting tells it whether it is stale. How the events are written
//! (and the keep-alive pings that find streams whose page has gone) is `http.rs`'s part.

use super::resolve::page_url;
use crate::diagnostics::Diagnostic;
use serde_json::json;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::broadcast;

/// Events a slow page may fall behind by before its stream is dropped (it reconnects).
const CLIENT_BACKLOG: usize = 64;
/// Output extensions that are data for other tools, not something a page shows (`bin`: the
/// search index's posting chunks, fetched by a query, never by a page load).
const DATA_EXTENSIONS: &[&str] = &["json", "txt", "xml", "bin"];

/// What a rebuild changed, as the browser sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageChange {
    /// URLs of pages whose HTML changed, sorted (`/guide/`, `/404.html`).
    pub pages: Vec<String>,
    /// URLs of stylesheets that changed, sorted.
    pub stylesheets: Vec<String>,
    /// Something every page may use changed (a script, an image, a font).
    pub all: bool,
}

impl PageChange {
    /// Sorts changed output files (relative to the output directory, `/`-separated) into
    /// the URLs (under `base_path`) of pages, stylesheets and everything else; `None` when
    /// no page would show a difference (only data files such as `index.json` or
    /// `sitemap.xml` changed).
    pub fn from_outputs(changed: &[String], base_path: &str) -> Option<PageChange> {
        let mut change = PageChange::default();
        for rel in changed {
            let extension = rel
                .rsplit_once('.')
                .filter(|(_, ext)| !ext.contains('/'))
                .map(|(_, ext)| ext.to_ascii_lowercase())
                .unwrap_or_default();
            match extension.as_str() {
                "html" | "htm" => change.pages.push(page_url(base_path, rel)),
                "css" => change.stylesheets.push(page_url(base_path, rel)),
                ext if DATA_EXTENSIONS.contains(&ext) => {}
                _ => change.all = true,
            }
        }
        change.pages.sort();
        change.pages.dedup();
        change.stylesheets.sort();
        change.stylesheets.dedup();
        (change.all || !change.pages.is_empty() || !change.stylesheets.is_empty()).then_some(change)
    }

    /// `css` when only stylesheets changed, else `reload`.
    pub fn event_name(&self) -> &'static str {
        if self.pages.is_empty() && !self.all {
            "css"
        } else {
            "reload"
        }
    }
}

/// The outcome of one rebuild, to tell every page.
#[derive(Debug, Clone, Default)]
pub struct BuildUpdate {
    /// The build's errors (empty: it succeeded).
    pub errors: Vec<Diagnostic>,
    /// What it changed, if a page would see it.
    pub change: Option<PageChange>,
    /// URLs (under the base path) of the pages that failed: they are answered with the
    /// errors instead of their last good version until they build again.
    pub failed_pages: Vec<String>,
}

/// One server-sent event: its name and its data, one line of JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEvent {
    /// `hello`, `errors`, `ok`, `reload` or `css`.
    pub name: &'static str,
    /// The JSON data, on one line.
    pub data: String,
}

impl ServerEvent {
    fn new(name: &'static str, data: &serde_json::Value) -> ServerEvent {
        ServerEvent {
            name,
            data: data.to_string(),
        }
    }
}

fn errors_json(errors: &[Diagnostic]) -> serde_json::Value {
    errors
        .iter()
        .map(|e| json!({"file": e.file, "line": e.line, "message": e.message, "hint": e.hint}))
        .collect()
}

struct State {
    build: u64,
    errors: Vec<Diagnostic>,
    failed_pages: rustc_hash::FxHashSet<String>,
    /// `None` once the server is stopping: every stream has ended.
    sender: Option<broadcast::Sender<Arc<ServerEvent>>>,
}

/// Sends every rebuild's events to every open page, and greets new pages with the current
/// state.
pub struct Broadcaster {
    server_id: String,
    state: Mutex<State>,
}

/// A new stream: what to send first, then everything that follows.
pub struct Subscription {
    /// `hello` and the current errors.
    pub greeting: Vec<ServerEvent>,
    /// Later events; closed when the server stops, lagging when the page stopped reading.
    pub events: broadcast::Receiver<Arc<ServerEvent>>,
}

impl Broadcaster {
    /// A broadcaster for the server instance `server_id` (distinct per server start, so a
    /// page can tell that the server it was served by has been restarted).
    pub fn new(server_id: impl Into<String>) -> Broadcaster {
        let (sender, _) = broadcast::channel(CLIENT_BACKLOG);
        Broadcaster {
            server_id: server_id.into(),
            state: Mutex::new(State {
                build: 0,
                errors: Vec::new(),
                failed_pages: rustc_hash::FxHashSet::default(),
                sender: Some(sender),
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// This server's instance id.
    pub fn server_id(&self) -> &str {
        &self.server_id
    }

    /// Number of the latest build (1 is the first).
    pub fn build(&self) -> u64 {
        self.state().build
    }

    /// The latest build's errors when the page at `url` is one that failed.
    pub fn failure_of(&self, url: &str) -> Option<Vec<Diagnostic>> {
        let state = self.state();
        state
            .failed_pages
            .contains(url)
            .then(|| state.errors.clone())
    }

    /// Open streams.
    #[cfg(test)]
    pub fn clients(&self) -> usize {
        self.state()
            .sender
            .as_ref()
            .map_or(0, broadcast::Sender::receiver_count)
    }

    /// Records a finished build and sends its events; returns the build's number. A build
    /// with something to say is numbered one past the previous; one that says nothing (no
    /// errors before or after, nothing a page shows changed, as when a rebuild finishes
    /// the site-wide files after announcing its pages) keeps the number, so a page loaded
    /// in between is not taken for stale.
    pub fn publish(&self, update: &BuildUpdate) -> u64 {
        let mut state = self.state();
        let build = state.build + 1;
        let mut messages = Vec::new();
        if !update.errors.is_empty() {
            let data = json!({"build": build, "errors": errors_json(&update.errors)});
            messages.push(ServerEvent::new("errors", &data));
        } else if !state.errors.is_empty() {
            messages.push(ServerEvent::new("ok", &json!({"build": build})));
        }
        if let Some(change) = &update.change {
            let data = json!({
                "build": build,
                "pages": change.pages,
                "stylesheets": change.stylesheets,
                "all": change.all,
            });
            messages.push(ServerEvent::new(change.event_name(), &data));
        }
        state.errors = update.errors.clone();
        state.failed_pages = update.failed_pages.iter().cloned().collect();
        if messages.is_empty() {
            return state.build;
        }
        state.build = build;
        if let Some(sender) = &state.sender {
            for message in messages {
                // An error only means that no page is open.
                let _ = sender.send(Arc::new(message));
            }
        }
        build
    }

    /// A new stream, or `None` once the server is stopping. The greeting and the
    /// subscription are taken under one lock, so no build falls between them.
    pub fn subscribe(&self) -> Option<Subscription> {
        let state = self.state();
        let events = state.sender.as_ref()?.subscribe();
        let mut greeting = vec![ServerEvent::new(
            "hello",
            &json!({"server": self.server_id, "build": state.build}),
        )];
        if !state.errors.is_empty() {
            let data = json!({"build": state.build, "errors": errors_json(&state.errors)});
            greeting.push(ServerEvent::new("errors", &data));
        }
        Some(Subscription { greeting, events })
    }

    /// Ends every stream and refuses new ones.
    pub fn close(&self) {
        self.state().sender = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(changed: &[&str], expected: Option<(&[&str], &[&str], bool, &str)>) {
        let changed: Vec<String> = changed.iter().map(|s| s.to_string()).collect();
        let got = PageChange::from_outputs(&changed, "").map(|c| {
            let name = c.event_name();
            (c.pages, c.stylesheets, c.all, name)
        });
        let expected = expected.map(|(pages, sheets, all, name)| {
            let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            (owned(pages), owned(sheets), all, name)
        });
        assert_eq!(got, expected, "{changed:?}");
    }

    #[test]
    fn changed_outputs_become_page_and_stylesheet_urls() {
        check(
            &[
                "guide/index.html",
                "guide/index.json",
                "guide/index.txt",
                "index.json",
                "sitemap.xml",
                "llm-full.txt",
            ],
            Some((&["/guide/"], &[], false, "reload")),
        );
        check(
            &["assets/style.css"],
            Some((&[], &["/assets/style.css"], false, "css")),
        );
        check(
            &["assets/style.css", "index.html"],
            Some((&["/"], &["/assets/style.css"], false, "reload")),
        );
        check(&["assets/theme.js"], Some((&[], &[], true, "reload")));
        check(&["img/flow.svg"], Some((&[], &[], true, "reload")));
        check(&["rss.xml", "a/index.json"], None);
        check(
            &["search/manifest.json", "search/p/0.bin", "search/t/3.txt"],
            None,
        );
        check(&[], None);
        let under_docs =
            PageChange::from_outputs(&["a/index.html".to_string(), "x.css".to_string()], "/docs")
                .expect("a change");
        assert_eq!(under_docs.pages, ["/docs/a/"]);
        assert_eq!(under_docs.stylesheets, ["/docs/x.css"]);
    }

    /// Each queued event as (name, data).
    fn drain(subscription: &mut Subscription) -> Vec<(String, serde_json::Value)> {
        std::iter::from_fn(|| subscription.events.try_recv().ok())
            .map(|event| parse(&event))
            .collect()
    }

    fn parse(event: &ServerEvent) -> (String, serde_json::Value) {
        assert!(
            !event.data.contains('\n'),
            "data is one line: {}",
            event.data
        );
        (
            event.name.to_string(),
            serde_json::from_str(&event.data).expect("JSON data"),
        )
    }

    #[test]
    fn errors_then_ok_then_reload() {
        let events = Broadcaster::new("s1");
        let mut first = events.subscribe().expect("open");
        assert_eq!(
            first.greeting.iter().map(parse).collect::<Vec<_>>(),
            [("hello".into(), json!({"server": "s1", "build": 0}))]
        );
        let broken = Diagnostic {
            file: Some("content/a.md".into()),
            line: Some(2),
            message: "invalid YAML".into(),
            hint: Some("quote it".into()),
        };
        let build = events.publish(&BuildUpdate {
            errors: vec![broken.clone()],
            change: None,
            failed_pages: vec!["/a/".into()],
        });
        assert_eq!(build, 1);
        assert_eq!(events.failure_of("/a/"), Some(vec![broken]));
        assert_eq!(events.failure_of("/b/"), None);
        let errors = json!({"build": 1, "errors": [
            {"file": "content/a.md", "line": 2, "message": "invalid YAML", "hint": "quote it"}
        ]});
        assert_eq!(drain(&mut first), [("errors".into(), errors.clone())]);

        // A page opened now learns about the errors at once.
        let mut second = events.subscribe().expect("open");
        assert_eq!(
            second.greeting.iter().map(parse).collect::<Vec<_>>(),
            [
                ("hello".into(), json!({"server": "s1", "build": 1})),
                ("errors".into(), errors)
            ]
        );

        events.publish(&BuildUpdate {
            errors: Vec::new(),
            change: PageChange::from_outputs(&["a/index.html".to_string()], ""),
            failed_pages: Vec::new(),
        });
        assert_eq!(events.failure_of("/a/"), None);
        let reload = json!({"build": 2, "pages": ["/a/"], "stylesheets": [], "all": false});
        assert_eq!(
            drain(&mut first),
            [
                ("ok".into(), json!({"build": 2})),
                ("reload".into(), reload)
            ]
        );
        assert_eq!(drain(&mut second).len(), 2);

        // No errors before or after, nothing visible changed: nothing to say, and no new
        // number that would make a page just loaded reload.
        assert_eq!(events.publish(&BuildUpdate::default()), 2);
        assert!(drain(&mut first).is_empty());
        assert_eq!(events.build(), 2);
    }

    #[test]
    fn a_page_that_stops_reading_falls_behind_and_is_dropped() {
        let events = Broadcaster::new("s1");
        let mut stalled = events.subscribe().expect("open");
        for _ in 0..=CLIENT_BACKLOG {
            events.publish(&BuildUpdate {
                change: PageChange::from_outputs(&["a/index.html".to_string()], ""),
                ..BuildUpdate::default()
            });
        }
        assert!(matches!(
            stalled.events.try_recv(),
            Err(broadcast::error::TryRecvError::Lagged(_))
        ));
    }

    #[test]
    fn closing_ends_streams_and_refuses_new_ones() {
        let events = Broadcaster::new("s1");
        let mut subscription = events.subscribe().expect("open");
        assert_eq!(events.clients(), 1);
        events.close();
        assert!(matches!(
            subscription.events.try_recv(),
            Err(broadcast::error::TryRecvError::Closed)
        ));
        assert!(events.subscribe().is_none());
        assert_eq!(events.clients(), 0);
    }
}

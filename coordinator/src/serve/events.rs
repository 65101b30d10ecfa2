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
//! stylesheets changed. A comment line (`: heartbeat`) every 15 s keeps proxies and
//! browsers from closing an idle stream, and finds streams whose page has gone.

use super::resolve::page_url;
use crate::diagnostics::Diagnostic;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How often an idle stream gets a comment line.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// Events a slow page may fall behind by before its stream is dropped (it reconnects).
const CLIENT_BACKLOG: usize = 64;
/// Output extensions that are data for other tools, not something a page shows.
const DATA_EXTENSIONS: &[&str] = &["bin", "json", "txt", "xml"];

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
}

/// Formats one event.
fn message(event: &str, data: &serde_json::Value) -> String {
    format!("event: {event}\ndata: {data}\n\n")
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
    clients: Vec<Sender<Arc<str>>>,
    closed: bool,
}

/// Sends every rebuild's events to every open page, and greets new pages with the current
/// state.
pub struct Broadcaster {
    server_id: String,
    state: Mutex<State>,
}

/// A new stream: what to send first, then everything that follows.
pub struct Subscription {
    /// `retry`, `hello` and the current errors.
    pub greeting: String,
    /// Later events; disconnected when the server stops.
    pub events: Receiver<Arc<str>>,
}

impl Broadcaster {
    /// A broadcaster for the server instance `server_id` (distinct per server start, so a
    /// page can tell that the server it was served by has been restarted).
    pub fn new(server_id: impl Into<String>) -> Broadcaster {
        Broadcaster {
            server_id: server_id.into(),
            state: Mutex::new(State {
                build: 0,
                errors: Vec::new(),
                clients: Vec::new(),
                closed: false,
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

    /// Errors of the latest build.
    pub fn errors(&self) -> Vec<Diagnostic> {
        self.state().errors.clone()
    }

    /// Open streams.
    pub fn clients(&self) -> usize {
        self.state().clients.len()
    }

    /// Records a finished build (numbered one past the previous) and sends its events;
    /// returns the build's number.
    pub fn publish(&self, update: &BuildUpdate) -> u64 {
        let mut state = self.state();
        state.build += 1;
        let build = state.build;
        let mut messages = Vec::new();
        if !update.errors.is_empty() {
            let data = json!({"build": build, "errors": errors_json(&update.errors)});
            messages.push(message("errors", &data));
        } else if !state.errors.is_empty() {
            messages.push(message("ok", &json!({"build": build})));
        }
        if let Some(change) = &update.change {
            let data = json!({
                "build": build,
                "pages": change.pages,
                "stylesheets": change.stylesheets,
                "all": change.all,
            });
            messages.push(message(change.event_name(), &data));
        }
        state.errors = update.errors.clone();
        for text in messages {
            let text: Arc<str> = Arc::from(text);
            // A page too far behind (or gone) is dropped; its script reconnects and the
            // greeting tells it whether it is stale.
            state
                .clients
                .retain(|client| match client.try_send(Arc::clone(&text)) {
                    Ok(()) => true,
                    Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
                });
        }
        build
    }

    /// A new stream, or `None` once the server is stopping.
    pub fn subscribe(&self) -> Option<Subscription> {
        let mut state = self.state();
        if state.closed {
            return None;
        }
        let (sender, receiver) = crossbeam_channel::bounded(CLIENT_BACKLOG);
        state.clients.push(sender);
        let mut greeting = String::from("retry: 1000\n\n");
        greeting.push_str(&message(
            "hello",
            &json!({"server": self.server_id, "build": state.build}),
        ));
        if !state.errors.is_empty() {
            let data = json!({"build": state.build, "errors": errors_json(&state.errors)});
            greeting.push_str(&message("errors", &data));
        }
        Some(Subscription {
            greeting,
            events: receiver,
        })
    }

    /// Ends every stream and refuses new ones.
    pub fn close(&self) {
        let mut state = self.state();
        state.closed = true;
        state.clients.clear();
    }
}

/// Writes a stream's events to `out` until the page goes away or the server stops.
pub fn stream(out: &mut dyn Write, subscription: Subscription) {
    let send =
        |out: &mut dyn Write, text: &str| out.write_all(text.as_bytes()).and_then(|()| out.flush());
    if send(out, &subscription.greeting).is_err() {
        return;
    }
    loop {
        let written = match subscription.events.recv_timeout(HEARTBEAT) {
            Ok(text) => send(out, &text),
            Err(RecvTimeoutError::Timeout) => send(out, ": heartbeat\n\n"),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if written.is_err() {
            return;
        }
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
        check(&[], None);
        let under_docs =
            PageChange::from_outputs(&["a/index.html".to_string(), "x.css".to_string()], "/docs")
                .expect("a change");
        assert_eq!(under_docs.pages, ["/docs/a/"]);
        assert_eq!(under_docs.stylesheets, ["/docs/x.css"]);
    }

    /// Each queued event as (name, data).
    fn drain(subscription: &Subscription) -> Vec<(String, serde_json::Value)> {
        subscription
            .events
            .try_iter()
            .map(|text| parse(&text))
            .collect()
    }

    fn parse(text: &str) -> (String, serde_json::Value) {
        let body = text
            .strip_suffix("\n\n")
            .expect("an event ends with a blank line");
        let (event, data) = body.split_once('\n').expect("event and data lines");
        let event = event.strip_prefix("event: ").expect("event line");
        let data = data.strip_prefix("data: ").expect("data line");
        assert!(!data.contains('\n'), "data is one line: {data}");
        (
            event.to_string(),
            serde_json::from_str(data).expect("JSON data"),
        )
    }

    #[test]
    fn errors_then_ok_then_reload() {
        let events = Broadcaster::new("s1");
        let first = events.subscribe().expect("open");
        let greeting = first
            .greeting
            .strip_prefix("retry: 1000\n\n")
            .expect("retry first");
        assert_eq!(
            parse(greeting),
            ("hello".into(), json!({"server": "s1", "build": 0}))
        );
        let broken = Diagnostic {
            file: Some("content/a.md".into()),
            line: Some(2),
            message: "invalid YAML".into(),
            hint: Some("quote it".into()),
        };
        let build = events.publish(&BuildUpdate {
            errors: vec![broken],
            change: None,
        });
        assert_eq!(build, 1);
        let errors = json!({"build": 1, "errors": [
            {"file": "content/a.md", "line": 2, "message": "invalid YAML", "hint": "quote it"}
        ]});
        assert_eq!(drain(&first), [("errors".into(), errors.clone())]);

        // A page opened now learns about the errors at once.
        let second = events.subscribe().expect("open");
        let (_, rest) = second.greeting.split_once("data: {").expect("hello");
        let (_, rest) = rest.split_once("\n\n").expect("hello ends");
        assert_eq!(parse(rest), ("errors".into(), errors));

        events.publish(&BuildUpdate {
            errors: Vec::new(),
            change: PageChange::from_outputs(&["a/index.html".to_string()], ""),
        });
        let reload = json!({"build": 2, "pages": ["/a/"], "stylesheets": [], "all": false});
        assert_eq!(
            drain(&first),
            [
                ("ok".into(), json!({"build": 2})),
                ("reload".into(), reload)
            ]
        );
        assert_eq!(drain(&second).len(), 2);

        // No errors before or after, nothing visible changed: nothing to say.
        events.publish(&BuildUpdate::default());
        assert!(drain(&first).is_empty());
        assert_eq!(events.build(), 3);
    }

    #[test]
    fn closing_ends_streams_and_refuses_new_ones() {
        let events = Broadcaster::new("s1");
        let subscription = events.subscribe().expect("open");
        events.close();
        let mut out = Vec::new();
        stream(&mut out, subscription);
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("retry: 1000\n\nevent: hello\n"), "{text}");
        assert!(events.subscribe().is_none());
        assert_eq!(events.clients(), 0);
    }
}

//! Headless Chromium driven over the DevTools protocol (`--remote-debugging-pipe`: JSON
//! messages ending in NUL on file descriptors 3 and 4, no client crate), for what only a
//! browser does: many navigations in one tab, the back/forward cache, and a live reload
//! that must reach the page shown.

use super::client::DevServer;
use crate::support::{Browser, chromium_or_skip, headless_chromium, site_from};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;
use std::time::{Duration, Instant};

/// Longest wait for anything the browser does.
const BROWSER_WAIT: Duration = Duration::from_secs(60);

/// A browser and one attached page (a flat session), with the events seen so far.
struct DevTools {
    _browser: Browser,
    to_browser: std::fs::File,
    from_browser: crossbeam_channel::Receiver<Value>,
    next_id: u64,
    session: Option<String>,
    /// Every event received, for assertions and failure messages.
    events: Vec<Value>,
}

/// A pipe whose ends are closed on exec (the child gets duplicates at 3 and 4).
fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills the two descriptors it creates; we own them from here on.
    unsafe {
        assert_eq!(libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC), 0, "pipe2");
        (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1]))
    }
}

impl DevTools {
    fn launch(chromium: &Path, profile: &Path) -> DevTools {
        use std::os::unix::process::CommandExt;
        let (browser_reads, we_write) = pipe();
        let (we_read, browser_writes) = pipe();
        let (read_fd, write_fd) = (browser_reads.as_raw_fd(), browser_writes.as_raw_fd());
        let mut command = headless_chromium(chromium, profile);
        command.arg("--remote-debugging-pipe").arg("about:blank");
        // SAFETY: only async-signal-safe calls between fork and exec: the pipe ends are
        // moved above 10 first, so placing them at 3 and 4 cannot overwrite each other.
        unsafe {
            command.pre_exec(move || {
                let read_high = libc::fcntl(read_fd, libc::F_DUPFD, 10);
                let write_high = libc::fcntl(write_fd, libc::F_DUPFD, 10);
                if read_high < 0
                    || write_high < 0
                    || libc::dup2(read_high, 3) < 0
                    || libc::dup2(write_high, 4) < 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let browser = Browser(command.spawn().expect("start chromium"));
        drop((browser_reads, browser_writes));
        let (sender, from_browser) = crossbeam_channel::unbounded();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(std::fs::File::from(we_read));
            loop {
                let mut message = Vec::new();
                match reader.read_until(0, &mut message) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                message.pop();
                let Ok(value) = serde_json::from_slice::<Value>(&message) else {
                    continue;
                };
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        DevTools {
            _browser: browser,
            to_browser: std::fs::File::from(we_write),
            from_browser,
            next_id: 0,
            session: None,
            events: Vec::new(),
        }
    }

    /// Sends `method` (to the attached page, once there is one) and waits for its answer.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = &self.session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).expect("encode");
        bytes.push(0);
        self.to_browser
            .write_all(&bytes)
            .expect("write to chromium");
        let deadline = Instant::now() + BROWSER_WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(reply) = self.from_browser.recv_timeout(left) else {
                panic!("chromium did not answer {method}");
            };
            if reply["id"] == json!(id) {
                assert!(reply.get("error").is_none(), "{method}: {reply}");
                return reply["result"].clone();
            }
            self.events.push(reply);
        }
    }

    /// Opens a page and attaches to it.
    fn open_page(&mut self) {
        let target = self.call("Target.createTarget", json!({"url": "about:blank"}));
        let attached = self.call(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        self.session = attached["sessionId"].as_str().map(str::to_string);
        assert!(self.session.is_some(), "{attached}");
        self.call("Page.enable", json!({}));
    }

    /// Evaluates `expression` in the page.
    fn evaluate(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        result["result"]["value"].clone()
    }

    /// Evaluates `expression` until it is true.
    fn wait_until(&mut self, what: &str, expression: &str, server: &DevServer) {
        let deadline = Instant::now() + BROWSER_WAIT;
        while self.evaluate(expression) != json!(true) {
            assert!(
                Instant::now() < deadline,
                "chromium: no {what} ({expression})\nevents: {:#?}\n{}",
                self.events.iter().rev().take(20).collect::<Vec<_>>(),
                server.output()
            );
            // Events that arrived meanwhile are kept for the assertions.
            self.events.extend(self.from_browser.try_iter());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn shows(path: &str, text: &str) -> String {
    format!(
        "location.pathname === {path:?} && document.readyState === 'complete' \
         && document.body.innerText.includes({text:?})"
    )
}

#[test]
fn twelve_navigations_back_three_and_the_reload_reaches_the_page_shown() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let pages: Vec<(String, String)> = (1..=12)
        .map(|n| {
            (
                format!("content/page-{n:02}.md"),
                format!("---\ntitle: Page {n}\n---\nThe text of page {n}.\n"),
            )
        })
        .collect();
    let mut files: Vec<(&str, &str)> = vec![
        (
            "ssg.toml",
            "title = \"Tabs\"\nbase_url = \"http://localhost/\"\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nHome.\n"),
    ];
    files.extend(
        pages
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_str())),
    );
    let site = site_from(&files);
    let out = tempfile::tempdir().expect("temp dir");
    let server = DevServer::start(
        site.path(),
        out.path(),
        &[],
        &[("RUST_LOG", "warn,coordinator::serve=debug")],
    );
    let opened = || {
        server
            .stderr()
            .iter()
            .filter(|line| line.ends_with("GET /__ssg/events 200 (stream opened)"))
            .count()
    };
    let profile = tempfile::tempdir().expect("temp dir");
    let mut browser = DevTools::launch(&chromium, profile.path());
    browser.open_page();

    // Twelve pages in one tab: the ninth used to hang behind the left pages' streams.
    for n in 1..=12 {
        let path = format!("/page-{n:02}/");
        let streams_before = opened();
        let url = format!("http://{}{path}", server.address);
        browser.call("Page.navigate", json!({"url": url}));
        browser.wait_until(
            &format!("page {n}"),
            &shows(&path, &format!("The text of page {n}.")),
            &server,
        );
        let deadline = Instant::now() + BROWSER_WAIT;
        while opened() <= streams_before {
            assert!(
                Instant::now() < deadline,
                "page {n} opened no event stream\n{}",
                server.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    // Back three times: pages come out of the back/forward cache (or are loaded again)
    // and must open a new stream each.
    for n in [11, 10, 9] {
        let streams_before = opened();
        browser.evaluate("history.back()");
        let path = format!("/page-{n:02}/");
        browser.wait_until(
            &format!("back to page {n}"),
            &shows(&path, &format!("The text of page {n}.")),
            &server,
        );
        let deadline = Instant::now() + BROWSER_WAIT;
        while opened() <= streams_before {
            assert!(
                Instant::now() < deadline,
                "page {n}, shown again, opened no event stream\n{}",
                server.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let restored = browser
        .events
        .iter()
        .filter(|event| {
            event["method"] == "Page.frameNavigated"
                && event["params"]["type"] == "BackForwardCacheRestore"
        })
        .count();
    eprintln!("{restored} of 3 back navigations restored from the back/forward cache");
    // Chromium restores them from the cache (which is what the reconnect on `pageshow` is
    // for); should it evict one, that page was loaded again, which works as well.
    assert!(
        restored >= 1,
        "no page came from the back/forward cache: {:#?}",
        browser
            .events
            .iter()
            .filter(|event| event["method"] == "Page.backForwardCacheNotUsed")
            .collect::<Vec<_>>()
    );

    // The page shown now is page 9: an edit of it must reload it.
    std::fs::write(
        site.path().join("content/page-09.md"),
        "---\ntitle: Page 9\n---\nPage 9, edited while shown.\n",
    )
    .expect("edit");
    browser.wait_until(
        "reload of the page shown",
        &shows("/page-09/", "Page 9, edited while shown."),
        &server,
    );
}

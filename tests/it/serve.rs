//! `ssg-coord serve` for real: the binary on an ephemeral port, a tiny HTTP/1.1 client on
//! std `TcpStream`, real edits of real files. Every wait is bounded; nothing is timed.

mod browser;
pub(crate) mod client;
mod load;
mod protocol;
mod resident;

use crate::support::{
    Browser, children_of, chromium_or_skip, generated_site, headless_chromium, is_running,
    site_from, wait_gone,
};
use client::{DevServer, EVENT_WAIT, SLOW_WAIT, request};
use serde_json::Value;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn names(list: &Value, key: &str) -> Vec<String> {
    list[key]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn is_reload_of(url: &str) -> impl Fn(&str, &Value) -> bool + '_ {
    move |name, data| name == "reload" && names(data, "pages").iter().any(|page| page == url)
}

/// A small site whose output goes to `<outer>/public`, so `<outer>` holds files that must
/// never be served.
struct TestSite {
    site: tempfile::TempDir,
    outer: tempfile::TempDir,
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

impl TestSite {
    fn new() -> TestSite {
        let site = site_from(&[
            (
                "ssg.toml",
                "title = \"Serve test\"\nbase_url = \"http://localhost/\"\n",
            ),
            (
                "content/_index.md",
                "---\ntitle: Home\n---\nWelcome home.\n",
            ),
            (
                "content/guide.md",
                "---\ntitle: Guide\n---\nThe original guide text.\n",
            ),
            (
                "content/other.md",
                "---\ntitle: Other\n---\nAnother page.\n",
            ),
            ("static/custom.css", "body { color: black; }\n"),
            ("static/app.js", "console.log('app');\n"),
            ("static/data.json", "{\"a\": 1}\n"),
            (
                "static/logo.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
            ),
            ("static/feed.xml", "<feed/>\n"),
            ("static/notes.txt", "notes\n"),
        ]);
        std::fs::write(site.path().join("static/pixel.png"), PNG).expect("write png");
        let outer = tempfile::tempdir().expect("temp dir");
        std::fs::write(outer.path().join("secret.txt"), "TOP-SECRET-VALUE").expect("write");
        TestSite { site, outer }
    }

    fn out(&self) -> PathBuf {
        self.outer.path().join("public")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.path().join(rel)
    }

    fn serve(&self, extra: &[&str], env: &[(&str, &str)]) -> DevServer {
        DevServer::start(self.site.path(), &self.out(), extra, env)
    }
}

#[test]
fn an_edited_page_is_reloaded_and_a_stylesheet_is_swapped() {
    let site = TestSite::new();
    let server = site.serve(&[], &[]);

    let page = server.get("/guide/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.text().contains("The original guide text."));
    assert!(
        page.text()
            .contains("<script src=\"/__ssg/live.js\" data-ssg-server=\""),
        "the live-reload script is added to served pages"
    );
    let on_disk = std::fs::read_to_string(site.out().join("guide/index.html")).expect("read");
    assert!(!on_disk.contains("__ssg"), "never to the files on disk");
    let script = server.get("/__ssg/live.js");
    assert_eq!(script.status, 200);
    assert!(script.text().contains("new EventSource(\"/__ssg/events\")"));

    let mut events = server.events();
    std::fs::write(
        site.path("content/guide.md"),
        "---\ntitle: Guide\n---\nThe edited guide text.\n",
    )
    .expect("edit");
    let reload = events.wait_for("reload of /guide/", EVENT_WAIT, is_reload_of("/guide/"));
    assert!(
        !names(&reload, "pages").contains(&"/other/".to_string()),
        "{reload}"
    );
    assert_eq!(reload["all"], false);
    let page = server.get("/guide/");
    assert!(
        page.text().contains("The edited guide text."),
        "{}",
        page.text()
    );

    std::fs::write(site.path("static/custom.css"), "body { color: teal; }\n").expect("edit");
    let css = events.wait_for("css", EVENT_WAIT, |name, _| name != "hello");
    assert_eq!(
        (names(&css, "stylesheets"), names(&css, "pages")),
        (vec!["/custom.css".to_string()], vec![]),
        "a stylesheet-only change swaps stylesheets: {:#?}",
        events.seen
    );
    assert_eq!(
        events.seen.last().map(|(name, _)| name.as_str()),
        Some("css")
    );
    assert!(server.get("/custom.css").text().contains("teal"));
}

#[test]
fn paths_outside_the_output_get_400_or_404_never_the_file() {
    let site = TestSite::new();
    let server = site.serve(&[], &[]);
    let out = site.out();
    std::os::unix::fs::symlink(site.outer.path().join("secret.txt"), out.join("leak.txt"))
        .expect("symlink");
    std::os::unix::fs::symlink(site.outer.path(), out.join("up")).expect("symlink");
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/guide/../../secret.txt",
        "/guide/..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//../secret.txt",
        "/secret.txt%00.html",
        "/leak.txt",
        "/up/secret.txt",
        "/up/",
    ] {
        let response = server.get(target);
        assert!(
            matches!(response.status, 400 | 404),
            "{target}: status {}",
            response.status
        );
        assert!(
            !response.text().contains("TOP-SECRET-VALUE"),
            "{target} leaked the outside file"
        );
    }
    assert_eq!(server.get("/../secret.txt").status, 400);
    assert_eq!(server.get("/leak.txt").status, 404);
}

#[test]
fn files_get_their_content_type_and_unknown_paths_the_sites_404() {
    let site = TestSite::new();
    let server = site.serve(&[], &[]);
    for (target, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/custom.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/data.json", "application/json"),
        ("/logo.svg", "image/svg+xml"),
        ("/pixel.png", "image/png"),
        ("/feed.xml", "application/xml"),
        ("/notes.txt", "text/plain; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
        ("/guide/index.json", "application/json"),
    ] {
        let response = server.get(target);
        assert_eq!(response.status, 200, "{target}");
        assert_eq!(
            response.header("Content-Type"),
            Some(content_type),
            "{target}"
        );
        assert_eq!(
            response.header("Content-Length"),
            Some(response.body.len().to_string().as_str()),
            "{target}"
        );
    }
    assert_eq!(server.get("/pixel.png").body, PNG);

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        missing.text().contains("does not exist"),
        "{}",
        missing.text()
    );
    assert!(missing.text().contains("data-ssg-page=\"/404.html\""));

    let redirect = server.get("/guide");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/guide/"));

    let head = request(server.address, "HEAD", "/guide/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(server.address, "POST", "/guide/").status, 405);
}

#[test]
fn a_broken_front_matter_shows_the_overlay_until_it_is_fixed() {
    let site = TestSite::new();
    let server = site.serve(&[], &[]);
    let mut events = server.events();
    std::fs::write(
        site.path("content/guide.md"),
        "---\ntitle: Guide\ntags: [unclosed\n---\nBroken guide.\n",
    )
    .expect("break");
    let errors = events.wait_for("errors", EVENT_WAIT, |name, _| name == "errors");
    let first = &errors["errors"][0];
    assert_eq!(first["file"], "content/guide.md", "{errors}");
    assert!(
        first["line"].as_u64().is_some_and(|line| line >= 2),
        "{errors}"
    );
    assert!(first["message"].as_str().is_some_and(|m| !m.is_empty()));
    // A navigation to the failed page shows its errors, not its last good version; the
    // other pages stay served.
    let page = server.get("/guide/");
    assert_eq!(page.status, 500, "{}", page.text());
    assert!(
        page.text().contains("This page failed to build"),
        "{}",
        page.text()
    );
    assert!(page.text().contains("content/guide.md"), "{}", page.text());
    assert!(page.text().contains("data-ssg-failed"), "{}", page.text());
    assert!(!page.text().contains("The original guide text."));
    assert_eq!(server.get("/other/").status, 200);

    // A page opened now gets the overlay data at once.
    let mut late = server.events();
    let greeting = late.wait_for("errors on connect", EVENT_WAIT, |name, _| name == "errors");
    assert_eq!(greeting["errors"], errors["errors"]);

    std::fs::write(
        site.path("content/guide.md"),
        "---\ntitle: Guide\n---\nThe fixed guide text.\n",
    )
    .expect("fix");
    events.wait_for("ok", EVENT_WAIT, |name, _| name == "ok");
    late.wait_for("ok", EVENT_WAIT, |name, _| name == "ok");
    let fixed = server.get("/guide/");
    assert_eq!(fixed.status, 200);
    assert!(fixed.text().contains("The fixed guide text."));
    let fresh = server.events();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        fresh.pending().iter().all(|(name, _)| name != "errors"),
        "the overlay is cleared for new pages too"
    );
}

#[test]
fn the_page_being_edited_is_opened_and_changed_pages_are_listed() {
    let site = TestSite::new();
    // A stand-in for the desktop's opener, recording what it was asked to open.
    let bin = tempfile::tempdir().expect("temp dir");
    let opened = bin.path().join("opened.txt");
    let opener = bin.path().join("xdg-open");
    std::fs::write(&opener, "#!/bin/sh\necho \"$1\" >> \"$SSG_TEST_OPENED\"\n").expect("write");
    std::fs::set_permissions(
        &opener,
        <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o755),
    )
    .expect("chmod");
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let opened_text = opened.display().to_string();
    let server = site.serve(
        &["content/guide.md", "--open"],
        &[("PATH", &path), ("SSG_TEST_OPENED", &opened_text)],
    );
    let page_url = format!("http://{}/guide/", server.address);
    let line = server.wait_for_stdout(|line| line.starts_with("page content/guide.md: "));
    assert_eq!(line, format!("page content/guide.md: {page_url}"));
    let deadline = Instant::now() + EVENT_WAIT;
    while std::fs::read_to_string(&opened).unwrap_or_default() != format!("{page_url}\n") {
        assert!(Instant::now() < deadline, "not opened\n{}", server.output());
        std::thread::sleep(Duration::from_millis(50));
    }

    std::fs::write(
        site.path("content/other.md"),
        "---\ntitle: Other\n---\nAnother page, edited.\n",
    )
    .expect("edit");
    let other_url = format!("  http://{}/other/", server.address);
    server.wait_for_stdout(|line| line == other_url);
}

#[test]
fn a_file_that_is_not_a_page_is_refused_or_warned_about() {
    let site = TestSite::new();
    let missing = Command::new(crate::support::binary())
        .arg("serve")
        .arg(site.site.path())
        .arg("content/nope.md")
        .args(["--port", "0"])
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("content/nope.md: no such file"), "{stderr}");

    let server = site.serve(&["static/custom.css"], &[]);
    let deadline = Instant::now() + EVENT_WAIT;
    while !server
        .stderr()
        .iter()
        .any(|line| line.contains("static/custom.css: not a page of this site"))
    {
        assert!(Instant::now() < deadline, "{}", server.output());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Path and URL of generated page `index` (gen-site sets no slugs).
fn generated_page(site: &Path, index: usize) -> (PathBuf, String) {
    let section = index % 3;
    let rel = format!("section-{section:03}/page-{index:06}");
    (site.join(format!("content/{rel}.md")), format!("/{rel}/"))
}

/// Appends a marker paragraph to a page's markdown.
fn append(path: &Path, marker: &str) {
    let mut text = std::fs::read_to_string(path).expect("read page");
    text.push_str(&format!("\n{marker}\n"));
    std::fs::write(path, text).expect("edit page");
}

/// Worker children of `pid`, waiting up to `limit` for one to appear.
fn wait_for_workers(pid: u32, limit: Duration) -> Vec<u32> {
    let deadline = Instant::now() + limit;
    loop {
        let children = children_of(pid);
        if !children.is_empty() || Instant::now() > deadline {
            return children;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Worker processes, slowed down so a test can act while a rebuild runs.
const SLOW_WORKERS: &[&str] = &["--process-parallel", "--max-processes", "2"];
const SLOW_PAGES: &[(&str, &str)] = &[("SSG_COORD_FAULT", "delay:*")];

#[test]
fn a_worker_killed_while_serving_costs_a_retry_not_the_server() {
    let site = generated_site(120, 3, 0);
    let out = tempfile::tempdir().expect("temp dir");
    let mut server = DevServer::start(site.path(), out.path(), SLOW_WORKERS, SLOW_PAGES);
    let (first_page, first_url) = generated_page(site.path(), 3);
    assert_eq!(server.get(&first_url).status, 200, "{}", server.output());
    let mut events = server.events();

    // Persistent workers are there already; otherwise the rebuild starts them.
    append(&first_page, "Edited while a worker dies.");
    let workers = wait_for_workers(server.pid(), SLOW_WAIT);
    assert!(!workers.is_empty(), "no worker process appeared");
    // SAFETY: kill(2) on a pid we just observed as our child's child.
    assert_eq!(unsafe { libc::kill(workers[0] as i32, libc::SIGKILL) }, 0);
    events.wait_for("reload after the kill", SLOW_WAIT, is_reload_of(&first_url));
    // The event goes out before the console line: wait for the line.
    let rebuilt = server.wait_for_stdout(|line| line.contains("changed: rebuilt in"));
    assert!(
        rebuilt.contains("worker restarted"),
        "the kill hit a working worker\n{}",
        server.output()
    );
    assert!(
        server
            .get(&first_url)
            .text()
            .contains("Edited while a worker dies."),
        "{}",
        server.output()
    );

    // And it keeps rebuilding.
    let (second_page, second_url) = generated_page(site.path(), 4);
    append(&second_page, "Edited after the kill.");
    events.wait_for("a later reload", SLOW_WAIT, is_reload_of(&second_url));
    assert!(
        server
            .get(&second_url)
            .text()
            .contains("Edited after the kill.")
    );
    let mut seen = workers;
    seen.extend(children_of(server.pid()));
    assert_eq!(server.interrupt(), 0, "{}", server.output());
    assert_eq!(
        wait_gone(&seen, Duration::from_secs(10)),
        Vec::<u32>::new(),
        "orphan workers"
    );
}

#[test]
fn ctrl_c_stops_the_server_and_every_worker() {
    let site = generated_site(120, 3, 0);
    let out = tempfile::tempdir().expect("temp dir");
    let mut server = DevServer::start(site.path(), out.path(), SLOW_WORKERS, SLOW_PAGES);
    let (page, _) = generated_page(site.path(), 5);
    append(&page, "Edited before Ctrl-C.");
    let workers = wait_for_workers(server.pid(), SLOW_WAIT);
    assert!(!workers.is_empty(), "no worker process appeared");
    assert_eq!(server.interrupt(), 0, "{}", server.output());
    assert!(
        server.stderr().iter().any(|l| l == "stopping the server"),
        "{}",
        server.output()
    );
    assert_eq!(
        wait_gone(&workers, Duration::from_secs(10)),
        Vec::<u32>::new(),
        "workers outlived the server"
    );
    assert!(!is_running(server.pid()));
    assert!(
        TcpStream::connect_timeout(&server.address, Duration::from_secs(2)).is_err(),
        "the port is closed"
    );
}

#[test]
fn headless_chromium_really_reloads_the_page() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let site = TestSite::new();
    let server = site.serve(&[], &[("RUST_LOG", "warn,coordinator::serve=debug")]);
    let profile = tempfile::tempdir().expect("temp dir");
    let browser = headless_chromium(&chromium, profile.path())
        .arg(format!("http://{}/guide/", server.address))
        .spawn()
        .map(Browser)
        .expect("start chromium");
    let count = |needle: &str| {
        server
            .stderr()
            .iter()
            .filter(|line| line.ends_with(needle))
            .count()
    };
    let wait_until = |what: &str, done: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !done() {
            assert!(
                Instant::now() < deadline,
                "chromium: no {what}\n{}",
                server.output()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_until("page load and event stream", &|| {
        count("GET /guide/ 200") == 1 && count("GET /__ssg/events 200 (stream opened)") >= 1
    });

    std::fs::write(
        site.path("content/guide.md"),
        "---\ntitle: Guide\n---\nEdited for the browser.\n",
    )
    .expect("edit");
    wait_until("reload after the edit", &|| count("GET /guide/ 200") >= 2);
    // A query of its own, so this request is not counted as the browser's.
    let page = server.get("/guide/?from=test");
    assert!(page.text().contains("Edited for the browser."));

    // A stylesheet change swaps the sheets in place: new requests, no reload.
    wait_until("event stream after the reload", &|| {
        count("GET /__ssg/events 200 (stream opened)") >= 2
    });
    std::fs::write(site.path("static/custom.css"), "body { color: navy; }\n").expect("edit");
    wait_until("stylesheet swap", &|| {
        server
            .stderr()
            .iter()
            .any(|line| line.contains(".css?ssg-reload="))
    });
    assert_eq!(
        count("GET /guide/ 200"),
        2,
        "a CSS change must not reload\n{}",
        server.output()
    );
    drop(browser);
}

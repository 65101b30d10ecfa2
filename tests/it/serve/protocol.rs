//! The dev server's HTTP semantics over real sockets: entity tags and `304`, byte ranges,
//! `HEAD`, compression, the reserved `/__ssg/` prefix, base-path sites, many abandoned
//! event streams, several tabs at once and the warning of a server bound to every
//! interface.

use super::client::{EVENT_WAIT, EventStream, request, request_with};
use super::{TestSite, is_reload_of, names};
use crate::support::site_from;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

#[test]
fn entity_tags_answer_304_and_change_with_the_file() {
    let site = TestSite::new();
    let server = site.serve(&[], &[]);
    for target in ["/custom.css", "/pixel.png", "/guide/", "/__ssg/live.js"] {
        let first = server.get(target);
        assert_eq!(first.status, 200, "{target}");
        let tag = first
            .header("ETag")
            .unwrap_or_else(|| panic!("{target}: no ETag"))
            .to_string();
        assert!(
            tag.starts_with('"') && tag.ends_with('"'),
            "{target}: {tag}"
        );
        assert_eq!(first.header("Cache-Control"), Some("no-cache"), "{target}");
        let again = request_with(server.address, "GET", target, &[("If-None-Match", &tag)]);
        assert_eq!(again.status, 304, "{target}");
        assert!(again.body.is_empty(), "{target}");
        assert_eq!(again.header("ETag"), Some(tag.as_str()), "{target}");
        let other = request_with(
            server.address,
            "GET",
            target,
            &[("If-None-Match", "\"not-it\"")],
        );
        assert_eq!(other.status, 200, "{target}");
    }

    // A rebuild that changes the stylesheet changes its tag: the old one gets the new bytes.
    let old_tag = server
        .get("/custom.css")
        .header("ETag")
        .expect("tag")
        .to_string();
    let mut events = server.events();
    std::fs::write(site.path("static/custom.css"), "body { color: olive; }\n").expect("edit");
    events.wait_for("css", EVENT_WAIT, |name, _| name == "css");
    let fresh = request_with(
        server.address,
        "GET",
        "/custom.css",
        &[("If-None-Match", &old_tag)],
    );
    assert_eq!(fresh.status, 200);
    assert!(fresh.text().contains("olive"));
    assert_ne!(fresh.header("ETag"), Some(old_tag.as_str()));
}

#[test]
fn ranges_head_and_methods() {
    let site = TestSite::new();
    let server = site.serve(&[], &[]);
    let whole = server.get("/notes.txt");
    assert_eq!(whole.text(), "notes\n");
    assert_eq!(whole.header("Accept-Ranges"), Some("bytes"));

    let part = request_with(
        server.address,
        "GET",
        "/notes.txt",
        &[("Range", "bytes=1-3")],
    );
    assert_eq!(part.status, 206);
    assert_eq!(part.text(), "ote");
    assert_eq!(part.header("Content-Range"), Some("bytes 1-3/6"));
    assert_eq!(part.header("Content-Length"), Some("3"));
    let suffix = request_with(
        server.address,
        "GET",
        "/notes.txt",
        &[("Range", "bytes=-2")],
    );
    assert_eq!((suffix.status, suffix.text().as_str()), (206, "s\n"));
    let past = request_with(
        server.address,
        "GET",
        "/notes.txt",
        &[("Range", "bytes=50-")],
    );
    assert_eq!(past.status, 416);
    assert_eq!(past.header("Content-Range"), Some("bytes */6"));
    let tag = whole.header("ETag").expect("tag").to_string();
    let stale = request_with(
        server.address,
        "GET",
        "/notes.txt",
        &[("Range", "bytes=1-3"), ("If-Range", "\"older\"")],
    );
    assert_eq!((stale.status, stale.text().as_str()), (200, "notes\n"));
    let current = request_with(
        server.address,
        "GET",
        "/notes.txt",
        &[("Range", "bytes=1-3"), ("If-Range", &tag)],
    );
    assert_eq!(current.status, 206);
    let page_part = request_with(server.address, "GET", "/guide/", &[("Range", "bytes=0-4")]);
    assert_eq!((page_part.status, page_part.body.len()), (206, 5));

    for target in ["/guide/", "/custom.css", "/pixel.png"] {
        let get = server.get(target);
        let head = request(server.address, "HEAD", target);
        assert_eq!(head.status, 200, "{target}");
        assert!(head.body.is_empty(), "{target}");
        assert_eq!(
            head.header("Content-Length"),
            Some(get.body.len().to_string().as_str()),
            "{target}"
        );
        assert_eq!(head.header("Content-Type"), get.header("Content-Type"));
    }
    let refused = request(server.address, "DELETE", "/guide/");
    assert_eq!(refused.status, 405);
    assert_eq!(refused.header("Allow"), Some("GET, HEAD"));
}

/// Decodes a gzip body.
fn gunzip(body: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(body)
        .read_to_string(&mut text)
        .expect("a gzip body");
    text
}

#[test]
fn text_is_compressed_for_clients_that_ask_and_nothing_else_is() {
    let site = TestSite::new();
    let server = site.serve(&[], &[]);
    let page = request_with(
        server.address,
        "GET",
        "/guide/",
        &[("Accept-Encoding", "gzip")],
    );
    assert_eq!(page.status, 200);
    assert_eq!(page.header("Content-Encoding"), Some("gzip"));
    assert!(
        page.header("Vary")
            .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    );
    assert!(
        page.header("ETag").is_some_and(|tag| tag.starts_with("W/")),
        "a compressed body has a weak tag"
    );
    let text = gunzip(&page.body);
    assert!(text.contains("The original guide text."), "{text}");
    assert!(text.contains("data-ssg-page=\"/guide/\""), "{text}");

    let brotli = request_with(
        server.address,
        "GET",
        "/__ssg/live.js",
        &[("Accept-Encoding", "br")],
    );
    assert_eq!(brotli.header("Content-Encoding"), Some("br"));
    assert!(brotli.body.len() < server.get("/__ssg/live.js").body.len());

    for target in ["/pixel.png", "/logo.svg", "/notes.txt"] {
        let response = request_with(
            server.address,
            "GET",
            target,
            &[("Accept-Encoding", "gzip, br")],
        );
        assert_eq!(response.status, 200, "{target}");
        assert_eq!(response.header("Content-Encoding"), None, "{target}");
    }
    let part = request_with(
        server.address,
        "GET",
        "/guide/",
        &[("Accept-Encoding", "gzip"), ("Range", "bytes=0-99")],
    );
    assert_eq!(part.status, 206);
    assert_eq!(
        part.header("Content-Encoding"),
        None,
        "a range is never compressed"
    );

    // An event stream is never compressed either: it must reach the page event by event.
    let mut stream = TcpStream::connect(server.address).expect("connect");
    write!(
        stream,
        "GET /__ssg/events HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\n\r\n"
    )
    .expect("send");
    stream
        .set_read_timeout(Some(EVENT_WAIT))
        .expect("read timeout");
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("event: hello") {
        let read = stream.read(&mut buffer).expect("read the stream");
        assert!(read > 0, "{}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&seen).to_ascii_lowercase();
    assert!(head.contains("content-type: text/event-stream"), "{head}");
    assert!(!head.contains("content-encoding"), "{head}");
}

#[test]
fn the_reserved_prefix_and_base_path_sites() {
    let site = TestSite::new();
    std::fs::create_dir_all(site.path("static/__ssg")).expect("mkdir");
    std::fs::write(site.path("static/__ssg/mine.txt"), "shadowed").expect("write");
    let server = site.serve(&[], &[]);
    let shadowed = server.get("/__ssg/mine.txt");
    assert_eq!(shadowed.status, 404);
    assert!(!shadowed.text().contains("shadowed"));
    assert_eq!(server.get("/__ssg/").status, 404);
    let redirect = server.get("/guide?tab=2");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/guide/?tab=2"));
    drop(server);

    let docs = site_from(&[
        (
            "ssg.toml",
            "title = \"Docs\"\nbase_url = \"https://example.org/docs/\"\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nHome.\n"),
        ("content/guide.md", "---\ntitle: Guide\n---\nUnder docs.\n"),
    ]);
    let out = tempfile::tempdir().expect("temp dir");
    let server = super::client::DevServer::start(docs.path(), out.path(), &[], &[]);
    let root = server.get("/");
    assert_eq!(root.status, 301);
    assert_eq!(root.header("Location"), Some("/docs/"));
    let guide = server.get("/docs/guide/");
    assert_eq!(guide.status, 200);
    assert!(guide.text().contains("Under docs."));
    assert!(guide.text().contains("data-ssg-page=\"/docs/guide/\""));
    assert_eq!(
        server.get("/docs/guide").header("Location"),
        Some("/docs/guide/")
    );
    assert_eq!(server.get("/guide/").status, 404);
    assert_eq!(server.get("/__ssg/live.js").status, 200);
}

/// Opens `count` event streams and leaves them: `read_hello` ones after their greeting,
/// the others at once, half closed and half kept open without ever being read.
fn abandon_streams(address: std::net::SocketAddr, count: usize) -> Vec<TcpStream> {
    let mut kept = Vec::new();
    for index in 0..count {
        let mut stream = TcpStream::connect(address).expect("connect");
        write!(
            stream,
            "GET /__ssg/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        if index % 2 == 0 {
            stream
                .set_read_timeout(Some(EVENT_WAIT))
                .expect("read timeout");
            let mut seen = Vec::new();
            let mut buffer = [0u8; 1024];
            while !String::from_utf8_lossy(&seen).contains("event: hello") {
                let read = stream.read(&mut buffer).expect("read");
                assert!(read > 0, "stream {index} ended before hello");
                seen.extend_from_slice(&buffer[..read]);
            }
        }
        if index % 4 < 2 {
            drop(stream);
        } else {
            kept.push(stream);
        }
    }
    kept
}

#[test]
fn eighty_abandoned_event_streams_do_not_stop_a_new_one() {
    let site = TestSite::new();
    let server = site.serve(&[], &[("RUST_LOG", "warn,coordinator::serve=debug")]);
    let kept = abandon_streams(server.address, 80);
    // A new page still gets its greeting, and its reloads.
    let mut events = server.events();
    std::fs::write(
        site.path("content/guide.md"),
        "---\ntitle: Guide\n---\nAfter eighty streams.\n",
    )
    .expect("edit");
    events.wait_for("reload of /guide/", EVENT_WAIT, is_reload_of("/guide/"));
    assert!(
        server
            .get("/guide/")
            .text()
            .contains("After eighty streams.")
    );

    // The closed ones are noticed and dropped (the pings find them). A stream whose client
    // closed before its request was read never opened, so the count is of open streams.
    let count = |suffix: &str| {
        server
            .stderr()
            .iter()
            .filter(|line| line.ends_with(suffix))
            .count()
    };
    let still_open =
        || count("GET /__ssg/events 200 (stream opened)") - count("/__ssg/events: stream closed");
    let wait_for_open = |expected: usize| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while still_open() > expected && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        assert_eq!(still_open(), expected, "{}", server.output());
    };
    // The 40 kept (open, never read) and this test's own.
    wait_for_open(41);
    drop(kept);
    wait_for_open(1);
}

#[test]
fn several_tabs_each_hear_about_their_own_page() {
    let site = TestSite::new();
    let server = site.serve(&[], &[]);
    // Three tabs: each loaded its page, then opened its stream.
    let mut tabs: Vec<(&str, EventStream)> = ["/", "/guide/", "/other/"]
        .into_iter()
        .map(|url| {
            assert_eq!(server.get(url).status, 200, "{url}");
            (url, server.events())
        })
        .collect();
    for (file, url, text) in [
        ("content/other.md", "/other/", "Other, edited."),
        ("content/guide.md", "/guide/", "Guide, edited."),
        ("content/_index.md", "/", "Home, edited."),
    ] {
        std::fs::write(site.path(file), format!("---\ntitle: T\n---\n{text}\n")).expect("edit");
        for (tab, events) in &mut tabs {
            let reload = events.wait_for(
                &format!("reload of {url} in the tab on {tab}"),
                EVENT_WAIT,
                |name, _| name == "reload",
            );
            assert!(
                names(&reload, "pages").iter().any(|page| page == url),
                "the tab on {tab}: {reload}"
            );
        }
        assert!(server.get(url).text().contains(text), "{url}");
    }
}

#[test]
fn binding_every_interface_warns_that_the_site_is_exposed() {
    let site = TestSite::new();
    let server = site.serve(&["--bind", "0.0.0.0"], &[]);
    assert!(server.address.ip().is_loopback(), "{}", server.address);
    assert_eq!(server.get("/guide/").status, 200);
    assert!(
        server.stderr().iter().any(|line| line
            .starts_with("warning: listening on every network interface")
            && line.contains("exposed")),
        "{}",
        server.output()
    );
    drop(server);
    let local = site.serve(&[], &[]);
    assert!(
        !local.stderr().iter().any(|line| line.contains("exposed")),
        "{}",
        local.output()
    );
}

//! The site search, end to end: real sites built by the real binary, queried by the theme's
//! real `search-worker.js` in headless Chromium, served under a base path (`/docs/`).
//!
//! A harness page (written into the output after the build, never part of a site) starts
//! the worker once per query, so every query is a cold one, and posts the answers back to
//! the test's own little HTTP server, which also counts the bytes each answer downloaded.

use crate::support::{
    Browser, build, chromium_or_skip, copy_site, example_site, headless_chromium, samples,
    workspace,
};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BASE: &str = "/docs";

/// Serves `root` under [`BASE`] on 127.0.0.1 and keeps the body of a `POST /__result`.
struct StaticServer {
    address: std::net::SocketAddr,
    result: Arc<Mutex<Option<String>>>,
    stop: Arc<AtomicBool>,
}

impl StaticServer {
    fn start(root: &Path) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        let result = Arc::new(Mutex::new(None));
        let stop = Arc::new(AtomicBool::new(false));
        let (root, shared, stopping) = (root.to_path_buf(), result.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (root, shared) = (root.clone(), shared.clone());
                std::thread::spawn(move || serve_one(stream, &root, &shared));
            }
        });
        StaticServer {
            address,
            result,
            stop,
        }
    }

    fn wait_for_result(&self, browser: &mut Browser) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(result) = self.result.lock().expect("lock").take() {
                return result;
            }
            if let Ok(Some(status)) = browser.0.try_wait() {
                panic!("chromium exited ({status}) before posting results");
            }
            assert!(Instant::now() < deadline, "chromium posted no results");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.address);
    }
}

fn serve_one(stream: TcpStream, root: &Path, result: &Mutex<Option<String>>) {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut content_length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            content_length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let (status, content_type, body): (&str, &str, Vec<u8>) = if method == "POST"
        && path == "/__result"
    {
        let mut body = vec![0; content_length];
        let _ = reader.read_exact(&mut body);
        *result.lock().expect("lock") = Some(String::from_utf8_lossy(&body).into_owned());
        ("200 OK", "text/plain", Vec::new())
    } else {
        match file_for(root, path).and_then(|file| std::fs::read(&file).ok().map(|b| (file, b))) {
            Some((file, bytes)) => ("200 OK", content_type(&file), bytes),
            None => ("404 Not Found", "text/plain", b"not found".to_vec()),
        }
    };
    let mut stream = reader.into_inner();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn file_for(root: &Path, path: &str) -> Option<PathBuf> {
    let rest = path.strip_prefix(BASE)?.trim_start_matches('/');
    if rest.split('/').any(|segment| segment == "..") {
        return None;
    }
    let mut file = root.join(rest);
    if rest.is_empty() || rest.ends_with('/') {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The page that runs the queries: one fresh worker per query (a cold start every time).
const HARNESS: &str = r#"<!doctype html><meta charset="utf-8"><title>search harness</title>
<script>
(async () => {
  const queries = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  const answers = {};
  const manifest = new URL("/docs/search/manifest.json", location.href).href;
  for (const q of queries) {
    const worker = new Worker("/docs/assets/search-worker.js");
    answers[q.name] = await new Promise((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => resolve({ type: "error", message: String(event.message) });
      worker.postMessage({ type: "query", id: 1, query: q.query, version: q.version || "",
                           kind: q.kind || "", manifest, basePath: "/docs" });
    });
    worker.terminate();
  }
  await fetch("/__result", { method: "POST", body: JSON.stringify(answers) });
})();
</script>
"#;

/// Runs `queries` (`[{name, query, version?, kind?}]`) against the built site in `out`;
/// `None` when Chromium is not installed (and not required).
fn run_queries(out: &Path, queries: &Value) -> Option<Value> {
    run_harness(out, HARNESS, &urlencode(&queries.to_string()))
}

/// Opens `harness` (written into `out`) in headless Chromium with `fragment`, and returns
/// the JSON it posts; `None` when Chromium is not installed (and not required).
fn run_harness(out: &Path, harness: &str, fragment: &str) -> Option<Value> {
    let chromium = chromium_or_skip()?;
    std::fs::write(out.join("search-harness.html"), harness).expect("write harness");
    let server = StaticServer::start(out);
    let profile = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "http://{}{BASE}/search-harness.html#{fragment}",
        server.address
    );
    let mut browser = headless_chromium(&chromium, profile.path())
        .arg(url)
        .spawn()
        .map(Browser)
        .expect("start chromium");
    let answers = server.wait_for_result(&mut browser);
    Some(serde_json::from_str(&answers).expect("answers are JSON"))
}

/// Types into the search box of a real page (in a same-origin frame) and reports what the
/// reader sees: result links, highlighted words, the keyboard selection, facet buttons.
const UI_HARNESS: &str = r#"<!doctype html><meta charset="utf-8"><title>search ui harness</title>
<iframe id="page" src="/docs/guides/retries/" style="width:1200px;height:900px"></iframe>
<script>
const frame = document.getElementById("page");
const pause = () => new Promise((resolve) => setTimeout(resolve, 25));
async function until(test, what) {
  for (let i = 0; i < 800; i++) {
    const value = test();
    if (value) return value;
    await pause();
  }
  throw new Error("timed out waiting for " + what);
}
frame.onload = async () => {
  const report = {};
  try {
    const doc = frame.contentDocument;
    const input = await until(() => doc.querySelector(".search-input"), "the search box");
    const list = doc.querySelector(".search-results");
    const links = () => [...list.querySelectorAll('[role="option"] a')].map((a) => a.getAttribute("href"));
    input.focus();
    input.value = "quokka";
    input.dispatchEvent(new Event("input"));
    await until(() => list.querySelector('[role="option"]'), "results");
    report.links = links();
    report.marks = [...list.querySelectorAll("mark")].map((m) => m.textContent);
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    const selected = list.querySelector('[aria-selected="true"] a');
    report.selected = selected ? selected.getAttribute("href") : null;
    input.value = "task";
    input.dispatchEvent(new Event("input"));
    const buttons = () => [...list.querySelectorAll(".search-facet")];
    await until(() => buttons().length > 1 && list.querySelector('[role="option"]'), "facets");
    report.facets = buttons().map((b) => b.textContent);
    const api = buttons().find((b) => b.textContent.startsWith("API"));
    api.click();
    await until(() => !api.isConnected && buttons().some((b) => b.getAttribute("aria-pressed") === "true" && b.textContent.startsWith("API")), "the API facet");
    report.api_links = links();
  } catch (error) {
    report.error = String(error);
  }
  await fetch("/__result", { method: "POST", body: JSON.stringify(report) });
};
</script>
"#;

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// URLs of an answer's results, in rank order.
fn urls(answer: &Value) -> Vec<String> {
    assert_eq!(answer["type"], "results", "{answer}");
    answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["url"].as_str().expect("url").to_string())
        .collect()
}

fn snippet_marks(result: &Value) -> Vec<String> {
    result["snippet"]
        .as_array()
        .expect("snippet")
        .iter()
        .filter(|part| part[1] == true)
        .map(|part| part[0].as_str().expect("text").to_string())
        .collect()
}

/// Writes `files` (relative path → content) into `root`.
fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, content) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().expect("file has a parent")).expect("mkdir");
        std::fs::write(full, content).expect("write");
    }
}

/// Copies the markdown files of `from` into `to`.
fn copy_markdown(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (is ../shared beside the checkout?)",
            from.display()
        )
    });
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copy");
        }
    }
}

/// Moves the site's `base_url` under `/docs/`.
fn serve_under_docs(site: &Path) {
    let config = std::fs::read_to_string(site.join("ssg.toml")).expect("config");
    let moved = config.replacen(".example.org/\"", ".example.org/docs/\"", 1);
    assert_ne!(moved, config, "base_url not found");
    std::fs::write(site.join("ssg.toml"), moved).expect("config");
}

#[test]
fn headless_chromium_finds_body_words_typos_api_members_and_phrases() {
    let site = example_site();
    serve_under_docs(&site);
    write_files(
        &site,
        &[
            (
                "content/guides/field-notes.md",
                "---\ntitle: Field notes\n---\n\nA quokka sanctuary opened near the harbour.\n\n\
                 Zoë ordered a café crème in Straße 5.\n\n\
                 Stochastic gradient descent converges slowly here.\n",
            ),
            (
                "content/guides/reversed.md",
                "---\ntitle: Reversed words\n---\n\nDescent gradient stochastic, in the other order.\n",
            ),
        ],
    );
    // MDN's pages: em dashes, curly quotes, `…`.
    copy_markdown(&samples().join("markdown/mdn"), &site.join("content/mdn"));
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());

    let queries = json!([
        {"name": "body", "query": "quokka"},
        {"name": "typo", "query": "sanctuery"},
        {"name": "prefix", "query": "sanctu"},
        {"name": "api", "query": "Queue.task"},
        {"name": "phrase", "query": "\"stochastic gradient descent\""},
        {"name": "words", "query": "stochastic gradient descent "},
        {"name": "diacritics", "query": "zoe cafe strasse"},
        {"name": "nothing", "query": "xylophonic"},
        {"name": "api-facet", "query": "task", "kind": "api"},
        {"name": "mdn", "query": "gains"},
        {"name": "mdn-phrase", "query": "\"performance gains for example\""},
    ]);
    let Some(answers) = run_queries(out.path(), &queries) else {
        return;
    };
    let notes = "/docs/guides/field-notes/";
    assert_eq!(urls(&answers["body"]), [notes]);
    let body_hit = &answers["body"]["results"][0];
    assert_eq!(body_hit["title"], "Field notes");
    assert_eq!(snippet_marks(body_hit), ["quokka"], "{body_hit}");
    assert_eq!(urls(&answers["typo"]), [notes], "one edit, 5+ letters");
    assert_eq!(urls(&answers["prefix"]), [notes], "prefix while typing");

    let api = &answers["api"]["results"][0];
    let api_url = api["url"].as_str().expect("url");
    assert!(api_url.ends_with("/#tidepool.queue.Queue.task"), "{api}");
    assert!(api_url.starts_with("/docs/api/"), "{api}");
    assert_eq!(api["type"], "api");

    assert_eq!(urls(&answers["phrase"]), [notes], "the phrase, in order");
    let mut both = urls(&answers["words"]);
    both.sort();
    assert_eq!(
        both,
        ["/docs/guides/field-notes/", "/docs/guides/reversed/"]
    );
    assert_eq!(urls(&answers["diacritics"]), [notes]);
    assert!(urls(&answers["nothing"]).is_empty());

    let facet = &answers["api-facet"];
    assert!(!urls(facet).is_empty());
    assert!(
        urls(facet).iter().all(|u| u.starts_with("/docs/api/")),
        "{facet}"
    );
    assert!(
        facet["facets"]["kinds"]["guide"].as_u64().unwrap_or(0) > 0,
        "{facet}"
    );

    // The search box itself: typing, highlighting, arrow keys, facet buttons.
    let Some(ui) = run_harness(out.path(), UI_HARNESS, "") else {
        return;
    };
    assert!(ui["error"].is_null(), "{ui}");
    assert_eq!(ui["links"], json!([notes]), "{ui}");
    assert_eq!(ui["marks"], json!(["quokka"]), "{ui}");
    assert_eq!(ui["selected"], notes, "{ui}");
    let facets: Vec<&str> = ui["facets"]
        .as_array()
        .expect("facets")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        facets.iter().any(|f| f.starts_with("Guide"))
            && facets.iter().any(|f| f.starts_with("API")),
        "{ui}"
    );
    let api_links = ui["api_links"].as_array().expect("links");
    assert!(
        !api_links.is_empty()
            && api_links
                .iter()
                .all(|l| l.as_str().is_some_and(|l| l.starts_with("/docs/api/"))),
        "{ui}"
    );

    let is_simd = |u: &String| u.to_lowercase().contains("simd");
    assert!(
        urls(&answers["mdn"]).iter().any(is_simd),
        "{}",
        answers["mdn"]
    );
    let phrase = urls(&answers["mdn-phrase"]);
    assert!(
        phrase.len() == 1 && is_simd(&phrase[0]),
        "a phrase across an em dash: {phrase:?}"
    );
}

#[test]
fn headless_chromium_searches_the_version_shown() {
    let site = copy_site(&workspace().join("tests/fixtures/sites/versioned"));
    serve_under_docs(&site);
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());

    let queries = json!([
        {"name": "all", "query": "guide"},
        {"name": "v1", "query": "guide", "version": "1.x"},
        {"name": "v2", "query": "guide", "version": "2.x"},
    ]);
    let Some(answers) = run_queries(out.path(), &queries) else {
        return;
    };
    let (all, v1, v2) = (
        urls(&answers["all"]),
        urls(&answers["v1"]),
        urls(&answers["v2"]),
    );
    let in_v1 = |u: &String| u.starts_with("/docs/v1/");
    assert!(v1.iter().any(in_v1), "{v1:?}");
    assert!(!v2.is_empty() && !v2.iter().any(in_v1), "{v2:?}");
    assert!(
        all.iter().any(in_v1) && all.len() > v1.len(),
        "{all:?} {v1:?}"
    );
    let versions = &answers["all"]["facets"]["versions"];
    assert!(versions["1.x"].as_u64().unwrap_or(0) > 0, "{versions}");
    assert!(versions["2.x"].as_u64().unwrap_or(0) > 0, "{versions}");
}

/// Every page of the search index at `out` as (URL, kind, version label), in index order;
/// read straight from the files, for tests of other areas.
pub fn indexed_pages(out: &Path) -> Vec<(String, String, Option<String>)> {
    let read_json = |rel: &str| -> Value {
        let text = crate::support::read(out, rel);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    let manifest = read_json("search/manifest.json");
    let groups = manifest["groups"].as_array().expect("groups");
    let version_of = |page: u64| -> Option<String> {
        let group = groups
            .iter()
            .rev()
            .find(|g| g[0].as_u64().is_some_and(|first| first <= page))?;
        let version = group[1].as_i64().filter(|v| *v >= 0)?;
        manifest["versions"][version as usize]
            .as_str()
            .map(str::to_string)
    };
    let mut pages = Vec::new();
    for first in manifest["docs"].as_array().expect("docs") {
        for record in read_json(&format!("search/d/{first}.json"))
            .as_array()
            .expect("chunk")
        {
            let url = record[0].as_str().expect("url").to_string();
            let kind = record[2].as_str().expect("kind").to_string();
            pages.push((url, kind, version_of(pages.len() as u64)));
        }
    }
    pages
}

/// The files under `out/search/`.
fn search_tree(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    crate::support::tree(&out.join("search"))
}

#[test]
fn index_files_are_identical_in_every_mode_and_after_an_incremental_build() {
    let site = example_site();
    let modes: [&[&str]; 4] = [
        &["--no-shard"],
        &["--threads"],
        &["--process-parallel", "--max-processes", "1"],
        &["--process-parallel", "--max-processes", "3"],
    ];
    let mut reference = None;
    for flags in modes {
        let out = tempfile::tempdir().expect("temp dir");
        let mut args = vec!["--no-cache"];
        args.extend_from_slice(flags);
        let run = build(&site, out.path(), &args);
        assert_eq!(run.code(), 0, "{flags:?}: {}", run.stderr());
        let files = search_tree(out.path());
        assert!(files.contains_key("manifest.json") && files.len() > 3);
        match &reference {
            None => reference = Some(files),
            Some(first) => assert!(first == &files, "{flags:?} wrote other index files"),
        }
    }

    // Incremental: build, edit one page, build through the cache; then a clean build.
    let out = tempfile::tempdir().expect("temp dir");
    assert_eq!(build(&site, out.path(), &[]).code(), 0);
    let page = site.join("content/guides/retries.md");
    let text = std::fs::read_to_string(&page).expect("read page");
    std::fs::write(&page, format!("{text}\nA new paragraph about wombats.\n")).expect("edit");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let clean = tempfile::tempdir().expect("temp dir");
    assert_eq!(build(&site, clean.path(), &["--no-cache"]).code(), 0);
    let (incremental, fresh) = (search_tree(out.path()), search_tree(clean.path()));
    assert!(
        incremental == fresh,
        "incremental index differs from a clean build"
    );
    let wombat_bucket = incremental
        .iter()
        .filter(|(name, _)| name.starts_with("t/"))
        .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains("wombats "));
    assert!(
        wombat_bucket,
        "the edited page's new word is in the dictionary"
    );
}

/// The index parts in the site's cache: file name → inode (a rewritten file gets a new one).
fn cached_parts(site: &Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir(site.join(".ssg-cache/search"))
        .expect("the cache holds the index parts")
        .map(|entry| entry.expect("entry"))
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, entry.metadata().expect("metadata").ino())
        })
        .filter(|(name, _)| name != "files.bin" && name != "index.bin")
        .collect()
}

#[test]
fn an_edit_recomputes_one_part_of_the_index_and_matches_a_clean_build() {
    let site = example_site();
    let out = tempfile::tempdir().expect("temp dir");
    assert_eq!(build(&site, out.path(), &[]).code(), 0);
    let before = cached_parts(&site);
    assert!(before.len() >= 2, "one part per shard: {before:?}");
    let matches_a_clean_build = |what: &str| {
        let pristine = copy_site(&site);
        let clean = tempfile::tempdir().expect("temp dir");
        assert_eq!(build(&pristine, clean.path(), &["--no-cache"]).code(), 0);
        assert!(
            search_tree(out.path()) == search_tree(clean.path()),
            "{what}: the index differs from a clean build's"
        );
    };

    let page = site.join("content/guides/retries.md");
    let text = std::fs::read_to_string(&page).expect("read page");
    std::fs::write(&page, format!("{text}\nBandicoots retry too.\n")).expect("edit");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let after = cached_parts(&site);
    let rewritten: Vec<&String> = after
        .iter()
        .filter(|(name, inode)| before.get(*name) != Some(inode))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        rewritten.len(),
        1,
        "only the edited page's shard: {rewritten:?}"
    );
    assert_eq!(after.len(), before.len());
    matches_a_clean_build("after an edit");
    let bucket_has = |word: &str| {
        search_tree(out.path())
            .iter()
            .filter(|(name, _)| name.starts_with("t/"))
            .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains(word))
    };
    assert!(bucket_has("bandicoots "));

    // A second edit, updating the index the first one left (`.ssg-cache/search/index.bin`).
    std::fs::write(&page, format!("{text}\nWombats retry too, wombats.\n")).expect("edit");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    matches_a_clean_build("after a second edit");
    assert!(bucket_has("wombats ") && !bucket_has("bandicoots "));

    // A page deleted: its words leave the index.
    std::fs::remove_file(&page).expect("delete page");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    matches_a_clean_build("after a deletion");
    assert!(!bucket_has("bandicoots "));

    // Damaged parts are computed again, with the same index.
    for name in cached_parts(&site).keys() {
        std::fs::write(site.join(".ssg-cache/search").join(name), b"garbage").expect("damage");
    }
    std::fs::write(
        site.join("content/guides/new.md"),
        "---\ntitle: New\n---\n\nNew page.\n",
    )
    .expect("add page");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.warnings().iter().all(|w| !w.contains("cache")),
        "a damaged part is no warning: {:?}",
        run.warnings()
    );
    matches_a_clean_build("after damaged parts");
}

/// Loads the theme's `search-worker.js` as a page script and posts the terms its tokenizer
/// finds in each text of the fragment (words, then parts and whole word).
const TOKENIZER_HARNESS: &str = r#"<!doctype html><meta charset="utf-8"><title>tokenizer harness</title>
<script src="/docs/assets/search-worker.js"></script>
<script>
(async () => {
  const texts = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  const terms = texts.map((text) => scanWords(text).flatMap((w) => {
    const found = termsOfWord(w.word);
    return found.parts.concat(found.whole ? [found.whole] : []);
  }));
  await fetch("/__result", { method: "POST", body: JSON.stringify(terms) });
})();
</script>
"#;

#[test]
fn the_browser_tokenizes_as_the_index_does_cjk_included() {
    let site = example_site();
    serve_under_docs(&site);
    let out = tempfile::tempdir().expect("temp dir");
    assert_eq!(build(&site, out.path(), &[]).code(), 0);
    let texts = [
        "Context.invoke read_file getElementById HTMLParser __init__",
        "Été à Zürich, Straße 5, version 1.5. End. Next",
        "東京都に住む 猫 Python入門 ガイド",
        "人工智能。机器学习 한국어 검색 v1.日本 Zoë中文",
    ];
    let Some(answer) = run_harness(
        out.path(),
        TOKENIZER_HARNESS,
        &urlencode(&json!(texts).to_string()),
    ) else {
        return;
    };
    for (n, text) in texts.iter().enumerate() {
        let mut expected = Vec::new();
        worker::search_terms::for_each_term(text, |term, _| expected.push(term.to_string()));
        assert_eq!(answer[n], json!(expected), "{text}");
    }
}

#[test]
fn headless_chromium_checks_phrases_past_the_first_candidates_falls_back_to_any_word_and_finds_cjk()
{
    let site = example_site();
    serve_under_docs(&site);
    let mut files: Vec<(String, String)> = (0..40)
        .map(|n| {
            (
                format!("content/decoys/decoy-{n:02}.md"),
                format!("---\ntitle: Decoy {n}\n---\n\nNumbat and wombat.\n"),
            )
        })
        .collect();
    let filler = "Long text about other animals and places. ".repeat(40);
    files.extend([
        (
            "content/guides/hybrid.md".to_string(),
            format!("---\ntitle: Hybrids\n---\n\n{filler}\n\nA wombat numbat hybrid, at last.\n\n{filler}\n"),
        ),
        (
            "content/guides/platypus.md".to_string(),
            "---\ntitle: Monotremes\n---\n\nThe platypus lays eggs.\n".to_string(),
        ),
        (
            "content/guides/axolotl.md".to_string(),
            "---\ntitle: Amphibians\n---\n\nThe axolotl regrows limbs.\n".to_string(),
        ),
        (
            "content/guides/nihongo.md".to_string(),
            "---\ntitle: 日本語のページ\n---\n\n私は東京都に住んでいます。\n\n人工智能和机器学习。\n"
                .to_string(),
        ),
    ]);
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    write_files(&site, &files);
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());

    let queries = json!([
        {"name": "words", "query": "wombat numbat"},
        {"name": "phrase", "query": "\"wombat numbat\""},
        {"name": "some-words", "query": "platypus axolotl"},
        {"name": "unknown-word", "query": "platypus xylophonicz"},
        {"name": "all-words", "query": "platypus eggs"},
        {"name": "cjk", "query": "東京都"},
        {"name": "cjk-inside", "query": "住んで"},
        {"name": "cjk-phrase", "query": "\"人工智能\""},
        {"name": "cjk-title", "query": "日本語"},
        {"name": "cjk-absent", "query": "大阪"},
    ]);
    let Some(answers) = run_queries(out.path(), &queries) else {
        return;
    };
    let hybrid = "/docs/guides/hybrid/";
    let words = &answers["words"];
    assert!(
        words["total"].as_u64().unwrap_or(0) >= 41,
        "every decoy and the hybrid page have both words: {words}"
    );
    assert!(
        !urls(words).iter().any(|u| u == hybrid),
        "the long page ranks below the first ten: {words}"
    );
    assert_eq!(
        urls(&answers["phrase"]),
        [hybrid],
        "found after the first 30 candidates failed the phrase"
    );
    assert_eq!(answers["phrase"]["anyWord"], false);

    let mut some = urls(&answers["some-words"]);
    some.sort();
    assert_eq!(
        some,
        ["/docs/guides/axolotl/", "/docs/guides/platypus/"],
        "{}",
        answers["some-words"]
    );
    assert_eq!(answers["some-words"]["anyWord"], true);
    assert_eq!(urls(&answers["unknown-word"]), ["/docs/guides/platypus/"]);
    assert_eq!(answers["unknown-word"]["anyWord"], true);
    assert_eq!(urls(&answers["all-words"]), ["/docs/guides/platypus/"]);
    assert_eq!(answers["all-words"]["anyWord"], false);

    let nihongo = "/docs/guides/nihongo/";
    for name in ["cjk", "cjk-inside", "cjk-phrase"] {
        assert_eq!(urls(&answers[name]), [nihongo], "{name}: {}", answers[name]);
    }
    // The title, first; the section page listing it follows.
    assert_eq!(
        urls(&answers["cjk-title"]).first().map(String::as_str),
        Some(nihongo)
    );
    assert_eq!(
        snippet_marks(&answers["cjk"]["results"][0]),
        ["私は東京都に住んでいます"],
        "the run holding the match is highlighted"
    );
    assert!(urls(&answers["cjk-absent"]).is_empty());
}

//! The bundled example site builds cleanly and its outputs hold what a reader needs.

use crate::support::{build, example_site, read};

#[test]
fn example_site_builds_without_errors_or_warnings() {
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&example_site(), out.path(), &[]);
    assert_eq!(
        run.code(),
        0,
        "errors: {:#?}\nstderr: {}",
        run.errors(),
        run.stderr()
    );
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    assert!(run.warnings().is_empty(), "{:#?}", run.warnings());
    assert_eq!(run.count("pages", "content"), 15);
    assert_eq!(run.count("pages", "autodoc"), 6);
    assert_eq!(run.count("rendered", "content"), 15);
    assert_eq!(run.count("rendered", "autodoc"), 6);
    assert!(run.count("pages", "generated") >= 10, "{}", run.json);
    assert_eq!(run.count("cached", "content"), 0);
    assert!(
        run.json["outputs"].as_u64().unwrap_or(0) > 60,
        "{}",
        run.json
    );

    let o = out.path();
    for file in [
        "index.html",
        "index.json",
        "index.txt",
        "404.html",
        "sitemap.xml",
        "rss.xml",
        "llm-full.txt",
        "assets/style.css",
        "assets/highlight.css",
        "assets/autodoc.css",
        "assets/search.js",
        "assets/search-worker.js",
        "search/manifest.json",
        "img/flow.svg",
        "getting-started/installation/index.html",
        "getting-started/installation/index.json",
        "getting-started/installation/index.txt",
        "api/tidepool/index.html",
        "api/tidepool/queue/index.html",
        "api/tidepool/backends/memory/index.html",
        "tags/index.html",
        "tags/python/index.html",
        "categories/guide/index.html",
        "deploy/index.html",
    ] {
        assert!(o.join(file).is_file(), "missing output {file}");
    }
    assert!(
        !o.join("api/tidepool/_internal").exists(),
        "private module documented"
    );
}

#[test]
fn pages_render_markdown_links_code_and_autodoc() {
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&example_site(), out.path(), &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    let o = out.path();

    let first_task = read(o, "getting-started/first-task/index.html");
    // Relative .md links become page URLs, fragments kept.
    assert!(
        first_task.contains(r#"href="/guides/retries/#backoff""#),
        "relative link not rewritten"
    );
    assert!(first_task.contains(r#"href="/getting-started/configuration/""#));
    // Admonition and highlighted code.
    assert!(
        first_task.contains("admonition note"),
        "MyST note not rendered"
    );
    assert!(first_task.contains("<pre"), "no code block");
    // Template syntax in content stays literal text.
    let configuration = read(o, "getting-started/configuration/index.html");
    assert!(
        configuration.contains("{{ user.name }}") && configuration.contains("{% if premium %}")
    );

    let queue = read(o, "api/tidepool/queue/index.html");
    for needle in [
        "Queue",
        "dead_letters",
        "concurrency",
        "TaskId",
        "src/tidepool/queue.py",
    ] {
        assert!(queue.contains(needle), "autodoc page lacks {needle}");
    }
    assert!(!queue.contains("_lease"), "private method documented");
    let workers = read(o, "api/tidepool/workers/index.html");
    assert!(workers.contains("WorkerPool") && workers.contains("scale"));
    let retry = read(o, "api/tidepool/retry/index.html");
    assert!(retry.contains("RetryPolicy") && retry.contains("should_retry"));

    let alias = read(o, "deploy/index.html");
    assert!(
        alias.contains("/guides/deployment/"),
        "alias does not redirect"
    );

    let page_json: serde_json::Value =
        serde_json::from_str(&read(o, "guides/retries/index.json")).expect("page json");
    assert_eq!(page_json["title"], "Retries and failures");
    assert_eq!(page_json["kind"], "content");
    assert!(
        page_json["headings"]
            .as_array()
            .is_some_and(|h| h.iter().any(|h| h["id"] == "backoff"))
    );
    assert!(
        page_json["text"]
            .as_str()
            .is_some_and(|t| t.contains("exponential backoff"))
    );

    let searched = crate::search::indexed_pages(o);
    assert!(
        searched
            .iter()
            .any(|(url, kind, _)| url == "/api/tidepool/queue/" && kind == "api")
    );
    assert!(searched.iter().any(|(url, _, _)| url == "/guides/retries/"));

    let sitemap = read(o, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://tidepool.example.org/guides/retries/</loc>"));
    assert!(!sitemap.contains("404.html"));
    let rss = read(o, "rss.xml");
    assert!(
        rss.contains("Observability"),
        "newest dated page missing from the feed"
    );
    let llm = read(o, "llm-full.txt");
    assert!(llm.contains("Retries and failures") && llm.contains("exponential backoff"));
}

#[test]
fn rebuilding_gives_identical_output() {
    let first = tempfile::tempdir().expect("temp dir");
    let second = tempfile::tempdir().expect("temp dir");
    assert_eq!(build(&example_site(), first.path(), &[]).code(), 0);
    assert_eq!(build(&example_site(), second.path(), &[]).code(), 0);
    crate::support::assert_same_tree(first.path(), second.path(), "two builds of the example");
}

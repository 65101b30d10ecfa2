//! Versioned docs: `content/_versions/<id>/` per version, `content/_shared/` in every
//! version, one nav tree and URL prefix per version, a version switcher, and site files and
//! link checks merged across versions.

use crate::support::{build, copy_site, read, workspace};
use std::path::Path;

fn versioned_site() -> crate::support::TempSite {
    copy_site(&workspace().join("tests/fixtures/sites/versioned"))
}

#[test]
fn versions_get_their_own_urls_and_shared_pages_appear_in_each() {
    let site = versioned_site();
    let out = site.join("public");
    let run = build(&site, &out, &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert!(run.warnings().is_empty(), "{:#?}", run.warnings());
    for file in [
        "index.html",
        "guide/index.html",
        "new/index.html",
        "faq/index.html",
        "img/logo.svg",
        "v1/index.html",
        "v1/guide/index.html",
        "v1/only-v1/index.html",
        "v1/faq/index.html",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    assert!(!out.join("_versions").exists() && !out.join("_shared").exists());
    // Two versions of the guide, the shared FAQ twice, two version roots.
    assert_eq!(run.count("pages", "content"), 8);

    // A shared page links within its own version.
    assert!(read(&out, "v1/faq/index.html").contains(r#"href="/v1/guide/""#));
    assert!(read(&out, "faq/index.html").contains(r#"href="/guide/""#));
    // Relative links within a version, absolute links across versions.
    let v1_guide = read(&out, "v1/guide/index.html");
    assert!(v1_guide.contains(r#"href="/v1/faq/""#));
    assert!(v1_guide.contains(r#"href="/guide/""#));
}

fn switcher_links(html: &str) -> Vec<String> {
    let Some(start) = html.find("class=\"versions") else {
        return Vec::new();
    };
    let end = html[start..]
        .find("</nav>")
        .or_else(|| html[start..].find("</div>"))
        .map_or(html.len(), |e| start + e);
    html[start..end]
        .split("value=\"")
        .skip(1)
        .chain(html[start..end].split("href=\"").skip(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_version_switcher_links_to_the_same_page_or_the_version_root() {
    let site = versioned_site();
    let out = site.join("public");
    assert_eq!(build(&site, &out, &[]).code(), 0);
    let on_v1_guide = switcher_links(&read(&out, "v1/guide/index.html"));
    assert!(
        on_v1_guide.contains(&"/guide/".to_string()),
        "{on_v1_guide:?}"
    );
    assert!(
        on_v1_guide.contains(&"/v1/guide/".to_string()),
        "{on_v1_guide:?}"
    );
    let on_legacy = switcher_links(&read(&out, "v1/only-v1/index.html"));
    assert!(
        on_legacy.contains(&"/".to_string()),
        "no page in 2.x: link to its root: {on_legacy:?}"
    );
    let html = read(&out, "v1/guide/index.html");
    assert!(
        html.contains("1.x") && html.contains("2.x"),
        "labels missing"
    );
}

#[test]
fn site_files_are_merged_across_versions_and_tagged() {
    let site = versioned_site();
    let out = site.join("public");
    assert_eq!(build(&site, &out, &[]).code(), 0);
    let searched = crate::search::indexed_pages(&out);
    let version = |url: &str| {
        searched
            .iter()
            .find(|(u, _, _)| u == url)
            .and_then(|(_, _, version)| version.clone())
            .unwrap_or_default()
    };
    assert_eq!(version("/v1/guide/"), "1.x");
    assert_eq!(version("/guide/"), "2.x");
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains("/v1/guide/")
            && sitemap.contains("<loc>https://versioned.example.org/guide/</loc>")
    );
    // The tag page lists both versions' guides.
    let tag = read(&out, "tags/setup/index.html");
    assert!(tag.contains("/v1/guide/") && tag.contains(r#"href="/guide/""#));
}

#[test]
fn a_link_to_a_page_missing_in_another_version_is_reported() {
    let site = versioned_site();
    let page = site.join("content/_versions/v1/guide.md");
    let text = std::fs::read_to_string(&page).expect("read") + "\nSee [what is new](/v1/new/).\n";
    std::fs::write(&page, text).expect("write");
    let run = build(&site, &site.join("public"), &[]);
    assert!(
        run.warnings()
            .iter()
            .any(|w| w.starts_with("content/_versions/v1/guide.md:") && w.contains("/v1/new/")),
        "{:#?}",
        run.warnings()
    );
}

#[test]
fn editing_a_shared_page_rerenders_it_in_every_version() {
    let site = versioned_site();
    let out = site.join("public");
    assert_eq!(build(&site, &out, &[]).code(), 0);
    let faq = site.join("content/_shared/faq.md");
    let text = std::fs::read_to_string(&faq).expect("read") + "\nA new answer.\n";
    std::fs::write(&faq, text).expect("write");
    let run = build(&site, &out, &["--shard-versions"]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert_eq!(run.count("rendered", "content"), 2, "{}", run.json);
    assert!(read(&out, "faq/index.html").contains("A new answer."));
    assert!(read(&out, "v1/faq/index.html").contains("A new answer."));
    let shard_ids: Vec<&str> = run.json["shards"]
        .as_array()
        .expect("shards")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert!(
        shard_ids.contains(&"v1") && shard_ids.contains(&"v2"),
        "{shard_ids:?}"
    );

    let clean = tempfile::tempdir().expect("temp dir");
    let pristine = copy_site(&site);
    assert_eq!(build(&pristine, clean.path(), &["--no-cache"]).code(), 0);
    crate::support::assert_same_tree(
        clean.path(),
        &out,
        "incremental vs clean build of versioned docs",
    );
}

#[test]
fn the_latest_version_can_live_under_latest() {
    let site = versioned_site();
    let config = site.join("ssg.toml");
    let text = std::fs::read_to_string(&config)
        .expect("read")
        .replace("latest = \"v2\"", "latest = \"v2\"\nlatest_at_root = false");
    std::fs::write(&config, text).expect("write");
    let out = site.join("public");
    let run = build(&site, &out, &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert!(out.join("latest/guide/index.html").is_file());
    assert!(out.join("latest/img/logo.svg").is_file());
    assert!(
        read(&out, "index.html").contains("/latest/"),
        "the root redirects to the latest version"
    );
    assert!(read(&out, "latest/faq/index.html").contains(r#"href="/latest/guide/""#));
    assert!(!Path::new(&out.join("guide")).exists());
}

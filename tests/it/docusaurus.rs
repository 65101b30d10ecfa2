//! Docusaurus sites as they are: the vendored docs of Docusaurus' classic template
//! (`tests/fixtures/sites/docusaurus-classic`, a JavaScript sidebar, `_category_.json`,
//! `sidebar_position`, MDX) and a versioned site with JSON sidebars
//! (`tests/fixtures/sites/docusaurus-versioned`).

use crate::support::{
    article_texts, assert_same_tree, binary, build, copy_site, read, site_from, workspace,
};
use std::path::Path;

fn assert_no_mdx_left(out: &Path) {
    let texts = article_texts(out);
    assert!(!texts.is_empty());
    for (name, text) in texts {
        for leftover in [
            "import ",
            "export ",
            "&lt;Tabs",
            "&lt;TabItem",
            "<Tabs",
            "<TabItem",
            "&lt;Highlight",
            "<Highlight",
            "&lt;Card",
            "{/*",
            ":::",
            "///",
        ] {
            assert!(!text.contains(leftover), "`{leftover}` left in {name}");
        }
    }
}

/// The sidebar's text of a page, from its `<nav class="sidebar">`.
fn sidebar(html: &str) -> &str {
    let start = html.find("class=\"sidebar\"").expect("sidebar");
    let end = html[start..].find("</nav>").expect("end of sidebar");
    &html[start..start + end]
}

/// Asserts that `items` appear in `text` in this order.
fn assert_in_order(text: &str, items: &[&str]) {
    let positions: Vec<usize> = items
        .iter()
        .map(|item| {
            text.find(item)
                .unwrap_or_else(|| panic!("{item} missing in {text}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "not in the order {items:?}: {text}"
    );
}

#[test]
fn the_vendored_classic_template_builds_from_its_docusaurus_config() {
    let site = copy_site(&workspace().join("tests/fixtures/sites/docusaurus-classic"));
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.json["config"], "docusaurus.config.js");
    assert!(run.errors().is_empty(), "{:?}", run.errors());
    assert_eq!(
        run.warnings(),
        [
            "docs/tutorial-basics/markdown-features.mdx:166: MDX component <Highlight> \
             dropped, its content kept",
            "docusaurus.config.js:-: docusaurus.config.js is JavaScript and is not run; \
             assumed: docs under /docs/ (routeBasePath); ignored: sidebars.js \
             (JavaScript is not run: the sidebar follows folders, _category_.json and \
             sidebar_position)",
        ]
    );
    assert_eq!(run.count("pages", "content"), 9);
    assert_no_mdx_left(out.path());

    // Its docs options set no `routeBasePath`: the docs are under `/docs/`, as Docusaurus
    // serves them, and the site root sends readers there.
    assert!(out.path().join("docs/intro/index.html").is_file());
    assert!(!out.path().join("intro/index.html").exists());
    let root = read(out.path(), "index.html");
    assert!(root.contains("/docs/"), "{root}");
    assert!(!root.contains("<article"), "the root is a redirect: {root}");

    // Title from the config; the JSX component's children are kept.
    let features = read(
        out.path(),
        "docs/tutorial-basics/markdown-features/index.html",
    );
    assert!(features.contains("<title>Markdown Features"), "title");
    assert!(features.contains("This is Docusaurus green !"));
    assert!(features.contains("<div class=\"admonition tip\">"));

    // Folders follow `_category_.json`, pages `sidebar_position` (not the alphabet).
    let html = read(out.path(), "docs/tutorial-basics/create-a-page/index.html");
    let nav = sidebar(&html);
    assert_in_order(nav, &["Tutorial - Basics", "Tutorial - Extras"]);
    assert_in_order(
        nav,
        &[
            "/create-a-page/",
            "/create-a-document/",
            "/create-a-blog-post/",
            "/markdown-features/",
            "/deploy-your-site/",
            "/congratulations/",
        ],
    );
    // A relative `.mdx` link is the page's URL; a relative image is copied to its folder's
    // path from the site root (static files do not move under `routeBasePath`).
    assert!(features.contains("href=\"/docs/tutorial-basics/create-a-page/\""));
    assert!(
        out.path()
            .join("tutorial-extras/img/docsVersionDropdown.png")
            .is_file()
    );
    assert!(!out.path().join("tutorial-basics/_category_.json").exists());
}

#[test]
fn versions_json_sidebars_json_and_front_matter_are_followed() {
    let site = copy_site(&workspace().join("tests/fixtures/sites/docusaurus-versioned"));
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.json["config"], "docusaurus.config.ts");
    assert!(run.errors().is_empty(), "{:?}", run.errors());
    // One warning per component, wherever it is used.
    assert_eq!(
        run.warnings(),
        [
            "docs/guides/setup.mdx:29: MDX component <Card> dropped, its content kept",
            "docs/reference/cli.md:11: MDX component <Version> dropped, its content kept",
            "docusaurus.config.ts:-: ignored: versioned_sidebars/version-1.0-sidebars.js \
             (JavaScript is not run: the sidebar follows folders, _category_.json and \
             sidebar_position)",
            "versioned_sidebars/version-1.1-sidebars.json:-: left out of the sidebar: \
             guides/removed (no page has that doc id)",
        ]
    );
    assert_no_mdx_left(out.path());

    // 1.1 (first in versions.json) is the latest, at the root; docs/ is `next`.
    for file in [
        "index.html",
        "guides/setup/index.html",
        "guides/configuration/index.html",
        "next/index.html",
        "next/cli/index.html",
        "next/reference/index.html",
        "1.0/index.html",
        "1.0/guides/upgrading/index.html",
        "1.0/guides/installing/index.html",
    ] {
        assert!(out.path().join(file).is_file(), "{file} missing");
    }
    // `baseUrl` is the base path; links to `.mdx` pages resolve within the version.
    let next_home = read(out.path(), "next/index.html");
    assert!(next_home.contains("href=\"/sdk/next/guides/setup/\""));
    assert!(next_home.contains("href=\"/sdk/next/cli/\""));
    assert!(read(out.path(), "index.html").contains("href=\"/sdk/guides/setup/\""));

    // sidebars.json: its order and labels (the alphabet would put Configure first).
    let setup = read(out.path(), "next/guides/setup/index.html");
    let nav = sidebar(&setup);
    assert_in_order(nav, &["How-to guides", "Setup", "Configure", "Reference"]);
    assert!(!nav.contains("from _category_.json"), "the sidebar wins");
    // <Tabs> became content tabs.
    assert!(setup.contains("<div class=\"tabbed-set\">"));
    assert!(setup.contains(">pip</label>") && setup.contains(">npm</label>"));
    // The versioned sidebar of 1.1, and 1.0's folders and number prefixes.
    assert_in_order(
        sidebar(&read(out.path(), "guides/setup/index.html")),
        &["Guides", "Setup", "Configure"],
    );
    assert_in_order(
        sidebar(&read(out.path(), "1.0/guides/installing/index.html")),
        &["How-to", "Upgrading from 0.x", "Installing"],
    );
}

#[test]
fn a_literal_route_base_path_prefixes_every_version() {
    let site = copy_site(&workspace().join("tests/fixtures/sites/docusaurus-versioned"));
    let config = site.join("docusaurus.config.ts");
    let text = std::fs::read_to_string(&config).expect("read config");
    std::fs::write(
        &config,
        text.replace("routeBasePath: '/',", "routeBasePath: 'reference/',"),
    )
    .expect("write config");
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.errors().is_empty(), "{:?}", run.errors());
    for file in [
        "reference/index.html",
        "reference/guides/setup/index.html",
        "reference/next/cli/index.html",
        "reference/1.0/guides/installing/index.html",
    ] {
        assert!(out.path().join(file).is_file(), "{file} missing");
    }
    assert!(!out.path().join("next/cli/index.html").exists());
    let next_home = read(out.path(), "reference/next/index.html");
    assert!(next_home.contains("href=\"/sdk/reference/next/guides/setup/\""));
    // The site root sends readers to the latest version's docs.
    assert!(read(out.path(), "index.html").contains("/sdk/reference/"));
}

#[test]
fn docusaurus_builds_are_the_same_in_every_mode() {
    let site = copy_site(&workspace().join("tests/fixtures/sites/docusaurus-versioned"));
    let one = tempfile::tempdir().expect("temp dir");
    let other = tempfile::tempdir().expect("temp dir");
    assert_eq!(
        build(&site, one.path(), &["--no-shard", "--no-cache"]).code(),
        0
    );
    let run = build(&site, other.path(), &["--process-parallel", "--no-cache"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_same_tree(one.path(), other.path(), "--no-shard vs --process-parallel");
}

#[test]
fn an_unreadable_sidebars_json_names_its_line() {
    let site = site_from(&[
        ("docusaurus.config.js", "module.exports = {title: 'X'};\n"),
        (
            "sidebars.json",
            "{\n  \"docs\": [\n    \"intro\",,\n  ]\n}\n",
        ),
        ("docs/intro.md", "# Intro\n"),
    ]);
    let out = tempfile::tempdir().expect("temp dir");
    let run = std::process::Command::new(binary())
        .arg("build")
        .arg(site.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("run ssg-coord");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("sidebars.json:3: invalid JSON"), "{stderr}");
}

#[test]
fn the_react_native_samples_read_as_mdx_with_each_component_named_once() {
    let site = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        site.path().join("ssg.toml"),
        "title = \"React Native\"\n[markdown]\ndialect = \"docusaurus\"\n",
    )
    .expect("write config");
    let content = site.path().join("content");
    std::fs::create_dir_all(&content).expect("mkdir");
    let samples = crate::support::samples().join("markdown/react-native");
    for entry in std::fs::read_dir(&samples).expect("../shared/samples beside the checkout") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|ext| ext == "md") {
            std::fs::copy(&path, content.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(site.path(), out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.errors().is_empty(), "{:?}", run.errors());
    for (name, text) in article_texts(out.path()) {
        for leftover in ["&lt;Tabs", "&lt;TabItem", "<Tabs", "<TabItem", "{/*"] {
            assert!(!text.contains(leftover), "`{leftover}` left in {name}");
        }
    }
    let dropped: Vec<String> = run
        .warnings()
        .into_iter()
        .filter_map(|warning| {
            let (_, component) = warning.split_once("MDX component ")?;
            Some(component.to_string())
        })
        .collect();
    let mut unique = dropped.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(dropped.len(), unique.len(), "{dropped:?}");
}

//! MkDocs projects as they are: the vendored docs of mkdocs-autorefs
//! (`tests/fixtures/sites/mkdocs-autorefs`, read through its `mkdocs.yml`) and small
//! MkDocs sites using the pymdown dialect; snippets re-render their pages when edited.

use crate::support::{article_texts, build, copy_site, read, site_from, workspace};
use std::path::Path;

fn assert_no_dialect_left(out: &Path) {
    for (name, text) in article_texts(out) {
        for leftover in [
            "!!! ",
            "??? ",
            "=== \"",
            "///",
            ":::",
            "--8&lt;--",
            "--8<--",
        ] {
            assert!(!text.contains(leftover), "`{leftover}` left in {name}");
        }
    }
}

/// A Sphinx inventory (version 2) of `lines`.
fn sphinx_inventory(lines: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut bytes = b"# Sphinx inventory version 2\n# Project: P\n# Version: 1\n# The remainder of this file is compressed using zlib.\n".to_vec();
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(lines).expect("compress");
    bytes.extend(encoder.finish().expect("compress"));
    bytes
}

/// The inventories the vendored site's mkdocstrings `import:` names, kept where a first
/// build keeps its downloads, so the test needs no network.
fn keep_imported_inventories(site: &Path) {
    for (url, lines) in [
        (
            "https://docs.python.org/3/objects.inv",
            &b"str py:class 1 library/stdtypes.html#$ -\n"[..],
        ),
        (
            "https://www.mkdocs.org/objects.inv",
            b"mkdocs.plugins.BasePlugin py:class 1 dev-guide/api/#$ -\n",
        ),
        (
            "https://python-markdown.github.io/objects.inv",
            b"markdown.extensions.Extension py:class 1 extensions/api/#$ -\n",
        ),
    ] {
        let path = coordinator::xref::external::kept_path(&site.join(".ssg-cache"), url);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, sphinx_inventory(lines)).expect("write inventory");
    }
}

#[test]
fn the_vendored_material_site_builds_from_mkdocs_yml() {
    let site = copy_site(&workspace().join("tests/fixtures/sites/mkdocs-autorefs"));
    keep_imported_inventories(&site);
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.json["config"], "mkdocs.yml");
    assert!(run.errors().is_empty(), "{:?}", run.errors());
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("mkdocs.yml:-: ignored: callouts, pymdownx.magiclink"),
        "{warnings:?}"
    );
    // A docstring's `[markdown.extensions.Extension][]` names an object of Python-Markdown,
    // found in the inventory mkdocstrings' `import:` names.
    assert!(
        read(out.path(), "api/mkdocs_autorefs/references/index.html").contains(
            "https://python-markdown.github.io/extensions/api/#markdown.extensions.Extension"
        )
    );
    assert_no_dialect_left(out.path());

    // The sidebar follows `nav`, not the alphabet.
    let html = read(out.path(), "license/index.html");
    let sidebar = &html[html.find("class=\"sidebar\"").expect("sidebar")..];
    let sidebar = &sidebar[..sidebar.find("</nav>").expect("end of sidebar")];
    let order: Vec<usize> = [
        "changelog/",
        "credits/",
        "license/",
        "contributing/",
        "code_of_conduct/",
    ]
    .iter()
    .map(|page| sidebar.find(&format!("/autorefs/{page}\"")).expect(page))
    .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{sidebar}");
    assert!(sidebar.contains(">Code of Conduct<"), "nav titles are used");

    // mkdocstrings' python handler `paths: [src]` becomes autodoc of the package.
    assert!(run.count("pages", "autodoc") >= 4, "{}", run.json);
    let references = read(out.path(), "api/mkdocs_autorefs/references/index.html");
    assert!(references.contains("AutorefsExtension"));
    // `merge_init_into_class: true`: `__init__`'s docstring is its class's, with no section
    // of its own.
    assert!(references.contains("to use its <code>register_anchor</code> method"));
    assert!(
        !references
            .contains("id=\"mkdocs_autorefs.references.AnchorScannerTreeProcessor.__init__\"")
    );

    // Snippets are included: the home page is README.md, the license page LICENSE.
    assert!(read(out.path(), "index.html").contains("mkdocs-autorefs"));
    assert!(html.contains("ISC License"));
}

#[test]
fn an_edited_snippet_re_renders_the_pages_that_include_it() {
    let site = copy_site(&workspace().join("tests/fixtures/sites/mkdocs-autorefs"));
    let out = tempfile::tempdir().expect("temp dir");
    assert_eq!(build(&site, out.path(), &[]).code(), 0);
    let license = site.join("LICENSE");
    let text = std::fs::read_to_string(&license).expect("read LICENSE");
    std::fs::write(&license, text.replace("ISC License", "ISC Licence, edited")).expect("edit");
    let run = build(&site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.count("rendered", "content"), 1, "{}", run.json);
    assert!(read(out.path(), "license/index.html").contains("ISC Licence, edited"));
}

#[test]
fn the_dialect_renders_and_a_missing_snippet_names_its_line() {
    let site = site_from(&[
        (
            "mkdocs.yml",
            "site_name: Dialect\nnav:\n  - Second: b.md\n  - First: a.md\n",
        ),
        (
            "docs/a.md",
            "# A\n\n!!! tip \"Hint\"\n    Body.\n\n=== \"One\"\n    1\n\n=== \"Two\"\n    2\n\n\
             /// details | More\nHidden.\n///\n\n--8<-- \"docs/part.md\"\n",
        ),
        ("docs/part.md", "??? note\n    From a snippet.\n"),
        ("docs/b.md", "# B\n\ntext\n\n--8<-- \"missing.md\"\n"),
    ]);
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(site.path(), out.path(), &[]);
    assert_eq!(run.code(), 1, "a missing snippet fails its page");
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("docs/b.md:5: snippet `missing.md` not found"),
        "{errors:?}"
    );
    let html = read(out.path(), "a/index.html");
    for markup in [
        "<div class=\"admonition tip\">",
        "<div class=\"tabbed-set\">",
        "<details>\n<summary>More</summary>",
        "<details class=\"note\">",
    ] {
        assert!(html.contains(markup), "{markup} missing:\n{html}");
    }
    assert_no_dialect_left(out.path());
}

#[test]
fn exclude_docs_and_ignored_content_leave_files_out() {
    let mkdocs = site_from(&[
        (
            "mkdocs.yml",
            "site_name: X\nexclude_docs: |\n  drafts/*\n  !drafts/keep.md\n  *.tmp.md\n",
        ),
        ("docs/index.md", "# Home\n"),
        ("docs/drafts/wip.md", "# WIP\n"),
        ("docs/drafts/keep.md", "# Keep\n"),
        ("docs/drafts/img.png", "png"),
        ("docs/guide/notes.tmp.md", "# Notes\n"),
    ]);
    let toml = site_from(&[
        (
            "ssg.toml",
            "[build]\nignored_content = ['drafts/*', '!drafts/keep.md', '*.tmp.md']\n",
        ),
        ("content/_index.md", "# Home\n"),
        ("content/drafts/wip.md", "# WIP\n"),
        ("content/drafts/keep.md", "# Keep\n"),
        ("content/drafts/img.png", "png"),
        ("content/guide/notes.tmp.md", "# Notes\n"),
    ]);
    for site in [mkdocs.path(), toml.path()] {
        let out = tempfile::tempdir().expect("temp dir");
        let run = build(site, out.path(), &[]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        assert!(out.path().join("drafts/keep/index.html").is_file());
        for left_out in [
            "drafts/wip/index.html",
            "drafts/img.png",
            "guide/notes.tmp/index.html",
        ] {
            assert!(!out.path().join(left_out).exists(), "{left_out} was built");
        }
    }
}

#[test]
fn extra_reaches_templates_as_site_extra() {
    let template = "extra: {{ site.extra.social.github }} {{ site.extra.since }}\n";
    let toml = site_from(&[
        (
            "ssg.toml",
            "[extra]\nsince = 2019-05-27\nsocial = { github = 'https://github.com/x' }\n",
        ),
        ("content/a.md", "# A\n"),
        ("templates/page.html", template),
    ]);
    let mkdocs = site_from(&[
        (
            "mkdocs.yml",
            "site_name: X\nextra:\n  since: '2019-05-27'\n  social:\n    github: !ENV [GH, 'https://github.com/x']\n",
        ),
        ("docs/a.md", "# A\n"),
        ("templates/page.html", template),
    ]);
    for site in [toml.path(), mkdocs.path()] {
        let out = tempfile::tempdir().expect("temp dir");
        let run = build(site, out.path(), &[]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        assert_eq!(
            read(out.path(), "a/index.html"),
            "extra: https://github.com/x 2019-05-27"
        );
    }
}

#[test]
fn use_directory_urls_false_puts_pages_at_html_files_and_links_follow() {
    let site = site_from(&[
        (
            "mkdocs.yml",
            "site_name: Files\nuse_directory_urls: false\nnav:\n  - Home: index.md\n  \
             - Install: guide/install.md\n  - Guide: guide/index.md\n",
        ),
        (
            "docs/index.md",
            "# Home\n\nSee [install](guide/install.md#steps).\n",
        ),
        (
            "docs/guide/install.md",
            "# Install\n\n## Steps\n\nBack [home](../index.md), the [guide](index.md).\n",
        ),
        ("docs/guide/index.md", "# Guide\n\nSearchable words here.\n"),
    ]);
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(site.path(), out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.warnings().is_empty(), "{:?}", run.warnings());
    // A page at `guide/install.html` (with its JSON and text beside it), a folder's own
    // page at `guide/index.html`, as MkDocs writes them.
    for file in [
        "guide/install.html",
        "guide/install.json",
        "guide/install.txt",
        "guide/index.html",
        "index.html",
    ] {
        assert!(out.path().join(file).is_file(), "{file}");
    }
    assert!(!out.path().join("guide/install/index.html").exists());
    let home = read(out.path(), "index.html");
    assert!(
        home.contains("href=\"/guide/install.html#steps\""),
        "{home}"
    );
    let install = read(out.path(), "guide/install.html");
    for href in ["href=\"/\"", "href=\"/guide/\""] {
        assert!(install.contains(href), "{href} in {install}");
    }
    let sitemap = read(out.path(), "sitemap.xml");
    assert!(sitemap.contains("/guide/install.html</loc>"), "{sitemap}");
    let llm_full = read(out.path(), "llm-full.txt");
    assert!(llm_full.contains("Back home, the guide."), "{llm_full}");
}

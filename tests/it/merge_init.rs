//! mkdocstrings' `merge_init_into_class`: read from `mkdocs.yml` and from `ssg.toml`, set per
//! `::: path` block, and shown alike on the API page, in `objects.inv`, in the search index
//! and in cross-references; toggling it re-renders the API pages to what a clean build
//! writes, in every mode.

use crate::api_reference::inventory_lines;
use crate::support::{Run, assert_same_tree, build, read, site_from};
use std::path::Path;

const CORE: &str = r#""""Core objects."""


class Client:
    """A client.

    Talks to a server.
    """

    def __init__(self, url: str, retries: int = 3) -> None:
        """Makes a client.

        Args:
            url: Where the server listens.
            retries: How often to try again.
        """

    def fetch(self) -> bytes:
        """Fetches."""


class Server:
    """A server."""

    def __init__(self, port: int) -> None:
        """Starts a server.

        Parameters
        ----------
        port : int
            The port to listen on.
        """
"#;

const MKDOCS_YML: &str = "site_name: P\nplugins:\n  - search\n  - mkdocstrings:\n      handlers:\n        python:\n          paths: [src]\n          options:\n            merge_init_into_class: true\n";

const GUIDE: &str = "# Home\n\nUse [the client][mypkg.core.Client], not [its constructor][mypkg.core.Client.__init__].\n\n::: mypkg.core.Client\n\n::: mypkg.core.Server\n    options:\n      merge_init_into_class: false\n";

fn mkdocs_project() -> tempfile::TempDir {
    site_from(&[
        ("mkdocs.yml", MKDOCS_YML),
        ("docs/index.md", GUIDE),
        ("src/mypkg/__init__.py", "\"\"\"My package.\"\"\"\n"),
        ("src/mypkg/core.py", CORE),
    ])
}

/// The search index's record of the page `/api/mypkg/core/` (text and section anchors).
fn api_search_record(out: &Path) -> String {
    let manifest: serde_json::Value =
        serde_json::from_str(&read(out, "search/manifest.json")).expect("search manifest");
    let records: Vec<serde_json::Value> = manifest["docs"]
        .as_array()
        .expect("docs")
        .iter()
        .flat_map(|first| {
            let chunk: serde_json::Value =
                serde_json::from_str(&read(out, &format!("search/d/{first}.json")))
                    .expect("search chunk");
            chunk.as_array().cloned().unwrap_or_default()
        })
        .collect();
    records
        .iter()
        .find(|record| record[0] == "/api/mypkg/core/")
        .map(|record| record.to_string())
        .expect("the API page is indexed")
}

fn built(site: &Path, out: &Path, extra: &[&str]) -> Run {
    let run = build(site, out, extra);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    run
}

#[test]
fn mkdocs_yml_merges_init_into_its_class_everywhere_and_alike_in_every_mode() {
    let project = mkdocs_project();
    let site = project.path();
    let outs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut runs = Vec::new();
    for (out, mode) in outs
        .iter()
        .zip(["--no-shard", "--threads", "--process-parallel"])
    {
        runs.push(built(site, out.path(), &[mode, "--no-cache"]));
    }
    assert_same_tree(outs[0].path(), outs[1].path(), "--no-shard vs --threads");
    assert_same_tree(
        outs[0].path(),
        outs[2].path(),
        "--no-shard vs --process-parallel",
    );
    let out = outs[0].path();
    // The option is honoured, so it is no longer among the ignored ones.
    assert!(
        !runs[0]
            .warnings()
            .iter()
            .any(|w| w.contains("merge_init_into_class")),
        "{:#?}",
        runs[0].warnings()
    );

    // The API page: `__init__`'s docstring and `Args` document the class; no `__init__`.
    let page = read(out, "api/mypkg/core/index.html");
    for text in [
        "Talks to a server.",
        "Makes a client.",
        "Where the server listens.",
        "How often to try again.",
        "Starts a server.",
        "The port to listen on.",
    ] {
        assert!(page.contains(text), "{text} missing in\n{page}");
    }
    assert!(!page.contains("__init__"), "{page}");
    let client = page.find("Talks to a server.").expect("class docstring");
    let init = page.find("Makes a client.").expect("init docstring");
    let fetch = page.find("Fetches.").expect("a method");
    assert!(
        client < init && init < fetch,
        "class, then __init__, then members"
    );

    // Nor in the inventory or the search index.
    let inventory = inventory_lines(&std::fs::read(out.join("objects.inv")).expect("objects.inv"));
    assert!(
        inventory.contains(&"mypkg.core.Client py:class 1 api/mypkg/core/#$ -".to_string()),
        "{inventory:#?}"
    );
    assert!(
        !inventory.iter().any(|line| line.contains("__init__")),
        "{inventory:#?}"
    );
    let record = api_search_record(out);
    assert!(!record.contains("__init__"), "{record}");
    assert!(record.contains("Where the server listens."), "{record}");

    // A reference to the merged `__init__` has no target (as with mkdocs-autorefs): a
    // warning naming the page and the name; the class itself links.
    let warnings = runs[0].warnings();
    assert!(
        warnings.iter().any(|w| w.contains("docs/index.md")
            && w.contains("unresolved cross-reference `mypkg.core.Client.__init__`")),
        "{warnings:#?}"
    );
    let home = read(out, "index.html");
    assert!(
        home.contains("api/mypkg/core/#mypkg.core.Client\""),
        "{home}"
    );

    // Inline blocks follow the package's setting unless their own options say otherwise.
    assert!(home.contains("Where the server listens."), "{home}");
    assert!(
        !home.contains("id=\"mypkg.core.Client.__init__\""),
        "{home}"
    );
    assert!(home.contains("id=\"mypkg.core.Server.__init__\""), "{home}");
}

fn toml_project(merge: bool) -> tempfile::TempDir {
    site_from(&[
        ("docs/ssg.toml", &ssg_toml(merge)),
        (
            "docs/content/_index.md",
            "# Home\n\n::: mypkg.core.Client\n",
        ),
        ("src/mypkg/__init__.py", "\"\"\"My package.\"\"\"\n"),
        ("src/mypkg/core.py", CORE),
    ])
}

fn ssg_toml(merge: bool) -> String {
    format!(
        "title = \"P\"\n\n[[autodoc.python]]\nname = \"mypkg\"\npath = \"../src/mypkg\"\nmerge_init_into_class = {merge}\n"
    )
}

#[test]
fn toggling_it_in_ssg_toml_re_renders_the_api_pages_like_a_clean_build() {
    let project = toml_project(false);
    let site = project.path().join("docs");
    let out = site.join("public");
    built(&site, &out, &[]);
    let page = read(&out, "api/mypkg/core/index.html");
    assert!(page.contains("id=\"mypkg.core.Client.__init__\""), "{page}");
    let inventory = inventory_lines(&std::fs::read(out.join("objects.inv")).expect("objects.inv"));
    assert!(
        inventory
            .contains(&"mypkg.core.Client.__init__ py:method 1 api/mypkg/core/#$ -".to_string()),
        "{inventory:#?}"
    );

    for merge in [true, false] {
        std::fs::write(site.join("ssg.toml"), ssg_toml(merge)).expect("edit ssg.toml");
        let run = built(&site, &out, &[]);
        assert!(run.count("rendered", "autodoc") >= 2, "{}", run.json);
        let page = read(&out, "api/mypkg/core/index.html");
        assert_eq!(
            page.contains("__init__"),
            !merge,
            "merge_init_into_class = {merge}:\n{page}"
        );
        // The inline block on the home page follows the package too.
        assert_eq!(
            read(&out, "index.html").contains("id=\"mypkg.core.Client.__init__\""),
            !merge
        );
        // Nothing changed: nothing is rendered again.
        let again = built(&site, &out, &[]);
        assert_eq!(again.count("rendered", "autodoc"), 0, "{}", again.json);
        // A clean build of the same project (a copy: a build writes its site's cache).
        let clean = toml_project(merge);
        let clean_site = clean.path().join("docs");
        built(&clean_site, &clean_site.join("public"), &["--no-cache"]);
        assert_same_tree(
            &out,
            &clean_site.join("public"),
            &format!("incremental vs clean, merge_init_into_class = {merge}"),
        );
    }
}

#[test]
fn an_unknown_value_is_a_config_error_naming_the_line() {
    let project = toml_project(false);
    let site = project.path().join("docs");
    std::fs::write(
        site.join("ssg.toml"),
        "[[autodoc.python]]\nname = \"mypkg\"\npath = \"../src/mypkg\"\nmerge_init_into_class = \"yes\"\n",
    )
    .expect("write ssg.toml");
    let output = std::process::Command::new(crate::support::binary())
        .arg("build")
        .arg(&site)
        .output()
        .expect("run ssg-coord");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ssg.toml:4"), "{stderr}");
}

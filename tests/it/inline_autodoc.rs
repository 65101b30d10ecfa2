//! mkdocstrings blocks (`::: dotted.path` with an indented `options:` block): the object's
//! API documentation inside a Markdown page, on `ssg.toml` sites with `[[autodoc.python]]`
//! and on `mkdocs.yml` sites (mkdocstrings `paths`), kept up to date when its module
//! changes.

use crate::support::{assert_same_sequentially_and_in_processes, build, read, site_from};

const CORE: &str = r#""""Core objects."""


class Command:
    """A command."""

    def invoke(self) -> int:
        """Runs the command."""
        return 0

    def close(self) -> None:
        """Closes it."""


def main() -> None:
    """Entry point."""
"#;

const GUIDE: &str = "# Guide\n\n::: mypkg.core.Command\n    options:\n      show_root_heading: true\n      heading_level: 3\n      show_source: false\n      members: [invoke]\n      show_bases: false\n\n::: mypkg.core.nowhere\n\nText after.\n";

#[test]
fn a_block_renders_its_object_inline_with_its_options_and_follows_its_module() {
    let project = site_from(&[
        (
            "docs/ssg.toml",
            "title = \"P\"\n\n[[autodoc.python]]\nname = \"mypkg\"\npath = \"../src/mypkg\"\n",
        ),
        ("docs/content/_index.md", "# Home\n"),
        ("docs/content/guide.md", GUIDE),
        ("src/mypkg/__init__.py", "\"\"\"My package.\"\"\"\n"),
        ("src/mypkg/core.py", CORE),
    ]);
    let site = project.path().join("docs");
    let out = site.join("public");
    let run = build(&site, &out, &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    let guide = read(&out, "guide/index.html");
    assert!(
        guide.contains("<h3 id=\"mypkg.core.Command\" class=\"autodoc-title\">"),
        "{guide}"
    );
    assert!(
        guide.contains("<h4 id=\"mypkg.core.Command.invoke\""),
        "{guide}"
    );
    assert!(guide.contains("Runs the command."), "{guide}");
    assert!(!guide.contains("Command.close"), "members: [invoke]");
    assert!(!guide.contains("autodoc-source"), "show_source: false");
    assert!(!guide.contains(":::"), "{guide}");
    assert!(
        guide.contains("<p><code>mypkg.core.nowhere</code></p>"),
        "{guide}"
    );
    assert!(guide.contains("Text after."));
    let warnings = run.warnings();
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "content/guide.md:3: mkdocstrings options not supported for `::: mypkg.core.Command`, ignored: show_bases"
        )),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w
                .starts_with("content/guide.md:11: mkdocstrings block `::: mypkg.core.nowhere`")),
        "{warnings:#?}"
    );

    // A docstring edit in the module re-renders the guide that shows it.
    let core = project.path().join("src/mypkg/core.py");
    std::fs::write(&core, CORE.replace("Runs the command.", "Runs it now.")).unwrap();
    let edited = build(&site, &out, &[]);
    assert_eq!(edited.count("rendered", "content"), 1, "{:#?}", edited.json);
    assert!(read(&out, "guide/index.html").contains("Runs it now."));

    // The class removed: a warning, never a stale copy.
    std::fs::write(&core, "\"\"\"Core objects.\"\"\"\n").unwrap();
    let removed = build(&site, &out, &[]);
    let guide = read(&out, "guide/index.html");
    assert!(!guide.contains("Runs it now."), "{guide}");
    assert!(
        removed
            .warnings()
            .iter()
            .any(|w| w
                .starts_with("content/guide.md:3: mkdocstrings block `::: mypkg.core.Command`")),
        "{:#?}",
        removed.warnings()
    );
    assert_same_sequentially_and_in_processes(&site, &out);
}

#[test]
fn an_mkdocs_site_renders_its_blocks_from_the_mkdocstrings_paths() {
    let site = site_from(&[
        (
            "mkdocs.yml",
            "site_name: M\nplugins:\n  - mkdocstrings:\n      handlers:\n        python:\n          paths: [src]\n",
        ),
        (
            "docs/index.md",
            "# Home\n\n::: mypkg.core\n\n::: mypkg.core.main\n    options:\n      heading_level: 2\n",
        ),
        ("src/mypkg/__init__.py", "\"\"\"My package.\"\"\"\n"),
        ("src/mypkg/core.py", CORE),
    ]);
    let out = site.path().join("site");
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    let home = read(&out, "index.html");
    // The module: an anchor named by its path, its objects with their dotted ids.
    assert!(home.contains("<a id=\"mypkg.core\"></a>"), "{home}");
    assert!(home.contains("<h2 id=\"mypkg.core.Command\""), "{home}");
    assert!(home.contains("id=\"mypkg.core.Command.close\""), "{home}");
    // The same function twice on one page: the second gets the next free id.
    assert!(home.contains("<h2 id=\"mypkg.core.main\""), "{home}");
    assert!(home.contains("<a id=\"mypkg.core.main-2\"></a>"), "{home}");
    assert!(!home.contains(":::"), "{home}");
    assert!(run.warnings().is_empty(), "{:#?}", run.warnings());
}

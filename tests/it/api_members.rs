//! The members of API pages: summary tables, members inherited from documented base
//! classes (and how an edit to a base re-renders the classes inheriting from it), and
//! "See Also" sections as cross-references, and backlinks ("Referenced by": the guide
//! pages that mention an object), kept up to date by incremental builds.

use crate::support::{Run, assert_same_sequentially_and_in_processes, build, read, site_from};
use std::path::PathBuf;

const BASE: &str = r#""""Base classes."""


class Base:
    """The base of commands."""

    def run(self) -> None:
        """Runs."""

    def close(self) -> None:
        """Closes."""
"#;

const CORE: &str = r#""""Core objects."""

from .base import Base


class Command(Base):
    """A command.

    See Also
    --------
    Base : What it builds on.
    nowhere_at_all : Gone.
    """

    def run(self) -> None:
        """Runs the command."""


def main() -> None:
    """Entry point, see :class:`Command`."""
"#;

fn members_project() -> tempfile::TempDir {
    site_from(&[
        (
            "docs/ssg.toml",
            "title = \"P\"\n\n[[autodoc.python]]\nname = \"mypkg\"\npath = \"../src/mypkg\"\n",
        ),
        ("docs/content/_index.md", "# Home\n"),
        (
            "docs/content/guide.md",
            "# Guide\n\nRun [a command][mypkg.core.Command] with [mypkg.core.main][].\n",
        ),
        (
            "docs/content/tutorial.md",
            "# Tutorial\n\nSee [mypkg.core.main][].\n",
        ),
        ("src/mypkg/__init__.py", "\"\"\"My package.\"\"\"\n"),
        ("src/mypkg/base.py", BASE),
        ("src/mypkg/core.py", CORE),
    ])
}

/// [`members_project`], built once: the project, its site folder, its output folder and
/// the build's run.
fn built_members_project() -> (tempfile::TempDir, PathBuf, PathBuf, Run) {
    let project = members_project();
    let site = project.path().join("docs");
    let out = site.join("public");
    let run = build(&site, &out, &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    (project, site, out, run)
}

#[test]
fn classes_list_their_own_and_inherited_members_and_see_also_links() {
    let (_project, site, out, run) = built_members_project();
    let core = read(&out, "api/mypkg/core/index.html");

    // The module's summary: each object linked to its section, with its first line.
    assert!(
        core.contains("<tr><td><a href=\"#mypkg.core.main\"><code>main</code></a></td><td>Entry point, see <code>Command</code>.</td></tr>"),
        "{core}"
    );
    // `close` is inherited from Base, marked and linked; `run` is overridden.
    assert!(
        core.contains(
            "<tr class=\"autodoc-summary-inherited\"><td><a href=\"/api/mypkg/base/#mypkg.base.Base.close\"><code>close</code></a></td>\
             <td><span class=\"autodoc-inherited-from\">inherited from <a class=\"autodoc-xref\" href=\"/api/mypkg/base/#mypkg.base.Base\" title=\"mypkg.base.Base\"><code>Base</code></a></span></td></tr>"
        ),
        "{core}"
    );
    assert!(
        !core.contains("/api/mypkg/base/#mypkg.base.Base.run"),
        "{core}"
    );
    // See Also: names resolved like `:obj:` (here through the module's import).
    assert!(
        core.contains("<li><a href=\"/api/mypkg/base/#mypkg.base.Base\"><code>Base</code></a>: What it builds on.</li>"),
        "{core}"
    );
    assert!(
        core.contains("<li><code>nowhere_at_all</code>: Gone.</li>"),
        "{core}"
    );
    let warnings = run.warnings();
    assert!(
        warnings.iter().any(|w| w
            .starts_with("../src/mypkg/core.py:6: unresolved cross-reference `nowhere_at_all`")),
        "{warnings:#?}"
    );
    assert_same_sequentially_and_in_processes(&site, &out);
}

#[test]
fn objects_list_the_guides_mentioning_them_and_a_guide_edit_updates_only_their_pages() {
    let (_project, site, out, _) = built_members_project();
    let core = read(&out, "api/mypkg/core/index.html");
    assert!(
        core.contains("<p class=\"autodoc-referenced-by\">Referenced by: <a href=\"/guide/\">Guide</a>, <a href=\"/tutorial/\">Tutorial</a></p>"),
        "{core}"
    );
    assert_eq!(core.matches("autodoc-referenced-by").count(), 2, "{core}");
    assert!(!read(&out, "api/mypkg/base/index.html").contains("autodoc-referenced-by"));

    // The tutorial now mentions Base too: it and base's page re-render, core's does not.
    let tutorial = site.join("content/tutorial.md");
    std::fs::write(
        &tutorial,
        "# Tutorial\n\nSee [mypkg.core.main][] and [mypkg.base.Base][].\n",
    )
    .unwrap();
    let added = build(&site, &out, &[]);
    assert_eq!(added.count("rendered", "content"), 1, "{:#?}", added.json);
    assert_eq!(added.count("rendered", "autodoc"), 1, "{:#?}", added.json);
    let base = read(&out, "api/mypkg/base/index.html");
    assert!(
        base.contains("Referenced by: <a href=\"/tutorial/\">Tutorial</a>"),
        "{base}"
    );

    // The guide no longer mentions main: core's page loses that backlink.
    std::fs::write(site.join("content/guide.md"), "# Guide\n\nNothing here.\n").unwrap();
    let removed = build(&site, &out, &[]);
    assert_eq!(
        removed.count("rendered", "autodoc"),
        1,
        "{:#?}",
        removed.json
    );
    let core = read(&out, "api/mypkg/core/index.html");
    assert!(
        core.contains("Referenced by: <a href=\"/tutorial/\">Tutorial</a></p>")
            && core.matches("autodoc-referenced-by").count() == 1,
        "{core}"
    );
    // A build from scratch gives the same bytes, in every mode.
    let fresh = tempfile::tempdir().unwrap();
    assert_eq!(build(&site, fresh.path(), &["--no-cache"]).code(), 0);
    crate::support::assert_same_tree(&out, fresh.path(), "incremental vs from scratch");
    assert_same_sequentially_and_in_processes(&site, &out);
}

#[test]
fn a_member_added_to_a_base_class_re_renders_the_classes_inheriting_it() {
    let (project, site, out, _) = built_members_project();
    let base = project.path().join("src/mypkg/base.py");

    // A docstring edit in the base changes nothing core inherits: only base re-renders.
    std::fs::write(&base, BASE.replace("Closes.", "Closes it.")).unwrap();
    let edited = build(&site, &out, &[]);
    assert_eq!(edited.count("rendered", "autodoc"), 1, "{:#?}", edited.json);

    // A new member: core's page lists it as inherited.
    let with_stop = format!("{BASE}\n    def stop(self) -> None:\n        \"\"\"Stops.\"\"\"\n");
    std::fs::write(&base, with_stop).unwrap();
    let added = build(&site, &out, &[]);
    assert_eq!(added.count("rendered", "autodoc"), 2, "{:#?}", added.json);
    let core = read(&out, "api/mypkg/core/index.html");
    assert!(
        core.contains("/api/mypkg/base/#mypkg.base.Base.stop"),
        "{core}"
    );

    // Base removed: core no longer lists anything from it, and its See Also warns.
    std::fs::write(&base, "\"\"\"Base classes.\"\"\"\n").unwrap();
    let removed = build(&site, &out, &[]);
    let core = read(&out, "api/mypkg/core/index.html");
    assert!(!core.contains("/api/mypkg/base/#"), "{core}");
    assert!(
        removed
            .warnings()
            .iter()
            .any(|w| w.contains("unresolved cross-reference `Base`")),
        "{:#?}",
        removed.warnings()
    );
}

//! The dev server's resident site: body edits rebuilt from memory announce the page at
//! once, and whatever a session of edits does (body, title, new and deleted pages, a Python
//! module), the served output folder ends byte-identical to a fresh `ssg-coord build` of
//! the same sources. Over real sockets; nothing is timed.

use super::client::{DevServer, EVENT_WAIT, SLOW_WAIT};
use super::{append, generated_page, is_reload_of};
use crate::support::{assert_same_tree, build, copy_tree, generated_site};
use std::path::Path;

/// The stdout line of every finished rebuild.
const REBUILT: &str = " changed: rebuilt in ";
/// What a rebuild from the resident site adds to it.
const FROM_MEMORY: &str = "edited pages reloaded after";

/// Replaces the first `from` in the file at `path` with `to`.
fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read source");
    assert!(
        text.contains(from),
        "{}: no {from:?} in {text}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).expect("edit source");
}

/// Asserts `out` holds what a fresh `ssg-coord build` of a copy of `site` writes.
fn assert_as_built(site: &Path, out: &Path, what: &str) {
    let copy = tempfile::tempdir().expect("temp dir");
    copy_tree(site, copy.path());
    let fresh_out = tempfile::tempdir().expect("temp dir");
    let run = build(copy.path(), fresh_out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_same_tree(out, fresh_out.path(), what);
}

#[test]
fn every_kind_of_edit_leaves_what_a_fresh_build_writes() {
    let site = generated_site(40, 3, 2);
    let out = tempfile::tempdir().expect("temp dir");
    // A page including another: an edit of the included page must re-render it.
    let (includer, _) = generated_page(site.path(), 4);
    append(&includer, "--8<-- \"content/section-001/page-000001.md\"");
    let server = DevServer::start(site.path(), out.path(), &[], &[]);
    let mut events = server.events();
    let mut rebuilds = 0;
    // Each edit waits for its rebuild to finish, so each is its own change set.
    let mut edit = |change: &dyn Fn()| {
        change();
        rebuilds += 1;
        server.wait_for_stdout_count(rebuilds, |line| line.contains(REBUILT));
    };

    // A body edit: rebuilt from memory, its page reloaded.
    let (body_page, body_url) = generated_page(site.path(), 7);
    edit(&|| append(&body_page, "A resident body edit."));
    events.wait_for(
        "reload of the edited page",
        EVENT_WAIT,
        is_reload_of(&body_url),
    );
    assert!(
        server
            .wait_for_stdout(|line| line.contains(REBUILT))
            .contains(FROM_MEMORY),
        "a body edit is rebuilt from memory: {}",
        server.output()
    );
    let page = server.get(&body_url);
    assert!(
        page.text().contains("A resident body edit."),
        "{}",
        page.text()
    );

    // The body of a page another one includes.
    let (included, _) = generated_page(site.path(), 1);
    edit(&|| append(&included, "Included text, edited."));
    assert_as_built(site.path(), out.path(), "after body edits from memory");
    // A body edit that mentions an API object: the module page's "Referenced by" list
    // changes, as in a build (guides first, then the module pages whose backlinks moved).
    let (mentioning, mentioning_url) = generated_page(site.path(), 9);
    edit(&|| append(&mentioning, "See [the module][genpkg.sub_00.mod_00000]."));
    let module_page =
        std::fs::read_to_string(out.path().join("api/genpkg/sub_00/mod_00000/index.html"))
            .expect("read the module page");
    assert!(
        module_page.contains(mentioning_url.as_str()),
        "the module page lists {mentioning_url} as referencing it"
    );
    assert_as_built(
        site.path(),
        out.path(),
        "after a body edit adding a backlink",
    );
    // A title edit changes the nav of every page: a full build.
    let (title_page, _) = generated_page(site.path(), 8);
    edit(&|| replace_in(&title_page, "title: \"", "title: \"Renamed "));
    // A new page, and a deleted one.
    let new_page = site.path().join("content/section-000/a-new-page.md");
    edit(&|| {
        std::fs::write(&new_page, "---\ntitle: A new page\n---\nFresh.\n").expect("write");
    });
    let (deleted_page, _) = generated_page(site.path(), 10);
    edit(&|| {
        std::fs::remove_file(&deleted_page).expect("delete page");
    });
    // A Python module.
    let module = site.path().join("src/genpkg/sub_00/mod_00000.py");
    edit(&|| {
        let mut text = std::fs::read_to_string(&module).expect("read module");
        text.push_str("\n\ndef added_by_the_test():\n    \"\"\"Added while serving.\"\"\"\n");
        std::fs::write(&module, text).expect("edit module");
    });
    // After the full builds, body edits are rebuilt from memory again.
    let (last_page, last_url) = generated_page(site.path(), 16);
    edit(&|| append(&last_page, "Another resident body edit."));
    events.wait_for(
        "reload after the full builds",
        SLOW_WAIT,
        is_reload_of(&last_url),
    );
    // Two in a row: the second starts from the cache the first wrote.
    let (next_page, next_url) = generated_page(site.path(), 17);
    edit(&|| append(&next_page, "And one more."));
    events.wait_for(
        "reload of the next page",
        EVENT_WAIT,
        is_reload_of(&next_url),
    );
    let resident_lines = server
        .output()
        .lines()
        .filter(|line| line.contains(FROM_MEMORY))
        .count();
    assert!(
        resident_lines >= 4,
        "the body edits (and the included page's) were rebuilt from memory: {}",
        server.output()
    );
    drop(server);
    assert_as_built(site.path(), out.path(), "after every kind of edit");

    // The cache the server left is the one a build expects: after one more edit, a build
    // of the served site renders that page only, with no warning about the cache.
    let (edited_after, _) = generated_page(site.path(), 19);
    append(&edited_after, "Edited after serving.");
    let run = build(site.path(), out.path(), &[]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let about_the_cache: Vec<String> = run
        .warnings()
        .into_iter()
        .filter(|warning| warning.contains(".ssg-cache"))
        .collect();
    assert_eq!(about_the_cache, Vec::<String>::new());
    let rendered: u64 = ["content", "autodoc", "generated"]
        .iter()
        .map(|kind| run.count("rendered", kind))
        .sum();
    assert_eq!(rendered, 1, "{}", run.json);
}

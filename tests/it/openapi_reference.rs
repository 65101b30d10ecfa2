//! `[[autodoc.openapi]]`: OpenAPI descriptions (`tests/fixtures/reference/openapi/`) become
//! pages that join the nav, the sitemap, search and `llm-full.txt`; a description that
//! cannot be read is an error with its file and line while the rest of the site builds;
//! a change to one operation re-renders only the pages that show it.

use crate::support::{
    assert_same_sequentially_and_in_processes, build, copy_tree, read, workspace,
};
use std::path::Path;

/// A site with the fixtures under `api/` and `toml` as its `ssg.toml`.
fn site(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(
        &workspace().join("tests/fixtures/reference/openapi"),
        &dir.path().join("api"),
    );
    std::fs::create_dir_all(dir.path().join("content")).expect("mkdir content");
    std::fs::write(dir.path().join("content/_index.md"), "# Home\n").expect("write page");
    std::fs::write(dir.path().join("ssg.toml"), toml).expect("write ssg.toml");
    dir
}

const PETSTORE: &str = "title = \"T\"\n\n[[autodoc.openapi]]\nname = \"petstore\"\n\
                        path = \"api/petstore.yaml\"\nurl = \"/api/pets/\"\n";
const MULTI: &str = "\n[[autodoc.openapi]]\nname = \"trees\"\npath = \"api/multi/openapi.yaml\"\n";

fn search_text(out: &Path) -> String {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(out.join("search")) {
        let entry = entry.expect("walk search");
        if entry.file_type().is_file() {
            text.push_str(&String::from_utf8_lossy(
                &std::fs::read(entry.path()).expect("read search part"),
            ));
        }
    }
    text
}

#[test]
fn operation_pages_join_the_nav_sitemap_search_and_llm_full() {
    let site = site(&format!("{PETSTORE}{MULTI}"));
    let out = site.path().join("public");
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code(), 0, "{:#?}\n{}", run.errors(), run.stderr());

    let operation = read(&out, "api/pets/operations/listpets/index.html");
    assert!(operation.contains("<title>List pets"), "{operation}");
    // The home page's nav links each description; an operation's nav, its tags and the
    // operations of its own tag.
    let home = read(&out, "index.html");
    for href in ["href=\"/api/pets/\"", "href=\"/trees/\""] {
        assert!(home.contains(href), "{href} in the home page's nav");
    }
    for href in [
        "href=\"/api/pets/tags/pets/\"",
        "href=\"/api/pets/tags/store/\"",
        "href=\"/api/pets/operations/getpet/\"",
    ] {
        assert!(operation.contains(href), "{href} in an operation's nav");
    }
    // Schemas of a `$ref`d file (and its circular `Tree`) have their own pages.
    assert!(out.join("trees/schemas/forest/index.html").is_file());
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains("/api/pets/operations/listpets/"),
        "{sitemap}"
    );
    assert!(sitemap.contains("/api/pets/schemas/pet/"), "{sitemap}");
    let llm_full = read(&out, "llm-full.txt");
    assert!(llm_full.contains("# List pets"), "{llm_full}");
    assert!(search_text(&out).contains("List pets"));

    // The same bytes whatever the mode.
    assert_same_sequentially_and_in_processes(site.path(), &out);
}

#[test]
fn a_broken_description_is_an_error_at_its_line_and_the_rest_builds() {
    let toml = format!(
        "{PETSTORE}\n[[autodoc.openapi]]\nname = \"syntax\"\npath = \"api/broken/syntax.yaml\"\n\
         \n[[autodoc.openapi]]\nname = \"dangling\"\npath = \"api/broken/dangling.json\"\n"
    );
    let site = site(&toml);
    let out = site.path().join("public");
    let run = build(site.path(), &out, &[]);
    assert_ne!(
        run.code(),
        0,
        "a description that cannot be read fails the build"
    );
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("api/broken/syntax.yaml:8: YAML syntax error")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("api/broken/dangling.json:10: ")
                && e.contains("#/components/schemas/Missing")),
        "{errors:#?}"
    );
    assert!(
        out.join("api/pets/operations/listpets/index.html")
            .is_file()
    );
    assert!(out.join("index.html").is_file());
}

#[test]
fn a_change_to_one_operation_re_renders_only_the_pages_that_show_it() {
    let site = site(PETSTORE);
    let out = site.path().join("public");
    let first = build(site.path(), &out, &[]);
    assert_eq!(first.code(), 0, "{:#?}", first.errors());
    let pages = first.count("rendered", "autodoc");
    assert!(pages > 10, "{pages} pages");

    let spec = site.path().join("api/petstore.yaml");
    let text = std::fs::read_to_string(&spec).expect("read spec");
    assert!(text.contains("description: Deleted."));
    std::fs::write(
        &spec,
        text.replace("description: Deleted.", "description: Removed."),
    )
    .expect("write spec");
    let second = build(site.path(), &out, &[]);
    assert_eq!(second.code(), 0, "{:#?}", second.errors());
    let rendered = second.count("rendered", "autodoc");
    assert!(
        rendered >= 1 && rendered < pages / 2,
        "{rendered} of {pages} pages re-rendered"
    );
    let page = read(&out, "api/pets/operations/deletepet/index.html");
    assert!(page.contains("Removed."), "{page}");
}

#[test]
fn serve_reloads_only_the_pages_of_an_edited_operation() {
    use crate::serve::client::{DevServer, EVENT_WAIT};
    let site = site(PETSTORE);
    let out = site.path().join("public");
    let server = DevServer::start(site.path(), &out, &[], &[]);
    let page = server.get("/api/pets/operations/deletepet/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Deleted."), "{}", page.text());

    let mut events = server.events();
    let spec = site.path().join("api/petstore.yaml");
    let text = std::fs::read_to_string(&spec).expect("read spec");
    std::fs::write(
        &spec,
        text.replace("description: Deleted.", "description: Removed."),
    )
    .expect("write spec");
    let reload = events.wait_for("reload of the operation", EVENT_WAIT, |name, data| {
        name == "reload"
            && data["pages"].as_array().is_some_and(|pages| {
                pages
                    .iter()
                    .any(|page| page == "/api/pets/operations/deletepet/")
            })
    });
    assert_eq!(reload["all"], false, "{reload}");
    let pages = reload["pages"].as_array().expect("pages");
    assert!(
        !pages
            .iter()
            .any(|page| page == "/api/pets/operations/listpets/"),
        "{reload}"
    );
    let page = server.get("/api/pets/operations/deletepet/");
    assert!(page.text().contains("Removed."), "{}", page.text());
}

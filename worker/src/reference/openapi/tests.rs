//! OpenAPI loading and rendering on the fixtures in `tests/fixtures/reference/openapi/`:
//! a 3.0 petstore (circular schemas, allOf/oneOf/anyOf, `nullable`, every parameter
//! location, security), a 3.1 description over several files (with a cycle between files
//! and `type: [string, "null"]`), and broken files. The page lists are insta snapshots;
//! the pages are checked for what a reader relies on.

use std::path::{Path, PathBuf};

use super::*;
use crate::reference::ReferenceError;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/reference")
}

fn load(relative: &str) -> Result<Spec, ReferenceError> {
    let root = fixtures();
    let path = root.join(relative);
    load_spec(&SpecSource {
        path: &path,
        display_path: relative,
        allowed_root: &root,
    })
}

/// Markdown stand-in: escaped text in a paragraph, so tests see what went through it.
fn markdown(text: &str) -> String {
    format!("<p>{}</p>\n", crate::reference::html::escape(text.trim()))
}

fn render(spec: &Spec, url: &str) -> ReferencePage {
    let key = spec
        .pages()
        .into_iter()
        .find(|key| key.url == url)
        .unwrap_or_else(|| panic!("no page {url}"));
    spec.render_page(&key, "/api/", &markdown)
        .expect("listed pages render")
}

#[test]
fn petstore_pages() {
    let spec = load("openapi/petstore.yaml").expect("loads");
    assert_eq!(spec.version, SpecVersion::V30);
    let pages: Vec<(String, String)> = spec
        .pages()
        .into_iter()
        .map(|key| (key.url, key.title))
        .collect();
    insta::assert_debug_snapshot!("petstore_pages", pages);
}

#[test]
fn petstore_operation_page() {
    let spec = load("openapi/petstore.yaml").expect("loads");
    let list = render(&spec, "operations/listpets/");
    insta::assert_snapshot!("petstore_list_pets_html", list.html);
    let headings: Vec<&str> = list.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(
        headings,
        [
            "Security",
            "Parameters",
            "Query parameters",
            "Header parameters",
            "Cookie parameters",
            "Responses",
            "200 A page of pets.",
            "default Unexpected error."
        ]
    );
    // The array of a named schema is expanded one level: allOf merged, the nested inline
    // object down to the depth bound.
    assert!(list.html.contains("<code>owner.address.city</code>"));
    assert!(!list.html.contains("owner.address.geo.lat"));
    assert!(list.html.contains("string | null"));

    let create = render(&spec, "operations/createpet/");
    assert!(
        create
            .html
            .contains("href=\"/api/#security-scheme-oauth\">oauth</a> (<code>write:pets</code>)")
    );
    assert!(create.html.contains("Example: A dog"));
    assert!(
        create
            .html
            .contains("reference-openapi-badge-required\">required</span></p>")
    );

    let get = render(&spec, "operations/getpet/");
    // Path-level parameters apply; oneOf variants link to their schemas.
    assert!(get.html.contains("<code>petId</code> <span"));
    assert!(get.html.contains("one of: <a href=\"/api/schemas/dog/\"><code>Dog</code></a> | <a href=\"/api/schemas/cat/\"><code>Cat</code></a>"));

    let delete = render(&spec, "operations/deletepet/");
    assert_eq!(delete.title, "DELETE /pets/{petId}");
    assert!(delete.html.contains("<strong>Deprecated</strong>"));

    let health = render(&spec, "operations/get-health/");
    assert!(health.html.contains("none (anonymous access)"));
    assert!(health.html.contains("href=\"/api/tags/default/\""));
}

#[test]
fn circular_schemas_are_links() {
    let spec = load("openapi/petstore.yaml").expect("loads");
    let category = render(&spec, "schemas/category/");
    insta::assert_snapshot!("petstore_category_html", category.html);
    assert!(
        category
            .html
            .contains("<code>parent</code></td><td><a href=\"/api/schemas/category/\">")
    );
    assert!(
        category
            .html
            .contains("array of <a href=\"/api/schemas/category/\">")
    );
    assert!(category.html.contains("any of: string | integer"));
    let tree = render(&spec, "operations/get-store-tree/");
    assert!(tree.html.contains("<code>children</code>"));
    let cat = render(&spec, "schemas/cat/");
    assert!(cat.html.contains("Maximum: <code>10</code> (exclusive)"));
    let dog = render(&spec, "schemas/dog/");
    // allOf of a named schema that is itself an allOf: every property, once.
    for property in ["<code>name</code>", "<code>id</code>", "<code>bark</code>"] {
        assert_eq!(dog.html.matches(property).count(), 1, "{property}");
    }
}

#[test]
fn tag_and_overview_pages() {
    let spec = load("openapi/petstore.yaml").expect("loads");
    let pets = render(&spec, "tags/pets/");
    assert!(pets.html.contains("Everything about pets."));
    assert_eq!(
        pets.html
            .matches("<tr><td><span class=\"reference-openapi-method")
            .count(),
        4
    );
    let overview = render(&spec, "");
    assert_eq!(overview.title, "Petstore");
    assert!(overview.html.contains("https://petstore.example/v1"));
    assert!(overview.html.contains("id=\"security-scheme-api-key\""));
    // The link check sees both ends of a security link.
    assert!(
        overview
            .anchors
            .contains(&"security-scheme-oauth".to_owned())
    );
    let create = render(&spec, "operations/createpet/");
    assert!(
        create
            .links
            .contains(&"/api/#security-scheme-oauth".to_owned())
    );
    assert!(create.links.contains(&"/api/schemas/pet/".to_owned()));
    assert!(overview.html.contains("<code>write:pets</code>"));
    assert!(!overview.html.contains("unused"));
}

#[test]
fn multi_file_31_spec() {
    let spec = load("openapi/multi/openapi.yaml").expect("loads");
    assert_eq!(spec.version, SpecVersion::V31);
    assert_eq!(
        spec.source_files(),
        [
            "openapi/multi/openapi.yaml",
            "openapi/multi/schemas/tree.yaml",
            "openapi/multi/responses.yaml",
            "openapi/multi/parameters.yaml"
        ]
    );
    let list = render(&spec, "operations/get-trees/");
    insta::assert_snapshot!("multi_list_trees_html", list.html);
    // A parameter and a whole response from other files; a schema in a third, expanded
    // inline since it has no page, with its cycle (children: Tree) cut.
    assert!(list.html.contains("<code>limit</code>"));
    assert!(list.html.contains("integer | null"));
    assert!(list.html.contains("Many trees."));
    assert!(list.html.contains("<code>height</code>"));
    assert!(
        list.html
            .contains("<code>forest</code></td><td><a href=\"/api/schemas/forest/\">")
    );
    let webhook = render(&spec, "operations/webhook-treeplanted-post/");
    assert_eq!(webhook.title, "Webhook treePlanted");
    assert!(webhook.html.contains("reference-openapi-webhook\">Webhook</span> <span class=\"reference-openapi-method reference-openapi-method-post\">POST</span> <code class=\"reference-openapi-path\">treePlanted</code>"));
    let forest = render(&spec, "schemas/forest/");
    assert!(forest.html.contains("string | null"));
    assert!(
        forest
            .html
            .contains("const <code>&quot;forest&quot;</code>")
    );
}

#[test]
fn fingerprints_follow_what_a_page_shows() {
    let folder = tempfile::tempdir().expect("temp dir");
    let spec_path = folder.path().join("api.yaml");
    let original = std::fs::read_to_string(fixtures().join("openapi/petstore.yaml")).expect("read");
    let load_text = |text: &str| {
        std::fs::write(&spec_path, text).expect("write");
        load_spec(&SpecSource {
            path: &spec_path,
            display_path: "api.yaml",
            allowed_root: folder.path(),
        })
        .expect("loads")
    };
    let fingerprints = |spec: &Spec| -> Vec<(String, u64)> {
        spec.pages()
            .iter()
            .map(|key| (key.url.clone(), spec.page_fingerprint(key)))
            .collect()
    };
    let before = fingerprints(&load_text(&original));
    let edited = original.replace("description: A free-form tag.", "description: A tag.");
    let after = fingerprints(&load_text(&edited));
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(old, new)| old.1 != new.1)
        .map(|(old, _)| old.0.as_str())
        .collect();
    // NewPet changed: the pages that show it (directly or through allOf and oneOf).
    assert_eq!(
        changed,
        [
            "operations/listpets/",
            "operations/createpet/",
            "operations/getpet/",
            "schemas/newpet/",
            "schemas/pet/",
            "schemas/dog/",
            "schemas/cat/"
        ]
    );

    // What an operation's page alone shows (its description, a response's): that page
    // only, not its tag's table of methods, paths and titles.
    let edited = original
        .replace(
            "operationId: deletePet\n",
            "operationId: deletePet\n      description: Deletes a pet.\n",
        )
        .replace("description: Deleted.", "description: Removed.");
    assert_ne!(edited.matches("Deletes a pet.").count(), 0);
    let after = fingerprints(&load_text(&edited));
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(old, new)| old.1 != new.1)
        .map(|(old, _)| old.0.as_str())
        .collect();
    assert_eq!(changed, ["operations/deletepet/"]);
}

#[test]
fn errors_name_file_and_line() {
    let syntax = load("openapi/broken/syntax.yaml")
        .err()
        .expect("syntax error");
    assert_eq!(syntax.file, "openapi/broken/syntax.yaml");
    assert_eq!(syntax.line, 8);
    assert!(syntax.message.contains("YAML syntax error"), "{syntax}");

    let dangling = load("openapi/broken/dangling.json")
        .err()
        .expect("dangling ref");
    assert_eq!(
        (dangling.file.as_str(), dangling.line),
        ("openapi/broken/dangling.json", 10)
    );
    assert!(
        dangling.message.contains("#/components/schemas/Missing"),
        "{dangling}"
    );

    let folder = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let path = folder.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    };
    let load_in = |path: &Path, display: &str| {
        load_spec(&SpecSource {
            path,
            display_path: display,
            allowed_root: folder.path(),
        })
        .err()
        .expect("fails")
    };
    let missing_file = write(
        "a.yaml",
        "openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths:\n  /x:\n    $ref: 'nowhere.yaml'\n",
    );
    let error = load_in(&missing_file, "a.yaml");
    assert_eq!((error.file.as_str(), error.line), ("a.yaml", 5));
    assert!(error.message.contains("nowhere.yaml"), "{error}");

    let outside = write(
        "b.yaml",
        "openapi: 3.1.0\ninfo: {title: b, version: '1'}\npaths:\n  /x:\n    $ref: '../../etc/passwd'\n",
    );
    let error = load_in(&outside, "b.yaml");
    assert_eq!(error.line, 5);
    assert!(error.message.contains("leaves the site"), "{error}");

    let swagger = write("c.json", "{\"swagger\": \"2.0\"}");
    assert!(load_in(&swagger, "c.json").message.contains("Swagger 2.0"));

    let bad_json = write("d.json", "{\n  \"openapi\": \"3.0.0\",\n  \"info\": }\n");
    let error = load_in(&bad_json, "d.json");
    assert_eq!(error.line, 3);
    assert!(error.message.contains("JSON syntax error"), "{error}");
}

#[test]
fn keys_of_another_spec_are_refused_not_panicked_on() {
    let spec = load("openapi/multi/openapi.yaml").expect("loads");
    for kind in [
        PageKind::Tag(99),
        PageKind::Operation(99),
        PageKind::Schema(99),
    ] {
        let key = PageKey {
            kind,
            url: "x/".to_owned(),
            title: "x".to_owned(),
        };
        assert!(spec.render_page(&key, "/", &markdown).is_none());
        let _ = spec.page_fingerprint(&key);
    }
}

#[test]
fn a_loaded_spec_is_shared_across_render_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Spec>();
    shareable::<crate::reference::cli::CliDoc>();
}

#[test]
fn a_multiplying_schema_is_cut_by_the_page_budget() {
    // `Loop` (no page: another file) is a oneOf of 300 references to itself.
    let folder = tempfile::tempdir().expect("temp dir");
    let variants = "  - $ref: '#/Loop'\n".repeat(300);
    std::fs::write(
        folder.path().join("loop.yaml"),
        format!("Loop:\n oneOf:\n{variants}"),
    )
    .expect("write");
    let root = folder.path().join("api.yaml");
    std::fs::write(
        &root,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n\
         \x20       '200':\n          description: ok\n          content:\n            application/json:\n\
         \x20             schema: {$ref: 'loop.yaml#/Loop'}\n",
    )
    .expect("write");
    let spec = load_spec(&SpecSource {
        path: &root,
        display_path: "api.yaml",
        allowed_root: folder.path(),
    })
    .expect("loads");
    let page = render(&spec, "operations/get-x/");
    assert!(page.html.contains("one of:"));
    assert!(
        page.html.len() < 16 * 1024 * 1024,
        "{} bytes",
        page.html.len()
    );
}

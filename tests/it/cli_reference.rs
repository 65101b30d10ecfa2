//! `[[autodoc.cli]]`: click, typer and argparse CLIs (`tests/fixtures/reference/cli/`),
//! read statically, become a page per command that joins the nav, the sitemap, search and
//! `llm-full.txt`; an `object` that is not found is an error with its file and line while
//! the rest of the site builds.

use crate::support::{
    assert_same_sequentially_and_in_processes, binary, build, copy_tree, read, workspace,
};

/// A site with the fixtures under `cli/` and `toml` as its `ssg.toml`.
fn site(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(
        &workspace().join("tests/fixtures/reference/cli"),
        &dir.path().join("cli"),
    );
    std::fs::create_dir_all(dir.path().join("content")).expect("mkdir content");
    std::fs::write(dir.path().join("content/_index.md"), "# Home\n").expect("write page");
    std::fs::write(dir.path().join("ssg.toml"), toml).expect("write ssg.toml");
    dir
}

const CLIS: &str = r#"title = "T"

[[autodoc.cli]]
name = "clickapp"
path = "cli/clickapp"
object = "clickapp.cli:cli"

[[autodoc.cli]]
name = "inv"
path = "cli/typer_app.py"
object = "app"
framework = "typer"
url = "/tools/inv/"

[[autodoc.cli]]
name = "tool"
path = "cli/argparse_tool.py"
object = "build_parser"
"#;

#[test]
fn command_pages_join_the_nav_sitemap_and_llm_full() {
    let site = site(CLIS);
    let out = site.path().join("public");
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code(), 0, "{:#?}\n{}", run.errors(), run.stderr());

    let add = read(&out, "cli/clickapp/remote/add/index.html");
    assert!(add.contains("<title>clickapp remote add"), "{add}");
    // A nested command's nav: its group's commands and the other top commands.
    for href in [
        "href=\"/cli/clickapp/remote/remove/\"",
        "href=\"/cli/clickapp/build/\"",
    ] {
        assert!(add.contains(href), "{href} in a command's nav");
    }
    let home = read(&out, "index.html");
    for href in [
        "href=\"/cli/clickapp/\"",
        "href=\"/tools/inv/\"",
        "href=\"/cli/tool/\"",
    ] {
        assert!(home.contains(href), "{href} in the home page's nav");
    }
    assert!(out.join("tools/inv/users/create/index.html").is_file());
    assert!(out.join("cli/tool/run/index.html").is_file());
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("/cli/clickapp/remote/add/"), "{sitemap}");
    let llm_full = read(&out, "llm-full.txt");
    assert!(llm_full.contains("# clickapp remote add"), "{llm_full}");

    // The same bytes whatever the mode.
    assert_same_sequentially_and_in_processes(site.path(), &out);
}

#[test]
fn an_object_that_is_not_found_is_an_error_at_its_file_and_the_rest_builds() {
    let toml = format!(
        "{CLIS}\n[[autodoc.cli]]\nname = \"missing\"\npath = \"cli/clickapp\"\n\
         object = \"clickapp.cli:nothing\"\n"
    );
    let site = site(&toml);
    let out = site.path().join("public");
    let run = build(site.path(), &out, &[]);
    assert_ne!(run.code(), 0, "a CLI that cannot be read fails the build");
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("cli/clickapp/cli.py:1: ")
                && e.contains("`nothing` is not defined")),
        "{errors:#?}"
    );
    assert!(out.join("cli/clickapp/remote/add/index.html").is_file());
}

/// Runs a build expected to stop at the configuration; its stderr.
fn config_error(toml: &str) -> String {
    let site = site(toml);
    let output = std::process::Command::new(binary())
        .arg("build")
        .arg(site.path())
        .output()
        .expect("run ssg-coord");
    assert_eq!(output.status.code(), Some(2));
    assert!(!site.path().join("public").exists());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_unknown_framework_or_key_is_a_configuration_error_at_its_line() {
    let stderr = config_error(&CLIS.replace("framework = \"typer\"", "framework = \"fire\""));
    assert!(
        stderr.contains("ssg.toml:12: unknown framework `fire` in [[autodoc.cli]]"),
        "{stderr}"
    );
    let stderr = config_error(&CLIS.replace("object = \"app\"", "object = \"app\"\nhelp = \"x\""));
    assert!(
        stderr.contains("ssg.toml:12: unknown key `help` in [[autodoc.cli]]"),
        "{stderr}"
    );
}

#[test]
fn an_edit_to_one_command_re_renders_only_that_command_page() {
    let site = site(CLIS);
    let out = site.path().join("public");
    let first = build(site.path(), &out, &[]);
    assert_eq!(first.code(), 0, "{:#?}", first.errors());
    let pages = first.count("rendered", "autodoc");
    assert!(pages > 10, "{pages} pages");

    // An option's help, on a line of its own: `clickapp serve` shows it, no other page.
    let source = site.path().join("cli/clickapp/cli.py");
    let text = std::fs::read_to_string(&source).expect("read cli.py");
    assert_eq!(text.matches("Address to serve on.").count(), 1);
    std::fs::write(
        &source,
        text.replace("Address to serve on.", "Address to listen on."),
    )
    .expect("write cli.py");
    let second = build(site.path(), &out, &[]);
    assert_eq!(second.code(), 0, "{:#?}", second.errors());
    assert_eq!(second.count("rendered", "autodoc"), 1, "{}", second.json);
    let serve = read(&out, "cli/clickapp/serve/index.html");
    assert!(serve.contains("Address to listen on."), "{serve}");
}

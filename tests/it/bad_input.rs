//! One test per bad input: each gives a clear error naming the file (and line where one
//! exists), never a panic, and the rest of the site still builds.

use crate::support::{binary, build, invalid_fixture, read, site_from};
use std::process::Command;

/// Builds fixture `case` and returns the run and its output folder.
fn build_case(case: &str, extra: &[&str]) -> (crate::support::Run, tempfile::TempDir) {
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&invalid_fixture(case), out.path(), extra);
    assert!(
        !run.stderr().contains("panicked"),
        "{case} panicked: {}",
        run.stderr()
    );
    (run, out)
}

fn assert_error(run: &crate::support::Run, prefix: &str, fragment: &str) {
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(prefix) && e.contains(fragment)),
        "no error starting with {prefix:?} containing {fragment:?}: {errors:#?}"
    );
}

#[test]
fn broken_yaml_front_matter_names_file_and_line() {
    let (run, out) = build_case("broken_yaml", &[]);
    assert_eq!(run.code(), 1);
    assert_error(&run, "content/bad.md:4:", "");
    assert_eq!(
        run.json["failed_pages"],
        serde_json::json!(["content/bad.md"])
    );
    assert!(
        out.path().join("good/index.html").is_file(),
        "the good page was not built"
    );
}

#[test]
fn broken_toml_front_matter_names_file_and_line() {
    let (run, out) = build_case("broken_toml", &[]);
    assert_eq!(run.code(), 1);
    assert_error(&run, "content/bad.md:3:", "");
    assert!(out.path().join("good/index.html").is_file());
}

#[test]
fn invalid_utf8_names_file_and_line() {
    let site = site_from(&[("content/good.md", "# Good\n")]);
    std::fs::write(
        site.path().join("content/latin1.md"),
        b"---\ntitle: x\n---\ncaf\xe9\n",
    )
    .expect("write");
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(site.path(), out.path(), &[]);
    assert_eq!(run.code(), 1);
    assert_error(&run, "content/latin1.md:4:", "UTF-8");
    assert!(out.path().join("good/index.html").is_file());
}

#[test]
fn python_syntax_error_names_module_and_line() {
    let (run, out) = build_case("python_syntax_error", &[]);
    assert_eq!(run.code(), 1);
    // Like CPython, Ruff reports the unclosed `(` at the end of line 4.
    assert_error(&run, "src/pkg/broken.py:4:", "syntax error");
    assert_eq!(
        run.json["failed_pages"],
        serde_json::json!(["autodoc:pkg.broken"])
    );
    assert!(out.path().join("api/pkg/good/index.html").is_file());
    assert!(out.path().join("api/pkg/index.html").is_file());
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let (run, out) = build_case("template_syntax_error", &[]);
    assert_eq!(run.code(), 1);
    assert_error(&run, "templates/page.html:", "");
    // Pages using other templates still build.
    assert!(
        out.path().join("index.html").is_file(),
        "home (section.html) was not built"
    );
    assert!(!out.path().join("uses-page/index.html").exists());
}

#[test]
fn unknown_variable_with_filter_names_template_and_line() {
    let (run, out) = build_case("template_unknown_variable", &[]);
    assert_eq!(run.code(), 1);
    assert_error(&run, "templates/custom.html:2:", "");
    assert!(out.path().join("plain/index.html").is_file());
}

#[test]
fn missing_template_names_the_page_and_the_template() {
    let (run, out) = build_case("missing_template", &[]);
    assert_eq!(run.code(), 1);
    assert_error(&run, "content/page.md", "nothere.html");
    assert!(out.path().join("other/index.html").is_file());
}

#[test]
fn slugs_and_urls_cannot_escape_the_output_directory() {
    let parent = tempfile::tempdir().expect("temp dir");
    let out = parent.path().join("out");
    let run = build(&invalid_fixture("slug_escape"), &out, &[]);
    assert_eq!(run.code(), 1);
    assert_error(&run, "content/escape.md", "`..`");
    assert_error(&run, "content/absolute.md", "absolute path");
    assert_error(&run, "content/url-escape.md", "`..`");
    assert!(out.join("fine/index.html").is_file());
    let outside: Vec<_> = std::fs::read_dir(parent.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        outside,
        vec![std::ffi::OsString::from("out")],
        "something was written outside the output dir"
    );
}

#[test]
fn two_pages_claiming_one_url_name_each_other() {
    let (run, out) = build_case("duplicate_url", &[]);
    assert_eq!(run.code(), 1);
    assert_error(&run, "content/b.md", "content/a.md");
    assert!(
        read(out.path(), "same/index.html").contains(">A<")
            || read(out.path(), "same/index.html").contains("A")
    );
}

#[test]
fn empty_content_folder_is_a_warning_and_builds_the_home_page() {
    let (run, out) = build_case("empty_content", &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert!(
        run.warnings()
            .iter()
            .any(|w| w.contains("content") && w.contains("no markdown")),
        "{:#?}",
        run.warnings()
    );
    assert!(out.path().join("index.html").is_file());
    assert!(out.path().join("404.html").is_file());
}

#[test]
fn a_ten_megabyte_page_builds() {
    let mut body = String::from("---\ntitle: Huge\n---\n");
    let paragraph = "Lorem ipsum dolor sit amet, `code` and **bold** with a [link](#huge).\n\n";
    while body.len() < 10 * 1024 * 1024 {
        body.push_str(paragraph);
    }
    let site = site_from(&[("content/huge.md", &body)]);
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(site.path(), out.path(), &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert!(
        std::fs::metadata(out.path().join("huge/index.html"))
            .expect("html")
            .len()
            > 10 * 1024 * 1024
    );
}

#[test]
fn unknown_config_key_is_a_usage_error_with_a_suggestion() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = Command::new(binary())
        .arg("build")
        .arg(invalid_fixture("unknown_config_key"))
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ssg.toml:5"), "{stderr}");
    assert!(
        stderr.contains("unknown key `outptu_dir`") && stderr.contains("did you mean `output_dir`"),
        "{stderr}"
    );
}

#[test]
fn dead_links_warn_and_strict_makes_them_errors() {
    let site = site_from(&[
        (
            "content/a.md",
            "# A\n\nSee [b](b.md), [nowhere](/nowhere/) and [bad anchor](b.md#nope).\n",
        ),
        ("content/b.md", "# B\n\n## Real\n"),
        ("content/c.md", "# C\n\n[missing](missing.md)\n"),
    ]);
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(site.path(), out.path(), &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    let warnings = run.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/a.md:3:") && w.contains("/nowhere/")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/a.md:3:") && w.contains("#nope")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/c.md:3:") && w.contains("missing.md")),
        "{warnings:#?}"
    );

    let strict_out = tempfile::tempdir().expect("temp dir");
    let strict = build(site.path(), strict_out.path(), &["--strict"]);
    assert_eq!(strict.code(), 1);
    let errors = strict.errors();
    for dead in ["/nowhere/", "#nope", "missing.md"] {
        assert!(
            errors.iter().any(|e| e.contains(dead)),
            "--strict: {dead} is not an error: {errors:#?}"
        );
    }
}

#[test]
fn fail_fast_stops_with_exit_code_one() {
    let (run, _out) = build_case("broken_yaml", &["--fail-fast"]);
    assert_eq!(run.code(), 1);
    assert_error(&run, "content/bad.md", "");
}

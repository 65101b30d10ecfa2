//! `ssg-coord init` (a starter site that builds with no warning; `--from mkdocs`) and
//! `ssg-coord check` (a full build that writes nothing into the site).

use crate::support::{binary, build, copy_site, workspace};
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str], site: &Path) -> Output {
    Command::new(binary())
        .args(args)
        .arg(site)
        .output()
        .expect("run ssg-coord")
}

#[test]
fn the_starter_site_builds_and_checks_without_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("docs");
    let init = run(&["init"], &site);
    assert!(init.status.success(), "{init:?}");

    let check = run(&["check", "--strict", "--json"], &site);
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let summary: serde_json::Value =
        serde_json::from_slice(&check.stdout).expect("one JSON summary");
    assert_eq!(summary["warnings"], serde_json::json!([]), "{summary}");
    assert_eq!(summary["pages"]["autodoc"], 2, "the package is documented");
    assert!(!site.join("public").exists(), "check writes no output");
    assert!(!site.join(".ssg-cache").exists(), "check writes no cache");

    let out = dir.path().join("out");
    let built = build(&site, &out, &["--strict"]);
    assert_eq!(built.code(), 0, "{}", built.stderr());
    assert!(built.warnings().is_empty(), "{:?}", built.warnings());

    let again = run(&["init"], &site);
    assert_eq!(again.status.code(), Some(2), "init never overwrites");
}

#[test]
fn check_fails_like_build_on_a_dead_link() {
    let site = copy_site(&workspace().join("examples/docs"));
    std::fs::write(
        site.join("content/dead.md"),
        "# Dead\n\n[nowhere](/no/such/page/)\n",
    )
    .expect("write page");
    let check = run(&["check", "--strict"], &site);
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("content/dead.md:3"), "{stderr}");
    assert!(!site.join("public").exists());
}

#[test]
fn init_from_mkdocs_writes_an_equivalent_ssg_toml() {
    let site = copy_site(&workspace().join("tests/fixtures/sites/mkdocs-autorefs"));
    let init = run(&["init", "--from", "mkdocs"], &site);
    assert!(init.status.success(), "{init:?}");
    let toml = std::fs::read_to_string(site.join("ssg.toml")).expect("ssg.toml written");
    assert!(toml.contains("title = \"mkdocs-autorefs\""), "{toml}");
    assert!(toml.contains("dialect = \"mkdocs\""), "{toml}");
    // mkdocstrings' `merge_init_into_class: true` is carried over.
    assert!(toml.contains("merge_init_into_class = true"), "{toml}");
    assert!(site.join("docs/index.md").exists(), "nothing moved");
    let out = tempfile::tempdir().expect("temp dir");
    let built = build(&site, out.path(), &[]);
    assert_eq!(built.code(), 0, "{}", built.stderr());
    assert!(built.json.get("config").is_none(), "ssg.toml is read now");
}

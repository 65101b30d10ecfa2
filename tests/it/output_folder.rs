//! Output folders are owned: a build marks its folder, refuses a non-empty folder it did not
//! create unless `--force`, never deletes a file it did not write, and `clean` deletes only
//! a marked (or empty) folder.

use crate::support::{binary, build, example_site, site_from, tree};
use std::path::Path;
use std::process::{Command, Output};

const MARKER: &str = ".ssg-coord-output";

fn clean(site: &Path, out: &Path) -> Output {
    Command::new(binary())
        .arg("clean")
        .arg(site)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run ssg-coord clean")
}

fn build_raw(site: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(binary())
        .arg("build")
        .arg(site)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run ssg-coord build")
}

/// A folder holding someone's files.
fn pictures() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("holiday.jpg"), b"not a page").expect("write");
    std::fs::create_dir(dir.path().join("2019")).expect("mkdir");
    std::fs::write(dir.path().join("2019/beach.jpg"), b"sand").expect("write");
    dir
}

#[test]
fn clean_refuses_a_folder_ssg_coord_did_not_build() {
    let site = example_site();
    let folder = pictures();
    let before = tree(folder.path());
    let output = clean(&site, folder.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("refusing to delete") && stderr.contains("2019") && stderr.contains(MARKER),
        "{stderr}"
    );
    assert_eq!(tree(folder.path()), before, "clean touched the folder");
}

#[test]
fn build_refuses_a_foreign_folder_unless_forced_and_keeps_its_files() {
    let site = example_site();
    let folder = pictures();
    let before = tree(folder.path());
    let output = build_raw(&site, folder.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("refusing to build into") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(tree(folder.path()), before, "a refused build wrote files");

    let run = build(&site, folder.path(), &["--force"]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert!(folder.path().join(MARKER).is_file());
    assert!(folder.path().join("index.html").is_file());
    // A second build needs no --force, and removing a page removes only its own outputs.
    std::fs::remove_file(site.join("content/guides/retries.md")).expect("delete page");
    let run = build(&site, folder.path(), &[]);
    assert!(run.code() <= 1, "{:#?}", run.errors());
    assert!(!folder.path().join("guides/retries/index.html").exists());
    let after = tree(folder.path());
    for (path, bytes) in &before {
        assert_eq!(
            after.get(path),
            Some(bytes),
            "{path} was changed or deleted"
        );
    }
    // The folder is now marked: clean may delete it.
    let output = clean(&site, folder.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(!folder.path().exists());
}

#[test]
fn a_build_marks_its_folder_and_clean_deletes_it() {
    let site = example_site();
    let parent = tempfile::tempdir().expect("temp dir");
    let out = parent.path().join("site");
    let run = build(&site, &out, &[]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    assert!(out.join(MARKER).is_file());
    for file in ["sitemap.xml", "index.json", "llm-full.txt"] {
        assert!(
            !crate::support::read(&out, file).contains(MARKER),
            "{file} lists the marker"
        );
    }
    assert!(
        !out.join(".ssg-coord-tmp").exists(),
        "temporary folder left behind"
    );
    let output = clean(&site, &out);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(!out.exists());
    assert!(!site.join(".ssg-cache").exists());
    // An empty folder is fine to build into and to clean.
    std::fs::create_dir(&out).expect("mkdir");
    let output = clean(&site, &out);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(!out.exists());
}

#[test]
fn the_default_output_folder_is_owned_too() {
    let site = site_from(&[
        ("ssg.toml", "title = \"T\"\n"),
        ("content/_index.md", "# Home\n"),
        ("public/notes.txt", "mine"),
    ]);
    let output = Command::new(binary())
        .arg("build")
        .arg(site.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(
        std::fs::read_to_string(site.path().join("public/notes.txt")).expect("kept"),
        "mine"
    );
}

//! Output snapshots: the example site and the samples build to exactly the bytes recorded in
//! `tests/snapshots/*.txt` (one `xxh3-128  path` line per output file).
//!
//! A refactor must leave these files unchanged. A change that is meant to alter output
//! regenerates them with `SSG_UPDATE_SNAPSHOTS=1 cargo test -p coordinator --test it snapshot`
//! and commits the diff with the change, so a reviewer sees which outputs moved.

use crate::samples::samples_site;
use crate::support::{build, example_site, tree, workspace};
use std::path::Path;

/// `xxh3-128  relative/path` for every file under `out`, sorted by path.
fn digest_lines(out: &Path) -> String {
    tree(out)
        .iter()
        .map(|(path, bytes)| {
            format!(
                "{:032x}  {path}\n",
                xxhash_rust::xxh3::xxh3_128(bytes.as_slice())
            )
        })
        .collect()
}

fn check_snapshot(name: &str, site: &Path) {
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(site, out.path(), &[]);
    assert_eq!(run.code(), 0, "{name}: errors {:#?}", run.errors());
    let actual = digest_lines(out.path());
    let file = workspace()
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("SSG_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&file, &actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; create it with SSG_UPDATE_SNAPSHOTS=1",
            file.display()
        )
    });
    if actual != expected {
        let old: std::collections::BTreeSet<&str> = expected.lines().collect();
        let new: std::collections::BTreeSet<&str> = actual.lines().collect();
        let gone: Vec<&&str> = old.difference(&new).take(10).collect();
        let came: Vec<&&str> = new.difference(&old).take(10).collect();
        panic!(
            "{name}: output differs from {}\n  recorded only: {gone:#?}\n  built only: {came:#?}\n\
             If the change is intended, rerun with SSG_UPDATE_SNAPSHOTS=1 and commit the snapshot.",
            file.display()
        );
    }
}

#[test]
fn example_site_matches_its_snapshot() {
    check_snapshot("example", &example_site());
}

#[test]
fn samples_match_their_snapshot() {
    check_snapshot("samples", samples_site().path());
}

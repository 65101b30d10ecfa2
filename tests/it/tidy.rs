//! House rules checked on the source tree: every Rust file explains itself in a `//!`
//! module comment, and no file carries a placeholder.

use crate::support::workspace;

fn rust_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "protocol/src",
        "worker/src",
        "coordinator/src",
        "tests/it",
        "benches",
    ] {
        for entry in walkdir::WalkDir::new(workspace().join(dir))
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if entry.path().extension().is_some_and(|e| e == "rs") {
                files.push(entry.path().to_path_buf());
            }
        }
    }
    files
}

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let missing: Vec<String> = rust_files()
        .into_iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a //! module doc: {missing:#?}"
    );
}

#[test]
fn no_placeholders_in_source() {
    let needles = [
        concat!("todo", "!("),
        concat!("unimplemented", "!("),
        concat!("TODO: real", " implementation"),
    ];
    let offenders: Vec<String> = rust_files()
        .into_iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            needles.iter().any(|n| text.contains(n))
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "placeholders left in: {offenders:#?}");
}

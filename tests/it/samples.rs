//! The real-world samples in `../shared/samples` (MDN, Kubernetes, React Native markdown;
//! Bengal, Home Assistant, Django Python) all build: no page fails, template-like text stays
//! literal, every Python module gets a page.

use crate::support::{build, samples};
use std::path::Path;

/// A site whose content is every sample markdown file (one section per project) and whose
/// autodoc package holds every sample Python file.
pub(crate) fn samples_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp dir");
    let root = site.path();
    std::fs::write(
        root.join("ssg.toml"),
        "title = \"Samples\"\n\n[[autodoc.python]]\nname = \"samples\"\npath = \"src/samples\"\n",
    )
    .expect("write config");
    for project in ["mdn", "kubernetes", "react-native"] {
        copy_dir(
            &samples().join("markdown").join(project),
            &root.join("content").join(project),
            "md",
        );
    }
    let package = root.join("src/samples");
    std::fs::create_dir_all(&package).expect("mkdir");
    std::fs::write(
        package.join("__init__.py"),
        "\"\"\"Real-world modules.\"\"\"\n",
    )
    .expect("write");
    for project in ["bengal", "django", "homeassistant"] {
        copy_dir(&samples().join("python").join(project), &package, "py");
    }
    site
}

fn copy_dir(from: &Path, to: &Path, extension: &str) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (is ../shared beside the checkout?)",
            from.display()
        )
    }) {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == extension) {
            std::fs::copy(&path, to.join(path.file_name().expect("file name")))
                .expect("copy sample");
        }
    }
}

fn count_files(dir: &Path, extension: &str) -> u64 {
    std::fs::read_dir(dir)
        .expect("list")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == extension))
        .count() as u64
}

#[test]
fn every_sample_builds_without_errors() {
    let site = samples_site();
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(site.path(), out.path(), &[]);
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    assert_eq!(run.code(), 0, "errors: {:#?}", run.errors());

    let markdown: u64 = ["mdn", "kubernetes", "react-native"]
        .iter()
        .map(|p| count_files(&samples().join("markdown").join(p), "md"))
        .sum();
    let python: u64 = ["bengal", "django", "homeassistant"]
        .iter()
        .map(|p| count_files(&samples().join("python").join(p), "py"))
        .sum();
    assert_eq!(run.count("rendered", "content"), markdown);
    // One page per sample module, plus the package's own page.
    assert_eq!(run.count("rendered", "autodoc"), python + 1);
}

#[test]
fn template_syntax_in_samples_stays_literal() {
    let site = samples_site();
    let out = tempfile::tempdir().expect("temp dir");
    assert_eq!(build(site.path(), out.path(), &[]).code(), 0);
    let texts = page_texts_by_source(out.path());
    let mut checked = 0;
    for project in ["mdn", "kubernetes"] {
        for entry in std::fs::read_dir(site.path().join("content").join(project))
            .expect("list")
            .flatten()
        {
            let source = std::fs::read_to_string(entry.path()).expect("read sample");
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let source_path = format!("content/{project}/{file_name}");
            let text = texts
                .get(&source_path)
                .unwrap_or_else(|| panic!("no page json for {source_path}"));
            // Macros such as {{domxref("Foo")}} and shortcodes such as {{< note >}} in prose
            // must reach the page text as written, never evaluated or dropped.
            for macro_start in ["{{domxref(", "{{< ", "{{% "] {
                if source.contains(macro_start) && !text.contains(macro_start) {
                    panic!("{source_path}: `{macro_start}` lost in the page text");
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 45, "every MDN and Kubernetes sample is checked");
}

/// Source path → plain text, from every page's `index.json`.
fn page_texts_by_source(out: &Path) -> std::collections::HashMap<String, String> {
    let mut texts = std::collections::HashMap::new();
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        if entry.file_name() != "index.json" || entry.path() == out.join("index.json") {
            continue;
        }
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(entry.path()).expect("read"))
                .expect("page json");
        if let (Some(source), Some(text)) = (json["source"].as_str(), json["text"].as_str()) {
            texts.insert(source.to_string(), text.to_string());
        }
    }
    texts
}

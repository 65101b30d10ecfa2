//! Inputs shared by the benchmarks: the real-world samples in `../shared/samples` and
//! sites written by `gen-site`, so no benchmark measures a toy one-liner.
//!
//! Included with `#[path = "inputs.rs"] mod inputs;` by each bench file (every bench is its
//! own crate), which is why each function is used by only some of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `../shared/samples`, beside the checkout.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/samples")
}

/// A sample file, e.g. `python/django/django_db_models_query.py`. Panics with the path when
/// the samples folder is missing: the benches cannot run without their inputs.
pub fn read_sample(rel: &str) -> String {
    let path = samples_dir().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read sample {}: {e} (keep ../shared beside the checkout)",
            path.display()
        )
    })
}

/// Every file with extension `ext` under `root`, at any depth.
fn paths_with_extension(root: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut paths = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                paths.push(path);
            }
        }
    }
    paths
}

/// Every file with extension `ext` under `samples/<folder>`, sorted by path, as
/// (file name, text).
pub fn samples_in(folder: &str, ext: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = paths_with_extension(&samples_dir().join(folder), ext)
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // Lossy decoding: a stray byte in a sample must not stop a benchmark.
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (name, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect();
    files.sort();
    files
}

/// Writes a `gen-site` site of `spec` into a fresh temporary folder.
pub fn generated_site(spec: gen_site::SiteSpec) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("create a temporary folder");
    gen_site::generate(&spec, dir.path()).expect("gen-site writes the site");
    dir
}

/// Every file with extension `ext` under `root`, sorted by path, as (relative path, text).
pub fn files_under(root: &Path, ext: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = paths_with_extension(root, ext)
        .into_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (rel, text)
        })
        .collect();
    files.sort();
    files
}

/// The body of a markdown file: the text after a `---` YAML front matter block, or the
/// whole text when it has none. Good enough for the regular files the benches use.
pub fn markdown_body(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---") else {
        return text;
    };
    match rest.find("\n---") {
        Some(end) => {
            let after = &rest[end + 4..];
            after.split_once('\n').map_or("", |(_, body)| body)
        }
        None => text,
    }
}

/// `markdown` with a line holding `stamp` inserted at the top of every fenced code block,
/// so each call with a new stamp misses the highlighter's content-hash cache. A bare number
/// is a valid token in every language the inputs use, so the block still lexes as before.
pub fn stamp_code_blocks(markdown: &str, stamp: u64) -> String {
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut open_fence: Option<(char, usize)> = None;
    for line in markdown.split_inclusive('\n') {
        out.push_str(line);
        let trimmed = line.trim_start();
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let Some(fence_char) = fence_char else {
            continue;
        };
        let run = trimmed.chars().take_while(|c| *c == fence_char).count();
        if run < 3 {
            continue;
        }
        match open_fence {
            None => {
                open_fence = Some((fence_char, run));
                if !line.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&format!("{stamp}\n"));
            }
            Some((open_char, open_run))
                if open_char == fence_char
                    && run >= open_run
                    && trimmed[run..].trim().is_empty() =>
            {
                open_fence = None;
            }
            Some(_) => {}
        }
    }
    out
}

/// `markdown` with every fence's language label replaced by `text`, so code blocks are
/// escaped rather than highlighted: the same document without the cost of highlighting.
pub fn unlabel_code_blocks(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut open_fence: Option<(char, usize)> = None;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = fence_char.map_or(0, |c| trimmed.chars().take_while(|x| *x == c).count());
        match (open_fence, fence_char) {
            (None, Some(c)) if run >= 3 => {
                open_fence = Some((c, run));
                let has_label = !trimmed[run..].trim().is_empty();
                out.push_str(indent);
                out.push_str(&trimmed[..run]);
                out.push_str(if has_label { "text\n" } else { "\n" });
            }
            (Some((open_char, open_run)), Some(c))
                if c == open_char && run >= open_run && trimmed[run..].trim().is_empty() =>
            {
                open_fence = None;
                out.push_str(line);
            }
            _ => out.push_str(line),
        }
    }
    out
}

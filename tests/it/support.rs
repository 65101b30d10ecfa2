//! Shared test support: running the binary, temporary sites, comparing output trees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `ssg-coord` binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ssg-coord"))
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("coordinator has a parent")
        .to_path_buf()
}

/// `examples/docs`.
pub fn example_site() -> PathBuf {
    workspace().join("examples/docs")
}

/// `../shared/samples`, beside the checkout.
pub fn samples() -> PathBuf {
    workspace().join("../shared/samples")
}

/// `tests/fixtures/invalid/<case>`.
pub fn invalid_fixture(case: &str) -> PathBuf {
    workspace().join("tests/fixtures/invalid").join(case)
}

/// The result of one build.
pub struct Run {
    /// Process output.
    pub output: Output,
    /// The `--json` summary, when the run asked for it.
    pub json: serde_json::Value,
}

impl Run {
    /// Exit code (-1 when killed by a signal).
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    /// stderr as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Error messages of the summary, each as `file:line: message`.
    pub fn errors(&self) -> Vec<String> {
        diagnostics(&self.json["errors"])
    }

    /// Warning messages of the summary, each as `file:line: message`.
    pub fn warnings(&self) -> Vec<String> {
        diagnostics(&self.json["warnings"])
    }

    /// `self.json[a][b]` as a number.
    pub fn count(&self, a: &str, b: &str) -> u64 {
        self.json[a][b]
            .as_u64()
            .unwrap_or_else(|| panic!("{a}.{b} missing in {}", self.json))
    }
}

fn diagnostics(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .map(|d| {
                    format!(
                        "{}:{}: {}",
                        d["file"].as_str().unwrap_or("-"),
                        d["line"]
                            .as_u64()
                            .map_or("-".to_string(), |l| l.to_string()),
                        d["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `ssg-coord build <site> --out <out> --json <extra...>`.
pub fn build(site: &Path, out: &Path, extra: &[&str]) -> Run {
    let output = Command::new(binary())
        .arg("build")
        .arg(site)
        .arg("--out")
        .arg(out)
        .arg("--json")
        .args(extra)
        .output()
        .expect("run ssg-coord");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON summary ({e}); exit {:?}\nstdout:\n{stdout}\nstderr:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    Run { output, json }
}

/// Every file under `dir` (relative path → bytes).
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk output");
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, std::fs::read(entry.path()).expect("read output"));
        }
    }
    files
}

/// Asserts two output trees are byte-identical, naming the first difference.
pub fn assert_same_tree(left: &Path, right: &Path, what: &str) {
    let (a, b) = (tree(left), tree(right));
    let names_a: Vec<&String> = a.keys().collect();
    let names_b: Vec<&String> = b.keys().collect();
    if names_a != names_b {
        let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).take(5).collect();
        let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).take(5).collect();
        panic!("{what}: file lists differ; only left: {only_a:?}; only right: {only_b:?}");
    }
    for (name, bytes) in &a {
        if bytes != &b[name] {
            panic!("{what}: {name} differs");
        }
    }
}

/// Writes `files` (relative path → content) under a new temporary folder.
pub fn site_from(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("file has a parent")).expect("mkdir");
        std::fs::write(full, content).expect("write fixture");
    }
    dir
}

/// Reads an output file as text.
pub fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

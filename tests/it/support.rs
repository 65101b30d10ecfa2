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

/// A site copied into a temporary folder (builds write `.ssg-cache/` into the site, so tests
/// never build the repository's own folders in place). Derefs to the site's path.
pub struct TempSite {
    dir: tempfile::TempDir,
}

impl std::ops::Deref for TempSite {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.dir.path()
    }
}

/// Copies every file under `from` into a new temporary folder.
pub fn copy_site(from: &Path) -> TempSite {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(from, dir.path());
    TempSite { dir }
}

/// Copies every file under `from` to the same place under `to` (created as needed), leaving
/// out a built site's `public/` and `.ssg-cache/`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("walk site");
        let rel = entry.path().strip_prefix(from).expect("under the site");
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if matches!(first.as_deref(), Some("public") | Some(".ssg-cache")) {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy site file");
        }
    }
}

/// A fresh copy of `examples/docs`.
pub fn example_site() -> TempSite {
    copy_site(&workspace().join("examples/docs"))
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

/// Builds `site` with `--no-shard` and with three worker processes (into `site/public-<mode>`)
/// and asserts both trees are byte-identical to `out`, its build in the default mode.
pub fn assert_same_sequentially_and_in_processes(site: &Path, out: &Path) {
    for (mode, extra) in [
        ("sequential", &["--no-shard"][..]),
        (
            "processes",
            &["--process-parallel", "--max-processes", "3"][..],
        ),
    ] {
        let other = site.join(format!("public-{mode}"));
        let run = build(site, &other, extra);
        assert_eq!(run.code(), 0, "{mode}: {:#?}", run.errors());
        assert_same_tree(out, &other, mode);
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

/// The page content (its `<article>`) of every HTML file under `out`, by relative path,
/// with `<pre>` and `<code>` elements removed (code may show any syntax): for checking that
/// no source syntax is left in what a reader sees.
pub fn article_texts(out: &Path) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.expect("walk output");
        if entry.path().extension().is_none_or(|ext| ext != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("read output");
        // The theme's own scripts may hold any syntax: only the article counts.
        let Some(start) = html.find("<article") else {
            continue;
        };
        let end = html.rfind("</article>").unwrap_or(html.len());
        let mut kept = String::new();
        let mut rest = &html[start..end];
        while let Some(at) = rest.find('<') {
            let element = ["<pre", "<code"]
                .iter()
                .find(|open| rest[at..].starts_with(**open));
            match element {
                Some(open) => {
                    kept.push_str(&rest[..at]);
                    let close = format!("</{}>", &open[1..]);
                    rest = rest[at..]
                        .find(&close)
                        .map_or("", |end| &rest[at + end + close.len()..]);
                }
                None => {
                    kept.push_str(&rest[..=at]);
                    rest = &rest[at + 1..];
                }
            }
        }
        kept.push_str(rest);
        let name = entry
            .path()
            .strip_prefix(out)
            .expect("inside")
            .display()
            .to_string();
        texts.push((name, kept));
    }
    texts
}

/// Reads an output file as text.
pub fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Pids of the live child processes of `parent` (from `/proc/*/stat`).
pub fn children_of(parent: u32) -> Vec<u32> {
    let mut children = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return children;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name is in parentheses and may contain spaces: parse after the last ')'.
        let Some(after) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
            continue;
        };
        let mut fields = after.split_whitespace();
        let state = fields.next();
        let ppid = fields.next().and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(parent) && state != Some("Z") {
            children.push(pid);
        }
    }
    children.sort_unstable();
    children
}

/// True while `pid` is a running (not zombie) process.
pub fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit_once(')')
                .map(|(_, rest)| rest.split_whitespace().next() != Some("Z"))
        })
        .unwrap_or(false)
}

/// Waits up to `limit` for every pid in `pids` to be gone; returns those still running.
pub fn wait_gone(pids: &[u32], limit: std::time::Duration) -> Vec<u32> {
    let deadline = std::time::Instant::now() + limit;
    loop {
        let alive: Vec<u32> = pids.iter().copied().filter(|&p| is_running(p)).collect();
        if alive.is_empty() || std::time::Instant::now() > deadline {
            return alive;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A generated site (see `scripts/gen-site`).
pub fn generated_site(pages: usize, sections: usize, modules: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = gen_site::SiteSpec {
        pages,
        sections,
        modules,
        seed: 7,
    };
    gen_site::generate(&spec, dir.path()).expect("generate site");
    dir
}

/// `ssg-coord build <site> --out <out> --json <extra>` started in the background with
/// extra environment variables.
pub fn spawn_build(
    site: &Path,
    out: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> std::process::Child {
    let mut command = Command::new(binary());
    command
        .arg("build")
        .arg(site)
        .arg("--out")
        .arg(out)
        .arg("--json")
        .args(extra);
    for (key, value) in env {
        command.env(key, value);
    }
    command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn ssg-coord")
}

/// Waits for a background build and parses its summary.
pub fn finish_build(child: std::process::Child) -> Run {
    let output = child.wait_with_output().expect("wait for ssg-coord");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json = serde_json::from_str(stdout.trim()).unwrap_or(serde_json::Value::Null);
    Run { output, json }
}

/// Runs a build with extra environment variables.
pub fn build_with_env(site: &Path, out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let run = finish_build(spawn_build(site, out, extra, env));
    assert!(
        !run.json.is_null(),
        "no JSON summary; stderr:\n{}",
        run.stderr()
    );
    run
}

/// Chromium from `SSG_COORD_CHROMIUM` or the PATH (`.ci/run` installs Debian's).
pub fn chromium() -> Option<std::path::PathBuf> {
    if let Some(path) = std::env::var_os("SSG_COORD_CHROMIUM") {
        return Some(std::path::PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// [`chromium`], or `None` with a message on stderr when it is not installed; a test then
/// skips, unless `SSG_COORD_REQUIRE_BROWSER` is set (`.ci/run` sets it): then it fails.
pub fn chromium_or_skip() -> Option<std::path::PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("SSG_COORD_REQUIRE_BROWSER").is_none(),
            "SSG_COORD_REQUIRE_BROWSER is set but chromium is not installed"
        );
        eprintln!("skipped: chromium is not installed (apt-get install chromium)");
    }
    found
}

/// `chromium` headless with a fresh `profile`, its output discarded, in its own process
/// group (so [`Browser`] can kill it with its children); the caller adds what it opens.
pub fn headless_chromium(chromium: &Path, profile: &Path) -> Command {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0);
    command
}

/// Headless Chromium in its own process group, killed with the group on drop.
pub struct Browser(pub std::process::Child);

impl Drop for Browser {
    fn drop(&mut self) {
        // SAFETY: kill(2) on the process group we created for the browser.
        unsafe { libc::kill(-(self.0.id() as i32), libc::SIGKILL) };
        let _ = self.0.wait();
    }
}

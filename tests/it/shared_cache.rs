//! The shared shard cache (`--cache-url`) against a real HTTP store: Debian's nginx with
//! WebDAV PUT, started on a free loopback port with a configuration of its own. A second
//! checkout renders nothing and writes the same bytes; a corrupt or foreign entry, a store
//! that is unreachable or goes away mid-build cost a warning, never the build.
//!
//! Without nginx the tests say so loudly and skip, unless `SSG_COORD_REQUIRE_NGINX` is set
//! (`.ci/run` installs nginx and sets it), where a missing nginx fails them. An nginx that
//! is installed but does not start always fails them.

use crate::support::{self, Run, assert_same_tree, build, copy_site, tree};
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// nginx serving a temporary folder with WebDAV PUT on 127.0.0.1; killed on drop (also
/// used by `distributed_cache`).
pub(crate) struct Nginx {
    process: Child,
    port: u16,
    folder: tempfile::TempDir,
}

impl Nginx {
    /// Starts nginx, or `None` (after a loud message) when it is not installed and CI does
    /// not require it.
    pub(crate) fn start() -> Option<Nginx> {
        let Some(binary) = nginx_binary() else {
            assert!(
                std::env::var_os("SSG_COORD_REQUIRE_NGINX").is_none(),
                "SSG_COORD_REQUIRE_NGINX is set but nginx is not installed (apt-get install nginx-light)"
            );
            eprintln!(
                "SKIPPED: nginx is not installed, so the shared-cache tests against a real HTTP store did not run (apt-get install nginx-light)"
            );
            return None;
        };
        let folder = tempfile::tempdir().expect("temp dir");
        let root = folder.path().join("root");
        std::fs::create_dir_all(&root).expect("mkdir root");
        let port = free_port();
        let dir = folder.path().display();
        let config = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {dir}/nginx.pid;\n\
             error_log {dir}/error.log;\nevents {{ worker_connections 64; }}\n\
             http {{\n  access_log off;\n  client_max_body_size 0;\n\
             client_body_temp_path {dir}/body;\n  proxy_temp_path {dir}/proxy;\n\
             fastcgi_temp_path {dir}/fastcgi;\n  uwsgi_temp_path {dir}/uwsgi;\n\
             scgi_temp_path {dir}/scgi;\n\
             server {{\n    listen 127.0.0.1:{port};\n    root {root};\n\
             location / {{\n      dav_methods PUT DELETE MKCOL;\n      create_full_put_path on;\n\
             dav_access user:rw;\n    }}\n  }}\n}}\n",
            root = root.display()
        );
        let config_path = folder.path().join("nginx.conf");
        std::fs::write(&config_path, config).expect("write nginx.conf");
        let process = Command::new(&binary)
            .arg("-c")
            .arg(&config_path)
            .arg("-p")
            .arg(folder.path())
            .arg("-e")
            .arg(folder.path().join("error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let mut nginx = Nginx {
            process,
            port,
            folder,
        };
        let started = Instant::now();
        while TcpStream::connect(nginx.address()).is_err() {
            if let Ok(Some(status)) = nginx.process.try_wait() {
                panic!(
                    "nginx exited ({status}) instead of serving; its log:\n{}",
                    nginx.log()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "nginx did not listen on {} within 10 s; its log:\n{}",
                nginx.address(),
                nginx.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(nginx)
    }

    fn address(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}/ssg", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.folder.path().join("error.log")).unwrap_or_default()
    }

    /// The entries stored, sorted.
    pub(crate) fn entries(&self) -> Vec<PathBuf> {
        let folder = self.folder.path().join("root/ssg/ac");
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map(|list| list.map(|e| e.expect("entry").path()).collect())
            .unwrap_or_default();
        entries.sort();
        entries
    }

    /// Stops the server now (one process: `master_process off`).
    pub(crate) fn kill(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        self.kill();
    }
}

fn nginx_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SSG_COORD_NGINX") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join("nginx"))
        .find(|candidate| candidate.is_file())
}

/// A loopback port nothing listens on (bound, then released).
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind a free port")
        .port()
}

/// Reads `child`'s log until its shard lookups are done, then kills the store: returns the
/// log so far and a thread collecting the rest.
pub(crate) fn kill_store_after_lookups(
    child: &mut Child,
    nginx: &mut Nginx,
) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let stderr = child.stderr.take().expect("piped stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut log = String::new();
    for line in lines.by_ref() {
        let line = line.expect("read stderr");
        log.push_str(&line);
        log.push('\n');
        if line.contains("shards found") {
            nginx.kill();
            break;
        }
    }
    let rest = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());
    (log, rest)
}

fn rendered(run: &Run) -> u64 {
    ["content", "autodoc", "generated"]
        .iter()
        .map(|kind| run.count("rendered", kind))
        .sum()
}

fn shared(run: &Run, key: &str) -> u64 {
    run.count("shared_cache", key)
}

fn assert_built(run: &Run, what: &str) {
    assert_eq!(
        run.code(),
        0,
        "{what}: {:?}\n{}",
        run.errors(),
        run.stderr()
    );
}

/// Builds a fresh copy of `site` (a clean checkout elsewhere) with the cache URL.
fn build_checkout(site: &Path, url: &str) -> (support::TempSite, tempfile::TempDir, Run) {
    let checkout = copy_site(site);
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&checkout, &out.path().join("site"), &["--cache-url", url]);
    (checkout, out, run)
}

#[test]
fn a_second_clean_checkout_renders_nothing_and_writes_the_same_bytes() {
    let Some(nginx) = Nginx::start() else { return };
    let site = support::workspace().join("examples/docs");
    let (_first, first_out, first) = build_checkout(&site, &nginx.url());
    assert_built(&first, "first checkout");
    assert!(rendered(&first) > 0);
    assert_eq!(shared(&first, "found"), 0);
    let uploaded = shared(&first, "uploaded");
    assert!(uploaded > 0, "{}", first.json);
    assert_eq!(nginx.entries().len() as u64, uploaded);

    let (_second, second_out, second) = build_checkout(&site, &nginx.url());
    assert_built(&second, "second checkout");
    assert_eq!(rendered(&second), 0, "{}", second.json);
    assert_eq!(shared(&second, "found"), uploaded);
    assert_eq!(shared(&second, "uploaded"), 0);
    assert!(
        second
            .warnings()
            .iter()
            .all(|w| !w.contains("shared cache"))
    );
    assert_same_tree(
        &first_out.path().join("site"),
        &second_out.path().join("site"),
        "a checkout served by the shared cache",
    );
}

#[test]
fn a_page_from_the_store_rendered_again_for_its_backlinks_is_not_counted_as_taken() {
    let Some(nginx) = Nginx::start() else { return };
    let site = support::workspace().join("examples/docs");
    let (_first, _first_out, first) = build_checkout(&site, &nginx.url());
    assert_built(&first, "first checkout");

    // A guide now mentions a class: the stored module page is found, but its "Referenced
    // by" list changed, so it is rendered again.
    let edited = copy_site(&site);
    let guide = edited.join("content/guides/retries.md");
    let text = std::fs::read_to_string(&guide).expect("read guide")
        + "\nSee [the queue][tidepool.queue.Queue].\n";
    std::fs::write(&guide, text).expect("write guide");
    let (_second, second_out, second) = build_checkout(&edited, &nginx.url());
    assert_built(&second, "edited checkout");
    let queue =
        std::fs::read_to_string(second_out.path().join("site/api/tidepool/queue/index.html"))
            .expect("the module page");
    assert!(
        queue.contains("/guides/retries/"),
        "the new backlink is shown"
    );
    assert!(run_renders(&second, "autodoc"), "{}", second.json);
    let pages: u64 = ["content", "autodoc", "generated"]
        .iter()
        .map(|kind| second.count("pages", kind))
        .sum();
    assert_eq!(
        shared(&second, "pages") + rendered(&second),
        pages,
        "each page is either taken or rendered: {}",
        second.json
    );
}

/// True when `run` rendered pages of `kind`.
fn run_renders(run: &Run, kind: &str) -> bool {
    run.count("rendered", kind) > 0
}

#[test]
fn corrupt_and_foreign_entries_are_ignored_with_a_warning() {
    let Some(nginx) = Nginx::start() else { return };
    let site = support::workspace().join("examples/docs");
    let (_first, first_out, first) = build_checkout(&site, &nginx.url());
    assert_built(&first, "first checkout");
    let entries = nginx.entries();
    assert!(entries.len() >= 2, "{entries:?}");
    // One entry overwritten in the middle, another replaced by a third one's bytes.
    let mut corrupt = std::fs::read(&entries[0]).expect("read entry");
    let middle = corrupt.len() / 2;
    corrupt[middle] ^= 0xff;
    std::fs::write(&entries[0], corrupt).expect("corrupt entry");
    let foreign = std::fs::read(entries.last().expect("an entry")).expect("read entry");
    std::fs::write(&entries[1], foreign).expect("swap entry");

    let (_second, second_out, second) = build_checkout(&site, &nginx.url());
    assert_built(&second, "checkout with damaged entries");
    let warnings = second.warnings();
    let ignored: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("was ignored"))
        .collect();
    assert_eq!(ignored.len(), 2, "{warnings:#?}");
    assert!(
        ignored.iter().any(|w| w.contains("checksum mismatch")),
        "{ignored:?}"
    );
    assert!(
        ignored.iter().any(|w| w.contains("foreign entry")),
        "{ignored:?}"
    );
    assert!(rendered(&second) > 0);
    assert_eq!(
        shared(&second, "uploaded"),
        2,
        "the two shards are uploaded again"
    );
    assert_same_tree(
        &first_out.path().join("site"),
        &second_out.path().join("site"),
        "a checkout with damaged entries",
    );

    let (_third, third_out, third) = build_checkout(&site, &nginx.url());
    assert_eq!(
        rendered(&third),
        0,
        "the repaired entries serve the next checkout"
    );
    assert_same_tree(
        &first_out.path().join("site"),
        &third_out.path().join("site"),
        "a checkout after the repair",
    );
}

#[test]
fn an_unreachable_store_is_one_warning_and_a_full_local_build() {
    let site = support::example_site();
    let reference = tempfile::tempdir().expect("temp dir");
    let plain = build(&site, &reference.path().join("site"), &["--no-cache"]);
    assert_built(&plain, "reference build");

    let url = format!("http://127.0.0.1:{}/ssg", free_port());
    let (_checkout, out, run) = build_checkout(&site, &url);
    assert_built(&run, "build with an unreachable store");
    let warnings = run.warnings();
    let about_store: Vec<&String> = warnings
        .iter()
        .filter(|w| w.starts_with("cache_url:"))
        .collect();
    assert_eq!(about_store.len(), 1, "{warnings:#?}");
    assert!(about_store[0].contains("cannot be used"), "{about_store:?}");
    assert_eq!(shared(&run, "found"), 0);
    assert_eq!(rendered(&run), rendered(&plain));
    assert_same_tree(
        &reference.path().join("site"),
        &out.path().join("site"),
        "a build whose store is unreachable",
    );
}

#[test]
fn the_store_going_away_mid_build_is_a_warning_and_the_same_output() {
    let Some(mut nginx) = Nginx::start() else {
        return;
    };
    // Enough pages that rendering takes a while after the lookups.
    let site = support::generated_site(400, 8, 4);
    let reference = tempfile::tempdir().expect("temp dir");
    let reference_site = copy_site(site.path());
    let plain = build(&reference_site, &reference.path().join("site"), &[]);
    assert_built(&plain, "reference build");

    let checkout = copy_site(site.path());
    let out = tempfile::tempdir().expect("temp dir");
    let url = nginx.url();
    let mut child = support::spawn_build(
        &checkout,
        &out.path().join("site"),
        &["--cache-url", &url],
        &[(
            "RUST_LOG",
            "warn,coordinator::ops::build_steps::shared_cache=info",
        )],
    );
    // The store answers the lookups (all misses); it is gone before the uploads.
    let (log, rest) = kill_store_after_lookups(&mut child, &mut nginx);
    let run = support::finish_build(child);
    let rest = rest.join().expect("stderr reader");
    assert!(log.contains("0 of"), "the lookups happened first:\n{log}");
    assert_built(&run, "build whose store went away");
    let warnings = run.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("cache_url:") && w.contains("cannot be used")),
        "{warnings:#?}\n{log}{rest:?}"
    );
    assert_eq!(shared(&run, "uploaded"), 0);
    assert_eq!(
        tree(&reference.path().join("site")),
        tree(&out.path().join("site")),
        "the output is the one a build without a store writes"
    );
}

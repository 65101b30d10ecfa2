//! The shared shard cache in a distributed build (`build SITE --shard K/N --emit DIR
//! --cache-url URL`) against a real store (Debian's nginx with WebDAV PUT, started as in
//! `shared_cache`): a part built again from a fresh checkout against the store its first run
//! filled renders none of its pages, and the merge of such parts is byte-identical to a
//! one-machine build, API backlinks from the guides of other parts included, also when an
//! edited guide changes the backlinks of a module page the store holds (that store named
//! by `[build] cache_url` rather than the flag); a store that goes
//! away mid-part, or is not there, costs a warning, never the part.

use crate::shared_cache::{Nginx, free_port, kill_store_after_lookups};
use crate::support::{self, Run, assert_same_tree, binary, build, copy_site, example_site};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// `ssg-coord build <a fresh copy of site> --shard <part> --emit <emit> --json <extra>`
/// started in the background, with `env`.
fn spawn_part(
    site: &Path,
    part: &str,
    emit: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (support::TempSite, Child) {
    let checkout = copy_site(site);
    let mut command = Command::new(binary());
    command
        .arg("build")
        .arg(&*checkout)
        .args(["--shard", part, "--emit"])
        .arg(emit)
        .arg("--json")
        .args(extra)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = command.spawn().expect("spawn ssg-coord");
    (checkout, child)
}

/// Builds `part` from a fresh copy of `site` (another machine) into `emit`, logging the
/// shared cache's moments; checks that it succeeded and returns its summary.
fn build_part(site: &Path, part: &str, emit: &Path, extra: &[&str]) -> Run {
    let (_checkout, child) = spawn_part(site, part, emit, extra, &[("RUST_LOG", LOG)]);
    let run = support::finish_build(child);
    assert_part_built(&run, part);
    run
}

/// What a part logs: warnings, and the shared cache's lookups.
const LOG: &str = "warn,coordinator::ops::build_steps::shared_cache=info,\
                   coordinator::ops::build_steps::shared_mentions=info";

/// How many of the other parts' guides a part took the mentions of from the store (`None`
/// when it looked none up: it holds no module page).
fn mentions_found(run: &Run) -> Option<u64> {
    run.stderr().lines().find_map(|line| {
        let (_, rest) = line.split_once("the mentions of ")?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

fn assert_part_built(run: &Run, part: &str) {
    assert_eq!(run.code(), 0, "part {part}: {}", run.stderr());
    assert!(run.errors().is_empty(), "part {part}: {:#?}", run.errors());
}

fn rendered(run: &Run) -> u64 {
    ["content", "autodoc", "generated"]
        .iter()
        .map(|kind| run.count("rendered", kind))
        .sum()
}

/// Pages taken from a cache (for a part build: from the shared cache).
fn cached(run: &Run) -> u64 {
    ["content", "autodoc", "generated"]
        .iter()
        .map(|kind| run.count("cached", kind))
        .sum()
}

/// The site's pages (every part plans them all).
fn site_pages(run: &Run) -> u64 {
    ["content", "autodoc", "generated"]
        .iter()
        .map(|kind| run.count("pages", kind))
        .sum()
}

fn shared(run: &Run, key: &str) -> u64 {
    run.count("shared_cache", key)
}

/// Builds the `of` parts of `site` with the `extra` arguments into `dir/<name>-K`; their
/// paths and summaries.
fn build_parts(
    site: &Path,
    of: u32,
    dir: &Path,
    name: &str,
    extra: &[&str],
) -> Vec<(PathBuf, Run)> {
    (1..=of)
        .map(|number| {
            let emit = dir.join(format!("{name}-{number}"));
            let run = build_part(site, &format!("{number}/{of}"), &emit, extra);
            (emit, run)
        })
        .collect()
}

/// Names the store `url` in `site`'s ssg.toml (`[build] cache_url`).
fn configure_store(site: &Path, url: &str) {
    let config = site.join("ssg.toml");
    let text = std::fs::read_to_string(&config).expect("read ssg.toml");
    assert!(text.contains("\n[build]\n"), "{text}");
    let text = text.replace(
        "\n[build]\n",
        &format!("\n[build]\ncache_url = \"{url}\"\n"),
    );
    std::fs::write(&config, text).expect("write ssg.toml");
}

/// Merges `parts` of `site` into `out`; checks that it succeeded.
fn merge(site: &Path, parts: &[(PathBuf, Run)], out: &Path) {
    let output = Command::new(binary())
        .arg("merge")
        .arg(site)
        .args(parts.iter().map(|(emit, _)| emit))
        .arg("--out")
        .arg(out)
        .output()
        .expect("run ssg-coord merge");
    assert_eq!(
        output.status.code(),
        Some(0),
        "merge: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The example site with a guide that mentions an API object, so a module page's
/// "Referenced by" list names a guide that may sit in another part.
fn site_with_backlinks() -> support::TempSite {
    let site = copy_site(&example_site());
    let guide = site.join("content/guides/retries.md");
    let mut text = std::fs::read_to_string(&guide).expect("read guide");
    text.push_str("\nSee [the queue][tidepool.queue.Queue].\n");
    std::fs::write(&guide, text).expect("write guide");
    site
}

#[test]
fn a_part_run_again_on_a_warm_store_renders_nothing_and_merges_to_a_one_machine_build() {
    let Some(nginx) = Nginx::start() else { return };
    let site = site_with_backlinks();
    let reference = tempfile::tempdir().expect("temp dir");
    let one_machine = build(&site, reference.path(), &[]);
    assert_eq!(one_machine.code(), 0, "{:#?}", one_machine.errors());
    let dir = tempfile::tempdir().expect("temp dir");

    // Cold: every part renders its pages and uploads them.
    let cold = build_parts(&site, 3, dir.path(), "cold", &["--cache-url", &nginx.url()]);
    let mut uploaded = 0;
    for (number, (_, run)) in cold.iter().enumerate() {
        assert!(rendered(run) > 0, "cold part {}: {}", number + 1, run.json);
        assert_eq!(cached(run), 0, "cold part {}", number + 1);
        assert_eq!(shared(run, "found"), 0, "cold part {}", number + 1);
        assert!(shared(run, "uploaded") > 0, "{}", run.json);
        uploaded += shared(run, "uploaded");
    }
    let every_page: u64 = cold.iter().map(|(_, run)| rendered(run)).sum();
    assert_eq!(every_page, site_pages(&cold[0].1), "each page in one part");
    // Beside each piece with guides, their mentions.
    let stored = nginx.entries().len() as u64;
    assert!(stored > uploaded, "{stored} entries for {uploaded} pieces");
    merge(&site, &cold, &dir.path().join("cold-merged"));
    assert_same_tree(
        reference.path(),
        &dir.path().join("cold-merged"),
        "the merge of 3 cold parts",
    );

    // Warm: the same parts on other checkouts render nothing, upload nothing.
    let warm = build_parts(&site, 3, dir.path(), "warm", &["--cache-url", &nginx.url()]);
    for (number, (_, run)) in warm.iter().enumerate() {
        let part = number + 1;
        assert_eq!(rendered(run), 0, "warm part {part}: {}", run.json);
        assert_eq!(
            cached(run),
            rendered(&cold[number].1),
            "warm part {part}: {}",
            run.json
        );
        assert_eq!(shared(run, "pages"), cached(run), "warm part {part}");
        assert_eq!(
            shared(run, "found"),
            shared(run, "looked_up"),
            "warm part {part}"
        );
        assert_eq!(shared(run, "uploaded"), 0, "warm part {part}");
        assert!(
            run.warnings().iter().all(|w| !w.starts_with("cache_url:")),
            "{:#?}",
            run.warnings()
        );
    }
    assert_eq!(nginx.entries().len() as u64, stored);
    // A part with module pages took the other parts' guides' mentions from the store.
    let mentions: Vec<Option<u64>> = warm.iter().map(|(_, run)| mentions_found(run)).collect();
    assert!(
        mentions.iter().any(|found| found.is_some_and(|n| n > 0)),
        "{mentions:?}"
    );
    merge(&site, &warm, &dir.path().join("warm-merged"));
    assert_same_tree(
        reference.path(),
        &dir.path().join("warm-merged"),
        "the merge of 3 parts served by the shared cache",
    );

    // Another split: the shards no cut falls in are found again; the rest is rendered.
    let seven = build_parts(
        &site,
        7,
        dir.path(),
        "seven",
        &["--cache-url", &nginx.url()],
    );
    let found: u64 = seven.iter().map(|(_, run)| shared(run, "found")).sum();
    assert!(found > 0, "7 parts found nothing that 3 parts uploaded");
    merge(&site, &seven, &dir.path().join("seven-merged"));
    assert_same_tree(
        reference.path(),
        &dir.path().join("seven-merged"),
        "the merge of 7 parts over a store 3 parts filled",
    );
}

#[test]
fn a_module_page_from_the_store_whose_backlinks_changed_is_rendered_again() {
    let Some(nginx) = Nginx::start() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    // The store, named by `[build] cache_url` this time, is filled by the parts of a site
    // whose guide mentions the queue...
    let with_mention = site_with_backlinks();
    configure_store(&with_mention, &nginx.url());
    let before = build_parts(&with_mention, 2, dir.path(), "before", &[]);
    for (_, run) in &before {
        assert!(shared(run, "uploaded") > 0, "{}", run.json);
    }
    // ... then the mention goes: the queue's module page, unchanged itself, is in the store
    // with a "Referenced by" list that no longer holds.
    let site = example_site();
    configure_store(&site, &nginx.url());
    let reference = tempfile::tempdir().expect("temp dir");
    let one_machine = build(&site, reference.path(), &[]);
    assert_eq!(one_machine.code(), 0, "{:#?}", one_machine.errors());
    let after = build_parts(&site, 2, dir.path(), "after", &[]);
    let taken: u64 = after.iter().map(|(_, run)| shared(run, "pages")).sum();
    assert!(taken > 0, "nothing of the store was reused");
    // The queue's module page (in a piece found whole) is rendered again: its backlinks.
    let module_pages: u64 = after
        .iter()
        .map(|(_, run)| run.count("rendered", "autodoc"))
        .sum();
    assert!(module_pages > 0, "no module page was rendered again");
    for (_, run) in &after {
        assert_eq!(shared(run, "pages"), cached(run), "{}", run.json);
    }
    merge(&site, &after, &dir.path().join("merged"));
    assert_same_tree(
        reference.path(),
        &dir.path().join("merged"),
        "the merge after a guide stopped mentioning an object",
    );
}

#[test]
fn a_store_gone_mid_part_or_unreachable_is_a_warning_and_the_part_is_right() {
    let Some(mut nginx) = Nginx::start() else {
        return;
    };
    // Enough pages that rendering takes a while after the lookups.
    let site = support::generated_site(400, 8, 4);
    let reference = tempfile::tempdir().expect("temp dir");
    let one_machine = build(&copy_site(site.path()), reference.path(), &[]);
    assert_eq!(one_machine.code(), 0, "{:#?}", one_machine.errors());
    let dir = tempfile::tempdir().expect("temp dir");

    // Part 1: the store answers the lookups (all misses) and is gone before the uploads.
    let first = dir.path().join("part-1");
    let url = nginx.url();
    let (_checkout, mut child) = spawn_part(
        site.path(),
        "1/2",
        &first,
        &["--cache-url", &url],
        &[(
            "RUST_LOG",
            "warn,coordinator::ops::build_steps::shared_cache=info",
        )],
    );
    let (log, rest) = kill_store_after_lookups(&mut child, &mut nginx);
    let gone = support::finish_build(child);
    let rest = rest.join().expect("stderr reader");
    assert!(log.contains("0 of"), "the lookups happened first:\n{log}");
    assert_part_built(&gone, "1/2");
    assert!(
        gone.warnings()
            .iter()
            .any(|w| w.starts_with("cache_url:") && w.contains("cannot be used")),
        "{:#?}\n{log}{rest:?}",
        gone.warnings()
    );
    assert_eq!(shared(&gone, "uploaded"), 0);
    assert!(rendered(&gone) > 0);
    assert_eq!(cached(&gone), 0);

    // Part 2: nothing listens where the store should be.
    let second = dir.path().join("part-2");
    let unreachable = format!("http://127.0.0.1:{}/ssg", free_port());
    let missing = build_part(site.path(), "2/2", &second, &["--cache-url", &unreachable]);
    let about_store: Vec<String> = missing
        .warnings()
        .into_iter()
        .filter(|w| w.starts_with("cache_url:"))
        .collect();
    assert_eq!(about_store.len(), 1, "{about_store:#?}");
    assert!(about_store[0].contains("cannot be used"), "{about_store:?}");
    assert_eq!(
        rendered(&gone) + rendered(&missing),
        site_pages(&missing),
        "each page rendered in one part"
    );

    let parts = [(first, gone), (second, missing)];
    merge(site.path(), &parts, &dir.path().join("merged"));
    assert_same_tree(
        reference.path(),
        &dir.path().join("merged"),
        "the merge of parts whose store failed",
    );
}

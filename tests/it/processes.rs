//! Worker processes for real: identical output whatever the number of workers, and a
//! build that survives workers being killed, aborting, hanging or eating memory, without
//! leaving a process behind.

use crate::support::{
    assert_same_tree, build, build_with_env, children_of, example_site, finish_build,
    generated_site, spawn_build, wait_gone,
};
use std::time::{Duration, Instant};

/// Every mode on `site` gives the same tree as `--no-shard`.
fn assert_all_modes_identical(site: &std::path::Path) {
    let reference = tempfile::tempdir().expect("temp dir");
    let run = build(site, reference.path(), &["--no-shard"]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    let threads = tempfile::tempdir().expect("temp dir");
    assert_eq!(build(site, threads.path(), &["--threads"]).code(), 0);
    assert_same_tree(reference.path(), threads.path(), "threads");
    for workers in ["1", "2", "3", "8"] {
        let out = tempfile::tempdir().expect("temp dir");
        // Pretend to have 8 cores so that 8 workers really run side by side.
        let run = build_with_env(
            site,
            out.path(),
            &["--process-parallel", "--max-processes", workers],
            &[("SSG_COORD_TEST_CORES", "8")],
        );
        assert_eq!(
            run.code(),
            0,
            "{workers} workers: {:#?}\n{}",
            run.errors(),
            run.stderr()
        );
        assert_eq!(
            run.json["workers"].as_u64(),
            Some(workers.parse().expect("number")),
            "{}",
            run.json
        );
        assert_eq!(run.json["worker_restarts"], 0);
        assert_same_tree(
            reference.path(),
            out.path(),
            &format!("{workers} worker processes"),
        );
    }
}

#[test]
fn every_mode_gives_identical_output_on_the_example() {
    assert_all_modes_identical(&example_site());
}

#[test]
fn every_mode_gives_identical_output_on_a_generated_site() {
    let site = generated_site(2_500, 12, 120);
    assert_all_modes_identical(site.path());
}

/// Waits until the coordinator `pid` has at least one worker child, and returns them.
fn wait_for_workers(pid: u32) -> Vec<u32> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let children = children_of(pid);
        if !children.is_empty() || Instant::now() > deadline {
            return children;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_worker_killed_with_sigkill_costs_a_retry_not_the_build() {
    let site = generated_site(400, 4, 0);
    let reference = tempfile::tempdir().expect("temp dir");
    assert_eq!(
        build(site.path(), reference.path(), &["--no-shard"]).code(),
        0
    );

    let out = tempfile::tempdir().expect("temp dir");
    let slow = [("SSG_COORD_FAULT", "delay:*")];
    let child = spawn_build(
        site.path(),
        out.path(),
        &["--process-parallel", "--max-processes", "2"],
        &slow,
    );
    let workers = wait_for_workers(child.id());
    assert!(!workers.is_empty(), "no worker process appeared");
    // Let it render a little, then kill one worker outright.
    std::thread::sleep(Duration::from_millis(300));
    let victim = workers[0];
    // SAFETY: kill(2) on a pid we just observed as our child's child.
    assert_eq!(
        unsafe { libc::kill(victim as i32, libc::SIGKILL) },
        0,
        "kill -9 {victim}"
    );
    let run = finish_build(child);
    assert_eq!(run.code(), 0, "{:#?}\n{}", run.errors(), run.stderr());
    assert!(
        run.json["worker_restarts"].as_u64() >= Some(1),
        "{}",
        run.json
    );
    assert_same_tree(reference.path(), out.path(), "build with a killed worker");
    assert!(wait_gone(&workers, Duration::from_secs(5)).is_empty());
}

/// Builds the example with `fault` injected on the retries page, and checks that exactly that
/// page failed with `reason`, everything else was built, and no worker is left.
fn poison(fault: &str, extra: &[&str], reason: &str) {
    let out = tempfile::tempdir().expect("temp dir");
    let env = [("SSG_COORD_FAULT", fault)];
    let mut args = vec!["--process-parallel", "--max-processes", "2"];
    args.extend_from_slice(extra);
    let site = example_site();
    let child = spawn_build(&site, out.path(), &args, &env);

    let coordinator = child.id();
    let mut seen_workers = Vec::new();
    let run = {
        // Record the workers while the build runs, to check none outlives it.
        let watcher = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for _ in 0..3000 {
                for pid in children_of(coordinator) {
                    if !seen.contains(&pid) {
                        seen.push(pid);
                    }
                }
                if !crate::support::is_running(coordinator) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            seen
        });
        let run = finish_build(child);
        seen_workers.extend(watcher.join().expect("watcher"));
        run
    };
    assert_eq!(run.code(), 1, "{fault}: {}\n{}", run.json, run.stderr());
    assert_eq!(
        run.json["failed_pages"],
        serde_json::json!(["content/guides/retries.md"]),
        "{fault}: {}",
        run.json
    );
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/guides/retries.md")
                && e.contains(reason)
                && e.contains("content/guides/retries.md")),
        "{fault}: {errors:#?}"
    );
    assert_eq!(
        run.count("rendered", "content"),
        14,
        "{fault}: every other page is built"
    );
    assert_eq!(run.count("rendered", "autodoc"), 6);
    assert!(out.path().join("guides/deployment/index.html").is_file());
    assert!(!out.path().join("guides/retries/index.html").exists());
    // The page killed two workers; the second need not be replaced if nothing is left to do.
    assert!(
        run.json["worker_restarts"].as_u64() >= Some(1),
        "{fault}: {}",
        run.json
    );
    assert!(!seen_workers.is_empty());
    assert_eq!(
        wait_gone(&seen_workers, Duration::from_secs(5)),
        Vec::<u32>::new(),
        "{fault}: orphan workers"
    );
}

#[test]
fn a_page_that_aborts_the_worker_is_isolated_and_reported() {
    poison("abort:content/guides/retries.md", &[], "signal 6");
}

#[test]
fn a_page_that_hangs_is_timed_out_and_reported() {
    poison(
        "hang:content/guides/retries.md",
        &["--page-timeout", "1"],
        "page timeout",
    );
}

#[test]
fn a_page_that_allocates_without_bound_is_stopped_and_reported() {
    poison(
        "oom:content/guides/retries.md",
        &["--worker-memory", "256"],
        "memory ceiling",
    );
}

#[test]
fn a_page_that_exits_the_worker_is_isolated_and_reported() {
    poison(
        "exit:content/guides/retries.md",
        &[],
        "exited with status 3",
    );
}

#[test]
fn killing_the_coordinator_leaves_no_worker_behind() {
    let site = generated_site(400, 4, 0);
    let out = tempfile::tempdir().expect("temp dir");
    let slow = [("SSG_COORD_FAULT", "delay:*")];
    let mut child = spawn_build(
        site.path(),
        out.path(),
        &["--process-parallel", "--max-processes", "2"],
        &slow,
    );
    let workers = wait_for_workers(child.id());
    assert!(!workers.is_empty(), "no worker process appeared");
    std::thread::sleep(Duration::from_millis(200));
    child.kill().expect("kill -9 the coordinator");
    let _ = child.wait();
    assert_eq!(
        wait_gone(&workers, Duration::from_secs(5)),
        Vec::<u32>::new(),
        "workers outlived their coordinator"
    );
}

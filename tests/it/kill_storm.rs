//! Kill storms: worker processes killed with SIGKILL at random moments, build after build,
//! and the coordinator itself killed mid-build. Every build must finish with the output
//! `--no-shard` gives, leave no temporary file and no worker behind, and the cache must
//! never lie to the build after an interrupted one.
//!
//! Moments and victims come from a seeded generator: set `SSG_COORD_STORM_SEED` to replay
//! a failing run (the seed is printed).

use crate::support::{
    assert_same_tree, build, children_of, copy_site, finish_build, generated_site, is_running,
    spawn_build, tree, wait_gone,
};
use std::path::Path;
use std::time::{Duration, Instant};

/// Trials in which at least one worker was killed mid-build.
const KILL_TRIALS: usize = 50;
/// Trials at most (a build may finish before its moment comes, or a kill may land between
/// the two render passes of a site with Python modules, when no worker is busy).
const MAX_TRIALS: usize = 200;

/// A small xorshift generator: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("SSG_COORD_STORM_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(18);
        eprintln!("kill storm seed: {seed} (SSG_COORD_STORM_SEED)");
        Rng(seed * 2_654_435_761 + 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Files a build must never leave: temporary files of interrupted writes.
fn temp_files(out: &Path) -> Vec<String> {
    tree(out)
        .into_keys()
        .filter(|path| path.starts_with(".ssg-coord-tmp") || path.ends_with(".tmp"))
        .collect()
}

fn sigkill(pid: u32) {
    // SAFETY: kill(2) on a pid we observed as a child of our child; at worst it is gone.
    unsafe {
        libc::kill(pid as i32, libc::SIGKILL);
    }
}

#[test]
fn workers_killed_at_random_moments_never_change_the_output() {
    let site = generated_site(80, 4, 6);
    let reference = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let run = build(site.path(), reference.path(), &["--no-shard", "--no-cache"]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    // Kill moments spread over about one build's time.
    let window_ms = (started.elapsed().as_millis() as u64).clamp(100, 2_000);

    let mut rng = Rng::from_env();
    let (mut trials, mut kill_trials, mut kills) = (0, 0, 0);
    while kill_trials < KILL_TRIALS && trials < MAX_TRIALS {
        trials += 1;
        let out = tempfile::tempdir().expect("temp dir");
        let workers = 1 + rng.below(3);
        let child = spawn_build(
            site.path(),
            out.path(),
            &[
                "--process-parallel",
                "--max-processes",
                &workers.to_string(),
                "--no-cache",
            ],
            &[("SSG_COORD_TEST_CORES", "4")],
        );
        let coordinator = child.id();
        let moment = Instant::now() + Duration::from_millis(rng.below(window_ms));
        let kill_all = rng.below(4) == 0;
        let pick = rng.next();
        let mut seen: Vec<u32> = Vec::new();
        let mut killed = 0;
        let deadline = Instant::now() + Duration::from_secs(120);
        while is_running(coordinator) {
            assert!(Instant::now() < deadline, "trial {trials}: build hangs");
            let live = children_of(coordinator);
            for &pid in &live {
                if !seen.contains(&pid) {
                    seen.push(pid);
                }
            }
            if killed == 0 && Instant::now() >= moment && !live.is_empty() {
                // One victim, or every worker at once: either way no page is hit twice.
                let victims: Vec<u32> = if kill_all {
                    live.clone()
                } else {
                    vec![live[(pick % live.len() as u64) as usize]]
                };
                for &victim in &victims {
                    sigkill(victim);
                }
                killed = victims.len();
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let run = finish_build(child);
        assert_eq!(
            run.code(),
            0,
            "trial {trials} ({workers} workers, {killed} killed): {}\n{}",
            run.json,
            run.stderr()
        );
        if killed > 0 && run.json["worker_restarts"].as_u64() >= Some(1) {
            kill_trials += 1;
            kills += killed;
        }
        assert_same_tree(
            reference.path(),
            out.path(),
            &format!("trial {trials} ({workers} workers, {killed} killed)"),
        );
        assert_eq!(
            temp_files(out.path()),
            Vec::<String>::new(),
            "trial {trials}"
        );
        assert_eq!(
            wait_gone(&seen, Duration::from_secs(5)),
            Vec::<u32>::new(),
            "trial {trials}: workers outlived the build"
        );
    }
    eprintln!(
        "kill storm: {trials} builds, {kill_trials} with workers killed mid-build, {kills} workers killed"
    );
    assert!(
        kill_trials >= KILL_TRIALS,
        "only {kill_trials} of {trials} builds had a worker killed mid-build"
    );
}

/// Edits the site a little (one page changed, one added, one deleted) so the next build has
/// work to do.
fn edit(site: &Path, round: usize) {
    let content = site.join("content");
    let mut pages: Vec<_> = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md"))
        .collect();
    pages.sort();
    let changed = &pages[round * 7 % pages.len()];
    let mut text = std::fs::read_to_string(changed).expect("read page");
    text.push_str(&format!("\n\nEdited in round {round}.\n"));
    std::fs::write(changed, text).expect("edit page");
    std::fs::write(
        content.join(format!("added-{round}.md")),
        format!("---\ntitle: Added {round}\n---\nNew in round {round}.\n"),
    )
    .expect("add page");
    let deleted = &pages[(round * 7 + 3) % pages.len()];
    if deleted != changed {
        std::fs::remove_file(deleted).expect("delete page");
    }
}

#[test]
fn a_coordinator_killed_mid_build_leaves_a_cache_that_does_not_lie() {
    let site = copy_site(generated_site(150, 4, 6).path());
    let out = tempfile::tempdir().expect("temp dir");
    let run = build(&site, out.path(), &["--process-parallel"]);
    assert_eq!(run.code(), 0, "{:#?}", run.errors());
    let mut rng = Rng::from_env();
    for round in 0..6 {
        edit(&site, round);
        let modes: [&[&str]; 3] = [
            &["--process-parallel", "--max-processes", "2"],
            &["--threads"],
            &["--no-shard"],
        ];
        let mode = modes[round % modes.len()];
        let mut child = spawn_build(&site, out.path(), mode, &[("SSG_COORD_FAULT", "delay:*")]);
        std::thread::sleep(Duration::from_millis(50 + rng.below(1_500)));
        let workers = children_of(child.id());
        child.kill().expect("kill -9 the coordinator");
        let _ = child.wait();
        assert!(wait_gone(&workers, Duration::from_secs(5)).is_empty());

        // The next build, any mode, gives exactly what a fresh build of the site gives.
        let run = build(&site, out.path(), &[]);
        assert_eq!(run.code(), 0, "round {round}: {:#?}", run.errors());
        let fresh_site = copy_site(&site);
        let fresh = tempfile::tempdir().expect("temp dir");
        let run = build(&fresh_site, fresh.path(), &["--no-shard"]);
        assert_eq!(run.code(), 0, "{:#?}", run.errors());
        assert_same_tree(fresh.path(), out.path(), &format!("round {round}"));
        assert_eq!(
            temp_files(out.path()),
            Vec::<String>::new(),
            "round {round}"
        );
    }
}

//! How many worker processes to run: `min(--max-processes, cores, available memory /
//! per-worker budget)`, never less than one.
//!
//! The per-worker budget starts as an estimate and is replaced by the real peak RSS that
//! workers report, so the pool shrinks if pages turn out to be heavier than expected.
//! Available memory honours a cgroup limit (containers, CI runners), which `MemAvailable`
//! alone does not see.

use std::fmt;

/// Budget assumed before any worker has reported its peak RSS.
pub const INITIAL_WORKER_BUDGET: u64 = 256 * MIB;

/// Memory ceiling of one worker when `--worker-memory` is not given. A worker above it is
/// recycled between batches, or killed mid-page and its batch retried.
pub const DEFAULT_WORKER_CEILING: u64 = 2 * 1024 * MIB;

const MIB: u64 = 1024 * 1024;

/// What the decision is based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizingInput {
    /// `--max-processes`.
    pub max_processes: usize,
    /// Cores this process may use.
    pub cores: usize,
    /// Memory available to this process tree, in bytes.
    pub available_memory: u64,
    /// Expected memory of one worker, in bytes.
    pub per_worker: u64,
}

/// What bounded the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizingLimit {
    /// `--max-processes`.
    MaxProcesses,
    /// The number of cores.
    Cores,
    /// Available memory divided by the per-worker budget.
    Memory,
}

/// The number of workers and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizingDecision {
    /// Workers to run.
    pub workers: usize,
    /// The tightest bound.
    pub limit: SizingLimit,
    /// The inputs, for the log line.
    pub input: SizingInput,
}

/// Decides the pool size.
pub fn decide(input: SizingInput) -> SizingDecision {
    let by_memory = (input.available_memory / input.per_worker.max(1)) as usize;
    let candidates = [
        (input.max_processes, SizingLimit::MaxProcesses),
        (input.cores, SizingLimit::Cores),
        (by_memory, SizingLimit::Memory),
    ];
    let (workers, limit) = candidates
        .into_iter()
        .min_by_key(|(n, _)| *n)
        .unwrap_or((1, SizingLimit::Cores));
    SizingDecision {
        workers: workers.max(1),
        limit,
        input,
    }
}

impl fmt::Display for SizingDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.input;
        write!(
            f,
            "{} worker{}: {} core{}, {} available, ~{} MiB per worker, --max-processes {} (bounded by {})",
            self.workers,
            if self.workers == 1 { "" } else { "s" },
            i.cores,
            if i.cores == 1 { "" } else { "s" },
            human_bytes(i.available_memory),
            i.per_worker / MIB,
            i.max_processes,
            match self.limit {
                SizingLimit::MaxProcesses => "--max-processes",
                SizingLimit::Cores => "cores",
                SizingLimit::Memory => "memory",
            }
        )
    }
}

/// `21.3 GiB`, `512 MiB`.
pub fn human_bytes(bytes: u64) -> String {
    if bytes >= 1024 * MIB {
        format!("{:.1} GiB", bytes as f64 / (1024 * MIB) as f64)
    } else {
        format!("{} MiB", bytes / MIB)
    }
}

/// Cores this process may use (affinity and cgroup CPU quota included).
///
/// Debug builds honour `SSG_COORD_TEST_CORES`, so tests on a 2-core machine can run eight
/// real workers side by side; release builds have no such switch.
pub fn available_cores() -> usize {
    #[cfg(debug_assertions)]
    if let Some(cores) = std::env::var("SSG_COORD_TEST_CORES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        return cores.max(1);
    }
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Memory available to this process tree: the system's available memory, capped by the
/// cgroup's remaining allowance when there is a limit.
pub fn available_memory() -> u64 {
    let available = match sysinfo::System::new() {
        Ok(mut system) => {
            system.refresh_memory();
            system.available_memory()
        }
        // Without a reading, assume the memory bound is not the tight one.
        Err(_) => u64::MAX,
    };
    match cgroup_remaining() {
        Some(remaining) => available.min(remaining),
        None => available,
    }
}

/// `memory.max - memory.current` for cgroup v2, or the v1 equivalents; `None` when there is
/// no limit or no cgroup file.
fn cgroup_remaining() -> Option<u64> {
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .ok()
            .map(|s| s.trim().to_string())
    };
    let parse = |s: Option<String>| s.and_then(|s| s.parse::<u64>().ok());
    if let Some(max) = read("/sys/fs/cgroup/memory.max") {
        let limit = max.parse::<u64>().ok()?; // "max" means no limit
        let used = parse(read("/sys/fs/cgroup/memory.current")).unwrap_or(0);
        return Some(limit.saturating_sub(used));
    }
    let limit = parse(read("/sys/fs/cgroup/memory/memory.limit_in_bytes"))?;
    // cgroup v1 reports "no limit" as a huge number.
    if limit >= u64::MAX / 2 {
        return None;
    }
    let used = parse(read("/sys/fs/cgroup/memory/memory.usage_in_bytes")).unwrap_or(0);
    Some(limit.saturating_sub(used))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1024 * MIB;

    fn check(
        max_processes: usize,
        cores: usize,
        available_memory: u64,
        per_worker: u64,
        expected: (usize, SizingLimit),
    ) {
        let decision = decide(SizingInput {
            max_processes,
            cores,
            available_memory,
            per_worker,
        });
        assert_eq!((decision.workers, decision.limit), expected, "{decision}");
    }

    #[test]
    fn the_tightest_bound_wins() {
        check(8, 2, 21 * GIB, 60 * MIB, (2, SizingLimit::Cores));
        check(1, 16, 64 * GIB, 60 * MIB, (1, SizingLimit::MaxProcesses));
        check(8, 16, GIB, 300 * MIB, (3, SizingLimit::Memory));
        check(8, 16, 100 * MIB, 300 * MIB, (1, SizingLimit::Memory));
        check(0, 4, 8 * GIB, 60 * MIB, (1, SizingLimit::MaxProcesses));
    }

    #[test]
    fn the_log_line_says_why() {
        let decision = decide(SizingInput {
            max_processes: 8,
            cores: 2,
            available_memory: 21 * GIB,
            per_worker: 60 * MIB,
        });
        let line = decision.to_string();
        assert!(
            line.starts_with("2 workers: 2 cores, 21.0 GiB available, ~60 MiB per worker"),
            "{line}"
        );
        assert!(line.ends_with("(bounded by cores)"), "{line}");
    }
}

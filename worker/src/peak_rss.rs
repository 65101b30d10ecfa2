//! Peak resident set size of this process, reported in every `ShardResult` so the
//! coordinator can size its pool from real measurements.

/// Peak RSS in bytes (`VmHWM` from `/proc/self/status`), or 0 where that is unavailable.
pub fn bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let kib = line
                    .strip_prefix("VmHWM:")?
                    .trim()
                    .strip_suffix("kB")?
                    .trim();
                kib.parse::<u64>().ok()
            })
        })
        .map_or(0, |kib| kib * 1024)
}

#[cfg(test)]
mod tests {
    #[test]
    fn peak_rss_is_measured_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(super::bytes() > 0);
        }
    }
}

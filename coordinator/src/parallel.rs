//! Splitting index-based work over all cores with scoped threads, results in order.

/// Maps `f` over `0..len` on all cores, in order. An index whose thread panicked gets
/// `fallback(index)`, so results always line up with their index.
pub fn par_map<T: Send>(
    len: usize,
    f: impl Fn(usize) -> T + Sync,
    fallback: impl Fn(usize) -> T,
) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = len.div_ceil(threads).max(1);
    let ranges: Vec<std::ops::Range<usize>> = (0..len)
        .step_by(chunk)
        .map(|start| start..(start + chunk).min(len))
        .collect();
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = ranges
            .iter()
            .cloned()
            .map(|range| scope.spawn(move || range.map(f).collect::<Vec<T>>()))
            .collect();
        handles
            .into_iter()
            .zip(ranges)
            .flat_map(|(handle, range)| {
                handle
                    .join()
                    .unwrap_or_else(|_| range.map(&fallback).collect())
            })
            .collect()
    })
}

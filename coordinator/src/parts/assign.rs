//! Which part of a distributed build (`build --shard K/N`) renders each page.
//!
//! Every machine plans the whole site and must agree, without talking, on the pages it
//! renders: the assignment depends only on the plan (each page's shard, plan index and
//! cost) and N. Pages are taken in the order of their shard, then their plan index, and
//! the sequence is cut into N contiguous ranges of about equal cost: a page belongs to the
//! part in which the middle of its cost falls. So each part's cost is within one page's
//! cost of the total over N (autodoc pages, which cost more, count for more), a plan
//! shard stays in one part unless a cut falls inside it (at most N − 1 shards are split),
//! and a page never moves because of the order in which anything finished.

use protocol::ShardId;
use std::fmt;
use std::str::FromStr;

/// Part K of N (`--shard K/N`): `number` runs from 1 to `of`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct PartOf {
    /// K, from 1.
    pub number: u32,
    /// N, at least 1.
    pub of: u32,
}

impl fmt::Display for PartOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "part {} of {}", self.number, self.of)
    }
}

impl FromStr for PartOf {
    type Err = String;

    /// Reads `K/N` with 1 ≤ K ≤ N.
    fn from_str(text: &str) -> Result<PartOf, String> {
        let usage = || format!("`{text}` is not a part: write K/N with 1 <= K <= N, e.g. 2/4");
        let (number, of) = text.split_once('/').ok_or_else(usage)?;
        let number: u32 = number.trim().parse().map_err(|_| usage())?;
        let of: u32 = of.trim().parse().map_err(|_| usage())?;
        if number == 0 || of == 0 || number > of {
            return Err(usage());
        }
        Ok(PartOf { number, of })
    }
}

/// The part (0-based: 0 is part 1) of every page, by plan index. `shards` and `costs` are
/// the plan's, in plan order; `parts` is N (at least 1).
pub fn assign_parts(shards: &[ShardId], costs: &[u64], parts: u32) -> Vec<u32> {
    debug_assert_eq!(shards.len(), costs.len());
    let parts = u128::from(parts.max(1));
    // A page without a cost still counts, so a part of free pages is not unbounded.
    let cost = |index: usize| u128::from(costs[index].max(1));
    let mut order: Vec<usize> = (0..shards.len()).collect();
    order.sort_by(|&a, &b| shards[a].cmp(&shards[b]).then(a.cmp(&b)));
    let total: u128 = (0..shards.len()).map(cost).sum::<u128>().max(1);
    let mut assigned = vec![0u32; shards.len()];
    // Twice the cost before the page plus its own cost: twice the middle of its range, so
    // the arithmetic stays in integers.
    let mut doubled_before: u128 = 0;
    for index in order {
        let middle_doubled = doubled_before + cost(index);
        let part = (middle_doubled * parts / (2 * total)).min(parts - 1);
        assigned[index] = part as u32;
        doubled_before += 2 * cost(index);
    }
    assigned
}

/// The plan indexes of `part`, increasing.
pub fn pages_of(shards: &[ShardId], costs: &[u64], part: PartOf) -> Vec<usize> {
    assign_parts(shards, costs, part.of)
        .into_iter()
        .enumerate()
        .filter(|&(_, assigned)| assigned + 1 == part.number)
        .map(|(index, _)| index)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard(name: &str) -> ShardId {
        ShardId(name.to_string())
    }

    /// A plan of `n` pages over 5 shards, with every fourth page an expensive one.
    fn plan(n: usize) -> (Vec<ShardId>, Vec<u64>) {
        let shards = (0..n)
            .map(|i| shard(&format!("s{}", (i * 7) % 5)))
            .collect();
        let costs = (0..n)
            .map(|i| {
                if i % 4 == 0 {
                    9_000
                } else {
                    500 + (i as u64 * 37) % 900
                }
            })
            .collect();
        (shards, costs)
    }

    fn part_costs(assigned: &[u32], costs: &[u64], parts: u32) -> Vec<u64> {
        let mut totals = vec![0u64; parts as usize];
        for (index, &part) in assigned.iter().enumerate() {
            totals[part as usize] += costs[index].max(1);
        }
        totals
    }

    #[test]
    fn parse_and_show_parts() {
        assert_eq!("2/3".parse(), Ok(PartOf { number: 2, of: 3 }));
        assert_eq!("1/1".parse(), Ok(PartOf { number: 1, of: 1 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "", "/2"] {
            let error = bad.parse::<PartOf>().expect_err(bad);
            assert!(error.contains("K/N"), "{bad}: {error}");
        }
        assert_eq!(PartOf { number: 2, of: 7 }.to_string(), "part 2 of 7");
    }

    #[test]
    fn every_page_is_in_exactly_one_part_and_parts_are_balanced() {
        for n_pages in [0, 1, 2, 5, 36, 1_000] {
            let (shards, costs) = plan(n_pages);
            let total: u64 = costs.iter().map(|&c| c.max(1)).sum();
            let most: u64 = costs.iter().copied().max().unwrap_or(0);
            for parts in [1, 2, 3, 4, 7, 64] {
                let assigned = assign_parts(&shards, &costs, parts);
                assert_eq!(assigned.len(), n_pages);
                assert!(assigned.iter().all(|&p| p < parts));
                // The parts' page lists cover every page once.
                let mut seen = vec![0; n_pages];
                for number in 1..=parts {
                    for index in pages_of(&shards, &costs, PartOf { number, of: parts }) {
                        seen[index] += 1;
                    }
                }
                assert!(seen.iter().all(|&count| count == 1), "{n_pages}/{parts}");
                // Each part is within one page's cost of an even share.
                for part_cost in part_costs(&assigned, &costs, parts) {
                    let share = total / u64::from(parts);
                    assert!(
                        part_cost <= share + most && part_cost + most + 1 >= share,
                        "{n_pages} pages in {parts} parts: {part_cost} vs share {share}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_assignment_depends_only_on_the_plan() {
        let (shards, costs) = plan(300);
        assert_eq!(
            assign_parts(&shards, &costs, 4),
            assign_parts(&shards.clone(), &costs.clone(), 4)
        );
        // Shards stay whole, but for the cuts: at most N - 1 shards are split.
        let assigned = assign_parts(&shards, &costs, 4);
        let mut parts_of_shard: std::collections::BTreeMap<&ShardId, Vec<u32>> = Default::default();
        for (index, &part) in assigned.iter().enumerate() {
            parts_of_shard.entry(&shards[index]).or_default().push(part);
        }
        for parts in parts_of_shard.values_mut() {
            parts.sort();
            parts.dedup();
        }
        let split = parts_of_shard
            .values()
            .filter(|parts| parts.len() > 1)
            .count();
        assert!(split <= 3, "{split} shards split");
    }

    #[test]
    fn expensive_pages_weigh_more() {
        // One autodoc page as costly as the ten guides: two parts, one page alone.
        let shards = vec![shard("a"); 11];
        let mut costs = vec![100; 11];
        costs[0] = 1_000;
        let assigned = assign_parts(&shards, &costs, 2);
        assert_eq!(assigned[0], 0);
        assert!(assigned[1..].iter().all(|&part| part == 1), "{assigned:?}");
    }
}

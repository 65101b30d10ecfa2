//! The crash-isolation policy of the process executor: what to retry after a worker died
//! in the middle of a batch, and when a page is to blame.
//!
//! Workers report page starts at intervals, so the last report only says the culprit is
//! that page or a later one of the batch. Pages before it are retried as they were; the
//! suspects are split in halves until one is alone; a page that brings down a worker
//! [`CRASHES_TO_ISOLATE`] times on its own is isolated and reported as failed. The policy is
//! plain data in and out, so it is tested here without starting a process.

use rustc_hash::FxHashMap;

/// Crashes of one page, alone in its batch and reported started, after which it is
/// reported as failed (a crash before the worker reported starting it counts half).
pub const CRASHES_TO_ISOLATE: u32 = 2;

/// What to do after a worker died while rendering a batch.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CrashVerdict {
    /// Batches to put at the front of the queue, in the order they should be sent.
    pub retry: Vec<Vec<usize>>,
    /// The page to report as failed: it crashed a worker on its own often enough.
    pub isolated: Option<usize>,
}

/// How often each page (by plan index) crashed a worker while alone in its batch.
#[derive(Debug, Default)]
pub struct CrashIsolation {
    crashes: FxHashMap<usize, u32>,
}

impl CrashIsolation {
    /// Decides what to retry after a worker died rendering `pages` (plan indexes, in the
    /// order sent), the last page it reported starting being `pages[current]`.
    pub fn after_crash(&mut self, pages: &[usize], current: Option<usize>) -> CrashVerdict {
        let mut verdict = CrashVerdict::default();
        let first_suspect = current.unwrap_or(0).min(pages.len().saturating_sub(1));
        let (before, suspects) = pages.split_at(first_suspect);
        // The suspects go first, so the culprit is found before other work hides it.
        if suspects.len() > 1 {
            let (left, right) = suspects.split_at(suspects.len() / 2);
            verdict.retry.push(left.to_vec());
            verdict.retry.push(right.to_vec());
        } else if let Some(&culprit) = suspects.first() {
            // A worker that never reported starting the page died of something else (it
            // was killed with others, a moment after the page was sent): half a strike.
            let strikes = self.crashes.entry(culprit).or_insert(0);
            *strikes += if current.is_some() { 2 } else { 1 };
            if *strikes >= 2 * CRASHES_TO_ISOLATE {
                verdict.isolated = Some(culprit);
            } else {
                verdict.retry.push(vec![culprit]);
            }
        }
        if !before.is_empty() {
            verdict.retry.push(before.to_vec());
        }
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        isolation: &mut CrashIsolation,
        pages: &[usize],
        current: Option<usize>,
        retry: &[&[usize]],
        isolated: Option<usize>,
    ) {
        let verdict = isolation.after_crash(pages, current);
        let expected = CrashVerdict {
            retry: retry.iter().map(|batch| batch.to_vec()).collect(),
            isolated,
        };
        assert_eq!(verdict, expected, "pages {pages:?}, current {current:?}");
    }

    #[test]
    fn pages_before_the_last_reported_start_are_retried_as_they_were() {
        let mut isolation = CrashIsolation::default();
        check(
            &mut isolation,
            &[1, 2, 3, 4, 5],
            Some(2),
            &[&[3], &[4, 5], &[1, 2]],
            None,
        );
        check(&mut isolation, &[1, 2, 3], Some(2), &[&[3], &[1, 2]], None);
    }

    #[test]
    fn suspects_are_halved_until_one_is_alone_and_it_fails_on_its_second_crash() {
        let mut isolation = CrashIsolation::default();
        check(
            &mut isolation,
            &[7, 8, 9, 10],
            None,
            &[&[7, 8], &[9, 10]],
            None,
        );
        check(&mut isolation, &[7, 8], None, &[&[7], &[8]], None);
        check(&mut isolation, &[7], Some(0), &[&[7]], None);
        check(&mut isolation, &[7], Some(0), &[], Some(7));
    }

    #[test]
    fn a_page_is_blamed_only_for_crashes_while_alone() {
        let mut isolation = CrashIsolation::default();
        // Page 3 is in crashed batches twice, but never alone: nobody is isolated.
        check(&mut isolation, &[3, 4], None, &[&[3], &[4]], None);
        check(&mut isolation, &[3, 5], None, &[&[3], &[5]], None);
        check(&mut isolation, &[3], Some(0), &[&[3]], None);
        check(&mut isolation, &[4], Some(0), &[&[4]], None);
        check(&mut isolation, &[3], Some(0), &[], Some(3));
    }

    #[test]
    fn a_crash_before_the_page_was_reported_started_counts_half() {
        // Workers killed together: the page's retry was sent to a worker killed a moment
        // later, which never started it. Not isolated for that.
        let mut isolation = CrashIsolation::default();
        check(&mut isolation, &[5], Some(0), &[&[5]], None);
        check(&mut isolation, &[5], None, &[&[5]], None);
        check(&mut isolation, &[5], None, &[], Some(5));
        // A page that never gets started is still given up on, after four such crashes.
        check(&mut isolation, &[6], None, &[&[6]], None);
        check(&mut isolation, &[6], None, &[&[6]], None);
        check(&mut isolation, &[6], None, &[&[6]], None);
        check(&mut isolation, &[6], None, &[], Some(6));
    }

    #[test]
    fn a_report_past_the_end_or_an_empty_batch_is_harmless() {
        let mut isolation = CrashIsolation::default();
        check(&mut isolation, &[1, 2], Some(9), &[&[2], &[1]], None);
        check(&mut isolation, &[], Some(0), &[], None);
    }
}

//! The heap of the `ssg-coord` binary, workers included: mimalloc (the binary makes it the
//! global allocator), set up for a build by [`tune_heap_for_builds`], and asked to give
//! its free memory back by [`return_free_memory`].
//!
//! Why mimalloc: a build decodes, keeps and drops a few hundred thousand small strings per
//! thousand pages on several threads. Against glibc's allocator, in interleaved pairs, a
//! full build of the 10k preset takes 0.88x the wall time and the CPU with a 6% higher
//! peak resident size (183 against 173 MiB), and a one-page edit of it 0.94x the wall
//! time. Why the setting: by default mimalloc commits its arenas eagerly on Linux, which
//! put a 10k build's peak resident size 30% above glibc's; committing them as they are
//! used keeps it near glibc's. (Giving freed pages back at once as well saved another 15%
//! of the peak in single runs, but cost a one-page edit all of its gain, in system time.)
//! A worker's setup arrives as one large frame and is decoded, then indexed: without
//! [`return_free_memory`] after it, a worker's resident size could stay at the setup's
//! peak for the rest of its life.

use libmimalloc_sys as mi;

/// mimalloc v2's `mi_option_arena_eager_commit`, by its place in `mi_option_t`
/// (`mimalloc.h`): the `-sys` crate leaves it unnamed. `the_option_is_the_one_named`
/// checks it against its documented default.
const ARENA_EAGER_COMMIT: mi::mi_option_t = 4;

/// Gives the heap's free memory back to the system (mimalloc's `mi_collect`).
pub fn return_free_memory() {
    // SAFETY: `mi_collect` only releases memory mimalloc holds free; it takes no pointers
    // and may be called from any thread at any time.
    unsafe {
        mi::mi_collect(true);
    }
}

/// Sets mimalloc up for a build, once, before its first allocation (the binary calls it
/// from a constructor that runs before `main`): arenas committed as they are used. See
/// the module docs for the figures.
pub fn tune_heap_for_builds() {
    // SAFETY: `mi_option_set` only stores a setting; mimalloc documents it as not thread
    // safe, and it is called before `main`, when there is one thread.
    unsafe {
        mi::mi_option_set(ARENA_EAGER_COMMIT, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_is_the_one_named() {
        // The place holds the option with that name's documented default (`mimalloc.h`:
        // `arena_eager_commit`, 2; its neighbours default to 1 and 1); no other test sets
        // it.
        // SAFETY: `mi_option_get` only reads a setting.
        let read = |option| unsafe { mi::mi_option_get(option) };
        assert_eq!(read(ARENA_EAGER_COMMIT), 2);
        tune_heap_for_builds();
        assert_eq!(read(ARENA_EAGER_COMMIT), 0);
        return_free_memory();
    }
}

//! How a build lets go of its large values (the site, its plan, the previous build's
//! cache, the API indexes, a render context): freed on a thread of their own so the build
//! returns sooner, or, in a process that exits once its build is done, not freed at all.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by a process that exits once its build is done (`ssg-coord build`, `merge`): see
/// [`exit_after_build`].
static EXIT_AFTER_BUILD: AtomicBool = AtomicBool::new(false);

/// Tells the builds of this process that it exits after them, so the large values they
/// hand to [`release_at_exit`] (the site, its plan, the previous build's cache, the API
/// indexes) are left for the operating system to take back at exit, all at once, rather
/// than freed one allocation at a time: at 10k pages that freeing is about a tenth of an
/// edit build's CPU. Only `main` calls it; a dev server or a test never does.
pub fn exit_after_build() {
    EXIT_AFTER_BUILD.store(true, Ordering::Relaxed);
}

/// Lets go of `value`, one of the values a build holds once until it ends: in a process
/// that exits after its build ([`exit_after_build`]) it is never freed; otherwise it is
/// dropped on a thread of its own. Never for a value made again and again within one
/// build (a render context is made for each render): left unfreed, those add up until the
/// machine runs out of memory.
pub(crate) fn release_at_exit<T: Send + 'static>(value: T) {
    if EXIT_AFTER_BUILD.load(Ordering::Relaxed) {
        std::mem::forget(value);
        return;
    }
    drop_in_background(value);
}

/// Drops `value` on a thread of its own, always. Only for values whose drop frees memory
/// and nothing else.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    // The thread is detached. Should it fail to start, the value is dropped here, which is
    // only slower.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Tells `sender` when it is dropped.
    struct Dropped(mpsc::Sender<()>);

    impl Drop for Dropped {
        fn drop(&mut self) {
            let _ = self.0.send(());
        }
    }

    #[test]
    fn values_made_again_and_again_are_freed_even_in_a_process_that_exits_after_its_build() {
        // Set for the whole test process: the other tests' values are then merely not
        // freed, which changes nothing they check.
        exit_after_build();
        let (sender, receiver) = mpsc::channel();
        drop_in_background(Dropped(sender.clone()));
        assert!(receiver.recv_timeout(Duration::from_secs(60)).is_ok());
        // A value held until the build ends is left to the operating system.
        release_at_exit(Dropped(sender));
        assert!(receiver.recv_timeout(Duration::from_millis(200)).is_err());
    }
}

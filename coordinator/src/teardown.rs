//! How a build lets go of its large values (the site, its plan, the previous build's
//! cache, the API indexes, a render context): freed on a thread of their own so the build
//! returns sooner, or, in a process that exits once its build is done, not freed at all.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by a process that exits once its build is done (`ssg-coord build`): see
/// [`exit_after_build`].
static EXIT_AFTER_BUILD: AtomicBool = AtomicBool::new(false);

/// Tells the builds of this process that it exits after them, so the large values they
/// hand to [`drop_in_background`] (the site, its plan, the previous build's cache, the
/// API indexes) are left for the operating system to take back at exit, all at once,
/// rather than freed one allocation at a time: at 10k pages that freeing is about a tenth
/// of an edit build's CPU. Only `main` calls it; a dev server or a test never does.
pub fn exit_after_build() {
    EXIT_AFTER_BUILD.store(true, Ordering::Relaxed);
}

/// Drops `value` on a thread of its own (or, in a process that exits after its build,
/// never: [`exit_after_build`]). Only for values whose drop frees memory and nothing else.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    if EXIT_AFTER_BUILD.load(Ordering::Relaxed) {
        std::mem::forget(value);
        return;
    }
    // The thread is detached. Should it fail to start, the value is dropped here, which is
    // only slower.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

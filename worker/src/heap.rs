//! Giving the heap's free memory back to the system. A worker's setup arrives as one large
//! frame and is decoded, then indexed; glibc keeps the freed frame and the decoded copy's
//! pages for later allocations, so without a trim a worker's resident size stays at the
//! setup's peak for the rest of its life (two to three times what the render context
//! holds on a large site).

/// Returns the heap's free pages to the system (glibc's `malloc_trim`); nothing elsewhere.
pub fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases free memory of glibc's own heap; it takes no
    // pointers and is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

//! The bounds that keep one page from taking down whoever renders it: its stack, the size
//! of its source and of its output, and the work its template may do. A page past a bound
//! fails with an error naming its file and the bound; the rest of the site builds.

/// Stack of every thread that renders pages (the coordinator's inline and pool threads, a
/// worker process's render thread). Parsers and tree passes recurse per nesting level;
/// the depth checks before parsing keep nesting below what this stack holds. Only the
/// pages of the stack a thread touches become resident memory.
pub const RENDER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Largest markdown or Python source file rendered, in bytes.
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// Largest output a template may write for one page, in bytes.
pub const MAX_PAGE_OUTPUT_BYTES: usize = 256 * 1024 * 1024;

/// Instructions a template may run for one page (minijinja fuel): far above what any theme
/// needs, far below a loop that would not end in minutes.
pub const TEMPLATE_FUEL: u64 = 100_000_000;

/// Size in MiB, for messages.
pub fn mib(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// Reads a page's source file, refusing one over [`MAX_SOURCE_BYTES`] with an error of kind
/// `FileTooLarge` that says so.
pub(crate) fn read_source(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > MAX_SOURCE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "the file is {} MiB, over the {} MiB one page may have",
                mib(len),
                mib(MAX_SOURCE_BYTES)
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // Bounded even if the file grows while it is read.
    file.take(MAX_SOURCE_BYTES).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What to do about a source file that could not be read.
pub(crate) fn read_hint(error: &std::io::Error) -> &'static str {
    if error.kind() == std::io::ErrorKind::FileTooLarge {
        "split it into several pages or modules"
    } else {
        "check that the file is readable"
    }
}

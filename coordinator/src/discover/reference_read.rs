//! Reading a reference source (a CLI's Python source, an OpenAPI description) during
//! discovery. Both parsers recurse as deep as their input nests, so they run on a thread
//! with a worker's render stack, as workers run them; what they cannot read becomes a site
//! error naming the file and line.

use crate::diagnostics::Diagnostic;
use worker::reference::ReferenceError;

/// Runs `read` on a thread named `thread_name` with a worker's render stack. A read that
/// fails gives its own diagnostic; a thread that cannot start or panics gives one naming
/// `display_path` and asking for a bug report of the `what` it was reading.
pub(super) fn read_on_render_stack<T: Send + 'static>(
    thread_name: &str,
    display_path: &str,
    what: &str,
    read: impl FnOnce() -> Result<T, ReferenceError> + Send + 'static,
) -> Result<T, Diagnostic> {
    let joined = std::thread::Builder::new()
        .name(thread_name.into())
        .stack_size(worker::RENDER_STACK_BYTES)
        .spawn(read)
        .map_err(|e| e.to_string())
        .and_then(|handle| {
            handle
                .join()
                .map_err(|_| "reading it failed (a bug)".to_string())
        });
    match joined {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(diagnostic(&error)),
        Err(message) => Err(Diagnostic::in_file(
            display_path.to_string(),
            format!("{what} not read: {message}"),
        )
        .with_hint(format!("report this bug with the {what}'s source"))),
    }
}

/// The site error for a reference source that could not be read.
fn diagnostic(error: &ReferenceError) -> Diagnostic {
    Diagnostic {
        file: Some(error.file.clone()),
        line: Some(error.line),
        message: error.message.clone(),
        hint: Some(error.hint.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_read_keeps_its_file_and_line() {
        let result: Result<(), Diagnostic> =
            read_on_render_stack("test-read", "cli.py", "CLI", || {
                Err(ReferenceError {
                    file: "cli.py".into(),
                    line: 7,
                    message: "no such command".into(),
                    hint: "name the click group".into(),
                })
            });
        let diagnostic = result.expect_err("the read failed");
        assert_eq!(diagnostic.file.as_deref(), Some("cli.py"));
        assert_eq!(diagnostic.line, Some(7));
        assert_eq!(diagnostic.message, "no such command");
    }

    #[test]
    fn a_panicking_read_is_a_diagnostic_not_a_crash() {
        let result: Result<(), Diagnostic> =
            read_on_render_stack("test-read", "api.yaml", "OpenAPI description", || {
                panic!("parser bug")
            });
        let diagnostic = result.expect_err("the read panicked");
        assert_eq!(diagnostic.file.as_deref(), Some("api.yaml"));
        assert!(diagnostic.message.contains("OpenAPI description not read"));
    }
}

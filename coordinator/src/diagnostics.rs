//! Errors and warnings as the build collects them: a failed page keeps its [`PageError`],
//! everything else is a [`Diagnostic`] naming a file and line where known. The build never
//! stops at the first one (unless `--fail-fast`); `report` prints them together at the end.

use protocol::{PageError, PageId, PageKind, PageWarning};
use std::fmt;

/// A problem located in a file. Serialized as is in the `--json` summary
/// (`{file, line, message, hint}`, see `report.rs`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Diagnostic {
    /// Site-relative file, when the problem is in one.
    pub file: Option<String>,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// What is wrong, lower case.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic about `file` with no line.
    pub fn in_file(file: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: Some(file.into()),
            line: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
}

impl From<&PageError> for Diagnostic {
    fn from(error: &PageError) -> Diagnostic {
        Diagnostic {
            file: error.file.clone(),
            line: error.line,
            message: error.message.clone(),
            hint: error.hint.clone(),
        }
    }
}

impl From<&PageWarning> for Diagnostic {
    fn from(warning: &PageWarning) -> Diagnostic {
        Diagnostic {
            file: warning.file.clone(),
            line: warning.line,
            message: warning.message.clone(),
            hint: None,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            _ => {}
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A page that was not built, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFailure {
    /// The page.
    pub id: PageId,
    /// Its kind, for the per-kind counts.
    pub kind: PageKind,
    /// The error.
    pub error: PageError,
}

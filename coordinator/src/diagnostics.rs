//! Errors and warnings as the build collects them: a failed page keeps its [`PageError`],
//! everything else is a [`Diagnostic`] naming a file and line where known. The build never
//! stops at the first one (unless `--fail-fast`); `report` prints them together at the end.

use protocol::{PageError, PageId, PageKind, PageWarning, WarningKind};
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
            hint: (warning.kind == WarningKind::Unsupported).then(|| ONCE_PER_SITE.to_string()),
        }
    }
}

/// The hint that marks a warning about another tool's markup (an MDX component), which
/// [`collapse_once_per_site`] reports once for the whole site.
const ONCE_PER_SITE: &str = "the same markup elsewhere on the site is left out too";

/// Keeps one warning per message among those marked [`ONCE_PER_SITE`] (the first in
/// `warnings`' order), saying how many more files have it. Other warnings are untouched.
pub fn collapse_once_per_site(warnings: &mut Vec<Diagnostic>) {
    let mut first_of_message: std::collections::HashMap<String, usize> = Default::default();
    let mut more_files: Vec<std::collections::BTreeSet<Option<String>>> = Vec::new();
    let mut kept = Vec::with_capacity(warnings.len());
    for warning in warnings.drain(..) {
        if warning.hint.as_deref() != Some(ONCE_PER_SITE) {
            kept.push(warning);
            continue;
        }
        match first_of_message.get(&warning.message) {
            Some(&group) => {
                more_files[group].insert(warning.file);
            }
            None => {
                first_of_message.insert(warning.message.clone(), more_files.len());
                more_files.push(std::collections::BTreeSet::new());
                kept.push(warning);
            }
        }
    }
    for warning in &mut kept {
        if warning.hint.as_deref() != Some(ONCE_PER_SITE) {
            continue;
        }
        let group = first_of_message[&warning.message];
        more_files[group].remove(&warning.file);
        let others = more_files[group].len();
        warning.hint = Some(match others {
            0 => "only here; replace it with Markdown if the page needs it".to_string(),
            1 => "also in 1 other file; replace it with Markdown if the pages need it".to_string(),
            n => format!("also in {n} other files; replace it with Markdown if the pages need it"),
        });
    }
    *warnings = kept;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(file: &str, line: u32, message: &str, kind: WarningKind) -> Diagnostic {
        Diagnostic::from(&PageWarning {
            file: Some(file.to_string()),
            line: Some(line),
            message: message.to_string(),
            kind,
        })
    }

    #[test]
    fn unsupported_markup_is_reported_once_per_message() {
        let mut warnings = vec![
            warning(
                "docs/a.mdx",
                3,
                "MDX component <Tabs> dropped",
                WarningKind::Unsupported,
            ),
            warning("docs/a.mdx", 9, "dead link", WarningKind::DeadLink),
            warning(
                "docs/b.mdx",
                1,
                "MDX component <Tabs> dropped",
                WarningKind::Unsupported,
            ),
            warning(
                "docs/c.mdx",
                1,
                "MDX component <Tabs> dropped",
                WarningKind::Unsupported,
            ),
            warning(
                "docs/c.mdx",
                2,
                "MDX component <Card> dropped",
                WarningKind::Unsupported,
            ),
            warning("docs/c.mdx", 4, "dead link", WarningKind::DeadLink),
        ];
        collapse_once_per_site(&mut warnings);
        let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "docs/a.mdx:3: MDX component <Tabs> dropped\n  hint: also in 2 other files; replace it with Markdown if the pages need it",
                "docs/a.mdx:9: dead link",
                "docs/c.mdx:2: MDX component <Card> dropped\n  hint: only here; replace it with Markdown if the page needs it",
                "docs/c.mdx:4: dead link",
            ]
        );
    }
}

//! Turning minijinja errors into [`TemplateError`]s that name the template FILE and line where
//! the problem is, with a hint on what to do.
//!
//! minijinja wraps an error raised inside an included template ("could not render include")
//! and keeps the real one as its `source()`; the useful location is the innermost error
//! that knows its template, so we walk the chain down to it.

use super::TemplateError;
use minijinja::ErrorKind;
use std::collections::BTreeMap;

/// Maps template names (as `{% include %}` and pages refer to them) to the files users see
/// in error messages: `templates/page.html` for user templates, `theme/page.html` for
/// built-in ones.
#[derive(Debug, Default)]
pub(super) struct TemplateFiles {
    by_name: BTreeMap<String, String>,
}

impl TemplateFiles {
    pub(super) fn insert(&mut self, name: String, file: String) {
        self.by_name.insert(name, file);
    }

    pub(super) fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The file of template `name`; a name we never registered is shown as is.
    pub(super) fn file_of(&self, name: &str) -> String {
        self.by_name
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    }

    /// Converts an error raised while loading or rendering `entry` (the template `render` was
    /// asked for).
    pub(super) fn convert(&self, entry: &str, error: &minijinja::Error) -> TemplateError {
        let mut located = error;
        let mut innermost = error;
        let mut current: &dyn std::error::Error = error;
        while let Some(source) = current.source() {
            if let Some(inner) = source.downcast_ref::<minijinja::Error>() {
                innermost = inner;
                if inner.name().is_some() {
                    located = inner;
                }
            }
            current = source;
        }
        let file = self.file_of(located.name().unwrap_or(entry));
        let line = located.line().and_then(|line| u32::try_from(line).ok());
        let what = match innermost.detail() {
            Some(detail) => format!("{}: {detail}", innermost.kind()),
            None => innermost.kind().to_string(),
        };
        let message = match hint(innermost.kind()) {
            Some(hint) => format!("{what} ({hint})"),
            None => what,
        };
        TemplateError {
            file,
            line,
            message,
            missing: false,
        }
    }

    /// The error for rendering a template that exists nowhere.
    pub(super) fn missing(&self, name: &str) -> TemplateError {
        TemplateError {
            file: format!("templates/{name}"),
            line: None,
            message: format!(
                "template `{name}` does not exist (add `templates/{name}`, or set `template` in the page's front matter to an existing template)"
            ),
            missing: true,
        }
    }
}

/// What to do about the common kinds of template errors.
fn hint(kind: ErrorKind) -> Option<&'static str> {
    match kind {
        ErrorKind::UndefinedError => Some(
            "check the spelling against the template context, or guard optional values with `{% if value is defined %}`",
        ),
        ErrorKind::SyntaxError => {
            Some("fix the template syntax; pages using this template are not rendered until then")
        }
        ErrorKind::UnknownFilter => Some(
            "the theme adds `date`, `slugify` and `truncate_words` to minijinja's built-in filters",
        ),
        ErrorKind::TemplateNotFound => Some("add the template under `templates/` or fix its name"),
        ErrorKind::OutOfFuel => Some(
            "the template ran 100 million instructions for one page, far more than any theme needs: look for a loop that does not end or nests too deep",
        ),
        _ => None,
    }
}

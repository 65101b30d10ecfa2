//! Templates: the built-in theme embedded in the binary, user overrides from `templates/`,
//! minijinja environment, filters, and errors that name the template file and line.
//!
//! OWNER: theme helper (except `context.rs`). This file is the interface; the
//! implementation replaces the `todo!()`s.

pub mod context;

use protocol::TemplateSource;

/// A template that failed to parse or render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The template file: `templates/page.html` for user templates, `theme/page.html` for
    /// built-in ones.
    pub file: String,
    /// 1-based line in that file, when known.
    pub line: Option<u32>,
    /// What went wrong.
    pub message: String,
    /// True when the named template does not exist at all.
    pub missing: bool,
}

/// The template environment: built-in theme plus user templates, compiled once per worker.
pub struct Templates {}

impl Templates {
    /// Compiles the built-in theme and `user` templates (which override built-ins of the same
    /// name). Never fails: a template that does not parse is remembered and its error is
    /// returned by every render that needs it.
    pub fn new(user: &[TemplateSource]) -> Templates {
        let _ = user;
        todo!()
    }

    /// True if a template of that name exists (built-in or user).
    pub fn exists(&self, name: &str) -> bool {
        let _ = name;
        todo!()
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: &minijinja::Value) -> Result<String, TemplateError> {
        let _ = (name, context);
        todo!()
    }
}

/// Built-in templates as (name, source), for template dependency fingerprints.
pub fn builtin_templates() -> &'static [(&'static str, &'static str)] {
    todo!()
}

/// Theme assets as (path relative to the output directory, bytes): CSS (with syntax
/// highlighting classes and dark mode), the search script.
pub fn theme_assets() -> Vec<(&'static str, std::borrow::Cow<'static, [u8]>)> {
    todo!()
}

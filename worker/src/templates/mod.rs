//! Templates: the built-in theme embedded in the binary, user overrides from `templates/`,
//! minijinja environment, filters, and errors that name the template file and line.
//!
//! - `env`: builds the minijinja environment once per worker (SemiStrict undefined values,
//!   HTML escaping for `.html`/`.xml`, user templates over built-ins, broken templates kept
//!   aside so the others still render).
//! - `errors`: minijinja errors → [`TemplateError`] naming the file where the problem is.
//! - `filters`: `date`, `slugify`, `truncate_words`.
//! - `theme`: the embedded built-in templates and static assets.
//! - `context`: the template context (owned by the render pipeline).
//!
//! Every built-in template is also reachable as `theme/<name>`, so a user template can
//! extend the one it replaces and override only some blocks.
// used by render.rs once integrated

pub mod context;
mod env;
mod errors;
mod filters;
mod theme;

use errors::TemplateFiles;
use protocol::TemplateSource;
use std::fmt;

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

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for TemplateError {}

/// The template environment: built-in theme plus user templates, compiled once per worker.
pub struct Templates {
    env: minijinja::Environment<'static>,
    files: TemplateFiles,
}

impl Templates {
    /// Compiles the built-in theme and `user` templates (which override built-ins of the same
    /// name). Never fails: a template that does not parse is remembered and its error is
    /// returned by every render that needs it.
    pub fn new(user: &[TemplateSource]) -> Templates {
        let (env, files) = env::build(user);
        Templates { env, files }
    }

    /// True if a template of that name exists (built-in or user), even one that does not
    /// parse.
    pub fn exists(&self, name: &str) -> bool {
        self.files.contains(name)
    }

    /// Renders template `name` with `context`.
    ///
    /// Errors name the template where the problem is, which may be a partial or a parent
    /// template rather than `name`; `missing` is set only when `name` itself does not exist.
    pub fn render(&self, name: &str, context: &minijinja::Value) -> Result<String, TemplateError> {
        let template = self.env.get_template(name).map_err(|error| {
            if error.kind() == minijinja::ErrorKind::TemplateNotFound && !self.files.contains(name)
            {
                self.files.missing(name)
            } else {
                self.files.convert(name, &error)
            }
        })?;
        let mut output = CappedOutput::default();
        match template.render_captured_to(context.clone(), &mut output) {
            Ok(_) => Ok(String::from_utf8(output.bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())),
            Err(_) if output.over_limit => Err(TemplateError {
                file: self.files.file_of(name),
                line: None,
                message: format!(
                    "the page's HTML passed {} MiB, the most one page may write (look for a \
                     loop that does not end or repeats too much)",
                    crate::limits::mib(crate::limits::MAX_PAGE_OUTPUT_BYTES as u64)
                ),
                missing: false,
            }),
            Err(error) => Err(self.files.convert(name, &error)),
        }
    }
}

/// The output of one render, refusing to grow past [`crate::limits::MAX_PAGE_OUTPUT_BYTES`]:
/// a template that writes gigabytes fails its page before it takes the memory.
#[derive(Default)]
struct CappedOutput {
    bytes: Vec<u8>,
    over_limit: bool,
}

impl std::io::Write for CappedOutput {
    fn write(&mut self, chunk: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + chunk.len() > crate::limits::MAX_PAGE_OUTPUT_BYTES {
            self.over_limit = true;
            return Err(std::io::Error::other("page output over the limit"));
        }
        self.bytes.extend_from_slice(chunk);
        Ok(chunk.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Built-in templates as (name, source), for template dependency fingerprints.
pub fn builtin_templates() -> &'static [(&'static str, &'static str)] {
    theme::BUILTIN_TEMPLATES
}

/// Theme assets as (path relative to the output directory, bytes): CSS (with syntax
/// highlighting classes and dark mode), the search script.
///
/// `assets/highlight.css` and `assets/autodoc.css` come from the highlighter and autodoc
/// and are added by the render pipeline; `base.html` links all three stylesheets.
pub fn theme_assets() -> Vec<(&'static str, std::borrow::Cow<'static, [u8]>)> {
    theme::assets()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod theme_tests;

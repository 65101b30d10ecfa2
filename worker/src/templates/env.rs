//! Building the minijinja environment once per worker: built-in theme templates, user
//! overrides, undefined-value and escaping rules, the theme's filters, and the memory of
//! templates that did not parse.
//!
//! A template that does not parse is kept out of the environment, so the others still work.
//! Its source is handed to minijinja's loader instead: whenever a render needs it (directly,
//! or through `{% extends %}`/`{% include %}`), minijinja compiles it again and gets the
//! same syntax error, naming that template and line. Only failing renders pay for this.

use super::errors::TemplateFiles;
use super::filters;
use super::theme::BUILTIN_TEMPLATES;
use minijinja::{AutoEscape, Environment, Error, Output, State, UndefinedBehavior, Value};
use protocol::TemplateSource;
use std::collections::BTreeMap;

/// Prefix under which every built-in template stays reachable, so a user template can
/// extend the one it replaces: `{% extends "theme/page.html" %}` in `templates/page.html`.
pub(super) const THEME_PREFIX: &str = "theme/";

/// Compiles the built-in templates and `user` (later entries win over earlier ones of the same
/// name, user templates over built-ins) and returns the environment with the name → file map.
pub(super) fn build(user: &[TemplateSource]) -> (Environment<'static>, TemplateFiles) {
    let mut env = Environment::new();
    // SemiStrict: printing, iterating or filtering an undefined value is an error (a typo in a
    // template must not silently render nothing), while `{% if x %}` and `is defined` stay
    // usable for optional values.
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    // Debug mode makes undefined errors name the expression (`nope` is undefined). It costs
    // little on successful renders (undefined values remember where they came from) and is
    // set explicitly so that messages do not depend on the build profile.
    env.set_debug(true);
    env.set_auto_escape_callback(|name| match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html" | "htm" | "xml") => AutoEscape::Html,
        _ => AutoEscape::None,
    });
    env.set_formatter(format_value);
    // A template that loops without end fails its page instead of hanging its renderer.
    env.set_fuel(Some(crate::limits::TEMPLATE_FUEL));
    env.add_filter("date", filters::date);
    env.add_filter("slugify", filters::slugify);
    env.add_filter("truncate_words", filters::truncate_words);

    let mut user_by_name: BTreeMap<&str, &TemplateSource> = BTreeMap::new();
    for template in user {
        user_by_name.insert(template.name.as_str(), template);
    }

    let mut files = TemplateFiles::default();
    let mut broken: BTreeMap<String, String> = BTreeMap::new();
    for &(name, source) in BUILTIN_TEMPLATES {
        let file = format!("{THEME_PREFIX}{name}");
        if let Err(_syntax_error) = env.add_template_owned(file.clone(), source) {
            broken.insert(file.clone(), source.to_owned());
        }
        files.insert(file.clone(), file.clone());
        if !user_by_name.contains_key(name) {
            if let Err(_syntax_error) = env.add_template(name, source) {
                broken.insert(name.to_owned(), source.to_owned());
            }
            files.insert(name.to_owned(), file);
        }
    }
    for template in user_by_name.values() {
        if let Err(_syntax_error) =
            env.add_template_owned(template.name.clone(), template.source.clone())
        {
            broken.insert(template.name.clone(), template.source.clone());
        }
        files.insert(template.name.clone(), template.path.clone());
    }

    env.set_loader(move |name| Ok(broken.get(name).cloned()));
    (env, files)
}

/// Writes a printed value. Two departures from minijinja's default: `none` prints nothing, so
/// optional fields (`{{ page.description }}`) never show the word "none"; and HTML escaping
/// leaves `/` alone, which is safe in text and attributes and keeps every URL readable.
fn format_value(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if value.is_none() {
        return Ok(());
    }
    if matches!(state.auto_escape(), AutoEscape::Html)
        && !value.is_safe()
        && let Some(text) = value.as_str()
    {
        return write_html_escaped(out, text).map_err(Error::from);
    }
    minijinja::escape_formatter(out, state, value)
}

/// Escapes the characters that matter in HTML text and quoted attributes.
fn write_html_escaped(out: &mut Output, text: &str) -> std::fmt::Result {
    let mut start = 0;
    for (index, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[start..index])?;
        out.write_str(entity)?;
        start = index + 1;
    }
    out.write_str(&text[start..])
}

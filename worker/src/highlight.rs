//! Syntax highlighting of code blocks with syntect (CSS classes, no inline styles), cached
//! by content hash because highlighting is the slowest step of rendering.
//!
//! [`Highlighter`] owns the one syntax set of a worker and writes whole code blocks:
//! `<pre class="highlight"><code class="language-x">` + classed spans for languages syntect
//! knows, and escaped `<pre><code class="language-x">` for the rest. Fence info strings in real
//! docs are messy (`js-nolint`, `css hidden`, `console`, `tsx`, `python3`), so the first word is
//! mapped through an alias table and, failing that, stripped of its `-suffix`.
//!
//! We use syntect's `ClassedHTMLGenerator` directly, which is exactly what comrak's
//! `SyntectAdapter` does in CSS mode, rather than the adapter itself: the adapter keeps its
//! syntax set private, so it cannot tell us whether a language is known (it silently falls
//! back to first-line detection), and keeping a second copy of the syntax set only to ask
//! would double the largest allocation of a worker.
//!
//! `hl_lines`, `linenums` and Docusaurus' `{1,3}` / `showLineNumbers` are drawn by
//! `code_lines` on the highlighted (or escaped) HTML, after the cache.
//!
//! [`highlight_css`] writes the stylesheet for exactly the classes emitted here: every span
//! class carries the `hl-` prefix, so theme rules never clash with a site's own classes.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex, OnceLock};

use syntect::highlighting::{FontStyle, Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use xxhash_rust::xxh3::Xxh3;

/// Prefix of every class syntect writes on a span (`hl-comment`, `hl-string`, ...).
const CLASS_PREFIX: &str = "hl-";

/// Class of the `<pre>` of a highlighted block; the theme's base colours hang on it.
pub const PRE_CLASS: &str = "highlight";

/// The cache is cleared when the highlighted HTML it holds passes this many bytes; a worker
/// renders one site, so a simple clear beats the bookkeeping of an LRU.
const CACHE_LIMIT_BYTES: usize = 16 * 1024 * 1024;

/// Blocks longer than this are written plain: syntect's regex engine is linear per line at
/// best, and a generated multi-megabyte listing is not worth seconds of a build.
const MAX_HIGHLIGHT_BYTES: usize = 512 * 1024;

/// Light theme of [`highlight_css`].
const LIGHT_THEME: &str = "InspiredGitHub";

/// Dark theme of [`highlight_css`].
const DARK_THEME: &str = "base16-ocean.dark";

/// Fence labels that name a syntect syntax by another name, lower-case.
///
/// TypeScript and JSX have no syntax of their own in syntect's defaults; JavaScript
/// highlights them well enough. Session and shell labels all mean shell commands.
const LANGUAGE_ALIASES: &[(&str, &str)] = &[
    ("bash-session", "bash"),
    ("c#", "cs"),
    ("cjs", "js"),
    ("console", "bash"),
    ("csharp", "cs"),
    ("es6", "js"),
    ("golang", "go"),
    ("javascript", "js"),
    ("json5", "json"),
    ("jsonc", "json"),
    ("jsx", "js"),
    ("less", "css"),
    ("mdx", "md"),
    ("mjs", "js"),
    ("node", "js"),
    ("objc", "m"),
    ("py3", "py"),
    ("pycon", "py"),
    ("python3", "py"),
    ("scss", "css"),
    ("shell", "bash"),
    ("shell-session", "bash"),
    ("shellsession", "bash"),
    ("terminal", "bash"),
    ("ts", "js"),
    ("tsx", "js"),
    ("typescript", "js"),
    ("zsh", "bash"),
];

/// Fence labels that ask for no highlighting at all.
const PLAIN_LANGUAGES: &[&str] = &["none", "output", "plain", "plaintext", "text", "txt"];

/// Writes code blocks, highlighting the languages syntect knows; one per worker, shared by
/// all threads (`Send + Sync`).
pub struct Highlighter {
    syntax_set: SyntaxSet,
    cache: Mutex<HighlightCache>,
}

/// Highlighted HTML by xxh3-128 of (syntax name, code), with its total size.
#[derive(Default)]
struct HighlightCache {
    html_by_key: HashMap<u128, Arc<str>>,
    total_bytes: usize,
}

impl Highlighter {
    /// Loads syntect's default syntaxes (the expensive part: build once per worker).
    pub fn new() -> Highlighter {
        Highlighter {
            syntax_set: SyntaxSet::load_defaults_newlines(),
            cache: Mutex::new(HighlightCache::default()),
        }
    }

    /// Writes a whole code block whose fence info string is `info` (empty for indented
    /// blocks): `<pre class="highlight"><code class="language-x">` with classed spans when the
    /// language is known, otherwise `<pre><code class="language-x">` with the code escaped.
    /// The class keeps the label as written (`language-js-nolint`), so site scripts that key
    /// on it still see it.
    pub fn write_code_block(
        &self,
        out: &mut dyn fmt::Write,
        info: &str,
        code: &str,
    ) -> fmt::Result {
        let label = fence_label(info);
        let highlighted = match self.resolve_syntax(label) {
            Some(syntax) if code.len() <= MAX_HIGHLIGHT_BYTES => self.highlight(syntax, code),
            _ => None,
        };
        match &highlighted {
            Some(_) => write!(out, "<pre class=\"{PRE_CLASS}\">")?,
            None => out.write_str("<pre>")?,
        }
        if label.is_empty() {
            out.write_str("<code>")?;
        } else {
            out.write_str("<code class=\"language-")?;
            comrak::html::escape(out, label)?;
            out.write_str("\">")?;
        }
        // Marked and numbered lines are drawn on the cached spans (see `code_lines`).
        match (&highlighted, crate::code_lines::LineOptions::parse(info)) {
            (Some(html), None) => out.write_str(html)?,
            (None, None) => comrak::html::escape(out, code)?,
            (Some(html), Some(lines)) => lines.write_lines(out, html)?,
            (None, Some(lines)) => {
                let mut escaped = String::with_capacity(code.len());
                comrak::html::escape(&mut escaped, code)?;
                lines.write_lines(out, &escaped)?;
            }
        }
        out.write_str("</code></pre>\n")
    }

    /// The syntax for a fence label, or `None` for unknown and plain-text labels.
    fn resolve_syntax(&self, label: &str) -> Option<&SyntaxReference> {
        if label.is_empty() {
            return None;
        }
        let lower = label.to_ascii_lowercase();
        if PLAIN_LANGUAGES.contains(&lower.as_str()) {
            return None;
        }
        let found = self.find_by_label(&lower).or_else(|| {
            // `js-nolint`, `html-example`: the part before the first dash is the language.
            let (base, _suffix) = lower.split_once('-')?;
            self.find_by_label(base)
        })?;
        // The "Plain Text" syntax only wraps text in spans; write it plain instead.
        if found.name == "Plain Text" {
            return None;
        }
        Some(found)
    }

    fn find_by_label(&self, lower: &str) -> Option<&SyntaxReference> {
        if lower.is_empty() || PLAIN_LANGUAGES.contains(&lower) {
            return None;
        }
        let token = LANGUAGE_ALIASES
            .binary_search_by(|(alias, _)| (*alias).cmp(lower))
            .map_or(lower, |idx| LANGUAGE_ALIASES[idx].1);
        self.syntax_set.find_syntax_by_token(token)
    }

    /// Highlighted spans for `code`, from the cache when the same block was seen before.
    /// `None` when syntect fails on the input (the caller then writes it plain).
    fn highlight(&self, syntax: &SyntaxReference, code: &str) -> Option<Arc<str>> {
        let mut hasher = Xxh3::new();
        hasher.update(&(syntax.name.len() as u64).to_le_bytes());
        hasher.update(syntax.name.as_bytes());
        hasher.update(code.as_bytes());
        let key = hasher.digest128();

        if let Some(html) = self.lock_cache().html_by_key.get(&key) {
            return Some(Arc::clone(html));
        }
        // Highlight without holding the lock, so threads only wait for map operations.
        let html: Arc<str> = self.highlight_uncached(syntax, code)?.into();
        let mut cache = self.lock_cache();
        if cache.total_bytes + html.len() > CACHE_LIMIT_BYTES {
            cache.html_by_key.clear();
            cache.total_bytes = 0;
        }
        if html.len() <= CACHE_LIMIT_BYTES
            && cache.html_by_key.insert(key, Arc::clone(&html)).is_none()
        {
            cache.total_bytes += html.len();
        }
        Some(html)
    }

    fn highlight_uncached(&self, syntax: &SyntaxReference, code: &str) -> Option<String> {
        let mut generator = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            &self.syntax_set,
            ClassStyle::SpacedPrefixed {
                prefix: CLASS_PREFIX,
            },
        );
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HighlightCache> {
        // A thread that panicked while holding the lock left a consistent map (inserts and
        // clears are single operations), so a poisoned cache is still good to use.
        self.cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

/// The language label of a fence info string: its first word, cut before `,`, `{` or `[`
/// (`js{3}`, `python,linenos`), without Pandoc's `{.lang}` braces and dot.
fn fence_label(info: &str) -> &str {
    let first_word = info.split_whitespace().next().unwrap_or("");
    let first_word = first_word.trim_start_matches('{').trim_start_matches('.');
    let end = first_word
        .find([',', '{', '[', '}'])
        .unwrap_or(first_word.len());
    &first_word[..end]
}

/// CSS for the highlighting classes: the light theme by default, the dark theme when the
/// reader prefers a dark scheme (unless the page forces `data-theme="light"`) and when the
/// page sets `data-theme="dark"`.
pub fn highlight_css() -> String {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        let theme_set = ThemeSet::load_defaults();
        let mut css = String::new();
        css.push_str("/* Code highlighting: generated by ssg-coord from syntect themes. */\n");
        if let Some(light) = theme_set.themes.get(LIGHT_THEME) {
            write_theme_rules(&mut css, light, "", "");
        }
        if let Some(dark) = theme_set.themes.get(DARK_THEME) {
            css.push_str("@media (prefers-color-scheme: dark) {\n");
            write_theme_rules(&mut css, dark, "html:not([data-theme=light]) ", "  ");
            css.push_str("}\n");
            write_theme_rules(&mut css, dark, "html[data-theme=dark] ", "");
        }
        css
    })
    .clone()
}

/// Appends one theme's rules, every selector prefixed with `scope` (which ends with a space
/// when not empty) and every line with `indent`.
fn write_theme_rules(css: &mut String, theme: &Theme, scope: &str, indent: &str) {
    let settings = &theme.settings;
    if settings.foreground.is_some() || settings.background.is_some() {
        let _ = write!(css, "{indent}{scope}pre.{PRE_CLASS} {{");
        if let Some(fg) = settings.foreground {
            let _ = write!(css, " color: #{:02x}{:02x}{:02x};", fg.r, fg.g, fg.b);
        }
        if let Some(bg) = settings.background {
            let _ = write!(
                css,
                " background-color: #{:02x}{:02x}{:02x};",
                bg.r, bg.g, bg.b
            );
        }
        css.push_str(" }\n");
    }
    for item in &theme.scopes {
        let mut declarations = String::new();
        if let Some(fg) = item.style.foreground {
            let _ = write!(
                declarations,
                " color: #{:02x}{:02x}{:02x};",
                fg.r, fg.g, fg.b
            );
        }
        if let Some(bg) = item.style.background {
            let _ = write!(
                declarations,
                " background-color: #{:02x}{:02x}{:02x};",
                bg.r, bg.g, bg.b
            );
        }
        if let Some(font_style) = item.style.font_style {
            if font_style.contains(FontStyle::UNDERLINE) {
                declarations.push_str(" text-decoration: underline;");
            }
            if font_style.contains(FontStyle::BOLD) {
                declarations.push_str(" font-weight: bold;");
            }
            if font_style.contains(FontStyle::ITALIC) {
                declarations.push_str(" font-style: italic;");
            }
        }
        let mut selectors = Vec::new();
        for selector in &item.scope.selectors {
            let scopes = selector.extract_scopes();
            if scopes.is_empty() {
                continue;
            }
            // A selector path `a b` styles `b` inside `a`: descendant spans, one class
            // per scope atom (`comment.line` is `.hl-comment.hl-line`).
            let mut path = format!("{scope}.{PRE_CLASS}");
            for scope_name in scopes {
                path.push(' ');
                for atom in scope_name.build_string().split('.') {
                    path.push('.');
                    push_css_identifier(&mut path, &format!("{CLASS_PREFIX}{atom}"));
                }
            }
            selectors.push(path);
        }
        if declarations.is_empty() || selectors.is_empty() {
            continue;
        }
        let _ = writeln!(css, "{indent}{} {{{declarations} }}", selectors.join(", "));
    }
}

/// Appends `identifier` escaped as a CSS identifier, as syntect's own CSS writer does, so
/// that atoms like `c++` still match the class written into the HTML.
fn push_css_identifier(out: &mut String, identifier: &str) {
    for (idx, ch) in identifier.char_indices() {
        if ch.is_ascii_alphabetic() || ch == '-' || ch == '_' || (idx > 0 && ch.is_ascii_digit()) {
            out.push(ch);
        } else {
            let _ = write!(out, "\\{:x} ", ch as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_block(highlighter: &Highlighter, info: &str, code: &str) -> String {
        let mut html = String::new();
        highlighter
            .write_code_block(&mut html, info, code)
            .expect("writing to a String cannot fail");
        html
    }

    /// Every class of every `class="..."` attribute in `html`.
    fn span_classes(html: &str) -> Vec<&str> {
        html.split("<span class=\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"'))
            .flat_map(|(classes, _)| classes.split(' '))
            .collect()
    }

    #[test]
    fn fence_labels() {
        let cases = [
            ("js", "js"),
            ("js-nolint", "js-nolint"),
            ("css hidden", "css"),
            ("  python3  ", "python3"),
            ("jsx title=\"App.js\"", "jsx"),
            ("js{1,3}", "js"),
            ("python,linenos", "python"),
            ("{.python}", "python"),
            ("", ""),
        ];
        for (info, expected) in cases {
            assert_eq!(fence_label(info), expected, "info {info:?}");
        }
    }

    #[test]
    fn aliases_are_sorted_for_binary_search() {
        let names: Vec<&str> = LANGUAGE_ALIASES.iter().map(|(alias, _)| *alias).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }

    #[test]
    fn resolves_messy_fence_labels() {
        let highlighter = Highlighter::new();
        let cases = [
            ("js", Some("JavaScript")),
            ("js-nolint", Some("JavaScript")),
            ("ts", Some("JavaScript")),
            ("tsx", Some("JavaScript")),
            ("jsx", Some("JavaScript")),
            ("json5", Some("JSON")),
            ("console", Some("Bourne Again Shell (bash)")),
            ("shell", Some("Bourne Again Shell (bash)")),
            ("sh", Some("Bourne Again Shell (bash)")),
            ("zsh", Some("Bourne Again Shell (bash)")),
            ("bash", Some("Bourne Again Shell (bash)")),
            ("yaml", Some("YAML")),
            ("py", Some("Python")),
            ("python3", Some("Python")),
            ("Python", Some("Python")),
            ("rs", Some("Rust")),
            ("go", Some("Go")),
            ("css", Some("CSS")),
            ("html-nolint", Some("HTML")),
            ("toml", None),
            ("mermaid", None),
            ("plaintext", None),
            ("txt", None),
            ("nosuchlanguage", None),
            ("nosuch-js", None),
            ("", None),
        ];
        for (label, expected) in cases {
            let found = highlighter
                .resolve_syntax(label)
                .map(|syntax| syntax.name.as_str());
            assert_eq!(found, expected, "label {label:?}");
        }
    }

    #[test]
    fn highlights_known_languages_with_prefixed_classes() {
        let highlighter = Highlighter::new();
        let cases = [
            (
                "python",
                "# comment\ndef f(x):\n    return \"s\"\n",
                "hl-comment",
            ),
            (
                "rust",
                "// comment\nfn main() { let s = \"x\"; }\n",
                "hl-comment",
            ),
            ("js", "// comment\nconst s = \"x\";\n", "hl-comment"),
        ];
        let css = highlight_css();
        for (label, code, expected_class) in cases {
            let html = code_block(&highlighter, label, code);
            assert!(
                html.starts_with(&format!("<pre class=\"highlight\"><code class=\"language-{label}\"><span class=\"hl-source")),
                "{html}"
            );
            assert!(html.ends_with("</code></pre>\n"), "{html}");
            let classes = span_classes(&html);
            assert!(classes.contains(&expected_class), "{label}: {classes:?}");
            assert!(
                classes.iter().all(|class| class.starts_with(CLASS_PREFIX)),
                "{classes:?}"
            );
            // The stylesheet styles the classes this block uses.
            for class in [expected_class, "hl-string"] {
                assert!(
                    classes.contains(&class),
                    "{label}: {class} missing in {classes:?}"
                );
                assert!(
                    css.contains(&format!(".{class}")),
                    "{class} missing from the CSS"
                );
            }
        }
    }

    #[test]
    fn unknown_and_plain_languages_are_escaped_plain() {
        let highlighter = Highlighter::new();
        let cases = [
            (
                "mermaid",
                "a --> b & <c>",
                "<pre><code class=\"language-mermaid\">a --&gt; b &amp; &lt;c&gt;</code></pre>\n",
            ),
            (
                "plaintext",
                "x < y",
                "<pre><code class=\"language-plaintext\">x &lt; y</code></pre>\n",
            ),
            ("", "{{ raw }}", "<pre><code>{{ raw }}</code></pre>\n"),
            (
                "x\"y",
                "z",
                "<pre><code class=\"language-x&quot;y\">z</code></pre>\n",
            ),
        ];
        for (info, code, expected) in cases {
            assert_eq!(
                code_block(&highlighter, info, code),
                expected,
                "info {info:?}"
            );
        }
    }

    #[test]
    fn cache_returns_the_same_html() {
        let highlighter = Highlighter::new();
        let code = "let x = 1;\n";
        let first = code_block(&highlighter, "js", code);
        assert_eq!(highlighter.lock_cache().html_by_key.len(), 1);
        // `ts` resolves to the same syntax, so it shares the cache entry.
        let second = code_block(&highlighter, "ts", code);
        assert_eq!(highlighter.lock_cache().html_by_key.len(), 1);
        assert_eq!(first.replace("language-js", "language-ts"), second);
    }

    #[test]
    fn huge_blocks_are_written_plain() {
        let highlighter = Highlighter::new();
        let code = "x = 1\n".repeat(MAX_HIGHLIGHT_BYTES / 6 + 1);
        let html = code_block(&highlighter, "python", &code);
        assert!(html.starts_with("<pre><code class=\"language-python\">x = 1\n"));
    }

    #[test]
    fn css_has_light_dark_and_forced_dark_rules() {
        let css = highlight_css();
        assert!(css.contains("\npre.highlight { color: #"), "{css}");
        assert!(css.contains(
            "@media (prefers-color-scheme: dark) {\n  html:not([data-theme=light]) pre.highlight {"
        ));
        assert!(css.contains("\nhtml[data-theme=dark] pre.highlight {"));
        assert!(css.contains("\nhtml[data-theme=dark] .highlight .hl-comment"));
        // Every rule is scoped to highlighted blocks.
        for line in css
            .lines()
            .filter(|line| line.ends_with('}') && line.contains('{'))
        {
            assert!(line.contains(".highlight"), "unscoped rule: {line}");
        }
    }

    #[test]
    fn highlighter_is_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Highlighter>();
    }
}

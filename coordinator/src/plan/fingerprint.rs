//! Page fingerprints: one hash of everything that can change a page's output.
//!
//! A fingerprint covers:
//! - the binary (a hash of the running executable: a new ssg-coord re-renders everything);
//! - `ssg.toml` (its raw bytes) and the site settings derived from it;
//! - the page's own `PageData` without its body (URL, template name, front matter, listing,
//!   nav position, a reference page's body) plus the hash of its source file;
//! - the templates it uses: its template and everything that template extends, includes or
//!   imports, transitively, with user templates overriding built-ins;
//! - the slice of the nav tree it shows (breadcrumbs, sidebar, prev/next, versions).
//!
//! What a page resolves while rendering (relative `.md` links) is not known before
//! rendering; the worker reports it as `LinkDep`s and the cache checks them separately.

use super::{BuildPlan, PageSource};
use protocol::{NavPageIdx, NavPosition, TemplateSource};
use std::collections::{BTreeSet, HashMap};
use xxhash_rust::xxh3::Xxh3;

/// Identity of the running binary: a hash of the executable's bytes, so any rebuild of
/// ssg-coord invalidates every cached page. Falls back to the package version when the
/// executable cannot be read. The executable is read in blocks: a release binary with its
/// debug information is over 100 MB, which a whole read would add to the build's peak.
pub fn binary_identity() -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    let executable = std::env::current_exe().and_then(|path| protocol::file_content_hash(&path));
    if let Ok(executable) = executable {
        hasher.update(&executable.to_le_bytes());
    }
    hasher.digest128()
}

/// For every template name, a hash of the sources of the templates it depends on.
#[derive(Debug, Default)]
pub struct TemplateClosures {
    hashes: HashMap<String, u128>,
}

/// Names of the templates a template refers to in `extends`, `include`, `import` and
/// `from` tags; `None` when a tag names its template with an expression (then the page
/// conservatively depends on every template).
fn referenced_templates(source: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("{%") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("%}") else { break };
        let tag = after[..end].trim_start_matches(['-', '+']).trim();
        rest = &after[end + 2..];
        let keyword = tag.split_whitespace().next().unwrap_or("");
        if !matches!(keyword, "extends" | "include" | "import" | "from") {
            continue;
        }
        let literals = string_literals(tag);
        if literals.is_empty() {
            return None;
        }
        names.extend(literals);
    }
    Some(names)
}

/// The string literals (`"a"` or `'a'`) inside a tag.
fn string_literals(tag: &str) -> Vec<String> {
    let mut literals = Vec::new();
    let mut chars = tag.char_indices();
    while let Some((_, c)) = chars.next() {
        if c == '"' || c == '\'' {
            let literal: String = chars
                .by_ref()
                .map(|(_, x)| x)
                .take_while(|&x| x != c)
                .collect();
            literals.push(literal);
        }
    }
    literals
}

impl TemplateClosures {
    /// Computes the closures over the built-in theme overridden by `user` templates.
    pub fn new(user: &[TemplateSource]) -> TemplateClosures {
        let mut sources: HashMap<String, &str> = HashMap::new();
        for (name, source) in worker::builtin_templates() {
            sources.insert((*name).to_string(), source);
            sources.insert(format!("theme/{name}"), source);
        }
        for template in user {
            sources.insert(template.name.clone(), template.source.as_str());
        }
        let references: HashMap<&str, Option<Vec<String>>> = sources
            .iter()
            .map(|(name, source)| (name.as_str(), referenced_templates(source)))
            .collect();
        let mut all_names: Vec<&String> = sources.keys().collect();
        all_names.sort();
        let everything = {
            let mut hasher = Xxh3::new();
            for name in &all_names {
                hasher.update(name.as_bytes());
                hasher.update(sources[name.as_str()].as_bytes());
            }
            hasher.digest128()
        };
        let mut hashes = HashMap::new();
        for name in sources.keys() {
            let mut closure = BTreeSet::new();
            let mut pending = vec![name.clone()];
            let mut dynamic = false;
            while let Some(current) = pending.pop() {
                if !closure.insert(current.clone()) {
                    continue;
                }
                match references.get(current.as_str()) {
                    Some(Some(refs)) => pending.extend(refs.iter().cloned()),
                    Some(None) => dynamic = true,
                    None => {} // a missing template: the render reports it
                }
            }
            let hash = if dynamic {
                everything
            } else {
                let mut hasher = Xxh3::new();
                for member in &closure {
                    hasher.update(member.as_bytes());
                    hasher.update(&[0]);
                    hasher.update(
                        sources
                            .get(member.as_str())
                            .copied()
                            .unwrap_or("")
                            .as_bytes(),
                    );
                    hasher.update(&[0]);
                }
                hasher.digest128()
            };
            hashes.insert(name.clone(), hash);
        }
        TemplateClosures { hashes }
    }

    /// Hash of everything template `name` depends on (a fixed value for a missing one).
    pub fn hash(&self, name: &str) -> u128 {
        self.hashes.get(name).copied().unwrap_or(0)
    }
}

/// Inputs shared by every page's fingerprint.
#[derive(Debug)]
pub struct FingerprintBase {
    /// Hash of the binary, `ssg.toml` and the site settings.
    pub global: u128,
    /// Template closures.
    pub templates: TemplateClosures,
}

impl FingerprintBase {
    /// The global part: the binary, the raw config file and the site settings sent to workers.
    pub fn new(
        binary: u128,
        config_bytes: &[u8],
        plan: &BuildPlan,
        user_templates: &[TemplateSource],
    ) -> Self {
        let mut hasher = Xxh3::new();
        hasher.update(&binary.to_le_bytes());
        hasher.update(config_bytes);
        hasher.update(&postcard::to_stdvec(&plan.site).unwrap_or_default());
        FingerprintBase {
            global: hasher.digest128(),
            templates: TemplateClosures::new(user_templates),
        }
    }
}

/// The fingerprint of plan page `index`.
///
/// Hashes by reference what the page's `PageData` would hold, except its body text (the
/// source file's hash stands for it) and its raw nav position (nav indexes shift whenever a
/// page is added anywhere; what the page shows of the tree is its slice, whose hash
/// [`nav_slice_hash`] is `nav_slice`).
pub fn page_fingerprint(
    base: &FingerprintBase,
    plan: &BuildPlan,
    index: usize,
    nav_slice: u128,
) -> u128 {
    let page = &plan.pages[index];
    let mut hasher = Xxh3::new();
    hasher.update(&base.global.to_le_bytes());
    hasher.update(&base.templates.hash(&page.template).to_le_bytes());
    feed(
        &mut hasher,
        &(
            &page.id,
            page.kind,
            &page.url,
            &page.template,
            &page.meta,
            &page.listing,
        ),
    );
    match &page.source {
        PageSource::Markdown(source) => feed(
            &mut hasher,
            &(0u8, &source.rel_path, source.body_first_line, source.hash),
        ),
        PageSource::Reference(reference) => {
            feed(&mut hasher, &(1u8, &reference.body, reference.hash));
        }
        PageSource::Listing => feed(&mut hasher, &2u8),
        PageSource::NotFound => feed(&mut hasher, &3u8),
        PageSource::Redirect { to } => feed(&mut hasher, &(4u8, to)),
    }
    hasher.update(&nav_slice.to_le_bytes());
    hasher.digest128()
}

/// Hash of the whole nav tree: the slices computed on one tree hold for an identical one.
pub fn nav_tree_hash(plan: &BuildPlan) -> u128 {
    let mut hasher = Xxh3::new();
    feed(&mut hasher, &plan.nav);
    hasher.digest128()
}

/// Hash of the slice of the nav tree shown at `position` (it depends on the tree and the
/// position only: the version switcher's lookup is derived from the tree).
pub fn nav_slice_hash(plan: &BuildPlan, position: NavPosition) -> u128 {
    let slice = plan.nav.slice(position, &|version, key| {
        plan.version_index.get(&(version, key.to_string())).copied()
    });
    let mut hasher = Xxh3::new();
    feed(&mut hasher, &slice);
    hasher.digest128()
}

/// Feeds a value's postcard encoding to the hasher without building the bytes first.
fn feed<T: serde::Serialize + ?Sized>(hasher: &mut Xxh3, value: &T) {
    struct Feed<'h>(&'h mut Xxh3);
    impl std::io::Write for Feed<'_> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    // Encoding plain data into a sink that never fails cannot fail.
    let _ = postcard::to_io(value, Feed(hasher));
}

/// Lookup used by nav slices for the version switcher.
pub type VersionIndex = HashMap<(u16, String), NavPageIdx>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_template_references() {
        let source = r#"{% extends "base.html" %}{% include 'partials/a.html' %}
            {%- import "macros.html" as m -%}{% from "x.html" import y %}{% if a %}{% endif %}"#;
        assert_eq!(
            referenced_templates(source),
            Some(vec![
                "base.html".into(),
                "partials/a.html".into(),
                "macros.html".into(),
                "x.html".into()
            ])
        );
        assert_eq!(referenced_templates("{% include name %}"), None);
    }

    fn user(name: &str, source: &str) -> TemplateSource {
        TemplateSource {
            name: name.into(),
            path: format!("templates/{name}"),
            source: source.into(),
        }
    }

    #[test]
    fn a_template_edit_changes_only_the_templates_that_use_it() {
        let before = TemplateClosures::new(&[
            user(
                "custom.html",
                r#"{% extends "base.html" %}{% include "partials/box.html" %}"#,
            ),
            user("partials/box.html", "box v1"),
            user("other.html", "plain"),
        ]);
        let after = TemplateClosures::new(&[
            user(
                "custom.html",
                r#"{% extends "base.html" %}{% include "partials/box.html" %}"#,
            ),
            user("partials/box.html", "box v2"),
            user("other.html", "plain"),
        ]);
        assert_ne!(before.hash("custom.html"), after.hash("custom.html"));
        assert_ne!(
            before.hash("partials/box.html"),
            after.hash("partials/box.html")
        );
        assert_eq!(before.hash("other.html"), after.hash("other.html"));
        assert_eq!(before.hash("page.html"), after.hash("page.html"));
    }

    #[test]
    fn overriding_a_partial_changes_the_builtins_that_include_it() {
        let plain = TemplateClosures::new(&[]);
        let overridden = TemplateClosures::new(&[user("partials/sidebar.html", "<nav>mine</nav>")]);
        assert_ne!(plain.hash("page.html"), overridden.hash("page.html"));
        assert_eq!(
            plain.hash("redirect.html"),
            overridden.hash("redirect.html")
        );
    }
}

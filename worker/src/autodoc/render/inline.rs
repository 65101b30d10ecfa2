//! One object rendered inside a page, for a mkdocstrings block (`::: pkg.core.Command`):
//! a module, class, function, property or attribute, with the same HTML as on its module
//! page (ids are dotted paths, `pkg.core.Command`), shaped by [`InlineOptions`].

use std::fmt::Write as _;

use super::{Renderer, escape};
use crate::autodoc::model::{AttributeDoc, ClassDoc, FunctionDoc, ModuleDoc, PropertyDoc};
use crate::autodoc::{AutodocHtml, ModulePageInfo};

/// The mkdocstrings options autodoc honours for an inline object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineOptions {
    /// Level of the object's own heading (members one below); `heading_level`, default 2.
    pub heading_level: u8,
    /// Write the object's own heading (`show_root_heading`, default false: an anchor only).
    pub show_root_heading: bool,
    /// Show where each object is defined (`show_source`, default true).
    pub show_source: bool,
    /// Only these members (`members: [a, b]`); `Some(empty)` for `members: false`.
    pub members: Option<Vec<String>>,
    /// `members_order: alphabetical` (default: source order).
    pub alphabetical: bool,
    /// `filters`, each kept only when every filter agrees.
    pub filters: Vec<NameFilter>,
    /// `merge_init_into_class`; `None` keeps the package's setting. Read when the module is
    /// extracted (it changes what a class documents), not by the renderer.
    pub merge_init_into_class: Option<bool>,
}

impl Default for InlineOptions {
    fn default() -> InlineOptions {
        InlineOptions {
            heading_level: 2,
            show_root_heading: false,
            show_source: true,
            members: None,
            alphabetical: false,
            filters: Vec::new(),
            merge_init_into_class: None,
        }
    }
}

/// One of mkdocstrings' `filters`, for the regular expressions they are written with in
/// practice: `^prefix`, `^name$`, `^_[^_]` (private but not dunder), each optionally
/// negated with `!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFilter {
    exclude: bool,
    pattern: FilterPattern,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FilterPattern {
    Prefix(String),
    Exact(String),
    PrivateNotDunder,
}

impl NameFilter {
    /// Reads a filter; `None` for a regular expression outside the supported forms.
    pub fn parse(text: &str) -> Option<NameFilter> {
        let (exclude, pattern) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let body = pattern.strip_prefix('^')?;
        let literal = |s: &str| s.chars().all(|c| c.is_alphanumeric() || c == '_');
        let pattern = if body == "_[^_]" {
            FilterPattern::PrivateNotDunder
        } else if let Some(exact) = body.strip_suffix('$').filter(|s| literal(s)) {
            FilterPattern::Exact(exact.to_owned())
        } else if literal(body) {
            FilterPattern::Prefix(body.to_owned())
        } else {
            return None;
        };
        Some(NameFilter { exclude, pattern })
    }

    fn matches(&self, name: &str) -> bool {
        match &self.pattern {
            FilterPattern::Prefix(prefix) => name.starts_with(prefix.as_str()),
            FilterPattern::Exact(exact) => name == exact,
            FilterPattern::PrivateNotDunder => name.starts_with('_') && !name[1..].starts_with('_'),
        }
    }
}

impl InlineOptions {
    fn keeps(&self, name: &str) -> bool {
        let listed = self
            .members
            .as_ref()
            .is_none_or(|members| members.iter().any(|member| member == name));
        listed
            && self
                .filters
                .iter()
                .all(|filter| filter.matches(name) != filter.exclude)
    }

    fn filter<T: Clone>(&self, items: &[T], name: impl Fn(&T) -> &str) -> Vec<T> {
        let mut kept: Vec<T> = items
            .iter()
            .filter(|item| self.keeps(name(item)))
            .cloned()
            .collect();
        if self.alphabetical {
            kept.sort_by(|a, b| name(a).cmp(name(b)));
        }
        kept
    }

    fn class(&self, class: &ClassDoc) -> ClassDoc {
        ClassDoc {
            attributes: self.filter(&class.attributes, |a: &AttributeDoc| &a.name),
            properties: self.filter(&class.properties, |p: &PropertyDoc| &p.name),
            methods: self.filter(&class.methods, |f: &FunctionDoc| &f.name),
            classes: self.filter(&class.classes, |c: &ClassDoc| &c.name),
            ..class.clone()
        }
    }
}

/// The object `qualname` of `doc` (the module itself when empty) as an HTML fragment;
/// `None` when the module does not document it.
pub(crate) fn render_inline(
    doc: &ModuleDoc,
    qualname: &str,
    info: &ModulePageInfo<'_>,
    markdown: &dyn Fn(&str) -> String,
    options: &InlineOptions,
    taken: &std::collections::HashSet<String>,
) -> Option<AutodocHtml> {
    let mut renderer = Renderer::new(doc, info, markdown);
    renderer.ids.clone_from(taken);
    renderer.show_source = options.show_source;
    renderer.hide_next_title = !options.show_root_heading;
    let level = options.heading_level.clamp(1, 6);
    // Without its own heading, the object's members take its level.
    let root_level = if options.show_root_heading {
        level
    } else {
        level.saturating_sub(1).max(1)
    };
    renderer.html.push_str("<div class=\"autodoc-inline\">\n");
    if qualname.is_empty() {
        renderer.inline_module(doc, level, options);
    } else if let Some(class) = find_class(&doc.classes, qualname) {
        renderer.class(&options.class(class), root_level);
    } else if let Some(function) = find_function(doc, qualname) {
        renderer.function(function, level);
    } else if let Some(property) = find_in_classes(&doc.classes, qualname, |c| &c.properties) {
        renderer.property(property, level);
    } else if let Some(attribute) = doc
        .attributes
        .iter()
        .find(|a| a.qualname == qualname)
        .or_else(|| find_in_classes(&doc.classes, qualname, |c| &c.attributes))
    {
        renderer.hide_next_title = false;
        renderer.attributes(std::slice::from_ref(attribute));
    } else {
        return None;
    }
    renderer.html.push_str("</div>\n");
    Some(renderer.finish())
}

impl Renderer<'_> {
    fn inline_module(&mut self, doc: &ModuleDoc, level: u8, options: &InlineOptions) {
        self.enter(1, "");
        let id = self.id(doc.name.clone());
        let members_level = if std::mem::take(&mut self.hide_next_title) {
            let _ = writeln!(self.html, "<a id=\"{}\"></a>", escape(&id));
            level
        } else {
            self.title(level, &id, &doc.name, &[]);
            level + 1
        };
        self.plain.push(doc.name.clone());
        if let Some(docstring) = &doc.docstring {
            self.docstring(docstring);
        }
        for class in options.filter(&doc.classes, |c: &ClassDoc| &c.name) {
            self.class(&options.class(&class), members_level);
        }
        for function in options.filter(&doc.functions, |f: &FunctionDoc| &f.name) {
            self.function(&function, members_level);
        }
        let attributes = options.filter(&doc.attributes, |a: &AttributeDoc| &a.name);
        if !attributes.is_empty() {
            self.attributes(&attributes);
        }
    }
}

fn find_class<'d>(classes: &'d [ClassDoc], qualname: &str) -> Option<&'d ClassDoc> {
    classes.iter().find_map(|class| {
        if class.qualname == qualname {
            Some(class)
        } else if qualname.starts_with(&format!("{}.", class.qualname)) {
            find_class(&class.classes, qualname)
        } else {
            None
        }
    })
}

fn find_function<'d>(doc: &'d ModuleDoc, qualname: &str) -> Option<&'d FunctionDoc> {
    doc.functions
        .iter()
        .find(|f| f.qualname == qualname)
        .or_else(|| find_in_classes(&doc.classes, qualname, |c| &c.methods))
}

/// A member of the class enclosing `qualname`, from the list `members` picks.
fn find_in_classes<'d, T: HasQualname>(
    classes: &'d [ClassDoc],
    qualname: &str,
    members: impl Fn(&'d ClassDoc) -> &'d [T],
) -> Option<&'d T> {
    let (class, _) = qualname.rsplit_once('.')?;
    let class = find_class(classes, class)?;
    members(class).iter().find(|m| m.qualname() == qualname)
}

trait HasQualname {
    fn qualname(&self) -> &str;
}

impl HasQualname for FunctionDoc {
    fn qualname(&self) -> &str {
        &self.qualname
    }
}

impl HasQualname for PropertyDoc {
    fn qualname(&self) -> &str {
        &self.qualname
    }
}

impl HasQualname for AttributeDoc {
    fn qualname(&self) -> &str {
        &self.qualname
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autodoc::{AutodocOptions, document_module};

    const SOURCE: &str = "class Client:\n    \"\"\"A client.\"\"\"\n    def fetch(self):\n        \"\"\"Fetches.\"\"\"\n    def close(self):\n        \"\"\"Closes.\"\"\"\n    def _internal(self):\n        \"\"\"Hidden.\"\"\"\n\ndef helper():\n    \"\"\"Helps.\"\"\"\n";

    fn render(qualname: &str, options: &InlineOptions) -> Option<String> {
        let doc = document_module(
            SOURCE,
            "pkg.core",
            AutodocOptions {
                include_private: true,
                ..AutodocOptions::default()
            },
        )
        .unwrap();
        let info = ModulePageInfo {
            source_file: "src/pkg/core.py",
            is_package: false,
            submodules: &[],
            source_url: None,
            links: None,
        };
        let taken = std::collections::HashSet::new();
        render_inline(
            &doc,
            qualname,
            &info,
            &|t| format!("<p>{t}</p>"),
            options,
            &taken,
        )
        .map(|out| out.html)
    }

    #[test]
    fn a_class_renders_with_dotted_ids_and_its_options() {
        let html = render("Client", &InlineOptions::default()).unwrap();
        assert!(html.starts_with("<div class=\"autodoc-inline\">\n<section class=\"autodoc-class\">\n<a id=\"pkg.core.Client\"></a>"), "{html}");
        assert!(html.contains("<h2 id=\"pkg.core.Client.fetch\""), "{html}");
        assert!(html.contains("autodoc-source"), "{html}");

        let options = InlineOptions {
            show_root_heading: true,
            heading_level: 3,
            show_source: false,
            alphabetical: true,
            filters: vec![NameFilter::parse("!^_[^_]").unwrap()],
            ..InlineOptions::default()
        };
        let html = render("Client", &options).unwrap();
        assert!(html.contains("<h3 id=\"pkg.core.Client\""), "{html}");
        assert!(
            !html.contains("autodoc-source") && !html.contains("_internal"),
            "{html}"
        );
        let close = html.find("id=\"pkg.core.Client.close\"").unwrap();
        let fetch = html.find("id=\"pkg.core.Client.fetch\"").unwrap();
        assert!(close < fetch, "alphabetical");
    }

    #[test]
    fn members_functions_modules_and_unknown_names() {
        let only_fetch = InlineOptions {
            members: Some(vec!["fetch".into()]),
            ..InlineOptions::default()
        };
        let html = render("Client", &only_fetch).unwrap();
        assert!(
            html.contains("Client.fetch") && !html.contains("Client.close"),
            "{html}"
        );
        let html = render("Client.close", &InlineOptions::default()).unwrap();
        assert!(
            html.contains("<a id=\"pkg.core.Client.close\"></a>"),
            "{html}"
        );
        let html = render("", &InlineOptions::default()).unwrap();
        assert!(
            html.contains("<a id=\"pkg.core\"></a>") && html.contains("id=\"pkg.core.helper\""),
            "{html}"
        );
        assert_eq!(render("Nowhere", &InlineOptions::default()), None);
    }

    #[test]
    fn filters_read_the_usual_forms() {
        assert_eq!(NameFilter::parse("(a|b)"), None);
        let dunder_kept = NameFilter::parse("!^_[^_]").unwrap();
        assert!(!dunder_kept.matches("__init__") && dunder_kept.matches("_x"));
        assert!(NameFilter::parse("^test_").unwrap().matches("test_a"));
        assert!(NameFilter::parse("^run$").unwrap().matches("run"));
        assert!(!NameFilter::parse("^run$").unwrap().matches("runner"));
    }
}

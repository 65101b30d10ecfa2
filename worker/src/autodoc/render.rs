//! [`ModuleDoc`] → HTML fragment, table-of-contents headings, anchors and plain text.
//!
//! Every piece of user text (names, annotations, defaults, decorators, bases, messages) is
//! escaped here; docstring markdown goes through the caller's `markdown` closure, whose
//! output is trusted HTML. Ids are dotted qualified names (`mypkg.core.Client.fetch`), made
//! unique within the page.
//!
//! Class names (stable; styled by `theme/static/autodoc.css`):
//! - containers: `autodoc-module`, `autodoc-group` (+ `autodoc-group-{classes,functions,
//!   attributes,submodules,reexports}`), `autodoc-class`, `autodoc-function` (+
//!   `autodoc-method`), `autodoc-property`, `autodoc-members`, `autodoc-member-group`;
//! - headings: `autodoc-title`, `autodoc-name`, `autodoc-anchor`;
//! - links: `autodoc-xref` (a name in a type or base, linked to its documentation);
//! - signatures: `autodoc-signature` (+ `autodoc-overload`), `autodoc-decorator`,
//!   `autodoc-keyword`, `autodoc-type-params`, `autodoc-param` (+ `autodoc-param-marker`),
//!   `autodoc-param-name`, `autodoc-annotation`, `autodoc-default`, `autodoc-return`;
//! - facts: `autodoc-source` (+ `autodoc-source-link`), `autodoc-bases`, `autodoc-deprecated`, `autodoc-badge` (+
//!   `autodoc-badge-{async,classmethod,staticmethod,property,cached-property,settable,
//!   deletable,abstract,final,deprecated,dataclass,namedtuple,typeddict,enum,protocol,
//!   constant,type-alias,type-variable,new-type,field,member}`);
//! - docstrings: `autodoc-docstring`, `autodoc-fields`, `autodoc-fields-title`,
//!   `autodoc-params`, `autodoc-returns`, `autodoc-yields`, `autodoc-raises`,
//!   `autodoc-attributes-table`, `autodoc-section` (+ `autodoc-section-{note,warning,
//!   see-also,todo,references,other}`), `autodoc-section-title`, `autodoc-examples`;
//! - summaries (`render/members.rs`): `autodoc-summary`, `autodoc-summary-inherited`,
//!   `autodoc-inherited-from`, `autodoc-referenced-by`;
//! - lists: `autodoc-attributes` (a `dl`; `autodoc-attribute` on each `dt`),
//!   `autodoc-submodules`, `autodoc-reexports`, `autodoc-empty`.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;

use protocol::Heading;

use self::signature::SignatureLine;
use super::model::{
    AttributeDoc, AttributeKind, ClassDoc, FunctionDoc, FunctionKind, ModuleDoc, PropertyDoc,
};
use super::signature::format_type_params;
use super::{AutodocHtml, ModulePageInfo};

pub(crate) fn render_module(
    doc: &ModuleDoc,
    info: &ModulePageInfo<'_>,
    markdown: &dyn Fn(&str) -> String,
) -> AutodocHtml {
    let mut renderer = Renderer::new(doc, info, markdown);
    renderer.module(doc);
    renderer.finish()
}

impl<'a> Renderer<'a> {
    fn new(
        doc: &'a ModuleDoc,
        info: &'a ModulePageInfo<'a>,
        markdown: &'a dyn Fn(&str) -> String,
    ) -> Renderer<'a> {
        Renderer {
            html: String::with_capacity(16 * 1024),
            headings: Vec::new(),
            anchors: Vec::new(),
            plain: Vec::new(),
            ids: HashSet::new(),
            anchors_by_qualname: members::anchors_by_qualname(doc),
            module: &doc.name,
            info,
            markdown,
            show_source: true,
            hide_next_title: false,
        }
    }

    fn finish(self) -> AutodocHtml {
        AutodocHtml {
            html: self.html,
            headings: self.headings,
            anchors: self.anchors,
            plain_text: self.plain.join("\n\n"),
        }
    }
}

struct Renderer<'a> {
    html: String,
    headings: Vec<Heading>,
    anchors: Vec<String>,
    /// Plain-text blocks, joined with blank lines at the end.
    plain: Vec<String>,
    ids: HashSet<String>,
    /// The id each object gets, for the summary tables written before the objects.
    anchors_by_qualname: std::collections::HashMap<String, String>,
    module: &'a str,
    info: &'a ModulePageInfo<'a>,
    markdown: &'a dyn Fn(&str) -> String,
    /// Show where each object is defined (and its source link).
    show_source: bool,
    /// The next title is written as a bare anchor (an inline block without its root
    /// heading).
    hide_next_title: bool,
}

impl Renderer<'_> {
    /// Registers a unique id: `base`, or `base-2`, `base-3`... when taken.
    fn id(&mut self, base: String) -> String {
        let mut id = base.clone();
        let mut counter = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{counter}");
            counter += 1;
        }
        self.ids.insert(id.clone());
        self.anchors.push(id.clone());
        id
    }

    fn object_id(&mut self, qualname: &str) -> String {
        self.id(format!("{}.{qualname}", self.module))
    }

    fn module(&mut self, doc: &ModuleDoc) {
        self.enter(1, "");
        self.html.push_str("<div class=\"autodoc-module\">\n");
        self.plain.push(doc.name.clone());
        self.referenced_by("");
        if let Some(docstring) = &doc.docstring {
            self.docstring(docstring);
        }
        self.module_summary(doc);

        let submodules = self.info.submodules;
        if self.info.is_package && !submodules.is_empty() {
            self.group_start("submodules", "Submodules", "submodules");
            self.html.push_str("<ul class=\"autodoc-submodules\">\n");
            for submodule in submodules {
                let _ = writeln!(
                    self.html,
                    "<li><a href=\"{}\">{}</a></li>",
                    escape(&submodule.url),
                    escape(&submodule.title)
                );
                self.plain.push(submodule.title.clone());
            }
            self.html.push_str("</ul>\n</section>\n");
        }

        if !doc.reexports.is_empty() {
            self.group_start("re-exports", "Re-exports", "reexports");
            self.html.push_str("<table class=\"autodoc-reexports\">\n<thead><tr><th>Name</th><th>Origin</th></tr></thead>\n<tbody>\n");
            for reexport in &doc.reexports {
                let id = self.object_id(&reexport.name);
                let _ = writeln!(
                    self.html,
                    "<tr id=\"{}\"><td><code>{}</code></td><td><code>{}</code></td></tr>",
                    escape(&id),
                    escape(&reexport.name),
                    escape(&reexport.origin)
                );
                self.plain
                    .push(format!("{} (from {})", reexport.name, reexport.origin));
            }
            self.html.push_str("</tbody>\n</table>\n</section>\n");
        }

        if !doc.classes.is_empty() {
            self.group_start("classes", "Classes", "classes");
            for class in &doc.classes {
                self.class(class, 3);
            }
            self.html.push_str("</section>\n");
        }

        if !doc.functions.is_empty() {
            self.group_start("functions", "Functions", "functions");
            for function in &doc.functions {
                self.function(function, 3);
            }
            self.html.push_str("</section>\n");
        }

        if !doc.attributes.is_empty() {
            self.group_start("attributes", "Attributes", "attributes");
            self.attributes(&doc.attributes);
            self.html.push_str("</section>\n");
        }

        let is_empty = doc.docstring.is_none()
            && doc.classes.is_empty()
            && doc.functions.is_empty()
            && doc.attributes.is_empty()
            && doc.reexports.is_empty();
        let lists_submodules = self.info.is_package && !submodules.is_empty();
        if is_empty && !lists_submodules {
            self.html.push_str(
                "<p class=\"autodoc-empty\">This module has no public documented names.</p>\n",
            );
        }
        self.html.push_str("</div>\n");
    }

    fn group_start(&mut self, id: &str, title: &str, slug: &str) {
        let id = self.id(id.to_owned());
        let _ = writeln!(
            self.html,
            "<section class=\"autodoc-group autodoc-group-{slug}\">\n<h2 id=\"{}\">{title}</h2>",
            escape(&id)
        );
        self.headings.push(Heading {
            level: 2,
            text: title.to_owned(),
            id,
        });
        self.plain.push(title.to_owned());
    }

    /// `<hN id=…>` with the name, badges and a permalink.
    fn title(&mut self, level: u8, id: &str, name: &str, badges: &[&str]) {
        let level = level.min(6);
        let id_attr = escape(id);
        if std::mem::take(&mut self.hide_next_title) {
            let _ = writeln!(self.html, "<a id=\"{id_attr}\"></a>");
            return;
        }
        let _ = write!(
            self.html,
            "<h{level} id=\"{id_attr}\" class=\"autodoc-title\"><code class=\"autodoc-name\">{}</code>",
            escape(name)
        );
        for badge in badges {
            let _ = write!(
                self.html,
                " <span class=\"autodoc-badge autodoc-badge-{}\">{badge}</span>",
                badge.replace(' ', "-")
            );
        }
        let _ = writeln!(
            self.html,
            " <a class=\"autodoc-anchor\" href=\"#{id_attr}\" aria-label=\"Link to {}\">#</a></h{level}>",
            escape(name)
        );
        self.headings.push(Heading {
            level,
            text: name.to_owned(),
            id: id.to_owned(),
        });
    }

    /// Where the object is defined, and a link to its source when the package has a
    /// `source_url`.
    fn source(&mut self, line: u32, end_line: u32) {
        if !self.show_source {
            return;
        }
        let file = self.info.source_file;
        if file.is_empty() {
            let _ = write!(
                self.html,
                "<p class=\"autodoc-source\">defined at line {line}"
            );
        } else {
            let _ = write!(
                self.html,
                "<p class=\"autodoc-source\">defined at <code>{}:{line}</code>",
                escape(file)
            );
        }
        if let Some(template) = self.info.source_url {
            let url = template
                .replace("{line}", &line.to_string())
                .replace("{end_line}", &end_line.max(line).to_string());
            let _ = write!(
                self.html,
                " <a class=\"autodoc-source-link\" href=\"{}\">source</a>",
                escape(&url)
            );
        }
        self.html.push_str("</p>\n");
    }

    fn deprecated(&mut self, message: Option<&String>) {
        let Some(message) = message else {
            return;
        };
        self.html
            .push_str("<div class=\"autodoc-deprecated\"><strong>Deprecated</strong>");
        if !message.is_empty() {
            let _ = write!(self.html, ": {}", escape(message));
        }
        self.html.push_str("</div>\n");
    }

    fn class(&mut self, class: &ClassDoc, level: u8) {
        let id = self.object_id(&class.qualname);
        self.enter(class.line, &class.qualname);
        self.html.push_str("<section class=\"autodoc-class\">\n");
        let mut badges: Vec<&str> = class.kind.label().into_iter().collect();
        if class.is_final {
            badges.push("final");
        }
        if class.deprecated.is_some() {
            badges.push("deprecated");
        }
        self.title(level, &id, &class.name, &badges);
        let line = SignatureLine {
            decorators: &class.decorators,
            keyword: "class",
            name: &class.name,
            type_params: &class.type_params,
            signature: class.signature.as_ref(),
            extra_class: "",
        };
        self.signature(&line, None);
        self.source(class.line, class.end_line);
        self.referenced_by(&id);
        if !class.bases.is_empty() || !class.keywords.is_empty() {
            self.html.push_str("<p class=\"autodoc-bases\">Bases: ");
            for (index, base) in class.bases.iter().chain(&class.keywords).enumerate() {
                let separator = if index > 0 { ", " } else { "" };
                let base = self.type_html(base);
                let _ = write!(self.html, "{separator}<code>{base}</code>");
            }
            self.html.push_str("</p>\n");
            let mut bases = class.bases.clone();
            bases.extend(class.keywords.iter().cloned());
            self.plain.push(format!("Bases: {}", bases.join(", ")));
        }
        self.deprecated(class.deprecated.as_ref());
        if let Some(docstring) = &class.docstring {
            self.docstring_with_signature(docstring, class.signature.as_ref());
        }
        self.class_summary(class);

        let has_members = !(class.attributes.is_empty()
            && class.properties.is_empty()
            && class.methods.is_empty()
            && class.classes.is_empty());
        if has_members {
            self.html.push_str("<div class=\"autodoc-members\">\n");
            if !class.attributes.is_empty() {
                self.html
                    .push_str("<p class=\"autodoc-member-group\">Attributes</p>\n");
                self.attributes(&class.attributes);
            }
            for property in &class.properties {
                self.property(property, level + 1);
            }
            for method in &class.methods {
                self.function(method, level + 1);
            }
            for nested in &class.classes {
                self.class(nested, level + 1);
            }
            self.html.push_str("</div>\n");
        }
        self.html.push_str("</section>\n");
    }

    fn function(&mut self, function: &FunctionDoc, level: u8) {
        let id = self.object_id(&function.qualname);
        self.enter(function.line, enclosing_class(&function.qualname));
        let is_method = function.kind != FunctionKind::Function;
        self.html.push_str(if is_method {
            "<section class=\"autodoc-function autodoc-method\">\n"
        } else {
            "<section class=\"autodoc-function\">\n"
        });
        let mut badges = Vec::new();
        if function.is_async {
            badges.push("async");
        }
        match function.kind {
            FunctionKind::ClassMethod => badges.push("classmethod"),
            FunctionKind::StaticMethod => badges.push("staticmethod"),
            FunctionKind::Function | FunctionKind::Method => {}
        }
        if function.is_abstract {
            badges.push("abstract");
        }
        if function.is_final {
            badges.push("final");
        }
        if function.deprecated.is_some() {
            badges.push("deprecated");
        }
        self.title(level, &id, &function.name, &badges);
        let keyword = if function.is_async {
            "async def"
        } else {
            "def"
        };
        if function.overloads.is_empty() {
            let line = SignatureLine {
                decorators: &function.decorators,
                keyword,
                name: &function.name,
                type_params: &function.signature.type_params,
                signature: Some(&function.signature),
                extra_class: "",
            };
            self.signature(&line, function.signature.returns.as_deref());
        } else {
            for overload in &function.overloads {
                let line = SignatureLine {
                    decorators: &[],
                    keyword,
                    name: &function.name,
                    type_params: &overload.type_params,
                    signature: Some(overload),
                    extra_class: " autodoc-overload",
                };
                self.signature(&line, overload.returns.as_deref());
            }
        }
        self.source(function.line, function.end_line);
        self.referenced_by(&id);
        self.deprecated(function.deprecated.as_ref());
        if let Some(docstring) = &function.docstring {
            self.docstring_with_signature(docstring, Some(&function.signature));
        }
        self.html.push_str("</section>\n");
    }

    fn property(&mut self, property: &PropertyDoc, level: u8) {
        let id = self.object_id(&property.qualname);
        self.enter(property.line, enclosing_class(&property.qualname));
        self.html.push_str("<section class=\"autodoc-property\">\n");
        let mut badges = vec![if property.is_cached {
            "cached property"
        } else {
            "property"
        }];
        if property.settable {
            badges.push("settable");
        }
        if property.deletable {
            badges.push("deletable");
        }
        if property.is_abstract {
            badges.push("abstract");
        }
        if property.deprecated.is_some() {
            badges.push("deprecated");
        }
        self.title(level, &id, &property.name, &badges);
        let _ = write!(
            self.html,
            "<pre class=\"autodoc-signature\"><code><span class=\"autodoc-keyword\">property</span> <span class=\"autodoc-name\">{}</span>",
            escape(&property.name)
        );
        let mut plain = format!("property {}", property.name);
        if let Some(annotation) = &property.annotation {
            let _ = write!(
                self.html,
                ": <span class=\"autodoc-annotation\">{}</span>",
                self.type_html(annotation)
            );
            let _ = write!(plain, ": {annotation}");
        }
        self.html.push_str("</code></pre>\n");
        self.plain.push(plain);
        self.source(property.line, property.end_line);
        self.referenced_by(&id);
        self.deprecated(property.deprecated.as_ref());
        if let Some(docstring) = &property.docstring {
            self.docstring(docstring);
        }
        self.html.push_str("</section>\n");
    }

    fn attributes(&mut self, attributes: &[AttributeDoc]) {
        self.html.push_str("<dl class=\"autodoc-attributes\">\n");
        for attribute in attributes {
            let id = self.object_id(&attribute.qualname);
            self.enter(attribute.line, enclosing_class(&attribute.qualname));
            let _ = write!(
                self.html,
                "<dt id=\"{}\" class=\"autodoc-attribute\"><code>",
                escape(&id)
            );
            let mut plain = String::new();
            if attribute.kind == AttributeKind::TypeAlias && attribute.annotation.is_none() {
                self.html
                    .push_str("<span class=\"autodoc-keyword\">type</span> ");
                plain.push_str("type ");
            }
            let type_params = format_type_params(&attribute.type_params);
            let _ = write!(
                self.html,
                "<span class=\"autodoc-name\">{}</span>{}",
                escape(&attribute.name),
                escape(&type_params)
            );
            let _ = write!(plain, "{}{type_params}", attribute.name);
            if let Some(annotation) = &attribute.annotation {
                let _ = write!(
                    self.html,
                    ": <span class=\"autodoc-annotation\">{}</span>",
                    self.type_html(annotation)
                );
                let _ = write!(plain, ": {annotation}");
            }
            if let Some(value) = &attribute.value {
                let _ = write!(
                    self.html,
                    " = <span class=\"autodoc-default\">{}</span>",
                    escape(value)
                );
                let _ = write!(plain, " = {value}");
            }
            self.html.push_str("</code>");
            if let Some(label) = attribute.kind.label() {
                let _ = write!(
                    self.html,
                    " <span class=\"autodoc-badge autodoc-badge-{}\">{label}</span>",
                    label.replace(' ', "-")
                );
            }
            self.html.push_str("</dt>\n<dd>\n");
            self.plain.push(plain);
            self.source(attribute.line, attribute.end_line);
            self.referenced_by(&id);
            if let Some(docstring) = &attribute.docstring {
                self.docstring(docstring);
            }
            self.html.push_str("</dd>\n");
        }
        self.html.push_str("</dl>\n");
    }
}

impl Renderer<'_> {
    /// Tells the page which object comes next (see [`super::ApiLinks::enter`]).
    fn enter(&self, line: u32, class: &str) {
        if let Some(links) = self.info.links {
            links.enter(line, class);
        }
    }

    /// A type as written, escaped, each dotted name in it linked when the page resolves it.
    pub(super) fn type_html(&self, text: &str) -> String {
        let Some(links) = self.info.links else {
            return escape(text).into_owned();
        };
        let mut html = String::with_capacity(text.len() + 32);
        let mut written = 0;
        for (range, name) in crate::xref::dotted_names(text) {
            let Some(href) = links.type_href(name) else {
                continue;
            };
            html.push_str(&escape(&text[written..range.start]));
            let _ = write!(
                html,
                "<a class=\"autodoc-xref\" href=\"{}\">{}</a>",
                escape(&href),
                escape(name)
            );
            written = range.end;
        }
        html.push_str(&escape(&text[written..]));
        html
    }
}

/// The class a member's qualified name sits in (`Outer.Inner` for `Outer.Inner.run`),
/// empty at module level.
fn enclosing_class(qualname: &str) -> &str {
    qualname.rsplit_once('.').map_or("", |(class, _)| class)
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

mod docstring;
pub(crate) mod inline;
mod members;
mod signature;

#[cfg(test)]
mod tests;

//! Docstrings: the prose through the markdown closure, then field tables (parameters with
//! their defaults from the signature, returns, yields, raises, attributes), titled sections
//! and examples.

use std::fmt::Write as _;

use super::{Renderer, escape};
use crate::autodoc::docstring::{DocField, Docstring};
use crate::autodoc::signature::Signature;

impl Renderer<'_> {
    pub(super) fn docstring(&mut self, docstring: &Docstring) {
        self.docstring_with_signature(docstring, None);
    }

    /// The docstring's prose, then its field tables and sections. Parameter defaults come
    /// from `signature`.
    pub(super) fn docstring_with_signature(
        &mut self,
        docstring: &Docstring,
        signature: Option<&Signature>,
    ) {
        if !docstring.text.is_empty() {
            self.plain.push(docstring.text.clone());
        }
        let prose = match (docstring.summary.is_empty(), docstring.body.is_empty()) {
            (true, true) => String::new(),
            (false, true) => docstring.summary.clone(),
            (true, false) => docstring.body.clone(),
            (false, false) => format!("{}\n\n{}", docstring.summary, docstring.body),
        };
        if !prose.is_empty() {
            let html = (self.markdown)(&prose);
            let _ = writeln!(
                self.html,
                "<div class=\"autodoc-docstring\">\n{}\n</div>",
                html.trim_end()
            );
        }
        if !docstring.params.is_empty() {
            self.fields_start(
                "Parameters",
                "autodoc-params",
                &["Name", "Type", "Default", "Description"],
            );
            for field in &docstring.params {
                let default = signature
                    .and_then(|signature| {
                        signature
                            .params
                            .iter()
                            .find(|param| param.name == field.name.trim_start_matches('*'))
                    })
                    .and_then(|param| param.default.as_deref());
                self.html.push_str("<tr>");
                self.code_cell(Some(&field.name));
                self.code_cell(field.ty.as_deref());
                self.code_cell(default);
                self.description_cell(field);
                self.html.push_str("</tr>\n");
            }
            self.html.push_str("</tbody>\n</table>\n</div>\n");
        }
        self.result_fields("Returns", "autodoc-returns", &docstring.returns);
        self.result_fields("Yields", "autodoc-yields", &docstring.yields);
        if !docstring.raises.is_empty() {
            self.fields_start("Raises", "autodoc-raises", &["Exception", "Description"]);
            for field in &docstring.raises {
                self.html.push_str("<tr>");
                self.code_cell(Some(&field.name));
                self.description_cell(field);
                self.html.push_str("</tr>\n");
            }
            self.html.push_str("</tbody>\n</table>\n</div>\n");
        }
        if !docstring.attributes.is_empty() {
            self.fields_start(
                "Attributes",
                "autodoc-attributes-table",
                &["Name", "Type", "Description"],
            );
            for field in &docstring.attributes {
                self.html.push_str("<tr>");
                self.code_cell(Some(&field.name));
                self.code_cell(field.ty.as_deref());
                self.description_cell(field);
                self.html.push_str("</tr>\n");
            }
            self.html.push_str("</tbody>\n</table>\n</div>\n");
        }
        for section in &docstring.sections {
            let html = (self.markdown)(&section.body);
            let _ = writeln!(
                self.html,
                "<div class=\"autodoc-section autodoc-section-{}\">\n<p class=\"autodoc-section-title\">{}</p>\n{}\n</div>",
                section.kind.slug(),
                escape(&section.title),
                html.trim_end()
            );
        }
        if !docstring.examples.is_empty() {
            let html = (self.markdown)(&docstring.examples);
            let _ = writeln!(
                self.html,
                "<div class=\"autodoc-examples\">\n<p class=\"autodoc-section-title\">Examples</p>\n{}\n</div>",
                html.trim_end()
            );
        }
    }

    /// Returns and yields: a name column only when the docstring names the values.
    fn result_fields(&mut self, title: &str, class: &str, fields: &[DocField]) {
        if fields.is_empty() {
            return;
        }
        let named = fields.iter().any(|field| !field.name.is_empty());
        let columns: &[&str] = if named {
            &["Name", "Type", "Description"]
        } else {
            &["Type", "Description"]
        };
        self.fields_start(title, class, columns);
        for field in fields {
            self.html.push_str("<tr>");
            if named {
                self.code_cell(Some(&field.name));
            }
            self.code_cell(field.ty.as_deref());
            self.description_cell(field);
            self.html.push_str("</tr>\n");
        }
        self.html.push_str("</tbody>\n</table>\n</div>\n");
    }

    fn fields_start(&mut self, title: &str, class: &str, columns: &[&str]) {
        let _ = write!(
            self.html,
            "<div class=\"autodoc-fields\">\n<p class=\"autodoc-fields-title\">{title}</p>\n<table class=\"{class}\">\n<thead><tr>"
        );
        for column in columns {
            let _ = write!(self.html, "<th>{column}</th>");
        }
        self.html.push_str("</tr></thead>\n<tbody>\n");
    }

    fn code_cell(&mut self, text: Option<&str>) {
        match text.filter(|text| !text.is_empty()) {
            Some(text) => {
                let _ = write!(self.html, "<td><code>{}</code></td>", escape(text));
            }
            None => self.html.push_str("<td></td>"),
        }
    }

    fn description_cell(&mut self, field: &DocField) {
        if field.description.is_empty() {
            self.html.push_str("<td></td>");
        } else {
            let html = (self.markdown)(&field.description);
            let _ = write!(self.html, "<td>{}</td>", html.trim());
        }
    }
}

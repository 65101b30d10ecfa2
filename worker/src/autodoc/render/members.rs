//! Summary tables: at the top of a module page (its classes, functions and attributes) and
//! of each class (its attributes, properties, methods and nested classes, then the members
//! it inherits from documented base classes, each marked "inherited from" its base). Each
//! name links to its section; the description is the first paragraph of its docstring.
//!
//! Also "Referenced by": the guide pages mentioning an object, under its source line.
//!
//! Class names: `autodoc-summary` (the table), `autodoc-summary-inherited` (a row of an
//! inherited member), `autodoc-inherited-from`, `autodoc-referenced-by`.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{Renderer, escape};
use crate::autodoc::docstring::Docstring;
use crate::autodoc::model::{ClassDoc, ModuleDoc};
use crate::autodoc::objects::documented_objects;

/// A table needs at least this many own rows (one object needs no summary); a class that
/// inherits members always gets one.
const MIN_SUMMARY_ROWS: usize = 2;

/// One row: the object's qualified name, the name shown, its docstring.
struct Row<'d> {
    qualname: &'d str,
    name: &'d str,
    docstring: Option<&'d Docstring>,
}

/// The anchor each object gets on the page, by qualified name (the first, for a name
/// documented twice).
pub(super) fn anchors_by_qualname(doc: &ModuleDoc) -> HashMap<String, String> {
    let mut anchors = HashMap::new();
    for object in documented_objects(doc) {
        anchors.entry(object.qualname).or_insert(object.anchor);
    }
    anchors
}

impl Renderer<'_> {
    /// The module's summary: classes, functions, attributes.
    pub(super) fn module_summary(&mut self, doc: &ModuleDoc) {
        let rows: Vec<Row<'_>> = doc
            .classes
            .iter()
            .map(|class| row(&class.qualname, &class.name, class.docstring.as_ref()))
            .chain(doc.functions.iter().map(|function| {
                row(
                    &function.qualname,
                    &function.name,
                    function.docstring.as_ref(),
                )
            }))
            .chain(doc.attributes.iter().map(|attribute| {
                row(
                    &attribute.qualname,
                    &attribute.name,
                    attribute.docstring.as_ref(),
                )
            }))
            .collect();
        if rows.len() >= MIN_SUMMARY_ROWS {
            self.summary_start();
            self.summary_rows(&rows);
            self.html.push_str("</tbody>\n</table>\n");
        }
    }

    /// The class's summary: its own members, then what it inherits.
    pub(super) fn class_summary(&mut self, class: &ClassDoc) {
        let rows: Vec<Row<'_>> =
            class
                .attributes
                .iter()
                .map(|attribute| {
                    row(
                        &attribute.qualname,
                        &attribute.name,
                        attribute.docstring.as_ref(),
                    )
                })
                .chain(class.properties.iter().map(|property| {
                    row(
                        &property.qualname,
                        &property.name,
                        property.docstring.as_ref(),
                    )
                }))
                .chain(
                    class.methods.iter().map(|method| {
                        row(&method.qualname, &method.name, method.docstring.as_ref())
                    }),
                )
                .chain(
                    class.classes.iter().map(|nested| {
                        row(&nested.qualname, &nested.name, nested.docstring.as_ref())
                    }),
                )
                .collect();
        let inherited = match self.info.links {
            Some(links) => links.inherited(&class.qualname),
            None => Vec::new(),
        };
        if rows.len() < MIN_SUMMARY_ROWS && inherited.is_empty() {
            return;
        }
        self.summary_start();
        self.summary_rows(&rows);
        for from in &inherited {
            let shown = from.base.rsplit('.').next().unwrap_or(&from.base);
            for member in &from.members {
                let _ = writeln!(
                    self.html,
                    "<tr class=\"autodoc-summary-inherited\"><td><a href=\"{}\"><code>{}</code></a></td>\
                     <td><span class=\"autodoc-inherited-from\">inherited from \
                     <a class=\"autodoc-xref\" href=\"{}\" title=\"{}\"><code>{}</code></a></span></td></tr>",
                    escape(&member.url),
                    escape(&member.name),
                    escape(&from.url),
                    escape(&from.base),
                    escape(shown)
                );
            }
            let names: Vec<&str> = from.members.iter().map(|m| m.name.as_str()).collect();
            self.plain.push(format!(
                "Inherited from {}: {}",
                from.base,
                names.join(", ")
            ));
        }
        self.html.push_str("</tbody>\n</table>\n");
    }

    /// "Referenced by" and the guide pages mentioning the object with id `id` (the module
    /// for an empty id), when there are any.
    pub(super) fn referenced_by(&mut self, id: &str) {
        let Some(links) = self.info.links else {
            return;
        };
        let pages = links.referenced_by(id);
        if pages.is_empty() {
            return;
        }
        self.html
            .push_str("<p class=\"autodoc-referenced-by\">Referenced by: ");
        for (index, (title, href)) in pages.iter().enumerate() {
            let separator = if index > 0 { ", " } else { "" };
            let _ = write!(
                self.html,
                "{separator}<a href=\"{}\">{}</a>",
                escape(href),
                escape(title)
            );
        }
        self.html.push_str("</p>\n");
    }

    fn summary_start(&mut self) {
        self.html.push_str(
            "<table class=\"autodoc-summary\">\n<thead><tr><th>Name</th><th>Description</th></tr></thead>\n<tbody>\n",
        );
    }

    fn summary_rows(&mut self, rows: &[Row<'_>]) {
        for row in rows {
            let anchor = self
                .anchors_by_qualname
                .get(row.qualname)
                .map_or_else(|| format!("{}.{}", self.module, row.qualname), Clone::clone);
            let summary = row
                .docstring
                .map(|docstring| summary_html(&docstring.summary))
                .unwrap_or_default();
            let _ = writeln!(
                self.html,
                "<tr><td><a href=\"#{}\"><code>{}</code></a></td><td>{summary}</td></tr>",
                escape(&anchor),
                escape(row.name)
            );
        }
    }
}

fn row<'d>(qualname: &'d str, name: &'d str, docstring: Option<&'d Docstring>) -> Row<'d> {
    Row {
        qualname,
        name,
        docstring,
    }
}

/// A docstring's one-line summary (markdown) as inline HTML: escaped, code spans kept,
/// links unwrapped to their text (the object's own section links them).
fn summary_html(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(open) = rest.find('[') {
        let link = rest[open..].find("](").and_then(|close| {
            let close = open + close;
            let end = close + 2 + rest[close + 2..].find(')')?;
            Some((close, end))
        });
        match link {
            Some((close, end)) => {
                text.push_str(&rest[..open]);
                text.push_str(&rest[open + 1..close]);
                rest = &rest[end + 1..];
            }
            None => {
                text.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    text.push_str(rest);
    let mut html = String::with_capacity(text.len() + 16);
    let parts: Vec<&str> = text.split('`').collect();
    let closed = parts.len() % 2 == 1;
    for (index, part) in parts.iter().enumerate() {
        let is_code = index % 2 == 1 && (closed || index + 1 < parts.len());
        if is_code {
            let _ = write!(html, "<code>{}</code>", escape(part));
        } else {
            if index > 0 && !closed && index + 1 == parts.len() {
                html.push('`');
            }
            html.push_str(&escape(part));
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::summary_html;

    #[test]
    fn summaries_keep_code_and_unwrap_links() {
        assert_eq!(
            summary_html("Runs [`Command`](ssg-xref:class:Command) on <x> & `y`."),
            "Runs <code>Command</code> on &lt;x&gt; &amp; <code>y</code>."
        );
        assert_eq!(summary_html("a [b] `c"), "a [b] `c");
        assert_eq!(summary_html("[x](y"), "[x](y");
    }
}

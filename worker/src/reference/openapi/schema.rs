//! Schemas as tables: one row per property, nested inline objects expanded below their
//! parent (`owner.login`, `labels[].name`) to [`MAX_DEPTH`] levels, and every `$ref` to a
//! named component schema shown as a link to its page rather than expanded, so a
//! circular schema is a link, never an endless table. `allOf` parts are merged (their
//! properties and `required`), `oneOf`/`anyOf` are listed as alternatives. `$ref`s to
//! schemas that have no page (in another file, or not under `components/schemas`) are
//! followed inline, with a guard against cycles among them.
//!
//! Types read both versions: 3.0 `nullable: true` and 3.1 `type: [string, "null"]` both
//! show as `string | null`.

use std::cell::Cell;
use std::fmt::Write as _;

use super::model::Spec;
use super::node::Node;
use crate::reference::html::escape;

/// Deepest nesting of inline objects expanded in one table.
pub(crate) const MAX_DEPTH: usize = 3;
/// Most rows in one table; the rest is counted, not shown.
const MAX_ROWS: usize = 400;
/// Most `$ref` hops followed to find what a reference names.
const MAX_REF_HOPS: usize = 32;
/// Most enum values listed.
const MAX_ENUM_VALUES: usize = 60;
/// Longest example shown, in bytes of JSON.
pub(crate) const MAX_EXAMPLE_BYTES: usize = 4_000;

/// Most schema nodes one page may visit while writing types and tables. Named schemas
/// are links, so real descriptions stay far below it (GitHub's REST description: at most
/// 999 on a page); a hostile one (`oneOf` of a thousand `$ref`s to a schema that is the same
/// `oneOf`, in another file) would otherwise multiply its work at every level.
const MAX_VISITS_PER_PAGE: u32 = 200_000;

/// Renders schemas of one page, with links relative to `base_url`.
pub(crate) struct SchemaWriter<'s> {
    pub(crate) spec: &'s Spec,
    pub(crate) base_url: &'s str,
    pub(crate) markdown: &'s dyn Fn(&str) -> String,
    /// Visits left on this page (see [`MAX_VISITS_PER_PAGE`]).
    budget: Cell<u32>,
}

struct Row {
    name: String,
    depth: usize,
    type_html: String,
    required: bool,
    description: String,
}

impl<'s> SchemaWriter<'s> {
    pub(crate) fn new(
        spec: &'s Spec,
        base_url: &'s str,
        markdown: &'s dyn Fn(&str) -> String,
    ) -> SchemaWriter<'s> {
        SchemaWriter {
            spec,
            base_url,
            markdown,
            budget: Cell::new(MAX_VISITS_PER_PAGE),
        }
    }

    /// Takes one visit from the page's budget; `false` once it is spent.
    fn visit(&self) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(1));
        left > 0
    }

    /// Follows `$ref`s that do not name a component schema; stops at one that does.
    /// Returns the file the node is in, the node, and the named schema's index if it
    /// stopped at one.
    pub(crate) fn follow(&self, file: usize, node: &'s Node) -> (usize, &'s Node, Option<usize>) {
        let mut current = (file, node);
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = current.1.str("$ref") else {
                return (current.0, current.1, None);
            };
            let Some(target) = self.spec.files.target(current.0, reference) else {
                break;
            };
            if let Some(named) = self.spec.named_schema(target.file, &target.pointer) {
                return (current.0, current.1, Some(named));
            }
            let Some(next) = self
                .spec
                .files
                .files
                .get(target.file)
                .and_then(|f| f.root.pointer(&target.pointer))
            else {
                break;
            };
            current = (target.file, next);
        }
        (current.0, current.1, None)
    }

    /// The node of a named schema.
    pub(crate) fn named_node(&self, index: usize) -> Option<&'s Node> {
        let name = &self.spec.schemas.get(index)?.name;
        self.spec
            .root()
            .get("components")?
            .get("schemas")?
            .get(name)
    }

    pub(crate) fn schema_link(&self, index: usize) -> String {
        let schema = &self.spec.schemas[index];
        format!(
            "<a href=\"{}{}\"><code>{}</code></a>",
            escape(self.base_url),
            escape(&self.spec.schema_url(index)),
            escape(&schema.name)
        )
    }

    /// The type of a schema as HTML: `string (date-time) | null`, `array of <Pet>`.
    pub(crate) fn type_html(&self, file: usize, node: &'s Node, hops: usize) -> String {
        if !self.visit() {
            return "…".to_owned();
        }
        let reference = node.str("$ref");
        let (file, node, named) = self.follow(file, node);
        if let Some(named) = named {
            return self.schema_link(named);
        }
        // A schema without a page, reached by `$ref`: its type, then the name it has there.
        if let Some(reference) = reference {
            let name = reference
                .rsplit(['/', '#'])
                .find(|part| !part.is_empty())
                .unwrap_or(reference);
            let shown = self.type_html(file, node, hops + MAX_REF_HOPS / 4);
            return format!("{shown} (<code>{}</code>)", escape(name));
        }
        if hops > MAX_REF_HOPS {
            return "…".to_owned();
        }
        for (key, label) in [("oneOf", "one of"), ("anyOf", "any of")] {
            let variants = node.get(key).map(Node::items).unwrap_or_default();
            if !variants.is_empty() {
                let shown: Vec<String> = variants
                    .iter()
                    .map(|variant| self.type_html(file, variant, hops + 1))
                    .collect();
                return format!("{label}: {}", shown.join(" | "));
            }
        }
        let parts = node.get("allOf").map(Node::items).unwrap_or_default();
        if !parts.is_empty() && node.get("type").is_none() {
            let shown: Vec<String> = parts
                .iter()
                .map(|part| self.type_html(file, part, hops + 1))
                .collect();
            return shown.join(" &amp; ");
        }
        if let Some(constant) = node.get("const") {
            return format!("const <code>{}</code>", escape(&constant.to_json(200)));
        }
        let mut types: Vec<String> = match node.get("type") {
            Some(Node::String(name)) => vec![name.to_string()],
            Some(Node::Array(names)) => names
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_owned)
                .collect(),
            _ if node.get("properties").is_some() => vec!["object".to_owned()],
            _ if node.get("items").is_some() => vec!["array".to_owned()],
            _ if node.get("enum").is_some() => vec!["enum".to_owned()],
            _ => Vec::new(),
        };
        if node.flag("nullable") && !types.iter().any(|name| name == "null") {
            types.push("null".to_owned());
        }
        if types.is_empty() {
            return "any".to_owned();
        }
        let format = node.str("format");
        let shown: Vec<String> = types
            .iter()
            .map(|name| match name.as_str() {
                "array" => match node.get("items") {
                    Some(items) => format!("array of {}", self.type_html(file, items, hops + 1)),
                    None => "array".to_owned(),
                },
                "object" => match node.get("additionalProperties") {
                    Some(values @ Node::Object(_)) if node.get("properties").is_none() => {
                        format!("map of {}", self.type_html(file, values, hops + 1))
                    }
                    _ => "object".to_owned(),
                },
                "null" => "null".to_owned(),
                other => match format {
                    Some(format) => format!("{} ({})", escape(other), escape(format)),
                    None => escape(other).into_owned(),
                },
            })
            .collect();
        shown.join(" | ")
    }

    /// Notes on a schema: its description, flags, enum, default, example, bounds.
    pub(crate) fn description_html(&self, node: &Node) -> String {
        let mut html = String::new();
        for (key, badge) in [
            ("deprecated", "deprecated"),
            ("readOnly", "read-only"),
            ("writeOnly", "write-only"),
        ] {
            if node.flag(key) {
                let _ = write!(
                    html,
                    "<span class=\"reference-openapi-badge reference-openapi-badge-{badge}\">{badge}</span> "
                );
            }
        }
        if let Some(description) = node.str("description") {
            html.push_str(&(self.markdown)(description));
        } else if let Some(title) = node.str("title") {
            html.push_str(&(self.markdown)(title));
        }
        let values = node.get("enum").map(Node::items).unwrap_or_default();
        if !values.is_empty() {
            let shown: Vec<String> = values
                .iter()
                .take(MAX_ENUM_VALUES)
                .map(|value| format!("<code>{}</code>", escape(&scalar(value))))
                .collect();
            let more = values.len().saturating_sub(MAX_ENUM_VALUES);
            let _ = write!(
                html,
                "<p class=\"reference-openapi-enum\">Allowed: {}{}</p>",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
        let mut facts = Vec::new();
        if let Some(default) = node.get("default") {
            facts.push(format!(
                "Default: <code>{}</code>",
                escape(&scalar(default))
            ));
        }
        for (key, label) in [
            ("minimum", "Minimum"),
            ("maximum", "Maximum"),
            ("exclusiveMinimum", "Exclusive minimum"),
            ("exclusiveMaximum", "Exclusive maximum"),
            ("minLength", "Min length"),
            ("maxLength", "Max length"),
            ("minItems", "Min items"),
            ("maxItems", "Max items"),
            ("pattern", "Pattern"),
        ] {
            if let Some(value) = node
                .get(key)
                .filter(|value| !matches!(value, Node::Bool(_)))
            {
                // 3.0 marks a bound exclusive with a boolean beside it.
                let exclusive = match key {
                    "minimum" => node.flag("exclusiveMinimum"),
                    "maximum" => node.flag("exclusiveMaximum"),
                    _ => false,
                };
                facts.push(format!(
                    "{label}: <code>{}</code>{}",
                    escape(&scalar(value)),
                    if exclusive { " (exclusive)" } else { "" }
                ));
            }
        }
        let example = node.get("example").or_else(|| {
            node.get("examples")
                .and_then(|examples| examples.items().first())
        });
        if let Some(example) = example {
            facts.push(format!(
                "Example: <code>{}</code>",
                escape(&scalar(example))
            ));
        }
        if !facts.is_empty() {
            let _ = write!(
                html,
                "<p class=\"reference-openapi-facts\">{}</p>",
                facts.join("; ")
            );
        }
        html
    }

    /// Writes the table of a schema's properties (nothing when it has none), with its
    /// `oneOf`/`anyOf` alternatives after it.
    pub(crate) fn write_table(
        &self,
        html: &mut String,
        plain: &mut Vec<String>,
        file: usize,
        node: &'s Node,
    ) {
        self.write_table_at(html, plain, file, node, 0);
    }

    /// [`SchemaWriter::write_table`] for a table `depth` alternatives down: inline
    /// alternatives get their own tables to [`MAX_DEPTH`] levels, then their type only.
    fn write_table_at(
        &self,
        html: &mut String,
        plain: &mut Vec<String>,
        file: usize,
        node: &'s Node,
        depth: usize,
    ) {
        let mut rows = Vec::new();
        let mut omitted = 0usize;
        let mut visiting = Vec::new();
        self.rows(file, node, "", 0, &mut rows, &mut omitted, &mut visiting);
        if !rows.is_empty() {
            html.push_str("<table class=\"reference-openapi-schema\">\n<thead><tr><th>Name</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n");
            for row in &rows {
                let _ = writeln!(
                    html,
                    "<tr class=\"reference-openapi-depth-{}\"><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
                    row.depth,
                    escape(&row.name),
                    if row.required {
                        " <span class=\"reference-openapi-badge reference-openapi-badge-required\">required</span>"
                    } else {
                        ""
                    },
                    row.type_html,
                    row.description
                );
                plain.push(row.name.clone());
            }
            if omitted > 0 {
                let _ = writeln!(
                    html,
                    "<tr class=\"reference-openapi-omitted\"><td colspan=\"3\">{omitted} more properties not shown</td></tr>"
                );
            }
            html.push_str("</tbody>\n</table>\n");
        }
        let (file, node, _) = self.follow(file, node);
        for (key, label) in [("oneOf", "One of"), ("anyOf", "Any of")] {
            let variants = node.get(key).map(Node::items).unwrap_or_default();
            if variants.is_empty() {
                continue;
            }
            let _ = writeln!(
                html,
                "<p class=\"reference-openapi-variants-title\">{label}:</p>\n<ol class=\"reference-openapi-variants\">"
            );
            for variant in variants {
                if !self.visit() {
                    html.push_str("<li>…</li>\n");
                    break;
                }
                let _ = write!(html, "<li>{}", self.type_html(file, variant, 0));
                let (variant_file, variant_node, named) = self.follow(file, variant);
                if named.is_none() && depth + 1 < MAX_DEPTH {
                    html.push('\n');
                    self.write_table_at(html, plain, variant_file, variant_node, depth + 1);
                }
                html.push_str("</li>\n");
            }
            html.push_str("</ol>\n");
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn rows(
        &self,
        file: usize,
        node: &'s Node,
        prefix: &str,
        depth: usize,
        rows: &mut Vec<Row>,
        omitted: &mut usize,
        visiting: &mut Vec<*const Node>,
    ) {
        if !self.visit() {
            return;
        }
        let (file, node, _) = self.follow(file, node);
        let identity = node as *const Node;
        if visiting.contains(&identity) || visiting.len() > MAX_REF_HOPS {
            return;
        }
        visiting.push(identity);
        // Arrays: the items' properties, under `name[]`.
        if let Some(items) = node.get("items")
            && node.get("properties").is_none()
        {
            let (items_file, items_node, named) = self.follow(file, items);
            if named.is_none() {
                self.rows(
                    items_file, items_node, prefix, depth, rows, omitted, visiting,
                );
            }
            visiting.pop();
            return;
        }
        let mut required: Vec<&str> = Vec::new();
        let mut properties: Vec<(usize, &'s str, &'s Node)> = Vec::new();
        self.gather(file, node, &mut required, &mut properties, 0, visiting);
        for (property_file, name, property) in properties {
            if rows.len() >= MAX_ROWS || !self.visit() {
                *omitted += 1;
                continue;
            }
            let full_name = format!("{prefix}{name}");
            let (target_file, target, named) = self.follow(property_file, property);
            rows.push(Row {
                name: full_name.clone(),
                depth,
                type_html: self.type_html(property_file, property, 0),
                required: required.contains(&name),
                description: self.description_html(if named.is_some() { property } else { target }),
            });
            if named.is_some() || depth + 1 >= MAX_DEPTH {
                continue;
            }
            let is_array = target.get("items").is_some() && target.get("properties").is_none();
            let child_prefix = if is_array {
                format!("{full_name}[].")
            } else {
                format!("{full_name}.")
            };
            if is_array || target.get("properties").is_some() || target.get("allOf").is_some() {
                self.rows(
                    target_file,
                    target,
                    &child_prefix,
                    depth + 1,
                    rows,
                    omitted,
                    visiting,
                );
            }
        }
        visiting.pop();
    }

    /// The properties and `required` of a schema and of its `allOf` parts (named parts
    /// included: that is how inheritance reads), in order, first definition winning.
    fn gather(
        &self,
        file: usize,
        node: &'s Node,
        required: &mut Vec<&'s str>,
        properties: &mut Vec<(usize, &'s str, &'s Node)>,
        hops: usize,
        visiting: &mut Vec<*const Node>,
    ) {
        if hops > MAX_REF_HOPS || !self.visit() {
            return;
        }
        for part in node.get("allOf").map(Node::items).unwrap_or_default() {
            let (part_file, part_node, named) = self.follow(file, part);
            let part_node = match named {
                Some(index) => match self.named_node(index) {
                    Some(named_node) => {
                        let (_, resolved, _) = self.follow(0, named_node);
                        (0, resolved)
                    }
                    None => continue,
                },
                None => (part_file, part_node),
            };
            let identity = part_node.1 as *const Node;
            if visiting.contains(&identity) {
                continue;
            }
            visiting.push(identity);
            self.gather(
                part_node.0,
                part_node.1,
                required,
                properties,
                hops + 1,
                visiting,
            );
            visiting.pop();
        }
        required.extend(
            node.get("required")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(Node::as_str),
        );
        for (name, property) in node
            .get("properties")
            .map(Node::entries)
            .unwrap_or_default()
        {
            if !properties
                .iter()
                .any(|(_, existing, _)| *existing == &**name)
            {
                properties.push((file, name, property));
            }
        }
    }
}

/// A scalar as text (strings without quotes), anything else as one-line JSON.
pub(crate) fn scalar(node: &Node) -> String {
    match node {
        Node::String(text) => text.to_string(),
        Node::Number(text) => text.to_string(),
        Node::Bool(value) => value.to_string(),
        Node::Null => "null".to_owned(),
        other => other.to_json(200).replace('\n', " "),
    }
}

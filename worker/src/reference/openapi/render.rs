//! The pages of a description: the overview, a tag's operations, an operation (method,
//! path, security, parameters by location, request body and responses per status and
//! media type, examples) and a component schema. Descriptions are CommonMark, rendered by
//! the caller's `markdown` closure (trusted output); everything else is escaped here.
//!
//! Class names (stable, for the theme): `reference-openapi` (+ `-overview`, `-tag`,
//! `-operation`, `-schema-page`), `reference-openapi-endpoint`, `reference-openapi-method`
//! (+ `-get`, `-post`...), `reference-openapi-path`, `reference-openapi-operations`,
//! `reference-openapi-params`, `reference-openapi-schema`, `reference-openapi-depth-N`,
//! `reference-openapi-type`, `reference-openapi-example`, `reference-openapi-enum`,
//! `reference-openapi-facts`, `reference-openapi-variants`, `reference-openapi-badge` (+
//! `-required`, `-deprecated`, `-read-only`, `-write-only`), `reference-openapi-security`,
//! `reference-openapi-servers`, `reference-openapi-schemas`.

use std::fmt::Write as _;

use protocol::slug::slugify;

use super::model::{PageKey, PageKind, Spec};
use super::node::Node;
use super::schema::{MAX_EXAMPLE_BYTES, SchemaWriter, scalar};
use crate::reference::ReferencePage;
use crate::reference::html::{PageWriter, escape};

/// Most examples shown per media type.
const MAX_EXAMPLES: usize = 5;

pub(crate) fn render_page(
    spec: &Spec,
    key: &PageKey,
    base_url: &str,
    markdown: &dyn Fn(&str) -> String,
) -> Option<ReferencePage> {
    let writer = SchemaWriter::new(spec, base_url, markdown);
    let mut page = PageWriter::new();
    match key.kind {
        PageKind::Overview => overview(&writer, &mut page),
        PageKind::Tag(index) => tag(&writer, &mut page, index)?,
        PageKind::Operation(index) => operation(&writer, &mut page, index)?,
        PageKind::Schema(index) => schema_page(&writer, &mut page, index)?,
    }
    Some(page.finish(key.url.clone(), key.title.clone()))
}

fn markdown_block(writer: &SchemaWriter<'_>, page: &mut PageWriter, node: &Node, key: &str) {
    if let Some(text) = node.str(key) {
        page.raw(&(writer.markdown)(text));
        page.plain(text);
    }
}

fn overview(writer: &SchemaWriter<'_>, page: &mut PageWriter) {
    let spec = writer.spec;
    let root = spec.root();
    page.raw("<div class=\"reference-openapi reference-openapi-overview\">\n");
    if let Some(info) = root.get("info") {
        if let Some(version) = info.str("version") {
            let _ = writeln!(
                page.html,
                "<p class=\"reference-openapi-version\">Version <code>{}</code></p>",
                escape(version)
            );
        }
        markdown_block(writer, page, info, "description");
    }
    let servers = root.get("servers").map(Node::items).unwrap_or_default();
    if !servers.is_empty() {
        page.heading(2, "Servers", "servers");
        page.raw("<ul class=\"reference-openapi-servers\">\n");
        for server in servers {
            let _ = writeln!(
                page.html,
                "<li><code>{}</code> {}</li>",
                escape(server.str("url").unwrap_or("")),
                escape(server.str("description").unwrap_or(""))
            );
            page.plain(server.str("url").unwrap_or("").to_owned());
        }
        page.raw("</ul>\n");
    }
    if !spec.tags.is_empty() {
        page.heading(2, "Tags", "tags");
        page.raw("<table class=\"reference-openapi-tags\">\n<thead><tr><th>Tag</th><th>Operations</th><th>Description</th></tr></thead>\n<tbody>\n");
        let tag_nodes = root.get("tags").map(Node::items).unwrap_or_default();
        for (index, tag) in spec.tags.iter().enumerate() {
            let description = tag_nodes
                .iter()
                .find(|node| node.str("name") == Some(&tag.name))
                .and_then(|node| node.str("description"))
                .unwrap_or("");
            let _ = writeln!(
                page.html,
                "<tr><td><a href=\"{}{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
                escape(writer.base_url),
                escape(&spec.tag_url(index)),
                escape(&tag.name),
                tag.operations.len(),
                escape(first_line(description))
            );
            page.plain(format!("{}: {}", tag.name, first_line(description)));
        }
        page.raw("</tbody>\n</table>\n");
    }
    let schemes = root
        .pointer("/components/securitySchemes")
        .map(Node::entries)
        .unwrap_or_default();
    if !schemes.is_empty() {
        page.heading(2, "Security schemes", "security-schemes");
        for (name, scheme) in schemes {
            let (_, scheme, _) = writer.follow(0, scheme);
            page.heading(3, name, &format!("security-scheme-{}", slugify(name)));
            let mut facts = Vec::new();
            for field in [
                "type",
                "scheme",
                "bearerFormat",
                "in",
                "name",
                "openIdConnectUrl",
            ] {
                if let Some(value) = scheme.str(field) {
                    facts.push(format!("{field}: <code>{}</code>", escape(value)));
                }
            }
            if let Some(flows) = scheme.get("flows") {
                for (flow, details) in flows.entries() {
                    let scopes: Vec<String> = details
                        .get("scopes")
                        .map(Node::entries)
                        .unwrap_or_default()
                        .iter()
                        .map(|(scope, _)| format!("<code>{}</code>", escape(scope)))
                        .collect();
                    facts.push(format!(
                        "flow <code>{}</code> (scopes: {})",
                        escape(flow),
                        scopes.join(", ")
                    ));
                }
            }
            let _ = writeln!(
                page.html,
                "<p class=\"reference-openapi-security\">{}</p>",
                facts.join("; ")
            );
            markdown_block(writer, page, scheme, "description");
        }
    }
    if !spec.schemas.is_empty() {
        page.heading(2, "Schemas", "schemas");
        page.raw("<ul class=\"reference-openapi-schemas\">\n");
        for index in 0..spec.schemas.len() {
            let _ = writeln!(page.html, "<li>{}</li>", writer.schema_link(index));
        }
        page.raw("</ul>\n");
    }
    page.raw("</div>\n");
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

fn tag(writer: &SchemaWriter<'_>, page: &mut PageWriter, index: usize) -> Option<()> {
    let spec = writer.spec;
    let tag = spec.tags.get(index)?;
    page.raw("<div class=\"reference-openapi reference-openapi-tag\">\n");
    let tag_node = spec
        .root()
        .get("tags")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .find(|node| node.str("name") == Some(&tag.name));
    if let Some(node) = tag_node {
        markdown_block(writer, page, node, "description");
        external_docs(page, node);
    }
    page.heading(2, "Operations", "operations");
    page.raw("<table class=\"reference-openapi-operations\">\n<thead><tr><th>Method</th><th>Path</th><th>Summary</th></tr></thead>\n<tbody>\n");
    for &operation_index in &tag.operations {
        let operation = &spec.operations[operation_index];
        let deprecated = spec
            .operation_node(operation_index)
            .is_some_and(|(node, _)| node.flag("deprecated"));
        let title = spec.operation_title(operation_index);
        let _ = writeln!(
            page.html,
            "<tr><td>{}</td><td><a href=\"{}{}\"><code class=\"reference-openapi-path\">{}</code></a></td><td>{}{}</td></tr>",
            method_badge(operation.method),
            escape(writer.base_url),
            escape(&spec.operation_url(operation_index)),
            escape(&operation.path),
            escape(&title),
            if deprecated {
                " <span class=\"reference-openapi-badge reference-openapi-badge-deprecated\">deprecated</span>"
            } else {
                ""
            }
        );
        page.plain(format!(
            "{} {} {title}",
            operation.method.to_uppercase(),
            operation.path
        ));
    }
    page.raw("</tbody>\n</table>\n</div>\n");
    Some(())
}

fn method_badge(method: &str) -> String {
    format!(
        "<span class=\"reference-openapi-method reference-openapi-method-{method}\">{}</span>",
        method.to_uppercase()
    )
}

fn external_docs(page: &mut PageWriter, node: &Node) {
    if let Some(docs) = node.get("externalDocs")
        && let Some(url) = docs.str("url")
    {
        let _ = writeln!(
            page.html,
            "<p class=\"reference-openapi-external\"><a href=\"{}\">{}</a></p>",
            escape(url),
            escape(docs.str("description").unwrap_or(url))
        );
    }
}

fn operation(writer: &SchemaWriter<'_>, page: &mut PageWriter, index: usize) -> Option<()> {
    let spec = writer.spec;
    let operation = spec.operations.get(index)?;
    let (node, item) = spec.operation_node(index)?;
    let file = operation.item_file;
    page.raw("<div class=\"reference-openapi reference-openapi-operation\">\n");
    let _ = writeln!(
        page.html,
        "<p class=\"reference-openapi-endpoint\">{}{} <code class=\"reference-openapi-path\">{}</code></p>",
        if operation.webhook {
            "<span class=\"reference-openapi-webhook\">Webhook</span> "
        } else {
            ""
        },
        method_badge(operation.method),
        escape(&operation.path)
    );
    page.plain(format!(
        "{} {}",
        operation.method.to_uppercase(),
        operation.path
    ));
    if node.flag("deprecated") {
        page.raw("<p class=\"reference-openapi-deprecated\"><strong>Deprecated</strong></p>\n");
        page.plain("Deprecated");
    }
    if node.get("description").is_some() {
        markdown_block(writer, page, node, "description");
    } else {
        markdown_block(writer, page, item, "description");
    }
    let tag_links: Vec<String> = operation
        .tags
        .iter()
        .map(|&tag| {
            format!(
                "<a href=\"{}{}\">{}</a>",
                escape(writer.base_url),
                escape(&spec.tag_url(tag)),
                escape(&spec.tags[tag].name)
            )
        })
        .collect();
    let _ = writeln!(
        page.html,
        "<p class=\"reference-openapi-tags\">Tags: {}</p>",
        tag_links.join(", ")
    );
    if let Some(id) = node.str("operationId") {
        let _ = writeln!(
            page.html,
            "<p class=\"reference-openapi-operation-id\">Operation id: <code>{}</code></p>",
            escape(id)
        );
    }
    external_docs(page, node);

    security(writer, page, node);

    parameters(writer, page, file, node, item);

    if let Some(body) = node.get("requestBody") {
        let (body_file, body) = follow_any(writer, file, body);
        page.heading(2, "Request body", "request-body");
        if body.flag("required") {
            page.raw("<p><span class=\"reference-openapi-badge reference-openapi-badge-required\">required</span></p>\n");
        }
        markdown_block(writer, page, body, "description");
        content(writer, page, body_file, body, "request-body");
    }

    let responses = node.get("responses").map(Node::entries).unwrap_or_default();
    if !responses.is_empty() {
        page.heading(2, "Responses", "responses");
        for (status, response) in responses {
            let (response_file, response) = follow_any(writer, file, response);
            let summary = response.str("description").map(first_line).unwrap_or("");
            let heading = if summary.is_empty() {
                status.to_string()
            } else {
                format!("{status} {summary}")
            };
            page.heading(3, &heading, &format!("response-{}", slugify(status)));
            if response
                .str("description")
                .is_some_and(|text| text.lines().count() > 1)
            {
                markdown_block(writer, page, response, "description");
            }
            let headers = response
                .get("headers")
                .map(Node::entries)
                .unwrap_or_default();
            if !headers.is_empty() {
                page.raw("<table class=\"reference-openapi-params\">\n<thead><tr><th>Header</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n");
                for (name, header) in headers {
                    let (header_file, header) = follow_any(writer, response_file, header);
                    let type_html = header
                        .get("schema")
                        .map(|schema| writer.type_html(header_file, schema, 0))
                        .unwrap_or_default();
                    let _ = writeln!(
                        page.html,
                        "<tr><td><code>{}</code></td><td class=\"reference-openapi-type\">{type_html}</td><td>{}</td></tr>",
                        escape(name),
                        writer.description_html(header)
                    );
                    page.plain(name.to_string());
                }
                page.raw("</tbody>\n</table>\n");
            }
            content(
                writer,
                page,
                response_file,
                response,
                &format!("response-{}", slugify(status)),
            );
        }
    }
    page.raw("</div>\n");
    Some(())
}

/// The operation's security requirements (else the description's); an operation's
/// `security: []` lifts them, which is said.
fn security(writer: &SchemaWriter<'_>, page: &mut PageWriter, node: &Node) {
    let own = node.get("security");
    let requirements = own
        .or_else(|| writer.spec.root().get("security"))
        .map(Node::items)
        .unwrap_or_default();
    if requirements.is_empty() && own.is_none() {
        return;
    }
    page.heading(2, "Security", "security");
    page.raw("<ul class=\"reference-openapi-security\">\n");
    if requirements.is_empty() {
        page.raw("<li>none (anonymous access)</li>\n");
        page.plain("Security: none (anonymous access)");
    }
    for requirement in requirements {
        let schemes: Vec<String> = requirement
            .entries()
            .iter()
            .map(|(name, scopes)| {
                let scopes: Vec<String> = scopes
                    .items()
                    .iter()
                    .map(|scope| format!("<code>{}</code>", escape(&scalar(scope))))
                    .collect();
                format!(
                    "<a href=\"{}#security-scheme-{}\">{}</a>{}",
                    escape(writer.base_url),
                    escape(&slugify(name)),
                    escape(name),
                    if scopes.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", scopes.join(", "))
                    }
                )
            })
            .collect();
        let shown = if schemes.is_empty() {
            "none (anonymous access)".to_owned()
        } else {
            schemes.join(" and ")
        };
        let _ = writeln!(page.html, "<li>{shown}</li>");
    }
    page.raw("</ul>\n");
}

/// Follows `$ref`s of parameters, request bodies, responses and headers to their node.
fn follow_any<'s>(writer: &SchemaWriter<'s>, file: usize, node: &'s Node) -> (usize, &'s Node) {
    let mut current = (file, node);
    for _ in 0..32 {
        let Some(reference) = current.1.str("$ref") else {
            break;
        };
        match writer.spec.files.follow(current.0, reference) {
            Some((target, next)) => current = (target.file, next),
            None => break,
        }
    }
    current
}

fn parameters(
    writer: &SchemaWriter<'_>,
    page: &mut PageWriter,
    file: usize,
    node: &Node,
    item: &Node,
) {
    // Operation parameters override path-item ones with the same name and location.
    let mut all: Vec<(usize, &Node)> = Vec::new();
    for source in [node, item] {
        for parameter in source
            .get("parameters")
            .map(Node::items)
            .unwrap_or_default()
        {
            let (parameter_file, parameter) = follow_any(writer, file, parameter);
            let same = |other: &&(usize, &Node)| {
                other.1.str("name") == parameter.str("name")
                    && other.1.str("in") == parameter.str("in")
            };
            if !all.iter().any(|other| same(&other)) {
                all.push((parameter_file, parameter));
            }
        }
    }
    if all.is_empty() {
        return;
    }
    page.heading(2, "Parameters", "parameters");
    for location in ["path", "query", "header", "cookie"] {
        let here: Vec<&(usize, &Node)> = all
            .iter()
            .filter(|(_, p)| p.str("in") == Some(location))
            .collect();
        if here.is_empty() {
            continue;
        }
        let title = match location {
            "path" => "Path parameters",
            "query" => "Query parameters",
            "header" => "Header parameters",
            _ => "Cookie parameters",
        };
        page.heading(3, title, &format!("parameters-{location}"));
        page.raw("<table class=\"reference-openapi-params\">\n<thead><tr><th>Name</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n");
        for (parameter_file, parameter) in here {
            let name = parameter.str("name").unwrap_or("");
            let schema = parameter.get("schema").or_else(|| {
                parameter
                    .get("content")
                    .and_then(|content| content.entries().first())
                    .and_then(|(_, media)| media.get("schema"))
            });
            let type_html = schema
                .map(|schema| writer.type_html(*parameter_file, schema, 0))
                .unwrap_or_default();
            let mut description = writer.description_html(parameter);
            if let Some(schema) = schema {
                let (_, schema, named) = writer.follow(*parameter_file, schema);
                if named.is_none() {
                    description.push_str(&writer.description_html(schema));
                }
            }
            let required = parameter.flag("required") || location == "path";
            let _ = writeln!(
                page.html,
                "<tr><td><code>{}</code>{}</td><td class=\"reference-openapi-type\">{type_html}</td><td>{description}</td></tr>",
                escape(name),
                if required {
                    " <span class=\"reference-openapi-badge reference-openapi-badge-required\">required</span>"
                } else {
                    ""
                }
            );
            page.plain(format!(
                "{name} ({location}) {}",
                parameter.str("description").unwrap_or("")
            ));
        }
        page.raw("</tbody>\n</table>\n");
    }
}

/// A request body's or response's `content`: per media type, the schema and examples.
fn content(
    writer: &SchemaWriter<'_>,
    page: &mut PageWriter,
    file: usize,
    node: &Node,
    id_base: &str,
) {
    for (media_type, media) in node.get("content").map(Node::entries).unwrap_or_default() {
        let id = page.id(&format!("{id_base}-{}", slugify(media_type)));
        let _ = writeln!(
            page.html,
            "<p class=\"reference-openapi-media-type\" id=\"{}\">Content type: <code>{}</code></p>",
            escape(&id),
            escape(media_type)
        );
        if let Some(schema) = media.get("schema") {
            schema_block(writer, page, file, schema);
        }
        examples(writer, page, file, media);
    }
}

/// A schema at the top of a body: its type, then its table; a named schema (or an array
/// of one) is expanded one level here, its own named references staying links.
pub(crate) fn schema_block(
    writer: &SchemaWriter<'_>,
    page: &mut PageWriter,
    file: usize,
    schema: &Node,
) {
    let _ = writeln!(
        page.html,
        "<p class=\"reference-openapi-type\">Schema: {}</p>",
        writer.type_html(file, schema, 0)
    );
    let (mut table_file, mut table_node, named) = writer.follow(file, schema);
    if let Some(named) = named.and_then(|index| writer.named_node(index)) {
        (table_file, table_node) = (0, named);
    } else if let Some(items) = table_node.get("items")
        && table_node.get("properties").is_none()
    {
        let (items_file, items_node, items_named) = writer.follow(table_file, items);
        match items_named.and_then(|index| writer.named_node(index)) {
            Some(named) => (table_file, table_node) = (0, named),
            None => (table_file, table_node) = (items_file, items_node),
        }
    }
    let mut plain = Vec::new();
    writer.write_table(&mut page.html, &mut plain, table_file, table_node);
    if !plain.is_empty() {
        page.plain(plain.join(", "));
    }
}

fn examples(writer: &SchemaWriter<'_>, page: &mut PageWriter, file: usize, media: &Node) {
    let mut shown: Vec<(String, &Node)> = Vec::new();
    if let Some(example) = media.get("example") {
        shown.push((String::new(), example));
    }
    for (name, example) in media.get("examples").map(Node::entries).unwrap_or_default() {
        let (_, example) = follow_any(writer, file, example);
        if let Some(value) = example.get("value") {
            let label = example.str("summary").unwrap_or(name).to_owned();
            shown.push((label, value));
        }
    }
    for (label, value) in shown.into_iter().take(MAX_EXAMPLES) {
        let title = if label.is_empty() {
            "Example".to_owned()
        } else {
            format!("Example: {label}")
        };
        let _ = writeln!(
            page.html,
            "<details class=\"reference-openapi-example\"><summary>{}</summary>\n<pre><code class=\"language-json\">{}</code></pre>\n</details>",
            escape(&title),
            escape(&value.to_json(MAX_EXAMPLE_BYTES))
        );
    }
}

fn schema_page(writer: &SchemaWriter<'_>, page: &mut PageWriter, index: usize) -> Option<()> {
    let node = writer.named_node(index)?;
    page.raw("<div class=\"reference-openapi reference-openapi-schema-page\">\n");
    let (file, resolved, _) = writer.follow(0, node);
    let _ = writeln!(
        page.html,
        "<p class=\"reference-openapi-type\">Type: {}</p>",
        writer.type_html(file, resolved, 0)
    );
    let description = writer.description_html(resolved);
    page.raw(&description);
    if let Some(text) = resolved.str("description") {
        page.plain(text);
    }
    let has_properties = resolved.get("properties").is_some()
        || resolved.get("allOf").is_some()
        || resolved.get("oneOf").is_some()
        || resolved.get("anyOf").is_some()
        || resolved.get("items").is_some();
    if has_properties {
        page.heading(2, "Properties", "properties");
        let mut plain = Vec::new();
        writer.write_table(&mut page.html, &mut plain, file, resolved);
        if !plain.is_empty() {
            page.plain(plain.join(", "));
        }
    }
    page.raw("</div>\n");
    Some(())
}

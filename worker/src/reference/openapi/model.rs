//! A loaded description and its pages: the operations (in `paths` order), the tags that
//! group them (the `tags` list first, then tags first used by an operation, then
//! `default` for untagged operations), the component schemas, and a URL for each, made
//! unique in spec order. The JSON/YAML trees stay as they are ([`Node`]); pages read them
//! when they render, so nothing is copied per operation.

use std::collections::HashSet;

use protocol::slug::slugify;
use xxhash_rust::xxh3::Xxh3;

use super::load::{SpecFiles, SpecSource, load_files};
use super::node::Node;
use crate::reference::ReferenceError;

/// The HTTP methods of a path item, in the order OpenAPI lists them.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The OpenAPI version family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    /// 3.0.x: `nullable: true`, `example`.
    V30,
    /// 3.1.x: JSON Schema 2020-12, `type: [string, "null"]`, `examples`.
    V31,
}

/// A loaded OpenAPI description, ready to list and render its pages.
pub struct Spec {
    pub(crate) files: SpecFiles,
    /// The version family.
    pub version: SpecVersion,
    pub(crate) operations: Vec<Operation>,
    pub(crate) tags: Vec<Tag>,
    pub(crate) schemas: Vec<NamedSchema>,
}

/// One operation: where its node is and its page.
pub(crate) struct Operation {
    /// The path template (`/repos/{owner}/{repo}`), or a webhook's name.
    pub(crate) path: Box<str>,
    /// A 3.1 webhook: a request the API sends, named rather than at a path.
    pub(crate) webhook: bool,
    /// Lower-case method (`get`).
    pub(crate) method: &'static str,
    /// The file and JSON pointer of the path item (after its own `$ref`, if any).
    pub(crate) item_file: usize,
    pub(crate) item_pointer: String,
    pub(crate) slug: String,
    /// Indexes into `Spec::tags`.
    pub(crate) tags: Vec<usize>,
}

/// One tag with its operations.
pub(crate) struct Tag {
    pub(crate) name: Box<str>,
    pub(crate) slug: String,
    /// Indexes into `Spec::operations`, in spec order.
    pub(crate) operations: Vec<usize>,
}

/// A schema of the root file's `components/schemas`.
pub(crate) struct NamedSchema {
    pub(crate) name: Box<str>,
    pub(crate) slug: String,
}

/// Which page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// The description's top page: info, servers, tags, security schemes, schemas.
    Overview,
    /// A tag's page listing its operations.
    Tag(usize),
    /// An operation's page.
    ///
    /// A page rather than an anchored section of its tag page: GitHub's description has
    /// tags of 100+ operations whose request and response tables would make one tag page
    /// megabytes long; a page per operation keeps each page small and renderable on any
    /// worker, lets search results, the sitemap and `llm-full.txt` name one operation, and
    /// lets a spec change re-render only the operations it touched ([`Spec::page_fingerprint`]).
    Operation(usize),
    /// A component schema's page.
    Schema(usize),
}

/// One page of a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageKey {
    /// Which page.
    pub kind: PageKind,
    /// URL relative to the source's `url`: `""`, `tags/repos/`, `operations/repos-get/`,
    /// `schemas/repository/`.
    pub url: String,
    /// Page title.
    pub title: String,
}

/// Loads the description at `source` (every file its `$ref`s reach) and lists its pages.
pub fn load_spec(source: &SpecSource<'_>) -> Result<Spec, ReferenceError> {
    let files = load_files(source)?;
    let root = &files.files[0].root;
    let display = files.files[0].display.clone();
    let version = match root.str("openapi") {
        Some(version) if version.starts_with("3.0") => SpecVersion::V30,
        Some(version) if version.starts_with("3.1") || version.starts_with("3.2") => {
            SpecVersion::V31
        }
        Some(version) => {
            return Err(ReferenceError {
                file: display,
                line: 1,
                message: format!("OpenAPI version `{version}` is not supported"),
                hint: "describe the API with OpenAPI 3.0 or 3.1".to_owned(),
            });
        }
        None if root.get("swagger").is_some() => {
            return Err(ReferenceError {
                file: display,
                line: 1,
                message: "Swagger 2.0 is not supported".to_owned(),
                hint: "convert the description to OpenAPI 3 (for example with swagger2openapi)"
                    .to_owned(),
            });
        }
        None => {
            return Err(ReferenceError {
                file: display,
                line: 1,
                message: "not an OpenAPI description: no `openapi` field".to_owned(),
                hint: "point `path` at the description's root file (`openapi: 3.1.0` at the top)"
                    .to_owned(),
            });
        }
    };

    let mut tags: Vec<Tag> = Vec::new();
    let mut tag_slugs = HashSet::new();
    let mut tag_index = |name: &str, tags: &mut Vec<Tag>| -> usize {
        if let Some(index) = tags.iter().position(|tag| &*tag.name == name) {
            return index;
        }
        tags.push(Tag {
            name: name.into(),
            slug: unique_slug(name, &mut tag_slugs),
            operations: Vec::new(),
        });
        tags.len() - 1
    };
    for tag in root.get("tags").map(Node::items).unwrap_or_default() {
        if let Some(name) = tag.str("name") {
            tag_index(name, &mut tags);
        }
    }

    let mut operations = Vec::new();
    let mut operation_slugs = HashSet::new();
    let mut untagged = Vec::new();
    // Paths, then 3.1 webhooks (path items named by event rather than by URL).
    let path_items = root.get("paths").map(Node::entries).unwrap_or_default();
    let webhooks = root.get("webhooks").map(Node::entries).unwrap_or_default();
    let all_items = path_items
        .iter()
        .map(|entry| ("paths", entry))
        .chain(webhooks.iter().map(|entry| ("webhooks", entry)));
    for (section, (path, item)) in all_items {
        let webhook = section == "webhooks";
        let (item_file, item_pointer, item) = match item.str("$ref") {
            Some(reference) => match files.follow(0, reference) {
                Some((target, node)) => (target.file, target.pointer, node),
                None => continue,
            },
            None => (0, format!("/{section}/{}", escape_pointer(path)), item),
        };
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let base = match operation.str("operationId") {
                Some(id) => id.to_owned(),
                None if webhook => format!("webhook {path} {method}"),
                None => format!("{method} {path}"),
            };
            let index = operations.len();
            let mut operation_tags = Vec::new();
            for tag in operation.get("tags").map(Node::items).unwrap_or_default() {
                if let Some(name) = tag.as_str() {
                    let tag = tag_index(name, &mut tags);
                    if !operation_tags.contains(&tag) {
                        operation_tags.push(tag);
                        tags[tag].operations.push(index);
                    }
                }
            }
            if operation_tags.is_empty() {
                untagged.push(index);
            }
            operations.push(Operation {
                path: path.clone(),
                webhook,
                method,
                item_file,
                item_pointer: item_pointer.clone(),
                slug: unique_slug(&base, &mut operation_slugs),
                tags: operation_tags,
            });
        }
    }
    if !untagged.is_empty() {
        let tag = tag_index("default", &mut tags);
        for &operation in &untagged {
            operations[operation].tags.push(tag);
        }
        tags[tag].operations.extend(untagged);
    }
    // Tags listed but unused have no page.
    let used: Vec<bool> = tags.iter().map(|tag| !tag.operations.is_empty()).collect();
    if used.iter().any(|used| !used) {
        let mut renumber = Vec::with_capacity(tags.len());
        let mut next = 0;
        for &is_used in &used {
            renumber.push(next);
            next += usize::from(is_used);
        }
        for operation in &mut operations {
            for tag in &mut operation.tags {
                *tag = renumber[*tag];
            }
        }
        let mut index = 0;
        tags.retain(|_| {
            index += 1;
            used[index - 1]
        });
    }

    let mut schema_slugs = HashSet::new();
    let schemas = root
        .pointer("/components/schemas")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(name, _)| NamedSchema {
            name: name.clone(),
            slug: unique_slug(name, &mut schema_slugs),
        })
        .collect();

    Ok(Spec {
        files,
        version,
        operations,
        tags,
        schemas,
    })
}

/// `slugify(base)`, or `base-2`, `base-3`... when taken.
fn unique_slug(base: &str, taken: &mut HashSet<String>) -> String {
    let slug = slugify(base);
    let mut candidate = slug.clone();
    let mut counter = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{slug}-{counter}");
        counter += 1;
    }
    candidate
}

/// A JSON pointer token for `text`.
pub(crate) fn escape_pointer(text: &str) -> String {
    text.replace('~', "~0").replace('/', "~1")
}

impl Spec {
    /// Every page: the overview, then tags, operations and schemas, each in spec order.
    pub fn pages(&self) -> Vec<PageKey> {
        let mut pages =
            Vec::with_capacity(1 + self.tags.len() + self.operations.len() + self.schemas.len());
        let title = self
            .root()
            .pointer("/info/title")
            .and_then(Node::as_str)
            .unwrap_or("API reference");
        pages.push(PageKey {
            kind: PageKind::Overview,
            url: String::new(),
            title: title.to_owned(),
        });
        for (index, tag) in self.tags.iter().enumerate() {
            pages.push(PageKey {
                kind: PageKind::Tag(index),
                url: self.tag_url(index),
                title: tag.name.to_string(),
            });
        }
        for index in 0..self.operations.len() {
            pages.push(PageKey {
                kind: PageKind::Operation(index),
                url: self.operation_url(index),
                title: self.operation_title(index),
            });
        }
        for (index, schema) in self.schemas.iter().enumerate() {
            pages.push(PageKey {
                kind: PageKind::Schema(index),
                url: self.schema_url(index),
                title: schema.name.to_string(),
            });
        }
        pages
    }

    /// The tags (indexes into the [`PageKind::Tag`] pages) of operation `index`, in the
    /// order the operation lists them; empty for an untagged operation.
    pub fn operation_tags(&self, index: usize) -> &[usize] {
        self.operations
            .get(index)
            .map_or(&[], |operation| operation.tags.as_slice())
    }

    /// The site-relative paths of every file the description was read from, the root
    /// first, then in the order `$ref`s reached them.
    pub fn source_files(&self) -> Vec<&str> {
        self.files
            .files
            .iter()
            .map(|file| file.display.as_str())
            .collect()
    }

    pub(crate) fn root(&self) -> &Node {
        &self.files.files[0].root
    }

    pub(crate) fn tag_url(&self, index: usize) -> String {
        format!("tags/{}/", self.tags[index].slug)
    }

    pub(crate) fn operation_url(&self, index: usize) -> String {
        format!("operations/{}/", self.operations[index].slug)
    }

    pub(crate) fn schema_url(&self, index: usize) -> String {
        format!("schemas/{}/", self.schemas[index].slug)
    }

    /// The operation's node and its path item.
    pub(crate) fn operation_node(&self, index: usize) -> Option<(&Node, &Node)> {
        let operation = self.operations.get(index)?;
        let item = self
            .files
            .files
            .get(operation.item_file)?
            .root
            .pointer(&operation.item_pointer)?;
        Some((item.get(operation.method)?, item))
    }

    /// `summary`, else `METHOD /path` (`Webhook name` for a webhook).
    pub(crate) fn operation_title(&self, index: usize) -> String {
        let operation = &self.operations[index];
        self.operation_node(index)
            .and_then(|(node, _)| node.str("summary"))
            .map(str::to_owned)
            .unwrap_or_else(|| {
                if operation.webhook {
                    format!("Webhook {}", operation.path)
                } else {
                    format!("{} {}", operation.method.to_uppercase(), operation.path)
                }
            })
    }

    /// The index of the root file's component schema a `$ref` names
    /// (`#/components/schemas/Pet` in the root file), if it is one.
    pub(crate) fn named_schema(&self, file: usize, pointer: &str) -> Option<usize> {
        if file != 0 {
            return None;
        }
        let name = pointer.strip_prefix("/components/schemas/")?;
        if name.contains('/') {
            return None;
        }
        let name = protocol::url_decode::percent_decode_lenient(name)
            .replace("~1", "/")
            .replace("~0", "~");
        self.schemas.iter().position(|schema| *schema.name == *name)
    }

    /// A hash of everything `key`'s page shows: the nodes it renders and every node their
    /// `$ref`s reach (transitively, a superset of what a bounded-depth table expands), the
    /// URLs of the pages it links to, and the page's own URL. Equal fingerprints mean an
    /// identical page, so a build can skip pages a spec change did not touch.
    pub fn page_fingerprint(&self, key: &PageKey) -> u64 {
        let mut hasher = Xxh3::new();
        hasher.update(key.url.as_bytes());
        hasher.update(&[0]);
        hasher.update(key.title.as_bytes());
        let mut reached = Reached::default();
        match key.kind {
            PageKind::Overview => {
                // The overview lists tags and schemas by name and shows info, servers and
                // security schemes.
                let root = self.root();
                for field in ["info", "servers", "externalDocs", "security", "tags"] {
                    if let Some(node) = root.get(field) {
                        node.hash_into(&mut hasher);
                    }
                }
                if let Some(schemes) = root.pointer("/components/securitySchemes") {
                    schemes.hash_into(&mut hasher);
                }
                for tag in &self.tags {
                    hasher.update(tag.name.as_bytes());
                    hasher.update(tag.slug.as_bytes());
                }
                for schema in &self.schemas {
                    hasher.update(schema.name.as_bytes());
                    hasher.update(schema.slug.as_bytes());
                }
            }
            PageKind::Tag(index) => {
                if let Some(tag) = self.tags.get(index) {
                    for node in self.root().get("tags").map(Node::items).unwrap_or_default() {
                        if node.str("name") == Some(&tag.name) {
                            node.hash_into(&mut hasher);
                        }
                    }
                    // Its table shows each operation's method, path, title and whether
                    // it is deprecated; not its description.
                    for &operation in &tag.operations {
                        hasher.update(self.operation_url(operation).as_bytes());
                        hasher.update(self.operation_title(operation).as_bytes());
                        hasher.update(self.operations[operation].method.as_bytes());
                        hasher.update(self.operations[operation].path.as_bytes());
                        let deprecated = self
                            .operation_node(operation)
                            .is_some_and(|(node, _)| node.flag("deprecated"));
                        hasher.update(&[u8::from(deprecated)]);
                    }
                }
            }
            PageKind::Operation(index) => {
                if let Some((node, item)) = self.operation_node(index) {
                    let file = self.operations[index].item_file;
                    self.hash_reaching(file, node, &mut hasher, &mut reached);
                    for field in ["parameters", "servers", "summary", "description"] {
                        if let Some(shared) = item.get(field) {
                            self.hash_reaching(file, shared, &mut hasher, &mut reached);
                        }
                    }
                    for &tag in &self.operations[index].tags {
                        hasher.update(self.tag_url(tag).as_bytes());
                    }
                    let root = self.root();
                    for field in ["security", "servers"] {
                        if let Some(node) = root.get(field) {
                            node.hash_into(&mut hasher);
                        }
                    }
                    if let Some(schemes) = root.pointer("/components/securitySchemes") {
                        schemes.hash_into(&mut hasher);
                    }
                }
            }
            PageKind::Schema(index) => {
                let node = self.schemas.get(index).and_then(|schema| {
                    let pointer = format!("/components/schemas/{}", escape_pointer(&schema.name));
                    self.root().pointer(&pointer)
                });
                if let Some(node) = node {
                    self.hash_reaching(0, node, &mut hasher, &mut reached);
                }
            }
        }
        hasher.digest()
    }

    /// Hashes `node` and, once each, every node its `$ref`s reach, with the URLs of the
    /// named schemas among them.
    fn hash_reaching(&self, file: usize, node: &Node, hasher: &mut Xxh3, reached: &mut Reached) {
        node.hash_into(hasher);
        let mut pending: Vec<(usize, String)> = Vec::new();
        collect_ref_targets(self, file, node, &mut pending);
        while let Some((file, pointer)) = pending.pop() {
            if !reached.seen.insert((file, pointer.clone())) {
                continue;
            }
            hasher.update(&(file as u64).to_le_bytes());
            hasher.update(pointer.as_bytes());
            if let Some(schema) = self.named_schema(file, &pointer) {
                hasher.update(self.schema_url(schema).as_bytes());
            }
            if let Some(target) = self
                .files
                .files
                .get(file)
                .and_then(|f| f.root.pointer(&pointer))
            {
                target.hash_into(hasher);
                collect_ref_targets(self, file, target, &mut pending);
            }
        }
    }
}

#[derive(Default)]
struct Reached {
    seen: HashSet<(usize, String)>,
}

fn collect_ref_targets(spec: &Spec, file: usize, node: &Node, out: &mut Vec<(usize, String)>) {
    match node {
        Node::Object(entries) => {
            for (key, value) in entries.iter() {
                match (&**key, value) {
                    ("$ref", Node::String(reference)) => {
                        if let Some(target) = spec.files.target(file, reference) {
                            out.push((target.file, target.pointer));
                        }
                    }
                    _ => collect_ref_targets(spec, file, value, out),
                }
            }
        }
        Node::Array(items) => {
            for item in items.iter() {
                collect_ref_targets(spec, file, item, out);
            }
        }
        _ => {}
    }
}

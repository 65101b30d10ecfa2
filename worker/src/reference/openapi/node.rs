//! A compact, order-keeping JSON/YAML tree: what an OpenAPI file is read into.
//!
//! `serde_json::Value` would sort object keys (the workspace does not enable
//! `preserve_order`, and must not, for the sake of other outputs) and costs more per node;
//! a description is shown in its author's order (properties, paths, responses), and
//! GitHub's 13 MB description must stay small in memory. So objects are boxed slices of
//! (key, node) in source order, strings are `Box<str>`, and numbers keep their text. Both
//! `serde_json` and `serde_yaml_ng` deserialize into it; YAML keys that are numbers or
//! booleans (`200:` in `responses`) become their text. Both parsers bound nesting depth
//! (128), so recursion over a `Node` is bounded too.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// One value of a JSON or YAML document.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`.
    Null,
    /// `true`/`false`.
    Bool(bool),
    /// A number, as text (`200`, `1.5`).
    Number(Box<str>),
    /// A string.
    String(Box<str>),
    /// An array.
    Array(Box<[Node]>),
    /// An object, keys in source order.
    Object(Box<[(Box<str>, Node)]>),
}

impl Node {
    /// The value under `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(entries) => entries
                .iter()
                .find(|(name, _)| &**name == key)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// The string under `key`.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(text) => Some(text),
            _ => None,
        }
    }

    /// The boolean under `key` (`false` when absent or not a boolean).
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some(Node::Bool(true)))
    }

    /// The entries of an object (empty for anything else).
    pub fn entries(&self) -> &[(Box<str>, Node)] {
        match self {
            Node::Object(entries) => entries,
            _ => &[],
        }
    }

    /// The items of an array (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match self {
            Node::Array(items) => items,
            _ => &[],
        }
    }

    /// Follows a JSON pointer (`/components/schemas/Pet`, `~1` and `~0` unescaped, `%xx`
    /// decoded).
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut node = self;
        for raw in pointer.strip_prefix('/')?.split('/') {
            let decoded = protocol::url_decode::percent_decode_lenient(raw);
            let token = decoded.replace("~1", "/").replace("~0", "~");
            node = match node {
                Node::Object(_) => node.get(&token)?,
                Node::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Writes the value as indented JSON, cut after about `max_bytes` (with `…`).
    pub fn to_json(&self, max_bytes: usize) -> String {
        let mut out = String::new();
        self.write_json(&mut out, 0, max_bytes);
        if out.len() > max_bytes {
            let mut cut = max_bytes;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push('…');
        }
        out
    }

    fn write_json(&self, out: &mut String, indent: usize, max_bytes: usize) {
        if out.len() > max_bytes {
            return;
        }
        match self {
            Node::Null => out.push_str("null"),
            Node::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Node::Number(text) => out.push_str(text),
            Node::String(text) => write_json_string(out, text),
            Node::Array(items) if items.is_empty() => out.push_str("[]"),
            Node::Object(entries) if entries.is_empty() => out.push_str("{}"),
            Node::Array(items) => {
                out.push_str("[\n");
                for (index, item) in items.iter().enumerate() {
                    push_indent(out, indent + 1);
                    item.write_json(out, indent + 1, max_bytes);
                    out.push_str(if index + 1 < items.len() { ",\n" } else { "\n" });
                    if out.len() > max_bytes {
                        return;
                    }
                }
                push_indent(out, indent);
                out.push(']');
            }
            Node::Object(entries) => {
                out.push_str("{\n");
                for (index, (key, value)) in entries.iter().enumerate() {
                    push_indent(out, indent + 1);
                    write_json_string(out, key);
                    out.push_str(": ");
                    value.write_json(out, indent + 1, max_bytes);
                    out.push_str(if index + 1 < entries.len() {
                        ",\n"
                    } else {
                        "\n"
                    });
                    if out.len() > max_bytes {
                        return;
                    }
                }
                push_indent(out, indent);
                out.push('}');
            }
        }
    }

    /// Feeds the value to a hasher, structure included.
    pub fn hash_into(&self, hasher: &mut xxhash_rust::xxh3::Xxh3) {
        match self {
            Node::Null => hasher.update(b"n"),
            Node::Bool(value) => hasher.update(if *value { b"t" } else { b"f" }),
            Node::Number(text) => {
                hasher.update(b"#");
                hasher.update(text.as_bytes());
            }
            Node::String(text) => {
                hasher.update(b"s");
                hasher.update(&(text.len() as u64).to_le_bytes());
                hasher.update(text.as_bytes());
            }
            Node::Array(items) => {
                hasher.update(b"[");
                for item in items {
                    item.hash_into(hasher);
                }
                hasher.update(b"]");
            }
            Node::Object(entries) => {
                hasher.update(b"{");
                for (key, value) in entries {
                    hasher.update(&(key.len() as u64).to_le_bytes());
                    hasher.update(key.as_bytes());
                    value.hash_into(hasher);
                }
                hasher.update(b"}");
            }
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push_str("  ");
    }
}

fn write_json_string(out: &mut String, text: &str) {
    match serde_json::to_string(text) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON or YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Number(value.to_string().into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Node, E> {
        Ok(Node::Number(value.to_string().into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Node, E> {
        Ok(Node::Number(value.to_string().into()))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Node, E> {
        Ok(Node::String(value.into()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Node, E> {
        Ok(Node::String(value.into_boxed_str()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::Array(items.into_boxed_slice()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<(Box<str>, Node)> =
            Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(key) = map.next_key::<Key>()? {
            let value = map.next_value::<Node>()?;
            // A repeated key: the first one counts (YAML forbids it; JSON leaves it open).
            if !entries.iter().any(|(existing, _)| *existing == key.0) {
                entries.push((key.0, value));
            }
        }
        Ok(Node::Object(entries.into_boxed_slice()))
    }
}

/// An object key: a string, or a YAML number or boolean as its text.
struct Key(Box<str>);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string, number or boolean key")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Key, E> {
        Ok(Key(value.into()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Key, E> {
        Ok(Key(value.to_string().into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Key, E> {
        Ok(Key(value.to_string().into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Key, E> {
        Ok(Key(value.to_string().into()))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Key, E> {
        Ok(Key(value.to_string().into()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
        Ok(Key("null".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_keep_key_order_and_read_number_keys() {
        let yaml: Node =
            serde_yaml_ng::from_str("b: 1\na:\n  200: ok\n  default: x\n").expect("yaml");
        let keys: Vec<&str> = yaml.entries().iter().map(|(key, _)| &**key).collect();
        assert_eq!(keys, ["b", "a"]);
        assert_eq!(yaml.pointer("/a/200").and_then(Node::as_str), Some("ok"));
        let json: Node =
            serde_json::from_str(r#"{"z": [1, 2.5, null], "a~b": {"c/d": true}}"#).expect("json");
        assert_eq!(json.pointer("/a~0b/c~1d"), Some(&Node::Bool(true)));
        assert_eq!(json.pointer("/z/1"), Some(&Node::Number("2.5".into())));
        assert_eq!(
            json.to_json(1000),
            "{\n  \"z\": [\n    1,\n    2.5,\n    null\n  ],\n  \"a~b\": {\n    \"c/d\": true\n  }\n}"
        );
        assert_eq!(json.to_json(8), "{\n  \"z\":…");
    }
}

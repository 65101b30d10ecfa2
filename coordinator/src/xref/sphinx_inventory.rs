//! The Sphinx inventory format, version 2 (`objects.inv`): four header lines, then a
//! zlib-compressed body of one line per object, `name domain:role priority uri dispname`,
//! where a `uri` ending in `$` stands for the uri with the name in its place and a
//! `dispname` of `-` for the name itself.
//!
//! Written for the site (`merge::objects_inv`), read from other projects (`[[autodoc.inventories]]`).

use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use std::io::{Read, Write};

/// The first header line.
const MAGIC_V2: &str = "# Sphinx inventory version 2";

/// The most a decompressed body may be (a hostile file must not exhaust memory).
const MAX_BODY_BYTES: u64 = 256 * 1024 * 1024;

/// One line of an inventory, with `$` and `-` expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryEntry {
    /// Object name (`click.core.Command`).
    pub name: String,
    /// `domain:role` (`py:class`).
    pub role: String,
    /// Search priority (1 for objects, 0 for modules, -1 hidden).
    pub priority: i32,
    /// URI relative to the inventory's folder (`api/click/core/#click.core.Command`).
    pub uri: String,
    /// Display name.
    pub display_name: String,
}

/// The bytes of an inventory of `entries` (written in the order given, so callers sort).
pub fn encode(project: &str, version: &str, entries: &[InventoryEntry]) -> Vec<u8> {
    let mut writer = InventoryWriter::new(project, version);
    for entry in entries {
        writer.push(
            &entry.name,
            &entry.role,
            entry.priority,
            &entry.uri,
            &entry.display_name,
        );
    }
    writer.finish()
}

/// An inventory written one line at a time, compressed [`InventoryWriter::BATCH`] bytes at
/// a time: the body is never held whole (at 100,000 modules it is tens of MB) and no line
/// is allocated.
pub struct InventoryWriter {
    encoder: ZlibEncoder<Vec<u8>>,
    /// Lines not yet compressed.
    pending: String,
}

impl InventoryWriter {
    /// The header of a version 2 inventory of `project` at `version`.
    pub fn new(project: &str, version: &str) -> InventoryWriter {
        let one_line = |text: &str| text.replace(['\n', '\r'], " ");
        let header = format!(
            "{MAGIC_V2}\n# Project: {}\n# Version: {}\n# The remainder of this file is compressed using zlib.\n",
            one_line(project),
            one_line(version)
        );
        InventoryWriter {
            encoder: ZlibEncoder::new(header.into_bytes(), Compression::default()),
            pending: String::with_capacity(InventoryWriter::BATCH + 1024),
        }
    }

    /// How many bytes of lines are handed to the compressor at once.
    const BATCH: usize = 64 * 1024;

    /// Appends one entry. A URI ending in `#` and the name is written with `$` for the
    /// name, a display name equal to the name as `-`, as Sphinx writes them.
    pub fn push(&mut self, name: &str, role: &str, priority: i32, uri: &str, display_name: &str) {
        use std::fmt::Write as _;
        let line = &mut self.pending;
        // Writing into a String cannot fail.
        let _ = write!(line, "{name} {role} {priority} ");
        match uri.strip_suffix(name) {
            Some(prefix) if prefix.ends_with('#') => {
                line.push_str(prefix);
                line.push('$');
            }
            _ => line.push_str(uri),
        }
        line.push(' ');
        line.push_str(if display_name == name {
            "-"
        } else {
            display_name
        });
        line.push('\n');
        if line.len() >= InventoryWriter::BATCH {
            self.compress_pending();
        }
    }

    fn compress_pending(&mut self) {
        // Compressing into a Vec cannot fail.
        let _ = self.encoder.write_all(self.pending.as_bytes());
        self.pending.clear();
    }

    /// The file's bytes: the header, then the compressed body.
    pub fn finish(mut self) -> Vec<u8> {
        self.compress_pending();
        self.encoder.finish().unwrap_or_default()
    }
}

/// Why an inventory cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InventoryError {
    /// Not a version 2 Sphinx inventory.
    #[error("not a Sphinx inventory version 2 (first line: `{0}`)")]
    NotAnInventory(String),
    /// The compressed body is damaged.
    #[error("the compressed part is damaged: {0}")]
    Damaged(String),
}

/// The entries of an inventory file. Lines that do not parse are skipped, as Sphinx does.
pub fn decode(bytes: &[u8]) -> Result<Vec<InventoryEntry>, InventoryError> {
    let mut rest = bytes;
    let mut header = Vec::new();
    for _ in 0..4 {
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        header.push(String::from_utf8_lossy(&rest[..end]).into_owned());
        rest = rest.get(end + 1..).unwrap_or(&[]);
    }
    if header[0].trim_end() != MAGIC_V2 {
        let first: String = header[0].chars().take(60).collect();
        return Err(InventoryError::NotAnInventory(first));
    }
    let mut body = Vec::new();
    ZlibDecoder::new(rest)
        .take(MAX_BODY_BYTES)
        .read_to_end(&mut body)
        .map_err(|e| InventoryError::Damaged(e.to_string()))?;
    let body = String::from_utf8_lossy(&body);
    Ok(body.lines().filter_map(parse_line).collect())
}

/// `name domain:role priority uri dispname`; the name may hold spaces (labels), so the
/// role is the first later field with a `:` followed by an integer.
fn parse_line(line: &str) -> Option<InventoryEntry> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let role_at = (1..fields.len().saturating_sub(2))
        .find(|&i| fields[i].contains(':') && fields[i + 1].parse::<i32>().is_ok())?;
    let name = fields[..role_at].join(" ");
    let priority = fields[role_at + 1].parse().ok()?;
    let uri = fields[role_at + 2];
    let uri = match uri.strip_suffix('$') {
        Some(prefix) => format!("{prefix}{name}"),
        None => uri.to_string(),
    };
    let display = fields[role_at + 3..].join(" ");
    let display_name = if display.is_empty() || display == "-" {
        name.clone()
    } else {
        display
    };
    Some(InventoryEntry {
        name,
        role: fields[role_at].to_string(),
        priority,
        uri,
        display_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, role: &str, uri: &str, display: &str) -> InventoryEntry {
        InventoryEntry {
            name: name.into(),
            role: role.into(),
            priority: 1,
            uri: uri.into(),
            display_name: display.into(),
        }
    }

    #[test]
    fn an_inventory_reads_back_as_written() {
        let entries = vec![
            entry("click.core", "py:module", "api/click/core/", "click.core"),
            entry(
                "click.core.Command",
                "py:class",
                "api/click/core/#click.core.Command",
                "click.core.Command",
            ),
            entry(
                "getting started",
                "std:label",
                "guide/#start",
                "Getting Started",
            ),
        ];
        let bytes = encode("Click", "8.1", &entries);
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with(
            "# Sphinx inventory version 2\n# Project: Click\n# Version: 8.1\n# The remainder of this file is compressed using zlib.\n"
        ));
        let mut body = String::new();
        let header_len = text.match_indices('\n').nth(3).unwrap().0 + 1;
        ZlibDecoder::new(&bytes[header_len..])
            .read_to_string(&mut body)
            .unwrap();
        assert_eq!(
            body,
            "click.core py:module 1 api/click/core/ -\n\
             click.core.Command py:class 1 api/click/core/#$ -\n\
             getting started std:label 1 guide/#start Getting Started\n"
        );
        assert_eq!(decode(&bytes).unwrap(), entries);
        assert_eq!(encode("Click", "8.1", &entries), bytes, "deterministic");
    }

    #[test]
    fn damaged_and_foreign_files_are_errors_not_panics() {
        assert!(matches!(
            decode(b"<html>not found</html>"),
            Err(InventoryError::NotAnInventory(_))
        ));
        let damaged =
            b"# Sphinx inventory version 2\n# Project: P\n# Version: 1\n# zlib\nnot zlib at all";
        assert!(matches!(decode(damaged), Err(InventoryError::Damaged(_))));
        let junk_line = encode("P", "", &[]);
        assert_eq!(decode(&junk_line).unwrap(), Vec::new());
        assert_eq!(parse_line("too short"), None);
        assert_eq!(parse_line("a py:data notanumber x -"), None);
    }
}

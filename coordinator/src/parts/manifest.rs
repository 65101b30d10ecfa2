//! A part's manifest, `ssg-part.bin` at the top of a part folder (and the first entry of a
//! part archive): which part it is, what it was planned from, and every rendered page's
//! result as the merge consumes it.
//!
//! A page's result is the worker's `RenderedPage`, exactly what a one-machine build hands
//! its merge (and keeps in `.ssg-cache/`): output files with their hashes, title, summary,
//! headings, anchors and outgoing links (the link check), the body's search terms (the
//! search index), warnings. The sitemap, the feed, tag pages and `llm-full.txt` need
//! nothing more: their other inputs come from the plan, which the merge makes again from
//! the site, and `llm-full.txt` is read from the pages' `index.txt` files. So the merge
//! runs the one merge of `merge/`, and its output is the one-machine build's. The part's
//! search index parts ([`search_group`]) are computed here, where the pages were rendered,
//! so the merge only merges and scores them.
//!
//! The file: the magic `SSGPART\0`, the format version (u32, little-endian), an xxh3-128
//! checksum of the body (16 bytes, little-endian), then the body: [`PartManifest`] in
//! postcard. A file of another version, truncated or altered is refused with the reason.

use super::assign::PartOf;
use super::stamp::PlanStamp;
use crate::cache::CarriedDiscovery;
use crate::merge::search::PrecomputedParts;
use protocol::{ApiInventory, PageError, PageId, RenderedPage, ShardId};
use serde::{Deserialize, Serialize};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

/// The manifest's name in a part folder.
pub const MANIFEST_FILE: &str = "ssg-part.bin";
/// The folder of a part holding its pages' output files, as they go into the site.
pub const OUTPUTS_DIR: &str = "outputs";
/// Version of the manifest's shape; bump it when a type in it changes.
pub const PART_FORMAT: u32 = 4;

const MAGIC: &[u8; 8] = b"SSGPART\0";
const HEADER_LEN: usize = MAGIC.len() + 4 + 16;

/// One part of a distributed build. See the module docs.
#[derive(Debug, Serialize, Deserialize)]
pub struct PartManifest {
    /// Which part (K of N).
    pub part: PartOf,
    /// The version of ssg-coord that built it.
    pub ssg_version: String,
    /// What the whole site's plan was made from.
    pub stamp: PlanStamp,
    /// Hash of the API inventory the pages were rendered with (`stamp::inventory_hash`).
    pub api_hash: u128,
    /// The inventory itself, for the merge's `objects.inv`: in part 1 only.
    pub api: Option<std::sync::Arc<ApiInventory>>,
    /// What discovery learned of the site's pages (front matter, first heading, hash): in
    /// part 1 only. The merge reads every page again and parses only those whose bytes
    /// differ from what part 1 parsed.
    pub discovery: Option<CarriedDiscovery>,
    /// The part's rendered pages, by plan index.
    pub pages: Vec<PartPage>,
    /// The part's pages that failed to render.
    pub failed: Vec<FailedPage>,
    /// The search index parts of the part's pages, one per plan shard they are in, named
    /// by [`search_group`]: the merge merges and scores them instead of computing them.
    pub search: PrecomputedParts,
}

/// The name of the search index group of part `part`'s pages of plan shard `shard`: the
/// part build computes each group's search part, the merge groups its pages alike and
/// takes them.
pub fn search_group(part: u32, shard: &ShardId) -> ShardId {
    ShardId(format!("{part}/{}", shard.0))
}

/// A rendered page of the part.
#[derive(Debug, Serialize, Deserialize)]
pub struct PartPage {
    /// Index in the plan (the same on every machine: the plan is deterministic).
    pub index: u32,
    /// The page's id (checked against the merge's plan).
    pub id: PageId,
    /// What the worker reported.
    pub rendered: RenderedPage,
}

/// A page of the part that failed.
#[derive(Debug, Serialize, Deserialize)]
pub struct FailedPage {
    /// Index in the plan.
    pub index: u32,
    /// Why.
    pub error: PageError,
}

impl PartManifest {
    /// The file's bytes, in memory (the tests'; a part build writes them with
    /// [`PartManifest::write_to_folder`]).
    #[cfg(test)]
    fn encode(&self) -> Vec<u8> {
        let mut bytes = io::Cursor::new(Vec::new());
        // Writing plain data into a Vec cannot fail.
        let _ = self.write_into(&mut bytes);
        bytes.into_inner()
    }

    /// Writes the file's bytes into `out` (at its start) without holding them: the body
    /// goes out as it is encoded and is hashed on the way, and the checksum is written
    /// into the header last. At 100k pages a manifest is ~100 MB, which encoding into a
    /// buffer first held two or three times over.
    fn write_into<W: Write + Seek>(&self, out: &mut W) -> io::Result<()> {
        out.write_all(MAGIC)?;
        out.write_all(&PART_FORMAT.to_le_bytes())?;
        out.write_all(&[0; 16])?;
        let mut body = BufWriter::with_capacity(
            1 << 16,
            HashingWriter {
                inner: &mut *out,
                hasher: xxhash_rust::xxh3::Xxh3::new(),
            },
        );
        postcard::to_io(self, &mut body).map_err(|e| io::Error::other(e.to_string()))?;
        let checksum = body
            .into_inner()
            .map_err(|e| e.into_error())?
            .hasher
            .digest128();
        out.seek(SeekFrom::Start((MAGIC.len() + 4) as u64))?;
        out.write_all(&checksum.to_le_bytes())?;
        out.seek(SeekFrom::End(0))?;
        Ok(())
    }

    /// Reads a manifest from its bytes; the error says what is wrong and what to do.
    pub fn decode(bytes: &[u8]) -> Result<PartManifest, String> {
        if bytes.len() < HEADER_LEN || &bytes[..MAGIC.len()] != MAGIC {
            return Err("not an ssg-coord part manifest".to_string());
        }
        let mut version = [0u8; 4];
        version.copy_from_slice(&bytes[8..12]);
        let version = u32::from_le_bytes(version);
        if version != PART_FORMAT {
            return Err(format!(
                "written by another ssg-coord (part format {version}, this one reads \
                 {PART_FORMAT}): build the parts and the merge with the same ssg-coord"
            ));
        }
        let mut checksum = [0u8; 16];
        checksum.copy_from_slice(&bytes[12..28]);
        let body = &bytes[HEADER_LEN..];
        if xxhash_rust::xxh3::xxh3_128(body) != u128::from_le_bytes(checksum) {
            return Err("corrupt (checksum mismatch): copy or build the part again".to_string());
        }
        postcard::from_bytes(body).map_err(|e| format!("corrupt ({e}): build the part again"))
    }

    /// Reads `MANIFEST_FILE` in the part folder `dir`.
    pub fn read_from_folder(dir: &Path) -> Result<PartManifest, String> {
        let path = dir.join(MANIFEST_FILE);
        let bytes = std::fs::read(&path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                format!(
                    "{}: not a part: it has no {MANIFEST_FILE} (made by `ssg-coord build SITE \
                     --shard K/N --emit DIR`)",
                    dir.display()
                )
            } else {
                format!("{}: cannot read: {e}", path.display())
            }
        })?;
        PartManifest::decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Writes the manifest into the part folder `dir`, atomically.
    pub fn write_to_folder(&self, dir: &Path) -> io::Result<()> {
        let path = dir.join(MANIFEST_FILE);
        let temp = dir.join(format!(".{MANIFEST_FILE}.tmp"));
        let mut file = std::fs::File::create(&temp)?;
        self.write_into(&mut file)?;
        drop(file);
        std::fs::rename(&temp, &path)
    }

    /// Every output file of the part's pages (relative to the site's output folder).
    pub fn output_paths(&self) -> impl Iterator<Item = &str> {
        self.pages
            .iter()
            .flat_map(|page| page.rendered.outputs.iter().map(|o| o.path.as_str()))
    }
}

/// A writer that hashes what goes through it.
struct HashingWriter<W> {
    inner: W,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::parts::stamp::PlanSettings;

    /// A small manifest of part 2 of 3: one page, no outputs.
    pub(in crate::parts) fn manifest() -> PartManifest {
        PartManifest {
            part: PartOf { number: 2, of: 3 },
            ssg_version: "0.1.0".into(),
            stamp: PlanStamp {
                binary: 5,
                settings: PlanSettings {
                    drafts: false,
                    one_shard: false,
                    by_kind: true,
                    by_version: false,
                    by_section: false,
                },
                config: 6,
                pages: vec![(PageId("content/a.md".into()), 7)],
                unplanned: Vec::new(),
            },
            api_hash: 8,
            api: None,
            discovery: None,
            pages: vec![PartPage {
                index: 0,
                id: PageId("content/a.md".into()),
                rendered: RenderedPage {
                    title: "A".into(),
                    ..RenderedPage::default()
                },
            }],
            failed: Vec::new(),
            search: PrecomputedParts::default(),
        }
    }

    #[test]
    fn a_manifest_reads_back_and_a_damaged_one_is_refused() {
        let bytes = manifest().encode();
        let back = PartManifest::decode(&bytes).expect("reads back");
        assert_eq!(back.part, PartOf { number: 2, of: 3 });
        assert_eq!(back.stamp, manifest().stamp);
        assert_eq!(back.pages[0].rendered.title, "A");

        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(
            PartManifest::decode(&flipped)
                .expect_err("flipped")
                .contains("checksum")
        );
        assert!(PartManifest::decode(&bytes[..10]).is_err());
        let mut other_version = bytes.clone();
        other_version[8] = 99;
        assert!(
            PartManifest::decode(&other_version)
                .expect_err("version")
                .contains("part format 99")
        );
        assert!(PartManifest::decode(b"hello").is_err());
    }

    #[test]
    fn a_manifest_larger_than_the_write_buffer_is_written_to_a_folder_and_reads_back() {
        let mut large = manifest();
        let page = large.pages.remove(0);
        for index in 0..4_000 {
            let mut rendered = page.rendered.clone();
            rendered.title = format!("Page {index} with a title long enough to fill buffers");
            large.pages.push(PartPage {
                index,
                id: page.id.clone(),
                rendered,
            });
        }
        let dir = tempfile::tempdir().expect("temp dir");
        large.write_to_folder(dir.path()).expect("written");
        let written = std::fs::read(dir.path().join(MANIFEST_FILE)).expect("read");
        assert!(written.len() > 4 << 16, "{} bytes", written.len());
        assert_eq!(written, large.encode());
        let back = PartManifest::read_from_folder(dir.path()).expect("reads back");
        assert_eq!(back.pages.len(), 4_000);
        assert_eq!(
            back.pages[3_999].rendered.title,
            large.pages[3_999].rendered.title
        );
    }
}

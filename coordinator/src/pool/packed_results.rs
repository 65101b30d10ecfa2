//! Page results kept packed while the workers run: encoded (postcard) and compressed
//! (zstd) in blocks as they come in, unpacked once the render is over.
//!
//! A part build asks for it (`RenderRequest::pack_results`). Its coordinator holds the
//! whole site's plan, and its memory peaks at the end of the render, when every result of
//! the part is in and the workers still hold their render contexts. A rendered page is a
//! few KiB of small strings in memory (headings, anchors, links, search terms) and about a
//! tenth of that packed. Unpacked once the workers are gone, the results cost what they
//! cost before, but no longer on top of the workers.

use protocol::PageResult;
use std::io;

/// Encoded results are compressed once a block holds this many bytes.
const BLOCK_BYTES: usize = 256 << 10;
/// zstd's fastest level: the blocks live seconds, speed matters more than size.
const LEVEL: i32 = 1;

/// Results (plan index, result), packed. See the module docs.
#[derive(Debug, Default)]
pub struct PackedResults {
    /// Full blocks.
    blocks: Vec<Block>,
    /// The block being filled, not compressed yet.
    open: Vec<u8>,
    /// Number of results.
    len: usize,
}

/// A full block of encoded results.
#[derive(Debug)]
enum Block {
    /// Compressed, with the length of the encoded bytes.
    Compressed(usize, Vec<u8>),
    /// Kept as encoded: zstd could not compress it (it fails only when out of memory).
    Encoded(Vec<u8>),
}

impl PackedResults {
    /// Adds one result. An `Err` says it could not be encoded, and nothing was added: the
    /// caller keeps it otherwise.
    pub fn push(&mut self, index: usize, result: &PageResult) -> io::Result<()> {
        let index = u32::try_from(index).map_err(io::Error::other)?;
        let before = self.open.len();
        if let Err(e) = postcard::to_io(&(index, result), &mut self.open) {
            // What was written of it would break the block.
            self.open.truncate(before);
            return Err(io::Error::other(e));
        }
        self.len += 1;
        if self.open.len() >= BLOCK_BYTES {
            self.close_block();
        }
        Ok(())
    }

    /// Number of results held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no result is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds `other`'s results to these.
    pub fn append(&mut self, mut other: PackedResults) {
        self.blocks.append(&mut other.blocks);
        // Encoded results follow each other with nothing between them.
        self.open.append(&mut other.open);
        self.len += other.len;
    }

    /// Hands every result to `visit`, unpacking one block at a time, in no set order.
    pub fn for_each(&self, mut visit: impl FnMut(usize, PageResult)) -> io::Result<()> {
        for block in &self.blocks {
            match block {
                Block::Compressed(encoded_len, compressed) => {
                    decode_block(
                        &zstd::bulk::decompress(compressed, *encoded_len)?,
                        &mut visit,
                    )?;
                }
                Block::Encoded(encoded) => decode_block(encoded, &mut visit)?,
            }
        }
        decode_block(&self.open, &mut visit)
    }

    /// Every result, unpacked, in no set order.
    pub fn unpack(self) -> io::Result<Vec<(usize, PageResult)>> {
        let mut results = Vec::with_capacity(self.len);
        self.for_each(|index, result| results.push((index, result)))?;
        Ok(results)
    }

    fn close_block(&mut self) {
        let block = match zstd::bulk::compress(&self.open, LEVEL) {
            Ok(compressed) => {
                let block = Block::Compressed(self.open.len(), compressed);
                self.open.clear();
                block
            }
            Err(e) => {
                tracing::warn!("rendered pages kept uncompressed: {e}");
                Block::Encoded(std::mem::take(&mut self.open))
            }
        };
        self.blocks.push(block);
    }
}

fn decode_block(mut block: &[u8], visit: &mut impl FnMut(usize, PageResult)) -> io::Result<()> {
    while !block.is_empty() {
        let ((index, result), rest): ((u32, PageResult), &[u8]) =
            postcard::take_from_bytes(block).map_err(io::Error::other)?;
        visit(index as usize, result);
        block = rest;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{Heading, PageError, PageErrorKind, PageId, RenderedPage};

    fn rendered(index: usize) -> PageResult {
        PageResult {
            id: PageId(format!("content/page-{index}.md")),
            elapsed_micros: index as u64,
            outcome: Ok(RenderedPage {
                title: format!("Page {index}"),
                headings: (0..8)
                    .map(|h| Heading {
                        level: 2,
                        text: format!("Heading {h} of page {index}"),
                        id: format!("heading-{h}"),
                    })
                    .collect(),
                anchors: (0..8).map(|h| format!("heading-{h}")).collect(),
                summary: "A summary long enough to be worth compressing. ".repeat(4),
                word_count: 300,
                ..RenderedPage::default()
            }),
        }
    }

    fn failed(index: usize) -> PageResult {
        PageResult {
            id: PageId(format!("content/broken-{index}.md")),
            elapsed_micros: 0,
            outcome: Err(PageError {
                file: Some(format!("content/broken-{index}.md")),
                line: Some(3),
                kind: PageErrorKind::Template,
                message: "unknown filter".into(),
                hint: None,
            }),
        }
    }

    #[test]
    fn results_unpack_as_they_were_pushed_across_blocks_and_appends_compressed() {
        let results: Vec<(usize, PageResult)> = (0..3_000)
            .map(|i| {
                (
                    i * 7 % 3_001,
                    if i % 97 == 0 { failed(i) } else { rendered(i) },
                )
            })
            .collect();
        let (first, second) = results.split_at(2_000);
        let mut packed = PackedResults::default();
        for (index, result) in first {
            packed.push(*index, result).expect("packed");
        }
        let mut more = PackedResults::default();
        for (index, result) in second {
            more.push(*index, result).expect("packed");
        }
        packed.append(more);
        assert!(packed.blocks.len() > 2, "{} blocks", packed.blocks.len());
        assert_eq!(packed.len(), 3_000);
        let (mut held, mut encoded) = (0, 0);
        for block in &packed.blocks {
            let Block::Compressed(encoded_len, compressed) = block else {
                panic!("a block was not compressed");
            };
            held += compressed.len();
            encoded += encoded_len;
        }
        assert!(
            held * 4 < encoded,
            "{held} bytes held for {encoded} encoded"
        );
        let mut unpacked = packed.unpack().expect("unpacked");
        unpacked.sort_by_key(|(index, _)| *index);
        let mut results = results;
        results.sort_by_key(|(index, _)| *index);
        assert_eq!(unpacked, results);
    }

    #[test]
    fn nothing_packed_unpacks_to_nothing() {
        let mut packed = PackedResults::default();
        packed.append(PackedResults::default());
        assert!(packed.is_empty());
        assert!(packed.unpack().expect("unpacked").is_empty());
    }
}

//! Property tests (`fuzz_*`, bounded by `PROPTEST_CASES`; `scripts/fuzz` runs them long):
//! the cache reader takes any file without panicking: random bytes, and damaged files
//! whose checksum was made to match, so the damage reaches the decoder itself.

use super::format::{decode, encode};
use super::{CachedPage, FastPath, Manifest, ShardEntry, ShardFile};
use proptest::prelude::*;
use protocol::{OutputFile, PageId, RenderedPage, ShardId};

/// Where the body's checksum sits in a cache file (after the 8-byte magic and the
/// 4-byte version), and where the body starts.
const CHECKSUM: std::ops::Range<usize> = 12..28;

/// `encoded` with its body replaced by `body` and the checksum fixed to match.
fn with_body(encoded: &[u8], body: &[u8]) -> Vec<u8> {
    let mut bytes = encoded[..CHECKSUM.end].to_vec();
    bytes[CHECKSUM].copy_from_slice(&xxhash_rust::xxh3::xxh3_128(body).to_le_bytes());
    bytes.extend_from_slice(body);
    bytes
}

fn sample_manifest() -> Manifest {
    Manifest {
        generator: "ssg-coord test".into(),
        out_dir: "/out".into(),
        shards: vec![ShardEntry {
            shard: ShardId("hash-01".into()),
            file: "hash-01.bin".into(),
            checksum: 7,
        }],
        site_outputs: vec![OutputFile {
            path: "sitemap.xml".into(),
            hash: 1,
            len: 2,
            modified: 3,
        }],
        binary: None,
        fast_path: Some(FastPath {
            signature: 9,
            outputs: vec![("index.html".into(), 10, 11)],
            summary: Default::default(),
        }),
    }
}

fn sample_shard() -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Out {
        pages: Vec<(PageId, CachedPage)>,
    }
    encode(&Out {
        pages: vec![(
            PageId("content/a.md".into()),
            CachedPage {
                fingerprint: 5,
                result: RenderedPage {
                    title: "A".into(),
                    ..Default::default()
                },
            },
        )],
    })
}

proptest! {
    #[test]
    fn fuzz_cache_reader_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode::<Manifest>(&bytes);
        let _ = decode::<ShardFile>(&bytes);
    }

    #[test]
    fn fuzz_cache_reader_takes_any_body_behind_a_valid_header(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let header = encode(&());
        let _ = decode::<Manifest>(&with_body(&header, &body));
        let _ = decode::<ShardFile>(&with_body(&header, &body));
    }

    #[test]
    fn fuzz_cache_reader_takes_damaged_files(
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in any::<usize>(),
    ) {
        for encoded in [encode(&sample_manifest()), sample_shard()] {
            let mut body = encoded[CHECKSUM.end..].to_vec();
            for &(at, value) in &flips {
                let at = at % body.len();
                body[at] = value;
            }
            body.truncate(cut % (body.len() + 1));
            let damaged = with_body(&encoded, &body);
            let _ = decode::<Manifest>(&damaged);
            let _ = decode::<ShardFile>(&damaged);
        }
    }
}

#[test]
fn undamaged_samples_decode() {
    assert!(decode::<Manifest>(&encode(&sample_manifest())).is_ok());
    assert!(decode::<ShardFile>(&sample_shard()).is_ok());
}

//! Framing: a u32 little-endian length prefix followed by a postcard body.
//!
//! Frames larger than [`MAX_FRAME_BYTES`] are refused on both ends, so a corrupt length can
//! never make a reader allocate gigabytes.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::{self, Read, Write};

/// Largest frame either side will write or read: 512 MiB.
pub const MAX_FRAME_BYTES: u32 = 512 * 1024 * 1024;

/// Errors reading or writing frames.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The pipe failed.
    #[error("pipe i/o failed: {0}")]
    Io(#[from] io::Error),
    /// The stream ended inside a frame.
    #[error("stream ended inside a frame ({got} of {expected} bytes)")]
    Truncated {
        /// Bytes the frame announced.
        expected: u64,
        /// Bytes that arrived.
        got: u64,
    },
    /// The length prefix is over the limit.
    #[error("frame of {len} bytes exceeds the {max} byte limit")]
    TooLarge {
        /// Announced length.
        len: u64,
        /// The limit.
        max: u32,
    },
    /// The body is not a valid message.
    #[error("malformed frame: {0}")]
    Decode(postcard::Error),
    /// A value could not be encoded.
    #[error("cannot encode message: {0}")]
    Encode(postcard::Error),
    /// The peer speaks another protocol version.
    #[error(
        "worker speaks protocol version {theirs}, coordinator speaks {ours}: the worker binary is from another ssg-coord build"
    )]
    VersionMismatch {
        /// Our version.
        ours: u32,
        /// The peer's version.
        theirs: u32,
    },
}

/// Encodes `message` as one frame and writes it (without flushing). Returns the frame size.
pub fn write_frame<W: Write, T: Serialize>(
    writer: &mut W,
    message: &T,
) -> Result<usize, FrameError> {
    let body = postcard::to_stdvec(message).map_err(FrameError::Encode)?;
    if body.len() as u64 > u64::from(MAX_FRAME_BYTES) {
        return Err(FrameError::TooLarge {
            len: body.len() as u64,
            max: MAX_FRAME_BYTES,
        });
    }
    let len = body.len() as u32;
    writer.write_all(&len.to_le_bytes())?;
    writer.write_all(&body)?;
    Ok(body.len() + 4)
}

/// Reads one frame. `Ok(None)` means the stream ended cleanly between frames.
pub fn read_frame<R: Read, T: DeserializeOwned>(reader: &mut R) -> Result<Option<T>, FrameError> {
    match read_frame_body(reader)? {
        Some(body) => decode_frame(&body).map(Some),
        None => Ok(None),
    }
}

/// Reads one frame's body without decoding it (see [`decode_frame`]), so a reader can
/// free what the message replaces before decoding it. `Ok(None)` means the stream ended
/// cleanly between frames.
pub fn read_frame_body<R: Read>(reader: &mut R) -> Result<Option<Vec<u8>>, FrameError> {
    let mut prefix = [0u8; 4];
    let mut filled = 0;
    while filled < prefix.len() {
        match reader.read(&mut prefix[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => {
                return Err(FrameError::Truncated {
                    expected: 4,
                    got: filled as u64,
                });
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FrameError::Io(e)),
        }
    }
    let len = u32::from_le_bytes(prefix);
    if len > MAX_FRAME_BYTES {
        return Err(FrameError::TooLarge {
            len: u64::from(len),
            max: MAX_FRAME_BYTES,
        });
    }
    // The whole body at once: a buffer grown by doubling holds up to three times a large
    // frame (a worker's setup on a big site) while it grows. The pages are only touched as
    // the body arrives, so a short stream costs no more than what it sent.
    let mut body = Vec::with_capacity(len as usize);
    let got = reader.take(u64::from(len)).read_to_end(&mut body)?;
    if got < len as usize {
        return Err(FrameError::Truncated {
            expected: u64::from(len),
            got: got as u64,
        });
    }
    Ok(Some(body))
}

/// Decodes a frame body read by [`read_frame_body`].
pub fn decode_frame<T: DeserializeOwned>(body: &[u8]) -> Result<T, FrameError> {
    postcard::from_bytes(body).map_err(FrameError::Decode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BatchId, FromWorker, Handshake, PageId, PageResult, ShardResult, ToWorker};
    use proptest::prelude::*;

    fn roundtrip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
        let mut buf = Vec::new();
        write_frame(&mut buf, value).expect("encode");
        let mut cursor = &buf[..];
        let back: T = read_frame(&mut cursor).expect("decode").expect("one frame");
        assert_eq!(&back, value);
        assert!(cursor.is_empty(), "frame left trailing bytes");
    }

    #[test]
    fn handshake_and_shutdown_roundtrip() {
        roundtrip(&FromWorker::Hello(Handshake {
            protocol_version: 7,
            worker_pid: 42,
        }));
        roundtrip(&ToWorker::Shutdown);
    }

    #[test]
    fn clean_eof_is_none() {
        let mut empty: &[u8] = &[];
        let frame: Option<ToWorker> = read_frame(&mut empty).expect("eof");
        assert!(frame.is_none());
    }

    #[test]
    fn eof_inside_prefix_or_body_is_truncated() {
        let mut short_prefix: &[u8] = &[1, 0];
        assert!(matches!(
            read_frame::<_, ToWorker>(&mut short_prefix),
            Err(FrameError::Truncated {
                expected: 4,
                got: 2
            })
        ));
        let mut short_body: &[u8] = &[10, 0, 0, 0, 1, 2];
        assert!(matches!(
            read_frame::<_, ToWorker>(&mut short_body),
            Err(FrameError::Truncated {
                expected: 10,
                got: 2
            })
        ));
    }

    #[test]
    fn oversized_prefix_is_refused_without_allocating() {
        let mut huge: &[u8] = &[0xff, 0xff, 0xff, 0xff];
        assert!(matches!(
            read_frame::<_, ToWorker>(&mut huge),
            Err(FrameError::TooLarge { .. })
        ));
    }

    #[test]
    fn garbage_body_is_a_decode_error() {
        let mut garbage: &[u8] = &[3, 0, 0, 0, 0xee, 0xee, 0xee];
        assert!(matches!(
            read_frame::<_, ToWorker>(&mut garbage),
            Err(FrameError::Decode(_))
        ));
    }

    proptest! {
        #[test]
        fn shard_results_roundtrip(
            ids in proptest::collection::vec("[a-z/._]{0,40}", 0..20),
            batch in any::<u64>(),
            rss in any::<u64>(),
            micros in any::<u64>(),
        ) {
            let result = ShardResult {
                batch: BatchId(batch),
                pages: ids
                    .iter()
                    .map(|id| PageResult {
                        id: PageId(id.clone()),
                        elapsed_micros: micros,
                        outcome: Ok(Default::default()),
                    })
                    .collect(),
                worker_peak_rss: rss,
            };
            roundtrip(&FromWorker::BatchDone(result));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let mut cursor = &bytes[..];
            // Any outcome is fine except a panic or an unbounded allocation.
            let _ = read_frame::<_, ToWorker>(&mut cursor);
            let mut cursor = &bytes[..];
            let _ = read_frame::<_, FromWorker>(&mut cursor);
        }
    }
}

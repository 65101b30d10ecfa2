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
    let len = checked_body_len(body.len())?;
    writer.write_all(&len.to_le_bytes())?;
    writer.write_all(&body)?;
    Ok(body.len() + 4)
}

/// Reads one frame. `Ok(None)` means the stream ended cleanly between frames.
pub fn read_frame<R: Read, T: DeserializeOwned>(reader: &mut R) -> Result<Option<T>, FrameError> {
    match read_frame_len(reader)? {
        Some(len) => decode_frame(&read_body(reader, len)?).map(Some),
        None => Ok(None),
    }
}

/// Reads the next frame's length prefix, checked against [`MAX_FRAME_BYTES`]; the body
/// follows, read with [`read_body`] or decoded as it arrives with [`decode_streamed`].
/// `Ok(None)` means the stream ended cleanly between frames.
pub fn read_frame_len<R: Read>(reader: &mut R) -> Result<Option<u32>, FrameError> {
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
    Ok(Some(len))
}

/// Reads a frame body of `len` bytes (its prefix read by [`read_frame_len`]).
pub fn read_body<R: Read>(reader: &mut R, len: u32) -> Result<Vec<u8>, FrameError> {
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
    Ok(body)
}

/// Decodes a frame body of `len` bytes (its prefix read by [`read_frame_len`]) as it is
/// read, never holding the whole body: a worker's setup on a large site is tens of MiB,
/// which would otherwise be held beside what it decodes into. Bytes the message leaves
/// unread are skipped, as [`decode_frame`] ignores them.
pub fn decode_streamed<R: Read, T: DeserializeOwned>(
    reader: &mut R,
    len: u32,
) -> Result<T, FrameError> {
    let mut body = reader.take(u64::from(len));
    // postcard copies each string out of this buffer, always from its start, so it must
    // hold the longest one; a zeroed allocation this large is mapped lazily and only the
    // bytes of that longest string are ever touched.
    let mut scratch = vec![0u8; len as usize];
    let decoded = postcard::from_io::<T, _>((&mut body, &mut scratch)).map(|(message, _)| message);
    let message = match decoded {
        Ok(message) => message,
        Err(e) if body.limit() > 0 && e == postcard::Error::DeserializeUnexpectedEnd => {
            // The stream ended before the body did.
            return Err(FrameError::Truncated {
                expected: u64::from(len),
                got: u64::from(len) - body.limit(),
            });
        }
        Err(e) => return Err(FrameError::Decode(e)),
    };
    io::copy(&mut body, &mut io::sink())?;
    Ok(message)
}

/// Encodes `message` as one frame straight into `writer` (without flushing), never
/// holding the encoded message: its size is computed first, then it is written as it is
/// encoded. Twice the encoding work of [`write_frame`], for messages too large to keep.
/// Returns the frame size.
pub fn write_frame_streamed<W: Write, T: Serialize>(
    writer: &mut W,
    message: &T,
) -> Result<usize, FrameError> {
    let len = streamed_frame_len(message)?;
    writer.write_all(&len.to_le_bytes())?;
    let mut recording = RecordingWriter {
        inner: writer,
        error: None,
    };
    if let Err(e) = postcard::to_io(message, &mut recording) {
        // postcard reports a failed write as a full buffer: the write's own error says more.
        return Err(match recording.error {
            Some(io) => FrameError::Io(io),
            None => FrameError::Encode(e),
        });
    }
    Ok(len as usize + 4)
}

/// A writer that keeps the error of its last failed write, which postcard does not pass on.
struct RecordingWriter<'w, W> {
    inner: &'w mut W,
    error: Option<io::Error>,
}

impl<W: Write> Write for RecordingWriter<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.inner.write(bytes).inspect_err(|e| {
            self.error = Some(io::Error::new(e.kind(), e.to_string()));
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The body size of `message`'s frame, checked against [`MAX_FRAME_BYTES`]: whether
/// [`write_frame_streamed`] can write it.
pub fn streamed_frame_len<T: Serialize>(message: &T) -> Result<u32, FrameError> {
    checked_body_len(postcard::experimental::serialized_size(message).map_err(FrameError::Encode)?)
}

/// A body length as its prefix, if it is within [`MAX_FRAME_BYTES`].
fn checked_body_len(len: usize) -> Result<u32, FrameError> {
    match u32::try_from(len) {
        Ok(len) if len <= MAX_FRAME_BYTES => Ok(len),
        _ => Err(FrameError::TooLarge {
            len: len as u64,
            max: MAX_FRAME_BYTES,
        }),
    }
}

/// Decodes a frame body read by [`read_body`].
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
        // The streamed writer and reader agree with the buffered ones, byte for byte.
        let mut streamed = Vec::new();
        let size = write_frame_streamed(&mut streamed, value).expect("encode streamed");
        assert_eq!(streamed, buf);
        assert_eq!(size, buf.len());
        let mut cursor = &buf[..];
        let len = read_frame_len(&mut cursor)
            .expect("prefix")
            .expect("one frame");
        let back: T = decode_streamed(&mut cursor, len).expect("decode streamed");
        assert_eq!(&back, value);
        assert!(cursor.is_empty(), "streamed decode left bytes of its frame");
    }

    #[test]
    fn a_streamed_decode_leaves_the_stream_at_the_next_frame() {
        let mut stream = Vec::new();
        // A message shorter than its frame: the rest of the body is skipped.
        let mut padded = postcard::to_stdvec(&ToWorker::Shutdown).expect("encode");
        padded.extend_from_slice(&[7, 7, 7]);
        stream.extend_from_slice(&(padded.len() as u32).to_le_bytes());
        stream.extend_from_slice(&padded);
        write_frame(&mut stream, &FromWorker::Ready).expect("encode");
        let mut cursor = &stream[..];
        let len = read_frame_len(&mut cursor)
            .expect("prefix")
            .expect("a frame");
        let first: ToWorker = decode_streamed(&mut cursor, len).expect("decode");
        assert_eq!(first, ToWorker::Shutdown);
        let second: FromWorker = read_frame(&mut cursor).expect("decode").expect("a frame");
        assert_eq!(second, FromWorker::Ready);
        assert!(read_frame_len(&mut cursor).expect("clean end").is_none());
    }

    #[test]
    fn a_streamed_decode_of_a_cut_body_is_truncated() {
        let mut frame = Vec::new();
        write_frame(
            &mut frame,
            &FromWorker::Hello(Handshake {
                protocol_version: 300,
                worker_pid: 70_000,
            }),
        )
        .expect("encode");
        frame.truncate(frame.len() - 2);
        let mut cursor = &frame[..];
        let len = read_frame_len(&mut cursor)
            .expect("prefix")
            .expect("a frame");
        let got = decode_streamed::<_, FromWorker>(&mut cursor, len);
        assert!(
            matches!(got, Err(FrameError::Truncated { expected, got }) if got < expected),
            "{got:?}"
        );
        let mut garbage: &[u8] = &[0xee, 0xee, 0xee];
        assert!(matches!(
            decode_streamed::<_, ToWorker>(&mut garbage, 3),
            Err(FrameError::Decode(_))
        ));
    }

    #[test]
    fn a_streamed_write_reports_the_pipe_error() {
        struct ClosedPipe;
        impl Write for ClosedPipe {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::BrokenPipe))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let got = write_frame_streamed(&mut ClosedPipe, &ToWorker::Shutdown);
        assert!(
            matches!(&got, Err(FrameError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe),
            "{got:?}"
        );
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
            let mut cursor = &bytes[..];
            if let Ok(Some(len)) = read_frame_len(&mut cursor) {
                let _ = decode_streamed::<_, ToWorker>(&mut cursor, len);
            }
        }
    }
}

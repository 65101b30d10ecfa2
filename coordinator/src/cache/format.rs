//! The on-disk format of cache files: a magic tag, a format version, a checksum of the body,
//! then the postcard body. Anything else (another version, a truncated file, garbage) is
//! refused with a reason rather than trusted.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// First bytes of every cache file.
const MAGIC: &[u8; 8] = b"SSGCACHE";

/// Version of the cache format; bump it when a cached type changes.
pub const FORMAT_VERSION: u32 = 5;

const HEADER_LEN: usize = MAGIC.len() + 4 + 16;

/// Why a cache file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Not a cache file, or truncated before its header ends.
    #[error("not an ssg-coord cache file")]
    NotACacheFile,
    /// Written by another version of the format.
    #[error("written by another ssg-coord (cache format {found}, this one reads {FORMAT_VERSION})")]
    ForeignVersion {
        /// The version found.
        found: u32,
    },
    /// The body does not match its checksum (truncated or overwritten).
    #[error("corrupt (checksum mismatch)")]
    Corrupt,
    /// The body does not decode.
    #[error("corrupt ({0})")]
    Decode(String),
}

/// Encodes `value` with the header.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising plain data structs to a Vec cannot fail.
    let body = postcard::to_stdvec(value).unwrap_or_default();
    let mut bytes = Vec::with_capacity(HEADER_LEN + body.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_128(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    bytes
}

/// Decodes a file written by [`encode`].
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, FormatError> {
    if bytes.len() < HEADER_LEN || &bytes[..MAGIC.len()] != MAGIC {
        return Err(FormatError::NotACacheFile);
    }
    let version = u32::from_le_bytes(
        bytes[8..12]
            .try_into()
            .map_err(|_| FormatError::NotACacheFile)?,
    );
    if version != FORMAT_VERSION {
        return Err(FormatError::ForeignVersion { found: version });
    }
    let checksum = u128::from_le_bytes(
        bytes[12..28]
            .try_into()
            .map_err(|_| FormatError::NotACacheFile)?,
    );
    let body = &bytes[HEADER_LEN..];
    if xxhash_rust::xxh3::xxh3_128(body) != checksum {
        return Err(FormatError::Corrupt);
    }
    postcard::from_bytes(body).map_err(|e| FormatError::Decode(e.to_string()))
}

/// The content hash (`protocol::content_hash`) of `value`'s postcard encoding, computed
/// as it is encoded rather than over an encoding held in memory (a large API inventory's
/// is megabytes).
pub fn encoded_digest<T: Serialize>(value: &T) -> u128 {
    let hashing = HashingFlavor {
        hasher: xxhash_rust::xxh3::Xxh3::new(),
        buffer: Vec::with_capacity(HASHING_BUFFER),
    };
    // Serialising plain data structs cannot fail; a failure gives the digest of nothing,
    // which only makes a reader recheck.
    postcard::serialize_with_flavor(value, hashing).unwrap_or(0)
}

/// Bytes gathered before they are hashed.
const HASHING_BUFFER: usize = 16 * 1024;

/// A postcard output that hashes the bytes instead of keeping them.
struct HashingFlavor {
    hasher: xxhash_rust::xxh3::Xxh3,
    buffer: Vec<u8>,
}

impl HashingFlavor {
    fn flush(&mut self) {
        self.hasher.update(&self.buffer);
        self.buffer.clear();
    }
}

impl postcard::ser_flavors::Flavor for HashingFlavor {
    type Output = u128;

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        if self.buffer.len() + data.len() > HASHING_BUFFER {
            self.flush();
        }
        if data.len() >= HASHING_BUFFER {
            self.hasher.update(data);
        } else {
            self.buffer.extend_from_slice(data);
        }
        Ok(())
    }

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        if self.buffer.len() == HASHING_BUFFER {
            self.flush();
        }
        self.buffer.push(data);
        Ok(())
    }

    fn finalize(mut self) -> postcard::Result<u128> {
        self.flush();
        Ok(self.hasher.digest128())
    }
}

/// The checksum stored in an encoded file's header (identifies its content).
pub fn checksum_of(encoded: &[u8]) -> u128 {
    encoded
        .get(12..28)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u128::from_le_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_computed_while_encoding_is_the_hash_of_the_encoding() {
        let small = (1u32, "a".to_string());
        let large: Vec<(String, u64)> = (0..20_000u64)
            .map(|n| (format!("term-{n}").repeat((n % 7) as usize), n))
            .collect();
        let long_text = "x".repeat(3 * HASHING_BUFFER);
        for digest in [
            (encoded_digest(&small), postcard::to_stdvec(&small).unwrap()),
            (encoded_digest(&large), postcard::to_stdvec(&large).unwrap()),
            (
                encoded_digest(&long_text),
                postcard::to_stdvec(&long_text).unwrap(),
            ),
        ] {
            assert_eq!(digest.0, protocol::content_hash(&digest.1));
        }
    }

    #[test]
    fn roundtrips_and_refuses_damage() {
        let value = vec!["a".to_string(), "b".to_string()];
        let bytes = encode(&value);
        assert_eq!(decode::<Vec<String>>(&bytes), Ok(value));
        assert_eq!(
            decode::<Vec<String>>(&bytes[..bytes.len() - 1]),
            Err(FormatError::Corrupt)
        );
        assert_eq!(
            decode::<Vec<String>>(&bytes[..10]),
            Err(FormatError::NotACacheFile)
        );
        assert_eq!(
            decode::<Vec<String>>(b"garbage garbage garbage garbage"),
            Err(FormatError::NotACacheFile)
        );
        let mut foreign = bytes.clone();
        foreign[8] = 99;
        assert_eq!(
            decode::<Vec<String>>(&foreign),
            Err(FormatError::ForeignVersion { found: 99 })
        );
        let mut flipped = bytes;
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(decode::<Vec<String>>(&flipped), Err(FormatError::Corrupt));
    }
}

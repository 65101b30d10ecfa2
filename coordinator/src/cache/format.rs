//! The on-disk format of cache files: a magic tag, a format version, a checksum of the body,
//! then the postcard body. Anything else (another version, a truncated file, garbage) is
//! refused with a reason rather than trusted.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// First bytes of every cache file.
const MAGIC: &[u8; 8] = b"SSGCACHE";

/// Version of the cache format; bump it when a cached type changes.
pub const FORMAT_VERSION: u32 = 4;

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

//! Decoding source files: UTF-8 with an optional byte-order mark, and an error that names
//! the line of the first invalid byte.

/// Decodes `bytes` as UTF-8, dropping a leading byte-order mark. On failure returns the
/// 1-based line of the first invalid byte and a message.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, (u32, String)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        (
            line,
            format!("invalid UTF-8 (byte offset {})", e.valid_up_to()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_locates_invalid_bytes() {
        assert_eq!(decode_utf8(b"\xEF\xBB\xBFhi"), Ok("hi"));
        let (line, message) = decode_utf8(b"a\nb\n\xffc").unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("invalid UTF-8"), "{message}");
    }
}

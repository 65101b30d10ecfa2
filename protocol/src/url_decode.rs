//! Percent-decoding of URL paths, shared so that a worker (rewriting a page's links), the
//! merge (checking them) and the dev server (resolving requests) read `%20` the same way.

use std::borrow::Cow;

/// Decodes every `%XX` escape of `input`; `None` if an escape is cut short or not hex.
pub fn percent_decode_strict(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len());
    let mut index = 0;
    while index < input.len() {
        if input[index] == b'%' {
            let high = hex_value(*input.get(index + 1)?)?;
            let low = hex_value(*input.get(index + 2)?)?;
            out.push(high * 16 + low);
            index += 3;
        } else {
            out.push(input[index]);
            index += 1;
        }
    }
    Some(out)
}

/// Decodes the `%XX` escapes of a path as authors write them (`my%20page.md`): an invalid
/// escape stays as written, and a result that is not UTF-8 gives the text back unchanged.
pub fn percent_decode_lenient(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && let (Some(high), Some(low)) = (
                bytes.get(index + 1).copied().and_then(hex_value),
                bytes.get(index + 2).copied().and_then(hex_value),
            )
        {
            out.push(high * 16 + low);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => Cow::Owned(decoded),
        Err(_) => Cow::Borrowed(text),
    }
}

fn hex_value(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|digit| digit as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_keeps_what_it_cannot_decode() {
        for (input, expected) in [
            ("my%20page.md", "my page.md"),
            ("100%.md", "100%.md"),
            ("%é.md", "%é.md"),
            ("%zz", "%zz"),
            ("a%2", "a%2"),
            ("%C3%A9t%C3%A9", "été"),
            ("%ff", "%ff"),
            ("plain", "plain"),
        ] {
            assert_eq!(percent_decode_lenient(input), expected, "{input}");
        }
    }

    #[test]
    fn strict_refuses_a_broken_escape() {
        assert_eq!(
            percent_decode_strict(b"/a%20b").as_deref(),
            Some(&b"/a b"[..])
        );
        assert_eq!(percent_decode_strict(b"/a%2").as_deref(), None);
        assert_eq!(percent_decode_strict(b"/a%zz").as_deref(), None);
        assert_eq!(
            percent_decode_strict(b"/%ff").as_deref(),
            Some(&[b'/', 0xff][..])
        );
    }
}

//! What the XML outputs (`sitemap.xml`, `rss.xml`) share: absolute URLs from page paths, and
//! text that is always well-formed XML.
//!
//! Page URLs are site-absolute paths that may hold any Unicode (`/tags/überblick/`), and
//! titles may hold control characters pasted from elsewhere. Sitemaps and feeds need
//! RFC 3986 URLs and XML 1.0 characters, so both are cleaned here rather than trusted.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::borrow::Cow;
use std::io;

pub(super) use protocol::absolute_url;

/// Percent-encodes what RFC 3986 does not allow in a URL (spaces, non-ASCII, `"`, `<`, …),
/// byte by byte in UTF-8, leaving existing `%XX` escapes and URL delimiters alone.
pub(super) fn encode_url(url: &str) -> Cow<'_, str> {
    let allowed =
        |byte: u8| byte.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&byte);
    if url.bytes().all(allowed) {
        return Cow::Borrowed(url);
    }
    let mut encoded = String::with_capacity(url.len() + 16);
    for byte in url.bytes() {
        if allowed(byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    Cow::Owned(encoded)
}

/// `text` without the characters XML 1.0 forbids (C0 controls other than tab, newline and
/// carriage return, and U+FFFE/U+FFFF), which no escape can represent.
pub(super) fn xml_chars(text: &str) -> Cow<'_, str> {
    let forbidden = |ch: char| {
        (ch < ' ' && !matches!(ch, '\t' | '\n' | '\r')) || ch == '\u{fffe}' || ch == '\u{ffff}'
    };
    if text.chars().any(forbidden) {
        Cow::Owned(text.chars().filter(|ch| !forbidden(*ch)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// An indented writer that has written the `<?xml …?>` declaration.
pub(super) fn document() -> io::Result<Writer<Vec<u8>>> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(writer)
}

/// The bytes of a finished document, ending with a newline.
pub(super) fn finish(writer: Writer<Vec<u8>>) -> Vec<u8> {
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    bytes
}

/// `<name>text</name>`, with all five XML special characters escaped (the sitemaps
/// protocol asks for `'` and `"` too) and forbidden characters dropped.
pub(super) fn text_element(writer: &mut Writer<Vec<u8>>, name: &str, text: &str) -> io::Result<()> {
    let escaped = quick_xml::escape::escape(xml_chars(text));
    writer
        .create_element(name)
        .write_text_content(BytesText::from_escaped(escaped))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_percent_encoded() {
        assert_eq!(
            encode_url("https://x.org/a-b_c.d~/?q=1&r#f"),
            "https://x.org/a-b_c.d~/?q=1&r#f"
        );
        assert_eq!(encode_url("/tags/überblick/"), "/tags/%C3%BCberblick/");
        assert_eq!(encode_url("/a b/\"<x>\"/%20/"), "/a%20b/%22%3Cx%3E%22/%20/");
    }

    #[test]
    fn text_is_escaped_and_cleaned() {
        let mut writer = Writer::new(Vec::new());
        text_element(&mut writer, "t", "a & b < c > 'd' \"e\" \u{1}\u{7}\tf").unwrap();
        assert_eq!(
            String::from_utf8(writer.into_inner()).unwrap(),
            "<t>a &amp; b &lt; c &gt; &apos;d&apos; &quot;e&quot; \tf</t>"
        );
    }
}

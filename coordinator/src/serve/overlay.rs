//! The live-reload client: the script served at `/__ssg/live.js` (`live.js` beside this
//! file) and the tag that loads it, added to every HTML response just before `</body>`.
//!
//! The tag carries what the page was served from (server instance, build number, page
//! URL), so the script can tell, when its event stream (re)connects, whether the page it
//! shows is already stale: a restarted server or a build it missed means a reload.
//! Files on disk never contain the tag; only the bytes sent do.

use crate::diagnostics::Diagnostic;

/// The client script (EventSource, reload, stylesheet swap, error overlay).
pub const LIVE_SCRIPT: &str = include_str!("live.js");
/// Where the server serves [`LIVE_SCRIPT`].
pub const SCRIPT_PATH: &str = "/__ssg/live.js";

/// The `<script>` tag for a page served at `page_url` from build `build` of `server`;
/// `failed` marks the error document of a page that failed (it reloads once the build is
/// good again).
pub fn script_tag(server: &str, build: u64, page_url: &str, failed: bool) -> String {
    format!(
        "<script src=\"{}\" data-ssg-server=\"{}\" data-ssg-build=\"{build}\" data-ssg-page=\"{}\"{}></script>",
        SCRIPT_PATH,
        escape_attribute(server),
        escape_attribute(page_url),
        if failed { " data-ssg-failed=\"\"" } else { "" },
    )
}

/// The page sent instead of the last good version of a page that failed to build: the
/// errors (readable without the script), and the script, which shows them in the overlay
/// and reloads once the page builds again.
pub fn failed_page(errors: &[Diagnostic], tag: &str) -> Vec<u8> {
    let mut html = String::from(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Build failed</title></head>\n\
         <body style=\"font:14px/1.5 ui-monospace,monospace;padding:2rem\">\n\
         <h1>This page failed to build</h1>\n\
         <p>Fix the error and save: the page reloads by itself.</p>\n",
    );
    for error in errors {
        let place = match (&error.file, error.line) {
            (Some(file), Some(line)) => format!("{file}:{line}"),
            (Some(file), None) => file.clone(),
            _ => "site".to_string(),
        };
        html.push_str(&format!(
            "<section><b>{}</b><pre>{}</pre>",
            escape_attribute(&place),
            escape_attribute(&error.message)
        ));
        if let Some(hint) = &error.hint {
            html.push_str(&format!("<p>hint: {}</p>", escape_attribute(hint)));
        }
        html.push_str("</section>\n");
    }
    html.push_str(tag);
    html.push_str("\n</body></html>\n");
    html.into_bytes()
}

fn escape_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// `html` with `tag` inserted before its last `</body>` (any case), or appended when the
/// page has none. Works on bytes, so a page in another encoding passes through intact.
pub fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    const CLOSING: &[u8] = b"</body";
    let position = html
        .windows(CLOSING.len())
        .rposition(|window| window.eq_ignore_ascii_case(CLOSING))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..position]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[position..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, expected: &str) {
        let got = inject(html.as_bytes(), "<s>");
        assert_eq!(String::from_utf8_lossy(&got), expected, "{html}");
    }

    #[test]
    fn the_tag_goes_before_the_last_closing_body() {
        check(
            "<html><body><p>x</p></body></html>",
            "<html><body><p>x</p><s></body></html>",
        );
        check("<BODY>x</BODY >", "<BODY>x<s></BODY >");
        check(
            "<body><code>&lt;/body&gt;</code></body>",
            "<body><code>&lt;/body&gt;</code><s></body>",
        );
        check("<p>fragment</p>", "<p>fragment</p><s>");
        check("", "<s>");
    }

    #[test]
    fn the_tag_escapes_its_attributes() {
        let tag = script_tag("1-2", 7, "/a\"<b>/", false);
        assert_eq!(
            tag,
            "<script src=\"/__ssg/live.js\" data-ssg-server=\"1-2\" data-ssg-build=\"7\" data-ssg-page=\"/a&quot;&lt;b&gt;/\"></script>"
        );
        assert!(script_tag("1-2", 7, "/a/", true).contains(" data-ssg-failed=\"\">"));
    }

    #[test]
    fn a_failed_page_lists_its_errors_escaped() {
        let errors = [Diagnostic {
            file: Some("content/a.md".into()),
            line: Some(3),
            message: "expected `]` near <tags>".into(),
            hint: Some("close the list".into()),
        }];
        let page = String::from_utf8(failed_page(&errors, "<s>")).expect("utf-8");
        assert!(page.contains("<b>content/a.md:3</b>"), "{page}");
        assert!(page.contains("expected `]` near &lt;tags&gt;"), "{page}");
        assert!(page.contains("hint: close the list"), "{page}");
        assert!(page.contains("<s>\n</body>"), "{page}");
    }

    #[test]
    fn the_script_listens_to_every_event_the_server_sends() {
        for event in ["hello", "errors", "ok", "reload", "css"] {
            assert!(
                LIVE_SCRIPT.contains(&format!("\"{event}\"")),
                "live.js ignores `{event}` events"
            );
        }
        assert!(LIVE_SCRIPT.contains(super::super::http::EVENTS_PATH));
    }
}

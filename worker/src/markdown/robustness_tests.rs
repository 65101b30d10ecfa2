//! The renderer against real and hostile input: every page of `shared/samples/markdown`
//! renders, keeps template syntax literally and has text; CRLF, a BOM, deep nesting,
//! generated garbage and a 10 MB page render without panicking.

use super::tests::{render, renderer};
use super::*;

#[test]
fn crlf_and_bom() {
    let rendered =
        render("\u{feff}# Title\r\n\r\n:::note\r\nBody\r\n:::\r\n\r\n- a\r\n  - : def\r\n");
    assert_eq!(
        rendered.html,
        "<h1 id=\"title\">Title<a class=\"heading-anchor\" href=\"#title\" aria-label=\"Link to this section\">#</a></h1>\n\
         <div class=\"admonition note\">\n<p class=\"admonition-title\">Note</p>\n<p>Body</p>\n</div>\n\
         <dl>\n<dt>a</dt>\n<dd>\n<p>def</p>\n</dd>\n</dl>\n"
    );
    assert_eq!(rendered.warnings, []);
}

#[test]
fn deep_nesting_does_not_overflow() {
    let depth = 20_000;
    let cases = [
        ">".repeat(depth) + " deep\n",
        (0..depth)
            .map(|level| format!("{}- item\n", "  ".repeat(level)))
            .collect::<String>(),
        "- ".repeat(depth) + "x\n",
        "[".repeat(depth) + &"]".repeat(depth),
        "*".repeat(depth) + "x" + &"*".repeat(depth),
        ":::note\n".repeat(depth),
        "<div>".repeat(depth),
    ];
    for markdown in cases {
        let rendered = render(&markdown);
        assert!(!rendered.html.is_empty());
    }
}

#[test]
fn generated_hostile_documents_never_panic() {
    // Fragments that exercise every pass, glued in pseudo-random order (a fixed LCG, so
    // a failure is reproducible).
    const FRAGMENTS: &[&str] = &[
        ":::",
        "::::",
        ":::note",
        ":::{tip} T: x",
        ":::warning[",
        "```",
        "```js",
        "~~~",
        "    ",
        "\n",
        "\r\n",
        "\n\n",
        "- ",
        "  - : ",
        "> ",
        "> [!NOTE]",
        "# ",
        "## x {#",
        "}",
        "{#id}",
        "[^1]",
        "[^1]: ",
        "| a |",
        "|---|",
        "<div id=\"",
        "<!--",
        "-->",
        "<script>",
        "[l](",
        ")",
        "![i](",
        "*",
        "_",
        "{{",
        "{%",
        "\u{fdd0}",
        "\u{feff}",
        "é",
        "\t",
        ":class: x",
        "---",
        "\\",
        "&amp;",
        "<",
        ">",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..1500 {
        let mut markdown = String::new();
        for _ in 0..40 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            markdown.push_str(FRAGMENTS[(state >> 33) as usize % FRAGMENTS.len()]);
        }
        let rendered = renderer().render(&markdown, 3, &mut KeepLinks);
        for (line, _) in &rendered.warnings {
            assert!(
                *line >= 3,
                "warning line {line} before the text starts:\n{markdown:?}"
            );
        }
    }
}

#[test]
fn ten_megabyte_page_renders() {
    let section = "## Section\n\nSome *text* with a [link](other.md) and {{domxref(\"X\")}}.\n\n\
                   - item one\n- item two\n  - : definition\n\n\
                   > [!NOTE]\n> Careful.\n\n\
                   :::tip\nA tip.\n:::\n\n\
                   | a | b |\n|---|---|\n| 1 | 2 |\n\n\
                   ```js\nconst x = 1; // comment\n```\n\n";
    let markdown = section.repeat(10 * 1024 * 1024 / section.len() + 1);
    assert!(markdown.len() >= 10 * 1024 * 1024);
    let rendered = render(&markdown);
    let n_sections = markdown.len() / section.len();
    assert_eq!(rendered.headings.len(), n_sections);
    assert_eq!(rendered.links.len(), n_sections);
    assert_eq!(
        rendered.headings.last().map(|heading| heading.id.clone()),
        Some(format!("section-{}", n_sections - 1))
    );
    assert!(rendered.plain_text.len() > markdown.len() / 3);
    assert_eq!(rendered.warnings, []);
}

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/samples/markdown");

/// The markdown body of a page after its front matter, and the line it starts on.
/// Kubernetes pages may have an HTML comment before `---`; React Native pages may have
/// no front matter at all.
fn body_of(source: &str) -> (&str, u32) {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut offset = 0;
    let mut line_no = 1;
    let mut lines = source.split_inclusive('\n');
    let mut in_comment = false;
    for line in lines.by_ref() {
        let trimmed = line.trim();
        if in_comment || trimmed.starts_with("<!--") {
            in_comment = !trimmed.ends_with("-->");
        } else if trimmed == "---" || trimmed == "+++" {
            let delimiter = trimmed;
            offset += line.len();
            line_no += 1;
            for line in lines.by_ref() {
                offset += line.len();
                line_no += 1;
                if line.trim() == delimiter {
                    return (&source[offset..], line_no);
                }
            }
            return (source, 1);
        } else if !trimmed.is_empty() {
            return (source, 1);
        }
        offset += line.len();
        line_no += 1;
    }
    (source, 1)
}

#[test]
fn front_matter_is_skipped() {
    let cases = [
        ("---\ntitle: x\n---\nbody\n", "body\n", 4),
        ("<!-- c\n  c -->\n---\r\na: 1\r\n---\r\nbody", "body", 6),
        ("+++\na = 1\n+++\n\nbody", "\nbody", 4),
        ("no front matter\n---\n", "no front matter\n---\n", 1),
        ("\u{feff}---\n---\nx", "x", 3),
    ];
    for (source, body, first_line) in cases {
        assert_eq!(body_of(source), (body, first_line), "source {source:?}");
    }
}

fn sample_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![std::path::PathBuf::from(SAMPLES)];
    while let Some(folder) = folders.pop() {
        let entries =
            std::fs::read_dir(&folder).unwrap_or_else(|err| panic!("{}: {err}", folder.display()));
        for entry in entries {
            let path = entry.expect("readable directory entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `html` without syntect's spans, which may split `{{` inside highlighted code.
fn without_spans(html: &str) -> String {
    const OPEN: &str = "<span class=\"hl-";
    const CLOSE: &str = "</span>";
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let (cut, skip) = match (rest.find(OPEN), rest.find(CLOSE)) {
            (Some(open), Some(close)) if close < open => (close, CLOSE.len()),
            (Some(open), _) => (
                open,
                rest[open..]
                    .find('>')
                    .map_or(rest.len() - open, |end| end + 1),
            ),
            (None, Some(close)) => (close, CLOSE.len()),
            (None, None) => break,
        };
        text.push_str(&rest[..cut]);
        rest = &rest[cut + skip..];
    }
    text.push_str(rest);
    text
}

#[test]
fn every_sample_renders_with_template_syntax_literal() {
    let files = sample_files();
    assert!(
        files.len() >= 50,
        "expected the shared samples, found {}",
        files.len()
    );
    for path in files {
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let (body, first_line) = body_of(&source);
        let rendered = renderer().render(body, first_line, &mut KeepLinks);
        let html = without_spans(&rendered.html);
        for marker in ["{{", "{%"] {
            assert_eq!(
                html.matches(marker).count(),
                body.matches(marker).count(),
                "{}: count of {marker}",
                path.display()
            );
        }
        assert!(
            !rendered.plain_text.trim().is_empty(),
            "{}: no plain text",
            path.display()
        );
        for (line, message) in &rendered.warnings {
            assert!(*line >= first_line, "{}:{line}: {message}", path.display());
        }
    }
}

#[test]
fn sample_features_are_recognised() {
    let read = |name: &str| {
        let path = format!("{SAMPLES}/{name}");
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
    };
    let render_sample = |name: &str| {
        let source = read(name);
        let (body, first_line) = body_of(&source);
        renderer().render(body, first_line, &mut KeepLinks)
    };
    let touchend = render_sample("mdn/web_api_element_touchend_event.md");
    assert!(
        touchend.html.contains(
            "<dl>\n<dt>{{domxref(&quot;TouchEvent.altKey&quot;)}} {{ReadOnlyInline}}</dt>"
        )
    );
    let line_style = render_sample("mdn/web_css_reference_values_line-style.md");
    assert!(
        line_style
            .html
            .contains("<div class=\"admonition note\">\n<p class=\"admonition-title\">Note</p>")
    );
    let intro = render_sample("react-native/docs_intro-react.md");
    assert!(intro.html.contains("<div class=\"admonition tip\">"));
    assert!(intro.html.contains("<div class=\"admonition info\">"));
    assert_eq!(intro.warnings, []);
}

//! Property tests (`fuzz_*`, bounded by `PROPTEST_CASES`; `scripts/fuzz` runs them long):
//! front matter parsing takes any file without panicking, and its errors and body point
//! into the file.

use super::{first_heading, parse};
use proptest::prelude::*;

/// Files with YAML or TOML front matter glued from pieces of both.
fn front_matter_file() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "title: ",
        "date: ",
        "2024-05-01",
        "2024-13-45T25:00:00+99:99",
        "draft: true",
        "tags: [",
        "]",
        "- a\n",
        "weight: ",
        "-1e99",
        "slug: ../x",
        "url: /a//b/",
        "aliases: [",
        "\"",
        "'",
        ": ",
        "\n",
        "\r\n",
        "  ",
        "\t",
        "{",
        "}",
        "&anchor ",
        "*anchor",
        "!!binary ",
        "|\n",
        ">\n",
        "= ",
        "[params]\n",
        "title = ",
        "\"\"\"",
        "é",
        "#",
        "\u{feff}",
        "<!-- c -->\n",
        "---",
        "+++",
        "~~~",
        "null",
        "~",
        "[[x]]\n",
        "0x1F",
        "1_000",
    ];
    let piece = prop_oneof![
        5 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "\\PC{0,10}",
    ];
    let block = proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat());
    (
        proptest::sample::select(
            &["---\n", "+++\n", "<!-- x -->\n---\n", "\u{feff}---\r\n", ""][..],
        ),
        block,
        proptest::sample::select(&["\n---\n", "\n+++\n", "\n", "---"][..]),
        "\\PC{0,40}",
    )
        .prop_map(|(open, block, close, body)| format!("{open}{block}{close}{body}"))
}

proptest! {
    #[test]
    fn fuzz_front_matter_takes_any_file(source in front_matter_file()) {
        match parse(&source) {
            Ok(parsed) => {
                prop_assert!(source.ends_with(parsed.body));
                prop_assert!(parsed.body_first_line as usize <= source.lines().count() + 1);
            }
            Err(error) => {
                if let Some(line) = error.line {
                    prop_assert!(line >= 1 && line as usize <= source.lines().count() + 1);
                }
            }
        }
    }

    #[test]
    fn fuzz_front_matter_takes_any_text(source in "\\PC{0,200}") {
        let _ = parse(&source);
        let _ = first_heading(&source);
    }
}

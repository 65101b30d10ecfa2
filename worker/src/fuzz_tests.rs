//! Property tests (`fuzz_*`, bounded by `PROPTEST_CASES`; `scripts/fuzz` runs them long):
//! markdown rendering, the nesting check, Python extraction and output paths take any
//! text without panicking, and keep what they promise.

use crate::autodoc::{AutodocOptions, document_module};
use crate::markdown::{KeepLinks, MarkdownRenderer, check_nesting};
use crate::outputs::output_path;
use proptest::prelude::*;
use std::path::{Component, Path};
use std::sync::LazyLock;

static RENDERER: LazyLock<MarkdownRenderer> = LazyLock::new(MarkdownRenderer::new);

/// Documents glued from pieces of markdown syntax, which reach far more of the renderer's
/// paths than uniformly random text does.
fn markdown_document() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "# ",
        "## x {#id}",
        "\n",
        "\n\n",
        "\r\n",
        "    ",
        "\t",
        "> ",
        "> [!NOTE]\n",
        "- ",
        "1. ",
        "  - : ",
        "* ",
        "```",
        "```python\n",
        "~~~",
        ":::",
        ":::note\n",
        ":::{tip} T\n",
        "| a | b |\n",
        "|---|---|\n",
        "[l](",
        "](x.md)",
        "![i](",
        ")",
        "[^1]",
        "[^1]: ",
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "{{ x }}",
        "{% if %}",
        "*",
        "_",
        "**",
        "`",
        "\\",
        "&amp;",
        "é",
        "https://example.org/",
        "<https://x.y>",
        "---\n",
        "===\n",
        "[x]: /u\n",
        "- [ ] ",
        "\u{0}",
    ];
    let piece = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// Modules glued from pieces of Python syntax.
fn python_module() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "def f(",
        "async def g(",
        "class C",
        "(",
        ")",
        ":",
        "\n",
        "    ",
        "\t",
        "pass",
        "return ",
        "'''doc'''",
        "\"\"\"",
        "'",
        "\"",
        "f'{",
        "}'",
        "# c\n",
        "@d\n",
        "lambda: ",
        "-",
        "+",
        "**",
        "[",
        "]",
        "{",
        "}",
        ",",
        "=",
        "->",
        "x: int",
        " = 1",
        "*args",
        "**kw",
        "/",
        "__all__ = ",
        "['a']",
        " + ",
        "await ",
        "yield ",
        "if x else ",
        "not ",
        ".",
        "é",
        "\\\n",
        "type T = ",
        "[T]",
        "@property\n",
        "self",
        "None",
        "...",
        ";",
        "except A, B:",
    ];
    let piece = prop_oneof![
        6 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "\\PC{0,8}",
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn fuzz_markdown_renders_any_document(text in markdown_document()) {
        if check_nesting(&text).is_ok() {
            let rendered = RENDERER.render(&text, 1, &mut KeepLinks);
            prop_assert!(rendered.warnings.windows(2).all(|w| w[0] <= w[1]));
        }
    }

    #[test]
    fn fuzz_markdown_renders_any_text(text in "\\PC{0,300}") {
        if check_nesting(&text).is_ok() {
            let _ = RENDERER.render(&text, 7, &mut KeepLinks);
        }
    }

    #[test]
    fn fuzz_python_extraction_takes_any_module(
        source in python_module(),
        private in any::<bool>(),
        merge in any::<bool>(),
    ) {
        let options = AutodocOptions {
            include_private: private,
            is_package: false,
            names_only: false,
            merge_init_into_class: merge,
        };
        if let Err(error) = document_module(&source, "m", options) {
            // Errors point into the file.
            prop_assert!(error.line >= 1);
            prop_assert!(error.line as usize <= source.lines().count() + 1);
        }
    }

    #[test]
    fn fuzz_python_extraction_takes_any_text(source in "\\PC{0,300}") {
        let _ = document_module(&source, "pkg.m", AutodocOptions::default());
    }

    #[test]
    fn fuzz_output_paths_never_leave_the_output(rel in "[a-z./\\\\\u{0}é-]{0,24}") {
        let out = Path::new("/out");
        if let Ok(path) = output_path(out, &rel) {
            prop_assert!(path.starts_with(out) && path != out);
            prop_assert!(path.components().all(|c| matches!(c, Component::RootDir | Component::Normal(_))));
        }
    }
}

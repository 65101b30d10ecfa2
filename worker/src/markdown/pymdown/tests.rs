//! Snapshot tests of the MkDocs dialect: one fixture page per syntax in `fixtures/`, rendered
//! through the whole renderer; and the line numbers of what follows a block.

use super::*;
use crate::markdown::tests::renderer;
use crate::markdown::{KeepLinks, PageDialect, RenderedMarkdown};

/// Snippet files of the fixtures.
struct FixtureFiles;

impl SnippetFiles for FixtureFiles {
    fn read(&self, requested: &str) -> Result<SnippetFile, String> {
        let text = match requested {
            "included.md" => "!!! note \"From a snippet\"\n    Included text.\n",
            "code.py" => {
                "# --8<-- [start:func]\ndef f():\n    return 1\n# --8<-- [end:func]\nx = 1\n"
            }
            _ => return Err("no such fixture".to_string()),
        };
        Ok(SnippetFile {
            path: format!("docs/{requested}"),
            text: text.to_string(),
            hash: 7,
        })
    }
}

fn render_fixture(text: &str, mkdocs: bool) -> RenderedMarkdown {
    let dialect = MarkdownDialect {
        mkdocs,
        mdx: false,
        snippet_base_paths: vec!["docs".to_string()],
    };
    renderer()
        .render_page(
            text,
            1,
            &mut KeepLinks,
            &PageDialect {
                references: None,
                dialect: &dialect,
                snippets: Some(&FixtureFiles),
            },
        )
        .expect("fixture snippets exist")
}

macro_rules! fixture_snapshot {
    ($name:ident, $mkdocs:expr) => {
        #[test]
        fn $name() {
            let text = include_str!(concat!("fixtures/", stringify!($name), ".md"));
            let rendered = render_fixture(text, $mkdocs);
            insta::assert_snapshot!(rendered.html);
            for leftover in ["!!!", "???", "===", "///", "--8<-- \"", "{ ."] {
                let outside_code = rendered
                    .html
                    .lines()
                    .filter(|line| line.contains(leftover))
                    .filter(|line| !line.contains("<code") && !line.contains("<span"))
                    .count();
                assert!(
                    outside_code == 0 || stringify!($name) == "admonitions",
                    "`{leftover}` left in {}:\n{}",
                    stringify!($name),
                    rendered.html
                );
            }
        }
    };
}

fixture_snapshot!(admonitions, false);
fixture_snapshot!(details, false);
fixture_snapshot!(tabs, false);
fixture_snapshot!(blocks, false);
fixture_snapshot!(snippets, false);
fixture_snapshot!(fences, false);
fixture_snapshot!(mkdocs_inline, true);

#[test]
fn lines_after_blocks_keep_their_numbers() {
    let text = "!!! note\n    body\n\n=== \"A\"\n    a\n\n[x](y.md)\n";
    struct Lines(Vec<u32>);
    impl crate::markdown::LinkRewriter for Lines {
        fn rewrite(&mut self, _href: &str, line: u32) -> Option<String> {
            self.0.push(line);
            None
        }
    }
    let mut lines = Lines(Vec::new());
    let dialect = MarkdownDialect::default();
    renderer()
        .render_page(
            text,
            10,
            &mut lines,
            &PageDialect {
                references: None,
                dialect: &dialect,
                snippets: None,
            },
        )
        .expect("no snippets");
    assert_eq!(lines.0, vec![16]);
}

#[test]
fn missing_snippet_names_the_line() {
    let dialect = MarkdownDialect::default();
    let result = renderer().render_page(
        "a\n\n--8<-- \"nope.md\"\n",
        5,
        &mut KeepLinks,
        &PageDialect {
            references: None,
            dialect: &dialect,
            snippets: Some(&FixtureFiles),
        },
    );
    let Err(error) = result else {
        panic!("a missing snippet is an error");
    };
    assert_eq!(error.line, 7);
    assert!(error.message.contains("nope.md"), "{}", error.message);
}

#[test]
fn unclosed_and_stray_fences_warn() {
    let rendered = render_fixture("/// note\nnever closed\n\n///\n///\n", false);
    assert_eq!(
        rendered
            .warnings
            .iter()
            .map(|(line, _)| *line)
            .collect::<Vec<_>>(),
        vec![5]
    );
    let rendered = render_fixture("!!! note\n    x\n/// tip\ny\n", false);
    assert_eq!(rendered.warnings.len(), 1, "{:?}", rendered.warnings);
}

#[test]
fn without_snippet_files_markers_stay_text() {
    let html = renderer()
        .render("--8<-- \"x.md\"\n", 1, &mut KeepLinks)
        .html;
    assert_eq!(html, "<p>--8&lt;-- &quot;x.md&quot;</p>\n");
}

#[test]
fn mkdocstrings_blocks_become_names_with_a_warning() {
    let rendered = render_fixture(
        "# API\n\n::: pkg.mod.Thing\n    options:\n      show_source: false\n\nAfter.\n",
        true,
    );
    assert_eq!(
        rendered.html,
        "<h1 id=\"api\">API<a class=\"heading-anchor\" href=\"#api\" aria-label=\"Link to this section\">#</a></h1>\n<p><code>pkg.mod.Thing</code></p>\n<p>After.</p>\n"
    );
    assert_eq!(rendered.warnings.len(), 1, "{:?}", rendered.warnings);
    assert_eq!(rendered.warnings[0].0, 3);
}

#[test]
fn common_mark_pages_are_not_copied() {
    let prepared = prepare(
        "# Plain\n\nNothing to do.\n",
        &MarkdownDialect::default(),
        None,
    )
    .expect("no snippets");
    assert!(matches!(prepared.text, Cow::Borrowed(_)));
    assert!(prepared.line_map.is_none());
}

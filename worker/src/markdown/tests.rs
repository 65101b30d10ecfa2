//! Tests of the whole renderer, one feature at a time with an exact expectation. Real-world
//! samples and hostile input are in `robustness_tests`.

use std::sync::OnceLock;

use super::*;

/// One renderer for all tests, as a worker shares one between its threads.
pub(super) fn renderer() -> &'static MarkdownRenderer {
    static RENDERER: OnceLock<MarkdownRenderer> = OnceLock::new();
    RENDERER.get_or_init(MarkdownRenderer::new)
}

pub(super) fn render(text: &str) -> RenderedMarkdown {
    renderer().render(text, 1, &mut KeepLinks)
}

/// Renders `markdown` and compares the HTML with `expected`.
fn check(markdown: &str, expected: &str) {
    assert_eq!(render(markdown).html, expected, "markdown:\n{markdown}");
}

#[test]
fn renderer_is_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<MarkdownRenderer>();
}

#[test]
fn gfm_extensions() {
    let cases = [
        (
            "| a | b |\n|:--|--:|\n| `x` | y |\n",
            "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"right\">b</th>\n</tr>\n</thead>\n\
             <tbody>\n<tr>\n<td align=\"left\"><code>x</code></td>\n<td align=\"right\">y</td>\n</tr>\n</tbody>\n</table>\n",
        ),
        (
            "Hi[^n].\n\n[^n]: A note.\n",
            "<p>Hi<sup class=\"footnote-ref\"><a href=\"#fn-n\" id=\"fnref-n\" data-footnote-ref>1</a></sup>.</p>\n\
             <section class=\"footnotes\" data-footnotes>\n<ol>\n<li id=\"fn-n\">\n<p>A note. \
             <a href=\"#fnref-n\" class=\"footnote-backref\" data-footnote-backref data-footnote-backref-idx=\"1\" \
             aria-label=\"Back to reference 1\">↩</a></p>\n</li>\n</ol>\n</section>\n",
        ),
        (
            "- [x] done\n- [ ] todo\n",
            "<ul class=\"contains-task-list\">\n\
             <li class=\"task-list-item\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" checked=\"\" disabled=\"\" /> done</li>\n\
             <li class=\"task-list-item\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled=\"\" /> todo</li>\n</ul>\n",
        ),
        ("~~gone~~", "<p><del>gone</del></p>\n"),
        (
            "See https://example.org/x and www.example.com.",
            "<p>See <a href=\"https://example.org/x\">https://example.org/x</a> and \
             <a href=\"http://www.example.com\">www.example.com</a>.</p>\n",
        ),
        (
            "<div class=\"x\" id=\"raw\">\n<b>raw</b>\n</div>\n\nText with <kbd>Ctrl</kbd>.",
            "<div class=\"x\" id=\"raw\">\n<b>raw</b>\n</div>\n<p>Text with <kbd>Ctrl</kbd>.</p>\n",
        ),
        // Invalid HTML passes through as written; comrak does not repair it.
        ("<div><span>\n\nafter", "<div><span>\n<p>after</p>\n"),
    ];
    for (markdown, expected) in cases {
        check(markdown, expected);
    }
}

#[test]
fn github_alerts_use_admonition_markup() {
    for (marker, kind, title) in [
        ("NOTE", "note", "Note"),
        ("TIP", "tip", "Tip"),
        ("IMPORTANT", "important", "Important"),
        ("WARNING", "warning", "Warning"),
        ("CAUTION", "caution", "Caution"),
    ] {
        check(
            &format!("> [!{marker}]\n> Body with {{{{domxref(\"X\")}}}}.\n"),
            &format!(
                "<div class=\"admonition {kind}\">\n<p class=\"admonition-title\">{title}</p>\n\
                 <p>Body with {{{{domxref(&quot;X&quot;)}}}}.</p>\n</div>\n"
            ),
        );
    }
    // A plain quote stays a quote.
    check(
        "> just a quote\n",
        "<blockquote>\n<p>just a quote</p>\n</blockquote>\n",
    );
}

#[test]
fn admonition_fences() {
    let cases = [
        (
            ":::{note} Optional title\nBody.\n:::\n",
            "<div class=\"admonition note\">\n<p class=\"admonition-title\">Optional title</p>\n<p>Body.</p>\n</div>\n",
        ),
        (
            ":::note\nBody.\n:::\n",
            "<div class=\"admonition note\">\n<p class=\"admonition-title\">Note</p>\n<p>Body.</p>\n</div>\n",
        ),
        (
            ":::tip Title\nBody.\n:::\n",
            "<div class=\"admonition tip\">\n<p class=\"admonition-title\">Title</p>\n<p>Body.</p>\n</div>\n",
        ),
        (
            ":::warning[Watch: out]\nBody.\n:::\n",
            "<div class=\"admonition warning\">\n<p class=\"admonition-title\">Watch: out</p>\n<p>Body.</p>\n</div>\n",
        ),
        (
            ":::{seealso}\nBody.\n:::\n",
            "<div class=\"admonition seealso\">\n<p class=\"admonition-title\">See also</p>\n<p>Body.</p>\n</div>\n",
        ),
        (
            ":::Custom-Thing\nBody.\n:::\n",
            "<div class=\"admonition custom-thing\">\n<p class=\"admonition-title\">Custom thing</p>\n<p>Body.</p>\n</div>\n",
        ),
        // A fence interrupts a paragraph, and content is full markdown.
        (
            "Before\n:::danger\n- item\n\n```text\ncode\n```\n:::\n",
            "<p>Before</p>\n<div class=\"admonition danger\">\n<p class=\"admonition-title\">Danger</p>\n\
             <ul>\n<li>item</li>\n</ul>\n<pre><code class=\"language-text\">code\n</code></pre>\n</div>\n",
        ),
        // Longer fences nest shorter ones.
        (
            "::::{note}\n:::{tip} Inner\nx\n:::\ny\n::::\n",
            "<div class=\"admonition note\">\n<p class=\"admonition-title\">Note</p>\n\
             <div class=\"admonition tip\">\n<p class=\"admonition-title\">Inner</p>\n<p>x</p>\n</div>\n\
             <p>y</p>\n</div>\n",
        ),
        // Inside a list item.
        (
            "- item\n\n  :::info\n  x\n  :::\n",
            "<ul>\n<li>\n<p>item</p>\n<div class=\"admonition info\">\n<p class=\"admonition-title\">Info</p>\n\
             <p>x</p>\n</div>\n</li>\n</ul>\n",
        ),
        // A fence inside a code block is code, at top level and inside an admonition.
        (
            "```text\n:::note\n```\n",
            "<pre><code class=\"language-text\">:::note\n</code></pre>\n",
        ),
        (
            "::::note\n```text\n:::\n```\n::::\n",
            "<div class=\"admonition note\">\n<p class=\"admonition-title\">Note</p>\n\
             <pre><code class=\"language-text\">:::\n</code></pre>\n</div>\n",
        ),
        // Title text is escaped, never markup.
        (
            ":::note <b>&</b>\nx\n:::\n",
            "<div class=\"admonition note\">\n<p class=\"admonition-title\">&lt;b&gt;&amp;&lt;/b&gt;</p>\n<p>x</p>\n</div>\n",
        ),
    ];
    for (markdown, expected) in cases {
        check(markdown, expected);
        assert_eq!(render(markdown).warnings, [], "markdown:\n{markdown}");
    }
}

#[test]
fn unclosed_and_stray_fences_warn_with_source_lines() {
    // Line 1 of the text is line 5 of the file (after front matter).
    let rendered = renderer().render(
        "# T\n\n:::note\nstill inside\n\nto the end\n",
        5,
        &mut KeepLinks,
    );
    assert_eq!(
        rendered.html,
        "<h1 id=\"t\">T<a class=\"heading-anchor\" href=\"#t\" aria-label=\"Link to this section\">#</a></h1>\n\
         <div class=\"admonition note\">\n<p class=\"admonition-title\">Note</p>\n<p>still inside</p>\n<p>to the end</p>\n</div>\n"
    );
    assert_eq!(rendered.warnings.len(), 1);
    assert_eq!(rendered.warnings[0].0, 7);
    assert!(
        rendered.warnings[0].1.contains("never closed"),
        "{:?}",
        rendered.warnings
    );

    // Nested: the outer fence is unclosed even though the last line closes the inner one.
    let rendered = render("::::note\n:::tip\nx\n:::\n");
    let lines: Vec<u32> = rendered.warnings.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [1]);

    // A stray closing fence is text, with a warning, and does not swallow the page.
    let rendered = render("para\n\n:::\n\n## After\n");
    assert_eq!(
        rendered.html,
        "<p>para</p>\n<p>:::</p>\n<h2 id=\"after\">After<a class=\"heading-anchor\" href=\"#after\" \
         aria-label=\"Link to this section\">#</a></h2>\n"
    );
    let lines: Vec<u32> = rendered.warnings.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [3]);
}

#[test]
fn mdn_definition_lists() {
    check(
        "- `x` {{ReadOnlyInline}}\n  - : The {{domxref(\"X\")}} value.\n- `y`\n  - : Why.\n",
        "<dl>\n<dt><code>x</code> {{ReadOnlyInline}}</dt>\n<dd>\n<p>The {{domxref(&quot;X&quot;)}} value.</p>\n</dd>\n\
         <dt><code>y</code></dt>\n<dd>\n<p>Why.</p>\n</dd>\n</dl>\n",
    );
    check(
        "- a\n  - b\n",
        "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n",
    );
}

#[test]
fn heading_ids_are_unique_and_listed() {
    let rendered = render("# Intro\n\n## Intro\n\n## Intro\n\n### `code()` *and* more\n\n## ***\n");
    let headings: Vec<(u8, &str, &str)> = rendered
        .headings
        .iter()
        .map(|heading| (heading.level, heading.text.as_str(), heading.id.as_str()))
        .collect();
    assert_eq!(
        headings,
        [
            (1, "Intro", "intro"),
            (2, "Intro", "intro-1"),
            (2, "Intro", "intro-2"),
            (3, "code() and more", "code-and-more"),
            (2, "***", "section"),
        ]
    );
    assert!(rendered.html.contains(
        "<h2 id=\"intro-1\">Intro<a class=\"heading-anchor\" href=\"#intro-1\" aria-label=\"Link to this section\">#</a></h2>"
    ));
    assert!(
        rendered
            .html
            .contains("<h3 id=\"code-and-more\"><code>code()</code> <em>and</em> more<a")
    );
    assert!(rendered.has_leading_h1);
}

#[test]
fn explicit_heading_ids() {
    let rendered = render(
        "## Using subPath {#using-subpath}\n\n## Using subPath\n\n### host_permissions {#host_permissions}\n\n\
         ## {#only-id}\n\n## Not {an id}\n\n## `code {#x}`\n",
    );
    let headings: Vec<(&str, &str)> = rendered
        .headings
        .iter()
        .map(|heading| (heading.text.as_str(), heading.id.as_str()))
        .collect();
    assert_eq!(
        headings,
        [
            ("Using subPath", "using-subpath"),
            ("Using subPath", "using-subpath-1"),
            ("host_permissions", "host_permissions"),
            ("", "only-id"),
            ("Not {an id}", "not-an-id"),
            ("code {#x}", "code-x"),
        ]
    );
    assert!(rendered.html.starts_with(
        "<h2 id=\"using-subpath\">Using subPath<a class=\"heading-anchor\" href=\"#using-subpath\""
    ));
    assert!(!rendered.html.contains("{#using-subpath}"));
}

#[test]
fn anchors_cover_headings_footnotes_and_raw_html() {
    let rendered = render(
        "## Usage\n\n<a id=\"legacy\"></a>\n\nText[^1] and <span id=\"inline\">x</span>[^1].\n\n[^1]: Note.\n",
    );
    assert_eq!(
        rendered.anchors,
        ["usage", "legacy", "fnref-1", "inline", "fnref-1-2", "fn-1"]
    );
}

#[test]
fn leading_h1() {
    let cases = [
        ("# Title\n\ntext", true),
        ("<!-- overview -->\n\n# Title\n", true),
        ("Title\n=====\n", true),
        ("## Sub\n", false),
        ("text\n\n# Title\n", false),
        ("", false),
    ];
    for (markdown, expected) in cases {
        assert_eq!(
            render(markdown).has_leading_h1,
            expected,
            "markdown {markdown:?}"
        );
    }
}

#[test]
fn code_blocks() {
    let rendered = render(
        "```python\nprint('hi')  # c\n```\n\n```rust\nfn main() {}\n```\n\n```js\nlet x = 1;\n```\n",
    );
    let css = crate::highlight::highlight_css();
    for (language, token_class) in [
        ("python", "hl-python"),
        ("rust", "hl-rust"),
        ("js", "hl-js"),
    ] {
        let open = format!(
            "<pre class=\"highlight\"><code class=\"language-{language}\"><span class=\"hl-source {token_class}\">"
        );
        assert!(
            rendered.html.contains(&open),
            "{language}: {}",
            rendered.html
        );
    }
    assert!(
        rendered
            .html
            .contains("<span class=\"hl-comment hl-line hl-number-sign hl-python\">")
    );
    assert!(css.contains(".highlight .hl-comment {"));

    let cases = [
        // MDN labels: the first word is the language; `-nolint` is dropped to find it.
        (
            "```js-nolint\nlet x;\n```\n",
            "<pre class=\"highlight\"><code class=\"language-js-nolint\"><span class=\"hl-source hl-js\">",
        ),
        (
            "```css hidden\np {}\n```\n",
            "<pre class=\"highlight\"><code class=\"language-css\"><span class=\"hl-source hl-css\">",
        ),
        (
            "```console\n$ ls\n```\n",
            "<pre class=\"highlight\"><code class=\"language-console\"><span class=\"hl-source hl-shell hl-bash\">",
        ),
        // Unknown languages and plain text are escaped, not highlighted.
        (
            "```mermaid\na --> b\n```\n",
            "<pre><code class=\"language-mermaid\">a --&gt; b\n</code></pre>\n",
        ),
        (
            "```plaintext\n<x>\n```\n",
            "<pre><code class=\"language-plaintext\">&lt;x&gt;\n</code></pre>\n",
        ),
        (
            "    indented <code>\n",
            "<pre><code>indented &lt;code&gt;\n</code></pre>\n",
        ),
        (
            "```\n{{ not a template }}\n```\n",
            "<pre><code>{{ not a template }}\n</code></pre>\n",
        ),
    ];
    for (markdown, expected_start) in cases {
        let html = render(markdown).html;
        assert!(
            html.starts_with(expected_start),
            "markdown {markdown:?}\nhtml {html}"
        );
    }
}

/// Records calls and rewrites relative `.md` links.
struct SiteLinks {
    calls: Vec<(String, u32)>,
}

impl LinkRewriter for SiteLinks {
    fn rewrite(&mut self, href: &str, line: u32) -> Option<String> {
        self.calls.push((href.to_string(), line));
        href.strip_suffix(".md")
            .map(|stem| format!("/guide/{stem}/"))
    }
}

#[test]
fn links_are_rewritten_in_order_with_file_lines() {
    let text = "[Install](install.md \"Go\") and ![Logo](logo.png)\n\n\
                > [!NOTE]\n> See <https://example.org>.\n\n\
                - [ref][r]\n\n\
                [r]: usage.md#flags\n";
    let mut site_links = SiteLinks { calls: Vec::new() };
    // The body starts on line 8 of the file.
    let rendered = renderer().render(text, 8, &mut site_links);
    let calls: Vec<(&str, u32)> = site_links
        .calls
        .iter()
        .map(|(href, line)| (href.as_str(), *line))
        .collect();
    assert_eq!(
        calls,
        [
            ("install.md", 8),
            ("logo.png", 8),
            ("https://example.org", 11),
            ("usage.md#flags", 13)
        ]
    );
    assert_eq!(
        rendered.links,
        [
            "/guide/install/",
            "logo.png",
            "https://example.org",
            "usage.md#flags"
        ]
    );
    assert!(
        rendered
            .html
            .contains("<a href=\"/guide/install/\" title=\"Go\">Install</a>")
    );
    assert!(
        rendered
            .html
            .contains("<img src=\"logo.png\" alt=\"Logo\" />")
    );
}

#[test]
fn template_syntax_is_literal_text() {
    let cases = [
        (
            "{{ page.title }} and {% if x %}",
            "<p>{{ page.title }} and {% if x %}</p>\n",
        ),
        (
            "{{< glossary_tooltip text=\"Pod\" >}}",
            "<p>{{&lt; glossary_tooltip text=&quot;Pod&quot; &gt;}}</p>\n",
        ),
        (
            "{{% note %}}\nx\n{{% /note %}}",
            "<p>{{% note %}}\nx\n{{% /note %}}</p>\n",
        ),
        (
            "The {{domxref(\"Foo\")}} API",
            "<p>The {{domxref(&quot;Foo&quot;)}} API</p>\n",
        ),
        ("`{{ code }}`", "<p><code>{{ code }}</code></p>\n"),
    ];
    for (markdown, expected) in cases {
        check(markdown, expected);
    }
}

#[test]
fn plain_text_and_warnings_of_a_page() {
    let rendered =
        render("# Title\n\nIntro *text*.\n\n- one\n- two\n\n```sh\nls -l\n```\n\n<div>raw</div>\n");
    assert_eq!(
        rendered.plain_text,
        "Title\n\nIntro text.\n\none\ntwo\n\nls -l\n\nraw"
    );
    assert_eq!(rendered.warnings, []);
}

#[test]
fn kitchen_sink_snapshot() {
    let markdown = "\
# Kitchen sink

Intro with **bold**, `code`, ~~strike~~, a [link](guide.md) and {{domxref(\"Node\")}}.

> [!TIP]
> Alerts and fences share markup.

::::{note} Outer
:::warning[Inner]
Nested body.
:::
::::

- `term`
  - : The definition.

| Col | Other |
|-----|-------|
| 1   | 2     |

```python
def greet(name: str) -> str:
    return f\"hi {name}\"
```

Footnote[^a].

[^a]: The footnote.
";
    insta::assert_snapshot!(render(markdown).html);
}

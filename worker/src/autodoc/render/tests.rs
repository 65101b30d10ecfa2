//! Rendering: escaping, ids, headings, anchors and plain text.

use protocol::{Heading, NavLink};

use super::escape;
use crate::autodoc::{AutodocHtml, AutodocOptions, ModulePageInfo, document_module, render_module};

fn markdown(text: &str) -> String {
    format!("<p>{}</p>", escape(text))
}

fn render(source: &str, info: &ModulePageInfo<'_>) -> AutodocHtml {
    let doc = match document_module(source, "pkg.core", AutodocOptions::default()) {
        Ok(doc) => doc,
        Err(error) => panic!("did not parse: {error}"),
    };
    render_module(&doc, info, &markdown)
}

const INFO: ModulePageInfo<'static> = ModulePageInfo {
    links: None,
    source_url: None,
    source_file: "src/pkg/core.py",
    is_package: false,
    submodules: &[],
};

#[test]
fn user_text_is_escaped() {
    let html = render(
        "@register('<x>')\ndef f(a: 'A<B>' = \"&\", *, b: dict[str, \"C\"] = {}) -> '<T>': pass",
        &INFO,
    )
    .html;
    assert!(html.contains("@register(&#39;&lt;x&gt;&#39;)"), "{html}");
    assert!(html.contains("<span class=\"autodoc-annotation\">&#39;A&lt;B&gt;&#39;</span> = <span class=\"autodoc-default\">&quot;&amp;&quot;</span>"), "{html}");
    assert!(
        html.contains("-&gt; <span class=\"autodoc-return\">&#39;&lt;T&gt;&#39;</span>"),
        "{html}"
    );
    assert!(
        !html.contains("<x>") && !html.contains("<T>") && !html.contains("<B>"),
        "{html}"
    );
}

#[test]
fn headings_anchors_and_ids() {
    let source = "class Client:\n    \"\"\"A client.\"\"\"\n    timeout: float = 1.0\n    @property\n    def url(self) -> str: pass\n    def fetch(self): pass\n    class Inner:\n        def go(self): pass\ndef helper(): pass\nMAX = 1";
    let out = render(source, &INFO);
    let headings: Vec<(u8, &str, &str)> = out
        .headings
        .iter()
        .map(|Heading { level, text, id }| (*level, text.as_str(), id.as_str()))
        .collect();
    assert_eq!(
        headings,
        [
            (2, "Classes", "classes"),
            (3, "Client", "pkg.core.Client"),
            (4, "url", "pkg.core.Client.url"),
            (4, "fetch", "pkg.core.Client.fetch"),
            (4, "Inner", "pkg.core.Client.Inner"),
            (5, "go", "pkg.core.Client.Inner.go"),
            (2, "Functions", "functions"),
            (3, "helper", "pkg.core.helper"),
            (2, "Attributes", "attributes"),
        ]
    );
    // Attributes have ids but no headings.
    assert!(out.anchors.contains(&"pkg.core.Client.timeout".to_owned()));
    assert!(out.anchors.contains(&"pkg.core.MAX".to_owned()));
    // Every anchor is an id in the HTML, once.
    for anchor in &out.anchors {
        assert_eq!(
            out.html.matches(&format!(" id=\"{anchor}\"")).count(),
            1,
            "{anchor}"
        );
    }
    assert!(
        out.html
            .contains("defined at <code>src/pkg/core.py:1</code>")
    );
    assert!(
        out.html
            .contains("defined at <code>src/pkg/core.py:6</code>")
    );
}

#[test]
fn duplicate_ids_get_suffixes() {
    // Extraction keeps one definition per name, but ModuleDoc is plain data: rendering
    // must keep ids unique whatever it is given.
    let mut doc = match document_module("def f(): pass", "pkg.core", AutodocOptions::default()) {
        Ok(doc) => doc,
        Err(error) => panic!("did not parse: {error}"),
    };
    doc.functions.push(doc.functions[0].clone());
    let out = render_module(&doc, &INFO, &markdown);
    assert_eq!(out.anchors, ["functions", "pkg.core.f", "pkg.core.f-2"]);
    assert!(out.html.contains("id=\"pkg.core.f-2\""));
}

#[test]
fn package_pages_list_submodules() {
    let submodules = [
        NavLink {
            title: "pkg.core".to_owned(),
            url: "/api/pkg/core/".to_owned(),
        },
        NavLink {
            title: "pkg.x&y".to_owned(),
            url: "/api/pkg/x/?a=1&b=2".to_owned(),
        },
    ];
    let info = ModulePageInfo {
        links: None,
        source_url: None,
        source_file: "src/pkg/__init__.py",
        is_package: true,
        submodules: &submodules,
    };
    let out = render("\"\"\"The package.\"\"\"", &info);
    assert!(
        out.html
            .contains("<li><a href=\"/api/pkg/core/\">pkg.core</a></li>"),
        "{}",
        out.html
    );
    assert!(
        out.html
            .contains("<li><a href=\"/api/pkg/x/?a=1&amp;b=2\">pkg.x&amp;y</a></li>"),
        "{}",
        out.html
    );
    assert_eq!(out.headings[0].text, "Submodules");
}

#[test]
fn long_signatures_wrap_one_parameter_per_line() {
    let out = render(
        "def configure(hostname: str, port: int = 8080, *, username: str | None = None, password: str | None = None) -> None: pass",
        &INFO,
    );
    assert!(out.html.contains("(\n    <span class=\"autodoc-param\"><span class=\"autodoc-param-name\">hostname</span>"), "{}", out.html);
    assert!(
        out.html
            .contains("<span class=\"autodoc-param autodoc-param-marker\">*</span>,\n"),
        "{}",
        out.html
    );
    // Plain text keeps the signature on one line.
    assert!(out.plain_text.contains("def configure(hostname: str, port: int = 8080, *, username: str | None = None, password: str | None = None) -> None"));
}

#[test]
fn plain_text_reads_without_markup() {
    let out = render(
        "\"\"\"Tools.\"\"\"\ndef f(x: int) -> str:\n    \"\"\"Convert.\n\n    Args:\n        x: A number.\n    \"\"\"",
        &INFO,
    );
    assert_eq!(
        out.plain_text,
        "pkg.core\n\nTools.\n\nFunctions\n\ndef f(x: int) -> str\n\nConvert.\n\nArgs:\n    x: A number."
    );
    assert!(!out.plain_text.contains('<'));
}

#[test]
fn empty_modules_say_so() {
    let out = render("import os\n_private = 1", &INFO);
    assert!(out.html.contains("autodoc-empty"), "{}", out.html);
    assert!(out.headings.is_empty());
}
